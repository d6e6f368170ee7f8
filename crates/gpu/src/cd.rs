//! gpu-cd: batched working-set coordinate descent (see GPU-CD.md), chunks of consecutive alphas.
//!
//! Outer step, all alphas of a chunk on the device: C = XᵀR/n (the one pass over X), duality gaps,
//! KKT scores per feature. The host reads back K gaps and p scores (one readback), picks one working
//! set W for the chunk (support ∪ top violators, w = max(w0, 2|support|)), then the device gathers
//! X_W, forms G = X_WᵀX_W/n, runs CD epochs on W per alpha (one workgroup each, no readback),
//! scatters β_W back and refreshes R = y − X_Wβ_W. Chunks start warm from the previous chunk's
//! last alpha (β, R and C copied on the device, no pass over X).

use crate::context::{record, GpuContext, Op};
use crate::design::{DeviceDesign, XBlock};
use crate::error::GpuError;
use crate::kernels::cd::{self as k_cd, InnerCd, WsDims};
use crate::kernels::gemm::{self, Combine};
use crate::kernels::{prox, reduce};
use crate::stopping::{Progress, Stop};
use crate::{GpuCounters, GpuParams, Tuning};
use regpath_core::{Path, Penalty};

/// Device state of a chunk of up to kc alphas (p × kc and n × kc blocks, column = alpha).
struct State {
    kc: usize,
    beta: wgpu::Buffer,
    resid: wgpu::Buffer,
    c: wgpu::Buffer,
    lam: wgpu::Buffer,
    live: wgpu::Buffer,
    /// Outer gaps, then ‖r‖², per alpha.
    gaps: wgpu::Buffer,
    /// Inner epochs, then done flags, per alpha.
    epochs: wgpu::Buffer,
    /// KKT violation per feature, then its support flag.
    score: wgpu::Buffer,
    /// The previous chunk's last β, r and c.
    warm: [wgpu::Buffer; 3],
}

/// Device buffers of the working set, sized for `cap` features.
struct WsBuffers {
    cap: usize,
    ws: wgpu::Buffer,
    xw: wgpu::Buffer,
    gram: wgpu::Buffer,
    g: wgpu::Buffer,
    bw: wgpu::Buffer,
    work: wgpu::Buffer,
}

