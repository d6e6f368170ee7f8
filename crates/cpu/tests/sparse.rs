//! Sparse X: cpu-cd (squared and logistic loss) and cpu-fista on a CSC matrix, its centering and
//! scaling implicit, against the same solvers on the same matrix densified — the same certified
//! path, with and without an intercept and standardization.

use ndarray::{Array1, Array2, ShapeBuilder};
use regpath_core::{
    alpha_grid, alpha_max, Csc, Dataset, Design, DesignOptions, Loss, Penalty, Problem,
};
use regpath_cpu::{solve, CpuParams, CpuSolver};

/// Uniform [0, 1) numbers from splitmix64 (a fixed, dependency-free stream for test data).
struct Uniform(u64);

impl Uniform {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / 2f64.powi(64)
    }
}

/// A random n × p matrix with about `density` non-zeros (values in [0, 2), as TF-IDF weights
/// are non-negative), plus one empty and one constant column; labels from a sparse model.
fn data(n: usize, p: usize, density: f64, seed: u64) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = Uniform(seed);
    let mut x = Array2::<f64>::zeros((n, p).f());
    for v in x.iter_mut() {
        if rng.next() < density {
            *v = 2.0 * rng.next();
        }
    }
    x.column_mut(3).fill(0.0);
    x.column_mut(4).fill(0.75);
    let coef = Array1::from_iter((0..p).map(|j| if j % 7 == 0 { 1.5 } else { 0.0 }));
    let score = x.dot(&coef);
    let y = Array1::from_iter(score.iter().map(|s| s + 0.3 * rng.next()));
    let mean = score.mean().unwrap();
    let labels = Array1::from_iter(
        score
            .iter()
            .map(|s| f64::from(s - mean + 0.8 * (rng.next() - 0.5) > 0.0)),
    );
    (x, y, labels)
}

/// Solves `problem` on both designs and checks: each path certified on its own design to `tol`,
/// the sparse path certified again on the dense design (an independent storage of the same
/// problem), the same objective values and coefficients on X's original scale.
fn same_path(dense: &Design, sparse: &Design, problem: &Problem, solver: CpuSolver, tol: f64) {
    let params = CpuParams {
        solver,
        tol,
        max_iter: 100_000,
    };
    let pd = solve(dense, problem, &params).unwrap();
    let ps = solve(sparse, problem, &params).unwrap();
    let cd = problem.certify(dense, &pd);
    let cs = problem.certify(sparse, &ps);
    let cross = problem.certify(dense, &ps);
    for k in 0..problem.alphas.len() {
        assert!(cd[k].rel_gap <= tol, "dense alpha {k}: {:?}", cd[k]);
        assert!(cs[k].rel_gap <= tol, "sparse alpha {k}: {:?}", cs[k]);
        assert!(
            cross[k].rel_gap <= tol,
            "sparse path on dense X, alpha {k}: {:?}",
            cross[k]
        );
        // the two certifiers (implicit vs explicit centering) agree on the same solution
        let scale = cs[k].primal.abs().max(1e-300);
        assert!(
            (cs[k].primal - cross[k].primal).abs() <= 1e-10 * scale,
            "{k}"
        );
        assert!(
            (cd[k].primal - cs[k].primal).abs() <= 4.0 * tol * scale.max(1.0),
            "{k}"
        );
        let (a, ia) = dense.original_scale(pd.coefs.row(k), pd.intercepts[k]);
        let (b, ib) = sparse.original_scale(ps.coefs.row(k), ps.intercepts[k]);
        let size = a.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for j in 0..a.len() {
            assert!(
                (a[j] - b[j]).abs() <= 1e-4 * size,
                "alpha {k} coef {j}: {} vs {}",
                a[j],
                b[j]
            );
        }
        assert!(
            (ia - ib).abs() <= 1e-4 * size.max(ia.abs()),
            "alpha {k} intercept"
        );
    }
}

fn designs(x: &Array2<f64>, y: &Array1<f64>, options: DesignOptions) -> (Design, Design) {
    let csc = Csc::from_dense(x.view()).unwrap();
    let dense = Design::new(&Dataset::new(x.clone(), y.clone()).unwrap(), options).unwrap();
    let sparse = Design::new(&Dataset::sparse(csc, y.clone()).unwrap(), options).unwrap();
    assert!(sparse.x.is_sparse() && !dense.x.is_sparse());
    (dense, sparse)
}

/// Squared loss, lasso and elastic net, p > n (residual updates) and n > p (covariance
/// updates), cpu-cd and cpu-fista, every intercept/standardization combination.
#[test]
fn squared_loss_sparse_path_equals_the_densified_path() {
    for (n, p, seed) in [(40, 90, 1), (120, 25, 2)] {
        let (x, y, _) = data(n, p, 0.1, seed);
        for fit_intercept in [true, false] {
            for standardize in [false, true] {
                let options = DesignOptions {
                    fit_intercept,
                    standardize,
                    loss: Loss::Squared,
                };
                let (dense, sparse) = designs(&x, &y, options);
                for penalty in [Penalty::LASSO, Penalty::elastic_net(0.5).unwrap()] {
                    let top = alpha_max(&dense, Loss::Squared, penalty);
                    let top_sparse = alpha_max(&sparse, Loss::Squared, penalty);
                    assert!(
                        (top - top_sparse).abs() <= 1e-12 * top,
                        "{top} vs {top_sparse}"
                    );
                    let alphas = alpha_grid(top, 12, 1e-2).unwrap();
                    let problem = Problem::new(Loss::Squared, penalty, alphas).unwrap();
                    same_path(&dense, &sparse, &problem, CpuSolver::Cd, 1e-10);
                    if n < p {
                        same_path(&dense, &sparse, &problem, CpuSolver::Fista, 1e-8);
                    }
                }
            }
        }
    }
}

/// Ridge on sparse X goes to CD (the SVD needs dense X) and reaches the dense SVD's path.
#[test]
fn sparse_ridge_goes_to_cd_and_matches_the_closed_form() {
    let (x, y, _) = data(30, 50, 0.2, 5);
    let (dense, sparse) = designs(&x, &y, DesignOptions::default());
    let problem = Problem::new(Loss::Squared, Penalty::RIDGE, vec![1.0, 0.1, 0.01]).unwrap();
    same_path(&dense, &sparse, &problem, CpuSolver::Cd, 1e-10);
}

/// Logistic loss (proximal Newton with inner CD on a weighted, shifted working response).
#[test]
fn logistic_sparse_path_equals_the_densified_path() {
    for (n, p, seed) in [(60, 80, 3), (150, 20, 4)] {
        let (x, _, labels) = data(n, p, 0.15, seed);
        for fit_intercept in [true, false] {
            for standardize in [false, true] {
                let options = DesignOptions {
                    fit_intercept,
                    standardize,
                    loss: Loss::Logistic,
                };
                let (dense, sparse) = designs(&x, &labels, options);
                for penalty in [Penalty::LASSO, Penalty::elastic_net(0.7).unwrap()] {
                    let top = alpha_max(&dense, Loss::Logistic, penalty);
                    let alphas = alpha_grid(top, 10, 2e-2).unwrap();
                    let problem = Problem::new(Loss::Logistic, penalty, alphas).unwrap();
                    same_path(&dense, &sparse, &problem, CpuSolver::Cd, 1e-10);
                }
            }
        }
    }
}
