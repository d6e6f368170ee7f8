//! Logistic paths: KKT and certified gap, and agreement with plain proximal gradient.

mod common;

use common::{cd_tol, certify_logistic_at, logistic};
use ndarray::{Array1, ArrayView2};
use regpath_core::linalg::soft_threshold;
use regpath_core::loss::sigmoid;
use regpath_core::{
    alpha_grid, alpha_max, certify_logistic, synth, Design, DesignOptions, Loss, Penalty,
};
use regpath_cpu::CdParams;

fn design(n: usize, p: usize, seed: u64, fit_intercept: bool) -> Design {
    let data = synth::classification(n, p, 5, seed).unwrap();
    let options = DesignOptions {
        fit_intercept,
        standardize: true,
        loss: Loss::Logistic,
    };
    Design::new(&data, options).unwrap()
}

#[test]
fn logistic_cd_meets_kkt_1e_8_and_tight_gap() {
    for (n, p, fit) in [(200, 30, true), (60, 200, true), (100, 50, false)] {
        let d = design(n, p, n as u64, fit);
        for pen in [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE] {
            let amax = alpha_max(&d, Loss::Logistic, pen);
            let alphas = alpha_grid(amax, 10, 2e-2).unwrap();
            let params = CdParams {
                kkt_tol: 1e-9,
                ..cd_tol(1e-12)
            };
            let path = logistic(&d, &alphas, pen, fit, &params);
            for (k, &a) in alphas.iter().enumerate() {
                let cert = certify_logistic_at(&d, &path, k, a, pen);
                assert!(
                    path.converged[k],
                    "{n}x{p} {pen:?} alpha {k}: not converged, gap {}",
                    cert.rel_gap
                );
                assert!(
                    cert.kkt < 1e-8,
                    "{n}x{p} {pen:?} alpha {a}: KKT {}",
                    cert.kkt
                );
                assert!(
                    cert.rel_gap < 1e-11 && cert.gap > -1e-14,
                    "{n}x{p} {pen:?}: gap {}",
                    cert.rel_gap
                );
            }
            if pen.l1_ratio == 1.0 {
                let biggest = path.coefs.row(0).iter().fold(0.0f64, |m, v| m.max(v.abs()));
                assert!(
                    biggest < 1e-10,
                    "alpha_max gives beta = 0 (up to rounding), got {biggest}"
                );
                assert!(
                    path.coefs.row(9).iter().any(|&v| v.abs() > 1e-3),
                    "features enter below alpha_max"
                );
            }
        }
    }
}

/// Proximal gradient (ISTA) with backtracking, a second algorithm written independently here.
fn ista(
    x: ArrayView2<f64>,
    y: &Array1<f64>,
    alpha: f64,
    pen: Penalty,
    fit: bool,
) -> (Array1<f64>, f64) {
    let (n, p) = x.dim();
    let (mut beta, mut b) = (Array1::<f64>::zeros(p), 0.0);
    let lip = {
        let g = x.t().dot(&x);
        let mut v = Array1::<f64>::ones(p);
        for _ in 0..200 {
            let w = g.dot(&v);
            v = &w / w.dot(&w).sqrt();
        }
        v.dot(&g.dot(&v)) / (4.0 * n as f64) + 1.0
    };
    let step = 1.0 / (lip + pen.l2(alpha));
    for _ in 0..200_000 {
        let z = x.dot(&beta) + b;
        let r: Array1<f64> = y
            .iter()
            .zip(z.iter())
            .map(|(&yi, &zi)| yi - sigmoid(zi))
            .collect();
        let grad = -x.t().dot(&r) / n as f64 + &beta * pen.l2(alpha);
        let new = (&beta - &(&grad * step)).mapv(|v| soft_threshold(v, step * pen.l1(alpha)));
        if fit {
            b += step * r.sum() / n as f64;
        }
        let change = (&new - &beta).mapv(f64::abs).sum();
        beta = new;
        if change < 1e-13 {
            break;
        }
    }
    (beta, b)
}

#[test]
fn logistic_cd_agrees_with_proximal_gradient() {
    let d = design(120, 15, 5, true);
    let pen = Penalty { l1_ratio: 0.8 };
    let alphas = alpha_grid(alpha_max(&d, Loss::Logistic, pen), 5, 0.05).unwrap();
    let path = logistic(&d, &alphas, pen, true, &cd_tol(1e-12));
    for (k, &a) in alphas.iter().enumerate() {
        let (beta, b) = ista(d.x.dense().unwrap().view(), &d.y, a, pen, true);
        let c1 = certify_logistic_at(&d, &path, k, a, pen);
        let c2 = certify_logistic(
            d.x.dense().unwrap().view(),
            d.y.view(),
            beta.view(),
            b,
            true,
            a,
            pen,
        );
        assert!(
            (c1.primal - c2.primal).abs() < 1e-8,
            "alpha {a}: {} vs {}",
            c1.primal,
            c2.primal
        );
        for j in 0..15 {
            assert!(
                (path.coefs[[k, j]] - beta[j]).abs() < 1e-4,
                "alpha {a} coef {j}: {} vs {}",
                path.coefs[[k, j]],
                beta[j]
            );
        }
    }
}

/// Alphas given by hand may repeat or jump: the path predictor must not carry a coefficient
/// anywhere a certificate cannot follow. Repeated alphas get the same certified solution.
#[test]
fn repeated_and_uneven_alphas_give_certified_identical_answers() {
    let d = design(80, 40, 7, true);
    let pen = Penalty::LASSO;
    let amax = alpha_max(&d, Loss::Logistic, pen);
    let alphas = [
        0.5 * amax,
        0.5 * amax,
        0.5 * amax,
        0.2 * amax,
        0.2 * amax,
        0.01 * amax,
        0.0099 * amax,
    ];
    let path = logistic(&d, &alphas, pen, true, &cd_tol(1e-10));
    for (k, &a) in alphas.iter().enumerate() {
        let cert = certify_logistic_at(&d, &path, k, a, pen);
        assert!(
            path.converged[k] && path.intercepts[k].is_finite(),
            "alpha {k}"
        );
        assert!(cert.rel_gap < 1e-10, "alpha {k}: gap {}", cert.rel_gap);
    }
    for (a, b) in [(0, 1), (1, 2), (3, 4)] {
        let diff = (&path.coefs.row(a) - &path.coefs.row(b))
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            diff < 1e-5,
            "alphas {a} and {b} are equal: coefficients differ by {diff}"
        );
    }
}
