//! What a device solve reports as it goes, for a caller's progress display: the solvers call an
//! [`Observer`] after each readback of their gaps and never print.

use std::fmt;
use std::sync::Arc;

/// The state of a solve at one readback of its gaps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolveProgress {
    /// Alphas (of every fold, in a cross-validation) that have stopped: converged or given up.
    pub done: usize,
    /// Alphas (of every fold) in the solve.
    pub total: usize,
    /// The largest device relative gap among the alphas still running after this readback
    /// (relative to the gap scale of `GpuParams::tol`); 0 when none runs.
    pub worst_gap: f64,
}

/// A callback that receives a solve's [`SolveProgress`] after each readback of its gaps (FISTA:
/// every `check_every` iterations; CD: every outer step). It runs on the solving thread between
/// device submits, so it should be quick (e.g. move a progress bar).
#[derive(Clone)]
pub struct Observer(Arc<dyn Fn(SolveProgress) + Send + Sync>);

impl Observer {
    /// Wraps `f`.
    pub fn new(f: impl Fn(SolveProgress) + Send + Sync + 'static) -> Observer {
        Observer(Arc::new(f))
    }

    /// Calls the callback.
    pub fn report(&self, progress: SolveProgress) {
        (self.0)(progress)
    }

    /// An observer that reports to this one with `before` alphas already done out of `total`
    /// (a batch that is one part of a larger solve).
    pub(crate) fn offset(&self, before: usize, total: usize) -> Observer {
        let inner = self.clone();
        Observer::new(move |p| {
            inner.report(SolveProgress {
                done: before + p.done,
                total,
                ..p
            })
        })
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

/// The worst relative gap among the running alphas (`live[c]` ≠ 0) of `rel`; 0 when none runs.
pub(crate) fn worst_live(rel: &[f64], live: &[u32]) -> f64 {
    rel.iter()
        .zip(live)
        .filter(|(_, &l)| l != 0)
        .fold(0.0, |m, (&g, _)| if g.is_nan() { m } else { m.max(g) })
}
