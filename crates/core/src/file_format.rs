//! Which reader an input file takes: `.csv` by its extension; NPY and scipy `.npz` (a zip
//! archive) by their first bytes, whatever the name; anything else is read as svmlight/libsvm
//! text, whose files often carry no extension (`real-sim`) or their own (`.binary`, `.t`).

use crate::error::DataError;
use std::io::Read;
use std::path::Path;

/// An input file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// NumPy `.npy`: a dense array.
    Npy,
    /// Comma-separated text: a dense array.
    Csv,
    /// scipy `save_npz`: a sparse matrix (CSR or CSC).
    Npz,
    /// svmlight/libsvm text: a sparse matrix and its labels.
    Svmlight,
}

impl FileFormat {
    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Npy => "NPY",
            FileFormat::Csv => "CSV",
            FileFormat::Npz => "scipy sparse .npz",
            FileFormat::Svmlight => "svmlight/libsvm",
        }
    }

    /// Whether the format holds a sparse matrix.
    pub fn is_sparse(self) -> bool {
        matches!(self, FileFormat::Npz | FileFormat::Svmlight)
    }
}

/// The format of the file at `path` (see the module docs); a missing or unreadable file is an
/// error naming it.
pub fn detect(path: &Path) -> Result<FileFormat, DataError> {
    let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    if ext("csv") {
        return Ok(FileFormat::Csv);
    }
    let io = |error| DataError::Io {
        path: path.into(),
        error,
    };
    let mut head = Vec::with_capacity(6);
    std::fs::File::open(path)
        .map_err(io)?
        .take(6)
        .read_to_end(&mut head)
        .map_err(io)?;
    Ok(if head.starts_with(b"\x93NUMPY") || ext("npy") {
        FileFormat::Npy
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || ext("npz") {
        FileFormat::Npz
    } else {
        FileFormat::Svmlight
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_first_bytes() {
        let dir = std::env::temp_dir().join(format!("regpath-format-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sparse");
        let copy = |from: &str, to: &str| {
            let p = dir.join(to);
            std::fs::copy(fixtures.join(from), &p).unwrap();
            p
        };
        assert_eq!(detect(&copy("X.npy", "x.data")).unwrap(), FileFormat::Npy);
        assert_eq!(detect(&copy("csr.npz", "x.bin")).unwrap(), FileFormat::Npz);
        assert_eq!(
            detect(&copy("one_based.svm", "real-sim")).unwrap(),
            FileFormat::Svmlight
        );
        assert_eq!(
            detect(&copy("one_based.svm", "x.csv")).unwrap(),
            FileFormat::Csv
        );
        assert!(matches!(
            detect(&dir.join("missing.svm")),
            Err(DataError::Io { .. })
        ));
    }
}
