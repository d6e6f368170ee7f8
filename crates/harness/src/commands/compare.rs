//! `regpath compare` (to be written).

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct CompareArgs {}

pub fn run(_args: &CompareArgs) -> Result<ExitCode> {
    Err(crate::error::input_error(
        "regpath compare is not available yet",
    ))
}
