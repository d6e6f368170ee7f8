//! Working-set kernels (shaders/cd.wgsl): gather X_W, β_W and g_W, the inner solve on W (one
//! workgroup per alpha) — CD epochs (g and β_W in workgroup memory or, when w is too large, in
//! storage) or FISTA iterations with the Gram's step — and the scatter.

use super::{flat_groups, XBlock, ONE};
use crate::context::{Cost, Decl, GpuContext, Kernel, Op, Precision};
#[cfg(test)]
use crate::context::{BOUNDED_LOOP_BUDGET, BOUNDED_LOOP_LIMIT, LOOP_BUDGET};

family! {
    pub(crate) static CD_WGSL = "cd", common ["dw", "penalty"],
        header [
            Decl::U32("WG", 64), Decl::U32("BLOCK", 16), Decl::Bool("WG_MEM", false),
            Decl::U32("WG_CAP", 1), Decl::U32("FOLDS", 0),
        ];
    /// The working set W (w feature indices), the source and the destination of a gather or
    /// scatter.
    struct MoveArgs { ws: 1 R, src: 2 R, dst: 3 W }
        => GATHER_COLS = "gather_cols", GATHER_ROWS = "gather_rows", SCATTER_ROWS = "scatter_rows";
    /// Buffers of one inner CD call: the Gram(s), g and β_W (w × k), λ per alpha, the outer gaps
    /// and ‖r‖²/n, the live flags, epochs then done flags (2k u32), and the working copies of g
    /// and β_W for the storage variant (2 · w × k).
    struct InnerCd {
        gram: 4 R, g: 5 W, beta: 6 W, lam: 7 R, gap: 8 R, active: 9 R, epochs: 10 W, work: 11 W,
    } => CD_INNER = "cd_inner", FISTA_INNER = "fista_inner";
    /// The Gram(s) and the inner kernels' `work`, where the power iteration leaves each Gram's L.
    struct GramNorm { gram: 4 R, work: 11 W } => GRAM_NORM = "gram_norm";
}

/// Bytes of workgroup memory the inner kernel needs besides its arrays (flag, alignment).
const WG_RESERVED: u64 = 64;

/// Coordinates the inner kernel solves between two barriers (shaders/cd.wgsl BLOCK; a multiple
/// of 4): every thread of the workgroup solves them in order, so the iterates are plain CD's.
pub(crate) const BLOCK: usize = 16;

/// Differences of β_W snapshots an Anderson extrapolation combines (shaders/cd.wgsl AA, below
/// [`REFRESH`]); one runs every REFRESH epochs of an inner call, numbered across its dispatches.
const AA: u64 = 3;

/// Slots of w × k entries the inner kernel's `work` buffer holds: the working g and β_W (storage
/// variant), AA + 1 β_W snapshots and the extrapolation's step.
pub(crate) const WORK_SLOTS: usize = 2 + AA as usize + 2;

/// Shape of one working-set step: n samples, p features, k alphas, w working-set features.
#[derive(Clone, Copy)]
pub(crate) struct WsDims {
    pub n: usize,
    pub p: usize,
    pub k: usize,
    pub w: usize,
    /// Alphas per Gram: alpha a uses Gram a / per_gram (k: one Gram; CV: the alphas per fold).
    pub per_gram: usize,
}

impl WsDims {
    fn dims(&self, j0: usize, cols: usize, max_epochs: u32) -> [u32; 9] {
        let d = self;
        let per_gram = d.per_gram.max(1);
        let sizes = [d.n, d.p, d.k, d.w, j0, cols, max_epochs as usize, per_gram];
        let [a, b, c, e, f, g, h, i] = sizes.map(|v| v as u32);
        [a, b, c, e, f, g, h, i, ONE]
    }
}

/// A gather or scatter: one thread per entry of `count`.
fn move_op(
    ctx: &GpuContext,
    precision: Precision,
    kernel: &Kernel,
    (dims, count): ([u32; 9], usize),
    a: &MoveArgs,
) -> Op {
    let groups = flat_groups(ctx, count, 256);
    let cost = Cost {
        bytes: (2 * count * precision.size() + 4 * dims[3] as usize) as u64,
        flops: 0,
        steps: 1,
    };
    ctx.op(kernel, precision, &[], &dims, &a.buffers(), groups)
        .with_cost(cost)
}

/// Ops filling `xw` (n × w, column l = x_{W_l}) from X's blocks.
pub(crate) fn gather_cols(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    blocks: &[XBlock],
    (ws, xw): (&wgpu::Buffer, &wgpu::Buffer),
) -> Vec<Op> {
    blocks
        .iter()
        .map(|b| {
            let a = MoveArgs {
                ws,
                src: &b.buf,
                dst: xw,
            };
            let dims = d.dims(b.j0, b.cols, 0);
            move_op(ctx, precision, &GATHER_COLS, (dims, d.n * d.w), &a)
        })
        .collect()
}

/// dst (w × k) = rows W of src (p × k).
pub(crate) fn gather_rows(ctx: &GpuContext, precision: Precision, d: WsDims, a: &MoveArgs) -> Op {
    move_op(
        ctx,
        precision,
        &GATHER_ROWS,
        (d.dims(0, 0, 0), d.w * d.k),
        a,
    )
}

