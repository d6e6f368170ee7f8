// Working-set coordinate descent: gather the working set W, run CD epochs on it with one
// workgroup per alpha (Gram updates of the gradient), scatter back.
// From the generated header: `real`; WG, the threads of cd_inner (64, or 256 where a driver's
// loop bound needs fewer entries per thread; fista_inner and gram_norm: 64 or 256 by w); FOLDS,
// the partial sums of all_reduce's first level (0: one level; 16 for fista_inner and gram_norm
// on 256 threads); BLOCK, the
// coordinates cd_inner updates between two barriers (a multiple of 4); WG_MEM, whether cd_inner
// keeps the working g and β_W in workgroup arrays of WG_CAP entries (else in storage, `work`).

const MOVE_WG: u32 = 256u; // threads of the gather / scatter kernels
const REFRESH: u32 = 4u;   // epochs between recomputations of g from the Gram (f32 drift)
const NONE: u32 = 0xffffffffu;
// Anderson extrapolation every REFRESH epochs from the last AA + 1 epochs' β_W (snapshots in
// `work`, HIST slots and one for the step), kept when it lowers the restricted objective.
const AA: u32 = 3u;
const HIST: u32 = AA + 1u;
// Tikhonov weight of the extrapolation's normal equations, relative to their mean diagonal.
const AA_REG: f32 = 1e-5;

struct Dims {
    n: u32,
    p: u32,
    k: u32,
    w: u32,           // working-set size
    j0: u32,          // gather_cols: first column of this X block
    cols: u32,        // gather_cols: columns in this X block
    max_epochs: u32,  // cd_inner: epochs per dispatch
    per_gram: u32,    // cd_inner: alphas per Gram (alpha k uses Gram k / per_gram: one per CV fold)
    one: u32,         // bits of 1.0f: multiplying by it hides sums from algebraic simplification
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> ws: array<u32>;          // W: w feature indices
@group(0) @binding(2) var<storage, read> src: array<real>;        // gather source
@group(0) @binding(3) var<storage, read_write> dst: array<real>;  // gather / scatter destination
@group(0) @binding(4) var<storage, read> gram: array<real>;       // G = X_WᵀX_W/n, w × w (per fold)
@group(0) @binding(5) var<storage, read_write> gs: array<real>;   // gradient X_Wᵀr/n, w × K
@group(0) @binding(6) var<storage, read_write> bs: array<real>;   // β_W, w × K
@group(0) @binding(7) var<storage, read> lam: array<real>;        // λ1, λ2 per alpha
@group(0) @binding(8) var<storage, read> gap: array<real>;        // per alpha: outer gap, then ‖r‖²/n, then the inner goal
@group(0) @binding(9) var<storage, read> live: array<u32>;
@group(0) @binding(10) var<storage, read_write> epochs: array<u32>; // per alpha: epochs, Anderson steps, then flags (1 done, 2 last step rejected)
@group(0) @binding(11) var<storage, read_write> work: array<real>;  // storage variant: working g, then β_W (w × K each); Anderson's snapshots (HIST + 1 slots of w × K)

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * MOVE_WG; }

// dst[l·n + i] = X_block[(W_l − j0)·n + i] for the W_l that fall in this column block.
@compute @workgroup_size(256)
fn gather_cols(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    if (e >= d.n * d.w) { return; }
    let l = e / d.n;
    let j = ws[l];
    if (j < d.j0 || j >= d.j0 + d.cols) { return; }
    dst[e] = src[(j - d.j0) * d.n + e % d.n];
}

// dst[k·w + l] = src[k·p + W_l]: rows W of a p × K block.
@compute @workgroup_size(256)
fn gather_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    if (e >= d.w * d.k) { return; }
    dst[e] = src[(e / d.w) * d.p + ws[e % d.w]];
}

// dst[k·p + W_l] = src[k·w + l]: β_W back into the p × K block.
@compute @workgroup_size(256)
fn scatter_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat(gid, nwg);
    if (e >= d.w * d.k) { return; }
    dst[(e / d.w) * d.p + ws[e % d.w]] = src[e];
}

