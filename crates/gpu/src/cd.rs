//! The working-set driver: gpu-cd (batched working-set coordinate descent, ARCHITECTURE.md,
//! "gpu-cd in one page") and gpu-fista on squared loss (the same outer steps, FISTA on W), chunks
//! of consecutive alphas.
//!
//! Outer step, all alphas of a chunk on the device: C = XᵀR/n (the one pass over X), duality gaps,
//! KKT scores per feature. The host reads back K gaps and p scores (one readback), picks one working
//! set W for the chunk (support ∪ top violators, w = max(w0, 2|support|)), then the device gathers
//! X_W, forms G = X_WᵀX_W/n, runs CD epochs (or FISTA iterations, [`Inner`]) on W per alpha (one
//! workgroup each, no readback),
//! scatters β_W back and refreshes R = y − X_Wβ_W. Chunks start warm from the previous chunk's
//! last alpha (β, R and C copied on the device, no pass over X).
//!
//! Cross-validation ([`solve_folds`]): a chunk holds its alphas for every fold (column f·k + a),
//! on one shared X as in `rows.rs` (row masks, fold column scales, residuals centered over the
//! fold's rows). The working set is shared by the folds; each fold has its own Gram on it,
//! S_f X_Wᵀ(centered M_f X_W) S_f/n_f, all from one GEMM.

use crate::context::{record, GpuContext, Op};
use crate::design::DeviceDesign;
use crate::error::GpuError;
pub(crate) use crate::kernels::cd::Inner;
use crate::kernels::cd::{self as k_cd, InnerCd, MoveArgs, WsDims};
use crate::kernels::folds::{self, CenterArgs, GramScaleArgs, ScaleArgs};
use crate::kernels::gemm::{self, Combine, Xb, Xtr};
use crate::kernels::prox::{self, BcastArgs};
use crate::kernels::reduce::{self, GapArgs, ScoresArgs};
use crate::kernels::XBlock;
use crate::progress::{worst_live, SolveProgress};
use crate::rows::{FoldProblem, FoldRows, Rows};
use crate::stopping::{Progress, Stop};
use crate::{GpuCounters, GpuParams, TrainFold, Tuning};
use regpath_core::{Path, Penalty};

/// Device state of a chunk of up to kc alphas per fold (p × K and n × K blocks, K = F·kc,
/// column f·k + a = alpha a of fold f).
struct State {
    kc: usize,
    beta: wgpu::Buffer,
    resid: wgpu::Buffer,
    c: wgpu::Buffer,
    lam: wgpu::Buffer,
    live: wgpu::Buffer,
    /// Outer gaps, then ‖r‖²/n, then the inner goal (written by the host), per column.
    gaps: wgpu::Buffer,
    /// Per column: inner epochs, Anderson steps, then flags (1 done, 2 last step rejected).
    epochs: wgpu::Buffer,
    /// KKT violation per feature, then its support flag.
    score: wgpu::Buffer,
    /// The previous chunk's last β, r and c of every fold (p × F, n × F, p × F).
    warm: [wgpu::Buffer; 3],
    /// The longest inner call's epochs at the last working-set step (None before the first).
    last_epochs: std::cell::Cell<Option<u32>>,
}

/// What a solve batches: the alphas of every fold on a row layout (a plain path is one fold of
/// all rows).
struct Batch<'a> {
    inner: Inner,
    rows: Rows,
    /// The folds' column scales (empty for a plain path).
    train: &'a [TrainFold],
    alphas: &'a [f64],
    penalty: Penalty,
    fit_intercept: bool,
    /// Each fold's gap scale (‖y − ȳ_f‖²/n_f on folds).
    y_scale: Vec<f64>,
}

/// Device buffers of the working set, sized for `cap` features and `cols` columns.
struct WsBuffers {
    cap: usize,
    ws: wgpu::Buffer,
    xw: wgpu::Buffer,
    /// One w × w Gram per fold.
    gram: wgpu::Buffer,
    g: wgpu::Buffer,
    bw: wgpu::Buffer,
    work: wgpu::Buffer,
    /// Folds: X_W once per fold, masked and centered (n × F·w); the fold scales on W (w × F);
    /// β_W on the shared X's scale (w × K).
    fold_xw: Option<[wgpu::Buffer; 3]>,
}

