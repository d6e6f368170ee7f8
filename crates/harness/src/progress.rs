//! Progress of long solves on stderr: a bar counted in solved alphas that GPU solves move after
//! each readback of their gaps (through a [`regpath_gpu::Observer`]). indicatif draws nothing
//! when stderr is not a terminal, so piped and redirected output stays clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use regpath_gpu::{Observer, SolveProgress};
use std::time::Duration;

/// A bar of `total` alpha solves on stderr, or with None a spinner for a solve that reports
/// nothing as it goes (CPU paths); both show the elapsed time and tick on their own.
pub fn alpha_bar(total: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = match total {
        Some(_) => "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} alphas {msg}",
        None => "{spinner} [{elapsed_precise}] {msg}",
    };
    bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// An observer that sets `bar` to `before` + the alphas a GPU solve has finished, and shows the
/// largest relative gap still running next to `label`.
pub fn observer(bar: &ProgressBar, before: u64, label: String) -> Observer {
    let bar = bar.clone();
    Observer::new(move |p: SolveProgress| {
        bar.set_position(before + p.done as u64);
        bar.set_message(running(&label, p));
    })
}

/// The bar's message during a GPU solve: `label`, then the largest running gap.
fn running(label: &str, p: SolveProgress) -> String {
    if p.done < p.total && p.worst_gap > 0.0 {
        format!("{label}; largest running gap {:.1e}", p.worst_gap)
    } else {
        label.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_observer_moves_the_bar_by_finished_alphas_after_an_offset() {
        let bar = ProgressBar::hidden();
        bar.set_length(300);
        let o = observer(&bar, 100, "folds".into());
        o.report(SolveProgress {
            done: 37,
            total: 200,
            worst_gap: 2.5e-3,
        });
        assert_eq!(bar.position(), 137);
        assert_eq!(bar.message(), "folds; largest running gap 2.5e-3");
        o.report(SolveProgress {
            done: 200,
            total: 200,
            worst_gap: 0.0,
        });
        assert_eq!((bar.position(), bar.message()), (300, "folds".to_string()));
    }
}
