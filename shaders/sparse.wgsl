// Sparse X × dense products over one column block of X, centered and scaled implicitly.
// The device holds X' = X·D⁻¹ (the stored values already times f_j = 1/s_j) twice: CSC for
// XᵀR (one workgroup per column) and CSR for X·B (one workgroup per row; a CSC scatter would
// need float atomics, which WGSL lacks). With shift_j = m_j·f_j, the design X̃ = (X − 1mᵀ)D⁻¹:
//   X̃ᵀr = X'ᵀr − shift·(1ᵀr)        X̃b = X'b − 1·(shiftᵀb)
// the sums 1ᵀr and shiftᵀb per column come first, from `sum_rows` and `sum_shift`.
// One invocation per (column or row, alpha) loops over that column's (row's) non-zeros; a
// workgroup covers WG / TA columns (rows) × TA alphas (d.ta: 1, 2, 4, 8 or 16), so neighbouring
// invocations read the same indices. No barriers, no workgroup memory: on lavapipe a workgroup
// per column whose threads split the non-zeros and met in workgroup memory cost 10–20× more.
// Drivers such as lavapipe end an invocation's loops after 65,535 trips: a column with more
// non-zeros would be cut short there (the host's f64 certificate would show it). From the
// generated header: `real` and `wide`, the accumulator (f64 for f32 residuals y − XB on
// adapters with f64, as in gemm.wgsl).

const WG: u32 = 64u;

struct Dims {
    n: u32,     // rows of X
    cols: u32,  // columns of this block
    k: u32,     // columns of B (xb) or R (xtr)
    j0: u32,    // first column of this block, as a row offset into B (xb) or out (xtr)
    ld: u32,    // leading dimension of B (xb), of out (xtr), of the summed block (sums)
    mode: u32,  // xb: 0 out = XB, 1 out = y − XB, 2 out −= XB, 3 out += XB; xtr: 0 scale 1, 1 scale 1/n
    ta: u32,    // alphas per workgroup (a power of two ≤ WG); sums: entries summed per column
    first: u32, // xb: 1 when this block subtracts the shift sums (the first block only)
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> starts: array<u32>;     // CSC col_ptr (cols + 1) or CSR row_ptr (n + 1), block-local
@group(0) @binding(2) var<storage, read> idx: array<u32>;     // CSC row indices or CSR block-local column indices
@group(0) @binding(3) var<storage, read> val: array<real>;    // x_ij·f_j
@group(0) @binding(4) var<storage, read> shift: array<real>;  // m_j·f_j, all p columns
@group(0) @binding(5) var<storage, read> b: array<real>;      // xb: B (ld × k); xtr and sums: R (n × k) or B
@group(0) @binding(6) var<storage, read> aux: array<real>;    // xb: y (n); xtr: scalars, 1/n at 0
@group(0) @binding(7) var<storage, read_write> sums: array<real>;  // per column: 1ᵀr (xtr) or shiftᵀb (xb)
@group(0) @binding(8) var<storage, read_write> out: array<real>;
@group(0) @binding(9) var<storage, read> live: array<u32>;    // *_live: 1 while alpha k iterates
@group(0) @binding(10) var<storage, read> ws: array<u32>;     // gather: the working set's columns (global)
@group(0) @binding(11) var<storage, read> sums_in: array<real>;  // xb, xtr: the sums formed before

// sums[c] = Σ_{i < ta} b[c·ld + i]: 1ᵀr per column of R (one workgroup per column).
@compute @workgroup_size(64)
fn sum_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    var acc: real = 0.0;
    for (var i = t; i < d.ta; i += WG) { acc += b[wg.x * d.ld + i]; }
    acc = reduce(t, acc, SUM);
    if (t == 0u) { sums[wg.x] = acc; }
}

// sums[c] = Σ_{j < ta} shift_j · b[c·ld + j]: the constant X̃b_c loses to centering.
@compute @workgroup_size(64)
fn sum_shift(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    var acc: real = 0.0;
    for (var j = t; j < d.ta; j += WG) { acc += shift[j] * b[wg.x * d.ld + j]; }
    acc = reduce(t, acc, SUM);
    if (t == 0u) { sums[wg.x] = acc; }
}