/// Rows W of dst (p × k) = src (w × k).
pub(crate) fn scatter_rows(ctx: &GpuContext, precision: Precision, d: WsDims, a: &MoveArgs) -> Op {
    move_op(
        ctx,
        precision,
        &SCATTER_ROWS,
        (d.dims(0, 0, 0), d.w * d.k),
        a,
    )
}

/// The largest power-of-two w (≤ 4096) whose g and β_W fit the adapter's workgroup memory.
pub(crate) fn workgroup_capacity(ctx: &GpuContext, precision: Precision) -> usize {
    let limit = ctx.limits.max_compute_workgroup_storage_size as u64;
    // the two Gram blocks and the reduction slots of the widest workgroup
    let widest = INNER_THREADS[1];
    let reserved = WG_RESERVED + (2 * BLOCK * BLOCK + 2 * widest) as u64 * precision.size() as u64;
    let mut cap = 4096u64;
    while cap > 1 && 2 * cap * precision.size() as u64 + reserved > limit {
        cap /= 2;
    }
    cap as usize
}

/// The header of an inner-CD pipeline: `threads` per workgroup, the working g and β_W in
/// workgroup arrays of `wg_cap` entries (`Some`) or in storage.
fn variant(threads: usize, wg_cap: Option<usize>, method: Inner) -> [Decl; 5] {
    [
        Decl::U32("WG", threads as u32),
        Decl::U32("BLOCK", BLOCK as u32),
        Decl::Bool("WG_MEM", wg_cap.is_some()),
        Decl::U32("WG_CAP", wg_cap.unwrap_or(1) as u32),
        Decl::U32("FOLDS", folds(method, threads) as u32),
    ]
}

/// Partial sums the first threads of an all-reduce form before every thread combines them
/// (shaders/cd.wgsl FOLDS). FISTA on more than 64 threads, which reduces every iteration: 16 (a
/// second barrier; each thread then reads 16 + 16 partials, not 256 — a CPU driver runs every
/// thread's reads one after another). Otherwise none: each thread reads all the partials after
/// one barrier (CD reduces only every [`REFRESH`] epochs).
fn folds(method: Inner, threads: usize) -> usize {
    if method == Inner::Fista && threads > 64 {
        16
    } else {
        0
    }
}

/// Barriers of one all-reduce of `method`'s kernel on `threads` threads.
fn reduce_steps(method: Inner, threads: usize) -> u64 {
    1 + (folds(method, threads) > 0) as u64
}

/// Loop trips of one thread in one all-reduce of `method`'s kernel on `threads` threads (vec4
/// reads), at worst.
fn reduce_trips(method: Inner, threads: usize) -> usize {
    match folds(method, threads) {
        0 => threads / 4,
        f => (threads / f) / 4 + f / 4,
    }
}

/// Every header a pipeline of the family may get, for the test that compiles them.
#[cfg(test)]
pub(crate) fn variants() -> Vec<Vec<Decl>> {
    let cd = INNER_THREADS
        .into_iter()
        .flat_map(|t| [None, Some(1024)].map(|cap| variant(t, cap, Inner::Cd).to_vec()));
    let fista = INNER_THREADS.map(|t| variant(t, None, Inner::Fista).to_vec());
    cd.chain(fista).collect()
}

/// Loop trips of one thread in one epoch of `cd_inner` on w features, at worst: per block the
/// pending block's write-back and this block's load (2·BLOCK), its solve (BLOCK coordinates of
/// BLOCK/4 vec4 updates), the thread's entries (each BLOCK steps) and a share of the next Gram
/// block; the snapshot of the thread's entries; an Anderson step (AA(AA+1)/2 sums of the thread's
/// entries and all-reduces over threads/4 vec4s, the AA × AA solve, the step on the thread's
/// entries); the refresh (w columns over the thread's entries); the step's objective change and
/// its application (two strided passes, two all-reduces); the restricted gap (two strided sums,
/// two all-reduces).
fn epoch_trips(w: usize, threads: usize) -> usize {
    let per_thread = w.div_ceil(threads);
    let q = BLOCK / 4;
    let aa = AA as usize;
    let reduce = reduce_trips(Inner::Cd, threads);
    let per_block =
        2 * BLOCK + q + BLOCK * (1 + q) + per_thread * (1 + BLOCK) + (BLOCK * q).div_ceil(threads);
    let step = aa * (aa + 1) / 2 * (per_thread + reduce + 1) + 3 * aa * aa + per_thread * (aa + 1);
    let refresh = per_thread + w * (1 + per_thread);
    let keep = 2 * per_thread + 2 * reduce;
    let gap = 2 * per_thread + 2 * reduce;
    w.div_ceil(BLOCK) * per_block + per_thread + step + refresh + keep + gap + BLOCK + 2
}

/// Threads of the inner kernel, whatever w: every thread solves each block, so more threads add
/// no speed to that chain but issue its instructions again (on a GPU, 8 warps of 256 threads
/// would make it issue-bound); 64 threads share the updates of g outside the block, a few
/// entries each at gene scale. Where a driver bounds loop trips and an epoch of 64 threads would
/// not fit the budget, 256 threads (fewer entries each).
const INNER_THREADS: [usize; 2] = [64, 256];

