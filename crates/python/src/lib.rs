//! `regpath._regpath`: the native half of the Python package `regpath` (the pure-Python half,
//! `python/regpath`, holds the scikit-learn-style functions and estimators and their docs).
//!
//! - [`path`]: a certified regularization path (squared or logistic loss, any solver).
//! - [`cross_validate`]: k-fold cross-validation along the path and the refit.
//! - [`devices`]: the adapters wgpu sees.
//!
//! X comes in as a 2-D float64 or float32 NumPy array of any memory order and is copied once,
//! column-major in f64 (the solvers' layout), or as the arrays of a scipy.sparse CSC matrix
//! (`(n, p, indptr, indices, data)`, int64 and float64), which the solvers read as they are,
//! never densified; y as a 1-D float or integer array.
//! - [`certify`]: the certificate of any coefficients (another library's) at one alpha. Validation and
//! messages are the CLI's (`regpath_harness::plan`, `SolverPlan::new`), with each flag spelled
//! as its Python argument. Solves run on a worker thread with the GIL released (see
//! [`worker`]): Ctrl-C interrupts the call, and a Rust panic becomes a `RuntimeError`.

mod errors;
mod solve;
mod worker;

use errors::NoGpuError;
use ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use regpath_core::Loss;
use solve::{CvOut, PathOut, ProblemSpec, XIn};

/// Default epochs (CD) or iterations (FISTA) per alpha, as the CLI's `--max-iter`.
const DEFAULT_MAX_ITER: usize = regpath_harness::solver::DEFAULT_MAX_ITER;

/// X as one column-major f64 copy, made with the GIL released, or a CSC matrix from the tuple
/// `(n, p, indptr, indices, data)` of a scipy.sparse matrix; TypeError unless X is a 2-D
/// float64 or float32 array or such a tuple, ValueError when the CSC arrays are inconsistent.
fn read_x(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<XIn> {
    if let Ok(a) = x.cast::<PyArray2<f64>>() {
        let a = a.readonly();
        let v = a.as_array();
        return Ok(XIn::Dense(py.detach(|| solve::column_major(v))));
    }
    if let Ok(a) = x.cast::<PyArray2<f32>>() {
        let a = a.readonly();
        let v = a.as_array();
        return Ok(XIn::Dense(py.detach(|| solve::column_major(v))));
    }
    if let Ok(t) = x.cast::<PyTuple>() {
        return read_csc(t).map(XIn::Sparse);
    }
    Err(PyTypeError::new_err(format!(
        "X must be a 2-D float64 or float32 NumPy array, got {}",
        describe(x)
    )))
}

/// A CSC matrix from `(n, p, indptr, indices, data)` (int64, int64, float64 arrays), checked
/// by `Csc::from_csc` (lengths, monotone pointers, indices in range and sorted, finite values).
fn read_csc(t: &Bound<'_, PyTuple>) -> PyResult<regpath_core::Csc> {
    let bad = || {
        PyTypeError::new_err(
            "sparse X must come as (n, p, indptr, indices, data): two ints, two 1-D int64 arrays and a 1-D float64 array",
        )
    };
    if t.len() != 5 {
        return Err(bad());
    }
    let n: usize = t.get_item(0)?.extract().map_err(|_| bad())?;
    let p: usize = t.get_item(1)?.extract().map_err(|_| bad())?;
    let index = |i: usize| -> PyResult<Vec<usize>> {
        let item = t.get_item(i)?;
        let a = item.cast::<PyArray1<i64>>().map_err(|_| bad())?;
        let a = a.readonly();
        a.as_array()
            .iter()
            .map(|&v| usize::try_from(v))
            .collect::<Result<Vec<usize>, _>>()
            .map_err(|_| PyValueError::new_err("sparse X: a negative index or pointer"))
    };
    let (indptr, indices) = (index(2)?, index(3)?);
    let item = t.get_item(4)?;
    let data = item.cast::<PyArray1<f64>>().map_err(|_| bad())?;
    let data = data.readonly().as_array().to_vec();
    regpath_core::Csc::from_csc(n, p, indptr, indices, data)
        .map_err(|e| PyValueError::new_err(format!("sparse X: {e}")))
}

/// A CSC matrix as the tuple `(n, p, indptr, indices, data)` the Python side turns into
/// `scipy.sparse.csc_matrix`.
fn csc_tuple<'py>(py: Python<'py>, x: &regpath_core::Csc) -> PyResult<Bound<'py, PyTuple>> {
    let (n, p) = x.dim();
    let (col_ptr, row_idx, values) = x.parts();
    let as_i64 = |v: &[usize]| -> Vec<i64> { v.iter().map(|&i| i as i64).collect() };
    (
        n,
        p,
        as_i64(col_ptr).into_pyarray(py),
        as_i64(row_idx).into_pyarray(py),
        values.to_vec().into_pyarray(py),
    )
        .into_pyobject(py)
}

