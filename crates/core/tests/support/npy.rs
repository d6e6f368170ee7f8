//! NPY files written by hand (format 1.0, float64, C order), independently of the reader under
//! test. Shared by the core and harness tests.

/// The bytes of an NPY file of `shape` (as NumPy writes it: `(4, 3)`, `(3,)`) holding `values`.
pub fn npy_f64(shape: &str, values: &[f64]) -> Vec<u8> {
    let dict = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
    // magic (6) + version (2) + header length (2) + the dict padded with spaces + '\n' fill a
    // multiple of 64 bytes
    let width = (10 + dict.len() + 1).next_multiple_of(64) - 11;
    let header = format!("{dict:<width$}\n");
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend(values.iter().flat_map(|x| x.to_le_bytes()));
    bytes
}
