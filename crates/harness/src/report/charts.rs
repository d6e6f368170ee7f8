//! The charts of `regpath report`: time per case, time vs p, time vs n, speedup over cpu-cd.

use super::style::{
    color, draw_legend_strip, draw_line, fmt_num, log_log_panel, log_pad, log_tick, min_max,
    panel_grid, plot_err, register_fonts, series_name, LegendEntry, TickedAxis, REPORT_WIDTH,
};
use crate::results::{Case, ResultsFile};
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeMap;

/// What a case ran on, as the report groups cases: the dataset kind, prefixed with the task
/// when it is not a plain lasso path (`gene`, `cv5/lasso gene`, `logistic classification`).
pub fn group(c: &Case) -> String {
    match c.task() {
        "" | "lasso" => c.dataset.kind.clone(),
        task => format!("{task} {}", c.dataset.kind),
    }
}

/// The charts of a results file as one SVG per chart (title, svg).
pub fn report_svgs(file: &ResultsFile) -> Result<Vec<(String, String)>> {
    if file.cases.is_empty() {
        return Err(anyhow!("the results file has no cases to plot"));
    }
    register_fonts()?;
    let series: Vec<String> = {
        let mut s: Vec<String> = file.cases.iter().map(series_name).collect();
        s.sort();
        s.dedup();
        // cpu-cd first: it is the baseline.
        s.sort_by_key(|n| !n.starts_with("cpu-cd"));
        s
    };
    let mut out = Vec::new();
    out.push((
        "Time per case".to_string(),
        categorical_chart(file, &series, false)?,
    ));
    if let Some(svg) = sweep_chart(file, &series, Axis::P)? {
        out.push(("Time vs p".to_string(), svg));
    }
    if let Some(svg) = sweep_chart(file, &series, Axis::N)? {
        out.push(("Time vs n".to_string(), svg));
    }
    if let Some(svg) = super::accuracy::accuracy_chart(file, &series)? {
        out.push(("Certified accuracy vs time".to_string(), svg));
    }
    if series.iter().any(|s| s.starts_with("cpu-cd/")) && series.len() > 1 {
        out.push((
            "Speedup over cpu-cd".to_string(),
            categorical_chart(file, &series, true)?,
        ));
    }
    Ok(out)
}

/// The legend of the report's charts: one entry per solver series, as a line or a marker.
fn legend(series: &[String], line: bool) -> Vec<LegendEntry> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry {
            label: s.clone(),
            color: color(i),
            line,
        })
        .collect()
}

/// What one timed run of the file's cases is: "a 100-alpha path", and ", or 5-fold CV over it
/// (cv cases)" when the file has cross-validation cases.
fn timed(file: &ResultsFile) -> String {
    let k = file.cases[0].problem.n_alphas;
    let mut folds: Vec<usize> = file
        .cases
        .iter()
        .filter_map(|c| c.cv.as_ref().map(|cv| cv.folds))
        .collect();
    folds.sort();
    folds.dedup();
    let cv: Vec<String> = folds.iter().map(|f| format!("{f}-fold CV")).collect();
    if cv.is_empty() {
        format!("a {k}-alpha path")
    } else {
        format!(
            "a {k}-alpha path, or {} over it (cv cases)",
            cv.join(" or ")
        )
    }
}

/// Workloads (task, kind and size) in the order of the file, labelled `n100 p500` (with the
/// [`group`] when the file mixes them).
fn datasets(file: &ResultsFile) -> Vec<(String, usize, usize, String)> {
    let mut v: Vec<(String, usize, usize)> = Vec::new();
    for c in &file.cases {
        let key = (group(c), c.dataset.n, c.dataset.p);
        if !v.contains(&key) {
            v.push(key);
        }
    }
    let kinds = {
        let mut k: Vec<&String> = v.iter().map(|d| &d.0).collect();
        k.sort();
        k.dedup();
        k.len()
    };
    v.into_iter()
        .map(|(kind, n, p)| {
            let label = if kinds > 1 {
                format!("{kind} n{n} p{p}")
            } else {
                format!("n{n} p{p}")
            };
            (kind, n, p, label)
        })
        .collect()
}

