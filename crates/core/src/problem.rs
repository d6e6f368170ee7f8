//! The problem: loss × elastic-net penalty × a grid of alphas.
//!
//! Penalty scale (scikit-learn's ElasticNet, glmnet's lambda/alpha):
//! `α (ρ ‖β‖₁ + (1 − ρ)/2 ‖β‖²)`, ρ = l1_ratio ∈ [0, 1].

use crate::design::Design;
use crate::error::DataError;

/// The data-fit term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// `1/(2n) ‖y − Xβ − b‖²`.
    Squared,
    /// `1/n Σ log(1 + exp(−s_i (x_iᵀβ + b)))`, s_i = 2y_i − 1 (glmnet's binomial scale).
    Logistic,
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Squared => "squared",
            Loss::Logistic => "logistic",
        }
    }
}

/// Elastic-net penalty `α (ρ ‖β‖₁ + (1 − ρ)/2 ‖β‖²)`; ρ = 1 is the Lasso, ρ = 0 is Ridge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Penalty {
    pub l1_ratio: f64,
}

impl Penalty {
    pub const LASSO: Penalty = Penalty { l1_ratio: 1.0 };
    pub const RIDGE: Penalty = Penalty { l1_ratio: 0.0 };

    /// An elastic net with `l1_ratio` in [0, 1].
    pub fn elastic_net(l1_ratio: f64) -> Result<Penalty, DataError> {
        if !(0.0..=1.0).contains(&l1_ratio) {
            return Err(DataError::invalid(
                "l1_ratio",
                l1_ratio,
                "must be in [0, 1]",
            ));
        }
        Ok(Penalty { l1_ratio })
    }

    /// λ1 = α·ρ, the weight of ‖β‖₁.
    #[inline]
    pub fn l1(&self, alpha: f64) -> f64 {
        alpha * self.l1_ratio
    }

    /// λ2 = α·(1 − ρ), the weight of ‖β‖²/2.
    #[inline]
    pub fn l2(&self, alpha: f64) -> f64 {
        alpha * (1.0 - self.l1_ratio)
    }

    /// `λ1 ‖β‖₁ + λ2/2 ‖β‖²`.
    pub fn value(&self, alpha: f64, beta: &[f64]) -> f64 {
        let (l1, sq) = beta
            .iter()
            .fold((0.0, 0.0), |(a, b), &v| (a + v.abs(), b + v * v));
        self.l1(alpha) * l1 + 0.5 * self.l2(alpha) * sq
    }

    pub fn name(&self) -> String {
        match self.l1_ratio {
            1.0 => "lasso".into(),
            0.0 => "ridge".into(),
            r => format!("enet({r})"),
        }
    }
}

/// A regularization path to solve: one loss, one penalty, alphas in path order (decreasing).
#[derive(Clone, Debug)]
pub struct Problem {
    pub loss: Loss,
    pub penalty: Penalty,
    pub alphas: Vec<f64>,
}

impl Problem {
    /// Checks every alpha is finite and > 0.
    pub fn new(loss: Loss, penalty: Penalty, alphas: Vec<f64>) -> Result<Problem, DataError> {
        if alphas.is_empty() {
            return Err(DataError::invalid(
                "alphas",
                "[]",
                "at least one alpha is needed",
            ));
        }
        if let Some(a) = alphas.iter().find(|a| !(a.is_finite() && **a > 0.0)) {
            return Err(DataError::invalid(
                "alpha",
                a,
                "every alpha must be finite and > 0",
            ));
        }
        Ok(Problem {
            loss,
            penalty,
            alphas,
        })
    }
}

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
    let mut best: f64 = 0.0;
    for col in design.x.columns() {
        let c = crate::linalg::dot(col.as_slice().expect("column-major X"), &resid).abs();
        best = best.max(c);
    }
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

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Penalty::elastic_net(1.5).is_err());
        assert!(Penalty::elastic_net(-0.1).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![1.0, 0.0]).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![-1.0]).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![f64::NAN]).is_err());
        assert!(alpha_grid(1.0, 0, 1e-3).is_err());
        assert!(alpha_grid(1.0, 10, 0.0).is_err());
    }
}
