//! The regularization path plot of `regpath path --plot` (glmnet's `plot.glmnet` and
//! scikit-learn's lasso-path figure): coefficients against alpha on a log axis, the number of
//! non-zero coefficients on a top axis, the largest features labelled at the path's end.

use super::figure::{render, write_figure, Figure, PlotFormat};
use super::style::{
    alpha_axis, alpha_label, draw_header, draw_nnz_axis, label_color, plot_err, TickedAxis,
};
use anyhow::{anyhow, Result};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use regpath_core::problem::check_alphas;
use std::path::Path;

/// Most features drawn in a path plot; the ones with the largest max |coef| are kept.
pub const MAX_PATH_LINES: usize = 200;

/// Features labelled at the path's end: the largest |coef| at the smallest alpha.
pub const LABELLED_FEATURES: usize = 8;

/// Labels (feature names) longer than this many characters are cut, with an ellipsis.
const MAX_LABEL_CHARS: usize = 18;

/// A regularization path to draw: K alphas (any order), the K × p coefficients on the original
/// scale of X, column names when X came with them (else features are named `x0`, `x1`, … by
/// 0-based column index), and the title.
pub struct PathFigure<'a> {
    pub alphas: &'a [f64],
    pub coefs: &'a Array2<f64>,
    pub names: Option<&'a [String]>,
    pub title: &'a str,
}

/// Writes the path plot to `out`, SVG or PNG by its extension (`--plot` names the argument in
/// the error for any other).
pub fn write_path_plot(fig: &PathFigure, out: &Path) -> Result<()> {
    fig.check()?;
    write_figure(fig, out, "--plot")
}

/// The path plot as SVG text.
pub fn path_svg_string(fig: &PathFigure) -> Result<String> {
    fig.check()?;
    let bytes = render(fig, PlotFormat::Svg)?;
    String::from_utf8(bytes).map_err(|e| anyhow!("path plot: {e}"))
}

/// What the plot draws, worked out before any drawing.
struct Layout {
    /// x = −log10(alpha) per alpha, and the axis range.
    xs: Vec<f64>,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    /// Features drawn thin and grey (column indices).
    grey: Vec<usize>,
    /// Features drawn in colour and labelled, largest |coef| at the path's end first.
    labelled: Vec<usize>,
    /// Row of the smallest alpha (the path's end).
    end: usize,
    subtitle: String,
}

impl PathFigure<'_> {
    fn check(&self) -> Result<()> {
        let (k, p) = self.coefs.dim();
        if k != self.alphas.len() || k == 0 {
            return Err(anyhow!(
                "path plot: {} alphas but {k} coefficient rows",
                self.alphas.len()
            ));
        }
        if let Some(names) = self.names {
            if names.len() != p {
                return Err(anyhow!(
                    "path plot: {} column names for {p} features",
                    names.len()
                ));
            }
        }
        check_alphas(self.alphas).map_err(|e| anyhow!("path plot: {e}"))
    }

    /// The label of feature `j`: its column name (cut to [`MAX_LABEL_CHARS`]) or `x{j}`.
    fn label(&self, j: usize) -> String {
        match self.names.and_then(|n| n.get(j)).filter(|n| !n.is_empty()) {
            Some(name) if name.chars().count() > MAX_LABEL_CHARS => {
                let cut: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
                format!("{cut}…")
            }
            Some(name) => name.clone(),
            None => format!("x{j}"),
        }
    }

    fn layout(&self) -> Layout {
        let (_, p) = self.coefs.dim();
        let (xs, x0, x1) = alpha_axis(self.alphas);
        let end = (0..xs.len())
            .max_by(|&a, &b| xs[a].total_cmp(&xs[b]))
            .unwrap_or(0);
        let mut entering: Vec<(usize, f64)> = (0..p)
            .filter_map(|j| {
                let m = self
                    .coefs
                    .column(j)
                    .iter()
                    .fold(0.0f64, |m, v| m.max(v.abs()));
                (m > 0.0 && m.is_finite()).then_some((j, m))
            })
            .collect();
        let n_entering = entering.len();
        let mut at_end: Vec<(usize, f64)> = entering
            .iter()
            .map(|&(j, _)| (j, self.coefs[[end, j]].abs()))
            .filter(|&(_, v)| v > 0.0)
            .collect();
        at_end.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let labelled: Vec<usize> = at_end.iter().take(LABELLED_FEATURES).map(|e| e.0).collect();
        entering.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let grey: Vec<usize> = entering
            .iter()
            .map(|e| e.0)
            .filter(|j| !labelled.contains(j))
            .take(MAX_PATH_LINES.saturating_sub(labelled.len()))
            .collect();
        let (mut y0, mut y1) = (0.0f64, 0.0f64);
        for &j in labelled.iter().chain(&grey) {
            for v in self.coefs.column(j) {
                y0 = y0.min(*v);
                y1 = y1.max(*v);
            }
        }
        if y1 - y0 < 1e-300 {
            y0 -= 1.0;
            y1 += 1.0;
        }
        let pad = 0.05 * (y1 - y0);
        let shown = labelled.len() + grey.len();
        let lines = if n_entering > shown {
            format!("{shown} of {n_entering} non-zero features drawn (largest max |coef|)")
        } else {
            format!(
                "{n_entering} of {p} feature{} non-zero somewhere on the path",
                if p == 1 { "" } else { "s" }
            )
        };
        let named = if self.names.is_some() {
            "by column name"
        } else {
            "x = column index from 0"
        };
        let subtitle = format!(
            "{lines}; the {} largest |coef| at the smallest alpha labelled ({named})",
            labelled.len()
        );
        Layout {
            xs,
            x0,
            x1,
            y0: y0 - pad,
            y1: y1 + pad,
            grey,
            labelled,
            end,
            subtitle,
        }
    }
}

