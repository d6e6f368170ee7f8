//! `regpath cv` with a GPU solver on sparse X from a file (issue 13): `cv --x small.npz --y y.npy
//! --solver gpu-cd --folds 3` (and gpu-fista, logistic gpu-fista on svmlight text) solves every fold
//! in one device batch without densifying and chooses what cpu-cd chooses on the same file,
//! with the same validation errors; gpu-cd on the densified matrix gives the same curve.

mod common;

use common::{floats, gpu_present, read_json, regpath, s};
use serde_json::Value;
use std::path::Path;

/// How close a GPU (f32) run's validation errors come to another run's, relative.
const REL: f64 = 1e-3;

/// Every fold's validation error at every alpha, fold after fold.
fn fold_errors(v: &Value) -> Vec<f64> {
    v["fold_errors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(floats)
        .collect()
}

/// The cross-validation document of `regpath cv --folds 3` on `data` (flags naming the files)
/// with `extra` flags, written to `out`.
fn cv(data: &[&str], extra: &str, out: &Path) -> Value {
    let args = format!("cv --folds 3 --alphas 12 --eps 1e-2 {extra} --out");
    regpath(&[&[args.as_str(), s(out)], data].concat()).expect(0);
    read_json(out)
}

/// `got`'s choice and validation errors equal `want`'s (errors to `rel` of their size).
/// The GPU runs are f32 at `--tol 1e-7`: a certified relative gap g bounds each fold's
/// ‖X(β − β*)‖²/n_f by 2g·‖y − ȳ‖²/n_f, so predictions move by about 5e-4 of y's spread and a
/// validation error by about 1e-3 of its size ([`REL`]).
fn same_choice(what: &str, got: &Value, want: &Value, rel: f64) {
    for key in ["i_min", "i_1se"] {
        assert_eq!(got[key], want[key], "{what}: {key}");
    }
    // the same grid (to rounding: a densified file's alpha_max comes from other sums)
    for key in ["alpha_min", "alpha_1se"] {
        let (a, b) = (got[key].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!((a - b).abs() <= 1e-12 * b, "{what}: {key} {a} vs {b}");
    }
    let (g, w) = (fold_errors(got), fold_errors(want));
    assert_eq!(g.len(), 3 * 12, "{what}: 3 folds × 12 alphas");
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        assert!(
            (a - b).abs() <= rel * b.abs(),
            "{what}: fold error {i}: {a} vs {b}"
        );
    }
}

/// An n × p matrix with about 10 % non-zeros (a deterministic pseudo-random fill) and 0/1 labels:
/// whether a row's score on every third feature, plus noise, exceeds the median score.
fn data(n: usize, p: usize) -> (ndarray::Array2<f64>, Vec<f64>) {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let x = ndarray::Array2::from_shape_fn((n, p), |_| {
        let u = next();
        if u < 0.1 {
            1.0 + 40.0 * u
        } else {
            0.0
        }
    });
    let score: Vec<f64> = (0..n)
        .map(|i| (0..p).step_by(3).map(|j| x[[i, j]]).sum::<f64>() + next())
        .collect();
    let mut sorted = score.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[n / 2];
    (
        x,
        score
            .iter()
            .map(|&s| f64::from(u8::from(s > median)))
            .collect(),
    )
}

#[test]
fn issue_13_gpu_cv_takes_sparse_x_and_chooses_what_cpu_cd_chooses() {
    if !gpu_present() {
        return;
    }
    let dir = common::fresh_dir("gpu-sparse-cv");
    let (x, y, svm) = (
        dir.join("small.npz"),
        dir.join("y.npy"),
        dir.join("small.svm"),
    );
    let (dense, labels) = data(60, 40);
    let csc = regpath_core::Csc::from_dense(dense.view()).unwrap();
    assert!(csc.nnz() < 60 * 40 / 6, "sparse: {} non-zeros", csc.nnz());
    // X as scipy CSC .npz with y as NPY, X with 0/1 labels as svmlight text, X densified as NPY
    std::fs::write(&x, regpath_core::npz::npz_bytes(&csc)).unwrap();
    let y_values = dense.dot(&ndarray::Array1::from_shape_fn(40, |j| {
        (j % 5 == 0) as u8 as f64
    }));
    std::fs::write(&y, regpath_core::io::npy_vector_bytes(&y_values)).unwrap();
    let mut file = std::fs::File::create(&svm).unwrap();
    regpath_core::svmlight::write_svmlight(&mut file, &csc, &labels).unwrap();
    let xd = dir.join("dense.npy");
    regpath_core::io::write_matrix(&xd, &dense).unwrap();
    let npz = ["--x", s(&x), "--y", s(&y)];

    let cpu = cv(&npz, "--solver cpu-cd --tol 1e-10", &dir.join("cpu.json"));
    let gpu = cv(&npz, "--solver gpu-cd --tol 1e-7", &dir.join("gpu-cd.json"));
    assert_eq!(gpu["alpha_min"], cpu["alpha_min"]);
    same_choice("gpu-cd on .npz vs cpu-cd", &gpu, &cpu, REL);
    let dense = ["--x", s(&xd), "--y", s(&y)];
    let on_dense = cv(
        &dense,
        "--solver gpu-cd --tol 1e-7",
        &dir.join("dense.json"),
    );
    same_choice("gpu-cd on .npz vs on .npy", &gpu, &on_dense, REL);

    let extra = "--standardize --no-intercept";
    let cpu = cv(
        &npz,
        &format!("{extra} --tol 1e-10"),
        &dir.join("cpu2.json"),
    );
    let fista = cv(
        &npz,
        &format!("{extra} --solver gpu-fista --tol 1e-7"),
        &dir.join("fista.json"),
    );
    same_choice("gpu-fista on .npz vs cpu-cd", &fista, &cpu, REL);

    // logistic loss from svmlight text (X and labels in one file)
    let svm = ["--x", s(&svm)];
    let logistic = "--loss logistic --standardize";
    let cpu = cv(
        &svm,
        &format!("{logistic} --tol 1e-10"),
        &dir.join("cpu3.json"),
    );
    let fista = cv(
        &svm,
        &format!("{logistic} --solver gpu-fista --tol 1e-7"),
        &dir.join("logistic.json"),
    );
    same_choice(
        "logistic gpu-fista on svmlight vs cpu-cd",
        &fista,
        &cpu,
        REL,
    );
}
