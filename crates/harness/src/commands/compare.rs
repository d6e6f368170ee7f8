//! `regpath compare BASE NEW`: the regression gate. Cases are paired by id. Work counters are
//! deterministic, so they are gated on any machine; timings only when both files come from the
//! same environment (a case regressed when NEW's fastest run is slower than BASE's slowest run
//! times the threshold, so run-to-run noise is not a regression). Exit 1 on a regression, on an
//! agreement failure in NEW, when nothing was paired, or when a BASE case is missing from NEW;
//! exit 2 on a file that cannot be read as a results file.

use crate::agreement;
use crate::cli::CompareArgs;
use crate::error::input_error;
use crate::results::{self, Case, ResultsFile};
use crate::table::Table;
use anyhow::Result;
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
/// serial steps) are compared only when BASE has them (files written before they existed hold 0).
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
    println!("base: {}", describe(&args.base, &base));
    println!("new:  {}", describe(&args.new, &new));
    if base.suite != new.suite {
        println!(
            "note: different suites ({} vs {}); only cases with the same id are compared",
            base.suite, new.suite
        );
    }
    let mismatch = env_mismatch(&base, &new);
    match &mismatch {
        None => println!(
            "timing rule: NEW.min > BASE.max × {t} is a regression (the fastest new run is slower than the slowest base run by more than {:.0}%); slower medians inside that band are noise",
            (t - 1.0) * 100.0
        ),
        Some(why) => println!(
            "timings not compared: the environments differ ({why}); a time on another machine measures the machine, not the code (run both on one machine, or pass --require-same-env to fail here)"
        ),
    }
    println!(
        "work rule: a counter (epochs, x_passes, submits, readbacks; dispatches and serial_steps where BASE has them) of NEW above BASE × {w} is a regression, on any machine"
    );
    println!(
        "agreement rule (NEW): f64 {}; f32 {}",
        agreement::thresholds("f64").describe(),
        agreement::thresholds("f32").describe()
    );
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
    let mut regressions = Vec::new();
    let mut disagreements = Vec::new();
    for c in &new.cases {
        let fails = agreement::thresholds(&c.precision).failures(&c.agreement, c.problem.l1_ratio);
        let agree = if fails.is_empty() {
            "ok".to_string()
        } else {
            disagreements.push(format!("{}: {}", c.id, fails.join(", ")));
            format!("FAIL ({})", fails.join(", "))
        };
        let Some(b) = base.case(&c.id) else { continue };
        let word = if mismatch.is_some() {
            "not compared"
        } else {
            match verdict(b, c, t) {
                Verdict::Regression => {
                    regressions.push(format!(
                        "{}: new min {:.4} s > base max {:.4} s × {t} (median {:.4} → {:.4} s)",
                        c.id, c.seconds.min, b.seconds.max, b.seconds.median, c.seconds.median
                    ));
                    "REGRESSION"
                }
                Verdict::SlowerWithinNoise => "slower (noise)",
                Verdict::Faster => "faster",
                Verdict::Same => "same",
            }
        };
        let grown = work_growth(b, c, w);
        for (name, bv, nv) in &grown {
            regressions.push(format!("{}: {name} {bv} → {nv} (> × {w})", c.id));
        }
        table.row(vec![
            c.id.clone(),
            format!("{:.4}", b.seconds.median),
            format!("{:.4}", c.seconds.median),
            format!("{:.3}", c.seconds.median / b.seconds.median),
            word.into(),
            if grown.is_empty() {
                "ok".into()
            } else {
                "MORE WORK".into()
            },
            agree,
        ]);
    }
    if table.is_empty() {
        println!("no case id is in both files");
    } else {
        print!("{}", table.render());
    }
    let only_base: Vec<&str> = base
        .cases
        .iter()
        .filter(|c| new.case(&c.id).is_none())
        .map(|c| c.id.as_str())
        .collect();
    let only_new: Vec<&str> = new
        .cases
        .iter()
        .filter(|c| base.case(&c.id).is_none())
        .map(|c| c.id.as_str())
        .collect();
    for (what, ids) in [("BASE", &only_base), ("NEW", &only_new)] {
        if !ids.is_empty() {
            println!();
            println!("only in {what} ({}):", ids.len());
            for id in ids.iter() {
                println!("  {id}");
            }
        }
    }
    println!();
    let paired = new.cases.len() - only_new.len();
    // a gate that compared nothing must not pass
    let mut failures: Vec<String> = Vec::new();
    if new.cases.is_empty() {
        failures.push(format!("{} has no cases", args.new.display()));
    } else if paired == 0 {
        failures.push("no case id is in both files: nothing was compared".into());
    }
    if !only_base.is_empty() && !args.allow_missing {
        failures.push(format!(
            "{} BASE case{} missing from NEW (pass --allow-missing to accept)",
            only_base.len(),
            if only_base.len() == 1 { " is" } else { "s are" }
        ));
    }
    if let (Some(why), true) = (&mismatch, args.require_same_env) {
        failures.push(format!(
            "--require-same-env: the environments differ ({why})"
        ));
    }
    println!(
        "{paired} paired cases: {} regression{}, {} agreement failure{} in NEW",
        regressions.len(),
        if regressions.len() == 1 { "" } else { "s" },
        disagreements.len(),
        if disagreements.len() == 1 { "" } else { "s" }
    );
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    for d in &disagreements {
        println!("DISAGREES {d}");
    }
    for f in &failures {
        println!("FAILED {f}");
    }
    if regressions.is_empty() && disagreements.is_empty() && failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

fn describe(path: &std::path::Path, f: &ResultsFile) -> String {
    let adapter = f
        .environment
        .adapter
        .as_ref()
        .map(|a| format!(", gpu {}", a.name))
        .unwrap_or_default();
    format!(
        "{} (suite {}, {} cases, created {}, commit {}, cpu {} × {} threads{adapter})",
        path.display(),
        f.suite,
        f.cases.len(),
        f.created,
        f.git_commit.as_deref().unwrap_or("unknown"),
        f.environment.cpu,
        f.environment.threads
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
