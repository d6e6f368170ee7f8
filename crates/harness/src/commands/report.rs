//! `regpath report F.json --out F.svg|F.html`: plots a results file (time per case, time vs p,
//! time vs n, speedup over cpu-cd); HTML adds the environment and the table of cases.

use crate::error::input_error;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct ReportArgs {
    /// A results file written by `regpath bench`
    #[arg(value_name = "F.json")]
    pub file: PathBuf,
    /// Output: .svg (the charts stacked) or .html (charts inline plus the table)
    #[arg(long, value_name = "F.svg|F.html")]
    pub out: PathBuf,
}

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg" | "html" | "htm")) {
        return Err(input_error(format!(
            "--out {}: the report is written as .svg or .html",
            args.out.display()
        )));
    }
    crate::sweep::check_writable(&args.out)?;
    let file = crate::results::read(&args.file)?;
    if file.cases.is_empty() {
        return Err(input_error(format!(
            "{} has no cases to plot",
            args.file.display()
        )));
    }
    crate::plot::write_report(&file, &args.file, &args.out)?;
    println!(
        "wrote {} ({} cases of suite {})",
        args.out.display(),
        file.cases.len(),
        file.suite
    );
    Ok(ExitCode::SUCCESS)
}
