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

#[test]
fn outputs_never_destroy_what_they_replace() {
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
