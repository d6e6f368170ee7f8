//! Sparse × dense products over one column block of X (shaders/sparse.wgsl): XᵀR from the
//! block's CSC arrays (an invocation per column and alpha), X·B from its CSR arrays (an
//! invocation per row and alpha),
//! the per-column sums the implicit centering needs, and the gather of working-set columns into
//! a dense n × |W| block.
//!
//! X·B reads rows (CSR) rather than scattering columns (CSC): a scatter adds into output rows
//! shared by many columns, and WGSL has no float atomics; a compare-and-swap loop on f32 bits
//! works in f32 only, in no fixed order, and cannot accumulate residuals y − XB in f64. Measured
//! on lavapipe (text corpus 2000 × 5000, 98,772 non-zeros, B of 100 alphas, per pass): CSR X·B
//! 0.78 s, CSC XᵀR 0.76 s, a CAS scatter 1.00 s with every coefficient non-zero but 0.14 s with
//! 5 % non-zero (it skips zero coefficients; the dense GEMM takes 19 s). The scatter would pay
//! on the very sparse iterates of a lasso path's start; CSR is kept for exact-order f64
//! accumulation, at the price of a second copy of X's arrays on the device.

use super::flat_groups;
use crate::context::{Cost, Decl, GpuContext, Op, Precision};

family! {
    pub(crate) static SPARSE = "sparse", common ["reduce"], header [Decl::Alias("wide", false)];
    /// A block summed per column (`len` entries of column c at c·ld) into `sums`.
    struct SumArgs { v: 5 R, sums: 7 W } => SUM_ROWS = "sum_rows";
    /// shiftᵀb per column of B (p entries of column c at c·ld) into `sums`.
    struct ShiftSumArgs { shift: 4 R, v: 5 R, sums: 7 W } => SUM_SHIFT = "sum_shift";
    /// A block's CSC arrays, shift_j (all p), R, the scalars (1/n at 0), the output and the
    /// 1ᵀr sums; optionally the live flags (finished alphas keep their old output).
    struct XtrArgs {
        starts: 1 R, idx: 2 R, val: 3 R, shift: 4 R, r: 5 R, scal: 6 R, out: 8 W, sums: 11 R,
    } => CSC_XTR = "csc_xtr", + live: 9 R => CSC_XTR_LIVE = "csc_xtr_live";
    /// A block's CSR arrays, B, y, the output and the shiftᵀb sums; optionally the live flags.
    struct XbArgs { starts: 1 R, idx: 2 R, val: 3 R, b: 5 R, y: 6 R, out: 8 W, sums: 11 R }
        => CSR_XB = "csr_xb", + live: 9 R => CSR_XB_LIVE = "csr_xb_live";
    /// shift_j (all p), X_W (n × w) and the working set.
    struct FillArgs { shift: 4 R, out: 8 W, ws: 10 R } => GATHER_FILL = "gather_fill";
    /// A block's CSC arrays, X_W (n × w) and the working set.
    struct ScatterArgs { starts: 1 R, idx: 2 R, val: 3 R, out: 8 W, ws: 10 R }
        => GATHER_SCATTER = "gather_scatter";
}

/// Threads per workgroup (shaders/sparse.wgsl WG).
const WG: usize = 64;

/// The shape of one block's product: rows n, the block's columns and non-zeros, k alphas, its
/// first column j0 and the leading dimension of B (xb) or out (xtr).
#[derive(Clone, Copy)]
pub(crate) struct BlockShape {
    pub n: usize,
    pub cols: usize,
    pub nnz: usize,
    pub k: usize,
    pub j0: usize,
    pub ld: usize,
}

/// Alphas per workgroup: the smallest power of two ≥ k, at most 16 (the rest of the 64 threads
/// split the non-zeros of a column or row).
fn lanes(k: usize) -> usize {
    k.next_power_of_two().min(16)
}

