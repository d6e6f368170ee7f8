//! Every command-line flag of every command, close to what the user typed (clap). Validation
//! happens in `plan`; commands read their `*Args` from here.

use crate::solver::{Precision, SolverKind, DEFAULT_MAX_ITER};
use crate::sweep::suites::Suite;
use clap::{Args, Parser, Subcommand, ValueEnum};
use regpath_core::io::CsvHeader;
use regpath_core::synth::SynthKind;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "regpath",
    version,
    about = "Regularization paths (Lasso, Ridge, Elastic Net) on CPU and GPU, certified by the duality gap"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the GPU adapters wgpu sees, or calibrate the device model on one
    Devices(DevicesArgs),
    /// Solve one regularization path and certify every alpha
    Path(PathArgs),
    /// Agreement suite: every solver against a tight f64 cpu-cd reference (exit 1 on disagreement)
    Check(CheckArgs),
    /// Time whole paths over a sweep of sizes and write a results file
    Bench(BenchArgs),
    /// Regression gate: compare two results files (exit 1 on a slowdown or agreement failure)
    Compare(CompareArgs),
    /// Plot a results file (time vs p, time vs n, speedup over cpu-cd)
    Report(ReportArgs),
    /// k-fold cross-validation along the path: alpha_min, alpha_1se, refit
    Cv(CvArgs),
    /// The L1-vs-L2 feature table on 100×20 data with 5 informative features
    Demo(DemoArgs),
    /// Join results files of one suite (e.g. the shards of a sweep) into one
    Merge(MergeArgs),
    /// Print a shell completion script, e.g. `regpath completions bash >
    /// ~/.local/share/bash-completion/completions/regpath`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug, Clone)]
pub struct PathArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub save: SaveDataArgs,
    #[command(flatten)]
    pub problem: ProblemArgs,
    #[command(flatten)]
    pub solver: SolverArgs,
    /// Write the path (per alpha: coefficients, intercept, objective, gap, nnz, iterations) as JSON
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the K × p coefficient matrix (row = alpha, path order, original scale of X) as NPY
    #[arg(long)]
    pub coef_npy: Option<PathBuf>,
    /// Plot the coefficients against log(alpha), with the number of non-zero coefficients on top
    /// and the largest features labelled: SVG or PNG by the file's extension (F.svg, F.png)
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Print the summary as JSON on stdout (schema regpath.path-summary/1) instead of text
    #[arg(long)]
    pub json: bool,
    /// Also print what the device model gives for a GPU solve's counters on this profile (h100,
    /// h200, a100, rtx4090, apple-m2-max, lavapipe-2core, or a file from `devices --calibrate
    /// --json`): a model, not a measurement
    #[arg(long, value_name = "PROFILE")]
    pub model: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct DevicesArgs {
    /// JSON on stdout (the adapters, or with --calibrate the measured profile)
    #[arg(long)]
    pub json: bool,
    /// Measure the device model's per-unit costs on the adapter (t_sync, t_dispatch, t_step,
    /// bandwidth, GEMM throughput): about ten seconds on a CPU, less on a GPU
    #[arg(long)]
    pub calibrate: bool,
    /// Adapter to calibrate, by index or name (default: the high-performance one)
    #[arg(long, requires = "calibrate")]
    pub adapter: Option<String>,
    /// Write the measured profile to this file (JSON; usable as `--model FILE`)
    #[arg(long, requires = "calibrate", value_name = "F.json")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SyntheticKind {
    Regression,
    Gene,
    Classification,
    /// Sparse TF-IDF documents × words with 0/1 spam labels (--informative spam words)
    Text,
}

impl SyntheticKind {
    /// regpath-core's name for the same generator.
    pub fn core(self) -> SynthKind {
        match self {
            SyntheticKind::Regression => SynthKind::Regression,
            SyntheticKind::Gene => SynthKind::Gene,
            SyntheticKind::Classification => SynthKind::Classification,
            SyntheticKind::Text => SynthKind::Text,
        }
    }
}

/// `--header`: whether the first line of a CSV file is a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HeaderArg {
    /// The first line is a header, whatever it holds
    Yes,
    /// Every line is data
    No,
    /// A header when none of its cells is a number
    Auto,
}

