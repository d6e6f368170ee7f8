//! Upper bounds on |c_j| = |x_jᵀr|/n carried from one pass over X to the next, so that a pass
//! can skip the features that cannot reach λ1: if |c_j| ≤ a_j was known at the residual r₀ of
//! an earlier pass, then at r, by Cauchy–Schwarz, |c_j| ≤ a_j + ‖x_j‖‖r − r₀‖/n.
//!
//! The residuals of the last [`DriftBounds::WINDOW`] passes are kept (n values each); a feature
//! whose bound dates from an older pass has none and must be read again.

/// Per-feature bounds a_j with the pass they hold at, and the recent passes' residuals.
pub(crate) struct DriftBounds {
    /// |c_j| (or an upper bound on it) at the pass `at[j]`.
    abs: Vec<f64>,
    /// Pass number of `abs[j]`; `u64::MAX` before the first.
    at: Vec<u64>,
    /// Residuals of recent passes, slot = pass number mod WINDOW.
    residuals: Vec<Vec<f64>>,
    /// ‖r − r_slot‖/n (rounded up) for the current r, by slot; infinite for an empty slot.
    dist: Vec<f64>,
    /// Number of the current pass.
    pass: u64,
    /// 1 + a bound on the relative rounding of the norms (computed ‖·‖ are not exact).
    round_up: f64,
}

impl DriftBounds {
    /// How many passes a bound survives.
    pub(crate) const WINDOW: usize = 16;

    /// Bounds for `p` features on residuals of length `n`; none known yet.
    pub(crate) fn new(n: usize, p: usize) -> DriftBounds {
        DriftBounds {
            abs: vec![f64::INFINITY; p],
            at: vec![u64::MAX; p],
            residuals: vec![Vec::new(); Self::WINDOW],
            dist: vec![f64::INFINITY; Self::WINDOW],
            pass: 0,
            round_up: 1.0 + 8.0 * (n as f64 + 4.0) * f64::EPSILON,
        }
    }

    /// ‖r − r_slot‖/n (rounded up) for every slot; infinite for an empty one.
    pub(crate) fn distances(&self, r: &[f64], inv_n: f64) -> Vec<f64> {
        self.residuals
            .iter()
            .map(|old| {
                if old.len() == r.len() {
                    let d2: f64 = old.iter().zip(r).map(|(a, b)| (a - b) * (a - b)).sum();
                    d2.sqrt() * inv_n * self.round_up
                } else {
                    f64::INFINITY
                }
            })
            .collect()
    }

    /// Starts a pass at residual `r`: its distances to the kept residuals, scaled by `inv_n`.
    pub(crate) fn begin(&mut self, r: &[f64], inv_n: f64) {
        self.dist = self.distances(r, inv_n);
        self.pass += 1;
        let slot = self.slot(self.pass);
        self.residuals[slot].clear();
        self.residuals[slot].extend_from_slice(r);
        self.dist[slot] = 0.0;
    }

    fn slot(&self, pass: u64) -> usize {
        (pass % Self::WINDOW as u64) as usize
    }

    /// An upper bound on |c_j| at the current pass for a column of norm `col_norm` (‖x_j‖),
    /// or infinity when feature j has no bound within the window.
    #[inline]
    pub(crate) fn bound(&self, j: usize, col_norm: f64) -> f64 {
        self.bound_from(j, col_norm, &self.dist)
    }

    /// [`DriftBounds::bound`] at a residual whose [`DriftBounds::distances`] are `dist`, taken
    /// since the last [`DriftBounds::begin`].
    #[inline]
    pub(crate) fn bound_from(&self, j: usize, col_norm: f64, dist: &[f64]) -> f64 {
        let at = self.at[j];
        if at == u64::MAX || self.pass - at >= Self::WINDOW as u64 {
            return f64::INFINITY;
        }
        self.abs[j] + col_norm * self.round_up * dist[self.slot(at)]
    }

    /// Records `abs` ≥ |c_j| at the current pass.
    #[inline]
    pub(crate) fn record(&mut self, j: usize, abs: f64) {
        self.abs[j] = abs;
        self.at[j] = self.pass;
    }

    /// The last recorded |c_j| of every feature (stale for the skipped ones): estimates for
    /// the strong rule, not bounds at the current residual.
    pub(crate) fn last(&self) -> &[f64] {
        &self.abs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_as_the_residual_moves_and_lapse_after_the_window() {
        let (n, p) = (50, 30);
        let inv_n = 1.0 / n as f64;
        let col = |j: usize| -> Vec<f64> {
            (0..n)
                .map(|i| ((i * 7 + j * 13) as f64 * 0.41).sin())
                .collect()
        };
        let corr = |j: usize, r: &[f64]| -> f64 {
            col(j).iter().zip(r).map(|(a, b)| a * b).sum::<f64>() * inv_n
        };
        let norm = |j: usize| col(j).iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut d = DriftBounds::new(n, p);
        let mut r: Vec<f64> = (0..n).map(|i| (i as f64 * 0.3).cos()).collect();
        d.begin(&r, inv_n);
        assert_eq!(d.bound(0, norm(0)), f64::INFINITY, "nothing recorded yet");
        for j in 0..p {
            d.record(j, corr(j, &r).abs());
        }
        for step in 1..DriftBounds::WINDOW as u64 + 2 {
            for (i, v) in r.iter_mut().enumerate() {
                *v += 0.05 * ((i as f64 + step as f64) * 1.7).sin();
            }
            // a residual the pass has not begun at: bounds from its distances hold there too
            let side: Vec<f64> = r.iter().map(|v| v * 0.9).collect();
            let dist = d.distances(&side, inv_n);
            for j in 0..p {
                let b = d.bound_from(j, norm(j), &dist);
                assert!(
                    b == f64::INFINITY || corr(j, &side).abs() <= b,
                    "step {step} j {j}"
                );
            }
            d.begin(&r, inv_n);
            for j in 0..p {
                let b = d.bound(j, norm(j));
                if step < DriftBounds::WINDOW as u64 {
                    assert!(b.is_finite() && corr(j, &r).abs() <= b, "step {step} j {j}");
                } else {
                    assert_eq!(b, f64::INFINITY, "the first pass left the window");
                }
            }
        }
    }
}
