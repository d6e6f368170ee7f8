//! Other libraries' lasso paths (scikit-learn, glmnet) as cases of `bench --peers`: each peer
//! runs across its own ladder of stopping tolerances through `scripts/peers.py`, and every
//! point's coefficients are certified here with the same f64 certificate and against the same
//! tight reference as regpath's ladder points. Optional: without python3, the script or a
//! package, the peer is skipped with the reason and the other cases still run.
//!
//! Hand-over, in a temporary directory: y and the alphas as NPY files, the loss, and X so that
//! the peer's problem is the design's. Dense X goes as the prepared NPY (centered and scaled; for
//! squared loss y is centered too, so no intercept is left to fit; a logistic intercept is
//! fitted). Sparse X is never densified: it goes as scipy's `save_npz` CSC with each column
//! multiplied by the design's 1/s_j (its standardization; constant columns zeroed), and the peer
//! fits the intercept, which takes the place of centering exactly as scikit-learn's and glmnet's
//! sparse solvers do. The script runs the ladder (one warm-up at the loosest tolerance, then the
//! timed runs at each), writes each tolerance's K × p coefficients (NPY, or CSV) on the design's
//! scale and prints one JSON line naming them with the solve times.
//! `REGPATH_PYTHON` picks the interpreter (default `python3`), `REGPATH_PEERS_SCRIPT` the script
//! (default `scripts/peers.py`, else the one in the source tree).

use crate::agreement;
use crate::engine::PathRun;
use crate::error::input_error;
use crate::results::{LadderPoint, Seconds, PEER_SOLVERS};
use crate::solver::Counters;
use anyhow::{anyhow, Context, Result};
use ndarray::Array2;
use regpath_core::{Csc, Design, Loss, Problem, Storage};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A peer's ladder of stopping tolerances, loosest first, and its default (the case's headline
/// point). scikit-learn's Lasso `tol` bounds its duality gap relative to ‖y‖²/n, regpath's
/// scale; its LogisticRegression (saga) `tol` bounds the largest coefficient change relative to
/// the largest coefficient; glmnet's `thresh` bounds the largest coefficient change weighted by
/// the null deviance, so its ladder goes further down for the same accuracy.
pub fn ladder(peer: &str, loss: Loss) -> (&'static [f64], f64) {
    match (peer, loss) {
        ("glmnet", _) => (&[1e-7, 1e-10, 1e-12, 1e-14], 1e-7),
        (_, Loss::Squared) => (&[1e-2, 1e-3, 1e-4, 1e-5, 1e-6], 1e-4),
        (_, Loss::Logistic) => (&[1e-2, 1e-3, 1e-4, 1e-5], 1e-4),
    }
}

/// Iterations (epochs) a peer may take per alpha.
const PEER_MAX_ITER: usize = 100_000;

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
pub fn validate(peers: &[String]) -> Result<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    for p in peers.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let Some(known) = PEER_SOLVERS.iter().find(|k| **k == p) else {
            return Err(input_error(format!(
                "--peers: unknown peer {p:?}; expected sklearn or glmnet"
            )));
        };
        if !out.contains(known) {
            out.push(known);
        }
    }
    Ok(out)
}

