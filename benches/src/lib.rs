//! Shared set-up for the criterion benches in `benches/` (run with `cargo bench -p regpath-benches`).
//!
//! Bench ids reuse the results-file names (`lasso_path/gene_200x20000`) so criterion's numbers
//! line up with `regpath bench`.

use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty};

/// The prepared gene-expression design (AR(1) columns, rho 0.5, 20 informative, seed 0) and the
/// lasso grid of `n_alphas` alphas from alpha_max down to `eps`·alpha_max.
pub fn gene_lasso(n: usize, p: usize, n_alphas: usize, eps: f64) -> (Design, Vec<f64>) {
    let data = synth::gene(n, p, 0.5, 20.min(p), 0).expect("valid sizes");
    let design = Design::new(
        &data,
        DesignOptions {
            fit_intercept: true,
            standardize: false,
            loss: Loss::Squared,
        },
    )
    .expect("finite data");
    let alphas = alpha_grid(
        alpha_max(&design, Loss::Squared, Penalty::LASSO),
        n_alphas,
        eps,
    )
    .expect("valid grid");
    (design, alphas)
}

/// A rayon pool of one thread: CPU solves inside `install` run single-threaded.
pub fn single_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
}
