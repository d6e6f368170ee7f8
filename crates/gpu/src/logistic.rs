//! gpu-fista for logistic loss: batched FISTA over all K alphas with gradient restart, labels
//! y ∈ {0, 1}, optional unpenalized intercept (regpath-core's objective
//! `1/n Σ log(1 + exp(−s_i(x_iᵀβ + b))) + λ1‖β‖₁ + λ2/2‖β‖²`, s_i = 2y_i − 1).
//!
//! The loss is smooth with Hessian ≼ [X 1]ᵀ[X 1]/(4n), block-diagonal when X is centered: the step
//! of β is 1/(L + λ2) with L = ‖X‖²/(4n) from a power iteration (×1.1), the step of b is 4 (a
//! diagonal metric; both halve when X is not centered). Iterates (β and b) are double-word as in
//! the squared-loss solver, and the linear scores η = Xβ are extrapolated with them, so the
//! gradient at the extrapolated point needs no extra pass over X.
//!
//! Per iteration (all alphas, no host round trip): r_z = y − σ(η_z + b_z), C = Xᵀr_z/n,
//! β⁺ = prox(Z + t(C − λ2Z)), b⁺ = b_z + t_b·mean(r_z), η⁺ = Xβ⁺, restart test (β and b),
//! Z, b_z, η_z extrapolated — two passes over X. Every `check_every` iterations the dual direction
//! r̃ at (β, b) (centered with an intercept), one more pass for Xᵀr̃/n, and the K logistic duality
//! gaps are read back, relative to the null deviance scale (regpath-core's `null_loss`).

use crate::context::{GpuContext, Op};
use crate::design::DeviceDesign;
use crate::error::GpuError;
use crate::fista::{drive, Batches};
use crate::kernels::gemm::Combine;
use crate::kernels::logistic::{self as k_log, GapTerms, InterceptStep, Rows, Scores};
use crate::kernels::prox::{self, ProxArgs};
use crate::kernels::reduce::{self, RestartArgs};
use crate::rows::{self, masks, split, FoldProblem, FoldRows};
use crate::{GpuCounters, GpuParams, TrainFold, Tuning};
use ndarray::ArrayView2;
use regpath_core::{Loss, Path, Penalty};

/// Device state of a batched logistic FISTA solve over k alphas. β blocks are double-word
/// (hi p × k, then lo), intercepts too (hi k, then lo k).
struct State {
    beta: [wgpu::Buffer; 2],
    b: [wgpu::Buffer; 2],
    eta: [wgpu::Buffer; 2],
    z: wgpu::Buffer,
    bz: wgpu::Buffer,
    eta_z: wgpu::Buffer,
    /// y − σ at the extrapolated point during iterations, the dual direction r̃ during checks.
    r: wgpu::Buffer,
    /// Xᵀr/n of whichever r was last formed.
    c: wgpu::Buffer,
    /// The intercept's term of each restart test.
    bterm: wgpu::Buffer,
    lam: wgpu::Buffer,
    mom: wgpu::Buffer,
    /// [step of β at λ2 = 0 per fold, step of b].
    steps: wgpu::Buffer,
    /// coupling/(4n_f) per fold: the scale of the power iteration.
    power_scal: wgpu::Buffer,
    gaps: wgpu::Buffer,
    live: wgpu::Buffer,
    /// n × F: the rows each fold sees (all ones for a plain path).
    mask: wgpu::Buffer,
    /// 1/n_f per fold.
    inv_n: wgpu::Buffer,
}

