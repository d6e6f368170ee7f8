//! Cross-validation in one batch: batched FISTA (as `fista.rs`) over F training folds × A alphas
//! at once, K = F·A columns, on one X shared by every fold (shaders/folds.wgsl).
//!
//! Fold f solves, on its own scale, `1/(2n_f)‖m_f ∘ (y − b − X S_f β)‖² + λ1‖β‖₁ + λ2/2‖β‖²`:
//! m_f masks its n_f training rows, S_f = diag(s_f) rescales the shared X's columns to the fold's
//! standardization, and the unpenalized intercept b is eliminated by centering every residual over
//! the fold's training rows (so X needs no per-fold centering). Per iteration, beside the two
//! passes over X of plain FISTA: γ = S_fβ before X·γ, the masked centering of y − Xγ, and
//! C = S_f·Xᵀr/n_f after Xᵀr. Each fold has its own step from a batched power iteration on
//! (M_fXS_f)ᵀ(M_fXS_f)/n_f (centered), and its own gap scale ‖m_f ∘ (y − ȳ_f)‖²/n_f.

use crate::context::{GpuContext, Op};
use crate::design::DeviceDesign;
use crate::error::GpuError;
use crate::fista::{drive, Batches, State};
use crate::kernels::gemm::{self, Combine};
use crate::kernels::{folds, prox, reduce};
use crate::{GpuCounters, GpuParams, TrainFold, Tuning};
use regpath_core::{Path, Penalty};

/// The fold data on the device: masks, 1/n_f, ones, scales, and scratch blocks.
struct Folds {
    f: usize,
    /// Alphas per fold.
    a: usize,
    intercept: bool,
    /// n × F, 1 on a fold's training rows.
    mask: wgpu::Buffer,
    /// 1/n_f per fold.
    inv_n: wgpu::Buffer,
    /// 1 per fold.
    ones: wgpu::Buffer,
    /// p × F: s_f.
    scale: wgpu::Buffer,
    /// p × K: γ = S_fβ, then raw XᵀR.
    work: wgpu::Buffer,
}

/// Solves every fold along `alphas`; returns one path per fold, on the fold's scale.
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    y: &[f64],
    train: &[TrainFold],
    alphas: &[f64],
    penalty: Penalty,
    fit_intercept: bool,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (f, a) = (train.len(), alphas.len());
    let k = f * a;
    let mut gap_scale = Vec::with_capacity(k);
    for fold in train {
        let n_f = fold.rows.iter().filter(|&&r| r).count() as f64;
        let mean = if fit_intercept {
            y.iter()
                .zip(&fold.rows)
                .filter(|(_, &r)| r)
                .map(|(v, _)| v)
                .sum::<f64>()
                / n_f
        } else {
            0.0
        };
        let ss: f64 = y
            .iter()
            .zip(&fold.rows)
            .filter(|(_, &r)| r)
            .map(|(v, _)| (v - mean).powi(2))
            .sum::<f64>()
            / n_f;
        gap_scale.extend(std::iter::repeat_n(if ss > 0.0 { ss } else { 1.0 }, a));
    }
    let mask: Vec<f64> = train
        .iter()
        .flat_map(|t| t.rows.iter().map(|&r| f64::from(u8::from(r))))
        .collect();
    let inv_n: Vec<f64> = train
        .iter()
        .map(|t| 1.0 / t.rows.iter().filter(|&&r| r).count() as f64)
        .collect();
    let scale: Vec<f64> = train.iter().flat_map(|t| t.scale.iter().copied()).collect();
    let fd = Folds {
        f,
        a,
        intercept: fit_intercept,
        mask: ctx.upload("fold masks", &mask, prec),
        inv_n: ctx.upload("1/n per fold", &inv_n, prec),
        ones: ctx.upload("ones", &vec![1.0; f], prec),
        scale: ctx.upload("fold scales", &scale, prec),
        work: ctx.zeros("fold work", p * k, prec),
    };
    let lam: Vec<f64> = (0..f)
        .flat_map(|_| {
            alphas
                .iter()
                .flat_map(|&al| [penalty.l1(al), penalty.l2(al)])
        })
        .collect();
    let mut s = State::new(ctx, dd, &lam);
    s.step = ctx.zeros("step per fold", f, prec);
    let mut start = Vec::new();
    for r in [&s.resid[0], &s.rz] {
        start.push(prox::bcast(ctx, prec, n, k, &dd.y, 0, r));
        start.push(folds::center(
            ctx,
            prec,
            n,
            k,
            a,
            fd.intercept,
            &fd.mask,
            &fd.inv_n,
            r,
        ));
    }
    start.extend(power_iteration(ctx, dd, &fd, tuning.power_iters, &s.step));
    let iterations = [
        iteration(ctx, dd, &fd, &s, 0),
        iteration(ctx, dd, &fd, &s, 1),
    ];
    let checks = [check(ctx, dd, &fd, &s, 0), check(ctx, dd, &fd, &s, 1)];

    let mut live = vec![1u32; k];
    let mut all = Path::zeros(alphas.repeat(f), p);
    let q = drive(
        ctx,
        params,
        tuning,
        counters,
        Batches {
            start: &start,
            start_passes: 2 * tuning.power_iters as u64,
            iterations: &iterations,
            checks: &checks,
        },
        (&s.gaps, &s.live, &mut live),
        &gap_scale,
        &mut all,
    )?;
    let bytes = (2 * p * k * prec.size()) as u64;
    let words =
        prec.values(&ctx.submit_and_read(ctx.encoder(), &[(&s.beta[q], 0, bytes)], counters)?[0]);
    Ok((0..f)
        .map(|fold| {
            let cols = fold * a..(fold + 1) * a;
            let mut path = Path::zeros(alphas.to_vec(), p);
            for (i, c) in cols.clone().enumerate() {
                for j in 0..p {
                    let e = c * p + j;
                    path.coefs[[i, j]] = words[e] + words[p * k + e];
                }
            }
            path.iterations = all.iterations[cols.clone()].to_vec();
            path.converged = all.converged[cols].to_vec();
            path
        })
        .collect())
}

