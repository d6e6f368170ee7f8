//! Presentation of results (plotters SVG and PNG): the path and cross-validation plots, the
//! report's charts and its HTML page.

pub mod accuracy;
pub mod charts;
pub mod cv_plot;
pub mod export;
pub mod figure;
pub mod html;
pub mod path_plot;
pub mod style;

pub use html::write_report;
pub use path_plot::{path_svg_string, write_path_plot, PathFigure, MAX_PATH_LINES};
