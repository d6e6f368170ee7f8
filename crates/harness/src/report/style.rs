//! What every chart shares: colours, axis ranges, tick labels, plotting errors.

use crate::results::Case;
use anyhow::anyhow;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// The colour of series `i` (tab10, cycling).
pub fn color(i: usize) -> RGBColor {
    COLORS[i % COLORS.len()]
}

/// The colour of labelled line `i` drawn over grey ones: tab10 without its grey (cycling).
pub fn label_color(i: usize) -> RGBColor {
    const GREY: usize = 7;
    COLORS[(0..COLORS.len())
        .filter(|&c| c != GREY)
        .cycle()
        .nth(i)
        .unwrap_or(0)]
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
pub type LogLog<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<TickedAxis, TickedAxis>>;

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
        .build_cartesian_2d(TickedAxis::log(xlo, xhi), TickedAxis::log(ylo, yhi))
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
pub fn draw_header<DB: DrawingBackend>(
    top: &DrawingArea<DB, plotters::coord::Shift>,
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
        (16, 34),
        ("sans-serif", 14).into_font().color(&RGBColor(80, 80, 80)),
    ))
    .map_err(plot_err)?;
    Ok(())
}

/// `k` in superscript digits (−1 → "⁻¹"), for tick labels like 10⁻¹.
pub fn superscript(k: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if k < 0 {
        s.push('⁻');
    }
    for c in k.unsigned_abs().to_string().chars() {
        s.push(DIGITS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// The tick label of alpha at x = −log10(alpha): `10⁻¹` at a power of ten, `2×10⁻¹` at another
/// multiple (the ticks [`alpha_ticks`] places).
pub fn alpha_label(x: f64) -> String {
    let a = 10f64.powf(-x);
    let mut k = (a.log10() + 1e-9).floor();
    let mut m = (a / 10f64.powf(k)).round();
    if m >= 10.0 {
        (m, k) = (1.0, k + 1.0);
    }
    if m <= 1.0 {
        format!("10{}", superscript(k as i32))
    } else {
        format!("{m}×10{}", superscript(k as i32))
    }
}

/// Tick positions of a log alpha axis over x = −log10(alpha) ∈ [x0, x1]: labelled ticks at the
/// powers of ten (at 1, 2 and 5 times them when fewer than three powers fall in the range) and
/// grid lines at every integer multiple of a power of ten.
pub fn alpha_ticks(x0: f64, x1: f64) -> (Vec<f64>, Vec<f64>) {
    // alpha = 10^-x, so alpha runs over [10^-x1, 10^-x0]
    let (k0, k1) = ((-x1).floor() as i32 - 1, (-x0).ceil() as i32 + 1);
    let inside = |x: f64| x >= x0 - 1e-9 && x <= x1 + 1e-9;
    let at = |m: f64, k: i32| -(m * 10f64.powi(k)).log10();
    let multiples = |ms: &[f64]| -> Vec<f64> {
        (k0..=k1)
            .flat_map(|k| ms.iter().map(move |&m| at(m, k)))
            .filter(|&x| inside(x))
            .collect::<Vec<f64>>()
    };
    let sorted = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v
    };
    let decades = multiples(&[1.0]);
    let major = if decades.len() >= 3 {
        decades
    } else {
        multiples(&[1.0, 2.0, 5.0])
    };
    let minor = multiples(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    (sorted(major), sorted(minor))
}

/// An axis over [lo, hi], linear or logarithmic, with chosen ticks: `major` labelled, with grid
/// lines, `minor` light grid lines only. Every tick is placed once (plotters' own log axis can
/// place one twice, which draws its label bold).
pub struct TickedAxis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub major: Vec<f64>,
    pub minor: Vec<f64>,
}

impl TickedAxis {
    /// The log alpha axis over x = −log10(alpha) ∈ [x0, x1] (linear in x).
    pub fn alpha(x0: f64, x1: f64) -> TickedAxis {
        let (major, minor) = alpha_ticks(x0, x1);
        TickedAxis {
            lo: x0,
            hi: x1,
            log: false,
            major,
            minor,
        }
    }

    /// A log axis over [lo, hi] (both > 0): ticks at the powers of ten, or at 1, 2 and 5 times
    /// them when fewer than three powers fall in the range; light lines at the other multiples.
    pub fn log(lo: f64, hi: f64) -> TickedAxis {
        let (major, minor) = alpha_ticks(-hi.log10(), -lo.log10());
        let values = |xs: Vec<f64>| xs.into_iter().rev().map(|x| 10f64.powf(-x)).collect();
        TickedAxis {
            lo,
            hi,
            log: true,
            major: values(major),
            minor: values(minor),
        }
    }

    /// `n` categories at 0, 1, …, n − 1 over [−0.5, n − 0.5], each ticked, no light lines.
    pub fn categories(n: usize) -> TickedAxis {
        TickedAxis {
            lo: -0.5,
            hi: n as f64 - 0.5,
            log: false,
            major: (0..n).map(|i| i as f64).collect(),
            minor: Vec::new(),
        }
    }
}

impl Ranged for TickedAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (a, b): (i32, i32)) -> i32 {
        let f = |v: f64| if self.log { v.log10() } else { v };
        let (lo, hi) = (f(self.lo), f(self.hi));
        let t = if hi > lo {
            (f(*v) - lo) / (hi - lo)
        } else {
            0.5
        };
        a + (t * (b - a) as f64).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.major.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Places on a top axis that show the number of non-zero coefficients.
const NNZ_AXIS_LABELS: usize = 9;

/// glmnet's top axis over a plot area from pixel `left` to `right` whose top edge is at `top`:
/// the number of non-zero coefficients `nnz[i]` at alpha i (at x = `xs[i]`, `px` mapping x to
/// pixels), shown at up to nine evenly spread alphas, under the caption "non-zero coefficients".
pub fn draw_nnz_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    xs: &[f64],
    nnz: &[usize],
    (left, right, top): (i32, i32, i32),
    px: impl Fn(f64) -> i32,
) -> Result<(), anyhow::Error> {
    let k = xs.len().min(nnz.len());
    if k == 0 {
        return Ok(());
    }
    let (x0, x1) = min_max(&xs[..k]);
    let mut picks: Vec<usize> = (0..NNZ_AXIS_LABELS.min(k))
        .map(|t| {
            let target = x0 + (x1 - x0) * t as f64 / (NNZ_AXIS_LABELS.min(k) - 1).max(1) as f64;
            (0..k)
                .min_by(|&a, &b| (xs[a] - target).abs().total_cmp(&(xs[b] - target).abs()))
                .unwrap_or(0)
        })
        .collect();
    picks.dedup();
    let ink = RGBColor(60, 60, 60);
    let style = ("sans-serif", 15)
        .into_font()
        .color(&ink)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    root.draw(&PathElement::new(vec![(left, top), (right, top)], ink))
        .map_err(plot_err)?;
    for &i in &picks {
        let x = px(xs[i]);
        root.draw(&PathElement::new(vec![(x, top), (x, top - 5)], ink))
            .map_err(plot_err)?;
        root.draw(&Text::new(nnz[i].to_string(), (x, top - 8), style.clone()))
            .map_err(plot_err)?;
    }
    root.draw(&Text::new(
        "non-zero coefficients",
        ((left + right) / 2, top - 28),
        style,
    ))
    .map_err(plot_err)?;
    Ok(())
}

/// Registers the font every chart's text is drawn (PNG) and measured (SVG and PNG) with: DejaVu
/// Sans, compiled in from the `dejavu` crate (free licence, see its LICENSE), so that text needs
/// no system font — a fresh machine or a CI container may have none, and plotters' default
/// font-kit route then fails. Call before drawing; later calls do nothing.
pub fn register_fonts() -> Result<(), anyhow::Error> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        let normal = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let bold = register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
        normal.is_ok() && bold.is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(anyhow!(
            "plotting failed: the bundled DejaVu Sans font did not load"
        ))
    }
}