/// Batched power iteration, one column per fold, on (M_fXS_f)ᵀ(M_fXS_f)/n_f with centered
/// M_fXS_f; leaves step[f] = 1/(1.1·L_f). Two passes over X per step.
fn power_iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    fd: &Folds,
    iters: usize,
    step: &wgpu::Buffer,
) -> Vec<Op> {
    let (n, p, f, prec) = (dd.n, dd.p, fd.f, dd.precision);
    let u0: Vec<f64> = (0..p).map(|j| 1.0 + (j % 7) as f64 / 7.0).collect();
    let norm = u0.iter().map(|v| v * v).sum::<f64>().sqrt();
    let u0: Vec<f64> = u0.iter().map(|v| v / norm).collect();
    let u = ctx.upload("power u", &u0.repeat(f), prec);
    let (su, xu, v, sv) = (
        ctx.zeros("power S·u", p * f, prec),
        ctx.zeros("power X·S·u", n * f, prec),
        ctx.zeros("power Xᵀv", p * f, prec),
        ctx.zeros("power S·Xᵀv/n", p * f, prec),
    );
    let mut ops = Vec::new();
    for _ in 0..iters {
        ops.push(folds::scale(
            ctx, prec, p, f, 1, false, &u, &fd.scale, &fd.ones, &su,
        ));
        ops.extend(gemm::xb(
            ctx,
            prec,
            &dd.blocks,
            n,
            &su,
            p,
            f,
            &dd.y,
            &xu,
            Combine::Set,
        ));
        ops.push(folds::center(
            ctx,
            prec,
            n,
            f,
            1,
            fd.intercept,
            &fd.mask,
            &fd.inv_n,
            &xu,
        ));
        ops.extend(gemm::xtr(
            ctx, prec, &dd.blocks, n, &xu, f, &dd.scal, &v, p, false,
        ));
        ops.push(folds::scale(
            ctx, prec, p, f, 1, false, &v, &fd.scale, &fd.inv_n, &sv,
        ));
        ops.push(reduce::normalize(ctx, prec, p, f, &sv, &u, step));
    }
    ops
}

/// C = S_f·XᵀR/n_f for every column of the p × K block R: one pass over X.
fn correlations(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    fd: &Folds,
    r: &wgpu::Buffer,
    c: &wgpu::Buffer,
) -> Vec<Op> {
    let (n, p, k, prec) = (dd.n, dd.p, fd.f * fd.a, dd.precision);
    let mut ops = gemm::xtr(ctx, prec, &dd.blocks, n, r, k, &dd.scal, &fd.work, p, false);
    ops.push(folds::scale(
        ctx, prec, p, k, fd.a, false, &fd.work, &fd.scale, &fd.inv_n, c,
    ));
    ops
}

/// One iteration from parity q into parity 1 − q (as `fista::iteration`, on the folds).
fn iteration(ctx: &GpuContext, dd: &DeviceDesign, fd: &Folds, s: &State, q: usize) -> Vec<Op> {
    let (n, p, k, prec) = (dd.n, dd.p, fd.f * fd.a, dd.precision);
    let (cur, next) = (q, 1 - q);
    let (beta, resid) = (&s.beta, &s.resid);
    let mut ops = correlations(ctx, dd, fd, &s.rz, &s.c);
    ops.push(prox::prox(
        ctx,
        prec,
        p,
        k,
        &s.z,
        &s.c,
        &beta[cur],
        &s.lam,
        &s.step,
        &s.live,
        &beta[next],
        fd.a,
    ));
    ops.push(folds::scale(
        ctx,
        prec,
        p,
        k,
        fd.a,
        true,
        &beta[next],
        &fd.scale,
        &fd.ones,
        &fd.work,
    ));
    ops.extend(dd.residuals(ctx, &fd.work, k, &resid[next]));
    ops.push(folds::center(
        ctx,
        prec,
        n,
        k,
        fd.a,
        fd.intercept,
        &fd.mask,
        &fd.inv_n,
        &resid[next],
    ));
    ops.push(reduce::restart(
        ctx,
        prec,
        p,
        k,
        &s.z,
        &beta[next],
        &beta[cur],
        &s.live,
        &s.mom,
        None,
    ));
    ops.push(prox::extrap2(
        ctx,
        prec,
        p,
        k,
        &beta[next],
        &beta[cur],
        &s.mom,
        &s.z,
    ));
    ops.push(prox::extrap(
        ctx,
        prec,
        n,
        k,
        &resid[next],
        &resid[cur],
        &s.mom,
        &s.rz,
    ));
    ops
}

/// C at the iterate of parity q and the K duality gaps, each fold on its own 1/n_f.
fn check(ctx: &GpuContext, dd: &DeviceDesign, fd: &Folds, s: &State, q: usize) -> Vec<Op> {
    let k = fd.f * fd.a;
    let mut ops = correlations(ctx, dd, fd, &s.resid[q], &s.c);
    let inputs = reduce::GapInputs {
        r: &s.resid[q],
        y: &dd.y,
        c: &s.c,
        beta: &s.beta[q],
        lam: &s.lam,
        scal: &fd.inv_n,
        scal_group: fd.a,
    };
    ops.push(reduce::gap(
        ctx,
        dd.precision,
        (dd.n, dd.p, k),
        &inputs,
        &s.gaps,
    ));
    ops
}
