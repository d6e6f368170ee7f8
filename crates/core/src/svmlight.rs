//! svmlight/libsvm text files: one sample per line, `label [qid:Q] index:value …`, `#` starts a
//! comment. The reader follows scikit-learn's `load_svmlight_file`: indices are 0-based when
//! any index is 0 and 1-based otherwise (its `zero_based="auto"`), the number of features is the
//! largest index + 1, `qid` is read and ignored. Where scikit-learn refuses a line whose indices
//! are unsorted or repeated, this reader sorts them and sums the values of a repeated index, and
//! says so in a note. The writer writes what that reader (and this one) reads back unchanged.

use crate::compressed::normalize;
use crate::error::DataError;
use crate::limits::check_f64s;
use crate::sparse::Csc;
use ndarray::Array1;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

/// X and y of a svmlight file, and notes on what the reader ignored or changed.
#[derive(Debug)]
pub struct SvmlightData {
    pub x: Csc,
    pub y: Array1<f64>,
    /// Whether the file's indices were read as 0-based (some index is 0).
    pub zero_based: bool,
    /// One line each: `qid` ignored, unsorted or repeated indices sorted and summed.
    pub notes: Vec<String>,
}

/// Bytes of text the reader needs at least per stored value (`i:v` and a separator), for the
/// memory check made before reading.
const MIN_ENTRY_BYTES: u64 = 4;

/// Reads a svmlight/libsvm file (see the module docs). Errors name the file, line and column.
pub fn read_svmlight(path: &Path) -> Result<SvmlightData, DataError> {
    let io = |error| DataError::Io {
        path: path.into(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    // every value costs 16 bytes (index and value) and at least MIN_ENTRY_BYTES of text
    check_f64s(
        &format!("the values of {} ({size} bytes of text)", path.display()),
        2 * u128::from(size / MIN_ENTRY_BYTES),
    )?;
    let mut reader = BufReader::new(file);
    let mut head = [0u8; 3];
    let got = reader.fill_buf().map_err(io)?.len().min(3);
    head[..got].copy_from_slice(&reader.buffer()[..got]);
    if let Some(kind) = compressed_kind(&head[..got]) {
        return Err(DataError::Svmlight {
            path: path.into(),
            line: 1,
            column: 1,
            msg: format!("this is a {kind}-compressed file; decompress it first"),
        });
    }
    let mut parser = Parser::new(path);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        parser.line(&line)?;
    }
    parser.finish()
}

/// The compression a file's first bytes show (gzip, bzip2), if any.
fn compressed_kind(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if head.starts_with(b"BZh") {
        Some("bzip2")
    } else {
        None
    }
}

/// The state of a read: the rows so far (CSR) and what the notes will say.
struct Parser<'a> {
    path: &'a Path,
    line_no: usize,
    row_ptr: Vec<usize>,
    col_idx: Vec<usize>,
    values: Vec<f64>,
    y: Vec<f64>,
    /// Line numbers of the rows, kept only to place the first unsorted row in a note.
    first_unsorted_line: Option<usize>,
    qid_lines: usize,
    min_index: Option<usize>,
    max_index: Option<usize>,
}

impl<'a> Parser<'a> {
    fn new(path: &'a Path) -> Self {
        Parser {
            path,
            line_no: 0,
            row_ptr: vec![0],
            col_idx: Vec::new(),
            values: Vec::new(),
            y: Vec::new(),
            first_unsorted_line: None,
            qid_lines: 0,
            min_index: None,
            max_index: None,
        }
    }

    fn err(&self, column: usize, msg: String) -> DataError {
        DataError::Svmlight {
            path: self.path.into(),
            line: self.line_no,
            column,
            msg,
        }
    }

