//! Shared test support: the context (or a skip), prepared data, a reference f64 CD, the solver
//! settings the path tests share.

use ndarray::{Array1, Array2};
use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty};
use regpath_gpu::{GpuContext, GpuParams, Precision};

/// The context the unit tests share too: `context()` gives it, or None (after saying why) when no
/// adapter opens and REGPATH_REQUIRE_GPU≠1.
#[path = "../../src/testing.rs"]
mod testing;
pub(crate) use testing::context;

/// The context for a test at `precision`; None (after saying why) when there is none, or when the
/// test asks f64 of an adapter without SHADER_F64.
pub fn context_for(precision: Precision, what: &str) -> Option<&'static GpuContext> {
    let ctx = context()?;
    if precision == Precision::F64 && !ctx.supports_f64() {
        let name = &ctx.summary().name;
        eprintln!("skipping f64 {what}: adapter {name} has no SHADER_F64");
        return None;
    }
    Some(ctx)
}

/// f64 where the adapter has SHADER_F64, else f32.
pub fn best_precision(ctx: &GpuContext) -> Precision {
    if ctx.supports_f64() {
        Precision::F64
    } else {
        Precision::F32
    }
}

/// The solver tolerance at `precision` (`f64_tol` in f64, 1e-7 in f32) and the bound on each
/// certified gap/primal (1e-9 in f64, 1e-5 in f32).
pub fn tol_and_bound(precision: Precision, f64_tol: f64) -> (f64, f64) {
    match precision {
        Precision::F32 => (1e-7, 1e-5),
        Precision::F64 => (f64_tol, 1e-9),
    }
}

/// The settings the path tests share: `tol`, `precision`, at most 20 000 iterations an alpha.
pub fn params(tol: f64, precision: Precision) -> GpuParams {
    GpuParams {
        tol,
        precision,
        max_iter: 20_000,
        ..Default::default()
    }
}

/// The largest |a − b| of two coefficient matrices.
pub fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    (a - b).iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// One `#[test]` a line: `name => expression;` (the expression, usually a call of the file's
/// `run` with the case's settings, is the test).
macro_rules! tests {
    ($($name:ident => $body:expr;)+) => {
        $(
            #[test]
            fn $name() {
                $body;
            }
        )+
    };
}
pub(crate) use tests;

/// A standardized gene-like design (AR(1) correlation `rho`) and its alpha grid for `penalty`.
pub fn problem(
    n: usize,
    p: usize,
    rho: f64,
    penalty: Penalty,
    k: usize,
    eps: f64,
) -> (Design, Vec<f64>) {
    let data = synth::gene(n, p, rho, (p / 10).max(3), 7).unwrap();
    let options = DesignOptions {
        standardize: true,
        ..Default::default()
    };
    let design = Design::new(&data, options).unwrap();
    let amax = alpha_max(&design, Loss::Squared, penalty);
    (design, alpha_grid(amax, k, eps).unwrap())
}

/// Plain cyclic coordinate descent in f64 along the path (warm starts), run until the certified
/// relative gap is below 1e-13: the reference supports are compared against.
pub fn reference_path(
    x: &Array2<f64>,
    y: &Array1<f64>,
    alphas: &[f64],
    penalty: Penalty,
) -> Array2<f64> {
    let (n, p) = x.dim();
    let v: Vec<f64> = x
        .columns()
        .into_iter()
        .map(|c| c.dot(&c) / n as f64)
        .collect();
    let mut beta = Array1::<f64>::zeros(p);
    let mut r = y.clone();
    let mut out = Array2::zeros((alphas.len(), p));
    for (k, &a) in alphas.iter().enumerate() {
        let (l1, l2) = (penalty.l1(a), penalty.l2(a));
        for sweep in 0..100_000 {
            for j in 0..p {
                let xj = x.column(j);
                let z = xj.dot(&r) / n as f64 + v[j] * beta[j];
                let new = z.signum() * (z.abs() - l1).max(0.0) / (v[j] + l2);
                let d = new - beta[j];
                if d != 0.0 {
                    r.scaled_add(-d, &xj);
                    beta[j] = new;
                }
            }
            if sweep % 10 == 9 {
                let c = regpath_core::certify(x.view(), y.view(), beta.view(), a, penalty);
                if c.gap <= 1e-13 * c.primal.max(1e-300) {
                    break;
                }
            }
        }
        out.row_mut(k).assign(&beta);
    }
    out
}
