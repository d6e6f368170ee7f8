//! SVG plots (plotters): the regularization path of `regpath path --plot`, and the charts of
//! `regpath report` (time per case, time vs p, time vs n, speedup over cpu-cd).

use crate::results::{Case, ResultsFile};
use anyhow::{anyhow, Context, Result};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Most features drawn in a path plot; the ones with the largest max |coef| are kept.
pub const MAX_PATH_LINES: usize = 50;

/// Ten distinguishable colours (matplotlib's tab10).
const COLORS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn color(i: usize) -> RGBColor {
    COLORS[i % COLORS.len()]
}

fn plot_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("plotting failed: {e:?}")
}

/// The regularization path: coefficients against alpha on a log scale, alpha decreasing from left
/// to right (scikit-learn's lasso-path figure), one line per feature that is ever non-zero — at
/// most [`MAX_PATH_LINES`], those with the largest max |coef| (the title says when lines are left out).
pub fn path_svg(alphas: &[f64], coefs: &Array2<f64>, title: &str, out: &Path) -> Result<()> {
    let svg = path_svg_string(alphas, coefs, title)?;
    crate::results::write_atomic(out, svg.as_bytes())
}

/// [`path_svg`] into a string.
pub fn path_svg_string(alphas: &[f64], coefs: &Array2<f64>, title: &str) -> Result<String> {
    let (k, p) = coefs.dim();
    if k != alphas.len() || k == 0 {
        return Err(anyhow!(
            "path plot: {} alphas but {k} coefficient rows",
            alphas.len()
        ));
    }
    if let Some(a) = alphas.iter().find(|a| !(a.is_finite() && **a > 0.0)) {
        return Err(anyhow!("path plot: alpha {a} is not finite and > 0"));
    }
    let mut entering: Vec<(usize, f64)> = (0..p)
        .filter_map(|j| {
            let m = coefs.column(j).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            (m > 0.0 && m.is_finite()).then_some((j, m))
        })
        .collect();
    let n_entering = entering.len();
    entering.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    entering.truncate(MAX_PATH_LINES);
    entering.sort_by_key(|e| e.0);
    let subtitle = if n_entering > MAX_PATH_LINES {
        format!("{MAX_PATH_LINES} of {n_entering} non-zero features shown (largest max |coef|)")
    } else {
        format!(
            "{n_entering} of {p} feature{} non-zero somewhere on the path",
            if p == 1 { "" } else { "s" }
        )
    };

    // x = −log10(alpha): alpha decreases to the right; tick labels show alpha itself.
    let xs: Vec<f64> = alphas.iter().map(|a| -a.log10()).collect();
    let (mut x0, mut x1) = min_max(&xs);
    if x1 - x0 < 1e-9 {
        x0 -= 0.5;
        x1 += 0.5;
    }
    let (mut y0, mut y1) = (0.0f64, 0.0f64);
    for &(j, _) in &entering {
        for v in coefs.column(j) {
            y0 = y0.min(*v);
            y1 = y1.max(*v);
        }
    }
    if y1 - y0 < 1e-300 {
        y0 -= 1.0;
        y1 += 1.0;
    }
    let pad = 0.05 * (y1 - y0);
    // Enough decimals for about three significant digits of the axis span.
    let decimals = (2.0 - (y1 - y0).log10().floor()).clamp(0.0, 12.0) as usize;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 600)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let (top, body) = root.split_vertically(56);
        top.draw(&Text::new(
            title.to_string(),
            (16, 8),
            ("sans-serif", 20).into_font().color(&BLACK),
        ))
        .map_err(plot_err)?;
        top.draw(&Text::new(
            subtitle,
            (16, 33),
            ("sans-serif", 14).into_font().color(&RGBColor(80, 80, 80)),
        ))
        .map_err(plot_err)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("alpha (log scale, decreasing →)")
            .y_desc("coefficient")
            .x_label_formatter(&|x| format!("{:.1e}", 10f64.powf(-*x)))
            .y_label_formatter(&|y| format!("{y:.decimals$}"))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(plot_err)?;
        chart
            .draw_series(LineSeries::new(
                vec![(x0, 0.0), (x1, 0.0)],
                RGBColor(160, 160, 160),
            ))
            .map_err(plot_err)?;
        let legend = entering.len() <= 12;
        for (i, &(j, _)) in entering.iter().enumerate() {
            let c = color(i);
            let pts: Vec<(f64, f64)> = xs
                .iter()
                .zip(coefs.column(j).iter())
                .map(|(x, v)| (*x, *v))
                .collect();
            let s = chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))
                .map_err(plot_err)?;
            if legend {
                s.label(format!("x{j}")).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                });
            }
        }
        if legend && !entering.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .draw()
                .map_err(plot_err)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// What a case ran on, as the report groups cases: the dataset kind, prefixed with the task