impl WsBuffers {
    /// For `f` folds of a cross-validation batch (`folds`), or a plain path (f = 1).
    fn new(
        ctx: &GpuContext,
        dd: &DeviceDesign,
        (cap, cols): (usize, usize),
        f: usize,
        folds: bool,
    ) -> WsBuffers {
        let prec = dd.precision;
        WsBuffers {
            cap,
            ws: ctx.upload_u32("working set", &vec![0; cap]),
            xw: ctx.zeros("X_W", dd.n * cap, prec),
            gram: ctx.zeros("gram", f * cap * cap, prec),
            g: ctx.zeros("g_W", cap * cols, prec),
            bw: ctx.zeros("beta_W", cap * cols, prec),
            work: ctx.zeros("inner work", k_cd::work_len(cap, cols), prec),
            fold_xw: folds.then(|| {
                [
                    ctx.zeros("fold X_W", dd.n * f * cap, prec),
                    ctx.zeros("fold scales on W", cap * f, prec),
                    ctx.zeros("beta_W on X's scale", cap * cols, prec),
                ]
            }),
        }
    }

    /// X_W as a one-block design (n × w).
    fn block(&self, w: usize) -> [XBlock; 1] {
        [XBlock {
            buf: self.xw.clone(),
            j0: 0,
            cols: w,
        }]
    }
}

/// Solves the path chunk by chunk with `inner` on each working set; returns coefficients on the
/// design's scale.
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    inner: Inner,
    alphas: &[f64],
    penalty: Penalty,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    let batch = Batch {
        inner,
        rows: Rows::All,
        train: &[],
        alphas,
        penalty,
        fit_intercept: false,
        y_scale: vec![dd.y_scale],
    };
    let mut paths = solve_chunks(ctx, dd, &batch, params, tuning, counters)?;
    Ok(paths.pop().expect("one path"))
}

/// Solves every training fold along `alphas` (squared loss), chunk by chunk with all folds in
/// each chunk and `inner` on each working set; returns one path per fold, on its scale.
pub(crate) fn solve_folds(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    inner: Inner,
    problem: &FoldProblem,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let FoldProblem {
        y,
        train,
        alphas,
        penalty,
        fit_intercept,
    } = *problem;
    let kc = params.chunk.clamp(1, alphas.len());
    let batch = Batch {
        inner,
        rows: Rows::Folds(FoldRows::new(ctx, dd, train, kc)),
        train,
        alphas,
        penalty,
        fit_intercept,
        y_scale: crate::rows::gap_scales(y, train, fit_intercept),
    };
    solve_chunks(ctx, dd, &batch, params, tuning, counters)
}

fn solve_chunks(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    batch: &Batch,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Vec<Path>, GpuError> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let (alphas, penalty) = (batch.alphas, batch.penalty);
    let f = batch.rows.folds();
    let kc = params.chunk.clamp(1, alphas.len());
    let cols = f * kc;
    let s = State {
        kc,
        beta: ctx.zeros("beta", p * cols, prec),
        resid: ctx.zeros("r", n * cols, prec),
        c: ctx.zeros("c", p * cols, prec),
        lam: ctx.zeros("lambdas", 2 * cols, prec),
        live: ctx.upload_u32("live", &vec![0; cols]),
        gaps: ctx.zeros("gaps, ‖r‖²/n and inner goals", 3 * cols, prec),
        epochs: ctx.upload_u32("epochs, Anderson steps and flags", &vec![0; 3 * cols]),
        score: ctx.zeros("scores", 2 * p, prec),
        warm: [p, n, p].map(|rows| ctx.zeros("warm start", rows * f, prec)),
        last_epochs: Default::default(),
    };
    let mut wsb: Option<WsBuffers> = None;
    let mut paths = vec![Path::zeros(alphas.to_vec(), p); f];
    let mut solved: Option<Solved> = None;
    for start in (0..alphas.len()).step_by(kc) {
        let kn = kc.min(alphas.len() - start);
        let lam: Vec<f64> = (0..f)
            .flat_map(|_| alphas[start..start + kn].iter())
            .flat_map(|&a| [penalty.l1(a), penalty.l2(a)])
            .collect();
        ctx.queue.write_buffer(&s.lam, 0, &prec.bytes(&lam));
        let chunk = Chunk {
            ctx,
            dd,
            s: &s,
            batch,
            f,
            k: kn,
            params,
            tuning,
        };
        chunk.solve(solved, &mut wsb, &mut paths, start, counters)?;
        solved = Some(Solved { start, k: kn });
    }
    if let Some(last) = solved {
        let bytes = (f * last.k * p * prec.size()) as u64;
        let coefs = ctx.submit_and_read(ctx.encoder(), &[(&s.beta, 0, bytes)], counters)?;
        last.store(&mut paths, p, &prec.values(&coefs[0]));
    }
    Ok(paths)
}

