"""enet_path / lasso_path against scikit-learn's enet_path and closed forms."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import enet_path as sk_enet_path

import regpath
from conftest import regression, sk_grid

TIGHT = 1e-12


def sk_path(X, y, l1_ratio, n_alphas=None, alphas=None, fit_intercept=True, standardize=False):
    """scikit-learn's path on the same problem: it fits no intercept, so it gets centered data
    (and standardized columns); its coefficients are mapped back to X's scale."""
    mean = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    Xs = X - mean
    ys = y - y.mean() if fit_intercept else y
    # unit population variance around the mean removed (X's own second moment without an
    # intercept, as glmnet)
    scale = np.sqrt((Xs**2).mean(axis=0)) if standardize else np.ones(X.shape[1])
    Xs = Xs / scale
    kw = {"alphas": np.asarray(alphas)} if alphas is not None else sk_grid(sk_enet_path, n_alphas)
    a, coefs, _ = sk_enet_path(
        np.asfortranarray(Xs), ys, l1_ratio=l1_ratio, tol=TIGHT, max_iter=1_000_000, **kw
    )
    coefs = coefs / scale[:, None]
    intercepts = (y.mean() - mean @ coefs) if fit_intercept else np.zeros(len(a))
    return a, coefs, intercepts


def objective(X, y, coefs, intercepts, alphas, l1_ratio, scale=None):
    """The elastic-net objective per alpha, written out in NumPy; with `scale`, the penalty
    is on the coefficients of the standardized columns (coefs × scale)."""
    n = len(y)
    resid = y[:, None] - X @ coefs - intercepts
    penalized = coefs if scale is None else coefs * scale[:, None]
    l1 = np.abs(penalized).sum(axis=0)
    l2 = (penalized**2).sum(axis=0)
    return (resid**2).sum(axis=0) / (2 * n) + alphas * (l1_ratio * l1 + (1 - l1_ratio) / 2 * l2)


def assert_same_solutions(X, y, ours, ref, l1_ratio, scale=None):
    """Both solved to a relative gap of 1e-12: the objectives agree to 1e-12 of ||y-ȳ||²/n
    (what the gap bounds), the coefficients to its square root (what strong convexity along
    the path's worst direction allows)."""
    alphas, coefs, intercepts = ours
    ref_a, ref_c, ref_b = ref
    np.testing.assert_allclose(alphas, ref_a, rtol=1e-12)
    var = ((y - y.mean()) ** 2).mean()
    mine = objective(X, y, coefs, intercepts, alphas, l1_ratio, scale)
    theirs = objective(X, y, ref_c, ref_b, alphas, l1_ratio, scale)
    np.testing.assert_allclose(mine, theirs, rtol=0, atol=2e-12 * var)
    size = max(1.0, np.abs(ref_c).max())
    np.testing.assert_allclose(coefs, ref_c, rtol=0, atol=1e-5 * size)
    np.testing.assert_allclose(intercepts, ref_b, rtol=0, atol=1e-5 * max(size, abs(y).max()))


@pytest.mark.parametrize("l1_ratio", [1.0, 0.7, 0.2])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
def test_enet_path_matches_sklearn(l1_ratio, fit_intercept, standardize):
    X, y = regression(seed=1)
    alphas, coefs, intercepts, cert = regpath.enet_path(
        X,
        y,
        l1_ratio=l1_ratio,
        n_alphas=30,
        fit_intercept=fit_intercept,
        standardize=standardize,
        tol=TIGHT,
    )
    ref = sk_path(
        X, y, l1_ratio, n_alphas=30, fit_intercept=fit_intercept, standardize=standardize
    )
    assert coefs.shape == (X.shape[1], 30)
    centered = X - X.mean(axis=0) if fit_intercept else X
    scale = np.sqrt((centered**2).mean(axis=0)) if standardize else None
    assert_same_solutions(X, y, (alphas, coefs, intercepts), ref, l1_ratio, scale)
    assert cert["converged"].all()
    assert (cert["rel_gaps"] <= TIGHT).all()
    np.testing.assert_array_equal(cert["nnz"], (coefs != 0).sum(axis=0))


def test_explicit_alphas_are_solved_decreasing_like_sklearn():
    X, y = regression(seed=2)
    given = [0.05, 1.0, 0.3]
    alphas, coefs, intercepts, _ = regpath.enet_path(X, y, l1_ratio=0.5, alphas=given, tol=TIGHT)
    np.testing.assert_array_equal(alphas, sorted(given, reverse=True))
    ref = sk_path(X, y, 0.5, alphas=sorted(given, reverse=True))
    assert_same_solutions(X, y, (alphas, coefs, intercepts), ref, 0.5)


