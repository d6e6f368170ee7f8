//! `regpath bench`: times whole 100-alpha paths per solver over a suite of workloads (lasso paths,
//! logistic lasso paths, k-fold cross-validations along the lasso path) at a ladder of
//! tolerances, measures each point's certified accuracy against a tight f64 cpu-cd reference,
//! prints the time to reach each accuracy level, and writes a results file
//! (`regpath.results/2`) after each case, so an interrupted sweep keeps what it measured.

use crate::agreement;
use crate::cli::{BenchArgs, HeaderArg, LossKind};
use crate::engine::Engine;
use crate::error::input_error;
use crate::fmt::{sci, sci3, speedup};
use crate::output::check_outputs;
use crate::report::export::matched_cell;
use crate::results::{self, Case, ResultsFile, LEVELS};
use crate::solver::{check_threads, Precision, REFERENCE_TOL};
use crate::sweep::suite_file::SuiteFile;
use crate::sweep::suites::{describe, Task, Workload};
use crate::sweep::timing::{ladder_tols, prepare, time_case, Prepared};
use crate::sweep::{self, DataSpec, Variant};
use crate::table::Table;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::process::ExitCode;

/// Timed runs per case and tolerance when `--runs` is not given.
const DEFAULT_RUNS: usize = 3;

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    check_threads(args.sweep.place.threads)?;
    let runs = args.runs.unwrap_or(DEFAULT_RUNS);
    if runs == 0 {
        return Err(input_error("--runs must be at least 1"));
    }
    if let Some(t) = args
        .tols
        .iter()
        .flatten()
        .find(|t| !(t.is_finite() && **t > 0.0))
    {
        return Err(input_error(format!(
            "--tols: every tolerance must be finite and > 0, got {t}"
        )));
    }
    if args.tols.as_ref().is_some_and(Vec::is_empty) {
        return Err(input_error("--tols: the list is empty"));
    }
    if let Some(out) = &args.out {
        check_outputs([out.as_path()])?;
    }
    if let Some(peers) = &args.peers {
        crate::peers::validate(peers)?;
    }
    let model = args
        .model
        .as_deref()
        .map(crate::model::resolve)
        .transpose()?;
    let (suite, workloads, suite_file) = workloads(args)?;
    let suite = suite.as_str();
    let sel = match &suite_file {
        Some(f) => sweep::select(f.solvers.as_deref(), args.sweep.place.adapter.as_deref())
            .map_err(|e| {
                if e.is::<crate::error::InputError>() {
                    input_error(format!("{}: key `solvers`: {e:#}", f.solvers_at))
                } else {
                    e
                }
            })?,
        None => sweep::select(
            args.sweep.solvers.as_deref(),
            args.sweep.place.adapter.as_deref(),
        )?,
    };
    // --tols, else the suite file's, else each precision's default ladder
    let tols: Option<Vec<f64>> = args
        .tols
        .clone()
        .or_else(|| suite_file.as_ref().and_then(|f| f.tols.clone()));
    sel.require_some()?;
    if let (Some(out), false) = (&args.out, args.resume) {
        check_replaceable(out, suite)?;
    }
    let threads = args
        .sweep
        .place
        .threads
        .unwrap_or_else(rayon::current_num_threads);
    // The adapter of the GPU solvers (null when the sweep runs none).
    let environment = results::environment(threads, sel.adapter.clone());

    let mut file = match (&args.out, args.resume) {
        (Some(out), true) if out.exists() => {
            let f = results::read(out)?;
            if f.suite != suite {
                return Err(input_error(format!(
                    "--resume: {} holds suite {:?}, not {:?}; pass another --out",
                    out.display(),
                    f.suite,
                    suite
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
        _ => ResultsFile::new(suite, environment),
    };

    let shard = args.shard.as_deref().map(sweep::parse_shard).transpose()?;
    let in_shard = |id: &str| shard.is_none_or(|(k, n)| sweep::shard_of(id, n) == k);
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
            if !wanted(&id) || !in_shard(&id) {
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
    let peers = match &args.peers {
        Some(p) => crate::peers::validate(p)?,
        None => Vec::new(),
    };
    let mut jobs: Vec<(usize, Job)> = todo.iter().map(|&(w, v)| (w, Job::Solver(v))).collect();
    for (w, work) in workloads.iter().enumerate() {
        for &peer in &peers {
            let id = work.peer_case_id(peer);
            if !wanted(&id) || !in_shard(&id) {
                continue;
            }
            selected[w] = true;
            if let Some(why) = work.peer_unsupported() {
                unsupported.push((id, why));
            } else if args.resume && file.case(&id).is_some() {
                resumed += 1;
            } else {
                jobs.push((w, Job::Peer(peer)));
            }
        }
    }
    // workload by workload, so each one's reference is built once for its solvers and peers
    jobs.sort_by_key(|j| j.0);
    if let (Some(pats), None) = (&args.cases, shard) {
        if !selected.contains(&true) && !sel.variants.is_empty() {
            return Err(input_error(format!(
                "--cases {}: no case of suite {} with these solvers has an id containing any of them (ids look like {})",
                pats.join(","),
                suite,
                workloads
                    .first()
                    .zip(sel.variants.first())
                    .map(|(w, &v)| w.case_id(v))
                    .unwrap_or_default()
            )));
        }
    }
    if let Some(base) = &args.ab {
        let cases: Vec<(&Workload, Variant)> =
            todo.iter().map(|&(w, v)| (&workloads[w], v)).collect();
        print_skipped(&sel.skipped, &unsupported);
        return super::ab::run(args, base, &cases);
    }
    let workloads_run: Vec<Workload> = workloads
        .iter()
        .zip(&selected)
        .filter(|(_, &s)| s)
        .map(|(w, _)| w.clone())
        .collect();

    println!(
        "regpath bench --suite {}: one warm-up + {} timed run{} per case and tolerance",
        suite,
        runs,
        if runs == 1 { "" } else { "s" }
    );
    for line in describe(&workloads_run) {
        println!("  {line}");
    }
    println!(
        "tolerance ladders: f64 {}, f32 {} (cross-validations at the default tol only; headline times at the default tol, f64 1e-7, f32 1e-5); accuracy vs f64 cpu-cd at tol {:.0e}; cpu threads: {threads}",
        ladder_text(&ladder(&tols, Precision::F64)),
        ladder_text(&ladder(&tols, Precision::F32)),
        REFERENCE_TOL
    );
    if !peers.is_empty() {
        let mut losses: Vec<regpath_core::Loss> = Vec::new();
        for w in &workloads_run {
            if !losses.contains(&w.loss) {
                losses.push(w.loss);
            }
        }
        let mut ladders: Vec<String> = Vec::new();
        for &p in &peers {
            for &loss in &losses {
                let (tols, default) = crate::peers::ladder(p, loss);
                let of = match (losses.len(), loss) {
                    (1, _) => "",
                    (_, regpath_core::Loss::Squared) => " (squared)",
                    (_, regpath_core::Loss::Logistic) => " (logistic)",
                };
                let text = format!("{p}{of} {} (headline {default:.0e})", ladder_text(tols));
                if !ladders.contains(&text) {
                    ladders.push(text);
                }
            }
        }
        println!(
            "peers: {}; paths (lasso, or the elastic net for squared loss) on the same design and alphas (sparse X handed over sparse), certified here like regpath's points, stored as cases; compare reports them but never gates them",
            ladders.join(", ")
        );
    }
    if let Some(a) = &sel.adapter {
        println!(
            "gpu: {} ({}, {}, {})",
            a.name, a.backend, a.device_type, a.driver
        );
    }
    print_skipped(&sel.skipped, &unsupported);
    if let Some((k, n)) = shard {
        println!(
            "shard {k}/{n}: {} case{} of this slice to run (the other slices hold the rest; `regpath merge` joins their files)",
            todo.len(),
            if todo.len() == 1 { "" } else { "s" }
        );
    }
    if resumed > 0 {
        println!(
            "resuming: {resumed} finished case{} kept from the results file",
            if resumed == 1 { "" } else { "s" }
        );
    }
    if let Some(out) = &args.out {
        // The file exists (with its environment) from the start of the sweep.
        if args.resume {
            file.write_merged(out)?;
        } else {
            file.write(out)?;
        }
    }

    let bar = progress_bar(&workloads, &todo, &tols, runs);
    let mut engine = Engine::default();
    let mut errors: Vec<(String, String)> = Vec::new();
    // The workload last prepared: its reference, or why it could not be built (not retried).
    let mut current: Option<(usize, std::result::Result<Prepared, String>)> = None;
    // The peers' runner (None until a peer runs), or why none can run here.
    let mut runner: Option<std::result::Result<crate::peers::Runner, String>> = None;
    // Peers that could not run (not installed, failed), with the reason: not retried.
    let mut peer_notes: Vec<(String, String)> = Vec::new();
    for &(w, job) in &jobs {
        let work = &workloads[w];
        let id = match job {
            Job::Solver(v) => work.case_id(v),
            Job::Peer(peer) => work.peer_case_id(peer),
        };
        if let Job::Peer(peer) = job {
            if peer_notes.iter().any(|(p, _)| p == peer) {
                continue;
            }
            if runner
                .get_or_insert_with(crate::peers::Runner::new)
                .is_err()
            {
                continue;
            }
        }
        let weight = work.weight();
        if current.as_ref().map(|c| c.0) != Some(w) {
            // Drop the previous reference before building the next one.
            drop(current.take());
            bar.set_message(format!("{} reference", work.label()));
            let prepared =
                prepare(&mut engine, work, args.sweep.place.threads).map_err(|e| format!("{e:#}"));
            bar.inc(2 * weight);
            current = Some((w, prepared));
        }
        let prep = match &current.as_ref().expect("prepared").1 {
            Ok(p) => p,
            Err(e) => {
                bar.inc(weight * (runs as u64 + 1));
                let e = format!("the reference failed: {e}");
                bar.suspend(|| eprintln!("{id}: failed: {e}"));
                errors.push((id, e));
                continue;
            }
        };
        bar.set_message(id.clone());
        let v = match job {
            Job::Solver(v) => v,
            Job::Peer(peer) => {
                let Some(Ok(runner)) = &runner else {
                    unreachable!("checked above")
                };
                match time_peer(
                    runner,
                    peer,
                    work,
                    prep,
                    runs,
                    args.sweep.place.threads,
                    &id,
                ) {
                    Ok(case) => {
                        bar.suspend(|| println!("{}", peer_line(&case)));
                        file.cases.retain(|c| c.id != id);
                        file.cases.push(case);
                        save(&mut file, args)?;
                    }
                    Err(e) => peer_notes.push((peer.to_string(), format!("{e:#}"))),
                }
                continue;
            }
        };
        let timed = v
            .plan(
                args.sweep.place.adapter.as_deref(),
                args.sweep.place.threads,
            )
            .and_then(|plan| {
                let tols = ladder(&tols, v.precision);
                time_case(&mut engine, work, prep, &plan, runs, &tols, &bar)
            });
        match timed {
            Ok(timed) => {
                let m = timed.measured;
                let case = Case {
                    id: id.clone(),
                    dataset: work.dataset_spec(),
                    problem: work.problem_spec(),
                    solver: v.kind.name().into(),
                    precision: v.precision().into(),
                    seconds: timed.seconds,
                    agreement: m.agreement,
                    counters: timed.counters,
                    cv: timed.cv,
                    ladder: timed.ladder,
                    version: None,
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
                    );
                    if let (Some(profile), true) = (&model, v.kind.is_gpu()) {
                        let line = crate::model::describe(profile, &case.counters, v.precision);
                        println!("    {line}");
                    }
                });
                file.cases.retain(|c| c.id != id);
                file.cases.push(case);
                save(&mut file, args)?;
            }
            Err(e) => {
                bar.suspend(|| eprintln!("{id}: failed: {e:#}"));
                errors.push((id, format!("{e:#}")));
            }
        }
    }
    drop(current);
    bar.finish_and_clear();

    println!();
    print!("{}", summary(&file, &workloads, &sel.variants));
    print_skipped(&sel.skipped, &unsupported);
    if let Some(Err(why)) = &runner {
        println!("peers skipped: {why}; the other cases ran");
    }
    for (peer, why) in &peer_notes {
        println!("peer {peer} skipped: {why}");
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

/// What the sweep runs on a workload: one of regpath's solvers, or a peer library.
#[derive(Clone, Copy, Debug)]
enum Job {
    Solver(Variant),
    Peer(&'static str),
}

/// Writes the results file after a case (merged with other writers under `--resume`).
fn save(file: &mut ResultsFile, args: &BenchArgs) -> Result<()> {
    match (&args.out, args.resume) {
        (Some(out), true) => file.write_merged(out),
        (Some(out), false) => file.write(out),
        (None, _) => Ok(()),
    }
}

/// Runs `peer` across its ladder on a prepared path workload (see `Workload::peer_unsupported`): its case, certified
/// against the workload's reference (the headline point is the peer's default tolerance).
fn time_peer(
    runner: &crate::peers::Runner,
    peer: &str,
    work: &Workload,
    prep: &Prepared,
    runs: usize,
    threads: Option<usize>,
    id: &str,
) -> Result<Case> {
    let Prepared::Path {
        design,
        problem,
        reference,
    } = prep
    else {
        return Err(anyhow::anyhow!("{id}: peers run paths only"));
    };
    let timed = runner.time(peer, design, problem, reference, runs, threads)?;
    let head = &timed.ladder[timed.headline];
    Ok(Case {
        id: id.to_string(),
        dataset: work.dataset_spec(),
        problem: work.problem_spec(),
        solver: peer.into(),
        precision: "f64".into(),
        seconds: head.seconds,
        agreement: timed.agreement,
        counters: head.counters,
        cv: None,
        ladder: timed.ladder,
        version: Some(timed.version),
    })
}

/// One line per peer case as it finishes: its version and each ladder point.
fn peer_line(c: &Case) -> String {
    let points: Vec<String> = c
        .ladder
        .iter()
        .map(|p| {
            format!(
                "tol {:.0e}: {:.4} s, rel subopt {}",
                p.tol,
                p.seconds.median,
                sci(p.max_rel_subopt)
            )
        })
        .collect();
    format!(
        "{} ({} {}, certified here): {}",
        c.id,
        c.solver,
        c.version.as_deref().unwrap_or("?"),
        points.join("; ")
    )
}

/// The suite's name and workloads: a built-in suite, a suite file (returned too, for its
/// solvers and tolerances), or suite `user` with one lasso path on `--x`/`--y`.
fn workloads(args: &BenchArgs) -> Result<(String, Vec<Workload>, Option<SuiteFile>)> {
    if let Some(path) = &args.suite_file {
        let f = crate::sweep::suite_file::read(path)?;
        return Ok((f.name.clone(), f.workloads.clone(), Some(f)));
    }
    match (&args.suite, &args.x, &args.y) {
        (Some(s), _, _) => Ok((s.name().to_string(), s.workloads(), None)),
        (None, Some(x), Some(y)) => {
            let data = DataSpec::files(x, y, args.header.map(HeaderArg::rule))?;
            let loss = match args.loss {
                LossKind::Squared => regpath_core::Loss::Squared,
                LossKind::Logistic => regpath_core::Loss::Logistic,
            };
            // the design this loss needs (labels 0/1 for logistic loss, X within f64 once
            // standardized), checked before any work
            let data_set = data.generate()?;
            if loss == regpath_core::Loss::Logistic {
                regpath_core::data::check_binary_labels(&data_set.y.to_vec(), true)
                    .map_err(|e| input_error(format!("{}: {e}", y.display())))?;
            }
            sweep::checked_design(&data_set, sweep::design_options(loss, &data))?;
            let work = match args.loss {
                LossKind::Squared => Workload::lasso(data),
                LossKind::Logistic => Workload::logistic(data),
            };
            Ok(("user".to_string(), vec![work], None))
        }
        _ => Err(input_error(
            "bench: pass --suite, --suite-file F.toml, or --x X --y Y for your own data",
        )),
    }
}

/// Without `--resume`, `--out` may replace only a results file of the same suite (or nothing):
/// another suite's measurements or a file that is not a results file are not destroyed.
fn check_replaceable(out: &std::path::Path, suite: &str) -> Result<()> {
    if !out.exists() || !out.is_file() {
        return Ok(());
    }
    match results::read(out) {
        Ok(f) if f.suite == suite => {
            eprintln!(
                "note: {} holds an earlier {suite} sweep; it is replaced (--resume keeps its cases)",
                out.display()
            );
            Ok(())
        }
        Ok(f) => Err(input_error(format!(
            "{} holds suite {:?}, not {suite:?}: refusing to replace another suite's results; pass another --out",
            out.display(),
            f.suite
        ))),
        Err(e) => Err(input_error(format!(
            "{} exists and is not a readable results file ({e:#}): refusing to replace it; pass another --out",
            out.display()
        ))),
    }
}

/// The tolerance ladder of a variant at `precision`: `tols` (`--tols` or the suite file's), or
/// the precision's default.
fn ladder(tols: &Option<Vec<f64>>, precision: Precision) -> Vec<f64> {
    tols.clone()
        .unwrap_or_else(|| precision.default_ladder().to_vec())
}

fn ladder_text(tols: &[f64]) -> String {
    tols.iter()
        .map(|t| format!("{t:.0e}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The matched-accuracy table: per path case, the time to reach each of [`LEVELS`] (the
/// fastest ladder point at least that accurate), with the speedup over cpu-cd at that level.
fn matched_accuracy(file: &ResultsFile, ids: &[String]) -> String {
    let mut head = vec!["case".to_string()];
    head.extend(LEVELS.iter().map(|l| format!("<= {l:.0e}")));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut t = Table::new(&head, 1);
    for id in ids {
        let Some(c) = file.case(id).filter(|c| c.cv.is_none()) else {
            continue;
        };
        let mut row = vec![c.id.clone()];
        row.extend(c.matched(file).iter().map(matched_cell));
        t.row(row);
    }
    if t.is_empty() {
        return String::new();
    }
    format!(
        "time to a certified accuracy (median s to reach a worst relative suboptimality <= level over the path; in brackets: faster or slower than cpu-cd and each peer library at the same level; — = not reached on the ladder)\n{}",
        t.render()
    )
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

/// Progress in units of n·p per path solve (the reference counts twice), so the ETA follows the sizes.
fn progress_bar(
    workloads: &[Workload],
    todo: &[(usize, Variant)],
    tols: &Option<Vec<f64>>,
    runs: usize,
) -> ProgressBar {
    let mut total = 0u64;
    let mut last = None;
    for &(w, v) in todo {
        let work = &workloads[w];
        let weight = work.weight();
        if last != Some(w) {
            total += 2 * weight;
            last = Some(w);
        }
        let rungs = match work.task {
            Task::Path => ladder_tols(&ladder(tols, v.precision), v.precision.default_tol()).len(),
            Task::Cv { .. } => 1,
        };
        total += weight * (runs * rungs) as u64 + weight;
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
            .map(|b| speedup(b.seconds.median / c.seconds.median))
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
            if c.is_peer() {
                // another library at its own stopping rule: reported, never judged
                "peer".into()
            } else if fails.is_empty() {
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
    let matched = matched_accuracy(file, &ids);
    if !matched.is_empty() {
        out.push('\n');
        out.push_str(&matched);
    }
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
