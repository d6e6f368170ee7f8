//! `regpath bench`: times whole 100-alpha lasso paths per solver over a sweep of sizes, measures
//! agreement with a tight f64 cpu-cd reference on every case, and writes a results file
//! (`regpath.results/1`) after each case, so an interrupted sweep keeps what it measured.

use crate::agreement::{self, sci};
use crate::engine::Engine;
use crate::error::input_error;
use crate::results::{self, Case, ProblemSpec, ResultsFile, Seconds};
use crate::sweep::{self, DataSpec, Variant};
use crate::table::Table;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use regpath_core::Penalty;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// A few small cases (seconds on a CPU)
    Quick,
    /// Regression data, n ∈ {100, 1000, 10000} × p ∈ {100, 1000, 5000}
    Standard,
    /// Gene-expression scale: AR(1) data with rho 0.5, n ∈ {100, 200, 1000} × p = 20000
    Gene,
    /// Two tiny cases, for tests
    #[value(hide = true)]
    Tiny,
}

impl Suite {
    pub fn name(self) -> &'static str {
        match self {
            Suite::Quick => "quick",
            Suite::Standard => "standard",
            Suite::Gene => "gene",
            Suite::Tiny => "tiny",
        }
    }

    fn datasets(self) -> Vec<DataSpec> {
        match self {
            Suite::Tiny => vec![DataSpec::regression(40, 20), DataSpec::gene(30, 60, 0.5)],
            Suite::Quick => vec![
                DataSpec::regression(100, 100),
                DataSpec::regression(1000, 100),
                DataSpec::regression(100, 500),
                DataSpec::gene(200, 100, 0.5),
            ],
            Suite::Standard => {
                let mut v = Vec::new();
                for n in [100, 1000, 10_000] {
                    for p in [100, 1000, 5000] {
                        v.push(DataSpec::regression(n, p));
                    }
                }
                v
            }
            Suite::Gene => [100, 200, 1000]
                .into_iter()
                .map(|n| DataSpec::gene(n, 20_000, 0.5))
                .collect(),
        }
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    #[arg(long, value_enum)]
    pub suite: Suite,
    /// Solvers to time, e.g. cpu-cd,gpu-cd/f32 (default: all; a GPU solver without /f32 or /f64
    /// runs in both where the adapter has them; GPU ones are skipped without an adapter)
    #[arg(long, value_delimiter = ',')]
    pub solvers: Option<Vec<String>>,
    /// Results file, rewritten atomically after each case (e.g. results/gene-cpu.json)
    #[arg(long, value_name = "F.json")]
    pub out: Option<PathBuf>,
    /// Keep the cases already in --out and run only the missing ones
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Timed runs per case after one warm-up run
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// CPU threads for the CPU solvers (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// GPU adapter by index or name (see `regpath devices`)
    #[arg(long)]
    pub adapter: Option<String>,
    /// Also time and certify other libraries' paths (sklearn, glmnet) through scripts/peers.py
    /// when python3 and the packages are installed (not written to the results file)
    #[arg(long, value_delimiter = ',')]
    pub peers: Option<Vec<String>>,
}

/// Every timed case is a lasso path on this grid.
pub const N_ALPHAS: usize = 100;
pub const EPS: f64 = 1e-3;

