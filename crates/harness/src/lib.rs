//! regpath-harness: the library behind the `regpath` CLI — solve and certify paths with any
//! solver, cross-validate, sweep benchmark suites, measure agreement, read and write results
//! files, and draw reports.
//!
//! Modules import downward only, in this order (each uses only the ones after it):
//!
//! - [`commands`]: one module per subcommand, plan → run → print.
//! - [`plan`]: validated plans from the parsed flags of [`cli`] (every flag of every command).
//! - [`data_files`]: X and y read from dense (NPY, CSV) or sparse (scipy `.npz`, svmlight) files;
//!   `--save-data`'s writers.
//! - [`peers`], [`report`]: other libraries' paths side by side; plots and HTML.
//! - [`sweep`]: suites, their workloads and case ids, the solver variants, timing a case.
//! - [`cv`]: k-fold cross-validation along the path (folds and the alpha choice are in
//!   `regpath_core::folds`).
//! - [`split`]: how cross-validation splits the samples (`--folds`, `--shuffle`, `--stratified`,
//!   `--foldid`) and the record of the split.
//! - [`agreement`]: metrics of a path against a reference, and the thresholds per precision.
//! - [`results`]: the results file schema `regpath.results/2` and the environment probe.
//! - [`progress`]: progress bars on stderr, moved by the GPU solvers' readbacks.
//! - [`engine`]: solve + certify with any solver (the one map onto regpath-cpu and regpath-gpu).
//! - [`solver`]: solver kinds, precisions, validated settings, counters.
//! - [`output`], [`table`], [`fmt`], [`error`]: the one file writer, tables, number formats,
//!   exit codes.
//!
//! A certified lasso path in a few lines (any [`solver::SolverKind`] works the same way; the
//! `examples/` folder has a path on NPY files, cross-validation and a GPU path):
//!
//! ```
//! use regpath_core::{alpha_grid, alpha_max, synth, Design, DesignOptions, Loss, Penalty, Problem};
//! use regpath_harness::{engine::Engine, solver::{SolverKind, SolverPlan}};
//!
//! let data = synth::regression(60, 30, 5, 1.0, 0)?;
//! let design = Design::new(&data, DesignOptions::default())?;
//! let alphas = alpha_grid(alpha_max(&design, Loss::Squared, Penalty::LASSO), 20, 1e-2)?;
//! let problem = Problem::new(Loss::Squared, Penalty::LASSO, alphas)?;
//! let plan = SolverPlan::new(SolverKind::CpuCd, None, Some(1e-10), 10_000, None, None)?;
//! let run = Engine::default().run(&design, &problem, &plan)?;
//! // every alpha is certified in f64 by regpath-core, not by the solver's stopping rule
//! assert!(run.worst_rel_gap() <= 1e-10);
//! assert_eq!(run.certificates[0].nnz, 0); // alpha_max: all coefficients are zero
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod agreement;
pub mod cli;
pub mod commands;
pub mod cv;
pub mod data_files;
pub mod engine;
pub mod error;
pub mod fmt;
pub mod model;
pub mod output;
pub mod peers;
pub mod plan;
pub mod progress;
pub mod report;
pub mod results;
pub mod solver;
pub mod split;
pub mod sweep;
pub mod table;
