//! Benchmark support, for `regpath-benches` only (not a stable API): the hot kernels of batched
//! FISTA on one prepared design, each call recorded, submitted once and waited for, so that a
//! timing of one call is the device's real time for that work.
//!
//! [`KernelBench`] builds everything up front (X, y, the state of K alphas, compiled pipelines,
//! bind groups, the FISTA step from the power iteration); its calls only record and submit the
//! ops that the solver's kernel functions built.

use crate::context::{record, GpuContext, Op, Precision};
use crate::design::DeviceDesign;
use crate::error::GpuError;
use crate::kernels::gemm::Combine;
use crate::{check_batch, fista, validate, Tuning};
use ndarray::{ArrayView1, ArrayView2};
use regpath_core::Penalty;

/// The hot kernels of batched FISTA over K alphas on one design, ready to dispatch: each method
/// records its ops into one compute pass, submits once and waits for the device.
///
/// Buffers live as long as the bind groups of the recorded ops that use them.
pub struct KernelBench<'a> {
    ctx: &'a GpuContext,
    /// C = XᵀR/n, R n × K (the residuals at the extrapolated point): one pass over X.
    xtr: Vec<Op>,
    /// R = y − X·B, B p × K (the hi block of an iterate): one pass over X.
    xb: Vec<Op>,
    /// β⁺ = prox(Z + t(C − λ2Z)) on p × K double-word blocks.
    prox: Op,
    /// One FISTA iteration from parity q into 1 − q (what fista.rs records per iteration).
    iteration: [Vec<Op>; 2],
    parity: usize,
}

impl<'a> KernelBench<'a> {
    /// Uploads X (n × p) and y, sets up the state of K = `alphas.len()` alphas at β = 0 and runs
    /// the FISTA start once (R = y, the step from the power iteration), so that later calls see
    /// the solver's data.
    pub fn new(
        ctx: &'a GpuContext,
        x: ArrayView2<f64>,
        y: ArrayView1<f64>,
        alphas: &[f64],
        penalty: Penalty,
        precision: Precision,
    ) -> Result<Self, GpuError> {
        let (n, p) = x.dim();
        let k = alphas.len();
        validate(n, p, y.len(), alphas, penalty)?;
        ctx.check_precision(precision)?;
        check_batch(ctx, n, p, k, 2, precision)?;
        let dd = DeviceDesign::new(ctx, x, y, precision, None)?;
        // the solver's own state, start (R = y, the step) and iteration ops
        let batch = fista::Batch::plain(&dd, alphas, penalty);
        let s = fista::State::new(ctx, &dd, &batch.lambdas(), 1);
        let (start, _) = fista::start(ctx, &dd, &batch, &s, Tuning::default().power_iters);
        let iteration = [0, 1].map(|q| fista::iteration(ctx, &dd, &batch, &s, q));
        let bench = KernelBench {
            ctx,
            xtr: dd.correlations(ctx, &s.rz, k, &s.c, None),
            xb: dd.scores(ctx, (&s.beta[0], k), Combine::YMinus, &s.resid[1], None),
            prox: fista::prox_step(ctx, &dd, k, &s, 0, k),
            iteration,
            parity: 0,
        };
        bench.run(&start.iter().collect::<Vec<_>>())?;
        Ok(bench)
    }

    /// C = XᵀR/n over the K columns of R (2·n·p·K flops).
    pub fn xtr(&self) -> Result<(), GpuError> {
        self.run(&self.xtr.iter().collect::<Vec<_>>())
    }

    /// R = y − X·B over the K columns of B (2·n·p·K flops), as the solver computes residuals.
    pub fn xb(&self) -> Result<(), GpuError> {
        self.run(&self.xb.iter().collect::<Vec<_>>())
    }

    /// The element-wise prox step on p × K double-word iterates.
    pub fn prox(&self) -> Result<(), GpuError> {
        self.run(&[&self.prox])
    }

    /// One batched FISTA iteration (two passes over X plus the element-wise kernels), from the
    /// iterate the previous call left.
    pub fn fista_iteration(&mut self) -> Result<(), GpuError> {
        self.run(&self.iteration[self.parity].iter().collect::<Vec<_>>())?;
        self.parity = 1 - self.parity;
        Ok(())
    }

    /// Records `ops` into one pass, submits and blocks until the device has finished them.
    fn run(&self, ops: &[&Op]) -> Result<(), GpuError> {
        let mut encoder = self.ctx.encoder();
        record(&mut encoder, ops, &mut crate::GpuCounters::default());
        let index = self.ctx.queue.submit([encoder.finish()]);
        self.ctx
            .device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: None,
            })
            .map(drop)
            .map_err(|e| GpuError::Device(format!("waiting for the device: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2, ShapeBuilder};

    gpu_test! {
        /// Every call records, submits and completes on ragged sizes.
        fn kernel_bench_calls_run(ctx) {
            let (n, p) = (37, 23);
            let x = Array2::from_shape_fn((n, p).f(), |(i, j)| {
                (((i * 31 + j * 17) % 23) as f64 - 11.0) / 7.0
            });
            let y = Array1::from_shape_fn(n, |i| i as f64 * 0.25 - 4.5);
            let mut kb = KernelBench::new(
                ctx,
                x.view(),
                y.view(),
                &[0.5, 0.1, 0.01],
                Penalty::LASSO,
                Precision::F32,
            )
            .unwrap();
            kb.xtr().unwrap();
            kb.xb().unwrap();
            kb.prox().unwrap();
            for _ in 0..3 {
                kb.fista_iteration().unwrap();
            }
        }
    }
}
