//! Element-wise kernels (shaders/prox.wgsl): the elastic-net prox, FISTA extrapolation, broadcast.

use super::{R, U, W};
use crate::context::{groups_1d, Family, GpuContext, Kernel, Op, Precision};

pub(crate) static PROX_WGSL: Family = Family {
    name: "prox",
    source: include_str!("../../../../shaders/prox.wgsl"),
    common: &["dw"],
};
const PROX: Kernel = Kernel {
    family: &PROX_WGSL,
    entry: "prox",
    binds: &[
        (0, U),
        (1, R),
        (2, R),
        (3, R),
        (4, R),
        (5, R),
        (6, R),
        (7, W),
    ],
};
const EXTRAP: Kernel = Kernel {
    family: &PROX_WGSL,
    entry: "extrap",
    binds: &[(0, U), (1, R), (2, R), (5, R), (7, W)],
};
const EXTRAP2: Kernel = Kernel {
    family: &PROX_WGSL,
    entry: "extrap2",
    binds: &[(0, U), (1, R), (2, R), (5, R), (7, W)],
};
const BCAST: Kernel = Kernel {
    family: &PROX_WGSL,
    entry: "bcast",
    binds: &[(0, U), (1, R), (7, W)],
};
const WG: usize = 256;
/// 1.0f32 as bits, for the shader's opaque multiply (see two_sum in prox.wgsl).
const ONE: u32 = 0x3f80_0000;

fn groups(ctx: &GpuContext, count: usize) -> [u32; 3] {
    groups_1d(count, WG, ctx.limits.max_compute_workgroups_per_dimension)
}

/// out = S(z + t(c − λ2_k z), t·λ1_k), t = 1/(1/step[k / group] + λ2_k), where active_k, else
/// β_cur; z, β_cur and out are double-word p × k blocks (hi block, then lo block), c is p × k.
/// `group` alphas share one step (k: one step for all; the alphas per fold in a CV batch).
#[allow(clippy::too_many_arguments)]
pub(crate) fn prox(
    ctx: &GpuContext,
    precision: Precision,
    p: usize,
    k: usize,
    z: &wgpu::Buffer,
    c: &wgpu::Buffer,
    beta: &wgpu::Buffer,
    lam: &wgpu::Buffer,
    step: &wgpu::Buffer,
    active: &wgpu::Buffer,
    out: &wgpu::Buffer,
    group: usize,
) -> Op {
    let dims = [p as u32, k as u32, group.max(1) as u32, ONE];
    let bufs = [z, c, beta, lam, step, active, out];
    ctx.op(&PROX, precision, &[], &dims, &bufs, groups(ctx, p * k))
}

/// out = new + m_k (new − old), m_k = mom[2k + 1]; rows × k blocks.
#[allow(clippy::too_many_arguments)]
pub(crate) fn extrap(
    ctx: &GpuContext,
    precision: Precision,
    rows: usize,
    k: usize,
    new: &wgpu::Buffer,
    old: &wgpu::Buffer,
    mom: &wgpu::Buffer,
    out: &wgpu::Buffer,
) -> Op {
    let dims = [rows as u32, k as u32, 0, ONE];
    let bufs = [new, old, mom, out];
    ctx.op(&EXTRAP, precision, &[], &dims, &bufs, groups(ctx, rows * k))
}

/// out = new + m_k (new − old) on double-word rows × k blocks (hi, then lo).
#[allow(clippy::too_many_arguments)]
pub(crate) fn extrap2(
    ctx: &GpuContext,
    precision: Precision,
    rows: usize,
    k: usize,
    new: &wgpu::Buffer,
    old: &wgpu::Buffer,
    mom: &wgpu::Buffer,
    out: &wgpu::Buffer,
) -> Op {
    let dims = [rows as u32, k as u32, 0, ONE];
    let bufs = [new, old, mom, out];
    ctx.op(
        &EXTRAP2,
        precision,
        &[],
        &dims,
        &bufs,
        groups(ctx, rows * k),
    )
}

/// out[c·rows + i] = src[off + i] for c < k.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bcast(
    ctx: &GpuContext,
    precision: Precision,
    rows: usize,
    k: usize,
    src: &wgpu::Buffer,
    off: usize,
    out: &wgpu::Buffer,
) -> Op {
    let dims = [rows as u32, k as u32, off as u32, ONE];
    ctx.op(
        &BCAST,
        precision,
        &[],
        &dims,
        &[src, out],
        groups(ctx, rows * k),
    )
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&PROX, &EXTRAP, &EXTRAP2, &BCAST];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;

    /// The double-word prox and extrapolation against the f64 formulas: hi + lo keeps β to f64
    /// accuracy even in f32 (steps far below β's rounding are kept); only the step and the
    /// threshold themselves round in the working precision.
    #[test]
    fn prox_and_extrapolation_match_the_formulas() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
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
            let ops = [
                prox(ctx, prec, p, k, &zb, &cb, &bb, &lb, &sb, &live, &out, k),
                extrap2(ctx, prec, p, k, &out, &bb, &mom, &ext),
            ];
            let mut enc = ctx.encoder();
            record(&mut enc, &[&ops[0], &ops[1]]);
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
