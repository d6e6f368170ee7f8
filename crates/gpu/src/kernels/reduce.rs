//! Per-alpha tree reductions (shaders/reduce.wgsl): duality gaps, FISTA restart, power-iteration
//! normalization, CD feature scores.

use super::{R, U, W};
use crate::context::{groups_1d, Family, GpuContext, Kernel, Op, Precision};

pub(crate) static REDUCE: Family = Family {
    name: "reduce",
    source: include_str!("../../../../shaders/reduce.wgsl"),
    common: &["reduce"],
};
const GAP: Kernel = Kernel {
    family: &REDUCE,
    entry: "gap",
    binds: &[
        (0, U),
        (1, R),
        (2, R),
        (3, R),
        (4, R),
        (5, R),
        (6, R),
        (7, W),
    ],
};
const RESTART: Kernel = Kernel {
    family: &REDUCE,
    entry: "restart",
    binds: &[(0, U), (8, R), (9, R), (10, R), (11, R), (12, W)],
};
const RESTART_SHIFTED: Kernel = Kernel {
    family: &REDUCE,
    entry: "restart_shifted",
    binds: &[(0, U), (8, R), (9, R), (10, R), (11, R), (12, W), (17, R)],
};
const NORMALIZE: Kernel = Kernel {
    family: &REDUCE,
    entry: "normalize",
    binds: &[(0, U), (13, R), (14, W), (15, W)],
};
/// Threads per workgroup (shaders/reduce.wgsl WG).
const WG: usize = 64;
const SCORES: Kernel = Kernel {
    family: &REDUCE,
    entry: "scores",
    binds: &[(0, U), (3, R), (4, R), (5, R), (11, R), (16, W)],
};

/// The device buffers a duality gap is computed from (all alphas of a batch).
pub(crate) struct GapInputs<'a> {
    pub r: &'a wgpu::Buffer,
    pub y: &'a wgpu::Buffer,
    pub c: &'a wgpu::Buffer,
    pub beta: &'a wgpu::Buffer,
    pub lam: &'a wgpu::Buffer,
    pub scal: &'a wgpu::Buffer,
    /// Alphas sharing one `scal` entry (the alphas per fold of a CV batch); 0: scal[0] for all.
    pub scal_group: usize,
}

/// gap_out[a] = absolute duality gap of β_a and gap_out[k + a] = ‖r_a‖² (one workgroup per alpha).
pub(crate) fn gap(
    ctx: &GpuContext,
    precision: Precision,
    (n, p, k): (usize, usize, usize),
    g: &GapInputs,
    gap_out: &wgpu::Buffer,
) -> Op {
    let dims = [n, p, k, g.scal_group].map(|v| v as u32);
    let bufs = [g.r, g.y, g.c, g.beta, g.lam, g.scal, gap_out];
    ctx.op(&GAP, precision, &[], &dims, &bufs, [k as u32, 1, 1])
}

/// FISTA momentum update with gradient restart for every alpha (one workgroup per alpha);
/// `shift` (k values), when given, is added to each alpha's restart test: the share of
/// coordinates not in the p × k blocks (the logistic intercept).
#[allow(clippy::too_many_arguments)]
pub(crate) fn restart(
    ctx: &GpuContext,
    precision: Precision,
    p: usize,
    k: usize,
    z: &wgpu::Buffer,
    new: &wgpu::Buffer,
    old: &wgpu::Buffer,
    active: &wgpu::Buffer,
    mom: &wgpu::Buffer,
    shift: Option<&wgpu::Buffer>,
) -> Op {
    let dims = [0, p as u32, k as u32, 0];
    let groups = [k as u32, 1, 1];
    match shift {
        None => ctx.op(
            &RESTART,
            precision,
            &[],
            &dims,
            &[z, new, old, active, mom],
            groups,
        ),
        Some(shift) => ctx.op(
            &RESTART_SHIFTED,
            precision,
            &[],
            &dims,
            &[z, new, old, active, mom, shift],
            groups,
        ),
    }
}

/// Per column c < k of the p × k block v = XᵀXU/n: u_c = v_c/‖v_c‖ and step[c] = 1/(1.1‖v_c‖)
/// (one workgroup per column).
#[allow(clippy::too_many_arguments)]
pub(crate) fn normalize(
    ctx: &GpuContext,
    precision: Precision,
    p: usize,
    k: usize,
    v: &wgpu::Buffer,
    u: &wgpu::Buffer,
    step: &wgpu::Buffer,
) -> Op {
    let dims = [0, p as u32, k as u32, 0];
    ctx.op(
        &NORMALIZE,
        precision,
        &[],
        &dims,
        &[v, u, step],
        [k as u32, 1, 1],
    )
}

