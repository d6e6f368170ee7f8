//! Tiled GEMMs X·B (n × K) and XᵀR (p × K) over X's column blocks (shaders/gemm.wgsl).

use super::{R, U, W};
use crate::context::{Family, GpuContext, Kernel, Op, Precision};
use crate::design::XBlock;

pub(crate) static GEMM: Family = Family {
    name: "gemm",
    source: include_str!("../../../../shaders/gemm.wgsl"),
};
const BINDS: &[(u32, crate::context::Bind)] = &[(0, U), (1, R), (2, R), (3, R), (4, W)];
const XB: Kernel = Kernel {
    family: &GEMM,
    entry: "xb",
    binds: BINDS,
};
const XTR: Kernel = Kernel {
    family: &GEMM,
    entry: "xtr",
    binds: BINDS,
};
const LIVE_BINDS: &[(u32, crate::context::Bind)] =
    &[(0, U), (1, R), (2, R), (3, R), (4, W), (5, R)];
const XB_LIVE: Kernel = Kernel {
    family: &GEMM,
    entry: "xb",
    binds: LIVE_BINDS,
};
const XTR_LIVE: Kernel = Kernel {
    family: &GEMM,
    entry: "xtr",
    binds: LIVE_BINDS,
};
/// The shader line a pipeline that skips finished alphas replaces, and its replacement.
const TILE_LIVE: &str = "fn tile_live(n0: u32) -> bool { return true; }";
const TILE_LIVE_FLAGS: &str = "@group(0) @binding(5) var<storage, read> live: array<u32>;
fn tile_live(n0: u32) -> bool {
    for (var c = n0; c < min(n0 + TN, d.k); c++) { if (live[c] != 0u) { return true; } }
    return false;
}";
/// Output tile: rows (n or features) × alphas per workgroup.
const TILE_M: usize = 64;
const TILE_N: usize = 16;

/// Depth of the staged slices: 32 when (64 + 16)·32 scalars fit workgroup memory, else 16 or 8.
fn depth_variant(ctx: &GpuContext, precision: Precision) -> Vec<(&'static str, String)> {
    let limit = ctx.limits.max_compute_workgroup_storage_size as usize;
    let depth = [32, 16, 8]
        .into_iter()
        .find(|td| (TILE_M + TILE_N) * td * precision.size() <= limit)
        .unwrap_or(8);
    vec![("const TD: u32 = 32u;", format!("const TD: u32 = {depth}u;"))]
}

/// What X·B is combined with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combine {
    /// out = X·B
    Set,
    /// out = y − X·B (residuals)
    YMinus,
}

/// out (n × k, column c at c·n) = X·B or y − X·B, B column c at c·ldb + j: one pass over X.
/// With `live` (a u32 flag per column), tiles of 16 columns none of which is live are skipped
/// and keep their old output.
/// In f32, residuals y − X·B accumulate in f64 where the adapter has it: their entries are small
/// differences of large sums, and their f32 rounding otherwise sets the reachable duality gap.
#[allow(clippy::too_many_arguments)]
pub(crate) fn xb(
    ctx: &GpuContext,
    precision: Precision,
    blocks: &[XBlock],
    n: usize,
    b: &wgpu::Buffer,
    ldb: usize,
    k: usize,
    y: &wgpu::Buffer,
    out: &wgpu::Buffer,
    into: Combine,
    live: Option<&wgpu::Buffer>,
) -> Vec<Op> {
    let mut variant = depth_variant(ctx, precision);
    if live.is_some() {
        variant.push((TILE_LIVE, TILE_LIVE_FLAGS.into()));
    }
    if precision == Precision::F32 && into == Combine::YMinus && ctx.supports_f64() {
        variant.push(("alias wide = real;", "alias wide = f64;".into()));
    }
    blocks
        .iter()
        .enumerate()
        .map(|(i, blk)| {
            let mode = match (into, i) {
                (Combine::Set, 0) => 0,
                (Combine::YMinus, 0) => 1,
                (Combine::YMinus, _) => 2,
                (Combine::Set, _) => 3,
            };
            let dims = [n, blk.cols, k, blk.j0, ldb, mode].map(|v| v as u32);
            let groups = [n.div_ceil(TILE_M) as u32, k.div_ceil(TILE_N) as u32, 1];
            match live {
                None => ctx.op(
                    &XB,
                    precision,
                    &variant,
                    &dims,
                    &[&blk.buf, b, y, out],
                    groups,
                ),
                Some(l) => ctx.op(
                    &XB_LIVE,
                    precision,
                    &variant,
                    &dims,
                    &[&blk.buf, b, y, out, l],
                    groups,
                ),
            }
        })
        .collect()
}

