//! Sparse X on the device: gpu-fista and gpu-cd (squared loss) and logistic gpu-fista on a
//! small random sparse matrix, with and without intercept and standardization, solve to the
//! same coefficients as the same solver on the densified matrix, and every alpha of both is
//! certified by regpath-core in f64.

use super::common::{context, params, tests};
use ndarray::{Array1, Array2};
use regpath_core::{
    alpha_grid, alpha_max, Csc, Dataset, Design, DesignOptions, Loss, Path, Penalty, Problem,
};
use regpath_gpu::{solve, GpuSolver, Precision, Tuning};

/// Alphas per path, from alpha_max down to 1e-2·alpha_max.
const K: usize = 8;

/// An n × p matrix with about 12 % non-zeros (exact zeros elsewhere; two columns empty), a
/// deterministic pseudo-random fill, and y: a sparse linear model plus noise (squared loss) or
/// its sign as 0/1 labels (logistic loss).
pub(super) fn data(n: usize, p: usize, loss: Loss) -> (Csc, Array1<f64>) {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let x = Array2::from_shape_fn((n, p), |(_, j)| {
        let u = next();
        if j % 17 == 5 || u > 0.12 {
            0.0
        } else {
            1.0 + 10.0 * u + j as f64 * 0.05
        }
    });
    let truth: Vec<f64> = (0..p).map(|j| if j % 6 == 0 { 1.5 } else { 0.0 }).collect();
    let y = Array1::from_shape_fn(n, |i| {
        let score: f64 = (0..p).map(|j| x[[i, j]] * truth[j]).sum::<f64>() + next() - 0.5;
        match loss {
            Loss::Squared => score,
            Loss::Logistic => f64::from(u8::from(score > 2.0)),
        }
    });
    (Csc::from_dense(x.view()).unwrap(), y)
}

/// The path of `solver` on `design`, certified: the worst certified relative gap.
fn solved(
    design: &Design,
    problem: &Problem,
    solver: GpuSolver,
    tuning: &Tuning,
) -> Option<(Path, f64)> {
    let ctx = context()?;
    let params = regpath_gpu::GpuParams {
        tuning: tuning.clone(),
        ..params(1e-7, Precision::F32)
    };
    let (path, _) = solve(ctx, design, problem, solver, &params).unwrap();
    let worst = (problem.certify(design, &path).iter()).fold(0.0f64, |m, c| m.max(c.rel_gap));
    Some((path, worst))
}

/// `solver` on the sparse matrix and on its densified copy: both certified to f32's level
/// (worst relative gap ≤ 1e-5), with the same coefficients and intercepts.
fn run(solver: GpuSolver, loss: Loss, fit_intercept: bool, standardize: bool, blocks: bool) {
    let (n, p) = (90, 40);
    let (x, y) = data(n, p, loss);
    let options = DesignOptions {
        fit_intercept,
        standardize,
        loss,
    };
    let sparse = Design::new(&Dataset::sparse(x.clone(), y.clone()).unwrap(), options).unwrap();
    let dense = Design::new(&Dataset::new(x.to_dense(), y).unwrap(), options).unwrap();
    assert!(sparse.x.is_sparse() && !dense.x.is_sparse());
    let amax = alpha_max(&dense, loss, Penalty::LASSO);
    let problem = Problem::new(loss, Penalty::LASSO, alpha_grid(amax, K, 1e-2).unwrap()).unwrap();
    let tuning = Tuning {
        max_block_cols: blocks.then_some(7),
        ..Default::default()
    };
    let Some((on_sparse, worst_sparse)) = solved(&sparse, &problem, solver, &tuning) else {
        return;
    };
    let (on_dense, worst_dense) = solved(&dense, &problem, solver, &tuning).unwrap();
    let what = format!("{solver:?} {loss:?} intercept {fit_intercept} standardize {standardize}");
    assert!(
        worst_sparse <= 1e-5,
        "{what}: sparse worst rel gap {worst_sparse:.2e}"
    );
    assert!(
        worst_dense <= 1e-5,
        "{what}: dense worst rel gap {worst_dense:.2e}"
    );
    let scale = on_dense.coefs.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let diff = (&on_sparse.coefs - &on_dense.coefs)
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(
        diff <= 1e-4 * scale,
        "{what}: coefficients differ by {diff:.2e} (largest {scale:.2e})"
    );
    for (a, b) in on_sparse.intercepts.iter().zip(&on_dense.intercepts) {
        assert!(
            (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
            "{what}: intercept {a} vs {b}"
        );
    }
}

tests! {
    fista_sparse_matches_dense_centered_standardized => run(GpuSolver::Fista, Loss::Squared, true, true, false);
    fista_sparse_matches_dense_centered => run(GpuSolver::Fista, Loss::Squared, true, false, true);
    fista_sparse_matches_dense_raw => run(GpuSolver::Fista, Loss::Squared, false, false, false);
    fista_sparse_matches_dense_standardized_no_intercept => run(GpuSolver::Fista, Loss::Squared, false, true, false);
    cd_sparse_matches_dense_centered_standardized => run(GpuSolver::Cd, Loss::Squared, true, true, true);
    cd_sparse_matches_dense_centered => run(GpuSolver::Cd, Loss::Squared, true, false, false);
    cd_sparse_matches_dense_raw => run(GpuSolver::Cd, Loss::Squared, false, false, false);
    cd_sparse_matches_dense_standardized_no_intercept => run(GpuSolver::Cd, Loss::Squared, false, true, true);
    logistic_sparse_matches_dense_centered_standardized => run(GpuSolver::Fista, Loss::Logistic, true, true, true);
    logistic_sparse_matches_dense_raw => run(GpuSolver::Fista, Loss::Logistic, false, false, false);
}
