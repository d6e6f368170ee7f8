//! Working-set kernels (shaders/cd.wgsl): gather X_W, β_W and g_W, the inner CD epochs (one
//! workgroup per alpha, g and β_W in workgroup memory or, when w is too large, in storage), scatter.

use super::XBlock;
use super::{R, U, W};
use crate::context::{groups_1d, Family, GpuContext, Kernel, Op, Precision};

pub(crate) static CD_WGSL: Family = Family {
    name: "cd",
    source: include_str!("../../../../shaders/cd.wgsl"),
    common: &[],
};
const MOVE: &[(u32, crate::context::Bind)] = &[(0, U), (1, R), (2, R), (3, W)];
const GATHER_COLS: Kernel = Kernel {
    family: &CD_WGSL,
    entry: "gather_cols",
    binds: MOVE,
};
const GATHER_ROWS: Kernel = Kernel {
    family: &CD_WGSL,
    entry: "gather_rows",
    binds: MOVE,
};
const SCATTER_ROWS: Kernel = Kernel {
    family: &CD_WGSL,
    entry: "scatter_rows",
    binds: MOVE,
};
const CD_INNER: Kernel = Kernel {
    family: &CD_WGSL,
    entry: "cd_inner",
    binds: &[
        (0, U),
        (4, R),
        (5, W),
        (6, W),
        (7, R),
        (8, R),
        (9, R),
        (10, W),
        (11, W),
    ],
};

/// Bytes of workgroup memory the inner kernel needs besides its arrays (flag, alignment).
const WG_RESERVED: u64 = 64;

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
    fn dims(&self, j0: usize, cols: usize, max_epochs: u32) -> [u32; 8] {
        let d = self;
        let per_gram = d.per_gram.max(1);
        [d.n, d.p, d.k, d.w, j0, cols, max_epochs as usize, per_gram].map(|v| v as u32)
    }
}

fn groups(ctx: &GpuContext, count: usize) -> [u32; 3] {
    groups_1d(count, 256, ctx.limits.max_compute_workgroups_per_dimension)
}

/// Ops filling `xw` (n × w, column l = x_{W_l}) from X's blocks.
pub(crate) fn gather_cols(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    blocks: &[XBlock],
    ws: &wgpu::Buffer,
    xw: &wgpu::Buffer,
) -> Vec<Op> {
    blocks
        .iter()
        .map(|b| {
            let dims = d.dims(b.j0, b.cols, 0);
            ctx.op(
                &GATHER_COLS,
                precision,
                &storage_variant(),
                &dims,
                &[ws, &b.buf, xw],
                groups(ctx, d.n * d.w),
            )
        })
        .collect()
}

/// dst (w × k) = rows W of src (p × k).
pub(crate) fn gather_rows(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    ws: &wgpu::Buffer,
    src: &wgpu::Buffer,
    dst: &wgpu::Buffer,
) -> Op {
    let dims = d.dims(0, 0, 0);
    ctx.op(
        &GATHER_ROWS,
        precision,
        &storage_variant(),
        &dims,
        &[ws, src, dst],
        groups(ctx, d.w * d.k),
    )
}

/// Rows W of dst (p × k) = src (w × k).
pub(crate) fn scatter_rows(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    ws: &wgpu::Buffer,
    src: &wgpu::Buffer,
    dst: &wgpu::Buffer,
) -> Op {
    let dims = d.dims(0, 0, 0);
    ctx.op(
        &SCATTER_ROWS,
        precision,
        &storage_variant(),
        &dims,
        &[ws, src, dst],
        groups(ctx, d.w * d.k),
    )
}

/// The largest power-of-two w (≤ 4096) whose g and β_W fit the adapter's workgroup memory.
pub(crate) fn workgroup_capacity(ctx: &GpuContext, precision: Precision) -> usize {
    let limit = ctx.limits.max_compute_workgroup_storage_size as u64;
    let reserved = WG_RESERVED + 256 * precision.size() as u64; // the reduction scratch
    let mut cap = 4096u64;
    while cap > 1 && 2 * cap * precision.size() as u64 + reserved > limit {
        cap /= 2;
    }
    cap as usize
}

/// cd.wgsl with the working g and β_W in workgroup arrays of `cap` entries.
fn workgroup_variant(cap: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "const WG_CAP: u32 = 1024u;",
            format!("const WG_CAP: u32 = {cap}u;"),
        ),
        ("GW[", "gw[".into()),
        ("BW[", "bw[".into()),
        ("BARRIER()", "workgroupBarrier()".into()),
    ]
}

/// cd.wgsl with the working g and β_W in storage (any w); also the source of the gather/scatter
/// kernels, which use neither.
fn storage_variant() -> Vec<(&'static str, String)> {
    vec![
        (
            "const WG_CAP: u32 = 1024u;",
            "const WG_CAP: u32 = 1u;".into(),
        ),
        ("GW[", "work[base + ".into()),
        ("BW[", "work[d.w * d.k + base + ".into()),
        ("BARRIER()", "storageBarrier()".into()),
    ]
}

/// Buffers of one inner CD call.
pub(crate) struct InnerCd<'a> {
    pub gram: &'a wgpu::Buffer,
    pub g: &'a wgpu::Buffer,
    pub beta: &'a wgpu::Buffer,
    pub lam: &'a wgpu::Buffer,
    pub gap: &'a wgpu::Buffer,
    pub active: &'a wgpu::Buffer,
    pub epochs: &'a wgpu::Buffer,
    /// Working copies of g and β_W (2 · w × k) for the storage variant.
    pub work: &'a wgpu::Buffer,
}

