//! Number formatting shared by tables, summaries and reports.

/// Compact scientific notation for tables (`3.2e-9`, `-1.0e-15`, `nan`).
pub fn sci(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.1e}")
    }
}

/// A speedup factor (time of the reference / time of the solver) as words with two significant
/// digits: `1.5× faster`, `12× faster`, `1150× slower` (never `0.00087x`); `same speed` at 1.
pub fn speedup(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return "-".into();
    }
    let (factor, word) = if x >= 1.0 {
        (x, "faster")
    } else {
        (1.0 / x, "slower")
    };
    if factor < 1.05 {
        "same speed".into()
    } else if factor >= 10.0 {
        format!("{factor:.0}× {word}")
    } else {
        format!("{factor:.1}× {word}")
    }
}

/// Three significant digits in scientific notation: `4.033e-1`.
pub fn sci3(v: f64) -> String {
    format!("{v:.3e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speedups_say_faster_or_slower_with_two_significant_digits() {
        assert_eq!(speedup(12.34), "12× faster");
        assert_eq!(speedup(1.5), "1.5× faster");
        assert_eq!(speedup(1.0), "same speed");
        assert_eq!(speedup(0.31), "3.2× slower");
        assert_eq!(speedup(1.0 / 1150.0), "1150× slower");
        assert_eq!(speedup(f64::NAN), "-");
    }

    #[test]
    fn sci_is_compact_and_names_nan() {
        assert_eq!(sci(3.2e-9), "3.2e-9");
        assert_eq!(sci(0.0), "0");
        assert_eq!(sci(f64::NAN), "nan");
    }
}
