//! What every chart shares: colours, axis ranges, tick labels, plotting errors.

use crate::results::Case;
use anyhow::anyhow;
use plotters::prelude::*;

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

pub fn color(i: usize) -> RGBColor {
    COLORS[i % COLORS.len()]
}

pub fn plot_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("plotting failed: {e:?}")
}

pub fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// A log-axis range around [lo, hi] with some room (a decade when the values are equal).
pub fn log_pad(lo: f64, hi: f64) -> (f64, f64) {
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
pub fn legend_room((lo, hi): (f64, f64), n_series: usize) -> (f64, f64) {
    let free = (0.06 * n_series as f64 + 0.06).min(0.6);
    (lo, lo * (hi / lo).powf(1.0 / (1.0 - free)))
}

/// Log-axis tick labels only at 1, 2 and 5 times a power of ten, so labels never crowd.
pub fn log_tick(v: f64) -> String {
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
pub fn fmt_num(v: f64) -> String {
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

/// A solver at a precision, as the report draws it.
pub fn series_name(c: &Case) -> String {
    format!("{}/{}", c.solver, c.precision)
}

/// A log-log chart on an SVG string, as the report's line charts draw.
pub type LogLog<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<LogCoord<f64>, LogCoord<f64>>>;

/// A log-log panel of the report on `area`, captioned, over x ∈ [xlo, xhi], y ∈ [ylo, yhi].
pub fn log_log_panel<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    caption: &str,
    font_size: u32,
    (xlo, xhi): (f64, f64),
    (ylo, yhi): (f64, f64),
) -> Result<LogLog<'a, 'b>, anyhow::Error> {
    ChartBuilder::on(area)
        .caption(caption, ("sans-serif", font_size))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..yhi).log_scale())
        .map_err(plot_err)
}

/// One series as a line through round markers, with its legend entry (`pts` sorted by x).
pub fn draw_line(
    chart: &mut LogLog,
    pts: &[(f64, f64)],
    label: &str,
    col: RGBColor,
) -> Result<(), anyhow::Error> {
    chart
        .draw_series(LineSeries::new(pts.to_vec(), col.stroke_width(2)))
        .map_err(plot_err)?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2)));
    chart
        .draw_series(pts.iter().map(|&p| Circle::new(p, 4, col.filled())))
        .map_err(plot_err)?;
    Ok(())
}

/// The legend box of every chart, at `position`.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), anyhow::Error> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(plot_err)?;
    Ok(())
}

/// x = −log10(alpha) for every alpha (alpha decreases to the right) and the axis range, a unit
/// wide around a single alpha.
pub fn alpha_axis(alphas: &[f64]) -> (Vec<f64>, f64, f64) {
    let xs: Vec<f64> = alphas.iter().map(|a| -a.log10()).collect();
    let (mut x0, mut x1) = min_max(&xs);
    if x1 - x0 < 1e-9 {
        x0 -= 0.5;
        x1 += 0.5;
    }
    (xs, x0, x1)
}

/// The title (large) and subtitle (grey) lines of a single-chart figure, in its top strip.
pub fn draw_header(
    top: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    subtitle: &str,
) -> Result<(), anyhow::Error> {
    top.draw(&Text::new(
        title.to_string(),
        (16, 8),
        ("sans-serif", 20).into_font().color(&BLACK),
    ))
    .map_err(plot_err)?;
    top.draw(&Text::new(
        subtitle.to_string(),
        (16, 33),
        ("sans-serif", 14).into_font().color(&RGBColor(80, 80, 80)),
    ))
    .map_err(plot_err)?;
    Ok(())
}

/// Columns, rows and pixel size of a figure of `panels` charts, three to a row, at least
/// `min_width` wide with `extra_height` for titles.
pub fn panel_grid(panels: usize, min_width: u32, extra_height: u32) -> (usize, usize, u32, u32) {
    let cols = panels.clamp(1, 3);
    let rows = panels.div_ceil(cols);
    let w = (400 * cols as u32 + 40).max(min_width);
    (cols, rows, w, 380 * rows as u32 + extra_height)
}

#[cfg(test)]
mod tests {
    use super::*;

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
