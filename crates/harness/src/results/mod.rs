//! The results file schema `regpath.results/2` (and the older `/1`): its types and strict reading (a bad file is
//! exit 2 naming the file and the field); `env` probes the environment a sweep ran in.

mod env;

pub use env::environment;

use crate::error::input_error;
use crate::output::{lock_output, write_output};
use crate::solver::{AdapterInfo, Counters};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::SystemTime;

/// The version tag every results file written now starts with.
pub const SCHEMA: &str = "regpath.results/2";

/// Older versions the reader still accepts: `/1` has no `ladder` in its cases.
pub const OLDER_SCHEMAS: [&str; 1] = ["regpath.results/1"];

/// A whole results file: one suite on one machine.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ResultsFile {
    pub schema: String,
    pub suite: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub git_commit: Option<String>,
    pub environment: Environment,
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Environment {
    pub cpu: String,
    /// CPU threads the CPU solvers used.
    pub threads: usize,
    pub os: String,
    /// The GPU adapter (null when none was usable).
    pub adapter: Option<AdapterInfo>,
    /// Versions of regpath and of the compiler that built it.
    pub versions: BTreeMap<String, String>,
}

/// One timed path: a dataset × problem × solver × precision.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Case {
    /// Stable across runs, e.g. `lasso/gene/n200/p20000/cpu-cd/f64`: `compare` pairs cases by it.
    pub id: String,
    pub dataset: DatasetSpec,
    pub problem: ProblemSpec,
    pub solver: String,
    pub precision: String,
    pub seconds: Seconds,
    pub agreement: Agreement,
    pub counters: Counters,
    /// Cross-validation cases only (ids `cv<k>/…`): what the cross-validation chose. Optional,
    /// so files without it (every path case, and files from before it existed) read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<CvInfo>,
    /// The same path at a ladder of tolerances, loosest first (schema /2; path cases): what
    /// each accuracy cost. The case's `seconds`, `agreement` and `counters` are its point at
    /// the precision's default tol.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ladder: Vec<LadderPoint>,
    /// The version of the library that solved a peer case (`bench --peers`; e.g. scikit-learn
    /// 1.5.2); absent for regpath's own cases, whose version is the environment's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Accuracy levels of the matched-accuracy tables (worst relative suboptimality over the path).
pub const LEVELS: [f64; 4] = [1e-3, 1e-4, 1e-6, 1e-8];

/// One tolerance of a case's ladder.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LadderPoint {
    /// The `--tol` the solver ran with (duality gap relative to the gap scale).
    pub tol: f64,
    /// Every timed run's seconds, in the order they ran.
    pub times: Vec<f64>,
    pub seconds: Seconds,
    /// max_k (P(β_k) − P(β_ref,k)) / P(β_ref,k) against the tight f64 cpu-cd reference: the
    /// certified accuracy this point bought.
    #[serde(with = "nullable")]
    pub max_rel_subopt: f64,
    /// max_k certified relative duality gap.
    #[serde(with = "nullable")]
    pub max_gap: f64,
    /// Non-zero coefficients at the path's last (smallest) alpha.
    pub nnz_end: usize,
    pub counters: Counters,
}

/// Other libraries `bench --peers` times and stores as cases (solver names in the file). Their
/// timings are never gated by `compare`: they measure another library, not this code.
pub const PEER_SOLVERS: [&str; 2] = ["sklearn", "glmnet"];

/// One cell of a matched-accuracy table: the time a case needs to reach an accuracy level, and
/// per comparator on the same workload that reaches it too (cpu-cd, then each peer) the
/// comparator's time over this one (above 1: this case is faster).
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    /// Median seconds of the fastest ladder point at least that accurate.
    pub seconds: f64,
    /// (comparator's solver, its seconds / these seconds).
    pub speedups: Vec<(String, f64)>,
}

impl Case {
    /// Whether the case is another library's (see [`PEER_SOLVERS`]).
    pub fn is_peer(&self) -> bool {
        PEER_SOLVERS.contains(&self.solver.as_str())
    }

