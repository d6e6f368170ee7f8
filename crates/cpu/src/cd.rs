//! Pathwise cyclic coordinate descent for the elastic net (Friedman, Hastie & Tibshirani 2010,
//! "Regularization paths for GLMs via coordinate descent"; strong rules: Tibshirani et al. 2012).
//!
//! Per alpha: warm start from the previous alpha; working set = nonzero coefficients plus the
//! sequential strong set `|x_jᵀr|/n ≥ 2λ1(k) − λ1(k−1)`; CD with active-set cycling on the
//! working set; then one pass over all of X for c = Xᵀr/n: features outside the working set that
//! violate KKT (`|c_j| > λ1`) join it; otherwise the certified duality gap (regpath-core) decides.
//! Updates are naive (residual, O(n) each) for n ≤ p and covariance (Gram columns, O(p) each)
//! for n > p.
//!
//! On dense X with n ≤ p ([`cd_path_dense`]) the hot loops run on AVX2+FMA kernels where the CPU
//! has them, and the pass over X after each working-set solve reads an f32 copy of X (half the
//! bytes): a feature outside the working set keeps the rigorous upper bound |x̃_jᵀr| + κ‖x_j‖‖r‖
//! on |x_jᵀr| in place of its correlation unless that bound reaches λ1, when it is recomputed in
//! f64. Upper bounds make the dual point only more conservative, so the certified gap stays an
//! upper bound on the suboptimality. There the path also looks ahead (`lookahead.rs`):
//! a few alphas are solved on their working sets before one pass checks them all.

use crate::drift::DriftBounds;
use crate::f32_copy::F32Columns;
use crate::kernels::{with_best, Baseline, KernelLoop, Kernels, MAX_MANY};
use crate::lookahead::{chunk_len, Chunk, Solved, MAX_CHUNK};
use crate::screening::WorkingSet;
use ndarray::ArrayView1;
use rayon::prelude::*;
use regpath_core::certify::certify_parts;
use regpath_core::linalg::{axpy, dot};
use regpath_core::matrix::Shifted;
use regpath_core::penalty::Weights;
use regpath_core::{Dense, Matrix, Path, Penalty};

/// Stopping parameters for [`cd_path`].
#[derive(Clone, Copy, Debug)]
pub struct CdParams {
    /// Duality gap relative to ‖y‖²/n.
    pub tol: f64,
    /// Epochs per alpha (a pass over the working set or the active set counts as one).
    pub max_epochs: usize,
    /// Optional bound on the certified KKT violation (gradient units); infinite = gap only.
    /// The gap is objective-scale, so KKT ≈ √gap: use this when gradient-level accuracy matters.
    pub kkt_tol: f64,
}

impl Default for CdParams {
    fn default() -> Self {
        CdParams {
            tol: 1e-7,
            max_epochs: 100_000,
            kkt_tol: f64::INFINITY,
        }
    }
}

/// One coordinate's correlation and move: what a CD epoch needs.
trait Coordinates {
    /// x_jᵀr/n at the current β.
    fn corr(&self, j: usize) -> f64;
    /// β_j moved by `delta`.
    fn shift(&mut self, j: usize, delta: f64);
}

/// How `x_jᵀr/n` is kept up to date as coefficients move.
trait Updates: Coordinates {
    /// Whether `corr` and `residual` are exact without a refresh, so a working-set gap is cheap.
    const CHEAP_SUBPROBLEM_GAP: bool;
    /// Exact r = y − Xβ and c = Xᵀr/n, both from scratch (one pass over X).
    fn refresh(&mut self, beta: &[f64], c: &mut [f64]);
    /// The pass over X after a working-set solve: c_j = x_jᵀr/n exactly for the `member`s of
    /// the working set and wherever |c_j| may exceed `l1`; elsewhere c_j may be an upper bound
    /// on |x_jᵀr/n| with its sign (see the module's doc).
    fn screen(&mut self, beta: &[f64], c: &mut [f64], _member: &[bool], _l1: f64) {
        self.refresh(beta, c)
    }
    /// |c_j| for the sequential strong rule, from the last pass's `c`: where a pass kept only
    /// an upper bound, the last value read is the better estimate.
    fn strong_estimates<'s>(&'s self, c: &'s [f64]) -> &'s [f64] {
        c
    }
    /// One CD epoch over `set` (see [`cd_epoch`]).
    fn epoch(&mut self, set: &[usize], norms: &[f64], beta: &mut [f64], weights: Weights) -> f64 {
        cd_epoch(self, set, norms, beta, weights)
    }
    fn residual(&mut self) -> &[f64];
    /// `out` = x_jᵀr/n for the features of `set`, in order.
    fn correlations_on(&mut self, set: &[usize], out: &mut Vec<f64>) {
        out.clear();
        out.extend(set.iter().map(|&j| self.corr(j)));
    }
    /// Whether [`Updates::screen_chunk`] and [`Updates::set_residual`] work: the path then
    /// looks ahead (see [`crate::lookahead`]).
    const LOOKAHEAD: bool = false;
    /// The pass after a chunk's working-set solves: `chunk.c[i]` for every solved alpha i, as
    /// [`Updates::screen`] gives it at that alpha's residual, working set and `l1s[i]`; the
    /// state's own residual is left as it was. Only called when [`Updates::LOOKAHEAD`].
    fn screen_chunk(&mut self, _chunk: &mut Chunk, _l1s: &[f64]) {
        unreachable!("screen_chunk without LOOKAHEAD")
    }
    /// Sets the residual (y − Xβ for the β the caller now holds). Only called when
    /// [`Updates::LOOKAHEAD`].
    fn set_residual(&mut self, _r: &[f64]) {
        unreachable!("set_residual without LOOKAHEAD")
    }
    /// ‖r‖²/(2n) at the current β (the data-fit term of the objective).
    fn fit(&mut self, beta: &[f64], active: &[usize]) -> f64;
}

