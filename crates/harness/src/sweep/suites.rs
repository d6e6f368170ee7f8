//! The benchmark suites: which workloads (dataset, loss, task) each one times, their grids and
//! the stable case ids `compare` pairs by.

use super::{DataSpec, Variant};
use crate::results::DatasetSpec;
use crate::results::ProblemSpec;
use crate::solver::SolverKind;
use regpath_core::{Loss, Penalty};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// A few small cases (seconds on a CPU): lasso paths, a logistic lasso path on
    /// classification 200 × 100, 5-fold cross-validation of the gene 200 × 100 lasso path
    Quick,
    /// Regression data, n ∈ {100, 1000, 10000} × p ∈ {100, 1000, 5000}
    Standard,
    /// Gene-expression scale: lasso paths on AR(1) data with rho 0.5, n ∈ {100, 200, 1000} ×
    /// p = 20000; a logistic lasso path on classification 1000 × 10000; 5-fold
    /// cross-validation of the gene 200 × 20000 lasso path
    Gene,
    /// Sparse X (`--synthetic text`, TF-IDF, about 0.5 % non-zero): the logistic lasso path of
    /// the spam scenario on 20,000 documents × 10,000 words, and a squared-loss lasso path
    /// regressing the 0/1 labels of 10,000 × 5,000 (as lasso benchmarks on rcv1 do)
    Text,
    /// Tiny cases of every kind, for tests
    #[value(hide = true)]
    Tiny,
}

impl Suite {
    pub fn name(self) -> &'static str {
        match self {
            Suite::Quick => "quick",
            Suite::Standard => "standard",
            Suite::Gene => "gene",
            Suite::Text => "text",
            Suite::Tiny => "tiny",
        }
    }

    pub fn workloads(self) -> Vec<Workload> {
        match self {
            Suite::Tiny => vec![
                Workload::lasso(DataSpec::regression(40, 20)),
                Workload::lasso(DataSpec::gene(30, 60, 0.5)),
                Workload::logistic(DataSpec::classification(60, 40)),
                Workload::cv(DataSpec::gene(60, 20, 0.5), 5),
            ],
            Suite::Quick => vec![
                Workload::lasso(DataSpec::regression(100, 100)),
                Workload::lasso(DataSpec::regression(1000, 100)),
                Workload::lasso(DataSpec::regression(100, 500)),
                Workload::lasso(DataSpec::gene(200, 100, 0.5)),
                // n > p: the p ≫ n versions (200 × 500, 100 × 500) take minutes per run with
                // gpu-fista and cpu-fista on a software GPU (lavapipe).
                Workload::logistic(DataSpec::classification(200, 100)),
                Workload::cv(DataSpec::gene(200, 100, 0.5), 5),
            ],
            Suite::Standard => {
                let mut v = Vec::new();
                for n in [100, 1000, 10_000] {
                    for p in [100, 1000, 5000] {
                        v.push(Workload::lasso(DataSpec::regression(n, p)));
                    }
                }
                v
            }
            Suite::Gene => {
                let mut v: Vec<Workload> = [100, 200, 1000]
                    .into_iter()
                    .map(|n| Workload::lasso(DataSpec::gene(n, 20_000, 0.5)))
                    .collect();
                v.push(Workload::logistic(DataSpec::classification(1000, 10_000)));
                v.push(Workload::cv(DataSpec::gene(200, 20_000, 0.5), 5));
                v
            }
            Suite::Text => vec![
                Workload::logistic(DataSpec::text(20_000, 10_000)),
                Workload::lasso(DataSpec::text(10_000, 5_000)),
            ],
        }
    }
}

/// What a case times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// One path over the grid.
    Path,
    /// k-fold cross-validation along the path, as `regpath cv`: k contiguous folds each solved
    /// over the whole grid (the grid from all samples), then the refit on all samples down to
    /// alpha_min.
    Cv { folds: usize },
}

/// One workload of a suite: a dataset, a loss (always with the lasso penalty) and what is timed.
/// Every selected solver runs it, unless it cannot solve the loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub data: DataSpec,
    pub loss: Loss,
    pub task: Task,
    /// The penalty (the lasso in the built-in suites; any elastic net in a suite file).
    pub penalty: Penalty,
    /// Names from a suite file for the problem and the dataset, which the case ids then carry
    /// instead of the derived ones (`lasso`, `gene`).
    pub names: Option<(String, String)>,
}

/// Every path of a case runs on a geometric grid of this many alphas.
pub const N_ALPHAS: usize = 100;
/// The grid of squared-loss (lasso) paths ends at EPS · alpha_max.
pub const EPS: f64 = 1e-3;
/// The grid of logistic paths ends at LOGISTIC_EPS · alpha_max (glmnet's default when p > n):
/// further down, p ≫ n classification data are separable and the path only grows coefficients
/// toward a separating direction, at a rising cost that says little about the solvers.
pub const LOGISTIC_EPS: f64 = 1e-2;

