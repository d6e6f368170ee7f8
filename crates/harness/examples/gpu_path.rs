//! A lasso path with gpu-cd (f32), certified in f64 on the host and compared with cpu-cd:
//! `cargo run --release --example gpu_path`. Exits 3 when wgpu finds no adapter (on a machine
//! without a GPU, Mesa's lavapipe runs the kernels: apt-get install mesa-vulkan-drivers).

use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty, Problem};
use regpath_harness::engine::Engine;
use regpath_harness::error::exit_code;
use regpath_harness::solver::{Precision, SolverKind, SolverPlan};

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gpu_path: {e:#}");
            std::process::ExitCode::from(exit_code(&e))
        }
    }
}

fn run() -> anyhow::Result<()> {
    let data = synth::gene(100, 500, 0.5, 10, 2)?;
    let design = Design::new(&data, DesignOptions::default())?;
    let alphas = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 30, 1e-2)?;
    let problem = Problem::new(Loss::Squared, Penalty::LASSO, alphas)?;
    let mut engine = Engine::default();
    let gpu = SolverPlan::new(
        SolverKind::GpuCd,
        Some(Precision::F32),
        None,
        100_000,
        None,
        None,
    )?;
    let gpu_run = engine.run(&design, &problem, &gpu)?;
    let cpu = SolverPlan::new(SolverKind::CpuCd, None, Some(1e-10), 100_000, None, None)?;
    let cpu_run = engine.run(&design, &problem, &cpu)?;
    let worst_subopt = gpu_run
        .certificates
        .iter()
        .zip(&cpu_run.certificates)
        .map(|(g, c)| (g.primal - c.primal) / c.primal.abs())
        .fold(0.0f64, f64::max);
    println!(
        "gpu-cd f32 on {}: {:.3} s, worst relative gap {:.1e}, worst suboptimality vs cpu-cd {:.1e}; {} submits, {} readbacks",
        gpu_run.adapter.as_ref().map_or("?", |a| a.name.as_str()),
        gpu_run.seconds,
        gpu_run.worst_rel_gap(),
        worst_subopt,
        gpu_run.counters.submits,
        gpu_run.counters.readbacks
    );
    anyhow::ensure!(
        gpu_run.worst_rel_gap() <= 1e-4,
        "gpu-cd path not certified to 1e-4"
    );
    Ok(())
}
