"""Path, logistic path and cross-validation functions on scikit-learn's scales and names.

Every function checks its inputs here (array kinds and shapes) and hands the arrays, without
copying float32/float64 ones, to the native module, which validates the rest with the CLI's
messages, solves with the GIL released and certifies every alpha in f64.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _regpath

__all__ = [
    "ConvergenceWarning",
    "CVResult",
    "NoGpuError",
    "certify",
    "cross_validate",
    "devices",
    "enet_path",
    "lasso_path",
    "logistic_path",
    "synthetic",
]

NoGpuError = _regpath.NoGpuError
DEFAULT_MAX_ITER: int = _regpath.DEFAULT_MAX_ITER

ArrayLike = Any
Certificates = Dict[str, Any]


class ConvergenceWarning(UserWarning):
    """Some alphas stopped (max_iter, or stalled progress) before reaching tol.

    The message names the worst certified relative duality gap among them, as the CLI's
    warning does; their ``converged`` flags are False.
    """


def _is_sparse(a: Any) -> bool:
    return type(a).__module__.startswith("scipy.sparse")


def _real_array(a: Any, name: str) -> np.ndarray:
    """`a` as an ndarray of real numbers: float32/float64 untouched (no copy), integers and
    booleans converted to float64, object arrays of numbers converted; TypeError otherwise."""
    if _is_sparse(a):
        raise TypeError(f"{name} is a scipy.sparse matrix: pass a dense array")
    arr = np.asarray(a)
    if arr.dtype in (np.float64, np.float32):
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "O":
        return arr.astype(np.float64)  # TypeError/ValueError names the element that is no number
    raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")


def _sparse_x(X: Any) -> Tuple[int, int, np.ndarray, np.ndarray, np.ndarray]:
    """A scipy.sparse X as the native module takes it: its CSC arrays ``(n, p, indptr,
    indices, data)``, int64/int64/float64, indices sorted and duplicates summed (scipy's
    canonical form). The values are never densified; a CSC float64 matrix in canonical form
    is handed over as it is, other formats are converted once."""
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples × n_features), got shape {X.shape}")
    if X.dtype.kind == "c":
        raise TypeError(f"X must hold real numbers, got dtype {X.dtype}")
    csc = X.tocsc()
    if not csc.has_canonical_format:
        csc = csc.copy()
        csc.sum_duplicates()
    n, p = csc.shape
    return (
        int(n),
        int(p),
        np.asarray(csc.indptr, dtype=np.int64),
        np.asarray(csc.indices, dtype=np.int64),
        np.asarray(csc.data, dtype=np.float64),
    )


def _check_x(X: ArrayLike) -> Any:
    """Dense X as an ndarray (see `_real_array`), sparse X as its CSC arrays (`_sparse_x`)."""
    if _is_sparse(X):
        return _sparse_x(X)
    X = _real_array(X, "X")
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D (n_samples × n_features), got a {X.ndim}-D array of shape {X.shape}; "
            "reshape a single feature with X.reshape(-1, 1)"
        )
    return X


def _check_y(y: ArrayLike) -> np.ndarray:
    y = _real_array(y, "y")
    if y.ndim != 1:
        raise ValueError(
            f"y must be 1-D (n_samples,), got a {y.ndim}-D array of shape {y.shape}"
        )
    if y.dtype not in (np.float64, np.float32, np.int64, np.int32):
        y = y.astype(np.float64)
    return y


def _check_alphas(alphas: Optional[ArrayLike]) -> Optional[List[float]]:
    if alphas is None:
        return None
    a = _real_array(alphas, "alphas")
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim != 1:
        raise ValueError(f"alphas must be 1-D, got a {a.ndim}-D array")
    return [float(v) for v in a]


def _quiet_headless_vulkan() -> None:
    """Mesa's Vulkan driver complains on every device open when XDG_RUNTIME_DIR is unset
    (headless machines); point it at a private directory first, as the CLI does."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current and os.path.isdir(current):
        return
    uid = getuid()
    path = os.path.join(tempfile.gettempdir(), f"regpath-runtime-{uid}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return
    if os.path.isdir(path) and os.stat(path).st_uid == uid:
        os.environ["XDG_RUNTIME_DIR"] = path


def _native_path(
    X: ArrayLike, y: ArrayLike, loss: str, alphas: Optional[ArrayLike], solver: str, **kw: Any
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Certificates]:
    X, y = _check_x(X), _check_y(y)
    if isinstance(solver, str) and solver.startswith("gpu"):
        _quiet_headless_vulkan()
    out = _regpath.path(X, y, loss=loss, alphas=_check_alphas(alphas), solver=solver, **kw)
    return _unpack_path(out, stacklevel=4)


def _unpack_path(
    out: Dict[str, Any], stacklevel: int
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Certificates]:
    for message in out.pop("warnings"):
        warnings.warn(message, ConvergenceWarning, stacklevel=stacklevel)
    alphas, coefs, intercepts = out.pop("alphas"), out.pop("coefs"), out.pop("intercepts")
    return alphas, coefs, intercepts, out


def enet_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    l1_ratio: float = 1.0,
    alphas: Optional[ArrayLike] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: Optional[float] = None,
    max_iter: int = DEFAULT_MAX_ITER,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Certificates]:
    """Elastic-net path, every alpha certified by an f64 duality gap.

    Minimizes, for each alpha (scikit-learn's ``ElasticNet`` scale, glmnet's ``lambda``)::

        1/(2n) ||y - X b - b0||^2 + alpha * (l1_ratio ||b||_1 + (1 - l1_ratio)/2 ||b||^2)

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        float64 or float32, C- or Fortran-ordered, used without a copy on the Python side
        (the solver makes one column-major f64 copy); integer arrays are converted.
    y : ndarray of shape (n_samples,)
        Targets.
    l1_ratio : float, default=1.0
        Mix of L1 and L2 in [0, 1]: 1 is the Lasso, 0 Ridge.
    alphas : array-like, optional
        The alphas to solve (solved and returned in decreasing order). Default: ``n_alphas``
        alphas geometric from alpha_max down to ``eps * alpha_max``.
    n_alphas : int, default=100
        Length of the default grid.
    eps : float, default=1e-3
        Smallest alpha of the default grid over alpha_max.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (X and y centered, as scikit-learn does).
    standardize : bool, default=False
        Solve on columns of unit standard deviation (glmnet's default); coefficients come
        back on X's original scale either way.
    tol : float, optional
        Duality gap relative to ||y - mean(y)||^2 / n. Default 1e-7, 1e-5 for f32 GPU solves.
    max_iter : int, default=100000
        Epochs (coordinate descent) or iterations (FISTA) per alpha.
    solver : {"cpu-cd", "cpu-fista", "gpu-cd", "gpu-fista"}, default="cpu-cd"
        ``cpu-cd`` is pathwise coordinate descent (ridge by SVD); the GPU solvers solve many
        alphas at once on the adapter wgpu finds.
    precision : {"f64", "f32"}, optional
        GPU arithmetic (default f32; f64 where the adapter has it). CPU solvers are f64.
    threads : int, optional
        CPU threads (default: all cores; 1 is single-threaded).
    adapter : str, optional
        GPU adapter by index or name, as listed by :func:`devices`.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        Decreasing.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients on X's scale, as scikit-learn's ``enet_path``.
    intercepts : ndarray of shape (n_alphas,)
        0 without ``fit_intercept``.
    certificates : dict
        Per alpha (arrays of length n_alphas): ``gaps`` (duality gap), ``rel_gaps`` (on the
        scale of ``tol``), ``kkt`` (largest KKT violation), ``primal``, ``dual``, ``nnz``,
        ``n_iter``, ``converged``; and ``tol``, ``seconds`` (the solve alone), ``solver``,
        ``precision``, ``adapter`` (None on the CPU) and ``counters`` (work done).

    Raises
    ------
    ValueError
        Bad data or parameters (the message is the CLI's, naming the argument).
    TypeError
        X or y is not an array of real numbers.
    NoGpuError
        A GPU solver found no usable adapter.

    Warns
    -----
    ConvergenceWarning
        Alphas that stopped before ``tol``; their ``converged`` flag is False.

    Examples
    --------
    >>> import numpy as np, regpath
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 10)); y = X[:, 0] - 2 * X[:, 1]
    >>> alphas, coefs, intercepts, cert = regpath.enet_path(X, y, l1_ratio=0.7, n_alphas=20)
    >>> coefs.shape, bool(cert["rel_gaps"].max() <= 1e-7)
    ((10, 20), True)
    """
    return _native_path(
        X,
        y,
        "squared",
        alphas,
        solver,
        l1_ratio=l1_ratio,
        n_alphas=n_alphas,
        eps=eps,
        fit_intercept=fit_intercept,
        standardize=standardize,
        tol=tol,
        max_iter=max_iter,
        precision=precision,
        threads=threads,
        adapter=adapter,
    )