impl HeaderArg {
    /// regpath-core's rule for the flag's value.
    pub fn rule(self) -> CsvHeader {
        match self {
            HeaderArg::Yes => CsvHeader::Yes,
            HeaderArg::No => CsvHeader::No,
            HeaderArg::Auto => CsvHeader::Auto,
        }
    }
}

/// The data of `path` and `cv`. A flag that does not apply to the data asked for (`--rho`
/// without `--synthetic gene`, `--n` with `--x`, …) is refused (exit 2), never ignored.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Design matrix X (n × p): dense .npy (f64/f32, C or Fortran order) or .csv; sparse scipy
    /// .npz (save_npz, CSR or CSC); or svmlight/libsvm text (`label index:value …`), which holds
    /// y too (then no --y)
    #[arg(long, conflicts_with = "synthetic")]
    pub x: Option<PathBuf>,
    /// Targets y (n) as .npy or .csv (labels 0/1 with --loss logistic)
    #[arg(long, requires = "x")]
    pub y: Option<PathBuf>,
    /// X and y from one svmlight/libsvm file (`label index:value …` per sample; indices 1- or
    /// 0-based, detected as scikit-learn's load_svmlight_file does), read as sparse X
    #[arg(long, value_name = "F.svm", conflicts_with_all = ["x", "y", "synthetic"])]
    pub data: Option<PathBuf>,
    /// Whether the first line of the CSV files (X and y) is a header [default: auto: a header
    /// when none of its cells is a number]
    #[arg(long, value_enum, requires = "x", conflicts_with_all = ["synthetic", "data"])]
    pub header: Option<HeaderArg>,
    /// Generate data instead of reading it
    #[arg(long, value_enum)]
    pub synthetic: Option<SyntheticKind>,
    /// Samples (synthetic data)
    #[arg(long, default_value_t = 100, conflicts_with_all = ["x", "data"])]
    pub n: usize,
    /// Features (synthetic data)
    #[arg(long, default_value_t = 1000, conflicts_with_all = ["x", "data"])]
    pub p: usize,
    /// Non-zero true coefficients (default: regression 10, gene and classification 20, text 30
    /// spam words)
    #[arg(long, conflicts_with_all = ["x", "data"])]
    pub informative: Option<usize>,
    /// AR(1) correlation between neighbouring columns (--synthetic gene only) [default: 0.5]
    #[arg(long, conflicts_with_all = ["x", "data"], allow_negative_numbers = true)]
    pub rho: Option<f64>,
    /// Noise standard deviation, finite and >= 0 (--synthetic regression only) [default: 1]
    #[arg(long, conflicts_with_all = ["x", "data"], allow_negative_numbers = true)]
    pub noise: Option<f64>,
    /// Seed of the synthetic data
    #[arg(long, default_value_t = 0, conflicts_with_all = ["x", "data"])]
    pub seed: u64,
}

