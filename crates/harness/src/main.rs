//! `regpath`: the CLI. Parses flags, dispatches to a command, maps errors to exit codes
//! (0 ok, 1 check/compare failed, 2 bad input, 3 no usable GPU adapter).

mod agreement;
mod cli;
mod commands;
mod engine;
mod error;
mod gpu;
mod peers;
mod plan;
mod plot;
mod results;
mod sweep;
mod table;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let outcome = match cli.command {
        cli::Command::Devices { json } => commands::devices::run(json),
        cli::Command::Path(args) => commands::path::run(&args),
        cli::Command::Check(args) => commands::check::run(&args),
        cli::Command::Bench(args) => commands::bench::run(&args),
        cli::Command::Compare(args) => commands::compare::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::Cv(args) => commands::cv::run(&args),
        cli::Command::Demo(args) => commands::demo::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("regpath: {err:#}");
            ExitCode::from(error::exit_code(&err))
        }
    }
}
