//! Sparse X on the device, never densified: column blocks split by non-zeros so each array fits
//! one storage binding, every block held as CSC (for XᵀR) and CSR (for X·B), its values times
//! f_j = 1/s_j; the centering by the column means m_j stays implicit, as regpath-core's
//! `ScaledCsc` does on the host. With X' = X·D⁻¹ on the device and shift_j = m_j·f_j, the design
//! X̃ = (X − 1mᵀ)D⁻¹ enters every product as
//!
//!   X̃ᵀr = X'ᵀr − shift·(1ᵀr),    X̃b = X'b − 1·(shiftᵀb),
//!
//! the one place this formula lives on the device (`shaders/sparse.wgsl` applies it).

use crate::context::{GpuContext, Op, Precision};
use crate::error::GpuError;
use crate::kernels::gemm::{Combine, Xb, Xtr};
use crate::kernels::sparse::{self as k_sp, BlockShape, FillArgs, ScatterArgs, ShiftSumArgs};
use crate::kernels::sparse::{SumArgs, XbArgs, XtrArgs};
use regpath_core::Csc;

/// Columns [j0, j0 + cols) of X' with `nnz` non-zeros: CSC (col_ptr, row_idx, values) and CSR
/// (row_ptr, block-local col_idx, values) buffers.
pub(crate) struct SparseBlock {
    pub j0: usize,
    pub cols: usize,
    pub nnz: usize,
    csc: [wgpu::Buffer; 3],
    csr: [wgpu::Buffer; 3],
}

/// X' in column blocks, shift_j for all p columns, and the host's column pointers (the
/// non-zeros a working set gathers, for the counters).
pub(crate) struct SparseX {
    pub n: usize,
    pub p: usize,
    pub blocks: Vec<SparseBlock>,
    shift: wgpu::Buffer,
    /// Whether any shift_j ≠ 0 (else the column sums are skipped).
    centered: bool,
    col_ptr: Vec<usize>,
}

/// Column ranges (j0, cols) over `col_ptr` (p + 1 pointers), greedy from the left: each holds
/// at most `max_nnz` non-zeros and `max_cols` columns. Err(j) when column j alone has more than
/// `max_nnz` non-zeros.
pub(crate) fn column_blocks(
    col_ptr: &[usize],
    max_nnz: usize,
    max_cols: usize,
) -> Result<Vec<(usize, usize)>, usize> {
    let p = col_ptr.len() - 1;
    let mut blocks = Vec::new();
    let mut j0 = 0;
    while j0 < p {
        let mut j = j0;
        while j < p && j - j0 < max_cols.max(1) && col_ptr[j + 1] - col_ptr[j0] <= max_nnz {
            j += 1;
        }
        if j == j0 {
            return Err(j0);
        }
        blocks.push((j0, j - j0));
        j0 = j;
    }
    Ok(blocks)
}

impl SparseX {
    /// Uploads `x` as X' = X·diag(factor) in blocks (at most `max_cols` columns each) with
    /// shift_j = mean_j·factor_j (mean None: 0).
    pub fn new(
        ctx: &GpuContext,
        x: &Csc,
        (mean, factor): (Option<&[f64]>, &[f64]),
        precision: Precision,
        max_cols: usize,
    ) -> Result<SparseX, GpuError> {
        let (n, p) = x.dim();
        let (col_ptr, row_idx, values) = x.parts();
        let limit = ctx.max_binding();
        let entry = precision.size().max(4) as u64;
        let max_nnz = (limit / entry).min(u32::MAX as u64) as usize;
        if (n as u64 + 1) * 4 > limit {
            return Err(GpuError::TooLarge(format!(
                "the row pointers of sparse X ({n} rows) exceed the adapter's storage binding limit of {limit} bytes"
            )));
        }
        let ranges = column_blocks(col_ptr, max_nnz, max_cols).map_err(|j| {
            GpuError::TooLarge(format!(
                "column {j} of sparse X has {} non-zeros, more than one storage binding holds ({limit} bytes)",
                col_ptr[j + 1] - col_ptr[j]
            ))
        })?;
        let blocks = ranges
            .into_iter()
            .map(|(j0, cols)| {
                let (a, b) = (col_ptr[j0], col_ptr[j0 + cols]);
                let scaled: Vec<f64> = (j0..j0 + cols)
                    .flat_map(|j| {
                        values[col_ptr[j]..col_ptr[j + 1]]
                            .iter()
                            .map(move |v| (j, v))
                    })
                    .map(|(j, v)| v * factor[j])
                    .collect();
                let ptr: Vec<u32> = col_ptr[j0..=j0 + cols]
                    .iter()
                    .map(|&e| (e - a) as u32)
                    .collect();
                let rows: Vec<u32> = row_idx[a..b].iter().map(|&i| i as u32).collect();
                let (rptr, cidx, rval) = transpose(n, &ptr, &rows, &scaled);
                SparseBlock {
                    j0,
                    cols,
                    nnz: b - a,
                    csc: [
                        ctx.upload_u32("X col_ptr", &ptr),
                        ctx.upload_u32("X row_idx", &rows),
                        ctx.upload("X values", &scaled, precision),
                    ],
                    csr: [
                        ctx.upload_u32("X row_ptr", &rptr),
                        ctx.upload_u32("X col_idx", &cidx),
                        ctx.upload("X values by row", &rval, precision),
                    ],
                }
            })
            .collect();
        let shift: Vec<f64> = match mean {
            Some(m) => m.iter().zip(factor).map(|(m, f)| m * f).collect(),
            None => vec![0.0; p],
        };
        Ok(SparseX {
            n,
            p,
            blocks,
            centered: shift.iter().any(|&s| s != 0.0),
            shift: ctx.upload("X shift m·f", &shift, precision),
            col_ptr: col_ptr.to_vec(),
        })
    }

