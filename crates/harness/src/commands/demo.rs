//! `regpath demo`: the guide's L1-vs-L2 experiment, every number from the solvers at run time.
//!
//! 100 samples, 20 standardized features of which 5 informative, noise 10: Ridge at
//! scikit-learn's `Ridge(alpha=1.0)` (regpath alpha 1/n) against Lasso at alpha 1.0; then the
//! smallest alpha on the Lasso path at which all 15 useless features are zero; then two copies
//! of one feature on different scales (height in cm and in inches).

use crate::cli::DemoArgs;
use anyhow::Result;
use ndarray::{Array1, Array2, ShapeBuilder};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use regpath_core::{alpha_grid, alpha_max, synth, Dataset, Design, DesignOptions, Loss, Penalty};
use regpath_cpu::{cd_path, ridge_path, CdParams};
use std::process::ExitCode;

/// What the demo measured.
#[derive(Debug, Clone)]
pub struct Demo {
    pub true_coef: Vec<f64>,
    pub ridge: Vec<f64>,
    pub lasso: Vec<f64>,
    /// Smallest alpha on the 100-alpha Lasso path with every useless feature at zero, and how
    /// many informative features are non-zero there.
    pub clean_alpha: Option<(f64, usize)>,
    /// (Lasso cm, Lasso inches, Ridge cm, Ridge inches) coefficients, unstandardized.
    pub copies: [f64; 4],
}

impl Demo {
    pub fn informative(&self, j: usize) -> bool {
        self.true_coef[j] != 0.0
    }
    fn zeros(&self, coef: &[f64], informative: bool) -> usize {
        (0..coef.len())
            .filter(|&j| self.informative(j) == informative && coef[j] == 0.0)
            .count()
    }
    /// Exact zeros among the useless (true coefficient 0) features.
    pub fn zeros_useless(&self, coef: &[f64]) -> usize {
        self.zeros(coef, false)
    }
    pub fn zeros_informative(&self, coef: &[f64]) -> usize {
        self.zeros(coef, true)
    }
}

const TOL: f64 = 1e-12;

/// Runs the experiment with data seed `seed`.
pub fn compute(seed: u64) -> Result<Demo> {
    let (n, p, k) = (100, 20, 5);
    let data = synth::regression(n, p, k, 10.0, seed)?;
    let design = Design::new(
        &data,
        DesignOptions {
            standardize: true,
            ..Default::default()
        },
    )?;
    let params = CdParams {
        tol: TOL,
        ..Default::default()
    };
    let ridge = ridge_path(
        design.x.dense().expect("the demo's data is dense").view(),
        design.y.view(),
        &[1.0 / n as f64],
    );
    let lasso = cd_path(
        design.x.dense().expect("the demo's data is dense").view(),
        design.y.view(),
        &[1.0],
        Penalty::LASSO,
        &params,
    );
    let true_coef = data.true_coef.clone().expect("synthetic").to_vec();
    let grid = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 100, 1e-3)?;
    let path = cd_path(
        design.x.dense().expect("the demo's data is dense").view(),
        design.y.view(),
        &grid,
        Penalty::LASSO,
        &params,
    );
    let clean_alpha = (0..grid.len())
        .rev()
        .find(|&a| (0..p).all(|j| true_coef[j] != 0.0 || path.coefs[[a, j]] == 0.0))
        .map(|a| {
            (
                grid[a],
                (0..p)
                    .filter(|&j| true_coef[j] != 0.0 && path.coefs[[a, j]] != 0.0)
                    .count(),
            )
        });
    Ok(Demo {
        true_coef,
        ridge: ridge.coefs.row(0).to_vec(),
        lasso: lasso.coefs.row(0).to_vec(),
        clean_alpha,
        copies: copies(seed)?,
    })
}

