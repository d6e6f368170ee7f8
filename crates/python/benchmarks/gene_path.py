"""regpath.enet_path against scikit-learn's enet_path at matched certified accuracy, from Python.

    python crates/python/benchmarks/gene_path.py [--n 200] [--p 20000] [--runs 3] [--cli PATH]

Data: the CLI's `--synthetic gene --n N --p P` (regpath.synthetic, seed 0), a 100-alpha Lasso path
down to 1e-3·alpha_max with an intercept, single-threaded (regpath threads=1; scikit-learn's
coordinate descent is single-threaded; run with OMP_NUM_THREADS=1 for its BLAS calls). Each
solver runs a ladder of tolerances; every point is judged the same way: the worst relative
suboptimality over the path, (P(β_k) − P*_k) / (‖y − ȳ‖²/n), against a tight regpath reference
(tol 1e-12), with P computed here in NumPy. The table gives, per accuracy level, the fastest
ladder point at least that accurate (median of --runs runs). With --cli, the same path through the
`regpath` binary (NPY files in, --coef-npy out) measures the call overhead of both routes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn import __version__ as sk_version
from sklearn.linear_model import enet_path as sk_enet_path

import regpath


def objective(Xc, yc, coefs, alphas):
    """Lasso objective per alpha on centered data (the intercept is eliminated)."""
    n = len(yc)
    resid = yc[:, None] - Xc @ coefs
    return (resid**2).sum(axis=0) / (2 * n) + alphas * np.abs(coefs).sum(axis=0)


def median_time(fn, runs):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--p", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cli", help="path of the regpath binary, for the call overhead")
    args = ap.parse_args()

    X, y, _ = regpath.synthetic("gene", n=args.n, p=args.p)
    Xc = np.asfortranarray(X - X.mean(axis=0))
    yc = y - y.mean()
    scale = (yc**2).mean()
    alphas, ref, _, _ = regpath.enet_path(X, y, tol=1e-12, threads=1)
    best = objective(Xc, yc, ref, alphas)

    def accuracy(coefs):
        return float(((objective(Xc, yc, coefs, alphas) - best) / scale).max())

    rows = []  # (solver, tol, seconds, worst relative suboptimality)
    for tol in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        sec, out = median_time(lambda: regpath.enet_path(X, y, tol=tol, threads=1), args.runs)
        rows.append(("regpath cpu-cd", tol, sec, accuracy(out[1])))
    for tol in (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
        sec, out = median_time(
            lambda: sk_enet_path(Xc, yc, l1_ratio=1.0, alphas=alphas, tol=tol, max_iter=100_000),
            args.runs,
        )
        rows.append((f"sklearn {sk_version}", tol, sec, accuracy(out[1])))

    print(f"gene {args.n} x {args.p}, 100-alpha Lasso path, single-threaded, median of {args.runs}")
    print("\nladder: solver, tol, seconds, worst relative suboptimality")
    for name, tol, sec, acc in rows:
        print(f"  {name:<16} {tol:7.0e} {sec:8.3f} s  {acc:9.2e}")
    print("\ntime to a certified accuracy (worst relative suboptimality over the path):")
    names = list(dict.fromkeys(r[0] for r in rows))
    print("  level   " + "".join(f"{n:>18}" for n in names) + "   speedup")
    for level in (1e-3, 1e-4, 1e-6, 1e-8):
        cells = []
        for name in names:
            ok = [r[2] for r in rows if r[0] == name and r[3] <= level]
            cells.append(min(ok) if ok else None)
        text = "".join(f"{c:17.3f}s" if c is not None else f"{'—':>18}" for c in cells)
        speed = f"{cells[1] / cells[0]:8.1f}x" if None not in cells else f"{'—':>9}"
        print(f"  {level:6.0e}  {text}{speed}")

    if args.cli:
        with tempfile.TemporaryDirectory() as d:
            xf, yf, cf = (os.path.join(d, f) for f in ("X.npy", "y.npy", "coef.npy"))
            np.save(xf, X)
            np.save(yf, y)
            cmd = [args.cli, "path", "--x", xf, "--y", yf, "--threads", "1", "--coef-npy", cf]
            cli_sec, _ = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), args.runs)
            py_sec, out = median_time(lambda: regpath.enet_path(X, y, threads=1), args.runs)
            solve = out[3]["seconds"]
            print(f"\ncall overhead at tol 1e-7 (solve alone {solve:.3f} s):")
            print(f"  regpath.enet_path   {py_sec:.3f} s  (+{py_sec - solve:.3f} s: copy, design, certify)")
            print(f"  regpath path (CLI)  {cli_sec:.3f} s  (+{cli_sec - solve:.3f} s: process, NPY read, design, certify, NPY write)")
            tiny = np.random.default_rng(0).standard_normal((50, 10))
            yt = tiny[:, 0] + 0.1
            t_py, _ = median_time(lambda: regpath.enet_path(tiny, yt, n_alphas=10), 20)
            np.save(xf, tiny)
            np.save(yf, yt)
            small = [args.cli, "path", "--x", xf, "--y", yf, "--alphas", "10"]
            t_cli, _ = median_time(lambda: subprocess.run(small, check=True, capture_output=True), 5)
            print(f"  a 50 x 10 path of 10 alphas: Python {t_py * 1e3:.2f} ms, CLI {t_cli * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
