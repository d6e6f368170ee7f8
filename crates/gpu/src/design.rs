//! The prepared design on the device: X split into column blocks that each fit one storage
//! binding, y, the scalars kernels read (1/n), and the two GEMMs over all of X.

use crate::context::{GpuContext, Op, Precision};
use crate::error::GpuError;
use crate::kernels::gemm::{self, Combine};
use ndarray::{ArrayView1, ArrayView2, Axis};

/// Default cap on columns per block: a GEMM invocation loops about 2.25 times per column of its
/// block, and lavapipe ends every loop of an invocation after 65535 trips in all.
pub(crate) const MAX_BLOCK_COLS: usize = 16_384;

/// Columns [j0, j0 + cols) of X, column-major n × cols, in one buffer.
pub(crate) struct XBlock {
    pub buf: wgpu::Buffer,
    pub j0: usize,
    pub cols: usize,
}

/// X (as column blocks), y and [1/n] on the device, in one precision.
pub(crate) struct DeviceDesign {
    pub n: usize,
    pub p: usize,
    pub precision: Precision,
    pub blocks: Vec<XBlock>,
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
        let yv = y.to_vec();
        let yy = yv.iter().map(|v| v * v).sum::<f64>() / n as f64;
        Ok(DeviceDesign {
            n,
            p,
            precision,
            blocks,
            y: ctx.upload("y", &yv, precision),
            scal: ctx.upload("scal", &[1.0 / n as f64], precision),
            y_scale: if yy > 0.0 { yy } else { 1.0 },
        })
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
        let (n, p, prec) = (self.n, self.p, self.precision);
        gemm::xtr(
            ctx,
            prec,
            &self.blocks,
            n,
            r,
            k,
            &self.scal,
            out,
            p,
            true,
            live,
        )
    }

    /// Ops for out (n × k) = y − X·B, B p × k (the hi block of an iterate): one pass over X
    /// (`live`: see `gemm::xb`).
    pub fn residuals(
        &self,
        ctx: &GpuContext,
        b: &wgpu::Buffer,
        k: usize,
        out: &wgpu::Buffer,
        live: Option<&wgpu::Buffer>,
    ) -> Vec<Op> {
        let (n, p, prec) = (self.n, self.p, self.precision);
        gemm::xb(
            ctx,
            prec,
            &self.blocks,
            n,
            b,
            p,
            k,
            &self.y,
            out,
            Combine::YMinus,
            live,
        )
    }
}