impl Workload {
    pub fn lasso(data: DataSpec) -> Workload {
        Workload {
            data,
            loss: Loss::Squared,
            task: Task::Path,
            penalty: Penalty::LASSO,
            names: None,
        }
    }

    pub fn logistic(data: DataSpec) -> Workload {
        Workload {
            data,
            loss: Loss::Logistic,
            task: Task::Path,
            penalty: Penalty::LASSO,
            names: None,
        }
    }

    /// `folds`-fold cross-validation of the lasso path.
    pub fn cv(data: DataSpec, folds: usize) -> Workload {
        Workload {
            data,
            loss: Loss::Squared,
            task: Task::Cv { folds },
            penalty: Penalty::LASSO,
            names: None,
        }
    }

    /// How the sweep prepares this workload's design ([`super::design_options`]).
    pub fn design_options(&self) -> regpath_core::DesignOptions {
        super::design_options(self.loss, &self.data)
    }

    pub fn eps(&self) -> f64 {
        match self.loss {
            Loss::Squared => EPS,
            Loss::Logistic => LOGISTIC_EPS,
        }
    }

    /// The first part of the case ids: `lasso`, `logistic` (the logistic lasso) or `cv5/lasso`;
    /// other penalties `enet0.5`, `ridge`, `logistic-enet0.5`; a suite file's problem name.
    pub fn name(&self) -> String {
        let l1 = self.penalty.l1_ratio;
        let penalty = if l1 == 1.0 {
            String::new()
        } else if l1 == 0.0 {
            "ridge".to_string()
        } else {
            format!("enet{l1}")
        };
        let problem = match (&self.names, self.loss, penalty.is_empty()) {
            (Some((problem, _)), _, _) => problem.clone(),
            (None, Loss::Squared, true) => "lasso".into(),
            (None, Loss::Squared, false) => penalty,
            (None, Loss::Logistic, true) => "logistic".into(),
            (None, Loss::Logistic, false) => format!("logistic-{penalty}"),
        };
        match self.task {
            Task::Path => problem.to_string(),
            Task::Cv { folds } => format!("cv{folds}/{problem}"),
        }
    }

    /// `cv5/lasso/gene/n200/p20000` (a suite file's dataset name in place of `gene`).
    pub fn label(&self) -> String {
        let d = &self.data;
        format!("{}/{}/n{}/p{}", self.name(), self.dataset_name(), d.n, d.p)
    }

    /// The dataset's name in case ids: the suite file's, else the generator (or file stem).
    pub fn dataset_name(&self) -> &str {
        self.names
            .as_ref()
            .map_or(self.data.kind.as_str(), |n| n.1.as_str())
    }

    /// The dataset as the results file records it (`kind`: [`Workload::dataset_name`]).
    pub fn dataset_spec(&self) -> DatasetSpec {
        DatasetSpec {
            kind: self.dataset_name().to_string(),
            ..self.data.to_results()
        }
    }

    /// The stable id `compare` pairs cases by, e.g. `lasso/gene/n200/p20000/cpu-cd/f64`,
    /// `logistic/classification/n1000/p10000/gpu-fista/f32`, `cv5/lasso/gene/n200/p20000/cpu-cd/f64`.
    pub fn case_id(&self, v: Variant) -> String {
        format!("{}/{}/{}", self.label(), v.kind.name(), v.precision())
    }

    /// The id of another library's case (`bench --peers`), e.g.
    /// `lasso/gene/n200/p20000/glmnet/f64`: the form of [`Workload::case_id`], so a peer's case
    /// pairs and groups with regpath's.
    pub fn peer_case_id(&self, peer: &str) -> String {
        format!("{}/{peer}/f64", self.label())
    }

    /// Why a peer library cannot run this workload (None: it can): peers solve paths, lasso or
    /// elastic net (l1_ratio > 0) for squared loss, lasso for logistic loss.
    pub fn peer_unsupported(&self) -> Option<&'static str> {
        let penalty_ok = match self.loss {
            Loss::Squared => self.penalty.l1_ratio > 0.0,
            Loss::Logistic => self.penalty == Penalty::LASSO,
        };
        (self.task != Task::Path || !penalty_ok).then_some(
            "peers (sklearn, glmnet) run paths only: lasso or elastic net (l1_ratio > 0) for \
             squared loss, lasso for logistic loss",
        )
    }

    /// Why `solver` cannot run this workload (None: it can).
    pub fn unsupported(&self, solver: SolverKind) -> Option<&'static str> {
        solver.unsupported(self.loss)
    }

    /// Progress units of one timed run: n·p per path solved (a cross-validation solves about
    /// `folds` paths' worth: folds on (k−1)/k of the samples, and the refit).
    pub fn weight(&self) -> u64 {
        let np = (self.data.n * self.data.p) as u64;
        match self.task {
            Task::Path => np,
            Task::Cv { folds } => np * folds as u64,
        }
    }

    pub fn problem_spec(&self) -> ProblemSpec {
        ProblemSpec {
            loss: match self.loss {
                Loss::Squared => "squared",
                Loss::Logistic => "logistic",
            }
            .into(),
            l1_ratio: self.penalty.l1_ratio,
            n_alphas: N_ALPHAS,
            eps: self.eps(),
        }
    }
}

