//! `bench --peers` stores other libraries' ladders as certified cases, `compare` lists them but
//! never gates them (and `--json` says so), and `bench --suite-file` runs a TOML suite.
//! The peer here is a stand-in shell script (no Python needed) whose coefficients are all zero
//! on an orthogonal design, where the lasso has a closed form: the certified suboptimality of
//! zero is known by hand.

mod common;

use common::{read_json, regpath, regpath_env, s};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("peers-{name}"))
}

/// A stand-in for scripts/peers.py, run by bash: for every tolerance it is given it reports
/// `runs` times of 0.25 s and writes 100 × 2 zero coefficients as CSV; as "glmnet" it answers
/// that the library is not installed (exit 3), as peers.py does.
const FAKE_PEER: &str = r#"
peer=$1; shift
while [ $# -gt 0 ]; do
  case $1 in
    --tols) tols=$2;; --runs) runs=$2;; --out-dir) dir=$2;;
  esac
  shift 2
done
if [ "$peer" = glmnet ]; then echo "glmnet is not installed (pip install python-glmnet)" >&2; exit 3; fi
times=$(for r in $(seq "$runs"); do printf '0.25,'; done); times=[${times%,}]
points=""; i=0
for t in $(echo "$tols" | tr , ' '); do
  for k in $(seq 100); do echo "0,0"; done > "$dir/coef-$i.csv"
  points="$points{\"tol\": $t, \"times\": $times, \"coef\": \"coef-$i.csv\"},"
  i=$((i+1))
done
echo "{\"peer\": \"$peer\", \"version\": \"0.0-fake\", \"points\": [${points%,}]}"
"#;

/// X with orthogonal, centered columns (‖x_j‖²/n = 1) and y, as CSV files.
fn orthogonal_data(dir: &Path) -> (PathBuf, PathBuf) {
    let (x, y) = (dir.join("X.csv"), dir.join("y.csv"));
    std::fs::write(&x, "1,1\n-1,1\n1,-1\n-1,-1\n").unwrap();
    std::fs::write(&y, "3\n1\n-1\n-2\n").unwrap();
    (x, y)
}

/// The worst relative suboptimality of β = 0 over the 100-alpha grid down to 1e-3·alpha_max,
/// by hand: with orthogonal columns of unit scale the lasso is soft-thresholding, so
/// P(0) − P*(α) = ½ Σ_j (|c_j| − α)₊² with c = Xᵀy/n on the centered y, and P(0) = ‖y‖²/(2n).
fn zero_subopt_by_hand() -> f64 {
    let y: [f64; 4] = [3.0, 1.0, -1.0, -2.0];
    let mean = y.iter().sum::<f64>() / 4.0;
    let yc: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let c = [
        (yc[0] - yc[1] + yc[2] - yc[3]) / 4.0,
        (yc[0] + yc[1] - yc[2] - yc[3]) / 4.0,
    ];
    let p0 = yc.iter().map(|v| v * v).sum::<f64>() / 8.0;
    let top = c[0].abs().max(c[1].abs());
    (0..100)
        .map(|k| {
            let alpha = top * 1e-3f64.powf(k as f64 / 99.0);
            let d: f64 = c
                .iter()
                .map(|cj| 0.5 * (cj.abs() - alpha).max(0.0).powi(2))
                .sum();
            d / (p0 - d)
        })
        .fold(0.0, f64::max)
}

fn case<'a>(file: &'a Value, id: &str) -> &'a Value {
    file["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in {file}"))
}

