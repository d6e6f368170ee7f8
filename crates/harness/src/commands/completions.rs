//! `regpath completions SHELL`: the shell completion script clap_complete generates from the
//! command-line definition (so it never drifts from the flags).

use crate::cli::Cli;
use anyhow::Result;
use clap::CommandFactory;
use std::process::ExitCode;

/// Writes the completion script for `shell` to stdout.
pub fn run(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "regpath", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::CommandFactory;

    /// The bash script completes the subcommands and a flag of each of `path` and `bench`.
    #[test]
    fn the_bash_script_knows_the_commands_and_their_flags() {
        let mut out = Vec::new();
        clap_complete::generate(
            clap_complete::Shell::Bash,
            &mut Cli::command(),
            "regpath",
            &mut out,
        );
        let script = String::from_utf8(out).unwrap();
        for word in [
            "path",
            "bench",
            "devices",
            "--calibrate",
            "--synthetic",
            "--tols",
            "--model",
        ] {
            assert!(script.contains(word), "no {word} in the completion script");
        }
    }
}
