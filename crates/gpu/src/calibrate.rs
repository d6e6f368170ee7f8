//! Calibration of the device model ([`crate::model`]) on the adapter at hand: each per-unit cost
//! measured by timing probes host to host, the fixed costs cancelled by differencing two sizes of
//! the same probe (medians of several runs).

use crate::context::{record, GpuContext, Op, Precision};
use crate::kernels::calibrate::{self as probe, ChainArgs, StreamArgs, TouchArgs, STREAM_GROUPS};
use crate::kernels::gemm::{self, Xtr};
use crate::kernels::XBlock;
use crate::model::Profile;
use crate::{GpuCounters, GpuError};
use std::time::Instant;

/// Runs of each timed probe; the median is kept.
const RUNS: usize = 5;

/// Seconds of `ops` recorded into one pass, submitted, and one scalar of `out` read back.
fn time_once(ctx: &GpuContext, ops: &[&Op], out: &wgpu::Buffer) -> Result<f64, GpuError> {
    let start = Instant::now();
    let mut encoder = ctx.encoder();
    let mut counters = GpuCounters::default();
    record(&mut encoder, ops, &mut counters);
    ctx.submit_and_read(encoder, &[(out, 0, 4)], &mut counters)?;
    Ok(start.elapsed().as_secs_f64())
}

/// The median seconds of `runs` runs of `ops` after one warm-up.
fn time(ctx: &GpuContext, ops: &[&Op], out: &wgpu::Buffer, runs: usize) -> Result<f64, GpuError> {
    time_once(ctx, ops, out)?;
    let mut t = (0..runs)
        .map(|_| time_once(ctx, ops, out))
        .collect::<Result<Vec<_>, _>>()?;
    t.sort_by(f64::total_cmp);
    Ok(t[t.len() / 2])
}

/// Per-unit seconds from two timings of `small` and `large` units of the same probe; Err when
/// the larger was not slower (the probe measured noise, not the unit).
fn per_unit(
    what: &str,
    (t_small, small): (f64, usize),
    (t_large, large): (f64, usize),
) -> Result<f64, GpuError> {
    if t_large > t_small {
        Ok((t_large - t_small) / (large - small) as f64)
    } else {
        Err(GpuError::Device(format!(
            "calibrating {what}: {large} units took {t_large:.3e} s, no longer than {small} units ({t_small:.3e} s); the machine is too noisy, run it again"
        )))
    }
}

/// Entries of the chain probe's table: 16 MiB of u32, more than an L1 and less than a GPU's L2.
const CHAIN_ENTRIES: usize = 1 << 22;

/// Per-unit seconds of a probe from its `small` and `large` forms (ops, units), each the median
/// of [`RUNS`] runs; a noisy pair whose larger form was not slower is measured again, up to three
/// times in all.
fn difference(
    ctx: &GpuContext,
    out: &wgpu::Buffer,
    what: &str,
    (small, n_small): (&[&Op], usize),
    (large, n_large): (&[&Op], usize),
) -> Result<f64, GpuError> {
    let mut attempt = 0;
    loop {
        let t_small = time(ctx, small, out, RUNS)?;
        let t_large = time(ctx, large, out, RUNS)?;
        attempt += 1;
        match per_unit(what, (t_small, n_small), (t_large, n_large)) {
            Err(_) if attempt < 3 => continue,
            result => return result,
        }
    }
}

/// Seconds per step of a chain probe (`probe(steps)`: one dispatch of that many dependent steps),
/// from its 2,000- and 30,000-step forms.
fn per_chain_step(
    ctx: &GpuContext,
    out: &wgpu::Buffer,
    what: &str,
    probe: impl Fn(usize) -> Op,
) -> Result<f64, GpuError> {
    let (short, long) = (2_000, 30_000);
    let (short_op, long_op) = (probe(short), probe(long));
    difference(ctx, out, what, (&[&short_op], short), (&[&long_op], long))
}

/// A random single cycle through 0..n (Sattolo's algorithm, fixed seed): each step's index depends
/// on the last and lands far from it, so the chain's reads miss the L1.
fn cycle(n: usize) -> Vec<u32> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut order: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..i);
        order.swap(i, j);
    }
    let mut next = vec![0u32; n];
    for (i, &from) in order.iter().enumerate() {
        next[from as usize] = order[(i + 1) % n];
    }
    next
}