#[test]
fn peer_cases_are_stored_certified_and_never_gated() {
    let dir = tmp("cases");
    let script = dir.join("fake-peer.sh");
    std::fs::write(&script, FAKE_PEER).unwrap();
    let (x, y) = orthogonal_data(&dir);
    let out = dir.join("base.json");
    let env = [
        ("REGPATH_PYTHON", "bash"),
        ("REGPATH_PEERS_SCRIPT", s(&script)),
    ];
    let text = regpath_env(
        &[
            "bench --solvers cpu-cd --runs 1 --tols 1e-3 --peers sklearn,glmnet --x",
            s(&x),
            "--y",
            s(&y),
            "--out",
            s(&out),
        ],
        &env,
    )
    .expect_saying(
        0,
        &[
            "peer glmnet skipped: glmnet is not installed",
            "lasso/X/n4/p2/sklearn/f64 (sklearn 0.0-fake, certified here)",
        ],
    );
    let file = read_json(&out);
    let peer = case(&file, "lasso/X/n4/p2/sklearn/f64");
    assert_eq!(peer["solver"], "sklearn", "{peer}");
    assert_eq!(peer["precision"], "f64");
    assert_eq!(peer["version"], "0.0-fake");
    assert!(
        file["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["solver"] != "glmnet"),
        "{text}"
    );
    let ladder = peer["ladder"].as_array().unwrap();
    let tols: Vec<f64> = ladder.iter().map(|p| p["tol"].as_f64().unwrap()).collect();
    assert_eq!(tols, [1e-2, 1e-3, 1e-4, 1e-5, 1e-6], "sklearn's own ladder");
    let expected = zero_subopt_by_hand();
    assert!(expected > 0.1, "zero is far from optimal here: {expected}");
    for p in ladder {
        let got = p["max_rel_subopt"].as_f64().unwrap();
        assert!(
            (got - expected).abs() <= 1e-6 * expected,
            "certified {got}, by hand {expected}"
        );
        assert_eq!(p["nnz_end"], 0);
        assert_eq!(p["times"], serde_json::json!([0.25]));
        assert!(p["max_gap"].as_f64().unwrap() > 0.0);
    }
    // the headline is sklearn's default tol 1e-4
    assert_eq!(peer["seconds"]["median"], 0.25);
    assert!(
        (peer["agreement"]["max_rel_subopt"].as_f64().unwrap() - expected).abs() <= 1e-6 * expected
    );
    // regpath's own case sits beside it, and reaches what the zeros never do
    let cd = case(&file, "lasso/X/n4/p2/cpu-cd/f64");
    assert!(
        cd["agreement"]["max_rel_subopt"].as_f64().unwrap() < 1e-6,
        "{cd}"
    );

    // a peer 100× slower, and wildly inaccurate, is listed but not gated
    let mut slower = file.clone();
    for c in slower["cases"].as_array_mut().unwrap() {
        if c["solver"] == "sklearn" {
            for k in ["median", "min", "max"] {
                c["seconds"][k] = 25.0.into();
            }
        }
    }
    let new = dir.join("new.json");
    std::fs::write(&new, serde_json::to_string(&slower).unwrap()).unwrap();
    regpath(&["compare", s(&out), s(&new)])
        .expect_saying(0, &["peer (not gated)", "1 peer case (another library's"]);
    let json = regpath(&["compare", s(&out), s(&new), "--json"]);
    assert_eq!(json.code, Some(0), "{}", json.text());
    let summary: Value = serde_json::from_str(&json.stdout).unwrap();
    let row = summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["solver"] == "sklearn")
        .unwrap();
    assert_eq!(row["timing"], "peer (not gated)");
    assert_eq!(summary["verdict"], "pass");
    assert_eq!(summary["fired"], serde_json::json!([]));

    // the same slowdown of regpath's own case is a regression: the gate is alive
    let mut slower_cd = file.clone();
    for c in slower_cd["cases"].as_array_mut().unwrap() {
        if c["solver"] == "cpu-cd" {
            for k in ["median", "min", "max"] {
                c["seconds"][k] = 100.0.into();
            }
        }
    }
    std::fs::write(&new, serde_json::to_string(&slower_cd).unwrap()).unwrap();
    let json = regpath(&["compare", s(&out), s(&new), "--json"]);
    assert_eq!(json.code, Some(1), "{}", json.text());
    let summary: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(summary["verdict"], "fail");
    let fired = summary["fired"].as_array().unwrap();
    assert_eq!(fired.len(), 1, "{summary}");
    assert_eq!(fired[0]["rule"], "timing");
    assert_eq!(fired[0]["case"], "lasso/X/n4/p2/cpu-cd/f64");
}

