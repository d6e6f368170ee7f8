//! The data's files: X and y read from dense (NPY, CSV) or sparse (scipy `.npz`, svmlight/libsvm)
//! files, with the readers' notes printed on stderr, and the writers of `--save-data`.

use crate::error::input_error;
use anyhow::Result;
use ndarray::Array2;
use regpath_core::file_format::{detect, FileFormat};
use regpath_core::io::CsvHeader;
use regpath_core::{npz, svmlight, Csc, Dataset, Storage};
use std::path::{Path, PathBuf};

/// X from `x` and y from `y` (or from `x` itself when it is svmlight text). Dense X files keep
/// their reader; sparse ones become a sparse dataset. `header` is `--header`'s rule when the flag
/// was given (refused unless X or y is CSV), None for the default (auto).
pub fn read_x_y(x: &Path, y: Option<&Path>, header: Option<CsvHeader>) -> Result<Dataset> {
    let format = detect(x)?;
    let is_csv = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if header.is_some() && !is_csv(x) && !y.is_some_and(is_csv) {
        return Err(input_error(format!(
            "--header applies to CSV files only, and {} is {} (y {}); drop --header",
            x.display(),
            format.name(),
            if y.is_some() {
                "is not CSV either"
            } else {
                "comes with it"
            }
        )));
    }
    match (format, y) {
        (FileFormat::Svmlight, None) => read_svmlight(x),
        (FileFormat::Svmlight, Some(y)) => Err(input_error(format!(
            "--x {} is a svmlight/libsvm file, which holds y too; drop --y {} (or write X as \
             .npz to pair it with another y)",
            x.display(),
            y.display()
        ))),
        (FileFormat::Npz, Some(y)) => {
            let read = npz::read_npz(x)?;
            print_notes(&read.notes);
            let yv = regpath_core::io::read_vector_with(y, header.unwrap_or(CsvHeader::Auto))?;
            check_rows(x, read.x.dim().0, y, yv.len())?;
            Ok(Dataset::sparse(read.x, yv)?)
        }
        (_, None) => Err(input_error(format!(
            "--x {} needs --y: a {} file holds X only (svmlight/libsvm text holds both: use \
             --data F.svm)",
            x.display(),
            format.name()
        ))),
        (FileFormat::Npy | FileFormat::Csv, Some(y)) => {
            read_dense(x, y, header.unwrap_or(CsvHeader::Auto))
        }
    }
}

/// Dense X (NPY or CSV, with its column names when a CSV header has them) and y.
fn read_dense(x: &Path, y: &Path, header: CsvHeader) -> Result<Dataset> {
    let (xm, names) = regpath_core::io::read_matrix_named(x, header)?;
    let yv = regpath_core::io::read_vector_with(y, header)?;
    check_rows(x, xm.nrows(), y, yv.len())?;
    let mut data = Dataset::new(xm, yv)?;
    data.feature_names = names;
    Ok(data)
}

/// X and y of a svmlight/libsvm file (`--data`, or `--x` without `--y`).
pub fn read_svmlight(path: &Path) -> Result<Dataset> {
    match detect(path)? {
        FileFormat::Svmlight => {}
        other => {
            return Err(input_error(format!(
                "--data {} is {}, not svmlight/libsvm text; pass it as --x with its --y",
                path.display(),
                other.name()
            )))
        }
    }
    let read = svmlight::read_svmlight(path)?;
    print_notes(&read.notes);
    Ok(Dataset::sparse(read.x, read.y)?)
}

fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

fn check_rows(x: &Path, n: usize, y: &Path, len: usize) -> Result<()> {
    if n != len {
        return Err(input_error(format!(
            "{} has {n} rows but {} has {len} values; X and y must have the same number of samples",
            x.display(),
            y.display()
        )));
    }
    Ok(())
}

