//! A validated dataset: finite X (n × p, dense column-major or sparse CSC) and y (n), both
//! non-empty.

use crate::error::DataError;
use crate::sparse::Csc;
use crate::storage::{to_column_major, Storage};
use ndarray::{Array1, Array2};
use std::sync::Arc;

/// X (n_samples × n_features, dense column-major or sparse) and the targets y.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub x: Storage,
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
        check_nonempty(n, p)?;
        for ((i, j), &v) in x.indexed_iter() {
            if !v.is_finite() {
                return Err(DataError::NonFinite {
                    what: "X",
                    value: v,
                    at: format!("row {i}, column {j}"),
                });
            }
        }
        check_y(n, &y)?;
        Ok(Dataset {
            x: Storage::Dense(to_column_major(x)),
            y,
            true_coef: None,
            feature_names: None,
        })
    }

    /// A dataset with sparse X (the [`Csc`] constructors checked its arrays and values); checks
    /// the shapes and y as [`Dataset::new`] does. X is shared, never copied, by the designs
    /// made from it.
    pub fn sparse(x: Csc, y: Array1<f64>) -> Result<Self, DataError> {
        let (n, p) = x.dim();
        check_nonempty(n, p)?;
        check_y(n, &y)?;
        Ok(Dataset {
            x: Storage::Sparse(Arc::new(x)),
            y,
            true_coef: None,
            feature_names: None,
        })
    }

    /// The rows `rows` (in that order) of X and y, X in the same storage: a fold. Rows must be
    /// in range; the subset is re-checked as a dataset (non-empty).
    pub fn select_rows(&self, rows: &[usize]) -> Result<Dataset, DataError> {
        let y = self.y.select(ndarray::Axis(0), rows);
        let (n, p) = (rows.len(), self.n_features());
        check_nonempty(n, p)?;
        Ok(Dataset {
            x: self.x.select_rows(rows),
            y,
            true_coef: None,
            feature_names: self.feature_names.clone(),
        })
    }

    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }
}

/// Err when X has no rows or no columns.
fn check_nonempty(n: usize, p: usize) -> Result<(), DataError> {
    if n == 0 {
        return Err(DataError::Empty("X has no rows (n_samples = 0)".into()));
    }
    if p == 0 {
        return Err(DataError::Empty("X has no columns (n_features = 0)".into()));
    }
    Ok(())
}

/// Err unless y has one finite value per row of X.
fn check_y(n: usize, y: &Array1<f64>) -> Result<(), DataError> {
    if y.len() != n {
        return Err(DataError::Mismatch(format!(
            "X has {n} rows but y has {} values; they must match",
            y.len()
        )));
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
    Ok(())
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
