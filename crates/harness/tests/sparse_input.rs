//! Sparse input end to end: svmlight/libsvm and scipy `.npz` files through `--data` and `--x`;
//! bad input is exit 2 naming the file's line and column or the array and index, never a panic.

mod common;

use common::{read_json, regpath, s};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("regpath-sparse-input-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A file of regpath-core's sparse fixtures (made by scikit-learn and scipy).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/sparse")
        .join(name)
}

#[test]
fn bad_sparse_input_is_exit_2_with_the_place_named() {
    let d = dir();
    let bad = d.join("bad.svm");
    std::fs::write(&bad, "1 1:2\n0 3:x\n").unwrap();
    let short_y = d.join("short_y.csv");
    std::fs::write(&short_y, "1\n0\n1\n").unwrap();
    let (svm, npz, y, x_npy) = (
        fixture("one_based.svm"),
        fixture("csr.npz"),
        fixture("y.npy"),
        fixture("X.npy"),
    );
    for (args, needle) in [
        (
            vec!["--data", s(&bad)],
            "bad.svm:2:5: the value \"x\" is not a number",
        ),
        (vec!["--x", s(&npz)], "needs --y"),
        (vec!["--x", s(&x_npy)], "needs --y"),
        (vec!["--x", s(&svm), "--y", s(&y)], "holds y too"),
        (vec!["--data", s(&x_npy)], "not svmlight"),
        (vec!["--x", s(&npz), "--y", s(&short_y)], "has 7 rows"),
        (vec!["--data", s(&svm), "--header", "yes"], "--header"),
    ] {
        let mut all = vec!["path"];
        all.extend(args);
        let out = regpath(&all);
        assert_eq!(out.code, Some(2), "{all:?}: {}", out.text());
        assert!(out.stderr.contains(needle), "{all:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn save_data_refuses_what_it_cannot_write() {
    let d = dir();
    for (save, needle) in [
        ("a.npz", "one file holds X and y only as svmlight"),
        ("a.npy,b.npy", "X is sparse"),
        ("a.npz,b.npy,c.npy", "got 3 files"),
    ] {
        let save: Vec<String> = save.split(',').map(|f| s(&d.join(f)).to_string()).collect();
        let out = regpath(&[
            "path",
            "--synthetic",
            "text",
            "--n",
            "20",
            "--p",
            "50",
            "--informative",
            "5",
            "--save-data",
            &save.join(","),
        ]);
        assert_eq!(out.code, Some(2), "{}", out.text());
        assert!(out.stderr.contains(needle), "{}", out.stderr);
    }
}

/// The primal objectives of a `path --out` file, one per alpha.
fn objectives(file: &Path) -> Vec<f64> {
    read_json(file)["alphas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["primal_objective"].as_f64().unwrap())
        .collect()
}

#[test]
fn sparse_files_solve_to_the_path_of_their_dense_form() {
    let d = dir();
    let (x, y) = (fixture("X.npy"), fixture("y.npy"));
    let (csc, zero, qid) = (
        fixture("csc.npz"),
        fixture("zero_based.svm"),
        fixture("qid.svm"),
    );
    let runs: [(&str, Vec<&str>); 4] = [
        ("dense", vec!["--x", s(&x), "--y", s(&y)]),
        ("npz", vec!["--x", s(&csc), "--y", s(&y)]),
        ("svm", vec!["--data", s(&zero)]),
        ("svm_x", vec!["--x", s(&qid)]),
    ];
    let mut paths = Vec::new();
    for (name, data) in &runs {
        for loss in ["squared", "logistic"] {
            let out = d.join(format!("{name}-{loss}.json"));
            let mut args = vec!["path", "--loss", loss, "--alphas", "5", "--tol", "1e-10"];
            args.extend(data.iter().copied());
            args.extend(["--out", s(&out)]);
            let run = regpath(&args);
            run.expect(0);
            if *name == "svm_x" {
                assert!(run.stderr.contains("qid"), "{}", run.stderr);
            }
            paths.push((loss, objectives(&out)));
        }
    }
    // the same alphas (from the same data) and the same certified objectives
    for (loss, p) in &paths[2..] {
        let base = &paths[if *loss == "squared" { 0 } else { 1 }].1;
        for (a, b) in p.iter().zip(base) {
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1e-12),
                "{loss}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn bench_takes_sparse_npz_and_measures_what_the_dense_file_gives() {
    let d = dir();
    let y = fixture("y.npy");
    let mut cases = Vec::new();
    for x in [fixture("X.npy"), fixture("csc.npz")] {
        let out = d.join(format!(
            "bench-{}.json",
            x.file_stem().unwrap().to_string_lossy()
        ));
        let run = regpath(&[
            "bench --x",
            s(&x),
            "--y",
            s(&y),
            "--solvers cpu-cd --runs 1 --out",
            s(&out),
        ]);
        run.expect(0);
        cases.push(read_json(&out)["cases"][0].clone());
    }
    let (dense, sparse) = (&cases[0], &cases[1]);
    assert!(
        sparse["id"].as_str().unwrap().starts_with("lasso/csc/"),
        "{}",
        sparse["id"]
    );
    for key in ["n", "p"] {
        assert_eq!(sparse["dataset"][key], dense["dataset"][key], "{key}");
    }
    // every ladder point certified against its own reference, with the dense file's support
    let (ld, ls) = (
        dense["ladder"].as_array().unwrap(),
        sparse["ladder"].as_array().unwrap(),
    );
    assert!(
        !ld.is_empty() && ld.len() == ls.len(),
        "{} vs {}",
        ld.len(),
        ls.len()
    );
    for (a, b) in ld.iter().zip(ls) {
        assert_eq!(a["tol"], b["tol"]);
        assert_eq!(a["nnz_end"], b["nnz_end"], "tol {}", a["tol"]);
        assert!(b["max_rel_subopt"].as_f64().unwrap() <= 1e-2, "{b}");
    }
}
