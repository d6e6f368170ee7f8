//! `regpath bench --ab BASE [--new NEW]`: a same-machine A/B of two `regpath` binaries, timed
//! from outside as hyperfine does. Per selected case both binaries run the case as child
//! processes, one warm-up each, then `--runs` pairs interleaved (A B, B A, A B, … so neither
//! always goes first); the case's verdict is the median of the paired ratios NEW/BASE with a
//! seeded percentile-bootstrap 95% interval: a regression when the whole interval lies above
//! `--max-slowdown`. Pairing cancels the drift of a shared machine that two separate sweeps
//! (`compare`) cannot.
//!
//! A child runs the case's headline point only, the command a user would time by hand: `regpath
//! path …` (the case's data, problem, solver and precision at its default tol) or `regpath cv
//! …` for a cross-validation case, not `bench` (whose tight f64 reference, warm-up and ladder
//! would dominate the time). Process start, data generation and the f64 certification are in
//! every run of both binaries alike.

use crate::cli::BenchArgs;
use crate::error::input_error;
use crate::sweep::suites::{Task, Workload};
use crate::sweep::Variant;
use crate::table::Table;
use anyhow::Result;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regpath_core::io::CsvHeader;
use regpath_core::synth::SynthKind;
use regpath_core::Loss;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Pairs per case when `--runs` is not given.
pub const DEFAULT_PAIRS: usize = 10;
/// Fewer pairs give no interval worth the name.
pub const MIN_PAIRS: usize = 3;
/// `--max-slowdown` when not given.
pub const DEFAULT_MAX_SLOWDOWN: f64 = 1.10;
/// Bootstrap resamples of the paired ratios.
pub const RESAMPLES: usize = 10_000;
/// The seed of the bootstrap's generator: fixed, so a verdict is a function of the measured times.
pub const SEED: u64 = 0x00ab_5eed;
/// The interval's coverage.
pub const LEVEL: f64 = 0.95;

/// One side of the A/B: the flag that named it and the program.
struct Binary {
    flag: &'static str,
    path: PathBuf,
}

impl Binary {
    fn name(&self) -> String {
        format!("{} {}", self.flag, self.path.display())
    }
}

/// Runs the A/B on `cases` (already selected by `bench`'s flags).
pub fn run(args: &BenchArgs, base: &Path, cases: &[(&Workload, Variant)]) -> Result<ExitCode> {
    let pairs = args.runs.unwrap_or(DEFAULT_PAIRS);
    if pairs < MIN_PAIRS {
        return Err(input_error(format!(
            "--runs {pairs}: --ab needs at least {MIN_PAIRS} pairs of runs per case for a confidence interval (default {DEFAULT_PAIRS})"
        )));
    }
    let max_slowdown = args.max_slowdown.unwrap_or(DEFAULT_MAX_SLOWDOWN);
    if !(max_slowdown.is_finite() && max_slowdown >= 1.0) {
        return Err(input_error(format!(
            "--max-slowdown {max_slowdown}: the tolerated slowdown must be a finite factor >= 1 (e.g. 1.10)"
        )));
    }
    if cases.is_empty() {
        return Err(input_error(
            "--ab: the selection leaves no case to time (see the skipped lines above)",
        ));
    }
    let base = Binary {
        flag: "--ab",
        path: base.to_path_buf(),
    };
    let new = Binary {
        flag: "--new",
        path: match &args.new {
            Some(p) => p.clone(),
            None => std::env::current_exe().map_err(|e| {
                input_error(format!(
                    "cannot find this binary to judge: {e}; pass --new NEW_BINARY"
                ))
            })?,
        },
    };
    let base_version = version(&base)?;
    let new_version = version(&new)?;
    println!(
        "regpath bench --ab: {pairs} interleaved pairs per case after one warm-up each, timed from outside"
    );
    println!("  BASE {} ({base_version})", base.path.display());
    println!("  NEW  {} ({new_version})", new.path.display());

    let mut t = Table::new(
        &[
            "case",
            "BASE median s",
            "NEW median s",
            "NEW/BASE",
            "95% interval",
            "verdict",
        ],
        1,
    )
    .left_align_last();
    let mut regressions = Vec::new();
    for &(work, v) in cases {
        let id = work.case_id(v);
        let child = child_args(work, v, args);
        println!("{id}: {}", shown(&child));
        // the warm-up runs: page cache, lazy loading, and whether each binary runs the case
        for b in [&base, &new] {
            if let Err(e) = time_run(b, &child) {
                return Err(failed(b, &id, &e));
            }
        }
        let mut times = (Vec::new(), Vec::new());
        for i in 0..pairs {
            let order = if i % 2 == 0 {
                [&base, &new]
            } else {
                [&new, &base]
            };
            for b in order {
                let s = time_run(b, &child).map_err(|e| failed(b, &id, &e))?;
                if std::ptr::eq(b, &base) {
                    times.0.push(s);
                } else {
                    times.1.push(s);
                }
            }
        }
        let ratios: Vec<f64> = times.1.iter().zip(&times.0).map(|(n, b)| n / b).collect();
        let verdict = Verdict::of(&ratios, max_slowdown);
        let word = if verdict.regressed {
            regressions.push(id.clone());
            "REGRESSION"
        } else if verdict.high < 1.0 {
            "faster"
        } else {
            "ok"
        };
        t.row(vec![
            id,
            format!("{:.4}", median(&times.0)),
            format!("{:.4}", median(&times.1)),
            format!("{:.3}", verdict.ratio),
            format!("[{:.3}, {:.3}]", verdict.low, verdict.high),
            word.into(),
        ]);
    }
    println!();
    print!("{}", t.render());
    println!(
        "a case regresses when the whole {:.0}% bootstrap interval of its median NEW/BASE ratio is above --max-slowdown {max_slowdown}",
        LEVEL * 100.0
    );
    if regressions.is_empty() {
        println!("no regression");
        return Ok(ExitCode::SUCCESS);
    }
    for id in &regressions {
        println!("REGRESSION {id}");
    }
    Ok(ExitCode::from(1))
}