/// The largest w one epoch of the inner kernel (the widest workgroup's) runs in at most `limit`
/// loop trips: the working-set cap where a driver bounds loop trips.
pub(crate) fn widest_epoch(limit: usize) -> usize {
    let widest = INNER_THREADS[1];
    // epoch_trips grows with w: bisect on [1, 2^20]
    let (mut lo, mut hi) = (1usize, 1 << 20);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if epoch_trips(mid, widest) <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// What one dispatch of an inner call ran (see [`InnerPlan::runs`]).
struct Run {
    epochs: u64,
    refreshes: u64,
}

/// How the inner CD calls on a working set run: threads per workgroup, where g and β_W live, and
/// epochs per dispatch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct InnerPlan {
    pub threads: usize,
    /// g and β_W in workgroup arrays of this many entries (`Some`), or in storage (`work`).
    pub wg_cap: Option<usize>,
    pub per_dispatch: usize,
    pub dispatches: usize,
}

impl InnerPlan {
    /// Per dispatch of a call that ran `epochs` epochs (or iterations) in all: the epochs it ran
    /// and its refreshes (at every multiple of `period` of the call's epoch count and at its last
    /// epoch): [`REFRESH`] for CD, [`CHECK`] for FISTA.
    fn runs(self, epochs: u32, period: u64) -> impl Iterator<Item = Run> {
        let (e, per) = (epochs as u64, self.per_dispatch.max(1) as u64);
        (0..e.div_ceil(per)).map(move |i| {
            let (s, end) = (i * per, ((i + 1) * per).min(e));
            Run {
                epochs: end - s,
                refreshes: end / period - s / period + (end % period != 0) as u64,
            }
        })
    }

    /// Up to `epochs` epochs on w features, `budget` loop trips per dispatch
    /// ([`GpuContext::loop_budget`]); g and β_W in workgroup memory when w ≤ `wg_cap`, else (or
    /// when `force_storage`) in storage.
    pub(crate) fn new(
        w: usize,
        epochs: u32,
        budget: usize,
        (wg_cap, force_storage): (usize, bool),
    ) -> InnerPlan {
        let [few, many] = INNER_THREADS;
        let threads = if epoch_trips(w, few) <= budget {
            few
        } else {
            many
        };
        let per_dispatch = (budget / epoch_trips(w, threads)).clamp(1, epochs.max(1) as usize);
        InnerPlan {
            threads,
            wg_cap: (w <= wg_cap && !force_storage).then_some(wg_cap),
            per_dispatch,
            dispatches: (epochs.max(1) as usize).div_ceil(per_dispatch),
        }
    }
}

/// The method that solves the problem restricted to a working set, per alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inner {
    /// Coordinate descent epochs with Anderson extrapolation (gpu-cd, `cd_inner`).
    Cd,
    /// FISTA with gradient restart, step 1/(L_W + λ2) from the Gram's largest eigenvalue
    /// ([`gram_norm`]), every coordinate of an iteration at once (gpu-fista, `fista_inner`).
    Fista,
}

/// Dispatches running the epochs (CD) or iterations (FISTA) of `plan` on W for each active alpha
/// (one workgroup each). `work` holds [`work_len`] entries (CD: g and β_W there when the plan
/// says so, Anderson's snapshots; FISTA: its iterates, and each Gram's L from [`gram_norm`]).
/// `b.epochs` (3k u32: epochs, Anderson steps, flags per alpha) must be zero before the first.
pub(crate) fn inner(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    b: &InnerCd,
    (method, plan): (Inner, InnerPlan),
) -> Vec<Op> {
    let kernel = match method {
        Inner::Cd => &CD_INNER,
        Inner::Fista => &FISTA_INNER,
    };
    let variant = variant(plan.threads, plan.wg_cap, method);
    let dims = d.dims(0, 0, plan.per_dispatch as u32);
    let bufs = b.buffers();
    let groups = [d.k as u32, 1, 1];
    // the epochs run are known after the readback: the solver adds their cost and steps then
    // ([`inner_cost`], [`inner_steps`]; [`fista_cost`], [`fista_steps`])
    (0..plan.dispatches)
        .map(|_| {
            ctx.op(kernel, precision, &variant, &dims, &bufs, groups)
                .with_cost(Cost::default())
        })
        .collect()
}

/// Epochs between two recomputations of g in `cd_inner` (shaders/cd.wgsl REFRESH).
const REFRESH: u64 = 4;

/// Barriers of one Anderson step: AA(AA+1)/2 one-barrier reductions, the step's barrier, and
/// two reductions of its objective change.
const AA_STEPS: u64 = AA * (AA + 1) / 2 + 3;

/// Serial steps of inner CD calls of `plan` on w features whose longest call ran
/// (`epochs`, `anderson`) epochs and Anderson steps: per dispatch that ran the start flag, the
/// start epoch and the first Gram block's barrier; per epoch one barrier per block of [`BLOCK`]
/// coordinates; per refresh (every [`REFRESH`] epochs of the call and at a dispatch's last) the
/// write-back barrier, two one-barrier reductions and the uniform load of the flags (finished,
/// step rejected), and a storage barrier when g and β_W live in storage; per Anderson step
/// [`AA_STEPS`].
pub(crate) fn inner_steps(plan: InnerPlan, w: usize, (epochs, anderson): (u32, u32)) -> u64 {
    let blocks = w.div_ceil(BLOCK) as u64;
    let refresh = 4 + plan.wg_cap.is_none() as u64;
    let run = |r: Run| 3 + r.epochs * blocks + r.refreshes * refresh;
    plan.runs(epochs, REFRESH).map(run).sum::<u64>() + anderson as u64 * AA_STEPS
}

