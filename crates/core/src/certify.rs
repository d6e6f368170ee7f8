//! The certifier: primal objective, a dual-feasible point, duality gap and KKT violation, in f64.
//!
//! Squared loss, λ1 = αρ, λ2 = α(1 − ρ), r = y − Xβ, c = Xᵀr/n:
//! - primal  `P(β) = ‖r‖²/(2n) + λ1‖β‖₁ + λ2/2‖β‖²`
//! - dual    `D(θ) = (‖y‖² − ‖y − θ‖²)/(2n) − Σ_j (|x_jᵀθ|/n − λ1)₊² / (2λ2)`  (Fenchel dual;
//!   for λ2 = 0 the last term is the constraint `‖Xᵀθ‖∞/n ≤ λ1`)
//! - θ = s·r with the scale s ∈ [0, ∞) that maximizes D (closed form for the Lasso,
//!   safeguarded Newton otherwise): a dual-feasible point that is exact at the optimum
//!   (celer's residual rescaling, improved by the line search).
//! - gap = P − D ≥ 0, zero exactly at the optimum.

use crate::linalg::dot;
use crate::loss::squared_gap_scale;
use crate::matrix::Matrix;
use crate::penalty::Penalty;
use ndarray::ArrayView1;

/// What a solution is judged by. Objective values are on the scale of the module docs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Certificate {
    pub primal: f64,
    pub dual: f64,
    /// primal − dual: an upper bound on the suboptimality of the primal value.
    pub gap: f64,
    /// gap / (‖y‖²/n): the scale `--tol` is given in.
    pub rel_gap: f64,
    /// max_j distance of `c_j − λ2 β_j` to `λ1 ∂|β_j|` (gradient units).
    pub kkt: f64,
    pub nnz: usize,
}

/// Certifies `beta` for squared loss on the prepared design (X column-major, y as the solver saw it).
pub fn certify(
    x: impl Matrix,
    y: ArrayView1<f64>,
    beta: ArrayView1<f64>,
    alpha: f64,
    penalty: Penalty,
) -> Certificate {
    let (n, p) = x.dim();
    assert_eq!(y.len(), n, "certify: y has {} rows, X has {n}", y.len());
    assert_eq!(
        beta.len(),
        p,
        "certify: beta has {} entries, X has {p} columns",
        beta.len()
    );
    // y at the edges of f64's range (‖y‖² under- or overflows): certify the same problem with
    // y, β and α divided by s = max|y_i| — the objective scales by s², the relative gap not at
    // all — so the certificate is computed, never a rounded 0 or a NaN.
    let s = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if s.is_finite() && s > 0.0 && !(1e-100..=1e100).contains(&s) {
        let (ys, bs) = (y.mapv(|v| v / s), beta.mapv(|v| v / s));
        let c = certify(x, ys.view(), bs.view(), alpha / s, penalty);
        return Certificate {
            primal: c.primal * s * s,
            dual: c.dual * s * s,
            gap: c.gap * s * s,
            rel_gap: c.rel_gap,
            kkt: c.kkt * s,
            nnz: c.nnz,
        };
    }
    let beta = beta.to_vec();
    let y = y.to_vec();
    let r = x.residual(&y, &beta);
    let mut c = vec![0.0; p];
    x.correlations(&r, 1.0 / n as f64, &mut c);
    certify_parts(&y, &beta, &r, &c, alpha, penalty)
}

/// Certifies from parts a solver already holds: y, β, the residual r = y − Xβ and c = Xᵀr/n.
pub fn certify_parts(
    y: &[f64],
    beta: &[f64],
    r: &[f64],
    c: &[f64],
    alpha: f64,
    penalty: Penalty,
) -> Certificate {
    let n = y.len() as f64;
    let (l1, l2) = (penalty.l1(alpha), penalty.l2(alpha));
    let rr = dot(r, r);
    let ry = dot(r, y);
    let primal = rr / (2.0 * n) + penalty.value(alpha, beta);
    let s = best_dual_scale(rr, ry, c, n, l1, l2);
    let dual = dual_value(s, rr, ry, c, n, alpha, penalty);
    let gap = primal - dual;
    let kkt = c.iter().zip(beta).fold(0.0f64, |m, (&cj, &bj)| {
        m.max(penalty.kkt_violation(alpha, cj, bj))
    });
    let nnz = beta.iter().filter(|&&b| b != 0.0).count();
    Certificate {
        primal,
        dual,
        gap,
        rel_gap: gap / squared_gap_scale(y),
        kkt,
        nnz,
    }
}

/// D(s·r) for the squared-loss dual; −∞ when s·r is infeasible (λ2 = 0 and s‖c‖∞ > λ1).
fn dual_value(s: f64, rr: f64, ry: f64, c: &[f64], n: f64, alpha: f64, penalty: Penalty) -> f64 {
    (2.0 * s * ry - s * s * rr) / (2.0 * n) - penalty.conjugate(alpha, s, c)
}

