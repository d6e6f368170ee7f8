//! Readers for X and y (NPY: f64/f32, C or Fortran order; CSV: numeric, optional header row)
//! and an NPY writer for coefficient matrices. Errors name the file, and for CSV the line/column;
//! a cell is quoted in a message up to [`SHOWN_CHARS`] characters.

use crate::error::DataError;
use ndarray::{Array1, Array2, ArrayD, Dimension, Ix1, Ix2};
use ndarray_npy::{read_npy, write_npy, ReadNpyError, WriteNpyExt};
use std::path::Path;

/// Whether the first row of a CSV file is a header (NPY files have none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvHeader {
    /// The first non-empty line is a header, whatever it holds.
    Yes,
    /// Every line is data: a cell that is not a number is an error.
    No,
    /// A header when none of the first line's cells is a number.
    #[default]
    Auto,
}

/// Reads an NPY or CSV file (by extension: `.csv` is CSV, anything else NPY) as an n × p matrix;
/// a CSV header is recognized as [`CsvHeader::Auto`] says.
pub fn read_matrix(path: &Path) -> Result<Array2<f64>, DataError> {
    read_matrix_with(path, CsvHeader::Auto)
}

/// [`read_matrix`] with the CSV header rule `header`.
pub fn read_matrix_with(path: &Path, header: CsvHeader) -> Result<Array2<f64>, DataError> {
    Ok(read_matrix_named(path, header)?.0)
}

/// [`read_matrix_with`], and the column names of a CSV file's header row (None for NPY files and
/// CSV files without a header; a name is its cell, trimmed, surrounding double quotes removed).
pub fn read_matrix_named(
    path: &Path,
    header: CsvHeader,
) -> Result<(Array2<f64>, Option<Vec<String>>), DataError> {
    let (a, names) = read_any_named(path, header)?;
    match a.ndim() {
        2 => Ok((a.into_dimensionality::<Ix2>().expect("2-D"), names)),
        d => Err(DataError::Shape {
            path: path.into(),
            msg: format!(
                "X must be a 2-D array (n × p), found {d}-D shape {:?}",
                a.shape()
            ),
        }),
    }
}

/// Reads y: a 1-D array, or a 2-D array with one column (or one row).
pub fn read_vector(path: &Path) -> Result<Array1<f64>, DataError> {
    read_vector_with(path, CsvHeader::Auto)
}

/// [`read_vector`] with the CSV header rule `header`.
pub fn read_vector_with(path: &Path, header: CsvHeader) -> Result<Array1<f64>, DataError> {
    let a = read_any(path, header)?;
    let shape = a.shape().to_vec();
    match shape.as_slice() {
        [_] => Ok(a.into_dimensionality::<Ix1>().expect("1-D")),
        [_, 1] | [1, _] => Ok(Array1::from_iter(a.iter().copied())),
        _ => Err(DataError::Shape {
            path: path.into(),
            msg: format!("y must be 1-D or a single column, found shape {shape:?}"),
        }),
    }
}

/// A matrix as the bytes of an f64 NPY file (C order), for writers that replace files safely.
pub fn npy_bytes(a: &Array2<f64>) -> Vec<u8> {
    let mut bytes = Vec::new();
    a.as_standard_layout()
        .write_npy(&mut bytes)
        .expect("an f64 matrix serializes into memory");
    bytes
}

/// A vector as the bytes of a 1-D f64 NPY file.
pub fn npy_vector_bytes(v: &ndarray::Array1<f64>) -> Vec<u8> {
    let mut bytes = Vec::new();
    v.write_npy(&mut bytes)
        .expect("an f64 vector serializes into memory");
    bytes
}

/// Writes a matrix as f64 NPY (C order).
pub fn write_matrix(path: &Path, a: &Array2<f64>) -> Result<(), DataError> {
    write_npy(path, &a.as_standard_layout().to_owned()).map_err(|e| DataError::Npy {
        path: path.into(),
        msg: e.to_string(),
    })
}

fn read_any(path: &Path, header: CsvHeader) -> Result<ArrayD<f64>, DataError> {
    Ok(read_any_named(path, header)?.0)
}

