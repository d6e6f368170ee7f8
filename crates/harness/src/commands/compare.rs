//! `regpath compare BASE NEW`: the regression gate. Cases are paired by id. Work counters are
//! deterministic, so they are gated on any machine; timings only when both files come from the
//! same environment (a case regressed when NEW's fastest run is slower than BASE's slowest run
//! times the threshold, so run-to-run noise is not a regression). Exit 1 on a regression, on an
//! agreement failure in NEW, when nothing was paired, or when a BASE case is missing from NEW;
//! exit 2 on a file that cannot be read as a results file. Peer libraries' cases (`bench
//! --peers`) are listed but never gated: their times and accuracy measure another library.
//! `--json` prints the same judgement as a [`Summary`].

use crate::agreement;
use crate::cli::CompareArgs;
use crate::error::input_error;
use crate::results::{self, Case, ResultsFile};
use crate::table::Table;
use anyhow::Result;
use serde::Serialize;
use std::process::ExitCode;

/// How NEW's timing compares with BASE's for one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// NEW.min > BASE.max × threshold.
    Regression,
    /// The medians differ by more than the threshold but the ranges overlap within it.
    SlowerWithinNoise,
    /// NEW.max × threshold < BASE.min.
    Faster,
    Same,
}

/// The noise rule, in one place.
pub fn verdict(base: &Case, new: &Case, threshold: f64) -> Verdict {
    let (b, n) = (&base.seconds, &new.seconds);
    if n.min > b.max * threshold {
        Verdict::Regression
    } else if n.max * threshold < b.min {
        Verdict::Faster
    } else if n.median > b.median * threshold {
        Verdict::SlowerWithinNoise
    } else {
        Verdict::Same
    }
}

/// A work counter of NEW that grew beyond `factor` (and by more than 2, so a count of 1 or 2
/// becoming 3 is not flagged), as `(name, base, new)`. The critical-path counters (dispatches,
/// serial steps, chained updates) are compared only when BASE has them (files written before they existed hold 0).
pub fn work_growth(base: &Case, new: &Case, factor: f64) -> Vec<(&'static str, u64, u64)> {
    let (b, n) = (&base.counters, &new.counters);
    let always = [
        ("epochs", b.epochs, n.epochs),
        ("x_passes", b.x_passes, n.x_passes),
        ("submits", b.submits, n.submits),
        ("readbacks", b.readbacks, n.readbacks),
    ];
    let when_known = [
        ("dispatches", b.dispatches, n.dispatches),
        ("serial_steps", b.serial_steps, n.serial_steps),
        ("chain_updates", b.chain_updates, n.chain_updates),
    ];
    always
        .into_iter()
        .chain(when_known.into_iter().filter(|&(_, b, _)| b > 0))
        .filter(|&(_, b, n)| n as f64 > b as f64 * factor && n > b + 2)
        .collect()
}

/// Why timings of the two files cannot be compared (None: same CPU model, threads and adapter).
fn env_mismatch(base: &ResultsFile, new: &ResultsFile) -> Option<String> {
    let (b, n) = (&base.environment, &new.environment);
    let mut why = Vec::new();
    if b.cpu != n.cpu {
        why.push(format!("cpu {:?} vs {:?}", b.cpu, n.cpu));
    }
    if b.threads != n.threads {
        why.push(format!("threads {} vs {}", b.threads, n.threads));
    }
    if b.adapter != n.adapter {
        let name = |f: &ResultsFile| {
            f.environment
                .adapter
                .as_ref()
                .map_or("none".to_string(), |a| a.name.clone())
        };
        why.push(format!("adapter {} vs {}", name(base), name(new)));
    }
    (!why.is_empty()).then(|| why.join(", "))
}

/// What `compare` decided, as `--json` prints it (`regpath.compare/1`); the text output says
/// the same in sentences.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    /// `pass` or `fail` (exit 0 or 1).
    pub verdict: &'static str,
    pub base: FileInfo,
    pub new: FileInfo,
    /// Whether timings were compared: only when both files come from the same environment.
    pub timings_compared: bool,
    /// Why timings were or were not compared.
    pub timings_note: String,
    pub rules: Rules,
    /// Every NEW case that BASE has too, in NEW's order.
    pub cases: Vec<Row>,
    pub only_in_base: Vec<String>,
    pub only_in_new: Vec<String>,
    /// NEW's cases that BASE has too.
    pub paired: usize,
    /// Every gate that failed: empty when the verdict is `pass`.
    pub fired: Vec<Fired>,
    /// Peer libraries' cases (`bench --peers`): listed, never gated.
    pub peers_note: Option<String>,
}

