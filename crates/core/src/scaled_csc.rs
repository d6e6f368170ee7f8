//! Sparse X as a design sees it: the CSC columns x_j centered by m_j and scaled by f_j = 1/s_j,
//! x̃_j = f_j·(x_j − m_j·1), with the centering and scaling applied inside each product as
//! glmnet and scikit-learn do for sparse X — no n × p array is ever formed:
//!
//! - x̃_jᵀv = f_j·(x_jᵀv − m_j·Σv), O(nnz_j) once Σv is known (computed once per pass over X,
//!   or carried by a [`Shifted`] vector);
//! - v += a·x̃_j is v_s += a·f_j·x_j on the stored part and a shift −a·f_j·m_j of the whole
//!   vector, kept as one number in a [`Shifted`] vector (glmnet's offset).

use crate::linalg::{dot, gather_axpy, gather_dot, gather_weighted_dot};
use crate::matrix::{Matrix, RowWeights, Shifted};
use crate::sparse::Csc;
use ndarray::{Array2, ArrayView2, ShapeBuilder};

/// The centered and scaled view of a [`Csc`]: what `Design::matrix` hands the solvers for
/// sparse X.
#[derive(Clone, Debug)]
pub struct ScaledCsc<'a> {
    x: &'a Csc,
    /// m_j (None: no centering).
    mean: Option<&'a [f64]>,
    /// f_j = 1/s_j, 0 for columns held at 0.
    factor: Vec<f64>,
}

impl<'a> ScaledCsc<'a> {
    /// X̃ with columns f_j·(x_j − m_j): `mean` None means m = 0; `factor` has p entries.
    pub fn new(x: &'a Csc, mean: Option<&'a [f64]>, factor: Vec<f64>) -> ScaledCsc<'a> {
        let p = x.dim().1;
        assert_eq!(factor.len(), p, "one factor per column");
        if let Some(m) = mean {
            assert_eq!(m.len(), p, "one mean per column");
        }
        ScaledCsc { x, mean, factor }
    }

    #[inline]
    fn m(&self, j: usize) -> f64 {
        self.mean.map_or(0.0, |m| m[j])
    }

    /// x_jᵀv over the stored entries (the uncentered, unscaled column).
    #[inline]
    fn raw_dot(&self, j: usize, v: &[f64]) -> f64 {
        let (rows, vals) = self.x.col(j);
        gather_dot(rows, vals, v)
    }

    /// Σ_i x̃_ij·v_i for every column given Σv: `c_j = scale·f_j·(x_jᵀv − m_j·Σv)`.
    fn correlations_with_sum(&self, v: &[f64], sum: f64, scale: f64, c: &mut [f64]) {
        use rayon::prelude::*;
        let one = |(j, cj): (usize, &mut f64)| {
            let f = self.factor[j];
            *cj = if f == 0.0 {
                0.0
            } else {
                scale * f * (self.raw_dot(j, v) - self.m(j) * sum)
            };
        };
        if rayon::current_num_threads() > 1 && self.x.nnz() > 100_000 {
            c.par_iter_mut().with_min_len(256).enumerate().for_each(one);
        } else {
            c.iter_mut().enumerate().for_each(one);
        }
    }

    /// Σ_j b_j·x̃_j for a coefficient vector: the sparse part plus one constant.
    fn combine(&self, beta: &[f64], out: &mut [f64], sign: f64) {
        let mut shift = 0.0;
        for (j, &b) in beta.iter().enumerate() {
            let a = sign * b * self.factor[j];
            if a != 0.0 {
                let (rows, vals) = self.x.col(j);
                for (&i, &x) in rows.iter().zip(vals) {
                    out[i] += a * x;
                }
                shift -= a * self.m(j);
            }
        }
        if shift != 0.0 {
            out.iter_mut().for_each(|o| *o += shift);
        }
    }
}

