//! Both solvers (gpu-fista on working sets and over all of X) × f32/f64 × lasso/enet/ridge on
//! n ≫ p and p ≫ n correlated data: every alpha is certified on the host in f64, and clear
//! coefficients agree in sign with a reference f64 CD.

use super::common::{
    best_precision, context, context_for, max_abs_diff, params, problem, reference_path, tests,
    tol_and_bound,
};
use regpath_core::{certify, Penalty};
use regpath_gpu::{solve_path, GpuParams, GpuSolver, Precision, Tuning};

struct Case {
    n: usize,
    p: usize,
    rho: f64,
    eps: f64,
}

const CASES: [Case; 2] = [
    Case {
        n: 200,
        p: 30,
        rho: 0.5,
        eps: 1e-3,
    },
    Case {
        n: 50,
        p: 300,
        rho: 0.9,
        eps: 1e-2,
    },
];
const PENALTIES: [Penalty; 3] = [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE];
const K: usize = 12;

/// Largest certified gap / primal over the path.
fn max_rel_gap(
    x: &ndarray::Array2<f64>,
    y: &ndarray::Array1<f64>,
    path: &regpath_core::Path,
    pen: Penalty,
) -> f64 {
    path.alphas
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let c = certify(x.view(), y.view(), path.coefs.row(k), a, pen);
            c.gap / c.primal
        })
        .fold(0.0, f64::max)
}

/// Coefficients clearly away from zero in either solution (|β_j| > 1e-3·max|β_ref| + 1e-9) must be
/// nonzero with the same sign in both; tiny coefficients, where f32 rounding decides, are not compared.
fn assert_same_support(got: &ndarray::Array2<f64>, want: &ndarray::Array2<f64>, what: &str) {
    for (k, (g, w)) in got.rows().into_iter().zip(want.rows()).enumerate() {
        let scale = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let clear = 1e-3 * scale + 1e-9;
        for (j, (&a, &b)) in g.iter().zip(w.iter()).enumerate() {
            if a.abs().max(b.abs()) > clear {
                assert!(
                    a.signum() == b.signum() && a != 0.0 && b != 0.0,
                    "{what}: alpha {k}, feature {j}: {a} vs reference {b}"
                );
            }
        }
    }
}

/// `global_fista`: gpu-fista over all alphas and all of X instead of on working sets.
fn run(solver: GpuSolver, precision: Precision, global_fista: bool) {
    let Some(ctx) = context_for(precision, "solver tests") else {
        return;
    };
    let (tol, bound) = tol_and_bound(precision, 1e-12);
    let params = GpuParams {
        check_every: 10,
        chunk: 5,
        tuning: Tuning {
            global_fista,
            ..Default::default()
        },
        ..params(tol, precision)
    };
    for case in &CASES {
        for pen in PENALTIES {
            let (d, alphas) = problem(case.n, case.p, case.rho, pen, K, case.eps);
            let t = std::time::Instant::now();
            let (path, counters) = solve_path(
                ctx,
                d.x.dense().unwrap().view(),
                d.y.view(),
                &alphas,
                pen,
                solver,
                &params,
            )
            .unwrap();
            let what = format!(
                "{solver:?} (global {global_fista}) {} {}×{} {}",
                precision.name(),
                case.n,
                case.p,
                pen.name()
            );
            let rel = max_rel_gap(d.x.dense().unwrap(), &d.y, &path, pen);
            let reference = reference_path(d.x.dense().unwrap(), &d.y, &alphas, pen);
            let diff = (&path.coefs - &reference)
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()));
            eprintln!(
                "{what}: max certified gap/primal {rel:.2e}, max |β − β_ref| {diff:.1e}, converged {}/{K}, \
                 iterations {:?}, {counters:?}, {:.2} s",
                path.converged.iter().filter(|&&c| c).count(),
                path.iterations,
                t.elapsed().as_secs_f64()
            );
            assert!(
                rel <= bound,
                "{what}: certified gap/primal {rel:.3e} > {bound:.0e}"
            );
            assert!(path.intercepts.iter().all(|&b| b == 0.0));
            assert_same_support(&path.coefs, &reference, &what);
        }
    }
}

