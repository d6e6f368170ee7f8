#!/usr/bin/env python3
"""Solve a lasso path with another library, for `regpath bench --peers` to time and certify.

Usage: peers.py PEER --x X.npy --y y.npy --alphas alphas.npy --tol T --max-iter N --out coef.npy

X (n x p) and y are the prepared design regpath solves (centered, no intercept to fit), alphas are
on regpath's scale 1/(2n)||y - X b||^2 + alpha ||b||_1, which is scikit-learn's Lasso scale and
glmnet's lambda. Writes the K x p coefficient matrix (row k = alphas[k]) to --out and prints one
JSON line: {"peer", "version", "seconds"}; seconds is the solve alone (no I/O).

Exit codes: 0 ok, 3 the library is not installed (message on stderr), 2 bad usage.
"""

import argparse
import json
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("peer", choices=["sklearn", "glmnet"])
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--alphas", required=True)
    ap.add_argument("--tol", type=float, default=1e-7)
    ap.add_argument("--max-iter", type=int, default=100000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

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
        t = time.perf_counter()
        # sklearn stops on its duality gap relative to ||y||^2 (per sample), regpath's tol scale.
        _, coefs, _ = lasso_path(x, y, alphas=alphas, tol=args.tol, max_iter=args.max_iter)
        seconds = time.perf_counter() - t
        coef = np.ascontiguousarray(coefs.T)
    else:
        try:
            import glmnet
            from glmnet import ElasticNet
        except ImportError:
            print("glmnet is not installed (pip install glmnet)", file=sys.stderr)
            return 3
        version = getattr(glmnet, "__version__", "unknown")
        model = ElasticNet(
            alpha=1.0,
            lambda_path=alphas,
            standardize=False,
            fit_intercept=False,
            tol=args.tol,
            max_iter=args.max_iter,
            n_splits=0,
        )
        t = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - t
        coef = np.ascontiguousarray(model.coef_path_.T)

    np.save(args.out, coef)
    print(json.dumps({"peer": args.peer, "version": version, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