#[test]
fn compare_json_has_every_key_and_says_why_timings_were_not_compared() {
    let dir = tmp("json");
    let base = dir.join("base.json");
    regpath(&[
        "bench --suite tiny --solvers cpu-cd --runs 1 --tols 1e-3 --cases lasso/regression --out",
        s(&base),
    ])
    .expect(0);
    let mut other: Value = read_json(&base);
    other["environment"]["cpu"] = "Another CPU".into();
    let new = dir.join("new.json");
    std::fs::write(&new, serde_json::to_string(&other).unwrap()).unwrap();
    let run = regpath(&["compare", s(&base), s(&new), "--json"]);
    assert_eq!(run.code, Some(0), "{}", run.text());
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", run.stdout));
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "schema",
        "verdict",
        "base",
        "new",
        "timings_compared",
        "timings_note",
        "rules",
        "cases",
        "only_in_base",
        "only_in_new",
        "paired",
        "fired",
        "peers_note",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(v["schema"], "regpath.compare/1");
    assert_eq!(v["timings_compared"], false);
    assert!(
        v["timings_note"].as_str().unwrap().contains("cpu "),
        "{}",
        v["timings_note"]
    );
    assert_eq!(v["new"]["cpu"], "Another CPU");
    assert_eq!(v["paired"], 1);
    assert_eq!(v["cases"][0]["timing"], "not compared");
    for k in [
        "id",
        "solver",
        "base_median_s",
        "new_median_s",
        "ratio",
        "work_growth",
        "agreement_failures",
    ] {
        assert!(
            v["cases"][0].get(k).is_some(),
            "{k} missing from {}",
            v["cases"][0]
        );
    }
    for k in [
        "max_slowdown",
        "max_work_growth",
        "require_same_env",
        "allow_missing",
    ] {
        assert!(
            v["rules"].get(k).is_some(),
            "{k} missing from {}",
            v["rules"]
        );
    }
    // the text output is not mixed into stdout
    assert!(!run.stdout.contains("base: "), "{}", run.stdout);
    // --require-same-env makes the mismatch a fired rule
    let run = regpath(&["compare", s(&base), s(&new), "--json --require-same-env"]);
    assert_eq!(run.code, Some(1), "{}", run.text());
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["fired"][0]["rule"], "environment", "{v}");
}

#[test]
fn the_example_suite_file_parses_and_runs() {
    let dir = tmp("suite");
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/suite.toml");
    let out = dir.join("suite.json");
    regpath(&["bench --suite-file", s(&example), "--runs 1 --out", s(&out)]).expect(0);
    let file = read_json(&out);
    assert_eq!(file["suite"], "example");
    let ids: Vec<&str> = file["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "lasso/small-gene/n200/p100/cpu-cd/f64",
        "enet-half/small-gene/n200/p100/cpu-fista/f64",
        "lasso/regression/n200/p50/cpu-cd/f64",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let enet = case(&file, "enet-half/small-gene/n200/p100/cpu-cd/f64");
    assert_eq!(enet["problem"]["l1_ratio"], 0.5);
    assert_eq!(enet["dataset"]["rho"], 0.7);
    assert_eq!(enet["dataset"]["kind"], "small-gene");
    let tols: Vec<f64> = enet["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["tol"].as_f64().unwrap())
        .collect();
    assert_eq!(tols, [1e-3, 1e-5, 1e-7], "the file's ladder");
    // every case is certified as accurate as the default tol promises
    for c in file["cases"].as_array().unwrap() {
        assert!(
            c["agreement"]["max_rel_subopt"].as_f64().unwrap() < 1e-4,
            "{c}"
        );
    }
}

#[test]
fn bad_suite_files_are_exit_2_naming_file_line_and_key() {
    let dir = tmp("bad-suite");
    let f = dir.join("bad.toml");
    let cases: [(&str, &str); 4] = [
        (
            "[[dataset]]\nkind = \"gene\"\nn = 10\np = -5\n",
            "bad.toml:4:5: key `p`: must be at least 1",
        ),
        (
            "[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\nsize = 3\n",
            "bad.toml:5:1",
        ),
        (
            "solvers = [\"cpu-cd\", \"cpu-magic\"]\n[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n",
            "bad.toml:1:11: key `solvers`: --solvers: unknown solver \"cpu-magic\"",
        ),
        (
            "[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n[[problem]]\npenalty = \"group\"\n",
            "bad.toml:6:11: key `penalty`: unknown penalty \"group\"",
        ),
    ];
    for (text, needle) in cases {
        std::fs::write(&f, text).unwrap();
        regpath(&["bench --suite-file", s(&f), "--runs 1"]).expect_saying(2, &[needle]);
    }
    regpath(&["bench --suite-file", s(&dir.join("missing.toml"))])
        .expect_saying(2, &["cannot read", "missing.toml"]);
    regpath(&["bench --suite tiny --suite-file", s(&f)]).expect(2);
}
