//! The device layer: adapter, device, queue and a pipeline cache keyed by kernel × precision ×
//! variant; buffer helpers, recorded dispatches ([`Op`]) and counted submits/readbacks.

use crate::adapters::{self, AdapterSummary};
use crate::error::GpuError;
use crate::GpuCounters;
use std::collections::HashMap;
use std::sync::{mpsc, Arc, Mutex};
use wgpu::util::DeviceExt;

/// Floating-point type of the device arrays and kernels (host certification is always f64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Precision {
    #[default]
    F32,
    F64,
}

impl Precision {
    /// Bytes per scalar.
    pub fn size(self) -> usize {
        match self {
            Precision::F32 => 4,
            Precision::F64 => 8,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
        }
    }

    /// Host f64 values as device bytes of this precision.
    pub(crate) fn bytes(self, v: &[f64]) -> Vec<u8> {
        match self {
            Precision::F32 => v.iter().flat_map(|&x| (x as f32).to_le_bytes()).collect(),
            Precision::F64 => v.iter().flat_map(|&x| x.to_le_bytes()).collect(),
        }
    }

    /// Device bytes of this precision as host f64 values.
    pub(crate) fn values(self, b: &[u8]) -> Vec<f64> {
        match self {
            Precision::F32 => b
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64)
                .collect(),
            Precision::F64 => b
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                .collect(),
        }
    }
}

/// A WGSL source file, one per kernel family (`shaders/<family>.wgsl`).
pub(crate) struct Family {
    pub name: &'static str,
    pub source: &'static str,
    /// Sections of `shaders/common.wgsl` the family uses (e.g. "dw", "reduce"), put before
    /// its own source: one definition of each shared helper.
    pub common: &'static [&'static str],
    /// The constants the family's WGSL takes from the generated header, at their defaults; a
    /// pipeline's variant replaces those it names.
    pub header: &'static [Decl],
}

/// A declaration of the generated header a pipeline's WGSL starts with: what a shader is
/// specialized on, named by the shader files but never declared there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Decl {
    /// `const NAME: u32 = V;`
    U32(&'static str, u32),
    /// `const NAME: bool = V;`
    Bool(&'static str, bool),
    /// `const NAME: real = V;`, V by precision: (f32, f64).
    Real(&'static str, (i32, i32)),
    /// `alias NAME = f64;` when set, else `alias NAME = real;`.
    Alias(&'static str, bool),
}

impl Decl {
    fn name(self) -> &'static str {
        match self {
            Decl::U32(n, _) | Decl::Bool(n, _) | Decl::Real(n, _) | Decl::Alias(n, _) => n,
        }
    }

    fn wgsl(self, precision: Precision) -> String {
        match self {
            Decl::U32(n, v) => format!("const {n}: u32 = {v}u;\n"),
            Decl::Bool(n, v) => format!("const {n}: bool = {v};\n"),
            Decl::Real(n, (single, double)) => {
                let v = if precision == Precision::F32 {
                    single
                } else {
                    double
                };
                format!("const {n}: real = {v}.0;\n")
            }
            Decl::Alias(n, wide) => format!("alias {n} = {};\n", if wide { "f64" } else { "real" }),
        }
    }
}

/// The shared WGSL (see its header for what each section needs from the family).
const COMMON_WGSL: &str = include_str!("../../../shaders/common.wgsl");

/// Section `name` of `shaders/common.wgsl`: from its `// ---- section NAME:` line to the next
/// section or the end.
pub(crate) fn common_section(name: &str) -> &'static str {
    let marker = format!("// ---- section {name}:");
    let start = COMMON_WGSL
        .find(&marker)
        .unwrap_or_else(|| panic!("shaders/common.wgsl has no section {name:?}"));
    let rest = &COMMON_WGSL[start..];
    let end = rest[marker.len()..]
        .find("// ---- section ")
        .map_or(rest.len(), |e| e + marker.len());
    &rest[..end]
}

impl Family {
    /// The WGSL a pipeline of this family compiles: the generated header (`alias real`, then the
    /// family's constants, `variant`'s where it names them), its common sections, its own file.
    pub(crate) fn wgsl(&self, precision: Precision, variant: &[Decl]) -> String {
        for v in variant {
            assert!(
                self.header.iter().any(|h| h.name() == v.name()),
                "shaders/{}.wgsl takes no header constant {}",
                self.name,
                v.name()
            );
        }
        let mut s = format!("alias real = {};\n", precision.name());
        for h in self.header {
            let d = variant.iter().find(|v| v.name() == h.name()).unwrap_or(h);
            s.push_str(&d.wgsl(precision));
        }
        s.extend(self.common.iter().map(|n| common_section(n)));
        s.push_str(self.source);
        s
    }
}

/// How a kernel binds a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bind {
    Uniform,
    Read,
    Write,
}

