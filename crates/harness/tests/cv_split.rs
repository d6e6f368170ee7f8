//! `regpath cv` over shuffled, stratified and given folds: `--foldid` reproduces scikit-learn's
//! LassoCV on a KFold(shuffle=True, random_state=0) split, `--stratified` gives StratifiedKFold's
//! folds, `--shuffle` repeats with its seed, and bad foldid files are refused naming the file
//! and the index. The fixture (tests/fixtures/cv_split, made by its make.py) holds scikit-learn's
//! numbers; no Python runs here.

mod common;

use common::{floats, read_json, regpath, s};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A fresh directory for one test.
fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("cv-split-{name}"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cv_split")
        .join(name)
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

/// An NPY fixture of integers as f64.
fn npy(name: &str) -> Vec<f64> {
    regpath_core::io::read_vector(&fixture(name))
        .unwrap()
        .to_vec()
}

/// Runs `cv` on the fixture's X and `y` with `args`, the document written to `dir/name`.
fn cv(dir: &Path, name: &str, y: &str, args: &str) -> Value {
    let out = dir.join(name);
    let (x, y) = (fixture("X.npy"), fixture(y));
    regpath(&["cv --x", s(&x), "--y", s(&y), args, "--out", s(&out)]).expect(0);
    read_json(&out)
}

#[test]
fn foldid_reproduces_lassocv_on_a_shuffled_kfold_split() {
    let dir = tmp("lassocv");
    let foldid = fixture("foldid.npy");
    let v = cv(
        &dir,
        "cv.json",
        "y.npy",
        &format!("--foldid {} --tol 1e-12", s(&foldid)),
    );
    let sk = read_json(&fixture("lassocv.json"));
    // the same grid: 100 alphas from alpha_max on the full data to 1e-3 alpha_max
    let (alphas, sk_alphas) = (floats(&v["alphas"]), floats(&sk["alphas"]));
    assert_eq!(alphas.len(), sk_alphas.len());
    for (a, b) in alphas.iter().zip(&sk_alphas) {
        assert!((a / b - 1.0).abs() < 1e-12, "alpha {a} vs LassoCV's {b}");
    }
    // LassoCV's choice, and its validation MSE per fold (folds in the split's order = ids 1..5)
    let (alpha_min, sk_min) = (
        v["alpha_min"].as_f64().unwrap(),
        sk["alpha_min"].as_f64().unwrap(),
    );
    assert!(
        (alpha_min / sk_min - 1.0).abs() < 1e-12,
        "{alpha_min} vs {sk_min}"
    );
    assert_eq!(alphas[v["i_min"].as_u64().unwrap() as usize], alpha_min);
    let (errors, sk_errors) = (
        v["fold_errors"].as_array().unwrap(),
        sk["mse_path"].as_array().unwrap(),
    );
    assert_eq!(errors.len(), 5);
    for (f, (e, m)) in errors.iter().zip(sk_errors).enumerate() {
        for (a, (e, m)) in floats(e).iter().zip(floats(m)).enumerate() {
            assert!(
                (e / m - 1.0).abs() < 1e-7,
                "fold {f} alpha {a}: {e} vs LassoCV's {m}"
            );
        }
    }
    // the refit at alpha_min: LassoCV's coef_ and intercept_
    let refit = &v["refit"];
    let mut coef = vec![0.0; 20];
    for (j, c) in usizes(&refit["indices"])
        .into_iter()
        .zip(floats(&refit["values"]))
    {
        coef[j] = c;
    }
    for (j, (c, sk_c)) in coef.iter().zip(floats(&sk["coef"])).enumerate() {
        assert!(
            (c - sk_c).abs() < 1e-7,
            "coefficient {j}: {c} vs LassoCV's {sk_c}"
        );
    }
    assert!(
        (refit["intercept"].as_f64().unwrap() - sk["intercept"].as_f64().unwrap()).abs() < 1e-7
    );
    // the record of the split: the file, the fold ids, each sample's fold
    let split = &v["split"];
    assert_eq!(split["method"], "foldid");
    assert_eq!(split["file"], s(&foldid));
    assert_eq!(split["fold_ids"], serde_json::json!([1, 2, 3, 4, 5]));
    let ids = npy("foldid.npy");
    let of_sample = usizes(&split["fold_of_sample"]);
    assert!(of_sample
        .iter()
        .zip(&ids)
        .all(|(&f, &id)| f as f64 + 1.0 == id));
    assert_eq!(usizes(&split["sizes"]), [12; 5]);
}

#[test]
fn stratified_folds_are_stratifiedkfolds_and_keep_class_shares_when_shuffled() {
    let dir = tmp("stratified");
    let labels = npy("labels.npy");
    let args = "--loss logistic --alphas 5 --stratified";
    let plain = cv(&dir, "plain.json", "labels.npy", args);
    assert_eq!(plain["split"]["method"], "stratified");
    let expected: Vec<usize> = npy("stratified.npy").iter().map(|&f| f as usize).collect();
    assert_eq!(usizes(&plain["split"]["fold_of_sample"]), expected);
    let shuffled = cv(
        &dir,
        "shuffled.json",
        "labels.npy",
        &format!("{args} --shuffle --fold-seed 5"),
    );
    assert_eq!(shuffled["split"]["seed"], 5);
    let folds = usizes(&shuffled["split"]["fold_of_sample"]);
    assert_ne!(folds, expected);
    // each fold holds a fifth of each class, to within one sample (22 and 38 samples)
    for class in [0.0, 1.0] {
        let total = labels.iter().filter(|&&l| l == class).count() as f64;
        for f in 0..5 {
            let m = (0..60)
                .filter(|&i| folds[i] == f && labels[i] == class)
                .count() as f64;
            assert!(
                (m - total / 5.0).abs() < 1.0,
                "class {class}, fold {f}: {m} of {total}"
            );
        }
    }
    // squared loss has no classes: refused naming both flags
    let (x, y) = (fixture("X.npy"), fixture("y.npy"));
    regpath(&["cv --x", s(&x), "--y", s(&y), "--stratified"])
        .expect_saying(2, &["--stratified", "--loss logistic"]);
}

#[test]
fn shuffled_folds_repeat_with_the_fold_seed_and_change_with_it() {
    let dir = tmp("shuffle");
    let folds = |name: &str, args: &str| {
        let v = cv(&dir, name, "y.npy", &format!("--alphas 5 --shuffle {args}"));
        assert_eq!(v["split"]["method"], "shuffled");
        usizes(&v["split"]["fold_of_sample"])
    };
    let a = folds("a.json", "--fold-seed 1");
    assert_eq!(a, folds("b.json", "--fold-seed 1"));
    assert_ne!(a, folds("c.json", "--fold-seed 2"));
    assert_eq!(folds("d.json", ""), folds("e.json", "--fold-seed 0"));
    let contiguous = cv(&dir, "f.json", "y.npy", "--alphas 5");
    assert_eq!(contiguous["split"]["method"], "contiguous");
    assert_ne!(a, usizes(&contiguous["split"]["fold_of_sample"]));
    // --fold-seed without --shuffle is refused, never ignored
    let (x, y) = (fixture("X.npy"), fixture("y.npy"));
    regpath(&["cv --x", s(&x), "--y", s(&y), "--fold-seed 3"]).expect_saying(2, &["--shuffle"]);
}

#[test]
fn json_prints_the_out_document_on_stdout_and_no_progress_off_a_terminal() {
    let dir = tmp("json");
    let out = dir.join("cv.json");
    let (x, y) = (fixture("X.npy"), fixture("y.npy"));
    let run = regpath(&[
        "cv --x",
        s(&x),
        "--y",
        s(&y),
        "--alphas 8 --json --out",
        s(&out),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.text());
    // stderr is a pipe here: no progress bar, nothing at all
    assert_eq!(run.stderr, "");
    let printed: Value = serde_json::from_str(&run.stdout).unwrap();
    let written = read_json(&out);
    for key in [
        "schema",
        "alphas",
        "mean",
        "se",
        "std",
        "fold_errors",
        "alpha_min",
        "alpha_1se",
        "i_min",
        "i_1se",
        "nnz_at_alpha_min",
        "nnz",
        "refit",
        "split",
    ] {
        assert_eq!(printed[key], written[key], "{key}");
    }
    assert_eq!(printed["schema"], "regpath.cv/1");
    let (i_1se, alphas) = (
        printed["i_1se"].as_u64().unwrap() as usize,
        floats(&printed["alphas"]),
    );
    assert_eq!(alphas[i_1se], printed["alpha_1se"].as_f64().unwrap());
    assert_eq!(
        usizes(&printed["refit"]["indices"]).len() as u64,
        printed["nnz_at_alpha_min"].as_u64().unwrap()
    );
    // nnz per alpha of the full-data refit (glmnet's nzero): one count per alpha, none at
    // alpha_max (every coefficient is 0 there by definition of alpha_max), and at alpha_min the
    // count of the refit's non-zero coefficients
    let nnz = usizes(&printed["nnz"]);
    let i_min = printed["i_min"].as_u64().unwrap() as usize;
    assert_eq!(nnz.len(), alphas.len());
    assert_eq!(nnz[0], 0);
    assert_eq!(nnz[i_min], usizes(&printed["refit"]["indices"]).len());
    assert!(nnz.iter().any(|&c| c > 0), "{nnz:?}");
}

#[test]
fn bad_foldid_files_are_refused_naming_the_file_and_the_index() {
    let dir = tmp("bad");
    let (x, y) = (fixture("X.npy"), fixture("y.npy"));
    let run = |file: &Path, extra: &str| {
        regpath(&["cv --x", s(&x), "--y", s(&y), "--foldid", s(file), extra])
    };
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let ids = |n: usize| {
        (0..n)
            .map(|i| format!("{}\n", i % 3 + 1))
            .collect::<String>()
    };
    // one id short
    let short = write("short.csv", ids(59));
    run(&short, "").expect_saying(2, &["short.csv", "59 fold ids", "60 samples"]);
    // a fraction at index 7
    let mut lines: Vec<String> = ids(60).lines().map(String::from).collect();
    lines[7] = "2.5".into();
    let fraction = write("fraction.csv", lines.join("\n"));
    run(&fraction, "").expect_saying(2, &["fraction.csv", "index 7", "2.5", "not an integer"]);
    // a cell that is not a number: the reader names its line and column
    lines[7] = "two".into();
    let word = write("word.csv", lines.join("\n"));
    run(&word, "").expect_saying(2, &["--foldid", "word.csv:8:1", "two"]);
    // one fold only
    let one = write("one.csv", "4\n".repeat(60));
    run(&one, "").expect_saying(2, &["one.csv", "at least 2 distinct fold ids"]);
    // a missing file
    run(&dir.join("missing.npy"), "").expect_saying(2, &["missing.npy"]);
    // with another way of making folds: refused by the parser, never ignored
    let good = write("good.csv", ids(60));
    for other in ["--folds 3", "--shuffle", "--stratified --loss logistic"] {
        run(&good, other).expect_saying(2, &["--foldid", other.split(' ').next().unwrap()]);
    }
    // any distinct integers name the folds, negative ones included
    let labels = write(
        "labels.csv",
        (0..60)
            .map(|i| format!("{}\n", [-7, 0, 12][i % 3]))
            .collect(),
    );
    let out = dir.join("cv.json");
    regpath(&[
        "cv --x",
        s(&x),
        "--y",
        s(&y),
        "--alphas 4 --foldid",
        s(&labels),
        "--out",
        s(&out),
    ])
    .expect(0);
    let v = read_json(&out);
    assert_eq!(v["split"]["fold_ids"], serde_json::json!([-7, 0, 12]));
    assert_eq!(usizes(&v["split"]["sizes"]), [20, 20, 20]);
}
