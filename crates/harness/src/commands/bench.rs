//! `regpath bench`: times whole 100-alpha paths per solver over a suite of workloads (lasso paths,
//! logistic lasso paths, k-fold cross-validations along the lasso path), measures agreement with
//! a tight f64 cpu-cd reference on every case, and writes a results file (`regpath.results/1`)
//! after each case, so an interrupted sweep keeps what it measured.

use crate::agreement::{self, sci, Measured};
use crate::cli::SolverKind;
use crate::commands::cv::{self, CvRun};
use crate::engine::{Counters, Engine, PathRun};
use crate::error::input_error;
use crate::results::{self, Case, CvInfo, ProblemSpec, ResultsFile, Seconds};
use crate::sweep::{self, DataSpec, Variant};
use crate::table::Table;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use regpath_core::{Dataset, Design, Loss, Penalty, Problem};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// A few small cases (seconds on a CPU): lasso paths, a logistic lasso path on
    /// classification 200 × 100, 5-fold cross-validation of the gene 200 × 100 lasso path
    Quick,
    /// Regression data, n ∈ {100, 1000, 10000} × p ∈ {100, 1000, 5000}
    Standard,
    /// Gene-expression scale: lasso paths on AR(1) data with rho 0.5, n ∈ {100, 200, 1000} ×
    /// p = 20000; a logistic lasso path on classification 1000 × 10000; 5-fold
    /// cross-validation of the gene 200 × 20000 lasso path
    Gene,
    /// Tiny cases of every kind, for tests
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

    pub fn workloads(self) -> Vec<Workload> {
        match self {
            Suite::Tiny => vec![
                Workload::lasso(DataSpec::regression(40, 20)),
                Workload::lasso(DataSpec::gene(30, 60, 0.5)),
                Workload::logistic(DataSpec::classification(60, 40)),
                Workload::cv(DataSpec::gene(60, 20, 0.5), 5),
            ],
            Suite::Quick => vec![
                Workload::lasso(DataSpec::regression(100, 100)),
                Workload::lasso(DataSpec::regression(1000, 100)),
                Workload::lasso(DataSpec::regression(100, 500)),
                Workload::lasso(DataSpec::gene(200, 100, 0.5)),
                // n > p: the p ≫ n versions (200 × 500, 100 × 500) take minutes per run with
                // gpu-fista and cpu-fista on a software GPU (lavapipe).
                Workload::logistic(DataSpec::classification(200, 100)),
                Workload::cv(DataSpec::gene(200, 100, 0.5), 5),
            ],
            Suite::Standard => {
                let mut v = Vec::new();
                for n in [100, 1000, 10_000] {
                    for p in [100, 1000, 5000] {
                        v.push(Workload::lasso(DataSpec::regression(n, p)));
                    }
                }
                v
            }
            Suite::Gene => {
                let mut v: Vec<Workload> = [100, 200, 1000]
                    .into_iter()
                    .map(|n| Workload::lasso(DataSpec::gene(n, 20_000, 0.5)))
                    .collect();
                v.push(Workload::logistic(DataSpec::classification(1000, 10_000)));
                v.push(Workload::cv(DataSpec::gene(200, 20_000, 0.5), 5));
                v
            }
        }
    }
}

/// What a case times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// One path over the grid.
    Path,
    /// k-fold cross-validation along the path, as `regpath cv`: k contiguous folds each solved
    /// over the whole grid (the grid from all samples), then the refit on all samples down to
    /// alpha_min.
    Cv { folds: usize },
}

/// One workload of a suite: a dataset, a loss (always with the lasso penalty) and what is timed.
/// Every selected solver runs it, unless it cannot solve the loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub data: DataSpec,
    pub loss: Loss,
    pub task: Task,
}

/// Every path of a case runs on a geometric grid of this many alphas.
pub const N_ALPHAS: usize = 100;
/// The grid of squared-loss (lasso) paths ends at EPS · alpha_max.
pub const EPS: f64 = 1e-3;
/// The grid of logistic paths ends at LOGISTIC_EPS · alpha_max (glmnet's default when p > n):
/// further down, p ≫ n classification data are separable and the path only grows coefficients
/// toward a separating direction, at a rising cost that says little about the solvers.
pub const LOGISTIC_EPS: f64 = 1e-2;

impl Workload {
    pub fn lasso(data: DataSpec) -> Workload {
        Workload {
            data,
            loss: Loss::Squared,
            task: Task::Path,
        }
    }

    pub fn logistic(data: DataSpec) -> Workload {
        Workload {
            data,
            loss: Loss::Logistic,
            task: Task::Path,
        }
    }

    /// `folds`-fold cross-validation of the lasso path.
    pub fn cv(data: DataSpec, folds: usize) -> Workload {
        Workload {
            data,
            loss: Loss::Squared,
            task: Task::Cv { folds },
        }
    }

