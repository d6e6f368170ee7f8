//! scipy's sparse `.npz` files (`scipy.sparse.save_npz`): a zip archive (deflate-compressed by
//! default) of the NPY arrays `data`, `indices`, `indptr`, `format` (`csr` or `csc`) and
//! `shape`. The zip crate reads and writes the archive, ndarray-npy its arrays. Every size is
//! checked before it is allocated: an entry's declared size against the memory available, an
//! array's header against the entry's bytes, `indptr` against `shape`.

use crate::compressed::normalize;
use crate::error::DataError;
use crate::limits::check_f64s;
use crate::sparse::Csc;
use ndarray::{Array1, ArrayD};
use ndarray_npy::{ReadNpyError, ReadNpyExt, ReadableElement, WriteNpyExt};
use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;

/// The arrays of a scipy sparse `.npz` file.
const ENTRIES: [&str; 5] = ["data", "indices", "indptr", "format", "shape"];

/// X of a `.npz` file and notes on what the reader changed.
#[derive(Debug)]
pub struct NpzData {
    pub x: Csc,
    /// The file's layout, `csr` or `csc`.
    pub format: String,
    /// One line when indices were unsorted or repeated (sorted, values summed).
    pub notes: Vec<String>,
}

/// Reads a scipy `save_npz` file (CSR or CSC, compressed or not). Errors name the file and the
/// array and index at fault.
pub fn read_npz(path: &Path) -> Result<NpzData, DataError> {
    let bad = |msg: String| DataError::Npz {
        path: path.into(),
        msg,
    };
    let file = std::fs::File::open(path).map_err(|error| DataError::Io {
        path: path.into(),
        error,
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        bad(format!(
            "not a zip archive as scipy.sparse.save_npz writes ({e})"
        ))
    })?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .collect();
    if let Some(missing) = ENTRIES
        .iter()
        .find(|e| !names.iter().any(|n| *n == format!("{e}.npy")))
    {
        let hint = if names.iter().any(|n| n.starts_with("arr_")) {
            " (numpy.savez arrays? save a dense X with numpy.save as .npy)"
        } else {
            ""
        };
        return Err(bad(format!(
            "no {missing}.npy in the archive, which holds {names:?}: not a scipy sparse matrix{hint}"
        )));
    }
    let format = read_format(&entry_bytes(&mut zip, "format", path)?).map_err(&bad)?;
    let csr = match format.as_str() {
        "csr" => true,
        "csc" => false,
        other => {
            return Err(bad(format!(
                "format.npy: format {other:?} is not read; save the matrix as CSR or CSC \
                 (scipy: save_npz(f, X.tocsr()))"
            )))
        }
    };
    let shape: Vec<i64> = read_ints(&entry_bytes(&mut zip, "shape", path)?, "shape", path)?;
    let [n, p] = shape[..] else {
        return Err(bad(format!(
            "shape.npy: a matrix has 2 sizes, found {shape:?}"
        )));
    };
    let (Ok(n), Ok(p)) = (usize::try_from(n), usize::try_from(p)) else {
        return Err(bad(format!("shape.npy: negative size in {shape:?}")));
    };
    if n == 0 || p == 0 {
        return Err(DataError::Empty(format!(
            "{}: X has shape ({n}, {p})",
            path.display()
        )));
    }
    let (major, minor) = if csr { (n, p) } else { (p, n) };
    let (major_name, minor_name) = if csr {
        ("row", "column")
    } else {
        ("column", "row")
    };
    // the offsets of the other layout are allocated when X is built
    check_f64s(
        &format!(
            "the offsets of X (p + 1 = {} for shape ({n}, {p}))",
            p as u128 + 1
        ),
        p as u128 + 1,
    )?;
    let indptr: Vec<i64> = read_ints(&entry_bytes(&mut zip, "indptr", path)?, "indptr", path)?;
    if indptr.len() != major + 1 {
        return Err(bad(format!(
            "indptr.npy has {} entries; a {format} matrix of shape ({n}, {p}) needs {} \
             ({major_name}s + 1)",
            indptr.len(),
            major + 1
        )));
    }
    if indptr[0] != 0 {
        return Err(bad(format!(
            "indptr.npy[0] = {}: the offsets start at 0",
            indptr[0]
        )));
    }
    if let Some(k) = (1..indptr.len()).find(|&k| indptr[k] < indptr[k - 1]) {
        return Err(bad(format!(
            "indptr.npy[{k}] = {} is less than indptr.npy[{}] = {}: the offsets must not decrease",
            indptr[k],
            k - 1,
            indptr[k - 1]
        )));
    }
    let indices: Vec<i64> = read_ints(&entry_bytes(&mut zip, "indices", path)?, "indices", path)?;
    let nnz = indptr[major] as usize;
    if indices.len() != nnz {
        return Err(bad(format!(
            "indices.npy has {} entries but indptr.npy ends at {nnz}; they must agree",
            indices.len()
        )));
    }
    let data = read_values(&entry_bytes(&mut zip, "data", path)?, path)?;
    if data.len() != nnz {
        return Err(bad(format!(
            "data.npy has {} values but indptr.npy ends at {nnz}; they must agree",
            data.len()
        )));
    }
    let ptr: Vec<usize> = indptr.iter().map(|&v| v as usize).collect();
    let slice_of = |k: usize| ptr.partition_point(|&o| o <= k) - 1;
    let mut idx = Vec::with_capacity(nnz);
    for (k, &i) in indices.iter().enumerate() {
        if i < 0 || i as u64 >= minor as u64 {
            return Err(bad(format!(
                "indices.npy[{k}] = {i} ({major_name} {}): a {minor_name} index must be in \
                 0..{minor} for shape ({n}, {p})",
                slice_of(k)
            )));
        }
        idx.push(i as usize);
    }
    drop(indices);
    if let Some(k) = data.iter().position(|v| !v.is_finite()) {
        return Err(bad(format!(
            "data.npy[{k}] = {} ({major_name} {}, {minor_name} {}): values must be finite",
            data[k],
            slice_of(k),
            idx[k]
        )));
    }
    let mut ptr = ptr;
    let mut values = data;
    let fixed = normalize(&mut ptr, &mut idx, &mut values);
    let mut notes = Vec::new();
    if !fixed.is_clean() {
        notes.push(format!(
            "{}: {} {major_name}s had {minor_name} indices out of order or repeated (first: \
             {major_name} {}); their indices were sorted and the values of a repeated index \
             summed ({} entries merged), as scipy's sum_duplicates does",
            path.display(),
            fixed.slices,
            fixed.first.unwrap_or(0),
            fixed.summed
        ));
    }
    let x = if csr {
        Csc::from_csr(n, p, ptr, idx, values)
    } else {
        Csc::from_csc(n, p, ptr, idx, values)
    }
    .map_err(|e| bad(e.to_string()))?;
    Ok(NpzData { x, format, notes })
}

