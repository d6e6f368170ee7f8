//! Property test: the svmlight and scipy `.npz` readers answer every input — random bytes, and
//! random mutations of valid files made by scikit-learn and scipy — with a value or an error,
//! never a panic or an abort.

use proptest::prelude::*;
use regpath_core::npz::read_npz;
use regpath_core::svmlight::read_svmlight;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sparse")
            .join(name),
    )
    .unwrap()
}

/// Writes `bytes` under a fresh name and reads it with both readers.
fn read_both(bytes: &[u8], case: u64) {
    let p: PathBuf =
        std::env::temp_dir().join(format!("regpath-prop-sparse-{}-{case}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    let _ = read_svmlight(&p);
    let _ = read_npz(&p);
    let _ = std::fs::remove_file(&p);
}

/// `base` with `edits` applied: (position, byte) overwrites, then a truncation.
fn mutate(base: &[u8], edits: &[(usize, u8)], keep: usize) -> Vec<u8> {
    let mut b = base.to_vec();
    for &(i, v) in edits {
        let n = b.len();
        b[i % n] = v;
    }
    b.truncate(keep.min(b.len()).max(1));
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), case in any::<u64>()) {
        read_both(&bytes, case);
    }

    #[test]
    fn mutated_svmlight(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                        keep in 1usize..400, case in any::<u64>()) {
        read_both(&mutate(&fixture("qid.svm"), &edits, keep), case);
    }

    #[test]
    fn mutated_npz(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                   keep in 1usize..2000, case in any::<u64>()) {
        // the stored (uncompressed) archive: mutations reach the NPY headers and arrays
        read_both(&mutate(&fixture("csr_stored.npz"), &edits, keep), case);
    }
}