    pub fn eps(&self) -> f64 {
        match self.loss {
            Loss::Squared => EPS,
            Loss::Logistic => LOGISTIC_EPS,
        }
    }

    /// The first part of the case ids: `lasso`, `logistic` (the logistic lasso) or `cv5/lasso`.
    pub fn name(&self) -> String {
        let problem = match self.loss {
            Loss::Squared => "lasso",
            Loss::Logistic => "logistic",
        };
        match self.task {
            Task::Path => problem.to_string(),
            Task::Cv { folds } => format!("cv{folds}/{problem}"),
        }
    }

    /// `cv5/lasso/gene/n200/p20000`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.name(), self.data.label(false))
    }

    /// The stable id `compare` pairs cases by, e.g. `lasso/gene/n200/p20000/cpu-cd/f64`,
    /// `logistic/classification/n1000/p10000/gpu-fista/f32`, `cv5/lasso/gene/n200/p20000/cpu-cd/f64`.
    pub fn case_id(&self, v: Variant) -> String {
        format!("{}/{}/{}", self.label(), v.kind.name(), v.precision())
    }

    /// Why `solver` cannot run this workload (None: it can).
    pub fn unsupported(&self, solver: SolverKind) -> Option<&'static str> {
        match (self.loss, solver) {
            (Loss::Logistic, SolverKind::CpuFista) => Some(
                "cpu-fista solves squared loss only (logistic paths run on cpu-cd and gpu-fista)",
            ),
            (Loss::Logistic, SolverKind::GpuCd) => {
                Some("gpu-cd solves squared loss only (logistic paths run on cpu-cd and gpu-fista)")
            }
            _ => None,
        }
    }

    /// Progress units of one timed run: n·p per path solved (a cross-validation solves about
    /// `folds` paths' worth: folds on (k−1)/k of the samples, and the refit).
    fn weight(&self) -> u64 {
        let np = (self.data.n * self.data.p) as u64;
        match self.task {
            Task::Path => np,
            Task::Cv { folds } => np * folds as u64,
        }
    }

    fn problem_spec(&self) -> ProblemSpec {
        ProblemSpec {
            loss: match self.loss {
                Loss::Squared => "squared",
                Loss::Logistic => "logistic",
            }
            .into(),
            l1_ratio: 1.0,
            n_alphas: N_ALPHAS,
            eps: self.eps(),
        }
    }
}

