//! Runs a path with any solver and certifies every alpha in f64 with regpath-core: the one place
//! that maps a [`SolverPlan`] onto regpath-cpu and regpath-gpu.

mod gpu;

pub use gpu::{classify_gpu_error, open_notes, probe, GpuCaps};

use crate::error::input_error;
use crate::solver::{AdapterInfo, Counters, SolverKind, SolverPlan};
use anyhow::Result;
use regpath_core::{Certificate, Design, Path, Problem};
use regpath_cpu::CpuSolver;
use regpath_gpu::Observer;
use std::time::Instant;

/// A solved and certified path.
pub struct PathRun {
    pub path: Path,
    /// Wall-clock seconds of the solve alone (no data preparation, no certification).
    pub seconds: f64,
    pub certificates: Vec<Certificate>,
    pub counters: Counters,
    pub adapter: Option<AdapterInfo>,
}

impl PathRun {
    /// The largest certified relative gap over the path; NaN when any certificate could not be
    /// computed (a NaN is never hidden behind a max).
    pub fn worst_rel_gap(&self) -> f64 {
        worst(self.certificates.iter().map(|c| c.rel_gap))
    }
}

/// The largest of `gaps` (0 for none); NaN when any is NaN, never hidden behind a max.
pub fn worst(gaps: impl IntoIterator<Item = f64>) -> f64 {
    gaps.into_iter().fold(0.0, |m, g| {
        if g.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(g)
        }
    })
}

/// Owns what is expensive to build (the GPU context) across many solves.
#[derive(Default)]
pub struct Engine {
    gpu: Option<gpu::Gpu>,
}

impl Engine {
    /// Solves `problem` on `design` with `plan` and certifies each alpha.
    pub fn run(
        &mut self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
    ) -> Result<PathRun> {
        self.run_observed(design, problem, plan, None)
    }

    /// [`Engine::run`] reporting a GPU solve's progress to `observer` after each readback (CPU
    /// solves report nothing).
    pub fn run_observed(
        &mut self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
        observer: Option<&Observer>,
    ) -> Result<PathRun> {
        let mut run = self.solve_observed(design, problem, plan, observer)?;
        run.certificates = problem.certify(design, &run.path);
        Ok(run)
    }

    /// [`Engine::run`] without the certification: `certificates` is empty (fill it with
    /// [`Problem::certify`] when the certification must stay out of a measured time).
    pub fn solve(
        &mut self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
    ) -> Result<PathRun> {
        self.solve_observed(design, problem, plan, None)
    }

    /// [`Engine::solve`] reporting a GPU solve's progress to `observer` after each readback.
    pub fn solve_observed(
        &mut self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
        observer: Option<&Observer>,
    ) -> Result<PathRun> {
        let (path, seconds, counters, adapter) = if plan.kind.is_gpu() {
            let gpu = self.gpu(plan)?;
            let t = Instant::now();
            let (path, counters) = gpu.solve(design, problem, plan, observer)?;
            (
                path,
                t.elapsed().as_secs_f64(),
                counters,
                Some(gpu.adapter_info()),
            )
        } else {
            if let Some(why) = plan.kind.unsupported(problem.loss) {
                return Err(input_error(format!(
                    "{why}; use --solver cpu-cd for --loss logistic"
                )));
            }
            let params = regpath_cpu::CpuParams {
                solver: if plan.kind == SolverKind::CpuCd {
                    CpuSolver::Cd
                } else {
                    CpuSolver::Fista
                },
                tol: plan.tol,
                max_iter: plan.max_iter,
            };
            let solve = || {
                let t = Instant::now();
                let path = regpath_cpu::solve(design, problem, &params);
                (path, t.elapsed().as_secs_f64())
            };
            let (path, seconds) = with_threads(plan.threads, solve)?;
            let path = path.map_err(|e| input_error(e.to_string()))?;
            let epochs = path.iterations.iter().map(|&i| i as u64).sum();
            (
                path,
                seconds,
                Counters {
                    epochs,
                    ..Default::default()
                },
                None,
            )
        };
        Ok(PathRun {
            path,
            seconds,
            certificates: Vec::new(),
            counters,
            adapter,
        })
    }
}

impl Engine {
    /// Solves the training folds of a cross-validation in one device batch (see
    /// `engine::gpu::Gpu::solve_folds`); returns one uncertified run per fold (each with the
    /// batch's wall time and no counters) and the batch's counters. `observer` hears the
    /// batch's progress (alphas of every fold) after each readback.
    pub fn solve_folds(
        &mut self,
        shared: &Design,
        folds: &[regpath_gpu::TrainFold],
        problem: &Problem,
        plan: &SolverPlan,
        observer: Option<&Observer>,
    ) -> Result<(Vec<PathRun>, Counters)> {
        let gpu = self.gpu(plan)?;
        let t = Instant::now();
        let (paths, counters) = gpu.solve_folds(shared, folds, problem, plan, observer)?;
        let seconds = t.elapsed().as_secs_f64();
        let adapter = gpu.adapter_info();
        let runs = paths
            .into_iter()
            .map(|path| PathRun {
                path,
                seconds,
                certificates: Vec::new(),
                counters: Counters::default(),
                adapter: Some(adapter.clone()),
            })
            .collect();
        Ok((runs, counters))
    }

    /// Opens the GPU context of a GPU `plan` now (a no-op for CPU plans), so that what opening it
    /// prints (see [`gpu::open_notes`]) comes before a command's progress bar.
    pub fn open(&mut self, plan: &SolverPlan) -> Result<()> {
        if plan.kind.is_gpu() {
            self.gpu(plan)?;
        }
        Ok(())
    }

    /// The GPU context, built on first use with the plan's adapter.
    fn gpu(&mut self, plan: &SolverPlan) -> Result<&gpu::Gpu> {
        if self.gpu.is_none() {
            self.gpu = Some(gpu::Gpu::new(plan.adapter.as_deref())?);
        }
        Ok(self.gpu.as_ref().expect("just built"))
    }
}

/// Runs `f` on a rayon pool of `threads` threads (None: the global pool, all cores).
pub fn with_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T> {
    match threads {
        None => Ok(f()),
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build()?;
            Ok(pool.install(f))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::worst;

    #[test]
    fn item_08_a_nan_gap_is_never_shown_as_0() {
        assert!(worst([1e-3, f64::NAN, 2e-3]).is_nan());
        assert!(worst([f64::NAN]).is_nan());
        assert_eq!(worst([1e-3, 2e-3]), 2e-3);
        assert_eq!(worst([f64::INFINITY, 1.0]), f64::INFINITY);
        assert_eq!(worst([]), 0.0);
    }
}
