//! regpath-gpu: batched regularization-path solvers in WGSL compute shaders (wgpu), many alphas at once.
//!
//! Objective (squared loss, the scale of regpath-core), λ1 = α·ρ, λ2 = α·(1 − ρ):
//! `P(β) = 1/(2n)‖y − Xβ‖² + λ1‖β‖₁ + λ2/2‖β‖²`.
//!
//! - [`GpuContext`]: adapter, device, queue and a pipeline cache; build once, reuse for many solves.
//!   [`list_adapters`] shows what wgpu sees (WGPU_BACKEND is honoured).
//! - [`solve_path`] with [`GpuSolver::Cd`]: working-set coordinate descent on chunks of alphas
//!   (ARCHITECTURE.md, "gpu-cd in one page"): one pass over X per outer step, inner CD one workgroup per alpha on a Gram matrix.
//! - [`solve_path`] with [`GpuSolver::Fista`]: the same working sets, chunks and outer steps, the
//!   problem on W solved by FISTA with gradient restart (every coordinate of an iteration at once,
//!   step 1/(L_W + λ2) from a power iteration on the Gram, double-word iterates).
//! - [`solve_logistic_path`]: batched FISTA for logistic loss (labels 0/1, optional intercept) on
//!   the same kernels plus shaders/logistic.wgsl (residuals y − σ(Xβ + b), intercept step, the
//!   logistic duality gap); stopped on the gap relative to the null deviance.
//! - [`solve_folds`]: k-fold cross-validation in one batch on one shared X, dense or sparse (row
//!   masks, per-fold column scales, residuals centered over each fold's rows): FISTA over all
//!   folds × alphas (squared or logistic loss), or CD on chunks of alphas of every fold with a
//!   shared working set and a Gram per fold (squared loss).
//! - [`Precision`]: f32 (default) or f64 kernels (SHADER_F64), generated from one WGSL source
//!   by a generated header (`alias real = f32|f64;`). In f32, residuals y − Xβ accumulate in f64 where the adapter
//!   has it and FISTA iterates are double-word (hi + lo f32), so f32 solves reach gaps near what
//!   f32 data allows (~1e-7 of ‖y‖²/n). Every solution is meant to be certified on the host in f64
//!   with `regpath_core::certify`; the device-side gap is only the stopping rule.
//!
//! Kernels live in `shaders/<family>.wgsl` beside `src/kernels/<family>.rs`. X larger than one
//! storage binding (or than 16,384 columns) is split into column blocks; every dispatch keeps its
//! loops short (drivers such as lavapipe end an invocation's loops after 65,535 trips). Sparse X
//! (a design whose storage is CSC, through [`solve`]) stays sparse on the device: CSC and CSR
//! column blocks split by non-zeros, centered and scaled inside the products as regpath-core's
//! `ScaledCsc` does, gpu-cd gathering its working set's columns densely for the Gram; the
//! folds of [`solve_folds`] share that one sparse copy. Solvers never print.