    /// Ops for out (n × k) = X̃·B (`Combine::Set`) or y − X̃·B (`Combine::YMinus`), B column c at
    /// c·ldb: shiftᵀB, then one CSR pass per block.
    pub fn xb(&self, ctx: &GpuContext, prec: Precision, k: usize, a: &Xb) -> Vec<Op> {
        let n = self.n;
        let sums = ctx.zeros("shiftᵀb per column", k, prec);
        let mut ops = Vec::new();
        if self.centered {
            let args = ShiftSumArgs {
                shift: &self.shift,
                v: a.b,
                sums: &sums,
            };
            ops.push(k_sp::sum_shift(ctx, prec, (self.p, a.ldb, k), &args));
        }
        let wide = prec == Precision::F32 && a.into == Combine::YMinus && ctx.supports_f64();
        for (i, blk) in self.blocks.iter().enumerate() {
            let mode = match (a.into, i) {
                (Combine::Set, 0) => 0,
                (Combine::YMinus, 0) => 1,
                (Combine::YMinus, _) => 2,
                (Combine::Set, _) => 3,
            };
            let [starts, idx, val] = &blk.csr;
            let args = XbArgs {
                starts,
                idx,
                val,
                b: a.b,
                y: a.y,
                out: a.out,
                sums: &sums,
                live: a.live,
            };
            let shape = blk.shape(n, k, a.ldb);
            ops.push(k_sp::xb(ctx, prec, shape, (mode, i == 0, wide), &args));
        }
        ops
    }

    /// Ops for out[c·ldo + j] = s·x̃_jᵀr_c (s = 1/n when `a.scaled`): 1ᵀR, then one CSC pass
    /// per block.
    pub fn xtr(&self, ctx: &GpuContext, prec: Precision, k: usize, a: &Xtr) -> Vec<Op> {
        let n = self.n;
        let sums = ctx.zeros("1ᵀr per column", k, prec);
        let mut ops = Vec::new();
        if self.centered {
            let args = SumArgs {
                v: a.r,
                sums: &sums,
            };
            ops.push(k_sp::sum_rows(ctx, prec, (n, n, k), &args));
        }
        for blk in &self.blocks {
            let [starts, idx, val] = &blk.csc;
            let args = XtrArgs {
                starts,
                idx,
                val,
                shift: &self.shift,
                r: a.r,
                scal: a.scal,
                out: a.out,
                sums: &sums,
                live: a.live,
            };
            let shape = blk.shape(n, k, a.ldo);
            ops.push(k_sp::xtr(ctx, prec, shape, a.scaled, &args));
        }
        ops
    }