/// Vertical pixel positions for labels wanted at `ys` (any order) within [top, bottom], at
/// least `gap` apart, each as near its wish as the others allow.
fn spread_labels(ys: &[i32], gap: i32, top: i32, bottom: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by_key(|&i| ys[i]);
    let mut placed: Vec<i32> = order.iter().map(|&i| ys[i].clamp(top, bottom)).collect();
    for i in 1..placed.len() {
        placed[i] = placed[i].max(placed[i - 1] + gap);
    }
    if let Some(last) = placed.last_mut() {
        *last = (*last).min(bottom);
    }
    for i in (0..placed.len().saturating_sub(1)).rev() {
        placed[i] = placed[i].min(placed[i + 1] - gap);
    }
    let mut out = vec![0; ys.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = placed[k];
    }
    out
}

impl Figure for PathFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 660)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let l = self.layout();
        root.fill(&WHITE).map_err(plot_err)?;
        let (top, body) = root.split_vertically(58);
        draw_header(&top, self.title, &l.subtitle)?;
        let labels: Vec<String> = l.labelled.iter().map(|&j| self.label(j)).collect();
        let longest = labels.iter().map(|s| s.chars().count()).max().unwrap_or(0) as u32;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_bottom(12)
            .margin_right(20 + 9 * longest)
            .margin_top(50)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(TickedAxis::alpha(l.x0, l.x1), l.y0..l.y1)
            .map_err(plot_err)?;
        let decimals = (2.0 - (l.y1 - l.y0).log10().floor()).clamp(0.0, 12.0) as usize;
        chart
            .configure_mesh()
            .x_desc("alpha (log scale, decreasing →)")
            .y_desc("coefficient")
            .x_label_formatter(&|x| alpha_label(*x))
            .y_label_formatter(&|y| format!("{y:.decimals$}"))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .y_max_light_lines(1)
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(plot_err)?;
        chart
            .draw_series(LineSeries::new(
                vec![(l.x0, 0.0), (l.x1, 0.0)],
                RGBColor(120, 120, 120),
            ))
            .map_err(plot_err)?;
        let column = |j: usize| -> Vec<(f64, f64)> {
            l.xs.iter()
                .zip(self.coefs.column(j).iter())
                .map(|(x, v)| (*x, *v))
                .collect()
        };
        let grey = RGBColor(185, 185, 185);
        for &j in &l.grey {
            chart
                .draw_series(LineSeries::new(column(j), grey.stroke_width(1)))
                .map_err(plot_err)?;
        }
        // drawn last-labelled first, so the largest feature's line lies on top
        for (i, &j) in l.labelled.iter().enumerate().rev() {
            chart
                .draw_series(LineSeries::new(column(j), label_color(i).stroke_width(3)))
                .map_err(plot_err)?;
        }

        // top axis: the number of non-zero coefficients at evenly spread alphas (glmnet's df)
        let (plot_left, plot_top) = chart.backend_coord(&(l.x0, l.y1));
        let (plot_right, plot_bottom) = chart.backend_coord(&(l.x1, l.y0));
        let nnz: Vec<usize> = self
            .coefs
            .rows()
            .into_iter()
            .map(|r| r.iter().filter(|v| **v != 0.0).count())
            .collect();
        draw_nnz_axis(root, &l.xs, &nnz, (plot_left, plot_right, plot_top), |x| {
            chart.backend_coord(&(x, l.y1)).0
        })?;

        // the labelled features' names at the right end of their lines
        let wants: Vec<i32> = l
            .labelled
            .iter()
            .map(|&j| {
                chart
                    .backend_coord(&(l.xs[l.end], self.coefs[[l.end, j]]))
                    .1
            })
            .collect();
        let placed = spread_labels(&wants, 17, plot_top + 8, plot_bottom - 8);
        for (i, label) in labels.iter().enumerate() {
            let c = label_color(i);
            let tx = plot_right + 14;
            root.draw(&PathElement::new(
                vec![(plot_right + 1, wants[i]), (tx - 3, placed[i])],
                c.stroke_width(1),
            ))
            .map_err(plot_err)?;
            root.draw(&Text::new(
                label.clone(),
                (tx, placed[i]),
                ("sans-serif", 15)
                    .into_font()
                    .color(&c)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(plot_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn fig<'a>(alphas: &'a [f64], coefs: &'a Array2<f64>) -> PathFigure<'a> {
        PathFigure {
            alphas,
            coefs,
            names: None,
            title: "t",
        }
    }

    use crate::report::svg_texts as texts;

    #[test]
    fn path_plot_labels_the_features_entering() {
        let alphas = [1.0, 0.1, 0.01];
        let coefs = array![[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [1.0, -0.5, 0.0]];
        let svg = path_svg_string(&fig(&alphas, &coefs)).unwrap();
        assert!(svg.contains("2 of 3 features non-zero"), "{svg}");
        let t = texts(&svg);
        let has = |label: &str| t.iter().any(|l| l == label);
        assert!(has("x0") && has("x1") && !has("x2"), "{t:?}");
        // the top axis: 0 non-zero at alpha 1, 1 at 0.1, 2 at 0.01
        assert!(has("non-zero coefficients") && has("0") && has("1") && has("2"));
        // the alpha axis reads 10⁰, 10⁻¹, 10⁻², never 1.0e0
        assert!(has("10⁰") && has("10⁻¹") && has("10⁻²"), "{t:?}");
        assert!(
            t.iter().all(|s| !s.contains("e0") && !s.contains("e-")),
            "{t:?}"
        );
    }

    #[test]
    fn path_plot_caps_the_lines_and_labels_the_largest_at_the_end() {
        let alphas: Vec<f64> = (0..5).map(|i| 10f64.powi(-i)).collect();
        // feature j reaches k·(j+1) at row k: the largest at the end are the last columns
        let coefs = Array2::from_shape_fn((5, 300), |(k, j)| (k * (j + 1)) as f64);
        let svg = path_svg_string(&fig(&alphas, &coefs)).unwrap();
        assert!(svg.contains("200 of 300 non-zero features drawn"), "{svg}");
        let t = texts(&svg);
        for j in 292..300 {
            assert!(t.contains(&format!("x{j}")), "x{j} labelled: {t:?}");
        }
        assert!(!t.contains(&"x291".to_string()), "{t:?}");
    }

    #[test]
    fn path_plot_uses_column_names_when_given() {
        let alphas = [1.0, 0.1];
        let coefs = array![[0.0, 0.0], [2.0, -1.0]];
        let names = vec![
            "age".to_string(),
            "a_very_long_column_name_indeed".to_string(),
        ];
        let f = PathFigure {
            names: Some(&names),
            ..fig(&alphas, &coefs)
        };
        let t = texts(&path_svg_string(&f).unwrap());
        assert!(t.contains(&"age".to_string()), "{t:?}");
        assert!(t.contains(&"a_very_long_colum…".to_string()), "{t:?}");
        assert!(!t.contains(&"x0".to_string()), "{t:?}");
        let wrong = vec!["one".to_string()];
        let f = PathFigure {
            names: Some(&wrong),
            ..fig(&alphas, &coefs)
        };
        assert!(path_svg_string(&f).is_err());
    }

    #[test]
    fn labels_keep_their_order_and_distance() {
        let placed = spread_labels(&[100, 102, 50, 101], 10, 0, 400);
        // sorted by wish: 50, 100, 101, 102 → 50, 100, 110, 120
        assert_eq!(placed, [100, 120, 50, 110]);
        // pushed back up from the bottom edge
        assert_eq!(spread_labels(&[395, 398], 10, 0, 400), [390, 400]);
    }
}
