//! How cross-validation splits the samples into folds ([`regpath_core::folds::Folds`]): the
//! request (`--folds`, `--shuffle`, `--stratified`, `--foldid`), reading and checking a foldid
//! file, and the record of the split that the cv document keeps.

use crate::error::input_error;
use anyhow::Result;
use regpath_core::folds::Folds;
use regpath_core::io::{read_vector_with, CsvHeader};
use serde::Serialize;
use std::path::PathBuf;

/// Which split to make.
#[derive(Clone, Debug, PartialEq)]
pub enum SplitSpec {
    /// k contiguous folds in sample order (scikit-learn's `KFold(k)`).
    Contiguous(usize),
    /// k folds over the samples in a random order drawn from `seed`.
    Shuffled { k: usize, seed: u64 },
    /// k folds that keep the class proportions of y (`StratifiedKFold(k)`); with a seed, each
    /// class's samples take their folds in a random order drawn from it.
    Stratified { k: usize, seed: Option<u64> },
    /// One fold id per sample, read from this file (glmnet's `foldid`).
    FoldId(PathBuf),
}

/// The record of a split in the cv document: how it was made and the fold of every sample.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Split {
    /// `contiguous`, `shuffled`, `stratified` or `foldid`.
    pub method: &'static str,
    /// The seed of a shuffled split (`--fold-seed`); null when nothing was shuffled.
    pub seed: Option<u64>,
    /// The foldid file, as given; null for the other methods.
    pub file: Option<String>,
    /// foldid: the id of each fold, in fold order (increasing); null for the other methods.
    pub fold_ids: Option<Vec<i64>>,
    /// Validation samples per fold.
    pub sizes: Vec<usize>,
    /// The fold (0-based, the row of `fold_errors`) each sample validates in.
    pub fold_of_sample: Vec<usize>,
}

impl Split {
    /// The split in a few words, for the text summary.
    pub fn describe(&self) -> String {
        let seed = |s: Option<u64>| s.map(|s| format!(", shuffled with fold seed {s}"));
        match self.method {
            "shuffled" => seed(self.seed)
                .unwrap_or_default()
                .trim_start_matches(", ")
                .into(),
            "stratified" => format!("stratified by class{}", seed(self.seed).unwrap_or_default()),
            "foldid" => format!("folds from {}", self.file.as_deref().unwrap_or("a file")),
            _ => "contiguous folds".into(),
        }
    }
}

/// Makes the split `spec` asks for over the samples of `y` (labels, for a stratified split).
/// Bad requests and bad foldid files are input errors (exit 2) that name the flag or the file.
pub fn make(spec: &SplitSpec, y: &[f64]) -> Result<(Folds, Split)> {
    let n = y.len();
    let check_k = |k: usize| {
        if k < 2 || k > n {
            return Err(input_error(format!(
                "--folds {k} must be between 2 and the number of samples ({n})"
            )));
        }
        Ok(())
    };
    let (folds, method, seed, file, fold_ids) = match spec {
        SplitSpec::Contiguous(k) => {
            check_k(*k)?;
            (Folds::contiguous(n, *k), "contiguous", None, None, None)
        }
        SplitSpec::Shuffled { k, seed } => {
            check_k(*k)?;
            (
                Folds::shuffled(n, *k, *seed),
                "shuffled",
                Some(*seed),
                None,
                None,
            )
        }
        SplitSpec::Stratified { k, seed } => {
            check_k(*k)?;
            (
                Folds::stratified(y, *k, *seed),
                "stratified",
                *seed,
                None,
                None,
            )
        }
        SplitSpec::FoldId(path) => {
            let (folds, ids) = read_fold_ids(path, n)?;
            let file = path.display().to_string();
            (folds, "foldid", None, Some(file), Some(ids))
        }
    };
    let split = Split {
        method,
        seed,
        file,
        fold_ids,
        sizes: folds.sizes(),
        fold_of_sample: folds.of_sample().to_vec(),
    };
    Ok((folds, split))
}

/// Reads glmnet's `foldid` from `path` (NPY of any integer or real dtype, or CSV with one id per
/// line, an optional header): n integers, at least two distinct ones. Errors name the file and,
/// for a bad value, its index (0-based sample number).
pub fn read_fold_ids(path: &std::path::Path, n: usize) -> Result<(Folds, Vec<i64>)> {
    let shown = path.display();
    let values = read_vector_with(path, CsvHeader::Auto)
        .map_err(|e| input_error(format!("--foldid: {e}")))?;
    if values.len() != n {
        return Err(input_error(format!(
            "--foldid {shown} holds {} fold ids but the data has {n} samples: one id per sample",
            values.len()
        )));
    }
    // integers exactly representable in f64 (|v| ≤ 2^53)
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    let mut ids = Vec::with_capacity(n);
    for (i, &v) in values.iter().enumerate() {
        if !(v.is_finite() && v.fract() == 0.0 && v.abs() <= LIMIT) {
            return Err(input_error(format!(
                "--foldid {shown}: the fold id at index {i} (sample {i}, 0-based) is {v}, not an integer"
            )));
        }
        ids.push(v as i64);
    }
    Folds::from_ids(&ids).ok_or_else(|| {
        input_error(format!(
            "--foldid {shown}: every sample has fold id {}; cross-validation needs at least 2 distinct fold ids (each fold trains on the others)",
            ids[0]
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_counts_outside_2_to_n_are_refused_naming_the_flag() {
        let y = [0.0, 1.0, 0.0, 1.0];
        for k in [0, 1, 5] {
            let e = make(&SplitSpec::Contiguous(k), &y).unwrap_err().to_string();
            assert!(e.contains(&format!("--folds {k}")), "{e}");
        }
        let (folds, split) = make(&SplitSpec::Shuffled { k: 2, seed: 4 }, &y).unwrap();
        assert_eq!((split.method, split.seed), ("shuffled", Some(4)));
        assert_eq!(split.fold_of_sample, folds.of_sample());
        assert_eq!(split.sizes, [2, 2]);
    }
}
