//! Command-line flags, close to what the user typed (clap). Validation happens in `plan`.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// List the GPU adapters wgpu sees
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// Solve one regularization path and certify every alpha
    Path(PathArgs),
    /// Agreement suite: every solver against a tight f64 cpu-cd reference (exit 1 on disagreement)
    Check(crate::commands::check::CheckArgs),
    /// Time whole paths over a sweep of sizes and write a results file
    Bench(crate::commands::bench::BenchArgs),
    /// Regression gate: compare two results files (exit 1 on a slowdown or agreement failure)
    Compare(crate::commands::compare::CompareArgs),
    /// Plot a results file (time vs p, time vs n, speedup over cpu-cd)
    Report(crate::commands::report::ReportArgs),
    /// k-fold cross-validation along the path: alpha_min, alpha_1se, refit
    Cv(crate::commands::cv::CvArgs),
    /// The L1-vs-L2 feature table on 100×20 data with 5 informative features
    Demo(crate::commands::demo::DemoArgs),
}

#[derive(Args, Debug, Clone)]
pub struct PathArgs {
    #[command(flatten)]
    pub data: DataArgs,
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
    /// Plot the coefficients against log(alpha) as SVG
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SyntheticKind {
    Regression,
    Gene,
    Classification,
}

#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Design matrix X (n × p) as .npy (f64/f32, C or Fortran order) or .csv
    #[arg(long, requires = "y", conflicts_with = "synthetic")]
    pub x: Option<PathBuf>,
    /// Targets y (n) as .npy or .csv
    #[arg(long, requires = "x")]
    pub y: Option<PathBuf>,
    /// Generate data instead of reading it
    #[arg(long, value_enum)]
    pub synthetic: Option<SyntheticKind>,
    /// Samples (synthetic data)
    #[arg(long, default_value_t = 100)]
    pub n: usize,
    /// Features (synthetic data)
    #[arg(long, default_value_t = 1000)]
    pub p: usize,
    /// Non-zero true coefficients (default: 10, gene: 20)
    #[arg(long)]
    pub informative: Option<usize>,
    /// AR(1) correlation between neighbouring columns (gene data)
    #[arg(long, default_value_t = 0.5)]
    pub rho: f64,
    /// Noise standard deviation (regression data)
    #[arg(long, default_value_t = 1.0)]
    pub noise: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
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
    #[arg(long, default_value_t = 100)]
    pub alphas: usize,
    /// Smallest alpha on the grid as a fraction of alpha_max
    #[arg(long, default_value_t = 1e-3)]
    pub eps: f64,
    /// Explicit alphas (comma-separated) instead of the grid; solved in decreasing order
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub alpha_values: Option<Vec<f64>>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SolverKind {
    CpuCd,
    CpuFista,
    GpuCd,
    GpuFista,
}

impl SolverKind {
    pub fn name(self) -> &'static str {
        match self {
            SolverKind::CpuCd => "cpu-cd",
            SolverKind::CpuFista => "cpu-fista",
            SolverKind::GpuCd => "gpu-cd",
            SolverKind::GpuFista => "gpu-fista",
        }
    }

    pub fn is_gpu(self) -> bool {
        matches!(self, SolverKind::GpuCd | SolverKind::GpuFista)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PrecisionKind {
    F32,
    F64,
}

#[derive(Args, Debug, Clone)]
pub struct SolverArgs {
    #[arg(long, value_enum, default_value = "cpu-cd")]
    pub solver: SolverKind,
    /// Duality gap relative to ‖y‖²/n (default 1e-7; 1e-5 for f32 GPU solves)
    #[arg(long)]
    pub tol: Option<f64>,
    /// Epochs (CD) or iterations (FISTA) per alpha
    #[arg(long, default_value_t = 100_000)]
    pub max_iter: usize,
    /// GPU arithmetic (default f32); CPU solvers are f64 only
    #[arg(long, value_enum)]
    pub precision: Option<PrecisionKind>,
    /// GPU adapter by index or name (see `regpath devices`)
    #[arg(long)]
    pub adapter: Option<String>,
    /// CPU threads (default: all cores; 1 = single-threaded)
    #[arg(long)]
    pub threads: Option<usize>,
}