/// y as f64 values; TypeError unless y is a 1-D float64, float32, int64 or int32 array.
fn read_y(y: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    if let Ok(a) = y.cast::<PyArray1<f64>>() {
        return Ok(a.readonly().as_array().to_vec());
    }
    if let Ok(a) = y.cast::<PyArray1<f32>>() {
        return Ok(a.readonly().as_array().iter().map(|&v| v.into()).collect());
    }
    if let Ok(a) = y.cast::<PyArray1<i64>>() {
        return Ok(a.readonly().as_array().iter().map(|&v| v as f64).collect());
    }
    if let Ok(a) = y.cast::<PyArray1<i32>>() {
        return Ok(a.readonly().as_array().iter().map(|&v| v.into()).collect());
    }
    Err(PyTypeError::new_err(format!(
        "y must be a 1-D float64, float32, int64 or int32 NumPy array, got {}",
        describe(y)
    )))
}

/// "a 3-D int8 array" or the Python type's name.
fn describe(v: &Bound<'_, PyAny>) -> String {
    match v.cast::<numpy::PyUntypedArray>() {
        Ok(a) => format!("a {}-D {} array", a.ndim(), a.dtype()),
        Err(_) => v
            .get_type()
            .name()
            .map_or_else(|_| "an object".into(), |n| n.to_string()),
    }
}

/// A count argument: ValueError for a negative one (the CLI's flags are unsigned).
fn count(name: &str, v: i64, least: i64) -> PyResult<usize> {
    usize::try_from(v)
        .map_err(|_| PyValueError::new_err(format!("{name} {v} must be at least {least}")))
}

fn loss(name: &str) -> PyResult<Loss> {
    match name {
        "squared" => Ok(Loss::Squared),
        "logistic" => Ok(Loss::Logistic),
        _ => Err(PyValueError::new_err(format!(
            "invalid value '{name}' for 'loss' [possible values: squared, logistic]"
        ))),
    }
}

/// The validated solver settings (messages of the CLI, flags as Python arguments).
fn plan(
    solver: &str,
    precision: Option<&str>,
    tol: Option<f64>,
    max_iter: i64,
    adapter: Option<String>,
    threads: Option<i64>,
) -> PyResult<regpath_harness::solver::SolverPlan> {
    let max_iter = count("max_iter", max_iter, 1)?;
    let threads = threads.map(|t| count("threads", t, 1)).transpose()?;
    solve::solver_plan(solver, precision, tol, max_iter, adapter, threads).map_err(errors::to_py)
}

/// Solves and certifies a regularization path; see `regpath.enet_path` for the arguments.
#[pyfunction]
#[pyo3(signature = (x, y, *, loss="squared", l1_ratio=1.0, alphas=None, n_alphas=100, eps=1e-3,
    fit_intercept=true, standardize=false, tol=None, max_iter=DEFAULT_MAX_ITER as i64,
    solver="cpu-cd", precision=None, threads=None, adapter=None))]
#[allow(clippy::too_many_arguments)]
fn path<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    loss: &str,
    l1_ratio: f64,
    alphas: Option<Vec<f64>>,
    n_alphas: i64,
    eps: f64,
    fit_intercept: bool,
    standardize: bool,
    tol: Option<f64>,
    max_iter: i64,
    solver: &str,
    precision: Option<&str>,
    threads: Option<i64>,
    adapter: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let spec = ProblemSpec {
        loss: self::loss(loss)?,
        l1_ratio,
        alphas,
        n_alphas: count("n_alphas", n_alphas, 1)?,
        eps,
        fit_intercept,
        standardize,
    };
    let plan = plan(solver, precision, tol, max_iter, adapter, threads)?;
    let (x, y) = (read_x(py, x)?, read_y(y)?);
    let out = worker::run(py, move || solve::path(x, y, &spec, &plan))?;
    path_dict(py, out)
}

/// k-fold cross-validation along the path and the refit; see `regpath.cross_validate`.
#[pyfunction]
#[pyo3(signature = (x, y, *, loss="squared", l1_ratio=1.0, alphas=None, n_alphas=100, eps=1e-3,
    fit_intercept=true, standardize=false, folds=5, tol=None, max_iter=DEFAULT_MAX_ITER as i64,
    solver="cpu-cd", precision=None, threads=None, adapter=None))]
