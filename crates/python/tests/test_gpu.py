"""The GPU functions on tiny problems (lavapipe in CI), against the CPU solvers and
scikit-learn. Every GPU result is certified in f64 on the host: the certificates are checked."""

import numpy as np
import pytest
from sklearn.linear_model import enet_path as sk_enet_path

import regpath
from conftest import classification, regression, sk_grid


def test_devices_describe_the_adapters(gpu):
    for key in ("index", "name", "backend", "device_type", "driver", "f64", "limits"):
        assert key in gpu
    assert gpu["limits"]["max_storage_buffer_binding_size"] > 0


@pytest.mark.parametrize("solver", ["gpu-cd", "gpu-fista"])
def test_gpu_path_f64_matches_sklearn(gpu_f64, solver):
    X, y = regression(n=30, p=10, seed=41)
    alphas, coefs, intercepts, cert = regpath.enet_path(
        X, y, l1_ratio=0.8, n_alphas=8, eps=1e-2, solver=solver, precision="f64", tol=1e-10
    )
    assert cert["solver"] == solver and cert["precision"] == "f64"
    assert cert["adapter"] == gpu_f64["name"]
    assert cert["counters"]["submits"] > 0
    assert cert["converged"].all() and (cert["rel_gaps"] <= 1e-10).all()
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ref_a, ref_c, _ = sk_enet_path(
        Xc, yc, l1_ratio=0.8, eps=1e-2, tol=1e-12, max_iter=10**6, **sk_grid(sk_enet_path, 8)
    )
    np.testing.assert_allclose(alphas, ref_a, rtol=1e-12)
    np.testing.assert_allclose(coefs, ref_c, rtol=0, atol=1e-4 * np.abs(ref_c).max())


def test_gpu_path_f32_is_certified_at_its_tol(gpu):
    X, y = regression(n=30, p=10, seed=42)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    _, coefs, _, cert = regpath.lasso_path(X32, y32, n_alphas=8, eps=1e-2, solver="gpu-cd")
    assert cert["precision"] == "f32" and cert["tol"] == 1e-5
    assert cert["converged"].all() and (cert["rel_gaps"] <= 1e-5).all()
    _, cpu, _, _ = regpath.lasso_path(X32, y32, n_alphas=8, eps=1e-2)
    np.testing.assert_allclose(coefs, cpu, rtol=0, atol=1e-2 * np.abs(cpu).max())


def test_gpu_logistic_path(gpu_f64):
    X, y = classification(n=60, p=4, seed=43)
    a, coefs, b, cert = regpath.logistic_path(
        X, y, Cs=[0.1, 1.0], solver="gpu-fista", precision="f64", tol=1e-9
    )
    assert cert["converged"].all() and (cert["rel_gaps"] <= 1e-9).all()
    _, cpu, cpu_b, _ = regpath.logistic_path(X, y, alphas=a, tol=1e-12)
    np.testing.assert_allclose(coefs, cpu, rtol=0, atol=1e-3)
    np.testing.assert_allclose(b, cpu_b, rtol=0, atol=1e-3)


def test_gpu_cd_refuses_logistic_loss(gpu):
    X, y = classification(n=20, p=3, seed=44)
    with pytest.raises(ValueError, match="gpu-cd solves squared loss only"):
        regpath.logistic_path(X, y, solver="gpu-cd")


def test_gpu_cross_validation_batches_the_folds(gpu_f64):
    X, y = regression(n=40, p=8, seed=45)
    kw = dict(n_alphas=8, eps=1e-2, folds=4, tol=1e-10)
    gpu_cv = regpath.cross_validate(X, y, solver="gpu-cd", precision="f64", **kw)
    cpu_cv = regpath.cross_validate(X, y, **kw)
    np.testing.assert_array_equal(gpu_cv.alphas, cpu_cv.alphas)
    np.testing.assert_allclose(gpu_cv.fold_errors, cpu_cv.fold_errors, rtol=1e-5)
    assert gpu_cv.alpha_min == cpu_cv.alpha_min
    assert gpu_cv.max_fold_gap <= 1e-10
    assert gpu_cv.refit["adapter"] == gpu_f64["name"]


def test_gpu_estimators_match_cpu(gpu_f64):
    X, y = regression(n=30, p=6, seed=46)
    kw = dict(alpha=0.3, l1_ratio=0.6, tol=1e-10)
    cpu = regpath.ElasticNet(**kw).fit(X, y)
    dev = regpath.ElasticNet(**kw, device="gpu", precision="f64").fit(X, y)
    np.testing.assert_allclose(dev.coef_, cpu.coef_, rtol=0, atol=1e-5)
    assert dev.certificate_["adapter"] == gpu_f64["name"]
    Xc, yc = classification(n=50, p=3, seed=47)
    clf = regpath.LogisticRegression("l1", C=0.5, device="gpu", precision="f64").fit(Xc, yc)
    ref = regpath.LogisticRegression("l1", C=0.5).fit(Xc, yc)
    np.testing.assert_allclose(clf.coef_, ref.coef_, rtol=0, atol=1e-3)
    assert (clf.predict(Xc) == ref.predict(Xc)).mean() > 0.95


def test_adapter_by_index(gpu):
    X, y = regression(n=20, p=5, seed=48)
    _, _, _, cert = regpath.lasso_path(X, y, n_alphas=3, solver="gpu-fista", adapter="0")
    assert cert["adapter"] == regpath.devices()[0]["name"]
