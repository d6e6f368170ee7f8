//! What a Python call asks for, validated as the CLI validates its flags (`regpath_harness::plan`),
//! and its solve on the harness's engine: a certified path, or a cross-validation.

use anyhow::Result;
use ndarray::{Array2, ArrayView2};
use regpath_core::{Certificate, Csc, Dataset, Design, DesignOptions, Loss, Penalty, Problem};
use regpath_harness::cli::{LossKind, PenaltyKind, ProblemArgs, RidgeScale};
use regpath_harness::cv::{cross_validate_data, CvResult};
use regpath_harness::engine::{worst, Engine, PathRun};
use regpath_harness::error::input_error;
use regpath_harness::solver::{Precision, SolverKind, SolverPlan};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The problem of a call: scikit-learn's `enet_path` arguments on regpath's scale (alphas on
/// the ElasticNet scale, for ridge too).
#[derive(Clone, Debug)]
pub struct ProblemSpec {
    pub loss: Loss,
    pub l1_ratio: f64,
    pub alphas: Option<Vec<f64>>,
    pub n_alphas: usize,
    pub eps: f64,
    pub fit_intercept: bool,
    pub standardize: bool,
}

impl ProblemSpec {
    /// The CLI's problem flags for this spec (`--penalty enet --l1-ratio R`, `--ridge-scale
    /// regpath`), so that validation and messages are the CLI's.
    fn args(&self) -> ProblemArgs {
        ProblemArgs {
            penalty: PenaltyKind::Enet,
            l1_ratio: Some(self.l1_ratio),
            loss: match self.loss {
                Loss::Squared => LossKind::Squared,
                Loss::Logistic => LossKind::Logistic,
            },
            alphas: self.n_alphas,
            eps: self.eps,
            alpha_values: self.alphas.clone(),
            c: None,
            standardize: self.standardize,
            no_intercept: !self.fit_intercept,
            ridge_scale: RidgeScale::Regpath,
        }
    }

    fn options(&self) -> DesignOptions {
        DesignOptions {
            fit_intercept: self.fit_intercept,
            standardize: self.standardize,
            loss: self.loss,
        }
    }
}

/// The solver of a call as the CLI's `--solver`, `--precision`, `--tol`, `--max-iter`,
/// `--adapter`, `--threads` (defaults and messages of [`SolverPlan::new`]).
pub fn solver_plan(
    solver: &str,
    precision: Option<&str>,
    tol: Option<f64>,
    max_iter: usize,
    adapter: Option<String>,
    threads: Option<usize>,
) -> Result<SolverPlan> {
    let kind = SolverKind::ALL
        .into_iter()
        .find(|k| k.name() == solver)
        .ok_or_else(|| {
            let names: Vec<&str> = SolverKind::ALL.iter().map(|k| k.name()).collect();
            input_error(format!(
                "invalid value '{solver}' for '--solver' [possible values: {}]",
                names.join(", ")
            ))
        })?;
    let precision = precision
        .map(|p| {
            Precision::parse(p).ok_or_else(|| {
                input_error(format!(
                    "invalid value '{p}' for '--precision' [possible values: f32, f64]"
                ))
            })
        })
        .transpose()?;
    regpath_harness::solver::adapter_applies(
        adapter.as_deref(),
        kind.is_gpu(),
        &format!("--solver {}", kind.name()),
    )?;
    SolverPlan::new(kind, precision, tol, max_iter, adapter, threads)
}

/// X (n × p) as one column-major f64 copy: the one copy a call makes of X before the design's.
pub fn column_major<T: Copy + Into<f64>>(x: ArrayView2<T>) -> Array2<f64> {
    let mut out = Array2::<f64>::zeros(x.dim().f());
    ndarray::Zip::from(&mut out)
        .and(&x)
        .for_each(|o, &v| *o = v.into());
    out
}

use ndarray::ShapeBuilder;

/// A solved, certified path with coefficients on X's original scale.
pub struct PathOut {
    pub alphas: Vec<f64>,
    /// K × p, row k at `alphas[k]`.
    pub coefs: Array2<f64>,
    pub intercepts: Vec<f64>,
    pub certificates: Vec<Certificate>,
    pub iterations: Vec<usize>,
    /// The solver reached tol and the certificate is a finite number.
    pub converged: Vec<bool>,
    pub run: RunInfo,
    /// What the CLI prints as warnings for this path (stopped alphas, missing certificates).
    pub warnings: Vec<String>,
}

/// What a run reports besides the path.
pub struct RunInfo {
    pub seconds: f64,
    pub solver: &'static str,
    pub precision: &'static str,
    pub tol: f64,
    pub epochs: u64,
    pub submits: u64,
    pub readbacks: u64,
    pub x_passes: u64,
    pub adapter: Option<String>,
}

/// A cross-validation: the harness's [`CvResult`] plus the certified refit on all samples
/// (along the whole grid) on X's scale.
pub struct CvOut {
    pub result: CvResult,
    pub i_min: usize,
    pub i_1se: usize,
    pub max_fold_gap: f64,
    pub refit: PathOut,
}

/// An engine shared by the solves on one adapter.
type SharedEngine = Arc<Mutex<Engine>>;

/// One engine per GPU adapter (None: the default one), kept for the process: opening an
/// adapter and compiling its kernels happen once. A solve holds its engine's lock (one device
/// solve at a time).
static GPU_ENGINES: LazyLock<Mutex<HashMap<Option<String>, SharedEngine>>> =
    LazyLock::new(Default::default);

/// Runs `f` with the engine `plan` needs: a fresh one for CPU plans, the adapter's shared one
/// for GPU plans.
fn with_engine<T>(plan: &SolverPlan, f: impl FnOnce(&mut Engine) -> Result<T>) -> Result<T> {
    if !plan.kind.is_gpu() {
        return f(&mut Engine::default());
    }
    let engine = GPU_ENGINES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(plan.adapter.clone())
        .or_default()
        .clone();
    let mut engine = engine.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut engine)
}

