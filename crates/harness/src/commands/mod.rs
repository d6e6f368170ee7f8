//! One module per subcommand.

pub mod ab;
pub mod bench;
pub mod check;
pub mod compare;
pub mod completions;
pub mod cv;
pub mod demo;
pub mod devices;
pub mod merge;
pub mod path;
pub mod report;
