//! k-fold cross-validation along the alpha path, for `regpath cv` and the benchmark's CV cases.
//!
//! Folds ([`crate::split`]) are contiguous and unshuffled by default, as scikit-learn's `KFold()`
//! (the first n mod k folds hold ⌊n/k⌋ + 1 samples); shuffled with a seed, stratified by class,
//! or given per sample (glmnet's `foldid`). The alpha grid comes from the full data (as LassoCV/ElasticNetCV);
//! each training fold is centered/standardized on its own. Per alpha: the mean and the
//! (population) standard deviation over folds of the validation MSE (squared loss) or mean
//! binomial deviance (logistic). alpha_min minimizes the mean; alpha_1se is the largest alpha
//! whose mean is within one standard error (sample std / √k, glmnet's cvsd) of the minimum.
//! On the GPU all folds are one device batch on the full data's design, dense or sparse (sparse X
//! stays sparse: `regpath_gpu::solve_folds`: gpu-fista iterates all folds × alphas at once,
//! gpu-cd chunks of alphas of every fold); the CPU solvers take the folds one after another.

use crate::engine::{Engine, PathRun};
use crate::error::input_error;
use crate::progress::observer;
use crate::solver::{Counters, SolverPlan};
use crate::split::{make, Split, SplitSpec};
use anyhow::Result;
use indicatif::ProgressBar;
use ndarray::Array1;
use regpath_core::folds::{choose, CvChoice, Folds};
use regpath_core::loss::softplus;
use regpath_core::{Dataset, Design, DesignOptions, Loss, Problem};
use regpath_gpu::TrainFold;
use serde::Serialize;
use std::time::Instant;

/// Per-alpha cross-validation curve and the chosen alphas.
#[derive(Serialize, Debug, Clone)]
pub struct CvResult {
    /// `regpath.cv/1`.
    pub schema: &'static str,
    /// `mse` (squared loss) or `deviance` (logistic loss, mean binomial deviance).
    pub metric: &'static str,
    pub alphas: Vec<f64>,
    /// Mean validation error per alpha over the folds.
    pub mean: Vec<f64>,
    /// Population standard deviation per alpha over the folds.
    pub std: Vec<f64>,
    /// Standard error of the mean per alpha (sample std / √folds): what alpha_1se uses.
    pub se: Vec<f64>,
    /// Validation error per fold (rows, in fold order) and alpha.
    pub fold_errors: Vec<Vec<f64>>,
    pub alpha_min: f64,
    pub alpha_1se: f64,
    /// Indices of alpha_min and alpha_1se in `alphas` (0-based, path order).
    pub i_min: usize,
    pub i_1se: usize,
    pub nnz_at_alpha_min: usize,
    /// Non-zero coefficients per alpha of the refit on all samples along the whole grid
    /// (glmnet's `nzero`), from its f64 certificates.
    pub nnz: Vec<usize>,
    /// The refit on all samples at alpha_min, on X's original scale.
    pub refit: Refit,
    pub folds: usize,
    /// How the folds were made, and the fold of every sample.
    pub split: Split,
    pub seconds: f64,
}

/// The refit on all samples at alpha_min, on X's original scale: its non-zero coefficients as
/// index/value pairs (exact zeros left out) and its intercept.
#[derive(Serialize, Debug, Clone)]
pub struct Refit {
    pub alpha: f64,
    pub intercept: f64,
    pub indices: Vec<usize>,
    pub values: Vec<f64>,
}

fn subset(data: &Dataset, rows: &[usize]) -> Result<Dataset> {
    Ok(data.select_rows(rows)?)
}

/// Mean validation error of (coef, intercept) on the original scale.
fn validation_error(
    loss: Loss,
    data: &Dataset,
    rows: &[usize],
    coef: &Array1<f64>,
    intercept: f64,
) -> f64 {
    let mut total = 0.0;
    let scores = data.x.scores(coef.as_slice().expect("contiguous"), rows);
    for (&i, score) in rows.iter().zip(scores) {
        let z = score + intercept;
        let y = data.y[i];
        total += match loss {
            Loss::Squared => (y - z).powi(2),
            Loss::Logistic => 2.0 * softplus(if y > 0.5 { -z } else { z }),
        };
    }
    total / rows.len() as f64
}

