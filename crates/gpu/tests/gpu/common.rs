//! Shared test support: the context (or a skip), prepared data, a reference f64 CD.

use ndarray::{Array1, Array2};
use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty};
use regpath_gpu::GpuContext;
use std::sync::OnceLock;

/// The shared context; None (after saying why) when no adapter opens and REGPATH_REQUIRE_GPU≠1.
pub fn context() -> Option<&'static GpuContext> {
    static CTX: OnceLock<Result<GpuContext, String>> = OnceLock::new();
    match CTX.get_or_init(|| GpuContext::new(None).map_err(|e| e.to_string())) {
        Ok(ctx) => Some(ctx),
        Err(e) if std::env::var("REGPATH_REQUIRE_GPU").as_deref() == Ok("1") => {
            panic!("REGPATH_REQUIRE_GPU=1 but {e}")
        }
        Err(e) => {
            eprintln!("skipping GPU test: {e}");
            None
        }
    }
}

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
    let design = Design::new(
        &data,
        DesignOptions {
            standardize: true,
            ..Default::default()
        },
    )
    .unwrap();
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