var<workgroup> gw: array<real, WG_CAP>;
var<workgroup> bw: array<real, WG_CAP>;
// Diagonal blocks of the Gram, BLOCK × BLOCK in rows of BLOCK/4 vec4s, two buffers: the block being
// solved and the next one, loaded meanwhile.
var<workgroup> sub: array<vec4<real>, 2u * BLOCK * BLOCK / 4u>;
var<workgroup> part: array<real, 2u * (WG + FOLDS)>; // all_reduce's partials and folds, two slots
var<workgroup> flag: u32;
var<workgroup> start: u32; // epochs of this inner call run by earlier dispatches

const Q: u32 = BLOCK / 4u; // vec4s per block row

fn soft(z: real, t: real) -> real { return sign(z) * max(abs(z) - t, 0.0); }

// The working g_l and β_l of the alpha whose slices start at `base` (= k·w): workgroup arrays
// when WG_MEM, else its slices of `work` (g, then β_W).
fn g_at(base: u32, l: u32) -> real {
    if (WG_MEM) { return gw[l]; }
    return work[base + l];
}

fn b_at(base: u32, l: u32) -> real {
    if (WG_MEM) { return bw[l]; }
    return work[d.w * d.k + base + l];
}

fn g_set(base: u32, l: u32, v: real) {
    if (WG_MEM) { gw[l] = v; } else { work[base + l] = v; }
}

fn b_set(base: u32, l: u32, v: real) {
    if (WG_MEM) { bw[l] = v; } else { work[d.w * d.k + base + l] = v; }
}

// Index in `work` of entry l of alpha k's β_W snapshot in slot `slot` (slot HIST: the step).
fn snap(k: u32, slot: u32, l: u32) -> u32 { return ((2u + slot) * d.k + k) * d.w + l; }

// Orders the workgroup arrays' writes (and the working g and β_W's, in storage) before later reads.
fn work_barrier() {
    workgroupBarrier();
    if (!WG_MEM) { storageBarrier(); }
}

// Gram block of coordinates j0.. (zero beyond w) into `sub` buffer `buf`, a vec4 per thread.
fn load_block(go: u32, j0: u32, buf: u32, t: u32) {
    let w = d.w;
    for (var e = t; e < BLOCK * Q; e += WG) {
        let i = j0 + e / Q;
        let m = j0 + (e % Q) * 4u;
        var v = vec4<real>(0.0);
        if (i < w) {
            let row = go + i * w;
            if (m < w) { v.x = gram[row + m]; }
            if (m + 1u < w) { v.y = gram[row + m + 1u]; }
            if (m + 2u < w) { v.z = gram[row + m + 2u]; }
            if (m + 3u < w) { v.w = gram[row + m + 3u]; }
        }
        sub[buf * BLOCK * Q + e] = v;
    }
}

// Sum (or max) of the n partials from part[o], four at a time (n a multiple of 4).
fn combine(o: u32, n: u32, is_max: bool) -> real {
    var acc = vec4<real>(part[o], part[o + 1u], part[o + 2u], part[o + 3u]);
    for (var u = 4u; u < n; u += 4u) {
        let x = vec4<real>(part[o + u], part[o + u + 1u], part[o + u + 2u], part[o + u + 3u]);
        acc = select(acc + x, max(acc, x), is_max);
    }
    if (is_max) { return max(max(acc.x, acc.y), max(acc.z, acc.w)); }
    return (acc.x + acc.y) + (acc.z + acc.w);
}

// Sum (or max) of every thread's v, in every thread (slot 0 or 1 of `part`, each reused only
// after later barriers): with FOLDS = 0 every thread combines the WG partials after one barrier;
// else the first FOLDS threads combine WG / FOLDS partials each and, after a second barrier,
// every thread the FOLDS folds — a CPU driver runs every thread's reads in turn, WG² of them in
// one level.
fn all_reduce(t: u32, v: real, slot: u32, is_max: bool) -> real {
    let o = slot * (WG + FOLDS);
    part[o + t] = v;
    workgroupBarrier();
    if (FOLDS == 0u) { return combine(o, WG, is_max); }
    let each = WG / max(FOLDS, 1u);
    if (t < FOLDS) { part[o + WG + t] = combine(o + t * each, each, is_max); }
    workgroupBarrier();
    return combine(o + WG, FOLDS, is_max);
}

