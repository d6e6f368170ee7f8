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
use crate::fista::{drive, momentum, power_start, prox_step, Batches, State};
use crate::kernels::folds::{self, CenterArgs, ScaleArgs};
use crate::kernels::gemm::{self, Combine, Xb, Xtr};
use crate::kernels::prox::{self, BcastArgs};
use crate::kernels::reduce::{self, GapArgs, NormalizeArgs};
use crate::{GpuCounters, GpuParams, TrainFold, Tuning};
use regpath_core::{Path, Penalty};

/// What a cross-validation batch solves: every training fold along the alphas (decreasing).
#[derive(Clone, Copy)]
pub(crate) struct FoldProblem<'a> {
    /// y (n values) as the shared design holds it.
    pub y: &'a [f64],
    pub train: &'a [TrainFold],
    pub alphas: &'a [f64],
    pub penalty: Penalty,
    pub fit_intercept: bool,
}

/// The folds on the device: which rows each sees, its 1/n_f and column scales, and scratch.
pub(crate) struct FoldRows {
    pub f: usize,
    /// Alphas per fold.
    pub a: usize,
    /// n × F, 1 on a fold's training rows.
    pub mask: wgpu::Buffer,
    /// 1/n_f per fold.
    pub inv_n: wgpu::Buffer,
    /// 1 per fold.
    pub ones: wgpu::Buffer,
    /// p × F: s_f.
    pub scale: wgpu::Buffer,
    /// p × K: γ = S_fβ, then raw XᵀR.
    pub work: wgpu::Buffer,
}

/// The folds' row masks (n × F, 1 on training rows) and 1/n_f per fold.
pub(crate) fn masks(train: &[TrainFold]) -> (Vec<f64>, Vec<f64>) {
    let mask = train
        .iter()
        .flat_map(|t| t.rows.iter().map(|&r| f64::from(u8::from(r))))
        .collect();
    let inv_n = train.iter().map(|t| 1.0 / t.n_train() as f64).collect();
    (mask, inv_n)
}

impl FoldRows {
    /// Uploads the folds' rows and scales for `a` alphas per fold.
    pub fn new(ctx: &GpuContext, dd: &DeviceDesign, train: &[TrainFold], a: usize) -> FoldRows {
        let (p, f, prec) = (dd.p, train.len(), dd.precision);
        let (mask, inv_n) = masks(train);
        let scale: Vec<f64> = train.iter().flat_map(|t| t.scale.iter().copied()).collect();
        FoldRows {
            f,
            a,
            mask: ctx.upload("fold masks", &mask, prec),
            inv_n: ctx.upload("1/n per fold", &inv_n, prec),
            ones: ctx.upload("ones", &vec![1.0; f], prec),
            scale: ctx.upload("fold scales", &scale, prec),
            work: ctx.zeros("fold work", p * f * a, prec),
        }
    }

    /// Batched power iteration, one column per fold, on (M_fXS_f)ᵀ(M_fXS_f)·fac[f] with
    /// M_fXS_f centered over the fold's rows when `center`; leaves step[f] = 1/(1.1·L_f). Two
    /// passes over X per step.
    pub fn power_iteration(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        iters: usize,
        center: bool,
        fac: &wgpu::Buffer,
        step: &wgpu::Buffer,
    ) -> Vec<Op> {
        let (n, p, f, prec) = (dd.n, dd.p, self.f, dd.precision);
        let u = ctx.upload("power u", &power_start(p).repeat(f), prec);
        let (su, xu, v, sv) = (
            ctx.zeros("power S·u", p * f, prec),
            ctx.zeros("power X·S·u", n * f, prec),
            ctx.zeros("power Xᵀv", p * f, prec),
            ctx.zeros("power S·Xᵀv·fac", p * f, prec),
        );
        let mut ops = Vec::new();
        for _ in 0..iters {
            let scale_u = ScaleArgs {
                src: &u,
                s: &self.scale,
                fac: &self.ones,
                out: &su,
            };
            ops.push(folds::scale(ctx, prec, (p, f, 1), false, &scale_u));
            let xb = Xb {
                b: &su,
                ldb: p,
                y: &dd.y,
                out: &xu,
                into: Combine::Set,
                live: None,
            };
            ops.extend(gemm::xb(ctx, prec, &dd.blocks, (n, f), &xb));
            let center_xu = CenterArgs {
                mask: &self.mask,
                inv_n: &self.inv_n,
                r: &xu,
            };
            ops.push(folds::center(ctx, prec, (n, f, 1), center, &center_xu));
            let xtr = Xtr {
                r: &xu,
                scal: &dd.scal,
                out: &v,
                ldo: p,
                scaled: false,
                live: None,
            };
            ops.extend(gemm::xtr(ctx, prec, &dd.blocks, (n, f), &xtr));
            let scale_v = ScaleArgs {
                src: &v,
                s: &self.scale,
                fac,
                out: &sv,
            };
            ops.push(folds::scale(ctx, prec, (p, f, 1), false, &scale_v));
            let norm = NormalizeArgs {
                v: &sv,
                u: &u,
                step,
            };
            ops.push(reduce::normalize(ctx, prec, (p, f), &norm));
        }
        ops
    }

    /// C = S_f·XᵀR/n_f for every live column of the n × K block R, K = F·per (per ≤ a alphas
    /// per fold): one pass over X.
    pub fn correlations(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (r, per): (&wgpu::Buffer, usize),
        c: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        let (n, p, k, prec) = (dd.n, dd.p, self.f * per, dd.precision);
        let (blocks, scal) = (&dd.blocks, &dd.scal);
        let xtr = Xtr {
            r,
            scal,
            out: &self.work,
            ldo: p,
            scaled: false,
            live,
        };
        let mut ops = gemm::xtr(ctx, prec, blocks, (n, k), &xtr);
        let scale = ScaleArgs {
            src: &self.work,
            s: &self.scale,
            fac: &self.inv_n,
            out: c,
        };
        ops.push(folds::scale(ctx, prec, (p, k, per), false, &scale));
        ops
    }