    /// The cases this one is compared with at matched accuracy: the f64 cpu-cd case of the
    /// same workload, then the peers' cases of it, never the case itself.
    pub fn comparators<'a>(&self, file: &'a ResultsFile) -> Vec<&'a Case> {
        let mut out: Vec<&Case> = file
            .case(&self.baseline_id())
            .filter(|b| b.id != self.id)
            .into_iter()
            .collect();
        for peer in PEER_SOLVERS {
            let id = format!("{}/{peer}/f64", self.workload());
            out.extend(file.case(&id).filter(|c| c.id != self.id));
        }
        out
    }

    /// Per [`LEVELS`] level: the time to reach it and the speedups over the
    /// [`Case::comparators`] that reach it too (None: this case does not reach it).
    pub fn matched(&self, file: &ResultsFile) -> Vec<Option<Matched>> {
        let others = self.comparators(file);
        LEVELS
            .iter()
            .map(|&l| {
                let s = self.time_to(l)?;
                Some(Matched {
                    seconds: s,
                    speedups: others
                        .iter()
                        .filter_map(|o| Some((o.solver.clone(), o.time_to(l)? / s)))
                        .collect(),
                })
            })
            .collect()
    }

    /// Median seconds of the fastest point of the ladder (or of the case itself, without one)
    /// whose worst relative suboptimality is at most `level`: the time to reach that accuracy.
    pub fn time_to(&self, level: f64) -> Option<f64> {
        let ok = |s: f64| s.is_finite() && s <= level;
        if self.ladder.is_empty() {
            return ok(self.agreement.max_rel_subopt).then_some(self.seconds.median);
        }
        self.ladder
            .iter()
            .filter(|p| ok(p.max_rel_subopt))
            .map(|p| p.seconds.median)
            .min_by(f64::total_cmp)
    }
}

/// The choice of a timed cross-validation next to that of the reference cross-validation (f64
/// cpu-cd at the reference tolerance, same folds). Not gated: near a flat minimum of the curve a
/// tolerance-sized difference in the validation errors can move alpha_min by a grid step.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct CvInfo {
    /// Contiguous, unshuffled folds (scikit-learn's KFold()).
    pub folds: usize,
    pub alpha_min: f64,
    pub alpha_1se: f64,
    /// Non-zero coefficients of the refit on all samples at alpha_min.
    pub nnz_at_alpha_min: usize,
    pub reference_alpha_min: f64,
    pub reference_alpha_1se: f64,
}

impl Case {
    /// The id less its `/solver/precision` tail: the workload every solver of the case ran, e.g.
    /// `cv5/lasso/gene/n200/p20000` (the whole id when it does not end with them).
    pub fn workload(&self) -> &str {
        let tail = format!("/{}/{}", self.solver, self.precision);
        self.id.strip_suffix(tail.as_str()).unwrap_or(&self.id)
    }

    /// What the case times, from its id: the workload less `/kind/nN/pP`, e.g. `lasso`,
    /// `logistic` or `cv5/lasso` (empty when the id does not have that shape).
    pub fn task(&self) -> &str {
        let d = &self.dataset;
        let data = format!("/{}/n{}/p{}", d.kind, d.n, d.p);
        self.workload().strip_suffix(data.as_str()).unwrap_or("")
    }