/// A unit test on the shared GPU context `$ctx` (skipped without an adapter unless
/// REGPATH_REQUIRE_GPU=1, see `testing::context`).
#[cfg(test)]
macro_rules! gpu_test {
    ($(#[$m:meta])* fn $name:ident($ctx:ident) $body:block) => {
        $(#[$m])*
        #[test]
        fn $name() {
            let Some($ctx) = crate::testing::context() else {
                return;
            };
            $body
        }
    };
}

mod adapters;
#[doc(hidden)]
pub mod bench;
mod calibrate;
mod cd;
mod context;
mod design;
mod error;
mod fista;
mod kernels;
mod logistic;
pub mod model;
mod progress;
mod rows;
mod sparse_x;
mod stopping;
#[cfg(test)]
mod testing;

pub use adapters::{list_adapters, AdapterSummary};
pub use calibrate::calibrate;
pub use context::{GpuContext, Precision};
pub use error::GpuError;
pub use progress::{Observer, SolveProgress};

use design::DeviceDesign;
use ndarray::{ArrayView1, ArrayView2};
use regpath_core::{Loss, Path, Penalty, Storage};

/// Which batched solver runs on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GpuSolver {
    /// Working-set coordinate descent, chunks of `chunk` consecutive alphas (the fast path).
    Cd,
    /// FISTA with gradient restart: on squared loss on gpu-cd's working sets (chunks of alphas,
    /// FISTA on the Gram of W instead of CD); on logistic loss over all alphas and all of X.
    Fista,
}

impl GpuSolver {
    /// Whether this solver takes `loss`: the GPU crate's say in which (loss, solver) pairs exist
    /// (gpu-cd is squared loss only).
    pub fn supports(self, loss: Loss) -> bool {
        matches!(
            (self, loss),
            (GpuSolver::Fista, _) | (GpuSolver::Cd, Loss::Squared)
        )
    }
}

/// Solver settings. `tol` is the duality gap relative to ‖y‖²/n (squared loss) or to the null
/// deviance scale (logistic loss), checked on the device in its own precision (f32 reaches about
/// 1e-7; a tol below that ends on stalled progress).
#[derive(Clone, Debug)]
pub struct GpuParams {
    pub tol: f64,
    /// Logistic FISTA: iterations; squared loss: inner epochs (CD) or iterations (FISTA) per
    /// alpha, summed over outer steps.
    pub max_iter: usize,
    pub precision: Precision,
    /// Logistic FISTA: iterations between gap checks (one readback of K values each).
    pub check_every: usize,
    /// Squared loss: alphas per chunk (one working set and one Gram per chunk).
    pub chunk: usize,
    /// Called after each readback of the gaps with the solve's progress (None: nothing is
    /// reported); for a caller's progress display.
    pub observer: Option<Observer>,
    /// Internal knobs for tests and experiments (not a stable API).
    #[doc(hidden)]
    pub tuning: Tuning,
}

impl Default for GpuParams {
    fn default() -> Self {
        GpuParams {
            tol: 1e-5,
            max_iter: 10_000,
            precision: Precision::F32,
            check_every: 10,
            chunk: 16,
            observer: None,
            tuning: Tuning::default(),
        }
    }
}

/// Work done by one solve: queue submits, buffer readbacks (maps), full passes over X (each GEMM
/// over all of X counts 1), and epochs (FISTA: batched iterations; CD: per outer step the largest
/// inner epoch count of the chunk, i.e. the epochs the device ran one after another); and the
/// critical path the device model prices ([`model`]): dispatches, bytes moved between memory and
/// the cores (modelled per kernel), floating-point operations, serial steps (per dispatch the
/// longest chain of barrier-separated steps one workgroup runs, summed along the solve) and chained
/// updates (dependent coordinate updates one thread makes between two barriers — the inner CD
/// solves a block of coordinates in order — summed the same way). `split_dispatches` counts the
/// dispatches among them that only continue an inner call a driver's bound on loop trips cut
/// short (lavapipe's; see `GpuContext::loop_budget`): an adapter without the bound runs none.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpuCounters {
    pub submits: u64,
    pub readbacks: u64,
    pub x_passes: u64,
    pub epochs: u64,
    pub dispatches: u64,
    pub bytes: u64,
    pub flops: u64,
    pub serial_steps: u64,
    pub chain_updates: u64,
    pub split_dispatches: u64,
}

/// Internal knobs for tests and experiments (not a stable API).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Tuning {
    /// Split X into blocks of at most this many columns (default: what one binding holds).
    pub max_block_cols: Option<usize>,
    /// Keep the inner CD's gradient and β_W in storage memory even when they fit workgroup memory.
    pub cd_storage: bool,
    /// Smallest CD working set (w0).
    pub min_working_set: usize,
    /// Largest CD working set (also bounded by the binding limit).
    pub max_working_set: usize,
    /// Epochs per inner CD call.
    pub inner_epochs: u32,
    /// CD outer steps per chunk.
    pub max_outer: usize,
    /// CD: outer steps without the gap halving before an alpha counts as stalled.
    pub stall_outer: usize,
    /// FISTA: iterations without the gap halving before an alpha counts as stalled.
    pub stall_iters: usize,
    /// Power iterations for the FISTA step.
    pub power_iters: usize,
    /// Cross-validation: at most this many folds per batch (default: as many as fit).
    pub max_fold_batch: Option<usize>,
    /// gpu-fista on squared loss: batched FISTA over all alphas on all of X (two passes over X per
    /// iteration) instead of FISTA on working sets. Since the working sets' folded reductions it
    /// wins no quick-suite case on lavapipe (working sets take 0.05–0.71 × its time) and ties at
    /// most in the h100 model (gene 200 × 100: 5.6 against 5.8 ms); its kernels stay for logistic
    /// loss and the kernel benches, this squared-loss driver only for comparison.
    pub global_fista: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            max_block_cols: None,
            cd_storage: false,
            min_working_set: 32,
            max_working_set: 2048,
            inner_epochs: 1000,
            max_outer: 200,
            stall_outer: 8,
            stall_iters: 500,
            power_iters: 30,
            max_fold_batch: None,
            global_fista: false,
        }
    }
}

