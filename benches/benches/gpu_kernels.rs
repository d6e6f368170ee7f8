//! The hot GPU kernels of batched FISTA, one submit each (regpath-gpu's `bench::KernelBench`), on
//! the gene design with K lasso alphas in f32:
//! - `gpu_gemm/xtr/{n}x{p}x{K}`: C = XᵀR/n; `gpu_gemm/xb/{n}x{p}x{K}`: R = y − X·B (throughput:
//!   2·n·p·K flops);
//! - `gpu_prox/{p}x{K}`: the element-wise prox step (throughput: p·K entries);
//! - `gpu_fista/iteration/{n}x{p}x{K}`: one batched iteration, two GEMMs plus the element-wise
//!   kernels (throughput: the GEMMs' 4·n·p·K flops).
//!
//! Every sample records, submits and waits for the device; buffers, pipelines and uploads are
//! built before timing. Without an adapter the group prints one line and is skipped.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use regpath_benches::gene_lasso;
use regpath_core::Penalty;
use regpath_gpu::bench::KernelBench;
use regpath_gpu::{GpuContext, Precision};

/// (n_samples, n_features, n_alphas) of every group: kept modest, they also run on lavapipe.
const SIZES: [(usize, usize, usize); 2] = [(200, 2000, 16), (1000, 1000, 32)];

/// One design size with its prepared kernels.
struct Case<'a> {
    n: usize,
    p: usize,
    k: usize,
    kb: KernelBench<'a>,
}

impl Case<'_> {
    fn id(&self) -> String {
        format!("{}x{}x{}", self.n, self.p, self.k)
    }

    /// Flops of one GEMM over all of X.
    fn gemm_flops(&self) -> u64 {
        (2 * self.n * self.p * self.k) as u64
    }
}

pub fn kernels(c: &mut Criterion) {
    let ctx = match GpuContext::new(None) {
        Ok(ctx) => ctx,
        Err(e) => {
            println!("gpu_kernels: skipped: {e}");
            return;
        }
    };
    let adapter = ctx.summary();
    println!("gpu_kernels: on {} ({})", adapter.name, adapter.backend);
    let case = |(n, p, k)| {
        let (design, alphas) = gene_lasso(n, p, k, 1e-2);
        let kb = KernelBench::new(
            &ctx,
            design.x.dense().unwrap().view(),
            design.y.view(),
            &alphas,
            Penalty::LASSO,
            Precision::F32,
        )
        .expect("the design fits the adapter");
        Case { n, p, k, kb }
    };
    let mut cases: Vec<Case> = SIZES.into_iter().map(case).collect();

    let mut group = c.benchmark_group("gpu_gemm");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    for case in &cases {
        group.throughput(Throughput::Elements(case.gemm_flops()));
        group.bench_function(BenchmarkId::new("xtr", case.id()), |b| {
            b.iter(|| case.kb.xtr().expect("xtr"))
        });
        group.bench_function(BenchmarkId::new("xb", case.id()), |b| {
            b.iter(|| case.kb.xb().expect("xb"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("gpu_prox");
    for case in &cases {
        group.throughput(Throughput::Elements((case.p * case.k) as u64));
        group.bench_function(format!("{}x{}", case.p, case.k), |b| {
            b.iter(|| case.kb.prox().expect("prox"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("gpu_fista");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    for case in &mut cases {
        group.throughput(Throughput::Elements(2 * case.gemm_flops()));
        let id = BenchmarkId::new("iteration", case.id());
        group.bench_function(id, |b| {
            b.iter(|| case.kb.fista_iteration().expect("fista iteration"))
        });
    }
    group.finish();
}