/// Residual updates: r −= Δ·x_j, r held as a [`Shifted`] vector (O(nnz_j) on sparse columns).
struct Naive<'a, M> {
    x: &'a M,
    r: Shifted<'static>,
    inv_n: f64,
}

impl<M: Matrix> Coordinates for Naive<'_, M> {
    #[inline]
    fn corr(&self, j: usize) -> f64 {
        self.x.col_dot_shifted(j, &self.r) * self.inv_n
    }
    #[inline]
    fn shift(&mut self, j: usize, delta: f64) {
        self.x.col_axpy_shifted(j, -delta, &mut self.r);
    }
}

impl<M: Matrix> Updates for Naive<'_, M> {
    const CHEAP_SUBPROBLEM_GAP: bool = true;
    fn refresh(&mut self, _beta: &[f64], c: &mut [f64]) {
        self.x.correlations(self.r.values(), self.inv_n, c);
    }
    fn residual(&mut self) -> &[f64] {
        self.r.values()
    }
    fn fit(&mut self, _beta: &[f64], _active: &[usize]) -> f64 {
        let r = self.r.values();
        dot(r, r) * self.inv_n * 0.5
    }
}

/// Covariance updates: c −= Δ·G[:, j] with Gram columns G[:, j] = Xᵀx_j/n computed on first use.
struct Covariance<'a, M> {
    x: &'a M,
    y: &'a [f64],
    r: Vec<f64>,
    c: Vec<f64>,
    gram: Vec<Option<Vec<f64>>>,
    inv_n: f64,
    /// Xᵀy/n and yᵀy/n, for the data-fit value.
    c0: Vec<f64>,
    yy_n: f64,
}

impl<M: Matrix> Coordinates for Covariance<'_, M> {
    #[inline]
    fn corr(&self, j: usize) -> f64 {
        self.c[j]
    }
    fn shift(&mut self, j: usize, delta: f64) {
        if self.gram[j].is_none() {
            let (n, p) = self.x.dim();
            let mut xj = vec![0.0; n];
            self.x.col_axpy(j, 1.0, &mut xj);
            let mut g = vec![0.0; p];
            self.x.correlations(&xj, self.inv_n, &mut g);
            self.gram[j] = Some(g);
        }
        axpy(
            -delta,
            self.gram[j].as_deref().expect("just filled"),
            &mut self.c,
        );
    }
}

impl<M: Matrix> Updates for Covariance<'_, M> {
    const CHEAP_SUBPROBLEM_GAP: bool = false;
    fn refresh(&mut self, beta: &[f64], c: &mut [f64]) {
        self.r = self.x.residual(self.y, beta);
        self.x.correlations(&self.r, self.inv_n, c);
        self.c.copy_from_slice(c);
    }
    fn residual(&mut self) -> &[f64] {
        &self.r
    }
    /// ‖r‖²/n = yᵀy/n − βᵀ(Xᵀy/n) − βᵀc, summed over the nonzero coefficients in `active`.
    fn fit(&mut self, beta: &[f64], active: &[usize]) -> f64 {
        let mut s = self.yy_n;
        for &j in active {
            s -= beta[j] * (self.c0[j] + self.c[j]);
        }
        0.5 * s
    }
}

/// Residual updates on dense columns with the kernels of [`crate::kernels`], and screening
/// passes on an f32 copy of X (when it could be made).
struct DenseNaive<'a> {
    x: Dense<'a>,
    low: Option<F32Columns>,
    /// ‖x_j‖ (Euclidean), for the f32 copy's error bound.
    col_norm: Vec<f64>,
    r: Vec<f64>,
    inv_n: f64,
    /// Bounds carried between screening passes.
    drift: DriftBounds,
    /// The features a screening pass reads (scratch).
    reads: Vec<usize>,
}

/// How many columns ahead a screening pass prefetches.
const PREFETCH_AHEAD: usize = 4;

