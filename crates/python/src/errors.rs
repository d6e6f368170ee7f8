//! Errors into Python exceptions: the CLI's messages, with each flag spelled as the Python
//! argument it came from (`--max-iter` → `max_iter`).
//!
//! - no usable GPU adapter (the CLI's exit 3) → `regpath.NoGpuError` (a `RuntimeError`);
//! - a device failure (`GpuError::Device`) → `RuntimeError`;
//! - anything else (the CLI's exit 2: bad data, bad parameters) → `ValueError`;
//! - a Rust panic → `RuntimeError` naming it as an internal error.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::PyErr;
use regpath_gpu::GpuError;
use regpath_harness::error::NoGpu;

pyo3::create_exception!(
    regpath,
    NoGpuError,
    PyRuntimeError,
    "No usable GPU adapter: the message names the missing driver and the fix."
);

/// The CLI's flags and the Python arguments they are (longest first where one is a prefix).
const FLAGS: [(&str, &str); 20] = [
    ("--alpha-values", "alphas"),
    ("--alphas", "n_alphas"),
    ("--eps", "eps"),
    ("--l1-ratio", "l1_ratio"),
    ("--tol", "tol"),
    ("--max-iter", "max_iter"),
    ("--precision", "precision"),
    ("--solver", "solver"),
    ("--threads", "threads"),
    ("--adapter", "adapter"),
    ("--folds", "folds"),
    ("--standardize", "standardize=True"),
    ("--no-intercept", "fit_intercept=False"),
    ("--loss", "loss"),
    ("--synthetic", "kind"),
    ("--informative", "informative"),
    ("--rho", "rho"),
    ("--noise", "noise"),
    ("--n ", "n "),
    ("--p ", "p "),
];

/// `msg` with the CLI's flags spelled as Python arguments.
pub fn pythonic(msg: &str) -> String {
    FLAGS
        .iter()
        .fold(msg.to_string(), |m, (flag, name)| m.replace(flag, name))
}

/// The Python exception for an error of a solve.
pub fn to_py(err: anyhow::Error) -> PyErr {
    let msg = pythonic(&format!("{err:#}"));
    if err.chain().any(|e| e.is::<NoGpu>()) {
        NoGpuError::new_err(msg)
    } else if err
        .chain()
        .any(|e| matches!(e.downcast_ref::<GpuError>(), Some(GpuError::Device(_))))
    {
        PyRuntimeError::new_err(msg)
    } else {
        PyValueError::new_err(msg)
    }
}

/// The Python exception for a panic that ended a solve.
pub fn panic_to_py(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    PyRuntimeError::new_err(format!(
        "regpath: internal error (a Rust panic): {what}; please report it with the call that caused it"
    ))
}
