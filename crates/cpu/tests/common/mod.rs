//! Shared support of the CPU solver tests: the solvers and the certifiers on a prepared design.
#![allow(dead_code)] // each test binary uses its own part

use regpath_core::{certify, certify_logistic, Certificate, Design, Path, Penalty};
use regpath_cpu::{cd_path, fista_path, logistic_path, CdParams, FistaParams};

/// CD's parameters with the relative gap `tol`, the rest at their defaults.
pub fn cd_tol(tol: f64) -> CdParams {
    CdParams {
        tol,
        ..Default::default()
    }
}

/// The squared-loss path of `d` by coordinate descent.
pub fn cd(d: &Design, alphas: &[f64], pen: Penalty, params: &CdParams) -> Path {
    cd_path(d.matrix(), d.y.view(), alphas, pen, params)
}

/// The squared-loss path of `d` by FISTA, to the relative gap `tol` in at most `max_iter`
/// iterations per alpha.
pub fn fista(d: &Design, alphas: &[f64], pen: Penalty, tol: f64, max_iter: usize) -> Path {
    let params = FistaParams {
        tol,
        max_iter,
        ..Default::default()
    };
    fista_path(d.matrix(), d.y.view(), alphas, pen, &params)
}

/// The logistic path of `d` (with an intercept when `fit`).
pub fn logistic(d: &Design, alphas: &[f64], pen: Penalty, fit: bool, params: &CdParams) -> Path {
    logistic_path(d.matrix(), d.y.view(), alphas, pen, fit, params)
}

/// The squared-loss certificate of the `k`-th solution of `path`, at `alpha`.
pub fn certify_at(d: &Design, path: &Path, k: usize, alpha: f64, pen: Penalty) -> Certificate {
    certify(d.matrix(), d.y.view(), path.coefs.row(k), alpha, pen)
}

/// The logistic certificate of the `k`-th solution of `path` (and its intercept), at `alpha`.
pub fn certify_logistic_at(
    d: &Design,
    path: &Path,
    k: usize,
    alpha: f64,
    pen: Penalty,
) -> Certificate {
    let (x, y) = (d.matrix(), d.y.view());
    let (beta, b) = (path.coefs.row(k), path.intercepts[k]);
    certify_logistic(x, y, beta, b, d.options.fit_intercept, alpha, pen)
}