/// Asks the CPU to bring `col` into cache (a hint; nothing on other architectures).
#[inline(always)]
fn prefetch<T>(col: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let bytes = std::mem::size_of_val(col);
        let base = col.as_ptr() as *const i8;
        for off in (0..bytes).step_by(64) {
            // SAFETY: a prefetch never faults, and the address lies within `col`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.add(off)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = col;
}

impl Coordinates for DenseNaive<'_> {
    #[inline]
    fn corr(&self, j: usize) -> f64 {
        Baseline.dot(self.x.col(j), &self.r) * self.inv_n
    }
    #[inline]
    fn shift(&mut self, j: usize, delta: f64) {
        Baseline.axpy(-delta, self.x.col(j), &mut self.r);
    }
}

/// [`DenseNaive`]'s coordinates on the kernels `K`.
struct DenseOn<'s, 'a, K> {
    s: &'s mut DenseNaive<'a>,
    k: K,
}

impl<K: Kernels> Coordinates for DenseOn<'_, '_, K> {
    #[inline(always)]
    fn corr(&self, j: usize) -> f64 {
        self.k.dot(self.s.x.col(j), &self.s.r) * self.s.inv_n
    }
    #[inline(always)]
    fn shift(&mut self, j: usize, delta: f64) {
        self.k.axpy(-delta, self.s.x.col(j), &mut self.s.r);
    }
}

/// A CD epoch on [`DenseNaive`], as a loop for [`with_best`].
struct DenseEpoch<'s, 'a, 'v> {
    s: &'s mut DenseNaive<'a>,
    set: &'v [usize],
    norms: &'v [f64],
    beta: &'v mut [f64],
    weights: Weights,
}

impl KernelLoop for DenseEpoch<'_, '_, '_> {
    type Output = f64;
    #[inline(always)]
    fn run<K: Kernels>(self, k: K) -> f64 {
        let mut on = DenseOn { s: self.s, k };
        cd_epoch(&mut on, self.set, self.norms, self.beta, self.weights)
    }
}

/// The screening pass of [`DenseNaive`], as a loop for [`with_best`] (see [`Updates::screen`]).
struct DenseScreen<'s, 'a, 'v> {
    s: &'s mut DenseNaive<'a>,
    c: &'v mut [f64],
    member: Option<&'v [bool]>,
    l1: f64,
}

impl KernelLoop for DenseScreen<'_, '_, '_> {
    type Output = ();
    #[inline(always)]
    fn run<K: Kernels>(self, k: K) {
        let DenseNaive {
            x,
            low,
            col_norm,
            r,
            inv_n,
            drift,
            reads,
        } = self.s;
        let (inv_n, low) = (*inv_n, low.as_ref());
        drift.begin(r, inv_n);
        let margin = low.map_or(0.0, F32Columns::error_factor) * k.dot(r, r).sqrt() * inv_n;
        // a bound carried from an earlier pass; then the f32 copy's; then f64
        let screened = |j: usize| self.member.is_some_and(|m| !m[j]);
        reads.clear();
        for (j, cj) in self.c.iter_mut().enumerate() {
            let carried = drift.bound(j, col_norm[j]);
            if screened(j) && carried <= self.l1 {
                *cj = carried;
            } else {
                reads.push(j);
            }
        }
        // the columns read are scattered: fetch a few ahead of their use
        let fetch = |j: usize| match low {
            Some(low) if screened(j) => prefetch(low.col(j)),
            _ => prefetch(x.col(j)),
        };
        reads.iter().take(PREFETCH_AHEAD).for_each(|&j| fetch(j));
        for (i, &j) in reads.iter().enumerate() {
            if let Some(&ahead) = reads.get(i + PREFETCH_AHEAD) {
                fetch(ahead);
            }
            let cj = &mut self.c[j];
            if screened(j) {
                if let Some(low) = low {
                    let approx = k.dot_f32(low.col(j), r) * inv_n;
                    let bound = approx.abs() + margin * col_norm[j];
                    if bound <= self.l1 {
                        *cj = bound.copysign(approx);
                        drift.record(j, bound);
                        continue;
                    }
                }
            }
            *cj = k.dot(x.col(j), r) * inv_n;
            drift.record(j, cj.abs());
        }
    }
}

/// [`Updates::correlations_on`] for [`DenseNaive`], as a loop for [`with_best`].
struct DenseCorrelations<'s, 'a, 'v> {
    s: &'s DenseNaive<'a>,
    set: &'v [usize],
    out: &'v mut Vec<f64>,
}

impl KernelLoop for DenseCorrelations<'_, '_, '_> {
    type Output = ();
    #[inline(always)]
    fn run<K: Kernels>(self, k: K) {
        let s = self.s;
        self.out.clear();
        self.out
            .extend(self.set.iter().map(|&j| k.dot(s.x.col(j), &s.r) * s.inv_n));
    }
}

/// The pass after a look-ahead chunk, as a loop for [`with_best`] (see [`Updates::screen_chunk`]):
/// each column is read once and correlated with every solved alpha's residual.
struct DenseChunkScreen<'s, 'a, 'v> {
    s: &'s mut DenseNaive<'a>,
    chunk: &'v mut Chunk,
    l1s: &'v [f64],
}

