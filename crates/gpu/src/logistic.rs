//! gpu-fista for logistic loss: batched FISTA over all K alphas with gradient restart, labels
//! y ∈ {0, 1}, optional unpenalized intercept (regpath-core's objective
//! `1/n Σ log(1 + exp(−s_i(x_iᵀβ + b))) + λ1‖β‖₁ + λ2/2‖β‖²`, s_i = 2y_i − 1).
//!
//! The loss is smooth with Hessian ≼ [X 1]ᵀ[X 1]/(4n), block-diagonal when X is centered: the step
//! of β is 1/(L + λ2) with L = ‖X‖²/(4n) from a power iteration (×1.1), the step of b is 4 (a
//! diagonal metric; both halve when X is not centered). Iterates (β and b) are double-word as in
//! the squared-loss solver, and the linear scores η = Xβ are extrapolated with them, so the
//! gradient at the extrapolated point needs no extra pass over X.
//!
//! Per iteration (all alphas, no host round trip): r_z = y − σ(η_z + b_z), C = Xᵀr_z/n,
//! β⁺ = prox(Z + t(C − λ2Z)), b⁺ = b_z + t_b·mean(r_z), η⁺ = Xβ⁺, restart test (β and b),
//! Z, b_z, η_z extrapolated — two passes over X. Every `check_every` iterations the dual direction
//! r̃ at (β, b) (centered with an intercept), one more pass for Xᵀr̃/n, and the K logistic duality
//! gaps are read back, relative to the null deviance scale (regpath-core's `null_loss`).

use crate::context::{GpuContext, Op};
use crate::design::DeviceDesign;
use crate::error::GpuError;
use crate::fista::{drive, power_iteration, Batches};
use crate::kernels::gemm::{self, Combine};
use crate::kernels::logistic::{self as k_log, InterceptStep, Scores};
use crate::kernels::{prox, reduce};
use crate::{GpuCounters, GpuParams, Tuning};
use ndarray::ArrayView2;
use regpath_core::certify_logistic::null_loss;
use regpath_core::{Path, Penalty};

/// Device state of a batched logistic FISTA solve over k alphas. β blocks are double-word
/// (hi p × k, then lo), intercepts too (hi k, then lo k).
struct State {
    beta: [wgpu::Buffer; 2],
    b: [wgpu::Buffer; 2],
    eta: [wgpu::Buffer; 2],
    z: wgpu::Buffer,
    bz: wgpu::Buffer,
    eta_z: wgpu::Buffer,
    /// y − σ at the extrapolated point during iterations, the dual direction r̃ during checks.
    r: wgpu::Buffer,
    /// Xᵀr/n of whichever r was last formed.
    c: wgpu::Buffer,
    /// The intercept's term of each restart test.
    bterm: wgpu::Buffer,
    lam: wgpu::Buffer,
    mom: wgpu::Buffer,
    /// [step of β at λ2 = 0, step of b].
    steps: wgpu::Buffer,
    /// [coupling/(4n)]: the scale of the power iteration.
    power_scal: wgpu::Buffer,
    gaps: wgpu::Buffer,
    live: wgpu::Buffer,
}

/// Solves all `alphas` together; returns the path (coefficients and intercepts, design scale).
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    x: ArrayView2<f64>,
    y: &[f64],
    alphas: &[f64],
    penalty: Penalty,
    fit_intercept: bool,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    let (n, p, k, prec) = (dd.n, dd.p, alphas.len(), dd.precision);
    let lam: Vec<f64> = alphas
        .iter()
        .flat_map(|&a| [penalty.l1(a), penalty.l2(a)])
        .collect();
    // the intercept decouples from β in the Lipschitz bound only when X is centered; else
    // [X 1]ᵀ[X 1] ≼ 2·blockdiag(XᵀX, n) and both steps halve
    let coupling = if fit_intercept && !centered(x) {
        2.0
    } else {
        1.0
    };
    let b0 = if fit_intercept {
        let mean = y.iter().sum::<f64>() / n as f64;
        (mean / (1.0 - mean)).ln()
    } else {
        0.0
    };
    let b_init = double_word(b0, k, prec);
    let mut live = vec![1u32; k];
    let s = State {
        beta: [0, 1].map(|_| ctx.zeros("beta", 2 * p * k, prec)),
        b: [0, 1].map(|_| ctx.upload("intercepts", &b_init, prec)),
        eta: [0, 1].map(|_| ctx.zeros("eta", n * k, prec)),
        z: ctx.zeros("z", 2 * p * k, prec),
        bz: ctx.upload("intercepts at z", &b_init, prec),
        eta_z: ctx.zeros("eta at z", n * k, prec),
        r: ctx.zeros("r", n * k, prec),
        c: ctx.zeros("c", p * k, prec),
        bterm: ctx.zeros("intercept restart terms", k, prec),
        lam: ctx.upload("lambdas", &lam, prec),
        mom: ctx.upload("momentum", &[1.0, 0.0].repeat(k), prec),
        steps: ctx.upload("steps", &[0.0, 4.0 / coupling], prec),
        power_scal: ctx.upload("power scale", &[coupling / (4.0 * n as f64)], prec),
        gaps: ctx.zeros("gaps", k, prec),
        live: ctx.upload_u32("live", &live),
    };
    let start = power_iteration(ctx, dd, tuning.power_iters, &s.power_scal, &s.steps);
    let start_passes = 2 * tuning.power_iters as u64;
    let iterations = [0, 1].map(|q| iteration(ctx, dd, k, fit_intercept, &s, q));
    let checks = [0, 1].map(|q| check(ctx, dd, k, fit_intercept, &s, q));

    let scale = null_loss(y, fit_intercept).max(1e-300);
    let mut path = Path::zeros(alphas.to_vec(), p);
    let q = drive(
        ctx,
        params,
        tuning,
        counters,
        Batches {
            start: &start,
            start_passes,
            iterations: &iterations,
            checks: &checks,
        },
        (&s.gaps, &s.live, &mut live),
        &vec![scale; k],
        &mut path,
    )?;
    let (coef_bytes, b_bytes) = (
        (2 * p * k * prec.size()) as u64,
        (2 * k * prec.size()) as u64,
    );
    let read = ctx.submit_and_read(
        ctx.encoder(),
        &[(&s.beta[q], 0, coef_bytes), (&s.b[q], 0, b_bytes)],
        counters,
    )?;
    let (words, b) = (prec.values(&read[0]), prec.values(&read[1]));
    let coefs = words[..p * k]
        .iter()
        .zip(&words[p * k..])
        .map(|(h, l)| h + l)
        .collect();
    path.coefs = ndarray::Array2::from_shape_vec((k, p), coefs).expect("K × p");
    if fit_intercept {
        path.intercepts = (0..k).map(|a| b[a] + b[k + a]).collect();
    }
    Ok(path)
}

