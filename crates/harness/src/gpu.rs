//! Glue to regpath-gpu (placeholder until the GPU crate lands: every GPU request is exit 3).

use crate::engine::{AdapterInfo, Counters};
use crate::error::NoGpu;
use crate::plan::SolverPlan;
use anyhow::Result;
use regpath_core::{Design, Path, Problem};

pub struct Gpu;

impl Gpu {
    pub fn new(_adapter: Option<&str>) -> Result<Gpu> {
        Err(NoGpu("GPU solvers are not built into this binary".into()).into())
    }
    pub fn solve(&self, _d: &Design, _p: &Problem, _plan: &SolverPlan) -> Result<(Path, Counters)> {
        unreachable!()
    }
    pub fn adapter_info(&self) -> AdapterInfo {
        AdapterInfo::default()
    }
}

pub fn print_devices(_json: bool) -> Result<std::process::ExitCode> {
    Err(NoGpu("GPU support is not built into this binary".into()).into())
}

/// Capabilities of the adapter GPU solves would use, for results metadata and for choosing
/// which GPU solvers/precisions to run; None when no adapter is usable.
pub struct GpuCaps {
    pub info: AdapterInfo,
    pub f64: bool,
}

pub fn probe(_adapter: Option<&str>) -> Option<GpuCaps> {
    None
}