/// One entry point with its explicit bind-group layout: (binding, kind) in the order buffers are passed.
pub(crate) struct Kernel {
    pub family: &'static Family,
    pub entry: &'static str,
    pub binds: &'static [(u32, Bind)],
}

/// A compiled kernel: pipeline plus its bind-group layout.
pub(crate) struct Pipeline {
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct PipelineKey {
    family: &'static str,
    entry: &'static str,
    precision: Precision,
    variant: Vec<Decl>,
}

/// What one dispatch costs in the device model's terms (see `model.rs`): bytes it moves between
/// memory and the cores, floating-point operations, and serial steps (the longest chain of
/// barrier-separated steps any of its workgroups runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cost {
    pub bytes: u64,
    pub flops: u64,
    pub steps: u64,
}

/// One recorded dispatch: a cached pipeline, its bind group, the workgroup counts and its cost.
pub(crate) struct Op {
    pipeline: Arc<Pipeline>,
    group: wgpu::BindGroup,
    groups: [u32; 3],
    cost: Cost,
}

impl Op {
    pub fn record(&self, pass: &mut wgpu::ComputePass<'_>) {
        if self.is_dispatched() {
            pass.set_pipeline(&self.pipeline.pipeline);
            pass.set_bind_group(0, &self.group, &[]);
            pass.dispatch_workgroups(self.groups[0], self.groups[1], self.groups[2]);
        }
    }

    fn is_dispatched(&self) -> bool {
        self.groups.iter().all(|&g| g > 0)
    }

    /// The op with `cost` in place of the default (one step, every bound buffer moved once).
    pub fn with_cost(mut self, cost: Cost) -> Op {
        self.cost = cost;
        self
    }

    pub fn cost(&self) -> Cost {
        self.cost
    }
}

/// Records `ops` in order into one compute pass (wgpu orders dependent dispatches) and adds their
/// dispatches, bytes, flops and serial steps to `counters`.
pub(crate) fn record(encoder: &mut wgpu::CommandEncoder, ops: &[&Op], counters: &mut GpuCounters) {
    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: None,
        timestamp_writes: None,
    });
    for op in ops.iter().filter(|op| op.is_dispatched()) {
        op.record(&mut pass);
        counters.dispatches += 1;
        counters.bytes += op.cost.bytes;
        counters.flops += op.cost.flops;
        counters.serial_steps += op.cost.steps;
    }
}

/// Loop trips one invocation may make per dispatch on a driver that bounds them (lavapipe
/// silently leaves every loop of an invocation after [`BOUNDED_LOOP_LIMIT`] trips in all).
pub(crate) const BOUNDED_LOOP_BUDGET: usize = 40_000;

/// Lavapipe's bound: the loop trips after which it leaves an invocation's loops.
pub(crate) const BOUNDED_LOOP_LIMIT: usize = 65_535;

/// Loop trips per dispatch elsewhere: dispatches of a few milliseconds, clear of GPU watchdogs.
pub(crate) const LOOP_BUDGET: usize = 4_000_000;

