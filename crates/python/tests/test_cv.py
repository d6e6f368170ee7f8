"""cross_validate, LassoCV and ElasticNetCV against scikit-learn's LassoCV/ElasticNetCV."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNetCV as SkElasticNetCV
from sklearn.linear_model import LassoCV as SkLassoCV

import regpath
from conftest import classification, regression, sk_grid


def test_cross_validate_matches_sklearn_lassocv():
    X, y = regression(n=60, p=15, seed=11)
    cv = regpath.cross_validate(X, y, n_alphas=25, folds=5, tol=1e-12)
    sk = SkLassoCV(cv=5, tol=1e-12, max_iter=1_000_000, **sk_grid(SkLassoCV, 25)).fit(X, y)
    np.testing.assert_allclose(cv.alphas, sk.alphas_, rtol=1e-12)
    # scikit-learn's mse_path_ is n_alphas × folds; both folds are contiguous, unshuffled
    np.testing.assert_allclose(cv.fold_errors.T, sk.mse_path_, rtol=1e-7)
    np.testing.assert_allclose(cv.mean, sk.mse_path_.mean(axis=1), rtol=1e-7)
    assert cv.alpha_min == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(cv.coef, sk.coef_, rtol=0, atol=1e-5 * np.abs(sk.coef_).max())
    assert cv.intercept == pytest.approx(sk.intercept_, abs=1e-5 * abs(sk.intercept_))
    # the curve's statistics, recomputed from the fold errors
    k = cv.folds
    np.testing.assert_allclose(cv.std, cv.fold_errors.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(cv.se, cv.fold_errors.std(axis=0, ddof=1) / np.sqrt(k), rtol=1e-12)
    # alpha_1se: the largest alpha within one standard error of the minimum
    limit = cv.mean[cv.index_min] + cv.se[cv.index_min]
    assert cv.alpha_1se == cv.alphas[np.nonzero(cv.mean <= limit)[0][0]]
    assert cv.alpha_1se >= cv.alpha_min
    # the refit on all samples runs along the whole grid (as cv.glmnet) and is certified
    np.testing.assert_array_equal(cv.refit["alphas"], cv.alphas)
    assert cv.refit["alphas"][cv.index_min] == cv.alpha_min
    assert cv.refit["coefs"].shape == (15, len(cv.alphas))
    assert cv.refit["converged"].all() and cv.max_fold_gap <= 1e-12


def test_lassocv_estimator_matches_sklearn():
    X, y = regression(n=50, p=10, seed=12)
    ours = regpath.LassoCV(n_alphas=20, cv=4, tol=1e-12).fit(X, y)
    sk = SkLassoCV(cv=4, tol=1e-12, max_iter=1_000_000, **sk_grid(SkLassoCV, 20)).fit(X, y)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.alphas_, sk.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, sk.mse_path_, rtol=1e-7)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=0, atol=1e-5 * np.abs(sk.coef_).max())
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-6)
    assert ours.alpha_1se_ >= ours.alpha_
    assert ours.coef_1se_.shape == ours.coef_.shape


def test_elasticnetcv_picks_the_best_l1_ratio_like_sklearn():
    X, y = regression(n=60, p=12, seed=13)
    ratios = [0.2, 0.9]
    ours = regpath.ElasticNetCV(l1_ratio=ratios, n_alphas=15, cv=3, tol=1e-12).fit(X, y)
    sk = SkElasticNetCV(
        l1_ratio=ratios, cv=3, tol=1e-12, max_iter=1_000_000, **sk_grid(SkElasticNetCV, 15)
    ).fit(X, y)
    assert ours.l1_ratio_ == sk.l1_ratio_
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    assert ours.alphas_.shape == sk.alphas_.shape == (2, 15)
    assert ours.mse_path_.shape == sk.mse_path_.shape == (2, 15, 3)
    # a relative gap of 1e-12 pins the coefficients to ~1e-6 (its square root) where the
    # small L1 share leaves the problem poorly conditioned: the fold errors agree to that
    np.testing.assert_allclose(ours.mse_path_, sk.mse_path_, rtol=1e-5)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=0, atol=1e-5 * np.abs(sk.coef_).max())


def test_logistic_cross_validation_reports_deviance():
    X, y = classification(n=90, p=5, seed=14)
    cv = regpath.cross_validate(X, y, loss="logistic", n_alphas=10, folds=3)
    assert cv.metric == "deviance"
    # mean binomial deviance of fold 0's model at alpha_min, from its validation rows
    assert cv.fold_errors.shape == (3, 10)
    assert np.isfinite(cv.mean).all() and (cv.mean > 0).all()
    assert cv.coef.shape == (5,)


def test_folds_must_fit_the_samples():
    X, y = regression(n=8, p=3)
    with pytest.raises(ValueError, match=r"folds 9 must be between 2 and the number of samples \(8\)"):
        regpath.cross_validate(X, y, folds=9)
    with pytest.raises(ValueError, match="n_samples=8"):
        regpath.LassoCV(cv=9).fit(X, y)
