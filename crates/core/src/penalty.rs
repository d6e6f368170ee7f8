//! The elastic-net penalty on scikit-learn's ElasticNet scale (glmnet's lambda/alpha):
//! `α (ρ ‖β‖₁ + (1 − ρ)/2 ‖β‖²)`, ρ = l1_ratio ∈ [0, 1].

use crate::error::DataError;

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

    /// Distance of the gradient `g_j = x_jᵀr/n − λ2·β_j` to `λ1·∂|β_j|`: the KKT violation of
    /// one coordinate (gradient units; 0 at the optimum).
    #[inline]
    pub fn kkt_violation(&self, alpha: f64, corr: f64, beta: f64) -> f64 {
        let (l1, l2) = (self.l1(alpha), self.l2(alpha));
        let g = corr - l2 * beta;
        if beta > 0.0 {
            (g - l1).abs()
        } else if beta < 0.0 {
            (g + l1).abs()
        } else {
            (g.abs() - l1).max(0.0)
        }
    }
}