    /// The id of the f64 cpu-cd case of the same workload: the baseline of speedups.
    pub fn baseline_id(&self) -> String {
        format!("{}/cpu-cd/f64", self.workload())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DatasetSpec {
    pub kind: String,
    pub n: usize,
    pub p: usize,
    /// AR(1) correlation of neighbouring columns (gene data; null otherwise).
    pub rho: Option<f64>,
    pub seed: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProblemSpec {
    pub loss: String,
    pub l1_ratio: f64,
    pub n_alphas: usize,
    pub eps: f64,
}

/// Wall-clock seconds of the whole path over the timed runs (the warm-up excluded).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct Seconds {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Seconds {
    /// Median, min and max of `times` (at least one).
    pub fn of(times: &[f64]) -> Seconds {
        let mut t = times.to_vec();
        t.sort_by(f64::total_cmp);
        let m = t.len();
        let median = if m % 2 == 1 {
            t[m / 2]
        } else {
            0.5 * (t[m / 2 - 1] + t[m / 2])
        };
        Seconds {
            median,
            min: t[0],
            max: t[m - 1],
            runs: m,
        }
    }
}

/// How a solution compares with the tight f64 cpu-cd reference, over all alphas of the path.
/// Non-finite values (not measured) are written as null and read back as NaN, which fails.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
pub struct Agreement {
    /// max_k (P(β_k) − P(β_ref,k)) / P(β_ref,k).
    #[serde(with = "nullable")]
    pub max_rel_subopt: f64,
    /// max_k certified duality gap relative to ‖y‖²/n.
    #[serde(with = "nullable")]
    pub max_gap: f64,
    /// min_k Jaccard index of the supports {j : |β_j| > 1e-6·max|β|}.
    #[serde(with = "nullable")]
    pub min_support_jaccard: f64,
}

/// f64 fields where JSON null stands for a value that is not a finite number.
mod nullable {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

impl ResultsFile {
    /// An empty file for `suite` in the current environment.
    pub fn new(suite: &str, environment: Environment) -> ResultsFile {
        ResultsFile {
            schema: SCHEMA.into(),
            suite: suite.into(),
            created: env::rfc3339_utc(SystemTime::now()),
            git_commit: env::git_commit(),
            environment,
            cases: Vec::new(),
        }
    }

    pub fn case(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// Writes the file atomically (pretty JSON).
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        write_output(path, &bytes)
    }

    /// [`ResultsFile::write`] after adding the cases that another process wrote to `path` in
    /// the meantime (same suite, ids this file lacks), all under the file's exclusive lock
    /// ([`lock_output`]): concurrent `--resume` sweeps into one file lose nothing.
    pub fn write_merged(&mut self, path: &Path) -> Result<()> {
        let lock = lock_output(path)?;
        if path.is_file() {
            if let Ok(disk) = read(path) {
                if disk.suite == self.suite {
                    for c in disk.cases {
                        if self.case(&c.id).is_none() {
                            self.cases.push(c);
                        }
                    }
                }
            }
        }
        let written = self.write(path);
        drop(lock);
        written
    }
}

/// Reads and validates a results file. Every problem is an input error (exit 2) that names the
/// file and, where it applies, the field (`cases[3].seconds: missing field `median``).
pub fn read(path: &Path) -> Result<ResultsFile> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| input_error(format!("cannot read {shown}: {e}")))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(input_error(format!(
            "{shown} is empty: not a regpath results file"
        )));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_eof() {
            input_error(format!(
                "{shown} is truncated: the JSON ends early at line {} column {}",
                e.line(),
                e.column()
            ))
        } else {
            input_error(format!("{shown} is not valid JSON: {e}"))
        }
    })?;
    let Some(obj) = value.as_object() else {
        return Err(input_error(format!(
            "{shown}: expected a JSON object with \"schema\": \"{SCHEMA}\""
        )));
    };
    match obj.get("schema") {
        None => {
            return Err(input_error(format!(
                "{shown}: missing field `schema`: not a regpath results file (expected \"{SCHEMA}\")"
            )))
        }
        Some(serde_json::Value::String(s)) if s == SCHEMA || OLDER_SCHEMAS.contains(&s.as_str()) => {}
        Some(other) => {
            return Err(input_error(format!(
                "{shown}: field `schema` is {other}, expected \"{SCHEMA}\" (a file from another version or tool)"
            )))
        }
    }
    let mut file: ResultsFile = serde_path_to_error::deserialize(&value).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." {
            String::new()
        } else {
            format!(" at `{at}`")
        };
        input_error(format!("{shown}{at}: {}", e.inner()))
    })?;
    let mut seen = HashSet::new();
    for (i, c) in file.cases.iter().enumerate() {
        if !seen.insert(c.id.as_str()) {
            return Err(input_error(format!(
                "{shown} at `cases[{i}].id`: case id {} appears twice",
                c.id
            )));
        }
        let s = &c.seconds;
        if s.runs == 0
            || ![s.median, s.min, s.max]
                .iter()
                .all(|t| t.is_finite() && *t >= 0.0)
        {
            return Err(input_error(format!(
                "{shown} at `cases[{i}].seconds`: times must be finite and >= 0 with runs >= 1 (case {})",
                c.id
            )));
        }
        for (j, p) in c.ladder.iter().enumerate() {
            if !(p.tol.is_finite() && p.tol >= 0.0) || p.times.len() != p.seconds.runs {
                return Err(input_error(format!(
                    "{shown} at `cases[{i}].ladder[{j}]`: tol must be finite and >= 0 with one time per run (case {})",
                    c.id
                )));
            }
        }
    }
    // an older file is read as the current version (it has no ladders)
    file.schema = SCHEMA.into();
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal case with `id` (a cpu-cd f64 path of one second).
    fn case(id: &str) -> Case {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "dataset": {"kind": "gene", "n": 10, "p": 10, "rho": 0.5, "seed": 0},
            "problem": {"loss": "squared", "l1_ratio": 1.0, "n_alphas": 100, "eps": 1e-3},
            "solver": "cpu-cd", "precision": "f64",
            "seconds": {"median": 1.0, "min": 1.0, "max": 1.0, "runs": 1},
            "agreement": {"max_rel_subopt": 0.0, "max_gap": 0.0, "min_support_jaccard": 1.0},
            "counters": {"epochs": 1, "submits": 0, "readbacks": 0, "x_passes": 0}
        }))
        .unwrap()
    }

    #[test]
    fn seconds_median_of_even_and_odd_counts() {
        let s = Seconds::of(&[3.0, 1.0, 2.0]);
        assert_eq!((s.median, s.min, s.max, s.runs), (2.0, 1.0, 3.0, 3));
        assert_eq!(Seconds::of(&[4.0, 1.0, 2.0, 3.0]).median, 2.5);
    }

    #[test]
    fn case_ids_split_into_task_workload_and_baseline() {
        let mut c = case("cv5/lasso/gene/n200/p20000/gpu-fista/f32");
        (c.solver, c.precision) = ("gpu-fista".into(), "f32".into());
        (c.dataset.n, c.dataset.p) = (200, 20000);
        assert_eq!(c.cv, None, "an old-style case has no cv field");
        assert_eq!(c.workload(), "cv5/lasso/gene/n200/p20000");
        assert_eq!(c.task(), "cv5/lasso");
        assert_eq!(c.baseline_id(), "cv5/lasso/gene/n200/p20000/cpu-cd/f64");
        let s = serde_json::to_string(&c).unwrap();
        assert!(!s.contains("\"cv\""), "{s}");
        c.id = "a/cpu-cd/f64".into();
        assert_eq!((c.workload(), c.task()), ("a/cpu-cd/f64", ""));
    }

    #[test]
    fn nan_agreement_round_trips_as_null() {
        let a = Agreement {
            max_rel_subopt: f64::NAN,
            max_gap: 1e-9,
            min_support_jaccard: 1.0,
        };
        let s = serde_json::to_string(&a).unwrap();
        assert!(s.contains("\"max_rel_subopt\":null"), "{s}");
        let b: Agreement = serde_json::from_str(&s).unwrap();
        assert!(b.max_rel_subopt.is_nan());
        assert_eq!(b.max_gap, 1e-9);
    }

    #[test]
    fn time_to_an_accuracy_is_the_fastest_ladder_point_that_reaches_it() {
        let mut c = case("lasso/gene/n10/p10/cpu-cd/f64");
        c.seconds = Seconds::of(&[3.0]);
        c.agreement.max_rel_subopt = 1e-9;
        // without a ladder: the case's own point
        assert_eq!(c.time_to(1e-8), Some(3.0));
        assert_eq!(c.time_to(1e-10), None);
        let point = |tol: f64, s: f64, subopt: f64| LadderPoint {
            tol,
            times: vec![s],
            seconds: Seconds::of(&[s]),
            max_rel_subopt: subopt,
            max_gap: tol,
            nnz_end: 3,
            counters: Counters::default(),
        };
        // a noisy ladder: the 1e-5 point happened to be slower than the 1e-7 one
        c.ladder = vec![
            point(1e-3, 1.0, 2e-4),
            point(1e-5, 4.0, 5e-7),
            point(1e-7, 3.0, 1e-9),
            point(1e-9, 5.0, f64::NAN),
        ];
        assert_eq!(c.time_to(1e-3), Some(1.0));
        assert_eq!(
            c.time_to(1e-4),
            Some(3.0),
            "the fastest point at least that accurate"
        );
        assert_eq!(c.time_to(1e-8), Some(3.0));
        assert_eq!(c.time_to(1e-12), None, "a NaN accuracy never counts");
        let back: Case = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back.ladder.len(), 4);
        assert_eq!(back.ladder[1], c.ladder[1]);
    }

    #[test]
    fn matched_speedups_compare_with_cpu_cd_and_each_peer_at_the_same_level() {
        let point = |s: f64, subopt: f64| LadderPoint {
            tol: 1e-3,
            times: vec![s],
            seconds: Seconds::of(&[s]),
            max_rel_subopt: subopt,
            max_gap: 0.0,
            nnz_end: 0,
            counters: Counters::default(),
        };
        let with = |id: &str, solver: &str, ladder: Vec<LadderPoint>| {
            let mut c = case(id);
            c.solver = solver.into();
            c.ladder = ladder;
            c
        };
        let w = "lasso/gene/n10/p10";
        let mut file = ResultsFile::new(
            "gene",
            Environment {
                cpu: "cpu".into(),
                threads: 1,
                os: "os".into(),
                adapter: None,
                versions: BTreeMap::new(),
            },
        );
        file.cases = vec![
            with(
                &format!("{w}/cpu-cd/f64"),
                "cpu-cd",
                vec![point(1.0, 1e-4), point(2.0, 1e-7)],
            ),
            with(
                &format!("{w}/glmnet/f64"),
                "glmnet",
                vec![point(0.5, 1e-3), point(4.0, 1e-6)],
            ),
            with(
                &format!("{w}/sklearn/f64"),
                "sklearn",
                vec![point(3.0, 5e-4)],
            ),
        ];
        let glmnet = &file.cases[1];
        assert!(glmnet.is_peer() && !file.cases[0].is_peer());
        let m = glmnet.matched(&file);
        // 1e-3: glmnet 0.5 s; cpu-cd 1 s (2× glmnet's time), sklearn 3 s (6×)
        let at = m[0].as_ref().unwrap();
        assert_eq!(at.seconds, 0.5);
        assert_eq!(
            at.speedups,
            [("cpu-cd".to_string(), 2.0), ("sklearn".to_string(), 6.0)]
        );
        // 1e-6: glmnet 4 s, cpu-cd 2 s; sklearn never gets there, so it is left out
        let at = m[2].as_ref().unwrap();
        assert_eq!(
            (at.seconds, at.speedups.clone()),
            (4.0, vec![("cpu-cd".to_string(), 0.5)])
        );
        // 1e-8: nobody
        assert_eq!(m[3], None);
        // cpu-cd compares with both peers, not with itself
        let m = file.cases[0].matched(&file);
        let names: Vec<&str> = m[1]
            .as_ref()
            .unwrap()
            .speedups
            .iter()
            .map(|s| s.0.as_str())
            .collect();
        assert_eq!(names, ["glmnet"], "sklearn reaches 5e-4, not 1e-4");
    }

    #[test]
    fn item_04_concurrent_resumed_sweeps_merge_their_cases() {
        let dir = std::env::temp_dir().join(format!("regpath-merge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("quick.json");
        let env = Environment {
            cpu: "cpu".into(),
            threads: 1,
            os: "os".into(),
            adapter: None,
            versions: BTreeMap::new(),
        };
        // two sweeps started from the same (empty) file, finishing cases in turn
        let mut a = ResultsFile::new("quick", env.clone());
        let mut b = ResultsFile::new("quick", env);
        a.cases.push(case("a"));
        a.write_merged(&path).unwrap();
        b.cases.push(case("b"));
        b.write_merged(&path).unwrap();
        a.cases.push(case("c"));
        a.write_merged(&path).unwrap();
        let mut ids: Vec<String> = read(&path)
            .unwrap()
            .cases
            .into_iter()
            .map(|c| c.id)
            .collect();
        ids.sort();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn item_08_concurrent_writers_lose_no_case() {
        let dir = std::env::temp_dir().join(format!("regpath-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("quick.json");
        let env = Environment {
            cpu: "cpu".into(),
            threads: 1,
            os: "os".into(),
            adapter: None,
            versions: BTreeMap::new(),
        };
        // four sweeps at once, each writing after every one of its cases, as `bench --resume`
        let (writers, each) = (4, 15);
        std::thread::scope(|s| {
            for w in 0..writers {
                let (path, env) = (&path, env.clone());
                s.spawn(move || {
                    let mut f = ResultsFile::new("quick", env);
                    for i in 0..each {
                        f.cases.push(case(&format!("w{w}/c{i}")));
                        f.write_merged(path).unwrap();
                    }
                });
            }
        });
        let mut ids: Vec<String> = read(&path)
            .unwrap()
            .cases
            .into_iter()
            .map(|c| c.id)
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), writers * each, "{ids:?}");
        // the lock file is gone, and no temporary file is left
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["quick.json"], "{left:?}");
    }
}
