//! gpu-fista: batched FISTA over all K alphas at once (Beck & Teboulle 2009) with gradient restart
//! (O'Donoghue & Candès 2015); step 1/(L + λ2) with L from a power-iteration estimate of ‖X‖²/n
//! (λ2 in the smooth part, the prox is a soft-threshold). Iterates are double-word (hi + lo) so
//! that f32 steps far below the rounding of β are not lost.
//!
//! Per iteration (all alphas, no host round trip): C = XᵀR_z/n, β⁺ = prox(Z + t(C − λ2Z)),
//! R⁺ = y − Xβ⁺, restart test, Z = β⁺ + m(β⁺ − β), R_z = R⁺ + m(R⁺ − R) — two passes over X.
//! Every `check_every` iterations one more pass gives C at β and the K gaps are read back.

use crate::context::{record, GpuContext, Op};
use crate::design::DeviceDesign;
use crate::error::GpuError;
use crate::kernels::gemm::{self, Combine, Xb, Xtr};
use crate::kernels::prox::{self, BcastArgs, ProxArgs};
use crate::kernels::reduce::{self, GapArgs, NormalizeArgs, RestartArgs};
use crate::stopping::{Progress, Stop};
use crate::{GpuCounters, GpuParams, Tuning};
use regpath_core::{Path, Penalty};

/// Device state of a batched FISTA solve over k alphas; iterates are double-word blocks
/// (hi: p × k, what the GEMMs read; then lo).
pub(crate) struct State {
    pub(crate) beta: [wgpu::Buffer; 2],
    pub(crate) resid: [wgpu::Buffer; 2],
    pub(crate) z: wgpu::Buffer,
    pub(crate) rz: wgpu::Buffer,
    pub(crate) c: wgpu::Buffer,
    pub(crate) lam: wgpu::Buffer,
    pub(crate) mom: wgpu::Buffer,
    pub(crate) step: wgpu::Buffer,
    pub(crate) gaps: wgpu::Buffer,
    pub(crate) live: wgpu::Buffer,
}

impl State {
    /// β = 0 for k = lam.len()/2 alphas, `lam` = [λ1, λ2] per alpha, every alpha live.
    pub(crate) fn new(ctx: &GpuContext, dd: &DeviceDesign, lam: &[f64]) -> State {
        let (n, p, k, prec) = (dd.n, dd.p, lam.len() / 2, dd.precision);
        State {
            beta: [0, 1].map(|_| ctx.zeros("beta", 2 * p * k, prec)),
            resid: [0, 1].map(|_| ctx.zeros("r", n * k, prec)),
            z: ctx.zeros("z", 2 * p * k, prec),
            rz: ctx.zeros("r at z", n * k, prec),
            c: ctx.zeros("c", p * k, prec),
            lam: ctx.upload("lambdas", lam, prec),
            mom: ctx.upload("momentum", &[1.0, 0.0].repeat(k), prec),
            step: ctx.zeros("step", 1, prec),
            gaps: ctx.zeros("gaps and ‖r‖²", 2 * k, prec),
            live: ctx.upload_u32("live", &vec![1; k]),
        }
    }
}

/// Solves all `alphas` together; returns the path (coefficients on the design's scale).
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    alphas: &[f64],
    penalty: Penalty,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    let (p, k, prec) = (dd.p, alphas.len(), dd.precision);
    let lam: Vec<f64> = alphas
        .iter()
        .flat_map(|&a| [penalty.l1(a), penalty.l2(a)])
        .collect();
    let mut live = vec![1u32; k];
    let s = State::new(ctx, dd, &lam);
    let (start, start_passes) = start(ctx, dd, k, &s, tuning.power_iters);
    let iterations = [iteration(ctx, dd, k, &s, 0), iteration(ctx, dd, k, &s, 1)];
    let checks = [check(ctx, dd, k, &s, 0), check(ctx, dd, k, &s, 1)];

    let mut path = Path::zeros(alphas.to_vec(), p);
    let q = drive(
        ctx,
        params,
        tuning,
        counters,
        Batches {
            start: &start,
            start_passes,
            iterations: &iterations,
            checks: &checks,
        },
        (&s.gaps, &s.live, &mut live),
        &vec![dd.y_scale; k],
        &mut path,
    )?;
    let bytes = (2 * p * k * prec.size()) as u64;
    let words =
        prec.values(&ctx.submit_and_read(ctx.encoder(), &[(&s.beta[q], 0, bytes)], counters)?[0]);
    let coefs = words[..p * k]
        .iter()
        .zip(&words[p * k..])
        .map(|(h, l)| h + l)
        .collect();
    path.coefs = ndarray::Array2::from_shape_vec((k, p), coefs).expect("K × p");
    Ok(path)
}

