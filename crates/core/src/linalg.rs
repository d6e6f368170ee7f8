//! Small dense kernels on column slices, written for auto-vectorization.

/// `aᵀb` with four independent accumulators (vectorizes; better rounding than one running sum).
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let mut acc = [0.0f64; 4];
    let ca = a.chunks_exact(4);
    let cb = b.chunks_exact(4);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `Σ_k vals_k·v[rows_k]`: a sparse column's dot product with a dense vector, four independent
/// accumulators (the gathers overlap instead of waiting on one running sum).
#[inline]
pub fn gather_dot(rows: &[usize], vals: &[f64], v: &[f64]) -> f64 {
    debug_assert_eq!(rows.len(), vals.len());
    let mut acc = [0.0f64; 4];
    let (cr, cv) = (rows.chunks_exact(4), vals.chunks_exact(4));
    let (rr, rv) = (cr.remainder(), cv.remainder());
    for (i, x) in cr.zip(cv) {
        acc[0] += x[0] * v[i[0]];
        acc[1] += x[1] * v[i[1]];
        acc[2] += x[2] * v[i[2]];
        acc[3] += x[3] * v[i[3]];
    }
    let mut tail = 0.0;
    for (&i, x) in rr.iter().zip(rv) {
        tail += x * v[i];
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `Σ_k vals_k·w[rows_k]·(v[rows_k] + shift)` and `Σ_k vals_k·w[rows_k]`: a sparse column's
/// weighted dot product with a shifted vector, and its weighted sum, as [`gather_dot`] does it.
#[inline]
pub fn gather_weighted_dot(
    rows: &[usize],
    vals: &[f64],
    w: &[f64],
    v: &[f64],
    shift: f64,
) -> (f64, f64) {
    debug_assert_eq!(rows.len(), vals.len());
    let (mut acc, mut lin) = ([0.0f64; 4], [0.0f64; 4]);
    let (cr, cv) = (rows.chunks_exact(4), vals.chunks_exact(4));
    let (rr, rv) = (cr.remainder(), cv.remainder());
    for (i, x) in cr.zip(cv) {
        for k in 0..4 {
            let xw = x[k] * w[i[k]];
            acc[k] += xw * v[i[k]];
            lin[k] += xw;
        }
    }
    let (mut tail, mut tail_lin) = (0.0, 0.0);
    for (&i, x) in rr.iter().zip(rv) {
        let xw = x * w[i];
        tail += xw * v[i];
        tail_lin += xw;
    }
    let lin = (lin[0] + lin[1]) + (lin[2] + lin[3]) + tail_lin;
    let dot = (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail;
    (dot + shift * lin, lin)
}

/// `v[rows_k] += a·vals_k` for a sparse column, returning `Σ_k w[rows_k]·vals_k` (w = 1 when
/// None): how the column moves a weighted total.
#[inline]
pub fn gather_axpy(rows: &[usize], vals: &[f64], a: f64, v: &mut [f64], w: Option<&[f64]>) -> f64 {
    debug_assert_eq!(rows.len(), vals.len());
    let mut lin = [0.0f64; 4];
    let (cr, cv) = (rows.chunks_exact(4), vals.chunks_exact(4));
    let (rr, rv) = (cr.remainder(), cv.remainder());
    for (i, x) in cr.zip(cv) {
        for k in 0..4 {
            v[i[k]] += a * x[k];
            lin[k] += w.map_or(1.0, |w| w[i[k]]) * x[k];
        }
    }
    let mut tail = 0.0;
    for (&i, x) in rr.iter().zip(rv) {
        v[i] += a * x;
        tail += w.map_or(1.0, |w| w[i]) * x;
    }
    (lin[0] + lin[1]) + (lin[2] + lin[3]) + tail
}

/// `y += a·x`.
#[inline]
pub fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Soft-thresholding `S(z, t) = sign(z)·max(|z| − t, 0)`, the prox of `t|·|`. A |z| within a
/// few ulps of t (e.g. the feature that sets alpha_max, at alpha_max) is the threshold itself
/// up to rounding and gives an exact 0, never a ±1e-16 leftover.
#[inline]
pub fn soft_threshold(z: f64, t: f64) -> f64 {
    let t_eff = t * (1.0 + 8.0 * f64::EPSILON);
    if z > t_eff {
        z - t
    } else if z < -t_eff {
        z + t
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_at_the_threshold_up_to_rounding_is_exactly_zero() {
        let t = 2.4826159443960953;
        assert_eq!(soft_threshold(t + 4.0 * f64::EPSILON, t), 0.0);
        assert_eq!(soft_threshold(-t - 4.0 * f64::EPSILON, t), 0.0);
        assert_eq!(soft_threshold(3.75, 2.5), 1.25);
        assert_eq!(soft_threshold(-3.0, 1.0), -2.0);
        assert_eq!(
            soft_threshold(1e-300, 0.0),
            1e-300,
            "no threshold: the value itself"
        );
    }

    #[test]
    fn dot_matches_naive_sum_on_ragged_lengths() {
        for n in [0usize, 1, 3, 4, 7, 33] {
            let a: Vec<f64> = (0..n).map(|i| i as f64 * 0.5 - 3.0).collect();
            let b: Vec<f64> = (0..n).map(|i| (i * i) as f64 * 0.25).collect();
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() <= 1e-12 * (1.0 + naive.abs()));
        }
    }

    #[test]
    fn soft_threshold_is_the_prox_of_the_absolute_value() {
        assert_eq!(soft_threshold(3.0, 1.0), 2.0);
        assert_eq!(soft_threshold(-3.0, 1.0), -2.0);
        assert_eq!(soft_threshold(0.5, 1.0), 0.0);
        assert_eq!(soft_threshold(-1.0, 1.0), 0.0);
    }
}
