"""Type stubs of the native module ``regpath._regpath`` (Rust, PyO3); the public, documented
functions are in ``regpath`` (``enet_path``, ``logistic_path``, ``cross_validate``, ``devices``)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

DEFAULT_MAX_ITER: int

class NoGpuError(RuntimeError):
    """No usable GPU adapter: the message names the missing driver and the fix."""

#: X as the native functions take it: a dense array, or a sparse matrix's CSC arrays
#: ``(n, p, indptr, indices, data)`` (int64, int64, float64; indices sorted within columns).
XArg = Any

def path(
    x: XArg,
    y: np.ndarray,
    *,
    loss: str = "squared",
    l1_ratio: float = 1.0,
    alphas: Optional[Sequence[float]] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: Optional[float] = None,
    max_iter: int = ...,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> Dict[str, Any]:
    """A certified path: ``alphas``, ``coefs`` (n_features × n_alphas), ``intercepts``, the
    per-alpha certificate arrays (``gaps``, ``rel_gaps``, ``kkt``, ``primal``, ``dual``,
    ``nnz``, ``n_iter``, ``converged``), ``tol``, ``seconds``, ``solver``, ``precision``,
    ``adapter``, ``counters`` and ``warnings`` (list of str)."""

def cross_validate(
    x: XArg,
    y: np.ndarray,
    *,
    loss: str = "squared",
    l1_ratio: float = 1.0,
    alphas: Optional[Sequence[float]] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    folds: int = 5,
    tol: Optional[float] = None,
    max_iter: int = ...,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> Dict[str, Any]:
    """k-fold cross-validation: ``metric``, ``alphas``, ``mean``, ``std``, ``se``,
    ``fold_errors`` (folds × n_alphas), ``alpha_min``, ``alpha_1se``, ``index_min``,
    ``index_1se``, ``nnz_at_alpha_min``, ``folds``, ``seconds``, ``max_fold_gap`` and
    ``refit`` (a :func:`path` dict down to alpha_min)."""

def synthetic(
    kind: str,
    *,
    n: int = 100,
    p: int = 1000,
    informative: Optional[int] = None,
    rho: Optional[float] = None,
    noise: Optional[float] = None,
    seed: int = 0,
) -> Tuple[Any, np.ndarray, Optional[np.ndarray]]:
    """The CLI's synthetic data: X (Fortran order; ``text``: its CSC arrays
    ``(n, p, indptr, indices, data)``), y, the true coefficients."""

def certify(
    x: XArg,
    y: np.ndarray,
    coef: Sequence[float],
    intercept: float,
    alpha: float,
    *,
    loss: str = "squared",
    l1_ratio: float = 1.0,
    fit_intercept: bool = True,
) -> Dict[str, Any]:
    """The certificate of ``coef`` at ``alpha``: ``primal``, ``dual``, ``gap``, ``rel_gap``,
    ``kkt``, ``nnz``."""

def _panic_for_tests(message: str) -> None:
    """Panics on a solver thread (a test hook: the panic arrives as RuntimeError)."""

def devices() -> List[Dict[str, Any]]:
    """The adapters wgpu sees, as ``regpath devices --json``."""
