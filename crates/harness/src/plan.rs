//! Validated plans built from parsed flags: the data, the problem and the solver settings.

use crate::cli::{
    DataArgs, HeaderArg, LossKind, PathArgs, PenaltyKind, ProblemArgs, RidgeScale, SaveDataArgs,
    SolverArgs, SyntheticKind,
};
use crate::error::input_error;
use crate::solver::{adapter_applies, SolverPlan};
use crate::sweep::{checked_design, grid};
use anyhow::Result;
use regpath_core::limits::check_f64s;
use regpath_core::problem::check_alphas;
use regpath_core::{synth, Dataset, Design, DesignOptions, Loss, Penalty, Problem};

/// Where the data came from, for summaries and results files.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DataSource {
    pub kind: String,
    pub rho: Option<f64>,
    pub seed: Option<u64>,
}

/// Loads or generates the dataset described by the flags.
pub fn load_data(args: &DataArgs) -> Result<(Dataset, DataSource)> {
    let file = DataSource {
        kind: "file".into(),
        rho: None,
        seed: None,
    };
    if let Some(path) = &args.data {
        return Ok((crate::data_files::read_svmlight(path)?, file));
    }
    if let Some(xp) = &args.x {
        let data =
            crate::data_files::read_x_y(xp, args.y.as_deref(), args.header.map(HeaderArg::rule))?;
        return Ok((data, file));
    }
    let Some(kind) = args.synthetic else {
        return Err(input_error("no data: pass --x X.npy --y y.npy (or --x X.npz --y y.npy), --data F.svm, or --synthetic regression|gene|classification|text --n N --p P"));
    };
    let informative = args
        .informative
        .unwrap_or(kind.core().default_informative())
        .min(args.p);
    let name = format!("{kind:?}").to_lowercase();
    // a generator's own flag with another generator is refused, never ignored
    for (flag, given, owner) in [
        ("--rho", args.rho.is_some(), SyntheticKind::Gene),
        ("--noise", args.noise.is_some(), SyntheticKind::Regression),
    ] {
        if given && kind != owner {
            let owner = format!("{owner:?}").to_lowercase();
            return Err(input_error(format!(
                "{flag} applies to --synthetic {owner} only, not --synthetic {name}; drop {flag}"
            )));
        }
    }
    let noise = args.noise.unwrap_or(1.0);
    if !(noise.is_finite() && noise >= 0.0) {
        return Err(input_error(format!(
            "--noise {noise}: the noise standard deviation must be a finite number >= 0"
        )));
    }
    let rho = args.rho.unwrap_or(0.5);
    let (data, rho) = match kind {
        SyntheticKind::Regression => (
            synth::regression(args.n, args.p, informative, noise, args.seed)?,
            None,
        ),
        SyntheticKind::Gene => (
            synth::gene(args.n, args.p, rho, informative, args.seed)?,
            Some(rho),
        ),
        SyntheticKind::Classification => (
            synth::classification(args.n, args.p, informative, args.seed)?,
            None,
        ),
        SyntheticKind::Text => {
            let text = synth::text(args.n, args.p, informative, args.seed)?;
            let mut data = Dataset::sparse(text.x, text.y)?;
            data.true_coef = Some(text.coef);
            (data, None)
        }
    };
    Ok((
        data,
        DataSource {
            kind: name,
            rho,
            seed: Some(args.seed),
        },
    ))
}

/// The penalty the flags ask for; `--l1-ratio` only goes with `--penalty enet`.
pub fn penalty(args: &ProblemArgs) -> Result<Penalty> {
    match (args.penalty, args.l1_ratio) {
        (PenaltyKind::Enet, r) => Ok(Penalty::elastic_net(r.unwrap_or(0.5))?),
        (PenaltyKind::Lasso, None) => Ok(Penalty::LASSO),
        (PenaltyKind::Ridge, None) => Ok(Penalty::RIDGE),
        (p, Some(r)) => Err(input_error(format!("--l1-ratio {r} is only for --penalty enet (got --penalty {p:?}); use --penalty enet --l1-ratio {r}").to_lowercase())),
    }
}

pub fn loss(args: &ProblemArgs) -> Loss {
    match args.loss {
        LossKind::Squared => Loss::Squared,
        LossKind::Logistic => Loss::Logistic,
    }
}

