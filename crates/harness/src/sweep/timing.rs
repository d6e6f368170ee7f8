//! Timing one case: the workload's data and tight reference, built once for all its solvers,
//! then one warm-up and the timed runs, with agreement measured on the last run.

use super::suites::{Task, Workload, N_ALPHAS};
use crate::agreement::{self, Measured};
use crate::cv::{cross_validate_data, CvRun};
use crate::engine::{Engine, PathRun};
use crate::fmt::sci;
use crate::results::{CvInfo, Seconds};
use crate::solver::{Counters, SolverPlan};
use anyhow::Result;
use indicatif::ProgressBar;
use regpath_core::{Dataset, Design, Penalty, Problem};

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
    let (design, problem) =
        super::prepare_loss(&data, work.loss, Penalty::LASSO, N_ALPHAS, work.eps())?;
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
            let options = super::design_options(work.loss);
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

/// What timing one case yields.
pub struct Timed {
    pub seconds: Seconds,
    pub measured: Measured,
    pub counters: Counters,
    pub cv: Option<CvInfo>,
}

/// One warm-up, then `runs` timed runs of `plan`; agreement and counters of the last run.
pub fn time_case(
    engine: &mut Engine,
    work: &Workload,
    prep: &Prepared,
    plan: &SolverPlan,
    runs: usize,
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
            let mut last = engine.run(design, problem, plan)?;
            bar.inc(weight);
            for _ in 0..runs {
                last = engine.run(design, problem, plan)?;
                times.push(last.seconds);
                bar.inc(weight);
            }
            Ok(Timed {
                seconds: Seconds::of(&times),
                measured: agreement::measure(&last, reference),
                counters: last.counters,
                cv: None,
            })
        }
        Prepared::Cv {
            data,
            problem,
            folds,
            reference,
        } => {
            let options = super::design_options(work.loss);
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
            })
        }
    }
}