/// X as a call hands it over: one column-major f64 copy of a dense array, or scipy's CSC arrays
/// (never densified).
pub enum XIn {
    Dense(Array2<f64>),
    Sparse(Csc),
}

impl XIn {
    /// The dataset of X and y (dense or sparse storage, as X came).
    pub fn dataset(self, y: Vec<f64>) -> Result<Dataset> {
        Ok(match self {
            XIn::Dense(x) => Dataset::new(x, y.into())?,
            XIn::Sparse(x) => Dataset::sparse(x, y.into())?,
        })
    }
}

/// Solves and certifies the path of `spec` on `x` and `y` with `plan`.
pub fn path(x: XIn, y: Vec<f64>, spec: &ProblemSpec, plan: &SolverPlan) -> Result<PathOut> {
    let data = x.dataset(y)?;
    let (design, problem) = regpath_harness::plan::problem(&data, &spec.args())?;
    drop(data);
    let run = with_engine(plan, |engine| engine.run(&design, &problem, plan))?;
    Ok(original_scale(&design, run, plan))
}

/// k-fold cross-validation of `spec` with `plan` (contiguous folds, the full data's grid; see
/// `regpath_harness::cv`), and the refit's coefficients on X's scale.
pub fn cross_validate(
    x: XIn,
    y: Vec<f64>,
    spec: &ProblemSpec,
    plan: &SolverPlan,
    folds: usize,
) -> Result<CvOut> {
    let data = x.dataset(y)?;
    let (design, problem) = regpath_harness::plan::problem(&data, &spec.args())?;
    let bar = indicatif::ProgressBar::hidden();
    let cv = with_engine(plan, |engine| {
        cross_validate_data(
            &data,
            spec.options(),
            &problem,
            plan,
            folds,
            engine,
            false,
            &bar,
        )
    })?;
    let index = |a: f64| {
        problem
            .alphas
            .iter()
            .position(|&b| b == a)
            .ok_or_else(|| input_error(format!("alpha {a} is not on the grid")))
    };
    let (i_min, i_1se) = (index(cv.result.alpha_min)?, index(cv.result.alpha_1se)?);
    Ok(CvOut {
        i_min,
        i_1se,
        max_fold_gap: cv.max_fold_gap,
        refit: original_scale(&design, cv.refit, plan),
        result: cv.result,
    })
}