/// Flops the inner kernel's threads spend on one coordinate step, each thread solving the block
/// (shaders/cd.wgsl `cd_inner`): the block's g update (2·BLOCK) and the step itself (the soft
/// threshold, the decrease and ‖r‖² bookkeeping, 15).
const STEP_FLOPS: u64 = 2 * BLOCK as u64 + 15;

/// Flops and bytes of inner CD calls on w features in dispatches of `plan` that ran `epochs[a]`
/// epochs and `anderson[a]` Anderson steps for alpha a: per epoch and alpha the gradient updates
/// outside the blocks (2w² flops), every thread's solve of every block (threads · w ·
/// [`STEP_FLOPS`]: the same arithmetic in each thread, so executed `threads` times) and the β_W
/// snapshot (w written); per refresh ([`InnerPlan::runs`]) g⁰ − G(β + Δ − β⁰) (2w² more); per
/// Anderson step its sums, solve, step and objective change ([`aa_flops`]; AA(AA+1) + AA + 3
/// columns of w read or written); the Gram comes from memory once (later epochs find it in cache)
/// — one Gram per fold, `grams` in all — and g and β_W are read and written once per alpha.
pub(crate) fn inner_cost(
    (w, plan): (usize, InnerPlan),
    (epochs, anderson): (&[u32], &[u32]),
    grams: usize,
    precision: Precision,
) -> Cost {
    let (w, threads) = (w as u64, plan.threads as u64);
    let (mut flops, mut snapshots) = (0, 0);
    for (&e, &a) in epochs.iter().zip(anderson) {
        for r in plan.runs(e, REFRESH) {
            flops += 2 * w * w * (r.epochs + r.refreshes) + threads * w * STEP_FLOPS * r.epochs;
            snapshots += w * r.epochs;
        }
        flops += a as u64 * aa_flops(w);
        snapshots += a as u64 * w * (AA * (AA + 1) + AA + 3);
    }
    let live = epochs.iter().filter(|&&e| e > 0).count() as u64;
    let size = precision.size() as u64;
    Cost {
        bytes: if live > 0 {
            (grams as u64 * w * w + 4 * w * live + snapshots) * size
        } else {
            0
        },
        flops,
        steps: 0,
    }
}

/// Flops of one Anderson step on w features: AA(AA+1)/2 sums of products of differences (6w
/// each), the combination and the step (2·AA·w + w), the step in the refresh and the objective's
/// change (8w).
fn aa_flops(w: u64) -> u64 {
    AA * (AA + 1) / 2 * 6 * w + 2 * AA * w + 9 * w
}

/// Threads of the inner FISTA kernel and of the Gram's power iteration on w features: their
/// products over W spread over every thread (no chain of coordinates to keep short, unlike CD's),
/// an entry each up to 64 features, 256 threads beyond.
fn fista_threads(w: usize) -> usize {
    let [few, many] = INNER_THREADS;
    if w <= few {
        few
    } else {
        many
    }
}

/// Iterations between two restricted gaps in `fista_inner` (shaders/cd.wgsl CHECK).
const CHECK: u64 = 8;

/// Entries of the `work` buffer the inner kernels need for `cap` features and `cols` columns:
/// [`WORK_SLOTS`] slots of cap × cols, then FISTA's scalars (θ and the starting ‖r‖²/n per
/// column, each Gram's L; at most one Gram per column).
pub(crate) fn work_len(cap: usize, cols: usize) -> usize {
    WORK_SLOTS * cap * cols + 3 * cols
}

/// The largest `cap` whose [`work_len`] for `cols` columns is at most `entries`.
pub(crate) fn work_cap(entries: usize, cols: usize) -> usize {
    entries.saturating_sub(3 * cols) / (WORK_SLOTS * cols.max(1))
}

/// Loop trips of one thread in one `fista_inner` iteration on w features, at worst (one that
/// checks the gap, in the call's first dispatch): the start's copy, per entry the product g(z)
/// (w) and the step, the restart's reduction (threads/4), the update; the check's product, its
/// two strided passes and four reductions.
fn fista_trips(w: usize, threads: usize) -> usize {
    let (per, reduce) = (w.div_ceil(threads), reduce_trips(Inner::Fista, threads));
    let iteration = per * (w + 1) + reduce + per;
    let check = per * (w + 1) + 2 * per + 4 * reduce;
    per + iteration + check + 4
}

/// Loop trips of one thread in one power-iteration step of `gram_norm` on w features: the start,
/// the product (w per entry), the norm's pass, two reductions, the normalization.
fn power_trips(w: usize, threads: usize) -> usize {
    let (per, reduce) = (w.div_ceil(threads), reduce_trips(Inner::Fista, threads));
    per + per * (w + 1) + per + 2 * reduce + per + 4
}

