//! The cross-validation plot of `regpath cv --plot` (glmnet's `plot.cv.glmnet`): the mean
//! validation error with one-standard-error bars against alpha (log scale, decreasing to the
//! right), dashed lines at alpha_min and alpha_1se, and the number of non-zero coefficients on a
//! top axis when it is known.

use super::figure::{render, write_figure, Figure, PlotFormat};
use super::style::{
    alpha_axis, alpha_label, draw_header, draw_nnz_axis, fmt_num, min_max, plot_err, TickedAxis,
};
use crate::cv::CvResult;
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use regpath_core::problem::check_alphas;
use std::path::Path;

/// A cross-validation curve to draw: per alpha the mean validation error and its standard error,
/// the chosen alphas, and, when known, the number of non-zero coefficients per alpha (of the fit
/// on all samples) for the top axis.
pub struct CvFigure<'a> {
    pub alphas: &'a [f64],
    pub mean: &'a [f64],
    pub se: &'a [f64],
    pub alpha_min: f64,
    pub alpha_1se: f64,
    pub folds: usize,
    /// `mse` or `deviance`, as [`CvResult::metric`].
    pub metric: &'a str,
    pub nnz: Option<&'a [usize]>,
    pub title: &'a str,
}

impl<'a> CvFigure<'a> {
    /// The figure of a cross-validation result, its top axis the refit's nnz per alpha.
    pub fn of(cv: &'a CvResult, title: &'a str) -> CvFigure<'a> {
        CvFigure {
            alphas: &cv.alphas,
            mean: &cv.mean,
            se: &cv.se,
            alpha_min: cv.alpha_min,
            alpha_1se: cv.alpha_1se,
            folds: cv.folds,
            metric: cv.metric,
            nnz: Some(&cv.nnz),
            title,
        }
    }
}

/// Writes the plot of `cv` to `out`, SVG or PNG by its extension (`--plot` names the argument in
/// the error for any other).
pub fn write_cv_plot(cv: &CvResult, title: &str, out: &Path) -> Result<()> {
    let fig = CvFigure::of(cv, title);
    fig.check()?;
    write_figure(&fig, out, "--plot")
}

/// The plot as SVG text.
pub fn cv_svg_string(fig: &CvFigure) -> Result<String> {
    fig.check()?;
    String::from_utf8(render(fig, PlotFormat::Svg)?).map_err(|e| anyhow!("cv plot: {e}"))
}

impl CvFigure<'_> {
    fn check(&self) -> Result<()> {
        let cv = self;
        let k = cv.alphas.len();
        if k == 0 || cv.mean.len() != k || cv.se.len() != k {
            return Err(anyhow!("cv plot: {k} alphas but {} means", cv.mean.len()));
        }
        check_alphas(cv.alphas).map_err(|e| anyhow!("cv plot: {e}"))?;
        if self.nnz.is_some_and(|n| n.len() != k) {
            return Err(anyhow!("cv plot: {k} alphas but not as many nnz counts"));
        }
        Ok(())
    }
}