/// Height in cm and the same height in inches (not standardized: the point is their scales),
/// y = 0.5·height_cm + noise. Lasso keeps the cm copy (the cheaper one to penalize) and holds
/// inches at exactly 0; Ridge splits the weight, coefficients in the ratio of the scales (2.54).
fn copies(seed: u64) -> Result<[f64; 4]> {
    let n = 100;
    let mut rng = StdRng::seed_from_u64(seed.wrapping_add(1));
    let mut x = Array2::<f64>::zeros((n, 2).f());
    let mut y = Array1::<f64>::zeros(n);
    for i in 0..n {
        let z: f64 = StandardNormal.sample(&mut rng);
        let e: f64 = StandardNormal.sample(&mut rng);
        let cm = 170.0 + 10.0 * z;
        x[[i, 0]] = cm;
        x[[i, 1]] = cm / 2.54;
        y[i] = 0.5 * cm + 3.0 * e;
    }
    let d = Design::new(&Dataset::new(x, y)?, DesignOptions::default())?;
    let lasso = cd_path(
        d.x.dense().expect("the demo's data is dense").view(),
        d.y.view(),
        &[1.0],
        Penalty::LASSO,
        &CdParams {
            tol: TOL,
            ..Default::default()
        },
    );
    let ridge = ridge_path(
        d.x.dense().expect("the demo's data is dense").view(),
        d.y.view(),
        &[1.0 / n as f64],
    );
    Ok([
        lasso.coefs[[0, 0]],
        lasso.coefs[[0, 1]],
        ridge.coefs[[0, 0]],
        ridge.coefs[[0, 1]],
    ])
}

fn cell(v: f64) -> String {
    if v == 0.0 {
        "0 (exact)".to_string()
    } else {
        format!("{v:.4}")
    }
}

pub fn run(args: &DemoArgs) -> Result<ExitCode> {
    let d = compute(args.seed)?;
    println!(
        "L1 vs L2 on 100 samples × 20 standardized features, 5 informative, noise 10 (seed {})",
        args.seed
    );
    println!("Ridge: scikit-learn Ridge(alpha=1.0), i.e. regpath alpha 1/100; Lasso: alpha 1.0\n");
    println!(
        "{:<11} {:>10} {:>12} {:>12}",
        "feature", "true", "ridge", "lasso"
    );
    for j in 0..d.true_coef.len() {
        let mark = if d.informative(j) { "*" } else { " " };
        println!(
            "{:<11} {:>10.4} {:>12} {:>12}",
            format!("Feature {j}{mark}"),
            d.true_coef[j],
            cell(d.ridge[j]),
            cell(d.lasso[j])
        );
    }
    let used = |c: &[f64]| c.iter().filter(|&&v| v != 0.0).count();
    println!("\n(* = informative)");
    println!(
        "Ridge uses {} of 20 features: it shrinks, it does not select.",
        used(&d.ridge)
    );
    println!(
        "Lasso uses {} of 20: it zeroes {} of the 15 useless features (and {} of the 5 informative ones).",
        used(&d.lasso),
        d.zeros_useless(&d.lasso),
        d.zeros_informative(&d.lasso)
    );
    match d.clean_alpha {
        Some((a, kept)) => println!(
            "On the 100-alpha Lasso path, the smallest alpha with all 15 useless features at zero is {a:.4}; {kept} of the 5 informative features survive there."
        ),
        None => println!("No alpha on the 100-alpha Lasso path zeroes all 15 useless features except where everything is zero."),
    }
    let [lc, li, rc, ri] = d.copies;
    println!("\nCorrelated copies: height in cm and the same height in inches, y = 0.5·cm + noise (not standardized)");
    println!(
        "  Lasso (alpha 1.0): cm {} inches {}  — keeps one copy",
        cell(lc),
        cell(li)
    );
    println!("  Ridge (Ridge(alpha=1.0)): cm {} inches {}  — splits the weight (ratio {:.2}, the scale ratio)", cell(rc), cell(ri), rc / ri);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_claims_hold_in_solver_output() {
        for seed in 0..5 {
            let d = compute(seed).unwrap();
            assert_eq!(
                d.ridge.iter().filter(|&&v| v == 0.0).count(),
                0,
                "ridge zeros none (seed {seed})"
            );
            let zu = d.zeros_useless(&d.lasso);
            assert!(
                zu >= 5,
                "lasso zeroes at least 5 of 15 useless features, got {zu} (seed {seed})"
            );
            assert!(
                zu > d.zeros_informative(&d.lasso),
                "more useless than informative zeros (seed {seed})"
            );
            let [lc, li, rc, ri] = d.copies;
            assert!(
                lc != 0.0 && li == 0.0,
                "lasso keeps exactly one copy: {lc} {li}"
            );
            assert!(
                rc != 0.0 && ri != 0.0 && (rc / ri - 2.54).abs() < 1e-6,
                "ridge splits by scale: {rc} {ri}"
            );
        }
    }
}
