"""The estimators: scikit-learn's check_estimator, agreement with its Lasso/ElasticNet, and
use inside scikit-learn's tools (clone, pipelines, grid search)."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

import regpath
from conftest import regression

ESTIMATORS = [
    regpath.Lasso(),
    regpath.ElasticNet(),
    regpath.LassoCV(),
    regpath.ElasticNetCV(),
    regpath.LogisticRegression(),
    regpath.LogisticRegression(penalty="l1", C=10.0),
    regpath.LogisticRegression(penalty="elasticnet", l1_ratio=0.5),
]

# Every check applies and passes; check_array_api_input skips itself (the estimators take
# NumPy arrays, not the array API), as do the pandas checks where pandas is missing.


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


def test_check_estimator_on_the_gpu(gpu_f64):
    """The same checks with device="gpu" (tiny data: each fit is a small device solve)."""
    for est in (
        regpath.Lasso(device="gpu", precision="f64"),
        regpath.LogisticRegression("l1", device="gpu", precision="f64"),
    ):
        results = check_estimator(est, on_fail=None)
        failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
        assert not failed, failed


@pytest.mark.parametrize("alpha", [0.05, 0.5])
def test_lasso_and_elasticnet_match_sklearn(alpha):
    X, y = regression(seed=51)
    for ours, sk in (
        (regpath.Lasso(alpha=alpha, tol=1e-12), SkLasso(alpha=alpha, tol=1e-12, max_iter=10**6)),
        (
            regpath.ElasticNet(alpha=alpha, l1_ratio=0.3, tol=1e-12),
            SkElasticNet(alpha=alpha, l1_ratio=0.3, tol=1e-12, max_iter=10**6),
        ),
    ):
        ours.fit(X, y)
        sk.fit(X, y)
        size = np.abs(sk.coef_).max()
        np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=0, atol=1e-5 * size)
        assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-5 * size)
        np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-6)
        assert ours.score(X, y) == pytest.approx(sk.score(X, y), rel=1e-7)
        assert ours.n_iter_ >= 1 and ours.dual_gap_ >= 0
        assert ours.certificate_["rel_gaps"] <= 1e-12


def test_float32_input_is_used_as_is():
    X, y = regression(seed=52)
    X32 = np.asfortranarray(X, dtype=np.float32)
    a = regpath.Lasso(alpha=0.1).fit(X32, y)
    b = regpath.Lasso(alpha=0.1).fit(X32.astype(np.float64), y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=1e-12)


def test_estimators_work_in_sklearns_tools():
    X, y = regression(n=60, p=8, seed=53)
    est = regpath.Lasso(alpha=0.2, standardize=True)
    copy = clone(est)
    assert copy is not est and copy.get_params() == est.get_params()
    assert repr(est) == "Lasso(alpha=0.2, standardize=True)"
    grid = GridSearchCV(regpath.Lasso(), {"alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert grid.best_params_["alpha"] in (0.01, 0.1, 1.0)
    pipe = make_pipeline(StandardScaler(), regpath.ElasticNet(alpha=0.1)).fit(X, y)
    assert pipe.score(X, y) > 0.8
    pipe.set_params(elasticnet__l1_ratio=0.9)
    assert pipe.named_steps["elasticnet"].l1_ratio == 0.9


def test_a_column_y_warns_and_is_raveled():
    X, y = regression(seed=54)
    with pytest.warns(regpath.DataConversionWarning, match="column-vector y"):
        est = regpath.Lasso(alpha=0.1).fit(X, y[:, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ref = regpath.Lasso(alpha=0.1).fit(X, y)
    np.testing.assert_array_equal(est.coef_, ref.coef_)
