// Tiled GEMMs over one column block of X (n × cols, column-major). A workgroup of 64 threads
// computes a TM × TN output tile (TM = 64 rows, TN = 16 alphas, 4 × 4 per thread), staging TD-deep
// slices of both operands in workgroup memory. From the generated header: `real`, TD (the depth,
// by the adapter's workgroup memory) and `wide`, the accumulator type: f64 for f32 residuals
// y − XB on adapters with f64, whose f32 products are then summed exactly enough that r = y − Xβ
// keeps its small entries accurate. The `*_live` entry points skip tiles of finished alphas.

const TM: u32 = 64u;
const TN: u32 = 16u;
const THREADS: u32 = 64u;

struct Dims {
    n: u32,     // rows of X
    cols: u32,  // columns of this block
    k: u32,     // columns of B (xb) or R (xtr)
    j0: u32,    // first column of this block, as a row offset into B (xb) or out (xtr)
    ld: u32,    // leading dimension of B (xb) or of out (xtr)
    mode: u32,  // xb: 0 out = XB, 1 out = y − XB, 2 out −= XB, 3 out += XB; xtr: 0 scale 1, 1 scale 1/n
    pad0: u32,
    pad1: u32,
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> x: array<real>;
@group(0) @binding(2) var<storage, read> b: array<real>;    // xb: B (ld × k); xtr: R (n × k)
@group(0) @binding(3) var<storage, read> aux: array<real>;  // xb: y (n); xtr: scalars, 1/n at 0
@group(0) @binding(4) var<storage, read_write> out: array<real>;
@group(0) @binding(5) var<storage, read> live: array<u32>;  // *_live: 1 while alpha k iterates

var<workgroup> ta: array<real, TD * TM>; // [depth][row]
var<workgroup> alive: u32;
var<workgroup> tb: array<real, TD * TN>; // [depth][alpha]

// A thread's 4 × 4 accumulator: row tm + 16a is `r<a>`, alpha tn + 4c is component c.
struct Acc {
    r0: vec4<wide>,
    r1: vec4<wide>,
    r2: vec4<wide>,
    r3: vec4<wide>,
}

// acc += Σ_q ta[q][tm + 16a] · tb[q][tn + 4c] over one staged slice.
fn mac(acc_in: Acc, tm: u32, tn: u32) -> Acc {
    var acc = acc_in;
    for (var q = 0u; q < TD; q++) {
        let o = q * TN + tn;
        let bv = vec4<wide>(wide(tb[o]), wide(tb[o + 4u]), wide(tb[o + 8u]), wide(tb[o + 12u]));
        let a = q * TM + tm;
        acc.r0 += wide(ta[a]) * bv;
        acc.r1 += wide(ta[a + 16u]) * bv;
        acc.r2 += wide(ta[a + 32u]) * bv;
        acc.r3 += wide(ta[a + 48u]) * bv;
    }
    return acc;
}

// Entry c of row a of the accumulator.
fn acc_at(acc: Acc, a: u32, c: u32) -> wide {
    switch a {
        case 0u: { return acc.r0[c]; }
        case 1u: { return acc.r1[c]; }
        case 2u: { return acc.r2[c]; }
        default: { return acc.r3[c]; }
    }
}

// Whether alphas n0 .. n0 + TN include one still iterating: the same for every thread of the
// workgroup (a uniform value).
fn tile_live(t: u32, n0: u32) -> bool {
    if (t == 0u) {
        var any = 0u;
        for (var c = n0; c < min(n0 + TN, d.k); c++) { if (live[c] != 0u) { any = 1u; } }
        alive = any;
    }
    return workgroupUniformLoad(&alive) != 0u;
}

// Stages rows [t0, t0 + TD) of a depth-contiguous operand (column c at c·ld + off) for alphas n0.. .
fn stage_b(t: u32, t0: u32, depth: u32, n0: u32, ld: u32, off: u32) {
    for (var e = t; e < TD * TN; e += THREADS) {
        let c = e / TD;
        let q = e % TD;
        var v: real = 0.0;
        if (t0 + q < depth && n0 + c < d.k) { v = b[(n0 + c) * ld + off + t0 + q]; }
        tb[q * TN + c] = v;
    }
}

// Stages depth [t0, t0 + TD) of X's tile m0..: rows of X for xb (depth over the block's columns),
// columns of X for xtr (`transposed`, depth over the n rows); reads run along X's columns.
fn stage_x(t: u32, t0: u32, m0: u32, transposed: bool) {
    for (var e = t; e < TD * TM; e += THREADS) {
        var v: real = 0.0;
        if (transposed) {
            let m = e / TD;
            let q = e % TD;
            if (t0 + q < d.n && m0 + m < d.cols) { v = x[(m0 + m) * d.n + t0 + q]; }
            ta[q * TM + m] = v;
        } else {
            let q = e / TM;
            let m = e % TM;
            if (t0 + q < d.cols && m0 + m < d.n) { v = x[(t0 + q) * d.n + m0 + m]; }
            ta[q * TM + m] = v;
        }
    }
}

// The thread's 4 × 4 block of the workgroup's tile of X·B (xb) or XᵀR (xtr, `transposed`).
fn tile(wg: vec3<u32>, t: u32, transposed: bool) -> Acc {
    let m0 = wg.x * TM;
    let n0 = wg.y * TN;
    var depth = d.cols;
    var ld = d.ld;
    var off = d.j0;
    if (transposed) {
        depth = d.n;
        ld = d.n;
        off = 0u;
    }
    var acc: Acc;
    for (var t0 = 0u; t0 < depth; t0 += TD) {
        stage_x(t, t0, m0, transposed);
        stage_b(t, t0, depth, n0, ld, off);
        workgroupBarrier();
        acc = mac(acc, t % 16u, t / 16u);
        workgroupBarrier();
    }
    return acc;
}

// out[k·n + i] (op)= Σ_j X[j·n + i] · B[k·ld + j0 + j].
fn xb_at(wg: vec3<u32>, t: u32) {
    let acc = tile(wg, t, false);
    for (var a = 0u; a < 4u; a++) {
        for (var c = 0u; c < 4u; c++) {
            let i = wg.x * TM + t % 16u + 16u * a;
            let k = wg.y * TN + t / 16u + 4u * c;
            if (i < d.n && k < d.k) {
                let o = k * d.n + i;
                let v = acc_at(acc, a, c);
                switch d.mode {
                    case 0u: { out[o] = real(v); }
                    case 1u: { out[o] = real(wide(aux[i]) - v); }
                    case 2u: { out[o] = real(wide(out[o]) - v); }
                    default: { out[o] = real(wide(out[o]) + v); }
                }
            }
        }
    }
}

// out[k·ld + j0 + j] = s · Σ_i X[j·n + i] · R[k·n + i], s = 1 or 1/n.
fn xtr_at(wg: vec3<u32>, t: u32) {
    let acc = tile(wg, t, true);
    var s: real = 1.0;
    if (d.mode == 1u) { s = aux[0]; }
    for (var a = 0u; a < 4u; a++) {
        for (var c = 0u; c < 4u; c++) {
            let j = wg.x * TM + t % 16u + 16u * a;
            let k = wg.y * TN + t / 16u + 4u * c;
            if (j < d.cols && k < d.k) { out[k * d.ld + d.j0 + j] = s * real(acc_at(acc, a, c)); }
        }
    }
}

@compute @workgroup_size(64)
fn xb(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    xb_at(wg, t);
}

@compute @workgroup_size(64)
fn xtr(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    xtr_at(wg, t);
}

@compute @workgroup_size(64)
fn xb_live(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    if (tile_live(t, wg.y * TN)) { xb_at(wg, t); }
}

@compute @workgroup_size(64)
fn xtr_live(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    if (tile_live(t, wg.y * TN)) { xtr_at(wg, t); }
}
