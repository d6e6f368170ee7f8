//! An f32 copy of dense X's columns for screening passes: half the bytes of a pass over X, with
//! a rigorous bound on what the rounding can change, so that a screened correlation is an upper
//! bound (never an estimate) wherever it stands in for the exact one.
//!
//! With x̃_ij = fl32(x_ij) (|x̃_ij − x_ij| ≤ 2⁻²⁴|x_ij| when x_ij is 0 or a normal f32) and the
//! products and sum x̃_jᵀr formed in f64 (error ≤ γ_n Σ|x̃_ij r_i|, γ_n ≤ 1.01·n·2⁻⁵³),
//! `|x̃_jᵀr − x_jᵀr| ≤ κ_n ‖x_j‖‖r‖` with κ_n = 1.02·(2⁻²⁴ + (n + 1)·2⁻⁵²).

use regpath_core::{Dense, Matrix};

/// X (n × p) rounded to f32, column-major.
pub(crate) struct F32Columns {
    data: Vec<f32>,
    n: usize,
}

impl F32Columns {
    /// The copy of `x`; None when the copy cannot be allocated or a value is outside f32's
    /// normal range (the bound would not hold), in which case passes stay in f64.
    pub(crate) fn new(x: &Dense) -> Option<F32Columns> {
        let (n, p) = x.dim();
        let len = n.checked_mul(p)?;
        let mut data = Vec::new();
        data.try_reserve_exact(len).ok()?;
        let (lo, hi) = (f32::MIN_POSITIVE as f64, f32::MAX as f64 * 0.5);
        for j in 0..p {
            let col = x.col(j);
            // branch-free, so that it vectorizes: a NaN fails both comparisons
            let bad = col.iter().fold(false, |bad, &v| {
                let a = v.abs();
                bad | ((a != 0.0) & !((a >= lo) & (a <= hi)))
            });
            if bad {
                return None;
            }
            data.extend(col.iter().map(|&v| v as f32));
        }
        Some(F32Columns { data, n })
    }

    /// Column j, n values.
    #[inline]
    pub(crate) fn col(&self, j: usize) -> &[f32] {
        &self.data[j * self.n..(j + 1) * self.n]
    }

    /// κ_n of the module's bound: `|x̃_jᵀr − x_jᵀr| ≤ κ_n ‖x_j‖‖r‖`.
    pub(crate) fn error_factor(&self) -> f64 {
        1.02 * (f64::powi(2.0, -24) + (self.n as f64 + 1.0) * f64::EPSILON)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, ShapeBuilder};

    #[test]
    fn rounding_error_stays_within_the_bound_even_when_the_sum_cancels() {
        let (n, p) = (257, 40);
        let mut x = Array2::<f64>::zeros((n, p).f());
        for ((i, j), v) in x.indexed_iter_mut() {
            *v = ((i * 31 + j * 17) as f64 * 0.613).sin() * (1.0 + j as f64) + 1.0 / 3.0;
        }
        let d = Dense::new(x.view());
        let low = F32Columns::new(&d).unwrap();
        // r orthogonal-ish to the columns: the exact dot is small, the rounding is not
        let r: Vec<f64> = (0..n)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let rn = r.iter().map(|v| v * v).sum::<f64>().sqrt();
        for j in 0..p {
            let col = d.col(j);
            // the f64 sum's own rounding (≤ n·2⁻⁵³ Σ|x r|) is far inside the bound
            let exact: f64 = col.iter().zip(&r).map(|(a, b)| a * b).sum();
            let approx: f64 = low.col(j).iter().zip(&r).map(|(&a, b)| a as f64 * b).sum();
            let xn = col.iter().map(|v| v * v).sum::<f64>().sqrt();
            let bound = low.error_factor() * xn * rn;
            assert!((approx - exact).abs() <= bound, "column {j}");
            assert!(bound < 1e-6 * xn * rn, "the bound is an f32-sized margin");
        }
    }

    #[test]
    fn values_outside_the_normal_f32_range_refuse_the_copy() {
        for bad in [1e-40, 1e39, f64::NAN] {
            let x = Array2::from_shape_vec((2, 1).f(), vec![1.0, bad]).unwrap();
            let d = Dense::new(x.view());
            assert!(F32Columns::new(&d).is_none());
        }
    }
}
