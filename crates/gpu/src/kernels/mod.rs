//! Kernel families, one module per `shaders/<family>.wgsl`: each declares its entry points with
//! their bind-group layouts and builds [`Op`](crate::context::Op)s with the right dimensions.

pub(crate) mod cd;
pub(crate) mod folds;
pub(crate) mod gemm;
pub(crate) mod logistic;
pub(crate) mod prox;
pub(crate) mod reduce;

use crate::context::Bind;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Kernel;

    /// `(binding, kind)` of every `@group(0) @binding(N) var<…>` declaration in `wgsl`.
    fn declared(wgsl: &str) -> Vec<(u32, Bind)> {
        wgsl.lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("@group(0) @binding(")?;
                let (n, rest) = rest.split_once(')')?;
                let kind = if rest.contains("var<uniform>") {
                    Bind::Uniform
                } else if rest.contains("var<storage, read_write>") {
                    Bind::Write
                } else if rest.contains("var<storage, read>") {
                    Bind::Read
                } else {
                    return None;
                };
                Some((n.trim().parse().ok()?, kind))
            })
            .collect()
    }

    /// The binding tables written in Rust agree with the WGSL: every entry point exists, and
    /// every binding a kernel passes is declared in its family's source with the same access.
    #[test]
    fn binding_tables_match_the_wgsl() {
        let all: Vec<&Kernel> = [
            cd::KERNELS,
            folds::KERNELS,
            gemm::KERNELS,
            logistic::KERNELS,
            prox::KERNELS,
            reduce::KERNELS,
        ]
        .concat();
        assert_eq!(all.len(), 25);
        let mut problems = Vec::new();
        for k in all {
            let wgsl = if k.family.name == gemm::GEMM.name {
                gemm::wgsl_of(k)
            } else {
                k.family.wgsl()
            };
            if !wgsl.contains(&format!("fn {}(", k.entry)) {
                problems.push(format!("{}: no entry point {}", k.family.name, k.entry));
            }
            let decl = declared(&wgsl);
            for &(n, kind) in k.binds {
                match decl.iter().find(|(m, _)| *m == n) {
                    None => problems.push(format!(
                        "{}::{}: binding {n} is not declared in the WGSL",
                        k.family.name, k.entry
                    )),
                    Some((_, d)) if std::mem::discriminant(d) != std::mem::discriminant(&kind) => {
                        problems.push(format!(
                            "{}::{}: binding {n} is {kind:?} in Rust, {d:?} in the WGSL",
                            k.family.name, k.entry
                        ))
                    }
                    _ => {}
                }
            }
            let mut seen: Vec<u32> = k.binds.iter().map(|b| b.0).collect();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() != k.binds.len() {
                problems.push(format!(
                    "{}::{}: a binding listed twice",
                    k.family.name, k.entry
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