def lasso_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    alphas: Optional[ArrayLike] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: Optional[float] = None,
    max_iter: int = DEFAULT_MAX_ITER,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Certificates]:
    """Lasso path: :func:`enet_path` with ``l1_ratio=1``.

    Minimizes ``1/(2n) ||y - X b - b0||^2 + alpha ||b||_1`` for each alpha; the parameters,
    returns and errors are those of :func:`enet_path`.

    Examples
    --------
    >>> import numpy as np, regpath
    >>> X = np.random.default_rng(1).standard_normal((40, 8)); y = X @ np.arange(8.0)
    >>> alphas, coefs, _, cert = regpath.lasso_path(X, y, n_alphas=5)
    >>> int(cert["nnz"][0]), coefs.shape
    (0, (8, 5))
    """
    return _native_path(
        X,
        y,
        "squared",
        alphas,
        solver,
        l1_ratio=1.0,
        n_alphas=n_alphas,
        eps=eps,
        fit_intercept=fit_intercept,
        standardize=standardize,
        tol=tol,
        max_iter=max_iter,
        precision=precision,
        threads=threads,
        adapter=adapter,
    )


def logistic_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    l1_ratio: float = 1.0,
    alphas: Optional[ArrayLike] = None,
    Cs: Optional[ArrayLike] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: Optional[float] = None,
    max_iter: int = DEFAULT_MAX_ITER,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Certificates]:
    """L1/L2/elastic-net logistic regression path, every alpha certified.

    Minimizes, for labels y in {0, 1} and s_i = 2 y_i - 1 (glmnet's binomial scale)::

        1/n sum_i log(1 + exp(-s_i (x_i b + b0))) + alpha * (l1_ratio ||b||_1 + (1 - l1_ratio)/2 ||b||^2)

    scikit-learn's ``LogisticRegression(C=C)`` is ``alpha = 1 / (n C)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        As in :func:`enet_path`.
    y : ndarray of shape (n_samples,)
        Labels 0 and 1 (integer, boolean or float).
    l1_ratio : float, default=1.0
        1 is L1-penalized, 0 L2 (ridge) logistic regression.
    alphas : array-like, optional
        The alphas (decreasing); default: the grid from alpha_max (``n_alphas``, ``eps``).
    Cs : array-like, optional
        scikit-learn's inverse regularization strengths instead of ``alphas``
        (``alpha = 1 / (n C)``); the returned alphas are still regpath's.
    n_alphas, eps, fit_intercept, standardize, max_iter, precision, threads, adapter
        As in :func:`enet_path`.
    tol : float, optional
        Duality gap relative to the null deviance per sample. Default 1e-7 (1e-5 f32 GPU).
    solver : {"cpu-cd", "gpu-fista"}, default="cpu-cd"
        ``cpu-cd`` is proximal Newton with inner coordinate descent; ``gpu-fista`` batched
        FISTA over all alphas on the GPU.

    Returns
    -------
    alphas, coefs, intercepts, certificates
        As in :func:`enet_path`.

    Examples
    --------
    >>> import numpy as np, regpath
    >>> rng = np.random.default_rng(2)
    >>> X = rng.standard_normal((80, 5)); y = (X[:, 0] + rng.standard_normal(80) > 0).astype(int)
    >>> alphas, coefs, b0, cert = regpath.logistic_path(X, y, n_alphas=10)
    >>> bool(cert["converged"].all())
    True
    """
    if Cs is not None:
        if alphas is not None:
            raise ValueError("pass alphas or Cs, not both")
        C = np.atleast_1d(_real_array(Cs, "Cs")).astype(np.float64)
        with np.errstate(divide="ignore"):
            alphas = 1.0 / (np.shape(X)[0] * C)
    return _native_path(
        X,
        y,
        "logistic",
        alphas,
        solver,
        l1_ratio=l1_ratio,
        n_alphas=n_alphas,
        eps=eps,
        fit_intercept=fit_intercept,
        standardize=standardize,
        tol=tol,
        max_iter=max_iter,
        precision=precision,
        threads=threads,
        adapter=adapter,
    )