/// Prepares the design and the problem (alphas from the grid or `--alpha-values`).
pub fn problem(data: &Dataset, args: &ProblemArgs) -> Result<(Design, Problem)> {
    let loss = loss(args);
    let penalty = penalty(args)?;
    let design = checked_design(
        data,
        DesignOptions {
            fit_intercept: !args.no_intercept,
            standardize: args.standardize,
            loss,
        },
    )?;
    let k = (args.c.as_ref())
        .or(args.alpha_values.as_ref())
        .map_or(args.alphas, Vec::len);
    check_f64s(
        &format!(
            "the coefficient path (alphas × p = {k} × {})",
            design.n_features()
        ),
        k as u128 * design.n_features() as u128,
    )
    .map_err(|e| input_error(format!("--alphas: {e}")))?;
    let alphas = match (&args.c, &args.alpha_values) {
        (Some(cs), _) => alphas_from_c(cs, loss, design.n_samples())?,
        (None, Some(values)) => {
            check_alphas(values).map_err(|e| input_error(format!("--alpha-values: {e}")))?;
            let mut v: Vec<f64> = values.clone();
            if penalty.l1_ratio == 0.0 && args.ridge_scale == RidgeScale::Sklearn {
                let n = design.n_samples() as f64;
                v.iter_mut().for_each(|a| *a /= n);
            }
            v.sort_by(|a, b| b.total_cmp(a));
            v
        }
        (None, None) => {
            if !(args.eps > 0.0 && args.eps < 1.0) {
                return Err(input_error(format!("--eps {} must be in (0, 1)", args.eps)));
            }
            if args.alphas == 0 {
                return Err(input_error("--alphas 0: the grid needs at least one alpha"));
            }
            grid(&design, loss, penalty, args.alphas, args.eps)?
        }
    };
    Ok((design, Problem::new(loss, penalty, alphas)?))
}

/// `--C c1,c2,…`: scikit-learn's `LogisticRegression(C=c)` values as alphas on regpath's scale
/// (α = 1/(n·C), [`regpath_core::loss::alpha_from_sklearn_c`]), decreasing; logistic loss only.
fn alphas_from_c(cs: &[f64], loss: Loss, n: usize) -> Result<Vec<f64>> {
    if loss != Loss::Logistic {
        return Err(input_error(
            "--C is scikit-learn's LogisticRegression C and applies to --loss logistic; for squared loss give --alpha-values",
        ));
    }
    if let Some(c) = cs.iter().find(|c| !(c.is_finite() && **c > 0.0)) {
        return Err(input_error(format!("--C {c}: C must be finite and > 0")));
    }
    let mut v: Vec<f64> = cs
        .iter()
        .map(|&c| regpath_core::loss::alpha_from_sklearn_c(c, n))
        .collect();
    check_alphas(&v).map_err(|e| input_error(format!("--C: {e}")))?;
    v.sort_by(|a, b| b.total_cmp(a));
    Ok(v)
}

/// The validated solver settings of `--solver`, `--tol`, `--precision`, … (defaults in
/// [`SolverPlan::new`]).
pub fn solver(args: &SolverArgs) -> Result<SolverPlan> {
    adapter_applies(
        args.place.adapter.as_deref(),
        args.solver.is_gpu(),
        &format!("--solver {}", args.solver.name()),
    )?;
    SolverPlan::new(
        args.solver,
        args.precision,
        args.tol,
        args.max_iter,
        args.place.adapter.clone(),
        args.place.threads,
    )
}

/// Everything `regpath path` needs.
pub struct PathPlan {
    pub source: DataSource,
    /// The column names of X from a CSV header, if any (the path plot labels features by them).
    pub feature_names: Option<Vec<String>>,
    pub design: Design,
    pub problem: Problem,
    pub solver: SolverPlan,
}

/// `--save-data X.npy,y.npy | X.npz,y.npy | F.svm`: writes the synthetic data's X and y (exit 2
/// for data from files; each write replaces its file safely).
pub fn save_data(args: &SaveDataArgs, source: &DataArgs, data: &Dataset) -> Result<()> {
    let Some(paths) = &args.save_data else {
        return Ok(());
    };
    if source.synthetic.is_none() {
        return Err(input_error(
            "--save-data applies to --synthetic data only, and X and y come from files; drop --save-data",
        ));
    }
    crate::data_files::save_data(paths, data)
}

pub fn path_plan(args: &PathArgs) -> Result<PathPlan> {
    let solver = solver(&args.solver)?;
    let (data, source) = load_data(&args.data)?;
    save_data(&args.save, &args.data, &data)?;
    let (design, problem) = problem(&data, &args.problem)?;
    Ok(PathPlan {
        feature_names: data.feature_names.clone(),
        source,
        design,
        problem,
        solver,
    })
}