/// Saving the synthetic data a command solves.
#[derive(Args, Debug, Clone)]
pub struct SaveDataArgs {
    /// Also write the synthetic X and y (as generated, before centering) for `--x`/`--data` or
    /// other tools: `X.npy,y.npy` (dense X), `X.npz,y.npy` (X as scipy's save_npz writes it;
    /// dense X is stored sparse) or one `F.svm` (svmlight/libsvm text holding X and y)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "X.npy,y.npy|X.npz,y.npy|F.svm"
    )]
    pub save_data: Option<Vec<PathBuf>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PenaltyKind {
    Lasso,
    Ridge,
    Enet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LossKind {
    Squared,
    Logistic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RidgeScale {
    /// scikit-learn's Ridge(alpha=a): ‖y − Xβ‖² + a‖β‖², i.e. regpath alpha = a / n
    Sklearn,
    /// regpath's own scale 1/(2n)‖y − Xβ‖² + alpha/2 ‖β‖²
    Regpath,
}

#[derive(Args, Debug, Clone)]
pub struct ProblemArgs {
    #[arg(long, value_enum, default_value = "lasso")]
    pub penalty: PenaltyKind,
    /// l1_ratio in [0, 1] for --penalty enet (default 0.5)
    #[arg(long, allow_negative_numbers = true)]
    pub l1_ratio: Option<f64>,
    #[arg(long, value_enum, default_value = "squared")]
    pub loss: LossKind,
    /// Number of alphas on the geometric grid from alpha_max
    #[arg(long, default_value_t = 100, conflicts_with = "alpha_values")]
    pub alphas: usize,
    /// Smallest alpha on the grid as a fraction of alpha_max
    #[arg(long, default_value_t = 1e-3, conflicts_with = "alpha_values")]
    pub eps: f64,
    /// Explicit alphas (comma-separated) instead of the grid; solved in decreasing order
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub alpha_values: Option<Vec<f64>>,
    /// Logistic loss on scikit-learn's scale: LogisticRegression's C (comma-separated for
    /// several), solved at alpha = 1/(n·C)
    #[arg(
        long = "C",
        value_name = "C",
        value_delimiter = ',',
        allow_negative_numbers = true,
        conflicts_with_all = ["alpha_values", "alphas", "eps"]
    )]
    pub c: Option<Vec<f64>>,
    /// Scale each column of X to unit variance first
    #[arg(long)]
    pub standardize: bool,
    /// Fit no intercept (X and y are not centered)
    #[arg(long)]
    pub no_intercept: bool,
    /// Scale of ridge alphas given with --alpha-values (default sklearn's Ridge scale)
    #[arg(long, value_enum, default_value = "sklearn")]
    pub ridge_scale: RidgeScale,
}

