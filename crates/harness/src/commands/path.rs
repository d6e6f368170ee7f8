//! `regpath path`: solve one path, certify it, write JSON / NPY / SVG and a short summary.

use crate::cli::PathArgs;
use crate::engine::{worst, Engine, PathRun};
use crate::output::{check_outputs, write_output};
use crate::plan::{path_plan, DataSource, PathPlan};
use crate::report::{write_path_plot, PathFigure};
use crate::solver::{AdapterInfo, Counters, Precision};
use anyhow::Result;
use ndarray::Array2;
use regpath_core::loss::sklearn_c_from_alpha;
use regpath_core::Loss;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Coefficients on the original scale of X: dense, or index/value pairs when under a quarter are non-zero.
#[derive(Serialize)]
#[serde(untagged)]
enum Coefficients {
    Dense(Vec<f64>),
    Sparse {
        indices: Vec<usize>,
        values: Vec<f64>,
    },
}

#[derive(Serialize)]
struct AlphaResult {
    alpha: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha_sklearn_ridge: Option<f64>,
    coefficients: Coefficients,
    intercept: f64,
    primal_objective: f64,
    dual_objective: f64,
    duality_gap: f64,
    relative_gap: f64,
    kkt_violation: f64,
    nnz: usize,
    iterations: usize,
    converged: bool,
}

#[derive(Serialize)]
struct PathFile<'a> {
    schema: &'static str,
    dataset: &'a DataSource,
    solver: &'static str,
    precision: &'static str,
    seconds: f64,
    adapter: Option<&'a AdapterInfo>,
    /// CPU threads of a CPU solve (the actual count, also when it was the default); null for a
    /// GPU solve.
    threads: Option<usize>,
    loss: &'static str,
    penalty: String,
    l1_ratio: f64,
    n_samples: usize,
    n_features: usize,
    fit_intercept: bool,
    standardize: bool,
    tol: f64,
    counters: Counters,
    alphas: Vec<AlphaResult>,
}

pub fn run(args: &PathArgs) -> Result<ExitCode> {
    let plan = path_plan(args)?;
    let model = args
        .model
        .as_deref()
        .map(crate::model::resolve)
        .transpose()?;
    if model.is_some() && !plan.solver.kind.is_gpu() {
        return Err(crate::error::input_error(format!(
            "--model applies to GPU solvers only, and {} runs on the CPU; drop --model or pick a GPU solver",
            plan.solver.kind.name()
        )));
    }
    check_outputs(
        [&args.out, &args.coef_npy, &args.plot]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path),
    )?;
    if let Some(plot) = &args.plot {
        crate::report::figure::plot_format(plot, "--plot")?; // before the solve, not after
    }
    if let Some(warning) = constant_columns_warning(&plan.design.constant_columns) {
        eprintln!("{warning}");
    }
    // the GPU opens first: its notes (GL, kernels compiling) print before the spinner
    let mut engine = Engine::default();
    engine.open(&plan.solver)?;
    // a long solve shows that it is working (on a terminal only; stderr, so outputs stay clean);
    // a GPU solve moves the bar after each readback of its gaps
    let k = plan.problem.alphas.len();
    let bar = crate::progress::alpha_bar(plan.solver.kind.is_gpu().then_some(k as u64));
    let label = format!(
        "solving {k} alphas with {} ({})",
        plan.solver.kind.name(),
        plan.solver.precision.name()
    );
    bar.set_message(label.clone());
    let watch = crate::progress::observer(&bar, 0, label);
    let run = engine.run_observed(&plan.design, &plan.problem, &plan.solver, Some(&watch));
    bar.finish_and_clear();
    let run = run?;
    let coefs = original_coefs(&plan, &run);
    if let Some(out) = &args.out {
        write_json(out, &plan, &run, &coefs)?;
    }
    if let Some(npy) = &args.coef_npy {
        write_output(npy, &regpath_core::io::npy_bytes(&coefs.0))?;
    }
    if let Some(plot) = &args.plot {
        let title = format!(
            "{} path, {} ({}×{})",
            plan.problem.penalty.name(),
            plan.source.kind,
            plan.design.n_samples(),
            plan.design.n_features()
        );
        let fig = PathFigure {
            alphas: &plan.problem.alphas,
            coefs: &coefs.0,
            names: plan.feature_names.as_deref(),
            title: &title,
        };
        write_path_plot(&fig, plot)?;
    }
    if args.json {
        let summary = summary(&plan, &run, model.as_ref());
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(&plan, &run, model.as_ref());
    }
    warn(&plan, &run);
    Ok(ExitCode::SUCCESS)
}

/// One line for X's constant columns (held at 0): each named when a few, else a count and the
/// first ones (a sparse corpus can have thousands of empty columns).
fn constant_columns_warning(columns: &[usize]) -> Option<String> {
    const NAMED: usize = 5;
    let named: Vec<String> = columns.iter().take(NAMED).map(|j| j.to_string()).collect();
    match columns.len() {
        0 => None,
        1 => Some(format!(
            "warning: column {} of X is constant; its coefficient is 0",
            named[0]
        )),
        k if k <= NAMED => Some(format!(
            "warning: columns {} of X are constant; their coefficients are 0",
            named.join(", ")
        )),
        k => Some(format!(
            "warning: {k} columns of X are constant ({}, …); their coefficients are 0",
            named.join(", ")
        )),
    }
}

