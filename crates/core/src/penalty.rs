//! The elastic-net penalty on scikit-learn's ElasticNet scale (glmnet's lambda/alpha):
//! `α (ρ ‖β‖₁ + (1 − ρ)/2 ‖β‖²)`, ρ = l1_ratio ∈ [0, 1].

use crate::error::DataError;
use crate::linalg::soft_threshold;

/// The elastic-net weights at one alpha: `λ1 |b| + λ2/2 b²` per coordinate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub l1: f64,
    pub l2: f64,
}

impl Weights {
    /// The coordinate-wise prox: argmin_b v/2·b² − z·b + λ1|b| + λ2/2·b² = S(z, λ1)/(v + λ2),
    /// S the soft threshold. A CD step on coordinate j takes z = x_jᵀr/n + v·β_j with v its
    /// curvature (‖x_j‖²/n, weighted in logistic Newton steps).
    #[inline]
    pub fn coordinate_min(&self, z: f64, v: f64) -> f64 {
        soft_threshold(z, self.l1) / (v + self.l2)
    }

    /// `λ1 |b| + λ2/2 b²` summed over the coordinates `set` of `beta`.
    pub fn value_on(&self, beta: &[f64], set: &[usize]) -> f64 {
        set.iter()
            .map(|&j| self.l1 * beta[j].abs() + 0.5 * self.l2 * beta[j] * beta[j])
            .sum()
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

    /// The penalty at one alpha: its weights λ1, λ2 and the coordinate-wise prox.
    #[inline]
    pub fn at(&self, alpha: f64) -> Weights {
        Weights {
            l1: self.l1(alpha),
            l2: self.l2(alpha),
        }
    }

    /// The conjugate term of the dual at θ = s·r, c_j = x_jᵀr/n:
    /// Σ_j (s|c_j| − λ1)₊² / (2λ2). With λ2 = 0 it is the indicator of s‖c‖∞ ≤ λ1 (0 inside,
    /// +∞ outside, with a 1e-12 relative slack for rounding).
    pub fn conjugate(&self, alpha: f64, s: f64, c: &[f64]) -> f64 {
        let (l1, l2) = (self.l1(alpha), self.l2(alpha));
        if l2 == 0.0 {
            let cmax = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            return if s * cmax <= l1 * (1.0 + 1e-12) {
                0.0
            } else {
                f64::INFINITY
            };
        }
        let excess: f64 = c.iter().map(|v| (s * v.abs() - l1).max(0.0).powi(2)).sum();
        excess / (2.0 * l2)
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
