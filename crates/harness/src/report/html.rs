//! The report as one file: the charts stacked in one SVG, or an HTML page with the charts
//! inline and the table of cases.

use super::charts::report_svgs;
use crate::output::write_output;
use crate::results::{ResultsFile, LEVELS};
use anyhow::{Context, Result};
use std::path::Path;

/// Writes the report by `out`'s extension: one SVG stacking every chart, an HTML page with the
/// charts inline and the tables, or the tables alone as Markdown (`.md`) or CSV (`.csv`).
pub fn write_report(file: &ResultsFile, source: &Path, out: &Path) -> Result<()> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("md") => super::export::markdown(file),
        Some("csv") => super::export::csv(file),
        Some("svg") => stack_svgs(&report_svgs(file)?),
        _ => html_page(file, source, &report_svgs(file)?),
    };
    write_output(out, bytes.as_bytes()).with_context(|| format!("writing {}", out.display()))
}

/// One SVG with the charts one under another (nested <svg> elements).
fn stack_svgs(charts: &[(String, String)]) -> String {
    let mut body = String::new();
    let (mut y, mut width) = (0u32, 0u32);
    for (_, svg) in charts {
        let (w, h) = svg_size(svg);
        let inner = svg
            .split_once('>')
            .map(|(_, rest)| rest)
            .unwrap_or(svg)
            .trim_end()
            .trim_end_matches("</svg>");
        body.push_str(&format!(
            "<svg x=\"0\" y=\"{y}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">{inner}</svg>\n"
        ));
        y += h;
        width = width.max(w);
    }
    format!(
        "<svg width=\"{width}\" height=\"{y}\" viewBox=\"0 0 {width} {y}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n"
    )
}