/// Solves `problem` on the prepared `design` with `solver` on the device, any loss the solver
/// takes ([`GpuSolver::supports`]): the crate's one entry point for a path. Dense X is uploaded
/// in column blocks; sparse X as CSC and CSR blocks (never densified), centered and scaled
/// implicitly by the design's column means and scales. Coefficients come back on the design's
/// scale for host certification; the counters say what the device did.
pub fn solve(
    ctx: &GpuContext,
    design: &regpath_core::Design,
    problem: &regpath_core::Problem,
    solver: GpuSolver,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    let (alphas, penalty, loss) = (&problem.alphas, problem.penalty, problem.loss);
    let fit_intercept = design.options.fit_intercept;
    if !solver.supports(loss) {
        return Err(GpuError::Input(format!(
            "{solver:?} does not solve {} loss on the GPU; use gpu-fista",
            loss.name()
        )));
    }
    let y = design.y.view();
    let x = match &design.x {
        Storage::Dense(x) => {
            return match loss {
                Loss::Squared => solve_path(ctx, x.view(), y, alphas, penalty, solver, params),
                Loss::Logistic => {
                    solve_logistic_path(ctx, x.view(), y, alphas, penalty, fit_intercept, params)
                }
            };
        }
        Storage::Sparse(x) => x,
    };
    let (n, p) = x.dim();
    let upload = |batch, words| {
        prepare(
            ctx,
            (n, p, y.len()),
            (alphas, penalty),
            (batch, words),
            params,
        )?;
        let (prec, max_cols) = (params.precision, params.tuning.max_block_cols);
        DeviceDesign::of(ctx, design, prec, max_cols)
    };
    match loss {
        Loss::Squared => {
            let dd = upload(
                batch_of(solver, alphas.len(), params),
                words_of(solver, &params.tuning),
            )?;
            run_path(ctx, &dd, alphas, penalty, solver, params)
        }
        Loss::Logistic => {
            check_labels(&y.to_vec(), fit_intercept)?;
            let dd = upload(alphas.len(), 2)?;
            // the implicit centering applies exactly when an intercept is fitted
            let labels = y.to_vec();
            let centered = fit_intercept;
            run_logistic(
                ctx,
                &dd,
                (centered, &labels),
                alphas,
                penalty,
                fit_intercept,
                params,
            )
        }
    }
}

/// The inner method of the working-set driver that solves a squared-loss path for `solver`, or
/// None for batched FISTA over all alphas on all of X (`tuning.global_fista`).
fn squared_method(solver: GpuSolver, tuning: &Tuning) -> Option<cd::Inner> {
    match solver {
        GpuSolver::Fista if tuning.global_fista => None,
        GpuSolver::Fista => Some(cd::Inner::Fista),
        GpuSolver::Cd => Some(cd::Inner::Cd),
    }
}

/// Alphas solved side by side on squared loss: a chunk (working sets) or all of them.
fn batch_of(solver: GpuSolver, k: usize, params: &GpuParams) -> usize {
    match squared_method(solver, &params.tuning) {
        None => k,
        Some(_) => params.chunk.clamp(1, k),
    }
}

/// Words per entry of the squared-loss solver's iterates (global FISTA's are double-word).
fn words_of(solver: GpuSolver, tuning: &Tuning) -> usize {
    match squared_method(solver, tuning) {
        None => 2,
        Some(_) => 1,
    }
}

