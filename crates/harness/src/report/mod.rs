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

/// The text of every `<text>` element of an SVG (the charts' unit tests read their labels).
#[cfg(test)]
pub(crate) fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| {
            rest.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}