// The major index (column for xtr, row for xb) and the alpha of thread t: a workgroup covers
// WG / TA majors × TA alphas, its groups folded over x and z past the per-dimension limit.
fn slot(wg: vec3<u32>, nwg: vec3<u32>, t: u32) -> vec2<u32> {
    let m = (wg.x + wg.z * nwg.x) * (WG / d.ta) + t / d.ta;
    return vec2<u32>(m, wg.y * d.ta + t % d.ta);
}

// Σ over slice m of the compressed arrays of val·b[c·ld + off + idx].
fn slice_dot(m: u32, c: u32, ld: u32, off: u32) -> wide {
    var acc: wide = 0.0;
    for (var e = starts[m]; e < starts[m + 1u]; e++) {
        acc += wide(val[e]) * wide(b[c * ld + off + idx[e]]);
    }
    return acc;
}

// out[c·ld + j0 + j] = s·(x'_jᵀr_c − shift_j·1ᵀr_c), s = 1 or 1/n.
fn xtr_at(j: u32, c: u32) {
    var s: real = 1.0;
    if (d.mode == 1u) { s = aux[0]; }
    let sd = slice_dot(j, c, d.n, 0u);
    out[c * d.ld + d.j0 + j] = s * (real(sd) - shift[d.j0 + j] * sums_in[c]);
}

// out[c·n + i] (op)= x'_iᵀb_c − shiftᵀb_c (the shift from the first block only).
fn xb_at(i: u32, c: u32) {
    var v = slice_dot(i, c, d.ld, d.j0);
    if (d.first == 1u) { v -= wide(sums_in[c]); }
    let o = c * d.n + i;
    switch d.mode {
        case 0u: { out[o] = real(v); }
        case 1u: { out[o] = real(wide(aux[i]) - v); }
        case 2u: { out[o] = real(wide(out[o]) - v); }
        default: { out[o] = real(wide(out[o]) + v); }
    }
}

@compute @workgroup_size(64)
fn csc_xtr(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) t: u32) {
    let jc = slot(wg, nwg, t);
    if (jc.x < d.cols && jc.y < d.k) { xtr_at(jc.x, jc.y); }
}

@compute @workgroup_size(64)
fn csc_xtr_live(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) t: u32) {
    let jc = slot(wg, nwg, t);
    if (jc.x < d.cols && jc.y < d.k) {
        if (live[jc.y] != 0u) { xtr_at(jc.x, jc.y); }
    }
}

@compute @workgroup_size(64)
fn csr_xb(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) t: u32) {
    let ic = slot(wg, nwg, t);
    if (ic.x < d.n && ic.y < d.k) { xb_at(ic.x, ic.y); }
}

@compute @workgroup_size(64)
fn csr_xb_live(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) t: u32) {
    let ic = slot(wg, nwg, t);
    if (ic.x < d.n && ic.y < d.k) {
        if (live[ic.y] != 0u) { xb_at(ic.x, ic.y); }
    }
}
// X_W's dense columns, first the constant part: out[w·n + i] = −shift_{ws[w]} (one thread per
// entry, flat index folded over x and y; d.k = |W|).
@compute @workgroup_size(64)
fn gather_fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = gid.x + gid.y * nwg.x * WG;
    if (e >= d.n * d.k) { return; }
    out[e] = -shift[ws[e / d.n]];
}

// Then the stored part of this block's working-set columns: out[w·n + i] += x'_ij, j = ws[w]
// (one workgroup per working-set column, threads strided over its non-zeros).
@compute @workgroup_size(64)
fn gather_scatter(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) t: u32) {
    let w = wg.x + wg.z * nwg.x;
    if (w >= d.k) { return; }
    let j = ws[w];
    if (j < d.j0 || j >= d.j0 + d.cols) { return; }
    let jl = j - d.j0;
    for (var e = starts[jl] + t; e < starts[jl + 1u]; e += WG) {
        let o = w * d.n + idx[e];
        out[o] = out[o] + val[e];
    }
}
