//! `--model`: which device profile prices a GPU solve's counters, and the one line that says
//! what the model gives (a model, not a measurement).

use crate::error::input_error;
use crate::solver::{Counters, Precision};
use anyhow::Result;
use regpath_gpu::model::{self, Profile};
use std::path::Path;

/// The profile `spec` names: one of profiles/devices.json (case-insensitive), or a profile file
/// (`regpath devices --calibrate --json` output, or a file of several: its first profile).
pub fn resolve(spec: &str) -> Result<Profile> {
    if let Some(p) = model::profile(spec) {
        return Ok(p);
    }
    let path = Path::new(spec);
    if !path.is_file() {
        let names: Vec<String> = model::profiles().into_iter().map(|p| p.name).collect();
        return Err(input_error(format!(
            "--model {spec}: no such profile or file; profiles: {} (or a file from `regpath devices --calibrate --json`)",
            names.join(", ")
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("--model {}: {e}", path.display())))?;
    let list = model::parse_profiles(&text)
        .map_err(|e| input_error(format!("--model {}: {e}", path.display())))?;
    list.into_iter().next().ok_or_else(|| {
        input_error(format!(
            "--model {}: no profile in the file",
            path.display()
        ))
    })
}

/// What the model gives for a solve's counters, as `--json` summaries write it.
#[derive(serde::Serialize)]
pub struct Modelled {
    pub profile: String,
    /// Modelled seconds; None when the profile has no arithmetic in the solve's precision.
    pub seconds: Option<f64>,
    /// Each term's modelled seconds: sync, dispatch, serial, chain, memory, compute.
    pub terms: std::collections::BTreeMap<&'static str, f64>,
}

/// The model's figures for `counters` on `profile` (see [`describe`] for the line of text).
pub fn modelled(profile: &Profile, counters: &Counters, precision: Precision) -> Modelled {
    if !profile.supports(precision.device()) {
        return Modelled {
            profile: profile.name.clone(),
            seconds: None,
            terms: Default::default(),
        };
    }
    let b = profile.model(&counters.device(), precision.device());
    Modelled {
        profile: profile.name.clone(),
        seconds: Some(b.total()),
        terms: b.shares().iter().map(|(name, s, _)| (*name, *s)).collect(),
    }
}

/// "model h100: 12.3 ms (sync 10%, dispatch 2%, serial 60%, chain 20%, memory 7%, compute 1%)", or why the
/// profile cannot price the solve.
pub fn describe(profile: &Profile, counters: &Counters, precision: Precision) -> String {
    if !profile.supports(precision.device()) {
        return format!(
            "model {}: none (the profile has no {} arithmetic)",
            profile.name,
            precision.name()
        );
    }
    let b = profile.model(&counters.device(), precision.device());
    let shares: Vec<String> = b
        .shares()
        .iter()
        .map(|(name, _, share)| format!("{name} {:.0}%", 100.0 * share))
        .collect();
    let device = counters.device();
    let skipped = device.dispatches - profile.dispatches(&device);
    let note = if skipped > 0 {
        format!("; {skipped} dispatches continuing loop-bounded calls not priced")
    } else {
        String::new()
    };
    format!(
        "model {}: {} ({}{note})",
        profile.name,
        seconds(b.total()),
        shares.join(", ")
    )
}

/// Seconds with a unit that keeps 3 significant digits readable.
fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_and_unknown_ones_list_the_choices() {
        assert_eq!(resolve("H100").unwrap().name, "h100");
        let err = resolve("no-such-gpu").unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2);
        assert!(format!("{err:#}").contains("h100"), "{err:#}");
    }

    #[test]
    fn the_line_names_the_profile_and_its_shares() {
        let c = Counters {
            readbacks: 10,
            serial_steps: 1000,
            ..Default::default()
        };
        let p = resolve("h100").unwrap();
        let line = describe(&p, &c, Precision::F32);
        let want = 10.0 * p.t_sync + 1000.0 * p.t_step;
        assert!(line.starts_with("model h100: "), "{line}");
        assert!(line.contains(&seconds(want)), "{line} vs {want}");
        assert!(
            line.contains("dispatch 0%") && line.contains("compute 0%"),
            "{line}"
        );
        let apple = resolve("apple-m2-max").unwrap();
        let none = describe(&apple, &c, Precision::F64);
        assert!(none.contains("no f64"), "{none}");
    }
}
