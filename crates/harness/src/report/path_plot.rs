//! The regularization path plot of `regpath path --plot`.

use super::style::{alpha_axis, color, draw_header, draw_legend, plot_err};
use crate::output::write_output;
use anyhow::{anyhow, Result};
use ndarray::Array2;
use plotters::prelude::*;
use regpath_core::problem::check_alphas;
use std::path::Path;

/// Most features drawn in a path plot; the ones with the largest max |coef| are kept.
pub const MAX_PATH_LINES: usize = 50;

/// The regularization path: coefficients against alpha on a log scale, alpha decreasing from left
/// to right (scikit-learn's lasso-path figure), one line per feature that is ever non-zero — at
/// most [`MAX_PATH_LINES`], those with the largest max |coef| (the title says when lines are left out).
pub fn path_svg(alphas: &[f64], coefs: &Array2<f64>, title: &str, out: &Path) -> Result<()> {
    let svg = path_svg_string(alphas, coefs, title)?;
    write_output(out, svg.as_bytes())
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
    check_alphas(alphas).map_err(|e| anyhow!("path plot: {e}"))?;
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
    let (xs, x0, x1) = alpha_axis(alphas);
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
        draw_header(&top, title, &subtitle)?;
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
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
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
}
