//! Glue to regpath-gpu: one context per process, solver/precision mapping, error classes.

use crate::error::{input_error, NoGpu};
use crate::solver::{AdapterInfo, Counters, Precision, SolverKind, SolverPlan};
use anyhow::Result;
use regpath_core::{Design, Loss, Path, Problem};
use regpath_gpu::{GpuContext, GpuError, GpuParams, GpuSolver, Observer, TrainFold};

/// A GPU context built once and reused for every solve.
pub struct Gpu {
    ctx: GpuContext,
}

/// Maps GPU errors to exit codes: no adapter → 3, everything else the user can fix → 2.
pub fn classify_gpu_error(err: GpuError) -> anyhow::Error {
    match err {
        GpuError::NoAdapter { .. } => NoGpu(err.to_string()).into(),
        GpuError::Device(_) => anyhow::Error::new(err),
        other => input_error(other.to_string()),
    }
}

/// What to tell the user (stderr) when a GPU context opens on `backend` (the adapter summary's
/// backend name: `vulkan`, `gl`, …), with `WGPU_BACKEND` as set and stderr a terminal or not: on
/// GL, that its shader compiles can take minutes and how to get Vulkan; then, on GL or on a
/// terminal, that the kernels compile now (they compile on first use, right after the open).
pub fn open_notes(backend: &str, wgpu_backend: Option<&str>, terminal: bool) -> Vec<String> {
    let gl = backend.eq_ignore_ascii_case("gl");
    let mut notes = Vec::new();
    if gl {
        let unset = match wgpu_backend {
            Some(v) if !v.trim().is_empty() => format!(" and unset WGPU_BACKEND (now {v:?})"),
            _ => String::new(),
        };
        notes.push(format!(
            "note: wgpu runs on its GL backend, whose shader compiles can take minutes; for Vulkan, install a Vulkan driver (Debian/Ubuntu: apt-get install -y mesa-vulkan-drivers libvulkan1){unset}"
        ));
    }
    if gl || terminal {
        notes.push("compiling GPU kernels…".into());
    }
    notes
}

impl Gpu {
    /// Opens the adapter; the first open of the process prints its [`open_notes`] on stderr.
    pub fn new(adapter: Option<&str>) -> Result<Gpu> {
        static NOTED: std::sync::Once = std::sync::Once::new();
        let ctx = GpuContext::new(adapter).map_err(classify_gpu_error)?;
        NOTED.call_once(|| {
            use std::io::IsTerminal;
            let env = std::env::var("WGPU_BACKEND").ok();
            let terminal = std::io::stderr().is_terminal();
            for note in open_notes(&ctx.summary().backend, env.as_deref(), terminal) {
                eprintln!("{note}");
            }
        });
        Ok(Gpu { ctx })
    }

    /// Solves on the device; coefficients come back for host certification.
    pub fn solve(
        &self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
        observer: Option<&Observer>,
    ) -> Result<(Path, Counters)> {
        let (params, solver) = settings(plan, observer);
        check_loss(plan, problem.loss)?;
        check_f32_range(design, problem.loss, plan.precision)?;
        let (path, c) = regpath_gpu::solve(&self.ctx, design, problem, solver, &params)
            .map_err(classify_gpu_error)?;
        Ok((path, counters(&c)))
    }

    /// Solves every training fold of a cross-validation in one batch on the `shared` design of
    /// all samples, dense or sparse (sparse X stays sparse on the device); coefficients come back
    /// on each fold's scale, logistic intercepts on the shared design's (see
    /// `regpath_gpu::solve_folds`).
    pub fn solve_folds(
        &self,
        shared: &Design,
        folds: &[TrainFold],
        problem: &Problem,
        plan: &SolverPlan,
        observer: Option<&Observer>,
    ) -> Result<(Vec<Path>, Counters)> {
        let (params, solver) = settings(plan, observer);
        check_loss(plan, problem.loss)?;
        check_f32_range(shared, problem.loss, plan.precision)?;
        let (paths, c) =
            regpath_gpu::solve_folds(&self.ctx, shared, folds, problem, solver, &params)
                .map_err(classify_gpu_error)?;
        Ok((paths, counters(&c)))
    }

    pub fn adapter_info(&self) -> AdapterInfo {
        let s = self.ctx.summary();
        AdapterInfo {
            name: s.name.clone(),
            backend: s.backend.clone(),
            device_type: s.device_type.clone(),
            driver: s.driver.clone(),
        }
    }
}

/// Err (exit 2) when the plan's solver does not take `loss` (gpu-cd is squared loss only).
fn check_loss(plan: &SolverPlan, loss: Loss) -> Result<()> {
    match plan.kind.unsupported(loss) {
        Some(why) => Err(input_error(format!(
            "{why}; use --solver gpu-fista or cpu-cd for --loss logistic"
        ))),
        None => Ok(()),
    }
}

