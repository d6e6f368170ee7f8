//! `regpath path` end to end: bad input is exit 2 with a message naming the place, never a panic;
//! good input writes outputs that agree with the certifier.

mod common;

use common::npy::npy_f64;
use common::{read_json, regpath, regpath_env, s, Run};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("regpath-path-input-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `bytes` written to `d/name`; its path, as one argument of `regpath`.
fn write(d: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = d.join(name);
    std::fs::write(&p, bytes).unwrap();
    s(&p).to_string()
}

fn assert_input_error(out: &Run, needle: &str) {
    let err = &out.stderr;
    assert_eq!(out.code, Some(2), "expected exit 2, stderr: {err}");
    assert!(
        err.contains(needle),
        "stderr should mention {needle:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("regpath:")).count(),
        1,
        "one message: {err}"
    );
}

fn csv_data(d: &Path) -> (String, String) {
    let mut x = String::from("a,b,c\n");
    let mut y = String::new();
    for i in 0..30 {
        let (a, b) = (i as f64 * 0.1, ((i * 7) % 11) as f64);
        x.push_str(&format!("{a},{b},{}\n", (i % 3) as f64));
        y.push_str(&format!(
            "{}\n",
            2.0 * a - 0.5 * b + 0.1 * ((i * 13) % 5) as f64
        ));
    }
    (write(d, "x.csv", &x), write(d, "y.csv", &y))
}

#[test]
fn bad_input_is_exit_2_with_the_place_named() {
    let d = dir();
    let (x, y) = csv_data(&d);
    let nan = write(&d, "nan.csv", "1,2\n3,nan\n");
    let inf = write(&d, "inf.csv", "1,2\n3,inf\n");
    let ragged = write(&d, "ragged.csv", "1,2\n3\n");
    let word = write(&d, "word.csv", "1,2\n3,x\n");
    let empty = write(&d, "empty.csv", "");
    let y_short = write(&d, "y_short.csv", "1\n2\n");
    let y_wide = write(&d, "y_wide.csv", "1,2,3\n4,5,6\n");
    let garbage = write(&d, "garbage.npy", "not numpy");
    let x_1d = write(&d, "x1d.npy", npy_f64("(3,)", &[1.0, 2.0, 3.0]));
    let xy = |x: &str, y: &str| format!("--x {x} --y {y}");
    let good = xy(&x, &y);
    let cases = [
        (xy(&nan, &y), "nan.csv:2:2"),
        (xy(&inf, &y), "inf.csv:2:2"),
        (xy(&ragged, &y), "ragged.csv:2"),
        (xy(&word, &y), "word.csv:2:2"),
        (xy(&empty, &y), "empty.csv"),
        (xy(&x, &y_short), "same number of samples"),
        (xy(&x, &y_wide), "y_wide.csv"),
        (xy(&garbage, &y), "garbage.npy"),
        (xy(&x_1d, &y), "2-D"),
        (xy("/no/such/x.npy", &y), "/no/such/x.npy"),
        (format!("{good} --alpha-values 0.5,0"), "alpha"),
        (format!("{good} --alpha-values -1"), "alpha"),
        (format!("{good} --penalty enet --l1-ratio 1.5"), "l1_ratio"),
        (format!("{good} --penalty enet --l1-ratio -0.1"), "l1_ratio"),
        (
            format!("{good} --solver cpu-cd --precision f32"),
            "--precision f32",
        ),
        ("--synthetic regression --n 0 --p 5".into(), "n = 0"),
        ("--synthetic regression --n 5 --p 0".into(), "p = 0"),
        ("--synthetic gene --rho 1.0".into(), "rho"),
        (
            format!("{good} --out /no/such/dir/out.json"),
            "/no/such/dir",
        ),
    ];
    for (args, needle) in cases {
        assert_input_error(&regpath(&["path", &args]), needle);
    }
}

#[test]
fn constant_column_under_standardize_warns_and_gets_zero() {
    let d = dir();
    let (x, y) = csv_data(&d);
    let x_const = {
        let text = std::fs::read_to_string(&x).unwrap();
        let rows: Vec<String> = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{l},k")
                } else {
                    format!("{l},7")
                }
            })
            .collect();
        write(&d, "xc.csv", rows.join("\n") + "\n")
    };
    let out_json = d.join("const.json");
    let options = "--standardize --alphas 5 --out";
    let out = regpath(&["path --x", &x_const, "--y", &y, options, s(&out_json)]);
    let err = &out.stderr;
    assert!(out.success(), "{err}");
    assert!(err.contains("column 3 of X is constant"), "{err}");
    let v = read_json(&out_json);
    for a in v["alphas"].as_array().unwrap() {
        let c = &a["coefficients"];
        let coef3 = if let Some(dense) = c.as_array() {
            dense[3].as_f64().unwrap()
        } else {
            let idx: Vec<u64> = c["indices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            if idx.contains(&3) {
                1.0
            } else {
                0.0
            }
        };
        assert_eq!(coef3, 0.0);
    }
}

