//! A certified lasso path on NPY files: `cargo run --release --example lasso_path -- X.npy y.npy`.
//! Without arguments it writes a small synthetic pair to the temp directory and uses that.

use regpath_core::{alpha_grid, alpha_max, io, synth, Dataset, Design, DesignOptions};
use regpath_core::{Loss, Penalty, Problem};
use regpath_harness::engine::Engine;
use regpath_harness::solver::{SolverKind, SolverPlan};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (x_path, y_path) = match &args[..] {
        [x, y] => (x.clone(), y.clone()),
        _ => {
            let dir = std::env::temp_dir();
            let data = synth::regression(100, 40, 5, 1.0, 0)?;
            let (x, y) = (
                dir.join("regpath-example-X.npy"),
                dir.join("regpath-example-y.npy"),
            );
            io::write_matrix(&x, &data.x)?;
            io::write_matrix(&y, &data.y.clone().insert_axis(ndarray::Axis(1)))?;
            (x, y)
        }
    };
    let data = Dataset::new(io::read_matrix(&x_path)?, io::read_vector(&y_path)?)?;
    let design = Design::new(&data, DesignOptions::default())?;
    let alphas = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 50, 1e-3)?;
    let problem = Problem::new(Loss::Squared, Penalty::LASSO, alphas)?;
    let plan = SolverPlan::new(SolverKind::CpuCd, None, Some(1e-9), 100_000, None, None)?;
    let run = Engine::default().run(&design, &problem, &plan)?;
    for (k, cert) in run.certificates.iter().enumerate().step_by(10) {
        let (coef, intercept) =
            design.original_scale(run.path.coefs.row(k), run.path.intercepts[k]);
        println!(
            "alpha {:.3e}: nnz {:3}, intercept {intercept:+.3}, |coef|_1 {:.3}, relative gap {:.1e}",
            problem.alphas[k],
            cert.nnz,
            coef.iter().map(|v| v.abs()).sum::<f64>(),
            cert.rel_gap
        );
    }
    anyhow::ensure!(run.worst_rel_gap() <= 1e-9, "not certified to 1e-9");
    Ok(())
}