impl InnerPlan {
    /// Up to `iters` FISTA iterations on w features, `budget` loop trips per dispatch; the
    /// iterates live in storage (`work`).
    pub(crate) fn fista(w: usize, iters: u32, budget: usize) -> InnerPlan {
        let threads = fista_threads(w);
        let per_dispatch = (budget / fista_trips(w, threads)).clamp(1, iters.max(1) as usize);
        InnerPlan {
            threads,
            wg_cap: None,
            per_dispatch,
            dispatches: (iters.max(1) as usize).div_ceil(per_dispatch),
        }
    }
}

/// Dispatches of `power` power-iteration steps on each Gram (one workgroup per Gram, d.k /
/// d.per_gram of them), as many per dispatch as `budget` loop trips allow; leave each Gram's L
/// (1.1 × the estimate of its largest eigenvalue, from below) for `fista_inner`.
pub(crate) fn gram_norm(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    b: &InnerCd,
    (power, budget): (usize, usize),
) -> Vec<Op> {
    let threads = fista_threads(d.w);
    let variant = variant(threads, None, Inner::Fista);
    let grams = d.k / d.per_gram.max(1);
    let per = (budget / power_trips(d.w, threads)).clamp(1, power.max(1));
    let (w, size) = (d.w as u64, precision.size() as u64);
    let args = GramNorm {
        gram: b.gram,
        work: b.work,
    };
    let bufs = args.buffers();
    let mut left = power.max(1);
    let mut ops = Vec::new();
    while left > 0 {
        let steps = per.min(left);
        let first = ops.is_empty() as usize;
        let dims = d.dims(first, 0, steps as u32);
        let cost = Cost {
            bytes: grams as u64 * w * w * size,
            flops: grams as u64 * steps as u64 * (2 * w * w + 4 * w),
            steps: first as u64 + (2 * reduce_steps(Inner::Fista, threads) + 1) * steps as u64,
        };
        let groups = [grams as u32, 1, 1];
        let op = ctx.op(&GRAM_NORM, precision, &variant, &dims, &bufs, groups);
        ops.push(op.with_cost(cost));
        left -= steps;
    }
    ops
}

/// Serial steps of inner FISTA calls of `plan` whose longest call ran `iters` iterations: per
/// dispatch that ran its two uniform loads, and the start's barrier once; per iteration the
/// restart's reduction ([`reduce_steps`]) and the update's barrier; per check (every [`CHECK`]
/// iterations of the call and at a dispatch's last) four reductions and the flag's uniform load.
pub(crate) fn fista_steps(plan: InnerPlan, iters: u32) -> u64 {
    let red = reduce_steps(Inner::Fista, plan.threads);
    let run = |r: Run| 2 + (red + 1) * r.epochs + (4 * red + 1) * r.refreshes;
    let runs: u64 = plan.runs(iters, CHECK).map(run).sum();
    runs + (iters > 0) as u64
}

/// Dependent multiply-adds per chained update: the model's t_update is one CD coordinate update,
/// about ten dependent arithmetic instructions (profiles/devices.json).
const FMA_PER_UPDATE: u64 = 10;

/// Chained updates of inner FISTA calls of `plan` on w features whose longest call ran `iters`
/// iterations: a thread's product over W is a chain of w dependent multiply-adds per entry it
/// owns (every iteration, and again at each check), counted in [`FMA_PER_UPDATE`]s.
pub(crate) fn fista_chain(plan: InnerPlan, w: usize, iters: u32) -> u64 {
    let per = w.div_ceil(plan.threads) as u64;
    let products: u64 = plan
        .runs(iters, CHECK)
        .map(|r| r.epochs + r.refreshes)
        .sum();
    (products * per * w as u64).div_ceil(FMA_PER_UPDATE)
}

