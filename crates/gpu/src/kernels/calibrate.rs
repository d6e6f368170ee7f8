//! The device model's probes (shaders/calibrate.wgsl): a near-empty dispatch, a chain of
//! dependent barrier-separated steps, a chain of dependent coordinate updates, and a streaming
//! read.

use crate::context::{GpuContext, Op, Precision};

family! {
    pub(crate) static CALIBRATE = "calibrate", common [], header [];
    /// out (one scalar).
    struct TouchArgs { out: 1 W } => TOUCH = "touch", UPDATES = "updates";
    /// out (64 scalars) and the permutation to follow.
    struct ChainArgs { out: 1 W, next: 2 R } => CHAIN = "chain";
    /// out (one scalar per thread) and the buffer to read.
    struct StreamArgs { out: 1 W, src: 3 R } => STREAM = "stream";
}

/// Workgroups of the streaming probe (× 256 threads).
pub(crate) const STREAM_GROUPS: usize = 1024;

pub(crate) fn touch(ctx: &GpuContext, precision: Precision, a: &TouchArgs) -> Op {
    ctx.op(&TOUCH, precision, &[], &[0; 4], &a.buffers(), [1, 1, 1])
}

/// `steps` dependent steps over a permutation of `n` entries.
pub(crate) fn chain(
    ctx: &GpuContext,
    precision: Precision,
    (n, steps): (usize, usize),
    a: &ChainArgs,
) -> Op {
    let dims = [n as u32, steps as u32, 0, 0];
    ctx.op(&CHAIN, precision, &[], &dims, &a.buffers(), [1, 1, 1])
}

/// `steps` dependent coordinate updates in each thread of one workgroup.
pub(crate) fn updates(ctx: &GpuContext, precision: Precision, steps: usize, a: &TouchArgs) -> Op {
    ctx.op(
        &UPDATES,
        precision,
        &[],
        &[0, steps as u32, 0, 0],
        &a.buffers(),
        [1, 1, 1],
    )
}

/// One read of the `n` scalars of `a.src`.
pub(crate) fn stream(ctx: &GpuContext, precision: Precision, n: usize, a: &StreamArgs) -> Op {
    let groups = [STREAM_GROUPS as u32, 1, 1];
    ctx.op(
        &STREAM,
        precision,
        &[],
        &[n as u32, 0, 0, 0],
        &a.buffers(),
        groups,
    )
}