impl KernelLoop for DenseChunkScreen<'_, '_, '_> {
    type Output = ();
    #[inline(always)]
    fn run<K: Kernels>(self, k: K) {
        let DenseNaive {
            x,
            low,
            col_norm,
            inv_n,
            drift,
            ..
        } = self.s;
        let (inv_n, low) = (*inv_n, low.as_ref());
        self.chunk.c_for_pass();
        let mut cs = std::mem::take(&mut self.chunk.c);
        let m = self.chunk.solved.len();
        let rs: Vec<&[f64]> = self.chunk.solved.iter().map(|s| &s.r[..]).collect();
        let kappa = low.map_or(0.0, F32Columns::error_factor);
        let margins: Vec<f64> = rs
            .iter()
            .map(|r| kappa * k.dot(r, r).sqrt() * inv_n)
            .collect();
        // a column whose carried bounds (see [`DriftBounds`]) stay within every λ1 is not
        // read; its bounds stand in for c and its last value read stays the estimate
        let dists: Vec<Vec<f64>> = rs.iter().map(|r| drift.distances(r, inv_n)).collect();
        let mut carried = [0.0; MAX_MANY];
        let mut read = Vec::with_capacity(self.chunk.in_ws.len());
        for (j, &w) in self.chunk.in_ws.iter().enumerate() {
            let skip = w == 0
                && (0..m).all(|i| {
                    carried[i] = drift.bound_from(j, col_norm[j], &dists[i]);
                    carried[i] <= self.l1s[i]
                });
            if skip {
                (0..m).for_each(|i| cs[i][j] = carried[i]);
            } else {
                read.push(j);
            }
        }
        drift.begin(rs[m - 1], inv_n);
        let (in_ws, l1s) = (&self.chunk.in_ws, self.l1s);
        let column = |j: usize| -> [f64; MAX_MANY] {
            let mut approx = [0.0; MAX_MANY];
            if let Some(low) = low {
                k.dot_f32_many(low.col(j), &rs, &mut approx[..m]);
                approx[..m].iter_mut().for_each(|a| *a *= inv_n);
            }
            let mut c = [0.0; MAX_MANY];
            for i in 0..m {
                let member = in_ws[j] & (1 << i) != 0;
                let bound = approx[i].abs() + margins[i] * col_norm[j];
                c[i] = if low.is_some() && !member && bound <= l1s[i] {
                    bound.copysign(approx[i])
                } else {
                    k.dot(x.col(j), rs[i]) * inv_n
                };
            }
            c
        };
        let mut store = |j: usize, c: &[f64; MAX_MANY]| {
            (0..m).for_each(|i| cs[i][j] = c[i]);
            drift.record(j, c[m - 1].abs());
        };
        // the columns are independent: the pool's threads share them
        if rayon::current_num_threads() > 1 {
            let values: Vec<[f64; MAX_MANY]> = read.par_iter().map(|&j| column(j)).collect();
            read.iter().zip(&values).for_each(|(&j, c)| store(j, c));
        } else {
            read.iter().for_each(|&j| store(j, &column(j)));
        }
        self.chunk.c = cs;
    }
}

impl Updates for DenseNaive<'_> {
    const CHEAP_SUBPROBLEM_GAP: bool = true;
    const LOOKAHEAD: bool = true;
    fn screen_chunk(&mut self, chunk: &mut Chunk, l1s: &[f64]) {
        with_best(DenseChunkScreen {
            s: self,
            chunk,
            l1s,
        })
    }
    fn set_residual(&mut self, r: &[f64]) {
        self.r.copy_from_slice(r);
    }
    fn correlations_on(&mut self, set: &[usize], out: &mut Vec<f64>) {
        with_best(DenseCorrelations { s: self, set, out })
    }
    fn refresh(&mut self, _beta: &[f64], c: &mut [f64]) {
        with_best(DenseScreen {
            s: self,
            c,
            member: None,
            l1: 0.0,
        })
    }
    fn screen(&mut self, _beta: &[f64], c: &mut [f64], member: &[bool], l1: f64) {
        with_best(DenseScreen {
            s: self,
            c,
            member: Some(member),
            l1,
        })
    }
    fn epoch(&mut self, set: &[usize], norms: &[f64], beta: &mut [f64], weights: Weights) -> f64 {
        with_best(DenseEpoch {
            s: self,
            set,
            norms,
            beta,
            weights,
        })
    }
    fn strong_estimates<'s>(&'s self, _c: &'s [f64]) -> &'s [f64] {
        self.drift.last()
    }
    fn residual(&mut self) -> &[f64] {
        &self.r
    }
    fn fit(&mut self, _beta: &[f64], _active: &[usize]) -> f64 {
        dot(&self.r, &self.r) * self.inv_n * 0.5
    }
}

