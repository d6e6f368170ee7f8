//! Glue to regpath-gpu: one context per process, solver/precision mapping, `regpath devices`.

use crate::cli::SolverKind;
use crate::engine::{AdapterInfo, Counters};
use crate::error::{input_error, NoGpu};
use crate::plan::SolverPlan;
use anyhow::Result;
use regpath_core::{Design, Loss, Path, Problem};
use regpath_gpu::{
    list_adapters, GpuContext, GpuError, GpuParams, GpuSolver, Precision, TrainFold,
};
use std::process::ExitCode;

/// A GPU context built once and reused for every solve.
pub struct Gpu {
    ctx: GpuContext,
}

/// Maps GPU errors to exit codes: no adapter → 3, everything else the user can fix → 2.
fn classify(err: GpuError) -> anyhow::Error {
    match err {
        GpuError::NoAdapter { .. } => NoGpu(err.to_string()).into(),
        GpuError::Device(_) => anyhow::Error::new(err),
        other => input_error(other.to_string()),
    }
}

impl Gpu {
    pub fn new(adapter: Option<&str>) -> Result<Gpu> {
        Ok(Gpu {
            ctx: GpuContext::new(adapter).map_err(classify)?,
        })
    }

    /// Solves on the device; coefficients come back for host certification.
    pub fn solve(
        &self,
        design: &Design,
        problem: &Problem,
        plan: &SolverPlan,
    ) -> Result<(Path, Counters)> {
        let (params, solver) = settings(plan);
        let (x, y, alphas, penalty) = (
            design.x.view(),
            design.y.view(),
            &problem.alphas,
            problem.penalty,
        );
        let (path, c) = match (problem.loss, solver) {
            (Loss::Squared, _) => regpath_gpu::solve_path(&self.ctx, x, y, alphas, penalty, solver, &params),
            (Loss::Logistic, GpuSolver::Fista) => {
                regpath_gpu::solve_logistic_path(&self.ctx, x, y, alphas, penalty, design.options.fit_intercept, &params)
            }
            (Loss::Logistic, GpuSolver::Cd) => {
                return Err(input_error("gpu-cd solves squared loss only; use --solver gpu-fista or cpu-cd for --loss logistic"))
            }
        }
        .map_err(classify)?;
        Ok((
            path,
            Counters {
                epochs: c.epochs,
                submits: c.submits,
                readbacks: c.readbacks,
                x_passes: c.x_passes,
            },
        ))
    }

    /// Solves every training fold of a cross-validation in one batch (gpu-fista) on the `shared`
    /// design of all samples; coefficients come back on each fold's scale, logistic intercepts
    /// on the shared design's (see `regpath_gpu::solve_folds`).
    pub fn solve_folds(
        &self,
        shared: &Design,
        folds: &[TrainFold],
        problem: &Problem,
        plan: &SolverPlan,
    ) -> Result<(Vec<Path>, Counters)> {
        let (params, solver) = settings(plan);
        let (paths, c) = regpath_gpu::solve_folds(
            &self.ctx,
            shared.x.view(),
            shared.y.view(),
            folds,
            &problem.alphas,
            (problem.penalty, problem.loss, shared.options.fit_intercept),
            solver,
            &params,
        )
        .map_err(classify)?;
        Ok((
            paths,
            Counters {
                epochs: c.epochs,
                submits: c.submits,
                readbacks: c.readbacks,
                x_passes: c.x_passes,
            },
        ))
    }

    pub fn adapter_info(&self) -> AdapterInfo {
        let s = self.ctx.summary();
        AdapterInfo {
            name: s.name.clone(),
            backend: s.backend.clone(),
            device_type: s.device_type.clone(),
            driver: s.driver.clone(),
        }
    }
}

/// The device solver and its settings for `plan`.
fn settings(plan: &SolverPlan) -> (GpuParams, GpuSolver) {
    let precision = if plan.f64 {
        Precision::F64
    } else {
        Precision::F32
    };
    let solver = if plan.kind == SolverKind::GpuCd {
        GpuSolver::Cd
    } else {
        GpuSolver::Fista
    };
    let params = GpuParams {
        tol: plan.tol,
        max_iter: plan.max_iter,
        precision,
        ..Default::default()
    };
    (params, solver)
}

/// Capabilities of the adapter GPU solves would use, for results metadata and for choosing
/// which GPU solvers/precisions to run; None when no adapter is usable.
pub struct GpuCaps {
    pub info: AdapterInfo,
    pub f64: bool,
}

pub fn probe(adapter: Option<&str>) -> Option<GpuCaps> {
    let gpu = Gpu::new(adapter).ok()?;
    Some(GpuCaps {
        info: gpu.adapter_info(),
        f64: gpu.ctx.supports_f64(),
    })
}

/// `regpath devices`: a table, or JSON with `--json`. No adapter → exit 3 with the fix.
pub fn print_devices(json: bool) -> Result<ExitCode> {
    let adapters = list_adapters();
    if json {
        let v: Vec<serde_json::Value> = adapters
            .iter()
            .map(|a| {
                serde_json::json!({
                    "index": a.index, "name": a.name, "backend": a.backend, "device_type": a.device_type,
                    "driver": a.driver, "driver_info": a.driver_info, "f64": a.f64, "subgroups": a.subgroups,
                    "limits": {
                        "max_storage_buffer_binding_size": a.max_storage_buffer_binding_size,
                        "max_compute_workgroup_storage_size": a.max_compute_workgroup_storage_size,
                        "max_compute_invocations_per_workgroup": a.max_compute_invocations_per_workgroup,
                    }
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for a in &adapters {
            println!(
                "[{}] {} ({}, {}), driver {} {}",
                a.index, a.name, a.backend, a.device_type, a.driver, a.driver_info
            );
            println!(
                "    f64 {}, subgroups {}, max storage binding {} MiB, workgroup storage {} KiB, {} invocations/workgroup",
                if a.f64 { "yes" } else { "no" },
                if a.subgroups { "yes" } else { "no" },
                a.max_storage_buffer_binding_size >> 20,
                a.max_compute_workgroup_storage_size >> 10,
                a.max_compute_invocations_per_workgroup
            );
        }
    }
    if adapters.is_empty() {
        return Err(classify(GpuError::NoAdapter {
            backends: std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "all".into()),
        }));
    }
    Ok(ExitCode::SUCCESS)
}