def test_lasso_path_is_enet_path_at_l1_ratio_1():
    X, y = regression(seed=3)
    a1, c1, b1, _ = regpath.lasso_path(X, y, n_alphas=15, eps=1e-2)
    a2, c2, b2, _ = regpath.enet_path(X, y, l1_ratio=1.0, n_alphas=15, eps=1e-2)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(c1, c2)
    np.testing.assert_array_equal(b1, b2)


def test_ridge_matches_the_normal_equations():
    """l1_ratio = 0: (XcᵀXc/n + αI) β = Xcᵀyc/n, solved by NumPy."""
    X, y = regression(seed=4)
    n, p = X.shape
    alphas = [10.0, 1.0, 0.1]
    a, coefs, intercepts, cert = regpath.enet_path(X, y, l1_ratio=0.0, alphas=alphas)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    for k, alpha in enumerate(a):
        beta = np.linalg.solve(Xc.T @ Xc / n + alpha * np.eye(p), Xc.T @ yc / n)
        np.testing.assert_allclose(coefs[:, k], beta, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(intercepts[k], y.mean() - X.mean(axis=0) @ beta, rtol=1e-10)
    assert cert["converged"].all()


def test_layouts_and_dtypes_give_the_same_path():
    """C and Fortran order, non-contiguous views and float32 are read as they are."""
    X, y = regression(seed=5)
    kw = dict(l1_ratio=0.8, n_alphas=10, tol=1e-10)
    ref = regpath.enet_path(np.ascontiguousarray(X), y, **kw)
    fortran = regpath.enet_path(np.asfortranarray(X), y, **kw)
    wide = np.zeros((X.shape[0], 2 * X.shape[1]))
    wide[:, ::2] = X
    strided = regpath.enet_path(wide[:, ::2], y, **kw)
    for other in (fortran, strided):
        np.testing.assert_array_equal(other[0], ref[0])
        np.testing.assert_allclose(other[1], ref[1], rtol=0, atol=1e-12)
    # float32 X and y: the same as their values in float64
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    single = regpath.enet_path(X32, y32, **kw)
    double = regpath.enet_path(X32.astype(np.float64), y32.astype(np.float64), **kw)
    np.testing.assert_array_equal(single[0], double[0])
    np.testing.assert_allclose(single[1], double[1], rtol=0, atol=1e-12)
    # integer X and labels-as-integers are converted
    Xi = np.round(X * 10).astype(np.int64)
    ints = regpath.enet_path(Xi, y, **kw)
    floats = regpath.enet_path(Xi.astype(np.float64), y, **kw)
    np.testing.assert_allclose(ints[1], floats[1], rtol=0, atol=1e-12)


def test_certificates_hold_what_the_docs_say():
    X, y = regression(seed=6)
    alphas, coefs, intercepts, cert = regpath.enet_path(X, y, l1_ratio=0.5, n_alphas=20)
    for key in ("gaps", "rel_gaps", "kkt", "primal", "dual", "nnz", "n_iter", "converged"):
        assert cert[key].shape == (20,), key
    assert cert["converged"].dtype == np.bool_
    assert cert["tol"] == 1e-7 and cert["solver"] == "cpu-cd" and cert["precision"] == "f64"
    assert cert["adapter"] is None
    assert (cert["gaps"] >= 0).all()
    np.testing.assert_allclose(cert["primal"] - cert["dual"], cert["gaps"], rtol=1e-9, atol=1e-15)
    # the gap relative to ||y - mean(y)||²/n, the primal at the returned coefficients
    n = len(y)
    scale = ((y - y.mean()) ** 2).sum() / n
    np.testing.assert_allclose(cert["rel_gaps"], cert["gaps"] / scale, rtol=1e-12)
    primal = objective(X, y, coefs, intercepts, alphas, 0.5)
    np.testing.assert_allclose(cert["primal"], primal, rtol=1e-9)
    # at alpha_max every coefficient is 0 and the intercept is the mean
    assert cert["nnz"][0] == 0 and intercepts[0] == pytest.approx(y.mean(), rel=1e-12)


def test_stopped_alphas_warn_and_are_not_converged():
    X, y = regression(n=30, p=60, seed=7)
    with pytest.warns(regpath.ConvergenceWarning, match=r"alphas stopped before tol .*raise max_iter"):
        _, _, _, cert = regpath.enet_path(X, y, n_alphas=20, tol=1e-14, max_iter=2)
    assert not cert["converged"].all()
    assert cert["rel_gaps"][~cert["converged"]].max() > 1e-14
    # and a path that converges warns of nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        regpath.enet_path(X, y, n_alphas=20)