/// when it is not a plain lasso path (`gene`, `cv5/lasso gene`, `logistic classification`).
fn group(c: &Case) -> String {
    match c.task() {
        "" | "lasso" => c.dataset.kind.clone(),
        task => format!("{task} {}", c.dataset.kind),
    }
}

/// A solver at a precision, as the report draws it.
fn series_name(c: &Case) -> String {
    format!("{}/{}", c.solver, c.precision)
}

/// The charts of a results file as one SVG per chart (title, svg).
pub fn report_svgs(file: &ResultsFile) -> Result<Vec<(String, String)>> {
    if file.cases.is_empty() {
        return Err(anyhow!("the results file has no cases to plot"));
    }
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
    if series.iter().any(|s| s.starts_with("cpu-cd/")) && series.len() > 1 {
        out.push((
            "Speedup over cpu-cd".to_string(),
            categorical_chart(file, &series, true)?,
        ));
    }
    Ok(out)
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
    let (lo, hi) = legend_room(log_pad(lo, hi), series.len());
    // room for the longest category label (about 7 px a character) under each marker group
    let longest = ds.iter().map(|d| d.3.chars().count()).max().unwrap_or(0);
    let width = ((7 * longest + 24).max(140) * ds.len()).clamp(700, 2400) as u32;
    let title = if speedup {
        format!(
            "{} suite: speedup over cpu-cd (cpu-cd median / solver median; > 1 is faster)",
            file.suite
        )
    } else {
        format!(
            "{} suite: seconds per {}-alpha path (median, bars min–max)",
            file.suite, file.cases[0].problem.n_alphas
        )
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let n = ds.len();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 17))
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(74)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo..hi).log_scale())
            .map_err(plot_err)?;
        let labels: Vec<String> = ds.iter().map(|d| d.3.clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n + 1)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .y_desc(if speedup { "speedup (×)" } else { "seconds" })
            .y_label_formatter(&|y| fmt_num(*y))
            .light_line_style(RGBColor(235, 235, 235))
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
        for (si, s) in series.iter().enumerate() {
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
                .map_err(plot_err)?
                .label(s.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 5, c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()
            .map_err(plot_err)?;
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
    let cols = groups.len().min(3);
    let rows = groups.len().div_ceil(cols);
    let (w, h) = ((400 * cols as u32 + 40).max(720), 380 * rows as u32 + 50);
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
                &format!("{} suite: {what}, median, log-log", file.suite),
                ("sans-serif", 17),
            )
            .map_err(plot_err)?;
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
    let (ylo, yhi) = legend_room(log_pad(min_max(&ys).0, min_max(&ys).1), series.len());
    let xf: Vec<f64> = xs.iter().map(|&x| x as f64).collect();
    let (xlo, xhi) = min_max(&xf);
    let (xlo, xhi) = (xlo / 1.3, xhi * 1.3);
    let caption = match axis {
        Axis::P => format!("{kind}, n = {fixed}"),
        Axis::N => format!("{kind}, p = {fixed}"),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..yhi).log_scale())
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc(match axis {
            Axis::P => "p",
            Axis::N => "n",
        })
        .y_desc("seconds")
        .x_label_formatter(&|x| log_tick(*x))
        .y_label_formatter(&|y| log_tick(*y))
        .light_line_style(RGBColor(235, 235, 235))
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
        let c = color(si);
        chart
            .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
            .map_err(plot_err)?
            .label(s.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 4, c.filled())))
            .map_err(plot_err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(plot_err)?;
    Ok(())
}