/// [`cd_path`] on dense X, faster: for n ≤ p, SIMD kernels and f32 screening passes (see the
/// module's doc); for n > p, covariance updates as in [`cd_path`]. Same stopping rule.
pub fn cd_path_dense(
    x: &Dense,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    params: &CdParams,
) -> Path {
    let (n, p) = x.dim();
    if n > p {
        return cd_path(x, y, alphas, penalty, params);
    }
    let y = y.to_vec();
    let state = DenseNaive {
        x: x.clone(),
        low: F32Columns::new(x),
        col_norm: (0..p).map(|j| dot(x.col(j), x.col(j)).sqrt()).collect(),
        r: y.clone(),
        inv_n: 1.0 / n as f64,
        drift: DriftBounds::new(n, p),
        reads: Vec::with_capacity(p),
    };
    run_path(state, x, &y, alphas, penalty, params)
}

/// Solves the elastic-net path at `alphas` (in the given order, warm-starting each from the last).
/// X: n × p column-major (centered when an intercept is fitted); y: matching targets.
pub fn cd_path<M: Matrix>(
    x: M,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    params: &CdParams,
) -> Path {
    let (n, p) = x.dim();
    let y = y.to_vec();
    let inv_n = 1.0 / n as f64;
    if n > p {
        let mut c0 = vec![0.0; p];
        x.correlations(&y, inv_n, &mut c0);
        let yy_n = dot(&y, &y) * inv_n;
        let state = Covariance {
            x: &x,
            y: &y,
            r: y.clone(),
            c: c0.clone(),
            gram: vec![None; p],
            inv_n,
            c0,
            yy_n,
        };
        run_path(state, &x, &y, alphas, penalty, params)
    } else {
        let state = Naive {
            x: &x,
            r: Shifted::new(y.clone(), None),
            inv_n,
        };
        run_path(state, &x, &y, alphas, penalty, params)
    }
}

/// What every alpha's solve reads: the data's scales and the stopping parameters.
struct Ctx<'a> {
    y: &'a [f64],
    /// v_j = ‖x_j‖²/n.
    norms: Vec<f64>,
    /// The gap's scale (‖y‖²/n).
    y_scale: f64,
    penalty: Penalty,
    params: &'a CdParams,
}

impl Ctx<'_> {
    /// Whether feature j can move (a zero column never does).
    fn usable(&self, j: usize) -> bool {
        self.norms[j] > 0.0
    }

    /// The working-set CD's first stopping tolerance (objective scale).
    fn first_inner_tol(&self) -> f64 {
        self.params.tol.max(1e-16) * self.y_scale
    }

    /// Whether a tolerance has reached the gap floor of f64 arithmetic.
    fn at_floor(&self, inner_tol: f64) -> bool {
        inner_tol < 1e-30 * self.y_scale
    }

    fn epochs_left(&self, epochs: usize) -> usize {
        self.params.max_epochs - epochs.min(self.params.max_epochs)
    }
}

/// Solves the working-set problem at `alpha` to its own certified gap (half the target) before
/// a pass over all of X is paid for (cheap with residual updates: O(n·|ws|)); tightens
/// `inner_tol` tenfold each time the working-set gap is not met.
#[allow(clippy::too_many_arguments)]
fn solve_subproblem<U: Updates>(
    state: &mut U,
    ctx: &Ctx,
    ws: &[usize],
    beta: &mut [f64],
    alpha: f64,
    inner_tol: &mut f64,
    epochs: &mut usize,
    scratch: &mut (Vec<f64>, Vec<f64>),
) {
    let weights = ctx.penalty.at(alpha);
    loop {
        *epochs += solve_working_set(
            state,
            ws,
            &ctx.norms,
            beta,
            weights,
            *inner_tol,
            ctx.epochs_left(*epochs),
        );
        if !U::CHEAP_SUBPROBLEM_GAP || *epochs >= ctx.params.max_epochs || ctx.at_floor(*inner_tol)
        {
            return;
        }
        let (ws_beta, ws_c) = scratch;
        ws_beta.clear();
        ws_beta.extend(ws.iter().map(|&j| beta[j]));
        state.correlations_on(ws, ws_c);
        let sub = certify_parts(ctx.y, ws_beta, state.residual(), ws_c, alpha, ctx.penalty);
        if sub.rel_gap <= 0.5 * ctx.params.tol && sub.kkt <= 0.5 * ctx.params.kkt_tol {
            return;
        }
        *inner_tol *= 0.1;
    }
}