/// A solved chunk of k alphas from `start` whose coefficients are still on the device: read with
/// the next chunk's first readback (staged before its warm start overwrites them), or alone after
/// the last chunk.
#[derive(Clone, Copy)]
struct Solved {
    start: usize,
    k: usize,
}

impl Solved {
    /// Writes the chunk's coefficients (p per column, column f·k + a) into rows start.. of each
    /// fold's path.
    fn store(self, paths: &mut [Path], p: usize, coefs: &[f64]) {
        for (c, row) in coefs.chunks_exact(p).enumerate() {
            paths[c / self.k]
                .coefs
                .row_mut(self.start + c % self.k)
                .assign(&ndarray::ArrayView1::from(row));
        }
    }
}

/// An inner call stops when the duality gap of the problem restricted to W is below this × the
/// outer gap of its alpha (celer's rule) ...
const INNER_RATIO: f64 = 0.3;

/// ... or below this × the tolerance, once: an alpha near the tolerance is solved just past it,
/// not several times past it (late on a path, on an ill-conditioned W, the gap falls slowly).
const TOL_SHARE: f64 = 0.9;

/// Inner epochs queued per working-set step: this many times the last step's longest call ...
const QUEUE_FACTOR: u32 = 4;

/// ... and at least this many.
const MIN_QUEUE: u32 = 64;

/// One chunk of k consecutive alphas (of each of f folds: K = f·k columns).
struct Chunk<'a> {
    ctx: &'a GpuContext,
    dd: &'a DeviceDesign,
    s: &'a State,
    batch: &'a Batch<'a>,
    f: usize,
    k: usize,
    params: &'a GpuParams,
    tuning: &'a Tuning,
}

