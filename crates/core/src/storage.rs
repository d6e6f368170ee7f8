//! How X is stored: dense column-major ([`Storage::Dense`]) or sparse CSC ([`Storage::Sparse`]).
//! [`crate::Dataset`] and [`crate::Design`] hold X as a `Storage`; the solvers see either
//! through [`crate::Matrix`] (`Design::matrix`). Code that needs the dense array (GPU uploads,
//! the ridge SVD, writers of dense files) asks [`Storage::dense_for`] and refuses sparse X with
//! a [`SparseUnsupported`] error — X is never densified behind the caller's back.

use crate::sparse::Csc;
use ndarray::{Array2, ShapeBuilder};
use std::sync::Arc;

/// X, n × p: a dense column-major array or a sparse CSC matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Storage {
    /// Column-major (Fortran order) f64.
    Dense(Array2<f64>),
    /// Compressed sparse columns; memory ∝ nnz.
    Sparse(Arc<Csc>),
}

/// A consumer that needs dense X was handed sparse X (a user error: exit 2 in the CLI).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} does not take sparse X yet; use {instead}")]
pub struct SparseUnsupported {
    /// What refused (a solver's or a command's name).
    pub what: String,
    /// What takes sparse X instead.
    pub instead: String,
}

impl Storage {
    /// (n, p): rows (samples) and columns (features).
    pub fn dim(&self) -> (usize, usize) {
        match self {
            Storage::Dense(x) => x.dim(),
            Storage::Sparse(x) => x.dim(),
        }
    }

    pub fn nrows(&self) -> usize {
        self.dim().0
    }

    pub fn ncols(&self) -> usize {
        self.dim().1
    }

    /// The dense array, or None for sparse X.
    pub fn dense(&self) -> Option<&Array2<f64>> {
        match self {
            Storage::Dense(x) => Some(x),
            Storage::Sparse(_) => None,
        }
    }

    /// The dense array, mutably, or None for sparse X.
    pub fn dense_mut(&mut self) -> Option<&mut Array2<f64>> {
        match self {
            Storage::Dense(x) => Some(x),
            Storage::Sparse(_) => None,
        }
    }

    /// The sparse matrix, or None for dense X.
    pub fn sparse(&self) -> Option<&Csc> {
        match self {
            Storage::Dense(_) => None,
            Storage::Sparse(x) => Some(x),
        }
    }

    /// The dense array for `what` (a solver or command that needs it), or the error that says
    /// `what` does not take sparse X and names `instead`, which does.
    pub fn dense_for(
        &self,
        what: impl Into<String>,
        instead: impl Into<String>,
    ) -> Result<&Array2<f64>, SparseUnsupported> {
        self.dense().ok_or_else(|| SparseUnsupported {
            what: what.into(),
            instead: instead.into(),
        })
    }

    /// The largest |x_ij| of column j (0 for a column of zeros): for messages about X's range.
    pub fn col_max_abs(&self, j: usize) -> f64 {
        let m = |v: &mut dyn Iterator<Item = &f64>| v.fold(0.0f64, |m, v| m.max(v.abs()));
        match self {
            Storage::Dense(x) => m(&mut x.column(j).iter()),
            Storage::Sparse(x) => m(&mut x.col(j).1.iter()),
        }
    }

    /// The largest |x_ij| of X.
    pub fn max_abs(&self) -> f64 {
        (0..self.ncols()).fold(0.0f64, |m, j| m.max(self.col_max_abs(j)))
    }

    /// The rows `rows` of X, in that order, in the same storage (a fold).
    pub fn select_rows(&self, rows: &[usize]) -> Storage {
        match self {
            Storage::Dense(x) => Storage::Dense(to_column_major(x.select(ndarray::Axis(0), rows))),
            Storage::Sparse(x) => Storage::Sparse(Arc::new(x.select_rows(rows))),
        }
    }

    /// x_iᵀβ for each row i in `rows` (X as stored, no centering): a model's scores.
    pub fn scores(&self, beta: &[f64], rows: &[usize]) -> Vec<f64> {
        match self {
            Storage::Dense(x) => {
                let b = ndarray::ArrayView1::from(beta);
                rows.iter().map(|&i| x.row(i).dot(&b)).collect()
            }
            Storage::Sparse(x) => {
                let mut z = vec![0.0; x.dim().0];
                for (j, &bj) in beta.iter().enumerate() {
                    if bj != 0.0 {
                        let (ri, vals) = x.col(j);
                        for (&i, &v) in ri.iter().zip(vals) {
                            z[i] += bj * v;
                        }
                    }
                }
                rows.iter().map(|&i| z[i]).collect()
            }
        }
    }

    /// Whether X is sparse.
    pub fn is_sparse(&self) -> bool {
        matches!(self, Storage::Sparse(_))
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