#[allow(clippy::too_many_arguments)]
fn cross_validate<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    loss: &str,
    l1_ratio: f64,
    alphas: Option<Vec<f64>>,
    n_alphas: i64,
    eps: f64,
    fit_intercept: bool,
    standardize: bool,
    folds: i64,
    tol: Option<f64>,
    max_iter: i64,
    solver: &str,
    precision: Option<&str>,
    threads: Option<i64>,
    adapter: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let spec = ProblemSpec {
        loss: self::loss(loss)?,
        l1_ratio,
        alphas,
        n_alphas: count("n_alphas", n_alphas, 1)?,
        eps,
        fit_intercept,
        standardize,
    };
    let folds = count("folds", folds, 2)?;
    let plan = plan(solver, precision, tol, max_iter, adapter, threads)?;
    let (x, y) = (read_x(py, x)?, read_y(y)?);
    let out = worker::run(py, move || solve::cross_validate(x, y, &spec, &plan, folds))?;
    cv_dict(py, out)
}

/// Synthetic data of the CLI's `--synthetic KIND --n N --p P …` (same generators, same seed, same
/// data): X (Fortran-ordered; for `text`, the tuple of its CSC arrays, see [`csc_tuple`]), y
/// and the true coefficients.
#[pyfunction]
#[pyo3(signature = (kind, *, n=100, p=1000, informative=None, rho=None, noise=None, seed=0))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn synthetic<'py>(
    py: Python<'py>,
    kind: &str,
    n: i64,
    p: i64,
    informative: Option<i64>,
    rho: Option<f64>,
    noise: Option<f64>,
    seed: u64,
) -> PyResult<(
    Bound<'py, PyAny>,
    Bound<'py, PyArray1<f64>>,
    Option<Bound<'py, PyArray1<f64>>>,
)> {
    use regpath_harness::cli::{DataArgs, SyntheticKind};
    let synthetic = match kind {
        "regression" => SyntheticKind::Regression,
        "gene" => SyntheticKind::Gene,
        "classification" => SyntheticKind::Classification,
        "text" => SyntheticKind::Text,
        _ => {
            return Err(PyValueError::new_err(format!(
            "invalid value '{kind}' for 'kind' [possible values: regression, gene, classification, text]"
        )))
        }
    };
    let args = DataArgs {
        x: None,
        y: None,
        data: None,
        header: None,
        synthetic: Some(synthetic),
        n: count("n", n, 1)?,
        p: count("p", p, 1)?,
        informative: informative
            .map(|k| count("informative", k, 0))
            .transpose()?,
        rho,
        noise,
        seed,
    };
    let data = worker::run(py, move || Ok(regpath_harness::plan::load_data(&args)?.0))?;
    let x = match data.x {
        regpath_core::Storage::Dense(x) => x.into_pyarray(py).into_any(),
        regpath_core::Storage::Sparse(x) => csc_tuple(py, &x)?.into_any(),
    };
    Ok((
        x,
        data.y.into_pyarray(py),
        data.true_coef.map(|c| c.into_pyarray(py)),
    ))
}

/// The certificate of given coefficients at one alpha (see `regpath.certify`): a dict of
/// `primal`, `dual`, `gap`, `rel_gap`, `kkt`, `nnz`.
#[pyfunction]
#[pyo3(signature = (x, y, coef, intercept, alpha, *, loss="squared", l1_ratio=1.0, fit_intercept=true))]
#[allow(clippy::too_many_arguments)]
fn certify<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    coef: Vec<f64>,
    intercept: f64,
    alpha: f64,
    loss: &str,
    l1_ratio: f64,
    fit_intercept: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let loss = self::loss(loss)?;
    let (x, y) = (read_x(py, x)?, read_y(y)?);
    let c = worker::run(py, move || {
        solve::certify(x, y, coef, intercept, alpha, loss, l1_ratio, fit_intercept)
    })?;
    let d = PyDict::new(py);
    d.set_item("primal", c.primal)?;
    d.set_item("dual", c.dual)?;
    d.set_item("gap", c.gap)?;
    d.set_item("rel_gap", c.rel_gap)?;
    d.set_item("kkt", c.kkt)?;
    d.set_item("nnz", c.nnz)?;
    Ok(d)
}

/// The adapters wgpu sees (`regpath devices --json`), as a list of dicts.
#[pyfunction]
fn devices(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let adapters = worker::run(py, || Ok(regpath_gpu::list_adapters()))?;
    let list = PyList::empty(py);
    for a in adapters {
        let d = PyDict::new(py);
        d.set_item("index", a.index)?;
        d.set_item("name", &a.name)?;
        d.set_item("backend", &a.backend)?;
        d.set_item("device_type", &a.device_type)?;
        d.set_item("driver", &a.driver)?;
        d.set_item("driver_info", &a.driver_info)?;
        d.set_item("f64", a.f64)?;
        d.set_item("subgroups", a.subgroups)?;
        let limits = PyDict::new(py);
        limits.set_item(
            "max_storage_buffer_binding_size",
            a.max_storage_buffer_binding_size,
        )?;
        limits.set_item(
            "max_compute_workgroup_storage_size",
            a.max_compute_workgroup_storage_size,
        )?;
        limits.set_item(
            "max_compute_invocations_per_workgroup",
            a.max_compute_invocations_per_workgroup,
        )?;
        d.set_item("limits", limits)?;
        list.append(d)?;
    }
    Ok(list)
}

