//! Presentation of results (plotters SVG): the path plot, the report's charts and its HTML page.

pub mod accuracy;
pub mod charts;
pub mod cv_plot;
pub mod export;
pub mod html;
pub mod path_plot;
pub mod style;

pub use html::write_report;
pub use path_plot::{path_svg, path_svg_string, MAX_PATH_LINES};
