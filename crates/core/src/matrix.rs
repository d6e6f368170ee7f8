//! X as the solvers and the certifier see it: the [`Matrix`] trait is every operation they
//! perform on the design matrix (a column's dot, axpy and norm; Xβ; Xᵀr; the batched products
//! XB and XᵀR), so a new storage (sparse CSC next) implements these and no solver changes.
//!
//! [`Dense`] is n × p column-major f64, its columns kept as contiguous slices; sparse X is
//! [`crate::scaled_csc::ScaledCsc`] (CSC columns centered and scaled inside the products).
//! `ArrayView2<f64>` implements the trait too (any layout), so callers holding an ndarray view
//! pass it as it is. `Design::matrix` hands out a [`DesignMatrix`](crate::DesignMatrix), one of
//! the two; solvers dispatch on it once so that their hot loops are compiled for each storage.
//!
//! Vectors that CD updates column by column (the residual, the logistic working response) are
//! [`Shifted`]: on a centered sparse column an axpy then touches only the column's non-zeros
//! and moves a single shift, and a dot uses a running total instead of summing n values.

use crate::linalg::{axpy, dot};
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};

/// Row weights w (n values, ≥ 0) with their sum, computed once per use (a logistic Newton step).
#[derive(Clone, Copy, Debug)]
pub struct RowWeights<'a> {
    pub w: &'a [f64],
    /// Σ_i w_i.
    pub sum: f64,
}

impl<'a> RowWeights<'a> {
    pub fn new(w: &'a [f64]) -> RowWeights<'a> {
        RowWeights {
            w,
            sum: w.iter().sum(),
        }
    }
}

/// A length-n vector v held as `base + shift·1`, with optional row weights and the weighted
/// total Σ_i w_i v_i (w = 1 without weights): glmnet's offset for sparse centered columns.
/// Only [`Matrix::col_axpy_shifted`] of a storage that centers implicitly moves the shift and
/// tracks the total; [`Shifted::values`] folds the shift in and recomputes the total exactly.
#[derive(Clone, Debug)]
pub struct Shifted<'w> {
    base: Vec<f64>,
    shift: f64,
    total: f64,
    weights: Option<RowWeights<'w>>,
}

impl<'w> Shifted<'w> {
    /// `v` with no shift; `weights` are those of [`Matrix::col_dot_shifted`].
    pub fn new(v: Vec<f64>, weights: Option<RowWeights<'w>>) -> Shifted<'w> {
        let mut s = Shifted {
            base: v,
            shift: 0.0,
            total: 0.0,
            weights,
        };
        s.total = s.exact_total();
        s
    }

    fn exact_total(&self) -> f64 {
        match self.weights {
            None => self.base.iter().sum(),
            Some(w) => dot(w.w, &self.base),
        }
    }

    /// The vector's values (the shift folded in, the total recomputed): O(n) when shifted.
    pub fn values(&mut self) -> &[f64] {
        if self.shift != 0.0 {
            let s = self.shift;
            self.base.iter_mut().for_each(|v| *v += s);
            self.shift = 0.0;
        }
        self.total = self.exact_total();
        &self.base
    }

    /// The vector's values, taken out.
    pub fn into_values(mut self) -> Vec<f64> {
        self.values();
        self.base
    }

    /// Σ_i w_i v_i, exact (see [`Shifted::values`]).
    pub fn weighted_sum(&mut self) -> f64 {
        self.values();
        self.total
    }

    /// v += c·1 (the shift, if any, folded in on the way).
    pub fn add_constant(&mut self, c: f64) {
        // the tracked total already counts the shift: only c moves it
        self.total += c * self.weight_total();
        let c = c + std::mem::take(&mut self.shift);
        self.base.iter_mut().for_each(|v| *v += c);
    }

    /// The stored part; the vector is `base + shift`.
    #[inline]
    pub fn base(&self) -> &[f64] {
        &self.base
    }

    #[inline]
    pub fn shift(&self) -> f64 {
        self.shift
    }

    /// The weighted total as tracked (exact after [`Shifted::values`]).
    #[inline]
    pub fn total(&self) -> f64 {
        self.total
    }

    #[inline]
    pub fn weights(&self) -> Option<RowWeights<'w>> {
        self.weights
    }

    /// Σ_i w_i (n without weights).
    #[inline]
    pub fn weight_total(&self) -> f64 {
        self.weights.map_or(self.base.len() as f64, |w| w.sum)
    }

    /// The stored part to update in place, with the weights.
    #[inline]
    pub fn base_mut_and_weights(&mut self) -> (&mut [f64], Option<RowWeights<'w>>) {
        (&mut self.base, self.weights)
    }

    /// Moves the shift by `d_shift` and the tracked total by `d_total`, for a storage's
    /// [`Matrix::col_axpy_shifted`] after it updated the stored part.
    #[inline]
    pub fn add_shift_and_total(&mut self, d_shift: f64, d_total: f64) {
        self.shift += d_shift;
        self.total += d_total;
    }
}