/// The s ≥ 0 maximizing the concave D(s·r).
fn best_dual_scale(rr: f64, ry: f64, c: &[f64], n: f64, l1: f64, l2: f64) -> f64 {
    if rr == 0.0 {
        return 0.0;
    }
    let cmax = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if l2 == 0.0 {
        let s_feas = if cmax > 0.0 { l1 / cmax } else { f64::INFINITY };
        return (ry / rr).clamp(0.0, s_feas);
    }
    // D'(s) = (ry − s·rr)/n − Σ_{s|c_j|>λ1} |c_j|(s|c_j| − λ1)/λ2, decreasing in s.
    let derivs = |s: f64| -> (f64, f64) {
        let mut d1 = (ry - s * rr) / n;
        let mut d2 = -rr / n;
        for v in c {
            let a = v.abs();
            let e = s * a - l1;
            if e > 0.0 {
                d1 -= a * e / l2;
                d2 -= a * a / l2;
            }
        }
        (d1, d2)
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    if derivs(0.0).0 <= 0.0 {
        return 0.0;
    }
    let mut grow = 0;
    while derivs(hi).0 > 0.0 && grow < 60 {
        lo = hi;
        hi *= 2.0;
        grow += 1;
    }
    let mut s = 1.0f64.clamp(lo, hi);
    for _ in 0..50 {
        let (d1, d2) = derivs(s);
        if d1 > 0.0 {
            lo = s;
        } else {
            hi = s;
        }
        if d1.abs() <= 1e-15 * (ry.abs() / n + 1e-300) || hi - lo <= 1e-15 * hi {
            break;
        }
        let newton = s - d1 / d2;
        s = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_is_scale_free_at_the_edges_of_f64() {
        // a 2 × 1 lasso with a known optimum: x = (1, 1)ᵀ·√1, y = (3, 1)·t, n = 2: β* = (2 − α)·t
        // for α < 2 (c = xᵀy/n = 2t). Certified at t = 1 and at t = 1e-170 / 1e300 the relative
        // gap is the same, exactly 0 only at the optimum.
        let x = ndarray::array![[1.0], [1.0]];
        for t in [1.0, 1e-170, 1e300] {
            let y = ndarray::array![3.0 * t, 1.0 * t];
            let opt = ndarray::array![(2.0 - 0.5) * t];
            let c = certify(x.view(), y.view(), opt.view(), 0.5 * t, Penalty::LASSO);
            assert!(c.rel_gap.abs() < 1e-12, "t {t}: {c:?}");
            let off = ndarray::array![1.4 * t]; // 7% off the optimum
            let c = certify(x.view(), y.view(), off.view(), 0.5 * t, Penalty::LASSO);
            assert!(c.rel_gap > 1e-4 && c.rel_gap.is_finite(), "t {t}: {c:?}");
        }
    }
    use ndarray::{Array1, Array2, ShapeBuilder};

    /// Orthonormal design scaled so XᵀX/n = I: the elastic net has the closed form
    /// β_j = S(x_jᵀy/n, λ1)/(1 + λ2).
    fn orthonormal(n: usize, p: usize) -> (Array2<f64>, Array1<f64>) {
        // columns of a scaled Hadamard-like ±1 matrix are orthogonal: use Walsh functions.
        let mut x = Array2::<f64>::zeros((n, p).f());
        for j in 0..p {
            for i in 0..n {
                let bits = (i & (j + 1)).count_ones();
                x[[i, j]] = if bits % 2 == 0 { 1.0 } else { -1.0 };
            }
        }
        let y =
            Array1::from_iter((0..n).map(|i| ((i * 7 % 11) as f64 - 5.0) * 0.3 + (i as f64).sin()));
        (x, y)
    }

    #[test]
    fn gap_is_zero_at_the_closed_form_optimum_and_positive_elsewhere() {
        let (x, y) = orthonormal(16, 5);
        let n = 16.0;
        let g = x.t().dot(&x) / n;
        for i in 0..5 {
            for j in 0..5 {
                assert!((g[[i, j]] - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        for &rho in &[1.0, 0.5, 0.0] {
            let pen = Penalty { l1_ratio: rho };
            let alpha = 0.2;
            let z = x.t().dot(&y) / n;
            let beta =
                z.mapv(|v| crate::linalg::soft_threshold(v, pen.l1(alpha)) / (1.0 + pen.l2(alpha)));
            let cert = certify(x.view(), y.view(), beta.view(), alpha, pen);
            assert!(cert.gap.abs() < 1e-13, "rho {rho}: gap {}", cert.gap);
            assert!(cert.kkt < 1e-13, "rho {rho}: kkt {}", cert.kkt);
            let off = &beta + 0.01;
            let c2 = certify(x.view(), y.view(), off.view(), alpha, pen);
            assert!(
                c2.gap > 1e-6,
                "rho {rho}: a perturbed point must have a positive gap"
            );
            assert!(c2.primal > cert.primal);
            // weak duality: every dual value is below every primal value
            assert!(c2.dual <= cert.primal + 1e-13);
        }
    }

    #[test]
    fn gap_bounds_suboptimality_at_zero() {
        let (x, y) = orthonormal(32, 7);
        let pen = Penalty { l1_ratio: 0.7 };
        let beta = Array1::zeros(7);
        let c = certify(x.view(), y.view(), beta.view(), 0.05, pen);
        assert!(c.gap >= 0.0);
        assert_eq!(c.nnz, 0);
    }
}
