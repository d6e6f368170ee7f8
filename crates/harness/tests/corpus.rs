//! Every malformed input of `tests/corpus` through `regpath path`: X files in `x/` (with a good
//! y), y files in `y/` (with a good X). Each must exit 2 with one short message naming the file
//! (a long cell is never echoed whole) — no panic, no abort, no allocation of what a header
//! claims — and write no output.

mod common;

use common::{regpath, s};
use std::path::{Path, PathBuf};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn good(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// The longest message a malformed file may get (bytes of stderr).
const MAX_MESSAGE: usize = 400;

/// Runs `regpath path --x X --y Y --out OUT` and checks the contract for the bad `file`.
fn rejects(x: &Path, y: &Path, file: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!(
        "regpath-corpus-{}-{}.json",
        std::process::id(),
        file.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_file(&out);
    let o = regpath(&["path --x", s(x), "--y", s(y), "--out", s(&out)]);
    let err = &o.stderr;
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    if o.code != Some(2) {
        problems.push(format!("exit {:?} (want 2)", o.code));
    }
    if !err.contains(&name) {
        problems.push("the message does not name the file".into());
    }
    if err.len() > MAX_MESSAGE {
        problems.push(format!("a message of {} bytes", err.len()));
    }
    if err.contains("panicked") || err.contains("memory allocation") {
        problems.push("a panic or an abort".into());
    }
    if out.exists() {
        problems.push("an output file was written".into());
        let _ = std::fs::remove_file(&out);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {} — stderr: {}",
            problems.join(", "),
            err.trim()
        ))
    }
}

/// Every file of the corpus folder `dir` (at least `at_least` of them) is rejected as `rejects`
/// says, given as X and y by `x_and_y`.
fn all_rejected(dir: &str, at_least: usize, x_and_y: impl Fn(&Path) -> (PathBuf, PathBuf)) {
    let files = corpus(dir);
    assert!(files.len() >= at_least, "the corpus is missing");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let (x, y) = x_and_y(file);
            rejects(&x, &y, file).err()
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn item_12_every_malformed_x_is_exit_2_naming_the_file_in_a_short_message() {
    all_rejected("x", 20, |x| (x.to_path_buf(), good("good_y.csv")));
}

#[test]
fn item_12_every_malformed_y_is_exit_2_naming_the_file_in_a_short_message() {
    all_rejected("y", 6, |y| (good("good_x.csv"), y.to_path_buf()));
}

#[test]
fn the_good_pair_of_the_corpus_solves() {
    let (x, y) = (good("good_x.csv"), good("good_y.csv"));
    let o = regpath(&["path --alphas 5 --x", s(&x), "--y", s(&y)]);
    assert!(o.success(), "{}", o.stderr);
}

#[test]
fn item_12_cr_only_line_ends_are_read_as_lines() {
    let (x, y) = (good("good_x_cr_only.csv"), good("good_y.csv"));
    let o = regpath(&["path --alphas 3 --x", s(&x), "--y", s(&y)]);
    assert!(o.success(), "{}", o.stderr);
    assert!(
        o.stdout.contains("(5 samples × 3 features)"),
        "{}",
        o.stdout
    );
}