/// A category label as lines of at most `budget` characters (where words allow), the size
/// (`n… p…`, the label's last two words) kept on one line.
fn wrap_label(label: &str, budget: usize) -> Vec<String> {
    let mut words: Vec<String> = label.split(' ').map(str::to_string).collect();
    if words.len() >= 2 {
        let p = words.pop().unwrap_or_default();
        let n = words.pop().unwrap_or_default();
        words.push(format!("{n} {p}"));
    }
    let mut lines: Vec<String> = Vec::new();
    for w in words {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= budget => {
                l.push(' ');
                l.push_str(&w);
            }
            _ => lines.push(w),
        }
    }
    lines
}

/// Median seconds per dataset (with min–max bars), or the speedup over cpu-cd, one marker
/// series per solver; log y.
fn categorical_chart(file: &ResultsFile, series: &[String], speedup: bool) -> Result<String> {
    let ds = datasets(file);
    let mut pts: BTreeMap<usize, Vec<(f64, f64, f64, f64)>> = BTreeMap::new();
    for (si, s) in series.iter().enumerate() {
        if speedup && s.starts_with("cpu-cd/") {
            continue;
        }
        for (di, d) in ds.iter().enumerate() {
            let Some(c) = file.cases.iter().find(|c| {
                &series_name(c) == s && group(c) == d.0 && c.dataset.n == d.1 && c.dataset.p == d.2
            }) else {
                continue;
            };
            let point = if speedup {
                let Some(base) = file.case(&c.baseline_id()) else {
                    continue;
                };
                let m = base.seconds.median / c.seconds.median;
                (di as f64, m, m, m)
            } else {
                (di as f64, c.seconds.median, c.seconds.min, c.seconds.max)
            };
            if point.1 > 0.0 && point.1.is_finite() {
                pts.entry(si).or_default().push(point);
            }
        }
    }
    let all: Vec<f64> = pts
        .values()
        .flatten()
        .flat_map(|p| [p.1, p.2, p.3])
        .filter(|v| *v > 0.0)
        .collect();
    let (mut lo, mut hi) = min_max(&all);
    if speedup {
        lo = lo.min(1.0);
        hi = hi.max(1.0);
    }
    let (lo, hi) = log_pad(lo, hi);
    // every chart of the report is as wide; category labels wrap to fit their share of it
    let width = REPORT_WIDTH;
    let budget = ((width as usize - 110) / ds.len().max(1) / 8).max(8);
    let wrapped: Vec<Vec<String>> = ds.iter().map(|d| wrap_label(&d.3, budget)).collect();
    let label_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let title = if speedup {
        format!(
            "{} suite: speedup over cpu-cd (cpu-cd median / solver median; > 1 is faster)",
            file.suite
        )
    } else {
        format!(
            "{} suite: seconds per case (median, bars min–max): {}",
            file.suite,
            timed(file)
        )
    };
    let shown: Vec<String> = series
        .iter()
        .filter(|s| !(speedup && s.starts_with("cpu-cd/")))
        .cloned()
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let root = root.titled(&title, ("sans-serif", 18)).map_err(plot_err)?;
        let (strip, body) = root.split_vertically(30);
        let entries: Vec<LegendEntry> = legend(series, false)
            .into_iter()
            .filter(|e| shown.contains(&e.label))
            .collect();
        draw_legend_strip(&strip, &entries)?;
        let n = ds.len();
        let mut chart = ChartBuilder::on(&body)
            .margin(14)
            .x_label_area_size(18 + 18 * label_lines)
            .y_label_area_size(74)
            .build_cartesian_2d(TickedAxis::categories(n), TickedAxis::log(lo, hi))
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|_| String::new())
            .y_desc(if speedup { "speedup (×)" } else { "seconds" })
            .y_label_formatter(&|y| fmt_num(*y))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(plot_err)?;
        if speedup {
            chart
                .draw_series(LineSeries::new(
                    vec![(-0.5, 1.0), (n as f64 - 0.5, 1.0)],
                    RGBColor(120, 120, 120),
                ))
                .map_err(plot_err)?;
        }
        let k = series.len().max(1) as f64;
        for (si, _) in series.iter().enumerate() {
            let Some(p) = pts.get(&si) else { continue };
            if p.is_empty() {
                continue;
            }
            let c = color(si);
            let dx = (si as f64 - (k - 1.0) / 2.0) * (0.6 / k);
            chart
                .draw_series(p.iter().map(|&(x, m, a, b)| {
                    ErrorBar::new_vertical(x + dx, a, m, b, c.stroke_width(2), 8)
                }))
                .map_err(plot_err)?;
            chart
                .draw_series(
                    p.iter()
                        .map(|&(x, m, _, _)| Circle::new((x + dx, m), 5, c.filled())),
                )
                .map_err(plot_err)?;
        }
        // the category labels, one line under another, centred under each marker group
        let (bx, by) = body.get_base_pixel();
        for (i, lines) in wrapped.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64, lo));
            let (x, y) = (x - bx, y - by);
            for (li, line) in lines.iter().enumerate() {
                body.draw(&Text::new(
                    line.clone(),
                    (x, y + 10 + 18 * li as i32),
                    ("sans-serif", 14)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                ))
                .map_err(plot_err)?;
            }
        }
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