/// The array in `path` and, for a CSV file with a header row, its column names.
fn read_any_named(
    path: &Path,
    header: CsvHeader,
) -> Result<(ArrayD<f64>, Option<Vec<String>>), DataError> {
    if !path.exists() {
        return Err(DataError::Io {
            path: path.into(),
            error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::Io {
            path: path.into(),
            error: e,
        })?;
        let (rows, cols, v, names) = parse_csv(path, &text, header)?;
        let a = ArrayD::from_shape_vec(vec![rows, cols], v).expect("shape");
        return Ok((a, names));
    }
    check_npy_size(path)?;
    let a = read_npy_as_f64(path)?;
    if a.is_empty() {
        return Err(DataError::Empty(format!(
            "{} holds no values (shape {:?})",
            path.display(),
            a.shape()
        )));
    }
    if let Some((idx, v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(DataError::NonFinite {
            what: "input",
            value: *v,
            at: format!("{} index {:?}", path.display(), idx.slice()),
        });
    }
    Ok((a, None))
}

/// Checks an NPY header's shape against the file's size before anything is allocated: a header
/// that claims more values than the file holds is an error, not an allocation of its size.
fn check_npy_size(path: &Path) -> Result<(), DataError> {
    use std::io::Read;
    let bad = |msg: String| DataError::Npy {
        path: path.into(),
        msg,
    };
    let io = |error| DataError::Io {
        path: path.into(),
        error,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    let mut head = [0u8; 12];
    let got = f.read(&mut head).map_err(io)?;
    if got < 10 || &head[..6] != b"\x93NUMPY" {
        return Ok(()); // not an NPY file: the reader says so
    }
    let (len, start) = match head[6] {
        1 => (u16::from_le_bytes([head[8], head[9]]) as u64, 10u64),
        _ if got == 12 => (
            u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as u64,
            12u64,
        ),
        _ => return Ok(()),
    };
    if start + len > size {
        return Err(bad(format!(
            "the header claims {len} bytes but the file holds {size}"
        )));
    }
    let mut text = vec![0u8; len as usize];
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut skip = vec![0u8; start as usize];
    f.read_exact(&mut skip).map_err(io)?;
    f.read_exact(&mut text).map_err(io)?;
    let text = String::from_utf8_lossy(&text);
    npy_data_fits(&text, size - start - len).map_err(bad)
}

/// Checks that the data an NPY header (`text`, the dict after the magic and length) claims —
/// its shape's product times the dtype's bytes — fits in the `have` bytes that follow it. A
/// header whose shape it cannot find passes (the reader refuses it).
pub(crate) fn npy_data_fits(text: &str, have: u64) -> Result<(), String> {
    // bytes per value from the dtype's trailing size ('<f8', '<i4', '|u1', '|b1'); 1 when absent
    let item: u64 = text
        .split("'descr':")
        .nth(1)
        .and_then(|r| r.split('\'').nth(1))
        .map(|d| d.trim_start_matches(|c: char| !c.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(1);
    let Some(shape) = text
        .split("'shape':")
        .nth(1)
        .and_then(|r| r.split('(').nth(1))
        .and_then(|r| r.split(')').next())
    else {
        return Ok(());
    };
    let mut count: u64 = 1;
    for dim in shape.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let d: u64 = dim
            .parse()
            .map_err(|_| format!("the header's shape ({shape}) is not a list of sizes"))?;
        count = count
            .checked_mul(d)
            .ok_or_else(|| format!("the header's shape ({shape}) overflows"))?;
    }
    let need = count.saturating_mul(item);
    if need > have {
        return Err(format!(
            "the header claims shape ({shape}), {need} bytes of data, but the file holds {have}"
        ));
    }
    Ok(())
}

/// Reads an NPY array of any real dtype as f64: float64, float32, the integer types (labels are
/// often int64) and bool.
fn read_npy_as_f64(path: &Path) -> Result<ArrayD<f64>, DataError> {
    /// Tries `T`; Ok(None) when the file holds another dtype.
    fn attempt<T: ndarray_npy::ReadableElement + Copy>(
        path: &Path,
        to_f64: impl Fn(T) -> f64,
    ) -> Result<Option<ArrayD<f64>>, DataError> {
        match read_npy::<_, ArrayD<T>>(path) {
            Ok(a) => Ok(Some(a.mapv(to_f64))),
            Err(ReadNpyError::WrongDescriptor(_)) => Ok(None),
            Err(e) => Err(npy_error(path, e)),
        }
    }
    let found = match attempt::<f64>(path, |v| v)? {
        Some(a) => Some(a),
        None => match attempt::<f32>(path, f64::from)? {
            Some(a) => Some(a),
            None => match attempt::<i64>(path, |v| v as f64)? {
                Some(a) => Some(a),
                None => match attempt::<i32>(path, f64::from)? {
                    Some(a) => Some(a),
                    None => match attempt::<u8>(path, f64::from)? {
                        Some(a) => Some(a),
                        None => attempt::<bool>(path, |v| if v { 1.0 } else { 0.0 })?,
                    },
                },
            },
        },
    };
    found.ok_or_else(|| DataError::Npy {
        path: path.into(),
        msg: "unsupported dtype (use float64, float32, int64, int32, uint8 or bool)".into(),
    })
}

fn npy_error(path: &Path, e: ReadNpyError) -> DataError {
    match e {
        ReadNpyError::Io(error) => DataError::Io {
            path: path.into(),
            error,
        },
        other => DataError::Npy {
            path: path.into(),
            msg: clip(&other.to_string(), 4 * SHOWN_CHARS),
        },
    }
}

/// The most characters of a cell a message quotes.
pub const SHOWN_CHARS: usize = 40;

/// `text` up to `max` characters, then "…" and its size: a 1 MB cell is never echoed whole.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
    }
}

/// A cell quoted for a message (see [`clip`]).
pub(crate) fn shown(cell: &str) -> String {
    format!("{:?}", clip(cell, SHOWN_CHARS))
}

/// Whether `cell` is two or more numbers separated by `;`, tabs or spaces (not commas).
fn numbers_otherwise_separated(cell: &str) -> bool {
    let parts: Vec<&str> = cell
        .split(|c: char| c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    parts.len() > 1 && parts.iter().all(|s| s.parse::<f64>().is_ok())
}

/// The separator a cell that is not a number seems to use instead of commas (`;`, a tab, or
/// spaces between numbers), in words for a hint; None when it looks like no such thing.
fn foreign_separator(cell: &str) -> Option<&'static str> {
    if cell.contains(';') {
        Some("';'-separated")
    } else if cell.contains('\t') {
        Some("tab-separated")
    } else if numbers_otherwise_separated(cell) {
        Some("space-separated")
    } else {
        None
    }
}

/// The hint for a line whose cells look separated by something other than commas, or "".
fn separator_hint(cells: &[&str]) -> String {
    cells
        .iter()
        .find_map(|c| foreign_separator(c))
        .map(|sep| {
            format!(" (the file looks {sep}; regpath reads comma-separated CSV: replace the separator with ',')")
        })
        .unwrap_or_default()
}

/// The lines of `text` split at `\n`, `\r\n` or a lone `\r` (old Mac line ends).
fn csv_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.find(['\n', '\r']) {
            None => {
                rest = None;
                (!r.is_empty()).then_some(r)
            }
            Some(i) => {
                let skip = if r[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&r[i + skip..]);
                Some(&r[..i])
            }
        }
    })
}