/// A path as a dict of NumPy arrays: coefs n_features × n_alphas (scikit-learn's layout).
fn path_dict(py: Python<'_>, out: PathOut) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let f64s = |f: fn(&regpath_core::Certificate) -> f64| -> Vec<f64> {
        out.certificates.iter().map(f).collect()
    };
    d.set_item("alphas", out.alphas.clone().into_pyarray(py))?;
    d.set_item("coefs", out.coefs.reversed_axes().into_pyarray(py))?;
    d.set_item("intercepts", out.intercepts.into_pyarray(py))?;
    d.set_item("gaps", f64s(|c| c.gap).into_pyarray(py))?;
    d.set_item("rel_gaps", f64s(|c| c.rel_gap).into_pyarray(py))?;
    d.set_item("kkt", f64s(|c| c.kkt).into_pyarray(py))?;
    d.set_item("primal", f64s(|c| c.primal).into_pyarray(py))?;
    d.set_item("dual", f64s(|c| c.dual).into_pyarray(py))?;
    let nnz: Vec<i64> = out.certificates.iter().map(|c| c.nnz as i64).collect();
    d.set_item("nnz", nnz.into_pyarray(py))?;
    let n_iter: Vec<i64> = out.iterations.iter().map(|&i| i as i64).collect();
    d.set_item("n_iter", n_iter.into_pyarray(py))?;
    d.set_item("converged", out.converged.into_pyarray(py))?;
    let r = &out.run;
    d.set_item("tol", r.tol)?;
    d.set_item("seconds", r.seconds)?;
    d.set_item("solver", r.solver)?;
    d.set_item("precision", r.precision)?;
    d.set_item("adapter", r.adapter.clone())?;
    let counters = PyDict::new(py);
    counters.set_item("epochs", r.epochs)?;
    counters.set_item("submits", r.submits)?;
    counters.set_item("readbacks", r.readbacks)?;
    counters.set_item("x_passes", r.x_passes)?;
    d.set_item("counters", counters)?;
    let warnings: Vec<String> = out.warnings.iter().map(|w| errors::pythonic(w)).collect();
    d.set_item("warnings", warnings)?;
    Ok(d)
}

/// A cross-validation as a dict: the curve, the chosen alphas and the refit path.
fn cv_dict(py: Python<'_>, out: CvOut) -> PyResult<Bound<'_, PyDict>> {
    let r = out.result;
    let d = PyDict::new(py);
    d.set_item("metric", r.metric)?;
    d.set_item("alphas", r.alphas.into_pyarray(py))?;
    d.set_item("mean", r.mean.into_pyarray(py))?;
    d.set_item("std", r.std.into_pyarray(py))?;
    d.set_item("se", r.se.into_pyarray(py))?;
    let k = d.get_item("alphas")?.map_or(0, |a| a.len().unwrap_or(0));
    let mut fold_errors = Array2::<f64>::zeros((r.fold_errors.len(), k));
    for (f, errs) in r.fold_errors.iter().enumerate() {
        for (i, &e) in errs.iter().enumerate() {
            fold_errors[[f, i]] = e;
        }
    }
    d.set_item("fold_errors", fold_errors.into_pyarray(py))?;
    d.set_item("alpha_min", r.alpha_min)?;
    d.set_item("alpha_1se", r.alpha_1se)?;
    d.set_item("index_min", out.i_min)?;
    d.set_item("index_1se", out.i_1se)?;
    d.set_item("nnz_at_alpha_min", r.nnz_at_alpha_min)?;
    d.set_item("folds", r.folds)?;
    d.set_item("seconds", r.seconds)?;
    d.set_item("max_fold_gap", out.max_fold_gap)?;
    d.set_item("refit", path_dict(py, out.refit)?)?;
    Ok(d)
}

/// Panics on a solver thread: a test hook showing that a Rust panic reaches Python as a
/// `RuntimeError` (the process goes on).
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, message: String) -> PyResult<()> {
    worker::run(py, move || -> anyhow::Result<()> { panic!("{message}") })
}

#[pymodule]
fn _regpath(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(path, m)?)?;
    m.add_function(wrap_pyfunction!(cross_validate, m)?)?;
    m.add_function(wrap_pyfunction!(devices, m)?)?;
    m.add_function(wrap_pyfunction!(synthetic, m)?)?;
    m.add_function(wrap_pyfunction!(certify, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add("NoGpuError", m.py().get_type::<NoGpuError>())?;
    m.add("DEFAULT_MAX_ITER", DEFAULT_MAX_ITER)?;
    Ok(())
}