impl Figure for CvFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 660)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let cv = self;
        // x = −log10(alpha): alpha decreases to the right; tick labels show alpha itself
        let (xs, x0, x1) = alpha_axis(cv.alphas);
        let lows: Vec<f64> = cv
            .mean
            .iter()
            .zip(cv.se.iter())
            .map(|(m, s)| m - s)
            .collect();
        let highs: Vec<f64> = cv
            .mean
            .iter()
            .zip(cv.se.iter())
            .map(|(m, s)| m + s)
            .collect();
        let (y0, y1) = (min_max(&lows).0, min_max(&highs).1);
        let pad = 0.05 * (y1 - y0).max(1e-12 * y1.abs().max(1.0));
        let (y0, y1) = (y0 - pad, y1 + pad);
        let metric = if cv.metric == "mse" {
            "mean squared error"
        } else {
            "mean binomial deviance"
        };
        root.fill(&WHITE).map_err(plot_err)?;
        let (top, body) = root.split_vertically(58);
        let subtitle = format!(
            "{}-fold validation {metric}: mean ± one standard error; dashed: alpha_min and alpha_1se",
            cv.folds
        );
        draw_header(&top, self.title, &subtitle)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .margin_right(24)
            .margin_top(if self.nnz.is_some() { 50 } else { 12 })
            .x_label_area_size(52)
            .y_label_area_size(86)
            .build_cartesian_2d(TickedAxis::alpha(x0, x1), y0..y1)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("alpha (log scale, decreasing →)")
            .y_desc(metric)
            .x_label_formatter(&|x| alpha_label(*x))
            .y_label_formatter(&|y| fmt_num(*y))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .y_max_light_lines(1)
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(plot_err)?;
        let grey = RGBColor(150, 150, 150);
        chart
            .draw_series(
                xs.iter()
                    .zip(lows.iter().zip(&highs))
                    .map(|(&x, (&lo, &hi))| {
                        ErrorBar::new_vertical(x, lo, (lo + hi) / 2.0, hi, grey.stroke_width(1), 5)
                    }),
            )
            .map_err(plot_err)?;
        let red = RGBColor(214, 39, 40);
        chart
            .draw_series(
                xs.iter()
                    .zip(cv.mean.iter())
                    .map(|(&x, &m)| Circle::new((x, m), 4, red.filled())),
            )
            .map_err(plot_err)?;
        for (name, a) in [("alpha_min", cv.alpha_min), ("alpha_1se", cv.alpha_1se)] {
            let x = -a.log10();
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, y0), (x, y1)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))
                .map_err(plot_err)?;
            // the name and value beside the line, inside the plot's top edge
            let (px, py) = chart.backend_coord(&(x, y1));
            let right_half = x > (x0 + x1) / 2.0;
            let (dx, h) = if right_half {
                (-6, HPos::Right)
            } else {
                (6, HPos::Left)
            };
            root.draw(&Text::new(
                format!("{name} {}", fmt_num(a)),
                (px + dx, py + 6 + if name == "alpha_1se" { 20 } else { 0 }),
                ("sans-serif", 15)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(h, VPos::Top)),
            ))
            .map_err(plot_err)?;
        }
        if let Some(nnz) = self.nnz {
            let (left, top_px) = chart.backend_coord(&(x0, y1));
            let (right, _) = chart.backend_coord(&(x1, y1));
            draw_nnz_axis(root, &xs, nnz, (left, right, top_px), |x| {
                chart.backend_coord(&(x, y1)).0
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::svg_texts as texts;

    #[test]
    fn cv_plot_marks_the_chosen_alphas_and_shows_nnz_on_top() {
        let alphas: Vec<f64> = (0..20).map(|i| 10f64.powf(1.0 - 0.15 * i as f64)).collect();
        let mean: Vec<f64> = alphas
            .iter()
            .map(|a| (a.log10() + 0.5).powi(2) + 1.0)
            .collect();
        let se = vec![0.1; 20];
        let nnz: Vec<usize> = (0..20).collect();
        let fig = CvFigure {
            alphas: &alphas,
            mean: &mean,
            se: &se,
            alpha_min: alphas[10],
            alpha_1se: alphas[8],
            folds: 5,
            metric: "mse",
            nnz: Some(&nnz),
            title: "t",
        };
        let t = texts(&cv_svg_string(&fig).unwrap());
        let has = |s: &str| t.iter().any(|l| l == s);
        assert!(
            has("non-zero coefficients") && has("0") && has("19"),
            "{t:?}"
        );
        assert!(has("10⁰") && has("10⁻¹") && has("10¹"), "{t:?}");
        assert!(t.iter().any(|l| l.starts_with("alpha_min ")), "{t:?}");
        let short = CvFigure {
            nnz: Some(&nnz[..3]),
            ..fig
        };
        assert!(cv_svg_string(&short).is_err());
    }
}