/// Solves all `alphas` together on labels `y`; `centered`: X's columns sum to 0 (the
/// intercept's curvature decouples from β's). Returns the path (coefficients and intercepts,
/// design scale).
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    (centered, y): (bool, &[f64]),
    alphas: &[f64],
    (penalty, fit_intercept): (Penalty, bool),
    params: &GpuParams,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    // the intercept decouples from β in the Lipschitz bound only when X is centered; else
    // [X 1]ᵀ[X 1] ≼ 2·blockdiag(XᵀX, n) and both steps halve
    let coupling = if fit_intercept && !centered { 2.0 } else { 1.0 };
    let all = TrainFold {
        rows: vec![true; dd.n],
        scale: Vec::new(),
    };
    let problem = FoldProblem {
        y,
        train: std::slice::from_ref(&all),
        alphas,
        penalty,
        fit_intercept,
    };
    let batch = (&problem, coupling);
    let tuning = &params.tuning;
    let mut paths = solve_batch(ctx, dd, batch, &rows::Rows::All, params, tuning, counters)?;
    Ok(paths.pop().expect("one path"))
}

/// Solves every training fold along `alphas` in one batch (F × A columns) on the shared X;
/// returns one path per fold: coefficients on the fold's scale, intercepts b_f of the scores
/// X·S_fβ + b_f on the shared X.
pub(crate) fn solve_folds(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    problem: &FoldProblem,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let FoldProblem {
        y,
        train,
        alphas,
        fit_intercept,
        ..
    } = *problem;
    for (f, fold) in train.iter().enumerate() {
        let ys = fold.train_values(y);
        if fit_intercept && ys.iter().all(|&v| v == ys[0]) {
            return Err(GpuError::Input(format!(
                "fold {f}: every training label is {}: with an intercept the fit needs both classes",
                ys[0]
            )));
        }
    }
    let layout = rows::Rows::Folds(FoldRows::new(ctx, dd, train, alphas.len()));
    // X is not centered over a fold's rows: the intercept stays coupled (both steps halve)
    let coupling = if fit_intercept { 2.0 } else { 1.0 };
    solve_batch(
        ctx,
        dd,
        (problem, coupling),
        &layout,
        params,
        tuning,
        counters,
    )
}