impl Matrix for ScaledCsc<'_> {
    fn dim(&self) -> (usize, usize) {
        self.x.dim()
    }
    fn col_dot(&self, j: usize, v: &[f64]) -> f64 {
        let f = self.factor[j];
        if f == 0.0 {
            return 0.0;
        }
        let m = self.m(j);
        let centering = if m == 0.0 {
            0.0
        } else {
            m * v.iter().sum::<f64>()
        };
        f * (self.raw_dot(j, v) - centering)
    }
    fn col_axpy(&self, j: usize, a: f64, v: &mut [f64]) {
        let a = a * self.factor[j];
        if a == 0.0 {
            return;
        }
        let (rows, vals) = self.x.col(j);
        for (&i, &x) in rows.iter().zip(vals) {
            v[i] += a * x;
        }
        let shift = a * self.m(j);
        if shift != 0.0 {
            v.iter_mut().for_each(|vi| *vi -= shift);
        }
    }
    fn col_weighted_sq(&self, j: usize, w: Option<&RowWeights>) -> f64 {
        let f = self.factor[j];
        if f == 0.0 {
            return 0.0;
        }
        let (rows, vals) = self.x.col(j);
        let (m, n) = (self.m(j), self.x.dim().0 as f64);
        // Σ w (x − m)² = Σ_stored w x² − 2m Σ_stored w x + m² Σ w
        let (sq, lin, total) = match w {
            None => (dot(vals, vals), vals.iter().sum::<f64>(), n),
            Some(w) => {
                let (mut sq, mut lin) = (0.0, 0.0);
                for (&i, &x) in rows.iter().zip(vals) {
                    sq += w.w[i] * x * x;
                    lin += w.w[i] * x;
                }
                (sq, lin, w.sum)
            }
        };
        (f * f * (sq - 2.0 * m * lin + m * m * total)).max(0.0)
    }
    fn col_weighted_dot(&self, j: usize, w: &[f64], v: &[f64]) -> f64 {
        let f = self.factor[j];
        if f == 0.0 {
            return 0.0;
        }
        let (rows, vals) = self.x.col(j);
        let raw: f64 = rows.iter().zip(vals).map(|(&i, &x)| x * w[i] * v[i]).sum();
        let m = self.m(j);
        let centering = if m == 0.0 { 0.0 } else { m * dot(w, v) };
        f * (raw - centering)
    }
    fn times(&self, b: ArrayView2<f64>) -> Array2<f64> {
        let (n, _) = self.x.dim();
        let mut out = Array2::zeros((n, b.ncols()).f());
        for (mut col, bc) in out.columns_mut().into_iter().zip(b.columns()) {
            let beta = bc.to_vec();
            self.combine(&beta, col.as_slice_mut().expect("column-major"), 1.0);
        }
        out
    }
    fn t_times(&self, r: ArrayView2<f64>) -> Array2<f64> {
        let p = self.x.dim().1;
        let mut out = Array2::zeros((p, r.ncols()).f());
        for (mut col, rc) in out.columns_mut().into_iter().zip(r.columns()) {
            let v = rc.to_vec();
            let sum = v.iter().sum();
            self.correlations_with_sum(&v, sum, 1.0, col.as_slice_mut().expect("column-major"));
        }
        out
    }
    fn correlations(&self, v: &[f64], scale: f64, c: &mut [f64]) {
        let sum = if self.mean.is_some() {
            v.iter().sum()
        } else {
            0.0
        };
        self.correlations_with_sum(v, sum, scale, c);
    }
    fn correlations_at(&self, cols: &[usize], v: &[f64], scale: f64, c: &mut [f64]) {
        use rayon::prelude::*;
        // Σv once for all columns, not once per column as col_dot needs it
        let sum: f64 = if self.mean.is_some() {
            v.iter().sum()
        } else {
            0.0
        };
        let one = |(ck, &j): (&mut f64, &usize)| {
            let f = self.factor[j];
            *ck = if f == 0.0 {
                0.0
            } else {
                scale * f * (self.raw_dot(j, v) - self.m(j) * sum)
            };
        };
        if rayon::current_num_threads() > 1 && self.x.nnz() > 100_000 && cols.len() > 1024 {
            c.par_iter_mut().zip(cols).with_min_len(256).for_each(one);
        } else {
            c.iter_mut().zip(cols).for_each(one);
        }
    }
    fn predict(&self, beta: &[f64]) -> Vec<f64> {
        let mut z = vec![0.0; self.x.dim().0];
        self.combine(beta, &mut z, 1.0);
        z
    }
    fn residual(&self, y: &[f64], beta: &[f64]) -> Vec<f64> {
        let mut r = y.to_vec();
        self.combine(beta, &mut r, -1.0);
        r
    }
    fn col_dot_shifted(&self, j: usize, v: &Shifted) -> f64 {
        let f = self.factor[j];
        if f == 0.0 {
            return 0.0;
        }
        let (rows, vals) = self.x.col(j);
        let (base, shift) = (v.base(), v.shift());
        // Σ_stored x·w·(base + shift) − m·Σ_i w_i v_i
        let raw = match v.weights() {
            None => gather_dot(rows, vals, base) + shift * vals.iter().sum::<f64>(),
            Some(w) => gather_weighted_dot(rows, vals, w.w, base, shift).0,
        };
        f * (raw - self.m(j) * v.total())
    }
    fn col_axpy_shifted(&self, j: usize, a: f64, v: &mut Shifted) {
        let a = a * self.factor[j];
        if a == 0.0 {
            return;
        }
        let m = self.m(j);
        let (rows, vals) = self.x.col(j);
        // Σ_i w_i x̃_ij / f = Σ_stored w x − m Σw: how the weighted total moves
        let (base, weights) = v.base_mut_and_weights();
        let lin = gather_axpy(rows, vals, a, base, weights.map(|w| w.w));
        let total_w = v.weight_total();
        v.add_shift_and_total(-a * m, a * (lin - m * total_w));
    }
}