    /// out (n × K) = X·S_fβ (`Combine::Set`) or y − X·S_fβ (`Combine::YMinus`) for β (p × K,
    /// K = F·per; a FISTA iterate when `double_word`), on live columns: one pass over X.
    pub fn scores(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (beta, per, double_word): (&wgpu::Buffer, usize, bool),
        into: Combine,
        out: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        let (n, p, k, prec) = (dd.n, dd.p, self.f * per, dd.precision);
        let scale = ScaleArgs {
            src: beta,
            s: &self.scale,
            fac: &self.ones,
            out: &self.work,
        };
        let mut ops = vec![folds::scale(ctx, prec, (p, k, per), double_word, &scale)];
        let xb = Xb {
            b: &self.work,
            ldb: p,
            y: &dd.y,
            out,
            into,
            live,
        };
        ops.extend(gemm::xb(ctx, prec, &dd.blocks, (n, k), &xb));
        ops
    }
}

/// Solves every fold along `alphas` (squared loss); returns one path per fold, on its scale.
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    problem: &FoldProblem,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let FoldProblem {
        y,
        train,
        alphas,
        penalty,
        fit_intercept,
    } = *problem;
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (f, a) = (train.len(), alphas.len());
    let k = f * a;
    let gap_scale: Vec<f64> = gap_scales(y, train, fit_intercept)
        .into_iter()
        .flat_map(|g| std::iter::repeat_n(g, a))
        .collect();
    let fr = FoldRows::new(ctx, dd, train, a);
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
        start.push(prox::bcast(
            ctx,
            prec,
            (n, k, 0),
            &BcastArgs { src: &dd.y, out: r },
        ));
        let center = CenterArgs {
            mask: &fr.mask,
            inv_n: &fr.inv_n,
            r,
        };
        start.push(folds::center(ctx, prec, (n, k, a), fit_intercept, &center));
    }
    start.extend(fr.power_iteration(
        ctx,
        dd,
        tuning.power_iters,
        fit_intercept,
        &fr.inv_n,
        &s.step,
    ));
    let iterations = [0, 1].map(|q| iteration(ctx, dd, &fr, fit_intercept, &s, q));
    let checks = [0, 1].map(|q| check(ctx, dd, &fr, &s, q));

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
    Ok(split(&all, &words, f, p))
}

/// Each fold's squared-loss gap scale: ‖y − ȳ_f‖²/n_f over its training rows (ȳ_f = 0
/// without an intercept; 1 when that is 0).
pub(crate) fn gap_scales(y: &[f64], train: &[TrainFold], fit_intercept: bool) -> Vec<f64> {
    train
        .iter()
        .map(|fold| {
            let ys = fold.train_values(y);
            let mean = if fit_intercept {
                ys.iter().sum::<f64>() / ys.len() as f64
            } else {
                0.0
            };
            let centered: Vec<f64> = ys.iter().map(|v| v - mean).collect();
            regpath_core::loss::squared_gap_scale(&centered)
        })
        .collect()
}

/// The F per-fold paths of a batch: coefficients from the double-word iterate `words` (hi
/// p × K, then lo), iterations and convergence from `all` (K columns, fold-major).
pub(crate) fn split(all: &Path, words: &[f64], f: usize, p: usize) -> Vec<Path> {
    let k = all.alphas.len();
    let a = k / f;
    (0..f)
        .map(|fold| {
            let cols = fold * a..(fold + 1) * a;
            let mut path = Path::zeros(all.alphas[..a].to_vec(), p);
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
        .collect()
}

/// One iteration from parity q into parity 1 − q (as `fista::iteration`, on the folds).
fn iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    fr: &FoldRows,
    fit_intercept: bool,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let (n, k, prec) = (dd.n, fr.f * fr.a, dd.precision);
    let next = 1 - q;
    let (beta, resid) = (&s.beta, &s.resid);
    let mut ops = fr.correlations(ctx, dd, (&s.rz, fr.a), &s.c, Some(&s.live));
    ops.push(prox_step(ctx, dd, k, s, q, fr.a));
    ops.extend(fr.scores(
        ctx,
        dd,
        (&beta[next], fr.a, true),
        Combine::YMinus,
        &resid[next],
        Some(&s.live),
    ));
    let center = CenterArgs {
        mask: &fr.mask,
        inv_n: &fr.inv_n,
        r: &resid[next],
    };
    ops.push(folds::center(
        ctx,
        prec,
        (n, k, fr.a),
        fit_intercept,
        &center,
    ));
    ops.extend(momentum(ctx, dd, k, s, q));
    ops
}

/// C at the iterate of parity q and the K duality gaps, each fold on its own 1/n_f.
fn check(ctx: &GpuContext, dd: &DeviceDesign, fr: &FoldRows, s: &State, q: usize) -> Vec<Op> {
    let k = fr.f * fr.a;
    let mut ops = fr.correlations(ctx, dd, (&s.resid[q], fr.a), &s.c, Some(&s.live));
    let inputs = GapArgs {
        r: &s.resid[q],
        y: &dd.y,
        c: &s.c,
        beta: &s.beta[q],
        lam: &s.lam,
        scal: &fr.inv_n,
        gap_out: &s.gaps,
    };
    ops.push(reduce::gap(
        ctx,
        dd.precision,
        (dd.n, dd.p, k, fr.a),
        &inputs,
    ));
    ops
}