// The inner call of alpha k in this dispatch, the same in every thread: its flags (bit 0: it runs
// — live and not finished by an earlier dispatch; bit 1: cd_inner's last Anderson step was not
// kept) and the epochs (iterations) it ran in earlier dispatches.
fn call_state(k: u32, t: u32) -> vec2<u32> {
    if (t == 0u) {
        let f = epochs[2u * d.k + k];
        flag = select(0u, 1u, live[k] != 0u && (f & 1u) == 0u) | (f & 2u);
        start = epochs[k];
    }
    let f0 = workgroupUniformLoad(&flag);
    return vec2<u32>(f0, workgroupUniformLoad(&start));
}

// Anderson step at epoch te (a multiple of REFRESH, ≥ AA; every thread, β_W complete):
// U_i = snapshot(te − AA + i + 1) − snapshot(te − AA + i), c = argmin ‖Uc‖ over Σc = 1 (normal
// equations (UᵀU + reg) z = 1, c = z/Σz, solved in every thread), the candidate
// β_e = Σ_i c_i · snapshot(te − AA + i + 1), zero where β is zero or β_e has the other sign (no
// support grows); writes Δ = β_e − β (0 where the solve fails) to slot HIST for this thread's
// entries and ends after a barrier.
fn propose(k: u32, t: u32, te: u32) {
    let w = d.w;
    var cm: array<array<real, AA>, AA>;
    var slot = 0u;
    for (var i = 0u; i < AA; i++) {
        for (var j = i; j < AA; j++) {
            var acc: real = 0.0;
            for (var l = t; l < w; l += WG) {
                let ui = work[snap(k, (te - AA + i + 1u) % HIST, l)] - work[snap(k, (te - AA + i) % HIST, l)];
                let uj = work[snap(k, (te - AA + j + 1u) % HIST, l)] - work[snap(k, (te - AA + j) % HIST, l)];
                acc += ui * uj;
            }
            let v = all_reduce(t, acc, slot, false);
            slot = 1u - slot;
            cm[i][j] = v;
            cm[j][i] = v;
        }
    }
    // (UᵀU + reg·I) z = 1 by elimination (symmetric positive definite: no pivoting)
    var tr: real = 0.0;
    for (var i = 0u; i < AA; i++) { tr += cm[i][i]; }
    var ok = tr > 0.0;
    for (var i = 0u; i < AA; i++) { cm[i][i] += real(AA_REG) * tr / real(AA); }
    var z: array<real, AA>;
    for (var i = 0u; i < AA; i++) { z[i] = 1.0; }
    for (var i = 0u; i < AA; i++) {
        let piv = cm[i][i];
        ok = ok && piv > 0.0;
        for (var r = i + 1u; r < AA; r++) {
            let f = select(0.0, cm[r][i] / piv, piv > 0.0);
            for (var c = i; c < AA; c++) { cm[r][c] -= f * cm[i][c]; }
            z[r] -= f * z[i];
        }
    }
    var zs: real = 0.0;
    for (var ii = 0u; ii < AA; ii++) {
        let i = AA - 1u - ii;
        var v = z[i];
        for (var c = i + 1u; c < AA; c++) { v -= cm[i][c] * z[c]; }
        z[i] = select(0.0, v / cm[i][i], ok);
        zs += z[i];
    }
    ok = ok && zs != 0.0;
    for (var l = t; l < w; l += WG) {
        var be: real = 0.0;
        for (var i = 0u; i < AA; i++) { be += z[i] / zs * work[snap(k, (te - AA + i + 1u) % HIST, l)]; }
        let b = b_at(k * w, l);
        if (be * b <= 0.0) { be = 0.0; }
        work[snap(k, HIST, l)] = select(0.0, be - b, ok);
    }
    workgroupBarrier();
    storageBarrier();
}

