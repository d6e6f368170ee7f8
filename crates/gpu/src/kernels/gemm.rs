//! Tiled GEMMs X·B (n × K) and XᵀR (p × K) over X's column blocks (shaders/gemm.wgsl).

use super::XBlock;
use crate::context::{Cost, Decl, GpuContext, Kernel, Op, Precision};

family! {
    pub(crate) static GEMM = "gemm", common [], header [Decl::U32("TD", 32), Decl::Alias("wide", false)];
    /// X's block, B (xb) or R (xtr), y (xb) or the scalars (xtr), the output and, for the
    /// `*_live` kernels, a u32 flag per column: tiles of 16 columns none of which is live are
    /// skipped and keep their old output.
    struct GemmArgs { x: 1 R, b: 2 R, aux: 3 R, out: 4 W } => XB = "xb", XTR = "xtr",
        + live: 5 R => XB_LIVE = "xb_live", XTR_LIVE = "xtr_live";
}

/// Output tile: rows (n or features) × alphas per workgroup.
const TILE_M: usize = 64;
const TILE_N: usize = 16;

/// The header of a pipeline: the depth of the staged slices, 32 when (64 + 16)·32 scalars fit
/// workgroup memory, else 16 or 8; `wide` accumulators (f64) or `real` ones.
fn variant(ctx: &GpuContext, precision: Precision, wide: bool) -> [Decl; 2] {
    let limit = ctx.limits.max_compute_workgroup_storage_size as usize;
    let depth = [32, 16, 8]
        .into_iter()
        .find(|td| (TILE_M + TILE_N) * td * precision.size() <= limit)
        .unwrap_or(8);
    [Decl::U32("TD", depth as u32), Decl::Alias("wide", wide)]
}

/// Every header a pipeline of the family may get, for the test that compiles them.
#[cfg(test)]
pub(crate) fn variants() -> Vec<Vec<Decl>> {
    let depths = [32, 16, 8].map(|td| Decl::U32("TD", td));
    depths
        .into_iter()
        .flat_map(|td| [false, true].map(|w| vec![td, Decl::Alias("wide", w)]))
        .collect()
}

/// What X·B is combined with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combine {
    /// out = X·B
    Set,
    /// out = y − X·B (residuals)
    YMinus,
}

/// The operands of [`xb`]: B column c at c·ldb + j.
pub(crate) struct Xb<'a> {
    pub b: &'a wgpu::Buffer,
    pub ldb: usize,
    pub y: &'a wgpu::Buffer,
    pub out: &'a wgpu::Buffer,
    pub into: Combine,
    /// A u32 flag per column: tiles of 16 columns none of which is live are skipped and keep
    /// their old output.
    pub live: Option<&'a wgpu::Buffer>,
}

/// The operands of [`xtr`]: out column c at c·ldo + j, scaled by 1/n (scal[0]) when `scaled`.
pub(crate) struct Xtr<'a> {
    pub r: &'a wgpu::Buffer,
    pub scal: &'a wgpu::Buffer,
    pub out: &'a wgpu::Buffer,
    pub ldo: usize,
    pub scaled: bool,
    /// As in [`Xb`].
    pub live: Option<&'a wgpu::Buffer>,
}

/// The cost of one block's GEMM (n × cols block, k columns of B or R, summing over `inner`: cols
/// for X·B, n for XᵀR, in staged slices of `depth`): X's block read once per tile column of 16
/// alphas, B, the output and y read or written once, 2·n·cols·k flops, and two barriers per slice.
fn block_cost(size: usize, [n, cols, k]: [usize; 3], inner: usize, depth: usize) -> Cost {
    let (size, n, cols, k) = (size as u64, n as u64, cols as u64, k as u64);
    Cost {
        bytes: size * (n * cols * k.div_ceil(TILE_N as u64) + (n + cols) * k + n),
        flops: 2 * n * cols * k,
        steps: 2 * inner.div_ceil(depth) as u64,
    }
}

