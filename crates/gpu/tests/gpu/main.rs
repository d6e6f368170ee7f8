//! GPU integration tests, one binary: adapters, solvers (certified gaps, supports), blocking.
//! They fail instead of skipping when REGPATH_REQUIRE_GPU=1 and no adapter opens.

mod adapters;
mod common;
mod cv;
mod logistic;
mod progress;
mod solvers;
