//! Per-alpha tree reductions (shaders/reduce.wgsl): duality gaps, FISTA restart, power-iteration
//! normalization, CD feature scores.

use super::flat_groups;
use crate::context::{Cost, GpuContext, Kernel, Op, Precision};

family! {
    pub(crate) static REDUCE = "reduce", common ["reduce", "penalty", "gaps"], header [];
    /// The device buffers a duality gap is computed from (all alphas of a batch) and its output:
    /// residuals, y, c = Xᵀr/n, β, λ1, λ2 per alpha, 1/n (or 1/n_f per group), the gaps.
    struct GapArgs { r: 1 R, y: 2 R, c: 3 R, beta: 4 R, lam: 5 R, scal: 6 R, gap_out: 7 W }
        => GAP = "gap";
    /// The FISTA iterates of a restart test (double-word z, new, old), the live flags, the
    /// momentum and, optionally, a per-alpha term added to the test.
    struct RestartArgs { z: 8 R, new: 9 R, old: 10 R, active: 11 R, mom: 12 W } => RESTART = "restart",
        + shift: 17 R => RESTART_SHIFTED = "restart_shifted";
    /// A power-iteration step's v = XᵀXu/n (p × k), the next u and the steps.
    struct NormalizeArgs { v: 13 R, u: 14 W, step: 15 W } => NORMALIZE = "normalize";
    /// c, β, λ per alpha, the live flags and the feature scores.
    struct ScoresArgs { c: 3 R, beta: 4 R, lam: 5 R, active: 11 R, score: 16 W } => SCORES = "scores";
}

/// Threads per workgroup (shaders/reduce.wgsl WG).
const WG: usize = 64;

/// One workgroup per alpha (per column): dims (n, p, k, group). Its serial steps: two tree
/// reductions over the workgroup of log2(WG) + 2 barriers each (the kernels reduce one or two
/// sums, and a maximum).
fn per_alpha(
    ctx: &GpuContext,
    precision: Precision,
    kernel: &Kernel,
    dims: [usize; 4],
    bufs: &[&wgpu::Buffer],
) -> Op {
    let groups = [dims[2] as u32, 1, 1];
    let op = ctx.op(
        kernel,
        precision,
        &[],
        &dims.map(|v| v as u32),
        bufs,
        groups,
    );
    let steps = 1 + 2 * (WG.ilog2() as u64 + 2);
    let cost = Cost { steps, ..op.cost() };
    op.with_cost(cost)
}

/// gap_out[a] = absolute duality gap of β_a and gap_out[k + a] = ‖r_a‖² (one workgroup per alpha);
/// `scal_group` alphas share one `scal` entry (the alphas per fold of a CV batch; 0: scal[0] for
/// all).
pub(crate) fn gap(
    ctx: &GpuContext,
    precision: Precision,
    (n, p, k, scal_group): (usize, usize, usize, usize),
    a: &GapArgs,
) -> Op {
    per_alpha(ctx, precision, &GAP, [n, p, k, scal_group], &a.buffers())
}

/// FISTA momentum update with gradient restart for every alpha (one workgroup per alpha);
/// `shift` (k values), when given, is added to each alpha's restart test: the share of
/// coordinates not in the p × k blocks (the logistic intercept).
pub(crate) fn restart(
    ctx: &GpuContext,
    precision: Precision,
    (p, k): (usize, usize),
    a: &RestartArgs,
) -> Op {
    let kernel = if a.shift.is_some() {
        &RESTART_SHIFTED
    } else {
        &RESTART
    };
    per_alpha(ctx, precision, kernel, [0, p, k, 0], &a.buffers())
}

/// Per column c < k of the p × k block v = XᵀXU/n: u_c = v_c/‖v_c‖ and step[c] = 1/(1.1‖v_c‖)
/// (one workgroup per column).
pub(crate) fn normalize(
    ctx: &GpuContext,
    precision: Precision,
    (p, k): (usize, usize),
    a: &NormalizeArgs,
) -> Op {
    per_alpha(ctx, precision, &NORMALIZE, [0, p, k, 0], &a.buffers())
}

/// score[j] = max over active alphas of the KKT violation of feature j, score[p + j] = 1 if any
/// β_jk ≠ 0 (one thread per feature).
pub(crate) fn scores(
    ctx: &GpuContext,
    precision: Precision,
    (p, k): (usize, usize),
    a: &ScoresArgs,
) -> Op {
    let dims = [0, p as u32, k as u32, 0];
    let groups = flat_groups(ctx, p, WG);
    ctx.op(&SCORES, precision, &[], &dims, &a.buffers(), groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::DeviceDesign;
    use crate::kernels::run_and_read;
    use ndarray::{Array1, Array2, ShapeBuilder};
    use regpath_core::Penalty;

    gpu_test! {
        /// The device gap of arbitrary (β, r = y − Xβ, c = Xᵀr/n) equals the f64 certifier's for the
        /// Lasso (same dual scaling) and is an upper bound of it otherwise (s = 1 vs the best s).
        fn gap_matches_the_host_certifier(ctx) {
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
                    let g = GapArgs {
                        r: &rb,
                        y: &dd.y,
                        c: &cb,
                        beta: &bb,
                        lam: &lb,
                        scal: &dd.scal,
                        gap_out: &out,
                    };
                    let got = run_and_read(ctx, prec, &[&gap(ctx, prec, (n, p, k, 0), &g)], &out, k);
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
}