#[test]
fn path_outputs_are_certified_and_consistent() {
    let d = dir();
    let out_json = d.join("p.json");
    let out_npy = d.join("p.npy");
    let path = "path --synthetic gene --n 60 --p 300 --alphas 20 --penalty enet --l1-ratio 0.5";
    let out = regpath(&[path, "--out", s(&out_json), "--coef-npy", s(&out_npy)]);
    assert!(out.success(), "{}", out.stderr);
    let stdout = &out.stdout;
    assert!(
        stdout.contains("worst certified relative duality gap"),
        "{stdout}"
    );
    let v = read_json(&out_json);
    let alphas = v["alphas"].as_array().unwrap();
    assert_eq!(alphas.len(), 20);
    let mut prev = f64::INFINITY;
    for a in alphas {
        let alpha = a["alpha"].as_f64().unwrap();
        assert!(alpha < prev);
        prev = alpha;
        assert!(a["relative_gap"].as_f64().unwrap() <= 1e-7);
        assert!(a["duality_gap"].as_f64().unwrap() >= -1e-12);
        assert!(
            a["primal_objective"].as_f64().unwrap()
                >= a["dual_objective"].as_f64().unwrap() - 1e-12
        );
    }
    assert_eq!(alphas[0]["nnz"].as_u64(), Some(0));
    // NPY header says K × p
    let bytes = std::fs::read(&out_npy).unwrap();
    let header = String::from_utf8_lossy(&bytes[10..120]);
    assert!(header.contains("(20, 300)"), "{header}");
}

