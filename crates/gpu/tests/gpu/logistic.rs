//! Logistic gpu-fista × f32/f64 × lasso/enet/ridge, with and without an intercept, on n ≫ p and
//! p ≫ n classification data: every alpha is certified in f64 by regpath-core's logistic
//! certifier, and its primal value agrees with the CPU proximal-Newton path (regpath-cpu).

use super::common::{
    best_precision, context, context_for, max_abs_diff, params, tests, tol_and_bound,
};
use ndarray::Array1;
use regpath_core::{
    alpha_grid, alpha_max, certify_logistic, synth, Design, DesignOptions, Loss, Path, Penalty,
};
use regpath_cpu::CdParams;
use regpath_gpu::{
    solve_logistic_path, GpuContext, GpuCounters, GpuError, GpuParams, Precision, Tuning,
};

const K: usize = 8;

/// Standardized classification data (centered when `fit_intercept`) and its logistic alpha grid:
/// K alphas from alpha_max to 1e-2·alpha_max; for ridge, whose alpha_max is 1000× the Lasso's
/// (ρ floored at 1e-3) and whose top alphas barely move β, down to 1e-5·alpha_max (the Lasso's
/// 1e-2) so that the grid reaches well-fitted models.
fn problem(n: usize, p: usize, fit_intercept: bool, penalty: Penalty) -> (Design, Vec<f64>) {
    let data = synth::classification(n, p, 5, 11).unwrap();
    let options = DesignOptions {
        fit_intercept,
        standardize: true,
        loss: Loss::Logistic,
    };
    let design = Design::new(&data, options).unwrap();
    let amax = alpha_max(&design, Loss::Logistic, penalty);
    let eps = if penalty.l1_ratio == 0.0 { 1e-5 } else { 1e-2 };
    (design, alpha_grid(amax, K, eps).unwrap())
}

/// Per alpha: certified gap / primal, and the primal value.
fn certified(d: &Design, path: &Path, pen: Penalty, fit: bool) -> Vec<(f64, f64)> {
    path.alphas
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let (beta, b) = (path.coefs.row(k), path.intercepts[k]);
            let c = certify_logistic(
                d.x.dense().unwrap().view(),
                d.y.view(),
                beta,
                b,
                fit,
                a,
                pen,
            );
            (c.gap / c.primal, c.primal)
        })
        .collect()
}

/// The largest certified gap / primal over the path.
fn max_rel_gap(d: &Design, path: &Path, pen: Penalty, fit: bool) -> f64 {
    let rel = certified(d, path, pen, fit).into_iter().map(|g| g.0);
    rel.fold(0.0, f64::max)
}

/// The logistic path of the design `d` on the GPU.
fn solve(
    ctx: &GpuContext,
    d: &Design,
    alphas: &[f64],
    pen: Penalty,
    fit: bool,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    solve_logistic_path(
        ctx,
        d.x.dense().unwrap().view(),
        d.y.view(),
        alphas,
        pen,
        fit,
        params,
    )
}

struct Case {
    n: usize,
    p: usize,
    fit_intercept: bool,
}

/// Both shapes, each with and without an intercept.
const CASES: [Case; 4] = [
    Case {
        n: 200,
        p: 30,
        fit_intercept: true,
    },
    Case {
        n: 200,
        p: 30,
        fit_intercept: false,
    },
    Case {
        n: 60,
        p: 200,
        fit_intercept: true,
    },
    Case {
        n: 60,
        p: 200,
        fit_intercept: false,
    },
];
const PENALTIES: [Penalty; 3] = [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE];