/// The stable id `compare` pairs cases by, e.g. `lasso/gene/n200/p20000/cpu-cd/f64`.
pub fn case_id(spec: &DataSpec, v: Variant) -> String {
    format!(
        "lasso/{}/{}/{}",
        spec.label(false),
        v.kind.name(),
        v.precision()
    )
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    sweep::check_threads(args.threads)?;
    if args.runs == 0 {
        return Err(input_error("--runs must be at least 1"));
    }
    if let Some(out) = &args.out {
        sweep::check_writable(out)?;
    }
    if let Some(peers) = &args.peers {
        crate::peers::validate(peers)?;
    }
    let sel = sweep::select(args.solvers.as_deref(), args.adapter.as_deref())?;
    let threads = args.threads.unwrap_or_else(rayon::current_num_threads);
    // The adapter of the GPU solvers (null when the sweep runs none).
    let environment = results::environment(threads, sel.adapter.clone());

    let mut file = match (&args.out, args.resume) {
        (Some(out), true) if out.exists() => {
            let f = results::read(out)?;
            if f.suite != args.suite.name() {
                return Err(input_error(format!(
                    "--resume: {} holds suite {:?}, not {:?}; pass another --out",
                    out.display(),
                    f.suite,
                    args.suite.name()
                )));
            }
            if f.environment.cpu != environment.cpu || f.environment.adapter != environment.adapter
            {
                eprintln!(
                    "warning: --resume: {} was measured on another machine (cpu {:?}, adapter {:?}); new cases are timed here",
                    out.display(),
                    f.environment.cpu,
                    f.environment.adapter.as_ref().map(|a| a.name.as_str())
                );
            }
            f
        }
        _ => ResultsFile::new(args.suite.name(), environment),
    };

    let datasets = args.suite.datasets();
    let mut todo: Vec<(usize, Variant)> = Vec::new();
    let mut resumed = 0;
    for (d, spec) in datasets.iter().enumerate() {
        for &v in &sel.variants {
            if args.resume && file.case(&case_id(spec, v)).is_some() {
                resumed += 1;
            } else {
                todo.push((d, v));
            }
        }
    }

    println!(
        "regpath bench --suite {}: lasso paths of {N_ALPHAS} alphas (eps {EPS:.0e}), one warm-up + {} timed run{} per case",
        args.suite.name(),
        args.runs,
        if args.runs == 1 { "" } else { "s" }
    );
    println!(
        "solvers at their default tol (f64 1e-7, f32 1e-5); agreement vs f64 cpu-cd at tol {:.0e}; cpu threads: {threads}",
        agreement::REFERENCE_TOL
    );
    if let Some(a) = &sel.adapter {
        println!(
            "gpu: {} ({}, {}, {})",
            a.name, a.backend, a.device_type, a.driver
        );
    }
    for (s, why) in &sel.skipped {
        println!("skipped {s}: {why}");
    }
    if resumed > 0 {
        println!(
            "resuming: {resumed} finished case{} kept from the results file",
            if resumed == 1 { "" } else { "s" }
        );
    }
    if let Some(out) = &args.out {
        // The file exists (with its environment) from the start of the sweep.
        file.write(out)?;
    }

    let bar = progress_bar(&datasets, &todo, args.runs);
    let mut engine = Engine::default();
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut current: Option<(usize, Prepared)> = None;
    for &(d, v) in &todo {
        let spec = &datasets[d];
        let id = case_id(spec, v);
        let weight = (spec.n * spec.p) as u64;
        if current.as_ref().map(|c| c.0) != Some(d) {
            bar.set_message(format!("{} reference", spec.label(false)));
            match prepare(&mut engine, spec, args.threads) {
                Ok(p) => current = Some((d, p)),
                Err(e) => {
                    bar.inc(weight * (args.runs as u64 + 1));
                    errors.push((id, format!("{e:#}")));
                    current = None;
                    continue;
                }
            }
            bar.inc(2 * weight);
        }
        let prep = &current.as_ref().expect("prepared").1;
        bar.set_message(id.clone());
        match time_case(&mut engine, prep, v, args, &bar, weight) {
            Ok((seconds, run)) => {
                let m = agreement::measure(&run, &prep.reference);
                let case = Case {
                    id: id.clone(),
                    dataset: spec.to_results(),
                    problem: ProblemSpec {
                        loss: "squared".into(),
                        l1_ratio: 1.0,
                        n_alphas: N_ALPHAS,
                        eps: EPS,
                    },
                    solver: v.kind.name().into(),
                    precision: v.precision().into(),
                    seconds,
                    agreement: m.agreement,
                    counters: run.counters,
                };
                let fails = agreement::thresholds(v.precision()).failures(&m.agreement, 1.0);
                bar.suspend(|| {
                    println!(
                        "{id}: median {:.4} s (min {:.4}, max {:.4}); rel subopt {}, gap {}, jaccard {:.3}{}",
                        seconds.median,
                        seconds.min,
                        seconds.max,
                        sci(m.agreement.max_rel_subopt),
                        sci(m.agreement.max_gap),
                        m.agreement.min_support_jaccard,
                        if fails.is_empty() { String::new() } else { format!("  DISAGREES: {}", fails.join(", ")) }
                    )
                });
                file.cases.retain(|c| c.id != id);
                file.cases.push(case);
                if let Some(out) = &args.out {
                    file.write(out)?;
                }
            }
            Err(e) => {
                bar.suspend(|| eprintln!("{id}: failed: {e:#}"));
                errors.push((id, format!("{e:#}")));
            }
        }
    }
    bar.finish_and_clear();

    if let Some(peers) = &args.peers {
        crate::peers::run(peers, &datasets, args.threads)?;
    }

    println!();
    print!("{}", summary(&file, &datasets, &sel.variants));
    for (s, why) in &sel.skipped {
        println!("skipped {s}: {why}");
    }
    if let Some(out) = &args.out {
        println!("wrote {} ({} cases)", out.display(), file.cases.len());
    }
    if errors.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for (id, e) in &errors {
        println!("FAILED {id}: {e}");
    }
    Ok(ExitCode::from(1))
}

