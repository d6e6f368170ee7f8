//! `regpath`: the CLI. Parses flags, dispatches to a command, maps errors to exit codes
//! (0 ok, 1 check/compare failed, 2 bad input, 3 no usable GPU adapter).

use clap::Parser;
use regpath_harness::cli::{Cli, Command};
use regpath_harness::{commands, error};
use std::process::ExitCode;

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Devices { json } => commands::devices::run(json),
        Command::Path(args) => commands::path::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Bench(args) => commands::bench::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Cv(args) => commands::cv::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("regpath: {err:#}");
            ExitCode::from(error::exit_code(&err))
        }
    }
}