/// Loop trips one invocation may make per dispatch: some drivers bound them (lavapipe silently
/// leaves every loop of an invocation after 65535 trips in all), and short dispatches also stay
/// clear of GPU watchdogs.
pub(crate) const LOOP_BUDGET: usize = 40_000;

/// Threads of the inner kernel for a working set of w features.
fn inner_threads(w: usize) -> usize {
    if w <= 256 {
        64
    } else {
        256
    }
}

/// Dispatches running up to `epochs` CD epochs on W for each active alpha (one workgroup each);
/// g and β_W live in workgroup memory when w ≤ `wg_cap`, else (or when `force_storage`) in their
/// storage buffers. `b.epochs` (2k u32) must be zero before the first: epochs then done flags.
pub(crate) fn inner(
    ctx: &GpuContext,
    precision: Precision,
    d: WsDims,
    b: &InnerCd,
    epochs: u32,
    wg_cap: usize,
    force_storage: bool,
) -> Vec<Op> {
    let threads = inner_threads(d.w);
    let mut variant = if d.w <= wg_cap && !force_storage {
        workgroup_variant(wg_cap)
    } else {
        storage_variant()
    };
    variant.push((
        "const CDW: u32 = 64u;",
        format!("const CDW: u32 = {threads}u;"),
    ));
    // per epoch, at worst: coordinates and their gradient updates, a refresh as long, two strided
    // reductions and their trees
    let per_thread = d.w.div_ceil(threads);
    let trips = 2 * d.w * (1 + per_thread) + 4 * per_thread + 2 * threads.ilog2() as usize + 2;
    let per_dispatch = (LOOP_BUDGET / trips).clamp(1, epochs.max(1) as usize);
    let dispatches = (epochs.max(1) as usize).div_ceil(per_dispatch);
    let dims = d.dims(0, 0, per_dispatch as u32);
    let bufs = [
        b.gram, b.g, b.beta, b.lam, b.gap, b.active, b.epochs, b.work,
    ];
    (0..dispatches)
        .map(|_| {
            ctx.op(
                &CD_INNER,
                precision,
                &variant,
                &dims,
                &bufs,
                [d.k as u32, 1, 1],
            )
        })
        .collect()
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&GATHER_COLS, &GATHER_ROWS, &SCATTER_ROWS, &CD_INNER];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;
    use ndarray::Array1;

    /// Run to convergence (over several dispatches), the inner kernel solves the elastic net
    /// restricted to W: β matches a host CD and g matches X_Wᵀ(y − X_Wβ)/n, in both memory variants
    /// and for w above and below the thread count.
    #[test]
    fn inner_cd_solves_the_restricted_problem() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        for (n, w) in [(120, 40), (200, 150)] {
            let k = 3;
            let x = regpath_core::synth::regression(n, w, 5, 1.0, 3).unwrap().x; // Gaussian X_W
            let y = Array1::from_shape_fn(n, |i| (i as f64 * 0.7).cos() * 3.0);
            let gram = x.t().dot(&x) / n as f64;
            let g0 = x.t().dot(&y) / n as f64;
            let lam = [(0.2, 0.0), (0.05, 0.05), (0.02, 0.0)];
            let reference: Vec<Array1<f64>> = lam
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
            for prec in [Precision::F32, Precision::F64] {
                if prec == Precision::F64 && !ctx.supports_f64() {
                    continue;
                }
                for storage in [false, true] {
                    let g_init: Vec<f64> = g0.iter().copied().cycle().take(w * k).collect();
                    let gbuf = ctx.upload("g", &g_init, prec);
                    let bbuf = ctx.zeros("b", w * k, prec);
                    let gram_buf = ctx.upload("gram", gram.as_slice_memory_order().unwrap(), prec);
                    let lams: Vec<f64> = lam.iter().flat_map(|&(a, b)| [a, b]).collect();
                    let lam_buf = ctx.upload("lam", &lams, prec);
                    let gap_buf = ctx.zeros("gap", 2 * k, prec); // outer gap 0: run until nothing changes
                    let act = ctx.upload_u32("active", &[1; 3]);
                    let ep = ctx.upload_u32("epochs", &[0; 6]);
                    let work = ctx.zeros("work", 2 * w * k, prec);
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
                    let ops = inner(
                        ctx,
                        prec,
                        d,
                        &bufs,
                        3000,
                        workgroup_capacity(ctx, prec),
                        storage,
                    );
                    let mut enc = ctx.encoder();
                    record(&mut enc, &ops.iter().collect::<Vec<_>>());
                    let sz = (w * k * prec.size()) as u64;
                    let regions = [(&bbuf, 0, sz), (&gbuf, 0, sz), (&ep, 0, 24)];
                    let out = ctx
                        .submit_and_read(enc, &regions, &mut GpuCounters::default())
                        .unwrap();
                    let (b, g) = (prec.values(&out[0]), prec.values(&out[1]));
                    let epochs: Vec<u32> = bytemuck::pod_collect_to_vec(&out[2]);
                    let tol = if prec == Precision::F32 { 1e-4 } else { 1e-9 };
                    let what = format!("{} w={w} storage={storage} epochs {epochs:?}", prec.name());
                    for a in 0..k {
                        let bk = Array1::from(b[a * w..(a + 1) * w].to_vec());
                        let diff = (&bk - &reference[a])
                            .iter()
                            .fold(0.0f64, |m, v| m.max(v.abs()));
                        assert!(diff <= tol, "{what} alpha {a}: max |β − β_ref| = {diff}");
                        let grad = &g0 - &gram.dot(&bk);
                        let drift = (0..w)
                            .map(|l| (g[a * w + l] - grad[l]).abs())
                            .fold(0.0, f64::max);
                        assert!(drift <= tol, "{what} alpha {a}: gradient drift {drift}");
                    }
                }
            }
        }
    }
}
