//! Cross-validation on sparse X in one device batch: `solve_folds` on a shared sparse design
//! (kept sparse on the device) gives every fold the coefficients and validation errors that
//! `solve_folds` gives on the same matrix densified, and that cpu-cd gives on each fold's own
//! sparse design; every fold path is certified by regpath-core in f64 against the fold's own
//! design, which the device never saw. Squared loss with gpu-fista and gpu-cd, logistic loss
//! with gpu-fista; with and without intercept and standardization.

use super::common::{context_for, params, tests, tol_and_bound};
use super::sparse::data;
use regpath_core::folds::Folds;
use regpath_core::loss::softplus;
use regpath_core::{alpha_grid, alpha_max, Dataset, Design, DesignOptions, Loss, Path, Penalty};
use regpath_core::{Problem, Storage};
use regpath_cpu::{CpuParams, CpuSolver};
use regpath_gpu::{solve_folds, GpuSolver, Precision, TrainFold, Tuning};
use GpuSolver::{Cd, Fista};
use Loss::{Logistic, Squared};
use Precision::{F32, F64};

/// Samples, features (about 12 % non-zeros), folds and alphas of every case.
const N: usize = 60;
const P: usize = 40;
const FOLDS: usize = 3;
const K: usize = 8;

/// The fold paths of one storage: the shared design, each fold's own design (its rows, centered
/// and scaled on its own) and the paths `solve_folds` returns, intercepts on the fold's scale.
struct Batch {
    folds: Vec<Design>,
    paths: Vec<Path>,
}

/// `solve_folds` on `data` (sparse or dense storage) over contiguous folds; logistic intercepts
/// mapped from the shared design's scores to each fold's.
fn batch(
    data: &Dataset,
    options: DesignOptions,
    problem: &Problem,
    solver: GpuSolver,
    precision: Precision,
    split: &Folds,
) -> Option<Batch> {
    let ctx = context_for(precision, "sparse CV test")?;
    let shared = Design::new(data, options).unwrap();
    let folds: Vec<Design> = (0..FOLDS)
        .map(|f| Design::new(&data.select_rows(&split.train_rows(f)).unwrap(), options).unwrap())
        .collect();
    let train: Vec<TrainFold> = (0..FOLDS)
        .map(|f| TrainFold {
            rows: split.train_mask(f),
            scale: folds[f].column_factors(&shared).to_vec(),
        })
        .collect();
    let (tol, _) = tol_and_bound(precision, 1e-12);
    let params = regpath_gpu::GpuParams {
        chunk: 3,
        // 7-column blocks: several sparse blocks per product
        tuning: Tuning {
            max_block_cols: Some(7),
            ..Default::default()
        },
        ..params(tol, precision)
    };
    let (mut paths, _) = solve_folds(ctx, &shared, &train, problem, solver, &params).unwrap();
    if problem.loss == Logistic {
        for (path, d) in paths.iter_mut().zip(&folds) {
            for a in 0..K {
                let b = path.intercepts[a];
                path.intercepts[a] = d.intercept_from_shared(&shared, path.coefs.row(a), b);
            }
        }
    }
    Some(Batch { folds, paths })
}

/// Mean validation error (squared error, or binomial deviance) of fold `f`'s path at alpha `a`
/// on the validation rows, the coefficients mapped back to X's original scale.
fn validation_error(
    data: &Dataset,
    split: &Folds,
    f: usize,
    fold: &Design,
    path: &Path,
) -> Vec<f64> {
    let rows = split.validation_rows(f);
    (0..K)
        .map(|a| {
            let (coef, b) = fold.original_scale(path.coefs.row(a), path.intercepts[a]);
            let scores = data.x.scores(coef.as_slice().unwrap(), &rows);
            let total: f64 = (rows.iter().zip(scores))
                .map(|(&i, s)| {
                    let (z, y) = (s + b, data.y[i]);
                    match fold.options.loss {
                        Squared => (y - z).powi(2),
                        Logistic => 2.0 * softplus(if y > 0.5 { -z } else { z }),
                    }
                })
                .sum();
            total / rows.len() as f64
        })
        .collect()
}

/// The largest |a − b| over two paths' coefficients, and the largest |b|.
fn coef_diff(a: &Path, b: &Path) -> (f64, f64) {
    let diff = (&a.coefs - &b.coefs)
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let scale = b.coefs.iter().fold(1e-12f64, |m, v| m.max(v.abs()));
    (diff, scale)
}

