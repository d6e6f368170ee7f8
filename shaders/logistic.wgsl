// Logistic-loss kernels of batched FISTA (labels y ∈ {0, 1}, s_i = 2y_i − 1, scores z = η + b with
// η = Xβ, margins t_i = s_i z_i), column k = alpha k of every n × K block:
// - resid:     r = y − σ(z) = s·σ(−t), element-wise (the gradient direction at the extrapolated point)
// - intercept: b⁺ = b_z + t_b·mean(r) (double-word) and the intercept's share of the restart test
// - dual:      the dual direction of regpath-core: r at (β, b), centered (intercept) and clipped
// - gap:       the per-alpha duality gap with θ = s·r̃ (one workgroup per alpha)
// exp and log are built here from +, ×, ÷, floor and ldexp (f32 log2 only for exponents), with
// polynomials accurate to f64 rounding: WGSL's exp/log have no 64-bit SPIR-V form (GLSL.std.450
// Exp/Log are 16/32-bit only) and drivers' f32 versions are approximations.
// Columns come in groups of `per` alphas sharing one set of rows (one cross-validation fold each,
// or one group of all K on all rows): fold f = k / per sees the samples where mask[f·n + i] = 1,
// n_f of them, and every mean is over those.
// From the generated header: `real` and EXP_LOW, below which exp(x) is flushed to 0 (the smallest
// normal of `real` is about e^EXP_LOW).

const WG: u32 = 64u;
// ln 2 = LN2_HI + LN2_LO with LN2_HI on 16 bits: k·LN2_HI is exact in f32 and f64 for the k used.
const LN2_HI: real = 0.693145751953125;
const LN2_LO: real = 1.4286068203094172321e-06;
const INV_LN2: real = 1.4426950408889634074;
const SQRT_HALF: real = 0.70710678118654752440;

