//! `regpath devices`: the adapters wgpu sees, or `--calibrate`: the device model's per-unit costs
//! measured on one of them.

use crate::cli::DevicesArgs;
use crate::engine::classify_gpu_error;
use crate::output::{check_outputs, write_output};
use anyhow::Result;
use regpath_gpu::{list_adapters, GpuContext, GpuError};
use std::process::ExitCode;

/// `regpath devices`: a table, or JSON with `--json`. No adapter → exit 3 with the fix.
pub fn run(args: &DevicesArgs) -> Result<ExitCode> {
    if args.calibrate {
        return calibrate(args);
    }
    let adapters = list_adapters();
    if args.json {
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

/// The adapter's name as a profile name: "NVIDIA H200" → "nvidia-h200".
fn slug(name: &str) -> String {
    let base = name.split('(').next().unwrap_or(name).to_lowercase();
    let words: Vec<&str> = base
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "adapter".into()
    } else {
        words.join("-")
    }
}

/// `devices --calibrate`: measure, print (a table, or the profile as JSON), optionally write it.
fn calibrate(args: &DevicesArgs) -> Result<ExitCode> {
    if let Some(out) = &args.out {
        check_outputs([out.as_path()])?;
    }
    let ctx = GpuContext::new(args.adapter.as_deref()).map_err(classify_gpu_error)?;
    let name = slug(&ctx.summary().name);
    if !args.json {
        eprintln!("calibrating the device model on {} …", ctx.summary().name);
    }
    let p = regpath_gpu::calibrate(&ctx, &name).map_err(classify_gpu_error)?;
    p.check()
        .map_err(|e| anyhow::anyhow!("the calibration gave an unusable profile: {e}"))?;
    let text = serde_json::to_string_pretty(&p)? + "\n";
    let to_stdout = args.out.as_deref() == Some(std::path::Path::new("-"));
    if args.json || to_stdout {
        print!("{text}");
    } else {
        println!("device model profile {} — {}", p.name, p.device);
        println!(
            "  t_sync      {:>10.1} µs   submit + readback round trip",
            p.t_sync * 1e6
        );
        println!(
            "  t_dispatch  {:>10.2} µs   per dependent dispatch",
            p.t_dispatch * 1e6
        );
        println!(
            "  t_step      {:>10.1} ns   per barrier-separated dependent step",
            p.t_step * 1e9
        );
        println!(
            "  bandwidth   {:>10.1} GB/s streaming read",
            p.bandwidth / 1e9
        );
        println!(
            "  GEMM f32    {:>10.1} GFLOP/s (regpath's XᵀR kernel)",
            p.flops_f32 / 1e9
        );
        if p.flops_f64 > 0.0 {
            println!("  GEMM f64    {:>10.1} GFLOP/s", p.flops_f64 / 1e9);
        } else {
            println!("  GEMM f64          none (no f64 shaders)");
        }
    }
    if let Some(out) = args.out.as_ref().filter(|_| !to_stdout) {
        write_output(out, text.as_bytes())?;
        if !args.json {
            println!(
                "wrote {} (use it with --model {})",
                out.display(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn adapter_names_become_profile_names() {
        assert_eq!(slug("NVIDIA H200"), "nvidia-h200");
        assert_eq!(slug("llvmpipe (LLVM 15.0.6, 256 bits)"), "llvmpipe");
        assert_eq!(slug("Apple M2 Max"), "apple-m2-max");
        assert_eq!(slug("(  )"), "adapter");
    }
}