/// Where peers run: the interpreter, the script and a scratch directory (removed on drop).
pub struct Runner {
    python: String,
    script: PathBuf,
    dir: PathBuf,
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Runner {
    /// The runner, or why no peer can run here (no interpreter, no script): a note, not an error.
    pub fn new() -> std::result::Result<Runner, String> {
        let py = python();
        let version = Command::new(&py).arg("--version").output();
        if !matches!(&version, Ok(o) if o.status.success()) {
            return Err(format!(
                "{py} not found (set REGPATH_PYTHON to an interpreter with scikit-learn / glmnet)"
            ));
        }
        let script = script();
        if !script.is_file() {
            return Err(format!(
                "{} not found (set REGPATH_PEERS_SCRIPT)",
                script.display()
            ));
        }
        let dir = std::env::temp_dir().join(format!("regpath-peers-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Runner {
            python: py,
            script,
            dir,
        })
    }

    /// Runs `peer` across its [`ladder`] on the prepared design (`runs` timed runs per
    /// tolerance after one warm-up) and certifies every point against `reference`. `threads`
    /// (`--threads`) caps the BLAS/OpenMP threads of the peer's process. Err: why the peer
    /// cannot run (not installed, failed), for the caller to report and skip.
    pub fn time(
        &self,
        peer: &str,
        design: &Design,
        problem: &Problem,
        reference: &PathRun,
        runs: usize,
        threads: Option<usize>,
    ) -> Result<PeerTimed> {
        let dir = &self.dir;
        let (y, a) = (dir.join("y.npy"), dir.join("alphas.npy"));
        let (x, intercept) = write_x(dir, design, problem.loss)?;
        regpath_core::io::write_matrix(&y, &column(design.y.as_slice().expect("contiguous")))?;
        regpath_core::io::write_matrix(&a, &column(&problem.alphas))?;
        let (tols, headline) = ladder(peer, problem.loss);
        let tols_text: Vec<String> = tols.iter().map(|t| format!("{t:e}")).collect();
        let mut command = Command::new(&self.python);
        if let Some(t) = threads {
            for var in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] {
                command.env(var, t.to_string());
            }
        }
        let out = command
            .arg(&self.script)
            .arg(peer)
            .arg("--x")
            .arg(&x)
            .arg("--y")
            .arg(&y)
            .arg("--loss")
            .arg(match problem.loss {
                Loss::Squared => "squared",
                Loss::Logistic => "logistic",
            })
            .args(intercept.then_some("--intercept"))
            .arg("--l1-ratio")
            .arg(problem.penalty.l1_ratio.to_string())
            .arg("--alphas")
            .arg(&a)
            .arg("--tols")
            .arg(tols_text.join(","))
            .arg("--runs")
            .arg(runs.to_string())
            .arg("--max-iter")
            .arg(PEER_MAX_ITER.to_string())
            .arg("--out-dir")
            .arg(dir)
            .output()
            .with_context(|| format!("running {} {}", self.python, self.script.display()))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_string();
            return Err(match out.status.code() {
                Some(3) => anyhow!("{last}"),
                code => anyhow!("{last} (exit {})", code.unwrap_or(-1)),
            });
        }
        let reply = parse_reply(&String::from_utf8_lossy(&out.stdout), runs)?;
        let mut ladder = Vec::with_capacity(reply.points.len());
        let mut agreements = Vec::with_capacity(reply.points.len());
        for point in &reply.points {
            let coef = if point.coef.is_absolute() {
                point.coef.clone()
            } else {
                dir.join(&point.coef)
            };
            let run = certify(design, problem, &coef)?;
            let measured = agreement::measure(&run, reference);
            agreements.push(measured.agreement);
            ladder.push(LadderPoint {
                tol: point.tol,
                times: point.times.clone(),
                seconds: Seconds::of(&point.times),
                max_rel_subopt: measured.agreement.max_rel_subopt,
                max_gap: measured.agreement.max_gap,
                nnz_end: run.certificates.last().map_or(0, |c| c.nnz),
                counters: Counters::default(),
            });
        }
        // the case's headline: the peer's default tolerance (else the last point reported)
        let headline = ladder
            .iter()
            .position(|p| p.tol == headline)
            .unwrap_or(ladder.len() - 1);
        let agreement = agreements[headline];
        Ok(PeerTimed {
            version: reply.version,
            headline,
            agreement,
            ladder,
        })
    }
}

/// What timing a peer yields: its version, its certified ladder and which point is the case's
/// headline (the peer's default tolerance).
pub struct PeerTimed {
    pub version: String,
    pub headline: usize,
    pub agreement: crate::results::Agreement,
    pub ladder: Vec<LadderPoint>,
}

/// The script's JSON line.
#[derive(serde::Deserialize)]
struct Reply {
    version: String,
    points: Vec<ReplyPoint>,
}

#[derive(serde::Deserialize)]
struct ReplyPoint {
    tol: f64,
    /// Seconds of each timed run (the solve alone, no I/O).
    times: Vec<f64>,
    /// The coefficient file (NPY or CSV, K × p), relative to the scratch directory or absolute.
    coef: PathBuf,
}

