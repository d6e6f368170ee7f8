//! Kernel families, one module per `shaders/<family>.wgsl`: each declares its entry points with
//! their bind-group layouts and builds [`Op`](crate::context::Op)s with the right dimensions.

/// Declares one kernel family (`family!(static NAME = "file", common [...], header [...]; …)`):
/// its WGSL, `shaders/<file>.wgsl` after the sections of `shaders/common.wgsl` it names and the
/// generated header (defaults of the constants it takes), and per argument struct
/// `struct Args { field: N A, … } => KERNEL = "entry", …;` the named buffers a kernel binds,
/// each with its binding number N and access A (`R`, `W`) written here once, and the entry points
/// that take them (binding 0 of every kernel is its uniform dims). A trailing
/// `, + field: N A => KERNEL = "entry"` adds an optional binding (an `Option` field) and the entry
/// points that take it as well. Attributes before a struct apply to its kernels too.
/// `KERNELS` lists every kernel, for the test that checks the tables against the WGSL.
macro_rules! family {
    (
        $vis:vis static $family:ident = $file:literal,
            common [$($common:literal),*], header [$($decl:expr),* $(,)?];
        $(
            $(#[$meta:meta])*
            struct $args:ident $fields:tt => $($kernel:ident = $entry:literal),+
            $(, + $opt:ident: $obind:literal $okind:ident => $($okernel:ident = $oentry:literal),+)?;
        )+
    ) => {
        $vis static $family: $crate::context::Family = $crate::context::Family {
            name: $file,
            source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shaders/", $file, ".wgsl")),
            common: &[$($common),*],
            header: &[$($decl),*],
        };
        $(
            family!(@struct [$(#[$meta])*] $args $fields [$($opt)?]);
            family!(@kernels [$(#[$meta])*] $family $fields [[] $($kernel = $entry),+]
                $([[($obind, $crate::kernels::$okind)] $($okernel = $oentry),+])?);
        )+
        /// Every kernel of the family, for the test that checks their bindings against the WGSL.
        #[cfg(test)]
        pub(crate) const KERNELS: &[&$crate::context::Kernel] =
            &[$($(&$kernel,)+ $($(&$okernel,)+)?)+];
    };
    (@struct [$(#[$meta:meta])*] $args:ident
        { $($field:ident: $bind:literal $kind:ident),+ $(,)? } [$($opt:ident)?]) => {
        $(#[$meta])*
        pub(crate) struct $args<'a> {
            $(pub $field: &'a wgpu::Buffer,)+
            $(pub $opt: Option<&'a wgpu::Buffer>,)?
        }
        $(#[$meta])*
        impl $args<'_> {
            /// The buffers in binding order.
            fn buffers(&self) -> Vec<&wgpu::Buffer> {
                #[allow(unused_mut)]
                let mut all = vec![$(self.$field),+];
                $(all.extend(self.$opt);)?
                all
            }
        }
    };
    (@kernels $attrs:tt $family:ident $fields:tt
        $([$extra:tt $($kernel:ident = $entry:literal),+])+) => {
        $($(family!(@kernel $attrs $family $fields $extra $kernel = $entry);)+)+
    };
    (@kernel [$(#[$meta:meta])*] $family:ident
        { $($field:ident: $bind:literal $kind:ident),+ $(,)? } [$($extra:tt)*]
        $kernel:ident = $entry:literal) => {
        $(#[$meta])*
        const $kernel: $crate::context::Kernel = $crate::context::Kernel {
            family: &$family,
            entry: $entry,
            binds: &[
                (0, $crate::kernels::U),
                $(($bind, $crate::kernels::$kind),)+
                $($extra)*
            ],
        };
    };
}

pub(crate) mod calibrate;
pub(crate) mod cd;
pub(crate) mod folds;
pub(crate) mod gemm;
pub(crate) mod logistic;
pub(crate) mod prox;
pub(crate) mod reduce;
pub(crate) mod sparse;

use crate::context::{Bind, GpuContext};

/// 1.0f32 as bits, for the shaders' opaque multiply (two_sum in shaders/common.wgsl, section dw).
pub(crate) const ONE: u32 = 0x3f80_0000;

pub(crate) const U: Bind = Bind::Uniform;
pub(crate) const R: Bind = Bind::Read;
pub(crate) const W: Bind = Bind::Write;

/// Columns [j0, j0 + cols) of X, column-major n × cols, in one buffer: what the X-reading
/// kernels take (the design splits X into these so each fits one storage binding).
pub(crate) struct XBlock {
    pub buf: wgpu::Buffer,
    pub j0: usize,
    pub cols: usize,
}

/// Workgroups of `wg` threads for one thread per entry of `count` (see
/// [`groups_1d`](crate::context::groups_1d)).
pub(crate) fn flat_groups(ctx: &GpuContext, count: usize, wg: usize) -> [u32; 3] {
    crate::context::groups_1d(count, wg, ctx.limits.max_compute_workgroups_per_dimension)
}

/// Tests: records `ops`, submits, and reads back the first `len` scalars of `out`.
#[cfg(test)]
pub(crate) fn run_and_read(
    ctx: &GpuContext,
    prec: crate::context::Precision,
    ops: &[&crate::context::Op],
    out: &wgpu::Buffer,
    len: usize,
) -> Vec<f64> {
    let mut enc = ctx.encoder();
    let mut counters = crate::GpuCounters::default();
    crate::context::record(&mut enc, ops, &mut counters);
    let bytes = (len * prec.size()) as u64;
    let got = ctx
        .submit_and_read(enc, &[(out, 0, bytes)], &mut counters)
        .unwrap();
    prec.values(&got[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{Decl, Family, Kernel, Precision};
    use wgpu::naga;

    /// The family's WGSL (its default header, or `variant`) parsed and validated.
    fn compile(
        family: &Family,
        precision: Precision,
        variant: &[Decl],
    ) -> (naga::Module, naga::valid::ModuleInfo) {
        let src = family.wgsl(precision, variant);
        let what = format!("{} {} {variant:?}", family.name, precision.name());
        let module = naga::front::wgsl::parse_str(&src)
            .unwrap_or_else(|e| panic!("{what}: {}", e.emit_to_string(&src)));
        let info = naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::all(),
        )
        .validate(&module)
        .unwrap_or_else(|e| panic!("{what}: {}", e.emit_to_string(&src)));
        (module, info)
    }

    /// The binding tables written in Rust agree with the WGSL each kernel compiles (generated
    /// header included, at both precisions): every entry point exists, and the bindings it
    /// statically uses are exactly the ones its table lists, with the same access.
    #[test]
    fn binding_tables_match_the_wgsl() {
        let all: Vec<&Kernel> = [
            calibrate::KERNELS,
            cd::KERNELS,
            folds::KERNELS,
            gemm::KERNELS,
            logistic::KERNELS,
            prox::KERNELS,
            reduce::KERNELS,
            sparse::KERNELS,
        ]
        .concat();
        assert_eq!(all.len(), 39);
        let mut problems = Vec::new();
        for precision in [Precision::F32, Precision::F64] {
            for k in &all {
                let (module, info) = compile(k.family, precision, &[]);
                let name = format!("{}::{} ({})", k.family.name, k.entry, precision.name());
                let Some(ep) = module.entry_points.iter().position(|e| e.name == k.entry) else {
                    problems.push(format!("{name}: no entry point"));
                    continue;
                };
                let uses = info.get_entry_point(ep);
                let mut used: Vec<(u32, Bind)> = module
                    .global_variables
                    .iter()
                    .filter(|(h, _)| !uses[*h].is_empty())
                    .filter_map(|(_, g)| {
                        let kind = match g.space {
                            naga::AddressSpace::Uniform => Bind::Uniform,
                            naga::AddressSpace::Storage { access }
                                if access.contains(naga::StorageAccess::STORE) =>
                            {
                                Bind::Write
                            }
                            naga::AddressSpace::Storage { .. } => Bind::Read,
                            _ => return None,
                        };
                        Some((g.binding.as_ref()?.binding, kind))
                    })
                    .collect();
                used.sort_by_key(|b| b.0);
                let mut listed = k.binds.to_vec();
                listed.sort_by_key(|b| b.0);
                if used != listed {
                    problems.push(format!(
                        "{name}: the WGSL uses {used:?}, Rust binds {listed:?}"
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every variant a pipeline can ask for compiles.
    #[test]
    fn variants_compile() {
        let variants: [(&Family, Vec<Vec<Decl>>); 3] = [
            (&gemm::GEMM, gemm::variants()),
            (&cd::CD_WGSL, cd::variants()),
            (&sparse::SPARSE, sparse::variants()),
        ];
        for (family, list) in variants {
            for v in list {
                for precision in [Precision::F32, Precision::F64] {
                    compile(family, precision, &v);
                }
            }
        }
    }
}
