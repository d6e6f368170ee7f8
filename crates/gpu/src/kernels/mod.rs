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