/// The bytes of `name`.npy in the archive, after checking its declared size against the memory
/// available; an entry that inflates past its declared size is an error, not an allocation.
fn entry_bytes<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    path: &Path,
) -> Result<Vec<u8>, DataError> {
    let bad = |msg: String| DataError::Npz {
        path: path.into(),
        msg,
    };
    let mut entry = zip
        .by_name(&format!("{name}.npy"))
        .map_err(|e| bad(format!("{name}.npy: {e}")))?;
    let size = entry.size();
    check_f64s(
        &format!("{name}.npy in {} ({size} bytes)", path.display()),
        u128::from(size / 8 + 1),
    )?;
    // reserved up to 64 MiB: a declared size is a claim until the bytes arrive
    let mut bytes = Vec::with_capacity(size.min(1 << 26) as usize);
    (&mut entry)
        .take(size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("{name}.npy: cannot inflate ({e})")))?;
    if bytes.len() as u64 != size {
        return Err(bad(format!(
            "{name}.npy: the archive declares {size} bytes but it holds {}",
            bytes.len()
        )));
    }
    let (header, data_start) = npy_header(&bytes)
        .ok_or_else(|| bad(format!("{name}.npy: not an NPY array (no NPY header)")))?;
    crate::io::npy_data_fits(&header, (bytes.len() - data_start) as u64)
        .map_err(|msg| bad(format!("{name}.npy: {msg}")))?;
    Ok(bytes)
}

