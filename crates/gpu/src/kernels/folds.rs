//! Fold kernels (shaders/folds.wgsl): batched cross-validation, F folds × A alphas per block,
//! fold f owning columns [f·A, (f + 1)·A).

use super::{R, U, W};
use crate::context::{groups_1d, Family, GpuContext, Kernel, Op, Precision};

pub(crate) static FOLDS: Family = Family {
    name: "folds",
    source: include_str!("../../../../shaders/folds.wgsl"),
    common: &["reduce"],
};
const CENTER: Kernel = Kernel {
    family: &FOLDS,
    entry: "center",
    binds: &[(0, U), (2, R), (3, R), (4, W)],
};
const SCALE: Kernel = Kernel {
    family: &FOLDS,
    entry: "scale",
    binds: &[(0, U), (1, R), (2, R), (3, R), (4, W)],
};
const GRAM_SCALE: Kernel = Kernel {
    family: &FOLDS,
    entry: "gram_scale",
    binds: &[(0, U), (2, R), (3, R), (4, W)],
};
const WG: usize = 64;

/// In place on r (n × k): column c of fold f = c / per becomes m_f ∘ (r_c − m_fᵀr_c·inv_n[f])
/// (masked only, without the mean, when `intercept` is false). `mask` is n × F of 0/1.
#[allow(clippy::too_many_arguments)]
pub(crate) fn center(
    ctx: &GpuContext,
    precision: Precision,
    n: usize,
    k: usize,
    per: usize,
    intercept: bool,
    mask: &wgpu::Buffer,
    inv_n: &wgpu::Buffer,
    r: &wgpu::Buffer,
) -> Op {
    let dims = [n as u32, k as u32, per as u32, intercept as u32];
    ctx.op(
        &CENTER,
        precision,
        &[],
        &dims,
        &[mask, inv_n, r],
        [k as u32, 1, 1],
    )
}

/// out[j, c] = src[j, c]·s[f·p + j]·fac[f], f = c / per, over p × k; `double_word` adds the lo
/// block of src (a FISTA iterate).
#[allow(clippy::too_many_arguments)]
pub(crate) fn scale(
    ctx: &GpuContext,
    precision: Precision,
    p: usize,
    k: usize,
    per: usize,
    double_word: bool,
    src: &wgpu::Buffer,
    s: &wgpu::Buffer,
    fac: &wgpu::Buffer,
    out: &wgpu::Buffer,
) -> Op {
    let dims = [p as u32, k as u32, per as u32, double_word as u32];
    let groups = groups_1d(p * k, WG, ctx.limits.max_compute_workgroups_per_dimension);
    ctx.op(&SCALE, precision, &[], &dims, &[src, s, fac, out], groups)
}

/// In place on F stacked w × w Grams (fold f's at f·w²): G_f[j, l] ·= s[f·w + j]·s[f·w + l]·fac[f].
#[allow(clippy::too_many_arguments)]
pub(crate) fn gram_scale(
    ctx: &GpuContext,
    precision: Precision,
    w: usize,
    f: usize,
    s: &wgpu::Buffer,
    fac: &wgpu::Buffer,
    gram: &wgpu::Buffer,
) -> Op {
    let dims = [w as u32, (f * w) as u32, w as u32, 0];
    let groups = groups_1d(
        w * w * f,
        WG,
        ctx.limits.max_compute_workgroups_per_dimension,
    );
    ctx.op(&GRAM_SCALE, precision, &[], &dims, &[s, fac, gram], groups)
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&CENTER, &SCALE, &GRAM_SCALE];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;

    fn read(
        ctx: &GpuContext,
        prec: Precision,
        op: &Op,
        out: &wgpu::Buffer,
        len: usize,
    ) -> Vec<f64> {
        let mut enc = ctx.encoder();
        record(&mut enc, &[op]);
        let bytes = (len * prec.size()) as u64;
        let got = ctx
            .submit_and_read(enc, &[(out, 0, bytes)], &mut GpuCounters::default())
            .unwrap();
        prec.values(&got[0])
    }

    /// Masked centering and fold scaling against their formulas, 3 folds × 2 alphas.
    #[test]
    fn center_and_scale_match_the_formulas() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        let prec = Precision::F32;
        let (n, p, f, per) = (70, 9, 3, 2);
        let k = f * per;
        let mask: Vec<f64> = (0..n * f)
            .map(|e| f64::from(u8::from((e / 7) % 3 != e / n)))
            .collect();
        let inv_n: Vec<f64> = (0..f)
            .map(|fold| 1.0 / mask[fold * n..(fold + 1) * n].iter().sum::<f64>())
            .collect();
        let r0: Vec<f64> = (0..n * k)
            .map(|e| ((e * 13 % 17) as f64 - 5.0) / 4.0)
            .collect();
        let (mb, ib) = (
            ctx.upload("m", &mask, prec),
            ctx.upload("1/n", &inv_n, prec),
        );
        for intercept in [false, true] {
            let r = ctx.upload("r", &r0, prec);
            let got = read(
                ctx,
                prec,
                &center(ctx, prec, n, k, per, intercept, &mb, &ib, &r),
                &r,
                n * k,
            );
            for c in 0..k {
                let fold = c / per;
                let m = &mask[fold * n..(fold + 1) * n];
                let col = &r0[c * n..(c + 1) * n];
                let mean = if intercept {
                    m.iter().zip(col).map(|(a, b)| a * b).sum::<f64>() * inv_n[fold]
                } else {
                    0.0
                };
                for i in 0..n {
                    let want = m[i] * (col[i] - mean);
                    let g = got[c * n + i];
                    assert!(
                        (g - want).abs() < 1e-5,
                        "center {intercept} {c} {i}: {g} vs {want}"
                    );
                }
            }
        }
        let s: Vec<f64> = (0..p * f).map(|e| 0.5 + (e % 5) as f64 * 0.25).collect();
        let src: Vec<f64> = (0..2 * p * k)
            .map(|e| (e % 11) as f64 - 5.0 + if e >= p * k { 1e-3 } else { 0.0 })
            .collect();
        let (sb, srcb, out) = (
            ctx.upload("s", &s, prec),
            ctx.upload("src", &src, prec),
            ctx.zeros("out", p * k, prec),
        );
        for dw in [false, true] {
            let got = read(
                ctx,
                prec,
                &scale(ctx, prec, p, k, per, dw, &srcb, &sb, &ib, &out),
                &out,
                p * k,
            );
            for e in 0..p * k {
                let (c, j) = (e / p, e % p);
                let v = src[e] + if dw { src[p * k + e] } else { 0.0 };
                let want = v * s[(c / per) * p + j] * inv_n[c / per];
                assert!(
                    (got[e] - want).abs() < 1e-6,
                    "scale {dw} {e}: {} vs {want}",
                    got[e]
                );
            }
        }
    }
}
