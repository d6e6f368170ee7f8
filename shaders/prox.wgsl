// Element-wise kernels on (rows × K) blocks, one thread per entry, column k = alpha k: the FISTA
// prox step and extrapolation, and column broadcast. FISTA iterates are double-word numbers
// β = hi + lo (hi block first, then lo block, each rows × K): steps t·∇ far below the rounding of β
// still accumulate, so f32 iterates converge to what f32 residuals resolve instead of stagnating.
const WG: u32 = 256u;

struct Dims {
    rows: u32, // p (coefficients) or n (residuals)
    k: u32,    // number of alphas
    off: u32,  // bcast: first entry of the source column; prox: alphas per step (step of alpha k at k / off)
    one: u32,  // bits of 1.0f: multiplying by it hides sums from algebraic simplification
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> za: array<real>;     // prox: Z (hi, lo); extrap: new iterate
@group(0) @binding(2) var<storage, read> cb: array<real>;     // prox: C = Xᵀr/n at hi(Z); extrap: old iterate
@group(0) @binding(3) var<storage, read> bc: array<real>;     // prox: current β (hi, lo), kept where inactive
@group(0) @binding(4) var<storage, read> lam: array<real>;    // λ1, λ2 per alpha
@group(0) @binding(5) var<storage, read> par: array<real>;    // prox: 1/L of the fit per group of `off` alphas; extrap: (τ, m) per alpha
@group(0) @binding(6) var<storage, read> live: array<u32>;    // 1 while alpha k is iterating
@group(0) @binding(7) var<storage, read_write> out: array<real>;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * WG; }

// Writes the double-word entry e (hi at e, lo at size + e) of out.
fn put2(e: u32, size: u32, v: vec2<real>) {
    out[e] = v.x;
    out[size + e] = v.y;
}

// β⁺ = S(Z + t(C − λ2 Z), t·λ1) with t = 1/(L + λ2): a proximal-gradient step with the ridge
// term in the smooth part, in double-word arithmetic; inactive alphas keep β.
@compute @workgroup_size(256)
fn prox(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    let size = d.rows * d.k;
    if (e >= size) { return; }
    let k = e / d.rows;
    if (live[k] == 0u) {
        put2(e, size, vec2<real>(bc[e], bc[size + e]));
        return;
    }
    let l1 = lam[2u * k];
    let l2 = lam[2u * k + 1u];
    let t = 1.0 / (1.0 / par[k / d.off] + l2);
    let zh = za[e];
    let v = dw_add(zh, za[size + e], t * (cb[e] - l2 * zh));
    let tau = t * l1;
    var r = vec2<real>(0.0, 0.0);
    if (abs(v.x + v.y) > tau) { r = dw_add(v.x, v.y, -sign(v.x) * tau); }
    put2(e, size, r);
}

// out = a + m_k (a − b) on plain blocks (residuals), m_k = par[2k + 1].
@compute @workgroup_size(256)
fn extrap(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    if (e >= d.rows * d.k) { return; }
    let m = par[2u * (e / d.rows) + 1u];
    out[e] = za[e] + m * (za[e] - cb[e]);
}

// out = a + m_k (a − b) on double-word blocks (iterates).
@compute @workgroup_size(256)
fn extrap2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    let size = d.rows * d.k;
    if (e >= size) { return; }
    let m = par[2u * (e / d.rows) + 1u];
    let diff = (za[e] - cb[e]) + (za[size + e] - cb[size + e]);
    put2(e, size, dw_add(za[e], za[size + e], m * diff));
}

// out[k·rows + i] = src[off + i]: one column copied to all K columns (warm starts, y → R).
@compute @workgroup_size(256)
fn bcast(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    if (e >= d.rows * d.k) { return; }
    out[e] = za[d.off + e % d.rows];
}
