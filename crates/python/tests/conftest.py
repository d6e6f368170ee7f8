"""Shared data and the GPU fixture of the regpath Python tests.

References are independent of regpath: scikit-learn's solvers (at tight tolerances) and
closed forms computed with NumPy here, never numbers copied from regpath's own output.
"""

import inspect
import os

import numpy as np
import pytest

import regpath

# a GPU test that finds no adapter fails (instead of skipping) when this is 1, as in scripts/test
REQUIRE_GPU = os.environ.get("REGPATH_REQUIRE_GPU") == "1"


def regression(n=40, p=12, informative=4, noise=0.5, seed=0, offset=True):
    """X with columns on different scales and means, y with an offset: standardizing and
    centering both matter."""
    rng = np.random.default_rng(seed)
    scales = np.linspace(0.5, 3.0, p)
    X = rng.standard_normal((n, p)) * scales + (rng.standard_normal(p) * 2 if offset else 0)
    beta = np.zeros(p)
    informative = min(informative, p)
    beta[:informative] = rng.uniform(1, 3, informative) * rng.choice([-1, 1], informative)
    y = X @ beta + noise * rng.standard_normal(n) + (3.0 if offset else 0.0)
    return X, y


def classification(n=120, p=6, seed=0):
    """Standardized X and noisy 0/1 labels (not separable, so every C has a finite optimum)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    z = X[:, 0] - 0.8 * X[:, 1] + 0.5 * X[:, 2] + 0.3
    y = (z + 1.5 * rng.standard_normal(n) > 0).astype(np.int64)
    return X, y


def sk_grid(fn, n_alphas):
    """scikit-learn's grid-size argument: `alphas=int` from 1.9 on, `n_alphas` before."""
    params = inspect.signature(fn).parameters
    if "n_alphas" in params and params["n_alphas"].default != "deprecated":
        return {"n_alphas": n_alphas}
    return {"alphas": n_alphas}


@pytest.fixture(scope="session")
def gpu():
    """The first adapter wgpu sees (lavapipe in CI); skip without one unless required."""
    adapters = regpath.devices()
    if not adapters:
        if REQUIRE_GPU:
            pytest.fail("REGPATH_REQUIRE_GPU=1 but wgpu finds no adapter")
        pytest.skip("no GPU adapter")
    return adapters[0]


@pytest.fixture(scope="session")
def gpu_f64(gpu):
    """A GPU adapter with SHADER_F64 (lavapipe has it)."""
    if not gpu["f64"]:
        pytest.skip(f"{gpu['name']} has no f64 shaders")
    return gpu
