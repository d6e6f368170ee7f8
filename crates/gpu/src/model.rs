//! The device cost model — a model, not a measurement: the seconds a solve's counters would take
//! on a device profile, as the sum of six terms, each a count times a per-unit cost:
//!
//! `readbacks · t_sync + dispatches · t_dispatch + serial_steps · t_step + chain_updates · t_update
//! + bytes / bandwidth + flops / peak`.
//!
//! The dispatches priced are those the profile's device runs: a solve on a driver that bounds
//! loop trips (lavapipe) splits long inner calls into several dispatches, which a profile of a
//! device without the bound (`bounded_loops` false, every GPU) does not pay for. (The reverse is
//! not modelled: a GPU run's counters priced on a bounded-loop profile miss those splits.)
//!
//! The chain term prices what a barrier count misses: the inner CD solves a block of coordinates
//! between two barriers, each coordinate's update (about ten dependent arithmetic operations)
//! waiting on the last one's.
//!
//! A sum, not a per-dispatch roofline maximum: a solver's dispatches form one dependent chain
//! (each reads what the last wrote), so their launch costs and the host round trips add; the two
//! kinds of kernels that dominate rarely share a limit — the GEMMs over X are throughput-bound
//! (bytes or flops) with few steps, the inner CD is step-bound with little traffic — so for each
//! dispatch one of the last three terms dominates and the sum exceeds the roofline maximum by at
//! most the small terms. Profiles come from `profiles/devices.json` or from `regpath devices
//! --calibrate`. Mind what a profile's bandwidth and flops mean: a datasheet's peak (the named
//! GPUs) or what regpath's own streaming read and GEMM reached (calibrated profiles; on the H200
//! 49% and 1.5% of the datasheet), so a datasheet profile prices the same work far cheaper.

use crate::{GpuCounters, Precision};
use serde::{Deserialize, Serialize};

/// One device's per-unit costs, seconds and bytes or flops per second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Short name to select it by (`--model h100`).
    pub name: String,
    /// What device it describes.
    pub device: String,
    /// One submit plus a mapped readback, host to host (s).
    pub t_sync: f64,
    /// One dependent dispatch in a compute pass (s).
    pub t_dispatch: f64,
    /// One barrier-separated step of a workgroup whose next step waits on an L2 read (s).
    pub t_step: f64,
    /// One coordinate update of the inner CD that waits on the last one, in one thread (s); NaN
    /// in a profile written before regpath counted them (refused by [`Profile::check`]).
    #[serde(default = "missing")]
    pub t_update: f64,
    /// Whether the device's driver ends a shader's loops after a bound on trips (lavapipe's
    /// 65,535), so that long inner calls run as several dispatches there.
    #[serde(default)]
    pub bounded_loops: bool,
    /// Sustained memory bandwidth (bytes/s).
    pub bandwidth: f64,
    /// Peak f32 and f64 arithmetic (flop/s; f64 0 where the device has none).
    pub flops_f32: f64,
    pub flops_f64: f64,
    /// Where each value comes from (field name → citation or "measured …").
    #[serde(default)]
    pub sources: std::collections::BTreeMap<String, String>,
}

fn missing() -> f64 {
    f64::NAN
}

/// The modelled seconds of a solve, term by term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Breakdown {
    pub sync: f64,
    pub dispatch: f64,
    pub serial: f64,
    pub chain: f64,
    pub memory: f64,
    pub compute: f64,
}

impl Breakdown {
    pub fn total(&self) -> f64 {
        self.sync + self.dispatch + self.serial + self.chain + self.memory + self.compute
    }

    /// The terms as (name, seconds, share of the total).
    pub fn shares(&self) -> [(&'static str, f64, f64); 6] {
        let t = self.total().max(f64::MIN_POSITIVE);
        [
            ("sync", self.sync),
            ("dispatch", self.dispatch),
            ("serial", self.serial),
            ("chain", self.chain),
            ("memory", self.memory),
            ("compute", self.compute),
        ]
        .map(|(n, s)| (n, s, s / t))
    }
}

impl Profile {
    /// Whether the profile has arithmetic in `precision` (f64: flops_f64 > 0).
    pub fn supports(&self, precision: Precision) -> bool {
        precision == Precision::F32 || self.flops_f64 > 0.0
    }

    /// The modelled seconds of work `c` done in `precision` (its compute term is infinite where
    /// the profile has no such arithmetic: see [`Profile::supports`]).
    pub fn model(&self, c: &GpuCounters, precision: Precision) -> Breakdown {
        let peak = match precision {
            Precision::F32 => self.flops_f32,
            Precision::F64 => self.flops_f64,
        };
        Breakdown {
            sync: c.readbacks as f64 * self.t_sync,
            dispatch: self.dispatches(c) as f64 * self.t_dispatch,
            serial: c.serial_steps as f64 * self.t_step,
            chain: c.chain_updates as f64 * self.t_update,
            memory: c.bytes as f64 / self.bandwidth,
            compute: if c.flops == 0 {
                0.0
            } else {
                c.flops as f64 / peak
            },
        }
    }

    /// The dispatches of work `c` that the profile's device runs (see the module's doc).
    pub fn dispatches(&self, c: &GpuCounters) -> u64 {
        if self.bounded_loops {
            c.dispatches
        } else {
            c.dispatches.saturating_sub(c.split_dispatches)
        }
    }

