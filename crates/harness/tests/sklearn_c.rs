//! `--C` (scikit-learn's LogisticRegression C, α = 1/(n·C)) and the refusal of sparse X by the
//! solvers that need dense X, end to end.

mod common;

use common::{read_json, regpath};

/// `--C 2,0.5` on n = 80 samples solves α = 1/(80·C), largest alpha first, and says the C scale.
#[test]
fn c_values_become_alphas_on_scikit_learns_scale() {
    let dir = std::env::temp_dir().join(format!("regpath-sklearn-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("path.json");
    let run = regpath(&[
        "path",
        "--synthetic",
        "classification",
        "--n",
        "80",
        "--p",
        "10",
        "--loss",
        "logistic",
        "--C",
        "2,0.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    run.expect_saying(0, &["LogisticRegression C", "5.0000e-1 to 2.0000e0"]);
    let v = read_json(&out);
    let alphas: Vec<f64> = v["alphas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alpha"].as_f64().unwrap())
        .collect();
    let want = [1.0 / (80.0 * 0.5), 1.0 / (80.0 * 2.0)];
    assert_eq!(alphas.len(), 2);
    for (a, w) in alphas.iter().zip(want) {
        assert!((a - w).abs() <= 1e-15 * w, "{a} vs {w}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `--C` is refused with squared loss, with explicit alphas or a grid, and for C ≤ 0.
#[test]
fn c_is_refused_where_it_does_not_apply() {
    let base = [
        "path",
        "--synthetic",
        "classification",
        "--n",
        "40",
        "--p",
        "5",
    ];
    let with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        regpath(&args)
    };
    with(&["--C", "1"]).expect_saying(2, &["--C", "--loss logistic"]);
    with(&["--loss", "logistic", "--C", "1", "--alpha-values", "0.1"]).expect(2);
    with(&["--loss", "logistic", "--C", "1", "--alphas", "5"]).expect(2);
    with(&["--loss", "logistic", "--C", "0"]).expect_saying(2, &["--C 0"]);
    with(&["--loss", "logistic", "--C", "-1"]).expect_saying(2, &["--C -1"]);
}