/// A dataset's design, problem and reference path, built once for all its solvers.
struct Prepared {
    design: regpath_core::Design,
    problem: regpath_core::Problem,
    reference: crate::engine::PathRun,
}

fn prepare(engine: &mut Engine, spec: &DataSpec, threads: Option<usize>) -> Result<Prepared> {
    let data = spec.generate()?;
    let (design, problem) = sweep::prepare(&data, Penalty::LASSO, N_ALPHAS, EPS)?;
    let reference = engine.run(&design, &problem, &sweep::reference_plan(threads))?;
    if !agreement::at_most(reference.worst_rel_gap(), agreement::REFERENCE_MAX_GAP) {
        eprintln!(
            "warning: {}: the cpu-cd reference reached only gap {}; agreement numbers are bounded by it",
            spec.label(false),
            sci(reference.worst_rel_gap())
        );
    }
    Ok(Prepared {
        design,
        problem,
        reference,
    })
}

/// One warm-up, then `runs` timed solves; returns the times and the last run.
fn time_case(
    engine: &mut Engine,
    prep: &Prepared,
    v: Variant,
    args: &BenchArgs,
    bar: &ProgressBar,
    weight: u64,
) -> Result<(Seconds, crate::engine::PathRun)> {
    let plan = v.plan(args.adapter.as_deref(), args.threads)?;
    let mut last = engine.run(&prep.design, &prep.problem, &plan)?;
    bar.inc(weight);
    let mut times = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        last = engine.run(&prep.design, &prep.problem, &plan)?;
        times.push(last.seconds);
        bar.inc(weight);
    }
    Ok((Seconds::of(&times), last))
}

/// Progress in units of n·p per solve (the reference counts twice), so the ETA follows the sizes.
fn progress_bar(datasets: &[DataSpec], todo: &[(usize, Variant)], runs: usize) -> ProgressBar {
    let mut total = 0u64;
    let mut last = None;
    for &(d, _) in todo {
        let w = (datasets[d].n * datasets[d].p) as u64;
        if last != Some(d) {
            total += 2 * w;
            last = Some(d);
        }
        total += w * (runs as u64 + 1);
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta}  {msg}",
        )
        .expect("valid template"),
    );
    bar
}

/// The summary table: every case of the file in sweep order, with the speedup over cpu-cd.
fn summary(file: &ResultsFile, datasets: &[DataSpec], variants: &[Variant]) -> String {
    let mut t = Table::new(
        &[
            "case",
            "median s",
            "min s",
            "max s",
            "vs cpu-cd",
            "rel subopt",
            "gap",
            "jaccard",
            "agreement",
        ],
        1,
    )
    .left_align_last();
    let mut ids: Vec<String> = Vec::new();
    for spec in datasets {
        for &v in variants {
            ids.push(case_id(spec, v));
        }
    }
    for c in &file.cases {
        if !ids.contains(&c.id) {
            ids.push(c.id.clone());
        }
    }
    for id in &ids {
        let Some(c) = file.case(id) else { continue };
        let base_id = format!(
            "lasso/{}/n{}/p{}/cpu-cd/f64",
            c.dataset.kind, c.dataset.n, c.dataset.p
        );
        let speedup = file
            .case(&base_id)
            .map(|b| crate::table::speedup(b.seconds.median / c.seconds.median))
            .unwrap_or_else(|| "-".into());
        let fails = agreement::thresholds(&c.precision).failures(&c.agreement, c.problem.l1_ratio);
        t.row(vec![
            c.id.clone(),
            format!("{:.4}", c.seconds.median),
            format!("{:.4}", c.seconds.min),
            format!("{:.4}", c.seconds.max),
            speedup,
            sci(c.agreement.max_rel_subopt),
            sci(c.agreement.max_gap),
            format!("{:.3}", c.agreement.min_support_jaccard),
            if fails.is_empty() {
                "ok".into()
            } else {
                "FAIL".into()
            },
        ]);
    }
    if t.is_empty() {
        return "no cases\n".into();
    }
    let mut out = t.render();
    for prec in ["f64", "f32"] {
        if file.cases.iter().any(|c| c.precision == prec) {
            out.push_str(&format!(
                "agreement ({prec}): {}\n",
                agreement::thresholds(prec).describe()
            ));
        }
    }
    out
}
