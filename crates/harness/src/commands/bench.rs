//! `regpath bench` (to be written).

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {}

pub fn run(_args: &BenchArgs) -> Result<ExitCode> {
    Err(crate::error::input_error(
        "regpath bench is not available yet",
    ))
}
