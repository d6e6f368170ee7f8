// Per-alpha reductions, one workgroup per alpha, strided partial sums then a tree in workgroup
// memory: duality gaps, FISTA restart tests, the power-iteration norm, and CD feature scores.
const WG: u32 = 64u;

struct Dims {
    n: u32,
    p: u32,
    k: u32,
    group: u32, // gap: alphas sharing one scal entry (scal[k / group]); 0: scal[0] for all
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> r: array<real>;       // residuals y − Xβ, n × K
@group(0) @binding(2) var<storage, read> y: array<real>;       // n
@group(0) @binding(3) var<storage, read> c: array<real>;       // Xᵀr/n, p × K
@group(0) @binding(4) var<storage, read> beta: array<real>;    // p × K (a FISTA iterate's hi block)
@group(0) @binding(5) var<storage, read> lam: array<real>;     // λ1, λ2 per alpha
@group(0) @binding(6) var<storage, read> scal: array<real>;    // 1/n at 0 (or 1/n_f per group)
@group(0) @binding(7) var<storage, read_write> gap_out: array<real>;  // absolute gap per alpha, then ‖r‖²/n per alpha
@group(0) @binding(8) var<storage, read> z: array<real>;       // restart: extrapolated point (hi, lo)
@group(0) @binding(9) var<storage, read> bn: array<real>;      // restart: new iterate (hi, lo)
@group(0) @binding(10) var<storage, read> bo: array<real>;     // restart: previous iterate (hi, lo)
@group(0) @binding(11) var<storage, read> live: array<u32>;
@group(0) @binding(12) var<storage, read_write> mom: array<real>;   // (τ, m) per alpha
@group(0) @binding(13) var<storage, read> vin: array<real>;          // power: XᵀXu/n (p × k)
@group(0) @binding(14) var<storage, read_write> vout: array<real>;   // power: next unit u (p × k)
@group(0) @binding(15) var<storage, read_write> step: array<real>;   // power: 1/(1.1 L) of the fit per column
@group(0) @binding(16) var<storage, read_write> score: array<real>;  // scores: violation (p), support flag (p)
@group(0) @binding(17) var<storage, read> shift: array<real>;        // restart_shifted: per-alpha term added to the test

const SAFETY: f32 = 1.1; // the power estimate is a lower bound on ‖X‖²/n

// Duality gap at β_k with θ = s·r: (1−s)²‖r‖²/(2n) + Σ_j h(β_j) + h*(s c_j) − s c_j β_j,
// h = λ1|·| + λ2/2 ·²; s = 1 when λ2 > 0, else clamp(rᵀy/‖r‖², 0, λ1/‖c‖∞) (feasible, as in core).
// Each term is ≥ 0 (pen_gap), so a gap near f32 rounding stays meaningful.
@compute @workgroup_size(64)
fn gap(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    var rr: real = 0.0;
    var ry: real = 0.0;
    for (var i = t; i < d.n; i += WG) {
        let v = r[k * d.n + i];
        rr += v * v;
        ry += v * y[i];
    }
    rr = reduce(t, rr, SUM);
    ry = reduce(t, ry, SUM);
    let cm = c_max(k, t);
    let l1 = lam[2u * k];
    let l2 = lam[2u * k + 1u];
    var s: real = 1.0;
    if (l2 <= 0.0) {
        s = 0.0;
        if (rr > 0.0) { s = max(ry / rr, 0.0); }
        if (cm > 0.0) { s = min(s, l1 / cm); }
    }
    let acc = pen_sum(k, t, s, l1, l2);
    if (t == 0u) {
        var inv_n = scal[0];
        if (d.group > 0u) { inv_n = scal[k / d.group]; }
        gap_out[k] = 0.5 * (1.0 - s) * (1.0 - s) * rr * inv_n + acc;
        gap_out[d.k + k] = rr * inv_n;
    }
}

// Gradient restart (O'Donoghue & Candès 2015): restart when (z − β_new)ᵀ(β_new − β_old) + extra
// > 0, else advance τ' = (1 + √(1 + 4τ²))/2, m = (τ − 1)/τ'. Inactive alphas get m = 0. The three
// iterates are double-word blocks (hi, then lo); `extra` is the share of coordinates kept elsewhere
// (the logistic intercept), 0 for `restart`.
fn restart_at(k: u32, t: u32, extra: real) {
    let lo = d.p * d.k;
    var acc: real = 0.0;
    for (var j = t; j < d.p; j += WG) {
        let e = k * d.p + j;
        let a = (z[e] - bn[e]) + (z[lo + e] - bn[lo + e]);
        let b = (bn[e] - bo[e]) + (bn[lo + e] - bo[lo + e]);
        acc += a * b;
    }
    acc = reduce(t, acc, SUM) + extra;
    if (t == 0u) {
        if (live[k] == 0u || acc > 0.0) {
            mom[2u * k] = 1.0;
            mom[2u * k + 1u] = 0.0;
        } else {
            let tau = mom[2u * k];
            let next = 0.5 * (1.0 + sqrt(1.0 + 4.0 * tau * tau));
            mom[2u * k] = next;
            mom[2u * k + 1u] = (tau - 1.0) / next;
        }
    }
}

@compute @workgroup_size(64)
fn restart(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    restart_at(wg.x, lid.x, 0.0);
}

// restart with shift[k] added to alpha k's test.
@compute @workgroup_size(64)
fn restart_shifted(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    restart_at(wg.x, lid.x, shift[wg.x]);
}

// Power iteration step on XᵀX/n for each of k columns (one workgroup each): u ← v/‖v‖ with
// v = XᵀXu/n, step ← 1/(SAFETY·‖v‖), the step of the fit alone.
@compute @workgroup_size(64)
fn normalize(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let t = lid.x;
    let o = wg.x * d.p;
    var acc: real = 0.0;
    for (var j = t; j < d.p; j += WG) { acc += vin[o + j] * vin[o + j]; }
    let nrm = sqrt(reduce(t, acc, SUM));
    var inv: real = 0.0;
    if (nrm > 0.0) { inv = 1.0 / nrm; }
    for (var j = t; j < d.p; j += WG) { vout[o + j] = vin[o + j] * inv; }
    if (t == 0u) {
        var st: real = 1.0;
        if (nrm > 0.0) { st = 1.0 / (real(SAFETY) * nrm); }
        step[wg.x] = st;
    }
}

// Per feature j, over the chunk's alphas: the largest KKT violation dist(c_jk − λ2β_jk, λ1∂|β_jk|)
// among active alphas → score[j], and whether β_jk ≠ 0 for any alpha → score[p + j].
@compute @workgroup_size(64)
fn scores(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let j = gid.x + gid.y * nwg.x * WG;
    if (j >= d.p) { return; }
    var viol: real = 0.0;
    var supp: real = 0.0;
    for (var k = 0u; k < d.k; k++) {
        let b = beta[k * d.p + j];
        if (b != 0.0) { supp = 1.0; }
        if (live[k] != 0u) {
            let l1 = lam[2u * k];
            let g = c[k * d.p + j] - lam[2u * k + 1u] * b;
            var v = max(abs(g) - l1, 0.0);
            if (b > 0.0) { v = abs(g - l1); } else if (b < 0.0) { v = abs(g + l1); }
            viol = max(viol, v);
        }
    }
    score[j] = viol;
    score[d.p + j] = supp;
}