/// The operations on X, n × p, that every CPU solver and the certifier are written against.
/// Vectors are plain slices: length n for rows (`v`, `r`), p for coefficients (`beta`, `c`).
pub trait Matrix: Sync {
    /// (n, p): rows (samples) and columns (features).
    fn dim(&self) -> (usize, usize);
    /// x_jᵀv.
    fn col_dot(&self, j: usize, v: &[f64]) -> f64;
    /// v += a·x_j.
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]);
    /// Σ_i w_i x_ij² (w = 1 when `w` is None): the curvature of coordinate j.
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64;
    /// Σ_i x_ij w_i v_i: a weighted least-squares gradient (logistic Newton steps).
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64;
    /// XB for a p × K block B (one column per alpha): n × K.
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64>;
    /// XᵀR for an n × K block R: p × K.
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64>;

    /// Σ_i x_ij w_i v_i for v held as a [`Shifted`] vector with its weights (w = 1 without).
    /// Storages that never shift (dense) read the stored part as it is.
    #[inline]
    fn col_dot_shifted(&self, j: usize, v: &Shifted) -> f64 {
        debug_assert_eq!(v.shift(), 0.0, "only implicitly centered storages shift");
        match v.weights() {
            None => self.col_dot(j, v.base()),
            Some(w) => self.col_weighted_dot(j, w.w, v.base()),
        }
    }

    /// v += a·x_j for a [`Shifted`] vector (dense: on the stored part; the tracked total is
    /// left for [`Shifted::values`] to recompute).
    #[inline]
    fn col_axpy_shifted(&self, j: usize, a: f64, v: &mut Shifted) {
        self.col_axpy(j, a, v.base_mut_and_weights().0)
    }

    /// c_j = scale·x_jᵀv for every column; parallel over columns when it pays.
    fn correlations(&self, v: &[f64], scale: f64, c: &mut [f64]) {
        use rayon::prelude::*;
        let (n, p) = self.dim();
        if rayon::current_num_threads() > 1 && n * p > 100_000 {
            c.par_iter_mut()
                .with_min_len(256)
                .enumerate()
                .for_each(|(j, cj)| *cj = self.col_dot(j, v) * scale);
        } else {
            for (j, cj) in c.iter_mut().enumerate() {
                *cj = self.col_dot(j, v) * scale;
            }
        }
    }

    /// c_k = scale·x_jᵀv for the columns j = `cols[k]` only (a working set's correlations).
    fn correlations_at(&self, cols: &[usize], v: &[f64], scale: f64, c: &mut [f64]) {
        for (ck, &j) in c.iter_mut().zip(cols) {
            *ck = self.col_dot(j, v) * scale;
        }
    }

    /// Xβ (columns with β_j = 0 are skipped).
    fn predict(&self, beta: &[f64]) -> Vec<f64> {
        let mut z = vec![0.0; self.dim().0];
        for (j, &b) in beta.iter().enumerate() {
            if b != 0.0 {
                self.col_axpy(j, b, &mut z);
            }
        }
        z
    }

    /// r = y − Xβ (columns with β_j = 0 are skipped).
    fn residual(&self, y: &[f64], beta: &[f64]) -> Vec<f64> {
        let mut r = y.to_vec();
        for (j, &b) in beta.iter().enumerate() {
            if b != 0.0 {
                self.col_axpy(j, -b, &mut r);
            }
        }
        r
    }
}

impl<M: Matrix + ?Sized> Matrix for &M {
    fn dim(&self) -> (usize, usize) {
        (**self).dim()
    }
    fn col_dot(&self, j: usize, v: &[f64]) -> f64 {
        (**self).col_dot(j, v)
    }
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]) {
        (**self).col_axpy(j, a, v)
    }
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64 {
        (**self).col_weighted_sq(j, w)
    }
    fn col_dot_shifted(&self, j: usize, v: &Shifted) -> f64 {
        (**self).col_dot_shifted(j, v)
    }
    fn col_axpy_shifted(&self, j: usize, a: f64, v: &mut Shifted) {
        (**self).col_axpy_shifted(j, a, v)
    }
    fn correlations(&self, v: &[f64], scale: f64, c: &mut [f64]) {
        (**self).correlations(v, scale, c)
    }
    fn correlations_at(&self, cols: &[usize], v: &[f64], scale: f64, c: &mut [f64]) {
        (**self).correlations_at(cols, v, scale, c)
    }
    fn predict(&self, beta: &[f64]) -> Vec<f64> {
        (**self).predict(beta)
    }
    fn residual(&self, y: &[f64], beta: &[f64]) -> Vec<f64> {
        (**self).residual(y, beta)
    }
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64 {
        (**self).col_weighted_dot(j, w, v)
    }
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64> {
        (**self).times(b)
    }
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64> {
        (**self).t_times(r)
    }
}

/// Σ_i w_i x_i² over one column's values.
fn weighted_sq(col: &[f64], w: Option<&RowWeights>) -> f64 {
    match w {
        None => dot(col, col),
        Some(w) => col.iter().zip(w.w).map(|(x, w)| x * x * w).sum(),
    }
}

