// Shared WGSL of the kernel families: one definition of each helper. A family lists the
// sections it uses (`Family::common` in crates/gpu/src/kernels); its pipeline source is the
// generated header (`alias real`, the family's constants), those sections, then the family's own
// file. Requirements on the including family:
// - "dw": a uniform `d` with a field `one: u32` holding the bits of 1.0f;
// - "reduce": `const WG: u32`, the workgroup size (a power of two);
// - "gaps": the "reduce" and "penalty" sections, `d.p` and storage arrays `c` (Xᵀr/n) and `beta`,
//   p × K, column k = alpha k.

// ---- section dw: double-word arithmetic ----

// Knuth's TwoSum: s + e = a + b exactly, s = fl(a + b). Shader compilers may simplify float
// algebra ((a + b) − a → b, as Mesa's NIR does for ops not marked exact), which would zero e: s
// is multiplied by a runtime 1 they cannot see through.
fn two_sum(a: real, b: real) -> vec2<real> {
    let s = (a + b) * real(bitcast<f32>(d.one));
    let bb = s - a;
    return vec2<real>(s, (a - (s - bb)) + (b - bb));
}

// (hi, lo) + b as a normalized double-word number.
fn dw_add(hi: real, lo: real, b: real) -> vec2<real> {
    let s = two_sum(hi, b);
    return two_sum(s.x, s.y + lo);
}

// ---- section reduce: workgroup tree reductions ----

const SUM: u32 = 0u;
const MAX: u32 = 1u;

var<workgroup> red: array<real, WG>;

// Tree reduction of one value per thread (sum or max); every thread gets the result.
fn reduce(t: u32, v: real, op: u32) -> real {
    red[t] = v;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (t < s) {
            if (op == SUM) { red[t] += red[t + s]; } else { red[t] = max(red[t], red[t + s]); }
        }
        workgroupBarrier();
    }
    let out = red[0];
    workgroupBarrier();
    return out;
}

// ---- section penalty: the elastic-net penalty and its conjugate ----

// One coordinate's term of an elastic-net duality gap at β_j = b with dual correlation u = s·c_j:
// h(b) + h*(u) − u·b ≥ 0, h = λ1|·| + λ2/2 ·², h*(u) = (|u| − λ1)₊²/(2λ2) (0 for the Lasso, whose
// dual point is feasible: |u| ≤ λ1). Each term is ≥ 0, so a sum of them has no cancellation.
fn pen_gap(b: real, u: real, l1: real, l2: real) -> real {
    var hs: real = 0.0;
    if (l2 > 0.0) {
        let e = max(abs(u) - l1, 0.0);
        hs = e * e / (2.0 * l2);
    }
    return pen(b, l1, l2) + hs - u * b;
}

// The elastic-net penalty of one coordinate: h(b) = λ1|b| + λ2/2 · b².
fn pen(b: real, l1: real, l2: real) -> real {
    return l1 * abs(b) + 0.5 * l2 * b * b;
}

// ---- section gaps: per-alpha reductions over the features of a duality gap ----

// max_j |c_jk| over the workgroup of alpha k (thread t; every thread gets it).
fn c_max(k: u32, t: u32) -> real {
    var m: real = 0.0;
    for (var j = t; j < d.p; j += WG) { m = max(m, abs(c[k * d.p + j])); }
    return reduce(t, m, MAX);
}

// Σ_j pen_gap(β_jk, s·c_jk) over the workgroup of alpha k (every thread gets it).
fn pen_sum(k: u32, t: u32, s: real, l1: real, l2: real) -> real {
    var acc: real = 0.0;
    for (var j = t; j < d.p; j += WG) { acc += pen_gap(beta[k * d.p + j], s * c[k * d.p + j], l1, l2); }
    return reduce(t, acc, SUM);
}
