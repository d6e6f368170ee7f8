//! The pieces of dense pathwise CD that decide its time at gene scale, one thread:
//!
//! - `pass/*`: one pass over X computing every x_jᵀr (memory-bound): f64 columns with the
//!   baseline kernels, f64 with the best kernels of this CPU, and an f32 copy (half the bytes);
//!   throughput is matrix entries read.
//! - `path/*`: the first 20 alphas of the 100-alpha lasso path (eps 1e-3) at tol 1e-7, by the
//!   generic CD (`cd_path`) and the dense one (`cd_path_dense`: SIMD kernels, f32 and carried
//!   bounds in its passes).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use regpath_core::{alpha_grid, alpha_max, synth, Dense, Design, DesignOptions, Loss, Penalty};
use regpath_cpu::kernels::{with_best, Baseline, KernelLoop, Kernels};
use regpath_cpu::{cd_path, cd_path_dense, CdParams};
use std::hint::black_box;

/// Gene-like data (AR(1) ρ 0.5), standardized, with an intercept.
fn gene(n: usize, p: usize) -> Design {
    let data = synth::gene(n, p, 0.5, 20, 0).expect("valid sizes");
    let options = DesignOptions {
        standardize: true,
        ..Default::default()
    };
    Design::new(&data, options).expect("valid data")
}

/// c_j = x_jᵀr for every column, f64 or f32 columns.
struct Pass<'a> {
    cols: &'a [&'a [f64]],
    low: &'a [Vec<f32>],
    r: &'a [f64],
    c: &'a mut [f64],
}

impl KernelLoop for Pass<'_> {
    type Output = ();
    #[inline(always)]
    fn run<K: Kernels>(self, k: K) {
        if self.low.is_empty() {
            for (cj, col) in self.c.iter_mut().zip(self.cols) {
                *cj = k.dot(col, self.r);
            }
        } else {
            for (cj, col) in self.c.iter_mut().zip(self.low) {
                *cj = k.dot_f32(col, self.r);
            }
        }
    }
}

fn pass(c: &mut Criterion) {
    let mut group = c.benchmark_group("pass");
    for (n, p) in [(200, 20_000), (1000, 20_000)] {
        let design = gene(n, p);
        let x = design.x.dense().expect("dense");
        let dense = Dense::new(x.view());
        let cols: Vec<&[f64]> = (0..p).map(|j| dense.col(j)).collect();
        let low: Vec<Vec<f32>> = cols
            .iter()
            .map(|c| c.iter().map(|&v| v as f32).collect())
            .collect();
        let r = design.y.to_vec();
        let mut out = vec![0.0; p];
        group.throughput(Throughput::Elements((n * p) as u64));
        let size = format!("{n}x{p}");
        group.bench_function(BenchmarkId::new("f64-baseline", &size), |b| {
            b.iter(|| {
                Pass {
                    cols: &cols,
                    low: &[],
                    r: &r,
                    c: &mut out,
                }
                .run(Baseline);
                black_box(&out);
            })
        });
        group.bench_function(BenchmarkId::new("f64-best", &size), |b| {
            b.iter(|| {
                with_best(Pass {
                    cols: &cols,
                    low: &[],
                    r: &r,
                    c: &mut out,
                });
                black_box(&out);
            })
        });
        group.bench_function(BenchmarkId::new("f32-best", &size), |b| {
            b.iter(|| {
                with_best(Pass {
                    cols: &cols,
                    low: &low,
                    r: &r,
                    c: &mut out,
                });
                black_box(&out);
            })
        });
    }
    group.finish();
}

fn path(c: &mut Criterion) {
    let mut group = c.benchmark_group("path");
    group.sample_size(10);
    let (n, p) = (200, 20_000);
    let design = gene(n, p);
    let x = design.x.dense().expect("dense");
    let dense = Dense::new(x.view());
    let alphas = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 100, 1e-3)
        .expect("valid grid");
    let alphas = &alphas[..20];
    let params = CdParams {
        tol: 1e-7,
        ..Default::default()
    };
    let y = design.y.view();
    let size = format!("{n}x{p}");
    group.bench_function(BenchmarkId::new("cd_path", &size), |b| {
        b.iter(|| black_box(cd_path(&dense, y, alphas, Penalty::LASSO, &params)))
    });
    group.bench_function(BenchmarkId::new("cd_path_dense", &size), |b| {
        b.iter(|| black_box(cd_path_dense(&dense, y, alphas, Penalty::LASSO, &params)))
    });
    group.finish();
}

criterion_group!(benches, pass, path);
criterion_main!(benches);