/// One line per kind of workload in `workloads`, for the sweep's header.
fn describe(workloads: &[Workload]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in workloads {
        let line = match (w.loss, w.task) {
            (Loss::Squared, Task::Path) => format!(
                "lasso: paths of {N_ALPHAS} alphas down to {EPS:.0e}·alpha_max (intercept, columns as given)"
            ),
            (Loss::Logistic, Task::Path) => format!(
                "logistic: logistic lasso paths of {N_ALPHAS} alphas down to {LOGISTIC_EPS:.0e}·alpha_max (intercept, standardized columns)"
            ),
            (_, Task::Cv { folds }) => format!(
                "{}: {folds} contiguous folds × the {N_ALPHAS}-alpha path + refit on all samples down to alpha_min, timed without the f64 certification; agreement over the fold paths and the refit",
                w.name()
            ),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
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
    /// Run only the cases whose id contains one of these substrings (e.g. `logistic/,cv5/` or
    /// `n200/p20000`); with --resume the other cases already in --out are kept
    #[arg(long, value_delimiter = ',', value_name = "SUBSTR,...")]
    pub cases: Option<Vec<String>>,
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

    let workloads = args.suite.workloads();
    let wanted = |id: &str| match &args.cases {
        None => true,
        Some(pats) => pats
            .iter()
            .map(|p| p.trim())
            .any(|p| !p.is_empty() && id.contains(p)),
    };
    let mut todo: Vec<(usize, Variant)> = Vec::new();
    let mut unsupported: Vec<(String, &'static str)> = Vec::new();
    let mut resumed = 0;
    // Workloads with at least one case --cases selects.
    let mut selected = vec![false; workloads.len()];
    for (w, work) in workloads.iter().enumerate() {
        for &v in &sel.variants {
            let id = work.case_id(v);
            if !wanted(&id) {
                continue;
            }
            selected[w] = true;
            if let Some(why) = work.unsupported(v.kind) {
                unsupported.push((id, why));
            } else if args.resume && file.case(&id).is_some() {
                resumed += 1;
            } else {
                todo.push((w, v));
            }
        }
    }
    if let Some(pats) = &args.cases {
        if !selected.contains(&true) && !sel.variants.is_empty() {
            return Err(input_error(format!(
                "--cases {}: no case of suite {} with these solvers has an id containing any of them (ids look like {})",
                pats.join(","),
                args.suite.name(),
                workloads
                    .first()
                    .zip(sel.variants.first())
                    .map(|(w, &v)| w.case_id(v))
                    .unwrap_or_default()
            )));
        }
    }
    let workloads_run: Vec<Workload> = workloads
        .iter()
        .zip(&selected)
        .filter(|(_, &s)| s)
        .map(|(w, _)| w.clone())
        .collect();

    println!(
        "regpath bench --suite {}: one warm-up + {} timed run{} per case",
        args.suite.name(),
        args.runs,
        if args.runs == 1 { "" } else { "s" }
    );
    for line in describe(&workloads_run) {
        println!("  {line}");
    }
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
    print_skipped(&sel.skipped, &unsupported);
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

    let bar = progress_bar(&workloads, &todo, args.runs);
    let mut engine = Engine::default();
    let mut errors: Vec<(String, String)> = Vec::new();
    // The workload last prepared: its reference, or why it could not be built (not retried).
    let mut current: Option<(usize, std::result::Result<Prepared, String>)> = None;
    for &(w, v) in &todo {
        let work = &workloads[w];
        let id = work.case_id(v);
        let weight = work.weight();
        if current.as_ref().map(|c| c.0) != Some(w) {
            // Drop the previous reference before building the next one.
            drop(current.take());
            bar.set_message(format!("{} reference", work.label()));
            let prepared = prepare(&mut engine, work, args.threads).map_err(|e| format!("{e:#}"));
            bar.inc(2 * weight);
            current = Some((w, prepared));
        }
        let prep = match &current.as_ref().expect("prepared").1 {
            Ok(p) => p,
            Err(e) => {
                bar.inc(weight * (args.runs as u64 + 1));
                let e = format!("the reference failed: {e}");
                bar.suspend(|| eprintln!("{id}: failed: {e}"));
                errors.push((id, e));
                continue;
            }
        };
        bar.set_message(id.clone());
        match time_case(&mut engine, work, prep, v, args, &bar) {
            Ok(timed) => {
                let m = timed.measured;
                let case = Case {
                    id: id.clone(),
                    dataset: work.data.to_results(),
                    problem: work.problem_spec(),
                    solver: v.kind.name().into(),
                    precision: v.precision().into(),
                    seconds: timed.seconds,
                    agreement: m.agreement,
                    counters: timed.counters,
                    cv: timed.cv,
                };
                let fails = agreement::thresholds(v.precision()).failures(&m.agreement, 1.0);
                let seconds = timed.seconds;
                let chose = timed
                    .cv
                    .map(|c| {
                        format!(
                            "; alpha_min {} (reference {}), nnz {}",
                            sci3(c.alpha_min),
                            sci3(c.reference_alpha_min),
                            c.nnz_at_alpha_min
                        )
                    })
                    .unwrap_or_default();
                bar.suspend(|| {
                    println!(
                        "{id}: median {:.4} s (min {:.4}, max {:.4}); rel subopt {}, gap {}, jaccard {:.3}{chose}{}",
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
    drop(current);
    bar.finish_and_clear();

    if let Some(peers) = &args.peers {
        // Peers solve lasso paths only.
        let datasets: Vec<DataSpec> = workloads_run
            .iter()
            .filter(|w| w.loss == Loss::Squared && w.task == Task::Path)
            .map(|w| w.data.clone())
            .collect();
        crate::peers::run(peers, &datasets, args.threads)?;
    }

    println!();
    print!("{}", summary(&file, &workloads, &sel.variants));
    print_skipped(&sel.skipped, &unsupported);
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

/// Solvers left out of the sweep (no adapter, no f64) and cases a solver cannot run (its loss):
/// reported, not failures.
fn print_skipped(solvers: &[(String, String)], cases: &[(String, &'static str)]) {
    for (s, why) in solvers {
        println!("skipped {s}: {why}");
    }
    for (id, why) in cases {
        println!("skipped {id}: {why}");
    }
}

/// `4.033e-1`.
fn sci3(v: f64) -> String {
    format!("{v:.3e}")
}

/// A workload's data, problem and reference, built once for all its solvers.
enum Prepared {
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

fn prepare(engine: &mut Engine, work: &Workload, threads: Option<usize>) -> Result<Prepared> {
    let data = work.data.generate()?;
    let (design, problem) =
        sweep::prepare_loss(&data, work.loss, Penalty::LASSO, N_ALPHAS, work.eps())?;
    let plan = sweep::reference_plan(threads);
    let (prepared, worst) = match work.task {
        Task::Path => {
            let reference = engine.run(&design, &problem, &plan)?;
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
            let options = sweep::design_options(work.loss);
            let reference = cv::cross_validate_data(
                &data,
                options,
                &problem,
                &plan,
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
struct Timed {
    seconds: Seconds,
    measured: Measured,
    counters: Counters,
    cv: Option<CvInfo>,
}

/// One warm-up, then `runs` timed runs; agreement and counters of the last run.
fn time_case(
    engine: &mut Engine,
    work: &Workload,
    prep: &Prepared,
    v: Variant,
    args: &BenchArgs,
    bar: &ProgressBar,
) -> Result<Timed> {
    let plan = v.plan(args.adapter.as_deref(), args.threads)?;
    let weight = work.weight();
    let mut times = Vec::with_capacity(args.runs);
    match prep {
        Prepared::Path {
            design,
            problem,
            reference,
        } => {
            let mut last = engine.run(design, problem, &plan)?;
            bar.inc(weight);
            for _ in 0..args.runs {
                last = engine.run(design, problem, &plan)?;
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
            let options = sweep::design_options(work.loss);
            let cross_validate = |engine: &mut Engine| {
                let hidden = ProgressBar::hidden();
                cv::cross_validate_data(
                    data, options, problem, &plan, *folds, engine, true, &hidden,
                )
            };
            let mut last = cross_validate(engine)?;
            bar.inc(weight);
            for _ in 0..args.runs {
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

/// Progress in units of n·p per path solve (the reference counts twice), so the ETA follows the sizes.
fn progress_bar(workloads: &[Workload], todo: &[(usize, Variant)], runs: usize) -> ProgressBar {
    let mut total = 0u64;
    let mut last = None;
    for &(w, _) in todo {
        let weight = workloads[w].weight();
        if last != Some(w) {
            total += 2 * weight;
            last = Some(w);
        }
        total += weight * (runs as u64 + 1);
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

/// The summary table: every case of the file in sweep order, with the speedup over cpu-cd on the
/// same workload.
fn summary(file: &ResultsFile, workloads: &[Workload], variants: &[Variant]) -> String {
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
    for work in workloads {
        for &v in variants {
            if work.unsupported(v.kind).is_none() {
                ids.push(work.case_id(v));
            }
        }
    }
    for c in &file.cases {
        if !ids.contains(&c.id) {
            ids.push(c.id.clone());
        }
    }
    let mut notes = Vec::new();
    for id in &ids {
        let Some(c) = file.case(id) else { continue };
        let speedup = file
            .case(&c.baseline_id())
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
        if let Some(cv) = &c.cv {
            if cv.alpha_min != cv.reference_alpha_min {
                notes.push(format!(
                    "note: {id} chose alpha_min {}, the reference cross-validation {}",
                    sci3(cv.alpha_min),
                    sci3(cv.reference_alpha_min)
                ));
            }
        }
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
    if file.cases.iter().any(|c| c.cv.is_some()) {
        out.push_str("cross-validation cases: seconds exclude the f64 certification; agreement covers every fold path and the refit\n");
    }
    for n in notes {
        out.push_str(&n);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_are_distinct_and_keep_the_lasso_form() {
        let v = Variant {
            kind: SolverKind::CpuCd,
            f64: true,
        };
        for suite in [Suite::Tiny, Suite::Quick, Suite::Standard, Suite::Gene] {
            let ids: Vec<String> = suite.workloads().iter().map(|w| w.case_id(v)).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{ids:?}");
        }
        let gene: Vec<String> = Suite::Gene
            .workloads()
            .iter()
            .map(|w| w.case_id(v))
            .collect();
        assert_eq!(
            gene,
            [
                "lasso/gene/n100/p20000/cpu-cd/f64",
                "lasso/gene/n200/p20000/cpu-cd/f64",
                "lasso/gene/n1000/p20000/cpu-cd/f64",
                "logistic/classification/n1000/p10000/cpu-cd/f64",
                "cv5/lasso/gene/n200/p20000/cpu-cd/f64",
            ]
        );
    }

    #[test]
    fn logistic_skips_the_squared_loss_only_solvers() {
        let w = Workload::logistic(DataSpec::classification(20, 10));
        assert!(w.unsupported(SolverKind::CpuCd).is_none());
        assert!(w.unsupported(SolverKind::GpuFista).is_none());
        assert!(w.unsupported(SolverKind::GpuCd).is_some());
        assert!(w.unsupported(SolverKind::CpuFista).is_some());
        let cv = Workload::cv(DataSpec::gene(20, 10, 0.5), 5);
        assert!([
            SolverKind::CpuCd,
            SolverKind::CpuFista,
            SolverKind::GpuCd,
            SolverKind::GpuFista
        ]
        .iter()
        .all(|&k| cv.unsupported(k).is_none()));
        assert_eq!(w.problem_spec().loss, "logistic");
        assert_eq!(w.problem_spec().eps, LOGISTIC_EPS);
        assert_eq!(cv.problem_spec().eps, EPS);
    }
}