/// `--save-data`: `X.npy,y.npy` (dense X), `X.npz,y.npy` (scipy sparse X) or one svmlight
/// file; every output is checked before any is written, and each replaces its file safely.
pub fn save_data(paths: &[PathBuf], data: &Dataset) -> Result<()> {
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    match paths {
        [f] if !(ext(f, "npy") || ext(f, "npz") || ext(f, "csv")) => {
            crate::output::check_outputs([f.as_path()])?;
            let x = sparse_x(data);
            crate::output::write_output_with(f, |w| {
                svmlight::write_svmlight(w, &x, data.y.as_slice().expect("y is contiguous"))
            })
        }
        [f] => Err(input_error(format!(
            "--save-data {}: one file holds X and y only as svmlight/libsvm text (e.g. \
             --save-data data.svm); name two files for X and y (e.g. --save-data X.npz,y.npy)",
            f.display()
        ))),
        [x, y] => {
            crate::output::check_outputs([x.as_path(), y.as_path()])?;
            let bytes = if ext(x, "npz") {
                npz::npz_bytes(&sparse_x(data))
            } else {
                match &data.x {
                    Storage::Dense(a) => regpath_core::io::npy_bytes(a),
                    Storage::Sparse(_) => {
                        return Err(input_error(format!(
                            "--save-data {}: X is sparse; save it as scipy .npz (--save-data \
                             X.npz,{}) or svmlight text (--save-data data.svm)",
                            x.display(),
                            y.display()
                        )))
                    }
                }
            };
            crate::output::write_output(x, &bytes)?;
            crate::output::write_output(y, &regpath_core::io::npy_vector_bytes(&data.y))
        }
        _ => Err(input_error(format!(
            "--save-data takes X and y (e.g. --save-data X.npy,y.npy or X.npz,y.npy) or one \
             svmlight file (e.g. --save-data data.svm), got {} files",
            paths.len()
        ))),
    }
}

/// X as a sparse matrix: shared when it is one, its non-zeros when it is dense.
fn sparse_x(data: &Dataset) -> std::sync::Arc<Csc> {
    match &data.x {
        Storage::Sparse(x) => x.clone(),
        Storage::Dense(a) => std::sync::Arc::new(csc_of_dense(a)),
    }
}

/// The non-zeros of a dense matrix, column by column.
fn csc_of_dense(a: &Array2<f64>) -> Csc {
    let (n, p) = a.dim();
    let mut col_ptr = Vec::with_capacity(p + 1);
    let (mut rows, mut values) = (Vec::new(), Vec::new());
    col_ptr.push(0);
    for col in a.columns() {
        for (i, &v) in col.iter().enumerate() {
            if v != 0.0 {
                rows.push(i);
                values.push(v);
            }
        }
        col_ptr.push(rows.len());
    }
    Csc::from_csc(n, p, col_ptr, rows, values).expect("a finite dense matrix's non-zeros")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("regpath-data-files-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    #[test]
    fn saved_text_data_reads_back_the_same_from_npz_and_svmlight() {
        let text = regpath_core::synth::text(60, 300, 5, 3).unwrap();
        let want = text.x.to_dense();
        let data = Dataset::sparse(text.x, text.y.clone()).unwrap();
        let (svm, x, y) = (tmp("t.svm"), tmp("t.npz"), tmp("t_y.npy"));
        save_data(std::slice::from_ref(&svm), &data).unwrap();
        save_data(&[x.clone(), y.clone()], &data).unwrap();
        for back in [
            read_svmlight(&svm).unwrap(),
            read_x_y(&x, Some(&y), None).unwrap(),
        ] {
            assert_eq!(back.x.sparse().unwrap().to_dense(), want);
            assert_eq!(back.y, text.y);
        }
        // a dense X saved as .npz reads back as its non-zeros
        let a = ndarray::array![[0.0, 2.0], [1.5, 0.0], [0.0, 0.0]];
        let dense = Dataset::new(a.clone(), ndarray::array![1.0, 0.0, 1.0]).unwrap();
        save_data(&[x.clone(), y.clone()], &dense).unwrap();
        let back = read_x_y(&x, Some(&y), None).unwrap();
        assert_eq!(back.x.sparse().unwrap().to_dense(), a);
    }

    #[test]
    fn dense_matrices_become_their_non_zeros() {
        let a = ndarray::array![[0.0, 2.0, 0.0], [1.5, 0.0, 0.0]];
        let x = csc_of_dense(&a);
        assert_eq!(x.nnz(), 2);
        assert_eq!(x.to_dense(), a);
    }
}