/// A cross-validation with what `bench` needs beyond [`CvResult`].
pub struct CvRun {
    pub result: CvResult,
    /// Seconds of the cross-validation without the f64 certification of its paths: fold
    /// preparation, the fold solves, validation errors and the refit (`result.seconds` is the
    /// whole wall time).
    pub work_seconds: f64,
    /// The solved and certified fold paths, in fold order (empty unless `keep_folds`).
    pub folds: Vec<PathRun>,
    /// Worst certified relative duality gap over every fold path.
    pub max_fold_gap: f64,
    /// The certified refit on all samples along the whole grid (as cv.glmnet's full-data fit).
    pub refit: PathRun,
    /// Work counters summed over the fold solves and the refit.
    pub counters: Counters,
}

/// k-fold cross-validation of `problem` on `data` over `folds` contiguous folds (scikit-learn's
/// `KFold(folds)`): [`cross_validate_split`] with that split.
#[allow(clippy::too_many_arguments)]
pub fn cross_validate_data(
    data: &Dataset,
    options: DesignOptions,
    problem: &Problem,
    plan: &SolverPlan,
    folds: usize,
    engine: &mut Engine,
    keep_folds: bool,
    bar: &ProgressBar,
) -> Result<CvRun> {
    let y = data.y.to_vec();
    let split = make(&SplitSpec::Contiguous(folds), &y)?;
    cross_validate_split(data, options, problem, plan, split, engine, keep_folds, bar)
}