/// The shared FISTA loop of [`solve`] (one fold of all rows, X as given) and
/// [`solve_folds`]. `coupling` is 2 when the intercept's and β's curvature couple (X not centered
/// on the rows), else 1.
fn solve_batch(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    (problem, coupling): (&FoldProblem, f64),
    layout: &rows::Rows,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (f, a) = (problem.train.len(), problem.alphas.len());
    let k = f * a;
    let fit_intercept = problem.fit_intercept;
    let lam: Vec<f64> = (0..f)
        .flat_map(|_| {
            let pen = problem.penalty;
            problem
                .alphas
                .iter()
                .flat_map(move |&al| [pen.l1(al), pen.l2(al)])
        })
        .collect();
    let labels: Vec<Vec<f64>> = problem
        .train
        .iter()
        .map(|t| t.train_values(problem.y))
        .collect();
    let b0: Vec<f64> = labels
        .iter()
        .flat_map(|ys| {
            let b = if fit_intercept {
                let mean = ys.iter().sum::<f64>() / ys.len() as f64;
                (mean / (1.0 - mean)).ln()
            } else {
                0.0
            };
            std::iter::repeat_n(b, a)
        })
        .collect();
    let gap_scale: Vec<f64> = labels
        .iter()
        .flat_map(|ys| std::iter::repeat_n(Loss::Logistic.gap_scale(ys, fit_intercept), a))
        .collect();
    let (mask, inv_n) = masks(problem.train);
    let b_init = double_word(&b0, prec);
    let mut steps = vec![0.0; f];
    steps.push(4.0 / coupling);
    let mut live = vec![1u32; k];
    let s = State {
        beta: [0, 1].map(|_| ctx.zeros("beta", 2 * p * k, prec)),
        b: [0, 1].map(|_| ctx.upload("intercepts", &b_init, prec)),
        eta: [0, 1].map(|_| ctx.zeros("eta", n * k, prec)),
        z: ctx.zeros("z", 2 * p * k, prec),
        bz: ctx.upload("intercepts at z", &b_init, prec),
        eta_z: ctx.zeros("eta at z", n * k, prec),
        r: ctx.zeros("r", n * k, prec),
        c: ctx.zeros("c", p * k, prec),
        bterm: ctx.zeros("intercept restart terms", k, prec),
        lam: ctx.upload("lambdas", &lam, prec),
        mom: ctx.upload("momentum", &[1.0, 0.0].repeat(k), prec),
        steps: ctx.upload("steps", &steps, prec),
        power_scal: ctx.upload(
            "power scale",
            &inv_n.iter().map(|w| coupling * w / 4.0).collect::<Vec<_>>(),
            prec,
        ),
        gaps: ctx.zeros("gaps", k, prec),
        live: ctx.upload_u32("live", &live),
        mask: ctx.upload("row mask", &mask, prec),
        inv_n: ctx.upload("1/n per fold", &inv_n, prec),
    };
    let batch = Layout {
        layout,
        rows: Rows {
            mask: &s.mask,
            inv_n: &s.inv_n,
            folds: f,
            per: a,
        },
        k,
        fit_intercept,
        live: &s.live,
    };
    let iters = (tuning.power_iters, false);
    let start = layout.power_iteration(ctx, dd, iters, &s.power_scal, &s.steps);
    let start_passes = 2 * tuning.power_iters as u64;
    let iterations = [0, 1].map(|q| iteration(ctx, dd, &batch, &s, q));
    let checks = [0, 1].map(|q| check(ctx, dd, &batch, &s, q));

    let mut all = Path::zeros(problem.alphas.repeat(f), p);
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
    let (coef_bytes, b_bytes) = (
        (2 * p * k * prec.size()) as u64,
        (2 * k * prec.size()) as u64,
    );
    let read = ctx.submit_and_read(
        ctx.encoder(),
        &[(&s.beta[q], 0, coef_bytes), (&s.b[q], 0, b_bytes)],
        counters,
    )?;
    let (words, b) = (prec.values(&read[0]), prec.values(&read[1]));
    let mut paths = split(&all, &words, f, p);
    if fit_intercept {
        for (fold, path) in paths.iter_mut().enumerate() {
            path.intercepts = (0..a)
                .map(|i| b[fold * a + i] + b[k + fold * a + i])
                .collect();
        }
    }
    Ok(paths)
}

/// How a batch's columns map onto X (the row layout) and the logistic kernels' view of it.
struct Layout<'a> {
    layout: &'a rows::Rows,
    rows: Rows<'a>,
    k: usize,
    fit_intercept: bool,
    /// 1 per column while it iterates: GEMM tiles of finished columns are skipped.
    live: &'a wgpu::Buffer,
}

impl Layout<'_> {
    /// c = Xᵀr/n per column (S_f·Xᵀr/n_f on folds).
    fn correlations(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        r: &wgpu::Buffer,
        c: &wgpu::Buffer,
    ) -> Vec<Op> {
        let per = self.rows.per;
        self.layout
            .correlations(ctx, dd, (r, per), c, Some(self.live))
    }

    /// η = Xβ per column (X·S_fβ on folds) from a double-word iterate.
    fn scores(
        &self,
        ctx: &GpuContext,
        dd: &DeviceDesign,
        beta: &wgpu::Buffer,
        eta: &wgpu::Buffer,
    ) -> Vec<Op> {
        let (per, live) = (self.rows.per, Some(self.live));
        self.layout
            .scores(ctx, dd, (beta, per, true), Combine::Set, eta, live)
    }
}

/// `v` (one value per alpha) as double-word values in `prec` (hi k, then lo k).
fn double_word(v: &[f64], prec: crate::Precision) -> Vec<f64> {
    let hi: Vec<f64> = v
        .iter()
        .map(|&x| match prec {
            crate::Precision::F32 => x as f32 as f64,
            crate::Precision::F64 => x,
        })
        .collect();
    let lo: Vec<f64> = v.iter().zip(&hi).map(|(x, h)| x - h).collect();
    [hi, lo].concat()
}