/// The op of one block: `dims` = (n, cols, k, j0, ld, mode), over tiles of `rows` × k outputs,
/// summing over `inner` (see [`block_cost`]).
fn block_op(
    ctx: &GpuContext,
    precision: Precision,
    (kernel, variant): (&Kernel, &[Decl]),
    dims: [usize; 6],
    (rows, inner): (usize, usize),
    args: &GemmArgs,
) -> Op {
    let [n, cols, k] = [dims[0], dims[1], dims[2]];
    let groups = [rows.div_ceil(TILE_M) as u32, k.div_ceil(TILE_N) as u32, 1];
    let depth = variant
        .iter()
        .find_map(|d| match d {
            Decl::U32("TD", td) => Some(*td as usize),
            _ => None,
        })
        .unwrap_or(8);
    let cost = block_cost(precision.size(), [n, cols, k], inner, depth);
    let dims = dims.map(|v| v as u32);
    ctx.op(kernel, precision, variant, &dims, &args.buffers(), groups)
        .with_cost(cost)
}

/// out (n × k, column c at c·n) = X·B or y − X·B: one pass over X.
/// In f32, residuals y − X·B accumulate in f64 where the adapter has it: their entries are small
/// differences of large sums, and their f32 rounding otherwise sets the reachable duality gap.
pub(crate) fn xb(
    ctx: &GpuContext,
    precision: Precision,
    blocks: &[XBlock],
    (n, k): (usize, usize),
    a: &Xb,
) -> Vec<Op> {
    let wide = precision == Precision::F32 && a.into == Combine::YMinus && ctx.supports_f64();
    let variant = variant(ctx, precision, wide);
    let kernel = if a.live.is_some() { &XB_LIVE } else { &XB };
    blocks
        .iter()
        .enumerate()
        .map(|(i, blk)| {
            let mode = match (a.into, i) {
                (Combine::Set, 0) => 0,
                (Combine::YMinus, 0) => 1,
                (Combine::YMinus, _) => 2,
                (Combine::Set, _) => 3,
            };
            let args = GemmArgs {
                x: &blk.buf,
                b: a.b,
                aux: a.y,
                out: a.out,
                live: a.live,
            };
            let dims = [n, blk.cols, k, blk.j0, a.ldb, mode];
            block_op(
                ctx,
                precision,
                (kernel, &variant),
                dims,
                (n, blk.cols),
                &args,
            )
        })
        .collect()
}

/// out[c·ldo + j] = s·x_jᵀ r_c for every column j of X and c < k, s = 1/n or 1: one pass over X.
pub(crate) fn xtr(
    ctx: &GpuContext,
    precision: Precision,
    blocks: &[XBlock],
    (n, k): (usize, usize),
    a: &Xtr,
) -> Vec<Op> {
    let variant = variant(ctx, precision, false);
    let kernel = if a.live.is_some() { &XTR_LIVE } else { &XTR };
    blocks
        .iter()
        .map(|blk| {
            let args = GemmArgs {
                x: &blk.buf,
                b: a.r,
                aux: a.scal,
                out: a.out,
                live: a.live,
            };
            let dims = [n, blk.cols, k, blk.j0, a.ldo, a.scaled as usize];
            block_op(
                ctx,
                precision,
                (kernel, &variant),
                dims,
                (blk.cols, n),
                &args,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: a 200 × 1000 f32 block and 20 alphas (2 tile columns) reads X twice, B (1000 ×
    /// 20), the output (200 × 20) and y once; X·B sums 1000 columns in slices of 32 (32 slices).
    #[test]
    fn block_cost_by_hand() {
        let c = block_cost(4, [200, 1000, 20], 1000, 32);
        assert_eq!(c.bytes, 4 * (200 * 1000 * 2 + 1200 * 20 + 200));
        assert_eq!(c.flops, 2 * 200 * 1000 * 20);
        assert_eq!(c.steps, 2 * 32);
        assert_eq!(block_cost(8, [200, 1000, 16], 200, 16).steps, 2 * 13);
    }
}