/// score[j] = max over active alphas of the KKT violation of feature j, score[p + j] = 1 if any
/// β_jk ≠ 0 (one thread per feature).
#[allow(clippy::too_many_arguments)]
pub(crate) fn scores(
    ctx: &GpuContext,
    precision: Precision,
    p: usize,
    k: usize,
    c: &wgpu::Buffer,
    beta: &wgpu::Buffer,
    lam: &wgpu::Buffer,
    active: &wgpu::Buffer,
    score: &wgpu::Buffer,
) -> Op {
    let dims = [0, p as u32, k as u32, 0];
    let groups = groups_1d(p, WG, ctx.limits.max_compute_workgroups_per_dimension);
    ctx.op(
        &SCORES,
        precision,
        &[],
        &dims,
        &[c, beta, lam, active, score],
        groups,
    )
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&GAP, &RESTART, &RESTART_SHIFTED, &NORMALIZE, &SCORES];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::design::DeviceDesign;
    use crate::GpuCounters;
    use ndarray::{Array1, Array2, ShapeBuilder};
    use regpath_core::Penalty;

    /// The device gap of arbitrary (β, r = y − Xβ, c = Xᵀr/n) equals the f64 certifier's for the
    /// Lasso (same dual scaling) and is an upper bound of it otherwise (s = 1 vs the best s).
    #[test]
    fn gap_matches_the_host_certifier() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        let (n, p, k) = (40, 13, 4);
        let x = Array2::from_shape_fn((n, p).f(), |(i, j)| {
            ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0
        });
        let w = Array1::from_shape_fn(p, |j| (j % 4) as f64 - 1.5);
        let y = x.dot(&w) + Array1::from_shape_fn(n, |i| 0.1 * (i as f64 * 0.37).sin());
        // rows 0–2: arbitrary; row 3: half of w at alpha = 1.02‖c‖∞/ρ, where rᵀy/‖r‖² ≈ 2 is
        // infeasible and the Lasso scale must be capped at λ1/‖c‖∞.
        let betas = Array2::from_shape_fn((k, p), |(a, j)| match a {
            3 => 0.5 * w[j],
            _ if j % 3 == a => 0.1 * (j as f64 - 6.0),
            _ => 0.0,
        });
        let r3 = &y - &x.dot(&betas.row(3));
        let cmax3 = (x.t().dot(&r3) / n as f64)
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            r3.dot(&y) / r3.dot(&r3) > 1.02,
            "row 3 must need the feasibility cap: {}",
            r3.dot(&y) / r3.dot(&r3)
        );
        let alphas_for = |pen: Penalty| [0.05, 0.02, 0.01, 1.02 * cmax3 / pen.l1_ratio.max(1e-3)];
        for pen in [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE] {
            let alphas = alphas_for(pen);
            for prec in [Precision::F32, Precision::F64] {
                if prec == Precision::F64 && !ctx.supports_f64() {
                    continue;
                }
                let dd = DeviceDesign::new(ctx, x.view(), y.view(), prec, None).unwrap();
                let r: Vec<Array1<f64>> =
                    betas.rows().into_iter().map(|b| &y - &x.dot(&b)).collect();
                let c: Vec<Array1<f64>> = r.iter().map(|r| x.t().dot(r) / n as f64).collect();
                let flat =
                    |v: &[Array1<f64>]| v.iter().flat_map(|a| a.to_vec()).collect::<Vec<_>>();
                let lam: Vec<f64> = alphas
                    .iter()
                    .flat_map(|&a| [pen.l1(a), pen.l2(a)])
                    .collect();
                let (rb, cb) = (
                    ctx.upload("r", &flat(&r), prec),
                    ctx.upload("c", &flat(&c), prec),
                );
                let bb = ctx.upload("b", betas.as_slice().unwrap(), prec);
                let lb = ctx.upload("lam", &lam, prec);
                let out = ctx.zeros("gap", k, prec);
                let g = GapInputs {
                    r: &rb,
                    y: &dd.y,
                    c: &cb,
                    beta: &bb,
                    lam: &lb,
                    scal: &dd.scal,
                    scal_group: 0,
                };
                let op = gap(ctx, prec, (n, p, k), &g, &out);
                let mut enc = ctx.encoder();
                record(&mut enc, &[&op]);
                let bytes = (k * prec.size()) as u64;
                let got = ctx
                    .submit_and_read(enc, &[(&out, 0, bytes)], &mut GpuCounters::default())
                    .unwrap();
                let got = prec.values(&got[0]);
                for a in 0..k {
                    let cert =
                        regpath_core::certify(x.view(), y.view(), betas.row(a), alphas[a], pen);
                    let tol = if prec == Precision::F32 { 1e-5 } else { 1e-12 } * cert.primal;
                    assert!(
                        got[a] >= cert.gap - tol,
                        "{} {pen:?}: device gap {} below the best gap {}",
                        prec.name(),
                        got[a],
                        cert.gap
                    );
                    if pen.l1_ratio == 1.0 {
                        assert!(
                            (got[a] - cert.gap).abs() <= tol,
                            "{pen:?}: {} vs {}",
                            got[a],
                            cert.gap
                        );
                    }
                }
            }
        }
    }
}
