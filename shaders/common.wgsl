// Shared WGSL of the kernel families: one definition of each helper. A family lists the
// sections it uses (`Family::common` in crates/gpu/src/kernels); its pipeline source is those
// sections followed by the family's own file. Requirements on the including family:
// - "dw": a uniform `d` with a field `one: u32` holding the bits of 1.0f;
// - "reduce": `const WG: u32`, the workgroup size (a power of two).

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
