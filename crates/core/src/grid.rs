//! The alpha grid: alpha_max (the smallest alpha with β = 0) and scikit-learn's geometric grid.

use crate::design::Design;
use crate::error::DataError;
use crate::loss::Loss;
use crate::matrix::Matrix;
use crate::penalty::Penalty;

/// Smallest alpha at which β = 0 is optimal:
/// `max_j |x_jᵀ(y − c)| / (n · max(ρ, 1e-3))`, on the prepared design. For squared loss y is
/// already centered when an intercept is fitted (c = 0 here); for logistic loss c = ȳ with an
/// intercept and 1/2 without.
pub fn alpha_max(design: &Design, loss: Loss, penalty: Penalty) -> f64 {
    let n = design.n_samples() as f64;
    let resid: Vec<f64> = match loss {
        Loss::Squared => design.y.to_vec(),
        Loss::Logistic => {
            let c = if design.options.fit_intercept {
                design.y.mean().unwrap_or(0.5)
            } else {
                0.5
            };
            design.y.iter().map(|v| v - c).collect()
        }
    };
    let mut c = vec![0.0; design.n_features()];
    design.matrix().correlations(&resid, 1.0, &mut c);
    let best = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    best / (n * penalty.l1_ratio.max(1e-3))
}

/// `n_alphas` alphas, geometric from `alpha_max` down to `eps·alpha_max` (scikit-learn's grid).
pub fn alpha_grid(alpha_max: f64, n_alphas: usize, eps: f64) -> Result<Vec<f64>, DataError> {
    if n_alphas == 0 {
        return Err(DataError::invalid(
            "alphas",
            0,
            "the grid needs at least one alpha",
        ));
    }
    if !(eps > 0.0 && eps < 1.0) {
        return Err(DataError::invalid("eps", eps, "must be in (0, 1)"));
    }
    if !(alpha_max > 0.0 && alpha_max.is_finite()) {
        return Err(DataError::invalid(
            "alpha_max",
            alpha_max,
            "Xᵀy is zero: y is constant or uncorrelated with every column, so every alpha gives β = 0; pass --alpha-values",
        ));
    }
    if n_alphas == 1 {
        return Ok(vec![alpha_max]);
    }
    let step = eps.ln() / (n_alphas - 1) as f64;
    Ok((0..n_alphas)
        .map(|k| alpha_max * (step * k as f64).exp())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_geometric_from_alpha_max_to_eps_alpha_max() {
        let g = alpha_grid(2.0, 5, 1e-2).unwrap();
        assert_eq!(g.len(), 5);
        assert!((g[0] - 2.0).abs() < 1e-15);
        assert!((g[4] - 0.02).abs() < 1e-12);
        let r = g[1] / g[0];
        for w in g.windows(2) {
            assert!((w[1] / w[0] - r).abs() < 1e-12);
        }
    }
}