/// The certificate of given coefficients (`coef` on X's scale, `intercept`) at `alpha` for
/// `loss` and `l1_ratio`, by the certifier every solver is judged by: columns as given, an
/// intercept when `fit_intercept` (the optimal one for `coef` is what is certified: squared loss
/// eliminates it by centering, logistic loss re-optimizes it).
#[allow(clippy::too_many_arguments)]
pub fn certify(
    x: XIn,
    y: Vec<f64>,
    coef: Vec<f64>,
    intercept: f64,
    alpha: f64,
    loss: Loss,
    l1_ratio: f64,
    fit_intercept: bool,
) -> Result<Certificate> {
    let data = x.dataset(y)?;
    let p = data.n_features();
    if coef.len() != p {
        return Err(input_error(format!(
            "coef has {} values but X has {p} features",
            coef.len()
        )));
    }
    if !(l1_ratio.is_finite() && (0.0..=1.0).contains(&l1_ratio)) {
        return Err(input_error(format!(
            "l1_ratio {l1_ratio} must be in [0, 1]"
        )));
    }
    if let Some(v) = coef.iter().chain([&intercept]).find(|v| !v.is_finite()) {
        return Err(input_error(format!(
            "coef and intercept must be finite, got {v}"
        )));
    }
    let options = DesignOptions {
        fit_intercept,
        standardize: false,
        loss,
    };
    let design = Design::new(&data, options)?;
    drop(data);
    let problem = Problem::new(loss, Penalty { l1_ratio }, vec![alpha])?;
    // the design's intercept for a model on X's scale: centering moves it by coefᵀx_mean
    let shift: f64 = coef.iter().zip(&design.x_mean).map(|(c, m)| c * m).sum();
    let b = if fit_intercept {
        intercept + shift - design.y_mean
    } else {
        0.0
    };
    let coefs = Array2::from_shape_vec((1, p), coef).expect("1 × p");
    let path = regpath_core::Path {
        alphas: problem.alphas.clone(),
        coefs,
        intercepts: vec![b],
        iterations: vec![0],
        converged: vec![true],
    };
    Ok(problem.certify(&design, &path).remove(0))
}

/// The path of `run` on X's original scale ([`Design::original_scale`]) with the CLI's
/// convergence rule and warnings.
fn original_scale(design: &Design, run: PathRun, plan: &SolverPlan) -> PathOut {
    let (k, p) = run.path.coefs.dim();
    let mut coefs = Array2::zeros((k, p));
    let mut intercepts = Vec::with_capacity(k);
    for i in 0..k {
        let (c, b) = design.original_scale(run.path.coefs.row(i), run.path.intercepts[i]);
        coefs.row_mut(i).assign(&c);
        intercepts.push(b);
    }
    let certified = |c: &Certificate| c.gap.is_finite() && c.rel_gap.is_finite();
    // a certificate that could not be computed never says converged (as `regpath path --out`)
    let converged: Vec<bool> = (0..k)
        .map(|i| run.path.converged[i] && certified(&run.certificates[i]))
        .collect();
    let mut warnings = Vec::new();
    let uncertified = run.certificates.iter().filter(|c| !certified(c)).count();
    if uncertified > 0 {
        warnings.push(format!(
            "{uncertified} of {k} alphas have no certificate (the duality gap is not a finite number: values of X or y near the limits of f64?); they are reported as not converged"
        ));
    }
    let missed: Vec<usize> = (0..k).filter(|&i| !run.path.converged[i]).collect();
    if !missed.is_empty() {
        warnings.push(format!(
            "{} of {k} alphas stopped before tol {:.0e} (worst certified relative gap {:.2e}); raise --max-iter or loosen --tol{}",
            missed.len(),
            plan.tol,
            worst(missed.iter().map(|&i| run.certificates[i].rel_gap)),
            if plan.precision == Precision::F64 { "" } else { ", or use --precision f64" }
        ));
    }
    PathOut {
        alphas: run.path.alphas,
        coefs,
        intercepts,
        certificates: run.certificates,
        iterations: run.path.iterations,
        converged,
        run: RunInfo {
            seconds: run.seconds,
            solver: plan.kind.name(),
            precision: plan.precision.name(),
            tol: plan.tol,
            epochs: run.counters.epochs,
            submits: run.counters.submits,
            readbacks: run.counters.readbacks,
            x_passes: run.counters.x_passes,
            adapter: run.adapter.map(|a| a.name),
        },
        warnings,
    }
}