/// The checks before any upload: shapes, alphas, l1_ratio, precision, and that `batch` alphas
/// of `words`-word iterates fit one binding.
fn prepare(
    ctx: &GpuContext,
    (n, p, ny): (usize, usize, usize),
    (alphas, penalty): (&[f64], Penalty),
    (batch, words): (usize, usize),
    params: &GpuParams,
) -> Result<(), GpuError> {
    validate(n, p, ny, alphas, penalty)?;
    ctx.check_precision(params.precision)?;
    check_batch(ctx, n, p, batch, words, params.precision)
}

/// Solves the path over `alphas` (decreasing) for squared loss on a prepared design: X n × p
/// (centered/standardized), y centered. Returns coefficients K × p (intercepts 0) and counters.
pub fn solve_path(
    ctx: &GpuContext,
    x: ArrayView2<f64>,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    solver: GpuSolver,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    let (n, p) = x.dim();
    let batch = batch_of(solver, alphas.len(), params);
    prepare(
        ctx,
        (n, p, y.len()),
        (alphas, penalty),
        (batch, words_of(solver, &params.tuning)),
        params,
    )?;
    let dd = DeviceDesign::new(ctx, x, y, params.precision, params.tuning.max_block_cols)?;
    run_path(ctx, &dd, alphas, penalty, solver, params)
}

/// The squared-loss path on a design already on the device.
fn run_path(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    alphas: &[f64],
    penalty: Penalty,
    solver: GpuSolver,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    let mut counters = GpuCounters::default();
    let (tuning, c) = (&params.tuning, &mut counters);
    let path = match squared_method(solver, tuning) {
        None => fista::solve(ctx, dd, alphas, penalty, params, tuning, c),
        Some(inner) => cd::solve(ctx, dd, inner, alphas, penalty, params, tuning, c),
    }?;
    Ok((path, counters))
}

/// Solves the logistic path over `alphas` (decreasing) with batched FISTA, all alphas together:
/// `1/n Σ log(1 + exp(−s_i(x_iᵀβ + b))) + α(ρ‖β‖₁ + (1−ρ)/2‖β‖²)`, s_i = 2y_i − 1, on a prepared
/// design X (n × p, column-major; centered when `fit_intercept`) with labels y ∈ {0, 1}.
/// Returns coefficients K × p and intercepts (0 without `fit_intercept`) on the design's scale.
/// `params.tol` is the duality gap relative to the null deviance scale (regpath-core's
/// `null_loss`), checked on the device every `check_every` iterations; certify with
/// `regpath_core::certify_logistic`.
pub fn solve_logistic_path(
    ctx: &GpuContext,
    x: ArrayView2<f64>,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    fit_intercept: bool,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    let (n, p) = x.dim();
    validate(n, p, y.len(), alphas, penalty)?;
    check_labels(&y.to_vec(), fit_intercept)?;
    prepare(
        ctx,
        (n, p, y.len()),
        (alphas, penalty),
        (alphas.len(), 2),
        params,
    )?;
    let dd = DeviceDesign::new(ctx, x, y, params.precision, params.tuning.max_block_cols)?;
    let centered = logistic::centered(x);
    let labels = y.to_vec();
    run_logistic(
        ctx,
        &dd,
        (centered, &labels),
        alphas,
        penalty,
        fit_intercept,
        params,
    )
}

/// The logistic path with labels `y` on a design already on the device (`centered`: X's
/// columns sum to 0).
#[allow(clippy::too_many_arguments)]
fn run_logistic(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    (centered, y): (bool, &[f64]),
    alphas: &[f64],
    penalty: Penalty,
    fit_intercept: bool,
    params: &GpuParams,
) -> Result<(Path, GpuCounters), GpuError> {
    let mut counters = GpuCounters::default();
    let path = logistic::solve(
        ctx,
        dd,
        (centered, y),
        alphas,
        (penalty, fit_intercept),
        params,
        &mut counters,
    )?;
    Ok((path, counters))
}

