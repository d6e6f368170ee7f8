//! The per-alpha stopping rule both solvers apply to the device gaps they read back.

/// Why an alpha stops iterating, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// rel gap ≤ tol.
    Converged,
    /// Out of iterations, stalled (the gap did not halve within the window) or non-finite.
    GaveUp,
}

/// Progress of one alpha: the best relative gap so far and when it was reached.
#[derive(Clone, Copy, Default)]
pub(crate) struct Progress {
    best: f64,
    at: usize,
    seen: bool,
}

impl Progress {
    /// Judges relative gap `rel` at time `now` (iterations or outer steps); `window` is how long
    /// the gap may go without halving, `out_of_budget` whether the iteration budget is spent.
    pub fn judge(
        &mut self,
        rel: f64,
        tol: f64,
        now: usize,
        window: usize,
        out_of_budget: bool,
    ) -> Option<Stop> {
        if rel <= tol {
            return Some(Stop::Converged);
        }
        if !rel.is_finite() || out_of_budget {
            return Some(Stop::GaveUp);
        }
        if !self.seen || rel < 0.5 * self.best {
            *self = Progress {
                best: rel,
                at: now,
                seen: true,
            };
            return None;
        }
        (now - self.at >= window).then_some(Stop::GaveUp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converges_at_tol_and_gives_up_on_stalls_budget_and_nan() {
        let mut p = Progress::default();
        assert_eq!(p.judge(1e-3, 1e-6, 0, 5, false), None);
        assert_eq!(p.judge(4e-4, 1e-6, 1, 5, false), None); // halved: new best
        assert_eq!(p.judge(3e-4, 1e-6, 5, 5, false), None);
        assert_eq!(p.judge(3e-4, 1e-6, 6, 5, false), Some(Stop::GaveUp)); // 5 steps without halving
        assert_eq!(
            Progress::default().judge(1e-7, 1e-6, 0, 5, true),
            Some(Stop::Converged)
        );
        assert_eq!(
            Progress::default().judge(1e-3, 1e-6, 0, 5, true),
            Some(Stop::GaveUp)
        );
        assert_eq!(
            Progress::default().judge(f64::NAN, 1e-6, 0, 5, false),
            Some(Stop::GaveUp)
        );
    }
}
