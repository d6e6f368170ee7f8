//! `regpath check`: the agreement suite. Every dataset × penalty × solver × precision is solved at
//! the default tolerance of its precision and compared, alpha by alpha, with a tight f64 cpu-cd
//! reference (tol 1e-12); exit 1 names every case that misses a threshold.

use crate::agreement::{self, Thresholds};
use crate::cli::CheckArgs;
use crate::engine::{Engine, PathRun};
use crate::error::input_error;
use crate::fmt::sci;
use crate::output::{check_outputs, write_output};
use crate::solver::{check_threads, AdapterInfo, SolverPlan, REFERENCE_TOL};
use crate::sweep::{self, DataSpec, Variant};
use anyhow::Result;
use regpath_core::Penalty;
use serde::Serialize;
use std::process::ExitCode;
use std::time::Instant;

/// The matrix: regression and gene data, n ≫ p and p ≫ n, AR(1) correlation 0 and 0.9.
fn datasets(quick: bool) -> Vec<DataSpec> {
    // (n ≫ p), (p ≫ n), the gene shape, and n ≫ p with correlated columns
    let [tall, wide, gene, tall_gene] = if quick {
        [(200, 30), (50, 300), (50, 200), (200, 30)]
    } else {
        [(500, 50), (100, 1000), (100, 2000), (1000, 100)]
    };
    vec![
        DataSpec::regression(tall.0, tall.1),
        DataSpec::regression(wide.0, wide.1),
        DataSpec::gene(gene.0, gene.1, 0.0),
        DataSpec::gene(gene.0, gene.1, 0.9),
        DataSpec::gene(tall_gene.0, tall_gene.1, 0.9),
    ]
}

fn penalties() -> [Penalty; 3] {
    [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE]
}

/// One line of the table.
#[derive(Serialize, Clone, Debug)]
struct Row {
    dataset: String,
    penalty: String,
    solver: String,
    precision: String,
    tol: f64,
    max_rel_subopt: f64,
    max_gap: f64,
    min_support_jaccard: f64,
    max_coef_diff: f64,
    reference_max_gap: f64,
    seconds: f64,
    /// Why the case failed (empty when it passed).
    failures: Vec<String>,
}

#[derive(Serialize)]
struct CheckFile<'a> {
    schema: &'static str,
    quick: bool,
    n_alphas: usize,
    eps: f64,
    reference: String,
    support: String,
    thresholds: Vec<(&'static str, Thresholds)>,
    skipped: Vec<(String, String)>,
    adapter: Option<AdapterInfo>,
    rows: &'a [Row],
    failed: usize,
}

const WIDTHS: [usize; 9] = [22, 9, 15, 11, 9, 8, 10, 8, 0];

fn line(cells: [&str; 9]) -> String {
    let mut s = String::new();
    for (i, (c, w)) in cells.iter().zip(WIDTHS).enumerate() {
        if i > 0 {
            s.push_str("  ");
        }
        if i < 3 || i == 8 {
            s.push_str(&format!("{c:<w$}"));
        } else {
            s.push_str(&format!("{c:>w$}"));
        }
    }
    s.trim_end().to_string()
}