tests! {
    fista_f32_paths_are_certified => run(GpuSolver::Fista, Precision::F32, false);
    fista_f64_paths_are_certified => run(GpuSolver::Fista, Precision::F64, false);
    global_fista_f32_paths_are_certified => run(GpuSolver::Fista, Precision::F32, true);
    global_fista_f64_paths_are_certified => run(GpuSolver::Fista, Precision::F64, true);
    cd_f32_paths_are_certified => run(GpuSolver::Cd, Precision::F32, false);
    cd_f64_paths_are_certified => run(GpuSolver::Cd, Precision::F64, false);
}

/// X split into 7-column blocks (as when X exceeds one storage binding) and the inner CD forced
/// into storage memory give the same certified paths as the defaults.
#[test]
fn column_blocks_and_storage_cd_give_the_same_paths() {
    let Some(ctx) = context() else { return };
    let pen = Penalty { l1_ratio: 0.8 };
    let (d, alphas) = problem(40, 45, 0.6, pen, 8, 1e-2);
    let precision = best_precision(ctx);
    let params = GpuParams {
        check_every: 10,
        chunk: 3,
        ..params(1e-12, precision)
    };
    let forced = GpuParams {
        tuning: Tuning {
            max_block_cols: Some(7),
            cd_storage: true,
            ..Default::default()
        },
        ..params.clone()
    };
    let (gap_bound, diff_bound) = match precision {
        Precision::F64 => (1e-9, 1e-6),
        Precision::F32 => (1e-5, 1e-3),
    };
    for solver in [GpuSolver::Fista, GpuSolver::Cd] {
        let (base, _) = solve_path(
            ctx,
            d.x.dense().unwrap().view(),
            d.y.view(),
            &alphas,
            pen,
            solver,
            &params,
        )
        .unwrap();
        let (split, c) = solve_path(
            ctx,
            d.x.dense().unwrap().view(),
            d.y.view(),
            &alphas,
            pen,
            solver,
            &forced,
        )
        .unwrap();
        let diff = max_abs_diff(&base.coefs, &split.coefs);
        let rel = max_rel_gap(d.x.dense().unwrap(), &d.y, &split, pen);
        eprintln!(
            "{solver:?} {} with 7-column blocks: max |Δβ| {diff:.1e}, gap/primal {rel:.1e}, {c:?}",
            precision.name()
        );
        assert!(rel <= gap_bound, "{solver:?}: {rel}");
        assert!(diff <= diff_bound, "{solver:?}: {diff}");
    }
}

/// f64 on an adapter without SHADER_F64 is a typed error, never a silent f32 solve (checked on
/// every listed adapter that lacks it, e.g. llvmpipe's GL adapter beside lavapipe).
#[test]
fn f64_without_shader_f64_is_an_error() {
    let Some(_) = context() else { return };
    let (d, alphas) = problem(20, 10, 0.5, Penalty::LASSO, 3, 1e-1);
    let params = GpuParams {
        precision: Precision::F64,
        ..Default::default()
    };
    for summary in regpath_gpu::list_adapters().into_iter().filter(|a| !a.f64) {
        let Ok(ctx) = regpath_gpu::GpuContext::new(Some(&summary.index.to_string())) else {
            continue; // listed but cannot open a device: nothing to check
        };
        let solver = GpuSolver::Fista;
        let (x, y) = (d.x.dense().unwrap().view(), d.y.view());
        match solve_path(&ctx, x, y, &alphas, Penalty::LASSO, solver, &params) {
            Err(regpath_gpu::GpuError::NoF64 { adapter }) => {
                assert_eq!(adapter, summary.name);
                eprintln!("NoF64 on {} ({})", summary.name, summary.backend);
            }
            other => panic!(
                "{}: expected NoF64, got {:?}",
                summary.name,
                other.map(|r| r.1)
            ),
        }
    }
}
