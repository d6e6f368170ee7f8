//! Every malformed input of `tests/corpus` through `regpath path`: X files in `x/` (with a good
//! y), y files in `y/` (with a good X). Each must exit 2 with a message naming the file — no
//! panic, no abort, no allocation of what a header claims — and write no output.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Runs `regpath path --x X --y Y --out OUT` and checks the contract for the bad `file`.
fn rejects(x: &Path, y: &Path, file: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!(
        "regpath-corpus-{}-{}.json",
        std::process::id(),
        file.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_file(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_regpath"))
        .args(["path", "--x"])
        .arg(x)
        .arg("--y")
        .arg(y)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run regpath");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    if o.status.code() != Some(2) {
        problems.push(format!("exit {:?} (want 2)", o.status.code()));
    }
    if !err.contains(&name) {
        problems.push("the message does not name the file".into());
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

#[test]
fn every_malformed_x_is_exit_2_naming_the_file() {
    let x_files = corpus("x");
    assert!(x_files.len() >= 20, "the corpus is missing");
    let failures: Vec<String> = x_files
        .iter()
        .filter_map(|x| rejects(x, &good("good_y.csv"), x).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_malformed_y_is_exit_2_naming_the_file() {
    let y_files = corpus("y");
    assert!(y_files.len() >= 6, "the corpus is missing");
    let failures: Vec<String> = y_files
        .iter()
        .filter_map(|y| rejects(&good("good_x.csv"), y, y).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_good_pair_of_the_corpus_solves() {
    let o = Command::new(env!("CARGO_BIN_EXE_regpath"))
        .args(["path", "--alphas", "5", "--x"])
        .arg(good("good_x.csv"))
        .arg("--y")
        .arg(good("good_y.csv"))
        .output()
        .expect("run regpath");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