/// (K × p coefficients, K intercepts) on the original scale of X.
fn original_coefs(plan: &PathPlan, run: &PathRun) -> (Array2<f64>, Vec<f64>) {
    let (k, p) = run.path.coefs.dim();
    let mut coefs = Array2::zeros((k, p));
    let mut intercepts = Vec::with_capacity(k);
    for i in 0..k {
        let (c, b) = plan
            .design
            .original_scale(run.path.coefs.row(i), run.path.intercepts[i]);
        coefs.row_mut(i).assign(&c);
        intercepts.push(b);
    }
    (coefs, intercepts)
}

fn write_json(
    out: &std::path::Path,
    plan: &PathPlan,
    run: &PathRun,
    coefs: &(Array2<f64>, Vec<f64>),
) -> Result<()> {
    let p = plan.design.n_features();
    let n = plan.design.n_samples() as f64;
    let ridge = plan.problem.penalty.l1_ratio == 0.0;
    let alphas = (0..plan.problem.alphas.len())
        .map(|k| {
            let row = coefs.0.row(k);
            let cert = &run.certificates[k];
            let coefficients = if cert.nnz * 4 < p {
                let (indices, values) = row
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0.0)
                    .map(|(j, v)| (j, *v))
                    .unzip();
                Coefficients::Sparse { indices, values }
            } else {
                Coefficients::Dense(row.to_vec())
            };
            AlphaResult {
                alpha: plan.problem.alphas[k],
                alpha_sklearn_ridge: ridge.then(|| plan.problem.alphas[k] * n),
                coefficients,
                intercept: coefs.1[k],
                primal_objective: cert.primal,
                dual_objective: cert.dual,
                duality_gap: cert.gap,
                relative_gap: cert.rel_gap,
                kkt_violation: cert.kkt,
                nnz: cert.nnz,
                iterations: run.path.iterations[k],
                // a certificate that could not be computed never says converged
                converged: run.path.converged[k]
                    && cert.gap.is_finite()
                    && cert.rel_gap.is_finite(),
            }
        })
        .collect();
    let file = PathFile {
        schema: "regpath.path/1",
        dataset: &plan.source,
        solver: plan.solver.kind.name(),
        precision: plan.solver.precision.name(),
        seconds: run.seconds,
        adapter: run.adapter.as_ref(),
        threads: cpu_threads(plan),
        loss: plan.problem.loss.name(),
        penalty: plan.problem.penalty.name(),
        l1_ratio: plan.problem.penalty.l1_ratio,
        n_samples: plan.design.n_samples(),
        n_features: p,
        fit_intercept: plan.design.options.fit_intercept,
        standardize: plan.design.options.standardize,
        tol: plan.solver.tol,
        counters: run.counters,
        alphas,
    };
    write_output(out, &serde_json::to_vec_pretty(&file)?)
}

/// What `path` prints: the text summary, or with `--json` this object on stdout.
#[derive(Serialize)]
struct Summary<'a> {
    schema: &'static str,
    penalty: String,
    loss: &'static str,
    dataset: &'a DataSource,
    n_samples: usize,
    n_features: usize,
    n_alphas: usize,
    alpha_max: f64,
    alpha_min: f64,
    solver: &'static str,
    precision: &'static str,
    adapter: Option<&'a AdapterInfo>,
    /// CPU threads of a CPU solve; null for a GPU solve.
    threads: Option<usize>,
    seconds: f64,
    nnz_first: usize,
    nnz_last: usize,
    worst_relative_gap: f64,
    tol: f64,
    counters: Counters,
    /// Alphas without a finite certificate, and alphas that stopped before `tol`.
    uncertified: usize,
    not_converged: usize,
    model: Option<crate::model::Modelled>,
}

fn summary<'a>(
    plan: &'a PathPlan,
    run: &'a PathRun,
    model: Option<&regpath_gpu::model::Profile>,
) -> Summary<'a> {
    let k = plan.problem.alphas.len();
    Summary {
        schema: "regpath.path-summary/1",
        penalty: plan.problem.penalty.name(),
        loss: plan.problem.loss.name(),
        dataset: &plan.source,
        n_samples: plan.design.n_samples(),
        n_features: plan.design.n_features(),
        n_alphas: k,
        alpha_max: plan.problem.alphas[0],
        alpha_min: plan.problem.alphas[k - 1],
        solver: plan.solver.kind.name(),
        precision: plan.solver.precision.name(),
        adapter: run.adapter.as_ref(),
        threads: cpu_threads(plan),
        seconds: run.seconds,
        nnz_first: run.certificates[0].nnz,
        nnz_last: run.certificates[k - 1].nnz,
        worst_relative_gap: run.worst_rel_gap(),
        tol: plan.solver.tol,
        counters: run.counters,
        uncertified: uncertified(run),
        not_converged: run.path.converged.iter().filter(|c| !**c).count(),
        model: model.map(|m| crate::model::modelled(m, &run.counters, plan.solver.precision)),
    }
}

