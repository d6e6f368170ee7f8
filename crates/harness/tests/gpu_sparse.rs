//! The GPU solvers on sparse X from a file: `path --x X.npz --y y.npy --solver gpu-cd` (and
//! gpu-fista) solves without densifying, every alpha certified, to cpu-cd's path on the same
//! file.

mod common;

use common::{gpu_present, read_json, regpath, s};
use serde_json::Value;

/// Coefficients of every alpha of a path file (dense arrays or index/value pairs), p each.
fn coefficients(path: &Value, p: usize) -> Vec<Vec<f64>> {
    let alphas = path["alphas"].as_array().expect("alphas");
    alphas
        .iter()
        .map(|a| {
            let mut beta = vec![0.0; p];
            match &a["coefficients"] {
                Value::Array(v) if v.len() == p && v.iter().all(Value::is_number) => {
                    for (b, x) in beta.iter_mut().zip(v) {
                        *b = x.as_f64().unwrap();
                    }
                }
                other => {
                    let (idx, val) = (other["indices"].as_array(), other["values"].as_array());
                    for (j, x) in idx.expect("indices").iter().zip(val.expect("values")) {
                        beta[j.as_u64().unwrap() as usize] = x.as_f64().unwrap();
                    }
                }
            }
            beta
        })
        .collect()
}

#[test]
fn gpu_solvers_take_sparse_x_from_an_npz_file() {
    if !gpu_present() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("regpath-gpu-sparse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (x, y) = (dir.join("small.npz"), dir.join("y.npy"));
    let files = format!("{},{}", s(&x), s(&y));
    let (n, p) = ("120", "80");
    let data = [
        "path",
        "--synthetic",
        "text",
        "--n",
        n,
        "--p",
        p,
        "--alphas",
        "10",
    ];
    regpath(&[&data[..], &["--save-data", &files]].concat()).expect(0);
    let run = |solver: &str, extra: &[&str]| {
        let out = dir.join(format!("{solver}.json"));
        let args = [
            "path",
            "--x",
            s(&x),
            "--y",
            s(&y),
            "--alphas",
            "10",
            "--eps",
            "1e-2",
            "--solver",
            solver,
            "--out",
            s(&out),
        ];
        regpath(&[&args[..], extra].concat()).expect(0);
        read_json(&out)
    };
    let reference = run("cpu-cd", &["--tol", "1e-10"]);
    let want = coefficients(&reference, 80);
    for solver in ["gpu-cd", "gpu-fista"] {
        let got = run(solver, &["--tol", "1e-7", "--standardize"]);
        assert_eq!(got["solver"], solver);
        let got_std = coefficients(&got, 80);
        assert_eq!(got_std.len(), 10);
        for a in got["alphas"].as_array().unwrap() {
            let rel = a["relative_gap"].as_f64().unwrap();
            assert!(rel <= 1e-5, "{solver}: certified relative gap {rel:e}");
        }
        // without --standardize: the same problem as the cpu-cd reference
        let plain = coefficients(&run(solver, &["--tol", "1e-7"]), 80);
        let scale = want.iter().flatten().fold(1e-12f64, |m, v| m.max(v.abs()));
        let diff = (plain.iter().flatten().zip(want.iter().flatten()))
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        assert!(
            diff <= 1e-4 * scale,
            "{solver}: coefficients differ from cpu-cd's by {diff:e} (largest {scale:e})"
        );
    }
}