/// One entry of a legend drawn beside a chart: its label, colour and whether it is a line (or a
/// marker).
pub struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    pub line: bool,
}

/// A legend as one row of entries in a strip of `area` (outside every plot area), wrapping to a
/// second row when the entries do not fit; returns the rows used.
pub fn draw_legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[LegendEntry],
) -> Result<usize, anyhow::Error> {
    let width = area.dim_in_pixel().0 as i32;
    let (mut x, mut y, mut rows) = (20i32, 12i32, 1usize);
    for e in entries {
        let w = 40 + 9 * e.label.chars().count() as i32;
        if x + w > width - 10 && x > 20 {
            x = 20;
            y += 22;
            rows += 1;
        }
        if e.line {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 22, y)],
                e.color.stroke_width(3),
            ))
            .map_err(plot_err)?;
        } else {
            area.draw(&Circle::new((x + 11, y), 5, e.color.filled()))
                .map_err(plot_err)?;
        }
        area.draw(&Text::new(
            e.label.clone(),
            (x + 28, y),
            ("sans-serif", 14)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(plot_err)?;
        x += w;
    }
    Ok(rows)
}

/// Width of every chart of the report (the HTML page's width): panels share it, so none leaves
/// part of the width empty.
pub const REPORT_WIDTH: u32 = 1200;

/// Columns, rows and pixel size of a figure of `panels` charts, three to a row, spread over
/// [`REPORT_WIDTH`] (or `min_width` when wider), with `extra_height` for titles and legends.
pub fn panel_grid(panels: usize, min_width: u32, extra_height: u32) -> (usize, usize, u32, u32) {
    let cols = panels.clamp(1, 3);
    let rows = panels.div_ceil(cols);
    let w = REPORT_WIDTH.max(min_width);
    (cols, rows, w, 400 * rows as u32 + extra_height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_tick_labels_are_powers_of_ten() {
        assert_eq!(alpha_label(1.0), "10⁻¹");
        assert_eq!(alpha_label(0.0), "10⁰");
        assert_eq!(alpha_label(-2.0), "10²");
        assert_eq!(alpha_label(-(0.02f64).log10()), "2×10⁻²");
        // alpha from 0.05 to 30: the powers 0.1, 1 and 10 are labelled
        let (major, minor) = alpha_ticks(-(30f64).log10(), -(0.05f64).log10());
        let labels: Vec<String> = major.iter().map(|&x| alpha_label(x)).collect();
        assert_eq!(labels, ["10¹", "10⁰", "10⁻¹"]);
        assert!(minor.len() > major.len());
        // less than a decade (0.15 to 0.6): 1, 2 and 5 times a power
        let (major, _) = alpha_ticks(-(0.6f64).log10(), -(0.15f64).log10());
        let labels: Vec<String> = major.iter().map(|&x| alpha_label(x)).collect();
        assert_eq!(labels, ["5×10⁻¹", "2×10⁻¹"]);
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
