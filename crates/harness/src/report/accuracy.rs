//! The time-to-accuracy chart of `regpath report`: per path workload, the certified worst
//! relative suboptimality against seconds (log-log), one line per solver through its ladder
//! points — benchopt's suboptimality curve, every point certified.

use super::style::{
    color, draw_line, log_log_panel, log_pad, log_tick, min_max, panel_grid, plot_err, series_name,
};
use crate::results::{Case, ResultsFile};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Suboptimalities at or below this are drawn at it (the reference's own accuracy).
const FLOOR: f64 = 1e-14;

/// (seconds, suboptimality) points of a case: its ladder, or its one point.
fn points(c: &Case) -> Vec<(f64, f64)> {
    let raw: Vec<(f64, f64)> = if c.ladder.is_empty() {
        vec![(c.seconds.median, c.agreement.max_rel_subopt)]
    } else {
        c.ladder
            .iter()
            .map(|p| (p.seconds.median, p.max_rel_subopt))
            .collect()
    };
    raw.into_iter()
        .filter(|(s, a)| *s > 0.0 && a.is_finite())
        .map(|(s, a)| (s, a.max(FLOOR)))
        .collect()
}

/// The chart (None when no path case has a ladder).
pub fn accuracy_chart(file: &ResultsFile, series: &[String]) -> Result<Option<String>> {
    let mut workloads: Vec<&str> = Vec::new();
    for c in file.cases.iter().filter(|c| !c.ladder.is_empty()) {
        if !workloads.contains(&c.workload()) {
            workloads.push(c.workload());
        }
    }
    if workloads.is_empty() {
        return Ok(None);
    }
    let (cols, rows, w, h) = panel_grid(workloads.len(), 940, 80);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let root = root
            .titled(
                &format!(
                    "{} suite: certified accuracy vs time (worst relative suboptimality over the path; points = tolerances)",
                    file.suite
                ),
                ("sans-serif", 16),
            )
            .map_err(plot_err)?;
        // one legend for every panel, in a strip under the title
        let (strip, root) = root.split_vertically(28);
        for (si, s) in series.iter().enumerate() {
            let x = 20 + 150 * si as i32;
            let col = color(si);
            strip
                .draw(&PathElement::new(
                    vec![(x, 14), (x + 22, 14)],
                    col.stroke_width(3),
                ))
                .map_err(plot_err)?;
            strip
                .draw(&Text::new(s.clone(), (x + 28, 7), ("sans-serif", 13)))
                .map_err(plot_err)?;
        }
        let panels = root.split_evenly((rows, cols));
        for (wl, area) in workloads.iter().zip(panels.iter()) {
            let cases: Vec<&Case> = file.cases.iter().filter(|c| c.workload() == *wl).collect();
            panel(wl, &cases, series, area)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(Some(svg))
}

fn panel(
    workload: &str,
    cases: &[&Case],
    series: &[String],
    area: &DrawingArea<SVGBackend<'_>, Shift>,
) -> Result<()> {
    let all: Vec<(f64, f64)> = cases.iter().flat_map(|c| points(c)).collect();
    let xs: Vec<f64> = all.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = all.iter().map(|p| p.1).collect();
    let x_range = log_pad(min_max(&xs).0, min_max(&xs).1);
    let y_range = log_pad(min_max(&ys).0, min_max(&ys).1);
    let mut chart = log_log_panel(area, workload, 14, x_range, y_range)?;
    chart
        .configure_mesh()
        .x_desc("seconds (median)")
        .y_desc("worst relative suboptimality")
        .x_label_formatter(&|x| log_tick(*x))
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(plot_err)?;
    for (si, s) in series.iter().enumerate() {
        let Some(c) = cases.iter().find(|c| &series_name(c) == s) else {
            continue;
        };
        let mut pts = points(c);
        if pts.is_empty() {
            continue;
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        draw_line(&mut chart, &pts, s, color(si))?;
    }
    Ok(())
}
