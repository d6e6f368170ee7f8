//! The file formats of a single-chart figure (`--plot F.svg` or `F.png`): a figure draws itself
//! on any plotters backend, and [`write_figure`] picks the backend by the file's extension.

use super::style::{plot_err, register_fonts};
use crate::error::input_error;
use crate::output::write_output;
use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A figure's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotFormat {
    /// Vector graphics (plotters' SVG backend): for papers and web pages.
    Svg,
    /// An RGB bitmap (plotters' bitmap backend, encoded by the `png` crate): for pasting into
    /// chats and documents that take no SVG.
    Png,
}

/// The format of `path` by its extension (`.svg` or `.png`, any case); anything else is an input
/// error naming `flag` and the file.
pub fn plot_format(path: &Path, flag: &str) -> Result<PlotFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(PlotFormat::Svg),
        Some("png") => Ok(PlotFormat::Png),
        _ => Err(input_error(format!(
            "{flag} {}: the plot is written as SVG or PNG; name a file ending in .svg or .png",
            path.display()
        ))),
    }
}

/// A chart that draws itself on any plotters backend.
pub trait Figure {
    /// Width and height in pixels (SVG user units).
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure, background included, on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// The bytes of `fig` as an SVG document or a PNG file.
pub fn render(fig: &impl Figure, format: PlotFormat) -> Result<Vec<u8>> {
    register_fonts()?;
    let (w, h) = fig.size();
    match format {
        PlotFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                fig.draw(&root)?;
                root.present().map_err(plot_err)?;
            }
            Ok(svg.into_bytes())
        }
        PlotFormat::Png => {
            let mut rgb = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                fig.draw(&root)?;
                root.present().map_err(plot_err)?;
            }
            png_bytes(&rgb, w, h)
        }
    }
}

/// An 8-bit RGB image (rows top to bottom) as PNG bytes.
fn png_bytes(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().context("encoding the PNG")?;
    writer.write_image_data(rgb).context("encoding the PNG")?;
    writer.finish().context("encoding the PNG")?;
    Ok(out)
}

/// Writes `fig` to `out` in the format its extension names (`flag` names the argument in the
/// error for any other extension).
pub fn write_figure(fig: &impl Figure, out: &Path, flag: &str) -> Result<()> {
    let bytes = render(fig, plot_format(out, flag)?)?;
    write_output(out, &bytes).with_context(|| format!("writing {}", out.display()))
}
