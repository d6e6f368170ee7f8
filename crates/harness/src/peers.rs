//! Other libraries' lasso paths (scikit-learn, glmnet) through `scripts/peers.py`, certified here
//! with the same f64 certificate as every regpath solver. Optional: without python3 or the
//! packages, each peer is skipped with the reason. Peer results are printed, not written to the
//! results file (its schema has regpath solvers only).
//!
//! Hand-over: the prepared design (X centered, y centered, no intercept left to fit) and the
//! alphas as NPY files in a temporary directory; the script writes the K × p coefficients as NPY
//! and prints its solve time as JSON. `REGPATH_PYTHON` picks the interpreter (default `python3`),
//! `REGPATH_PEERS_SCRIPT` the script (default `scripts/peers.py`, else the one in the source tree).

use crate::agreement;
use crate::engine::{Engine, PathRun};
use crate::error::input_error;
use crate::fmt::sci;
use crate::solver::{Counters, Precision, SolverKind, SolverPlan};
use crate::sweep::suites::{EPS, N_ALPHAS};
use crate::sweep::{self, DataSpec};
use crate::table::Table;
use anyhow::{anyhow, Context, Result};
use ndarray::Array2;
use regpath_core::{Design, Penalty, Problem};
use std::path::{Path, PathBuf};
use std::process::Command;

const PEERS: [&str; 2] = ["sklearn", "glmnet"];

fn script() -> PathBuf {
    if let Ok(s) = std::env::var("REGPATH_PEERS_SCRIPT") {
        return PathBuf::from(s);
    }
    let local = PathBuf::from("scripts/peers.py");
    if local.is_file() {
        return local;
    }
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/peers.py"
    ))
}

