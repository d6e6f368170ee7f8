//! 5-fold cross-validation of an elastic-net path (l1_ratio 0.7) on gene-like data:
//! `cargo run --release --example cross_validation`.

use indicatif::ProgressBar;
use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty, Problem};
use regpath_harness::cv::cross_validate_data;
use regpath_harness::engine::Engine;
use regpath_harness::solver::{SolverKind, SolverPlan};

fn main() -> anyhow::Result<()> {
    let data = synth::gene(120, 300, 0.5, 10, 1)?;
    let options = DesignOptions::default();
    let penalty = Penalty::elastic_net(0.7)?;
    let design = Design::new(&data, options)?;
    let alphas = alpha_grid(alpha_max(&design, Loss::Squared, penalty), 40, 1e-2)?;
    let problem = Problem::new(Loss::Squared, penalty, alphas)?;
    let plan = SolverPlan::new(SolverKind::CpuCd, None, None, 100_000, None, None)?;
    let mut engine = Engine::default();
    let cv = cross_validate_data(
        &data,
        options,
        &problem,
        &plan,
        5,
        &mut engine,
        false,
        &ProgressBar::hidden(),
    )?;
    let r = &cv.result;
    println!(
        "alpha_min {:.4e}, alpha_1se {:.4e}, {} features at alpha_min; worst fold gap {:.1e}",
        r.alpha_min, r.alpha_1se, r.nnz_at_alpha_min, cv.max_fold_gap
    );
    anyhow::ensure!(r.alpha_1se >= r.alpha_min, "alpha_1se below alpha_min");
    Ok(())
}
