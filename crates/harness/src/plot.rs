//! SVG plots (plotters).

use anyhow::Result;
use ndarray::Array2;
use std::path::Path;

/// The regularization path: coefficients against log10(alpha), one line per feature that enters.
pub fn path_svg(_alphas: &[f64], _coefs: &Array2<f64>, _title: &str, _out: &Path) -> Result<()> {
    Err(crate::error::input_error("--plot is not available yet"))
}