/// β = 0, R = R_z = y, then the power iteration on XᵀX/n that sets the step; returns the ops
/// and their passes over X.
pub(crate) fn start(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    s: &State,
    iters: usize,
) -> (Vec<Op>, u64) {
    let (n, prec) = (dd.n, dd.precision);
    let y_to = |out| prox::bcast(ctx, prec, (n, k, 0), &BcastArgs { src: &dd.y, out });
    let mut ops = vec![y_to(&s.resid[0]), y_to(&s.rz)];
    ops.extend(power_iteration(ctx, dd, iters, &dd.scal, &s.step));
    (ops, 2 * iters as u64)
}

/// `iters` power-iteration steps on s·XᵀX, s = scal[0], from a fixed start; they leave
/// step[0] = 1/(1.1·‖s·XᵀX‖) (estimated). Two passes over X per step.
pub(crate) fn power_iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    iters: usize,
    scal: &wgpu::Buffer,
    step: &wgpu::Buffer,
) -> Vec<Op> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let u = ctx.upload("power u", &power_start(p), prec);
    let (xu, xtxu) = (
        ctx.zeros("power Xu", n, prec),
        ctx.zeros("power s·XᵀXu", p, prec),
    );
    let mut ops = Vec::new();
    for _ in 0..iters {
        let xb = Xb {
            b: &u,
            ldb: p,
            y: &dd.y,
            out: &xu,
            into: Combine::Set,
            live: None,
        };
        ops.extend(gemm::xb(ctx, prec, &dd.blocks, (n, 1), &xb));
        let xtr = Xtr {
            r: &xu,
            scal,
            out: &xtxu,
            ldo: p,
            scaled: true,
            live: None,
        };
        ops.extend(gemm::xtr(ctx, prec, &dd.blocks, (n, 1), &xtr));
        let norm = NormalizeArgs {
            v: &xtxu,
            u: &u,
            step,
        };
        ops.push(reduce::normalize(ctx, prec, (p, 1), &norm));
    }
    ops
}

/// The power iteration's fixed unit start vector (p entries, no zeros, not an eigenvector of
/// structured designs).
pub(crate) fn power_start(p: usize) -> Vec<f64> {
    let u: Vec<f64> = (0..p).map(|j| 1.0 + (j % 7) as f64 / 7.0).collect();
    let norm = u.iter().map(|v| v * v).sum::<f64>().sqrt();
    u.iter().map(|v| v / norm).collect()
}

/// The prox step of parity q: β[1 − q] = prox(Z + t(C − λ2Z)) from C at Z, `group` alphas
/// per step entry.
pub(crate) fn prox_step(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    s: &State,
    q: usize,
    group: usize,
) -> Op {
    let (cur, next) = (q, 1 - q);
    let args = ProxArgs {
        z: &s.z,
        c: &s.c,
        beta: &s.beta[cur],
        lam: &s.lam,
        step: &s.step,
        active: &s.live,
        out: &s.beta[next],
    };
    prox::prox(ctx, dd.precision, (dd.p, k, group), &args)
}

/// One iteration from parity q (iterate in beta[q], resid[q]) into parity 1 − q.
pub(crate) fn iteration(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let next = 1 - q;
    let (beta, resid) = (&s.beta, &s.resid);
    let mut ops = dd.correlations(ctx, &s.rz, k, &s.c, Some(&s.live));
    ops.push(prox_step(ctx, dd, k, s, q, k));
    ops.extend(dd.residuals(ctx, &beta[next], k, &resid[next], Some(&s.live)));
    ops.extend(momentum(ctx, dd, k, s, q));
    ops
}

