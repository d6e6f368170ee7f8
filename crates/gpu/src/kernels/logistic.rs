//! Logistic-loss kernels (shaders/logistic.wgsl): residuals y − σ(Xβ + b), the intercept step,
//! the dual direction and the per-alpha logistic duality gap.

use super::{R, U, W};
use crate::context::{groups_1d, Family, GpuContext, Kernel, Op, Precision};

pub(crate) static LOGISTIC: Family = Family {
    name: "logistic",
    source: include_str!("../../../../shaders/logistic.wgsl"),
    common: &["dw", "reduce"],
};
const RESID: Kernel = Kernel {
    family: &LOGISTIC,
    entry: "resid",
    binds: &[(0, U), (1, R), (2, R), (3, R), (4, W), (17, R)],
};
const DUAL: Kernel = Kernel {
    family: &LOGISTIC,
    entry: "dual",
    binds: &[(0, U), (1, R), (2, R), (3, R), (4, W), (17, R), (18, R)],
};
const INTERCEPT: Kernel = Kernel {
    family: &LOGISTIC,
    entry: "intercept",
    binds: &[
        (0, U),
        (2, R),
        (5, R),
        (6, R),
        (7, R),
        (8, R),
        (9, R),
        (10, W),
        (11, W),
        (18, R),
    ],
};
const GAP: Kernel = Kernel {
    family: &LOGISTIC,
    entry: "gap",
    binds: &[
        (0, U),
        (1, R),
        (2, R),
        (3, R),
        (5, R),
        (7, R),
        (12, R),
        (13, R),
        (14, W),
        (17, R),
        (18, R),
    ],
};
#[cfg(test)]
const FUNCS: Kernel = Kernel {
    family: &LOGISTIC,
    entry: "funcs",
    binds: &[(0, U), (15, R), (16, W)],
};
/// Threads per workgroup (shaders/logistic.wgsl WG).
const WG: usize = 64;
/// 1.0f32 as bits, for the shader's opaque multiply (see two_sum in logistic.wgsl).
const ONE: u32 = 0x3f80_0000;

/// f64 pipelines flush exp to 0 at f64's smallest normal instead of f32's.
fn variant(precision: Precision) -> Vec<(&'static str, String)> {
    match precision {
        Precision::F32 => vec![],
        Precision::F64 => vec![(
            "const EXP_LOW: real = -87.0;",
            "const EXP_LOW: real = -708.0;".into(),
        )],
    }
}

fn dims(n: usize, p: usize, k: usize, fit_intercept: bool, rows: Rows) -> [u32; 8] {
    [
        n as u32,
        p as u32,
        k as u32,
        fit_intercept as u32,
        ONE,
        rows.folds as u32,
        rows.per as u32,
        0,
    ]
}

/// Which samples each column sees: `folds` groups of `per` consecutive alphas, group f on the
/// samples where mask[f·n + i] = 1 (n × folds), with 1/n_f per group in `inv_n`. One group of all
/// K alphas on all samples for a plain path.
#[derive(Clone, Copy)]
pub(crate) struct Rows<'a> {
    pub mask: &'a wgpu::Buffer,
    pub inv_n: &'a wgpu::Buffer,
    pub folds: usize,
    pub per: usize,
}

/// The scores of a batch: η = Xβ (n × k), the intercepts b (hi k, then lo k), the labels y and
/// the rows each column sees.
#[derive(Clone, Copy)]
pub(crate) struct Scores<'a> {
    pub eta: &'a wgpu::Buffer,
    pub b: &'a wgpu::Buffer,
    pub y: &'a wgpu::Buffer,
    pub rows: Rows<'a>,
}

/// out (n × k) = y − σ(η + b), element-wise.
pub(crate) fn resid(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    sc: Scores,
    out: &wgpu::Buffer,
) -> Op {
    let groups = groups_1d(n * k, WG, ctx.limits.max_compute_workgroups_per_dimension);
    ctx.op(
        &RESID,
        precision,
        &variant(precision),
        &dims(n, 0, k, false, sc.rows),
        &[sc.eta, sc.b, sc.y, out, sc.rows.mask],
        groups,
    )
}

