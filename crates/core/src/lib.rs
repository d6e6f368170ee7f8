//! regpath-core: the data, the problem and the certifier that every regpath solver is judged by.
//!
//! - [`Dataset`]: validated X (n × p) and y; [`synth`] generators; [`io`] NPY/CSV readers;
//!   [`npz`] and [`svmlight`] readers and writers of sparse X ([`sparse::Csc`]).
//! - [`Design`]: the data a solver sees — centered for the intercept, optionally standardized —
//!   and the map back to the original scale of X.
//! - [`Matrix`]: every operation solvers perform on X (column dot/axpy/norm, Xβ, XᵀR), so a new
//!   storage plugs in under them: [`Dense`] (column-major) and sparse [`Csc`] ([`Storage`]),
//!   whose centering and scaling stay implicit ([`scaled_csc`]).
//! - [`Problem`]: loss × [`Penalty`] × alphas; [`alpha_max`] and [`alpha_grid`].
//! - [`certify()`]: the one f64 implementation of the primal objective, a dual-feasible point,
//!   the duality gap and the KKT violation.
//!
//! Objective (squared loss), with λ1 = α·ρ and λ2 = α·(1 − ρ):
//! `P(β) = 1/(2n) ‖y − Xβ‖² + λ1 ‖β‖₁ + λ2/2 ‖β‖²` — scikit-learn's ElasticNet scale.

pub mod certify;
pub mod certify_logistic;
pub mod compressed;
pub mod data;
pub mod design;
pub mod design_matrix;
pub mod error;
pub mod file_format;
pub mod folds;
pub mod grid;
pub mod io;
pub mod limits;
pub mod linalg;
pub mod loss;
pub mod matrix;
pub mod npz;
pub mod path;
pub mod penalty;
pub mod problem;
pub mod scaled_csc;
pub mod sparse;
pub mod storage;
pub mod svmlight;
pub mod synth;

pub use certify::{certify, certify_parts, Certificate};
pub use certify_logistic::certify_logistic;
pub use data::Dataset;
pub use design::{Design, DesignOptions};
pub use design_matrix::DesignMatrix;
pub use error::DataError;
pub use grid::{alpha_grid, alpha_max};
pub use loss::Loss;
pub use matrix::{Dense, Matrix};
pub use path::Path;
pub use penalty::Penalty;
pub use problem::Problem;
pub use sparse::{Csc, SparseError};
pub use storage::{SparseUnsupported, Storage};