impl Chunk<'_> {
    /// Columns of the chunk.
    fn cols(&self) -> usize {
        self.f * self.k
    }

    /// Outer steps until every alpha converged or gave up; writes the iterations and convergence
    /// of rows start.. of `paths`, and the `previous` chunk's coefficients (read with the first
    /// readback); this chunk's stay on the device for the next chunk (or the caller) to read.
    fn solve(
        &self,
        previous: Option<Solved>,
        wsb: &mut Option<WsBuffers>,
        paths: &mut [Path],
        start: usize,
        counters: &mut GpuCounters,
    ) -> Result<(), GpuError> {
        let (ctx, dd, s, k, cols) = (self.ctx, self.dd, self.s, self.k, self.cols());
        let (p, prec, size) = (dd.p, dd.precision, dd.precision.size() as u64);
        let mut live = vec![1u32; cols];
        ctx.queue
            .write_buffer(&s.live, 0, bytemuck::cast_slice(&live));
        let (gap_inputs, scal_group) = self.gap_inputs();
        let check = vec![
            reduce::gap(ctx, prec, (dd.n, p, cols, scal_group), &gap_inputs),
            reduce::scores(
                ctx,
                prec,
                (p, cols),
                &ScoresArgs {
                    c: &s.c,
                    beta: &s.beta,
                    lam: &s.lam,
                    active: &s.live,
                    score: &s.score,
                },
            ),
        ];
        let correlations = self.correlations(&s.resid);
        let mut encoder = ctx.encoder();
        // the previous chunk's β, before the warm start overwrites it
        let coefs = previous.map(|prev| {
            let bytes = (self.f * prev.k * p) as u64 * size;
            ctx.stage(&mut encoder, &[(&s.beta, 0, bytes)])
        });
        let init = self.warm_start(&mut encoder, previous.map(|prev| prev.k), counters);
        record(
            &mut encoder,
            &init.iter().chain(&check).collect::<Vec<_>>(),
            counters,
        );
        let regions = [
            (&s.gaps, 0, cols as u64 * size),
            (&s.score, 0, 2 * p as u64 * size),
        ];
        let staged = ctx.stage(&mut encoder, &regions);
        let mut read = ctx.submit_and_read_staged(
            encoder,
            coefs.into_iter().chain([staged]).collect(),
            counters,
        )?;
        if let Some(prev) = previous {
            prev.store(paths, p, &prec.values(&read.remove(0)));
        }

        let w_max = self.max_working_set();
        let mut progress = vec![Progress::default(); cols];
        // whether a column's inner goal was the tolerance's share at a step already
        let mut aimed = vec![false; cols];
        let mut current: Vec<u32> = Vec::new();
        for outer in 0.. {
            let rel: Vec<f64> = (prec.values(&read[0]).iter().enumerate())
                .map(|(c, gap)| gap / self.y_scale(c / k))
                .collect();
            for (c, &rel) in rel.iter().enumerate() {
                if live[c] == 0 {
                    continue;
                }
                let (fold, a) = (c / k, c % k);
                let path = &mut paths[fold];
                let budget = path.iterations[start + a] >= self.params.max_iter
                    || outer >= self.tuning.max_outer;
                let window = self.tuning.stall_outer;
                if let Some(stop) = progress[c].judge(rel, self.params.tol, outer, window, budget) {
                    path.converged[start + a] = stop == Stop::Converged;
                    live[c] = 0;
                }
            }
            if let Some(observer) = &self.params.observer {
                // the chunks before this one are done; alpha a of fold f is column f·k + a
                observer.report(SolveProgress {
                    done: self.f * start + live.iter().filter(|&&l| l == 0).count(),
                    total: self.f * self.batch.alphas.len(),
                    worst_gap: worst_live(&rel, &live),
                });
            }
            let scores = prec.values(&read[1]);
            let (ws, covers_support) = working_set(&scores, p, self.tuning.min_working_set, w_max);
            if !live.contains(&1) || ws.is_empty() {
                break;
            }
            let w = ws.len();
            let mut changed = ws != current;
            if wsb.as_ref().is_none_or(|b| b.cap < w) {
                let cap = (2 * w).min(w_max).max(w);
                let sizes = (cap, self.f * s.kc);
                let folds = matches!(self.batch.rows, Rows::Folds(_));
                *wsb = Some(WsBuffers::new(ctx, dd, sizes, self.f, folds));
                changed = true;
            }
            let b = wsb.as_ref().expect("allocated above");
            ctx.queue.write_buffer(&b.ws, 0, bytemuck::cast_slice(&ws));
            if let Some([_, sw, _]) = &b.fold_xw {
                let on_w: Vec<f64> = (self.batch.train)
                    .iter()
                    .flat_map(|t| ws.iter().map(|&j| t.scale[j as usize]))
                    .collect();
                ctx.queue.write_buffer(sw, 0, &prec.bytes(&on_w));
            }
            ctx.queue
                .write_buffer(&s.live, 0, bytemuck::cast_slice(&live));
            let goals: Vec<f64> = (0..cols)
                .map(|c| {
                    let (goal, floor) = inner_goal(rel[c], self.params.tol, aimed[c]);
                    aimed[c] |= floor;
                    goal * self.y_scale(c / k)
                })
                .collect();
            let goal_at = 2 * cols as u64 * size;
            ctx.queue
                .write_buffer(&s.gaps, goal_at, &prec.bytes(&goals));
            current = ws;
            let plan = self.inner_plan(w);
            counters.split_dispatches += plan.dispatches as u64 - 1;
            let step = self.step(b, (&current, plan), changed, covers_support, counters);
            let mut encoder = ctx.encoder();
            encoder.clear_buffer(&s.epochs, 0, None);
            record(
                &mut encoder,
                &step
                    .iter()
                    .chain(&correlations)
                    .chain(&check)
                    .collect::<Vec<_>>(),
                counters,
            );
            let regions = [
                (&s.gaps, 0, cols as u64 * size),
                (&s.score, 0, 2 * p as u64 * size),
                (&s.epochs, 0, 2 * cols as u64 * 4),
            ];
            read = ctx.submit_and_read(encoder, &regions, counters)?;
            counters.x_passes += 1;
            let counts: Vec<u32> = bytemuck::pod_collect_to_vec(&read[2]);
            let (epochs, anderson) = counts.split_at(cols);
            // the critical path: the alpha with the longest call
            let critical = (0..cols).max_by_key(|&c| (epochs[c], anderson[c]));
            let (longest, steps) = critical.map_or((0, 0), |c| (epochs[c], anderson[c]));
            counters.epochs += longest as u64;
            let (inner, serial, chain) = match self.batch.inner {
                Inner::Cd => (
                    k_cd::inner_cost((w, plan), (epochs, anderson), self.f, prec),
                    k_cd::inner_steps(plan, w, (longest, steps)),
                    longest as u64 * w as u64,
                ),
                Inner::Fista => (
                    k_cd::fista_cost((w, plan), epochs, prec),
                    k_cd::fista_steps(plan, longest),
                    k_cd::fista_chain(plan, w, longest),
                ),
            };
            counters.serial_steps += serial;
            counters.chain_updates += chain;
            s.last_epochs.set(Some(longest));
            counters.flops += inner.flops;
            counters.bytes += inner.bytes;
            for (c, e) in epochs.iter().enumerate() {
                paths[c / k].iterations[start + c % k] += *e as usize;
            }
        }
        Ok(())
    }

    /// The scale relative gaps of fold `fold` are measured in.
    fn y_scale(&self, fold: usize) -> f64 {
        self.batch.y_scale[fold]
    }

    /// C = XᵀR/n (folds: S_f·XᵀR/n_f) for the chunk's columns: one pass over X.
    fn correlations(&self, r: &wgpu::Buffer) -> Vec<Op> {
        let (ctx, dd, s) = (self.ctx, self.dd, self.s);
        (self.batch.rows).correlations(ctx, dd, (r, self.k), &s.c, None)
    }

    /// Folds: center the chunk's residual columns over their fold's rows (none on a plain path).
    fn center(&self, r: &wgpu::Buffer) -> Vec<Op> {
        let b = self.batch;
        b.rows
            .center(self.ctx, self.dd, (r, self.k), b.fit_intercept)
    }

    /// Ops setting β, R and C for the chunk: 0, y (centered per fold) and XᵀR/n on the first
    /// chunk (one pass over X), else each fold's last column of the previous chunk copied to the
    /// fold's columns (no pass).
    fn warm_start(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        previous: Option<usize>,
        counters: &mut GpuCounters,
    ) -> Vec<Op> {
        let (ctx, dd, s, k, cols) = (self.ctx, self.dd, self.s, self.k, self.cols());
        let (n, p, prec) = (dd.n, dd.p, dd.precision);
        match previous {
            None => {
                counters.x_passes += 1;
                let y_to_r = BcastArgs {
                    src: &dd.y,
                    out: &s.resid,
                };
                let mut ops = vec![prox::bcast(ctx, prec, (n, cols, 0), &y_to_r)];
                ops.extend(self.center(&s.resid));
                ops.extend(self.correlations(&s.resid));
                ops
            }
            Some(kp) => {
                let blocks = [(&s.beta, p), (&s.resid, n), (&s.c, p)];
                for ((buf, rows), warm) in blocks.into_iter().zip(&s.warm) {
                    let bytes = (rows * prec.size()) as u64;
                    for fold in 0..self.f {
                        let last = (fold * kp + kp - 1) as u64;
                        encoder.copy_buffer_to_buffer(
                            buf,
                            last * bytes,
                            warm,
                            fold as u64 * bytes,
                            bytes,
                        );
                    }
                    for c in 0..cols {
                        let fold = (c / k) as u64;
                        encoder.copy_buffer_to_buffer(
                            warm,
                            fold * bytes,
                            buf,
                            c as u64 * bytes,
                            bytes,
                        );
                    }
                }
                Vec::new()
            }
        }
    }

    /// Ops of one working-set step on W (`ws`, also in `b.ws`): gather (X_W and the Grams only
    /// when W `changed`), inner CD (as `plan` says), scatter, R refresh (from X_W when W covers
    /// the support).
    fn step(
        &self,
        b: &WsBuffers,
        (ws, plan): (&[u32], k_cd::InnerPlan),
        changed: bool,
        covers: bool,
        counters: &mut GpuCounters,
    ) -> Vec<Op> {
        let (ctx, dd, s, k, cols) = (self.ctx, self.dd, self.s, self.k, self.cols());
        let (n, p, prec, w) = (dd.n, dd.p, dd.precision, ws.len());
        let d = WsDims {
            n,
            p,
            k: cols,
            w,
            per_gram: k,
        };
        let mut ops = Vec::new();
        if changed {
            ops.extend(dd.gather_cols(ctx, d, ws, (&b.ws, &b.xw)));
            ops.extend(self.grams(b, w));
        }
        for (src, dst) in [(&s.beta, &b.bw), (&s.c, &b.g)] {
            let a = MoveArgs {
                ws: &b.ws,
                src,
                dst,
            };
            ops.push(k_cd::gather_rows(ctx, prec, d, &a));
        }
        let inner = InnerCd {
            gram: &b.gram,
            g: &b.g,
            beta: &b.bw,
            lam: &s.lam,
            gap: &s.gaps,
            active: &s.live,
            epochs: &s.epochs,
            work: &b.work,
        };
        let method = self.batch.inner;
        if method == Inner::Fista && changed {
            let power = (self.tuning.power_iters, ctx.loop_budget());
            ops.extend(k_cd::gram_norm(ctx, prec, d, &inner, power));
        }
        ops.extend(k_cd::inner(ctx, prec, d, &inner, (method, plan)));
        let scatter = MoveArgs {
            ws: &b.ws,
            src: &b.bw,
            dst: &s.beta,
        };
        ops.push(k_cd::scatter_rows(ctx, prec, d, &scatter));
        // R = y − X_W·B_W
        let resid_from_xw = |bw: &wgpu::Buffer| {
            let xb = Xb {
                b: bw,
                ldb: w,
                y: &dd.y,
                out: &s.resid,
                into: Combine::YMinus,
                live: None,
            };
            gemm::xb(ctx, prec, &b.block(w), (n, cols), &xb)
        };
        match (&self.batch.rows, &b.fold_xw) {
            (Rows::All, _) if covers => ops.extend(resid_from_xw(&b.bw)),
            (Rows::Folds(r), Some([_, sw, bw_x])) if covers => {
                let scale = ScaleArgs {
                    src: &b.bw,
                    s: sw,
                    fac: &r.ones,
                    out: bw_x,
                };
                ops.push(folds::scale(ctx, prec, (w, cols, k), false, &scale));
                ops.extend(resid_from_xw(bw_x));
            }
            _ => {
                let rows = &self.batch.rows;
                let beta = (&s.beta, k, false);
                ops.extend(rows.scores(ctx, dd, beta, Combine::YMinus, &s.resid, None));
                counters.x_passes += 1;
            }
        }
        ops.extend(self.center(&s.resid));
        ops
    }

    /// The Gram(s) on W from X_W: X_WᵀX_W/n, or per fold S_f X_Wᵀ(centered M_f X_W) S_f/n_f
    /// (X_W replicated per fold, masked and centered, then one GEMM for all folds' Grams).
    fn grams(&self, b: &WsBuffers, w: usize) -> Vec<Op> {
        let (ctx, dd) = (self.ctx, self.dd);
        let (n, prec) = (dd.n, dd.precision);
        match (&self.batch.rows, &b.fold_xw) {
            (Rows::Folds(r), Some([zx, sw, _])) => {
                let f = self.f;
                let xw_per_fold = BcastArgs {
                    src: &b.xw,
                    out: zx,
                };
                let center = CenterArgs {
                    mask: &r.mask,
                    inv_n: &r.inv_n,
                    r: zx,
                };
                let mut ops = vec![
                    prox::bcast(ctx, prec, (n * w, f, 0), &xw_per_fold),
                    folds::center(ctx, prec, (n, f * w, w), self.batch.fit_intercept, &center),
                ];
                let xtr = Xtr {
                    r: zx,
                    scal: &dd.scal,
                    out: &b.gram,
                    ldo: w,
                    scaled: false,
                    live: None,
                };
                ops.extend(gemm::xtr(ctx, prec, &b.block(w), (n, f * w), &xtr));
                let scale = GramScaleArgs {
                    s: sw,
                    fac: &r.inv_n,
                    gram: &b.gram,
                };
                ops.push(folds::gram_scale(ctx, prec, (w, f), &scale));
                ops
            }
            _ => {
                let xtr = Xtr {
                    r: &b.xw,
                    scal: &dd.scal,
                    out: &b.gram,
                    ldo: w,
                    scaled: true,
                    live: None,
                };
                gemm::xtr(ctx, prec, &b.block(w), (n, w), &xtr)
            }
        }
    }

    /// How the inner CD calls on w working-set features run: up to [`QUEUE_FACTOR`] × the last
    /// step's longest call in epochs (at least [`MIN_QUEUE`], at most the tuning's inner epochs,
    /// which the first step gets): each queued dispatch costs a launch even when every alpha is
    /// done, and a call cut short goes on at the next outer step.
    fn inner_plan(&self, w: usize) -> k_cd::InnerPlan {
        let (ctx, most) = (self.ctx, self.tuning.inner_epochs);
        let queue = match self.s.last_epochs.get() {
            Some(e) => e
                .saturating_mul(QUEUE_FACTOR)
                .clamp(MIN_QUEUE.min(most), most),
            None => most,
        };
        if self.batch.inner == Inner::Fista {
            return k_cd::InnerPlan::fista(w, queue, ctx.loop_budget());
        }
        let wg_cap = k_cd::workgroup_capacity(ctx, self.dd.precision);
        let memory = (wg_cap, self.tuning.cd_storage);
        k_cd::InnerPlan::new(w, queue, ctx.loop_budget(), memory)
    }

    /// The gap's buffers, and the alphas sharing one `scal` entry.
    fn gap_inputs(&self) -> (GapArgs<'_>, usize) {
        let s = self.s;
        let rows = &self.batch.rows;
        let (scal, scal_group) = (rows.inv_n(self.dd), rows.per_entry(self.k));
        let a = GapArgs {
            r: &s.resid,
            y: &self.dd.y,
            c: &s.c,
            beta: &s.beta,
            lam: &s.lam,
            scal,
            gap_out: &s.gaps,
        };
        (a, scal_group)
    }

    /// The largest working set: p, the tuning cap, one epoch within a driver's loop bound, and
    /// what one binding holds (the F Grams F·w², X_W n × w (per fold on folds), the inner
    /// kernel's work, [`k_cd::work_len`]).
    fn max_working_set(&self) -> usize {
        let scalars = (self.ctx.max_binding() / self.dd.precision.size() as u64) as usize;
        let f = self.f;
        let fits = [
            ((scalars / f) as f64).sqrt() as usize,
            scalars / (self.dd.n * f),
            k_cd::work_cap(scalars, f * self.s.kc),
        ];
        // where the driver bounds loop trips, one epoch must fit the bound
        let bounded = self
            .ctx
            .bounded_loops()
            .then(|| k_cd::widest_epoch(crate::context::BOUNDED_LOOP_LIMIT));
        fits.into_iter()
            .chain(bounded)
            .chain([self.dd.p, self.tuning.max_working_set])
            .min()
            .unwrap_or(1)
            .max(1)
    }
}

