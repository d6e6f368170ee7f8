"""regpath: certified regularization paths on the CPU and, many alphas at once, on the GPU.

Lasso, Ridge, Elastic Net and L1/L2 logistic regression on scikit-learn's scales, every
solution certified by an f64 duality gap and KKT check:

- :func:`enet_path`, :func:`lasso_path`, :func:`logistic_path`: whole paths as NumPy arrays
  (coefficients n_features × n_alphas, as scikit-learn's ``enet_path``) with their
  certificates;
- :func:`cross_validate`: k-fold cross-validation along the path (alpha_min, alpha_1se, refit);
- :func:`certify`: the same f64 certificate for any coefficients (another library's);
- :func:`devices`: the GPU adapters wgpu sees; :func:`synthetic`: the CLI's synthetic data
  (``"text"``: a sparse TF-IDF corpus as ``scipy.sparse``); X may be a scipy.sparse matrix
  everywhere, solved as it is stored, never densified;
- estimators with scikit-learn's API: :class:`Lasso`, :class:`ElasticNet`, :class:`LassoCV`,
  :class:`ElasticNetCV`, :class:`LogisticRegression`, each with ``device="cpu"|"gpu"``.

Solves release the GIL and can be interrupted with Ctrl-C.
"""

from ._paths import (
    ConvergenceWarning,
    CVResult,
    NoGpuError,
    certify,
    cross_validate,
    devices,
    enet_path,
    lasso_path,
    logistic_path,
    synthetic,
)
from .estimators import (
    DataConversionWarning,
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LogisticRegression,
    NotFittedError,
)

__version__ = "0.1.0"

__all__ = [
    "CVResult",
    "ConvergenceWarning",
    "DataConversionWarning",
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LogisticRegression",
    "NoGpuError",
    "NotFittedError",
    "certify",
    "cross_validate",
    "devices",
    "enet_path",
    "lasso_path",
    "logistic_path",
    "synthetic",
]