@dataclass
class CVResult:
    """What :func:`cross_validate` returns.

    Attributes
    ----------
    metric : str
        ``"mse"`` (squared loss) or ``"deviance"`` (logistic loss, mean binomial deviance).
    alphas : ndarray of shape (n_alphas,)
        The full data's grid, decreasing.
    mean, std, se : ndarray of shape (n_alphas,)
        Mean validation error over the folds, its population standard deviation, and its
        standard error (sample std / sqrt(folds), glmnet's cvsd).
    fold_errors : ndarray of shape (folds, n_alphas)
        Validation error of every fold.
    alpha_min : float
        The alpha of the smallest mean error.
    alpha_1se : float
        The largest alpha whose mean error is within one standard error of the minimum.
    index_min, index_1se : int
        Their positions in ``alphas``.
    coef, intercept : ndarray of shape (n_features,), float
        The refit on all samples at ``alpha_min`` (X's scale).
    coef_1se, intercept_1se : ndarray of shape (n_features,), float
        The refit at ``alpha_1se`` (on the same warm-started refit path).
    refit : dict
        The certified refit on all samples along the whole grid: ``alphas``, ``coefs``
        (n_features × n_alphas), ``intercepts`` and the certificates of :func:`enet_path`.
    folds : int
    seconds : float
        Wall time of the whole cross-validation.
    max_fold_gap : float
        Worst certified relative duality gap over every fold's path.
    """

    metric: str
    alphas: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    se: np.ndarray
    fold_errors: np.ndarray
    alpha_min: float
    alpha_1se: float
    index_min: int
    index_1se: int
    coef: np.ndarray
    intercept: float
    coef_1se: np.ndarray
    intercept_1se: float
    refit: Dict[str, Any]
    folds: int
    seconds: float
    max_fold_gap: float


