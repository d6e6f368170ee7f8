//! `regpath merge A.json B.json … --out ALL.json`: joins results files of one suite — the
//! slices of a sharded sweep — into one. A case id in two files must hold the same results;
//! files from different environments are refused unless `--allow-mixed-env`.

use crate::cli::MergeArgs;
use crate::error::input_error;
use crate::output::check_outputs;
use crate::results::{self, ResultsFile};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: &MergeArgs) -> Result<ExitCode> {
    check_outputs([args.out.as_path()])?;
    let mut merged: Option<ResultsFile> = None;
    for path in &args.files {
        let f = results::read(path)?;
        let Some(all) = merged.as_mut() else {
            merged = Some(f);
            continue;
        };
        if f.suite != all.suite {
            return Err(input_error(format!(
                "{} holds suite {:?}, the others {:?}: only one suite's files merge",
                path.display(),
                f.suite,
                all.suite
            )));
        }
        let (a, b) = (&all.environment, &f.environment);
        if (a.cpu != b.cpu || a.threads != b.threads || a.adapter != b.adapter)
            && !args.allow_mixed_env
        {
            return Err(input_error(format!(
                "{} was measured in another environment (cpu {:?} × {} threads vs {:?} × {}); timings would not compare — pass --allow-mixed-env to merge anyway",
                path.display(),
                b.cpu,
                b.threads,
                a.cpu,
                a.threads
            )));
        }
        for c in f.cases {
            match all.case(&c.id) {
                None => all.cases.push(c),
                Some(existing) if *existing == c => {}
                Some(_) => {
                    return Err(input_error(format!(
                        "case {} is in {} and in an earlier file with different results: one sweep per case id",
                        c.id,
                        path.display()
                    )))
                }
            }
        }
    }
    let all = merged.expect("clap requires at least one file");
    all.write(&args.out)?;
    println!(
        "wrote {} ({} cases of suite {} from {} files)",
        args.out.display(),
        all.cases.len(),
        all.suite,
        args.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
