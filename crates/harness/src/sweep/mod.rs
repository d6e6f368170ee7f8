//! What `check` and `bench` sweep over: synthetic datasets, solver × precision variants (GPU ones
//! only where an adapter is usable), and the solver plans they run with.

pub mod suite_file;
pub mod suites;
pub mod timing;

use crate::data_files::read_x_y;
use crate::engine::probe;
use crate::error::input_error;
use crate::results::DatasetSpec;
use crate::solver::{
    adapter_applies, AdapterInfo, Precision, SolverKind, SolverPlan, DEFAULT_MAX_ITER,
};
use anyhow::Result;
use regpath_core::io::CsvHeader;
use regpath_core::synth::SynthKind;
use regpath_core::{
    alpha_grid, alpha_max, synth, Dataset, Design, DesignOptions, Loss, Penalty, Problem,
};
use std::path::{Path, PathBuf};

/// A synthetic dataset: `regression` (scikit-learn's make_regression, 10 informative), `gene`
/// (AR(1) columns with correlation `rho`, 20 informative, SNR 3), `classification` (Gaussian
/// X, 20 informative, labels in {0, 1} from a logistic model) or `text` (a sparse TF-IDF
/// corpus with 0/1 spam labels, [`synth::text`]; squared loss regresses the labels, as the
/// lasso benchmarks on rcv1 and news20 do).
#[derive(Clone, Debug, PartialEq)]
pub struct DataSpec {
    /// The generator (`regression`, `gene`, `classification`), or for a user's files the stem
    /// of X's file name.
    pub kind: String,
    pub n: usize,
    pub p: usize,
    pub rho: Option<f64>,
    pub seed: u64,
    /// X and y files (`bench --x X --y Y`) and `--header`'s rule when given; None for
    /// generated data.
    pub files: Option<(PathBuf, PathBuf, Option<CsvHeader>)>,
}

impl DataSpec {
    pub fn regression(n: usize, p: usize) -> DataSpec {
        DataSpec {
            kind: "regression".into(),
            n,
            p,
            rho: None,
            seed: 0,
            files: None,
        }
    }

    pub fn gene(n: usize, p: usize, rho: f64) -> DataSpec {
        DataSpec {
            kind: "gene".into(),
            n,
            p,
            rho: Some(rho),
            seed: 0,
            files: None,
        }
    }

