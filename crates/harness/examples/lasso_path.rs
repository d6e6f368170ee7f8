//! A certified lasso path on NPY files: `cargo run --release --example lasso_path -- X.npy y.npy`.
//! Without arguments it writes a small synthetic pair to the temp directory and uses that.

use regpath_core::{io, synth};
use regpath_cpu::{lasso_path, PathParams};
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
            io::write_matrix(
                &x,
                data.x.dense().expect("synthetic regression data is dense"),
            )?;
            io::write_matrix(&y, &data.y.clone().insert_axis(ndarray::Axis(1)))?;
            (x, y)
        }
    };
    let (x, y) = (io::read_matrix(&x_path)?, io::read_vector(&y_path)?);
    let params = PathParams {
        n_alphas: 50,
        tol: 1e-9,
        ..PathParams::default()
    };
    let sol = lasso_path(x.view(), y.view(), &params)?;
    for (k, cert) in sol.certificates.iter().enumerate().step_by(10) {
        println!(
            "alpha {:.3e}: nnz {:3}, intercept {:+.3}, |coef|_1 {:.3}, relative gap {:.1e}",
            sol.path.alphas[k],
            cert.nnz,
            sol.path.intercepts[k],
            sol.path.coefs.row(k).iter().map(|v| v.abs()).sum::<f64>(),
            cert.rel_gap
        );
    }
    anyhow::ensure!(sol.worst_rel_gap() <= 1e-9, "not certified to 1e-9");
    Ok(())
}