    /// Parses one line (with its line end, if any).
    fn line(&mut self, raw: &[u8]) -> Result<(), DataError> {
        self.line_no += 1;
        let text = raw.split(|&b| b == b'#').next().unwrap_or(&[]);
        let mut tokens = tokens(text).peekable();
        let Some((col, label)) = tokens.next() else {
            return Ok(()); // blank or comment line
        };
        let label_text = self.utf8(col, label)?;
        let y: f64 = label_text.parse().map_err(|_| {
            self.err(
                col,
                format!(
                    "the label {} is not a number{}",
                    crate::io::shown(label_text),
                    if label_text.contains(':') {
                        " (each line starts with its label: `label index:value …`)"
                    } else {
                        ""
                    }
                ),
            )
        })?;
        if !y.is_finite() {
            return Err(self.err(col, format!("non-finite label {label_text}")));
        }
        if let Some((_, t)) = tokens.peek() {
            if t.starts_with(b"qid:") {
                self.qid_lines += 1;
                tokens.next();
            }
        }
        let mut prev: Option<usize> = None;
        for (col, token) in tokens {
            let token = self.utf8(col, token)?;
            let Some((i_text, v_text)) = token.split_once(':') else {
                return Err(self.err(
                    col,
                    format!("expected index:value, found {}", crate::io::shown(token)),
                ));
            };
            let index: usize = i_text.parse().map_err(|_| {
                let why = if i_text.starts_with('-') {
                    "a negative index"
                } else if !i_text.is_empty() && i_text.bytes().all(|b| b.is_ascii_digit()) {
                    "an index too large for this machine"
                } else {
                    "not an index (a whole number)"
                };
                self.err(col, format!("{}: {why}", crate::io::shown(i_text)))
            })?;
            let value: f64 = v_text.parse().map_err(|_| {
                self.err(
                    col + i_text.len() + 1,
                    format!("the value {} is not a number", crate::io::shown(v_text)),
                )
            })?;
            if !value.is_finite() {
                return Err(self.err(
                    col + i_text.len() + 1,
                    format!("non-finite value {v_text} at index {index}"),
                ));
            }
            if prev.is_some_and(|p| index <= p) && self.first_unsorted_line.is_none() {
                self.first_unsorted_line = Some(self.line_no);
            }
            prev = Some(index);
            self.min_index = Some(self.min_index.map_or(index, |m| m.min(index)));
            self.max_index = Some(self.max_index.map_or(index, |m| m.max(index)));
            self.col_idx.push(index);
            self.values.push(value);
        }
        self.y.push(y);
        self.row_ptr.push(self.col_idx.len());
        Ok(())
    }

    fn utf8<'t>(&self, col: usize, token: &'t [u8]) -> Result<&'t str, DataError> {
        std::str::from_utf8(token).map_err(|_| self.err(col, "not UTF-8 text".into()))
    }

    /// The matrix: indices shifted to 0-based where the file is 1-based, rows normalized.
    fn finish(mut self) -> Result<SvmlightData, DataError> {
        let n = self.y.len();
        if n == 0 {
            return Err(DataError::Empty(format!(
                "{} has no samples (no line with a label)",
                self.path.display()
            )));
        }
        let zero_based = self.min_index == Some(0);
        if !zero_based {
            self.col_idx.iter_mut().for_each(|i| *i -= 1);
        }
        let p = self
            .max_index
            .map_or(0, |m| if zero_based { m + 1 } else { m });
        if p == 0 {
            return Err(DataError::Empty(format!(
                "{} has no features (no index:value on any line)",
                self.path.display()
            )));
        }
        check_f64s(
            &format!(
                "the column offsets of X (p + 1 = {} from the largest index in {})",
                p as u128 + 1,
                self.path.display()
            ),
            p as u128 + 1,
        )?;
        let mut notes = Vec::new();
        if self.qid_lines > 0 {
            notes.push(format!(
                "{}: the query ids (qid) of {} lines are ignored",
                self.path.display(),
                self.qid_lines
            ));
        }
        let fixed = normalize(&mut self.row_ptr, &mut self.col_idx, &mut self.values);
        if !fixed.is_clean() {
            notes.push(format!(
                "{}: {} lines had feature indices out of order or repeated (first: line {}); \
                 their indices were sorted and the values of a repeated index summed",
                self.path.display(),
                fixed.slices,
                self.first_unsorted_line.unwrap_or(0)
            ));
        }
        let x = Csc::from_csr(n, p, self.row_ptr, self.col_idx, self.values).map_err(|e| {
            DataError::Svmlight {
                path: self.path.into(),
                line: 0,
                column: 0,
                msg: e.to_string(),
            }
        })?;
        Ok(SvmlightData {
            x,
            y: Array1::from(self.y),
            zero_based,
            notes,
        })
    }
}

/// The whitespace-separated tokens of `text` with their 1-based byte columns.
fn tokens(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        while pos < text.len() && text[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        while pos < text.len() && !text[pos].is_ascii_whitespace() {
            pos += 1;
        }
        Some((start + 1, &text[start..pos]))
    })
}