/// Σ_i x_i w_i v_i over one column's values.
fn weighted_dot(col: &[f64], w: &[f64], v: &[f64]) -> f64 {
    col.iter().zip(w).zip(v).map(|((x, w), v)| x * w * v).sum()
}

/// Dense column-major X with its columns as slices (no per-access view construction).
#[derive(Clone, Debug)]
pub struct Dense<'a> {
    x: ArrayView2<'a, f64>,
    cols: Vec<&'a [f64]>,
}

impl<'a> Dense<'a> {
    /// Panics unless `x` is column-major (Fortran order), as `Design` stores it.
    pub fn new(x: ArrayView2<'a, f64>) -> Dense<'a> {
        let cols = (0..x.ncols())
            .map(|j| {
                x.index_axis_move(Axis(1), j)
                    .to_slice()
                    .expect("X must be column-major (Fortran order)")
            })
            .collect();
        Dense { x, cols }
    }

    /// Column j as a slice of n values.
    pub fn col(&self, j: usize) -> &'a [f64] {
        self.cols[j]
    }

    /// The matrix as an ndarray view (for dense-only methods such as the ridge SVD).
    pub fn view(&self) -> ArrayView2<'a, f64> {
        self.x
    }
}

impl Matrix for Dense<'_> {
    fn dim(&self) -> (usize, usize) {
        self.x.dim()
    }
    #[inline]
    fn col_dot(&self, j: usize, v: &[f64]) -> f64 {
        dot(self.cols[j], v)
    }
    #[inline]
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]) {
        axpy(a, self.cols[j], v)
    }
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64 {
        weighted_sq(self.cols[j], w)
    }
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64 {
        weighted_dot(self.cols[j], w, v)
    }
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64> {
        self.x.dot(&b)
    }
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64> {
        self.x.t().dot(&r)
    }
}

/// Any ndarray view, any layout (columns that are not contiguous are read element-wise).
impl Matrix for ArrayView2<'_, f64> {
    fn dim(&self) -> (usize, usize) {
        ArrayView2::dim(self)
    }
    fn col_dot(&self, j: usize, v: &[f64]) -> f64 {
        let col = self.column(j);
        match col.as_slice() {
            Some(s) => dot(s, v),
            None => col.dot(&ArrayView1::from(v)),
        }
    }
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]) {
        for (vi, xi) in v.iter_mut().zip(self.column(j)) {
            *vi += a * xi;
        }
    }
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64 {
        weighted_sq(&self.column(j).to_vec(), w)
    }
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64 {
        weighted_dot(&self.column(j).to_vec(), w, v)
    }
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64> {
        self.dot(&b)
    }
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64> {
        self.t().dot(&r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, ShapeBuilder};

    /// Both storages give what the matrix products give, on a column-major and a row-major X.
    #[test]
    fn dense_and_view_agree_with_ndarray_products() {
        let rows = array![
            [1.0, -2.0, 0.5],
            [3.0, 0.0, -1.0],
            [0.25, 4.0, 2.0],
            [-1.0, 1.0, 1.0]
        ];
        let mut fortran = Array2::zeros((4, 3).f());
        fortran.assign(&rows);
        let v = [0.5, -1.0, 2.0, 3.0];
        let beta = [1.0, 0.0, -2.0];
        let b = array![[1.0, 0.0], [0.0, 2.0], [-2.0, 1.0]];
        let want_r = &ArrayView1::from(&v[..]) - &rows.dot(&ArrayView1::from(&beta[..]));
        let check = |m: &dyn Matrix| {
            assert_eq!(m.dim(), (4, 3));
            let mut c = [0.0; 3];
            m.correlations(&v, 0.5, &mut c);
            for j in 0..3 {
                let want = rows.column(j).dot(&ArrayView1::from(&v[..])) * 0.5;
                assert!((c[j] - want).abs() < 1e-15, "{j}");
                let sq: f64 = rows.column(j).iter().map(|x| x * x).sum();
                assert!((m.col_weighted_sq(j, None) - sq).abs() < 1e-15);
                let wsq: f64 = rows.column(j).iter().zip(&v).map(|(x, w)| w * x * x).sum();
                assert!((m.col_weighted_sq(j, Some(&RowWeights::new(&v))) - wsq).abs() < 1e-15);
                let wdot: f64 = rows.column(j).iter().zip(&v).map(|(x, w)| x * w * w).sum();
                assert!((m.col_weighted_dot(j, &v, &v) - wdot).abs() < 1e-15);
            }
            let z = m.predict(&beta);
            for (i, (a, b)) in z.iter().zip(want_r.iter()).enumerate() {
                assert!((v[i] - a - b).abs() < 1e-15);
            }
            let r = m.residual(&v, &beta);
            for (a, b) in r.iter().zip(want_r.iter()) {
                assert!((a - b).abs() < 1e-15);
            }
            assert_eq!(m.times(b.view()), rows.dot(&b));
            assert_eq!(m.t_times(rows.view()), rows.t().dot(&rows));
        };
        check(&Dense::new(fortran.view()));
        check(&fortran.view());
        check(&rows.view());
    }
}
