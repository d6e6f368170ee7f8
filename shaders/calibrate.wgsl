// Probes of the device model's per-unit costs (regpath devices --calibrate): a dispatch that does
// almost nothing, a chain of dependent barrier-separated steps, a chain of dependent coordinate
// updates in one thread, and a streaming read.
// From the generated header: `real`.

const WG: u32 = 64u;
const STREAM_WG: u32 = 256u;

struct Dims {
    n: u32,      // chain: entries of `next`; stream: entries of `src`
    steps: u32,  // chain, updates: dependent steps
    pad0: u32,
    pad1: u32,
}

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read_write> out: array<real>;
@group(0) @binding(2) var<storage, read> next: array<u32>;  // chain: a permutation of 0..n
@group(0) @binding(3) var<storage, read> src: array<real>;  // stream: the bytes to read

// Thread d.n (0) adds 1 to out[0]: consecutive touches depend on each other, as a solver's
// dispatches do.
@compute @workgroup_size(64)
fn touch(@builtin(global_invocation_id) gid: vec3<u32>) {
    if (gid.x == d.n) { out[0] = out[0] + 1.0; }
}

var<workgroup> cur: array<u32, 2>;

// One workgroup runs d.steps dependent steps, the pattern of one inner-CD coordinate: every thread
// reads the step's index from workgroup memory and a storage entry at an address that depends on
// it, thread 0 reads the next index from storage, and one barrier ends the step.
@compute @workgroup_size(64)
fn chain(@builtin(local_invocation_id) lid: vec3<u32>) {
    let t = lid.x;
    if (t == 0u) { cur[0] = 0u; }
    workgroupBarrier();
    var acc = 0u;
    for (var s = 0u; s < d.steps; s++) {
        let j = cur[s % 2u];
        acc += next[(j + t * 7u) % d.n];
        if (t == 0u) { cur[(s + 1u) % 2u] = next[j]; }
        workgroupBarrier();
    }
    out[t] = real(acc % 4096u);
}

// Each of 64 threads makes the same d.steps coordinate updates of the inner CD one after another,
// each waiting on the last, as the inner CD's threads all solve one block: z = v·b + g,
// b' = S(z, λ1)/(v + λ2), g −= v·(b' − b) (plus a drift that keeps z moving).
@compute @workgroup_size(64)
fn updates(@builtin(local_invocation_id) lid: vec3<u32>) {
    let v = out[1] + 0.75;
    let l1 = out[2] + 0.125;
    var b: real = 0.0;
    var g: real = out[0] + 1.0;
    for (var s = 0u; s < d.steps; s++) {
        let z = v * b + g;
        let nb = sign(z) * max(abs(z) - l1, 0.0) / (v + 0.5);
        g = g - v * (nb - b) + 0.0625;
        b = nb;
    }
    out[3u + lid.x] = b + g;
}

// Every thread sums a strided share of src (grid-stride loop) into out[its index].
@compute @workgroup_size(256)
fn stream(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = nwg.x * STREAM_WG;
    var acc: real = 0.0;
    for (var i = gid.x; i < d.n; i += total) { acc += src[i]; }
    out[gid.x] = acc;
}
