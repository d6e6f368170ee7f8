//! The report as text: a Markdown table to paste into a pull request (`report --out F.md`) and
//! a CSV with one row per case and tolerance (`report --out F.csv`), for spreadsheets and
//! pandas.

use crate::fmt::{sci, speedup};
use crate::results::{Matched, ResultsFile, LEVELS};

/// A cell of the matched-accuracy tables (bench's summary, the Markdown and HTML reports): the
/// median seconds to reach the level and how they compare with cpu-cd and each peer at that
/// level, e.g. `0.2700 (2.1× faster than cpu-cd, same speed as glmnet)`; `—` when the case does
/// not reach it.
pub fn matched_cell(m: &Option<Matched>) -> String {
    let Some(m) = m else { return "—".into() };
    if m.speedups.is_empty() {
        return format!("{:.4}", m.seconds);
    }
    let versus: Vec<String> = m
        .speedups
        .iter()
        .map(|(who, x)| {
            let word = speedup(*x);
            let link = if word == "same speed" { "as" } else { "than" };
            format!("{word} {link} {who}")
        })
        .collect();
    format!("{:.4} ({})", m.seconds, versus.join(", "))
}

/// Markdown: the time-to-accuracy table (path cases), then every case at its default tol.
pub fn markdown(file: &ResultsFile) -> String {
    let mut s = format!(
        "### regpath {} suite ({} cases; cpu {} × {} threads; gpu {})\n\n",
        file.suite,
        file.cases.len(),
        file.environment.cpu,
        file.environment.threads,
        file.environment
            .adapter
            .as_ref()
            .map_or("none", |a| a.name.as_str())
    );
    let paths: Vec<_> = file.cases.iter().filter(|c| c.cv.is_none()).collect();
    if !paths.is_empty() {
        s.push_str("Median seconds to reach a worst relative suboptimality ≤ level over the path (in brackets: faster or slower than cpu-cd and each peer library at the same level; — = not reached):\n\n| case |");
        for l in LEVELS {
            s.push_str(&format!(" ≤ {l:.0e} |"));
        }
        s.push_str("\n|---|");
        s.push_str(&"---|".repeat(LEVELS.len()));
        s.push('\n');
        for c in &paths {
            s.push_str(&format!("| {} |", c.id));
            for m in c.matched(file) {
                s.push_str(&format!(" {} |", matched_cell(&m)));
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s.push_str("| case | median s | min s | max s | rel subopt | gap | jaccard |\n|---|---|---|---|---|---|---|\n");
    for c in &file.cases {
        s.push_str(&format!(
            "| {} | {:.4} | {:.4} | {:.4} | {} | {} | {:.3} |\n",
            c.id,
            c.seconds.median,
            c.seconds.min,
            c.seconds.max,
            sci(c.agreement.max_rel_subopt),
            sci(c.agreement.max_gap),
            c.agreement.min_support_jaccard
        ));
    }
    s
}

/// CSV: one row per case and tolerance (a case without a ladder is one row at its default tol).
pub fn csv(file: &ResultsFile) -> String {
    let mut s = String::from(
        "id,solver,precision,tol,median_s,min_s,max_s,runs,max_rel_subopt,max_rel_gap,epochs,submits,readbacks,x_passes\n",
    );
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:e}")
        } else {
            String::new()
        }
    };
    for c in &file.cases {
        let rows: Vec<(Option<f64>, _, f64, f64, _)> = if c.ladder.is_empty() {
            vec![(
                None,
                c.seconds,
                c.agreement.max_rel_subopt,
                c.agreement.max_gap,
                c.counters,
            )]
        } else {
            c.ladder
                .iter()
                .map(|p| {
                    (
                        Some(p.tol),
                        p.seconds,
                        p.max_rel_subopt,
                        p.max_gap,
                        p.counters,
                    )
                })
                .collect()
        };
        for (tol, sec, subopt, gap, k) in rows {
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                c.id,
                c.solver,
                c.precision,
                tol.map_or(String::new(), num),
                num(sec.median),
                num(sec.min),
                num(sec.max),
                sec.runs,
                num(subopt),
                num(gap),
                k.epochs,
                k.submits,
                k.readbacks,
                k.x_passes
            ));
        }
    }
    s
}
