//! `regpath cv --x F.npz --y y.npy` cross-validates on the sparse matrix (folds are row
//! selections of the CSC, never a dense copy) and chooses what the same cross-validation on the
//! densified matrix chooses: the same alpha_min and alpha_1se, the same curve and refit.

mod common;

use common::{floats, read_json, regpath, s};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("sparse-cv-{name}"))
}

/// Asserts `a` and `b` agree to `rel` relative to the larger magnitude of the pair.
fn close(what: &str, a: &[f64], b: &[f64], rel: f64) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let scale = x.abs().max(y.abs()).max(1e-300);
        assert!(
            (x - y).abs() <= rel * scale,
            "{what}[{i}]: sparse {x}, dense {y}"
        );
    }
}

/// The cross-validation document of `regpath cv` on X (any format) and y with `extra` flags.
fn cv(x: &Path, y: &Path, extra: &str, out: &Path) -> Value {
    let args = format!("cv --folds 4 --alphas 30 --tol 1e-11 {extra} --out");
    regpath(&[&args, s(out), "--x", s(x), "--y", s(y)]).expect(0);
    read_json(out)
}

#[test]
fn cv_on_sparse_x_chooses_what_cv_on_the_densified_x_chooses() {
    let dir = tmp("dense");
    let (xs, y) = (dir.join("x.npz"), dir.join("y.npy"));
    // a small TF-IDF corpus with 0/1 labels, saved as scipy's CSC .npz
    let save = format!(
        "path --synthetic text --n 150 --p 60 --seed 3 --alphas 2 --save-data {},{}",
        s(&xs),
        s(&y)
    );
    regpath(&[&save]).expect(0);
    // the same matrix densified, as NPY
    let read = regpath_core::npz::read_npz(&xs).unwrap();
    let xd = dir.join("x.npy");
    regpath_core::io::write_matrix(&xd, &read.x.to_dense()).unwrap();
    assert!(
        read.x.nnz() < 150 * 60 / 2,
        "the corpus is sparse: {} non-zeros",
        read.x.nnz()
    );

    for (name, extra) in [
        ("squared", ""),
        ("squared-standardized", "--standardize"),
        ("squared-no-intercept", "--no-intercept"),
        ("logistic", "--loss logistic --standardize"),
        (
            "logistic-shuffled",
            "--loss logistic --shuffle --fold-seed 1",
        ),
    ] {
        let sparse = cv(&xs, &y, extra, &dir.join(format!("{name}-sparse.json")));
        let dense = cv(&xd, &y, extra, &dir.join(format!("{name}-dense.json")));
        // the grid from alpha_max, computed by each storage's own sums: equal to rounding
        close(
            &format!("{name}: alphas"),
            &floats(&sparse["alphas"]),
            &floats(&dense["alphas"]),
            1e-12,
        );
        for key in ["i_min", "i_1se", "nnz_at_alpha_min"] {
            assert_eq!(sparse[key], dense[key], "{name}: {key}");
        }
        assert_eq!(sparse["split"], dense["split"], "{name}: the same folds");
        close(
            &format!("{name}: mean"),
            &floats(&sparse["mean"]),
            &floats(&dense["mean"]),
            1e-6,
        );
        let folds = |v: &Value| -> Vec<f64> {
            v["fold_errors"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(floats)
                .collect()
        };
        close(
            &format!("{name}: fold errors"),
            &folds(&sparse),
            &folds(&dense),
            1e-6,
        );
        assert_eq!(
            sparse["refit"]["indices"], dense["refit"]["indices"],
            "{name}: refit support"
        );
        close(
            &format!("{name}: refit"),
            &floats(&sparse["refit"]["values"]),
            &floats(&dense["refit"]["values"]),
            1e-4,
        );
    }
}
