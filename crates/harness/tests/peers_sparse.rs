//! `bench --peers` on sparse X: the peers get the very matrix regpath solves as scipy's CSC
//! `.npz` (never a dense copy), the labels, the loss and the instruction to fit the intercept
//! (which takes the place of centering the sparse columns), for squared and logistic loss.
//! The peer is a stand-in shell script (no Python needed) that keeps what it was handed.

mod common;

use common::{read_json, regpath_env, s};
use regpath_core::synth;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("peers-sparse-{name}"))
}

/// A stand-in for scripts/peers.py: copies the X and y it is handed to $KEEP/x-LOSS.EXT and
/// $KEEP/y-LOSS.npy, its arguments to $KEEP/args-LOSS, and reports zero coefficients (100 × 40
/// CSV) at each tolerance.
const KEEPING_PEER: &str = r#"
peer=$1; shift
args="$*"; loss=squared; intercept=no
while [ $# -gt 0 ]; do
  case $1 in
    --intercept) intercept=yes; shift; continue;;
    --x) x=$2;; --y) y=$2;; --loss) loss=$2;; --tols) tols=$2;; --runs) runs=$2;; --out-dir) dir=$2;;
  esac
  shift 2
done
cp "$x" "$KEEP/x-$loss.${x##*.}"; cp "$y" "$KEEP/y-$loss.npy"; echo "$args" > "$KEEP/args-$loss"
echo "$intercept" > "$KEEP/intercept-$loss"
times=$(for r in $(seq "$runs"); do printf '0.5,'; done); times=[${times%,}]
points=""; i=0
for t in $(echo "$tols" | tr , ' '); do
  for k in $(seq 100); do printf '0%.0s,' $(seq 39); echo 0; done > "$dir/coef-$i.csv"
  points="$points{\"tol\": $t, \"times\": $times, \"coef\": \"coef-$i.csv\"},"
  i=$((i+1))
done
echo "{\"peer\": \"$peer\", \"version\": \"0.0-keeping\", \"points\": [${points%,}]}"
"#;

const SUITE: &str = r#"
name = "sparse-peers"
solvers = ["cpu-cd"]
tols = [1e-3]

[[dataset]]
kind = "text"
n = 80
p = 40
seed = 2

[[problem]]
penalty = "lasso"

[[problem]]
penalty = "lasso"
loss = "logistic"
"#;

fn case<'a>(file: &'a Value, id: &str) -> &'a Value {
    file["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in {file}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn sparse_x_reaches_the_peers_as_the_same_csc_with_the_intercept_to_fit() {
    let dir = tmp("handover");
    let (script, suite) = (dir.join("keeping-peer.sh"), dir.join("suite.toml"));
    std::fs::write(&script, KEEPING_PEER).unwrap();
    std::fs::write(&suite, SUITE).unwrap();
    let out = dir.join("r.json");
    let env = [
        ("REGPATH_PYTHON", "bash"),
        ("REGPATH_PEERS_SCRIPT", s(&script)),
        ("KEEP", s(&dir)),
    ];
    let bench = "bench --runs 1 --peers sklearn --suite-file";
    regpath_env(&[bench, s(&suite), "--out", s(&out)], &env).expect(0);

    // the corpus the suite names, made here by the generator itself
    let text = synth::text(80, 40, synth::TEXT_SPAM_WORDS, 2).unwrap();
    let labels = text.y.to_vec();
    let mean = labels.iter().sum::<f64>() / labels.len() as f64;
    for loss in ["squared", "logistic"] {
        let x = dir.join(format!("x-{loss}.npz"));
        assert!(x.is_file(), "{loss}: X was not handed over as .npz");
        let handed = regpath_core::npz::read_npz(&x).unwrap();
        // text columns are not standardized (squared loss, and TF-IDF for logistic loss): the
        // matrix itself, no centering, no densifying
        assert_eq!(handed.x, text.x, "{loss}: the peer's X is the corpus");
        assert_eq!(read(&dir.join(format!("intercept-{loss}"))).trim(), "yes");
        assert!(
            read(&dir.join(format!("args-{loss}"))).contains(&format!("--loss {loss}")),
            "{loss}"
        );
        let y = regpath_core::io::read_vector(&dir.join(format!("y-{loss}.npy"))).unwrap();
        let expected: Vec<f64> = match loss {
            // the design's y: centered for squared loss, the 0/1 labels for logistic loss
            "squared" => labels.iter().map(|v| v - mean).collect(),
            _ => labels.clone(),
        };
        assert_eq!(y.len(), expected.len());
        for (a, b) in y.iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-15, "{loss}: y {a} vs {b}");
        }
    }
    let file = read_json(&out);
    for id in [
        "lasso/text/n80/p40/sklearn/f64",
        "logistic/text/n80/p40/sklearn/f64",
    ] {
        let peer = case(&file, id);
        assert_eq!(peer["version"], "0.0-keeping");
        for point in peer["ladder"].as_array().unwrap() {
            // zeros are certified, far from the optimum below alpha_max
            assert_eq!(point["nnz_end"], 0, "{id}");
            assert!(point["max_rel_subopt"].as_f64().unwrap() > 1e-3, "{id}");
        }
    }
    // regpath's own cases on the same sparse design reach the reference
    for id in [
        "lasso/text/n80/p40/cpu-cd/f64",
        "logistic/text/n80/p40/cpu-cd/f64",
    ] {
        let cd = case(&file, id);
        assert!(
            cd["agreement"]["max_rel_subopt"].as_f64().unwrap() < 1e-6,
            "{cd}"
        );
    }
}