/// A results file as compare read it.
#[derive(Clone, Debug, Serialize)]
pub struct FileInfo {
    pub path: String,
    pub suite: String,
    pub cases: usize,
    pub created: String,
    pub git_commit: Option<String>,
    pub cpu: String,
    pub threads: usize,
    pub adapter: Option<String>,
}

/// The thresholds compare ran with.
#[derive(Clone, Debug, Serialize)]
pub struct Rules {
    pub max_slowdown: f64,
    pub max_work_growth: f64,
    pub require_same_env: bool,
    pub allow_missing: bool,
}

/// One paired case.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub solver: String,
    pub base_median_s: f64,
    pub new_median_s: f64,
    /// NEW median / BASE median.
    pub ratio: f64,
    /// `regression`, `slower (noise)`, `faster`, `same`, `not compared` (other environment) or
    /// `peer (not gated)`.
    pub timing: &'static str,
    /// Counters of NEW above BASE × max_work_growth.
    pub work_growth: Vec<Growth>,
    /// NEW's violated agreement thresholds (not gated for peers).
    pub agreement_failures: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Growth {
    pub counter: &'static str,
    pub base: u64,
    pub new: u64,
}

/// A gate rule that failed, with what it saw.
#[derive(Clone, Debug, Serialize)]
pub struct Fired {
    /// `timing`, `work`, `agreement`, `no-cases`, `nothing-paired`, `missing` or `environment`.
    pub rule: &'static str,
    pub case: Option<String>,
    pub detail: String,
}

fn file_info(path: &std::path::Path, f: &ResultsFile) -> FileInfo {
    FileInfo {
        path: path.display().to_string(),
        suite: f.suite.clone(),
        cases: f.cases.len(),
        created: f.created.clone(),
        git_commit: f.git_commit.clone(),
        cpu: f.environment.cpu.clone(),
        threads: f.environment.threads,
        adapter: f.environment.adapter.as_ref().map(|a| a.name.clone()),
    }
}

/// Applies every gate rule to the two files.
pub fn judge(args: &CompareArgs, base: &ResultsFile, new: &ResultsFile) -> Summary {
    let (t, w) = (args.max_slowdown, args.max_work_growth);
    let mismatch = env_mismatch(base, new);
    let timings_note = match &mismatch {
        None => format!(
            "same environment: NEW.min > BASE.max × {t} is a regression (the fastest new run is slower than the slowest base run by more than {:.0}%); slower medians inside that band are noise",
            (t - 1.0) * 100.0
        ),
        Some(why) => format!(
            "timings not compared: the environments differ ({why}); a time on another machine measures the machine, not the code (run both on one machine, or pass --require-same-env to fail here)"
        ),
    };
    let mut fired = Vec::new();
    let mut cases = Vec::new();
    for c in &new.cases {
        let Some(b) = base.case(&c.id) else { continue };
        let peer = c.is_peer();
        let agreement_failures = if peer {
            Vec::new()
        } else {
            agreement::thresholds(&c.precision).failures(&c.agreement, c.problem.l1_ratio)
        };
        if !agreement_failures.is_empty() {
            fired.push(Fired {
                rule: "agreement",
                case: Some(c.id.clone()),
                detail: agreement_failures.join(", "),
            });
        }
        let timing = if peer {
            "peer (not gated)"
        } else if mismatch.is_some() {
            "not compared"
        } else {
            match verdict(b, c, t) {
                Verdict::Regression => {
                    fired.push(Fired {
                        rule: "timing",
                        case: Some(c.id.clone()),
                        detail: format!(
                            "new min {:.4} s > base max {:.4} s × {t} (median {:.4} → {:.4} s)",
                            c.seconds.min, b.seconds.max, b.seconds.median, c.seconds.median
                        ),
                    });
                    "regression"
                }
                Verdict::SlowerWithinNoise => "slower (noise)",
                Verdict::Faster => "faster",
                Verdict::Same => "same",
            }
        };
        let work_growth: Vec<Growth> = if peer {
            Vec::new()
        } else {
            work_growth(b, c, w)
                .into_iter()
                .map(|(counter, base, new)| Growth { counter, base, new })
                .collect()
        };
        for g in &work_growth {
            fired.push(Fired {
                rule: "work",
                case: Some(c.id.clone()),
                detail: format!("{} {} → {} (> × {w})", g.counter, g.base, g.new),
            });
        }
        cases.push(Row {
            id: c.id.clone(),
            solver: c.solver.clone(),
            base_median_s: b.seconds.median,
            new_median_s: c.seconds.median,
            ratio: c.seconds.median / b.seconds.median,
            timing,
            work_growth,
            agreement_failures,
        });
    }
    let only = |a: &ResultsFile, b: &ResultsFile| -> Vec<String> {
        a.cases
            .iter()
            .filter(|c| b.case(&c.id).is_none())
            .map(|c| c.id.clone())
            .collect()
    };
    let (only_in_base, only_in_new) = (only(base, new), only(new, base));
    let paired = cases.len();
    // a gate that compared nothing must not pass
    if new.cases.is_empty() {
        fired.push(Fired {
            rule: "no-cases",
            case: None,
            detail: format!("{} has no cases", args.new.display()),
        });
    } else if paired == 0 {
        fired.push(Fired {
            rule: "nothing-paired",
            case: None,
            detail: "no case id is in both files: nothing was compared".into(),
        });
    }
    if !only_in_base.is_empty() && !args.allow_missing {
        fired.push(Fired {
            rule: "missing",
            case: None,
            detail: format!(
                "{} BASE case{} missing from NEW (pass --allow-missing to accept)",
                only_in_base.len(),
                if only_in_base.len() == 1 {
                    " is"
                } else {
                    "s are"
                }
            ),
        });
    }
    if let (Some(why), true) = (&mismatch, args.require_same_env) {
        fired.push(Fired {
            rule: "environment",
            case: None,
            detail: format!("--require-same-env: the environments differ ({why})"),
        });
    }
    let peers = cases
        .iter()
        .filter(|r| r.timing == "peer (not gated)")
        .count();
    Summary {
        schema: "regpath.compare/1",
        verdict: if fired.is_empty() { "pass" } else { "fail" },
        base: file_info(&args.base, base),
        new: file_info(&args.new, new),
        timings_compared: mismatch.is_none(),
        timings_note,
        rules: Rules {
            max_slowdown: t,
            max_work_growth: w,
            require_same_env: args.require_same_env,
            allow_missing: args.allow_missing,
        },
        cases,
        only_in_base,
        only_in_new,
        paired,
        fired,
        peers_note: (peers > 0).then(|| format!(
            "{peers} peer case{} (another library's times and accuracy: sklearn, glmnet) listed, never gated: they measure that library, not this code",
            if peers == 1 { "" } else { "s" }
        )),
    }
}

pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    let t = args.max_slowdown;
    if !(t.is_finite() && t > 0.0) {
        return Err(input_error(format!(
            "--max-slowdown {t} must be a finite factor > 0 (e.g. 1.10 for 10%)"
        )));
    }
    let w = args.max_work_growth;
    if !(w.is_finite() && w > 0.0) {
        return Err(input_error(format!(
            "--max-work-growth {w} must be a finite factor > 0 (e.g. 1.10 for 10%)"
        )));
    }
    let base = results::read(&args.base)?;
    let new = results::read(&args.new)?;
    let summary = judge(args, &base, &new);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_text(&summary, &base, &new);
    }
    Ok(if summary.fired.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The summary as text.
fn print_text(s: &Summary, base: &ResultsFile, new: &ResultsFile) {
    println!("base: {}", describe(&s.base));
    println!("new:  {}", describe(&s.new));
    if base.suite != new.suite {
        println!(
            "note: different suites ({} vs {}); only cases with the same id are compared",
            base.suite, new.suite
        );
    }
    if s.timings_compared {
        println!(
            "timing rule: {}",
            s.timings_note.trim_start_matches("same environment: ")
        );
    } else {
        println!("{}", s.timings_note);
    }
    println!(
        "work rule: a counter (epochs, x_passes, submits, readbacks; dispatches, serial_steps and chain_updates where BASE has them) of NEW above BASE × {} is a regression, on any machine",
        s.rules.max_work_growth
    );
    println!(
        "agreement rule (NEW): f64 {}; f32 {}",
        agreement::thresholds("f64").describe(),
        agreement::thresholds("f32").describe()
    );
    if let Some(note) = &s.peers_note {
        println!("peers: {note}");
    }
    println!();
    let mut table = Table::new(
        &[
            "case",
            "base median s",
            "new median s",
            "new/base",
            "timing",
            "work",
            "agreement (new)",
        ],
        1,
    )
    .left_align_last();
    for r in &s.cases {
        let peer = r.timing == "peer (not gated)";
        table.row(vec![
            r.id.clone(),
            format!("{:.4}", r.base_median_s),
            format!("{:.4}", r.new_median_s),
            format!("{:.3}", r.ratio),
            if r.timing == "regression" {
                "REGRESSION".into()
            } else {
                r.timing.into()
            },
            if peer {
                "-".into()
            } else if r.work_growth.is_empty() {
                "ok".into()
            } else {
                "MORE WORK".into()
            },
            if peer {
                "-".into()
            } else if r.agreement_failures.is_empty() {
                "ok".into()
            } else {
                format!("FAIL ({})", r.agreement_failures.join(", "))
            },
        ]);
    }
    if table.is_empty() {
        println!("no case id is in both files");
    } else {
        print!("{}", table.render());
    }
    for (what, ids) in [("BASE", &s.only_in_base), ("NEW", &s.only_in_new)] {
        if !ids.is_empty() {
            println!();
            println!("only in {what} ({}):", ids.len());
            for id in ids.iter() {
                println!("  {id}");
            }
        }
    }
    println!();
    let count = |rule: &str| s.fired.iter().filter(|f| f.rule == rule).count();
    let regressions = s
        .cases
        .iter()
        .filter(|r| r.timing == "regression" || !r.work_growth.is_empty())
        .count();
    let disagreements = count("agreement");
    println!(
        "{} paired cases: {} regression{}, {} agreement failure{} in NEW",
        s.paired,
        regressions,
        if regressions == 1 { "" } else { "s" },
        disagreements,
        if disagreements == 1 { "" } else { "s" }
    );
    for f in &s.fired {
        let case = f
            .case
            .as_deref()
            .map(|c| format!("{c}: "))
            .unwrap_or_default();
        match f.rule {
            "timing" | "work" => println!("REGRESSION {case}{}", f.detail),
            "agreement" => println!("DISAGREES {case}{}", f.detail),
            _ => println!("FAILED {}", f.detail),
        }
    }
}

fn describe(f: &FileInfo) -> String {
    let adapter = f
        .adapter
        .as_ref()
        .map(|a| format!(", gpu {a}"))
        .unwrap_or_default();
    format!(
        "{} (suite {}, {} cases, created {}, commit {}, cpu {} × {} threads{adapter})",
        f.path,
        f.suite,
        f.cases,
        f.created,
        f.git_commit.as_deref().unwrap_or("unknown"),
        f.cpu,
        f.threads
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Agreement, DatasetSpec, ProblemSpec, Seconds};

    fn case(min: f64, median: f64, max: f64) -> Case {
        Case {
            id: "x".into(),
            dataset: DatasetSpec {
                kind: "gene".into(),
                n: 1,
                p: 1,
                rho: Some(0.5),
                seed: 0,
            },
            problem: ProblemSpec {
                loss: "squared".into(),
                l1_ratio: 1.0,
                n_alphas: 100,
                eps: 1e-3,
            },
            solver: "cpu-cd".into(),
            precision: "f64".into(),
            seconds: Seconds {
                median,
                min,
                max,
                runs: 3,
            },
            agreement: Agreement {
                max_rel_subopt: 0.0,
                max_gap: 0.0,
                min_support_jaccard: 1.0,
            },
            counters: Default::default(),
            cv: None,
            ladder: Vec::new(),
            version: None,
        }
    }

    #[test]
    fn work_growth_flags_counters_beyond_the_factor_and_the_slack() {
        let mut base = case(1.0, 1.0, 1.0);
        base.counters.epochs = 100;
        base.counters.readbacks = 2;
        let mut new = base.clone();
        new.counters.epochs = 110; // exactly × 1.1: allowed
        new.counters.readbacks = 4; // doubled, but within the slack of 2
        assert!(work_growth(&base, &new, 1.1).is_empty());
        new.counters.epochs = 111;
        new.counters.readbacks = 5;
        assert_eq!(
            work_growth(&base, &new, 1.1),
            [("epochs", 100, 111), ("readbacks", 2, 5)]
        );
    }

    #[test]
    fn critical_path_counters_are_gated_only_when_the_base_has_them() {
        let base = case(1.0, 1.0, 1.0); // a file from before the counters: all 0
        let mut new = base.clone();
        new.counters.serial_steps = 1_000_000;
        new.counters.dispatches = 500;
        assert!(work_growth(&base, &new, 1.1).is_empty());
        let mut base = base;
        base.counters.serial_steps = 800_000;
        base.counters.dispatches = 500;
        assert_eq!(
            work_growth(&base, &new, 1.1),
            [("serial_steps", 800_000, 1_000_000)]
        );
    }

    #[test]
    fn noise_rule() {
        let base = case(1.0, 1.1, 1.2);
        assert_eq!(
            verdict(&base, &case(1.4, 1.5, 1.6), 1.1),
            Verdict::Regression
        );
        // Median 36% slower, but the fastest new run is inside base.max × 1.1: noise.
        assert_eq!(
            verdict(&base, &case(1.3, 1.5, 1.7), 1.1),
            Verdict::SlowerWithinNoise
        );
        assert_eq!(verdict(&base, &case(1.0, 1.1, 1.2), 1.1), Verdict::Same);
        assert_eq!(verdict(&base, &case(0.5, 0.6, 0.7), 1.1), Verdict::Faster);
    }
}