/// out (n × k) = the dual direction at the scores (regpath-core's `dual_direction`): y − σ(η + b),
/// centered and clipped to its box side when an intercept is fitted (one workgroup per alpha).
pub(crate) fn dual(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    fit_intercept: bool,
    sc: Scores,
    out: &wgpu::Buffer,
) -> Op {
    ctx.op(
        &DUAL,
        precision,
        &variant(precision),
        &dims(n, 0, k, fit_intercept, sc.rows),
        &[sc.eta, sc.b, sc.y, out, sc.rows.mask, sc.rows.inv_n],
        [k as u32, 1, 1],
    )
}

/// The buffers of the intercept step.
pub(crate) struct InterceptStep<'a> {
    /// y − σ(z) at the extrapolated point, n × k.
    pub r: &'a wgpu::Buffer,
    /// Intercepts at the extrapolated point and the current ones (hi k, then lo k).
    pub bz: &'a wgpu::Buffer,
    pub bcur: &'a wgpu::Buffer,
    pub lam: &'a wgpu::Buffer,
    /// [step of β per fold, step of b].
    pub steps: &'a wgpu::Buffer,
    pub live: &'a wgpu::Buffer,
    pub rows: Rows<'a>,
}

/// b_out = b_z + t_b·mean(r) for live alphas (else b_cur), and term[a] = the intercept's share of
/// the restart test (one workgroup per alpha).
pub(crate) fn intercept(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    st: &InterceptStep,
    b_out: &wgpu::Buffer,
    term: &wgpu::Buffer,
) -> Op {
    ctx.op(
        &INTERCEPT,
        precision,
        &variant(precision),
        &dims(n, 0, k, true, st.rows),
        &[
            st.bz,
            st.r,
            st.bcur,
            st.lam,
            st.steps,
            st.live,
            b_out,
            term,
            st.rows.inv_n,
        ],
        [k as u32, 1, 1],
    )
}

/// gap_out[a] = the logistic duality gap of (β_a, b_a) with θ = s·r̃_a, r̃ from [`dual`] and
/// c = Xᵀr̃/n (one workgroup per alpha).
#[allow(clippy::too_many_arguments)]
pub(crate) fn gap(
    ctx: &GpuContext,
    precision: Precision,
    (n, p, k): (usize, usize, usize),
    sc: Scores,
    r: &wgpu::Buffer,
    c: &wgpu::Buffer,
    beta: &wgpu::Buffer,
    lam: &wgpu::Buffer,
    gap_out: &wgpu::Buffer,
) -> Op {
    ctx.op(
        &GAP,
        precision,
        &variant(precision),
        &dims(n, p, k, false, sc.rows),
        &[
            sc.eta,
            sc.b,
            sc.y,
            r,
            lam,
            c,
            beta,
            gap_out,
            sc.rows.mask,
            sc.rows.inv_n,
        ],
        [k as u32, 1, 1],
    )
}