/// Flops and bytes of inner FISTA calls on w features in dispatches of `plan` that ran
/// `iters[a]` iterations for alpha a: per iteration and per check a product with the Gram (2w²,
/// at most: zero entries of z − β⁰ are skipped) and the step, restart and update (12w); the
/// Gram read by every product (from cache after the first: priced as memory traffic, an upper
/// bound; the offsets it multiplies are the same w words in every thread, not counted) and 14
/// words per entry read or written per iteration (β⁰, g⁰, the double-word offsets of β and z,
/// the step).
pub(crate) fn fista_cost(
    (w, plan): (usize, InnerPlan),
    iters: &[u32],
    precision: Precision,
) -> Cost {
    let w = w as u64;
    let (mut flops, mut words) = (0, 0);
    for &e in iters {
        for r in plan.runs(e, CHECK) {
            let products = r.epochs + r.refreshes;
            flops += products * 2 * w * w + r.epochs * 12 * w + r.refreshes * 8 * w;
            words += products * w * w + r.epochs * 14 * w;
        }
    }
    Cost {
        bytes: words * precision.size() as u64,
        flops,
        steps: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;
    use ndarray::Array1;

    /// The step and cost counts by hand: w = 100 is 7 blocks of 16; 10 epochs in one dispatch
    /// refresh at epochs 4, 8 and 10; in dispatches of 3 epochs (1–3, 4–6, 7–9, 10) at 3 | 4,
    /// 6 | 8, 9 | 10, numbered along the call; each Anderson step adds 9 barriers; and BLOCK,
    /// REFRESH and AA are the shader's.
    #[test]
    fn inner_counts_match_a_hand_count() {
        let plan = |per_dispatch, storage: bool| InnerPlan {
            threads: 64,
            wg_cap: (!storage).then_some(128),
            per_dispatch,
            dispatches: 10,
        };
        assert_eq!(
            inner_steps(plan(100, false), 100, (10, 2)),
            3 + 10 * 7 + 3 * 4 + 2 * 9
        );
        assert_eq!(
            inner_steps(plan(100, true), 100, (10, 2)),
            3 + 10 * 7 + 3 * 5 + 2 * 9
        );
        let three = |refreshes: u64| 3 + 3 * 7 + refreshes * 4;
        assert_eq!(
            inner_steps(plan(3, false), 100, (10, 1)),
            three(1) + three(2) + three(2) + (3 + 7 + 4) + 9
        );
        assert_eq!(inner_steps(plan(4, false), 300, (0, 0)), 0);
        // a reduction is one barrier in CD, also on 256 threads, and in FISTA up to 64 threads;
        // two in FISTA on 256, whose threads read 16 partials, then 16 folds (vec4 reads)
        let cd_wide = InnerPlan {
            threads: 256,
            ..plan(100, false)
        };
        assert_eq!(
            inner_steps(cd_wide, 100, (10, 2)),
            inner_steps(plan(100, false), 100, (10, 2))
        );
        assert_eq!(reduce_steps(Inner::Cd, 256), 1);
        let fista =
            [64, 256].map(|t| (reduce_steps(Inner::Fista, t), reduce_trips(Inner::Fista, t)));
        assert_eq!(fista, [(1, 16), (2, 8)]);
        assert_eq!(reduce_trips(Inner::Cd, 256), 64);
        // the plan: trips bound the epochs per dispatch; storage past the workgroup capacity;
        // 256 threads only where a bounded epoch of 64 would not fit
        let p = InnerPlan::new(100, 1000, BOUNDED_LOOP_BUDGET, (64, false));
        assert!(p.wg_cap.is_none() && p.threads == 64);
        assert_eq!(p.per_dispatch, BOUNDED_LOOP_BUDGET / epoch_trips(100, 64));
        assert_eq!(p.dispatches, 1000usize.div_ceil(p.per_dispatch));
        let gpu = InnerPlan::new(100, 1000, LOOP_BUDGET, (128, false));
        assert_eq!(
            (gpu.wg_cap, gpu.per_dispatch, gpu.dispatches),
            (Some(128), 1000, 1)
        );
        assert!(epoch_trips(1500, 64) > BOUNDED_LOOP_BUDGET);
        let widest = widest_epoch(BOUNDED_LOOP_LIMIT);
        assert!(epoch_trips(widest, 256) <= BOUNDED_LOOP_LIMIT);
        assert!(epoch_trips(widest + 1, 256) > BOUNDED_LOOP_LIMIT);
        assert_eq!(
            InnerPlan::new(1500, 10, BOUNDED_LOOP_BUDGET, (64, false)).threads,
            256
        );
        assert_eq!(
            InnerPlan::new(1500, 10, LOOP_BUDGET, (64, false)).threads,
            64
        );
        for (name, v) in [("REFRESH", REFRESH), ("AA", AA)] {
            let decl = format!("const {name}: u32 = {v}u;");
            assert!(CD_WGSL.source.contains(&decl), "{decl}");
        }
        assert!(CD_WGSL.source.contains("const HIST: u32 = AA + 1u;"));
        assert_eq!(WORK_SLOTS, 2 + (AA as usize + 1) + 1);
        assert!(
            !CD_WGSL.source.contains("BLOCK: u32 ="),
            "BLOCK comes from the header"
        );
        assert!(
            matches!(variant(64, None, Inner::Cd)[1], Decl::U32("BLOCK", b) if b as usize == BLOCK)
        );
        // alpha 0: 10 epochs (3 refreshes), 2 Anderson steps; alpha 2: 4 epochs (1), 1 step
        let one = plan(100, false);
        let c = inner_cost((100, one), (&[10, 0, 4], &[2, 0, 1]), 1, Precision::F32);
        let redundant = 64 * 100 * (2 * 16 + 15);
        let aa = 6 * 6 * 100 + 2 * 3 * 100 + 9 * 100;
        assert_eq!(
            c.flops,
            2 * 100 * 100 * (10 + 3)
                + 10 * redundant
                + 2 * aa
                + 2 * 100 * 100 * (4 + 1)
                + 4 * redundant
                + aa
        );
        let snapshots = 100 * (10 + 2 * 18) + 100 * (4 + 18);
        assert_eq!(c.bytes, (100 * 100 + 4 * 100 * 2 + snapshots) * 4);
        assert_eq!(
            inner_cost((100, one), (&[1], &[0]), 5, Precision::F64).bytes,
            (5 * 100 * 100 + 4 * 100 + 100) * 8
        );
        // in dispatches of 4: 10 epochs are 4 + 4 + 2 (3 refreshes); of 3: 3 + 3 + 3 + 1 (6)
        assert_eq!(
            inner_cost((100, plan(4, false)), (&[10], &[2]), 1, Precision::F32).flops,
            2 * 100 * 100 * (10 + 3) + 10 * redundant + 2 * aa
        );
        assert_eq!(
            inner_cost((100, plan(3, false)), (&[10], &[2]), 1, Precision::F32).flops,
            2 * 100 * 100 * (10 + 6) + 10 * redundant + 2 * aa
        );
    }

    /// Hand counts of the inner FISTA: 20 iterations in one dispatch check at 8, 16 and 20; in
    /// dispatches of 6 (1–6, 7–12, 13–18, 19–20) at 6 | 8, 12 | 16, 18 | 20 (numbered along the
    /// call); w = 300 on 256 threads is 2 entries per thread.
    #[test]
    fn fista_counts_match_a_hand_count() {
        let plan = |per_dispatch| InnerPlan {
            threads: 256,
            wg_cap: None,
            per_dispatch,
            dispatches: 20,
        };
        // 256 threads: a reduction is two barriers, so 3 per iteration and 9 per check
        assert_eq!(fista_steps(plan(100), 20), (2 + 3 * 20 + 9 * 3) + 1);
        let six = |checks: u64, iters: u64| 2 + 3 * iters + 9 * checks;
        assert_eq!(
            fista_steps(plan(6), 20),
            six(1, 6) + six(2, 6) + six(2, 6) + six(1, 2) + 1
        );
        assert_eq!(fista_steps(plan(6), 0), 0);
        // products: 20 iterations + 3 checks, each a chain of 2 · 300 multiply-adds
        assert_eq!(
            fista_chain(plan(100), 300, 20),
            (23 * 2 * 300u64).div_ceil(10)
        );
        assert_eq!(
            fista_chain(plan(6), 300, 20),
            (26 * 2 * 300u64).div_ceil(10)
        );
        // alpha 0: 20 iterations (3 checks); alpha 1: none; alpha 2: 5 (1 check)
        let c = fista_cost((300, plan(100)), &[20, 0, 5], Precision::F32);
        let w = 300u64;
        let flops = |e: u64, r: u64| (e + r) * 2 * w * w + e * 12 * w + r * 8 * w;
        assert_eq!(c.flops, flops(20, 3) + flops(5, 1));
        assert_eq!(c.bytes, ((23 + 6) * w * w + (20 + 5) * 14 * w) * 4);
        // the plan: loop trips bound the iterations per dispatch
        let p = InnerPlan::fista(300, 1000, BOUNDED_LOOP_BUDGET);
        assert_eq!(p.per_dispatch, BOUNDED_LOOP_BUDGET / fista_trips(300, 256));
        assert_eq!(p.dispatches, 1000usize.div_ceil(p.per_dispatch));
        assert_eq!(InnerPlan::fista(300, 1000, LOOP_BUDGET).dispatches, 1);
        // an entry per thread up to 64 features
        assert_eq!(InnerPlan::fista(64, 10, LOOP_BUDGET).threads, 64);
        assert_eq!(InnerPlan::fista(65, 10, LOOP_BUDGET).threads, 256);
        let one = InnerPlan::fista(40, 20, LOOP_BUDGET);
        assert_eq!(fista_steps(one, 20), (2 + 2 * 20 + 5 * 3) + 1);
        // the shader's check period, its scalars after WORK_SLOTS slots
        assert!(CD_WGSL
            .source
            .contains(&format!("const CHECK: u32 = {CHECK}u;")));
        let scalars = format!("return {WORK_SLOTS}u * d.w * d.k + s * d.k + k;");
        assert!(CD_WGSL.source.contains(&scalars), "{scalars}");
        assert_eq!(work_len(10, 3), WORK_SLOTS * 30 + 9);
        assert_eq!(work_cap(work_len(10, 3), 3), 10);
        assert_eq!(work_cap(work_len(10, 3) - 1, 3), 9);
        assert_eq!(work_cap(8, 3), 0);
    }

    /// A restricted elastic net: Gaussian X_W (n × w), its Gram and g⁰ = X_Wᵀy/n, three (λ1, λ2),
    /// and each one's solution by a host CD run far past convergence.
    struct Restricted {
        n: usize,
        w: usize,
        gram: ndarray::Array2<f64>,
        g0: Array1<f64>,
        lam: [(f64, f64); 3],
        reference: Vec<Array1<f64>>,
    }

    fn restricted(n: usize, w: usize) -> Restricted {
        let regpath_core::Storage::Dense(x) =
            regpath_core::synth::regression(n, w, 5, 1.0, 3).unwrap().x
        else {
            unreachable!("synthetic regression data is dense")
        };
        let y = Array1::from_shape_fn(n, |i| (i as f64 * 0.7).cos() * 3.0);
        let gram = x.t().dot(&x) / n as f64;
        let g0 = x.t().dot(&y) / n as f64;
        let lam = [(0.2, 0.0), (0.05, 0.05), (0.02, 0.0)];
        let reference = lam
            .iter()
            .map(|&(l1, l2)| {
                let (mut b, mut g) = (Array1::<f64>::zeros(w), g0.clone());
                for _ in 0..5_000 {
                    for j in 0..w {
                        let v = gram[[j, j]];
                        let z = v * b[j] + g[j];
                        let nb = z.signum() * (z.abs() - l1).max(0.0) / (v + l2);
                        let d = nb - b[j];
                        if d != 0.0 {
                            g.scaled_add(-d, &gram.column(j));
                            b[j] = nb;
                        }
                    }
                }
                b
            })
            .collect();
        Restricted {
            n,
            w,
            gram,
            g0,
            lam,
            reference,
        }
    }

    /// Runs `ops(bufs, dims)` once from β = 0, g = g⁰ with goal 0 (until nothing moves) and checks
    /// β against the reference and g against g⁰ − Gβ; `work` of `work_entries`.
    fn check_inner(
        ctx: &GpuContext,
        prec: Precision,
        r: &Restricted,
        work_entries: usize,
        what: &str,
        ops: impl Fn(&InnerCd, WsDims) -> Vec<Op>,
    ) {
        let (n, w, k) = (r.n, r.w, r.lam.len());
        let g_init: Vec<f64> = r.g0.iter().copied().cycle().take(w * k).collect();
        let gbuf = ctx.upload("g", &g_init, prec);
        let bbuf = ctx.zeros("b", w * k, prec);
        let gram_buf = ctx.upload("gram", r.gram.as_slice_memory_order().unwrap(), prec);
        let lams: Vec<f64> = r.lam.iter().flat_map(|&(a, b)| [a, b]).collect();
        let lam_buf = ctx.upload("lam", &lams, prec);
        // ‖r‖²/n is not needed by a goal of 0 (a gap is never ≤ 0 before nothing moves)
        let gap_buf = ctx.zeros("gap", 3 * k, prec);
        let act = ctx.upload_u32("active", &[1; 3]);
        let ep = ctx.upload_u32("epochs", &[0; 9]);
        let work = ctx.zeros("work", work_entries, prec);
        let bufs = InnerCd {
            gram: &gram_buf,
            g: &gbuf,
            beta: &bbuf,
            lam: &lam_buf,
            gap: &gap_buf,
            active: &act,
            epochs: &ep,
            work: &work,
        };
        let d = WsDims {
            n,
            p: w,
            k,
            w,
            per_gram: k,
        };
        let ops = ops(&bufs, d);
        let mut enc = ctx.encoder();
        record(
            &mut enc,
            &ops.iter().collect::<Vec<_>>(),
            &mut GpuCounters::default(),
        );
        let sz = (w * k * prec.size()) as u64;
        let regions = [(&bbuf, 0, sz), (&gbuf, 0, sz), (&ep, 0, 24)];
        let out = ctx
            .submit_and_read(enc, &regions, &mut GpuCounters::default())
            .unwrap();
        let (b, g) = (prec.values(&out[0]), prec.values(&out[1]));
        let epochs: Vec<u32> = bytemuck::pod_collect_to_vec(&out[2]);
        let tol = if prec == Precision::F32 { 1e-4 } else { 1e-9 };
        let what = format!("{what} {} w={w} epochs {epochs:?}", prec.name());
        for a in 0..k {
            let bk = Array1::from(b[a * w..(a + 1) * w].to_vec());
            let diff = (&bk - &r.reference[a])
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(diff <= tol, "{what} alpha {a}: max |β − β_ref| = {diff}");
            let grad = &r.g0 - &r.gram.dot(&bk);
            let drift = (0..w)
                .map(|l| (g[a * w + l] - grad[l]).abs())
                .fold(0.0, f64::max);
            assert!(drift <= tol, "{what} alpha {a}: gradient drift {drift}");
        }
    }

    /// The precisions the adapter runs.
    fn precisions(ctx: &GpuContext) -> Vec<Precision> {
        [Precision::F32, Precision::F64]
            .into_iter()
            .filter(|&p| p == Precision::F32 || ctx.supports_f64())
            .collect()
    }

    gpu_test! {
        /// Run to convergence (over several dispatches), the inner kernel solves the elastic net
        /// restricted to W: β matches a host CD and g matches X_Wᵀ(y − X_Wβ)/n, in both memory variants
        /// and for w above and below the thread count.
        fn inner_cd_solves_the_restricted_problem(ctx) {
            // w = 7: one partial block; 40: blocks of 16, the last partial; 150 > 64 threads
            for (n, w) in [(30, 7), (120, 40), (200, 150)] {
                let r = restricted(n, w);
                for prec in precisions(ctx) {
                    for storage in [false, true] {
                        let cap = workgroup_capacity(ctx, prec);
                        let plan = InnerPlan::new(w, 3000, ctx.loop_budget(), (cap, storage));
                        let what = format!("cd storage={storage}");
                        check_inner(ctx, prec, &r, work_len(w, 3), &what, |b, d| {
                            inner(ctx, prec, d, b, (Inner::Cd, plan))
                        });
                    }
                }
            }
        }
    }

    gpu_test! {
        /// The inner FISTA (after the Gram's power iteration, both split over dispatches where a
        /// driver bounds loop trips) solves the same restricted problems: β matches the host CD's
        /// and g matches X_Wᵀ(y − X_Wβ)/n, for w below and above the thread count.
        fn inner_fista_solves_the_restricted_problem(ctx) {
            for (n, w) in [(30, 7), (120, 40), (300, 280)] {
                let r = restricted(n, w);
                for prec in precisions(ctx) {
                    let plan = InnerPlan::fista(w, 5000, ctx.loop_budget());
                    check_inner(ctx, prec, &r, work_len(w, 3), "fista", |b, d| {
                        let mut ops = gram_norm(ctx, prec, d, b, (30, ctx.loop_budget()));
                        ops.extend(inner(ctx, prec, d, b, (Inner::Fista, plan)));
                        ops
                    });
                }
            }
        }
    }
}