/// An alpha's inner goal, the restricted gap its next inner call stops at, relative like `rel`,
/// its outer gap: [`INNER_RATIO`] × the outer gap, but not below [`TOL_SHARE`] × `tol` unless
/// that goal was `aimed` at before (the outer gap then stayed above `tol`: celer's rule from
/// there, which always progresses). Returns the goal and whether the floor set it.
fn inner_goal(rel: f64, tol: f64, aimed: bool) -> (f64, bool) {
    let (ratio, floor) = (INNER_RATIO * rel, TOL_SHARE * tol);
    let floored = !aimed && floor > ratio;
    (if floored { floor } else { ratio }, floored)
}

/// The chunk's working set from the scores read back (violation in [0, p), support flag in
/// [p, 2p)): the support plus the largest violators up to w = max(w0, 2|support|) ≤ w_max, sorted.
/// Returns whether it contains the whole support (else the support overflowed w_max and only its
/// worst-violating part is kept: R must then be refreshed from all of X).
pub(crate) fn working_set(score: &[f64], p: usize, w0: usize, w_max: usize) -> (Vec<u32>, bool) {
    let (viol, supp) = score.split_at(p);
    let support: Vec<usize> = (0..p).filter(|&j| supp[j] != 0.0).collect();
    let by_score = |mut v: Vec<usize>| {
        v.sort_by(|&a, &b| viol[b].total_cmp(&viol[a]).then(a.cmp(&b)));
        v
    };
    let (mut ws, covers) = if support.len() > w_max {
        let mut s = by_score(support);
        s.truncate(w_max);
        (s, false)
    } else {
        let target = w0.max(2 * support.len()).min(w_max);
        let candidates = (0..p)
            .filter(|&j| supp[j] == 0.0 && viol[j] > 0.0)
            .collect();
        let mut ws = support;
        let extra = target.saturating_sub(ws.len());
        ws.extend(by_score(candidates).into_iter().take(extra));
        (ws, true)
    };
    ws.sort_unstable();
    (ws.into_iter().map(|j| j as u32).collect(), covers)
}