struct Dims {
    n: u32,
    p: u32,
    k: u32,
    icpt: u32, // 1 when an intercept is fitted
    one: u32,  // bits of 1.0f (see two_sum)
    folds: u32, // F: groups of rows
    per: u32,   // alphas per group
    pad: u32,
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> eta: array<real>;          // η = Xβ, n × K
@group(0) @binding(2) var<storage, read> bint: array<real>;         // intercepts (hi K, then lo K)
@group(0) @binding(3) var<storage, read> y: array<real>;            // labels, n
@group(0) @binding(4) var<storage, read_write> rout: array<real>;   // resid, dual: n × K
@group(0) @binding(5) var<storage, read> rin: array<real>;          // intercept: r at z; gap: r̃; n × K
@group(0) @binding(6) var<storage, read> bcur: array<real>;         // intercept: current b (hi, lo)
@group(0) @binding(7) var<storage, read> lam: array<real>;          // λ1, λ2 per alpha
@group(0) @binding(8) var<storage, read> par: array<real>;          // step of β (1/L) per fold, then step of b
@group(0) @binding(9) var<storage, read> live: array<u32>;          // 1 while alpha k iterates
@group(0) @binding(10) var<storage, read_write> bout: array<real>;  // intercept: b⁺ (hi, lo)
@group(0) @binding(11) var<storage, read_write> bterm: array<real>; // intercept: restart term per alpha
@group(0) @binding(12) var<storage, read> c: array<real>;           // gap: Xᵀr̃/n, p × K
@group(0) @binding(13) var<storage, read> beta: array<real>;        // gap: β (hi block), p × K
@group(0) @binding(14) var<storage, read_write> gaps: array<real>;  // gap: absolute gap per alpha
@group(0) @binding(15) var<storage, read> fin: array<real>;         // funcs (tests): arguments
@group(0) @binding(16) var<storage, read_write> fout: array<real>;  // funcs (tests): 4 values each
@group(0) @binding(17) var<storage, read> mask: array<real>;        // n × F: 1 on a fold's samples
@group(0) @binding(18) var<storage, read> inv_n: array<real>;       // 1/n_f per fold

// ---- elementary functions ----

// Taylor coefficients 1/k! of exp, k = 13 down to 0.
const EXP_TAYLOR = array<real, 14>(
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
    1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0,
);

// Coefficients 1/(2k + 1) of 2 atanh(f)/(2f) in f², k = 17 down to 0.
const ATANH_SERIES = array<real, 18>(
    1.0 / 35.0, 1.0 / 33.0, 1.0 / 31.0, 1.0 / 29.0, 1.0 / 27.0, 1.0 / 25.0, 1.0 / 23.0,
    1.0 / 21.0, 1.0 / 19.0, 1.0 / 17.0, 1.0 / 15.0, 1.0 / 13.0, 1.0 / 11.0, 1.0 / 9.0, 1.0 / 7.0,
    1.0 / 5.0, 1.0 / 3.0, 1.0,
);

// exp(x) for x ≤ 0: x = k ln2 + r, |r| ≤ ln2/2, Taylor polynomial of degree 13 (error < 1e-17).
fn expn(x: real) -> real {
    if (x < EXP_LOW) { return 0.0; }
    let kf = floor(x * INV_LN2 + 0.5);
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    var q = EXP_TAYLOR[0];
    for (var i = 1u; i < 14u; i++) { q = q * r + EXP_TAYLOR[i]; }
    return ldexp(q, i32(kf));
}

// log(1 + x) for x ∈ [−1/2, 1]: 2 atanh(f), f = x/(2 + x) ∈ [−1/3, 1/3], series to f³⁵ (error < 1e-17).
fn log1p_series(x: real) -> real {
    let f = x / (2.0 + x);
    let f2 = f * f;
    var q = ATANH_SERIES[0];
    for (var i = 1u; i < 18u; i++) { q = q * f2 + ATANH_SERIES[i]; }
    return 2.0 * f * q;
}

// log(x), x > 0 (normal): x = m 2^e with m ∈ [√½, √2), log x = e ln2 + log1p(m − 1). The exponent
// comes from f32's log2 (exact enough for its floor, corrected after), once x is scaled into f32's
// range (f64 only; WGSL's frexp would need 64-bit integers for f64).
fn ln(x: real) -> real {
    var m = x;
    var e: i32 = 0;
    for (var i = 0; i < 12 && m < 7.888609052210118e-31; i++) { // 2^-100
        m = ldexp(m, 100);
        e -= 100;
    }
    for (var i = 0; i < 12 && m > 1.2676506002282294e30; i++) { // 2^100
        m = ldexp(m, -100);
        e += 100;
    }
    let g = i32(floor(log2(f32(m))));
    m = ldexp(m, -g);
    e += g;
    if (m >= 2.0) {
        m = 0.5 * m;
        e += 1;
    } else if (m < 1.0) {
        m = 2.0 * m;
        e -= 1;
    }
    if (m > 2.0 * SQRT_HALF) {
        m = 0.5 * m;
        e += 1;
    }
    let ef = real(e);
    return ef * LN2_HI + (ef * LN2_LO + log1p_series(m - 1.0));
}

// log(1 + x), x > −1.
fn log1p(x: real) -> real {
    if (x < -0.5 || x > 1.0) { return ln(1.0 + x); }
    return log1p_series(x);
}

// log(1 + exp(t)) without overflow.
fn softplus(t: real) -> real {
    return max(t, 0.0) + log1p_series(expn(-abs(t)));
}

// σ(t) = 1/(1 + exp(−t)).
fn sigmoid(t: real) -> real {
    let e = expn(-abs(t));
    if (t >= 0.0) { return 1.0 / (1.0 + e); }
    return e / (1.0 + e);
}

// The Fenchel–Young gap of one sample with margin t at dual value a = |θ_i| ∈ [0, 1]:
// ℓ(t) − H(a) + a·t = a(log a + softplus(t)) + (1 − a)(log(1 − a) + softplus(−t)) ≥ 0,
// the Bernoulli KL divergence of a from σ(−t); 0 log 0 = 0.
fn fy_gap(a: real, t: real) -> real {
    var g: real = 0.0;
    if (a > 0.0) { g += a * (ln(a) + softplus(t)); }
    if (a < 1.0) { g += (1.0 - a) * (log1p(-a) + softplus(-t)); }
    return g;
}

// 1 when sample i belongs to the rows of alpha k's fold, else 0.
fn weight(k: u32, i: u32) -> real {
    return mask[(k / d.per) * d.n + i];
}

// r_i = s_i σ(−s_i z_i) for sample i of alpha k (= y_i − σ(z_i), without cancellation), 0 off
// the fold's rows.
fn residual(k: u32, i: u32) -> real {
    let s = 2.0 * y[i] - 1.0;
    let z = eta[k * d.n + i] + (bint[k] + bint[d.k + k]);
    return weight(k, i) * s * sigmoid(-s * z);
}

// ---- kernels ----

// rout = y − σ(η + b) for all n × K entries.
@compute @workgroup_size(64)
fn resid(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = gid.x + gid.y * nwg.x * WG;
    if (e >= d.n * d.k) { return; }
    rout[e] = residual(e / d.n, e % d.n);
}

// One workgroup per alpha: the proximal-gradient step of the (unpenalized) intercept from the
// extrapolated point, b⁺ = b_z + t_b·mean(r_z) in double-word arithmetic (inactive alphas keep b),
// and its term of the restart test in β's metric: (t_β/t_b)(b_z − b⁺)(b⁺ − b).
@compute @workgroup_size(64)
fn intercept(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    var acc: real = 0.0;
    for (var i = t; i < d.n; i += WG) { acc += rin[k * d.n + i]; }
    acc = reduce(t, acc, SUM);
    if (t != 0u) { return; }
    let bo = vec2<real>(bcur[k], bcur[d.k + k]);
    if (live[k] == 0u) {
        bout[k] = bo.x;
        bout[d.k + k] = bo.y;
        bterm[k] = 0.0;
        return;
    }
    let f = k / d.per;
    let tb = par[d.folds];
    let zb = vec2<real>(bint[k], bint[d.k + k]);
    let nb = dw_add(zb.x, zb.y, tb * (acc * inv_n[f]));
    bout[k] = nb.x;
    bout[d.k + k] = nb.y;
    let tbeta = 1.0 / (1.0 / par[f] + lam[2u * k + 1u]);
    let u = (zb.x - nb.x) + (zb.y - nb.y);
    let v = (nb.x - bo.x) + (nb.y - bo.y);
    bterm[k] = tbeta / tb * u * v;
}

// One workgroup per alpha: r̃ = the dual direction at (β, b) (regpath-core's dual_direction):
// r = y − σ(z), with an intercept centered over the fold (Σθ = 0) and clipped to its box side
// (θ_i·s_i ≥ 0).
@compute @workgroup_size(64)
fn dual(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    var acc: real = 0.0;
    for (var i = t; i < d.n; i += WG) {
        let v = residual(k, i);
        rout[k * d.n + i] = v;
        acc += v;
    }
    acc = reduce(t, acc, SUM);
    if (d.icpt == 0u) { return; }
    let m = acc * inv_n[k / d.per];
    for (var i = t; i < d.n; i += WG) {
        var v = weight(k, i) * (rout[k * d.n + i] - m);
        if ((y[i] > 0.5 && v < 0.0) || (y[i] < 0.5 && v > 0.0)) { v = 0.0; }
        rout[k * d.n + i] = v;
    }
}

// One workgroup per alpha: the duality gap at (β, b) with θ = s·r̃, c = Xᵀr̃/n and
// s = min(1, 1/‖r̃‖∞, λ1/‖c‖∞ when λ2 = 0) (box and, for the Lasso, dual feasibility), as a sum
// of non-negative terms: 1/n Σ_i FY_i(s|r̃_i|, t_i) + Σ_j h(β_j) + h*(s c_j) − s c_j β_j, plus
// −b·sΣr̃/n (0 when Σθ = 0), h = λ1|·| + λ2/2 ·².
@compute @workgroup_size(64)
fn gap(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    var rmax: real = 0.0;
    var rsum: real = 0.0;
    for (var i = t; i < d.n; i += WG) {
        let v = rin[k * d.n + i];
        rmax = max(rmax, abs(v));
        rsum += v;
    }
    rmax = reduce(t, rmax, MAX);
    rsum = reduce(t, rsum, SUM);
    let cmax = c_max(k, t);
    let l1 = lam[2u * k];
    let l2 = lam[2u * k + 1u];
    var s: real = 1.0;
    if (rmax > 0.0) { s = min(s, 1.0 / rmax); }
    if (l2 <= 0.0 && cmax > 0.0) { s = min(s, l1 / cmax); }
    let b = bint[k] + bint[d.k + k];
    var fit: real = 0.0;
    for (var i = t; i < d.n; i += WG) {
        let si = 2.0 * y[i] - 1.0;
        let a = clamp(s * si * rin[k * d.n + i], 0.0, 1.0);
        fit += weight(k, i) * fy_gap(a, si * (eta[k * d.n + i] + b));
    }
    fit = reduce(t, fit, SUM);
    let pen = pen_sum(k, t, s, l1, l2);
    if (t == 0u) {
        let w = inv_n[k / d.per];
        gaps[k] = fit * w + pen - b * s * rsum * w;
    }
}

// Tests: fout[4i..4i+4] = softplus(x), σ(x), log(|x|), log1p(v) for x = fin[i] ≠ 0, v = fin[n + i] > −1.
@compute @workgroup_size(64)
fn funcs(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i >= d.n) { return; }
    let x = fin[i];
    fout[4u * i] = softplus(x);
    fout[4u * i + 1u] = sigmoid(x);
    fout[4u * i + 2u] = ln(abs(x));
    fout[4u * i + 3u] = log1p(fin[d.n + i]);
}
