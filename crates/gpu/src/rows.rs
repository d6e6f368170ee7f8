//! The row layout of a batch of paths: which rows each column block sees, on what column scale.
//! A plain path is one fold of every row on the design's own scale ([`Rows::All`]); a
//! cross-validation batch is F training folds × A alphas, K = F·A columns, on one X shared by
//! every fold ([`Rows::Folds`], shaders/folds.wgsl). The solvers (FISTA for squared and logistic
//! loss, CD) are written once against these operations.
//!
//! Fold f solves, on its own scale, `1/(2n_f)‖m_f ∘ (y − b − X S_f β)‖² + λ1‖β‖₁ + λ2/2‖β‖²`:
//! m_f masks its n_f training rows, S_f = diag(s_f) rescales the shared X's columns to the fold's
//! standardization, and the unpenalized intercept b is eliminated by centering every residual over
//! the fold's training rows (so X needs no per-fold centering). Beside the passes over X of a
//! plain path, folds cost γ = S_fβ before X·γ, the masked centering of y − Xγ, and
//! C = S_f·Xᵀr/n_f after Xᵀr. Each fold has its own step from a batched power iteration on
//! (M_fXS_f)ᵀ(M_fXS_f)/n_f (centered), and its own gap scale ‖m_f ∘ (y − ȳ_f)‖²/n_f.

use crate::context::{GpuContext, Op};
use crate::design::DeviceDesign;
use crate::kernels::folds::{self, CenterArgs, ScaleArgs};
use crate::kernels::gemm::{Combine, Xb, Xtr};
use crate::kernels::reduce::{self, NormalizeArgs};
use crate::TrainFold;
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
            ops.extend(dd.xb(ctx, f, &xb));
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
            ops.extend(dd.xtr(ctx, f, &xtr));
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
        let (p, k, prec) = (dd.p, self.f * per, dd.precision);
        let scal = &dd.scal;
        let xtr = Xtr {
            r,
            scal,
            out: &self.work,
            ldo: p,
            scaled: false,
            live,
        };
        let mut ops = dd.xtr(ctx, k, &xtr);
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
        let (p, k, prec) = (dd.p, self.f * per, dd.precision);
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
        ops.extend(dd.xb(ctx, k, &xb));
        ops
    }
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

/// Which rows each fold of a batch sees: all of them on the design's scale (a plain path, one
/// fold), or the folds' training rows and column scales.
pub(crate) enum Rows {
    All,
    Folds(FoldRows),
}

impl Rows {
    /// F: the folds of the batch (1 for a plain path).
    pub fn folds(&self) -> usize {
        match self {
            Rows::All => 1,
            Rows::Folds(fr) => fr.f,
        }
    }

    /// C = XᵀR/n_f for the live columns of the n × K block R, `per` columns per fold (fold
    /// scales applied): one pass over X.
    pub fn correlations(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (r, per): (&wgpu::Buffer, usize),
        c: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        match self {
            Rows::All => dd.correlations(ctx, r, per, c, live),
            Rows::Folds(fr) => fr.correlations(ctx, dd, (r, per), c, live),
        }
    }

    /// out = X·S_fβ (`Combine::Set`) or y − X·S_fβ (`Combine::YMinus`) for β (p × K, `per`
    /// columns per fold; a double-word FISTA iterate when `double_word`, whose hi block alone is
    /// read on a plain path), live columns: one pass over X.
    pub fn scores(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (beta, per, double_word): (&wgpu::Buffer, usize, bool),
        into: Combine,
        out: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        match self {
            Rows::All => dd.scores(ctx, (beta, per), into, out, live),
            Rows::Folds(fr) => fr.scores(ctx, dd, (beta, per, double_word), into, out, live),
        }
    }

    /// Masks r (n × K, `per` columns per fold) to each fold's rows and, with `intercept`,
    /// centers it there; nothing for a plain path (its design is centered already).
    pub fn center(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (r, per): (&wgpu::Buffer, usize),
        intercept: bool,
    ) -> Vec<Op> {
        match self {
            Rows::All => Vec::new(),
            Rows::Folds(fr) => {
                let args = CenterArgs {
                    mask: &fr.mask,
                    inv_n: &fr.inv_n,
                    r,
                };
                let dims = (dd.n, fr.f * per, per);
                vec![folds::center(ctx, dd.precision, dims, intercept, &args)]
            }
        }
    }

    /// `iters` power-iteration steps on fac[f]·(M_fXS_f)ᵀ(M_fXS_f) per fold (X's columns
    /// centered over the fold's rows when `center`) that leave step[f] = 1/(1.1·L_f): two
    /// passes over X per step.
    pub fn power_iteration(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (iters, center): (usize, bool),
        fac: &wgpu::Buffer,
        step: &wgpu::Buffer,
    ) -> Vec<Op> {
        match self {
            Rows::All => power_iteration(ctx, dd, iters, fac, step),
            Rows::Folds(fr) => fr.power_iteration(ctx, dd, iters, center, fac, step),
        }
    }

    /// 1/n_f per fold (one entry, 1/n, for a plain path).
    pub fn inv_n<'a>(&'a self, dd: &'a DeviceDesign) -> &'a wgpu::Buffer {
        match self {
            Rows::All => &dd.scal,
            Rows::Folds(fr) => &fr.inv_n,
        }
    }

    /// How many columns share one per-fold entry in the gap kernel (0: one entry for all).
    pub fn per_entry(&self, per: usize) -> usize {
        match self {
            Rows::All => 0,
            Rows::Folds(_) => per,
        }
    }
}

/// `iters` power-iteration steps on s·XᵀX, s = scal[0], from a fixed start; they leave
/// step[0] = 1/(1.1·‖s·XᵀX‖) (estimated). Two passes over X per step.
pub(crate) fn power_iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    iters: usize,
    scal: &wgpu::Buffer,
    step: &wgpu::Buffer,
) -> Vec<Op> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let u = ctx.upload("power u", &power_start(p), prec);
    let (xu, xtxu) = (
        ctx.zeros("power Xu", n, prec),
        ctx.zeros("power s·XᵀXu", p, prec),
    );
    let mut ops = Vec::new();
    for _ in 0..iters {
        let xb = Xb {
            b: &u,
            ldb: p,
            y: &dd.y,
            out: &xu,
            into: Combine::Set,
            live: None,
        };
        ops.extend(dd.xb(ctx, 1, &xb));
        let xtr = Xtr {
            r: &xu,
            scal,
            out: &xtxu,
            ldo: p,
            scaled: true,
            live: None,
        };
        ops.extend(dd.xtr(ctx, 1, &xtr));
        let norm = NormalizeArgs {
            v: &xtxu,
            u: &u,
            step,
        };
        ops.push(reduce::normalize(ctx, prec, (p, 1), &norm));
    }
    ops
}

/// The power iteration's fixed unit start vector (p entries, no zeros, not an eigenvector of
/// structured designs).
pub(crate) fn power_start(p: usize) -> Vec<f64> {
    let u: Vec<f64> = (0..p).map(|j| 1.0 + (j % 7) as f64 / 7.0).collect();
    let norm = u.iter().map(|v| v * v).sum::<f64>().sqrt();
    u.iter().map(|v| v / norm).collect()
}