/// An NPY array's header dict and the offset of its data, None when `bytes` is not NPY.
fn npy_header(bytes: &[u8]) -> Option<(String, usize)> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return None;
    }
    let (len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10usize),
        _ if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return None,
    };
    let end = start.checked_add(len).filter(|&e| e <= bytes.len())?;
    Some((
        String::from_utf8_lossy(&bytes[start..end]).into_owned(),
        end,
    ))
}

/// `format.npy`: a 0-d byte string (`|S3`, what scipy writes) or unicode string (`<U3`).
fn read_format(bytes: &[u8]) -> Result<String, String> {
    let (header, start) =
        npy_header(bytes).ok_or("format.npy: not an NPY array (no NPY header)")?;
    let data = &bytes[start..];
    let text = if header.contains("'<U") {
        data.chunks_exact(4)
            .map(|c| char::from_u32(u32::from_le_bytes([c[0], c[1], c[2], c[3]])).unwrap_or('?'))
            .collect::<String>()
    } else if header.contains("'|S") {
        String::from_utf8_lossy(data).into_owned()
    } else {
        return Err(format!(
            "format.npy: expected a string ('csr' or 'csc'), found header {}",
            crate::io::shown(&header)
        ));
    };
    Ok(text.trim_end_matches('\0').trim().to_string())
}

/// An integer array (`indptr`, `indices`, `shape`: int32 or int64, as scipy writes them; also
/// the unsigned types) as i64, flattened.
fn read_ints(bytes: &[u8], name: &str, path: &Path) -> Result<Vec<i64>, DataError> {
    let bad = |msg: String| DataError::Npz {
        path: path.into(),
        msg: format!("{name}.npy: {msg}"),
    };
    if let Some(a) = attempt::<i32>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| i64::from(v)).collect());
    }
    if let Some(a) = attempt::<i64>(bytes).map_err(&bad)? {
        return Ok(a.into_iter().collect());
    }
    if let Some(a) = attempt::<u32>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| i64::from(v)).collect());
    }
    if let Some(a) = attempt::<u64>(bytes).map_err(&bad)? {
        return a
            .iter()
            .enumerate()
            .map(|(k, &v)| i64::try_from(v).map_err(|_| bad(format!("[{k}] = {v} is too large"))))
            .collect();
    }
    Err(bad("unsupported dtype (scipy writes int32 or int64)".into()))
}

/// `data.npy` as f64: float64, float32, int64, int32, uint8 or bool.
fn read_values(bytes: &[u8], path: &Path) -> Result<Vec<f64>, DataError> {
    let bad = |msg: String| DataError::Npz {
        path: path.into(),
        msg: format!("data.npy: {msg}"),
    };
    if let Some(a) = attempt::<f64>(bytes).map_err(&bad)? {
        return Ok(a.into_iter().collect());
    }
    if let Some(a) = attempt::<f32>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| f64::from(v)).collect());
    }
    if let Some(a) = attempt::<i64>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| v as f64).collect());
    }
    if let Some(a) = attempt::<i32>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| f64::from(v)).collect());
    }
    if let Some(a) = attempt::<u8>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| f64::from(v)).collect());
    }
    if let Some(a) = attempt::<bool>(bytes).map_err(&bad)? {
        return Ok(a.iter().map(|&v| f64::from(u8::from(v))).collect());
    }
    Err(bad(
        "unsupported dtype (use float64, float32, int64, int32, uint8 or bool)".into(),
    ))
}

/// The array in `bytes` as `T`; None when it holds another dtype.
fn attempt<T: ReadableElement>(bytes: &[u8]) -> Result<Option<ArrayD<T>>, String> {
    match ArrayD::<T>::read_npy(bytes) {
        Ok(a) => Ok(Some(a)),
        Err(ReadNpyError::WrongDescriptor(_)) => Ok(None),
        Err(e) => Err(crate::io::shown(&e.to_string())),
    }
}