    /// The user's X and y files (dense NPY or CSV, sparse scipy .npz), read once here to check
    /// them and to learn n and p; the case ids carry the stem of X's file name. `header` as
    /// [`crate::data_files::read_x_y`]'s.
    pub fn files(x: &Path, y: &Path, header: Option<CsvHeader>) -> Result<DataSpec> {
        let data = read_x_y(x, Some(y), header)?;
        let stem = x
            .file_stem()
            .map(|s| s.to_string_lossy().replace(['/', ' '], "_"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "data".into());
        Ok(DataSpec {
            kind: stem,
            n: data.n_samples(),
            p: data.n_features(),
            rho: None,
            seed: 0,
            files: Some((x.to_path_buf(), y.to_path_buf(), header)),
        })
    }

    pub fn classification(n: usize, p: usize) -> DataSpec {
        DataSpec {
            kind: "classification".into(),
            n,
            p,
            rho: None,
            seed: 0,
            files: None,
        }
    }

    /// The sparse TF-IDF corpus of `regpath path --synthetic text` (n documents, p words).
    pub fn text(n: usize, p: usize) -> DataSpec {
        DataSpec {
            kind: "text".into(),
            n,
            p,
            rho: None,
            seed: 0,
            files: None,
        }
    }

    /// Whether the data have 0/1 labels a logistic problem can take.
    pub fn has_labels(&self) -> bool {
        self.files.is_some() || matches!(self.kind.as_str(), "classification" | "text")
    }

    /// `gene/n200/p20000` (with `/rho0.9` in `long` form, for tables that mix correlations).
    pub fn label(&self, long: bool) -> String {
        let mut s = format!("{}/n{}/p{}", self.kind, self.n, self.p);
        if let (true, Some(r)) = (long, self.rho) {
            s.push_str(&format!("/rho{r}"));
        }
        s
    }

    /// The dataset: generated, or read from the user's files.
    pub fn generate(&self) -> Result<Dataset> {
        if let Some((x, y, header)) = &self.files {
            return read_x_y(x, Some(y), *header);
        }
        Ok(match self.kind.as_str() {
            "gene" => synth::gene(
                self.n,
                self.p,
                self.rho.unwrap_or(0.5),
                SynthKind::Gene.default_informative().min(self.p),
                self.seed,
            )?,
            "classification" => synth::classification(
                self.n,
                self.p,
                SynthKind::Classification.default_informative().min(self.p),
                self.seed,
            )?,
            "text" => {
                let t = synth::text(
                    self.n,
                    self.p,
                    SynthKind::Text.default_informative().min(self.p),
                    self.seed,
                )?;
                Dataset::sparse(t.x, t.y)?
            }
            _ => synth::regression(
                self.n,
                self.p,
                SynthKind::Regression.default_informative().min(self.p),
                1.0,
                self.seed,
            )?,
        })
    }

    pub fn to_results(&self) -> DatasetSpec {
        DatasetSpec {
            kind: self.kind.clone(),
            n: self.n,
            p: self.p,
            rho: self.rho,
            seed: self.seed,
        }
    }
}

/// The design (intercept fitted, columns not standardized) and the problem on the default grid.
pub fn prepare(
    data: &Dataset,
    penalty: Penalty,
    n_alphas: usize,
    eps: f64,
) -> Result<(Design, Problem)> {
    let options = DesignOptions {
        fit_intercept: true,
        standardize: false,
        loss: Loss::Squared,
    };
    prepare_loss(data, options, penalty, n_alphas, eps)
}

/// How sweeps prepare a design of `data` for `loss`: an intercept always; columns standardized
/// for logistic loss (as scikit-learn users scale features for LogisticRegression), not for
/// squared, and not for text: TF-IDF rows are already L2-normalized, and scaling each word's
/// column to unit variance multiplies rare words by up to √n, which text models do not do (the
/// spam scenario's LogisticRegression runs on the TF-IDF weights, where saga converges).
pub fn design_options(loss: Loss, data: &DataSpec) -> DesignOptions {
    DesignOptions {
        fit_intercept: true,
        standardize: loss == Loss::Logistic && data.kind != "text",
        loss,
    }
}

/// The design of `data` with `options` and the problem of its loss on the default grid.
pub fn prepare_loss(
    data: &Dataset,
    options: DesignOptions,
    penalty: Penalty,
    n_alphas: usize,
    eps: f64,
) -> Result<(Design, Problem)> {
    let design = checked_design(data, options)?;
    let alphas = grid(&design, options.loss, penalty, n_alphas, eps)?;
    let problem = Problem::new(options.loss, penalty, alphas)?;
    Ok((design, problem))
}

/// The design of `data` (see [`Design::new`]), checked to be finite: values of X near the limits
/// of f64 whose variance (standardizing) or mean (centering) overflows or underflows are named
/// as X's, with the column, not left to fail later as if y were at fault.
pub fn checked_design(data: &Dataset, options: DesignOptions) -> Result<Design> {
    let design = Design::new(data, options)?;
    for j in 0..design.n_features() {
        let scale = design.x_scale[j];
        // dense X holds the centered and scaled columns; sparse X applies mean and scale inside
        // the products, so those two numbers are what must be finite
        let finite = match design.x.dense() {
            Some(x) => x.column(j).iter().all(|v| v.is_finite()),
            None => design.x_mean[j].is_finite(),
        };
        if finite && scale.is_finite() && scale > 0.0 {
            continue;
        }
        let largest = data.x.col_max_abs(j);
        let why = if !(scale.is_finite() && scale > 0.0) {
            let size = if scale > 0.0 { "large" } else { "small" };
            format!(
                "standardizing it fails: its variance is {:.0e} in f64 (values up to {largest:.2e} are too {size} to square)",
                scale * scale
            )
        } else {
            format!("centering it overflows f64 (values up to {largest:.2e})")
        };
        return Err(input_error(format!(
            "column {j} of X: {why}; rescale X (multiply it by a power of 10){}",
            if options.standardize {
                " or fit without standardizing"
            } else {
                ""
            }
        )));
    }
    Ok(design)
}

/// `n_alphas` alphas from alpha_max down to `eps`·alpha_max; an alpha_max that overflows f64
/// (Xᵀy) names X and y.
pub fn grid(
    design: &Design,
    loss: Loss,
    penalty: Penalty,
    n_alphas: usize,
    eps: f64,
) -> Result<Vec<f64>> {
    let top = alpha_max(design, loss, penalty);
    if !top.is_finite() {
        let largest = |v: &mut dyn Iterator<Item = &f64>| v.fold(0.0f64, |m, v| m.max(v.abs()));
        return Err(input_error(format!(
            "alpha_max = {top}: Xᵀy overflows f64 (|X| up to {:.2e}, |y| up to {:.2e}); rescale X or y",
            design.x.max_abs(),
            largest(&mut design.y.iter())
        )));
    }
    Ok(alpha_grid(top, n_alphas, eps)?)
}

/// A solver at a precision, e.g. `gpu-cd/f32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    pub kind: SolverKind,
    pub precision: Precision,
}

