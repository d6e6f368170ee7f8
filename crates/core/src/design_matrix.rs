//! [`DesignMatrix`]: X as a [`crate::Design`] hands it out — dense columns or the centered and
//! scaled sparse view — one type above both storages' [`Matrix`] implementations.

use crate::matrix::{Dense, Matrix, RowWeights, Shifted};
use crate::scaled_csc::ScaledCsc;
use ndarray::{Array2, ArrayView2};

/// X as a design hands it out: dense columns or the centered and scaled sparse view. Its
/// [`Matrix`] methods dispatch per call; solvers match on it once instead (`regpath_cpu::solve`).
#[derive(Clone, Debug)]
pub enum DesignMatrix<'a> {
    Dense(Dense<'a>),
    Sparse(ScaledCsc<'a>),
}

/// Calls `$body` with `$m` bound to the storage inside a [`DesignMatrix`].
macro_rules! each {
    ($self:expr, $m:ident => $body:expr) => {
        match $self {
            DesignMatrix::Dense($m) => $body,
            DesignMatrix::Sparse($m) => $body,
        }
    };
}

impl Matrix for DesignMatrix<'_> {
    fn dim(&self) -> (usize, usize) {
        each!(self, m => m.dim())
    }
    fn col_dot(&self, j: usize, v: &[f64]) -> f64 {
        each!(self, m => m.col_dot(j, v))
    }
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]) {
        each!(self, m => m.col_axpy(j, a, v))
    }
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64 {
        each!(self, m => m.col_weighted_sq(j, w))
    }
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64 {
        each!(self, m => m.col_weighted_dot(j, w, v))
    }
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64> {
        each!(self, m => m.times(b))
    }
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64> {
        each!(self, m => m.t_times(r))
    }
    fn col_dot_shifted(&self, j: usize, v: &Shifted) -> f64 {
        each!(self, m => m.col_dot_shifted(j, v))
    }
    fn col_axpy_shifted(&self, j: usize, a: f64, v: &mut Shifted) {
        each!(self, m => m.col_axpy_shifted(j, a, v))
    }
    fn correlations(&self, v: &[f64], scale: f64, c: &mut [f64]) {
        each!(self, m => m.correlations(v, scale, c))
    }
    fn correlations_at(&self, cols: &[usize], v: &[f64], scale: f64, c: &mut [f64]) {
        each!(self, m => m.correlations_at(cols, v, scale, c))
    }
    fn predict(&self, beta: &[f64]) -> Vec<f64> {
        each!(self, m => m.predict(beta))
    }
    fn residual(&self, y: &[f64], beta: &[f64]) -> Vec<f64> {
        each!(self, m => m.residual(y, beta))
    }
}
