#!/usr/bin/env python3
"""Solve a lasso path with another library across a ladder of tolerances, for `regpath bench --peers`.

Usage: peers.py PEER --x X.npy --y y.npy --alphas alphas.npy --tols T1,T2,... --runs R
                 --max-iter N --out-dir DIR

X (n x p) and y are the prepared design regpath solves (centered, no intercept to fit), alphas are
on regpath's scale 1/(2n)||y - X b||^2 + alpha ||b||_1, which is scikit-learn's Lasso scale and
glmnet's lambda. PEER is sklearn (tol = scikit-learn's `tol`, its duality gap relative to
||y||^2/n) or glmnet (tol = glmnet's `thresh`, on coefficient change times the null deviance).

One warm-up solve at the first tolerance, then R timed solves at each tolerance. Writes the K x p
coefficients of each tolerance's last solve to DIR/coef-I.npy (row k = alphas[k]) and prints one
JSON line: {"peer", "version", "points": [{"tol", "times", "coef"}]}; times are the solves alone
(no I/O), coef is the file name relative to DIR. regpath certifies the coefficients itself.

Exit codes: 0 ok, 3 the library is not installed (message on stderr), 2 bad usage.
"""

import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("peer", choices=["sklearn", "glmnet"])
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--alphas", required=True)
    ap.add_argument("--tols", required=True, help="comma-separated, loosest first")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-iter", type=int, default=100000)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    try:
        tols = [float(t) for t in args.tols.split(",") if t.strip()]
    except ValueError:
        ap.error(f"--tols {args.tols!r}: expected numbers separated by commas")
    if not tols or args.runs < 1:
        ap.error("--tols needs at least one tolerance and --runs at least 1")

    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed (pip install numpy)", file=sys.stderr)
        return 3
    x = np.asfortranarray(np.load(args.x), dtype=np.float64)
    y = np.ravel(np.load(args.y)).astype(np.float64)
    alphas = np.ravel(np.load(args.alphas)).astype(np.float64)

    if args.peer == "sklearn":
        try:
            import sklearn
            from sklearn.linear_model import lasso_path
        except ImportError:
            print("scikit-learn is not installed (pip install scikit-learn)", file=sys.stderr)
            return 3
        version = sklearn.__version__

        def solve(tol):
            _, coefs, _ = lasso_path(x, y, alphas=alphas, tol=tol, max_iter=args.max_iter)
            return coefs.T
    else:
        try:
            import glmnet
            from glmnet import ElasticNet
        except ImportError:
            print(
                "glmnet is not installed (pip install python-glmnet; building it needs gfortran)",
                file=sys.stderr,
            )
            return 3
        version = getattr(glmnet, "__version__", "unknown")

        def solve(tol):
            model = ElasticNet(
                alpha=1.0,
                lambda_path=alphas,
                standardize=False,
                fit_intercept=False,
                tol=tol,
                max_iter=args.max_iter,
                n_splits=0,
            )
            model.fit(x, y)
            return model.coef_path_.T

    import warnings

    warnings.simplefilter("ignore")  # convergence warnings: the certificate says how far it got
    solve(tols[0])
    points = []
    for i, tol in enumerate(tols):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            coef = solve(tol)
            times.append(time.perf_counter() - t)
        name = f"coef-{i}.npy"
        np.save(os.path.join(args.out_dir, name), np.ascontiguousarray(coef))
        points.append({"tol": tol, "times": times, "coef": name})
    print(json.dumps({"peer": args.peer, "version": version, "points": points}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
