"""Estimators with scikit-learn's API over regpath's certified solvers.

They implement scikit-learn's estimator protocol themselves (``get_params``/``set_params``,
``__sklearn_tags__``, ``__sklearn_is_fitted__``, fitted attributes ending in ``_``), so
``sklearn.base.clone``, pipelines, grid searches and ``check_estimator`` work with them, and
regpath does not depend on scikit-learn: it is imported only inside ``__sklearn_tags__``,
which only scikit-learn calls.
"""

from __future__ import annotations

import inspect
import sys
import warnings
from typing import Any, Dict, List, Optional, Union

import numpy as np

from ._paths import (
    ArrayLike,
    _is_sparse,
    _quiet_headless_vulkan,
    cross_validate,
    enet_path,
    logistic_path,
)

__all__ = [
    "DataConversionWarning",
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LogisticRegression",
    "NotFittedError",
]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` (a ValueError and an AttributeError, as
    scikit-learn's)."""


def _not_fitted_error() -> type:
    """NotFittedError, and also scikit-learn's where the caller has imported scikit-learn
    (its checks catch their own class); regpath never imports it for this."""
    sk = sys.modules.get("sklearn.exceptions")
    if sk is None:
        return NotFittedError
    global _BOTH_NOT_FITTED
    if _BOTH_NOT_FITTED is None:
        _BOTH_NOT_FITTED = type("NotFittedError", (NotFittedError, sk.NotFittedError), {})
    return _BOTH_NOT_FITTED


_BOTH_NOT_FITTED: Optional[type] = None


class DataConversionWarning(UserWarning):
    """y was a column vector and was raveled (scikit-learn's warning of the same name)."""


# -- input checks (scikit-learn's conventions, without scikit-learn) --------------------------


def _check_X(est: "_Estimator", X: ArrayLike, *, reset: bool) -> Any:
    """X as a 2-D float array (float32/float64 kept as they are) or, for a scipy.sparse X, a
    sparse CSC matrix (solved as it is stored, never densified); n_features_in_ set
    (``reset``) or checked."""
    name = type(est).__name__
    if X is None:
        raise ValueError(f"{name} requires X, got None")
    columns = getattr(X, "columns", None)
    if _is_sparse(X):
        arr = X.tocsc()
        if arr.dtype.kind == "c":
            raise ValueError("Complex data not supported")
        if arr.dtype.kind in "biu":
            arr = arr.astype(np.float64)
    else:
        arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if arr.dtype.kind in "biuO":
        arr = arr.astype(np.float64)
    elif arr.dtype not in (np.float64, np.float32):
        raise TypeError(f"X must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(
            f"Expected a 2-D array X (n_samples × n_features), got a {arr.ndim}-D array of "
            f"shape {arr.shape}. Reshape your data with X.reshape(-1, 1) for a single "
            "feature or X.reshape(1, -1) for a single sample."
        )
    n, p = arr.shape
    if n < 1:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    if p < 1:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    names = None
    if columns is not None and len(columns) == p and all(isinstance(c, str) for c in columns):
        names = np.asarray(list(columns), dtype=object)
    if reset:
        est.n_features_in_ = p
        if names is not None:
            est.feature_names_in_ = names
        elif hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
    else:
        if p != est.n_features_in_:
            raise ValueError(
                f"X has {p} features, but {name} is expecting {est.n_features_in_} features "
                "as input."
            )
        fitted = getattr(est, "feature_names_in_", None)
        if fitted is not None and names is not None and list(fitted) != list(names):
            raise ValueError(
                "The feature names should match those that were passed during fit."
            )
    return arr


def _check_finite(X: Any) -> None:
    """ValueError naming the first non-finite entry, in the CLI's words (predict; fit's data
    is checked by the solver)."""
    if _is_sparse(X):
        csc = X.tocsc()
        bad = ~np.isfinite(csc.data)
        if bad.any():
            k = int(np.argmax(bad))
            j = int(np.searchsorted(csc.indptr, k, side="right") - 1)
            v = csc.data[k]
            text = "NaN" if np.isnan(v) else ("inf" if v > 0 else "-inf")
            raise ValueError(
                f"X has a non-finite value ({text}) at row {csc.indices[k]}, column {j}"
            )
        return
    bad = ~np.isfinite(X)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        v = X[i, j]
        text = "NaN" if np.isnan(v) else ("inf" if v > 0 else "-inf")
        raise ValueError(f"X has a non-finite value ({text}) at row {i}, column {j}")


def _check_target(est: "_Estimator", y: ArrayLike) -> np.ndarray:
    """y as a 1-D array: a column vector is raveled with a DataConversionWarning."""
    name = type(est).__name__
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    if _is_sparse(y):
        raise TypeError("sparse y is not supported: pass a dense 1-D array")
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the "
            "shape of y to (n_samples, ), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"y must be 1-D (n_samples,), got shape {arr.shape}: {name} fits one target"
        )
    return arr


def _regression_target(est: "_Estimator", y: ArrayLike) -> np.ndarray:
    arr = _check_target(est, y)
    if arr.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if arr.dtype not in (np.float64, np.float32):
        arr = arr.astype(np.float64)
    return arr


def _solver(device: str, loss: str) -> str:
    if device == "cpu":
        return "cpu-cd"
    if device == "gpu":
        _quiet_headless_vulkan()
        return "gpu-cd" if loss == "squared" else "gpu-fista"
    raise ValueError(f"invalid value {device!r} for 'device' [possible values: cpu, gpu]")


def _max_iter(max_iter: Optional[int]) -> Dict[str, Any]:
    return {} if max_iter is None else {"max_iter": max_iter}


# -- the estimator protocol -------------------------------------------------------------------


class _Estimator:
    """get_params/set_params/repr/tags following scikit-learn's conventions: every
    ``__init__`` argument is stored unchanged under its own name; validation happens in fit."""

    # the parameters every estimator has, and what fit sets (annotations only: nothing is set
    # before fit)
    fit_intercept: bool
    standardize: bool
    tol: Optional[float]
    max_iter: Optional[int]
    device: str
    precision: Optional[str]
    threads: Optional[int]
    n_features_in_: int
    feature_names_in_: np.ndarray

    @classmethod
    def _param_names(cls) -> List[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """Parameters of this estimator (scikit-learn's ``get_params``).

        Parameters
        ----------
        deep : bool, default=True
            Also the parameters of parameters that are estimators (``name__param``).

        Returns
        -------
        dict
        """
        out: Dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for k, v in value.get_params().items():
                    out[f"{name}__{k}"] = v
            out[name] = value
        return out

    def set_params(self, **params: Any) -> "_Estimator":
        """Sets parameters (scikit-learn's ``set_params``; ``name__param`` for nested ones).

        Returns
        -------
        self
        """
        valid = self.get_params(deep=True)
        nested: Dict[str, Dict[str, Any]] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. Valid parameters are: "
                    f"{self._param_names()!r}."
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = []
        for name in self._param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            same = value is default or (
                type(value) is type(default) and _plain(value) and value == default
            )
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    def _check_fitted(self) -> None:
        if not self.__sklearn_is_fitted__():
            raise _not_fitted_error()(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import (  # type: ignore[import-untyped]
            InputTags,
            RegressorTags,
            Tags,
            TargetTags,
        )

        return Tags(
            estimator_type="regressor",
            input_tags=InputTags(sparse=True),
            target_tags=TargetTags(required=True),
            regressor_tags=RegressorTags(),
        )


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float, str, bool, type(None)))


class _LinearRegressor(_Estimator):
    alpha: float
    coef_: np.ndarray
    intercept_: float
    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions ``X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        self._check_fitted()
        X = _check_X(self, X, reset=False)
        _check_finite(X)
        return X @ self.coef_ + self.intercept_

    def score(self, X: ArrayLike, y: ArrayLike) -> float:
        """Coefficient of determination R² of ``predict(X)`` against ``y``.

        Returns
        -------
        float
        """
        y = _regression_target(self, y).astype(np.float64)
        residual = ((y - self.predict(X)) ** 2).sum()
        total = ((y - y.mean()) ** 2).sum()
        if total == 0.0:
            return 1.0 if residual == 0.0 else 0.0
        return float(1.0 - residual / total)

    def _fit_path(self, X: ArrayLike, y: ArrayLike, l1_ratio: float) -> None:
        X = _check_X(self, X, reset=True)
        y = _regression_target(self, y)
        alpha = self.alpha
        _, coefs, intercepts, cert = enet_path(
            X,
            y,
            l1_ratio=l1_ratio,
            alphas=[alpha],
            fit_intercept=self.fit_intercept,
            standardize=self.standardize,
            tol=self.tol,
            solver=_solver(self.device, "squared"),
            precision=self.precision,
            threads=self.threads,
            **_max_iter(self.max_iter),
        )
        self.coef_ = coefs[:, 0].copy()
        self.intercept_ = float(intercepts[0])
        self.n_iter_ = int(cert["n_iter"][0])
        self.dual_gap_ = float(cert["gaps"][0])
        self.certificate_ = {
            k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in cert.items()
        }


_COMMON_DOC = """
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    standardize : bool, default=False
        Solve on unit-variance columns (glmnet's default); ``coef_`` is on X's scale.
    tol : float, optional
        Certified duality gap relative to ||y - mean(y)||^2 / n; default 1e-7 (1e-5 for f32
        GPU solves).
    max_iter : int, optional
        Epochs (CD) or iterations (FISTA) per alpha; default 100000.
    device : {"cpu", "gpu"}, default="cpu"
        ``cpu`` is coordinate descent in f64; ``gpu`` the GPU's batched solver on the adapter
        wgpu finds (``regpath.devices()``).
    precision : {"f32", "f64"}, optional
        GPU arithmetic (default f32); CPU solves are f64.
    threads : int, optional
        CPU threads (default: all cores).
"""


class ElasticNet(_LinearRegressor):
    __doc__ = (
        """Linear regression with an elastic-net penalty, certified in f64.

    Minimizes ``1/(2n) ||y - X w - b||^2 + alpha (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2)``
    (scikit-learn's ``ElasticNet`` scale).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, > 0.
    l1_ratio : float, default=0.5
        Mix of L1 (1) and L2 (0)."""
        + _COMMON_DOC
        + """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Epochs (CD) or iterations (FISTA) the solver ran.
    dual_gap_ : float
        Certified duality gap of the solution (objective scale above).
    certificate_ : dict
        The solution's certificate: ``gaps``, ``rel_gaps``, ``kkt``, ``nnz``, ``converged``, …
    n_features_in_ : int
    """
    )

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        l1_ratio: float = 0.5,
        fit_intercept: bool = True,
        standardize: bool = False,
        tol: Optional[float] = None,
        max_iter: Optional[int] = None,
        device: str = "cpu",
        precision: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision
        self.threads = threads

    def fit(self, X: ArrayLike, y: ArrayLike) -> "ElasticNet":
        """Fits the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        self._fit_path(X, y, self.l1_ratio)
        return self


class Lasso(_LinearRegressor):
    __doc__ = (
        """Linear regression with an L1 penalty, certified in f64.

    Minimizes ``1/(2n) ||y - X w - b||^2 + alpha ||w||_1`` (scikit-learn's ``Lasso`` scale).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, > 0."""
        + _COMMON_DOC
        + """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
    dual_gap_ : float
    certificate_ : dict
    n_features_in_ : int
    """
    )

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        fit_intercept: bool = True,
        standardize: bool = False,
        tol: Optional[float] = None,
        max_iter: Optional[int] = None,
        device: str = "cpu",
        precision: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision
        self.threads = threads

    def fit(self, X: ArrayLike, y: ArrayLike) -> "Lasso":
        """Fits the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        self._fit_path(X, y, 1.0)
        return self


class _LinearCV(_LinearRegressor):
    eps: float
    n_alphas: int
    alphas: Optional[ArrayLike]
    cv: int
    def _fit_cv(self, X: ArrayLike, y: ArrayLike, l1_ratios: List[float]) -> None:
        X = _check_X(self, X, reset=True)
        y = _regression_target(self, y)
        n = X.shape[0]
        folds = self.cv
        if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)):
            raise ValueError(
                f"cv must be an int (contiguous folds, as scikit-learn's KFold()), got {folds!r}"
            )
        if folds > n:
            raise ValueError(
                f"Cannot have number of splits n_splits={folds} greater than the number of "
                f"samples: n_samples={n}."
            )
        results = []
        for r in l1_ratios:
            results.append(
                cross_validate(
                    X,
                    y,
                    l1_ratio=r,
                    alphas=self.alphas,
                    n_alphas=self.n_alphas,
                    eps=self.eps,
                    folds=int(folds),
                    fit_intercept=self.fit_intercept,
                    standardize=self.standardize,
                    tol=self.tol,
                    solver=_solver(self.device, "squared"),
                    precision=self.precision,
                    threads=self.threads,
                    **_max_iter(self.max_iter),
                )
            )
        best = int(np.argmin([res.mean[res.index_min] for res in results]))
        res = results[best]
        self.l1_ratio_ = float(l1_ratios[best])
        self.alpha_ = float(res.alpha_min)
        self.alpha_1se_ = float(res.alpha_1se)
        self.coef_ = res.coef
        self.intercept_ = res.intercept
        self.coef_1se_ = res.coef_1se
        self.intercept_1se_ = res.intercept_1se
        self.n_iter_ = int(res.refit["n_iter"][res.index_min])
        self.dual_gap_ = float(res.refit["gaps"][res.index_min])
        self.cv_result_ = res
        if len(results) == 1:
            self.alphas_ = res.alphas
            self.mse_path_ = res.fold_errors.T.copy()
        else:
            self.alphas_ = np.stack([r.alphas for r in results])
            self.mse_path_ = np.stack([r.fold_errors.T for r in results])


_CV_DOC = """
    eps : float, default=1e-3
        Smallest alpha of the grid over alpha_max.
    n_alphas : int, default=100
        Alphas on the grid.
    alphas : array-like, optional
        The alphas to cross-validate instead of the grid.
    cv : int, default=5
        Number of contiguous, unshuffled folds (scikit-learn's ``KFold(cv)``)."""

_CV_ATTRS = """
    Attributes
    ----------
    alpha_ : float
        alpha_min: the alpha of the smallest mean validation MSE.
    alpha_1se_ : float
        The largest alpha within one standard error of the minimum (glmnet's lambda.1se).
    alphas_ : ndarray of shape (n_alphas,)
    mse_path_ : ndarray of shape (n_alphas, cv)
        Validation MSE per alpha and fold.
    coef_, intercept_ : ndarray of shape (n_features,), float
        The certified refit on all samples at ``alpha_``.
    coef_1se_, intercept_1se_ : ndarray of shape (n_features,), float
        The refit at ``alpha_1se_``.
    n_iter_ : int
    dual_gap_ : float
    cv_result_ : regpath.CVResult
        The whole cross-validation (mean, std, standard error, fold errors, refit path).
    n_features_in_ : int
    """


class LassoCV(_LinearCV):
    __doc__ = (
        """Lasso with alpha chosen by k-fold cross-validation along the path.

    The grid comes from the full data; each training fold is centered (and standardized)
    on its own; all folds run in one GPU batch with ``device="gpu"``.

    Parameters
    ----------"""
        + _CV_DOC
        + _COMMON_DOC
        + _CV_ATTRS
    )

    def __init__(
        self,
        *,
        eps: float = 1e-3,
        n_alphas: int = 100,
        alphas: Optional[ArrayLike] = None,
        cv: int = 5,
        fit_intercept: bool = True,
        standardize: bool = False,
        tol: Optional[float] = None,
        max_iter: Optional[int] = None,
        device: str = "cpu",
        precision: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> None:
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.cv = cv
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision
        self.threads = threads

    def fit(self, X: ArrayLike, y: ArrayLike) -> "LassoCV":
        """Cross-validates along the path and refits at ``alpha_``.

        Returns
        -------
        self
        """
        self._fit_cv(X, y, [1.0])
        return self


class ElasticNetCV(_LinearCV):
    __doc__ = (
        """Elastic net with alpha (and l1_ratio) chosen by k-fold cross-validation.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        One mix, or several: each gets its own grid and the best (l1_ratio, alpha) by mean
        validation MSE wins (``l1_ratio_``)."""
        + _CV_DOC
        + _COMMON_DOC
        + _CV_ATTRS
        + """l1_ratio_ : float
    """
    )

    def __init__(
        self,
        *,
        l1_ratio: Union[float, List[float]] = 0.5,
        eps: float = 1e-3,
        n_alphas: int = 100,
        alphas: Optional[ArrayLike] = None,
        cv: int = 5,
        fit_intercept: bool = True,
        standardize: bool = False,
        tol: Optional[float] = None,
        max_iter: Optional[int] = None,
        device: str = "cpu",
        precision: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> None:
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.cv = cv
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision
        self.threads = threads

    def fit(self, X: ArrayLike, y: ArrayLike) -> "ElasticNetCV":
        """Cross-validates along the path (for each l1_ratio) and refits at the best.

        Returns
        -------
        self
        """
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if ratios.ndim != 1 or ratios.size == 0:
            raise ValueError(f"l1_ratio must be a number or a list of numbers, got {self.l1_ratio!r}")
        self._fit_cv(X, y, [float(r) for r in ratios])
        return self


class LogisticRegression(_Estimator):
    """Binary logistic regression with an L1, L2 or elastic-net penalty, certified in f64.

    scikit-learn's parametrization: minimizes
    ``C sum_i log(1 + exp(-s_i (x_i w + b))) + l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2``
    (s_i = ±1; the intercept is not penalized), i.e. regpath's logistic path at
    ``alpha = 1 / (n C)``.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"}, default="l2"
    C : float, default=1.0
        Inverse regularization strength, > 0.
    l1_ratio : float, optional
        The L1 share for ``penalty="elasticnet"`` (required there; ignored otherwise).
    fit_intercept : bool, default=True
    standardize : bool, default=False
        Solve on unit-variance columns; ``coef_`` is on X's scale.
    tol : float, optional
        Certified duality gap relative to the null deviance per sample; default 1e-7
        (1e-5 for f32 GPU solves).
    max_iter : int, optional
        Newton steps (CPU) or FISTA iterations (GPU); default 100000.
    device : {"cpu", "gpu"}, default="cpu"
        ``cpu``: proximal Newton with inner coordinate descent; ``gpu``: batched FISTA.
    precision : {"f32", "f64"}, optional
        GPU arithmetic (default f32).
    threads : int, optional
        CPU threads (default: all cores).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; ``classes_[1]`` is the positive class.
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    n_iter_ : ndarray of shape (1,)
    dual_gap_ : float
    certificate_ : dict
    n_features_in_ : int

    Notes
    -----
    Two classes only: regpath's logistic loss is binomial (use one-vs-rest for more).
    """

    def __init__(
        self,
        penalty: str = "l2",
        *,
        C: float = 1.0,
        l1_ratio: Optional[float] = None,
        fit_intercept: bool = True,
        standardize: bool = False,
        tol: Optional[float] = None,
        max_iter: Optional[int] = None,
        device: str = "cpu",
        precision: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> None:
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision
        self.threads = threads

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import (  # type: ignore[import-untyped]
            ClassifierTags,
            InputTags,
            Tags,
            TargetTags,
        )

        return Tags(
            estimator_type="classifier",
            input_tags=InputTags(sparse=True),
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
        )

    def _l1_ratio(self) -> float:
        if self.penalty == "l1":
            return 1.0
        if self.penalty == "l2":
            return 0.0
        if self.penalty == "elasticnet":
            if self.l1_ratio is None:
                raise ValueError("penalty='elasticnet' needs l1_ratio in [0, 1]")
            return float(self.l1_ratio)
        raise ValueError(
            f"invalid value {self.penalty!r} for 'penalty' [possible values: l1, l2, elasticnet]"
        )

    def fit(self, X: ArrayLike, y: ArrayLike) -> "LogisticRegression":
        """Fits the classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Two classes (any labels).

        Returns
        -------
        self
        """
        l1_ratio = self._l1_ratio()
        X = _check_X(self, X, reset=True)
        y = _check_target(self, y)
        if y.dtype.kind == "f" and np.any(np.isfinite(y) & (y != np.round(y))):
            raise ValueError(
                "Unknown label type: continuous. Maybe you are trying to fit a classifier, "
                "which expects discrete classes on a regression target with continuous values."
            )
        if y.dtype.kind == "c":
            raise ValueError("Complex data not supported")
        classes, labels = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"This solver needs samples of 2 classes, but the data contains only one "
                f"class: {classes[0]!r}"
            )
        if len(classes) > 2:
            raise ValueError(
                "Only binary classification is supported (regpath's logistic loss is "
                f"binomial): y has {len(classes)} classes; fit one classifier per class for "
                "one-vs-rest."
            )
        C = self.C
        if not (isinstance(C, (int, float, np.number)) and np.isfinite(C) and C > 0):
            raise ValueError(f"C must be a finite number > 0, got {C!r}")
        alpha = 1.0 / (X.shape[0] * float(C))
        _, coefs, intercepts, cert = logistic_path(
            X,
            labels.astype(np.int64),
            l1_ratio=l1_ratio,
            alphas=[alpha],
            fit_intercept=self.fit_intercept,
            standardize=self.standardize,
            tol=self.tol,
            solver=_solver(self.device, "logistic"),
            precision=self.precision,
            threads=self.threads,
            **_max_iter(self.max_iter),
        )
        self.classes_ = classes
        self.coef_ = coefs[:, 0].reshape(1, -1).copy()
        self.intercept_ = np.array([intercepts[0]], dtype=np.float64)
        self.n_iter_ = np.array([int(cert["n_iter"][0])], dtype=np.int32)
        self.dual_gap_ = float(cert["gaps"][0])
        self.certificate_ = {
            k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in cert.items()
        }
        return self

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Scores ``X @ coef_.T + intercept_``: positive means ``classes_[1]``.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        self._check_fitted()
        X = _check_X(self, X, reset=False)
        _check_finite(X)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``.

        Returns
        -------
        ndarray of shape (n_samples, 2)
        """
        z = self.decision_function(X)
        p1 = np.empty_like(z, dtype=np.float64)
        pos = z >= 0
        p1[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        p1[~pos] = ez / (1.0 + ez)
        return np.column_stack([1.0 - p1, p1])

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithms of :meth:`predict_proba`, computed stably.

        Returns
        -------
        ndarray of shape (n_samples, 2)
        """
        z = self.decision_function(X).astype(np.float64)
        # log σ(z) = -log(1 + e^{-z}), log(1 - σ(z)) = -log(1 + e^{z})
        return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predicted labels (``classes_[1]`` where the score is positive).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        self._check_fitted()
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def score(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean accuracy of :meth:`predict` on ``(X, y)``.

        Returns
        -------
        float
        """
        return float(np.mean(self.predict(X) == np.asarray(y).ravel()))