#[cfg(test)]
mod tests {
    use super::{inner_goal, working_set, INNER_RATIO, TOL_SHARE};

    #[test]
    fn inner_goal_aims_just_past_the_tolerance_once() {
        let tol = 1e-5;
        // far from tol: celer's ratio of the outer gap
        assert_eq!(inner_goal(1e-3, tol, false), (INNER_RATIO * 1e-3, false));
        // near tol: the tolerance's share, above the ratio's goal
        let (goal, floored) = inner_goal(2e-5, tol, false);
        assert!(floored && goal == TOL_SHARE * tol && goal > INNER_RATIO * 2e-5 && goal < tol);
        // aimed at once and still above tol: the ratio again
        assert_eq!(inner_goal(2e-5, tol, true), (INNER_RATIO * 2e-5, false));
    }

    #[test]
    fn working_set_is_support_plus_top_violators_sorted() {
        // p = 6: support {1, 4}, violations at 0 (0.5), 2 (2.0), 5 (1.0)
        let score = [0.5, 0.0, 2.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        assert_eq!(working_set(&score, 6, 3, 6), (vec![1, 2, 4, 5], true));
        assert_eq!(working_set(&score, 6, 1, 6), (vec![1, 2, 4, 5], true));
        assert_eq!(working_set(&score, 6, 10, 6), (vec![0, 1, 2, 4, 5], true));
        // support larger than w_max: keep its worst violators only
        let (ws, covers) = working_set(&score, 6, 1, 1);
        assert_eq!((ws.len(), covers), (1, false));
    }
}