/// println! to stdout, or to stderr when stdout carries the `--json` document.
macro_rules! say {
    ($to_stderr:expr, $($arg:tt)*) => {
        if $to_stderr {
            eprintln!($($arg)*)
        } else {
            println!($($arg)*)
        }
    };
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let started = Instant::now();
    check_threads(args.sweep.place.threads)?;
    // `--json` alone prints the JSON on stdout; the text goes to stderr then
    let stdout_json = args.json.as_deref() == Some(std::path::Path::new("-"));
    if let Some(j) = args.json.as_deref().filter(|_| !stdout_json) {
        check_outputs([j])?;
    }
    let sel = sweep::select(
        args.sweep.solvers.as_deref(),
        args.sweep.place.adapter.as_deref(),
    )?;
    sel.require_some()?;
    let n_alphas = args.alphas.unwrap_or(if args.quick { 10 } else { 30 });
    if n_alphas == 0 {
        return Err(input_error("--alphas 0: the grid needs at least one alpha"));
    }
    let eps = args.eps.unwrap_or(if args.quick { 1e-2 } else { 1e-3 });
    if !(eps > 0.0 && eps < 1.0) {
        return Err(input_error(format!("--eps {eps} must be in (0, 1)")));
    }
    say!(
        stdout_json,
        "regpath check{}: {} alphas per path (eps {eps:.0e}), squared loss, intercept fitted",
        if args.quick { " --quick" } else { "" },
        n_alphas
    );
    say!(stdout_json,
        "reference: f64 cpu-cd at relative duality gap {:.0e}; solvers at their default tol (f64 1e-7, f32 1e-5)",
        REFERENCE_TOL
    );
    say!(stdout_json,
        "columns (max/min over all alphas of the path): rel subopt = (P − P_ref)/P_ref; gap = certified f64 duality gap / (‖y‖²/n);"
    );
    say!(stdout_json,
        "  jaccard of supports {{j : |β_j| > {:.0e}·max|β_ref|}} (max over the reference path); |Δβ| = max|β − β_ref| / max|β_ref| (reported, not gated)",
        agreement::SUPPORT_REL
    );
    for prec in ["f64", "f32"] {
        if sel.variants.iter().any(|v| v.precision() == prec) {
            say!(
                stdout_json,
                "pass ({prec}): {}",
                agreement::thresholds(prec).describe()
            );
        }
    }
    say!(stdout_json,
        "  (gap gate = 10×tol; rel subopt gate = 1000×tol, since P_ref falls to ~1e-3·‖y‖²/n, the scale of tol, at small alphas; support: set equality up to the jaccard gate)"
    );
    if let Some(a) = &sel.adapter {
        say!(
            stdout_json,
            "gpu: {} ({}, {})",
            a.name,
            a.backend,
            a.device_type
        );
    }
    for (s, why) in &sel.skipped {
        say!(stdout_json, "skipped {s}: {why}");
    }
    say!(stdout_json,);
    say!(
        stdout_json,
        "{}",
        line([
            "dataset",
            "penalty",
            "solver",
            "rel subopt",
            "gap",
            "jaccard",
            "|Δβ|",
            "seconds",
            "status",
        ])
    );
    say!(
        stdout_json,
        "{}",
        "-".repeat(WIDTHS.iter().sum::<usize>() + 2 * 8 + 6)
    );

    let mut engine = Engine::default();
    let mut rows: Vec<Row> = Vec::new();
    for spec in datasets(args.quick) {
        let data = spec.generate()?;
        for penalty in penalties() {
            let (design, problem) = sweep::prepare(&data, penalty, n_alphas, eps)?;
            let reference = engine.run(
                &design,
                &problem,
                &SolverPlan::reference(args.sweep.place.threads),
            )?;
            let ref_gap = reference.worst_rel_gap();
            for &v in &sel.variants {
                let row = solve_case(
                    &mut engine,
                    &spec,
                    penalty,
                    v,
                    args,
                    (&design, &problem),
                    &reference,
                    ref_gap,
                );
                say!(
                    stdout_json,
                    "{}",
                    line([
                        &spec.label(true),
                        &row.penalty,
                        &v.name(),
                        &sci(row.max_rel_subopt),
                        &sci(row.max_gap),
                        &format!("{:.3}", row.min_support_jaccard),
                        &sci(row.max_coef_diff),
                        &format!("{:.3}", row.seconds),
                        &if row.failures.is_empty() {
                            "ok".to_string()
                        } else {
                            format!("FAIL: {}", row.failures.join(", "))
                        },
                    ])
                );
                rows.push(row);
            }
        }
    }
    let failed: Vec<&Row> = rows.iter().filter(|r| !r.failures.is_empty()).collect();
    if let Some(path) = &args.json {
        let file = CheckFile {
            schema: "regpath.check/1",
            quick: args.quick,
            n_alphas,
            eps,
            reference: format!("f64 cpu-cd at relative duality gap {:.0e}", REFERENCE_TOL),
            support: format!(
                "|beta_j| > {:.0e} * max over the reference path of |beta_ref|",
                agreement::SUPPORT_REL
            ),
            thresholds: vec![
                ("f64", agreement::thresholds("f64")),
                ("f32", agreement::thresholds("f32")),
            ],
            skipped: sel.skipped.clone(),
            adapter: sel.adapter.clone(),
            rows: &rows,
            failed: failed.len(),
        };
        let bytes = serde_json::to_vec_pretty(&file)?;
        if stdout_json {
            println!("{}", String::from_utf8_lossy(&bytes));
        } else {
            write_output(path, &bytes)?;
        }
    }
    say!(stdout_json,);
    say!(
        stdout_json,
        "{} cases, {} failed, {:.1} s",
        rows.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for r in &failed {
        say!(
            stdout_json,
            "FAILED {} {} {}/{}: {}",
            r.dataset,
            r.penalty,
            r.solver,
            r.precision,
            r.failures.join("; ")
        );
    }
    Ok(ExitCode::from(1))
}

/// Solves one case and judges it; a solver error is a failed case, not an aborted suite.
#[allow(clippy::too_many_arguments)]
fn solve_case(
    engine: &mut Engine,
    spec: &DataSpec,
    penalty: Penalty,
    v: Variant,
    args: &CheckArgs,
    (design, problem): (&regpath_core::Design, &regpath_core::Problem),
    reference: &PathRun,
    ref_gap: f64,
) -> Row {
    let mut row = Row {
        dataset: spec.label(true),
        penalty: penalty.name(),
        solver: v.kind.name().into(),
        precision: v.precision().into(),
        tol: f64::NAN,
        max_rel_subopt: f64::NAN,
        max_gap: f64::NAN,
        min_support_jaccard: f64::NAN,
        max_coef_diff: f64::NAN,
        reference_max_gap: ref_gap,
        seconds: f64::NAN,
        failures: Vec::new(),
    };
    if !agreement::at_most(ref_gap, agreement::REFERENCE_MAX_GAP) {
        row.failures.push(format!(
            "reference cpu-cd reached only gap {} (needs {:.0e})",
            sci(ref_gap),
            agreement::REFERENCE_MAX_GAP
        ));
    }
    let outcome = v
        .plan(
            args.sweep.place.adapter.as_deref(),
            args.sweep.place.threads,
        )
        .and_then(|plan| {
            row.tol = plan.tol;
            engine.run(design, problem, &plan)
        });
    match outcome {
        Ok(run) => {
            let m = agreement::measure(&run, reference);
            row.max_rel_subopt = m.agreement.max_rel_subopt;
            row.max_gap = m.agreement.max_gap;
            row.min_support_jaccard = m.agreement.min_support_jaccard;
            row.max_coef_diff = m.max_coef_diff;
            row.seconds = run.seconds;
            row.failures.extend(
                agreement::thresholds(v.precision()).failures(&m.agreement, penalty.l1_ratio),
            );
        }
        Err(e) => row.failures.push(format!("solver error: {e:#}")),
    }
    row
}