// CD epochs on W for alpha k = workgroup k, BLOCK coordinates per barrier, the same iterates as
// one coordinate at a time: every thread solves the block's coordinates in order from the block's
// g, β and Gram block (β_j ← S(v_j β_j + g_j, λ1)/(v_j + λ2), then g_m −= G_mj Δ_j within the block),
// the same arithmetic in every thread, so all hold the block's Δ; then each thread applies
// g_l −= Σ_j G_lj Δ_j to its entries outside the block and loads the next Gram block. One barrier
// per block: the block's own g and β are written one block later, when no thread reads them.
// Every epoch the thread's entries of β_W are snapshotted; every REFRESH epochs of the call
// (numbered across its dispatches) an Anderson step Δ is proposed (`propose`) and g is recomputed
// as g⁰ − G(β + Δ − β⁰) from the dispatch's start (no drift from many updates), the step kept
// when it lowers the restricted objective; then the duality gap of the problem restricted to W
// (θ = s·r, ‖r‖² tracked through the updates) is reduced over the workgroup: the solve stops when
// it is ≤ the host's goal or the refresh's epoch changed nothing, or after max_epochs (a later
// dispatch continues; loops stay short for drivers that bound loop trips, e.g. lavapipe's 65535
// per invocation). Between refreshes an epoch has no barrier but its blocks'.
@compute @workgroup_size(WG)
fn cd_inner(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    let w = d.w;
    let base = k * w;
    // bit 0: run; bit 1: the call's last Anderson step was not kept
    let call = call_state(k, t);
    let f0 = call.x;
    if ((f0 & 1u) == 0u) { return; }
    // epochs are numbered along the call, across dispatches: refreshes, snapshots and
    // extrapolations fall on the same epochs however a driver's loop bound splits the call
    let e0 = call.y;
    for (var l = t; l < w; l += WG) {
        g_set(base, l, gs[base + l]);
        b_set(base, l, bs[base + l]);
        work[snap(k, e0 % HIST, l)] = bs[base + l];
    }
    let l1 = lam[2u * k];
    let l2 = lam[2u * k + 1u];
    let go = (k / d.per_gram) * w * w;
    let goal = gap[2u * d.k + k];
    var rr = gap[d.k + k]; // ‖r‖²/n
    let blocks = (w + BLOCK - 1u) / BLOCK;
    load_block(go, 0u, 0u, t);
    work_barrier();
    // the block solved last: its first coordinate (NONE: none pending), its g and β (every
    // thread holds them) and its steps Δ
    var pj = NONE;
    var gl: array<vec4<real>, Q>;
    var nb: array<vec4<real>, Q>;
    var dl: array<vec4<real>, Q>;
    var q = 0u; // blocks solved in this dispatch: selects the `sub` buffer
    var ep = 0u;
    // both uniform across the workgroup (set from uniform loads): they steer barriers
    var finished = false;
    var rejected = (f0 & 2u) != 0u;
    var steps = 0u; // Anderson steps tried
    loop {
        var dec: real = 0.0;
        for (var blk = 0u; blk < blocks; blk++) {
            let j0 = blk * BLOCK;
            let bn = min(BLOCK, w - j0);
            let buf = (q % 2u) * BLOCK * Q;
            if (pj != j0) {
                // the pending block's g and β to their owners; this block's from the arrays
                if (pj != NONE) {
                    for (var i = 0u; i < BLOCK; i++) {
                        let l = pj + i;
                        if (l < w && l % WG == t) { g_set(base, l, gl[i / 4u][i % 4u]); b_set(base, l, nb[i / 4u][i % 4u]); }
                    }
                }
                for (var i = 0u; i < BLOCK; i++) {
                    var g: real = 0.0;
                    var b: real = 0.0;
                    if (i < bn) { g = g_at(base, j0 + i); b = b_at(base, j0 + i); }
                    gl[i / 4u][i % 4u] = g;
                    nb[i / 4u][i % 4u] = b;
                }
            } // else one block covers W: its g and β are those held
            for (var c = 0u; c < Q; c++) { dl[c] = vec4<real>(0.0); }
            for (var i = 0u; i < bn; i++) {
                let vj = sub[buf + i * Q + i / 4u][i % 4u];
                let old = nb[i / 4u][i % 4u];
                let gj = gl[i / 4u][i % 4u];
                // a feature constant on a fold's rows has vj = 0 there: it stays at 0
                var nv: real = 0.0;
                if (vj + l2 > 0.0) { nv = soft(vj * old + gj, l1) / (vj + l2); }
                let delta = nv - old;
                if (delta != 0.0) {
                    dec += (vj + l2) * delta * delta;
                    rr += delta * (delta * vj - 2.0 * gj);
                    for (var c = 0u; c < Q; c++) { gl[c] -= sub[buf + i * Q + c] * delta; }
                    nb[i / 4u][i % 4u] = nv;
                    dl[i / 4u][i % 4u] = delta;
                }
            }
            for (var l = t; l < w; l += WG) {
                if (l >= j0 && l < j0 + bn) { continue; }
                var acc: real = 0.0;
                for (var i = 0u; i < bn; i++) {
                    let di = dl[i / 4u][i % 4u];
                    if (di != 0.0) { acc += gram[go + (j0 + i) * w + l] * di; }
                }
                if (acc != 0.0) { g_set(base, l, g_at(base, l) - acc); }
            }
            pj = j0;
            q += 1u;
            load_block(go, select(j0 + BLOCK, 0u, blk + 1u == blocks), q % 2u, t);
            work_barrier();
        }
        ep += 1u;
        // this epoch's β_W snapshot of the thread's entries (the pending block's from the held β)
        for (var l = t; l < w; l += WG) {
            var b = b_at(base, l);
            if (pj != NONE && l >= pj && l < pj + BLOCK) { b = nb[(l - pj) / 4u][(l - pj) % 4u]; }
            work[snap(k, (e0 + ep) % HIST, l)] = b;
        }
        let te = e0 + ep; // this epoch's number in the call
        // a refresh every REFRESH epochs of the call and at the dispatch's last, with an Anderson
        // step on the period unless the last was rejected (an epoch that changed nothing is
        // noticed there too: no barrier for the flags between refreshes)
        let period = te % REFRESH == 0u;
        if (period || ep == d.max_epochs) {
            for (var i = 0u; i < BLOCK; i++) {
                let l = pj + i;
                if (l < w && l % WG == t) { g_set(base, l, gl[i / 4u][i % 4u]); b_set(base, l, nb[i / 4u][i % 4u]); }
            }
            pj = NONE;
            work_barrier();
            let step = period && te >= AA && !rejected;
            if (step) {
                propose(k, t, te);
                steps += 1u;
            }
            // g_e = g⁰ − G(β + Δ − β⁰) on this thread's entries (Δ = 0 without a step), into the
            // snapshot slot the next epoch overwrites (β is read-only here)
            let fresh = (te + 1u) % HIST;
            for (var l = t; l < w; l += WG) { work[snap(k, fresh, l)] = gs[base + l]; }
            for (var m = 0u; m < w; m++) {
                var dm = b_at(base, m) - bs[base + m];
                if (step) { dm += work[snap(k, HIST, m)]; }
                if (dm != 0.0) {
                    for (var l = t; l < w; l += WG) { work[snap(k, fresh, l)] -= gram[go + m * w + l] * dm; }
                }
            }
            // the step is kept when the restricted objective drops: by −½Δᵀ(g + g_e) (the loss,
            // with ΔᵀGΔ = Δᵀ(g − g_e)) + Σ h(β + Δ) − h(β); then ‖r‖²/n changes by −Δᵀ(g + g_e).
            // Kept, or without a step, g ← g_e (no drift); a rejected step leaves β and g, and the
            // next refresh is a plain one
            var keep = true; // not uniform as the analysis sees it: `rejected` takes it after a load
            if (step) {
                var q: real = 0.0;
                var dh: real = 0.0;
                for (var l = t; l < w; l += WG) {
                    let dl = work[snap(k, HIST, l)];
                    if (dl == 0.0) { continue; }
                    let b = b_at(base, l);
                    q -= 0.5 * dl * (g_at(base, l) + work[snap(k, fresh, l)]);
                    dh += pen(b + dl, l1, l2) - pen(b, l1, l2);
                }
                q = all_reduce(t, q, 0u, false);
                dh = all_reduce(t, dh, 1u, false);
                keep = q + dh < 0.0;
                if (keep) { rr += 2.0 * q; }
            }
            if (keep) {
                for (var l = t; l < w; l += WG) {
                    if (step) { b_set(base, l, b_at(base, l) + work[snap(k, HIST, l)]); }
                    g_set(base, l, work[snap(k, fresh, l)]);
                }
            }
            // restricted gap: (1 − s)²‖r‖²/(2n) + Σ_l h(β_l) + h*(s g_l) − s g_l β_l (own entries only)
            var gm: real = 0.0;
            for (var l = t; l < w; l += WG) { gm = max(gm, abs(g_at(base, l))); }
            gm = all_reduce(t, gm, 0u, true);
            var s: real = 1.0;
            if (l2 <= 0.0 && gm > l1) { s = l1 / gm; }
            var acc: real = 0.0;
            for (var l = t; l < w; l += WG) { acc += pen_gap(b_at(base, l), s * g_at(base, l), l1, l2); }
            acc = all_reduce(t, acc, 1u, false);
            if (!WG_MEM) { storageBarrier(); } // the refreshed g before the next block reads it
            let inner_gap = 0.5 * (1.0 - s) * (1.0 - s) * max(rr, 0.0) + acc;
            if (t == 0u) { flag = select(0u, 1u, inner_gap <= goal || dec == 0.0) | select(0u, 2u, !keep); }
            let f = workgroupUniformLoad(&flag);
            finished = (f & 1u) != 0u;
            rejected = (f & 2u) != 0u;
        }
        if (finished || ep >= d.max_epochs) { break; }
    }
    // the pending block (if any) to its owners, who write their entries out
    for (var i = 0u; i < BLOCK; i++) {
        let l = pj + i;
        if (pj != NONE && l < w && l % WG == t) { g_set(base, l, gl[i / 4u][i % 4u]); b_set(base, l, nb[i / 4u][i % 4u]); }
    }
    for (var l = t; l < w; l += WG) { gs[base + l] = g_at(base, l); bs[base + l] = b_at(base, l); }
    if (t == 0u) {
        epochs[k] += ep;
        epochs[d.k + k] += steps;
        epochs[2u * d.k + k] = select(0u, 1u, finished) | select(0u, 2u, rejected);
    }
}

