"""scipy.sparse X: synthetic("text") returns a sparse TF-IDF corpus, every function and estimator
solves sparse X as stored (the same answers as on the densified X), against scikit-learn's Lasso
and LogisticRegression on the same sparse matrix, and certify() judges other coefficients."""

import inspect

import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import Lasso as SkLasso
from sklearn.linear_model import LogisticRegression as SkLogistic

import regpath


def text(n=300, p=120, seed=0):
    X, y, coef = regpath.synthetic("text", n=n, p=p, seed=seed)
    return X, y, coef


def sk_l1_logistic(X, y, C):
    """scikit-learn's L1 LogisticRegression at a tight tol (saga)."""
    kw = dict(C=C, tol=1e-12, max_iter=1_000_000, solver="saga")
    if inspect.signature(SkLogistic).parameters["penalty"].default == "deprecated":
        kw["l1_ratio"] = 1.0  # scikit-learn >= 1.8
    else:
        kw["penalty"] = "l1"
    return SkLogistic(**kw).fit(X, y)


def test_synthetic_text_is_a_sparse_tfidf_corpus():
    X, y, coef = text()
    assert scipy.sparse.issparse(X) and X.format == "csc"
    assert X.shape == (300, 120) and X.dtype == np.float64
    assert X.nnz < 0.5 * 300 * 120
    # TF-IDF rows scaled to unit L2 norm, non-negative weights
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms, 1.0, rtol=1e-12)
    assert X.data.min() > 0
    assert set(np.unique(y)) == {0.0, 1.0}
    assert int((coef != 0).sum()) == 30
    # the seed makes the data
    X2, y2, _ = text()
    assert (X != X2).nnz == 0 and np.array_equal(y, y2)
    X3, _, _ = text(seed=1)
    assert (X != X3).nnz > 0


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_paths_equal_the_densified_paths(standardize, fit_intercept):
    X, y, _ = text()
    for loss, target in [("squared", y * 2.0 + 0.5), ("logistic", y)]:
        solve = regpath.enet_path if loss == "squared" else regpath.logistic_path
        kw = dict(
            n_alphas=15,
            eps=1e-2,
            tol=1e-11,
            standardize=standardize,
            fit_intercept=fit_intercept,
        )
        a_s, c_s, b_s, cert_s = solve(X, target, **kw)
        a_d, c_d, b_d, cert_d = solve(X.toarray(), target, **kw)
        np.testing.assert_allclose(a_s, a_d, rtol=1e-12)
        scale = max(np.abs(c_d).max(), 1.0)
        np.testing.assert_allclose(c_s, c_d, atol=1e-6 * scale, err_msg=loss)
        np.testing.assert_allclose(b_s, b_d, atol=1e-6 * scale, err_msg=loss)
        assert max(cert_s["rel_gaps"].max(), cert_d["rel_gaps"].max()) <= 1e-9


def test_lasso_on_sparse_x_matches_sklearn_lasso_on_the_same_matrix():
    X, y, _ = text(n=400, p=150, seed=2)
    alphas = [3e-3, 1e-3, 3e-4]
    _, coefs, intercepts, cert = regpath.lasso_path(X, y, alphas=alphas, tol=1e-12)
    for k, alpha in enumerate(alphas):
        sk = SkLasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(X, y)
        np.testing.assert_allclose(coefs[:, k], sk.coef_, atol=1e-6)
        assert abs(intercepts[k] - sk.intercept_) <= 1e-6
        # scikit-learn's coefficients, certified by regpath: a tiny gap, and no better than ours
        c = regpath.certify(X, y, sk.coef_, sk.intercept_, alpha)
        assert c["rel_gap"] <= 1e-8, c
        assert cert["primal"][k] <= c["primal"] + 1e-12 * abs(c["primal"])


def test_l1_logistic_on_sparse_x_matches_sklearn_on_the_same_matrix():
    X, y, _ = text(n=300, p=80, seed=3)
    n = X.shape[0]
    for C in [1.0, 10.0]:
        alpha = 1.0 / (n * C)
        _, coefs, intercepts, cert = regpath.logistic_path(
            X, y, alphas=[alpha], l1_ratio=1.0, tol=1e-12
        )
        sk = sk_l1_logistic(X, y, C)
        np.testing.assert_allclose(coefs[:, 0], sk.coef_[0], atol=1e-4)
        assert abs(intercepts[0] - sk.intercept_[0]) <= 1e-4
        c = regpath.certify(X, y, sk.coef_[0], sk.intercept_[0], alpha, loss="logistic")
        assert c["rel_gap"] <= 1e-6, c
        assert cert["primal"][0] <= c["primal"] + 1e-12


def test_estimators_take_sparse_x():
    X, y, _ = text(n=250, p=100, seed=4)
    dense = X.toarray()
    for sparse in [X, X.tocsr()]:
        a = regpath.Lasso(alpha=1e-3, tol=1e-12).fit(sparse, y)
        b = regpath.Lasso(alpha=1e-3, tol=1e-12).fit(dense, y)
        np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-9)
        np.testing.assert_allclose(a.predict(sparse), b.predict(dense), atol=1e-9)
        la = regpath.LogisticRegression(penalty="l1", C=20.0, tol=1e-12).fit(sparse, y)
        lb = regpath.LogisticRegression(penalty="l1", C=20.0, tol=1e-12).fit(dense, y)
        np.testing.assert_allclose(la.coef_, lb.coef_, atol=1e-8)
        np.testing.assert_allclose(
            la.predict_proba(sparse), lb.predict_proba(dense), atol=1e-9
        )


def test_cross_validation_on_sparse_x_chooses_what_dense_x_chooses():
    X, y, _ = text(n=200, p=60, seed=5)
    kw = dict(loss="logistic", n_alphas=20, eps=1e-2, folds=4, tol=1e-11)
    s = regpath.cross_validate(X, y, **kw)
    d = regpath.cross_validate(X.toarray(), y, **kw)
    assert s.index_min == d.index_min and s.index_1se == d.index_1se
    np.testing.assert_allclose(s.mean, d.mean, rtol=1e-7)


def test_bad_sparse_input_is_named():
    X, y, _ = text(n=50, p=20)
    bad = X.copy()
    bad.data[3] = np.nan
    with pytest.raises(ValueError, match="sparse X"):
        regpath.lasso_path(bad, y)
    with pytest.raises(ValueError, match="coef has 3 values but X has 20 features"):
        regpath.certify(X, y, np.zeros(3), 0.0, 0.1)