/// Parses numeric CSV (a UTF-8 byte-order mark is skipped; lines end in `\n`, `\r\n` or `\r`).
/// The first line is a header as `header` says; with [`CsvHeader::Auto`], when none of its cells
/// is a number (and they are not numbers separated by `;`, tabs or spaces): a first line that mixes
/// numbers and text is an error at its first non-number, never a silently dropped row. Returns
/// (rows, columns, row-major values).
fn parse_csv(
    path: &Path,
    text: &str,
    header: CsvHeader,
) -> Result<(usize, usize, Vec<f64>, Option<Vec<String>>), DataError> {
    let err = |line: usize, column: usize, msg: String| DataError::Csv {
        path: path.into(),
        line,
        column,
        msg,
    };
    let mut values = Vec::new();
    let mut width: Option<usize> = None;
    let mut rows = 0;
    let mut header_hint = String::new();
    let mut names = None;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in csv_lines(text).enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let is_header = rows == 0
            && width.is_none()
            && match header {
                CsvHeader::Yes => true,
                CsvHeader::No => false,
                CsvHeader::Auto => cells
                    .iter()
                    .all(|c| c.parse::<f64>().is_err() && !numbers_otherwise_separated(c)),
            };
        if is_header {
            width = Some(cells.len());
            header_hint = separator_hint(&cells);
            names = Some(
                cells
                    .iter()
                    .map(|c| {
                        let unquoted = c.strip_prefix('"').and_then(|c| c.strip_suffix('"'));
                        unquoted.unwrap_or(c).trim().to_string()
                    })
                    .collect(),
            );
            continue;
        }
        match width {
            Some(w) if w != cells.len() => {
                return Err(err(
                    line_no,
                    cells.len().min(w) + 1,
                    format!(
                        "row has {} cells, expected {w} (ragged rows){}",
                        cells.len(),
                        separator_hint(&cells)
                    ),
                ))
            }
            _ => width = Some(cells.len()),
        }
        for (j, c) in cells.iter().enumerate() {
            let v: f64 = c.parse().map_err(|_| {
                let first = if rows == 0 && header == CsvHeader::No {
                    " (--header no: the first line is data)"
                } else {
                    ""
                };
                err(
                    line_no,
                    j + 1,
                    format!("not a number: {}{first}{}", shown(c), separator_hint(&[c])),
                )
            })?;
            if !v.is_finite() {
                return Err(err(
                    line_no,
                    j + 1,
                    format!("non-finite value {}", shown(c)),
                ));
            }
            values.push(v);
        }
        rows += 1;
    }
    if rows == 0 {
        let what = if width.is_some() {
            " (its one non-empty line was read as a header)"
        } else {
            ""
        };
        return Err(DataError::Empty(format!(
            "{} has no data rows{what}{header_hint}",
            path.display()
        )));
    }
    Ok((rows, width.unwrap_or(0), values, names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, ShapeBuilder};

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("regpath-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn npy_round_trips_f64_f32_c_and_fortran_order() {
        let a = array![[1.0, 2.0, 3.0], [4.0, 5.5, -6.0]];
        let p = tmp("c.npy");
        write_npy(&p, &a).unwrap();
        assert_eq!(read_matrix(&p).unwrap(), a);
        let mut f = Array2::<f64>::zeros((2, 3).f());
        f.assign(&a);
        let p = tmp("f.npy");
        write_npy(&p, &f).unwrap();
        assert_eq!(read_matrix(&p).unwrap(), a);
        let p = tmp("f32.npy");
        write_npy(&p, &a.mapv(|v| v as f32)).unwrap();
        assert_eq!(read_matrix(&p).unwrap(), a);
        let p = tmp("y.npy");
        write_npy(&p, &array![1.0, 0.0, 1.0]).unwrap();
        assert_eq!(read_vector(&p).unwrap(), array![1.0, 0.0, 1.0]);
        assert!(matches!(read_matrix(&p), Err(DataError::Shape { .. })));
    }

    #[test]
    fn csv_reads_with_and_without_header() {
        let p = tmp("h.csv");
        std::fs::write(&p, "a,b\n1,2\n3.5,-4e1\n").unwrap();
        assert_eq!(read_matrix(&p).unwrap(), array![[1.0, 2.0], [3.5, -40.0]]);
        let p = tmp("n.csv");
        std::fs::write(&p, "1,2\n3,4\n").unwrap();
        assert_eq!(read_matrix(&p).unwrap(), array![[1.0, 2.0], [3.0, 4.0]]);
    }

    #[test]
    fn csv_header_names_are_kept() {
        let p = tmp("names.csv");
        std::fs::write(&p, "age, \"blood pressure\" ,bmi\n1,2,3\n").unwrap();
        let (x, names) = read_matrix_named(&p, CsvHeader::Auto).unwrap();
        assert_eq!(x, array![[1.0, 2.0, 3.0]]);
        assert_eq!(names.unwrap(), ["age", "blood pressure", "bmi"]);
        let p = tmp("nonames.csv");
        std::fs::write(&p, "1,2\n").unwrap();
        assert_eq!(read_matrix_named(&p, CsvHeader::Auto).unwrap().1, None);
    }

    #[test]
    fn item_12_integer_and_bool_labels_read_as_f64() {
        let p = tmp("labels_i64.npy");
        write_npy(&p, &ndarray::array![1i64, 0, 1]).unwrap();
        assert_eq!(read_vector(&p).unwrap(), ndarray::array![1.0, 0.0, 1.0]);
        let p = tmp("labels_bool.npy");
        write_npy(&p, &ndarray::array![true, false]).unwrap();
        assert_eq!(read_vector(&p).unwrap(), ndarray::array![1.0, 0.0]);
        let p = tmp("x_i32.npy");
        write_npy(&p, &ndarray::array![[1i32, -2], [3, 4]]).unwrap();
        assert_eq!(
            read_matrix(&p).unwrap(),
            ndarray::array![[1.0, -2.0], [3.0, 4.0]]
        );
    }

    #[test]
    fn item_02_bom_and_mixed_first_row_never_drop_a_row() {
        let p = tmp("bom.csv");
        std::fs::write(&p, "\u{feff}1,2\n3,4\n").unwrap();
        assert_eq!(read_matrix(&p).unwrap(), array![[1.0, 2.0], [3.0, 4.0]]);
        let p = tmp("na.csv");
        std::fs::write(&p, "1,NA\n3,4\n").unwrap();
        let e = read_matrix(&p).unwrap_err().to_string();
        assert!(e.contains("na.csv:1:2") && e.contains("NA"), "{e}");
    }

    #[test]
    fn item_06_an_npy_header_that_lies_about_its_size_is_refused_before_allocating() {
        let mut header =
            "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000, 100000000), }"
                .to_string();
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(&[0u8; 4096]);
        let p = tmp("huge.npy");
        std::fs::write(&p, bytes).unwrap();
        let e = read_matrix(&p).unwrap_err().to_string();
        assert!(e.contains("huge.npy") && e.contains("holds 4096"), "{e}");
    }

    #[test]
    fn malformed_files_name_the_place() {
        let p = tmp("ragged.csv");
        std::fs::write(&p, "1,2\n3\n").unwrap();
        let e = read_matrix(&p).unwrap_err().to_string();
        assert!(e.contains("ragged.csv:2:"), "{e}");
        let p = tmp("word.csv");
        std::fs::write(&p, "x,y\n1,2\n3,abc\n").unwrap();
        let e = read_matrix(&p).unwrap_err().to_string();
        assert!(e.contains("word.csv:3:2"), "{e}");
        let p = tmp("nan.csv");
        std::fs::write(&p, "1,nan\n").unwrap();
        assert!(read_matrix(&p)
            .unwrap_err()
            .to_string()
            .contains("nan.csv:1:2"));
        let p = tmp("empty.csv");
        std::fs::write(&p, "").unwrap();
        assert!(matches!(read_matrix(&p), Err(DataError::Empty(_))));
        let p = tmp("bad.npy");
        std::fs::write(&p, b"not an npy file").unwrap();
        assert!(matches!(read_matrix(&p), Err(DataError::Npy { .. })));
        assert!(matches!(
            read_matrix(&tmp("missing.npy")),
            Err(DataError::Io { .. })
        ));
        let p = tmp("inf.npy");
        write_npy(&p, &array![[1.0, f64::INFINITY]]).unwrap();
        assert!(matches!(read_matrix(&p), Err(DataError::NonFinite { .. })));
    }

    /// `text` written to `name`, read as X with `header`.
    fn read_csv(name: &str, text: &str, header: CsvHeader) -> Result<Array2<f64>, DataError> {
        let p = tmp(name);
        std::fs::write(&p, text).unwrap();
        read_matrix_with(&p, header)
    }

    #[test]
    fn item_02_header_yes_no_auto() {
        let numbers = "1,2\n3,4\n";
        let auto = read_csv("numbers.csv", numbers, CsvHeader::Auto).unwrap();
        assert_eq!(auto, array![[1.0, 2.0], [3.0, 4.0]]);
        // yes: the first line is a header even when it is numbers (column names "1", "2")
        let yes = read_csv("numbers.csv", numbers, CsvHeader::Yes).unwrap();
        assert_eq!(yes, array![[3.0, 4.0]]);
        // no: a text first line is an error at its place, not a dropped row
        let e = read_csv("named.csv", "a,b\n1,2\n", CsvHeader::No).unwrap_err();
        assert!(e.to_string().contains("named.csv:1:1"), "{e}");
        let named = read_csv("named.csv", "a,b\n1,2\n", CsvHeader::Yes).unwrap();
        assert_eq!(named, array![[1.0, 2.0]]);
        // y files follow the same rule
        let p = tmp("y_numbers.csv");
        std::fs::write(&p, "7\n8\n").unwrap();
        assert_eq!(read_vector_with(&p, CsvHeader::Yes).unwrap(), array![8.0]);
        assert_eq!(read_vector(&p).unwrap(), array![7.0, 8.0]);
    }

    #[test]
    fn item_12_a_long_cell_is_clipped_in_messages() {
        let cell = "x".repeat(1 << 20);
        for (name, text) in [
            ("long_cell.csv", format!("1,2\n3,{cell}\n")),
            // a million digits: a number too large for f64
            (
                "long_number.csv",
                format!("1,2\n3,{}\n", "9".repeat(1 << 20)),
            ),
        ] {
            let e = read_csv(name, &text, CsvHeader::Auto)
                .unwrap_err()
                .to_string();
            assert!(e.len() < 300 && e.contains(name) && e.contains('…'), "{e}");
        }
        let e = read_csv("long_first.csv", &format!("{cell}\n"), CsvHeader::No)
            .unwrap_err()
            .to_string();
        assert!(e.len() < 300 && e.contains("(1048576 bytes)"), "{e}");
    }

    #[test]
    fn item_12_semicolon_tab_and_space_separated_files_get_a_hint() {
        for (name, text, sep) in [
            ("semi.csv", "1;2;3\n4;5;6\n", "';'-separated"),
            ("semi_header.csv", "a;b;c\n4;5;6\n", "';'-separated"),
            (
                "semi_decimal_comma.csv",
                "1,5;2,5\n3,5;4,5\n",
                "';'-separated",
            ),
            ("tabs.csv", "1\t2\t3\n4\t5\t6\n", "tab-separated"),
            ("spaces.csv", "1 2 3\n4 5 6\n", "space-separated"),
            ("semi_header_only.csv", "a;b;c\n", "';'-separated"),
        ] {
            let e = read_csv(name, text, CsvHeader::Auto)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(name) && e.contains(sep) && e.contains("comma-separated"),
                "{e}"
            );
        }
        // numbers separated by ';' on the first line are data with a hint, not a header
        let e = read_csv("semi.csv", "1;2;3\n4;5;6\n", CsvHeader::Auto).unwrap_err();
        assert!(e.to_string().contains("semi.csv:1:1"), "{e}");
    }

    #[test]
    fn item_12_cr_only_and_crlf_line_ends_are_read() {
        let want = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
        for (name, text) in [
            ("cr.csv", "a,b\r1,2\r3,4\r5,6\r"),
            ("crlf.csv", "a,b\r\n1,2\r\n3,4\r\n5,6"),
            ("mixed.csv", "1,2\n3,4\r\n5,6\r"),
        ] {
            assert_eq!(
                read_csv(name, text, CsvHeader::Auto).unwrap(),
                want,
                "{name}"
            );
        }
        // line numbers count CR-only lines
        let e = read_csv("cr_bad.csv", "1,2\r3,x\r", CsvHeader::Auto).unwrap_err();
        assert!(e.to_string().contains("cr_bad.csv:2:2"), "{e}");
    }
}
