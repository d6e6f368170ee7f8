//! The prepared design on the device: X split into column blocks that each fit one storage
//! binding (dense, or sparse with its centering and scaling implicit: `sparse_x.rs`), y, the
//! scalars kernels read (1/n), and the two products over all of X, X·B and XᵀR, whatever the
//! storage: the solvers call these and never see X's blocks.

use crate::context::{GpuContext, Op, Precision};
use crate::error::GpuError;
use crate::kernels::cd::{self as k_cd, WsDims};
use crate::kernels::gemm::{self, Combine, Xb, Xtr};
use crate::kernels::XBlock;
use crate::sparse_x::SparseX;
use ndarray::{ArrayView1, ArrayView2, Axis};

/// Default cap on columns per block: a GEMM invocation loops about 2.25 times per column of its
/// block, and lavapipe ends every loop of an invocation after 65535 trips in all.
pub(crate) const MAX_BLOCK_COLS: usize = 16_384;

/// X as the device holds it: dense column blocks, or sparse blocks (CSC and CSR).
pub(crate) enum DeviceX {
    Dense(Vec<XBlock>),
    Sparse(SparseX),
}

/// X (as column blocks), y and [1/n] on the device, in one precision.
pub(crate) struct DeviceDesign {
    pub n: usize,
    pub p: usize,
    pub precision: Precision,
    pub x: DeviceX,
    pub y: wgpu::Buffer,
    /// [1/n]: read by the scaled GEMM and the gap kernel.
    pub scal: wgpu::Buffer,
    /// ‖y‖²/n in f64: the scale relative gaps are measured in.
    pub y_scale: f64,
}

impl DeviceDesign {
    /// Uploads X in blocks of at most `max_block_cols` columns (default: as many as one binding holds).
    pub fn new(
        ctx: &GpuContext,
        x: ArrayView2<f64>,
        y: ArrayView1<f64>,
        precision: Precision,
        max_block_cols: Option<usize>,
    ) -> Result<DeviceDesign, GpuError> {
        let (n, p) = x.dim();
        let col_bytes = (n * precision.size()) as u64;
        let fit = (ctx.max_binding() / col_bytes) as usize;
        if fit == 0 {
            return Err(GpuError::TooLarge(format!(
                "one column of X ({n} samples, {col_bytes} bytes) exceeds the adapter's storage binding limit of {} bytes",
                ctx.max_binding()
            )));
        }
        let cols = fit
            .min(max_block_cols.unwrap_or(MAX_BLOCK_COLS))
            .clamp(1, p);
        let mut blocks = Vec::new();
        for j0 in (0..p).step_by(cols) {
            let block = x.slice_axis(Axis(1), (j0..(j0 + cols).min(p)).into());
            let data: Vec<f64> = block.t().iter().copied().collect(); // column-major order
            blocks.push(XBlock {
                buf: ctx.upload("x block", &data, precision),
                j0,
                cols: block.ncols(),
            });
        }
        Ok(DeviceDesign::with_x(
            ctx,
            DeviceX::Dense(blocks),
            (n, p),
            y,
            precision,
        ))
    }

    /// Uploads sparse `x` (never densified) as the design X̃ = (X − 1mᵀ)·diag(factor), m =
    /// `mean` (None: no centering), in blocks by non-zeros (see `sparse_x.rs`).
    pub fn sparse(
        ctx: &GpuContext,
        x: &regpath_core::Csc,
        scaling: (Option<&[f64]>, &[f64]),
        y: ArrayView1<f64>,
        precision: Precision,
        max_block_cols: Option<usize>,
    ) -> Result<DeviceDesign, GpuError> {
        let max_cols = max_block_cols.unwrap_or(MAX_BLOCK_COLS);
        let sx = SparseX::new(ctx, x, scaling, precision, max_cols)?;
        let dims = (sx.n, sx.p);
        Ok(DeviceDesign::with_x(
            ctx,
            DeviceX::Sparse(sx),
            dims,
            y,
            precision,
        ))
    }

    /// Uploads a prepared design's X and y: dense X as it holds it, sparse X (never densified)
    /// with the design's column means (when it fits an intercept) and multipliers 1/s_j
    /// applied inside the products.
    pub fn of(
        ctx: &GpuContext,
        design: &regpath_core::Design,
        precision: Precision,
        max_block_cols: Option<usize>,
    ) -> Result<DeviceDesign, GpuError> {
        let y = design.y.view();
        match &design.x {
            regpath_core::Storage::Dense(x) => {
                DeviceDesign::new(ctx, x.view(), y, precision, max_block_cols)
            }
            regpath_core::Storage::Sparse(x) => {
                let factor = design.column_multipliers();
                let scaling = (design.column_means(), &factor[..]);
                DeviceDesign::sparse(ctx, x, scaling, y, precision, max_block_cols)
            }
        }
    }