impl WsBuffers {
    fn new(ctx: &GpuContext, dd: &DeviceDesign, cap: usize, kc: usize) -> WsBuffers {
        let prec = dd.precision;
        WsBuffers {
            cap,
            ws: ctx.upload_u32("working set", &vec![0; cap]),
            xw: ctx.zeros("X_W", dd.n * cap, prec),
            gram: ctx.zeros("gram", cap * cap, prec),
            g: ctx.zeros("g_W", cap * kc, prec),
            bw: ctx.zeros("beta_W", cap * kc, prec),
            work: ctx.zeros("g_W and beta_W work", 2 * cap * kc, prec),
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

/// Solves the path chunk by chunk; returns coefficients on the design's scale.
pub(crate) fn solve(
    ctx: &GpuContext,
    dd: &DeviceDesign,
    alphas: &[f64],
    penalty: Penalty,
    params: &GpuParams,
    tuning: &Tuning,
    counters: &mut GpuCounters,
) -> Result<Path, GpuError> {
    let (n, p, prec) = (dd.n, dd.p, dd.precision);
    let kc = params.chunk.clamp(1, alphas.len());
    let s = State {
        kc,
        beta: ctx.zeros("beta", p * kc, prec),
        resid: ctx.zeros("r", n * kc, prec),
        c: ctx.zeros("c", p * kc, prec),
        lam: ctx.zeros("lambdas", 2 * kc, prec),
        live: ctx.upload_u32("live", &vec![0; kc]),
        gaps: ctx.zeros("gaps and ‖r‖²", 2 * kc, prec),
        epochs: ctx.upload_u32("epochs and done flags", &vec![0; 2 * kc]),
        score: ctx.zeros("scores", 2 * p, prec),
        warm: [p, n, p].map(|rows| ctx.zeros("warm start", rows, prec)),
    };
    let mut wsb: Option<WsBuffers> = None;
    let mut path = Path::zeros(alphas.to_vec(), p);
    for (i, start) in (0..alphas.len()).step_by(kc).enumerate() {
        let kn = kc.min(alphas.len() - start);
        let lam: Vec<f64> = alphas[start..start + kn]
            .iter()
            .flat_map(|&a| [penalty.l1(a), penalty.l2(a)])
            .collect();
        ctx.queue.write_buffer(&s.lam, 0, &prec.bytes(&lam));
        let previous = (i > 0).then_some(kc); // every chunk before the last is full
        let chunk = Chunk {
            ctx,
            dd,
            s: &s,
            k: kn,
            params,
            tuning,
        };
        chunk.solve(previous, &mut wsb, &mut path, start, counters)?;
    }
    Ok(path)
}

/// One chunk of k consecutive alphas.
struct Chunk<'a> {
    ctx: &'a GpuContext,
    dd: &'a DeviceDesign,
    s: &'a State,
    k: usize,
    params: &'a GpuParams,
    tuning: &'a Tuning,
}

impl Chunk<'_> {
    /// Outer steps until every alpha converged or gave up; writes rows start.. of `path`.
    fn solve(
        &self,
        previous: Option<usize>,
        wsb: &mut Option<WsBuffers>,
        path: &mut Path,
        start: usize,
        counters: &mut GpuCounters,
    ) -> Result<(), GpuError> {
        let (ctx, dd, s, k) = (self.ctx, self.dd, self.s, self.k);
        let (p, prec, size) = (dd.p, dd.precision, dd.precision.size() as u64);
        let mut live = vec![1u32; k];
        ctx.queue
            .write_buffer(&s.live, 0, bytemuck::cast_slice(&live));
        let check = vec![
            reduce::gap(ctx, prec, (dd.n, p, k), &self.gap_inputs(), &s.gaps),
            reduce::scores(ctx, prec, p, k, &s.c, &s.beta, &s.lam, &s.live, &s.score),
        ];
        let correlations = dd.correlations(ctx, &s.resid, k, &s.c, None);
        let mut encoder = ctx.encoder();
        let init = self.warm_start(&mut encoder, previous, counters);
        record(&mut encoder, &init.iter().chain(&check).collect::<Vec<_>>());
        let regions = [
            (&s.gaps, 0, k as u64 * size),
            (&s.score, 0, 2 * p as u64 * size),
        ];
        let mut read = ctx.submit_and_read(encoder, &regions, counters)?;

        let w_max = self.max_working_set();
        let mut progress = vec![Progress::default(); k];
        let mut current: Vec<u32> = Vec::new();
        for outer in 0.. {
            for (a, gap) in prec.values(&read[0]).into_iter().enumerate() {
                if live[a] == 0 {
                    continue;
                }
                let budget = path.iterations[start + a] >= self.params.max_iter
                    || outer >= self.tuning.max_outer;
                let rel = gap / dd.y_scale;
                let window = self.tuning.stall_outer;
                if let Some(stop) = progress[a].judge(rel, self.params.tol, outer, window, budget) {
                    path.converged[start + a] = stop == Stop::Converged;
                    live[a] = 0;
                }
            }
            let scores = prec.values(&read[1]);
            let (ws, covers_support) = working_set(&scores, p, self.tuning.min_working_set, w_max);
            if !live.contains(&1) || ws.is_empty() {
                break;
            }
            let w = ws.len();
            let mut changed = ws != current;
            if wsb.as_ref().is_none_or(|b| b.cap < w) {
                *wsb = Some(WsBuffers::new(ctx, dd, (2 * w).min(w_max).max(w), s.kc));
                changed = true;
            }
            let b = wsb.as_ref().expect("allocated above");
            ctx.queue.write_buffer(&b.ws, 0, bytemuck::cast_slice(&ws));
            ctx.queue
                .write_buffer(&s.live, 0, bytemuck::cast_slice(&live));
            current = ws;
            let step = self.step(b, w, changed, covers_support, counters);
            let mut encoder = ctx.encoder();
            encoder.clear_buffer(&s.epochs, 0, None);
            record(
                &mut encoder,
                &step
                    .iter()
                    .chain(&correlations)
                    .chain(&check)
                    .collect::<Vec<_>>(),
            );
            let regions = [
                (&s.gaps, 0, k as u64 * size),
                (&s.score, 0, 2 * p as u64 * size),
                (&s.epochs, 0, k as u64 * 4),
            ];
            read = ctx.submit_and_read(encoder, &regions, counters)?;
            counters.x_passes += 1;
            let epochs: Vec<u32> = bytemuck::pod_collect_to_vec(&read[2]);
            counters.epochs += epochs.iter().copied().max().unwrap_or(0) as u64;
            for (it, e) in path.iterations[start..start + k].iter_mut().zip(&epochs) {
                *it += *e as usize;
            }
        }
        let coefs = ctx.submit_and_read(
            ctx.encoder(),
            &[(&s.beta, 0, (k * p) as u64 * size)],
            counters,
        )?;
        let coefs = prec.values(&coefs[0]);
        for (a, row) in coefs.chunks_exact(p).enumerate() {
            path.coefs
                .row_mut(start + a)
                .assign(&ndarray::ArrayView1::from(row));
        }
        Ok(())
    }

    /// Ops setting β, R and C for the chunk: 0, y and Xᵀy/n on the first chunk (one pass over
    /// X), else the previous chunk's last column copied to every column (no pass).
    fn warm_start(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        previous: Option<usize>,
        counters: &mut GpuCounters,
    ) -> Vec<Op> {
        let (ctx, dd, s, k) = (self.ctx, self.dd, self.s, self.k);
        let (n, p, prec) = (dd.n, dd.p, dd.precision);
        match previous {
            None => {
                counters.x_passes += 1;
                let mut ops = vec![prox::bcast(ctx, prec, n, k, &dd.y, 0, &s.resid)];
                ops.extend(dd.correlations(ctx, &dd.y, 1, &s.warm[2], None));
                ops.push(prox::bcast(ctx, prec, p, k, &s.warm[2], 0, &s.c));
                ops
            }
            Some(kp) => {
                let blocks = [(&s.beta, p), (&s.resid, n), (&s.c, p)];
                for ((src, rows), dst) in blocks.into_iter().zip(&s.warm) {
                    let bytes = (rows * prec.size()) as u64;
                    encoder.copy_buffer_to_buffer(src, (kp - 1) as u64 * bytes, dst, 0, bytes);
                }
                blocks
                    .into_iter()
                    .zip(&s.warm)
                    .map(|((dst, rows), src)| prox::bcast(ctx, prec, rows, k, src, 0, dst))
                    .collect()
            }
        }
    }

    /// Ops of one working-set step on W (w features, in `b.ws`): gather (X_W and its Gram only
    /// when W `changed`), inner CD, scatter, R refresh (from X_W when W covers the support).
    fn step(
        &self,
        b: &WsBuffers,
        w: usize,
        changed: bool,
        covers: bool,
        counters: &mut GpuCounters,
    ) -> Vec<Op> {
        let (ctx, dd, s, k) = (self.ctx, self.dd, self.s, self.k);
        let (n, p, prec) = (dd.n, dd.p, dd.precision);
        let d = WsDims { n, p, k, w };
        let mut ops = Vec::new();
        if changed {
            ops.extend(k_cd::gather_cols(ctx, prec, d, &dd.blocks, &b.ws, &b.xw));
            ops.extend(gemm::xtr(
                ctx,
                prec,
                &b.block(w),
                n,
                &b.xw,
                w,
                &dd.scal,
                &b.gram,
                w,
                true,
                None,
            ));
        }
        ops.push(k_cd::gather_rows(ctx, prec, d, &b.ws, &s.beta, &b.bw));
        ops.push(k_cd::gather_rows(ctx, prec, d, &b.ws, &s.c, &b.g));
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
        let wg_cap = k_cd::workgroup_capacity(ctx, prec);
        let epochs = self.tuning.inner_epochs;
        ops.extend(k_cd::inner(
            ctx,
            prec,
            d,
            &inner,
            epochs,
            wg_cap,
            self.tuning.cd_storage,
        ));
        ops.push(k_cd::scatter_rows(ctx, prec, d, &b.ws, &b.bw, &s.beta));
        if covers {
            ops.extend(gemm::xb(
                ctx,
                prec,
                &b.block(w),
                n,
                &b.bw,
                w,
                k,
                &dd.y,
                &s.resid,
                Combine::YMinus,
                None,
            ));
        } else {
            ops.extend(dd.residuals(ctx, &s.beta, k, &s.resid, None));
            counters.x_passes += 1;
        }
        ops
    }

    fn gap_inputs(&self) -> reduce::GapInputs<'_> {
        let s = self.s;
        reduce::GapInputs {
            r: &s.resid,
            y: &self.dd.y,
            c: &s.c,
            beta: &s.beta,
            lam: &s.lam,
            scal: &self.dd.scal,
            scal_group: 0,
        }
    }

    /// The largest working set: p, the tuning cap, and what one binding holds (G is w × w, X_W
    /// n × w, g_W and β_W w × kc).
    fn max_working_set(&self) -> usize {
        let scalars = (self.ctx.max_binding() / self.dd.precision.size() as u64) as usize;
        let fits = [
            (scalars as f64).sqrt() as usize,
            scalars / self.dd.n,
            scalars / self.s.kc,
        ];
        fits.into_iter()
            .chain([self.dd.p, self.tuning.max_working_set])
            .min()
            .unwrap_or(1)
            .max(1)
    }
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
    use super::working_set;

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
