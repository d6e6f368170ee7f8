//! `regpath cv`: k-fold cross-validation along the alpha path (see [`crate::cv`]).

use crate::cli::{CvArgs, LossKind};
use crate::cv::{cross_validate_data, CvResult};
use crate::engine::Engine;
use crate::output::{check_outputs, write_output};
use crate::plan::{load_data, loss, problem, solver};
use crate::report::cv_plot::cv_svg;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use regpath_core::DesignOptions;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs the cross-validation described by `args`.
pub fn cross_validate(args: &CvArgs) -> Result<CvResult> {
    let plan = solver(&args.solver)?;
    let (data, _) = load_data(&args.data)?;
    crate::plan::save_data(&args.save, &args.data, &data)?;
    let (_, problem) = problem(&data, &args.problem)?;
    let options = DesignOptions {
        fit_intercept: !args.problem.no_intercept,
        standardize: args.problem.standardize,
        loss: loss(&args.problem),
    };
    let mut engine = Engine::default();
    engine.open(&plan)?; // its notes print before the progress bar
    let bar =
        ProgressBar::with_draw_target(Some(args.folds as u64 + 1), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}")
            .expect("valid template"),
    );
    let cv = cross_validate_data(
        &data,
        options,
        &problem,
        &plan,
        args.folds,
        &mut engine,
        false,
        &bar,
    )?;
    bar.finish_and_clear();
    Ok(cv.result)
}

pub fn run(args: &CvArgs) -> Result<ExitCode> {
    check_outputs(args.out.iter().chain(&args.plot).map(PathBuf::as_path))?;
    let cv = cross_validate(args)?;
    let metric = if args.problem.loss == LossKind::Logistic {
        "deviance"
    } else {
        "MSE"
    };
    println!(
        "{}-fold cross-validation over {} alphas ({:.2} s)",
        cv.folds,
        cv.alphas.len(),
        cv.seconds
    );
    let i_min = cv
        .alphas
        .iter()
        .position(|&a| a == cv.alpha_min)
        .unwrap_or(0);
    let i_1se = cv
        .alphas
        .iter()
        .position(|&a| a == cv.alpha_1se)
        .unwrap_or(0);
    println!(
        "  alpha_min = {:.6e}  (mean validation {metric} {:.6e} ± {:.2e} standard error; std over folds {:.2e})",
        cv.alpha_min, cv.mean[i_min], cv.se[i_min], cv.std[i_min]
    );
    println!(
        "  alpha_1se = {:.6e}  (mean validation {metric} {:.6e}: the largest alpha within one standard error of the minimum)",
        cv.alpha_1se, cv.mean[i_1se]
    );
    println!(
        "  refit on all samples at alpha_min: {} non-zero features",
        cv.nnz_at_alpha_min
    );
    if let Some(out) = &args.out {
        write_output(out, &serde_json::to_vec_pretty(&cv)?)?;
    }
    if let Some(svg) = &args.plot {
        let title = format!("cross-validation, {} solver", args.solver.solver.name());
        cv_svg(&cv, &title, svg)?;
    }
    Ok(ExitCode::SUCCESS)
}