fn python() -> String {
    std::env::var("REGPATH_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The peers asked for, or an input error naming an unknown one.
pub fn validate(peers: &[String]) -> Result<Vec<&str>> {
    let peers: Vec<&str> = peers
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(bad) = peers.iter().find(|p| !PEERS.contains(p)) {
        return Err(input_error(format!(
            "--peers: unknown peer {bad:?}; expected sklearn or glmnet"
        )));
    }
    Ok(peers)
}

/// Times and certifies each peer on each dataset (lasso, the bench grid), printing a table.
pub fn run(peers: &[String], datasets: &[DataSpec], threads: Option<usize>) -> Result<()> {
    let peers = validate(peers)?;
    println!();
    let py = python();
    let version = Command::new(&py).arg("--version").output();
    if !matches!(&version, Ok(o) if o.status.success()) {
        println!("peers skipped: {py} not found (set REGPATH_PYTHON to an interpreter with scikit-learn / glmnet)");
        return Ok(());
    }
    let script = script();
    if !script.is_file() {
        println!(
            "peers skipped: {} not found (set REGPATH_PEERS_SCRIPT)",
            script.display()
        );
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("regpath-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let outcome = run_in(&dir, &py, &script, &peers, datasets, threads);
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

fn run_in(
    dir: &Path,
    py: &str,
    script: &Path,
    peers: &[&str],
    datasets: &[DataSpec],
    threads: Option<usize>,
) -> Result<()> {
    println!(
        "peers: lasso paths of {} alphas on the prepared (centered) design at tol {:.0e}, certified here like every regpath solver",
        N_ALPHAS,
        1e-7
    );
    println!("  (sklearn stops on the duality gap on regpath's tol scale; glmnet stops on coefficient change times the null deviance, so its certified gap can be larger)");
    let mut table = Table::new(
        &[
            "dataset",
            "peer",
            "version",
            "seconds",
            "cpu-cd s",
            "rel subopt",
            "gap",
            "jaccard",
            "agreement",
        ],
        3,
    )
    .left_align_last();
    let mut skipped: Vec<(&str, String)> = Vec::new();
    let mut engine = Engine::default();
    for spec in datasets {
        let active: Vec<&str> = peers
            .iter()
            .copied()
            .filter(|p| !skipped.iter().any(|s| s.0 == *p))
            .collect();
        if active.is_empty() {
            break;
        }
        let data = spec.generate()?;
        let (design, problem) = sweep::prepare(&data, Penalty::LASSO, N_ALPHAS, EPS)?;
        let reference = engine.run(&design, &problem, &SolverPlan::reference(threads))?;
        let cd = engine.run(
            &design,
            &problem,
            &sweep::Variant {
                kind: SolverKind::CpuCd,
                precision: Precision::F64,
            }
            .plan(None, threads)?,
        )?;
        let (x, y, a) = (dir.join("x.npy"), dir.join("y.npy"), dir.join("alphas.npy"));
        let dense = design.x.dense().ok_or_else(|| {
            input_error("the peers take dense X only; sparse X is not written for them yet")
        })?;
        regpath_core::io::write_matrix(&x, dense)?;
        regpath_core::io::write_matrix(&y, &column(design.y.as_slice().expect("contiguous")))?;
        regpath_core::io::write_matrix(&a, &column(&problem.alphas))?;
        for peer in active {
            let coef = dir.join(format!("coef-{peer}.npy"));
            match solve_peer(py, script, peer, (&x, &y, &a), &coef) {
                Ok((version, seconds)) => {
                    let run = certify_peer(&design, &problem, &coef, seconds)?;
                    let m = agreement::measure(&run, &reference);
                    let fails = agreement::thresholds("f64").failures(&m.agreement, 1.0);
                    table.row(vec![
                        spec.label(true),
                        peer.into(),
                        version,
                        format!("{seconds:.4}"),
                        format!("{:.4}", cd.seconds),
                        sci(m.agreement.max_rel_subopt),
                        sci(m.agreement.max_gap),
                        format!("{:.3}", m.agreement.min_support_jaccard),
                        if fails.is_empty() {
                            "ok".into()
                        } else {
                            format!("FAIL: {}", fails.join(", "))
                        },
                    ]);
                }
                Err(e) => skipped.push((peer, format!("{e:#}"))),
            }
        }
    }
    if !table.is_empty() {
        print!("{}", table.render());
    }
    for (peer, why) in &skipped {
        println!("peer {peer} skipped: {why}");
    }
    Ok(())
}

fn column(v: &[f64]) -> Array2<f64> {
    Array2::from_shape_vec((v.len(), 1), v.to_vec()).expect("n × 1")
}

/// Runs the script; Ok((version, seconds)) or why the peer cannot run.
fn solve_peer(
    py: &str,
    script: &Path,
    peer: &str,
    (x, y, a): (&Path, &Path, &Path),
    coef: &Path,
) -> Result<(String, f64)> {
    let out = Command::new(py)
        .arg(script)
        .arg(peer)
        .arg("--x")
        .arg(x)
        .arg("--y")
        .arg(y)
        .arg("--alphas")
        .arg(a)
        .args(["--tol", "1e-7", "--max-iter", "100000", "--out"])
        .arg(coef)
        .output()
        .with_context(|| format!("running {py} {}", script.display()))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(match out.status.code() {
            Some(3) => anyhow!("{}", last.trim()),
            code => anyhow!("{} (exit {})", last.trim(), code.unwrap_or(-1)),
        });
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| anyhow!("unreadable script output {line:?}: {e}"))?;
    let seconds = v["seconds"]
        .as_f64()
        .ok_or_else(|| anyhow!("script output lacks seconds: {line}"))?;
    let version = v["version"].as_str().unwrap_or("?").to_string();
    Ok((version, seconds))
}

/// Reads the peer's K × p coefficients and certifies each alpha.
fn certify_peer(design: &Design, problem: &Problem, coef: &Path, seconds: f64) -> Result<PathRun> {
    let coefs = regpath_core::io::read_matrix(coef)?;
    let (k, p) = (problem.alphas.len(), design.n_features());
    if coefs.dim() != (k, p) {
        return Err(anyhow!(
            "peer coefficients are {:?}, expected {k} × {p}",
            coefs.dim()
        ));
    }
    let path = regpath_core::Path {
        alphas: problem.alphas.clone(),
        coefs,
        intercepts: vec![0.0; k],
        iterations: vec![0; k],
        converged: vec![true; k],
    };
    let certificates = problem.certify(design, &path);
    Ok(PathRun {
        path,
        seconds,
        certificates,
        counters: Counters::default(),
        adapter: None,
    })
}