/// Reads the last JSON line of the script's output and checks it: at least one point, `runs`
/// finite non-negative times each.
fn parse_reply(stdout: &str, runs: usize) -> Result<Reply> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or("");
    let reply: Reply = serde_json::from_str(line)
        .map_err(|e| anyhow!("unreadable script output {line:?}: {e}"))?;
    if reply.points.is_empty() {
        return Err(anyhow!("the script reported no point"));
    }
    for p in &reply.points {
        if p.times.len() != runs || !p.times.iter().all(|t| t.is_finite() && *t >= 0.0) {
            return Err(anyhow!(
                "the script reported {:?} at tol {:e}: expected {runs} finite times >= 0",
                p.times,
                p.tol
            ));
        }
    }
    Ok(reply)
}

/// Writes X for the peer into `dir` (see the module's hand-over): the file and whether the peer
/// fits an intercept.
fn write_x(dir: &Path, design: &Design, loss: Loss) -> Result<(PathBuf, bool)> {
    let fit_intercept = design.options.fit_intercept;
    match &design.x {
        Storage::Dense(x) => {
            let path = dir.join("x.npy");
            regpath_core::io::write_matrix(&path, x)?;
            // squared loss: the centered y leaves no intercept to fit
            Ok((path, fit_intercept && loss == Loss::Logistic))
        }
        Storage::Sparse(x) => {
            let path = dir.join("x.npz");
            let scaled = scale_columns(x, &design.column_multipliers());
            std::fs::write(&path, regpath_core::npz::npz_bytes(&scaled))
                .with_context(|| format!("writing {}", path.display()))?;
            Ok((path, fit_intercept))
        }
    }
}

/// X with column j multiplied by `f[j]` (same sparsity pattern).
fn scale_columns(x: &Csc, f: &[f64]) -> Csc {
    let (n, p) = x.dim();
    let (col_ptr, row_idx, values) = x.parts();
    let mut scaled = values.to_vec();
    for j in 0..p {
        for v in &mut scaled[col_ptr[j]..col_ptr[j + 1]] {
            *v *= f[j];
        }
    }
    Csc::from_csc(n, p, col_ptr.to_vec(), row_idx.to_vec(), scaled)
        .expect("the pattern of a valid CSC, finite values")
}

fn column(v: &[f64]) -> Array2<f64> {
    Array2::from_shape_vec((v.len(), 1), v.to_vec()).expect("n × 1")
}

/// Reads a peer's K × p coefficients and certifies each alpha (seconds are not part of it).
fn certify(design: &Design, problem: &Problem, coef: &Path) -> Result<PathRun> {
    let coefs = regpath_core::io::read_matrix(coef)
        .with_context(|| format!("reading the peer's coefficients {}", coef.display()))?;
    let (k, p) = (problem.alphas.len(), design.n_features());
    if coefs.dim() != (k, p) {
        return Err(anyhow!(
            "the peer's coefficients {} are {} × {}, expected {k} × {p} (one row per alpha; a peer that stops its path early cannot be certified)",
            coef.display(),
            coefs.nrows(),
            coefs.ncols()
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
        seconds: 0.0,
        certificates,
        counters: Counters::default(),
        adapter: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_peers_are_input_errors_and_duplicates_collapse() {
        assert_eq!(
            validate(&["glmnet".into(), " sklearn".into(), "glmnet".into()]).unwrap(),
            ["glmnet", "sklearn"]
        );
        assert!(validate(&["R".into()]).is_err());
    }

    #[test]
    fn ladders_hold_their_default_loosest_first() {
        for peer in PEER_SOLVERS {
            for loss in [Loss::Squared, Loss::Logistic] {
                let (tols, default) = ladder(peer, loss);
                assert!(tols.windows(2).all(|w| w[0] > w[1]), "{tols:?}");
                assert!(tols.contains(&default));
            }
        }
    }

    #[test]
    fn a_reply_needs_one_time_per_run() {
        let ok = r#"noise
{"version": "1.0", "points": [{"tol": 1e-4, "times": [0.5, 0.25], "coef": "c0.npy"}]}"#;
        let r = parse_reply(ok, 2).unwrap();
        assert_eq!((r.version.as_str(), r.points[0].times.len()), ("1.0", 2));
        assert!(parse_reply(ok, 3).is_err());
        assert!(parse_reply("{\"version\": \"1\", \"points\": []}", 1).is_err());
        assert!(parse_reply("not json", 1).is_err());
    }
}