/// `BIN --version`: the binary runs and is a regpath (exit 2 naming it otherwise).
fn version(b: &Binary) -> Result<String> {
    let out = Command::new(&b.path)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| input_error(format!("{}: cannot run it: {e}", b.name())))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() {
        return Err(input_error(format!(
            "{}: `--version` failed ({}): {}",
            b.name(),
            out.status,
            tail(&out.stderr)
        )));
    }
    if !text.starts_with("regpath") {
        return Err(input_error(format!(
            "{}: not a regpath binary (`--version` printed {:?})",
            b.name(),
            tail(text.as_bytes())
        )));
    }
    Ok(text)
}

/// The error of a binary that could not run a case: exit 2 naming it.
fn failed(b: &Binary, id: &str, e: &str) -> anyhow::Error {
    input_error(format!("{}: failed on case {id}: {e}", b.name()))
}

/// Seconds of one run of `b` with `args`, from spawn to exit (stdout discarded).
fn time_run(b: &Binary, args: &[OsString]) -> std::result::Result<f64, String> {
    let start = Instant::now();
    let out = Command::new(&b.path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run it: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("{}: {}", out.status, tail(&out.stderr)));
    }
    Ok(seconds)
}

/// The last line of a child's output, clipped, for a message.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.trim().lines().last().unwrap_or("").to_string();
    if line.chars().count() > 300 {
        line.chars().take(300).collect::<String>() + "…"
    } else {
        line
    }
}

/// The command line that runs `work` with `v` at the precision's default tol: `path` (or `cv`
/// with the folds) on the case's data and problem, as `bench` builds them.
fn child_args(work: &Workload, v: Variant, args: &BenchArgs) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&dyn AsRef<std::ffi::OsStr>]| {
        a.extend(items.iter().map(|s| s.as_ref().to_os_string()));
    };
    match work.task {
        Task::Path => push(&[&"path"]),
        Task::Cv { folds } => push(&[&"cv", &"--folds", &folds.to_string()]),
    }
    let data = &work.data;
    match &data.files {
        Some((x, y, header)) => {
            push(&[&"--x", x, &"--y", y]);
            if let Some(header) = header {
                let h = match header {
                    CsvHeader::Yes => "yes",
                    CsvHeader::No => "no",
                    CsvHeader::Auto => "auto",
                };
                push(&[&"--header", &h]);
            }
        }
        None => {
            let kind = match data.kind.as_str() {
                "gene" => SynthKind::Gene,
                "classification" => SynthKind::Classification,
                "text" => SynthKind::Text,
                _ => SynthKind::Regression,
            };
            let informative = kind.default_informative().min(data.p);
            push(&[
                &"--synthetic",
                &data.kind,
                &"--n",
                &data.n.to_string(),
                &"--p",
                &data.p.to_string(),
                &"--informative",
                &informative.to_string(),
                &"--seed",
                &data.seed.to_string(),
            ]);
            if let (SynthKind::Gene, Some(rho)) = (kind, data.rho) {
                push(&[&"--rho", &rho.to_string()]);
            }
        }
    }
    let l1 = work.penalty.l1_ratio;
    match l1 {
        1.0 => push(&[&"--penalty", &"lasso"]),
        0.0 => push(&[&"--penalty", &"ridge"]),
        _ => push(&[&"--penalty", &"enet", &"--l1-ratio", &l1.to_string()]),
    }
    push(&[
        &"--alphas",
        &crate::sweep::suites::N_ALPHAS.to_string(),
        &"--eps",
        &work.eps().to_string(),
    ]);
    if work.loss == Loss::Logistic {
        push(&[&"--loss", &"logistic"]);
    }
    if crate::sweep::design_options(work.loss, data).standardize {
        // as the sweep's design
        push(&[&"--standardize"]);
    }
    push(&[&"--solver", &v.kind.name(), &"--precision", &v.precision()]);
    if let Some(t) = args.sweep.place.threads {
        push(&[&"--threads", &t.to_string()]);
    }
    if let (Some(adapter), true) = (&args.sweep.place.adapter, v.kind.is_gpu()) {
        push(&[&"--adapter", adapter]);
    }
    a
}