def cross_validate(
    X: ArrayLike,
    y: ArrayLike,
    *,
    loss: str = "squared",
    l1_ratio: float = 1.0,
    alphas: Optional[ArrayLike] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    folds: int = 5,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: Optional[float] = None,
    max_iter: int = DEFAULT_MAX_ITER,
    solver: str = "cpu-cd",
    precision: Optional[str] = None,
    threads: Optional[int] = None,
    adapter: Optional[str] = None,
) -> CVResult:
    """k-fold cross-validation along the path, as ``regpath cv``.

    Folds are contiguous and unshuffled (scikit-learn's ``KFold()``); the alpha grid comes
    from the full data (as ``LassoCV``); each training fold is centered and standardized on
    its own. On the GPU all folds are solved in one batch. All samples are then refit along
    the whole grid; every fold path and the refit are certified in f64.

    Parameters
    ----------
    X, y
        As in :func:`enet_path` (:func:`logistic_path` for ``loss="logistic"``).
    loss : {"squared", "logistic"}, default="squared"
    folds : int, default=5
        Number of folds, between 2 and n_samples.
    l1_ratio, alphas, n_alphas, eps, fit_intercept, standardize, tol, max_iter, solver, precision, threads, adapter
        As in :func:`enet_path`.

    Returns
    -------
    CVResult

    Examples
    --------
    >>> import numpy as np, regpath
    >>> rng = np.random.default_rng(3)
    >>> X = rng.standard_normal((60, 12)); y = X[:, :3].sum(axis=1) + 0.5 * rng.standard_normal(60)
    >>> cv = regpath.cross_validate(X, y, n_alphas=30)
    >>> bool(cv.alpha_1se >= cv.alpha_min), cv.fold_errors.shape
    (True, (5, 30))
    """
    X, y = _check_x(X), _check_y(y)
    if isinstance(solver, str) and solver.startswith("gpu"):
        _quiet_headless_vulkan()
    out = _regpath.cross_validate(
        X,
        y,
        loss=loss,
        l1_ratio=l1_ratio,
        alphas=_check_alphas(alphas),
        n_alphas=n_alphas,
        eps=eps,
        folds=folds,
        fit_intercept=fit_intercept,
        standardize=standardize,
        tol=tol,
        max_iter=max_iter,
        solver=solver,
        precision=precision,
        threads=threads,
        adapter=adapter,
    )
    refit = out["refit"]
    r_alphas, r_coefs, r_intercepts, r_cert = _unpack_path(refit, stacklevel=3)
    i_min, i_1se = out["index_min"], out["index_1se"]
    return CVResult(
        metric=out["metric"],
        alphas=out["alphas"],
        mean=out["mean"],
        std=out["std"],
        se=out["se"],
        fold_errors=out["fold_errors"],
        alpha_min=out["alpha_min"],
        alpha_1se=out["alpha_1se"],
        index_min=i_min,
        index_1se=i_1se,
        coef=r_coefs[:, i_min].copy(),
        intercept=float(r_intercepts[i_min]),
        coef_1se=r_coefs[:, i_1se].copy(),
        intercept_1se=float(r_intercepts[i_1se]),
        refit=dict(alphas=r_alphas, coefs=r_coefs, intercepts=r_intercepts, **r_cert),
        folds=out["folds"],
        seconds=out["seconds"],
        max_fold_gap=out["max_fold_gap"],
    )