// ---- working-set FISTA (gpu-fista on squared loss): the same working set, Gram and goal as
// cd_inner, every alpha's iterate updated in parallel over W instead of coordinate by coordinate.
// β_W and z are kept as double-word offsets from the call's start β⁰ (hi + lo: an f32 step far
// below the rounding of β_W is not lost; a product reads one word per entry). Its `work` slots
// (w × K each, alpha k's slice at k·w): 0 the call's starting g⁰, 1 its starting β⁰, 2 β_W − β⁰
// (hi), 3 z − β⁰ for the extrapolated point z (hi), 4 the last step β⁺ − β, then g at β_W (from
// the last check), 5 β_W − β⁰ (lo), 6 z − β⁰ (lo) — before a call starts, 5 and 6 of a Gram's
// first alpha hold gram_norm's power vectors; then scalars: FISTA's θ per alpha (K), the call's
// starting ‖r‖²/n per alpha (K), and 1.1 × the largest eigenvalue of each Gram (one per per_gram
// alphas).

const CHECK: u32 = 8u; // iterations between two restricted gaps (and at a dispatch's last)

fn fs(s: u32, k: u32, l: u32) -> u32 { return (s * d.k + k) * d.w + l; }
fn scalar(s: u32, k: u32) -> u32 { return 7u * d.w * d.k + s * d.k + k; }

