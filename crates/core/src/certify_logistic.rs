//! The logistic certifier, f64. Labels y ∈ {0, 1}, z = Xβ + b, p = σ(z), r = y − p:
//! - primal `P(β, b) = 1/n Σ log(1 + exp(−s_i z_i)) + λ1‖β‖₁ + λ2/2‖β‖²`, s_i = 2y_i − 1
//! - dual   `D(θ) = 1/n Σ H(y_i − θ_i) − Σ_j (|x_jᵀθ|/n − λ1)₊² / (2λ2)`, H the binary entropy,
//!   over θ_i ∈ [y_i − 1, y_i] (and Σθ = 0 with an intercept); λ2 = 0 turns the last term into
//!   the constraint `‖Xᵀθ‖∞/n ≤ λ1`.
//! - θ = s·r with s maximizing D (safeguarded Newton on the concave D(s)). With an intercept, b is
//!   first re-optimized for β (a 1-D Newton solve), so Σr = 0 and the certificate is for (β, b*(β)).
//! - relative gap: gap over the null deviance scale, the primal at β = 0 (entropy of ȳ, or log 2
//!   without an intercept).

use crate::certify::Certificate;
use crate::loss::{logistic_loss, optimal_intercept, sigmoid, Loss};
use crate::matrix::Matrix;
use crate::penalty::Penalty;
use ndarray::ArrayView1;

/// Certifies (β, b) for logistic loss on the prepared design (X column-major, y ∈ {0, 1}).
pub fn certify_logistic(
    x: impl Matrix,
    y: ArrayView1<f64>,
    beta: ArrayView1<f64>,
    intercept: f64,
    fit_intercept: bool,
    alpha: f64,
    penalty: Penalty,
) -> Certificate {
    let (n, _) = x.dim();
    let y = y.to_vec();
    let beta = beta.to_vec();
    let xb = x.predict(&beta);
    let b = if fit_intercept {
        optimal_intercept(&y, &xb, intercept)
    } else {
        0.0
    };
    let z: Vec<f64> = xb.iter().map(|v| v + b).collect();
    let r = dual_direction(&y, &z, fit_intercept);
    let mut c = vec![0.0; beta.len()];
    x.correlations(&r, 1.0 / n as f64, &mut c);
    certify_logistic_parts(&y, &z, &beta, &r, &c, fit_intercept, alpha, penalty)
}

/// The residual r = y − σ(z) as a dual direction: centered when an intercept is fitted (Σθ = 0)
/// and clipped to its box side (θ_i = s·r_i ∈ [y_i − 1, y_i]). Exact at the optimum.
pub fn dual_direction(y: &[f64], z: &[f64], fit_intercept: bool) -> Vec<f64> {
    let n = y.len();
    let mut r: Vec<f64> = y.iter().zip(z).map(|(&yi, &zi)| yi - sigmoid(zi)).collect();
    if fit_intercept {
        let m = r.iter().sum::<f64>() / n as f64;
        for (ri, &yi) in r.iter_mut().zip(y) {
            *ri -= m;
            if (yi > 0.5 && *ri < 0.0) || (yi < 0.5 && *ri > 0.0) {
                *ri = 0.0;
            }
        }
    }
    r
}

/// Certifies from parts a solver holds: scores z = Xβ + b (b optimal for β when an intercept is
/// fitted), r = [`dual_direction`], c = Xᵀr/n.
#[allow(clippy::too_many_arguments)]
pub fn certify_logistic_parts(
    y: &[f64],
    z: &[f64],
    beta: &[f64],
    r: &[f64],
    c: &[f64],
    fit_intercept: bool,
    alpha: f64,
    penalty: Penalty,
) -> Certificate {
    let (l1, l2) = (penalty.l1(alpha), penalty.l2(alpha));
    let primal = logistic_loss(y, z) + penalty.value(alpha, beta);
    // s range: the box θ_i = s·r_i ∈ [y_i − 1, y_i] needs s·|r_i| ≤ 1; λ2 = 0 needs s‖c‖∞ ≤ λ1.
    let rmax = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let cmax = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut hi = if rmax > 0.0 { 1.0 / rmax } else { 1.0 };
    if l2 == 0.0 && cmax > 0.0 {
        hi = hi.min(l1 / cmax);
    }
    let dual = best_dual(r, c, hi, (alpha, penalty), primal);
    let gap = primal - dual;
    let kkt = c.iter().zip(beta).fold(0.0f64, |m, (&cj, &bj)| {
        m.max(penalty.kkt_violation(alpha, cj, bj))
    });
    let nnz = beta.iter().filter(|&&v| v != 0.0).count();
    Certificate {
        primal,
        dual,
        gap,
        rel_gap: gap / Loss::Logistic.gap_scale(y, fit_intercept),
        kkt,
        nnz,
    }
}