/// The CPU threads a CPU solve used (the actual count, also for the default); None on the GPU.
fn cpu_threads(plan: &PathPlan) -> Option<usize> {
    (!plan.solver.kind.is_gpu()).then(|| {
        plan.solver
            .threads
            .unwrap_or_else(rayon::current_num_threads)
    })
}

/// Alphas whose duality gap is not a finite number.
fn uncertified(run: &PathRun) -> usize {
    run.certificates
        .iter()
        .filter(|c| !(c.gap.is_finite() && c.rel_gap.is_finite()))
        .count()
}

fn print_summary(plan: &PathPlan, run: &PathRun, model: Option<&regpath_gpu::model::Profile>) {
    let k = plan.problem.alphas.len();
    let (first, last) = (plan.problem.alphas[0], plan.problem.alphas[k - 1]);
    let ridge = plan.problem.penalty.l1_ratio == 0.0;
    println!(
        "{} path, {} loss: {k} alphas from {first:.4e} to {last:.4e} on {} data ({} samples × {} features)",
        plan.problem.penalty.name(),
        plan.problem.loss.name(),
        plan.source.kind,
        plan.design.n_samples(),
        plan.design.n_features()
    );
    if ridge {
        let n = plan.design.n_samples() as f64;
        println!(
            "  ridge alphas on scikit-learn's Ridge scale (alpha·n): {:.4e} to {:.4e}",
            first * n,
            last * n
        );
    }
    if plan.problem.loss == Loss::Logistic {
        let n = plan.design.n_samples();
        println!(
            "  scikit-learn's LogisticRegression C = 1/(n·alpha): {:.4e} to {:.4e}",
            sklearn_c_from_alpha(first, n),
            sklearn_c_from_alpha(last, n)
        );
    }
    let device = match (&run.adapter, cpu_threads(plan)) {
        (Some(a), _) => format!("{} ({}, {})", a.name, a.backend, a.device_type),
        (None, t) => {
            let t = t.unwrap_or(1);
            format!("{t} thread{}", if t == 1 { "" } else { "s" })
        }
    };
    println!(
        "  solver {} ({}, {device}): {:.3} s",
        plan.solver.kind.name(),
        plan.solver.precision.name(),
        run.seconds
    );
    println!(
        "  nnz: {} at the largest alpha, {} at the smallest",
        run.certificates[0].nnz,
        run.certificates[k - 1].nnz
    );
    println!(
        "  worst certified relative duality gap: {:.2e} (tol {:.0e})",
        run.worst_rel_gap(),
        plan.solver.tol
    );
    let c = &run.counters;
    if run.adapter.is_some() {
        println!(
            "  counters: {} epochs, {} submits, {} readbacks, {} passes over X",
            c.epochs, c.submits, c.readbacks, c.x_passes
        );
        println!(
            "  critical path: {} dispatches ({} continuing loop-bounded inner calls), {} serial steps, {} chained updates, {:.3} GB moved, {:.3} GFLOP",
            c.dispatches,
            c.split_dispatches,
            c.serial_steps,
            c.chain_updates,
            c.bytes as f64 / 1e9,
            c.flops as f64 / 1e9
        );
        if let Some(profile) = model {
            println!(
                "  {}",
                crate::model::describe(profile, c, plan.solver.precision)
            );
        }
    } else {
        println!("  epochs: {}", c.epochs);
    }
}

/// Warnings on stderr (text and `--json` alike): alphas without a certificate or short of tol.
fn warn(plan: &PathPlan, run: &PathRun) {
    let k = plan.problem.alphas.len();
    let uncertified = uncertified(run);
    if uncertified > 0 {
        eprintln!(
            "warning: {uncertified} of {k} alphas have no certificate (the duality gap is not a finite number: values of X or y near the limits of f64?); they are reported as not converged"
        );
    }
    let missed: Vec<usize> = (0..k).filter(|&i| !run.path.converged[i]).collect();
    if !missed.is_empty() {
        eprintln!(
            "warning: {} of {k} alphas stopped before tol {:.0e} (worst certified relative gap {:.2e}); raise --max-iter or loosen --tol{}",
            missed.len(),
            plan.solver.tol,
            worst(missed.iter().map(|&i| run.certificates[i].rel_gap)),
            if plan.solver.precision == Precision::F64 { "" } else { ", or use --precision f64" }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::constant_columns_warning;

    #[test]
    fn constant_columns_are_one_line_however_many() {
        assert_eq!(constant_columns_warning(&[]), None);
        let one = constant_columns_warning(&[3]).unwrap();
        assert!(one.contains("column 3 of X is constant"), "{one}");
        let few = constant_columns_warning(&[1, 4]).unwrap();
        assert!(few.contains("columns 1, 4 of X"), "{few}");
        let many: Vec<usize> = (0..1478).collect();
        let line = constant_columns_warning(&many).unwrap();
        assert!(!line.contains('\n'));
        assert!(
            line.contains("1478 columns") && line.contains("0, 1, 2, 3, 4, …"),
            "{line}"
        );
    }
}
