//! Element-wise kernels (shaders/prox.wgsl): the elastic-net prox, FISTA extrapolation, broadcast.

use super::{flat_groups, ONE};
use crate::context::{GpuContext, Kernel, Op, Precision};

family! {
    pub(crate) static PROX_WGSL = "prox", common ["dw"], header [];
    /// The prox step's double-word z and current β (p × k, hi block then lo block), c = Xᵀr/n at
    /// z's hi part, λ1, λ2 per alpha, the step(s), the live flags and the double-word output.
    struct ProxArgs { z: 1 R, c: 2 R, beta: 3 R, lam: 4 R, step: 5 R, active: 6 R, out: 7 W }
        => PROX = "prox";
    /// The new and old iterates, the momentum (τ, m) per alpha and the extrapolated output.
    struct ExtrapArgs { new: 1 R, old: 2 R, mom: 5 R, out: 7 W }
        => EXTRAP = "extrap", EXTRAP2 = "extrap2";
    /// A broadcast's source and output.
    struct BcastArgs { src: 1 R, out: 7 W } => BCAST = "bcast";
}

/// One thread per entry of a rows × k block: dims (rows, k, off).
fn elementwise(
    ctx: &GpuContext,
    precision: Precision,
    kernel: &Kernel,
    (rows, k, off): (usize, usize, usize),
    bufs: &[&wgpu::Buffer],
) -> Op {
    let dims = [rows as u32, k as u32, off as u32, ONE];
    let groups = flat_groups(ctx, rows * k, 256);
    ctx.op(kernel, precision, &[], &dims, bufs, groups)
}

/// out = S(z + t(c − λ2_k z), t·λ1_k), t = 1/(1/step[k / group] + λ2_k), where active_k, else
/// β_cur, on p × k blocks. `group` alphas share one step (k: one step for all; the alphas per fold
/// in a CV batch).
pub(crate) fn prox(
    ctx: &GpuContext,
    precision: Precision,
    (p, k, group): (usize, usize, usize),
    a: &ProxArgs,
) -> Op {
    elementwise(ctx, precision, &PROX, (p, k, group.max(1)), &a.buffers())
}

/// out = new + m_k (new − old), m_k = mom[2k + 1], on rows × k blocks, double-word ones (hi
/// block, then lo block) when `double_word`.
pub(crate) fn extrap(
    ctx: &GpuContext,
    precision: Precision,
    (rows, k): (usize, usize),
    double_word: bool,
    a: &ExtrapArgs,
) -> Op {
    let kernel = if double_word { &EXTRAP2 } else { &EXTRAP };
    elementwise(ctx, precision, kernel, (rows, k, 0), &a.buffers())
}

/// A block [`extrapolate`] moves: rows (× k), double-word or not, its iterates by parity, the
/// output.
pub(crate) type Extrapolated<'a> = (usize, bool, &'a [wgpu::Buffer; 2], &'a wgpu::Buffer);

/// out = new + m_k (new − old) for each block, new its iterate of parity `next`, old the other,
/// m_k = mom[2k + 1].
pub(crate) fn extrapolate(
    ctx: &GpuContext,
    precision: Precision,
    (k, next): (usize, usize),
    mom: &wgpu::Buffer,
    blocks: &[Extrapolated],
) -> Vec<Op> {
    let ops = blocks.iter().map(|&(rows, double_word, v, out)| {
        let a = ExtrapArgs {
            new: &v[next],
            old: &v[1 - next],
            mom,
            out,
        };
        extrap(ctx, precision, (rows, k), double_word, &a)
    });
    ops.collect()
}

