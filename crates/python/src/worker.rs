//! A solve on its own thread: the calling thread releases the GIL and waits, waking every
//! 50 ms to run Python's signal handlers, so Ctrl-C raises `KeyboardInterrupt` at once. The
//! solvers have no cancellation point: an interrupted solve finishes in the background (its
//! result is dropped) while Python goes on. A panic of the solve becomes an exception.

use crate::errors::{panic_to_py, to_py};
use pyo3::exceptions::PyRuntimeError;
use pyo3::{PyResult, Python};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// How often the waiting thread checks for signals (Ctrl-C).
const POLL: Duration = Duration::from_millis(50);

/// Runs `f` on a new thread with the GIL released and returns its result; Python signals
/// (Ctrl-C) are handled while it runs.
pub fn run<T: Send + 'static>(
    py: Python<'_>,
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> PyResult<T> {
    let (tx, rx) = channel();
    std::thread::Builder::new()
        .name("regpath-solve".into())
        .spawn(move || {
            // the receiver is gone when the caller was interrupted: the result is dropped
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a solver thread: {e}")))?;
    let mut rx: Receiver<_> = rx;
    loop {
        let (back, got) = py.detach(move || {
            let got = rx.recv_timeout(POLL);
            (rx, got)
        });
        rx = back;
        match got {
            Ok(Ok(result)) => return result.map_err(to_py),
            Ok(Err(panic)) => return Err(panic_to_py(panic)),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "regpath: the solver thread ended without a result",
                ))
            }
        }
    }
}