/// Finishes `alpha` from the working set `set`: working-set solves and passes over X, adding
/// KKT violators, until the certified gap (and KKT error) meets the target. Returns whether it
/// did; `epochs` counts on.
#[allow(clippy::too_many_arguments)]
fn finish_alpha<U: Updates>(
    state: &mut U,
    ctx: &Ctx,
    set: &mut WorkingSet,
    beta: &mut [f64],
    c: &mut [f64],
    alpha: f64,
    mut inner_tol: f64,
    epochs: &mut usize,
    scratch: &mut (Vec<f64>, Vec<f64>),
) -> bool {
    let l1 = ctx.penalty.l1(alpha);
    loop {
        solve_subproblem(
            state,
            ctx,
            &set.ws,
            beta,
            alpha,
            &mut inner_tol,
            epochs,
            scratch,
        );
        state.screen(beta, c, set.members(), l1);
        let added = set.add_violators(c, l1, |j| ctx.usable(j));
        if added > 0 && *epochs < ctx.params.max_epochs {
            continue;
        }
        let cert = certify_parts(ctx.y, beta, state.residual(), c, alpha, ctx.penalty);
        if cert.rel_gap <= ctx.params.tol && cert.kkt <= ctx.params.kkt_tol && added == 0 {
            return true;
        }
        // The gap floor of f64 arithmetic: no further progress is possible.
        if *epochs >= ctx.params.max_epochs || ctx.at_floor(inner_tol) {
            return false;
        }
        inner_tol *= 0.1;
    }
}

fn run_path<U: Updates>(
    mut state: U,
    x: &impl Matrix,
    y: &[f64],
    alphas: &[f64],
    penalty: Penalty,
    params: &CdParams,
) -> Path {
    let (n, p) = x.dim();
    let ctx = Ctx {
        y,
        norms: (0..p)
            .map(|j| x.col_weighted_sq(j, None) / n as f64)
            .collect(),
        y_scale: regpath_core::loss::squared_gap_scale(y),
        penalty,
        params,
    };
    let l1s: Vec<f64> = alphas.iter().map(|&a| penalty.l1(a)).collect();
    let mut path = Path::zeros(alphas.to_vec(), p);
    let mut beta = vec![0.0; p];
    let mut c = vec![0.0; p];
    state.refresh(&beta, &mut c);
    let mut set = WorkingSet::new(p);
    let mut scratch = (Vec::new(), Vec::new());
    let mut chunk = Chunk::new(if U::LOOKAHEAD { p } else { 0 });
    let mut record = |k: usize, beta: &[f64], epochs: usize, converged: bool| {
        path.coefs.row_mut(k).assign(&ArrayView1::from(beta));
        path.iterations[k] = epochs;
        path.converged[k] = converged;
    };
    // the longest chunk: halved when a pass sends the path back, doubled when it does not
    let mut cap = MAX_CHUNK;
    let mut k = 0;
    while k < alphas.len() {
        let before = l1s[k.saturating_sub(1)];
        let m = if U::LOOKAHEAD {
            chunk_len(&l1s, k, cap)
        } else {
            1
        };
        if m == 1 {
            set.start(&beta, state.strong_estimates(&c), l1s[k], before, |j| {
                ctx.usable(j)
            });
            let mut epochs = 0;
            let inner_tol = ctx.first_inner_tol();
            let ok = finish_alpha(
                &mut state,
                &ctx,
                &mut set,
                &mut beta,
                &mut c,
                alphas[k],
                inner_tol,
                &mut epochs,
                &mut scratch,
            );
            record(k, &beta, epochs, ok);
            k += 1;
            cap = (2 * cap).min(MAX_CHUNK);
            continue;
        }
        // Look ahead: solve m alphas on their strong sets, then one pass checks them all.
        let estimates = state.strong_estimates(&c).to_vec();
        chunk.clear();
        for i in 0..m {
            // the nonzeros and the features whose |c_j| before the chunk reaches halfway down
            // to λ1 here (the strong rule's 2λ1 − λ1(before) would take most features this far)
            let halfway = 0.5 * (before + l1s[k + i]);
            set.start(&beta, &estimates, halfway, halfway, |j| ctx.usable(j));
            let (mut inner_tol, mut epochs) = (ctx.first_inner_tol(), 0);
            solve_subproblem(
                &mut state,
                &ctx,
                &set.ws,
                &mut beta,
                alphas[k + i],
                &mut inner_tol,
                &mut epochs,
                &mut scratch,
            );
            chunk.push(Solved {
                beta: set.ws.iter().map(|&j| beta[j]).collect(),
                ws: set.ws.clone(),
                r: state.residual().to_vec(),
                inner_tol,
                epochs,
            });
        }
        state.screen_chunk(&mut chunk, &l1s[k..k + m]);
        let mut accepted = 0;
        let mut gap_missed = false;
        while accepted < m {
            let i = accepted;
            if chunk.violators(i, l1s[k + i], |j| ctx.usable(j)) > 0 {
                break;
            }
            chunk.restore_beta(i, &mut beta);
            let (alpha, s) = (alphas[k + i], &chunk.solved[i]);
            let cert = certify_parts(y, &beta, &s.r, &chunk.c[i], alpha, penalty);
            if !(cert.rel_gap <= params.tol && cert.kkt <= params.kkt_tol) {
                gap_missed = true;
                break;
            }
            record(k + i, &beta, s.epochs, true);
            accepted += 1;
        }
        if accepted == m {
            // β and the residual are already the chunk's last
            c.copy_from_slice(&chunk.c[m - 1]);
            k += m;
            cap = (2 * cap).min(MAX_CHUNK);
            continue;
        }
        // Back to the first alpha the pass did not certify, with its solution and its c.
        let i = accepted;
        cap = (cap / 2).max(1);
        #[cfg(test)]
        tests::FALLBACKS.with(|f| f.set(f.get() + 1));
        chunk.restore_beta(i, &mut beta);
        let s = &chunk.solved[i];
        state.set_residual(&s.r);
        c.copy_from_slice(&chunk.c[i]);
        set.reset_to(&s.ws);
        set.add_violators(&c, l1s[k + i], |j| ctx.usable(j));
        let mut epochs = s.epochs;
        let inner_tol = if gap_missed {
            0.1 * s.inner_tol
        } else {
            s.inner_tol
        };
        let ok = finish_alpha(
            &mut state,
            &ctx,
            &mut set,
            &mut beta,
            &mut c,
            alphas[k + i],
            inner_tol,
            &mut epochs,
            &mut scratch,
        );
        record(k + i, &beta, epochs, ok);
        k += i + 1;
    }
    path
}

