//! `regpath report F.json --out F.svg|F.html|F.md|F.csv`: plots a results file (time per case,
//! time vs p and n, accuracy vs time, speedup over cpu-cd); HTML adds the environment and the
//! tables; `.md` and `.csv` are the tables alone, to paste or to load.

use crate::cli::ReportArgs;
use crate::error::input_error;
use crate::output::check_outputs;
use crate::report::write_report;
use crate::results;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg" | "html" | "htm" | "md" | "csv")) {
        return Err(input_error(format!(
            "--out {}: the report is written as .svg or .html (charts), .md or .csv (tables)",
            args.out.display()
        )));
    }
    check_outputs([args.out.as_path()])?;
    let file = results::read(&args.file)?;
    if file.cases.is_empty() {
        return Err(input_error(format!(
            "{} has no cases to plot",
            args.file.display()
        )));
    }
    write_report(&file, &args.file, &args.out)?;
    println!(
        "wrote {} ({} cases of suite {})",
        args.out.display(),
        file.cases.len(),
        file.suite
    );
    Ok(ExitCode::SUCCESS)
}
