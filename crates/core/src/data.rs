//! A validated dataset: finite X (n × p, column-major) and y (n), both non-empty.

use crate::error::DataError;
use ndarray::{Array1, Array2, ShapeBuilder};

/// X (n_samples × n_features, stored column-major) and the targets y.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub x: Array2<f64>,
    pub y: Array1<f64>,
    /// The generating coefficients, for synthetic data.
    pub true_coef: Option<Array1<f64>>,
    /// The column names of X, when it came from a CSV file with a header row (for plots).
    pub feature_names: Option<Vec<String>>,
}

impl Dataset {
    /// Validates shapes and finiteness; stores X column-major for fast column access.
    pub fn new(x: Array2<f64>, y: Array1<f64>) -> Result<Self, DataError> {
        let (n, p) = x.dim();
        if n == 0 {
            return Err(DataError::Empty("X has no rows (n_samples = 0)".into()));
        }
        if p == 0 {
            return Err(DataError::Empty("X has no columns (n_features = 0)".into()));
        }
        if y.len() != n {
            return Err(DataError::Mismatch(format!(
                "X has {n} rows but y has {} values; they must match",
                y.len()
            )));
        }
        for ((i, j), &v) in x.indexed_iter() {
            if !v.is_finite() {
                return Err(DataError::NonFinite {
                    what: "X",
                    value: v,
                    at: format!("row {i}, column {j}"),
                });
            }
        }
        for (i, &v) in y.iter().enumerate() {
            if !v.is_finite() {
                return Err(DataError::NonFinite {
                    what: "y",
                    value: v,
                    at: format!("row {i}"),
                });
            }
        }
        Ok(Dataset {
            x: to_column_major(x),
            y,
            true_coef: None,
            feature_names: None,
        })
    }

    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }
}

/// The same matrix with Fortran (column-major) memory order.
pub fn to_column_major(x: Array2<f64>) -> Array2<f64> {
    if x.t().is_standard_layout() {
        return x;
    }
    let mut out = Array2::<f64>::zeros(x.dim().f());
    out.assign(&x);
    out
}

/// Logistic regression needs labels in {0, 1}; with `both_classes` (a fitted intercept, or any
/// fit from data) both must occur. The one check of labels, for every solver.
pub fn check_binary_labels(y: &[f64], both_classes: bool) -> Result<(), DataError> {
    if let Some((i, &v)) = y.iter().enumerate().find(|(_, &v)| v != 0.0 && v != 1.0) {
        return Err(DataError::invalid(
            "label",
            format!("y[{i}] = {v}"),
            "logistic loss needs labels 0 and 1 (recode the two classes as 0/1)",
        ));
    }
    if both_classes && y.iter().all(|&v| v == y[0]) {
        return Err(DataError::invalid(
            "labels",
            format!("all {}", y.first().copied().unwrap_or(0.0)),
            "logistic loss needs both labels 0 and 1",
        ));
    }
    Ok(())
}