/// One training fold of a cross-validation for [`solve_folds`].
#[derive(Clone, Debug)]
pub struct TrainFold {
    /// `rows[i]`: sample i is a training sample of this fold (n values).
    pub rows: Vec<bool>,
    /// The fold's design column j is `scale[j]`·x_j of the shared X (then centered over the
    /// fold's rows when an intercept is fitted); coefficients come back on this scale. 0 drops
    /// feature j (constant on the fold's rows).
    pub scale: Vec<f64>,
}

impl TrainFold {
    /// Number of training rows.
    pub fn n_train(&self) -> usize {
        self.rows.iter().filter(|&&r| r).count()
    }

    /// The entries of `v` (n values) on the training rows.
    pub fn train_values(&self, v: &[f64]) -> Vec<f64> {
        v.iter()
            .zip(&self.rows)
            .filter(|(_, &r)| r)
            .map(|(&x, _)| x)
            .collect()
    }
}

/// The paths of every training fold of `problem` (alphas decreasing), solved in one batch on
/// one shared X: the `shared` design of all n samples (dense, or sparse CSC kept sparse on the
/// device with its centering and scaling implicit, as [`solve`] holds it) and its y. `solver`
/// Fista iterates all folds × alphas at once; Cd (squared loss only) takes chunks of
/// `params.chunk` alphas of every fold, with one working set shared by the folds and a Gram per
/// fold. Fold f's design is x̃_ij = scale_fj·x_ij (x_ij as `shared` presents it) on its rows,
/// and it solves
/// - squared loss: `1/(2n_f) Σ_{i ∈ f} (y_i − b_f − x̃_iᵀβ)² + α(ρ‖β‖₁ + (1−ρ)/2‖β‖²)`, b_f
///   eliminated by centering over the fold's rows (intercepts come back 0: recover b_f from the
///   fold's means); `params.tol` is relative to ‖y − ȳ_f‖²/n_f;
/// - logistic loss (y ∈ {0, 1}): `1/n_f Σ_{i ∈ f} log(1 + exp(−s_i(x̃_iᵀβ + b_f)))` + the same
///   penalty; intercepts b_f come back for the scores x̃_iᵀβ + b_f; `params.tol` is relative to
///   the fold's null deviance scale.
///
/// b_f = 0 unless `shared` fits an intercept. The fold's own centering is the centering of every
/// residual over its rows, so neither storage needs a centered copy per fold: a column's shift
/// drops out of x̃_jᵀr when r sums to 0 over the fold. Coefficients are on the fold's scale;
/// certify each fold against its own design. All folds are one batch when folds × alphas
/// columns fit one storage binding, else as many folds per batch as fit.
pub fn solve_folds(
    ctx: &GpuContext,
    shared: &regpath_core::Design,
    folds: &[TrainFold],
    problem: &regpath_core::Problem,
    solver: GpuSolver,
    params: &GpuParams,
) -> Result<(Vec<Path>, GpuCounters), GpuError> {
    let (alphas, penalty, loss) = (&problem.alphas[..], problem.penalty, problem.loss);
    let fit_intercept = shared.options.fit_intercept;
    let y = shared.y.view();
    let (n, p) = (shared.n_samples(), shared.n_features());
    validate(n, p, y.len(), alphas, penalty)?;
    if folds.is_empty() {
        return Err(GpuError::Input("no folds to solve".into()));
    }
    for (f, fold) in folds.iter().enumerate() {
        if fold.rows.len() != n || fold.scale.len() != p {
            return Err(GpuError::Input(format!(
                "fold {f} has {} row flags and {} scales for X of {n} × {p}",
                fold.rows.len(),
                fold.scale.len()
            )));
        }
        if !fold.rows.contains(&true) {
            return Err(GpuError::Input(format!("fold {f} has no training rows")));
        }
        if let Some(j) = fold.scale.iter().position(|s| !s.is_finite()) {
            return Err(GpuError::Input(format!(
                "fold {f}: scale of feature {j} is {}",
                fold.scale[j]
            )));
        }
    }
    if loss == Loss::Logistic {
        check_labels(&y.to_vec(), false)?;
    }
    ctx.check_precision(params.precision)?;
    // columns per fold in one batch, and words per entry (FISTA's iterates are double-word)
    let (per_fold, words) = match (loss, squared_method(solver, &params.tuning)) {
        (Loss::Squared, Some(_)) => (params.chunk.clamp(1, alphas.len()), 1),
        _ => (alphas.len(), 2),
    };
    // as many folds per batch as one binding holds (all of them unless X or the grid is huge)
    check_batch(ctx, n, p, per_fold, words, params.precision)?;
    let per_batch = (1..=folds.len())
        .rev()
        .find(|&f| check_batch(ctx, n, p, f * per_fold, words, params.precision).is_ok())
        .unwrap_or(1)
        .min(params.tuning.max_fold_batch.unwrap_or(usize::MAX).max(1));
    let (prec, max_cols) = (params.precision, params.tuning.max_block_cols);
    let dd = DeviceDesign::of(ctx, shared, prec, max_cols)?;
    let mut counters = GpuCounters::default();
    if !solver.supports(loss) {
        return Err(GpuError::Input(
            "gpu-cd solves squared loss only; use gpu-fista for logistic loss".into(),
        ));
    }
    let y = y.to_vec();
    let mut paths = Vec::with_capacity(folds.len());
    let total = folds.len() * alphas.len();
    for train in folds.chunks(per_batch) {
        let problem = rows::FoldProblem {
            y: &y,
            train,
            alphas,
            penalty,
            fit_intercept,
        };
        // progress over all folds: this batch's alphas come after the earlier batches'
        let params = &GpuParams {
            observer: (params.observer.as_ref())
                .map(|o| o.offset(paths.len() * alphas.len(), total)),
            ..params.clone()
        };
        let (tuning, c) = (&params.tuning, &mut counters);
        paths.extend(match (loss, squared_method(solver, tuning)) {
            (Loss::Logistic, _) => logistic::solve_folds(ctx, &dd, &problem, params, tuning, c),
            (Loss::Squared, None) => fista::solve_folds(ctx, &dd, &problem, params, tuning, c),
            (Loss::Squared, Some(inner)) => {
                cd::solve_folds(ctx, &dd, inner, &problem, params, tuning, c)
            }
        }?);
    }
    Ok((paths, counters))
}