/// The largest dual value D(s·r) over s ∈ (0, hi] (D is concave in s; D(0) = 0): safeguarded
/// Newton on D′ from s = min(1, hi) (the optimum's own scale), bracketed by bisection. Each
/// step is one pass over the samples with two logs, giving D, D′ and D″ together; it stops when
/// a Newton step would gain less than 1e-3 of the gap left to `primal` (any s gives a valid
/// bound; this one is within 0.1 % of the best) or the bracket is 1e-13 of hi.
/// With θ_i = s·r_i on its box side, H(y_i − s·r_i) = H(q_i), q_i = s·|r_i|, so
/// D = 1/n Σ H(q_i) − conj(s), D′ = 1/n Σ |r_i|·log((1 − q_i)/q_i) − Σ_j |c_j|(s|c_j| − λ1)₊/λ2,
/// D″ = −1/n Σ |r_i|/(s(1 − q_i)) − Σ_{s|c_j|>λ1} c_j²/λ2 (the λ2 terms only when λ2 > 0).
fn best_dual(r: &[f64], c: &[f64], hi: f64, (alpha, penalty): (f64, Penalty), primal: f64) -> f64 {
    let (l1, l2) = (penalty.l1(alpha), penalty.l2(alpha));
    let inv_n = 1.0 / r.len() as f64;
    let at = |s: f64| -> (f64, f64, f64) {
        let (mut fit, mut d1, mut d2) = (0.0, 0.0, 0.0);
        for &ri in r {
            let a = ri.abs();
            if a > 0.0 {
                let q = s * a;
                let (lq, lq1) = (q.ln(), (-q).ln_1p());
                fit -= q * lq + (1.0 - q) * lq1;
                d1 += a * (lq1 - lq);
                d2 -= a / (s * (1.0 - q));
            }
        }
        let (mut d1, mut d2) = (d1 * inv_n, d2 * inv_n);
        if l2 > 0.0 {
            for &cj in c {
                let excess = s * cj.abs() - l1;
                if excess > 0.0 {
                    d1 -= cj.abs() * excess / l2;
                    d2 -= cj * cj / l2;
                }
            }
        }
        (fit * inv_n - penalty.conjugate(alpha, s, c), d1, d2)
    };
    let mut best = 0.0f64;
    let (mut lo, mut up) = (0.0, hi);
    let mut s = hi.min(1.0);
    for _ in 0..100 {
        let (d, d1, d2) = at(s);
        if d.is_nan() || d1.is_nan() {
            // s·|r_i| rounded past 1 at the box's edge: step back
            up = s;
            s = 0.5 * (lo + up);
            continue;
        }
        best = best.max(d);
        if d1 == 0.0 {
            break;
        }
        if d1 > 0.0 {
            lo = s;
        } else {
            up = s;
        }
        let newton = s - d1 / d2;
        let next = if newton > lo && newton < up {
            newton
        } else {
            0.5 * (lo + up)
        };
        let gain = if next == newton {
            0.5 * d1 * d1 / -d2
        } else {
            f64::INFINITY
        };
        if gain <= 1e-3 * (primal - best) || up - lo <= 1e-13 * hi || next == s {
            break;
        }
        s = next;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::entropy;
    use ndarray::{array, Array1};

    #[test]
    fn gap_is_nonnegative_and_shrinks_toward_the_optimum() {
        // a tiny problem solved by gradient descent to high accuracy, then perturbed
        let x = ndarray::Array2::from_shape_fn((8, 2), |(i, j)| ((i * 3 + j * 5) % 7) as f64 - 3.0);
        let y = array![1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        let pen = Penalty::RIDGE;
        let alpha = 0.1;
        let mut beta = Array1::<f64>::zeros(2);
        for _ in 0..20000 {
            let z = x.dot(&beta);
            let r: Array1<f64> = y
                .iter()
                .zip(z.iter())
                .map(|(&yi, &zi)| yi - sigmoid(zi))
                .collect();
            let grad = -x.t().dot(&r) / 8.0 + &beta * alpha;
            beta = &beta - &(grad * 0.05);
        }
        let c = certify_logistic(x.view(), y.view(), beta.view(), 0.0, false, alpha, pen);
        assert!(c.gap >= -1e-14 && c.gap < 1e-10, "gap {}", c.gap);
        let off = &beta + 0.1;
        let c2 = certify_logistic(x.view(), y.view(), off.view(), 0.0, false, alpha, pen);
        assert!(c2.gap > 1e-5 && c2.primal > c.primal);
    }

    #[test]
    fn the_dual_scaling_search_finds_the_best_s_of_a_fine_grid() {
        // an off-optimum point (so the best s is not 1): the certificate's dual must be within
        // 0.1 % of the gap (the search's stopping rule) of the largest dual value over 20,001
        // evenly spaced feasible s, and never above it by more than the grid's spacing allows
        let x = ndarray::Array2::from_shape_fn((9, 3), |(i, j)| ((i * 5 + j * 3) % 7) as f64 - 2.5);
        let y = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0];
        let beta = [0.3, -0.2, 0.05];
        for (pen, alpha) in [
            (Penalty::LASSO, 0.3),
            (Penalty::elastic_net(0.5).unwrap(), 0.2),
        ] {
            let z: Vec<f64> = x.dot(&ndarray::ArrayView1::from(&beta[..])).to_vec();
            let r = dual_direction(&y, &z, false);
            let c: Vec<f64> = (0..3)
                .map(|j| x.column(j).iter().zip(&r).map(|(a, b)| a * b).sum::<f64>() / 9.0)
                .collect();
            let cert = certify_logistic_parts(&y, &z, &beta, &r, &c, false, alpha, pen);
            let rmax = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let cmax = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let mut hi = 1.0 / rmax;
            if pen.l2(alpha) == 0.0 {
                hi = hi.min(pen.l1(alpha) / cmax);
            }
            let best = (0..=20_000)
                .map(|i| {
                    let s = hi * i as f64 / 20_000.0;
                    let fit = y
                        .iter()
                        .zip(&r)
                        .map(|(&yi, &ri)| entropy(yi - s * ri))
                        .sum::<f64>();
                    fit / 9.0 - pen.conjugate(alpha, s, &c)
                })
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(
                cert.dual >= best - 1e-3 * (cert.primal - best) - 1e-12,
                "{:?}: {} < {best}",
                pen,
                cert.dual
            );
            assert!(
                cert.dual <= best + 1e-6,
                "{:?}: {} ≫ {best}",
                pen,
                cert.dual
            );
        }
    }
}

#[cfg(test)]
mod extreme_scales {
    use super::*;
    use ndarray::{array, Array1, Array2};

    /// A certificate either bounds the gap with finite numbers or is not finite at all: at the
    /// edges of f64 (X × 1e300, X × 1e-170, coefficients that make ‖β‖² or Xβ overflow) it is
    /// never a small finite gap it could not compute.
    #[test]
    fn item_08_logistic_certificates_at_extreme_scales_are_finite_bounds_or_not_finite() {
        let base = Array2::from_shape_fn((8, 2), |(i, j)| ((i * 3 + j * 5) % 7) as f64 - 3.0);
        let y = array![1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        let penalties = [
            Penalty::LASSO,
            Penalty::RIDGE,
            Penalty::elastic_net(0.5).unwrap(),
        ];
        for scale in [1.0, 1e300, 1e307, 1e-170, 1e-300] {
            let x = base.mapv(|v| v * scale);
            // scores of about 0.3 and 1e10, and coefficients of 1e300 / scale (overflowing)
            for size in [0.3, 1e10, 1e300] {
                let beta = Array1::from(vec![size / scale, -size / scale]);
                for (fit_intercept, pen) in [false, true]
                    .into_iter()
                    .flat_map(|f| penalties.iter().map(move |&p| (f, p)))
                {
                    let alpha = 0.01 * scale.min(1.0);
                    let c = certify_logistic(
                        x.view(),
                        y.view(),
                        beta.view(),
                        0.0,
                        fit_intercept,
                        alpha,
                        pen,
                    );
                    let what = format!("X × {scale:e}, β ~ {size:e}/scale, {pen:?}, intercept {fit_intercept}: {c:?}");
                    if c.gap.is_finite() && c.rel_gap.is_finite() {
                        // a finite certificate is a true bound: these β are far from optimal
                        assert!(c.primal.is_finite() && c.dual.is_finite(), "{what}");
                        assert!(c.dual <= c.primal && c.rel_gap > 1e-3, "{what}");
                    }
                }
            }
        }
    }
}
