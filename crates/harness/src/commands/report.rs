//! `regpath report` (to be written).

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct ReportArgs {}

pub fn run(_args: &ReportArgs) -> Result<ExitCode> {
    Err(crate::error::input_error(
        "regpath report is not available yet",
    ))
}