    /// Ops filling `xw` (n × w, column l = x̃_{W_l}, dense) with the working set `ws` (also in
    /// `ws_buf`): the centering constant, then each block's stored entries.
    pub fn gather_cols(
        &self,
        ctx: &GpuContext,
        prec: Precision,
        ws: &[u32],
        (ws_buf, xw): (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Vec<Op> {
        let (n, w) = (self.n, ws.len());
        let fill = FillArgs {
            shift: &self.shift,
            out: xw,
            ws: ws_buf,
        };
        let mut ops = vec![k_sp::gather_fill(ctx, prec, (n, w), &fill)];
        for blk in &self.blocks {
            let range = blk.j0..blk.j0 + blk.cols;
            let nnz: usize = (ws.iter().map(|&j| j as usize))
                .filter(|j| range.contains(j))
                .map(|j| self.col_ptr[j + 1] - self.col_ptr[j])
                .sum();
            if nnz == 0 {
                continue;
            }
            let [starts, idx, val] = &blk.csc;
            let args = ScatterArgs {
                starts,
                idx,
                val,
                out: xw,
                ws: ws_buf,
            };
            let shape = BlockShape {
                nnz,
                ..blk.shape(n, w, 0)
            };
            ops.push(k_sp::gather_scatter(ctx, prec, shape, w, &args));
        }
        ops
    }
}

impl SparseBlock {
    fn shape(&self, n: usize, k: usize, ld: usize) -> BlockShape {
        BlockShape {
            n,
            cols: self.cols,
            nnz: self.nnz,
            k,
            j0: self.j0,
            ld,
        }
    }
}

/// The CSR form (row_ptr n + 1, column indices, values) of a CSC block (col_ptr, row indices,
/// values): a counting sort by row, columns increasing within each row.
fn transpose(n: usize, ptr: &[u32], rows: &[u32], vals: &[f64]) -> (Vec<u32>, Vec<u32>, Vec<f64>) {
    let mut row_ptr = vec![0u32; n + 1];
    for &i in rows {
        row_ptr[i as usize + 1] += 1;
    }
    for i in 0..n {
        row_ptr[i + 1] += row_ptr[i];
    }
    let mut next = row_ptr.clone();
    let mut cols = vec![0u32; rows.len()];
    let mut out = vec![0.0; rows.len()];
    for j in 0..ptr.len() - 1 {
        for e in ptr[j] as usize..ptr[j + 1] as usize {
            let i = rows[e] as usize;
            let at = next[i] as usize;
            cols[at] = j as u32;
            out[at] = vals[e];
            next[i] += 1;
        }
    }
    (row_ptr, cols, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks by hand: nnz per column [3, 1, 4, 1, 5]; at most 5 non-zeros and 2 columns each.
    #[test]
    fn column_blocks_split_by_nonzeros_and_columns() {
        let ptr = [0, 3, 4, 8, 9, 14];
        assert_eq!(column_blocks(&ptr, 5, 2), Ok(vec![(0, 2), (2, 2), (4, 1)]));
        assert_eq!(column_blocks(&ptr, 100, 10), Ok(vec![(0, 5)]));
        // column 4 alone (5 non-zeros) exceeds 4
        assert_eq!(column_blocks(&ptr, 4, 10), Err(4));
    }

    /// The CSR of a 3 × 3 block by hand: [[1, 0, 2], [0, 0, 3], [4, 5, 0]].
    #[test]
    fn transpose_by_hand() {
        let (ptr, rows, vals) = ([0, 2, 3, 5], [0, 2, 2, 0, 1], [1.0, 4.0, 5.0, 2.0, 3.0]);
        let (rp, ci, rv) = transpose(3, &ptr, &rows, &vals);
        assert_eq!(rp, [0, 2, 3, 5]);
        assert_eq!(ci, [0, 2, 2, 0, 1]);
        assert_eq!(rv, [1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    /// A random n × p CSC (density about 1/4, some empty rows and columns) and column means
    /// and factors for it.
    fn random(n: usize, p: usize, seed: u64) -> (Csc, Vec<f64>, Vec<f64>) {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        let dense = ndarray::Array2::from_shape_fn((n, p), |(i, j)| {
            let u = next();
            if i % 7 == 3 || j % 5 == 2 || u > 0.25 {
                0.0
            } else {
                u * 8.0 - 1.0
            }
        });
        let x = Csc::from_dense(dense.view()).unwrap();
        let mean = (0..p).map(|j| 0.1 * (j % 3) as f64 - 0.05).collect();
        let factor = (0..p)
            .map(|j| if j == 1 { 0.0 } else { 0.5 + (j % 4) as f64 })
            .collect();
        (x, mean, factor)
    }

    gpu_test! {
        /// X̃·B, y − X̃·B, X̃ᵀR/n and the gathered X̃_W against regpath-core's `ScaledCsc`
        /// products (its own host code) on ragged sizes, with and without centering, in one
        /// block and in several, with finished alphas keeping their old output.
        fn products_match_the_host_scaled_csc(ctx) {
            use crate::context::record;
            use regpath_core::scaled_csc::ScaledCsc;
            use regpath_core::Matrix;
            let prec = Precision::F32;
            for &(n, p, k, block, centered) in &[
                (37, 23, 5, None, true),
                (50, 45, 17, Some(7), true),
                (20, 9, 1, Some(2), false),
                (70, 30, 40, Some(11), true),
            ] {
                let (x, mean, factor) = random(n, p, (n * p + k) as u64);
                let m = centered.then_some(&mean[..]);
                let host = ScaledCsc::new(&x, m, factor.clone());
                let cols = block.unwrap_or(p);
                let sx = SparseX::new(ctx, &x, (m, &factor), prec, cols).unwrap();
                if let Some(bc) = block {
                    assert_eq!(sx.blocks.len(), p.div_ceil(bc));
                }
                let b = ndarray::Array2::from_shape_fn((p, k), |(j, c)| ((j * 7 + c * 3) % 11) as f64 / 5.0 - 1.0);
                let r = ndarray::Array2::from_shape_fn((n, k), |(i, c)| ((i * 5 + c * 13) % 17) as f64 / 8.0 - 1.0);
                let y: Vec<f64> = (0..n).map(|i| i as f64 * 0.25 - 2.0).collect();
                let col_major = |a: &ndarray::Array2<f64>| a.t().iter().copied().collect::<Vec<_>>();
                let (bbuf, rbuf) = (ctx.upload("b", &col_major(&b), prec), ctx.upload("r", &col_major(&r), prec));
                let ybuf = ctx.upload("y", &y, prec);
                let scal = ctx.upload("scal", &[1.0 / n as f64], prec);
                // alpha 0 finished: its output keeps the sentinel
                let mut live = vec![1u32; k];
                live[0] = u32::from(k == 1);
                let live_buf = ctx.upload_u32("live", &live);
                let read = |ops: &[Op], out: &wgpu::Buffer, len: usize| {
                    crate::kernels::run_and_read(ctx, prec, &ops.iter().collect::<Vec<_>>(), out, len)
                };
                let xb_ref = host.times(b.view());
                for into in [Combine::Set, Combine::YMinus] {
                    let out = ctx.upload("out", &vec![7.0; n * k], prec);
                    let a = Xb { b: &bbuf, ldb: p, y: &ybuf, out: &out, into, live: Some(&live_buf) };
                    let got = read(&sx.xb(ctx, prec, k, &a), &out, n * k);
                    for ((i, c), w) in xb_ref.indexed_iter() {
                        let want = match (live[c], into) {
                            (0, _) => 7.0,
                            (_, Combine::Set) => *w,
                            (_, Combine::YMinus) => y[i] - w,
                        };
                        let g = got[c * n + i];
                        assert!((g - want).abs() <= 1e-5 * (1.0 + want.abs()), "xb {n}×{p}×{k}: {g} vs {want}");
                    }
                }
                let xtr_ref = host.t_times(r.view()) / n as f64;
                let out = ctx.zeros("out", p * k, prec);
                let a = Xtr { r: &rbuf, scal: &scal, out: &out, ldo: p, scaled: true, live: None };
                let got = read(&sx.xtr(ctx, prec, k, &a), &out, p * k);
                for ((j, c), w) in xtr_ref.indexed_iter() {
                    let g = got[c * p + j];
                    assert!((g - w).abs() <= 1e-5 * (1.0 + w.abs()), "xtr {n}×{p}×{k}: {g} vs {w}");
                }
                // X̃_W for W = every third column, in working-set order
                let ws: Vec<u32> = (0..p as u32).step_by(3).collect();
                let ws_buf = ctx.upload_u32("ws", &ws);
                let xw = ctx.upload("xw", &vec![9.0; n * ws.len()], prec);
                let mut enc = ctx.encoder();
                let ops = sx.gather_cols(ctx, prec, &ws, (&ws_buf, &xw));
                record(&mut enc, &ops.iter().collect::<Vec<_>>(), &mut crate::GpuCounters::default());
                ctx.queue.submit([enc.finish()]);
                let got = read(&[], &xw, n * ws.len());
                for (l, &j) in ws.iter().enumerate() {
                    let mut e = ndarray::Array2::zeros((p, 1));
                    e[[j as usize, 0]] = 1.0;
                    let col = host.times(e.view());
                    for i in 0..n {
                        let (g, w) = (got[l * n + i], col[[i, 0]]);
                        assert!((g - w).abs() <= 1e-5 * (1.0 + w.abs()), "X_W[{i}, {l}]: {g} vs {w}");
                    }
                }
            }
        }
    }
}
