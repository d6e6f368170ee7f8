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
use crate::kernels::gemm::Combine;
use crate::kernels::prox::{self, BcastArgs, ProxArgs};
use crate::kernels::reduce::{self, GapArgs, RestartArgs};
use crate::progress::{worst_live, SolveProgress};
use crate::rows::{gap_scales, split, FoldProblem, FoldRows, Rows};
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
    /// β = 0 for k = lam.len()/2 alphas, `lam` = [λ1, λ2] per alpha, every alpha live; one
    /// step per fold.
    pub(crate) fn new(ctx: &GpuContext, dd: &DeviceDesign, lam: &[f64], folds: usize) -> State {
        let (n, p, k, prec) = (dd.n, dd.p, lam.len() / 2, dd.precision);
        State {
            beta: [0, 1].map(|_| ctx.zeros("beta", 2 * p * k, prec)),
            resid: [0, 1].map(|_| ctx.zeros("r", n * k, prec)),
            z: ctx.zeros("z", 2 * p * k, prec),
            rz: ctx.zeros("r at z", n * k, prec),
            c: ctx.zeros("c", p * k, prec),
            lam: ctx.upload("lambdas", lam, prec),
            mom: ctx.upload("momentum", &[1.0, 0.0].repeat(k), prec),
            step: ctx.zeros("step per fold", folds, prec),
            gaps: ctx.zeros("gaps and ‖r‖²", 2 * k, prec),
            live: ctx.upload_u32("live", &vec![1; k]),
        }
    }
}

/// A batch of squared-loss FISTA: F folds × A alphas, K = F·A columns, each fold on its rows.
pub(crate) struct Batch<'a> {
    pub rows: Rows,
    /// The A alphas of every fold (decreasing).
    pub alphas: &'a [f64],
    pub penalty: Penalty,
    /// Center residuals over each fold's rows (folds only; a plain design is centered already).
    pub fit_intercept: bool,
    /// Per fold, the scale its relative gap is measured in.
    pub gap_scale: Vec<f64>,
}

impl<'a> Batch<'a> {
    /// A plain path: every row, on the design's scale and gap scale.
    pub fn plain(dd: &DeviceDesign, alphas: &'a [f64], penalty: Penalty) -> Batch<'a> {
        Batch {
            rows: Rows::All,
            alphas,
            penalty,
            fit_intercept: false,
            gap_scale: vec![dd.y_scale],
        }
    }

    /// K = F·A.
    pub fn k(&self) -> usize {
        self.rows.folds() * self.alphas.len()
    }

    /// [λ1, λ2] per column, fold-major.
    pub fn lambdas(&self) -> Vec<f64> {
        let per_fold = self.alphas.iter().map(|&a| self.penalty.at(a));
        let one: Vec<f64> = per_fold.flat_map(|w| [w.l1, w.l2]).collect();
        one.repeat(self.rows.folds())
    }
}

/// Solves all `alphas` together on every row (a plain path: one fold on the design's scale);
/// returns the path (coefficients on the design's scale).
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    alphas: &[f64],
    penalty: Penalty,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    let batch = Batch::plain(dd, alphas, penalty);
    let mut paths = solve_batch(ctx, dd, &batch, params, tuning, counters)?;
    Ok(paths.pop().expect("one path"))
}

/// Solves every training fold along `alphas` in one batch; one path per fold, on its scale.
pub(crate) fn solve_folds(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    problem: &FoldProblem,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let batch = Batch {
        rows: Rows::Folds(FoldRows::new(ctx, dd, problem.train, problem.alphas.len())),
        alphas: problem.alphas,
        penalty: problem.penalty,
        fit_intercept: problem.fit_intercept,
        gap_scale: gap_scales(problem.y, problem.train, problem.fit_intercept),
    };
    solve_batch(ctx, dd, &batch, params, tuning, counters)
}

