//! Kernel families, one module per `shaders/<family>.wgsl`: each declares its entry points with
//! their bind-group layouts and builds [`Op`](crate::context::Op)s with the right dimensions.

pub(crate) mod cd;
pub(crate) mod folds;
pub(crate) mod gemm;
pub(crate) mod logistic;
pub(crate) mod prox;
pub(crate) mod reduce;

use crate::context::Bind;

pub(crate) const U: Bind = Bind::Uniform;
pub(crate) const R: Bind = Bind::Read;
pub(crate) const W: Bind = Bind::Write;

/// Columns [j0, j0 + cols) of X, column-major n × cols, in one buffer: what the X-reading
/// kernels take (the design splits X into these so each fits one storage binding).
pub(crate) struct XBlock {
    pub buf: wgpu::Buffer,
    pub j0: usize,
    pub cols: usize,
}
