//! The cross-validation plot of `regpath cv --plot` (glmnet's `plot.cv.glmnet`): the mean
//! validation error with one-standard-error bars against alpha (log scale, decreasing to the
//! right), and dashed lines at alpha_min and alpha_1se.

use super::style::{alpha_axis, draw_header, fmt_num, min_max, plot_err};
use crate::cv::CvResult;
use crate::output::write_output;
use anyhow::{anyhow, Result};
use plotters::prelude::*;
use std::path::Path;

/// Writes the plot of `cv` as SVG to `out`.
pub fn cv_svg(cv: &CvResult, title: &str, out: &Path) -> Result<()> {
    write_output(out, cv_svg_string(cv, title)?.as_bytes())
}

/// [`cv_svg`] into a string.
pub fn cv_svg_string(cv: &CvResult, title: &str) -> Result<String> {
    let k = cv.alphas.len();
    if k == 0 || cv.mean.len() != k || cv.se.len() != k {
        return Err(anyhow!("cv plot: {k} alphas but {} means", cv.mean.len()));
    }
    // x = −log10(alpha): alpha decreases to the right; tick labels show alpha itself
    let (xs, x0, x1) = alpha_axis(&cv.alphas);
    let lows: Vec<f64> = cv.mean.iter().zip(&cv.se).map(|(m, s)| m - s).collect();
    let highs: Vec<f64> = cv.mean.iter().zip(&cv.se).map(|(m, s)| m + s).collect();
    let (y0, y1) = (min_max(&lows).0, min_max(&highs).1);
    let pad = 0.05 * (y1 - y0).max(1e-12 * y1.abs().max(1.0));
    let metric = if cv.metric == "mse" {
        "mean squared error"
    } else {
        "mean binomial deviance"
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 600)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let (top, body) = root.split_vertically(56);
        let subtitle = format!(
            "{}-fold validation {metric}: mean ± one standard error; dashed: alpha_min {:.3e}, alpha_1se {:.3e}",
            cv.folds, cv.alpha_min, cv.alpha_1se
        );
        draw_header(&top, title, &subtitle)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("alpha (log scale, decreasing →)")
            .y_desc(metric)
            .x_label_formatter(&|x| format!("{:.1e}", 10f64.powf(-*x)))
            .y_label_formatter(&|y| fmt_num(*y))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(plot_err)?;
        let grey = RGBColor(150, 150, 150);
        chart
            .draw_series(
                xs.iter()
                    .zip(lows.iter().zip(&highs))
                    .map(|(&x, (&lo, &hi))| {
                        PathElement::new(vec![(x, lo), (x, hi)], grey.stroke_width(1))
                    }),
            )
            .map_err(plot_err)?;
        let red = RGBColor(214, 39, 40);
        chart
            .draw_series(
                xs.iter()
                    .zip(&cv.mean)
                    .map(|(&x, &m)| Circle::new((x, m), 3, red.filled())),
            )
            .map_err(plot_err)?;
        for a in [cv.alpha_min, cv.alpha_1se] {
            let x = -a.log10();
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, y0 - pad), (x, y1 + pad)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))
                .map_err(plot_err)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}