#[derive(Args, Debug, Clone)]
pub struct SolverArgs {
    #[arg(long, value_enum, default_value = "cpu-cd")]
    pub solver: SolverKind,
    /// Duality gap relative to ‖y‖²/n (default 1e-7; 1e-5 for f32 GPU solves)
    #[arg(long)]
    pub tol: Option<f64>,
    /// Epochs (CD) or iterations (FISTA) per alpha
    #[arg(long, default_value_t = DEFAULT_MAX_ITER)]
    pub max_iter: usize,
    /// GPU arithmetic (default f32); CPU solvers are f64 only
    #[arg(long, value_enum)]
    pub precision: Option<Precision>,
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// Where a solve runs: the GPU adapter and the CPU threads.
#[derive(Args, Debug, Clone)]
pub struct PlaceArgs {
    /// GPU adapter by index or name (see `regpath devices`)
    #[arg(long)]
    pub adapter: Option<String>,
    /// CPU threads for the CPU solvers (default: all cores; 1 = single-threaded)
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The solvers a sweep (`check`, `bench`) runs, and where.
#[derive(Args, Debug, Clone)]
pub struct SweepArgs {
    /// Solvers, e.g. cpu-cd,gpu-cd/f32 (default: all; a GPU solver without /f32 or /f64 runs in
    /// both where the adapter has them; GPU ones are skipped without an adapter)
    #[arg(long, value_delimiter = ',')]
    pub solvers: Option<Vec<String>>,
    #[command(flatten)]
    pub place: PlaceArgs,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Small problems and 10 alphas (under a minute on 2 cores with a software GPU)
    #[arg(long)]
    pub quick: bool,
    /// Also write the table as JSON to F; `--json` alone prints it on stdout (the text table
    /// then goes to stderr)
    #[arg(long, value_name = "F", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub sweep: SweepArgs,
    /// Alphas per path (default: 10 with --quick, 30 otherwise)
    #[arg(long)]
    pub alphas: Option<usize>,
    /// Smallest alpha of the grid as a fraction of alpha_max (default: 1e-2 with --quick, as
    /// glmnet uses for p > n; 1e-3 otherwise, as scikit-learn)
    #[arg(long)]
    pub eps: Option<f64>,
}

#[derive(Args, Debug, Clone)]
pub struct BenchArgs {
    /// The suite of workloads to time (or --x/--y for your own data, or --suite-file)
    #[arg(long, value_enum, required_unless_present_any = ["x", "suite_file"])]
    pub suite: Option<Suite>,
    /// A suite of your own, as TOML: datasets (synthetic kind, n, p, rho, seed; or x and y
    /// files) × problems (penalty or l1_ratio, loss) × solvers, with optional tols; case ids
    /// from the names given (see examples/suite.toml)
    #[arg(long, value_name = "F.toml", conflicts_with_all = ["suite", "x", "solvers"])]
    pub suite_file: Option<PathBuf>,
    /// Benchmark your own design matrix (dense NPY or CSV, sparse scipy .npz) instead of a suite:
    /// one 100-alpha path (suite `user`, case ids from the file name)
    #[arg(long, requires = "y", conflicts_with_all = ["suite", "suite_file"])]
    pub x: Option<PathBuf>,
    /// Targets for --x (NPY or CSV; labels 0/1 with --loss logistic)
    #[arg(long, requires = "x")]
    pub y: Option<PathBuf>,
    /// Whether the first line of the CSV files --x and --y is a header [default: auto: a header
    /// when none of its cells is a number]
    #[arg(long, value_enum, requires = "x")]
    pub header: Option<HeaderArg>,
    /// Loss of the --x/--y path (lasso penalty; logistic columns are standardized)
    #[arg(long, value_enum, default_value = "squared", requires = "x")]
    pub loss: LossKind,
    #[command(flatten)]
    pub sweep: SweepArgs,
    /// Results file, rewritten atomically after each case (e.g. results/gene-cpu.json)
    #[arg(long, value_name = "F.json")]
    pub out: Option<PathBuf>,
    /// Run only the cases whose id contains one of these substrings (e.g. `logistic/,cv5/` or
    /// `n200/p20000`); with --resume the other cases already in --out are kept
    #[arg(long, value_delimiter = ',', value_name = "SUBSTR,...")]
    pub cases: Option<Vec<String>>,
    /// Keep the cases already in --out and run only the missing ones
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Timed runs per case and tolerance after one warm-up run [default: 3; with --ab the
    /// pairs of runs per case, default 10]
    #[arg(long)]
    pub runs: Option<usize>,
    /// Tolerance ladder of every path case, e.g. 1e-3,1e-5,1e-7 (default per precision: f64
    /// 1e-3,1e-5,1e-7; f32 1e-3,1e-4,1e-5); the precision's default tol is always on it
    #[arg(long, value_delimiter = ',', value_name = "TOL,...")]
    pub tols: Option<Vec<f64>>,
    /// Run only the K-th of N disjoint slices of the cases (stable by case id, 0 ≤ K < N), e.g.
    /// one task of a job array; `regpath merge` joins the slices' files
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Also run other libraries (sklearn, glmnet) on the lasso paths (squared or logistic loss;
    /// sparse X handed over as scipy .npz), each across its own ladder of stopping tolerances,
    /// through scripts/peers.py (REGPATH_PYTHON picks the interpreter);
    /// certified here and stored as cases (solver `sklearn`, `glmnet`). Without python3 or a
    /// package the peer is skipped with a note
    #[arg(long, value_delimiter = ',')]
    pub peers: Option<Vec<String>>,
    /// Also print what the device model gives for each GPU case's counters on this profile (see
    /// `path --model`): a model, not a measurement
    #[arg(long, value_name = "PROFILE")]
    pub model: Option<String>,
    /// Same-machine A/B: run BASE_BINARY and this binary (or --new) as child processes on the
    /// selected cases, timed from outside and interleaved, and gate on the median paired ratio
    /// NEW/BASE (exit 1 when its bootstrap confidence interval lies above --max-slowdown)
    #[arg(
        long,
        value_name = "BASE_BINARY",
        conflicts_with_all = ["out", "resume", "tols", "shard", "peers", "model"]
    )]
    pub ab: Option<PathBuf>,
    /// The binary --ab judges [default: this one]
    #[arg(long, value_name = "NEW_BINARY", requires = "ab")]
    pub new: Option<PathBuf>,
    /// --ab: largest tolerated slowdown NEW/BASE; a case regresses when the whole 95% bootstrap
    /// interval of its median paired ratio is above it [default: 1.10]
    #[arg(long, requires = "ab")]
    pub max_slowdown: Option<f64>,
}

#[derive(Args, Debug, Clone)]
pub struct CompareArgs {
    /// The baseline results file
    #[arg(value_name = "BASE.json")]
    pub base: PathBuf,
    /// The results file to judge
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Largest tolerated slowdown factor (NEW.min / BASE.max); timings are compared only when
    /// both files come from the same environment (CPU model, threads, adapter)
    #[arg(long, default_value_t = 1.10)]
    pub max_slowdown: f64,
    /// Largest tolerated growth of a work counter (epochs, passes over X, submits, readbacks;
    /// dispatches, serial steps and chained updates where BASE has them): deterministic for a binary, dataset and
    /// tol, so compared whatever the machine
    #[arg(long, default_value_t = 1.10)]
    pub max_work_growth: f64,
    /// Fail (exit 1) when the environments differ instead of skipping the timing comparison
    #[arg(long)]
    pub require_same_env: bool,
    /// Do not fail when a BASE case is missing from NEW
    #[arg(long)]
    pub allow_missing: bool,
    /// Print the summary as JSON on stdout instead of the text (`regpath.compare/1`: the
    /// verdict, per-case rows, the gate rules that fired, why timings were or were not compared)
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// A results file written by `regpath bench`
    #[arg(value_name = "F.json")]
    pub file: PathBuf,
    /// Output: .svg (the charts stacked), .html (charts inline plus the tables), .md (the tables
    /// as Markdown, for a pull request) or .csv (one row per case and tolerance)
    #[arg(long, value_name = "F.svg|F.html|F.md|F.csv")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct CvArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub save: SaveDataArgs,
    #[command(flatten)]
    pub problem: ProblemArgs,
    #[command(flatten)]
    pub solver: SolverArgs,
    /// Number of folds: contiguous blocks in sample order (scikit-learn's KFold without
    /// shuffling) unless --shuffle or --stratified
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Shuffle the samples before splitting them into folds, reproducibly (the same --fold-seed
    /// gives the same folds). The split differs from scikit-learn's KFold(shuffle=True), whose
    /// random generator is NumPy's: for scikit-learn's exact split, save its fold numbers and
    /// pass them with --foldid
    #[arg(long)]
    pub shuffle: bool,
    /// Seed of --shuffle (default 0). Apart from --seed, which makes the synthetic data: the same
    /// data can be cross-validated over several splits, and file data has a fold seed too
    #[arg(long, value_name = "S", requires = "shuffle")]
    pub fold_seed: Option<u64>,
    /// Keep the class proportions of y in every fold (scikit-learn's StratifiedKFold: the same
    /// folds without --shuffle); for --loss logistic
    #[arg(long)]
    pub stratified: bool,
    /// The fold of every sample, from a file: NPY or CSV, one integer per sample (glmnet's
    /// foldid; any distinct integers name the folds, e.g. 1..k). Reproduces any split, such as
    /// scikit-learn's KFold(shuffle=True, random_state=0) saved with numpy
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["folds", "shuffle", "stratified"]
    )]
    pub foldid: Option<PathBuf>,
    /// Write the curve (alphas, mean, std, se, per-fold errors), alpha_min, alpha_1se, the
    /// refit at alpha_min and the split (method, fold of every sample) as JSON (`regpath.cv/1`)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of text: the document of --out
    /// (`regpath.cv/1`)
    #[arg(long)]
    pub json: bool,
    /// Plot the mean validation error ± one standard error against alpha, with alpha_min and
    /// alpha_1se marked (glmnet's cross-validation plot): SVG or PNG by the file's extension
    #[arg(long, value_name = "F.svg")]
    pub plot: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Seed of the generated data
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct MergeArgs {
    /// Results files of one suite (e.g. the `bench --shard K/N` files)
    #[arg(value_name = "F.json", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// The merged file
    #[arg(long, value_name = "ALL.json")]
    pub out: PathBuf,
    /// Accept files measured in different environments (CPU model, threads, adapter); the merged
    /// file then keeps the first file's environment and timings across files do not compare
    #[arg(long)]
    pub allow_mixed_env: bool,
}
