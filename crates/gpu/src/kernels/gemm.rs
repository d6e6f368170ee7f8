//! Tiled GEMMs X·B (n × K) and XᵀR (p × K) over X's column blocks (shaders/gemm.wgsl).

use super::{XBlock, R, U, W};
use crate::context::{Family, GpuContext, Kernel, Op, Precision};

pub(crate) static GEMM: Family = Family {
    name: "gemm",
    source: include_str!("../../../../shaders/gemm.wgsl"),
    common: &[],
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

/// The WGSL a kernel of this family compiles: the `*_LIVE` kernels declare `live` (binding 5)
/// through the tile-skipping variant.
#[cfg(test)]
pub(crate) fn wgsl_of(k: &Kernel) -> String {
    let base = k.family.wgsl();
    if k.binds.iter().any(|b| b.0 == 5) {
        base.replace(TILE_LIVE, TILE_LIVE_FLAGS)
    } else {
        base
    }
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&XB, &XTR, &XB_LIVE, &XTR_LIVE];