/// CD on the working set with active-set cycling; returns epochs used.
/// Stops when the largest objective-scale move `v_j Δ_j²` of a full working-set pass is below `tol`.
fn solve_working_set<U: Updates>(
    state: &mut U,
    ws: &[usize],
    norms: &[f64],
    beta: &mut [f64],
    weights: Weights,
    tol: f64,
    max_epochs: usize,
) -> usize {
    let mut epochs = 0;
    let mut active: Vec<usize> = Vec::with_capacity(ws.len());
    let mut anderson = Anderson::default();
    while epochs < max_epochs {
        let moved = state.epoch(ws, norms, beta, weights);
        epochs += 1;
        if moved < tol {
            break;
        }
        active.clear();
        active.extend(ws.iter().copied().filter(|&j| beta[j] != 0.0));
        anderson.reset(active.len());
        while epochs < max_epochs {
            let moved = state.epoch(&active, norms, beta, weights);
            epochs += 1;
            if moved < tol {
                break;
            }
            anderson.push(&active, beta);
            if anderson.is_full() {
                anderson.try_extrapolate(state, &active, beta, weights);
            }
        }
    }
    epochs
}

/// One cyclic pass over `set`: β_j ← S(x_jᵀr/n + v_j β_j, λ1) / (v_j + λ2). Returns max v_j Δ_j².
#[inline(always)]
fn cd_epoch<U: Coordinates + ?Sized>(
    state: &mut U,
    set: &[usize],
    norms: &[f64],
    beta: &mut [f64],
    weights: Weights,
) -> f64 {
    let mut moved: f64 = 0.0;
    for &j in set {
        let v = norms[j];
        let old = beta[j];
        let new = weights.coordinate_min(state.corr(j) + v * old, v);
        let delta = new - old;
        if delta != 0.0 {
            state.shift(j, delta);
            beta[j] = new;
            moved = moved.max(v * delta * delta);
        }
    }
    moved
}

/// Anderson extrapolation of CD iterates on a fixed active set (Bertrand & Massias 2021,
/// "Anderson acceleration of coordinate descent"): from the last M+1 epochs' iterates, the affine
/// combination minimizing the norm of the combined differences; kept only if the objective drops.
#[derive(Default)]
struct Anderson {
    /// Last iterates restricted to the active set, oldest first.
    iterates: Vec<Vec<f64>>,
    width: usize,
}

impl Anderson {
    const M: usize = 5;

    fn reset(&mut self, width: usize) {
        self.iterates.clear();
        self.width = width;
    }

    fn push(&mut self, active: &[usize], beta: &[f64]) {
        let mut v = if self.iterates.len() > Self::M {
            self.iterates.remove(0)
        } else {
            Vec::with_capacity(self.width)
        };
        v.clear();
        v.extend(active.iter().map(|&j| beta[j]));
        self.iterates.push(v);
    }

    fn is_full(&self) -> bool {
        self.iterates.len() == Self::M + 1
    }