/// The end of an iteration from parity q, once β and R of parity 1 − q are formed: the restart
/// test and momentum, then the extrapolated Z and R_z.
pub(crate) fn momentum(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    k: usize,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (cur, next) = (q, 1 - q);
    let (beta, resid) = (&s.beta, &s.resid);
    let restart = RestartArgs {
        z: &s.z,
        new: &beta[next],
        old: &beta[cur],
        active: &s.live,
        mom: &s.mom,
        shift: None,
    };
    let mut ops = vec![reduce::restart(ctx, prec, (p, k), &restart)];
    let blocks = [(p, true, beta, &s.z), (n, false, resid, &s.rz)];
    ops.extend(prox::extrapolate(ctx, prec, (k, next), &s.mom, &blocks));
    ops
}

/// C at the iterate of parity q and its K duality gaps (one more pass over X).
fn check(ctx: &GpuContext, dd: &DeviceDesign, k: usize, s: &State, q: usize) -> Vec<Op> {
    let mut ops = dd.correlations(ctx, &s.resid[q], k, &s.c, Some(&s.live));
    let inputs = GapArgs {
        r: &s.resid[q],
        y: &dd.y,
        c: &s.c,
        beta: &s.beta[q],
        lam: &s.lam,
        scal: &dd.scal,
        gap_out: &s.gaps,
    };
    ops.push(reduce::gap(ctx, dd.precision, (dd.n, dd.p, k, 0), &inputs));
    ops
}

/// The recorded work of a batched FISTA solve: the start, one iteration per parity and the
/// gap check per parity.
pub(crate) struct Batches<'a> {
    pub start: &'a [Op],
    pub start_passes: u64,
    pub iterations: &'a [Vec<Op>; 2],
    pub checks: &'a [Vec<Op>; 2],
}

/// The batched-FISTA driver shared by squared and logistic loss: per submit, `check_every`
/// iterations of all live alphas then one gap check; K gaps (alpha a's relative to
/// `gap_scale[a]`) come back and converged or stalled alphas retire. Returns the parity that holds the final iterate.
#[allow(clippy::too_many_arguments)]
pub(crate) fn drive(
    ctx: &GpuContext,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
    work: Batches<'_>,
    (gaps, live_buf, live): (&wgpu::Buffer, &wgpu::Buffer, &mut [u32]),
    gap_scale: &[f64],
    path: &mut Path,
) -> Result<usize, GpuError> {
    let k = live.len();
    let prec = params.precision;
    let mut progress = vec![Progress::default(); k];
    let (mut q, mut done) = (0usize, 0usize);
    while live.contains(&1) {
        let steps = params
            .check_every
            .max(1)
            .min(params.max_iter.saturating_sub(done))
            .max(1);
        let mut ops: Vec<&Op> = Vec::new();
        if done == 0 {
            ops.extend(work.start);
            counters.x_passes += work.start_passes;
        }
        for _ in 0..steps {
            ops.extend(&work.iterations[q]);
            q = 1 - q;
        }
        ops.extend(&work.checks[q]);
        let mut encoder = ctx.encoder();
        record(&mut encoder, &ops);
        let read =
            ctx.submit_and_read(encoder, &[(gaps, 0, (k * prec.size()) as u64)], counters)?;
        done += steps;
        counters.epochs += steps as u64;
        counters.x_passes += 2 * steps as u64 + 1;
        for (a, gap) in prec.values(&read[0]).into_iter().enumerate() {
            if live[a] == 0 {
                continue;
            }
            path.iterations[a] = done;
            let rel = gap / gap_scale[a];
            let budget = done >= params.max_iter;
            if let Some(stop) = progress[a].judge(rel, params.tol, done, tuning.stall_iters, budget)
            {
                path.converged[a] = stop == Stop::Converged;
                live[a] = 0;
            }
        }
        ctx.queue
            .write_buffer(live_buf, 0, bytemuck::cast_slice(live));
    }
    Ok(q)
}
