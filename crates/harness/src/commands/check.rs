//! `regpath check` (to be written).

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {}

pub fn run(_args: &CheckArgs) -> Result<ExitCode> {
    Err(crate::error::input_error(
        "regpath check is not available yet",
    ))
}
