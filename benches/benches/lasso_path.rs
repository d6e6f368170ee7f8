//! Whole lasso paths: `lasso_path/gene_200x20000` — 100 alphas, eps 1e-3, tol 1e-7, the generic
//! CD on one thread (the gene-suite case `lasso/gene/n200/p20000/cpu-cd/f64` of `regpath bench`,
//! minus threads); `lasso_path/dense_gene_200x20000_tol1e-3` — the dense CD that cpu-cd runs
//! (SIMD kernels, f32 passes, look-ahead) at the loose end of the ladder, where one pass over X
//! per alpha was the floor.

use criterion::{Criterion, SamplingMode, Throughput};
use regpath_benches::{gene_lasso, single_thread_pool};
use regpath_core::Dense;
use regpath_core::Penalty;
use regpath_cpu::{cd_path, cd_path_dense, CdParams};
use std::hint::black_box;
use std::time::Duration;

pub fn gene_200x20000(c: &mut Criterion) {
    let (design, alphas) = gene_lasso(200, 20_000, 100, 1e-3);
    let pool = single_thread_pool();
    let params = CdParams {
        tol: 1e-7,
        ..Default::default()
    };
    let mut group = c.benchmark_group("lasso_path");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(alphas.len() as u64));
    group.bench_function("gene_200x20000", |b| {
        b.iter(|| {
            pool.install(|| {
                black_box(cd_path(
                    design.x.dense().unwrap().view(),
                    design.y.view(),
                    &alphas,
                    Penalty::LASSO,
                    &params,
                ))
            })
        })
    });
    group.finish();
}

pub fn dense_gene_200x20000_loose(c: &mut Criterion) {
    let (design, alphas) = gene_lasso(200, 20_000, 100, 1e-3);
    let pool = single_thread_pool();
    let params = CdParams {
        tol: 1e-3,
        ..Default::default()
    };
    let x = design.x.dense().unwrap();
    let dense = Dense::new(x.view());
    let mut group = c.benchmark_group("lasso_path");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.throughput(Throughput::Elements(alphas.len() as u64));
    group.bench_function("dense_gene_200x20000_tol1e-3", |b| {
        b.iter(|| {
            pool.install(|| {
                black_box(cd_path_dense(
                    &dense,
                    design.y.view(),
                    &alphas,
                    Penalty::LASSO,
                    &params,
                ))
            })
        })
    });
    group.finish();
}
