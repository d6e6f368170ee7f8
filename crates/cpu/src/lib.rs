//! regpath-cpu: the reference solvers, in f64.
//!
//! - [`cd`]: pathwise coordinate descent (warm starts, sequential strong rules + KKT check,
//!   active-set cycling, naive or covariance updates), stopped on the certified duality gap;
//!   on dense X, [`cd_path_dense`] runs the same algorithm on SIMD [`kernels`] with cheaper
//!   passes over X (an f32 copy and bounds carried between passes, both rigorous upper bounds).
//! - [`fista`]: batched FISTA with adaptive restart over all alphas at once — the independent
//!   second algorithm that tests compare against.
//! - [`ridge`]: every ridge alpha at once from one thin SVD.
//! - [`logistic`]: L1/L2 logistic paths by proximal Newton with inner CD (glmnet's approach).
//!
//! [`lasso_path`] solves and certifies a path from X and y in one call (scikit-learn's
//! defaults); [`solve`] is the entry point for any loss and solver (the modules' functions are the parts).
//! All take the prepared design (X dense column-major or sparse CSC with implicit centering and
//! scaling, y centered when an intercept is fitted) and return a [`regpath_core::Path`] on the
//! design's scale; CD, logistic CD and FISTA are generic over [`regpath_core::Matrix`], ridge's
//! SVD needs dense X (sparse ridge goes to CD). Solvers never print.

mod api;
pub mod cd;
mod drift;
mod f32_copy;
pub mod fista;
pub mod kernels;
pub mod logistic;
mod lookahead;
pub mod ridge;
mod screening;

pub use api::{lasso_path, PathError, PathParams, Solution};
pub use cd::{cd_path, cd_path_dense, CdParams};
pub use fista::{fista_path, FistaParams};
pub use logistic::logistic_path;
pub use ridge::ridge_path;

use ndarray::ArrayView1;
use regpath_core::{Dense, Design, DesignMatrix, Loss, Matrix, Path, Penalty, Problem};

/// Which CPU algorithm solves a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuSolver {
    /// Coordinate descent; ridge (l1_ratio = 0) goes to the SVD closed form; logistic loss by
    /// proximal Newton with inner CD.
    Cd,
    /// Batched FISTA, squared loss only.
    Fista,
}

impl CpuSolver {
    /// Whether this solver takes `loss`: the CPU crate's say in which (loss, solver) pairs exist.
    pub fn supports(self, loss: Loss) -> bool {
        matches!(
            (self, loss),
            (CpuSolver::Cd, _) | (CpuSolver::Fista, Loss::Squared)
        )
    }
}

/// Settings of [`solve`]: `tol` is the duality gap relative to the design's gap scale
/// (`Design::gap_scale`), `max_iter` caps epochs (CD) or iterations (FISTA) per alpha.
#[derive(Clone, Copy, Debug)]
pub struct CpuParams {
    pub solver: CpuSolver,
    pub tol: f64,
    pub max_iter: usize,
}

/// Why a CPU solve did not run.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("{solver:?} does not solve {loss} loss")]
    Unsupported {
        solver: CpuSolver,
        loss: &'static str,
    },
}

/// Solves `problem` on the prepared `design` with any CPU solver and loss: the crate's one
/// entry point. Coefficients come back on the design's scale (see `Design::original_scale`).
///
/// ```
/// use regpath_core::{alpha_grid, alpha_max, certify, synth, Design, DesignOptions, Loss, Penalty, Problem};
/// use regpath_cpu::{solve, CpuParams, CpuSolver};
///
/// let data = synth::regression(50, 20, 4, 1.0, 0).unwrap();
/// let design = Design::new(&data, DesignOptions::default()).unwrap();
/// let alphas = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 10, 1e-2).unwrap();
/// let problem = Problem::new(Loss::Squared, Penalty::LASSO, alphas).unwrap();
/// let params = CpuParams { solver: CpuSolver::Cd, tol: 1e-9, max_iter: 10_000 };
/// let path = solve(&design, &problem, &params).unwrap();
/// let last = path.coefs.row(9);
/// let cert = certify(design.matrix(), design.y.view(), last, problem.alphas[9], Penalty::LASSO);
/// assert!(cert.rel_gap <= 1e-9);
/// ```
pub fn solve(design: &Design, problem: &Problem, params: &CpuParams) -> Result<Path, SolveError> {
    if !params.solver.supports(problem.loss) {
        return Err(SolveError::Unsupported {
            solver: params.solver,
            loss: problem.loss.name(),
        });
    }
    // one dispatch on the storage, so each solver's hot loops are compiled for it
    Ok(match design.matrix() {
        DesignMatrix::Dense(x) => solve_on(&x, Some(&x), design, problem, params),
        DesignMatrix::Sparse(x) => solve_on(&x, None, design, problem, params),
    })
}

/// [`solve`] on one storage `x`; `dense` is the same matrix when it is dense (ridge's SVD needs
/// it; on sparse X ridge goes to CD, which solves l1_ratio = 0 as well).
fn solve_on<M: Matrix>(
    x: &M,
    dense: Option<&Dense>,
    design: &Design,
    problem: &Problem,
    params: &CpuParams,
) -> Path {
    let y = design.y.view();
    let cd = CdParams {
        tol: params.tol,
        max_epochs: params.max_iter,
        ..Default::default()
    };
    match (problem.loss, params.solver, dense) {
        (Loss::Logistic, _, _) => logistic_path(
            x,
            y,
            &problem.alphas,
            problem.penalty,
            design.options.fit_intercept,
            &cd,
        ),
        (Loss::Squared, _, Some(x)) => solve_path(
            x,
            y,
            &problem.alphas,
            problem.penalty,
            params.solver,
            params.tol,
            params.max_iter,
        ),
        (Loss::Squared, CpuSolver::Cd, None) => {
            cd_path(x, y, &problem.alphas, problem.penalty, &cd)
        }
        (Loss::Squared, CpuSolver::Fista, None) => fista_path(
            x,
            y,
            &problem.alphas,
            problem.penalty,
            &FistaParams {
                tol: params.tol,
                max_iter: params.max_iter,
                ..Default::default()
            },
        ),
    }
}

/// Solves the path with `solver` on dense X (ridge's closed form needs the dense matrix; the
/// iterative solvers take any [`regpath_core::Matrix`]); `tol` is the duality gap relative to ‖y‖²/n,
/// `max_iter` caps epochs (CD) or iterations (FISTA) per alpha.
pub fn solve_path(
    x: &Dense,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    solver: CpuSolver,
    tol: f64,
    max_iter: usize,
) -> Path {
    match solver {
        CpuSolver::Cd if penalty.l1_ratio == 0.0 => ridge_path(x.view(), y, alphas),
        CpuSolver::Cd => cd_path_dense(
            x,
            y,
            alphas,
            penalty,
            &CdParams {
                tol,
                max_epochs: max_iter,
                ..Default::default()
            },
        ),
        CpuSolver::Fista => fista_path(
            x,
            y,
            alphas,
            penalty,
            &FistaParams {
                tol,
                max_iter,
                ..Default::default()
            },
        ),
    }
}