/// Width and height of a plotters SVG (from its root element).
fn svg_size(svg: &str) -> (u32, u32) {
    let head = svg.split_once('>').map(|(h, _)| h).unwrap_or("");
    let attr = |name: &str| -> u32 {
        head.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (attr("width"), attr("height"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_page(file: &ResultsFile, source: &Path, charts: &[(String, String)]) -> String {
    let env = &file.environment;
    let adapter = env
        .adapter
        .as_ref()
        .map(|a| {
            format!(
                "{} ({}, {}, driver {})",
                a.name, a.backend, a.device_type, a.driver
            )
        })
        .unwrap_or_else(|| "none".into());
    let versions: Vec<String> = env
        .versions
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>regpath results: {} suite</title>\n",
        escape(&file.suite)
    ));
    h.push_str(
        // fits a 1280-px-wide window: charts scale down to the page's width (they keep their
        // viewBox), a table wider than the page scrolls in its own box
        "<style>body{font-family:sans-serif;margin:2em;max-width:1200px}\
         table{border-collapse:collapse;font-size:13px}.scroll{overflow-x:auto;max-width:100%}\
         td,th{border:1px solid #ccc;padding:3px 8px}td.num{text-align:right;font-family:monospace}\
         .fail{color:#b00;font-weight:bold}\
         svg{display:block;margin:1em 0;max-width:100%;height:auto}</style>\n</head>\n<body>\n",
    );
    h.push_str(&format!(
        "<h1>regpath results: {} suite</h1>\n<p>{} — created {}, commit {}<br>cpu {} × {} threads; gpu {}; {}; {}</p>\n",
        escape(&file.suite),
        escape(&source.display().to_string()),
        escape(&file.created),
        escape(file.git_commit.as_deref().unwrap_or("unknown")),
        escape(&env.cpu),
        env.threads,
        escape(&adapter),
        escape(&env.os),
        escape(&versions.join(", "))
    ));
    for (title, svg) in charts {
        h.push_str(&format!("<h2>{}</h2>\n", escape(title)));
        let body = svg.split_once("?>").map(|(_, r)| r).unwrap_or(svg);
        h.push_str(body.trim());
        h.push('\n');
    }
    h.push_str("<h2>Cases</h2>\n<div class=\"scroll\"><table>\n<tr><th>case</th><th>median s</th><th>min s</th><th>max s</th><th>runs</th><th>vs cpu-cd</th><th>rel subopt</th><th>gap</th><th>jaccard</th><th>epochs</th><th>submits</th><th>readbacks</th><th>x passes</th><th>agreement</th></tr>\n");
    for c in &file.cases {
        let base = file.case(&c.baseline_id());
        let speed = base
            .map(|b| crate::fmt::speedup(b.seconds.median / c.seconds.median))
            .unwrap_or_else(|| "–".into());
        let fails =
            crate::agreement::thresholds(&c.precision).failures(&c.agreement, c.problem.l1_ratio);
        let verdict = if fails.is_empty() {
            "ok".to_string()
        } else {
            format!(
                "<span class=\"fail\">FAIL: {}</span>",
                escape(&fails.join(", "))
            )
        };
        let a = &c.agreement;
        let k = &c.counters;
        h.push_str(&format!(
            "<tr><td>{}</td><td class=num>{:.4}</td><td class=num>{:.4}</td><td class=num>{:.4}</td><td class=num>{}</td><td class=num>{speed}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{:.3}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{verdict}</td></tr>\n",
            escape(&c.id),
            c.seconds.median,
            c.seconds.min,
            c.seconds.max,
            c.seconds.runs,
            crate::fmt::sci(a.max_rel_subopt),
            crate::fmt::sci(a.max_gap),
            a.min_support_jaccard,
            k.epochs,
            k.submits,
            k.readbacks,
            k.x_passes
        ));
    }
    h.push_str("</table></div>\n");
    matched_table(&mut h, file);
    h.push_str("</body>\n</html>\n");
    h
}

/// The matched-accuracy table: per path case, the median seconds to reach each accuracy level
/// and the speedup over cpu-cd and each peer at the same level; sortable by any column.
fn matched_table(h: &mut String, file: &ResultsFile) {
    let cases: Vec<_> = file.cases.iter().filter(|c| c.cv.is_none()).collect();
    if cases.is_empty() {
        return;
    }
    h.push_str("<h2>Time to a certified accuracy</h2>\n<p>Median seconds to reach a worst relative suboptimality at most the level over the whole path (the fastest tolerance on the case's ladder that gets there); in brackets how much faster or slower than cpu-cd and each peer library at the same level; — where no tolerance got there. Click a column's header to sort by it (again to reverse).</p>\n<div class=\"scroll\"><table id=\"matched\" class=\"sortable\">\n<thead><tr><th>case</th>");
    for l in LEVELS {
        h.push_str(&format!("<th>&le; {l:.0e}</th>"));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for c in cases {
        h.push_str(&format!("<tr><td>{}</td>", escape(&c.id)));
        for m in c.matched(file) {
            let key = m
                .as_ref()
                .map_or(String::new(), |m| format!("{:e}", m.seconds));
            h.push_str(&format!(
                "<td class=num data-sort=\"{key}\">{}</td>",
                escape(&super::export::matched_cell(&m))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    h.push_str(SORT_SCRIPT);
}

/// Sorts a `table.sortable` by the column whose header is clicked (a second click reverses):
/// by each cell's `data-sort` (a number; empty for "—", which sorts last either way) or its
/// text. Inline, no external assets.
const SORT_SCRIPT: &str = "<script>\
document.querySelectorAll('table.sortable').forEach(function(t){\
var hs=t.tHead.rows[0].cells;\
[].forEach.call(hs,function(th,i){th.style.cursor='pointer';th.title='click to sort';\
th.addEventListener('click',function(){\
var asc=th.getAttribute('aria-sort')!=='ascending';\
[].forEach.call(hs,function(h){h.removeAttribute('aria-sort')});\
th.setAttribute('aria-sort',asc?'ascending':'descending');\
var key=function(r){var c=r.cells[i],k=c.getAttribute('data-sort');return k===null?c.textContent:k};\
var rows=[].slice.call(t.tBodies[0].rows);\
rows.sort(function(a,b){var x=key(a),y=key(b);\
if(x===''||y===''){return (x==='')-(y==='')}\
var nx=Number(x),ny=Number(y),d=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;\
return asc?d:-d});\
rows.forEach(function(r){t.tBodies[0].appendChild(r)})})})});\
</script>\n";