/// A command line as one could paste it (arguments with spaces quoted).
fn shown(args: &[OsString]) -> String {
    let words: Vec<String> = args
        .iter()
        .map(|a| {
            let s = a.to_string_lossy();
            if s.contains(char::is_whitespace) || s.is_empty() {
                format!("'{s}'")
            } else {
                s.into_owned()
            }
        })
        .collect();
    format!("regpath {}", words.join(" "))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        0.5 * (s[m - 1] + s[m])
    }
}

/// A case's verdict from its paired ratios NEW/BASE.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// The median ratio.
    pub ratio: f64,
    /// The percentile-bootstrap interval of the median ratio at [`LEVEL`].
    pub low: f64,
    pub high: f64,
    /// `low > max_slowdown`: slower beyond the threshold with the interval's confidence.
    pub regressed: bool,
}

impl Verdict {
    /// The median of `ratios` and its bootstrap interval: [`RESAMPLES`] resamples with
    /// replacement from a generator seeded with [`SEED`], the interval the resampled medians'
    /// (1 − LEVEL)/2 and (1 + LEVEL)/2 quantiles.
    pub fn of(ratios: &[f64], max_slowdown: f64) -> Verdict {
        let ratio = median(ratios);
        let mut rng = StdRng::seed_from_u64(SEED);
        let mut sample = vec![0.0; ratios.len()];
        let mut medians: Vec<f64> = (0..RESAMPLES)
            .map(|_| {
                for s in sample.iter_mut() {
                    *s = ratios[rng.random_range(0..ratios.len())];
                }
                median(&sample)
            })
            .collect();
        medians.sort_by(f64::total_cmp);
        let at = |q: f64| medians[((q * RESAMPLES as f64) as usize).min(RESAMPLES - 1)];
        let (low, high) = (at((1.0 - LEVEL) / 2.0), at((1.0 + LEVEL) / 2.0));
        Verdict {
            ratio,
            low,
            high,
            regressed: low > max_slowdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_holds_the_median_and_gates_on_its_lower_bound() {
        // a steady 30% slowdown: every pair slower, the interval above 1.10
        let slow = [1.31, 1.28, 1.33, 1.30, 1.29, 1.35, 1.27, 1.30, 1.32, 1.30];
        let v = Verdict::of(&slow, 1.10);
        assert!(v.low <= v.ratio && v.ratio <= v.high, "{v:?}");
        assert!(v.low > 1.10 && v.regressed, "{v:?}");
        // noise around 1: the median is slower than 1.10 in no case
        let noise = [0.95, 1.04, 1.12, 0.98, 1.01, 0.93, 1.20, 1.00, 0.97, 1.06];
        let v = Verdict::of(&noise, 1.10);
        assert!(!v.regressed && v.low < 1.0 && v.high > 1.0, "{v:?}");
        // a median above the threshold whose interval still reaches below it is no regression
        let unsure = [1.4, 0.9, 1.5, 0.95, 1.3, 1.0, 1.6, 0.9, 1.2, 1.25];
        let v = Verdict::of(&unsure, 1.10);
        assert!(v.ratio > 1.10 && v.low <= 1.10 && !v.regressed, "{v:?}");
        // seeded: the same times give the same verdict
        assert_eq!(Verdict::of(&unsure, 1.10), v);
    }

    #[test]
    fn median_of_odd_and_even_lengths() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