/// Workgroups for `major` columns (rows) × ceil(k / lanes) alpha groups: majors folded over x
/// and z past the per-dimension limit.
fn major_groups(ctx: &GpuContext, major: usize, k: usize) -> [u32; 3] {
    let max = ctx.limits.max_compute_workgroups_per_dimension as usize;
    let x = major.clamp(1, max);
    [
        x as u32,
        k.div_ceil(lanes(k)) as u32,
        major.div_ceil(x) as u32,
    ]
}

/// The header: `wide` accumulators (f64) or `real` ones.
fn variant(wide: bool) -> [Decl; 1] {
    [Decl::Alias("wide", wide)]
}

/// Every header a pipeline of the family may get, for the test that compiles them.
#[cfg(test)]
pub(crate) fn variants() -> Vec<Vec<Decl>> {
    vec![variant(false).to_vec(), variant(true).to_vec()]
}

/// The bytes of one pass over a compressed block: its values and indices (nnz · (size + 4)) and
/// its pointers ((major + 1) · 4), read once per group of lanes alphas.
fn compressed_bytes(size: usize, nnz: usize, major: usize, k: usize) -> u64 {
    let tiles = k.div_ceil(lanes(k)) as u64;
    tiles * (nnz as u64 * (size as u64 + 4) + (major as u64 + 1) * 4)
}

/// Op: sums[c] = Σ_{i < len} v[c·ld + i] for c < k (one workgroup per column).
pub(crate) fn sum_rows(
    ctx: &GpuContext,
    precision: Precision,
    (len, ld, k): (usize, usize, usize),
    a: &SumArgs,
) -> Op {
    sum_op(ctx, precision, (&SUM_ROWS, &a.buffers()), (len, ld, k))
}

/// Op: sums[c] = Σ_{j < p} shift_j·v[c·ld + j] for c < k (one workgroup per column).
pub(crate) fn sum_shift(
    ctx: &GpuContext,
    precision: Precision,
    (p, ld, k): (usize, usize, usize),
    a: &ShiftSumArgs,
) -> Op {
    sum_op(ctx, precision, (&SUM_SHIFT, &a.buffers()), (p, ld, k))
}

fn sum_op(
    ctx: &GpuContext,
    precision: Precision,
    (kernel, bufs): (&crate::context::Kernel, &[&wgpu::Buffer]),
    (len, ld, k): (usize, usize, usize),
) -> Op {
    let dims = [0, 0, k, 0, ld, 0, len, 0].map(|v| v as u32);
    let size = precision.size() as u64;
    let cost = Cost {
        bytes: size * ((len * k + k) as u64),
        flops: 2 * (len * k) as u64,
        steps: 1 + WG.ilog2() as u64 + 2,
    };
    ctx.op(
        kernel,
        precision,
        &variant(false),
        &dims,
        bufs,
        [k as u32, 1, 1],
    )
    .with_cost(cost)
}

/// Op: out[c·ld + j0 + j] = s·(x'_jᵀr_c − shift_{j0+j}·sums[c]) for the block's columns j,
/// s = 1/n (scal[0]) when `scaled`, else 1.
pub(crate) fn xtr(
    ctx: &GpuContext,
    precision: Precision,
    s: BlockShape,
    scaled: bool,
    a: &XtrArgs,
) -> Op {
    let kernel = if a.live.is_some() {
        &CSC_XTR_LIVE
    } else {
        &CSC_XTR
    };
    let dims = [s.n, s.cols, s.k, s.j0, s.ld, scaled as usize, lanes(s.k), 0];
    let size = precision.size();
    let (nnz, cols, k) = (s.nnz as u64, s.cols as u64, s.k as u64);
    let cost = Cost {
        bytes: compressed_bytes(size, s.nnz, s.cols, s.k)
            + size as u64 * (nnz * k + cols * k + cols + k),
        flops: 2 * nnz * k + 2 * cols * k,
        steps: 1,
    };
    let dims = dims.map(|v| v as u32);
    let groups = major_groups(ctx, s.cols, s.k);
    ctx.op(
        kernel,
        precision,
        &variant(false),
        &dims,
        &a.buffers(),
        groups,
    )
    .with_cost(cost)
}

