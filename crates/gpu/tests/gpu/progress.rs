//! The observer of `GpuParams`: every solver reports after each readback, the alphas done never
//! go back and end at the total (folds × alphas, across fold batches), and while some run the
//! largest running gap is above tol (a running alpha has not converged) or 0 (none runs).

use super::common::{best_precision, context, params, problem};
use regpath_core::{Loss, Penalty, Problem};
use regpath_gpu::{
    solve_folds, solve_path, GpuParams, GpuSolver, Observer, SolveProgress, TrainFold, Tuning,
};
use std::sync::{Arc, Mutex};

/// An observer that records every report.
fn recorder() -> (Observer, Arc<Mutex<Vec<SolveProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (Observer::new(move |p| sink.lock().unwrap().push(p)), seen)
}

/// Checks the reports `seen` of a solve of `total` alphas at `tol`.
fn check(seen: &[SolveProgress], total: usize, tol: f64, what: &str) {
    assert!(!seen.is_empty(), "{what}: no report");
    assert!(seen.iter().all(|p| p.total == total), "{what}: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].done <= w[1].done),
        "{what}: {seen:?}"
    );
    assert_eq!(seen.last().unwrap().done, total, "{what}");
    // it moves: some report falls strictly between the start and the end
    assert!(
        seen.iter().any(|p| 0 < p.done && p.done < total),
        "{what}: {seen:?}"
    );
    // 0 between CD's chunks (none runs), else above tol
    for p in seen.iter().filter(|p| p.done < total) {
        assert!(
            p.worst_gap == 0.0 || p.worst_gap > tol,
            "{what}: {p:?} below tol {tol}"
        );
    }
    assert!(seen.iter().any(|p| p.worst_gap > tol), "{what}: {seen:?}");
}

#[test]
fn every_solver_reports_its_progress_on_paths_and_fold_batches() {
    let Some(ctx) = context() else { return };
    let precision = best_precision(ctx);
    let tol = match precision {
        regpath_gpu::Precision::F64 => 1e-10,
        regpath_gpu::Precision::F32 => 1e-6,
    };
    let (d, alphas) = problem(48, 30, 0.5, Penalty::LASSO, 8, 1e-2);
    for solver in [GpuSolver::Cd, GpuSolver::Fista] {
        let (observer, seen) = recorder();
        let params = GpuParams {
            chunk: 3,
            observer: Some(observer),
            ..params(tol, precision)
        };
        solve_path(
            ctx,
            d.x.dense().unwrap().view(),
            d.y.view(),
            &alphas,
            Penalty::LASSO,
            solver,
            &params,
        )
        .unwrap();
        check(
            &seen.lock().unwrap(),
            alphas.len(),
            tol,
            &format!("{solver:?} path"),
        );

        // three folds, one per batch: the later batches count after the earlier ones
        let (observer, seen) = recorder();
        let params = GpuParams {
            observer: Some(observer),
            tuning: Tuning {
                max_fold_batch: Some(1),
                ..Default::default()
            },
            ..params
        };
        let folds: Vec<TrainFold> = (0..3)
            .map(|f| TrainFold {
                rows: (0..48).map(|i| i % 3 != f).collect(),
                scale: vec![1.0; 30],
            })
            .collect();
        let problem = Problem::new(Loss::Squared, Penalty::LASSO, alphas.clone()).unwrap();
        solve_folds(ctx, &d, &folds, &problem, solver, &params).unwrap();
        let seen = seen.lock().unwrap();
        check(&seen, 3 * alphas.len(), tol, &format!("{solver:?} folds"));
        assert!(
            seen.iter().any(|p| p.done == alphas.len()),
            "{solver:?}: {seen:?}"
        );
    }
}