/// One line per kind of workload in `workloads`, for the sweep's header.
pub fn describe(workloads: &[Workload]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in workloads {
        let line = match (w.loss, w.task) {
            (_, Task::Path) if w.penalty != Penalty::LASSO => format!(
                "{}: elastic-net paths (l1_ratio {}) of {N_ALPHAS} alphas down to {:.0e}·alpha_max",
                w.name(),
                w.penalty.l1_ratio,
                w.eps()
            ),
            (Loss::Squared, Task::Path) => format!(
                "lasso: paths of {N_ALPHAS} alphas down to {EPS:.0e}·alpha_max (intercept, columns as given)"
            ),
            (Loss::Logistic, Task::Path) => format!(
                "logistic: logistic lasso paths of {N_ALPHAS} alphas down to {LOGISTIC_EPS:.0e}·alpha_max (intercept, {})",
                if w.design_options().standardize {
                    "standardized columns"
                } else {
                    "columns as given"
                }
            ),
            (_, Task::Cv { folds }) => format!(
                "{}: {folds} contiguous folds × the {N_ALPHAS}-alpha path + refit on all samples down to alpha_min, timed without the f64 certification; agreement over the fold paths and the refit",
                w.name()
            ),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_take_lasso_and_elastic_net_paths_for_squared_loss_and_lasso_for_logistic() {
        let data = || DataSpec::gene(20, 30, 0.5);
        let enet = |l1_ratio: f64, loss: Loss| Workload {
            penalty: Penalty { l1_ratio },
            loss,
            ..Workload::lasso(data())
        };
        assert_eq!(Workload::lasso(data()).peer_unsupported(), None);
        assert_eq!(Workload::logistic(data()).peer_unsupported(), None);
        assert_eq!(enet(0.7, Loss::Squared).peer_unsupported(), None);
        assert!(
            enet(0.0, Loss::Squared).peer_unsupported().is_some(),
            "ridge"
        );
        assert!(enet(0.7, Loss::Logistic).peer_unsupported().is_some());
        assert!(Workload::cv(data(), 5).peer_unsupported().is_some());
    }

    #[test]
    fn case_ids_are_distinct_and_keep_the_lasso_form() {
        let v = Variant {
            kind: SolverKind::CpuCd,
            precision: crate::solver::Precision::F64,
        };
        for suite in [
            Suite::Tiny,
            Suite::Quick,
            Suite::Standard,
            Suite::Gene,
            Suite::Text,
        ] {
            let ids: Vec<String> = suite.workloads().iter().map(|w| w.case_id(v)).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{ids:?}");
        }
        let gene: Vec<String> = Suite::Gene
            .workloads()
            .iter()
            .map(|w| w.case_id(v))
            .collect();
        assert_eq!(
            gene,
            [
                "lasso/gene/n100/p20000/cpu-cd/f64",
                "lasso/gene/n200/p20000/cpu-cd/f64",
                "lasso/gene/n1000/p20000/cpu-cd/f64",
                "logistic/classification/n1000/p10000/cpu-cd/f64",
                "cv5/lasso/gene/n200/p20000/cpu-cd/f64",
            ]
        );
    }

    #[test]
    fn logistic_skips_the_squared_loss_only_solvers() {
        let w = Workload::logistic(DataSpec::classification(20, 10));
        assert!(w.unsupported(SolverKind::CpuCd).is_none());
        assert!(w.unsupported(SolverKind::GpuFista).is_none());
        assert!(w.unsupported(SolverKind::GpuCd).is_some());
        assert!(w.unsupported(SolverKind::CpuFista).is_some());
        let cv = Workload::cv(DataSpec::gene(20, 10, 0.5), 5);
        assert!([
            SolverKind::CpuCd,
            SolverKind::CpuFista,
            SolverKind::GpuCd,
            SolverKind::GpuFista
        ]
        .iter()
        .all(|&k| cv.unsupported(k).is_none()));
        assert_eq!(w.problem_spec().loss, "logistic");
        assert_eq!(w.problem_spec().eps, LOGISTIC_EPS);
        assert_eq!(cv.problem_spec().eps, EPS);
    }
}