fn run(
    solver: GpuSolver,
    loss: Loss,
    precision: Precision,
    fit_intercept: bool,
    standardize: bool,
) {
    let (x, y) = data(N, P, loss);
    let options = DesignOptions {
        fit_intercept,
        standardize,
        loss,
    };
    let sparse = Dataset::sparse(x.clone(), y.clone()).unwrap();
    let dense = Dataset::new(x.to_dense(), y).unwrap();
    assert!(matches!(sparse.x, Storage::Sparse(_)));
    let split = Folds::contiguous(N, FOLDS);
    let shared = Design::new(&sparse, options).unwrap();
    let amax = alpha_max(&shared, loss, Penalty::LASSO);
    let problem = Problem::new(loss, Penalty::LASSO, alpha_grid(amax, K, 1e-2).unwrap()).unwrap();
    let Some(on_sparse) = batch(&sparse, options, &problem, solver, precision, &split) else {
        return;
    };
    let on_dense = batch(&dense, options, &problem, solver, precision, &split).unwrap();
    let (_, bound) = tol_and_bound(precision, 1e-12);
    // coefficients to f32's or f64's level, relative to the largest
    let agree = match precision {
        F32 => 1e-4,
        F64 => 1e-7,
    };
    let what = format!(
        "{solver:?} {loss:?} {} intercept {fit_intercept} standardize {standardize}",
        precision.name()
    );
    // the worst coefficient difference / largest coefficient against each other solve
    let mut worst = [0.0f64; 2];
    for f in 0..FOLDS {
        let (fold, path) = (&on_sparse.folds[f], &on_sparse.paths[f]);
        assert!(fold.x.is_sparse());
        // certified on the fold's own sparse design
        for (a, c) in problem.certify(fold, path).iter().enumerate() {
            assert!(
                c.rel_gap <= bound,
                "{what}: fold {f} alpha {a}: certified relative gap {:.2e}",
                c.rel_gap
            );
        }
        assert!(
            path.coefs.row(K - 1).iter().any(|&b| b != 0.0),
            "{what}: fold {f} all zero"
        );
        // cpu-cd on the fold's own sparse design, to a tight gap
        let cpu = CpuParams {
            solver: CpuSolver::Cd,
            tol: 1e-12,
            max_iter: 100_000,
        };
        let reference = regpath_cpu::solve(fold, &problem, &cpu).unwrap();
        let errors = validation_error(&sparse, &split, f, fold, path);
        let others = [
            ("densified", &on_dense.folds[f], &on_dense.paths[f]),
            ("cpu-cd", fold, &reference),
        ];
        for (o, (name, other_fold, other)) in others.into_iter().enumerate() {
            let (diff, scale) = coef_diff(path, other);
            worst[o] = worst[o].max(diff / scale);
            assert!(
                diff <= agree * scale,
                "{what}: fold {f}: coefficients differ from {name}'s by {diff:.2e} (largest {scale:.2e})"
            );
            for (a, (b, c)) in path.intercepts.iter().zip(&other.intercepts).enumerate() {
                assert!(
                    (b - c).abs() <= agree * (1.0 + c.abs()),
                    "{what}: fold {f} alpha {a}: intercept {b} vs {name}'s {c}"
                );
            }
            let want = validation_error(&sparse, &split, f, other_fold, other);
            for (a, (e, w)) in errors.iter().zip(&want).enumerate() {
                assert!(
                    (e - w).abs() <= agree * w.abs(),
                    "{what}: fold {f} alpha {a}: validation error {e} vs {name}'s {w}"
                );
            }
        }
    }
    eprintln!(
        "{what}: coefficients within {:.1e} (densified) and {:.1e} (cpu-cd) of the largest",
        worst[0], worst[1]
    );
}

tests! {
    fista_sparse_folds_match_dense_and_cpu_intercept_standardize => run(Fista, Squared, F32, true, true);
    fista_sparse_folds_match_dense_and_cpu_raw => run(Fista, Squared, F32, false, false);
    cd_sparse_folds_match_dense_and_cpu_intercept => run(Cd, Squared, F32, true, false);
    cd_sparse_folds_match_dense_and_cpu_standardize_no_intercept => run(Cd, Squared, F32, false, true);
    cd_sparse_folds_match_dense_and_cpu_intercept_standardize_f64 => run(Cd, Squared, F64, true, true);
    logistic_sparse_folds_match_dense_and_cpu_intercept_standardize => run(Fista, Logistic, F32, true, true);
    logistic_sparse_folds_match_dense_and_cpu_raw => run(Fista, Logistic, F32, false, false);
}
