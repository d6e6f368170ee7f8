//! regpath-cpu: the reference solvers, in f64.
//!
//! - [`cd`]: pathwise coordinate descent (warm starts, sequential strong rules + KKT check,
//!   active-set cycling, naive or covariance updates), stopped on the certified duality gap.
//! - [`fista`]: batched FISTA with adaptive restart over all alphas at once — the independent
//!   second algorithm that tests compare against.
//! - [`ridge`]: every ridge alpha at once from one thin SVD.
//! - [`logistic`]: L1/L2 logistic paths by proximal Newton with inner CD (glmnet's approach).
//!
//! All take the prepared design (X column-major, y centered when an intercept is fitted) and
//! return a [`regpath_core::Path`] on the design's scale. Solvers never print.

pub mod cd;
pub mod fista;
pub mod logistic;
pub mod ridge;

pub use cd::{cd_path, CdParams};
pub use fista::{fista_path, FistaParams};
pub use logistic::logistic_path;
pub use ridge::ridge_path;

use ndarray::{ArrayView1, ArrayView2};
use regpath_core::{Path, Penalty};

/// Which CPU algorithm solves a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuSolver {
    /// Coordinate descent; ridge (l1_ratio = 0) goes to the SVD closed form.
    Cd,
    Fista,
}

/// Solves the path with `solver`; `tol` is the duality gap relative to ‖y‖²/n,
/// `max_iter` caps epochs (CD) or iterations (FISTA) per alpha.
pub fn solve_path(
    x: ArrayView2<f64>,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    solver: CpuSolver,
    tol: f64,
    max_iter: usize,
) -> Path {
    match solver {
        CpuSolver::Cd if penalty.l1_ratio == 0.0 => ridge_path(x, y, alphas),
        CpuSolver::Cd => cd_path(
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

/// Contiguous column slices of a column-major matrix.
pub(crate) fn columns<'a>(x: &ArrayView2<'a, f64>) -> Vec<&'a [f64]> {
    let x: ArrayView2<'a, f64> = *x;
    (0..x.ncols())
        .map(|j| {
            x.index_axis_move(ndarray::Axis(1), j)
                .to_slice()
                .expect("X must be column-major (Fortran order)")
        })
        .collect()
}
