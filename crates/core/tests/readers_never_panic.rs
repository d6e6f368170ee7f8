//! Property test: the NPY and CSV readers answer every input — random bytes, and random
//! mutations of valid files — with a value or an error, never a panic or an abort.

use proptest::prelude::*;
use regpath_core::io::{read_matrix, read_vector};
use std::path::PathBuf;

#[path = "support/npy.rs"]
mod npy;

/// A valid 4 × 3 f64 NPY file (format 1.0, C order).
fn valid_npy() -> Vec<u8> {
    let values: Vec<f64> = (0..12).map(|i| i as f64 * 0.5).collect();
    npy::npy_f64("(4, 3)", &values)
}

const VALID_CSV: &[u8] = b"a,b,c\n1,2,3\n4.5,-6e1,7\n8,9,10\n";

/// Writes `bytes` under a fresh name with `ext` and reads it both as X and as y.
fn read_both(bytes: &[u8], ext: &str, case: u64) {
    let p: PathBuf =
        std::env::temp_dir().join(format!("regpath-prop-{}-{case}.{ext}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    let _ = read_matrix(&p);
    let _ = read_vector(&p);
    let _ = std::fs::remove_file(&p);
}

/// `base` with `edits` applied: (position, byte) overwrites, then a truncation.
fn mutate(base: &[u8], edits: &[(usize, u8)], keep: usize) -> Vec<u8> {
    let mut b = base.to_vec();
    for &(i, v) in edits {
        if !b.is_empty() {
            let n = b.len();
            b[i % n] = v;
        }
    }
    b.truncate(keep.min(b.len()).max(1));
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), case in any::<u64>()) {
        read_both(&bytes, "npy", case);
        read_both(&bytes, "csv", case);
    }

    #[test]
    fn mutated_npy(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                   keep in 1usize..400, case in any::<u64>()) {
        read_both(&mutate(&valid_npy(), &edits, keep), "npy", case);
    }

    #[test]
    fn mutated_csv(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                   keep in 1usize..64, case in any::<u64>()) {
        read_both(&mutate(VALID_CSV, &edits, keep), "csv", case);
    }
}

#[test]
fn the_unmutated_files_read() {
    let p = std::env::temp_dir().join(format!("regpath-prop-{}-valid.npy", std::process::id()));
    std::fs::write(&p, valid_npy()).unwrap();
    assert_eq!(read_matrix(&p).unwrap().dim(), (4, 3));
    let p = std::env::temp_dir().join(format!("regpath-prop-{}-valid.csv", std::process::id()));
    std::fs::write(&p, VALID_CSV).unwrap();
    assert_eq!(read_matrix(&p).unwrap().dim(), (3, 3));
}
