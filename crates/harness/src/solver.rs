//! What a solve is, in the harness's words: the solver and its precision, validated settings
//! (their defaults are defined here, once), which (loss, solver) pairs exist, and what a run
//! reports besides the path (work counters, the adapter).

use crate::error::input_error;
use anyhow::Result;
use regpath_core::Loss;
use regpath_cpu::CpuSolver;
use regpath_gpu::GpuSolver;

/// A solver the harness can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SolverKind {
    CpuCd,
    CpuFista,
    GpuCd,
    GpuFista,
}

impl SolverKind {
    pub const ALL: [SolverKind; 4] = [
        SolverKind::CpuCd,
        SolverKind::CpuFista,
        SolverKind::GpuCd,
        SolverKind::GpuFista,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SolverKind::CpuCd => "cpu-cd",
            SolverKind::CpuFista => "cpu-fista",
            SolverKind::GpuCd => "gpu-cd",
            SolverKind::GpuFista => "gpu-fista",
        }
    }

    pub fn is_gpu(self) -> bool {
        matches!(self, SolverKind::GpuCd | SolverKind::GpuFista)
    }

    /// Why this solver cannot solve `loss` (None: it can), as the solver crates say
    /// (`CpuSolver::supports`, `GpuSolver::supports`): logistic paths run on cpu-cd and gpu-fista.
    pub fn unsupported(self, loss: Loss) -> Option<&'static str> {
        let supported = match self {
            SolverKind::CpuCd => CpuSolver::Cd.supports(loss),
            SolverKind::CpuFista => CpuSolver::Fista.supports(loss),
            SolverKind::GpuCd => GpuSolver::Cd.supports(loss),
            SolverKind::GpuFista => GpuSolver::Fista.supports(loss),
        };
        if supported {
            return None;
        }
        Some(match self {
            SolverKind::CpuFista => {
                "cpu-fista solves squared loss only (logistic paths run on cpu-cd and gpu-fista)"
            }
            _ => "gpu-cd solves squared loss only (logistic paths run on cpu-cd and gpu-fista)",
        })
    }
}

/// Arithmetic of a solve: CPU solvers are f64; GPU solvers f32 (default) or f64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Precision {
    F32,
    F64,
}

impl Precision {
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
        }
    }

    /// The device crate's name for this precision.
    pub fn device(self) -> regpath_gpu::Precision {
        match self {
            Precision::F32 => regpath_gpu::Precision::F32,
            Precision::F64 => regpath_gpu::Precision::F64,
        }
    }

    /// `f32`/`f64`, as results files and `--solvers` spell it.
    pub fn parse(s: &str) -> Option<Precision> {
        match s {
            "f32" => Some(Precision::F32),
            "f64" => Some(Precision::F64),
            _ => None,
        }
    }

    /// The default `--tol` (duality gap relative to the gap scale): what the precision can reach
    /// on every suite case.
    pub fn default_tol(self) -> f64 {
        match self {
            Precision::F32 => 1e-5,
            Precision::F64 => 1e-7,
        }
    }
}

impl Precision {
    /// `bench`'s default tolerance ladder, loosest first; its last rung is
    /// [`Precision::default_tol`]. f32 stops where f32 arithmetic still certifies.
    pub fn default_ladder(self) -> &'static [f64] {
        match self {
            Precision::F32 => &[1e-3, 1e-4, 1e-5],
            Precision::F64 => &[1e-3, 1e-5, 1e-7],
        }
    }
}

/// Epochs (CD) or iterations (FISTA) per alpha unless `--max-iter` says otherwise.
pub const DEFAULT_MAX_ITER: usize = 100_000;

/// The tolerance of the tight f64 cpu-cd reference that agreement is measured against.
pub const REFERENCE_TOL: f64 = 1e-12;

/// Solver settings after validation.
#[derive(Clone, Debug)]
pub struct SolverPlan {
    pub kind: SolverKind,
    pub tol: f64,
    pub max_iter: usize,
    pub precision: Precision,
    pub adapter: Option<String>,
    pub threads: Option<usize>,
}

impl SolverPlan {
    /// Validates the settings; `precision` None is f64 for CPU solvers and f32 for GPU ones,
    /// `tol` None is the precision's [`Precision::default_tol`].
    pub fn new(
        kind: SolverKind,
        precision: Option<Precision>,
        tol: Option<f64>,
        max_iter: usize,
        adapter: Option<String>,
        threads: Option<usize>,
    ) -> Result<SolverPlan> {
        let precision = match (kind.is_gpu(), precision) {
            (false, Some(Precision::F32)) => {
                return Err(input_error(format!(
                    "--precision f32 is for GPU solvers; {} computes in f64",
                    kind.name()
                )))
            }
            (false, _) => Precision::F64,
            (true, p) => p.unwrap_or(Precision::F32),
        };
        let tol = tol.unwrap_or(precision.default_tol());
        if !(tol.is_finite() && tol >= 0.0) {
            return Err(input_error(format!("--tol {tol} must be finite and >= 0")));
        }
        if max_iter == 0 {
            return Err(input_error("--max-iter must be at least 1"));
        }
        check_threads(threads)?;
        Ok(SolverPlan {
            kind,
            tol,
            max_iter,
            precision,
            adapter,
            threads,
        })
    }

