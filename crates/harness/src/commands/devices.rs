//! `regpath devices`: the adapters wgpu sees.

use crate::engine::classify_gpu_error;
use anyhow::Result;
use regpath_gpu::{list_adapters, GpuError};
use std::process::ExitCode;

/// `regpath devices`: a table, or JSON with `--json`. No adapter → exit 3 with the fix.
pub fn run(json: bool) -> Result<ExitCode> {
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
        return Err(classify_gpu_error(GpuError::NoAdapter {
            backends: std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "all".into()),
        }));
    }
    Ok(ExitCode::SUCCESS)
}