/// An f32 solve needs X (and y, for squared loss) within f32's range: a column whose values all
/// flush to zero or overflow in f32 would be solved as another problem, and its solution
/// "converge" where the f64 certificate says it did not. Such data is refused for f32.
fn check_f32_range(design: &Design, loss: Loss, precision: Precision) -> Result<()> {
    if precision != Precision::F32 {
        return Ok(());
    }
    let largest =
        |values: ndarray::ArrayView1<f64>| values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let outside = |m: f64| {
        let (lo, hi) = (f64::from(f32::MIN_POSITIVE), f64::from(f32::MAX));
        (m > 0.0 && m < lo || m > hi).then_some(m)
    };
    // per column, the largest |value| the solver sees: dense X as transformed; sparse X
    // bounded by f_j·(max_i |x_ij| + |m_j|), its centering and scaling being implicit
    let mut parts: Vec<(String, f64)> = match design.x.dense() {
        Some(x) => (x.columns().into_iter().enumerate())
            .map(|(j, col)| (format!("column {j} of X"), largest(col)))
            .collect(),
        None => {
            let (factor, means) = (design.column_multipliers(), design.column_means());
            (0..design.n_features())
                .filter(|&j| factor[j] != 0.0)
                .map(|j| {
                    let m = means.map_or(0.0, |m| m[j].abs());
                    let top = factor[j].abs() * (design.x.col_max_abs(j) + m);
                    (format!("column {j} of X"), top)
                })
                .collect()
        }
    };
    if loss == Loss::Squared {
        parts.push(("y".into(), largest(design.y.view())));
    }
    match parts.into_iter().find_map(|(what, m)| Some((what, outside(m)?))) {
        Some((what, m)) => Err(input_error(format!(
            "{what} holds values up to {m:.2e} (as the solver sees them), outside f32's range (1.2e-38 to 3.4e38): use --precision f64, or rescale"
        ))),
        None => Ok(()),
    }
}

/// The device solver and its settings for `plan`, reporting progress to `observer`.
fn settings(plan: &SolverPlan, observer: Option<&Observer>) -> (GpuParams, GpuSolver) {
    let precision = plan.precision.device();
    let solver = if plan.kind == SolverKind::GpuCd {
        GpuSolver::Cd
    } else {
        GpuSolver::Fista
    };
    let params = GpuParams {
        tol: plan.tol,
        max_iter: plan.max_iter,
        precision,
        observer: observer.cloned(),
        ..Default::default()
    };
    (params, solver)
}

/// Capabilities of the adapter GPU solves would use, for results metadata and for choosing
/// which GPU solvers/precisions to run; None when no adapter is usable.
pub struct GpuCaps {
    pub info: AdapterInfo,
    pub f64: bool,
}

/// Opens the adapter (by index or name; None: the default) and reports what it can do; the
/// error says why none is usable (exit 3) and how to fix it.
pub fn probe(adapter: Option<&str>) -> Result<GpuCaps> {
    let gpu = Gpu::new(adapter)?;
    Ok(GpuCaps {
        info: gpu.adapter_info(),
        f64: gpu.ctx.supports_f64(),
    })
}

/// The harness's counters of a device solve.
fn counters(c: &regpath_gpu::GpuCounters) -> Counters {
    Counters {
        epochs: c.epochs,
        submits: c.submits,
        readbacks: c.readbacks,
        x_passes: c.x_passes,
        dispatches: c.dispatches,
        bytes: c.bytes,
        flops: c.flops,
        serial_steps: c.serial_steps,
        chain_updates: c.chain_updates,
        split_dispatches: c.split_dispatches,
    }
}

#[cfg(test)]
mod tests {
    use super::open_notes;

    #[test]
    fn item_10_gl_gets_a_note_and_a_compile_message_vulkan_stays_quiet() {
        let gl = open_notes("gl", None, false);
        assert_eq!(gl.len(), 2, "{gl:?}");
        assert!(gl[0].contains("GL backend") && gl[0].contains("minutes"));
        assert!(gl[0].contains("Vulkan") && gl[0].contains("mesa-vulkan-drivers"));
        assert!(!gl[0].contains("WGPU_BACKEND"), "{gl:?}");
        assert_eq!(gl[1], "compiling GPU kernels…");
        // GL chosen by WGPU_BACKEND: the note says to unset it
        let forced = open_notes("gl", Some("gl"), true);
        assert!(forced[0].contains("unset WGPU_BACKEND"), "{forced:?}");
        // one line each
        assert!(forced.iter().all(|n| !n.contains('\n')));
        // Vulkan, Metal, DX12: no note; the compile message on a terminal only
        for backend in ["vulkan", "metal", "dx12"] {
            assert!(open_notes(backend, None, false).is_empty());
            assert_eq!(open_notes(backend, None, true), ["compiling GPU kernels…"]);
        }
    }
}