/// out[c·ldo + j] = s·x_jᵀ r_c for every column j of X and c < k; s = 1/n (scal[0]) when
/// `scaled`: one pass over X. `live` skips tiles of finished columns as in [`xb`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn xtr(
    ctx: &GpuContext,
    precision: Precision,
    blocks: &[XBlock],
    n: usize,
    r: &wgpu::Buffer,
    k: usize,
    scal: &wgpu::Buffer,
    out: &wgpu::Buffer,
    ldo: usize,
    scaled: bool,
    live: Option<&wgpu::Buffer>,
) -> Vec<Op> {
    let mut variant = depth_variant(ctx, precision);
    if live.is_some() {
        variant.push((TILE_LIVE, TILE_LIVE_FLAGS.into()));
    }
    blocks
        .iter()
        .map(|blk| {
            let dims = [n, blk.cols, k, blk.j0, ldo, scaled as usize].map(|v| v as u32);
            let groups = [
                blk.cols.div_ceil(TILE_M) as u32,
                k.div_ceil(TILE_N) as u32,
                1,
            ];
            match live {
                None => ctx.op(
                    &XTR,
                    precision,
                    &variant,
                    &dims,
                    &[&blk.buf, r, scal, out],
                    groups,
                ),
                Some(l) => ctx.op(
                    &XTR_LIVE,
                    precision,
                    &variant,
                    &dims,
                    &[&blk.buf, r, scal, out, l],
                    groups,
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::design::DeviceDesign;
    use crate::GpuCounters;
    use ndarray::{Array1, Array2, ShapeBuilder};

    fn matrix(rows: usize, cols: usize, seed: usize) -> Array2<f64> {
        Array2::from_shape_fn((rows, cols).f(), |(i, j)| {
            (((i * 31 + j * 17 + seed * 7) % 23) as f64 - 11.0) / 7.0
        })
    }

    fn read(
        ctx: &GpuContext,
        prec: Precision,
        ops: &[Op],
        out: &wgpu::Buffer,
        len: usize,
    ) -> Vec<f64> {
        let mut enc = ctx.encoder();
        record(&mut enc, &ops.iter().collect::<Vec<_>>());
        let bytes = (len * prec.size()) as u64;
        let mut c = GpuCounters::default();
        prec.values(
            &ctx.submit_and_read(enc, &[(out, 0, bytes)], &mut c)
                .unwrap()[0],
        )
    }

    /// X·B, y − X·B and XᵀR/n against ndarray on ragged sizes, with X split into odd column blocks.
    #[test]
    fn gemms_match_ndarray_on_ragged_sizes_and_blocks() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        for prec in [Precision::F32, Precision::F64] {
            if prec == Precision::F64 && !ctx.supports_f64() {
                continue;
            }
            let tol = if prec == Precision::F32 { 1e-5 } else { 1e-12 };
            for &(n, p, k, block) in &[(37, 23, 5, None), (50, 45, 17, Some(7)), (1, 3, 1, Some(1))]
            {
                let x = matrix(n, p, 1);
                let b = matrix(p, k, 2); // column c of B = alpha c
                let y = Array1::from_shape_fn(n, |i| i as f64 * 0.25 - 2.0);
                let dd = DeviceDesign::new(ctx, x.view(), y.view(), prec, block).unwrap();
                if let Some(bc) = block {
                    assert_eq!(dd.blocks.len(), p.div_ceil(bc));
                }
                let bt: Vec<f64> = b.t().iter().copied().collect();
                let bbuf = ctx.upload("b", &bt, prec);
                let out = ctx.zeros("out", n * k, prec);
                let xb_ref = x.dot(&b);
                for (into, want) in [
                    (Combine::Set, xb_ref.clone()),
                    (
                        Combine::YMinus,
                        -&xb_ref + y.view().insert_axis(ndarray::Axis(1)),
                    ),
                ] {
                    let ops = xb(
                        ctx, prec, &dd.blocks, n, &bbuf, p, k, &dd.y, &out, into, None,
                    );
                    let got = read(ctx, prec, &ops, &out, n * k);
                    for ((i, c), w) in want.indexed_iter() {
                        let g = got[c * n + i];
                        assert!(
                            (g - w).abs() <= tol * (1.0 + w.abs()),
                            "xb {n}×{p}×{k}: {g} vs {w}"
                        );
                    }
                }
                let r = matrix(n, k, 3);
                let rt: Vec<f64> = r.t().iter().copied().collect();
                let rbuf = ctx.upload("r", &rt, prec);
                let out = ctx.zeros("out", p * k, prec);
                let ops = xtr(
                    ctx, prec, &dd.blocks, n, &rbuf, k, &dd.scal, &out, p, true, None,
                );
                let got = read(ctx, prec, &ops, &out, p * k);
                let want = x.t().dot(&r) / n as f64;
                for ((j, c), w) in want.indexed_iter() {
                    let g = got[c * p + j];
                    assert!(
                        (g - w).abs() <= tol * (1.0 + w.abs()),
                        "xtr {n}×{p}×{k}: {g} vs {w}"
                    );
                }
            }
        }
    }
}