/// Adapter, device, queue and compiled pipelines: build once, reuse for many solves.
pub struct GpuContext {
    _instance: wgpu::Instance,
    _adapter: wgpu::Adapter,
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    summary: AdapterSummary,
    pub(crate) limits: wgpu::Limits,
    pipelines: Mutex<HashMap<PipelineKey, Arc<Pipeline>>>,
}

impl GpuContext {
    /// Opens the adapter `adapter` names (index or case-insensitive name substring; `None`: the
    /// high-performance default) with the adapter's limits, requesting only the one optional
    /// feature the kernels use: SHADER_F64, where the adapter has it (the f64 pipelines are only
    /// built when a solve asks for f64). Subgroups are not used: reductions are workgroup trees.
    pub fn new(adapter: Option<&str>) -> Result<Self, GpuError> {
        let instance = adapters::instance();
        let (adapter, summary) = adapters::select(&instance, adapter)?;
        let wanted = wgpu::Features::SHADER_F64;
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("regpath"),
            required_features: adapter.features() & wanted,
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| GpuError::Device(format!("cannot open '{}': {e}", summary.name)))?;
        Ok(GpuContext {
            _instance: instance,
            _adapter: adapter,
            device,
            queue,
            summary,
            limits,
            pipelines: Mutex::new(HashMap::new()),
        })
    }

    pub fn summary(&self) -> &AdapterSummary {
        &self.summary
    }

    pub fn supports_f64(&self) -> bool {
        self.device.features().contains(wgpu::Features::SHADER_F64)
    }

    /// Err(NoF64) when `precision` is f64 and the device lacks SHADER_F64.
    pub(crate) fn check_precision(&self, precision: Precision) -> Result<(), GpuError> {
        if precision == Precision::F64 && !self.supports_f64() {
            return Err(GpuError::NoF64 {
                adapter: self.summary.name.clone(),
            });
        }
        Ok(())
    }

    /// Loop trips a kernel invocation may make per dispatch: few on a CPU adapter (lavapipe bounds
    /// them), many on a GPU.
    pub(crate) fn loop_budget(&self) -> usize {
        if self.summary.device_type == format!("{:?}", wgpu::DeviceType::Cpu) {
            BOUNDED_LOOP_BUDGET
        } else {
            LOOP_BUDGET
        }
    }

    /// Whether the driver bounds an invocation's loop trips (see [`BOUNDED_LOOP_LIMIT`]).
    pub(crate) fn bounded_loops(&self) -> bool {
        self.loop_budget() < LOOP_BUDGET
    }

    /// The largest storage binding in bytes (one X column block, B, G must each fit).
    pub(crate) fn max_binding(&self) -> u64 {
        self.limits
            .max_storage_buffer_binding_size
            .min(self.limits.max_buffer_size)
    }

    /// The cached pipeline of `kernel` at `precision`, compiling it on first use; `variant` sets
    /// header constants of the family (see [`Family::wgsl`]).
    pub(crate) fn pipeline(
        &self,
        kernel: &Kernel,
        precision: Precision,
        variant: &[Decl],
    ) -> Arc<Pipeline> {
        let key = PipelineKey {
            family: kernel.family.name,
            entry: kernel.entry,
            precision,
            variant: variant.to_vec(),
        };
        let mut cache = self.pipelines.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = cache.get(&key) {
            return p.clone();
        }
        let source = kernel.family.wgsl(precision, variant);
        let module = self
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(kernel.family.name),
                source: wgpu::ShaderSource::Wgsl(source.into()),
            });
        let entries: Vec<wgpu::BindGroupLayoutEntry> = kernel
            .binds
            .iter()
            .map(|&(binding, kind)| wgpu::BindGroupLayoutEntry {
                binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: match kind {
                        Bind::Uniform => wgpu::BufferBindingType::Uniform,
                        Bind::Read => wgpu::BufferBindingType::Storage { read_only: true },
                        Bind::Write => wgpu::BufferBindingType::Storage { read_only: false },
                    },
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            })
            .collect();
        let layout = self
            .device
            .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some(kernel.entry),
                entries: &entries,
            });
        let pipeline_layout = self
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(kernel.entry),
                bind_group_layouts: &[Some(&layout)],
                immediate_size: 0,
            });
        let pipeline = self
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(kernel.entry),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(kernel.entry),
                compilation_options: Default::default(),
                cache: None,
            });
        let p = Arc::new(Pipeline { pipeline, layout });
        cache.insert(key, p.clone());
        p
    }

    /// An [`Op`] dispatching `kernel` over `groups` workgroups; `dims` (if the kernel's first
    /// binding is a uniform) becomes its uniform buffer, `buffers` fill the other bindings in order.
    /// Its default cost is one serial step, no flops and every buffer moved once
    /// ([`Op::with_cost`] says better where the kernel knows).
    pub(crate) fn op(
        &self,
        kernel: &Kernel,
        precision: Precision,
        variant: &[Decl],
        dims: &[u32],
        buffers: &[&wgpu::Buffer],
        groups: [u32; 3],
    ) -> Op {
        let pipeline = self.pipeline(kernel, precision, variant);
        let uniform =
            matches!(kernel.binds.first(), Some((_, Bind::Uniform))).then(|| self.uniform(dims));
        let all: Vec<&wgpu::Buffer> = uniform.iter().chain(buffers.iter().copied()).collect();
        assert_eq!(
            all.len(),
            kernel.binds.len(),
            "kernel {} takes {} bindings",
            kernel.entry,
            kernel.binds.len()
        );
        let entries: Vec<wgpu::BindGroupEntry> = kernel
            .binds
            .iter()
            .zip(&all)
            .map(|(&(binding, _), b)| wgpu::BindGroupEntry {
                binding,
                resource: b.as_entire_binding(),
            })
            .collect();
        let group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(kernel.entry),
            layout: &pipeline.layout,
            entries: &entries,
        });
        let bytes = buffers.iter().map(|b| b.size()).sum();
        Op {
            pipeline,
            group,
            groups,
            cost: Cost {
                bytes,
                flops: 0,
                steps: 1,
            },
        }
    }

    fn uniform(&self, dims: &[u32]) -> wgpu::Buffer {
        let mut v = dims.to_vec();
        v.resize(dims.len().div_ceil(4).max(1) * 4, 0);
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("dims"),
                contents: bytemuck::cast_slice(&v),
                usage: wgpu::BufferUsages::UNIFORM,
            })
    }

    /// A zeroed storage buffer of `len` scalars (at least one) of `precision`.
    pub(crate) fn zeros(&self, label: &str, len: usize, precision: Precision) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: (len.max(1) * precision.size()) as u64,
            usage: storage_usage(),
            mapped_at_creation: false,
        })
    }

    /// A storage buffer holding `values` converted to `precision`.
    pub(crate) fn upload(&self, label: &str, values: &[f64], precision: Precision) -> wgpu::Buffer {
        let mut bytes = precision.bytes(values);
        if bytes.is_empty() {
            bytes.resize(precision.size(), 0);
        }
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &bytes,
                usage: storage_usage(),
            })
    }

    /// A storage buffer of u32 values (flags, indices); at least one entry.
    pub(crate) fn upload_u32(&self, label: &str, values: &[u32]) -> wgpu::Buffer {
        let v = if values.is_empty() {
            &[0u32][..]
        } else {
            values
        };
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytemuck::cast_slice(v),
                usage: storage_usage(),
            })
    }

    pub(crate) fn encoder(&self) -> wgpu::CommandEncoder {
        self.device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None })
    }

    /// Submits `encoder` (one counted submit).
    pub(crate) fn submit(&self, encoder: wgpu::CommandEncoder, counters: &mut GpuCounters) {
        self.queue.submit([encoder.finish()]);
        counters.submits += 1;
    }

    /// Copies each (buffer, byte offset, byte length) region into one staging buffer at the end of
    /// `encoder`, submits, maps once and returns the regions' bytes (one submit, one readback).
    pub(crate) fn submit_and_read(
        &self,
        mut encoder: wgpu::CommandEncoder,
        regions: &[(&wgpu::Buffer, u64, u64)],
        counters: &mut GpuCounters,
    ) -> Result<Vec<Vec<u8>>, GpuError> {
        let staged = self.stage(&mut encoder, regions);
        self.submit_and_read_staged(encoder, vec![staged], counters)
    }

    /// Records, at this point of `encoder`, copies of each (buffer, byte offset, byte length)
    /// region into a staging buffer: what the buffers hold here, before the encoder's later work,
    /// read by [`GpuContext::submit_and_read_staged`] with the encoder.
    pub(crate) fn stage(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        regions: &[(&wgpu::Buffer, u64, u64)],
    ) -> Staged {
        let lens: Vec<u64> = regions.iter().map(|r| r.2).collect();
        let buf = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("staging"),
            size: lens.iter().sum::<u64>().max(4),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut at = 0;
        for &(src, off, len) in regions {
            if len > 0 {
                encoder.copy_buffer_to_buffer(src, off, &buf, at, len);
            }
            at += len;
        }
        Staged { buf, lens }
    }

    /// Submits `encoder`, maps every staging buffer in one wait and returns their regions' bytes
    /// in order (one submit, one readback).
    pub(crate) fn submit_and_read_staged(
        &self,
        encoder: wgpu::CommandEncoder,
        staged: Vec<Staged>,
        counters: &mut GpuCounters,
    ) -> Result<Vec<Vec<u8>>, GpuError> {
        self.submit(encoder, counters);
        let (tx, rx) = mpsc::channel();
        for s in &staged {
            let tx = tx.clone();
            s.buf.map_async(wgpu::MapMode::Read, .., move |r| {
                let _ = tx.send(r);
            });
        }
        drop(tx);
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Device(format!("waiting for the device: {e}")))?;
        for _ in &staged {
            rx.recv()
                .map_err(|_| GpuError::Device("readback callback dropped".into()))?
                .map_err(|e| GpuError::Device(format!("mapping a readback buffer: {e}")))?;
        }
        counters.readbacks += 1;
        let mut out = Vec::new();
        for s in &staged {
            {
                let view = (s.buf)
                    .get_mapped_range(..)
                    .map_err(|e| GpuError::Device(format!("reading a mapped buffer: {e:?}")))?;
                let mut at = 0usize;
                for &len in &s.lens {
                    out.push(view[at..at + len as usize].to_vec());
                    at += len as usize;
                }
            }
            s.buf.unmap();
        }
        Ok(out)
    }
}

