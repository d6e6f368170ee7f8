//! The data-fit terms and the scale `--tol` is relative to for each.

use crate::linalg::dot;

/// The data-fit term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// `1/(2n) ‖y − Xβ − b‖²`.
    Squared,
    /// `1/n Σ log(1 + exp(−s_i (x_iᵀβ + b)))`, s_i = 2y_i − 1 (glmnet's binomial scale).
    Logistic,
}

/// scikit-learn's `LogisticRegression(C=c)` on n samples is regpath's logistic problem at
/// α = 1/(n·c) (its objective is n·c times regpath's): the one conversion between the scales.
pub fn alpha_from_sklearn_c(c: f64, n: usize) -> f64 {
    1.0 / (n as f64 * c)
}

/// The inverse of [`alpha_from_sklearn_c`]: C = 1/(n·α).
pub fn sklearn_c_from_alpha(alpha: f64, n: usize) -> f64 {
    1.0 / (n as f64 * alpha)
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Squared => "squared",
            Loss::Logistic => "logistic",
        }
    }

    /// The scale a duality gap is divided by to give the relative gap `--tol` bounds, from the
    /// targets the solver sees (`y` centered when an intercept is fitted): ‖y‖²/n for squared
    /// loss, the null deviance per sample ([`null_loss`]) for logistic loss. Never 0 (1 for an all-zero squared-loss y).
    pub fn gap_scale(self, y: &[f64], fit_intercept: bool) -> f64 {
        match self {
            Loss::Squared => squared_gap_scale(y),
            Loss::Logistic => null_loss(y, fit_intercept).max(1e-300),
        }
    }
}

/// ‖y‖²/n, or 1 when y is all zeros: the squared-loss gap scale of [`Loss::gap_scale`].
pub fn squared_gap_scale(y: &[f64]) -> f64 {
    let s = dot(y, y) / y.len().max(1) as f64;
    if s > 0.0 {
        s
    } else {
        1.0
    }
}

/// `log(1 + exp(t))` without overflow.
#[inline]
pub fn softplus(t: f64) -> f64 {
    if t > 0.0 {
        t + (-t).exp().ln_1p()
    } else {
        t.exp().ln_1p()
    }
}

/// `σ(t) = 1 / (1 + exp(−t))`.
#[inline]
pub fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// Binary entropy `−q log q − (1−q) log(1−q)`, 0 at the ends.
#[inline]
pub fn entropy(q: f64) -> f64 {
    let h = |v: f64| if v > 0.0 { -v * v.ln() } else { 0.0 };
    h(q) + h(1.0 - q)
}

/// `1/n Σ log(1 + exp(−s_i z_i))` for labels y ∈ {0, 1}.
pub fn logistic_loss(y: &[f64], z: &[f64]) -> f64 {
    y.iter()
        .zip(z)
        .map(|(&yi, &zi)| softplus(if yi > 0.5 { -zi } else { zi }))
        .sum::<f64>()
        / y.len() as f64
}

/// The intercept minimizing the logistic loss for fixed linear scores `xb` (Newton's method).
pub fn optimal_intercept(y: &[f64], xb: &[f64], start: f64) -> f64 {
    let mut b = start;
    for _ in 0..100 {
        let (mut g, mut h) = (0.0, 0.0);
        for (&yi, &zi) in y.iter().zip(xb) {
            let p = sigmoid(zi + b);
            g += p - yi;
            h += p * (1.0 - p);
        }
        if h <= 0.0 {
            break;
        }
        let step = g / h;
        b -= step.clamp(-5.0, 5.0);
        // Newton's next step is at most step²/2 here (|h′| = |Σ p(1 − p)(1 − 2p)| ≤ h), so a
        // step whose square is below 1e-15 leaves b within rounding of the optimum
        if step * step <= 1e-15 * (1.0 + b.abs()) {
            break;
        }
    }
    b
}

/// The null deviance scale: the primal at β = 0 with the best intercept (or b = 0).
pub fn null_loss(y: &[f64], fit_intercept: bool) -> f64 {
    if fit_intercept {
        entropy(y.iter().sum::<f64>() / y.len() as f64)
    } else {
        std::f64::consts::LN_2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_helpers() {
        assert!((softplus(800.0) - 800.0).abs() < 1e-12);
        assert!(softplus(-800.0) >= 0.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(800.0) <= 1.0);
        assert!((null_loss(&[1.0, 0.0], true) - std::f64::consts::LN_2).abs() < 1e-15);
    }

    #[test]
    fn the_optimal_intercept_is_the_log_odds_of_the_labels_and_zeroes_the_gradient() {
        // scores all 0: the closed form b* = log(ȳ / (1 − ȳ)), from far-off starts
        let y = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let want = (5.0f64 / 2.0).ln();
        for start in [-30.0, 0.0, 0.9, 12.0] {
            let b = optimal_intercept(&y, &[0.0; 7], start);
            assert!((b - want).abs() < 1e-14, "start {start}: {b} vs {want}");
        }
        // other scores: at b*, Σ σ(x_i + b*) = Σ y_i to rounding
        let xb = [0.3, -1.2, 2.5, 0.0, -0.7, 1.1, -3.0];
        let b = optimal_intercept(&y, &xb, 0.0);
        let g: f64 = xb.iter().zip(&y).map(|(x, yi)| sigmoid(x + b) - yi).sum();
        assert!(g.abs() < 1e-14, "gradient {g}");
    }

    #[test]
    fn squared_gap_scale_is_the_mean_square_or_one() {
        assert_eq!(squared_gap_scale(&[3.0, 4.0]), 12.5);
        assert_eq!(squared_gap_scale(&[0.0, 0.0]), 1.0);
    }
}
