//! Agreement of a solved path with a reference path, from their f64 certificates, and the
//! thresholds a solution must meet per precision (shared by `check`, `bench` and `compare`).

use crate::engine::PathRun;
use crate::fmt::sci;
use crate::results::Agreement;
use ndarray::ArrayView1;

/// A coefficient is in the support when |β_j| > SUPPORT_REL · max_{k,j} |β_ref,k,j|: relative to
/// the largest coefficient of the whole reference path (the same cut for both solutions), so it is
/// scale-free, exact zeros never count, and round-off residue (e.g. 1e-17 where the reference is 0
/// near alpha_max) does not either.
pub const SUPPORT_REL: f64 = 1e-6;

/// A reference whose worst certified gap exceeds this did not converge; its comparisons mean little.
pub const REFERENCE_MAX_GAP: f64 = 1e-10;

/// Agreement plus the coefficient distance, which `check` reports but does not gate on.
#[derive(Clone, Copy, Debug)]
pub struct Measured {
    pub agreement: Agreement,
    /// max_k ‖β_k − β_ref,k‖∞ / max_k ‖β_ref,k‖∞ (design scale).
    pub max_coef_diff: f64,
}

/// Compares every alpha of `run` with the same alpha of `reference` (same design, same alphas).
pub fn measure(run: &PathRun, reference: &PathRun) -> Measured {
    assert_eq!(
        run.certificates.len(),
        reference.certificates.len(),
        "paths of different lengths"
    );
    measure_prefix(run, reference)
}

/// [`measure`] over the alphas the two paths share: paths along prefixes of one grid (e.g. the
/// refits of two cross-validations down to different alpha_min) are compared on the shorter one.
/// The support cut comes from the whole reference path.
pub fn measure_prefix(run: &PathRun, reference: &PathRun) -> Measured {
    let k = reference.certificates.len().min(run.certificates.len());
    let ref_k = reference.certificates.len();
    let mut max_rel_subopt = f64::NEG_INFINITY;
    let mut max_gap: f64 = 0.0;
    let mut min_jaccard: f64 = 1.0;
    let mut max_diff: f64 = 0.0;
    let ref_scale = (0..ref_k)
        .map(|i| max_abs(reference.path.coefs.row(i)))
        .fold(0.0, f64::max);
    let cut = SUPPORT_REL * ref_scale;
    for i in 0..k {
        let (c, r) = (&run.certificates[i], &reference.certificates[i]);
        let subopt = if r.primal > 0.0 {
            (c.primal - r.primal) / r.primal
        } else {
            c.primal - r.primal
        };
        max_rel_subopt = max_rel_subopt.max(nan_to_inf(subopt));
        max_gap = max_gap.max(nan_to_inf(c.rel_gap));
        let (b, br) = (run.path.coefs.row(i), reference.path.coefs.row(i));
        min_jaccard = min_jaccard.min(jaccard(b, br, cut));
        for (x, y) in b.iter().zip(br.iter()) {
            max_diff = max_diff.max(nan_to_inf((x - y).abs()));
        }
    }
    Measured {
        agreement: Agreement {
            max_rel_subopt,
            max_gap,
            min_support_jaccard: min_jaccard,
        },
        max_coef_diff: if ref_scale > 0.0 {
            max_diff / ref_scale
        } else {
            max_diff
        },
    }
}

impl Measured {
    /// The worse of two measurements, field by field (e.g. over the paths of a cross-validation).
    pub fn worst(self, other: Measured) -> Measured {
        let (a, b) = (self.agreement, other.agreement);
        Measured {
            agreement: Agreement {
                max_rel_subopt: worse_max(a.max_rel_subopt, b.max_rel_subopt),
                max_gap: worse_max(a.max_gap, b.max_gap),
                min_support_jaccard: if a.min_support_jaccard.is_nan()
                    || b.min_support_jaccard.is_nan()
                {
                    f64::NAN
                } else {
                    a.min_support_jaccard.min(b.min_support_jaccard)
                },
            },
            max_coef_diff: worse_max(self.max_coef_diff, other.max_coef_diff),
        }
    }
}

/// max(a, b), NaN when either is NaN (not measured stays not measured).
fn worse_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

