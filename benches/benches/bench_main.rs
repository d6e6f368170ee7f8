//! Criterion benches, one module per topic: `cargo bench -p regpath-benches`.

use criterion::{criterion_group, criterion_main};

mod cd_epoch;
mod gpu_kernels;
mod lasso_path;

criterion_group!(
    benches,
    lasso_path::gene_200x20000,
    lasso_path::dense_gene_200x20000_loose,
    cd_epoch::naive_epoch,
    gpu_kernels::kernels
);
criterion_main!(benches);