def synthetic(
    kind: str,
    *,
    n: int = 100,
    p: int = 1000,
    informative: Optional[int] = None,
    rho: Optional[float] = None,
    noise: Optional[float] = None,
    seed: int = 0,
) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """The CLI's synthetic data (``regpath path --synthetic KIND --n N --p P ...``): the same
    generators and seeds, so the same X and y as the CLI's runs and benchmarks.

    Parameters
    ----------
    kind : {"regression", "gene", "classification", "text"}
        ``regression``: Gaussian X, ``informative`` non-zero coefficients, Gaussian noise;
        ``gene``: gene-expression-like X with AR(1) correlation ``rho`` between neighbouring
        columns; ``classification``: the regression design with 0/1 labels; ``text``: a
        sparse TF-IDF corpus of n documents over p words (Zipf word frequencies, unit-norm
        rows, about 0.5 % non-zero at p = 10,000) with 0/1 spam labels from ``informative``
        spam words (default 30), returned as a ``scipy.sparse.csc_matrix`` (needs scipy).
    n, p : int
        Samples and features.
    informative : int, optional
        Non-zero true coefficients (default: regression 10, gene and classification 20).
    rho : float, optional
        Correlation of neighbouring columns (``gene`` only; default 0.5).
    noise : float, optional
        Noise standard deviation (``regression`` only; default 1).
    seed : int, default=0

    Returns
    -------
    X : ndarray of shape (n, p), Fortran-ordered float64 (``text``: scipy.sparse.csc_matrix)
    y : ndarray of shape (n,)
    coef : ndarray of shape (p,) or None
        The generating coefficients.

    Examples
    --------
    >>> import regpath
    >>> X, y, coef = regpath.synthetic("gene", n=50, p=200, seed=1)
    >>> X.shape, X.flags.f_contiguous, int((coef != 0).sum())
    ((50, 200), True, 20)
    """
    X, y, coef = _regpath.synthetic(
        kind, n=n, p=p, informative=informative, rho=rho, noise=noise, seed=seed
    )
    if isinstance(X, tuple):
        try:
            import scipy.sparse
        except ImportError as e:  # pragma: no cover - scipy is there wherever tests run
            raise ImportError(
                f"synthetic({kind!r}) returns a scipy.sparse matrix: pip install scipy"
            ) from e
        rows, cols, indptr, indices, data = X
        X = scipy.sparse.csc_matrix((data, indices, indptr), shape=(rows, cols))
    return X, y, coef