fn nan_to_inf(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

fn max_abs(b: ArrayView1<f64>) -> f64 {
    b.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Indices with |β_j| > cut.
pub fn support(b: ArrayView1<f64>, cut: f64) -> Vec<usize> {
    b.iter()
        .enumerate()
        .filter(|(_, v)| v.abs() > cut)
        .map(|(j, _)| j)
        .collect()
}

/// |S ∩ S'| / |S ∪ S'| of the two supports {j : |β_j| > cut} (1 when both are empty).
pub fn jaccard(a: ArrayView1<f64>, b: ArrayView1<f64>, cut: f64) -> f64 {
    let (sa, sb) = (support(a, cut), support(b, cut));
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < sa.len() && j < sb.len() {
        match sa[i].cmp(&sb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = sa.len() + sb.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

/// What a solution at the default tolerance of its precision (f64: tol 1e-7, f32: tol 1e-5) must
/// reach; NaN (not measured) always fails.
///
/// - certified relative gap ≤ 10·tol: the solver's stopping rule, checked in f64 (f32 solvers
///   stop on a device-side gap in f32, hence the slack);
/// - relative suboptimality ≤ 1000·tol: tol is relative to ‖y‖²/n while this is relative to the
///   reference primal, which falls to ~1e-3·‖y‖²/n at the small end of an eps = 1e-3 grid on
///   p ≫ n data, so a solver that met its tol can legitimately sit this far above the optimum;
///   the gate catches wrong problems and broken certificates, the gap gate catches inaccuracy;
/// - support Jaccard ≥ 0.9 (f64) / 0.5 (f32): coefficients are accurate to about √tol relative
///   (KKT ~ √gap), so features entering with tiny coefficients may be missed; 0.5 allows one
///   differing feature while two are active.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Thresholds {
    pub max_rel_subopt: f64,
    pub max_gap: f64,
    pub min_support_jaccard: f64,
}

pub fn thresholds(precision: &str) -> Thresholds {
    if precision == "f32" {
        Thresholds {
            max_rel_subopt: 1e-2,
            max_gap: 1e-4,
            min_support_jaccard: 0.5,
        }
    } else {
        Thresholds {
            max_rel_subopt: 1e-4,
            max_gap: 1e-6,
            min_support_jaccard: 0.9,
        }
    }
}

impl Thresholds {
    /// One line for table headers.
    pub fn describe(&self) -> String {
        format!(
            "rel subopt <= {:.0e}, certified rel gap <= {:.0e}, support jaccard >= {} (l1_ratio > 0)",
            self.max_rel_subopt, self.max_gap, self.min_support_jaccard
        )
    }

    /// The violated thresholds, empty when `a` passes. The support is gated only for penalties
    /// with an L1 part (`l1_ratio > 0`): ridge solutions are dense, and which of their tiny
    /// coefficients are still exactly 0 reflects the stopping tolerance, not a disagreement.
    pub fn failures(&self, a: &Agreement, l1_ratio: f64) -> Vec<String> {
        let mut out = Vec::new();
        if !at_most(a.max_rel_subopt, self.max_rel_subopt) {
            out.push(format!(
                "rel subopt {} > {:.0e}",
                sci(a.max_rel_subopt),
                self.max_rel_subopt
            ));
        }
        if !at_most(a.max_gap, self.max_gap) {
            out.push(format!("gap {} > {:.0e}", sci(a.max_gap), self.max_gap));
        }
        if l1_ratio > 0.0 && !at_most(self.min_support_jaccard, a.min_support_jaccard) {
            out.push(format!(
                "jaccard {:.3} < {}",
                a.min_support_jaccard, self.min_support_jaccard
            ));
        }
        out
    }
}

/// `v <= limit`, false when either is NaN (a value that was not measured never passes).
pub fn at_most(v: f64, limit: f64) -> bool {
    matches!(
        v.partial_cmp(&limit),
        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr1;

    #[test]
    fn support_ignores_roundoff_below_the_cut() {
        let b = arr1(&[1.0, 1e-9, 0.0, -2e-6, -3.0]);
        assert_eq!(support(b.view(), 3e-6), vec![0, 4]);
        assert_eq!(support(arr1(&[0.0, 0.0]).view(), 0.0), Vec::<usize>::new());
    }

    #[test]
    fn jaccard_of_supports() {
        let a = arr1(&[1.0, 1.0, 0.0, 0.0]);
        let b = arr1(&[1.0, 0.0, 1.0, 0.0]);
        assert!((jaccard(a.view(), b.view(), 1e-6) - 1.0 / 3.0).abs() < 1e-15);
        let z = arr1(&[0.0, 0.0, 0.0, 0.0]);
        assert_eq!(jaccard(z.view(), z.view(), 1e-6), 1.0);
        assert_eq!(jaccard(a.view(), z.view(), 1e-6), 0.0);
    }

    #[test]
    fn nan_fails_every_threshold() {
        let a = Agreement {
            max_rel_subopt: f64::NAN,
            max_gap: f64::NAN,
            min_support_jaccard: f64::NAN,
        };
        assert_eq!(thresholds("f64").failures(&a, 1.0).len(), 3);
        // Ridge: the support is reported, not gated.
        assert_eq!(thresholds("f64").failures(&a, 0.0).len(), 2);
    }
}