/// Op: out[c·n + i] (mode)= x'_iᵀb_c over the block's columns, minus sums[c] when `first`;
/// mode 0 set, 1 y −, 2 −=, 3 += (as gemm.wgsl). `wide`: accumulate in f64.
pub(crate) fn xb(
    ctx: &GpuContext,
    precision: Precision,
    s: BlockShape,
    (mode, first, wide): (usize, bool, bool),
    a: &XbArgs,
) -> Op {
    let kernel = if a.live.is_some() {
        &CSR_XB_LIVE
    } else {
        &CSR_XB
    };
    let dims = [
        s.n,
        s.cols,
        s.k,
        s.j0,
        s.ld,
        mode,
        lanes(s.k),
        first as usize,
    ];
    let size = precision.size();
    let (nnz, n, k) = (s.nnz as u64, s.n as u64, s.k as u64);
    let cost = Cost {
        bytes: compressed_bytes(size, s.nnz, s.n, s.k) + size as u64 * (nnz * k + n * k + n + k),
        flops: 2 * nnz * k,
        steps: 1,
    };
    let dims = dims.map(|v| v as u32);
    let groups = major_groups(ctx, s.n, s.k);
    ctx.op(
        kernel,
        precision,
        &variant(wide),
        &dims,
        &a.buffers(),
        groups,
    )
    .with_cost(cost)
}

/// Op: X_W (n × w) = −shift_{W_l} in every entry of column l (the centering of the gathered
/// columns; their stored parts come from [`gather_scatter`]).
pub(crate) fn gather_fill(
    ctx: &GpuContext,
    precision: Precision,
    (n, w): (usize, usize),
    a: &FillArgs,
) -> Op {
    let dims = [n, 0, w, 0, 0, 0, 0, 0].map(|v| v as u32);
    let cost = Cost {
        bytes: ((n * w + w) * precision.size() + 4 * w) as u64,
        flops: 0,
        steps: 1,
    };
    let groups = flat_groups(ctx, n * w, WG);
    ctx.op(
        &GATHER_FILL,
        precision,
        &variant(false),
        &dims,
        &a.buffers(),
        groups,
    )
    .with_cost(cost)
}

/// Op: X_W[:, l] += x'_{W_l} for the working-set columns in this block (`s.nnz`: their
/// non-zeros; one workgroup per working-set column).
pub(crate) fn gather_scatter(
    ctx: &GpuContext,
    precision: Precision,
    s: BlockShape,
    w: usize,
    a: &ScatterArgs,
) -> Op {
    let dims = [s.n, s.cols, w, s.j0, 0, 0, 0, 0].map(|v| v as u32);
    let size = precision.size() as u64;
    let cost = Cost {
        bytes: s.nnz as u64 * (4 + 2 * size) + 8 * w as u64,
        flops: s.nnz as u64,
        steps: 1,
    };
    let groups = major_groups(ctx, w, 1);
    ctx.op(
        &GATHER_SCATTER,
        precision,
        &variant(false),
        &dims,
        &a.buffers(),
        groups,
    )
    .with_cost(cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: 100 alphas read a block's compressed arrays once per 16 alphas (7 times).
    #[test]
    fn compressed_bytes_by_hand() {
        assert_eq!(lanes(1), 1);
        assert_eq!(lanes(5), 8);
        assert_eq!(lanes(100), 16);
        assert_eq!(compressed_bytes(4, 1000, 50, 100), 7 * (1000 * 8 + 51 * 4));
        assert_eq!(compressed_bytes(8, 10, 3, 1), 10 * 12 + 4 * 4);
    }
}