/// Whether every column of X sums to 0 up to rounding (relative to its norm).
pub(crate) fn centered(x: ArrayView2<f64>) -> bool {
    let n = x.nrows() as f64;
    x.columns().into_iter().all(|col| {
        let (sum, sq) = col.iter().fold((0.0, 0.0), |(s, q), v| (s + v, q + v * v));
        sum.abs() <= 1e-9 * (n * sq).sqrt() + 1e-300
    })
}

/// One iteration from parity q (β[q], b[q], η[q]) into parity 1 − q.
fn iteration(ctx: &GpuContext, dd: &DeviceDesign, lay: &Layout, s: &State, q: usize) -> Vec<Op> {
    let (n, p, k, prec) = (dd.n, dd.p, lay.k, dd.precision);
    let (cur, next) = (q, 1 - q);
    let at_z = Scores {
        eta: &s.eta_z,
        b: &s.bz,
        y: &dd.y,
        rows: lay.rows,
    };
    let mut ops = vec![k_log::resid(ctx, prec, (n, k), at_z, &s.r)];
    ops.extend(lay.correlations(ctx, dd, &s.r, &s.c));
    let step = ProxArgs {
        z: &s.z,
        c: &s.c,
        beta: &s.beta[cur],
        lam: &s.lam,
        step: &s.steps,
        active: &s.live,
        out: &s.beta[next],
    };
    ops.push(prox::prox(ctx, prec, (p, k, lay.rows.per), &step));
    if lay.fit_intercept {
        let step = InterceptStep {
            r: &s.r,
            bz: &s.bz,
            bcur: &s.b[cur],
            lam: &s.lam,
            steps: &s.steps,
            live: &s.live,
            b_out: &s.b[next],
            term: &s.bterm,
            inv_n: lay.rows.inv_n,
        };
        ops.push(k_log::intercept(ctx, prec, (n, k), lay.rows, &step));
    }
    ops.extend(lay.scores(ctx, dd, &s.beta[next], &s.eta[next]));
    let restart = RestartArgs {
        z: &s.z,
        new: &s.beta[next],
        old: &s.beta[cur],
        active: &s.live,
        mom: &s.mom,
        shift: lay.fit_intercept.then_some(&s.bterm),
    };
    ops.push(reduce::restart(ctx, prec, (p, k), &restart));
    // β and b (double-word), then η
    let mut extrapolated = vec![(p, true, &s.beta, &s.z)];
    if lay.fit_intercept {
        extrapolated.push((1, true, &s.b, &s.bz));
    }
    extrapolated.push((n, false, &s.eta, &s.eta_z));
    ops.extend(prox::extrapolate(
        ctx,
        prec,
        (k, next),
        &s.mom,
        &extrapolated,
    ));
    ops
}

/// The K duality gaps at the iterate of parity q: r̃, c = Xᵀr̃/n (one pass over X), gaps.
fn check(ctx: &GpuContext, dd: &DeviceDesign, lay: &Layout, s: &State, q: usize) -> Vec<Op> {
    let (n, p, k, prec) = (dd.n, dd.p, lay.k, dd.precision);
    let at = Scores {
        eta: &s.eta[q],
        b: &s.b[q],
        y: &dd.y,
        rows: lay.rows,
    };
    let mut ops = vec![k_log::dual(ctx, prec, (n, k), lay.fit_intercept, at, &s.r)];
    ops.extend(lay.correlations(ctx, dd, &s.r, &s.c));
    let terms = GapTerms {
        r: &s.r,
        c: &s.c,
        beta: &s.beta[q],
        lam: &s.lam,
        gaps: &s.gaps,
    };
    ops.push(k_log::gap(ctx, prec, (n, p, k), at, &terms));
    ops
}