// start − Σ_m G[m, l]·v_m for the Gram at `go` and the w entries v of `work` from index v0 (zero
// entries skipped): the products of gram_norm and fista_inner, indices stepped, not recomputed.
fn minus_gram_times(start: real, go: u32, l: u32, v0: u32) -> real {
    let w = d.w;
    var acc = start;
    var at = go + l;
    for (var m = 0u; m < w; m++) {
        let v = work[v0 + m];
        if (v != 0.0) { acc -= gram[at] * v; }
        at += w;
    }
    return acc;
}

// Entry l of alpha k's β_W: β⁰ + (β_W − β⁰), the offset's two words first.
fn beta_w(k: u32, l: u32) -> real { return work[fs(1u, k, l)] + (work[fs(2u, k, l)] + work[fs(5u, k, l)]); }

// Power iteration on Gram gi = workgroup gi, d.max_epochs steps per dispatch, from a fixed start
// when d.j0 is 1 (the first dispatch); leaves 1.1 · ‖G u‖ (u of norm 1, the largest eigenvalue
// from below) as the Gram's L.
@compute @workgroup_size(WG)
fn gram_norm(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let gi = wg.x;
    let t = lid.x;
    let w = d.w;
    let a0 = gi * d.per_gram;
    let go = gi * w * w;
    if (d.j0 == 1u) {
        for (var l = t; l < w; l += WG) { work[fs(5u, a0, l)] = 1.0 + 0.25 * real((l * 7u) % 5u); }
        workgroupBarrier();
        storageBarrier();
    }
    var nrm: real = 0.0;
    for (var it = 0u; it < d.max_epochs; it++) {
        var sq: real = 0.0;
        for (var l = t; l < w; l += WG) {
            let acc = -minus_gram_times(0.0, go, l, fs(5u, a0, 0u));
            work[fs(6u, a0, l)] = acc;
            sq += acc * acc;
        }
        // ‖u‖ (the start's, or 1) and ‖G u‖ together: the first step normalizes as it goes
        var uu: real = 0.0;
        for (var l = t; l < w; l += WG) { uu += work[fs(5u, a0, l)] * work[fs(5u, a0, l)]; }
        let s2 = all_reduce(t, sq, 0u, false);
        let u2 = all_reduce(t, uu, 1u, false);
        storageBarrier();
        nrm = select(0.0, sqrt(s2 / u2), u2 > 0.0);
        for (var l = t; l < w; l += WG) { work[fs(5u, a0, l)] = select(0.0, work[fs(6u, a0, l)] / sqrt(s2), s2 > 0.0); }
        workgroupBarrier();
        storageBarrier();
    }
    if (t == 0u) { work[scalar(2u, gi)] = 1.1 * nrm; }
}

