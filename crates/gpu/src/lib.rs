//! regpath-gpu: batched solvers over many alphas (see the crate docs once written).