fn run(precision: Precision) {
    let Some(ctx) = context_for(precision, "logistic tests") else {
        return;
    };
    let (tol, bound) = tol_and_bound(precision, 1e-11);
    let params = GpuParams {
        check_every: 10,
        ..params(tol, precision)
    };
    for case in &CASES {
        for pen in PENALTIES {
            let fit = case.fit_intercept;
            let (d, alphas) = problem(case.n, case.p, fit, pen);
            let t = std::time::Instant::now();
            let (path, counters) = solve(ctx, &d, &alphas, pen, fit, &params).unwrap();
            let seconds = t.elapsed().as_secs_f64();
            let what = format!(
                "logistic {} {}×{} {} intercept {fit}",
                precision.name(),
                case.n,
                case.p,
                pen.name()
            );
            let got = certified(&d, &path, pen, fit);
            let cpu_params = CdParams {
                tol: 1e-13,
                ..Default::default()
            };
            let (x, y) = (d.x.dense().unwrap().view(), d.y.view());
            let cpu = regpath_cpu::logistic_path(x, y, &alphas, pen, fit, &cpu_params);
            let want = certified(&d, &cpu, pen, fit);
            let rel = got.iter().map(|g| g.0).fold(0.0, f64::max);
            let dp = got
                .iter()
                .zip(&want)
                .map(|(g, w)| (g.1 - w.1).abs() / w.1)
                .fold(0.0, f64::max);
            eprintln!(
                "{what}: max certified gap/primal {rel:.2e} (cpu {:.1e}), max |ΔP|/P vs cpu {dp:.1e}, \
                 last primal {:.3}, converged {}/{K}, iterations {:?}, {counters:?}, {seconds:.2} s",
                want.iter().map(|w| w.0).fold(0.0, f64::max),
                got[K - 1].1,
                path.converged.iter().filter(|&&c| c).count(),
                path.iterations,
            );
            assert!(
                rel <= bound,
                "{what}: certified gap/primal {rel:.3e} > {bound:.0e}"
            );
            assert!(dp <= bound, "{what}: primal differs from cpu by {dp:.3e}");
            if !fit {
                assert!(path.intercepts.iter().all(|&b| b == 0.0));
            }
            // the first alpha is alpha_max: β = 0 (b = logit ȳ with an intercept) up to rounding
            if pen.l1_ratio == 1.0 {
                let top = path.coefs.row(0).iter().fold(0.0f64, |m, v| m.max(v.abs()));
                assert!(top <= 1e-6, "{what}: |β| = {top:e} at alpha_max");
            }
        }
    }
}

tests! {
    logistic_f32_paths_are_certified => run(Precision::F32);
    logistic_f64_paths_are_certified => run(Precision::F64);
}

/// X in 7-column blocks gives the same certified path; an intercept on an uncentered X is still
/// certified; bad labels and f64 without SHADER_F64 are typed errors.
#[test]
fn logistic_blocks_and_errors() {
    let Some(ctx) = context() else { return };
    let pen = Penalty { l1_ratio: 0.8 };
    let (d, alphas) = problem(40, 45, true, pen);
    let precision = best_precision(ctx);
    let tol = if precision == Precision::F64 {
        1e-11
    } else {
        1e-6
    };
    let params = params(tol, precision);
    let forced = Tuning {
        max_block_cols: Some(7),
        ..Default::default()
    };
    let solve_tuned = |tuning: &Tuning| {
        let params = GpuParams {
            tuning: tuning.clone(),
            ..params.clone()
        };
        solve(ctx, &d, &alphas, pen, true, &params).unwrap()
    };
    let (base, _) = solve_tuned(&Tuning::default());
    let (split, c) = solve_tuned(&forced);
    let diff = max_abs_diff(&base.coefs, &split.coefs);
    let rel = max_rel_gap(&d, &split, pen, true);
    eprintln!(
        "logistic {} with 7-column blocks: max |Δβ| {diff:.1e}, gap/primal {rel:.1e}, {c:?}",
        precision.name()
    );
    let (gap_bound, diff_bound) = match precision {
        Precision::F64 => (1e-9, 1e-5),
        Precision::F32 => (1e-5, 1e-2),
    };
    assert!(rel <= gap_bound, "{rel}");
    assert!(diff <= diff_bound, "{diff}");

    // an intercept on an uncentered X: the solver falls back to the coupled (halved) steps
    let (raw, raw_alphas) = problem(40, 45, false, pen);
    let (path, c) = solve(ctx, &raw, &raw_alphas, pen, true, &params).unwrap();
    let rel = max_rel_gap(&raw, &path, pen, true);
    eprintln!(
        "logistic {} intercept on uncentered X: gap/primal {rel:.1e}, {c:?}",
        precision.name()
    );
    assert!(rel <= gap_bound, "uncentered X: {rel}");

    let mut bad = d.y.clone();
    bad[3] = 2.0;
    let err = solve_logistic_path(
        ctx,
        d.x.dense().unwrap().view(),
        bad.view(),
        &alphas,
        pen,
        true,
        &params,
    );
    assert!(
        matches!(&err, Err(GpuError::Input(m)) if m.contains("y[3]")),
        "{:?}",
        err.map(|r| r.1)
    );
    let ones = Array1::<f64>::ones(d.y.len());
    let err = solve_logistic_path(
        ctx,
        d.x.dense().unwrap().view(),
        ones.view(),
        &alphas,
        pen,
        true,
        &params,
    );
    assert!(matches!(err, Err(GpuError::Input(_))));

    let f64_params = GpuParams {
        precision: Precision::F64,
        ..Default::default()
    };
    for summary in regpath_gpu::list_adapters().into_iter().filter(|a| !a.f64) {
        let Ok(other) = regpath_gpu::GpuContext::new(Some(&summary.index.to_string())) else {
            continue;
        };
        let err = solve(&other, &d, &alphas, pen, true, &f64_params);
        assert!(
            matches!(err, Err(GpuError::NoF64 { .. })),
            "{}: expected NoF64",
            summary.name
        );
    }
}
