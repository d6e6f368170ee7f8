//! GPU integration tests, one binary: adapters, solvers (certified gaps, supports), blocking,
//! sparse X against its densified copy (paths and cross-validation batches).
//! They fail instead of skipping when REGPATH_REQUIRE_GPU=1 and no adapter opens.

mod adapters;
mod common;
mod cv;
mod logistic;
mod progress;
mod solvers;
mod sparse;
mod sparse_cv;