/// Cross-validation of `problem` (its grid from the full data) on `data` over the folds of
/// `split` (from [`crate::split::make`]): each training fold is prepared with `options` and
/// solved along the whole grid with `plan`, the validation errors choose alpha_min and
/// alpha_1se, and all samples are refit along the whole grid (its nnz per alpha goes into the
/// result, its coefficients at alpha_min are the refit). Every path is certified in f64,
/// outside `work_seconds`. `keep_folds` keeps the fold paths in the result. `bar` counts solved
/// alphas: k × the grid for the folds, then the refit's (its length is set here); GPU solves
/// move it after each readback.
#[allow(clippy::too_many_arguments)]
pub fn cross_validate_split(
    data: &Dataset,
    options: DesignOptions,
    problem: &Problem,
    plan: &SolverPlan,
    (folds, split): (Folds, Split),
    engine: &mut Engine,
    keep_folds: bool,
    bar: &ProgressBar,
) -> Result<CvRun> {
    let n = data.n_samples();
    let k = folds.k();
    if folds.n_samples() != n {
        return Err(input_error(format!(
            "cross-validation: the split covers {} samples but the data has {n}",
            folds.n_samples()
        )));
    }
    if options.loss != problem.loss {
        return Err(input_error(format!(
            "cross-validation: the design is prepared for {:?} loss but the problem has {:?}",
            options.loss, problem.loss
        )));
    }
    let t = Instant::now();
    let mut counters = Counters::default();
    let n_alphas = problem.alphas.len();
    let fold_alphas = (k * n_alphas) as u64;
    bar.set_length(fold_alphas + n_alphas as u64);
    let name = |f: usize| match &split.fold_ids {
        Some(ids) => format!("fold {f} (fold id {})", ids[f]),
        None => format!("fold {f}"),
    };
    let fold_design = |f: usize| -> Result<Design> {
        let train = folds.train_rows(f);
        Design::new(&subset(data, &train)?, options).map_err(|e| {
            input_error(format!(
                "{} with {} validation samples: {e}",
                name(f),
                n - train.len()
            ))
        })
    };
    let full_design = Design::new(data, options)?;
    // one device batch of all folds, or None to solve each fold as it comes
    let mut batched = if batches_folds(plan) {
        let mut train = Vec::with_capacity(k);
        for f in 0..k {
            train.push(TrainFold {
                rows: folds.train_mask(f),
                scale: fold_design(f)?.column_factors(&full_design).to_vec(),
            });
        }
        let label = format!("{k} folds in one GPU batch");
        bar.set_message(label.clone());
        let watch = observer(bar, 0, label);
        let (runs, batch) =
            engine.solve_folds(&full_design, &train, problem, plan, Some(&watch))?;
        counters.add(&batch);
        Some(runs.into_iter())
    } else {
        None
    };
    let mut fold_certifying = 0.0;
    let mut errors = Vec::with_capacity(k);
    let mut kept = Vec::new();
    let mut max_fold_gap: f64 = 0.0;
    for f in 0..k {
        let design = fold_design(f)?;
        let mut run = match batched.as_mut() {
            Some(runs) => {
                let mut run = runs.next().expect("one run per fold");
                // logistic intercepts come back for the shared design's scores (squared-loss
                // ones are 0 on both: the fold's centering carries them)
                if problem.loss == Loss::Logistic {
                    for (k, b) in run.path.intercepts.iter_mut().enumerate() {
                        *b = design.intercept_from_shared(&full_design, run.path.coefs.row(k), *b);
                    }
                }
                run
            }
            None => {
                bar.set_message(format!("{} of {k}", name(f)));
                let run = engine.solve(&design, problem, plan)?;
                counters.add(&run.counters);
                bar.inc(n_alphas as u64);
                run
            }
        };
        let valid = folds.validation_rows(f);
        let errs = (0..n_alphas)
            .map(|a| {
                let (coef, b) =
                    design.original_scale(run.path.coefs.row(a), run.path.intercepts[a]);
                validation_error(problem.loss, data, &valid, &coef, b)
            })
            .collect();
        errors.push(errs);
        let c = Instant::now();
        run.certificates = problem.certify(&design, &run.path);
        max_fold_gap = max_fold_gap.max(run.worst_rel_gap());
        if keep_folds {
            kept.push(run);
        }
        fold_certifying += c.elapsed().as_secs_f64();
    }
    let CvChoice {
        mean,
        std,
        se,
        i_min,
        i_1se,
    } = choose(&problem.alphas, &errors);
    // refit on all data along the whole grid (warm starts), as cv.glmnet's full-data fit: its
    // nnz per alpha labels the plot's top axis, its solution at alpha_min is the refit
    bar.set_position(fold_alphas);
    let label = "refit on all samples".to_string();
    bar.set_message(label.clone());
    let watch = observer(bar, fold_alphas, label);
    let mut run = engine.solve_observed(&full_design, problem, plan, Some(&watch))?;
    bar.set_position(fold_alphas + n_alphas as u64);
    counters.add(&run.counters);
    let solved = t.elapsed().as_secs_f64();
    run.certificates = problem.certify(&full_design, &run.path);
    let nnz: Vec<usize> = run.certificates.iter().map(|c| c.nnz).collect();
    let nnz_at_alpha_min = nnz[i_min];
    let (coef, intercept) =
        full_design.original_scale(run.path.coefs.row(i_min), run.path.intercepts[i_min]);
    let (indices, values) = (coef.iter().enumerate())
        .filter(|(_, v)| **v != 0.0)
        .map(|(j, v)| (j, *v))
        .unzip();
    Ok(CvRun {
        result: CvResult {
            schema: "regpath.cv/1",
            metric: match problem.loss {
                Loss::Squared => "mse",
                Loss::Logistic => "deviance",
            },
            alphas: problem.alphas.clone(),
            mean,
            std,
            se,
            fold_errors: errors,
            alpha_min: problem.alphas[i_min],
            alpha_1se: problem.alphas[i_1se],
            i_min,
            i_1se,
            nnz_at_alpha_min,
            nnz,
            refit: Refit {
                alpha: problem.alphas[i_min],
                intercept,
                indices,
                values,
            },
            folds: k,
            split,
            seconds: t.elapsed().as_secs_f64(),
        },
        work_seconds: (solved - fold_certifying).max(0.0),
        folds: kept,
        max_fold_gap,
        refit: run,
        counters,
    })
}

/// Whether the folds are solved in one device batch: the GPU solvers. The CPU solvers take the
/// folds one after another.
fn batches_folds(plan: &SolverPlan) -> bool {
    plan.kind.is_gpu()
}