/// X as the bytes of a scipy `.npz` file (CSC, deflate-compressed, int32 indices when they fit
/// as scipy writes them, int64 otherwise), for writers that replace files safely.
pub fn npz_bytes(x: &Csc) -> Vec<u8> {
    let (n, p) = x.dim();
    let mut indptr = Vec::with_capacity(p + 1);
    let mut indices = Vec::with_capacity(x.nnz());
    let mut data = Vec::with_capacity(x.nnz());
    indptr.push(0usize);
    for j in 0..p {
        let (rows, values) = x.col(j);
        indices.extend_from_slice(rows);
        data.extend_from_slice(values);
        indptr.push(indices.len());
    }
    let small = n.max(p).max(x.nnz()) < i32::MAX as usize;
    let ints = |v: &[usize]| -> Vec<u8> {
        let mut b = Vec::new();
        if small {
            Array1::from_iter(v.iter().map(|&i| i as i32)).write_npy(&mut b)
        } else {
            Array1::from_iter(v.iter().map(|&i| i as i64)).write_npy(&mut b)
        }
        .expect("integers serialize into memory");
        b
    };
    let mut arrays: Vec<(&str, Vec<u8>)> = vec![
        ("indices", ints(&indices)),
        ("indptr", ints(&indptr)),
        ("format", format_npy("csc")),
    ];
    let mut shape = Vec::new();
    Array1::from(vec![n as i64, p as i64])
        .write_npy(&mut shape)
        .expect("the shape serializes into memory");
    arrays.push(("shape", shape));
    let mut values = Vec::new();
    Array1::from(data)
        .write_npy(&mut values)
        .expect("the values serialize into memory");
    arrays.push(("data", values));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in arrays {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zip.start_file(format!("{name}.npy"), options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .expect("a zip archive writes into memory");
    }
    zip.finish()
        .expect("a zip archive writes into memory")
        .into_inner()
}

/// A 0-d NPY byte string (`|S3`), as numpy saves `b'csc'`.
fn format_npy(text: &str) -> Vec<u8> {
    let mut header = format!(
        "{{'descr': '|S{}', 'fortran_order': False, 'shape': (), }}",
        text.len()
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sparse")
            .join(name)
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("regpath-npz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn scipy_save_npz_files_read_as_their_dense_matrix() {
        let want = crate::io::read_matrix(&fixture("X.npy")).unwrap();
        for (name, format) in [
            ("csr.npz", "csr"),
            ("csc.npz", "csc"),
            ("csr_stored.npz", "csr"),
        ] {
            let d = read_npz(&fixture(name)).unwrap();
            assert_eq!(d.x.to_dense(), want, "{name}");
            assert_eq!(d.format, format);
            assert!(d.notes.is_empty());
        }
        let f32s = crate::io::read_matrix(&fixture("X_f32.npy")).unwrap();
        assert_eq!(
            read_npz(&fixture("csr_i64_f32.npz")).unwrap().x.to_dense(),
            f32s
        );
    }

    #[test]
    fn written_files_read_back_the_same() {
        let d = read_npz(&fixture("csr.npz")).unwrap();
        let p = tmp("round.npz");
        std::fs::write(&p, npz_bytes(&d.x)).unwrap();
        let back = read_npz(&p).unwrap();
        assert_eq!(back.format, "csc");
        assert_eq!(back.x.to_dense(), d.x.to_dense());
    }

    /// An npz file of the given arrays (name, NPY bytes).
    fn npz(name: &str, arrays: &[(&str, Vec<u8>)]) -> std::path::PathBuf {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (entry, bytes) in arrays {
            zip.start_file(
                format!("{entry}.npy"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(bytes).unwrap();
        }
        let p = tmp(name);
        std::fs::write(&p, zip.finish().unwrap().into_inner()).unwrap();
        p
    }

    fn npy<T: ndarray_npy::WritableElement>(v: Vec<T>) -> Vec<u8> {
        let mut b = Vec::new();
        Array1::from(v).write_npy(&mut b).unwrap();
        b
    }

    /// A 2 × 3 CSR file with the given arrays.
    fn csr(name: &str, indptr: Vec<i32>, indices: Vec<i32>, data: Vec<f64>) -> std::path::PathBuf {
        npz(
            name,
            &[
                ("data", npy(data)),
                ("indices", npy(indices)),
                ("indptr", npy(indptr)),
                ("format", format_npy("csr")),
                ("shape", npy(vec![2i64, 3])),
            ],
        )
    }

    #[test]
    fn unsorted_and_repeated_indices_are_sorted_and_summed_with_a_note() {
        let p = csr(
            "dup.npz",
            vec![0, 3, 4],
            vec![2, 0, 2, 1],
            vec![1.0, 2.0, 3.0, 4.0],
        );
        let d = read_npz(&p).unwrap();
        assert_eq!(
            d.x.to_dense(),
            ndarray::array![[2.0, 0.0, 4.0], [0.0, 4.0, 0.0]]
        );
        assert!(d.notes[0].contains("row 0") && d.notes[0].contains("summed"));
    }

    #[test]
    fn bad_arrays_name_the_array_and_index() {
        for (name, indptr, indices, data, want) in [
            (
                "beyond.npz",
                vec![0, 1, 2],
                vec![0, 3],
                vec![1.0, 1.0],
                "indices.npy[1] = 3 (row 1)",
            ),
            (
                "negative.npz",
                vec![0, 1, 2],
                vec![-1, 0],
                vec![1.0, 1.0],
                "indices.npy[0] = -1",
            ),
            (
                "decreasing.npz",
                vec![0, 2, 1],
                vec![0, 1],
                vec![1.0, 1.0],
                "indptr.npy[2] = 1",
            ),
            (
                "length.npz",
                vec![0, 2],
                vec![0, 1],
                vec![1.0, 1.0],
                "indptr.npy has 2 entries",
            ),
            (
                "start.npz",
                vec![1, 1, 2],
                vec![0, 1],
                vec![1.0, 1.0],
                "indptr.npy[0] = 1",
            ),
            (
                "end.npz",
                vec![0, 1, 3],
                vec![0, 1],
                vec![1.0, 1.0],
                "indices.npy has 2 entries",
            ),
            (
                "nan.npz",
                vec![0, 1, 2],
                vec![0, 1],
                vec![1.0, f64::NAN],
                "data.npy[1] = NaN (row 1, column 1)",
            ),
        ] {
            let e = read_npz(&csr(name, indptr, indices, data))
                .unwrap_err()
                .to_string();
            assert!(e.contains(name) && e.contains(want), "{e}");
        }
        // a header that claims more values than its entry holds
        let mut lie = npy(vec![1.0f64, 1.0]);
        let at = lie.windows(4).position(|w| w == b"(2,)").unwrap();
        lie.splice(at..at + 4, b"(9,)".iter().copied());
        let p = npz(
            "lie.npz",
            &[
                ("data", lie),
                ("indices", npy(vec![0i32, 1])),
                ("indptr", npy(vec![0i32, 1, 2])),
                ("format", format_npy("csr")),
                ("shape", npy(vec![2i64, 3])),
            ],
        );
        let e = read_npz(&p).unwrap_err().to_string();
        assert!(e.contains("data.npy: the header claims shape (9,)"), "{e}");
        // a shape whose offsets could never be allocated
        let p = npz(
            "wide.npz",
            &[
                ("data", npy(vec![1.0f64])),
                ("indices", npy(vec![0i32])),
                ("indptr", npy(vec![0i32, 1])),
                ("format", format_npy("csc")),
                ("shape", npy(vec![1i64, 1 << 62])),
            ],
        );
        assert!(read_npz(&p).unwrap_err().to_string().contains("offsets"));
        // a dense numpy.savez archive and a COO matrix
        let p = npz("savez.npz", &[("arr_0", npy(vec![1.0f64]))]);
        assert!(read_npz(&p)
            .unwrap_err()
            .to_string()
            .contains("numpy.savez"));
        let e = read_npz(&fixture("X.npy")).unwrap_err().to_string();
        assert!(e.contains("not a zip archive"), "{e}");
    }
}