    /// The tight f64 cpu-cd solve every variant is compared with.
    pub fn reference(threads: Option<usize>) -> SolverPlan {
        SolverPlan {
            kind: SolverKind::CpuCd,
            tol: REFERENCE_TOL,
            max_iter: 1_000_000,
            precision: Precision::F64,
            adapter: None,
            threads,
        }
    }
}

/// `--adapter` picks the GPU of GPU solvers; with only CPU solvers (`solvers`, the flag as typed)
/// it does not apply and is refused, never ignored.
pub fn adapter_applies(adapter: Option<&str>, any_gpu: bool, solvers: &str) -> Result<()> {
    match adapter {
        Some(a) if !any_gpu => Err(input_error(format!(
            "--adapter {a} applies to GPU solvers only, and {solvers} runs on the CPU; drop --adapter or pick a GPU solver"
        ))),
        _ => Ok(()),
    }
}

/// `--threads` must be at least 1 and at most 8 per core (more only adds scheduling).
pub fn check_threads(threads: Option<usize>) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match threads {
        Some(0) => Err(input_error("--threads must be at least 1")),
        Some(t) if t > 8 * cores => Err(input_error(format!(
            "--threads {t}: this machine has {cores} cores; use at most {}",
            8 * cores
        ))),
        _ => Ok(()),
    }
}

/// Work counters of a solve (GPU solvers fill all; CPU solvers report epochs only); the last four
/// are the device model's critical path (`regpath_gpu::GpuCounters`; 0 in files written before
/// they existed).
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Counters {
    pub epochs: u64,
    pub submits: u64,
    pub readbacks: u64,
    pub x_passes: u64,
    #[serde(default)]
    pub dispatches: u64,
    #[serde(default)]
    pub bytes: u64,
    #[serde(default)]
    pub flops: u64,
    #[serde(default)]
    pub serial_steps: u64,
    #[serde(default)]
    pub chain_updates: u64,
    /// Dispatches that only continue an inner call a driver's loop bound cut short.
    #[serde(default)]
    pub split_dispatches: u64,
}

impl Counters {
    /// Adds `c` to these counters.
    pub fn add(&mut self, c: &Counters) {
        self.epochs += c.epochs;
        self.submits += c.submits;
        self.readbacks += c.readbacks;
        self.x_passes += c.x_passes;
        self.dispatches += c.dispatches;
        self.bytes += c.bytes;
        self.flops += c.flops;
        self.serial_steps += c.serial_steps;
        self.chain_updates += c.chain_updates;
        self.split_dispatches += c.split_dispatches;
    }

    /// The device's counters as the model reads them.
    pub fn device(&self) -> regpath_gpu::GpuCounters {
        regpath_gpu::GpuCounters {
            submits: self.submits,
            readbacks: self.readbacks,
            x_passes: self.x_passes,
            epochs: self.epochs,
            dispatches: self.dispatches,
            bytes: self.bytes,
            flops: self.flops,
            serial_steps: self.serial_steps,
            chain_updates: self.chain_updates,
            split_dispatches: self.split_dispatches,
        }
    }
}

/// The GPU adapter a solve ran on.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct AdapterInfo {
    pub name: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_precision_and_cpu_solvers_refuse_f32() {
        let gpu = SolverPlan::new(SolverKind::GpuCd, None, None, 10, None, None).unwrap();
        assert_eq!((gpu.precision, gpu.tol), (Precision::F32, 1e-5));
        let cpu = SolverPlan::new(SolverKind::CpuCd, None, None, 10, None, None).unwrap();
        assert_eq!((cpu.precision, cpu.tol), (Precision::F64, 1e-7));
        assert!(SolverPlan::new(
            SolverKind::CpuCd,
            Some(Precision::F32),
            None,
            10,
            None,
            None
        )
        .is_err());
        assert!(SolverPlan::new(SolverKind::CpuCd, None, Some(f64::NAN), 10, None, None).is_err());
        assert!(SolverPlan::new(SolverKind::CpuCd, None, None, 0, None, None).is_err());
        assert!(SolverPlan::new(SolverKind::CpuCd, None, None, 1, None, Some(0)).is_err());
    }

    #[test]
    fn ladders_run_loosest_first_and_end_at_the_default_tol() {
        for p in [Precision::F32, Precision::F64] {
            let l = p.default_ladder();
            assert!(l.windows(2).all(|w| w[0] > w[1]), "{l:?}");
            assert_eq!(l.last(), Some(&p.default_tol()));
        }
    }

    #[test]
    fn only_cpu_cd_and_gpu_fista_solve_logistic_loss() {
        let logistic: Vec<SolverKind> = SolverKind::ALL
            .into_iter()
            .filter(|k| k.unsupported(Loss::Logistic).is_none())
            .collect();
        assert_eq!(logistic, [SolverKind::CpuCd, SolverKind::GpuFista]);
        assert!(SolverKind::ALL
            .iter()
            .all(|k| k.unsupported(Loss::Squared).is_none()));
    }

    #[test]
    fn item_07_threads_beyond_8_per_core_are_refused() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert!(check_threads(None).is_ok());
        assert!(check_threads(Some(1)).is_ok());
        assert!(check_threads(Some(8 * cores)).is_ok());
        let e = check_threads(Some(8 * cores + 1)).unwrap_err().to_string();
        assert!(e.contains(&format!("{cores} cores")), "{e}");
        assert!(check_threads(Some(0)).is_err());
        assert!(check_threads(Some(usize::MAX)).is_err());
    }
}