#[cfg(test)]
mod tests {
    use crate::matrix::{Matrix, RowWeights, Shifted};
    use crate::{Csc, Dataset, Design, DesignMatrix, DesignOptions};
    use ndarray::{Array1, Array2, ShapeBuilder};
    use rand::{rngs::StdRng, Rng, SeedableRng};

    /// A random n × p matrix with about `density` non-zeros, one constant non-zero column and
    /// one empty column, as dense and CSC.
    fn random(n: usize, p: usize, density: f64, seed: u64) -> (Array2<f64>, Csc) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut x = Array2::<f64>::zeros((n, p).f());
        for v in x.iter_mut() {
            if rng.random::<f64>() < density {
                *v = rng.random_range(-2.0..3.0);
            }
        }
        x.column_mut(1).fill(0.0);
        x.column_mut(2).fill(1.5);
        let csc = Csc::from_dense(x.view()).unwrap();
        (x, csc)
    }

    /// Every product of the implicitly centered and scaled CSC equals the same product on the
    /// dense design of the densified matrix (which centers and scales in a copy).
    #[test]
    fn implicit_centering_and_scaling_match_the_dense_design() {
        let (n, p) = (13, 7);
        let (x, csc) = random(n, p, 0.3, 1);
        let mut rng = StdRng::seed_from_u64(2);
        let y = Array1::from_iter((0..n).map(|_| rng.random::<f64>()));
        let v: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let w: Vec<f64> = (0..n).map(|_| rng.random_range(0.1..0.3)).collect();
        let beta: Vec<f64> = (0..p)
            .map(|j| if j % 2 == 0 { 0.5 - j as f64 } else { 0.0 })
            .collect();
        let b = Array2::from_shape_fn((p, 3), |(j, k)| (j as f64 - k as f64) * 0.3);
        let r = Array2::from_shape_fn((n, 3), |(i, k)| (i as f64 * 0.7 - k as f64).sin());
        for fit_intercept in [false, true] {
            for standardize in [false, true] {
                let options = DesignOptions {
                    fit_intercept,
                    standardize,
                    ..Default::default()
                };
                let dense =
                    Design::new(&Dataset::new(x.clone(), y.clone()).unwrap(), options).unwrap();
                let sparse =
                    Design::new(&Dataset::sparse(csc.clone(), y.clone()).unwrap(), options)
                        .unwrap();
                assert_eq!(dense.constant_columns, sparse.constant_columns);
                let (d, s) = (dense.matrix(), sparse.matrix());
                assert!(matches!(s, DesignMatrix::Sparse(_)));
                let close = |a: f64, b: f64, what: &str| {
                    assert!(
                        (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                        "{what}: {a} vs {b} ({fit_intercept}, {standardize})"
                    )
                };
                let rw = RowWeights::new(&w);
                for j in 0..p {
                    close(s.col_dot(j, &v), d.col_dot(j, &v), "col_dot");
                    close(s.col_weighted_sq(j, None), d.col_weighted_sq(j, None), "sq");
                    close(
                        s.col_weighted_sq(j, Some(&rw)),
                        d.col_weighted_sq(j, Some(&rw)),
                        "wsq",
                    );
                    close(
                        s.col_weighted_dot(j, &w, &v),
                        d.col_weighted_dot(j, &w, &v),
                        "wdot",
                    );
                    let (mut a, mut bb) = (v.clone(), v.clone());
                    s.col_axpy(j, 0.7, &mut a);
                    d.col_axpy(j, 0.7, &mut bb);
                    a.iter().zip(&bb).for_each(|(a, b)| close(*a, *b, "axpy"));
                }
                // shifted vectors, unweighted and weighted: a run of axpys then dots
                for weights in [None, Some(rw)] {
                    let (mut a, mut bb) = (
                        Shifted::new(v.clone(), weights),
                        Shifted::new(v.clone(), weights),
                    );
                    for (step, j) in [0, 3, 4, 0, 6, 2, 5].into_iter().enumerate() {
                        s.col_axpy_shifted(j, 0.3 - step as f64 * 0.1, &mut a);
                        d.col_axpy_shifted(j, 0.3 - step as f64 * 0.1, &mut bb);
                        for k in 0..p {
                            close(
                                s.col_dot_shifted(k, &a),
                                d.col_dot_shifted(k, &bb),
                                "dot_shifted",
                            );
                        }
                    }
                    a.add_constant(0.25);
                    bb.add_constant(0.25);
                    close(a.weighted_sum(), bb.weighted_sum(), "weighted_sum");
                    a.values()
                        .iter()
                        .zip(bb.values())
                        .for_each(|(a, b)| close(*a, *b, "values"));
                }
                let (mut cs, mut cd) = (vec![0.0; p], vec![0.0; p]);
                s.correlations(&v, 0.5, &mut cs);
                d.correlations(&v, 0.5, &mut cd);
                cs.iter()
                    .zip(&cd)
                    .for_each(|(a, b)| close(*a, *b, "correlations"));
                // a subset of columns, out of order, as a working set asks for them
                let cols = [5, 0, 3, 6];
                let (mut ss, mut sd) = (vec![0.0; 4], vec![0.0; 4]);
                s.correlations_at(&cols, &v, 0.5, &mut ss);
                d.correlations_at(&cols, &v, 0.5, &mut sd);
                for (k, &j) in cols.iter().enumerate() {
                    close(ss[k], cd[j], "correlations_at (sparse)");
                    close(sd[k], cd[j], "correlations_at (dense)");
                }
                s.predict(&beta)
                    .iter()
                    .zip(d.predict(&beta))
                    .for_each(|(a, b)| close(*a, b, "predict"));
                s.residual(&v, &beta)
                    .iter()
                    .zip(d.residual(&v, &beta))
                    .for_each(|(a, b)| close(*a, b, "residual"));
                s.times(b.view())
                    .iter()
                    .zip(d.times(b.view()).iter())
                    .for_each(|(a, b)| close(*a, *b, "times"));
                s.t_times(r.view())
                    .iter()
                    .zip(d.t_times(r.view()).iter())
                    .for_each(|(a, b)| close(*a, *b, "t_times"));
                for (a, b) in [
                    (&sparse.x_mean, &dense.x_mean),
                    (&sparse.x_scale, &dense.x_scale),
                ] {
                    a.iter()
                        .zip(b.iter())
                        .for_each(|(a, b)| close(*a, *b, "mean/scale"));
                }
            }
        }
    }
}
