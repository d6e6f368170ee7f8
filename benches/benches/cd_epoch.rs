//! One epoch of cyclic coordinate descent with residual ("naive") updates over all p features,
//! written with regpath-core's kernels (dot, axpy, soft_threshold) as regpath-cpu's CD uses them:
//! per feature one dot product with the residual and, when β_j moves, one axpy.
//!
//! Each sample starts from the same state (β = 0 at alpha = alpha_max / 10), so every epoch does
//! the same work; throughput is matrix entries read.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use ndarray::Array1;
use regpath_benches::{gene_lasso, single_thread_pool};
use regpath_core::linalg::{axpy, dot, soft_threshold};
use regpath_core::Design;
use std::hint::black_box;

/// One cyclic pass over every feature for the lasso at `alpha`; returns the number of moves.
fn epoch(cols: &[&[f64]], norms: &[f64], alpha: f64, beta: &mut [f64], r: &mut [f64]) -> usize {
    let n = r.len() as f64;
    let mut moved = 0;
    for (j, col) in cols.iter().enumerate() {
        if norms[j] == 0.0 {
            continue;
        }
        let z = dot(col, r) / n + norms[j] * beta[j];
        let new = soft_threshold(z, alpha) / norms[j];
        let delta = new - beta[j];
        if delta != 0.0 {
            axpy(-delta, col, r);
            beta[j] = new;
            moved += 1;
        }
    }
    moved
}

fn columns(design: &Design) -> Vec<&[f64]> {
    (0..design.n_features())
        .map(|j| {
            design
                .x
                .dense()
                .expect("dense X")
                .column(j)
                .to_slice()
                .expect("the design is column-major")
        })
        .collect()
}

pub fn naive_epoch(c: &mut Criterion) {
    let pool = single_thread_pool();
    let mut group = c.benchmark_group("cd_epoch");
    for (n, p) in [(200, 20_000), (1000, 1000)] {
        let (design, alphas) = gene_lasso(n, p, 2, 0.1);
        let alpha = alphas[1];
        let cols = columns(&design);
        let norms: Vec<f64> = cols.iter().map(|c| dot(c, c) / n as f64).collect();
        let r0: Array1<f64> = design.y.clone();
        group.throughput(Throughput::Elements((n * p) as u64));
        group.bench_function(BenchmarkId::new("naive", format!("{n}x{p}")), |b| {
            b.iter_batched_ref(
                || (vec![0.0; p], r0.to_vec()),
                |(beta, r)| pool.install(|| black_box(epoch(&cols, &norms, alpha, beta, r))),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}