/// A number as the shortest text that reads back as the same f64 (Rust's formatting), in
/// exponent form outside [1e-5, 1e16) so tiny and huge values stay short.
fn number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Writes X and y as svmlight text with 1-based indices (read back correctly by
/// `load_svmlight_file`'s default auto-detection, which takes a file without index 0 as
/// 1-based). A comment line gives the shape; when the last column holds no value, the last row
/// gets an explicit `p:0`, so that readers that take the number of features from the largest
/// index see all p.
pub fn write_svmlight(w: &mut dyn Write, x: &Csc, y: &[f64]) -> std::io::Result<()> {
    let (n, p) = x.dim();
    assert_eq!(y.len(), n, "one label per row");
    let (row_ptr, cols, vals) = rows_of(x);
    let mut out = std::io::BufWriter::new(w);
    writeln!(
        out,
        "# {n} samples, {p} features, 1-based indices (regpath)"
    )?;
    let last_empty = x.col(p - 1).0.is_empty();
    for i in 0..n {
        write!(out, "{}", number(y[i]))?;
        for k in row_ptr[i]..row_ptr[i + 1] {
            write!(out, " {}:{}", cols[k] + 1, number(vals[k]))?;
        }
        if last_empty && i + 1 == n {
            write!(out, " {p}:0")?;
        }
        writeln!(out)?;
    }
    out.flush()
}

/// X's rows (CSR: offsets, column indices sorted within a row, values) from its columns.
fn rows_of(x: &Csc) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let (n, p) = x.dim();
    let mut row_ptr = vec![0usize; n + 1];
    for j in 0..p {
        for &i in x.col(j).0 {
            row_ptr[i + 1] += 1;
        }
    }
    for i in 0..n {
        row_ptr[i + 1] += row_ptr[i];
    }
    let mut next = row_ptr.clone();
    let mut cols = vec![0usize; x.nnz()];
    let mut vals = vec![0.0f64; x.nnz()];
    for j in 0..p {
        let (rows, values) = x.col(j);
        for (&i, &v) in rows.iter().zip(values) {
            cols[next[i]] = j;
            vals[next[i]] = v;
            next[i] += 1;
        }
    }
    (row_ptr, cols, vals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sparse")
            .join(name)
    }

    fn tmp(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("regpath-svm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn dense(path: &str) -> Array2<f64> {
        crate::io::read_matrix(&fixture(path)).unwrap()
    }

    #[test]
    fn scikit_learn_dumps_read_as_their_dense_matrix() {
        let want = dense("X.npy");
        let want_y = crate::io::read_vector(&fixture("y.npy")).unwrap();
        for (name, zero_based, notes) in [
            ("one_based.svm", false, 0),
            ("zero_based.svm", true, 0),
            ("qid.svm", false, 1),
        ] {
            let d = read_svmlight(&fixture(name)).unwrap();
            assert_eq!(d.x.to_dense(), want, "{name}");
            assert_eq!(d.y, want_y, "{name}");
            assert_eq!(d.zero_based, zero_based, "{name}");
            assert_eq!(d.notes.len(), notes, "{name}: {:?}", d.notes);
        }
    }

    #[test]
    fn unsorted_and_repeated_indices_are_sorted_and_summed_with_a_note() {
        let p = tmp("unsorted.svm", "1 3:1 1:2 3:4\n0 2:1\n");
        let d = read_svmlight(&p).unwrap();
        let want = ndarray::array![[2.0, 0.0, 5.0], [0.0, 1.0, 0.0]];
        assert_eq!(d.x.to_dense(), want);
        assert_eq!(d.notes.len(), 1);
        assert!(d.notes[0].contains("line 1") && d.notes[0].contains("summed"));
    }

    #[test]
    fn bad_lines_name_the_line_and_column() {
        for (name, text, place) in [
            ("label.svm", "1 1:2\nspam 1:3\n", ":2:1:"),
            ("colon.svm", "1 1:2 3\n", ":1:7:"),
            ("negative.svm", "1 -1:2\n", ":1:3:"),
            ("value.svm", "1 1:2\n0 2:x\n", ":2:5:"),
            ("nan.svm", "1 1:nan\n", ":1:5:"),
            ("inf_label.svm", "# c\ninf 1:1\n", ":2:1:"),
            ("huge.svm", "1 99999999999999999999999:1\n", ":1:3:"),
        ] {
            let e = read_svmlight(&tmp(name, text)).unwrap_err().to_string();
            assert!(e.contains(&format!("{name}{place}")), "{e}");
        }
        let gz = tmp("gz.svm", "");
        std::fs::write(&gz, [0x1f, 0x8b, 8, 0]).unwrap();
        let e = read_svmlight(&gz).unwrap_err();
        assert!(e.to_string().contains("gzip"), "{e}");
        assert!(matches!(
            read_svmlight(&tmp("empty.svm", "# nothing\n\n")),
            Err(DataError::Empty(_))
        ));
        // an index so large that its column offsets cannot be allocated
        let e = read_svmlight(&tmp("wide.svm", "1 999999999999999999:1\n")).unwrap_err();
        assert!(e.to_string().contains("column offsets"), "{e}");
    }

    #[test]
    fn written_files_read_back_the_same_with_an_empty_last_column() {
        let x = ndarray::array![[0.0, 1e-300, 0.0], [2.5, 0.0, 0.0], [0.0, 0.0, 0.0]];
        let csc =
            crate::sparse::Csc::from_csc(3, 3, vec![0, 1, 2, 2], vec![1, 0], vec![2.5, 1e-300])
                .unwrap();
        assert_eq!(csc.to_dense(), x);
        let y = [1.0, -0.1, 3e20];
        let mut bytes = Vec::new();
        write_svmlight(&mut bytes, &csc, &y).unwrap();
        let p = tmp("written.svm", std::str::from_utf8(&bytes).unwrap());
        let d = read_svmlight(&p).unwrap();
        assert_eq!(d.x.to_dense(), x);
        assert_eq!(d.y.to_vec(), y.to_vec());
    }
}