impl Variant {
    pub fn precision(&self) -> &'static str {
        self.precision.name()
    }

    pub fn name(&self) -> String {
        format!("{}/{}", self.kind.name(), self.precision())
    }

    /// The plan at the default tolerance of the precision.
    pub fn plan(&self, adapter: Option<&str>, threads: Option<usize>) -> Result<SolverPlan> {
        SolverPlan::new(
            self.kind,
            Some(self.precision),
            None,
            DEFAULT_MAX_ITER,
            adapter.map(str::to_string),
            threads,
        )
    }
}

/// The variants a sweep runs, those it skips (with the reason) and the adapter GPU ones use.
pub struct Selection {
    pub variants: Vec<Variant>,
    pub skipped: Vec<(String, String)>,
    pub adapter: Option<AdapterInfo>,
}

/// Parses `--solvers` (`cpu-cd,gpu-fista/f64,…`; a GPU solver without `/f32` or `/f64` means both
/// where the adapter has them; None: every solver) and probes the GPU if one is asked for: with
/// `--solvers` naming a GPU solver or an `--adapter`, no usable adapter is an error (exit 3);
/// with the default list the GPU solvers are skipped with the reason.
pub fn select(solvers: Option<&[String]>, adapter: Option<&str>) -> Result<Selection> {
    let mut wanted: Vec<(SolverKind, Option<Precision>)> = Vec::new();
    match solvers {
        None => wanted.extend(SolverKind::ALL.iter().map(|&k| (k, None))),
        Some(list) => {
            for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let (name, prec) = match item.split_once('/') {
                    Some((n, p)) => (n, Some(p)),
                    None => (item, None),
                };
                let Some(kind) = SolverKind::ALL.iter().copied().find(|k| k.name() == name) else {
                    return Err(input_error(format!(
                        "--solvers: unknown solver {name:?}; expected cpu-cd, cpu-fista, gpu-cd or gpu-fista (optionally /f32 or /f64)"
                    )));
                };
                let precision = match prec.map(|p| (p, Precision::parse(p))) {
                    None => None,
                    Some((_, Some(Precision::F32))) if !kind.is_gpu() => {
                        return Err(input_error(format!(
                            "--solvers: {item}: CPU solvers compute in f64 only"
                        )))
                    }
                    Some((_, Some(p))) => Some(p),
                    Some((p, None)) => {
                        return Err(input_error(format!(
                            "--solvers: {item}: unknown precision {p:?}; expected f32 or f64"
                        )))
                    }
                };
                if !wanted.contains(&(kind, precision)) {
                    wanted.push((kind, precision));
                }
            }
            if wanted.is_empty() {
                return Err(input_error("--solvers: the list is empty"));
            }
        }
    }
    let list = solvers.map_or_else(|| "every solver".into(), |l| l.join(","));
    let any_gpu = wanted.iter().any(|(k, _)| k.is_gpu());
    adapter_applies(adapter, any_gpu, &format!("--solvers {list}"))?;
    // A GPU solver named in --solvers, or an --adapter, that finds no usable adapter is an
    // error (exit 3, the message names the fix); the default "every solver" skips them instead.
    let explicit = solvers.is_some() || adapter.is_some();
    let caps = if any_gpu {
        match probe(adapter) {
            Ok(caps) => Some(caps),
            Err(e) if explicit => return Err(e),
            Err(_) => None,
        }
    } else {
        None
    };
    let mut sel = Selection {
        variants: Vec::new(),
        skipped: Vec::new(),
        adapter: caps.as_ref().map(|c| c.info.clone()),
    };
    for (kind, precision) in wanted {
        if !kind.is_gpu() {
            push_unique(
                &mut sel.variants,
                Variant {
                    kind,
                    precision: Precision::F64,
                },
            );
            continue;
        }
        let Some(caps) = &caps else {
            let what = match precision {
                None => kind.name().to_string(),
                Some(precision) => Variant { kind, precision }.name(),
            };
            sel.skipped.push((
                what,
                match adapter {
                    Some(a) => format!(
                        "no usable GPU adapter matches {a:?} (`regpath devices` lists them)"
                    ),
                    None => "no usable GPU adapter (`regpath devices` says why; without a GPU, Mesa's lavapipe runs the kernels: apt-get install mesa-vulkan-drivers libvulkan1)".into(),
                },
            ));
            continue;
        };
        for precision in precision.map_or(vec![Precision::F32, Precision::F64], |p| vec![p]) {
            let v = Variant { kind, precision };
            if precision == Precision::F64 && !caps.f64 {
                sel.skipped.push((
                    v.name(),
                    format!("adapter {} has no f64 shaders (SHADER_F64)", caps.info.name),
                ));
            } else {
                push_unique(&mut sel.variants, v);
            }
        }
    }
    Ok(sel)
}

impl Selection {
    /// Err (exit 2) when every asked-for variant was skipped: a sweep never runs nothing.
    pub fn require_some(&self) -> Result<()> {
        if !self.variants.is_empty() {
            return Ok(());
        }
        Err(input_error(format!(
            "--solvers: nothing to run ({})",
            self.skipped
                .iter()
                .map(|(s, why)| format!("{s}: {why}"))
                .collect::<Vec<_>>()
                .join("; ")
        )))
    }
}

/// Parses `--shard K/N` (0 ≤ K < N).
pub fn parse_shard(text: &str) -> Result<(u64, u64)> {
    let parsed = text
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, n)) if n > 0 && k < n => Ok((k, n)),
        _ => Err(input_error(format!(
            "--shard {text:?}: expected K/N with 0 <= K < N, e.g. 0/8"
        ))),
    }
}

/// The shard (of `n`) a case id belongs to: FNV-1a of the id, so the slices are disjoint,
/// cover every case, and do not depend on the machine or the order cases are listed in.
pub fn shard_of(id: &str, n: u64) -> u64 {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hash % n
}

fn push_unique(v: &mut Vec<Variant>, x: Variant) {
    if !v.contains(&x) {
        v.push(x);
    }
}
