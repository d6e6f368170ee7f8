//! `regpath cv`: k-fold cross-validation along the alpha path (see [`crate::cv`]).

use crate::cli::{CvArgs, LossKind};
use crate::cv::{cross_validate_split, CvResult};
use crate::engine::Engine;
use crate::error::input_error;
use crate::output::{check_outputs, write_output};
use crate::plan::{load_data, loss, problem, solver};
use crate::progress::alpha_bar;
use crate::report::cv_plot::write_cv_plot;
use crate::split::{make, SplitSpec};
use anyhow::Result;
use regpath_core::DesignOptions;
use std::path::PathBuf;
use std::process::ExitCode;

/// The split the flags ask for: `--foldid`, `--stratified` (logistic loss only, shuffled with
/// `--shuffle`), `--shuffle` or contiguous `--folds` (clap refuses `--foldid` with the others).
pub fn split_spec(args: &CvArgs) -> Result<SplitSpec> {
    if args.stratified && args.problem.loss != LossKind::Logistic {
        return Err(input_error(
            "--stratified keeps the class proportions of y in each fold, so it needs --loss logistic (the loss is squared); add --loss logistic or drop --stratified",
        ));
    }
    let seed = args.shuffle.then(|| args.fold_seed.unwrap_or(0));
    Ok(match (&args.foldid, args.stratified, seed) {
        (Some(file), ..) => SplitSpec::FoldId(file.clone()),
        (None, true, seed) => SplitSpec::Stratified {
            k: args.folds,
            seed,
        },
        (None, false, Some(seed)) => SplitSpec::Shuffled {
            k: args.folds,
            seed,
        },
        (None, false, None) => SplitSpec::Contiguous(args.folds),
    })
}

/// Runs the cross-validation described by `args`.
pub fn cross_validate(args: &CvArgs) -> Result<CvResult> {
    let plan = solver(&args.solver)?;
    let spec = split_spec(args)?;
    let (data, _) = load_data(&args.data)?;
    crate::plan::save_data(&args.save, &args.data, &data)?;
    let (_, problem) = problem(&data, &args.problem)?;
    let options = DesignOptions {
        fit_intercept: !args.problem.no_intercept,
        standardize: args.problem.standardize,
        loss: loss(&args.problem),
    };
    let split = make(&spec, &data.y.to_vec())?;
    let mut engine = Engine::default();
    engine.open(&plan)?; // its notes print before the progress bar
    let bar = alpha_bar(Some(0)); // cross_validate_split sets the length
    let cv = cross_validate_split(
        &data,
        options,
        &problem,
        &plan,
        split,
        &mut engine,
        false,
        &bar,
    );
    bar.finish_and_clear();
    Ok(cv?.result)
}

pub fn run(args: &CvArgs) -> Result<ExitCode> {
    check_outputs(args.out.iter().chain(&args.plot).map(PathBuf::as_path))?;
    if let Some(plot) = &args.plot {
        crate::report::figure::plot_format(plot, "--plot")?; // before the solve, not after
    }
    let cv = cross_validate(args)?;
    if let Some(out) = &args.out {
        write_output(out, &serde_json::to_vec_pretty(&cv)?)?;
    }
    if let Some(plot) = &args.plot {
        let title = format!("cross-validation, {} solver", args.solver.solver.name());
        write_cv_plot(&cv, &title, plot)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&cv)?);
    } else {
        print_summary(args, &cv);
    }
    Ok(ExitCode::SUCCESS)
}

/// The text summary on stdout.
fn print_summary(args: &CvArgs, cv: &CvResult) {
    let metric = if args.problem.loss == LossKind::Logistic {
        "deviance"
    } else {
        "MSE"
    };
    println!(
        "{}-fold cross-validation ({}) over {} alphas ({:.2} s)",
        cv.folds,
        cv.split.describe(),
        cv.alphas.len(),
        cv.seconds
    );
    let (i_min, i_1se) = (cv.i_min, cv.i_1se);
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
}
