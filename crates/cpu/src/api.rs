//! A path in a few lines: from X and y (any scale) to certified coefficients on X's scale,
//! with the defaults of scikit-learn's `lasso_path`/`enet_path` (100 alphas down to
//! 1e-3·alpha_max, intercept fitted, no standardization).

use crate::{solve, CpuParams, CpuSolver, SolveError};
use ndarray::{Array2, ArrayView1, ArrayView2, ShapeBuilder};
use regpath_core::{
    alpha_grid, alpha_max, Certificate, DataError, Dataset, Design, DesignOptions, Path, Penalty,
    Problem,
};

/// Settings of [`lasso_path`]; `Default` is scikit-learn's lasso path with regpath's tol.
#[derive(Clone, Debug)]
pub struct PathParams {
    /// ρ of the elastic net `α(ρ‖β‖₁ + (1 − ρ)/2‖β‖²)`: 1 = Lasso, 0 = Ridge.
    pub l1_ratio: f64,
    /// Loss, intercept and standardization (scikit-learn's defaults: squared loss, an
    /// intercept, no standardization — glmnet standardizes).
    pub design: DesignOptions,
    /// The alphas to solve (decreasing); None: `n_alphas` down to `eps`·alpha_max.
    pub alphas: Option<Vec<f64>>,
    pub n_alphas: usize,
    pub eps: f64,
    /// Duality gap relative to the gap scale (‖y‖²/n of the centered y; the null deviance).
    pub tol: f64,
    /// Epochs (CD) or iterations (FISTA) per alpha.
    pub max_iter: usize,
    pub solver: CpuSolver,
}

impl Default for PathParams {
    fn default() -> Self {
        PathParams {
            l1_ratio: 1.0,
            design: DesignOptions::default(),
            alphas: None,
            n_alphas: 100,
            eps: 1e-3,
            tol: 1e-7,
            max_iter: 100_000,
            solver: CpuSolver::Cd,
        }
    }
}

/// A solved, certified path: `path` on X's original scale (row k of `coefs` and
/// `intercepts[k]` are the model at `alphas[k]`), `certificates[k]` its f64 duality gap and KKT
/// violation.
#[derive(Clone, Debug)]
pub struct Solution {
    pub path: Path,
    pub certificates: Vec<Certificate>,
}

impl Solution {
    /// The largest relative duality gap over the path.
    pub fn worst_rel_gap(&self) -> f64 {
        self.certificates
            .iter()
            .fold(0.0f64, |m, c| m.max(c.rel_gap))
    }
}

/// Why [`lasso_path`] could not solve.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// Solves and certifies the elastic-net path (a Lasso path by default) of `x` (n × p, any
/// layout) and `y`, with `params`.
///
/// ```
/// use regpath_cpu::{lasso_path, PathParams};
///
/// let data = regpath_core::synth::regression(60, 30, 5, 1.0, 0).unwrap();
/// let sol = lasso_path(data.x.dense().unwrap().view(), data.y.view(), &PathParams::default()).unwrap();
/// assert_eq!(sol.path.coefs.dim(), (100, 30));
/// assert!(sol.worst_rel_gap() <= 1e-7);
/// // at alpha_max every coefficient is 0 and the intercept is the mean of y
/// assert!(sol.path.coefs.row(0).iter().all(|&b| b == 0.0));
/// assert!((sol.path.intercepts[0] - data.y.mean().unwrap()).abs() < 1e-12);
/// ```
pub fn lasso_path(
    x: ArrayView2<f64>,
    y: ArrayView1<f64>,
    params: &PathParams,
) -> Result<Solution, PathError> {
    let mut xf = Array2::zeros(x.dim().f());
    xf.assign(&x);
    let data = Dataset::new(xf, y.to_owned())?;
    let design = Design::new(&data, params.design)?;
    let loss = params.design.loss;
    let penalty = Penalty::elastic_net(params.l1_ratio)?;
    let alphas = match &params.alphas {
        Some(a) => a.clone(),
        None => alpha_grid(
            alpha_max(&design, loss, penalty),
            params.n_alphas,
            params.eps,
        )?,
    };
    let problem = Problem::new(loss, penalty, alphas)?;
    let path = solve(
        &design,
        &problem,
        &CpuParams {
            solver: params.solver,
            tol: params.tol,
            max_iter: params.max_iter,
        },
    )?;
    let certificates = problem.certify(&design, &path);
    let mut original = path.clone();
    for (k, mut row) in original.coefs.rows_mut().into_iter().enumerate() {
        let (coef, b) = design.original_scale(path.coefs.row(k), path.intercepts[k]);
        row.assign(&coef);
        original.intercepts[k] = b;
    }
    Ok(Solution {
        path: original,
        certificates,
    })
}
