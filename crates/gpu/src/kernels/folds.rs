//! Fold kernels (shaders/folds.wgsl): batched cross-validation, F folds × A alphas per block,
//! fold f owning columns [f·A, (f + 1)·A).

use super::flat_groups;
use crate::context::{GpuContext, Op, Precision};

family! {
    pub(crate) static FOLDS = "folds", common ["reduce"], header [];
    /// The n × F 0/1 mask of the folds' rows, 1/n_f per fold, and the n × k block centered in place.
    struct CenterArgs { mask: 2 R, inv_n: 3 R, r: 4 W } => CENTER = "center";
    /// The p × k source (hi block, then lo block when double-word), the per-fold scales s (p × F),
    /// a factor per fold and the p × k output.
    struct ScaleArgs { src: 1 R, s: 2 R, fac: 3 R, out: 4 W } => SCALE = "scale";
    /// The per-fold scales s (w × F), a factor per fold and the F stacked w × w Grams, in place.
    struct GramScaleArgs { s: 2 R, fac: 3 R, gram: 4 W } => GRAM_SCALE = "gram_scale";
}

const WG: usize = 64;

/// In place on r (n × k): column c of fold f = c / per becomes m_f ∘ (r_c − m_fᵀr_c·inv_n[f])
/// (masked only, without the mean, when `intercept` is false).
pub(crate) fn center(
    ctx: &GpuContext,
    precision: Precision,
    (n, k, per): (usize, usize, usize),
    intercept: bool,
    a: &CenterArgs,
) -> Op {
    let dims = [n as u32, k as u32, per as u32, intercept as u32];
    ctx.op(
        &CENTER,
        precision,
        &[],
        &dims,
        &a.buffers(),
        [k as u32, 1, 1],
    )
}

/// out[j, c] = src[j, c]·s[f·p + j]·fac[f], f = c / per, over p × k; `double_word` adds the lo
/// block of src (a FISTA iterate).
pub(crate) fn scale(
    ctx: &GpuContext,
    precision: Precision,
    (p, k, per): (usize, usize, usize),
    double_word: bool,
    a: &ScaleArgs,
) -> Op {
    let dims = [p as u32, k as u32, per as u32, double_word as u32];
    let groups = flat_groups(ctx, p * k, WG);
    ctx.op(&SCALE, precision, &[], &dims, &a.buffers(), groups)
}

/// In place on F stacked w × w Grams (fold f's at f·w²): G_f[j, l] ·= s[f·w + j]·s[f·w + l]·fac[f].
pub(crate) fn gram_scale(
    ctx: &GpuContext,
    precision: Precision,
    (w, f): (usize, usize),
    a: &GramScaleArgs,
) -> Op {
    let dims = [w as u32, (f * w) as u32, w as u32, 0];
    let groups = flat_groups(ctx, w * w * f, WG);
    ctx.op(&GRAM_SCALE, precision, &[], &dims, &a.buffers(), groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::run_and_read;

    gpu_test! {
        /// Masked centering and fold scaling against their formulas, 3 folds × 2 alphas.
        fn center_and_scale_match_the_formulas(ctx) {
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
                let args = CenterArgs {
                    mask: &mb,
                    inv_n: &ib,
                    r: &r,
                };
                let op = center(ctx, prec, (n, k, per), intercept, &args);
                let got = run_and_read(ctx, prec, &[&op], &r, n * k);
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
                let args = ScaleArgs {
                    src: &srcb,
                    s: &sb,
                    fac: &ib,
                    out: &out,
                };
                let op = scale(ctx, prec, (p, k, per), dw, &args);
                let got = run_and_read(ctx, prec, &[&op], &out, p * k);
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
}
