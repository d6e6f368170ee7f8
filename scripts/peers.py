#!/usr/bin/env python3
"""Solve a lasso path with another library across a ladder of tolerances, for `regpath bench --peers`.

Usage: peers.py PEER --x X.npy|X.npz --y y.npy --alphas alphas.npy [--loss squared|logistic]
                 [--intercept] [--l1-ratio R] --tols T1,T2,... --runs R --max-iter N --out-dir DIR

X (n x p, dense .npy or scipy sparse .npz, passed to the library as it is: never densified) and
y are the design regpath solves, alphas on regpath's scale: squared loss
1/(2n)||y - X b - c||^2 + alpha ||b||_1 (scikit-learn's Lasso scale, glmnet's lambda), logistic
loss 1/n sum log(1 + exp(-s_i (x_i b + c))) + alpha ||b||_1 with s_i = 2 y_i - 1 (glmnet's
binomial lambda; scikit-learn's LogisticRegression at C = 1/(n alpha)). With --intercept the
peer fits the intercept c (sparse X: in place of centering X); without it, c = 0 (X and y already
centered). Neither library standardizes: regpath hands over X on the design's scale.
With --l1-ratio R < 1 (squared loss only) the penalty is the elastic net's
alpha (R ||b||_1 + (1 - R)/2 ||b||^2) (scikit-learn's ElasticNet/enet_path l1_ratio, glmnet's
alpha). glmnet scales y to unit standard deviation s_y (1/n) inside and divides the lambdas by
it, so the ridge weight it solves for is lambda (1 - a)/s_y: it gets a' = R/k and lambda' =
alpha k with k = R + s_y (1 - R), which gives l1 weight alpha R and ridge weight alpha (1 - R).
PEER is sklearn (ElasticNet/enet_path `tol`: its duality gap relative to ||y||^2/n; LogisticRegression
with saga and an L1 penalty, warm-started along the path: `tol` on the coefficients' change) or
glmnet (ElasticNet/LogitNet `thresh`, on coefficient change times the null deviance).

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
    ap.add_argument("--loss", choices=["squared", "logistic"], default="squared")
    ap.add_argument("--intercept", action="store_true", help="fit an intercept")
    ap.add_argument("--l1-ratio", type=float, default=1.0, help="elastic-net mixing, in (0, 1]")
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
    if not 0.0 < args.l1_ratio <= 1.0:
        ap.error(f"--l1-ratio {args.l1_ratio}: must be in (0, 1]")
    if args.l1_ratio < 1.0 and args.loss == "logistic":
        ap.error("--l1-ratio below 1 is for squared loss only")

    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed (pip install numpy)", file=sys.stderr)
        return 3
    if args.x.endswith(".npz"):
        try:
            import scipy.sparse
        except ImportError:
            print("scipy is not installed (pip install scipy)", file=sys.stderr)
            return 3
        x = scipy.sparse.load_npz(args.x).tocsc().astype(np.float64)
        if x.nnz < 2**31 - 1:
            # scikit-learn's saga and liblinear take 32-bit indices only
            x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)
    else:
        x = np.asfortranarray(np.load(args.x), dtype=np.float64)
    y = np.ravel(np.load(args.y)).astype(np.float64)
    alphas = np.ravel(np.load(args.alphas)).astype(np.float64)
    n = x.shape[0]
    logistic = args.loss == "logistic"

    if args.peer == "sklearn":
        try:
            import sklearn
            from sklearn.linear_model import ElasticNet, LogisticRegression, enet_path
        except ImportError:
            print("scikit-learn is not installed (pip install scikit-learn)", file=sys.stderr)
            return 3
        version = sklearn.__version__

        def along_path(model, target):
            coefs = np.zeros((len(alphas), x.shape[1]))
            for k, a in enumerate(alphas):
                if logistic:
                    model.set_params(C=1.0 / (n * a))
                else:
                    model.set_params(alpha=a)
                model.fit(x, target)
                coefs[k] = np.ravel(model.coef_)
            return coefs

        if logistic:
            # scikit-learn >= 1.8 spells the L1 penalty l1_ratio=1 (penalty= is deprecated)
            import inspect

            default = inspect.signature(LogisticRegression).parameters["penalty"].default
            l1 = {"l1_ratio": 1.0} if default == "deprecated" else {"penalty": "l1"}

            def solve(tol):
                model = LogisticRegression(
                    solver="saga",
                    tol=tol,
                    max_iter=args.max_iter,
                    fit_intercept=args.intercept,
                    warm_start=True,
                    **l1,
                )
                return along_path(model, y.astype(int))

        elif args.intercept:

            def solve(tol):
                model = ElasticNet(
                    l1_ratio=args.l1_ratio,
                    fit_intercept=True,
                    tol=tol,
                    max_iter=args.max_iter,
                    warm_start=True,
                )
                return along_path(model, y)

        else:

            def solve(tol):
                _, coefs, _ = enet_path(
                    x, y, l1_ratio=args.l1_ratio, alphas=alphas, tol=tol, max_iter=args.max_iter
                )
                return coefs.T

    else:
        try:
            import glmnet
            from glmnet import ElasticNet, LogitNet
        except ImportError:
            print(
                "glmnet is not installed (pip install python-glmnet; building it needs gfortran)",
                file=sys.stderr,
            )
            return 3
        version = getattr(glmnet, "__version__", "unknown")

        # glmnet's own y scale s_y (see the module's doc); k = 1 for the lasso
        yc = y - y.mean() if args.intercept else y
        k = args.l1_ratio + float(np.sqrt(np.mean(yc * yc))) * (1.0 - args.l1_ratio)

        def solve(tol):
            model = (LogitNet if logistic else ElasticNet)(
                alpha=args.l1_ratio / k,
                lambda_path=alphas * k,
                standardize=False,
                fit_intercept=args.intercept,
                tol=tol,
                max_iter=args.max_iter,
                n_splits=0,
            )
            model.fit(x, y.astype(int) if logistic else y)
            # LogitNet's path is (1, p, K) for two classes, ElasticNet's (p, K)
            return np.reshape(model.coef_path_, (x.shape[1], len(alphas))).T

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
