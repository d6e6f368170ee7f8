//! Timing one case: the workload's data and tight reference, built once for all its solvers,
//! then one warm-up and the timed runs at each tolerance of a ladder, with agreement measured
//! on the last run of each.

use super::suites::{Task, Workload, N_ALPHAS};
use crate::agreement::{self, Measured};
use crate::cv::{cross_validate_data, CvRun};
use crate::engine::{Engine, PathRun};
use crate::fmt::sci;
use crate::results::{CvInfo, LadderPoint, Seconds};
use crate::solver::{Counters, SolverPlan};
use anyhow::Result;
use indicatif::ProgressBar;
use regpath_core::{Dataset, Design, Problem};

/// A workload's data, problem and reference, built once for all its solvers.
pub enum Prepared {
    Path {
        design: Design,
        problem: Problem,
        reference: PathRun,
    },
    Cv {
        data: Dataset,
        problem: Problem,
        folds: usize,
        reference: CvRun,
    },
}

pub fn prepare(engine: &mut Engine, work: &Workload, threads: Option<usize>) -> Result<Prepared> {
    let data = work.data.generate()?;
    let (design, problem) = super::prepare_loss(
        &data,
        work.design_options(),
        work.penalty,
        N_ALPHAS,
        work.eps(),
    )?;
    let plan = &SolverPlan::reference(threads);
    let (prepared, worst) = match work.task {
        Task::Path => {
            let reference = engine.run(&design, &problem, plan)?;
            let worst = reference.worst_rel_gap();
            (
                Prepared::Path {
                    design,
                    problem,
                    reference,
                },
                worst,
            )
        }
        Task::Cv { folds } => {
            drop(design);
            let options = work.design_options();
            let reference = cross_validate_data(
                &data,
                options,
                &problem,
                plan,
                folds,
                engine,
                true,
                &ProgressBar::hidden(),
            )?;
            let worst = reference.max_fold_gap.max(reference.refit.worst_rel_gap());
            (
                Prepared::Cv {
                    data,
                    problem,
                    folds,
                    reference,
                },
                worst,
            )
        }
    };
    if !agreement::at_most(worst, agreement::REFERENCE_MAX_GAP) {
        eprintln!(
            "warning: {}: the cpu-cd reference reached only gap {}; agreement numbers are bounded by it",
            work.label(),
            sci(worst)
        );
    }
    Ok(prepared)
}

/// What timing one case yields: the point at the plan's tol, and the whole ladder.
pub struct Timed {
    pub seconds: Seconds,
    pub measured: Measured,
    pub counters: Counters,
    pub cv: Option<CvInfo>,
    pub ladder: Vec<LadderPoint>,
}

/// The tolerances a case runs at, loosest first: `tols` and the plan's own tol (the case's
/// headline point), each once.
pub fn ladder_tols(tols: &[f64], plan_tol: f64) -> Vec<f64> {
    let mut v: Vec<f64> = tols.to_vec();
    v.push(plan_tol);
    v.sort_by(|a, b| b.total_cmp(a));
    v.dedup();
    v
}

/// One warm-up, then `runs` timed runs of `plan` at each tolerance of `tols` (path cases; a
/// cross-validation runs at `plan.tol` only); agreement and counters of each tolerance's last
/// run. Progress: `work.weight()` per solve.
pub fn time_case(
    engine: &mut Engine,
    work: &Workload,
    prep: &Prepared,
    plan: &SolverPlan,
    runs: usize,
    tols: &[f64],
    bar: &ProgressBar,
) -> Result<Timed> {
    let weight = work.weight();
    let mut times = Vec::with_capacity(runs);
    match prep {
        Prepared::Path {
            design,
            problem,
            reference,
        } => {
            engine.run(design, problem, plan)?;
            bar.inc(weight);
            let mut ladder = Vec::new();
            let mut headline = None;
            for tol in ladder_tols(tols, plan.tol) {
                let at = SolverPlan {
                    tol,
                    ..plan.clone()
                };
                let mut times = Vec::with_capacity(runs);
                let mut last = None;
                for _ in 0..runs {
                    let run = engine.run(design, problem, &at)?;
                    times.push(run.seconds);
                    last = Some(run);
                    bar.inc(weight);
                }
                let last = last.expect("runs >= 1");
                let measured = agreement::measure(&last, reference);
                let seconds = Seconds::of(&times);
                ladder.push(LadderPoint {
                    tol,
                    times,
                    seconds,
                    max_rel_subopt: measured.agreement.max_rel_subopt,
                    max_gap: measured.agreement.max_gap,
                    nnz_end: last.certificates.last().map_or(0, |c| c.nnz),
                    counters: last.counters,
                });
                if tol == plan.tol {
                    headline = Some((seconds, measured, last.counters));
                }
            }
            let (seconds, measured, counters) = headline.expect("the plan's tol is on the ladder");
            Ok(Timed {
                seconds,
                measured,
                counters,
                cv: None,
                ladder,
            })
        }
        Prepared::Cv {
            data,
            problem,
            folds,
            reference,
        } => {
            let options = work.design_options();
            let cross_validate = |engine: &mut Engine| {
                let hidden = ProgressBar::hidden();
                cross_validate_data(data, options, problem, plan, *folds, engine, true, &hidden)
            };
            let mut last = cross_validate(engine)?;
            bar.inc(weight);
            for _ in 0..runs {
                last = cross_validate(engine)?;
                times.push(last.work_seconds);
                bar.inc(weight);
            }
            // Every fold path against the reference's path of the same fold, and the refits on
            // the alphas both solved (they stop at their own alpha_min).
            let mut measured = agreement::measure_prefix(&last.refit, &reference.refit);
            for (run, r) in last.folds.iter().zip(&reference.folds) {
                measured = measured.worst(agreement::measure(run, r));
            }
            let (c, r) = (&last.result, &reference.result);
            Ok(Timed {
                seconds: Seconds::of(&times),
                measured,
                counters: last.counters,
                cv: Some(CvInfo {
                    folds: *folds,
                    alpha_min: c.alpha_min,
                    alpha_1se: c.alpha_1se,
                    nnz_at_alpha_min: c.nnz_at_alpha_min,
                    reference_alpha_min: r.alpha_min,
                    reference_alpha_1se: r.alpha_1se,
                }),
                ladder: Vec::new(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_tol_joins_the_ladder_once_loosest_first() {
        assert_eq!(ladder_tols(&[1e-7, 1e-3, 1e-5], 1e-7), [1e-3, 1e-5, 1e-7]);
        assert_eq!(ladder_tols(&[1e-3], 1e-7), [1e-3, 1e-7]);
    }
}
