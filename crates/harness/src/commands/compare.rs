//! `regpath compare BASE NEW`: the regression gate. Cases are paired by id; a case regressed when
//! NEW's fastest run is slower than BASE's slowest run times the threshold (so run-to-run noise
//! is not a regression). Exit 1 on a regression or on any agreement failure in NEW; exit 2 on a
//! file that cannot be read as `regpath.results/1`.

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

pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    let t = args.max_slowdown;
    if !(t.is_finite() && t > 0.0) {
        return Err(input_error(format!(
            "--max-slowdown {t} must be a finite factor > 0 (e.g. 1.10 for 10%)"
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
    let (eb, en) = (&base.environment, &new.environment);
    if eb.cpu != en.cpu || eb.threads != en.threads || eb.adapter != en.adapter {
        println!("note: the environments differ (cpu, threads or adapter): timings compare machines, not code");
    }
    println!(
        "regression rule: NEW.min > BASE.max × {t} (the fastest new run is slower than the slowest base run by more than {:.0}%); slower medians inside that band are noise",
        (t - 1.0) * 100.0
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
        let v = verdict(b, c, t);
        let word = match v {
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
        };
        table.row(vec![
            c.id.clone(),
            format!("{:.4}", b.seconds.median),
            format!("{:.4}", c.seconds.median),
            format!("{:.3}", c.seconds.median / b.seconds.median),
            word.into(),
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
    if regressions.is_empty() && disagreements.is_empty() {
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
        }
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