/// A log-axis range around [lo, hi] with some room (a decade when the values are equal).
fn log_pad(lo: f64, hi: f64) -> (f64, f64) {
    if lo.is_nan() || lo <= 0.0 || !hi.is_finite() {
        return (1e-3, 1.0);
    }
    if hi / lo < 1.5 {
        (lo / 3.0, hi * 3.0)
    } else {
        (lo / 1.5, hi * 1.5)
    }
}

/// Raises the top of a log axis so the legend (upper left, one line per series) covers no data:
/// the data keep the lower part of the plot.
fn legend_room((lo, hi): (f64, f64), n_series: usize) -> (f64, f64) {
    let free = (0.06 * n_series as f64 + 0.06).min(0.6);
    (lo, lo * (hi / lo).powf(1.0 / (1.0 - free)))
}

/// Log-axis tick labels only at 1, 2 and 5 times a power of ten, so labels never crowd.
fn log_tick(v: f64) -> String {
    if v.is_nan() || v <= 0.0 {
        return String::new();
    }
    let mant = v / 10f64.powf(v.log10().floor());
    if [1.0, 2.0, 5.0, 10.0]
        .iter()
        .any(|m| (mant - m).abs() < 1e-6)
    {
        fmt_num(v)
    } else {
        String::new()
    }
}

/// Short tick labels: 0.001, 0.5, 20, 1e4.
fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        format!("{v:.0e}")
    } else if a >= 10.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Writes the report: one SVG stacking every chart, or an HTML page with the charts inline and
/// the table of cases.
pub fn write_report(file: &ResultsFile, source: &Path, out: &Path) -> Result<()> {
    let charts = report_svgs(file)?;
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("svg") => stack_svgs(&charts),
        _ => html_page(file, source, &charts),
    };
    crate::results::write_atomic(out, bytes.as_bytes())
        .with_context(|| format!("writing {}", out.display()))
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
        "<style>body{font-family:sans-serif;margin:2em;max-width:1500px}\
         table{border-collapse:collapse;font-size:13px}\
         td,th{border:1px solid #ccc;padding:3px 8px}td.num{text-align:right;font-family:monospace}\
         .fail{color:#b00;font-weight:bold}svg{display:block;margin:1em 0}</style>\n</head>\n<body>\n",
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
    h.push_str("<h2>Cases</h2>\n<table>\n<tr><th>case</th><th>median s</th><th>min s</th><th>max s</th><th>runs</th><th>vs cpu-cd</th><th>rel subopt</th><th>gap</th><th>jaccard</th><th>epochs</th><th>submits</th><th>readbacks</th><th>x passes</th><th>agreement</th></tr>\n");
    for c in &file.cases {
        let base = file.case(&c.baseline_id());
        let speed = base
            .map(|b| crate::table::speedup(b.seconds.median / c.seconds.median))
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
            crate::agreement::sci(a.max_rel_subopt),
            crate::agreement::sci(a.max_gap),
            a.min_support_jaccard,
            k.epochs,
            k.submits,
            k.readbacks,
            k.x_passes
        ));
    }
    h.push_str("</table>\n</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn path_plot_draws_one_line_per_entering_feature() {
        let alphas = [1.0, 0.1, 0.01];
        let coefs = array![[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [1.0, -0.5, 0.0]];
        let svg = path_svg_string(&alphas, &coefs, "t").unwrap();
        assert!(svg.contains("2 of 3 features non-zero"), "{svg}");
        let has = |label: &str| svg.lines().any(|l| l.trim() == label);
        assert!(has("x0") && has("x1") && !has("x2"), "{svg}");
    }

    #[test]
    fn path_plot_caps_the_lines() {
        let alphas: Vec<f64> = (0..5).map(|i| 10f64.powi(-i)).collect();
        let coefs = Array2::from_shape_fn((5, 80), |(k, j)| (k * (j + 1)) as f64);
        let svg = path_svg_string(&alphas, &coefs, "t").unwrap();
        assert!(svg.contains("50 of 80 non-zero features shown"), "{svg}");
    }

    #[test]
    fn number_labels() {
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(20.0), "20");
        assert_eq!(fmt_num(20000.0), "2e4");
        assert_eq!(fmt_num(1e-5), "1e-5");
        assert_eq!(log_tick(200.0), "200");
        assert_eq!(log_tick(300.0), "");
    }
}