    fn with_x(
        ctx: &GpuContext,
        x: DeviceX,
        (n, p): (usize, usize),
        y: ArrayView1<f64>,
        precision: Precision,
    ) -> DeviceDesign {
        let yv = y.to_vec();
        DeviceDesign {
            n,
            p,
            precision,
            x,
            y: ctx.upload("y", &yv, precision),
            scal: ctx.upload("scal", &[1.0 / n as f64], precision),
            y_scale: regpath_core::loss::squared_gap_scale(&yv),
        }
    }

    /// Ops for out (n × k) = X·B or y − X·B (`a.into`), B column c at c·ldb + j: one pass over X.
    pub fn xb(&self, ctx: &GpuContext, k: usize, a: &Xb) -> Vec<Op> {
        match &self.x {
            DeviceX::Dense(blocks) => gemm::xb(ctx, self.precision, blocks, (self.n, k), a),
            DeviceX::Sparse(sx) => sx.xb(ctx, self.precision, k, a),
        }
    }

    /// Ops for out[c·ldo + j] = s·x_jᵀr_c, s = 1/n (`a.scaled`) or 1, c < k: one pass over X.
    pub fn xtr(&self, ctx: &GpuContext, k: usize, a: &Xtr) -> Vec<Op> {
        match &self.x {
            DeviceX::Dense(blocks) => gemm::xtr(ctx, self.precision, blocks, (self.n, k), a),
            DeviceX::Sparse(sx) => sx.xtr(ctx, self.precision, k, a),
        }
    }

    /// Ops filling `xw` (n × w, dense) with the columns of the working set `ws` (also in
    /// `ws_buf`) of X as the solvers see it.
    pub fn gather_cols(
        &self,
        ctx: &GpuContext,
        d: WsDims,
        ws: &[u32],
        (ws_buf, xw): (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Vec<Op> {
        match &self.x {
            DeviceX::Dense(blocks) => {
                k_cd::gather_cols(ctx, self.precision, d, blocks, (ws_buf, xw))
            }
            DeviceX::Sparse(sx) => sx.gather_cols(ctx, self.precision, ws, (ws_buf, xw)),
        }
    }
}

impl DeviceDesign {
    /// Ops for out (p × k, column c at c·p) = XᵀR/n, R n × k: one pass over X (`live`: see
    /// `gemm::xb`).
    pub fn correlations(
        &self,
        ctx: &GpuContext,
        r: &wgpu::Buffer,
        k: usize,
        out: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        let a = Xtr {
            r,
            scal: &self.scal,
            out,
            ldo: self.p,
            scaled: true,
            live,
        };
        self.xtr(ctx, k, &a)
    }

    /// Ops for out (n × k) = X·B (`Combine::Set`) or y − X·B (`Combine::YMinus`), B p × k (the
    /// hi block of an iterate): one pass over X (`live`: see `gemm::xb`).
    pub fn scores(
        &self,
        ctx: &GpuContext,
        (b, k): (&wgpu::Buffer, usize),
        into: Combine,
        out: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        let a = Xb {
            b,
            ldb: self.p,
            y: &self.y,
            out,
            into,
            live,
        };
        self.xb(ctx, k, &a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::kernels::gemm::{xb, xtr, Xb, Xtr};
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
        record(
            &mut enc,
            &ops.iter().collect::<Vec<_>>(),
            &mut crate::GpuCounters::default(),
        );
        let bytes = (len * prec.size()) as u64;
        let mut c = GpuCounters::default();
        prec.values(
            &ctx.submit_and_read(enc, &[(out, 0, bytes)], &mut c)
                .unwrap()[0],
        )
    }

    gpu_test! {
        /// X·B, y − X·B and XᵀR/n against ndarray on ragged sizes, with X split into odd column blocks.
        fn gemms_match_ndarray_on_ragged_sizes_and_blocks(ctx) {
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
                    let DeviceX::Dense(blocks) = &dd.x else {
                        unreachable!("dense X")
                    };
                    if let Some(bc) = block {
                        assert_eq!(blocks.len(), p.div_ceil(bc));
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
                        let a = Xb {
                            b: &bbuf,
                            ldb: p,
                            y: &dd.y,
                            out: &out,
                            into,
                            live: None,
                        };
                        let ops = xb(ctx, prec, blocks, (n, k), &a);
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
                    let a = Xtr {
                        r: &rbuf,
                        scal: &dd.scal,
                        out: &out,
                        ldo: p,
                        scaled: true,
                        live: None,
                    };
                    let ops = xtr(ctx, prec, blocks, (n, k), &a);
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
}