def certify(
    X: ArrayLike,
    y: ArrayLike,
    coef: ArrayLike,
    intercept: float,
    alpha: float,
    *,
    loss: str = "squared",
    l1_ratio: float = 1.0,
    fit_intercept: bool = True,
) -> Dict[str, Any]:
    """The f64 certificate regpath judges its own solvers by, for any coefficients (e.g.
    another library's) at one alpha.

    The problem is regpath's (see :func:`enet_path`, :func:`logistic_path`) on X's columns as
    given; scikit-learn's ``LogisticRegression(C=C)`` is ``alpha = 1 / (n_samples * C)``.

    Parameters
    ----------
    X : {ndarray, scipy.sparse matrix} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    coef : ndarray of shape (n_features,)
    intercept : float
        With ``fit_intercept``, the certificate is for ``coef`` with its best intercept (squared
        loss: the centering; logistic loss: a 1-D Newton solve from ``intercept``).
    alpha : float
    loss : {"squared", "logistic"}
    l1_ratio : float, default=1.0
    fit_intercept : bool, default=True

    Returns
    -------
    dict
        ``primal`` (the objective at coef), ``dual`` (a dual-feasible value), ``gap`` (their
        difference: an upper bound on the suboptimality), ``rel_gap`` (gap over ‖y − ȳ‖²/n or
        the null deviance per sample), ``kkt`` (largest violation) and ``nnz``.

    Examples
    --------
    >>> import numpy as np, regpath
    >>> X, y, _ = regpath.synthetic("regression", n=40, p=10, seed=0)
    >>> alphas, coefs, _, cert = regpath.lasso_path(X, y, alphas=[0.5], tol=1e-10)
    >>> c = regpath.certify(X, y, coefs[:, 0], 0.0, 0.5)
    >>> bool(c["rel_gap"] <= 1e-10), bool(regpath.certify(X, y, np.zeros(10), 0.0, 0.5)["gap"] > 0)
    (True, True)
    """
    X, y = _check_x(X), _check_y(y)
    coef = np.ravel(_real_array(coef, "coef")).astype(np.float64)
    return _regpath.certify(
        X,
        y,
        [float(c) for c in coef],
        float(intercept),
        float(alpha),
        loss=loss,
        l1_ratio=float(l1_ratio),
        fit_intercept=bool(fit_intercept),
    )


def devices() -> List[Dict[str, Any]]:
    """The GPU adapters wgpu sees (``regpath devices --json``).

    Returns
    -------
    list of dict
        Per adapter: ``index``, ``name``, ``backend``, ``device_type``, ``driver``,
        ``driver_info``, ``f64`` (SHADER_F64), ``subgroups`` and ``limits``. Empty when none
        is usable (the GPU solvers then raise :class:`NoGpuError` naming the fix).
    """
    _quiet_headless_vulkan()
    return _regpath.devices()