// FISTA on W for alpha k = workgroup k (Beck & Teboulle, with O'Donoghue & Candès's gradient
// restart), step 1/(L + λ2) from its Gram's L: per iteration every thread forms, for its
// entries, g(z) = g⁰ − G(z − β⁰) (β⁰, g⁰ from the call's start), β⁺ = S(z + t(g(z) − λ2 z), tλ1),
// then one reduction decides the restart ((z − β⁺)·(β⁺ − β) > 0: momentum off) and z = β⁺ +
// m(β⁺ − β). Every CHECK iterations of the call and at a dispatch's last, g(β) and the
// restricted gap (as cd_inner's; ‖r‖²/n = ‖r⁰‖²/n − (β − β⁰)·(g⁰ + g(β))): the call stops when it
// is ≤ the host's goal or no entry moved since the last check, or after max_epochs (a later
// dispatch continues from the state in `work`).
@compute @workgroup_size(WG)
fn fista_inner(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let k = wg.x;
    let t = lid.x;
    let w = d.w;
    let base = k * w;
    let call = call_state(k, t);
    if ((call.x & 1u) == 0u) { return; }
    let e0 = call.y;
    if (e0 == 0u) {
        for (var l = t; l < w; l += WG) {
            work[fs(0u, k, l)] = gs[base + l];
            work[fs(1u, k, l)] = bs[base + l];
            work[fs(4u, k, l)] = gs[base + l];
            for (var s = 2u; s < 7u; s += 1u) {
                if (s != 4u) { work[fs(s, k, l)] = 0.0; }
            }
        }
        if (t == 0u) {
            work[scalar(0u, k)] = 1.0;
            work[scalar(1u, k)] = gap[d.k + k];
        }
        workgroupBarrier();
        storageBarrier();
    }
    let l1 = lam[2u * k];
    let l2 = lam[2u * k + 1u];
    let gi = k / d.per_gram;
    let go = gi * w * w;
    let lip = work[scalar(2u, gi)] + l2;
    let step = select(0.0, 1.0 / lip, lip > 0.0);
    let goal = gap[2u * d.k + k];
    var theta = work[scalar(0u, k)];
    var moved: real = 0.0; // this thread's largest |β⁺ − β| since the last check
    var ep = 0u;
    var finished = false;
    loop {
        var dot: real = 0.0;
        for (var l = t; l < w; l += WG) {
            let gz = minus_gram_times(work[fs(0u, k, l)], go, l, fs(3u, k, 0u));
            // β⁺ = S(z + t(g(z) − λ2 z), tλ1) in double words, z = β⁰ + (z − β⁰); β⁺ − β⁰
            // replaces β − β⁰ (no other thread reads it in an iteration), the step β⁺ − β is
            // kept for the momentum
            let b0 = work[fs(1u, k, l)];
            let dzh = work[fs(3u, k, l)];
            let dzl = work[fs(6u, k, l)];
            let z = dw_add(dzh, dzl, b0);
            let u = dw_add(z.x, z.y, step * (gz - l2 * z.x));
            var nb = vec2<real>(0.0);
            if (abs(u.x) > step * l1) { nb = dw_add(u.x, u.y, -sign(u.x) * step * l1); }
            let ndb = dw_add(nb.x, nb.y, -b0);
            let db = (ndb.x - work[fs(2u, k, l)]) + (ndb.y - work[fs(5u, k, l)]);
            dot += ((dzh - ndb.x) + (dzl - ndb.y)) * db;
            work[fs(4u, k, l)] = db;
            work[fs(2u, k, l)] = ndb.x;
            work[fs(5u, k, l)] = ndb.y;
        }
        // after this reduction's barrier no thread reads z of this iteration
        let restart = all_reduce(t, dot, ep % 2u, false) > 0.0;
        storageBarrier();
        var mom: real = 0.0;
        if (restart) {
            theta = 1.0;
        } else {
            let next = 0.5 * (1.0 + sqrt(1.0 + 4.0 * theta * theta));
            mom = (theta - 1.0) / next;
            theta = next;
        }
        for (var l = t; l < w; l += WG) {
            let db = work[fs(4u, k, l)];
            moved = max(moved, abs(db));
            let dz = dw_add(work[fs(2u, k, l)], work[fs(5u, k, l)], mom * db);
            work[fs(3u, k, l)] = dz.x;
            work[fs(6u, k, l)] = dz.y;
        }
        workgroupBarrier();
        storageBarrier();
        ep += 1u;
        if ((e0 + ep) % CHECK == 0u || ep == d.max_epochs) {
            var gm: real = 0.0;
            var dr: real = 0.0;
            for (var l = t; l < w; l += WG) {
                let g = minus_gram_times(work[fs(0u, k, l)], go, l, fs(2u, k, 0u));
                work[fs(4u, k, l)] = g;
                gm = max(gm, abs(g));
                dr += (work[fs(2u, k, l)] + work[fs(5u, k, l)]) * (work[fs(0u, k, l)] + g);
            }
            gm = all_reduce(t, gm, 0u, true);
            dr = all_reduce(t, dr, 1u, false);
            var s: real = 1.0;
            if (l2 <= 0.0 && gm > l1) { s = l1 / gm; }
            var acc: real = 0.0;
            for (var l = t; l < w; l += WG) { acc += pen_gap(beta_w(k, l), s * work[fs(4u, k, l)], l1, l2); }
            acc = all_reduce(t, acc, 0u, false);
            let mv = all_reduce(t, moved, 1u, true);
            moved = 0.0;
            let rr = max(work[scalar(1u, k)] - dr, 0.0);
            let inner_gap = 0.5 * (1.0 - s) * (1.0 - s) * rr + acc;
            if (t == 0u) { flag = select(0u, 1u, inner_gap <= goal || mv == 0.0); }
            finished = (workgroupUniformLoad(&flag) & 1u) != 0u;
        }
        if (finished || ep >= d.max_epochs) { break; }
    }
    for (var l = t; l < w; l += WG) { bs[base + l] = beta_w(k, l); gs[base + l] = work[fs(4u, k, l)]; }
    if (t == 0u) {
        work[scalar(0u, k)] = theta;
        epochs[k] += ep;
        epochs[2u * d.k + k] = select(0u, 1u, finished);
    }
}
