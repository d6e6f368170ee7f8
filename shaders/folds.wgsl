// Cross-validation folds in one batch: the K columns of a block are F folds × A alphas, fold f
// owning columns [f·A, (f + 1)·A). Every fold shares one X on the device; fold f sees only its
// training rows (a 0/1 mask) and its own column scales, and its intercept is implicit: residuals
// are centered over the fold's training rows.
const WG: u32 = 64u;

struct Dims {
    rows: u32, // center: n; scale: p
    cols: u32, // K = F·A
    per: u32,  // A: columns per fold
    flag: u32, // center: 1 = subtract the training mean (intercept); scale: 1 = src is double-word
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> src: array<real>;   // scale: p × K (hi block, then lo when flag)
@group(0) @binding(2) var<storage, read> per_fold: array<real>; // center: mask n × F; scale: s p × F
@group(0) @binding(3) var<storage, read> fac: array<real>;   // center: 1/n_f per fold; scale: factor per fold
@group(0) @binding(4) var<storage, read_write> out: array<real>;

// In place, column c of fold f: out = m_f ∘ (out − m_fᵀout/n_f) (without the mean when flag = 0).
// One workgroup per column.
@compute @workgroup_size(64)
fn center(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let c = wg.x;
    let t = lid.x;
    let f = c / d.per;
    let col = c * d.rows;
    let m = f * d.rows;
    var mean: real = 0.0;
    if (d.flag == 1u) {
        var acc: real = 0.0;
        for (var i = t; i < d.rows; i += WG) { acc += per_fold[m + i] * out[col + i]; }
        mean = reduce(t, acc, SUM) * fac[f];
    }
    for (var i = t; i < d.rows; i += WG) {
        out[col + i] = per_fold[m + i] * (out[col + i] - mean);
    }
}

// out[j, c] = (src hi + lo)[j, c] · s_f[j] · fac[f]: a fold's coefficients on the shared X's scale
// (fac = 1), or shared-X correlations on the fold's scale (fac = 1/n_f). One thread per entry.
@compute @workgroup_size(64)
fn scale(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = gid.x + gid.y * nwg.x * WG;
    let size = d.rows * d.cols;
    if (e >= size) { return; }
    let c = e / d.rows;
    let j = e - c * d.rows;
    let f = c / d.per;
    var v = src[e];
    if (d.flag == 1u) { v += src[size + e]; }
    out[e] = v * per_fold[f * d.rows + j] * fac[f];
}

// In place on F stacked w × w Grams (rows = w, cols = F·w, per = w; fold f's Gram at f·w², its
// column l at l·w): G_f[j, l] ·= s_f[j]·s_f[l]·fac[f] with s_f = per_fold[f·w ..]: the Gram of
// the shared working-set columns becomes the fold's. One thread per entry.
@compute @workgroup_size(64)
fn gram_scale(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = gid.x + gid.y * nwg.x * WG;
    if (e >= d.rows * d.cols) { return; }
    let c = e / d.rows;
    let j = e - c * d.rows;
    let f = c / d.per;
    let l = c - f * d.per;
    out[e] = out[e] * per_fold[f * d.rows + j] * per_fold[f * d.rows + l] * fac[f];
}