/// Runs a batch to convergence; one path per fold.
fn solve_batch(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    batch: &Batch,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let (p, prec) = (dd.p, dd.precision);
    let (f, a, k) = (batch.rows.folds(), batch.alphas.len(), batch.k());
    let s = State::new(ctx, dd, &batch.lambdas(), f);
    let (start, start_passes) = start(ctx, dd, batch, &s, tuning.power_iters);
    let iterations = [0, 1].map(|q| iteration(ctx, dd, batch, &s, q));
    let checks = [0, 1].map(|q| check(ctx, dd, batch, &s, q));
    let gap_scale: Vec<f64> = batch
        .gap_scale
        .iter()
        .flat_map(|&g| std::iter::repeat_n(g, a))
        .collect();
    let mut live = vec![1u32; k];
    let mut all = Path::zeros(batch.alphas.repeat(f), p);
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
        &gap_scale,
        &mut all,
    )?;
    let bytes = (2 * p * k * prec.size()) as u64;
    let words =
        prec.values(&ctx.submit_and_read(ctx.encoder(), &[(&s.beta[q], 0, bytes)], counters)?[0]);
    Ok(split(&all, &words, f, p))
}

/// β = 0, R = R_z = y (masked and centered per fold), then the power iteration that sets each
/// fold's step; returns the ops and their passes over X.
pub(crate) fn start(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    batch: &Batch,
    s: &State,
    iters: usize,
) -> (Vec<Op>, u64) {
    let (n, prec, a) = (dd.n, dd.precision, batch.alphas.len());
    let mut ops = Vec::new();
    for r in [&s.resid[0], &s.rz] {
        let args = BcastArgs { src: &dd.y, out: r };
        ops.push(prox::bcast(ctx, prec, (n, batch.k(), 0), &args));
        ops.extend(batch.rows.center(ctx, dd, (r, a), batch.fit_intercept));
    }
    let (center, inv_n) = (batch.fit_intercept, batch.rows.inv_n(dd));
    ops.extend(
        batch
            .rows
            .power_iteration(ctx, dd, (iters, center), inv_n, &s.step),
    );
    (ops, 2 * iters as u64)
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
    batch: &Batch,
    s: &State,
    q: usize,
) -> Vec<Op> {
    let (next, a, k, rows) = (1 - q, batch.alphas.len(), batch.k(), &batch.rows);
    let live = Some(&s.live);
    let mut ops = rows.correlations(ctx, dd, (&s.rz, a), &s.c, live);
    ops.push(prox_step(ctx, dd, k, s, q, a));
    let into = Combine::YMinus;
    ops.extend(rows.scores(
        ctx,
        dd,
        (&s.beta[next], a, true),
        into,
        &s.resid[next],
        live,
    ));
    ops.extend(rows.center(ctx, dd, (&s.resid[next], a), batch.fit_intercept));
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

/// C at the iterate of parity q and its K duality gaps, each fold on its own 1/n_f (one more
/// pass over X).
fn check(ctx: &GpuContext, dd: &DeviceDesign, batch: &Batch, s: &State, q: usize) -> Vec<Op> {
    let (a, k) = (batch.alphas.len(), batch.k());
    let mut ops = batch
        .rows
        .correlations(ctx, dd, (&s.resid[q], a), &s.c, Some(&s.live));
    let (scal, group) = (batch.rows.inv_n(dd), batch.rows.per_entry(a));
    let inputs = GapArgs {
        r: &s.resid[q],
        y: &dd.y,
        c: &s.c,
        beta: &s.beta[q],
        lam: &s.lam,
        scal,
        gap_out: &s.gaps,
    };
    ops.push(reduce::gap(
        ctx,
        dd.precision,
        (dd.n, dd.p, k, group),
        &inputs,
    ));
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
        record(&mut encoder, &ops, counters);
        let read =
            ctx.submit_and_read(encoder, &[(gaps, 0, (k * prec.size()) as u64)], counters)?;
        done += steps;
        counters.epochs += steps as u64;
        counters.x_passes += 2 * steps as u64 + 1;
        let rel: Vec<f64> = (prec.values(&read[0]).iter().zip(gap_scale))
            .map(|(gap, scale)| gap / scale)
            .collect();
        for (a, &rel) in rel.iter().enumerate() {
            if live[a] == 0 {
                continue;
            }
            path.iterations[a] = done;
            let budget = done >= params.max_iter;
            if let Some(stop) = progress[a].judge(rel, params.tol, done, tuning.stall_iters, budget)
            {
                path.converged[a] = stop == Stop::Converged;
                live[a] = 0;
            }
        }
        ctx.queue
            .write_buffer(live_buf, 0, bytemuck::cast_slice(live));
        if let Some(observer) = &params.observer {
            observer.report(SolveProgress {
                done: live.iter().filter(|&&l| l == 0).count(),
                total: k,
                worst_gap: worst_live(&rel, live),
            });
        }
    }
    Ok(q)
}