/// Every kernel of the family, for the test that checks their bindings against the WGSL.
#[cfg(test)]
pub(crate) const KERNELS: &[&Kernel] = &[&RESID, &DUAL, &INTERCEPT, &GAP, &FUNCS];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::record;
    use crate::GpuCounters;
    use ndarray::{Array2, Axis, ShapeBuilder};
    use regpath_core::certify_logistic::{certify_logistic_parts, dual_direction};
    use regpath_core::loss::{sigmoid, softplus};
    use regpath_core::Penalty;

    fn run(
        ctx: &GpuContext,
        prec: Precision,
        ops: &[&Op],
        out: &wgpu::Buffer,
        len: usize,
    ) -> Vec<f64> {
        let mut enc = ctx.encoder();
        record(&mut enc, ops);
        let bytes = (len * prec.size()) as u64;
        let got = ctx
            .submit_and_read(enc, &[(out, 0, bytes)], &mut GpuCounters::default())
            .unwrap();
        prec.values(&got[0])
    }

    /// The shader's softplus, σ, log and log1p against f64 std over a wide range of arguments:
    /// within 8 units of the working precision's rounding.
    #[test]
    fn elementary_functions_are_accurate() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        let xs: Vec<f64> = (0..400)
            .map(|i| {
                let u = i as f64 / 399.0;
                let mag = (u * 2.0 * 80.0 - 80.0).exp2() * if i % 2 == 0 { 1.0 } else { 1.7 };
                if i % 3 == 0 {
                    -mag
                } else {
                    mag
                }
            })
            .chain([
                1.0,
                -1.0,
                0.5,
                2.0,
                1e-6,
                1.0 + 1e-3,
                30.0,
                -30.0,
                700.0,
                -700.0,
            ])
            .collect();
        for prec in [Precision::F32, Precision::F64] {
            if prec == Precision::F64 && !ctx.supports_f64() {
                continue;
            }
            let (eps, tiny) = match prec {
                Precision::F32 => (6e-8, 1.2e-38),
                Precision::F64 => (1.2e-16, 2.3e-308),
            };
            let round = |v: f64| match prec {
                Precision::F32 => v as f32 as f64,
                Precision::F64 => v,
            };
            let xs: Vec<f64> = xs.iter().map(|&v| round(v.clamp(-1e30, 1e30))).collect();
            // log1p arguments in (−1, 1]: −1 + tiny up to 1, both branches of the shader
            let vs: Vec<f64> = (0..xs.len())
                .map(|i| {
                    let u = (i as f64 + 0.5) / xs.len() as f64;
                    round((-1.0 + 2.0 * u.powi(3)).max(-1.0 + 4.0 * eps))
                })
                .collect();
            let input = ctx.upload("x, v", &[&xs[..], &vs[..]].concat(), prec);
            let out = ctx.zeros("f(x)", 4 * xs.len(), prec);
            let op = ctx.op(
                &FUNCS,
                prec,
                &variant(prec),
                &[xs.len() as u32, 0, 0, 0, ONE, 1, 1, 0],
                &[&input, &out],
                [xs.len().div_ceil(WG) as u32, 1, 1],
            );
            let got = run(ctx, prec, &[&op], &out, 4 * xs.len());
            let mut worst = [0.0f64; 4];
            for (i, &x) in xs.iter().enumerate() {
                let want = [softplus(x), sigmoid(x), x.abs().ln(), vs[i].ln_1p()];
                for (f, &w) in want.iter().enumerate() {
                    let g = got[4 * i + f];
                    // softplus and σ of very negative x underflow below exp's normal range
                    if f < 2 && w < tiny * 1e3 && g < tiny * 1e3 {
                        continue;
                    }
                    let ulps = (g - w).abs() / (eps * w.abs().max(tiny));
                    worst[f] = worst[f].max(ulps);
                    assert!(
                        ulps <= 8.0,
                        "{} f{f}({x:e}) = {g:e}, want {w:e}",
                        prec.name()
                    );
                }
            }
            eprintln!(
                "{}: worst error in units of {eps:e} (softplus, σ, log, log1p): {worst:.1?}",
                prec.name()
            );
        }
    }

    /// The device's dual direction equals regpath-core's, and its gap of arbitrary (β, b) is
    /// P − D(s·r̃) at the device's s (box/feasibility limit, at most 1), never below the
    /// certifier's gap at its best s.
    #[test]
    fn gap_matches_the_host_certifier() {
        let Some(ctx) = crate::testing::context() else {
            return;
        };
        let (n, p, k) = (37, 11, 4);
        let mut x = Array2::from_shape_fn((n, p).f(), |(i, j)| {
            (((i + n * j) * 7 % 13) as f64 - 6.0) / 4.0
        });
        x -= &x.mean_axis(Axis(0)).unwrap(); // centered columns
        let y: Vec<f64> = (0..n)
            .map(|i| ((i * 5 + 1) % 3 == 0) as u8 as f64)
            .collect();
        // row a: every third coefficient, shrinking with a
        let betas = Array2::from_shape_fn((k, p), |(a, j)| {
            if j % 3 == a % 3 {
                0.2 * (j as f64 - 5.0) / (a + 1) as f64
            } else {
                0.0
            }
        });
        let eta = x.dot(&betas.t()); // n × k, column a = alpha a
        let alphas = [0.2, 0.05, 0.01, 0.003];
        for (fit, prec, pen) in cases(ctx) {
            let b: Vec<f64> = [0.3, -0.7, 0.0, 1.1]
                .map(|v| if fit { v } else { 0.0 })
                .into();
            let lam: Vec<f64> = alphas
                .iter()
                .flat_map(|&a| [pen.l1(a), pen.l2(a)])
                .collect();
            let eta_b = ctx.upload("eta", &eta.t().iter().copied().collect::<Vec<_>>(), prec);
            let b_b = ctx.upload("b", &[&b[..], &[0.0; 4]].concat(), prec);
            let y_b = ctx.upload("y", &y, prec);
            let (mask, inv_n) = (
                ctx.upload("mask", &vec![1.0; n], prec),
                ctx.upload("1/n", &[1.0 / n as f64], prec),
            );
            let sc = Scores {
                eta: &eta_b,
                b: &b_b,
                y: &y_b,
                rows: Rows {
                    mask: &mask,
                    inv_n: &inv_n,
                    folds: 1,
                    per: k,
                },
            };
            let r_b = ctx.zeros("r", n * k, prec);
            let r = run(
                ctx,
                prec,
                &[&dual(ctx, prec, (n, k), fit, sc, &r_b)],
                &r_b,
                n * k,
            );
            let r = Array2::from_shape_vec((k, n), r).unwrap();
            let c = r.dot(&x) / n as f64; // k × p, from the device's r̃ (the GEMM is tested elsewhere)
            let (c_b, beta_b, lam_b) = (
                ctx.upload("c", c.as_slice().unwrap(), prec),
                ctx.upload("beta", betas.as_slice().unwrap(), prec),
                ctx.upload("lam", &lam, prec),
            );
            let out = ctx.zeros("gaps", k, prec);
            let op = gap(ctx, prec, (n, p, k), sc, &r_b, &c_b, &beta_b, &lam_b, &out);
            let got = run(ctx, prec, &[&op], &out, k);
            let what = format!("{} {pen:?} intercept {fit}", prec.name());
            for a in 0..k {
                let (l1, l2) = (pen.l1(alphas[a]), pen.l2(alphas[a]));
                let z: Vec<f64> = eta.column(a).iter().map(|v| v + b[a]).collect();
                let want_r = dual_direction(&y, &z, fit);
                let tol_r = if prec == Precision::F32 { 1e-6 } else { 1e-14 };
                for (i, (&g, &w)) in r.row(a).iter().zip(&want_r).enumerate() {
                    assert!((g - w).abs() <= tol_r, "{what}: r̃[{i}] {g} vs {w}");
                }
                let (beta, ca) = (betas.row(a).to_vec(), c.row(a).to_vec());
                let cert = certify_logistic_parts(&y, &z, &beta, &want_r, &ca, fit, alphas[a], pen);
                let tol = if prec == Precision::F32 { 2e-6 } else { 1e-13 } * cert.primal;
                assert!(
                    got[a] >= cert.gap - tol,
                    "{what}: device gap {} below the best gap {}",
                    got[a],
                    cert.gap
                );
                let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, u| m.max(u.abs()));
                let mut s = 1.0f64.min(1.0 / max_abs(&want_r));
                if l2 == 0.0 {
                    s = s.min(l1 / max_abs(&ca));
                }
                let want = cert.primal - entropy_dual(&y, &want_r, &ca, s, l1, l2);
                assert!(
                    (got[a] - want).abs() <= tol,
                    "{what}, alpha {a}: device gap {} vs {want} (s = {s})",
                    got[a]
                );
            }
        }
    }

    /// (intercept, precision, penalty) over what the adapter supports.
    fn cases(ctx: &GpuContext) -> Vec<(bool, Precision, Penalty)> {
        let mut out = Vec::new();
        for fit in [false, true] {
            for prec in [Precision::F32, Precision::F64] {
                if prec == Precision::F64 && !ctx.supports_f64() {
                    continue;
                }
                for pen in [Penalty::LASSO, Penalty { l1_ratio: 0.5 }, Penalty::RIDGE] {
                    out.push((fit, prec, pen));
                }
            }
        }
        out
    }

    /// regpath-core's logistic dual at θ = s·r.
    fn entropy_dual(y: &[f64], r: &[f64], c: &[f64], s: f64, l1: f64, l2: f64) -> f64 {
        let h = |v: f64| if v > 0.0 { -v * v.ln() } else { 0.0 };
        let fit = y
            .iter()
            .zip(r)
            .map(|(&yi, &ri)| {
                let q = yi - s * ri;
                h(q) + h(1.0 - q)
            })
            .sum::<f64>()
            / y.len() as f64;
        if l2 == 0.0 {
            return fit;
        }
        fit - c
            .iter()
            .map(|v| (s * v.abs() - l1).max(0.0).powi(2))
            .sum::<f64>()
            / (2.0 * l2)
    }
}