#[derive(Clone, Copy, PartialEq)]
enum Axis {
    N,
    P,
}

/// Log-log time against p (one panel per dataset kind × n) or against n (per kind × p), one line
/// per solver; only groups with at least two sizes are drawn (None when there is none).
fn sweep_chart(file: &ResultsFile, series: &[String], axis: Axis) -> Result<Option<String>> {
    // group key: (kind, fixed size) → x values
    let mut groups: Vec<(String, usize, Vec<usize>)> = Vec::new();
    for c in &file.cases {
        let (fixed, x) = match axis {
            Axis::P => (c.dataset.n, c.dataset.p),
            Axis::N => (c.dataset.p, c.dataset.n),
        };
        match groups.iter_mut().find(|g| g.0 == group(c) && g.1 == fixed) {
            Some(g) => {
                if !g.2.contains(&x) {
                    g.2.push(x)
                }
            }
            None => groups.push((group(c), fixed, vec![x])),
        }
    }
    groups.retain(|g| g.2.len() >= 2);
    if groups.is_empty() {
        return Ok(None);
    }
    let (cols, rows, w, h) = panel_grid(groups.len(), 0, 70);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let what = match axis {
            Axis::P => "seconds vs p (features)",
            Axis::N => "seconds vs n (samples)",
        };
        let root = root
            .titled(
                &format!(
                    "{} suite: {what}, median, log-log; each point {}",
                    file.suite,
                    timed(file)
                ),
                ("sans-serif", 18),
            )
            .map_err(plot_err)?;
        // one legend for every panel, in a strip under the title (outside the plots)
        let (strip, root) = root.split_vertically(30);
        draw_legend_strip(&strip, &legend(series, true))?;
        let panels = root.split_evenly((rows, cols));
        for (g, area) in groups.iter().zip(panels.iter()) {
            draw_sweep_panel(file, series, axis, g, area)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(Some(svg))
}

fn draw_sweep_panel(
    file: &ResultsFile,
    series: &[String],
    axis: Axis,
    (kind, fixed, xs): &(String, usize, Vec<usize>),
    area: &DrawingArea<SVGBackend<'_>, Shift>,
) -> Result<()> {
    let in_group = |c: &&Case| {
        &group(c) == kind
            && match axis {
                Axis::P => c.dataset.n == *fixed,
                Axis::N => c.dataset.p == *fixed,
            }
    };
    let x_of = |c: &Case| match axis {
        Axis::P => c.dataset.p as f64,
        Axis::N => c.dataset.n as f64,
    };
    let cases: Vec<&Case> = file.cases.iter().filter(in_group).collect();
    let ys: Vec<f64> = cases
        .iter()
        .map(|c| c.seconds.median)
        .filter(|v| *v > 0.0)
        .collect();
    let (ylo, yhi) = log_pad(min_max(&ys).0, min_max(&ys).1);
    let xf: Vec<f64> = xs.iter().map(|&x| x as f64).collect();
    let (xlo, xhi) = min_max(&xf);
    let (xlo, xhi) = (xlo / 1.3, xhi * 1.3);
    let caption = match axis {
        Axis::P => format!("{kind}, n = {fixed}"),
        Axis::N => format!("{kind}, p = {fixed}"),
    };
    let mut chart = log_log_panel(area, &caption, 15, (xlo, xhi), (ylo, yhi))?;
    chart
        .configure_mesh()
        .x_desc(match axis {
            Axis::P => "p",
            Axis::N => "n",
        })
        .y_desc("seconds")
        .x_label_formatter(&|x| log_tick(*x))
        .y_label_formatter(&|y| log_tick(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .bold_line_style(RGBColor(215, 215, 215))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(plot_err)?;
    for (si, s) in series.iter().enumerate() {
        let mut pts: Vec<(f64, f64)> = cases
            .iter()
            .filter(|c| &series_name(c) == s && c.seconds.median > 0.0)
            .map(|c| (x_of(c), c.seconds.median))
            .collect();
        if pts.is_empty() {
            continue;
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        draw_line(&mut chart, &pts, s, color(si))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed results of the quick suite (path and 5-fold CV cases, six solvers).
    fn quick() -> ResultsFile {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../results/quick-lavapipe.json"
        );
        crate::results::read(std::path::Path::new(path)).unwrap()
    }

    use crate::report::svg_texts as texts;

    #[test]
    fn report_charts_share_one_width_and_say_what_is_timed() {
        let file = quick();
        let charts = report_svgs(&file).unwrap();
        assert!(charts.len() >= 3);
        for (title, svg) in &charts {
            assert!(
                svg.starts_with(&format!("<svg width=\"{REPORT_WIDTH}\"")),
                "{title}: {}",
                &svg[..80]
            );
        }
        let time = &charts[0].1;
        assert!(
            time.contains("a 100-alpha path, or 5-fold CV over it"),
            "{time}"
        );
        // the y-range fits the data: no tick above ten times the slowest run
        let slowest = file.cases.iter().map(|c| c.seconds.max).fold(0.0, f64::max);
        let top_tick = texts(time)
            .iter()
            .filter_map(|t| t.parse::<f64>().ok())
            .fold(0.0, f64::max);
        assert!(
            top_tick > slowest / 10.0 && top_tick <= 10.0 * slowest,
            "top tick {top_tick} for a slowest run of {slowest} s"
        );
        // every solver in the legend strip, once
        for s in ["cpu-cd/f64", "gpu-fista/f32"] {
            assert_eq!(texts(time).iter().filter(|t| *t == s).count(), 1, "{s}");
        }
    }

    #[test]
    fn category_labels_wrap_keeping_the_size_together() {
        assert_eq!(
            wrap_label("logistic classification n200 p100", 22),
            ["logistic", "classification", "n200 p100"]
        );
        assert_eq!(wrap_label("gene n200 p100", 22), ["gene n200 p100"]);
        assert_eq!(wrap_label("n200 p100", 4), ["n200 p100"]);
    }

    #[test]
    fn log_axis_ticks_are_placed_once() {
        let axis = TickedAxis::log(77.0, 1300.0);
        let labels: Vec<String> = axis.major.iter().map(|&v| log_tick(v)).collect();
        assert_eq!(labels, ["100", "200", "500", "1000"]);
        let mut minor = axis.minor.clone();
        minor.dedup_by(|a, b| (*a / *b - 1.0).abs() < 1e-9);
        assert_eq!(minor.len(), axis.minor.len());
    }
}