/// out[c·rows + i] = src[off + i] for c < k.
pub(crate) fn bcast(
    ctx: &GpuContext,
    precision: Precision,
    (rows, k, off): (usize, usize, usize),
    a: &BcastArgs,
) -> Op {
    elementwise(ctx, precision, &BCAST, (rows, k, off), &a.buffers())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;

    gpu_test! {
        /// The double-word prox and extrapolation against the f64 formulas: hi + lo keeps β to f64
        /// accuracy even in f32 (steps far below β's rounding are kept); only the step and the
        /// threshold themselves round in the working precision.
        fn prox_and_extrapolation_match_the_formulas(ctx) {
            let (p, k) = (37, 3);
            let lam = [(0.3, 0.0), (0.1, 0.2), (0.0, 0.5)];
            let step0 = 0.25;
            // z = hi + lo with lo below hi's rounding; c tiny for some entries
            let zh: Vec<f64> = (0..p * k)
                .map(|e| ((e * 7 % 11) as f64 - 5.0) / 3.0)
                .collect();
            let zl: Vec<f64> = (0..p * k).map(|e| ((e % 5) as f64 - 2.0) * 1e-9).collect();
            let c: Vec<f64> = (0..p * k)
                .map(|e| ((e * 3 % 13) as f64 - 6.0) * if e % 4 == 0 { 1e-8 } else { 0.1 })
                .collect();
            let beta_h: Vec<f64> = (0..p * k).map(|e| (e % 3) as f64 - 1.0).collect();
            for prec in [Precision::F32, Precision::F64] {
                if prec == Precision::F64 && !ctx.supports_f64() {
                    continue;
                }
                let round = |v: f64| {
                    if prec == Precision::F32 {
                        v as f32 as f64
                    } else {
                        v
                    }
                };
                let zh: Vec<f64> = zh.iter().map(|&v| round(v)).collect();
                let c: Vec<f64> = c.iter().map(|&v| round(v)).collect();
                let z2: Vec<f64> = zh.iter().chain(&zl).copied().collect();
                let b2: Vec<f64> = beta_h.iter().chain(&vec![0.0; p * k]).copied().collect();
                let lams: Vec<f64> = lam.iter().flat_map(|&(a, b)| [a, b]).collect();
                let (zb, cb, bb) = (
                    ctx.upload("z", &z2, prec),
                    ctx.upload("c", &c, prec),
                    ctx.upload("b", &b2, prec),
                );
                let (lb, sb) = (
                    ctx.upload("lam", &lams, prec),
                    ctx.upload("step", &[step0], prec),
                );
                let live = ctx.upload_u32("live", &[1, 1, 0]);
                let mom = ctx.upload("mom", &[1.0, 0.5, 1.0, 0.25, 1.0, 0.0], prec);
                let (out, ext) = (
                    ctx.zeros("out", 2 * p * k, prec),
                    ctx.zeros("ext", 2 * p * k, prec),
                );
                let step = ProxArgs {
                    z: &zb,
                    c: &cb,
                    beta: &bb,
                    lam: &lb,
                    step: &sb,
                    active: &live,
                    out: &out,
                };
                let ext_args = ExtrapArgs {
                    new: &out,
                    old: &bb,
                    mom: &mom,
                    out: &ext,
                };
                let ops = [
                    prox(ctx, prec, (p, k, k), &step),
                    extrap(ctx, prec, (p, k), true, &ext_args),
                ];
                let mut enc = ctx.encoder();
                record(&mut enc, &[&ops[0], &ops[1]], &mut crate::GpuCounters::default());
                let sz = (2 * p * k * prec.size()) as u64;
                let got = ctx
                    .submit_and_read(
                        enc,
                        &[(&out, 0, sz), (&ext, 0, sz)],
                        &mut GpuCounters::default(),
                    )
                    .unwrap();
                let (got, ext) = (prec.values(&got[0]), prec.values(&got[1]));
                for e in 0..p * k {
                    let a = e / p;
                    let (l1, l2) = lam[a];
                    let t = 1.0 / (1.0 / step0 + l2);
                    let v = zh[e] + zl[e] + t * (c[e] - l2 * zh[e]);
                    let want = if a == 2 {
                        beta_h[e]
                    } else {
                        regpath_core::linalg::soft_threshold(v, t * l1)
                    };
                    let b = got[e] + got[p * k + e];
                    // hi + lo carries β exactly; only the step t·g and threshold t·λ1 round (at `eps`)
                    let eps = if prec == Precision::F32 {
                        6e-8
                    } else {
                        1.2e-16
                    };
                    let tol = 1e-13 * (1.0 + want.abs())
                        + 4.0 * eps * ((t * (c[e] - l2 * zh[e])).abs() + t * l1);
                    assert!(
                        (b - want).abs() <= tol,
                        "{} prox entry {e}: {b} vs {want}",
                        prec.name()
                    );
                    let m = [0.5, 0.25, 0.0][a];
                    let want_ext = b + m * (b - beta_h[e]);
                    let x = ext[e] + ext[p * k + e];
                    let tol = 1e-13 * (1.0 + want_ext.abs()) + 4.0 * eps * (m * (b - beta_h[e])).abs();
                    assert!(
                        (x - want_ext).abs() <= tol,
                        "{} extrap entry {e}: {x} vs {want_ext}",
                        prec.name()
                    );
                }
            }
        }
    }
}
