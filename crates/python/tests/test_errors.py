"""Bad input raises ValueError/TypeError with the CLI's messages; panics and a missing GPU
become exceptions."""

import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse

import regpath
from conftest import classification, regression

X, Y = regression(n=10, p=4, seed=21)
XL, YL = classification(n=30, p=3, seed=22)


def with_value(a, index, value):
    a = a.copy()
    a[index] = value
    return a


# (call, exception, message pattern)
BAD_INPUTS = {
    "complex X": (lambda: regpath.enet_path(X + 1j, Y), TypeError, "X must hold real numbers"),
    "string X": (lambda: regpath.enet_path(X.astype(str), Y), TypeError, "real numbers"),
    "object X with a dict": (
        lambda: regpath.enet_path(with_value(X.astype(object), (0, 0), {"a": 1}), Y),
        TypeError,
        "dict",
    ),
    "NaN in sparse X": (
        lambda: regpath.enet_path(scipy.sparse.csr_matrix(with_value(X, (2, 1), np.nan)), Y),
        ValueError,
        r"sparse X: .*(NaN|finite)",
    ),
    "1-D X": (lambda: regpath.enet_path(X[:, 0], Y), ValueError, "X must be 2-D"),
    "2-D y": (lambda: regpath.enet_path(X, np.c_[Y, Y]), ValueError, "y must be 1-D"),
    "rows": (
        lambda: regpath.enet_path(X, Y[:-1]),
        ValueError,
        "X has 10 rows but y has 9 values; they must match",
    ),
    "NaN in X": (
        lambda: regpath.enet_path(with_value(X, (2, 1), np.nan), Y),
        ValueError,
        r"X has a non-finite value \(NaN\) at row 2, column 1",
    ),
    "inf in y": (
        lambda: regpath.enet_path(X, with_value(Y, 3, np.inf)),
        ValueError,
        r"y has a non-finite value \(inf\) at row 3",
    ),
    "no samples": (
        lambda: regpath.enet_path(np.zeros((0, 3)), np.zeros(0)),
        ValueError,
        r"empty data: X has no rows \(n_samples = 0\)",
    ),
    "no features": (
        lambda: regpath.enet_path(np.zeros((5, 0)), np.zeros(5)),
        ValueError,
        r"X has no columns \(n_features = 0\)",
    ),
    "l1_ratio": (
        lambda: regpath.enet_path(X, Y, l1_ratio=1.5),
        ValueError,
        r"invalid l1_ratio = 1.5: must be in \[0, 1\]",
    ),
    "eps": (lambda: regpath.enet_path(X, Y, eps=2.0), ValueError, r"eps 2 must be in \(0, 1\)"),
    "negative alpha": (
        lambda: regpath.enet_path(X, Y, alphas=[1.0, -1.0]),
        ValueError,
        "alphas: invalid alpha = -1: every alpha must be finite and > 0",
    ),
    "no alphas": (
        lambda: regpath.enet_path(X, Y, alphas=[]),
        ValueError,
        "at least one alpha is needed",
    ),
    "n_alphas 0": (
        lambda: regpath.enet_path(X, Y, n_alphas=0),
        ValueError,
        "n_alphas 0: the grid needs at least one alpha",
    ),
    "n_alphas -1": (
        lambda: regpath.enet_path(X, Y, n_alphas=-1),
        ValueError,
        "n_alphas -1 must be at least 1",
    ),
    "n_alphas str": (lambda: regpath.enet_path(X, Y, n_alphas="ten"), TypeError, "n_alphas"),
    "solver": (
        lambda: regpath.enet_path(X, Y, solver="newton"),
        ValueError,
        r"invalid value 'newton' for 'solver' \[possible values: cpu-cd, cpu-fista, gpu-cd, gpu-fista\]",
    ),
    "precision": (
        lambda: regpath.enet_path(X, Y, solver="gpu-cd", precision="f16"),
        ValueError,
        "invalid value 'f16' for 'precision'",
    ),
    "f32 on the CPU": (
        lambda: regpath.enet_path(X, Y, precision="f32"),
        ValueError,
        "precision f32 is for GPU solvers; cpu-cd computes in f64",
    ),
    "tol": (lambda: regpath.enet_path(X, Y, tol=-1.0), ValueError, "tol -1 must be finite and >= 0"),
    "tol NaN": (lambda: regpath.enet_path(X, Y, tol=np.nan), ValueError, "tol NaN must be finite"),
    "max_iter": (lambda: regpath.enet_path(X, Y, max_iter=0), ValueError, "max_iter must be at least 1"),
    "threads": (lambda: regpath.enet_path(X, Y, threads=0), ValueError, "threads must be at least 1"),
    "many threads": (
        lambda: regpath.enet_path(X, Y, threads=10**6),
        ValueError,
        "threads 1000000: this machine has",
    ),
    "adapter on the CPU": (
        lambda: regpath.enet_path(X, Y, adapter="0"),
        ValueError,
        "adapter 0 applies to GPU solvers only, and solver cpu-cd runs on the CPU",
    ),
    "constant y": (
        lambda: regpath.enet_path(X, np.ones(10)),
        ValueError,
        "y is constant or uncorrelated with every column.*pass alphas",
    ),
    "loss": (
        lambda: regpath.cross_validate(X, Y, loss="hinge"),
        ValueError,
        "invalid value 'hinge' for 'loss'",
    ),
    "folds": (
        lambda: regpath.cross_validate(X, Y, folds=1),
        ValueError,
        r"folds 1 must be between 2 and the number of samples \(10\)",
    ),
    "labels": (
        lambda: regpath.logistic_path(XL, YL * 2),
        ValueError,
        r"invalid label = y\[\d+\] = 2: logistic loss needs labels 0 and 1",
    ),
    "one class": (
        lambda: regpath.logistic_path(XL, np.zeros(30, dtype=int)),
        ValueError,
        "logistic loss needs both labels 0 and 1",
    ),
    "logistic on cpu-fista": (
        lambda: regpath.logistic_path(XL, YL, solver="cpu-fista"),
        ValueError,
        "cpu-fista solves squared loss only",
    ),
    "alphas and Cs": (
        lambda: regpath.logistic_path(XL, YL, alphas=[1.0], Cs=[1.0]),
        ValueError,
        "pass alphas or Cs, not both",
    ),
    "estimator device": (
        lambda: regpath.Lasso(device="tpu").fit(X, Y),
        ValueError,
        r"invalid value 'tpu' for 'device' \[possible values: cpu, gpu\]",
    ),
    "estimator alpha": (
        lambda: regpath.Lasso(alpha=0.0).fit(X, Y),
        ValueError,
        "invalid alpha = 0: every alpha must be finite and > 0",
    ),
    "penalty": (
        lambda: regpath.LogisticRegression("l3").fit(XL, YL),
        ValueError,
        "invalid value 'l3' for 'penalty'",
    ),
    "C": (lambda: regpath.LogisticRegression(C=0).fit(XL, YL), ValueError, "C must be a finite number > 0"),
    "three classes": (
        lambda: regpath.LogisticRegression().fit(XL, np.arange(30) % 3),
        ValueError,
        "Only binary classification is supported",
    ),
    "unfitted": (lambda: regpath.Lasso().predict(X), regpath.NotFittedError, "not fitted yet"),
    "synthetic kind": (
        lambda: regpath.synthetic("images"),
        ValueError,
        "invalid value 'images' for 'kind'",
    ),
    "synthetic rho": (
        lambda: regpath.synthetic("regression", rho=0.3),
        ValueError,
        "rho applies to kind gene only, not kind regression; drop rho",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_raises_with_a_message(case):
    call, error, pattern = BAD_INPUTS[case]
    with pytest.raises(error, match=pattern):
        call()


def test_a_rust_panic_becomes_a_runtime_error():
    with pytest.raises(RuntimeError, match=r"internal error \(a Rust panic\): boom"):
        regpath._regpath._panic_for_tests("boom")
    # the process goes on
    assert regpath.enet_path(X, Y, n_alphas=3)[1].shape == (4, 3)


def test_no_gpu_adapter_raises_nogpuerror_naming_the_fix():
    """With a backend that has no adapter here (DX12 on Linux), devices() is empty and a GPU
    solve raises NoGpuError (a RuntimeError) naming the driver to install."""
    if sys.platform == "win32":
        pytest.skip("DX12 exists on Windows")
    script = (
        "import numpy as np, regpath\n"
        "assert regpath.devices() == []\n"
        "try:\n"
        "    regpath.enet_path(np.eye(3), np.arange(3.0), solver='gpu-cd')\n"
        "except regpath.NoGpuError as e:\n"
        "    assert isinstance(e, RuntimeError)\n"
        "    print(e)\n"
    )
    env = dict(os.environ, WGPU_BACKEND="dx12")
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "no GPU adapter found" in run.stdout and "mesa-vulkan-drivers" in run.stdout