/// Err(Input) unless every label is 0 or 1 (and, with `both_classes`, both occur).
fn check_labels(labels: &[f64], both_classes: bool) -> Result<(), GpuError> {
    regpath_core::data::check_binary_labels(labels, both_classes)
        .map_err(|e| GpuError::Input(e.to_string()))
}

/// Err(TooLarge) when `batch` alphas of n- or p-vectors, `words` values each (2 for FISTA's
/// double-word iterates), exceed one storage binding or 32-bit indexing.
fn check_batch(
    ctx: &GpuContext,
    n: usize,
    p: usize,
    batch: usize,
    words: usize,
    precision: Precision,
) -> Result<(), GpuError> {
    let size = precision.size() as u64;
    let entries = (p.max(n) * batch * words) as u64;
    let largest = entries * size;
    if largest > ctx.max_binding() || entries >= u32::MAX as u64 {
        return Err(GpuError::TooLarge(format!(
            "{batch} alphas × {} rows need {largest} bytes in one binding (limit {}): use fewer alphas per batch",
            p.max(n),
            ctx.max_binding()
        )));
    }
    Ok(())
}

fn validate(
    n: usize,
    p: usize,
    ny: usize,
    alphas: &[f64],
    penalty: Penalty,
) -> Result<(), GpuError> {
    if n == 0 || p == 0 {
        return Err(GpuError::Input(format!(
            "X is {n} × {p}: it needs samples and features"
        )));
    }
    if ny != n {
        return Err(GpuError::Input(format!(
            "X has {n} rows but y has {ny} values"
        )));
    }
    regpath_core::problem::check_alphas(alphas).map_err(|e| GpuError::Input(e.to_string()))?;
    if !(0.0..=1.0).contains(&penalty.l1_ratio) {
        return Err(GpuError::Input(format!(
            "l1_ratio {} is not in [0, 1]",
            penalty.l1_ratio
        )));
    }
    Ok(())
}
