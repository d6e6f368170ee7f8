//! Shared support of the end-to-end tests: running the `regpath` binary, reading what it wrote.
#![allow(dead_code)] // each test binary uses its own part

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../core/tests/support/npy.rs"]
pub mod npy;

/// An empty folder `name` under cargo's temporary folder for integration tests (emptied first,
/// so a test starts from nothing); names carry their test file's prefix to stay apart.
pub fn fresh_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A JSON array of numbers as f64s (panics, naming the value, on anything else).
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// What one run of `regpath` did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Whether the run exited with 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// stdout, then stderr.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Asserts that the run exited with `code` (showing its output if not); returns the output.
    pub fn expect(&self, code: i32) -> String {
        let text = self.text();
        assert_eq!(self.code, Some(code), "{text}");
        text
    }

    /// [`Run::expect`], and the output contains each of `needles`.
    pub fn expect_saying(&self, code: i32, needles: &[&str]) -> String {
        let text = self.expect(code);
        assert_contains(&text, needles);
        text
    }
}

/// Runs `regpath` with `args` and the variables `env` set. Each of `args` is split at whitespace,
/// so that `"--runs 1"` is two arguments; a path is one (see [`s`]).
pub fn regpath_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_regpath"))
        .args(args.iter().flat_map(|a| a.split_whitespace()))
        .envs(env.iter().copied())
        .output()
        .expect("run regpath");
    Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs `regpath` with `args` (see [`regpath_env`]).
pub fn regpath(args: &[&str]) -> Run {
    regpath_env(args, &[])
}

/// A path as one argument of [`regpath`]: one with whitespace, which it would split, is refused.
pub fn s(p: &Path) -> &str {
    let s = p.to_str().unwrap();
    assert!(
        !s.contains(char::is_whitespace),
        "a path with whitespace: {s:?}"
    );
    s
}

/// Asserts that `text` contains each of `needles`.
pub fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} is missing from:\n{text}");
    }
}

/// The JSON file at `p`.
pub fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Whether GPU tests run: an adapter opens, or REGPATH_REQUIRE_GPU=1 demands one.
pub fn gpu_present() -> bool {
    let required = std::env::var("REGPATH_REQUIRE_GPU").as_deref() == Ok("1");
    let found = regpath(&["devices"]).code == Some(0);
    if !found && !required {
        eprintln!("skipping: no GPU adapter");
    }
    found || required
}
