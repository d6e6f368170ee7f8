//! `regpath`: the CLI. Parses flags, dispatches to a command, maps errors to exit codes
//! (0 ok, 1 check/compare failed, 2 bad input, 3 no usable GPU adapter).

use clap::Parser;
use regpath_harness::cli::{Cli, Command};
use regpath_harness::{commands, error};
use std::process::ExitCode;

fn main() -> ExitCode {
    default_sigpipe();
    quiet_headless_vulkan();
    let outcome = match Cli::parse().command {
        Command::Devices(args) => commands::devices::run(&args),
        Command::Path(args) => commands::path::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Bench(args) => commands::bench::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Cv(args) => commands::cv::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Completions { shell } => commands::completions::run(shell),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("regpath: {err:#}");
            ExitCode::from(error::exit_code(&err))
        }
    }
}

/// `regpath path … | head` ends quietly when the reader goes away, as Unix tools do, instead of
/// panicking in `println!` on the closed pipe (Rust ignores SIGPIPE by default).
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: restores the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Mesa's Vulkan driver prints "error: XDG_RUNTIME_DIR is invalid or not set in the
/// environment." on every device open of a headless machine. Where the variable is missing or
/// not a directory, point it at a private directory first (before any thread starts).
fn quiet_headless_vulkan() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt};
        let set = std::env::var_os("XDG_RUNTIME_DIR")
            .map(std::path::PathBuf::from)
            .is_some_and(|d| d.is_dir());
        if set {
            return;
        }
        let uid = std::fs::metadata("/proc/self").map_or(0, |m| m.uid());
        let dir = std::env::temp_dir().join(format!("regpath-runtime-{uid}"));
        let made = std::fs::DirBuilder::new().mode(0o700).create(&dir);
        let ours = std::fs::metadata(&dir).is_ok_and(|m| m.is_dir() && m.uid() == uid);
        if made.is_ok() || ours {
            std::env::set_var("XDG_RUNTIME_DIR", &dir);
        }
    }
}