/// Regions copied into a mappable buffer at one point of an encoder ([`GpuContext::stage`]).
pub(crate) struct Staged {
    buf: wgpu::Buffer,
    /// Byte length of each region, in order.
    lens: Vec<u64>,
}

fn storage_usage() -> wgpu::BufferUsages {
    wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST
}

/// Workgroup counts for `count` threads in groups of `wg`, folded into y past the x limit
/// (kernels rebuild the flat index as gid.x + gid.y · num_workgroups.x · wg).
pub(crate) fn groups_1d(count: usize, wg: usize, max_dim: u32) -> [u32; 3] {
    let g = count.div_ceil(wg) as u64;
    if g <= max_dim as u64 {
        [g as u32, 1, 1]
    } else {
        let y = g.div_ceil(max_dim as u64);
        [g.div_ceil(y) as u32, y as u32, 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_sections_are_whole_and_separate() {
        let dw = common_section("dw");
        let red = common_section("reduce");
        assert!(dw.contains("fn two_sum") && dw.contains("fn dw_add") && !dw.contains("fn reduce"));
        assert!(
            red.contains("fn reduce")
                && red.contains("var<workgroup> red")
                && !red.contains("fn two_sum")
        );
        let (pen, gaps) = (common_section("penalty"), common_section("gaps"));
        assert!(pen.contains("fn pen_gap") && !pen.contains("fn pen_sum"));
        assert!(gaps.contains("fn pen_sum") && !gaps.contains("fn pen_gap("));
    }
}