/// Measures t_sync, t_dispatch, t_step, t_update, the streaming bandwidth and the f32 (and,
/// where the adapter has it, f64) GEMM throughput of regpath's own kernel, as a profile named `name`.
pub fn calibrate(ctx: &GpuContext, name: &str) -> Result<Profile, GpuError> {
    let f32 = Precision::F32;
    let out = ctx.zeros("calibrate out", STREAM_GROUPS * 256, f32);
    let mut sources = std::collections::BTreeMap::new();
    let mut cite = |field: &str, how: &str| {
        sources.insert(
            field.to_string(),
            format!("measured by `regpath devices --calibrate`: {how}"),
        );
    };

    let touch = probe::touch(ctx, f32, &TouchArgs { out: &out });
    let t_sync = time(ctx, &[&touch], &out, 4 * RUNS)?;
    cite(
        "t_sync",
        "median host time of one near-empty dispatch, submit and 4-byte readback",
    );

    let many = 1000;
    let touches: Vec<&Op> = std::iter::repeat_n(&touch, many).collect();
    let t_dispatch = difference(ctx, &out, "t_dispatch", (&[&touch], 1), (&touches, many))?;
    cite(
        "t_dispatch",
        "(1000 dependent near-empty dispatches − 1) / 999, one submit each",
    );

    let n = CHAIN_ENTRIES;
    let next = ctx.upload_u32("chain", &cycle(n));
    let chain_args = ChainArgs {
        out: &out,
        next: &next,
    };
    let chain = |steps| probe::chain(ctx, f32, (n, steps), &chain_args);
    let t_step = per_chain_step(ctx, &out, "t_step", chain)?;
    cite(
        "t_step",
        "(30,000 − 2,000 steps of a workgroup barrier + a dependent read at a random place in a 16 MiB table) / 28,000",
    );

    let touch_args = TouchArgs { out: &out };
    let updates = |steps| probe::updates(ctx, f32, steps, &touch_args);
    let t_update = per_chain_step(ctx, &out, "t_update", updates)?;
    cite(
        "t_update",
        "(30,000 − 2,000 dependent soft-threshold coordinate updates, the same in each of a workgroup's 64 threads) / 28,000",
    );

    let scalars = (ctx.max_binding().min(256 << 20) / 4) as usize;
    let src = ctx.zeros("stream", scalars, f32);
    let stream_args = StreamArgs {
        out: &out,
        src: &src,
    };
    let read = probe::stream(ctx, f32, scalars, &stream_args);
    let four = [&read, &read, &read, &read];
    let bandwidth =
        (scalars * 4) as f64 / difference(ctx, &out, "bandwidth", (&[&read], 1), (&four, 4))?;
    cite(
        "bandwidth",
        &format!("(4 − 1 reads of a {} MiB buffer) / 3", (scalars * 4) >> 20),
    );

    let flops_f32 = gemm_rate(ctx, f32)?;
    cite(
        "flops_f32",
        "regpath's XᵀR kernel, 2·1024·2048·64 flops, (3 − 1 dispatches) / 2",
    );
    let flops_f64 = if ctx.supports_f64() {
        cite("flops_f64", "as flops_f32, in f64");
        gemm_rate(ctx, Precision::F64)?
    } else {
        cite("flops_f64", "the adapter has no f64 shaders");
        0.0
    };
    let bounded_loops = ctx.bounded_loops();
    cite(
        "bounded_loops",
        if bounded_loops {
            "a CPU adapter (lavapipe ends a shader invocation's loops after 65,535 trips)"
        } else {
            "a GPU adapter (no bound on loop trips)"
        },
    );
    let s = ctx.summary();
    Ok(Profile {
        name: name.to_string(),
        device: format!("{} ({}, {} {})", s.name, s.backend, s.driver, s.driver_info),
        t_sync,
        t_dispatch,
        t_step,
        t_update,
        bounded_loops,
        bandwidth,
        flops_f32,
        flops_f64,
        sources,
    })
}

/// Flop/s of regpath's XᵀR GEMM kernel on a 1024 × 2048 block and 64 columns of R.
fn gemm_rate(ctx: &GpuContext, precision: Precision) -> Result<f64, GpuError> {
    let (n, cols, k) = (1024, 2048, 64);
    let block = XBlock {
        buf: ctx.zeros("X", n * cols, precision),
        j0: 0,
        cols,
    };
    let r = ctx.zeros("R", n * k, precision);
    let scal = ctx.upload("scal", &[1.0], precision);
    let out = ctx.zeros("XtR", cols * k, precision);
    let args = Xtr {
        r: &r,
        scal: &scal,
        out: &out,
        ldo: cols,
        scaled: false,
        live: None,
    };
    let ops = gemm::xtr(ctx, precision, std::slice::from_ref(&block), (n, k), &args);
    let one: Vec<&Op> = ops.iter().collect();
    let three: Vec<&Op> = ops.iter().cycle().take(3 * ops.len()).collect();
    let t = difference(ctx, &out, "GEMM throughput", (&one, 1), (&three, 3))?;
    Ok((2 * n * cols * k) as f64 / t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_that_is_not_slower_for_more_units_is_an_error() {
        assert!((per_unit("x", (1.0, 1), (3.0, 3)).unwrap() - 1.0).abs() < 1e-15);
        let err = per_unit("t_step", (2.0, 10), (2.0, 20))
            .unwrap_err()
            .to_string();
        assert!(err.contains("t_step") && err.contains("again"), "{err}");
    }

    #[test]
    fn the_chain_is_one_cycle_through_every_entry() {
        let n = 4096;
        let next = cycle(n);
        let (mut j, mut seen) = (0usize, vec![false; n]);
        for _ in 0..n {
            assert!(!seen[j], "entry {j} visited twice");
            seen[j] = true;
            j = next[j] as usize;
        }
        assert_eq!(j, 0);
    }

    gpu_test! {
        /// On any adapter every measured cost is a positive finite number and the profile passes
        /// the model's own check.
        fn calibration_gives_a_valid_profile(ctx) {
            let p = calibrate(ctx, "test").unwrap();
            p.check().unwrap();
            // each per-unit cost is a difference of two timings of the same probe
            assert!(p.t_step > 0.0 && p.t_dispatch > 0.0 && p.bandwidth.is_finite(), "{p:?}");
            assert!(p.t_update > 0.0 && p.t_update < p.t_dispatch, "{p:?}");
            assert!(p.t_sync > p.t_dispatch, "{p:?}");
            assert_eq!(p.flops_f64 > 0.0, ctx.supports_f64());
        }
    }
}