    /// Err naming the field when a cost is not a positive finite number (f64 peak may be 0).
    pub fn check(&self) -> Result<(), String> {
        let fields = [
            ("t_sync", self.t_sync),
            ("t_dispatch", self.t_dispatch),
            ("t_step", self.t_step),
            ("t_update", self.t_update),
            ("bandwidth", self.bandwidth),
            ("flops_f32", self.flops_f32),
        ];
        if self.t_update.is_nan() {
            return Err(format!(
                "profile {}: no t_update (written before regpath priced chained updates); run `regpath devices --calibrate` again",
                self.name
            ));
        }
        for (name, v) in fields {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!(
                    "profile {}: {name} must be a positive number, got {v}",
                    self.name
                ));
            }
        }
        if !(self.flops_f64.is_finite() && self.flops_f64 >= 0.0) {
            return Err(format!("profile {}: flops_f64 must be ≥ 0", self.name));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ProfileFile {
    profiles: Vec<Profile>,
}

const PROFILES_JSON: &str = include_str!("../../../profiles/devices.json");

/// The committed profiles (`profiles/devices.json`).
pub fn profiles() -> Vec<Profile> {
    parse_profiles(PROFILES_JSON).expect("profiles/devices.json is valid (tested)")
}

/// Profiles from the text of a profile file: `{"profiles": [...]}` or one profile object (what
/// `regpath devices --calibrate --json` writes).
pub fn parse_profiles(text: &str) -> Result<Vec<Profile>, String> {
    let list_file =
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("profiles").is_some());
    let list = if list_file {
        serde_json::from_str::<ProfileFile>(text)
            .map_err(|e| e.to_string())?
            .profiles
    } else {
        vec![serde_json::from_str::<Profile>(text).map_err(|e| e.to_string())?]
    };
    for p in &list {
        p.check()?;
    }
    Ok(list)
}

/// The committed profile named `name` (case-insensitive).
pub fn profile(name: &str) -> Option<Profile> {
    profiles()
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Profile {
        Profile {
            name: "unit".into(),
            device: "hand-computed".into(),
            t_sync: 50e-6,
            t_dispatch: 4e-6,
            t_step: 200e-9,
            t_update: 20e-9,
            bounded_loops: false,
            bandwidth: 2e12,
            flops_f32: 40e12,
            flops_f64: 20e12,
            sources: Default::default(),
        }
    }

    #[test]
    fn the_model_prices_each_counter_by_hand() {
        let c = GpuCounters {
            readbacks: 40,
            dispatches: 1000,
            serial_steps: 1_000_000,
            chain_updates: 500_000,
            bytes: 8_000_000_000,
            flops: 80_000_000_000,
            ..Default::default()
        };
        let b = unit().model(&c, Precision::F32);
        // 40 · 50 µs = 2 ms; 1000 · 4 µs = 4 ms; 1e6 · 200 ns = 0.2 s; 5e5 · 20 ns = 10 ms;
        // 8 GB / 2 TB/s = 4 ms; 80 GFLOP / 40 TFLOP/s = 2 ms
        let want = [2e-3, 4e-3, 0.2, 10e-3, 4e-3, 2e-3];
        let got = [b.sync, b.dispatch, b.serial, b.chain, b.memory, b.compute];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= 1e-12 * w, "{got:?} vs {want:?}");
        }
        assert!((b.total() - 0.222).abs() < 1e-12);
        let f64_compute = unit().model(&c, Precision::F64).compute;
        assert!((f64_compute - 4e-3).abs() < 1e-12);
        let shares: f64 = b.shares().iter().map(|s| s.2).sum();
        assert!((shares - 1.0).abs() < 1e-12);
        // 300 of the dispatches continued loop-bounded calls: a GPU runs 700 (2.8 ms), a
        // bounded-loop device all 1000
        let split = GpuCounters {
            split_dispatches: 300,
            ..c
        };
        assert!((unit().model(&split, Precision::F32).dispatch - 2.8e-3).abs() < 1e-12);
        let bounded = Profile {
            bounded_loops: true,
            ..unit()
        };
        assert!((bounded.model(&split, Precision::F32).dispatch - 4e-3).abs() < 1e-12);
    }

    #[test]
    fn committed_profiles_parse_and_cite_every_value() {
        let all = profiles();
        assert!(all.len() >= 5, "{} profiles", all.len());
        for name in [
            "h100",
            "h200",
            "a100",
            "rtx4090",
            "apple-m2-max",
            "lavapipe-2core",
        ] {
            let p = profile(name).unwrap_or_else(|| panic!("no profile {name}"));
            for field in [
                "t_sync",
                "t_dispatch",
                "t_step",
                "t_update",
                "bandwidth",
                "flops_f32",
                "flops_f64",
            ] {
                assert!(
                    p.sources.get(field).is_some_and(|s| !s.trim().is_empty()),
                    "profile {name}: no source for {field}"
                );
            }
        }
    }

    #[test]
    fn a_profile_file_with_a_bad_cost_is_refused_by_name() {
        let mut p = unit();
        p.t_step = -1.0;
        let text = serde_json::to_string(&p).unwrap();
        let err = parse_profiles(&text).unwrap_err();
        assert!(err.contains("t_step"), "{err}");
        let one = serde_json::to_string(&unit()).unwrap();
        assert_eq!(parse_profiles(&one).unwrap(), vec![unit()]);
        // a profile from before t_update existed is refused by name
        let mut old: serde_json::Value = serde_json::from_str(&one).unwrap();
        old.as_object_mut().unwrap().remove("t_update");
        let err = parse_profiles(&old.to_string()).unwrap_err();
        assert!(err.contains("t_update"), "{err}");
    }
}