/// `path --json`: the summary as one JSON document on stdout, consistent with `--out`'s file.
#[test]
fn path_json_summary_on_stdout_agrees_with_the_path_file() {
    let d = dir();
    let out_json = d.join("pj.json");
    let path = "path --synthetic gene --n 60 --p 300 --alphas 20 --json --threads 1";
    let out = regpath(&[path, "--out", s(&out_json)]);
    assert!(out.success(), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("stdout is JSON");
    let file = read_json(&out_json);
    let alphas = file["alphas"].as_array().unwrap();
    assert_eq!(v["schema"], "regpath.path-summary/1");
    assert_eq!(v["n_alphas"], 20);
    assert_eq!(v["n_features"], 300);
    assert_eq!(v["threads"], 1);
    assert_eq!(v["solver"], "cpu-cd");
    assert_eq!(v["nnz_first"], alphas[0]["nnz"]);
    assert_eq!(v["nnz_last"], alphas[19]["nnz"]);
    assert_eq!(v["alpha_max"], alphas[0]["alpha"]);
    let worst = alphas
        .iter()
        .map(|a| a["relative_gap"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(v["worst_relative_gap"].as_f64(), Some(worst));
    assert!(worst <= v["tol"].as_f64().unwrap());
    assert_eq!(v["not_converged"], 0);
    assert!(v["counters"]["epochs"].as_u64().unwrap() > 0);
}

#[test]
fn item_01_03_outputs_never_destroy_what_they_replace() {
    let d = dir().join("outputs");
    std::fs::create_dir_all(&d).unwrap();
    let small = "path --synthetic regression --n 30 --p 8 --alphas 5";
    // one file named twice: refused before the solve, the file untouched
    let same = write(&d, "same.json", "keep me");
    let o = regpath(&[small, "--out", &same, "--coef-npy", &same]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("same file"));
    assert_eq!(std::fs::read_to_string(&same).unwrap(), "keep me");
    // a symlink stays a symlink, a mode-600 file keeps its mode, /dev/null stays a device
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let target = write(&d, "target.npy", "old");
    let link = d.join("link.npy");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let private = write(&d, "private.json", "old");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = regpath(&[small, "--coef-npy", s(&link), "--out", &private]);
    assert!(o.success(), "{}", o.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read(&target).unwrap().starts_with(b"\x93NUMPY"));
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    if Path::new("/dev/null").exists() {
        assert!(regpath(&[small, "--out /dev/null"]).success());
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }
}

#[test]
fn an_unknown_wgpu_backend_is_named_not_blamed_on_a_missing_driver() {
    let gpu_cd = "path --synthetic regression --n 20 --p 5 --solver gpu-cd";
    let o = regpath_env(&[gpu_cd], &[("WGPU_BACKEND", "nosuch")]);
    let err = &o.stderr;
    assert_eq!(o.code, Some(2), "{err}");
    assert!(
        err.contains("WGPU_BACKEND=\"nosuch\"") && !err.contains("install"),
        "{err}"
    );
}

/// A fresh folder `name` under [`dir`].
fn sub(name: &str) -> PathBuf {
    let d = dir().join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn item_02_header_flag_reads_csv_x_and_y_in_path_cv_and_bench() {
    let d = sub("header");
    let (x, y) = csv_data(&d);
    // column names that are numbers: auto reads them as data, --header yes as a header
    let x_text = std::fs::read_to_string(&x)
        .unwrap()
        .replacen("a,b,c", "1,2,3", 1);
    let xh = write(&d, "xh.csv", x_text);
    let yh = write(
        &d,
        "yh.csv",
        format!("0\n{}", std::fs::read_to_string(&y).unwrap()),
    );
    let files = ["--x", &xh, "--y", &yh];
    let path = [&["path --alphas 3"], &files[..]].concat();
    regpath(&path).expect_saying(0, &["(31 samples × 3 features)"]);
    regpath(&[&path[..], &["--header auto"]].concat()).expect_saying(0, &["(31 samples"]);
    regpath(&[&path[..], &["--header yes"]].concat()).expect_saying(0, &["(30 samples"]);
    // --header no: a text header is an error at line 1, never a dropped row
    let named = ["path --alphas 3 --header no --x", &x, "--y", &y];
    regpath(&named).expect_saying(2, &["x.csv:1:1", "not a number"]);
    let cv = [&["cv --folds 3 --alphas 3 --header yes"], &files[..]].concat();
    regpath(&cv).expect(0);
    let out = d.join("bench.json");
    let bench = [
        "bench --solvers cpu-cd --runs 1 --header yes --out",
        s(&out),
    ];
    regpath(&[&bench[..], &files[..]].concat()).expect(0);
    assert_eq!(read_json(&out)["cases"][0]["dataset"]["n"], 30);
    // it does not apply to NPY files or generated data
    let npy = write(&d, "x.npy", npy_f64("(2, 1)", &[1.0, 2.0]));
    let y_npy = write(&d, "y.npy", npy_f64("(2,)", &[1.0, 2.0]));
    regpath(&["path --header yes --x", &npy, "--y", &y_npy]).expect_saying(2, &["--header"]);
    regpath(&["path --synthetic regression --header yes"]).expect_saying(2, &["--header"]);
}

/// X (40 × 4, Gaussian-like, times `scale`) and 0/1 labels from its first column, as CSV in `d`.
fn logistic_at_scale(d: &Path, scale: f64) -> (String, String) {
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    let (mut x, mut y) = (String::new(), String::new());
    for _ in 0..40 {
        let row: Vec<f64> = (0..4).map(|_| next()).collect();
        let line: Vec<String> = row.iter().map(|v| format!("{:e}", v * scale)).collect();
        x.push_str(&(line.join(",") + "\n"));
        y.push_str(if row[0] + 0.5 * next() > 0.0 {
            "1\n"
        } else {
            "0\n"
        });
    }
    let tag = format!("{scale:e}");
    (
        write(d, &format!("x{tag}.csv"), x),
        write(d, &format!("y{tag}.csv"), y),
    )
}

#[test]
fn item_08_logistic_paths_at_extreme_scales_of_x_never_claim_an_uncertified_convergence() {
    let d = sub("extreme");
    let mut solvers = vec!["cpu-cd"];
    if regpath(&["devices"]).success() {
        solvers.extend(["gpu-fista", "gpu-fista --precision f64"]);
    }
    for scale in [1e300, 1e-170] {
        let (x, y) = logistic_at_scale(&d, scale);
        for standardize in ["", "--standardize"] {
            for solver in &solvers {
                let out = d.join("p.json");
                let _ = std::fs::remove_file(&out);
                let args = ["path --loss logistic --alphas 5 --x", &x, "--y", &y];
                let o = regpath(
                    &[
                        &args[..],
                        &[standardize, "--solver", solver, "--out", s(&out)],
                    ]
                    .concat(),
                );
                let case = format!("X × {scale:e} {standardize} {solver}");
                if o.code == Some(2) {
                    // refused: the message names X (its variance, or f32's range), never y
                    assert!(
                        o.stderr.contains("of X") && !o.stderr.contains("y is"),
                        "{case}: {}",
                        o.stderr
                    );
                    continue;
                }
                assert!(o.success(), "{case}: {}", o.stderr);
                let v = read_json(&out);
                let tol = v["tol"].as_f64().unwrap();
                for a in v["alphas"].as_array().unwrap() {
                    if a["converged"] == true {
                        let gap = a["relative_gap"].as_f64();
                        assert!(gap.is_some_and(|g| g <= tol), "{case}: converged at {a}");
                    }
                }
            }
        }
    }
    // X × 1e300 standardized overflows X's variance: the message names X, not y
    let (x, y) = logistic_at_scale(&d, 1e300);
    let data = ["--x", &x, "--y", &y, "--loss logistic"];
    regpath(&[&["path --standardize"], &data[..]].concat())
        .expect_saying(2, &["column 0 of X", "variance", "inf"]);
    regpath(&[&["bench --solvers cpu-cd --runs 1"], &data[..]].concat())
        .expect_saying(2, &["column 0 of X", "variance"]);
    let (x, y) = logistic_at_scale(&d, 1e-170);
    regpath(&["path --standardize --loss logistic --x", &x, "--y", &y])
        .expect_saying(2, &["column 0 of X", "too small"]);
}

#[test]
fn item_01_standard_output_is_written_in_place() {
    let o = regpath(&["path --synthetic regression --n 30 --p 8 --alphas 3 --out -"]);
    assert!(o.success(), "{}", o.stderr);
    assert!(
        o.stdout.contains("\"schema\": \"regpath.path/1\""),
        "{}",
        o.stdout
    );
    assert!(!Path::new("-").exists());
}

#[test]
fn item_06_07_sizes_and_threads_are_checked_before_any_work() {
    let huge = "path --synthetic regression --n 100000000 --p 100000000";
    regpath(&[huge]).expect_saying(2, &["GB", "memory"]);
    let grid = "path --synthetic regression --n 10 --p 1000000 --alphas 1000000000";
    regpath(&[grid]).expect_saying(2, &["--alphas", "GB"]);
    let threads = "path --synthetic regression --n 20 --p 5 --threads 1000000";
    regpath(&[threads]).expect_saying(2, &["--threads 1000000", "cores"]);
}

#[test]
fn item_11_an_output_that_is_a_directory_or_in_a_missing_one_is_refused_before_the_solve() {
    let d = sub("outputs-checked");
    // a solve that would take long: refused before it starts
    let slow = "path --synthetic gene --n 1000 --p 5000 --alphas 100";
    let t = std::time::Instant::now();
    regpath(&[slow, "--out", s(&d)]).expect_saying(2, &["is a directory"]);
    let missing = d.join("no").join("coef.npy");
    regpath(&[slow, "--coef-npy", s(&missing)]).expect_saying(2, &["does not exist"]);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn item_12_a_megabyte_cell_is_not_echoed_whole() {
    let d = sub("long-cell");
    let (_, y) = csv_data(&d);
    let mut x = std::fs::read_to_string(d.join("x.csv")).unwrap();
    x = x.replacen("\n0.1,", &format!("\n{},", "1".repeat(1 << 20) + "x"), 1);
    let x = write(&d, "big_cell.csv", x);
    let o = regpath(&["path --x", &x, "--y", &y]);
    assert_input_error(&o, "big_cell.csv:3:1");
    assert!(
        o.stderr.len() < 400 && o.stderr.contains('…'),
        "{} bytes",
        o.stderr.len()
    );
}

#[test]
fn item_12_semicolon_and_tab_files_get_a_separator_hint() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let y = corpus.join("good_y.csv");
    for (file, sep) in [
        ("semicolons.csv", "';'-separated"),
        ("tabs.csv", "tab-separated"),
    ] {
        let x = corpus.join("x").join(file);
        let o = regpath(&["path --x", s(&x), "--y", s(&y)]);
        assert_input_error(&o, sep);
        assert!(o.stderr.contains("comma-separated"), "{}", o.stderr);
    }
}

#[test]
fn item_12_noise_nan_is_a_noise_error() {
    for noise in ["nan", "inf", "-1"] {
        let o = regpath(&["path --synthetic regression --n 20 --p 5 --noise", noise]);
        assert_input_error(&o, &format!("--noise {}", noise.replace("nan", "NaN")));
        assert!(!o.stderr.contains("y has"), "{}", o.stderr);
    }
}

#[test]
fn item_12_flags_that_do_not_apply_are_refused_naming_both() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let (x, y) = (corpus.join("good_x.csv"), corpus.join("good_y.csv"));
    let files = format!("--x {} --y {}", s(&x), s(&y));
    let small = "--synthetic regression --n 20 --p 5";
    let cases = [
        (
            format!("path {small} --alphas 5 --alpha-values 0.1"),
            ["--alphas", "--alpha-values"],
        ),
        (
            format!("path {small} --eps 0.01 --alpha-values 0.1"),
            ["--eps", "--alpha-values"],
        ),
        (
            format!("cv {small} --alphas 5 --alpha-values 0.1,0.2"),
            ["--alphas", "--alpha-values"],
        ),
        (
            format!("path {small} --adapter 0"),
            ["--adapter 0", "--solver cpu-cd"],
        ),
        (
            format!("path {small} --adapter 0 --solver cpu-fista"),
            ["--adapter 0", "--solver cpu-fista"],
        ),
        (
            format!("cv {small} --adapter 0"),
            ["--adapter 0", "--solver cpu-cd"],
        ),
        (
            "bench --suite tiny --solvers cpu-cd --adapter 0".into(),
            ["--adapter 0", "--solvers cpu-cd"],
        ),
        (
            format!("path {small} --rho 0.3"),
            ["--rho", "--synthetic regression"],
        ),
        (
            "path --synthetic classification --rho 0.3".into(),
            ["--rho", "--synthetic classification"],
        ),
        (
            "path --synthetic gene --noise 2".into(),
            ["--noise", "--synthetic gene"],
        ),
        (format!("path {files} --n 5"), ["--x", "--n"]),
        (format!("path {files} --rho 0.5"), ["--x", "--rho"]),
        (format!("path {files} --seed 3"), ["--x", "--seed"]),
    ];
    for (args, needles) in cases {
        let o = regpath(&[&args]);
        assert_eq!(o.code, Some(2), "{args}: {}", o.text());
        for n in needles {
            assert!(
                o.stderr.contains(n),
                "{args}: {n:?} missing from {}",
                o.stderr
            );
        }
    }
}
