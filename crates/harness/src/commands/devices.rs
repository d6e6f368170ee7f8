//! `regpath devices`: the adapters wgpu sees.

use anyhow::Result;
use std::process::ExitCode;

pub fn run(json: bool) -> Result<ExitCode> {
    crate::gpu::print_devices(json)
}
