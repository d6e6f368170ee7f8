//! The dense CD path (SIMD kernels, f32 screening passes) against the exact f64 certificate and
//! the generic CD path.

mod common;

use common::{cd, cd_tol, certify_at};
use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty};
use regpath_cpu::cd_path_dense;

fn designs() -> Vec<(&'static str, Design)> {
    let standardized = DesignOptions {
        standardize: true,
        ..Default::default()
    };
    let raw = DesignOptions {
        fit_intercept: false,
        ..Default::default()
    };
    vec![
        (
            "gene rho 0.5 50x2000 standardized",
            Design::new(&synth::gene(50, 2000, 0.5, 10, 4).unwrap(), standardized).unwrap(),
        ),
        (
            "gene rho 0.9 80x500 raw",
            Design::new(&synth::gene(80, 500, 0.9, 20, 5).unwrap(), raw).unwrap(),
        ),
        (
            "regression 37x301 raw",
            Design::new(&synth::regression(37, 301, 8, 2.0, 6).unwrap(), raw).unwrap(),
        ),
    ]
}

#[test]
fn every_alpha_is_certified_by_the_exact_gap_and_matches_the_generic_path() {
    for (name, d) in designs() {
        for pen in [Penalty::LASSO, Penalty { l1_ratio: 0.7 }] {
            let alphas = alpha_grid(alpha_max(&d, Loss::Squared, pen), 40, 1e-3).unwrap();
            let x = d.x.dense().unwrap();
            let dense = regpath_core::Dense::new(x.view());
            for tol in [1e-4, 1e-8, 1e-12] {
                let fast = cd_path_dense(&dense, d.y.view(), &alphas, pen, &cd_tol(tol));
                let generic = cd(&d, &alphas, pen, &cd_tol(tol));
                for (k, &a) in alphas.iter().enumerate() {
                    assert!(fast.converged[k], "{name} {pen:?} tol {tol}: alpha {k}");
                    let c = certify_at(&d, &fast, k, a, pen);
                    assert!(
                        c.rel_gap <= tol,
                        "{name} {pen:?} tol {tol} alpha {k}: exact gap {} above tol",
                        c.rel_gap
                    );
                    let g = certify_at(&d, &generic, k, a, pen);
                    let scale = d.gap_scale();
                    assert!(
                        (c.primal - g.primal).abs() <= 2.0 * tol * scale,
                        "{name} {pen:?} tol {tol} alpha {k}: {} vs {}",
                        c.primal,
                        g.primal
                    );
                }
            }
        }
    }
}