/// `v` for each of k alphas as double-word values in `prec` (hi k, then lo k).
fn double_word(v: f64, k: usize, prec: crate::Precision) -> Vec<f64> {
    let hi = match prec {
        crate::Precision::F32 => v as f32 as f64,
        crate::Precision::F64 => v,
    };
    let mut out = vec![hi; k];
    out.extend(vec![v - hi; k]);
    out
}

/// Whether every column of X sums to 0 up to rounding (relative to its norm).
fn centered(x: ArrayView2<f64>) -> bool {
    let n = x.nrows() as f64;
    x.columns().into_iter().all(|col| {
        let (sum, sq) = col.iter().fold((0.0, 0.0), |(s, q), v| (s + v, q + v * v));
        sum.abs() <= 1e-9 * (n * sq).sqrt() + 1e-300
    })
}

/// One iteration from parity q (β[q], b[q], η[q]) into parity 1 − q.
fn iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    fit_intercept: bool,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (cur, next) = (q, 1 - q);
    let at_z = Scores {
        eta: &s.eta_z,
        b: &s.bz,
        y: &dd.y,
    };
    let mut ops = vec![k_log::resid(ctx, prec, (n, k), at_z, &s.r)];
    ops.extend(dd.correlations(ctx, &s.r, k, &s.c));
    ops.push(prox::prox(
        ctx,
        prec,
        p,
        k,
        &s.z,
        &s.c,
        &s.beta[cur],
        &s.lam,
        &s.steps,
        &s.live,
        &s.beta[next],
        k,
    ));
    if fit_intercept {
        let step = InterceptStep {
            r: &s.r,
            bz: &s.bz,
            bcur: &s.b[cur],
            lam: &s.lam,
            steps: &s.steps,
            live: &s.live,
        };
        ops.push(k_log::intercept(
            ctx,
            prec,
            (n, k),
            &step,
            &s.b[next],
            &s.bterm,
        ));
    }
    ops.extend(gemm::xb(
        ctx,
        prec,
        &dd.blocks,
        n,
        &s.beta[next],
        p,
        k,
        &dd.y,
        &s.eta[next],
        Combine::Set,
    ));
    ops.push(reduce::restart(
        ctx,
        prec,
        p,
        k,
        &s.z,
        &s.beta[next],
        &s.beta[cur],
        &s.live,
        &s.mom,
        fit_intercept.then_some(&s.bterm),
    ));
    ops.push(prox::extrap2(
        ctx,
        prec,
        p,
        k,
        &s.beta[next],
        &s.beta[cur],
        &s.mom,
        &s.z,
    ));
    if fit_intercept {
        ops.push(prox::extrap2(
            ctx, prec, 1, k, &s.b[next], &s.b[cur], &s.mom, &s.bz,
        ));
    }
    ops.push(prox::extrap(
        ctx,
        prec,
        n,
        k,
        &s.eta[next],
        &s.eta[cur],
        &s.mom,
        &s.eta_z,
    ));
    ops
}

/// The K duality gaps at the iterate of parity q: r̃, c = Xᵀr̃/n (one pass over X), gaps.
fn check(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    fit_intercept: bool,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let at = Scores {
        eta: &s.eta[q],
        b: &s.b[q],
        y: &dd.y,
    };
    let mut ops = vec![k_log::dual(ctx, prec, (n, k), fit_intercept, at, &s.r)];
    ops.extend(dd.correlations(ctx, &s.r, k, &s.c));
    ops.push(k_log::gap(
        ctx,
        prec,
        (n, p, k),
        at,
        &s.r,
        &s.c,
        &s.beta[q],
        &s.lam,
        &s.gaps,
    ));
    ops
}
