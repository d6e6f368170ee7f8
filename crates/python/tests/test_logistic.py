"""logistic_path and LogisticRegression against scikit-learn's LogisticRegression."""

import inspect

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogistic

import regpath
from conftest import classification


def sk_logistic(X, y, C, l1_ratio):
    """scikit-learn at a tight tol: saga for any L1 share, lbfgs for L2."""
    l1 = l1_ratio > 0
    kw = dict(C=C, tol=1e-12, max_iter=1_000_000, solver="saga" if l1 else "lbfgs")
    if inspect.signature(SkLogistic).parameters["penalty"].default == "deprecated":
        kw["l1_ratio"] = l1_ratio  # scikit-learn >= 1.8: the penalty is l1_ratio
    elif l1_ratio == 1.0:
        kw["penalty"] = "l1"
    elif l1_ratio == 0.0:
        kw["penalty"] = "l2"
    else:
        kw.update(penalty="elasticnet", l1_ratio=l1_ratio)
    return SkLogistic(**kw).fit(X, y)


def objective(X, y, coef, b, alpha, l1_ratio):
    """regpath's logistic objective, written out in NumPy."""
    s = 2 * y - 1
    z = X @ coef + b
    loss = np.logaddexp(0, -s * z).mean()
    return loss + alpha * (l1_ratio * np.abs(coef).sum() + (1 - l1_ratio) / 2 * coef @ coef)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.0, 0.5])
def test_logistic_path_matches_sklearn(l1_ratio):
    X, y = classification(seed=1)
    n = len(y)
    Cs = [0.05, 0.5, 5.0]
    alphas, coefs, intercepts, cert = regpath.logistic_path(
        X, y, l1_ratio=l1_ratio, Cs=Cs, tol=1e-12
    )
    np.testing.assert_allclose(alphas, 1 / (n * np.array(Cs)), rtol=1e-15)
    assert cert["converged"].all() and (cert["rel_gaps"] <= 1e-12).all()
    for k, C in enumerate(Cs):
        sk = sk_logistic(X, y, C, l1_ratio)
        np.testing.assert_allclose(coefs[:, k], sk.coef_[0], rtol=0, atol=2e-6)
        np.testing.assert_allclose(intercepts[k], sk.intercept_[0], rtol=0, atol=2e-6)
        # regpath's solution is at least as good as scikit-learn's
        ours = objective(X, y, coefs[:, k], intercepts[k], alphas[k], l1_ratio)
        theirs = objective(X, y, sk.coef_[0], sk.intercept_[0], alphas[k], l1_ratio)
        assert ours <= theirs + 1e-12


@pytest.mark.parametrize(
    "penalty, l1_ratio", [("l1", None), ("l2", None), ("elasticnet", 0.3)]
)
def test_logistic_regression_estimator_matches_sklearn(penalty, l1_ratio):
    X, y = classification(seed=2)
    labels = np.array(["spam", "ham"])[y]  # any two labels; "spam" sorts last: positive
    ours = regpath.LogisticRegression(penalty, C=0.3, l1_ratio=l1_ratio, tol=1e-12).fit(X, labels)
    share = {"l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)
    sk = sk_logistic(X, labels, 0.3, share)
    np.testing.assert_array_equal(ours.classes_, sk.classes_)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=0, atol=2e-6)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, rtol=0, atol=2e-6)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(ours.predict_log_proba(X), sk.predict_log_proba(X), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    assert ours.score(X, labels) == pytest.approx(sk.score(X, labels))
    assert ours.coef_.shape == (1, X.shape[1]) and ours.n_iter_.shape == (1,)
    assert ours.certificate_["rel_gaps"] <= 1e-12


def test_l1_logistic_selects_features():
    X, y = classification(n=200, p=30, seed=3)
    clf = regpath.LogisticRegression("l1", C=0.05).fit(X, y)
    assert 0 < np.count_nonzero(clf.coef_) < 30
