"""The CLI and the Python functions: the same messages for the same mistakes, the same data
and the same path (the CLI binary: REGPATH_CLI, set by scripts/test, or `regpath` on the PATH)."""

import os
import shutil
import subprocess

import numpy as np
import pytest

import regpath
from conftest import regression

X, Y = regression(n=10, p=4, seed=21)


# Python calls and the CLI flags of the same mistake: the messages are the CLI's, with each
# flag spelled as the Python argument
CLI_CASES = [
    (dict(eps=2.0), ["--eps", "2"]),
    (dict(n_alphas=0), ["--alphas", "0"]),
    (dict(tol=-1.0), ["--tol=-1"]),
    (dict(max_iter=0), ["--max-iter", "0"]),
    (dict(threads=0), ["--threads", "0"]),
    (dict(precision="f32"), ["--precision", "f32"]),
    (dict(adapter="0"), ["--adapter", "0"]),
    (dict(alphas=[1.0, -1.0]), ["--alpha-values=1,-1"]),
]
FLAGS = [
    ("--alpha-values", "alphas"),
    ("--alphas", "n_alphas"),
    ("--eps", "eps"),
    ("--tol", "tol"),
    ("--max-iter", "max_iter"),
    ("--precision", "precision"),
    ("--solver", "solver"),
    ("--threads", "threads"),
    ("--adapter", "adapter"),
]


def cli():
    """The `regpath` binary: REGPATH_CLI (scripts/test sets it), else on the PATH."""
    path = os.environ.get("REGPATH_CLI") or shutil.which("regpath")
    if not path:
        pytest.skip("no regpath CLI (set REGPATH_CLI)")
    return path


@pytest.mark.parametrize("kwargs, flags", CLI_CASES, ids=[f[0] for _, f in CLI_CASES])
def test_messages_are_the_clis(tmp_path, kwargs, flags):
    Xf, yf = tmp_path / "X.npy", tmp_path / "y.npy"
    np.save(Xf, X)
    np.save(yf, Y)
    run = subprocess.run(
        [cli(), "path", "--x", str(Xf), "--y", str(yf), *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    expected = run.stderr.strip().splitlines()[-1].removeprefix("regpath: ")
    for flag, name in FLAGS:
        expected = expected.replace(flag, name)
    with pytest.raises(ValueError) as info:
        regpath.enet_path(X, Y, **kwargs)
    assert str(info.value) == expected


def test_the_cli_and_python_solve_the_same_synthetic_path(tmp_path):
    """`regpath path --synthetic gene …` and regpath.enet_path on regpath.synthetic("gene", …):
    the same data, the same coefficients."""
    coef_npy = tmp_path / "coef.npy"
    run = subprocess.run(
        [cli(), "path", "--synthetic", "gene", "--n", "40", "--p", "300", "--seed", "3",
         "--penalty", "enet", "--l1-ratio", "0.7", "--alphas", "12", "--standardize",
         "--coef-npy", str(coef_npy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    X, y, true_coef = regpath.synthetic("gene", n=40, p=300, seed=3)
    assert X.shape == (40, 300) and (true_coef != 0).sum() == 20
    _, coefs, _, _ = regpath.enet_path(X, y, l1_ratio=0.7, n_alphas=12, standardize=True)
    cli_coefs = np.load(coef_npy)  # K × p, path order
    np.testing.assert_allclose(coefs.T, cli_coefs, rtol=0, atol=1e-12 * np.abs(cli_coefs).max())
