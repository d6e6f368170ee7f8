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

/// A speedup factor with two significant digits: `1.5x`, `12x`, `0.031x`.
pub fn speedup(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x >= 10.0 {
        format!("{x:.0}x")
    } else if x >= 1.0 {
        format!("{x:.1}x")
    } else {
        let digits = (-x.log10().floor()) as usize + 1;
        format!("{x:.digits$}x")
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
    fn speedups_keep_two_significant_digits() {
        assert_eq!(speedup(12.34), "12x");
        assert_eq!(speedup(1.0), "1.0x");
        assert_eq!(speedup(0.31), "0.31x");
        assert_eq!(speedup(0.0031), "0.0031x");
    }

    #[test]
    fn sci_is_compact_and_names_nan() {
        assert_eq!(sci(3.2e-9), "3.2e-9");
        assert_eq!(sci(0.0), "0");
        assert_eq!(sci(f64::NAN), "nan");
    }
}
