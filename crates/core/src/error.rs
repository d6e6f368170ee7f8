//! Typed errors for bad input: each names the file, line, column or argument at fault.

use std::path::PathBuf;

/// Bad input data or parameters. Every variant is a user error (CLI exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: not a readable NPY array: {msg}")]
    Npy { path: PathBuf, msg: String },
    #[error("{path}:{line}:{column}: {msg}")]
    Csv {
        path: PathBuf,
        line: usize,
        column: usize,
        msg: String,
    },
    #[error("{path}: {msg}")]
    Shape { path: PathBuf, msg: String },
    /// A svmlight/libsvm text file at `line` and `column` (1-based).
    #[error("{path}:{line}:{column}: {msg}")]
    Svmlight {
        path: PathBuf,
        line: usize,
        column: usize,
        msg: String,
    },
    /// A scipy `save_npz` file; `msg` names the array and the index.
    #[error("{path}: {msg}")]
    Npz { path: PathBuf, msg: String },
    #[error("{what} has a non-finite value ({value}) at {at}")]
    NonFinite {
        what: &'static str,
        value: f64,
        at: String,
    },
    #[error("{0}")]
    Mismatch(String),
    #[error("empty data: {0}")]
    Empty(String),
    #[error("invalid {name} = {value}: {why}")]
    Invalid {
        name: &'static str,
        value: String,
        why: String,
    },
}

impl DataError {
    /// An invalid parameter `name` with its `value` and the reason.
    pub fn invalid(name: &'static str, value: impl ToString, why: impl Into<String>) -> Self {
        DataError::Invalid {
            name,
            value: value.to_string(),
            why: why.into(),
        }
    }
}
