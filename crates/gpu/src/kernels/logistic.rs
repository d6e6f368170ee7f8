//! Logistic-loss kernels (shaders/logistic.wgsl): residuals y − σ(Xβ + b), the intercept step,
//! the dual direction and the per-alpha logistic duality gap.

use super::{flat_groups, ONE};
use crate::context::{Decl, GpuContext, Kernel, Op, Precision};

family! {
    pub(crate) static LOGISTIC = "logistic", common ["dw", "reduce", "penalty", "gaps"],
        // exp is flushed to 0 below the smallest normal of `real` (about e^EXP_LOW)
        header [Decl::Real("EXP_LOW", (-87, -708))];
    /// The scores (η, b, y), the n × k output, the fold mask and, for the dual direction, 1/n_f.
    struct ResidArgs { eta: 1 R, b: 2 R, y: 3 R, out: 4 W, mask: 17 R } => RESID = "resid",
        + inv_n: 18 R => DUAL = "dual";
    /// The intercept step's buffers: the intercepts at the extrapolated point (hi k, then lo k),
    /// y − σ(z) there (n × k), the current intercepts, λ per alpha, the steps [β's per fold,
    /// b's], the live flags, the new intercepts, each alpha's term of the restart test, 1/n_f.
    struct InterceptStep {
        bz: 2 R, r: 5 R, bcur: 6 R, lam: 7 R, steps: 8 R, live: 9 R, b_out: 10 W, term: 11 W,
        inv_n: 18 R,
    } => INTERCEPT = "intercept";
    /// The scores, r̃, λ, c = Xᵀr̃/n, β, the gaps, the fold mask and 1/n_f.
    struct GapArgs {
        eta: 1 R, b: 2 R, y: 3 R, r: 5 R, lam: 7 R, c: 12 R, beta: 13 R, gaps: 14 W, mask: 17 R,
        inv_n: 18 R,
    } => GAP = "gap";
    #[cfg(test)]
    struct FuncsArgs { x: 15 R, out: 16 W } => FUNCS = "funcs";
}

/// Threads per workgroup (shaders/logistic.wgsl WG).
const WG: usize = 64;

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

/// The family's dims for (n, p, k, intercept) and the rows' groups.
fn dims(shape: [usize; 4], rows: Rows) -> [u32; 8] {
    let [n, p, k, icpt] = shape.map(|v| v as u32);
    [n, p, k, icpt, ONE, rows.folds as u32, rows.per as u32, 0]
}

/// One workgroup per alpha, `shape` = (n, p, k, intercept).
fn per_alpha(
    ctx: &GpuContext,
    (kernel, precision): (&Kernel, Precision),
    shape: [usize; 4],
    rows: Rows,
    bufs: &[&wgpu::Buffer],
) -> Op {
    let groups = [shape[2] as u32, 1, 1];
    ctx.op(kernel, precision, &[], &dims(shape, rows), bufs, groups)
}

/// y − σ(η + b) element-wise (`dual` None), or the dual direction with or without an intercept.
fn residuals(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    (sc, out): (Scores, &wgpu::Buffer),
    dual: Option<bool>,
) -> Op {
    let a = ResidArgs {
        eta: sc.eta,
        b: sc.b,
        y: sc.y,
        out,
        mask: sc.rows.mask,
        inv_n: dual.map(|_| sc.rows.inv_n),
    };
    match dual {
        None => {
            let (dims, groups) = (dims([n, 0, k, 0], sc.rows), flat_groups(ctx, n * k, WG));
            ctx.op(&RESID, precision, &[], &dims, &a.buffers(), groups)
        }
        Some(icpt) => {
            let shape = [n, 0, k, icpt as usize];
            per_alpha(ctx, (&DUAL, precision), shape, sc.rows, &a.buffers())
        }
    }
}

/// out (n × k) = y − σ(η + b), element-wise.
pub(crate) fn resid(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    sc: Scores,
    out: &wgpu::Buffer,
) -> Op {
    residuals(ctx, precision, (n, k), (sc, out), None)
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
    residuals(ctx, precision, (n, k), (sc, out), Some(fit_intercept))
}

/// b_out = b_z + t_b·mean(r) for live alphas (else b_cur), and term[a] = the intercept's share of
/// the restart test (one workgroup per alpha); `rows` as in the scores (`st.inv_n` its 1/n_f).
pub(crate) fn intercept(
    ctx: &GpuContext,
    precision: Precision,
    (n, k): (usize, usize),
    rows: Rows,
    st: &InterceptStep,
) -> Op {
    per_alpha(
        ctx,
        (&INTERCEPT, precision),
        [n, 0, k, 1],
        rows,
        &st.buffers(),
    )
}

/// What a logistic gap needs besides the scores: r̃ from [`dual`], c = Xᵀr̃/n, β (hi block),
/// λ per alpha, and the output.
pub(crate) struct GapTerms<'a> {
    pub r: &'a wgpu::Buffer,
    pub c: &'a wgpu::Buffer,
    pub beta: &'a wgpu::Buffer,
    pub lam: &'a wgpu::Buffer,
    pub gaps: &'a wgpu::Buffer,
}

/// gaps[a] = the logistic duality gap of (β_a, b_a) with θ = s·r̃_a (one workgroup per alpha).
pub(crate) fn gap(
    ctx: &GpuContext,
    precision: Precision,
    (n, p, k): (usize, usize, usize),
    sc: Scores,
    t: &GapTerms,
) -> Op {
    let a = GapArgs {
        eta: sc.eta,
        b: sc.b,
        y: sc.y,
        r: t.r,
        lam: t.lam,
        c: t.c,
        beta: t.beta,
        gaps: t.gaps,
        mask: sc.rows.mask,
        inv_n: sc.rows.inv_n,
    };
    per_alpha(ctx, (&GAP, precision), [n, p, k, 0], sc.rows, &a.buffers())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::run_and_read as run;
    use ndarray::{Array2, Axis, ShapeBuilder};
    use regpath_core::certify_logistic::{certify_logistic_parts, dual_direction};
    use regpath_core::loss::{sigmoid, softplus};
    use regpath_core::Penalty;

    gpu_test! {
        /// The shader's softplus, σ, log and log1p against f64 std over a wide range of arguments:
        /// within 8 units of the working precision's rounding.
        fn elementary_functions_are_accurate(ctx) {
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
                let a = FuncsArgs {
                    x: &input,
                    out: &out,
                };
                let op = ctx.op(
                    &FUNCS,
                    prec,
                    &[],
                    &[xs.len() as u32, 0, 0, 0, ONE, 1, 1, 0],
                    &a.buffers(),
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
    }

    gpu_test! {
        /// The device's dual direction equals regpath-core's, and its gap of arbitrary (β, b) is
        /// P − D(s·r̃) at the device's s (box/feasibility limit, at most 1), never below the
        /// certifier's gap at its best s.
        fn gap_matches_the_host_certifier(ctx) {
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
                let terms = GapTerms {
                    r: &r_b,
                    c: &c_b,
                    beta: &beta_b,
                    lam: &lam_b,
                    gaps: &out,
                };
                let op = gap(ctx, prec, (n, p, k), sc, &terms);
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