    fn try_extrapolate<U: Updates>(
        &mut self,
        state: &mut U,
        active: &[usize],
        beta: &mut [f64],
        weights: Weights,
    ) {
        let m = Self::M;
        let diffs: Vec<Vec<f64>> = (0..m)
            .map(|i| {
                self.iterates[i + 1]
                    .iter()
                    .zip(&self.iterates[i])
                    .map(|(a, b)| a - b)
                    .collect()
            })
            .collect();
        let mut gram = [[0.0f64; Self::M]; Self::M];
        for i in 0..m {
            for k in i..m {
                let v = dot(&diffs[i], &diffs[k]);
                gram[i][k] = v;
                gram[k][i] = v;
            }
        }
        self.iterates.clear();
        let Some(z) = solve_spd_ones(gram) else {
            return;
        };
        let total: f64 = z.iter().sum();
        if !(total.is_finite() && total.abs() > 1e-300) {
            return;
        }
        let pen = |beta: &[f64]| weights.value_on(beta, active);
        let before = state.fit(beta, active) + pen(beta);
        let old: Vec<f64> = active.iter().map(|&j| beta[j]).collect();
        // iterates were cleared; rebuild the combination from the diffs' partial sums:
        // Σ c_i w_{i+1} = w_m − Σ_{i<m} (Σ_{k≤i} c_k) d_{i+1}, with w_m the current β.
        let c: Vec<f64> = z.iter().map(|v| v / total).collect();
        let mut acc = old.clone();
        let mut cum = 0.0;
        for i in 0..m - 1 {
            cum += c[i];
            for (a, d) in acc.iter_mut().zip(&diffs[i + 1]) {
                *a -= cum * d;
            }
        }
        for (idx, &j) in active.iter().enumerate() {
            let delta = acc[idx] - beta[j];
            if delta != 0.0 {
                state.shift(j, delta);
                beta[j] = acc[idx];
            }
        }
        let after = state.fit(beta, active) + pen(beta);
        // keep the extrapolation only if it lowered the objective (a NaN does not)
        let improved = after < before;
        if !improved {
            for (idx, &j) in active.iter().enumerate() {
                let delta = old[idx] - beta[j];
                if delta != 0.0 {
                    state.shift(j, delta);
                    beta[j] = old[idx];
                }
            }
        }
    }
}

/// Solves `G z = 1` for a small symmetric positive semi-definite G (Cholesky with a relative
/// ridge); None when G is numerically singular.
fn solve_spd_ones<const M: usize>(mut g: [[f64; M]; M]) -> Option<[f64; M]> {
    let trace: f64 = (0..M).map(|i| g[i][i]).sum();
    if !(trace > 0.0 && trace.is_finite()) {
        return None;
    }
    for (i, row) in g.iter_mut().enumerate() {
        row[i] += 1e-10 * trace;
    }
    let mut l = [[0.0f64; M]; M];
    for i in 0..M {
        for k in 0..=i {
            let s = g[i][k] - (0..k).map(|t| l[i][t] * l[k][t]).sum::<f64>();
            if i == k {
                if s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][k] = s / l[k][k];
            }
        }
    }
    let mut z = [1.0f64; M];
    for i in 0..M {
        z[i] = (z[i] - (0..i).map(|t| l[i][t] * z[t]).sum::<f64>()) / l[i][i];
    }
    for i in (0..M).rev() {
        z[i] = (z[i] - (i + 1..M).map(|t| l[t][i] * z[t]).sum::<f64>()) / l[i][i];
    }
    Some(z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2, ShapeBuilder};
    use regpath_core::certify::certify;
    use std::cell::Cell;

    thread_local! {
        /// Look-ahead chunks sent back by their pass, on this thread.
        pub(super) static FALLBACKS: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn features_that_violate_inside_a_chunk_send_the_path_back_and_every_alpha_is_certified() {
        // (n ≤ p: the dense path that looks ahead) x1 starts uncorrelated with y but tracks x0,
        // so its |c1| grows as β0 does: features whose correlation before a chunk is below λ1
        // come to violate KKT inside it.
        let (n, p) = (30, 60);
        let mut x = Array2::<f64>::zeros((n, p).f());
        for ((i, j), v) in x.indexed_iter_mut() {
            *v = ((i * 37 + j * 11) as f64 * 0.731).sin() + 0.1 * ((i * j) as f64).cos();
        }
        let x0 = x.column(0).to_owned();
        let noise: Array1<f64> = (0..n).map(|i| (i as f64 * 1.93).cos()).collect();
        x.column_mut(1).assign(&(&x0 * 0.8 + &noise * 0.6));
        let mut y: Array1<f64> = &x0 * 2.0 + &x.column(2) * 0.5;
        let x1 = x.column(1).to_owned();
        let along = y.dot(&x1) / x1.dot(&x1);
        y = &y - &(&x1 * along);
        assert!(y.dot(&x1).abs() < 1e-9);
        let dense = Dense::new(x.view());
        let c0: Vec<f64> = (0..p)
            .map(|j| x.column(j).dot(&y).abs() / n as f64)
            .collect();
        let top = c0.iter().cloned().fold(0.0, f64::max);
        let alphas: Vec<f64> = (0..60).map(|k| top * 0.9f64.powi(k)).collect();
        let params = CdParams {
            tol: 1e-10,
            ..Default::default()
        };
        FALLBACKS.with(|f| f.set(0));
        let path = cd_path_dense(&dense, y.view(), &alphas, Penalty::LASSO, &params);
        assert!(FALLBACKS.with(|f| f.get()) > 0, "no chunk was sent back");
        for (k, &a) in alphas.iter().enumerate() {
            assert!(path.converged[k], "alpha {k}");
            let c = certify(&dense, y.view(), path.coefs.row(k), a, Penalty::LASSO);
            assert!(c.rel_gap <= 1e-10, "alpha {k}: exact gap {}", c.rel_gap);
        }
    }
}
