//! Cross-validation in one batch (squared and logistic loss): every fold path that `solve_folds` returns for the shared X is
//! certified in f64 against that fold's own design (its rows, centered and scaled on its own),
//! which the solver never saw.

use super::common::{context_for, params, tests, tol_and_bound};
use ndarray::Axis;
use regpath_core::certify_logistic::certify_logistic;
use regpath_core::{alpha_grid, alpha_max, certify, synth, Dataset, Design, DesignOptions, Loss};
use regpath_core::{Penalty, Problem};
use regpath_gpu::{solve_folds, GpuParams, GpuSolver, Precision, TrainFold, Tuning};
// the settings of the tests at the end
use GpuSolver::{Cd, Fista};
use Loss::{Logistic, Squared};
use Precision::{F32, F64};

/// Contiguous folds of n samples (the first n mod k one longer): their training rows.
fn train_rows(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut start = 0;
    (0..k)
        .map(|f| {
            let end = start + n / k + usize::from(f < n % k);
            let rows = (0..start).chain(end..n).collect();
            start = end;
            rows
        })
        .collect()
}

/// `global_fista`: gpu-fista on squared loss over all alphas and all of X instead of on working
/// sets.
fn run(precision: Precision, loss: Loss, solver: GpuSolver, global_fista: bool) {
    let Some(ctx) = context_for(precision, "CV test") else {
        return;
    };
    let (tol, bound) = tol_and_bound(precision, 1e-12);
    let params = GpuParams {
        chunk: 3, // gpu-cd: chunks of 3, 3 and 2 alphas, warm-started per fold
        ..params(tol, precision)
    };
    let mut data = match loss {
        Loss::Squared => synth::gene(61, 40, 0.6, 6, 3).unwrap(),
        Loss::Logistic => synth::classification(61, 40, 6, 3).unwrap(),
    };
    // column 5 is constant on the first fold's training rows only
    for i in 13..61 {
        data.x.dense_mut().unwrap()[[i, 5]] = 2.5;
    }
    data.x.dense_mut().unwrap()[[0, 5]] = -1.0;
    for (folds, standardize, fit_intercept, penalty) in [
        (4, true, true, Penalty::LASSO),
        (3, false, true, Penalty { l1_ratio: 0.5 }),
        (5, true, false, Penalty::LASSO),
    ] {
        let options = DesignOptions {
            standardize,
            fit_intercept,
            loss,
        };
        let shared = Design::new(&data, options).unwrap();
        let amax = alpha_max(&shared, loss, penalty);
        let alphas = alpha_grid(amax, 8, 1e-2).unwrap();
        let fold_designs: Vec<Design> = train_rows(data.x.nrows(), folds)
            .iter()
            .map(|rows| {
                let d = Dataset::new(
                    data.x.dense().unwrap().select(Axis(0), rows),
                    data.y.select(Axis(0), rows),
                );
                Design::new(&d.unwrap(), options).unwrap()
            })
            .collect();
        let train: Vec<TrainFold> = train_rows(data.x.nrows(), folds)
            .iter()
            .zip(&fold_designs)
            .map(|(rows, d)| {
                let mut flags = vec![false; data.x.nrows()];
                rows.iter().for_each(|&i| flags[i] = true);
                TrainFold {
                    rows: flags,
                    scale: d.column_factors(&shared).to_vec(),
                }
            })
            .collect();
        // 7-column blocks of X; the 5-fold case in batches of 2, 2 and 1 folds
        let params = GpuParams {
            tuning: Tuning {
                max_block_cols: Some(7),
                max_fold_batch: (folds == 5).then_some(2),
                global_fista,
                ..Default::default()
            },
            ..params.clone()
        };
        let problem = Problem::new(loss, penalty, alphas.clone()).unwrap();
        let (paths, counters) =
            solve_folds(ctx, &shared, &train, &problem, solver, &params).unwrap();
        assert_eq!(paths.len(), folds);
        let what = format!(
            "{solver:?} {loss:?} {} {folds} folds, standardize {standardize}, intercept {fit_intercept}, {}",
            precision.name(),
            penalty.name()
        );
        let mut worst: f64 = 0.0;
        for (f, (path, d)) in paths.iter().zip(&fold_designs).enumerate() {
            for (a, &alpha) in alphas.iter().enumerate() {
                let beta = path.coefs.row(a);
                let c = match loss {
                    Loss::Squared => certify(
                        d.x.dense().unwrap().view(),
                        d.y.view(),
                        beta,
                        alpha,
                        penalty,
                    ),
                    Loss::Logistic => {
                        let b = d.intercept_from_shared(&shared, beta, path.intercepts[a]);
                        let (x, y) = (d.x.dense().unwrap().view(), d.y.view());
                        certify_logistic(x, y, beta, b, fit_intercept, alpha, penalty)
                    }
                };
                let rel = c.gap / c.primal;
                worst = worst.max(rel);
                assert!(
                    rel <= bound,
                    "{what}: fold {f} alpha {a}: gap/primal {rel:.3e} after {} iterations (converged: {})",
                    path.iterations[a],
                    path.converged[a]
                );
            }
            assert!(path.coefs.row(alphas.len() - 1).iter().any(|&b| b != 0.0));
            for &j in &d.constant_columns {
                assert!(path.coefs.column(j).iter().all(|&b| b == 0.0));
            }
        }
        eprintln!("{what}: worst certified gap/primal {worst:.2e}, {counters:?}");
        assert_eq!(
            counters.readbacks, counters.submits,
            "one readback per submit"
        );
        if loss == Squared && !global_fista {
            // p = 40 fits every working set, so W covers the support and each outer step makes
            // one pass over X (the correlations): a fold batch using a wrong Gram would still
            // converge, on extra full passes
            assert!(counters.x_passes < counters.submits, "{what}: {counters:?}");
        }
    }
}

tests! {
    fista_fold_batches_are_certified_on_each_folds_own_design_f32 => run(F32, Squared, Fista, false);
    fista_fold_batches_are_certified_on_each_folds_own_design_f64 => run(F64, Squared, Fista, false);
    global_fista_fold_batches_are_certified_on_each_folds_own_design_f32 => run(F32, Squared, Fista, true);
    global_fista_fold_batches_are_certified_on_each_folds_own_design_f64 => run(F64, Squared, Fista, true);
    cd_fold_batches_are_certified_on_each_folds_own_design_f32 => run(F32, Squared, Cd, false);
    cd_fold_batches_are_certified_on_each_folds_own_design_f64 => run(F64, Squared, Cd, false);
    logistic_fold_batches_are_certified_on_each_folds_own_design_f32 => run(F32, Logistic, Fista, false);
    logistic_fold_batches_are_certified_on_each_folds_own_design_f64 => run(F64, Logistic, Fista, false);
}
