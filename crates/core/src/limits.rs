//! Sizes checked before allocating: a request larger than the machine's memory is an error
//! that says how much it needs, never an abort in the allocator.

use crate::error::DataError;

/// Bytes of memory the OS reports as available (Linux `MemAvailable`), None where unknown.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Err when `count` f64 values (`what`, e.g. "X (n × p = 1000000 × 10000)") overflow or would
/// not fit in the available memory.
pub fn check_f64s(what: &str, count: u128) -> Result<(), DataError> {
    let bytes = count.saturating_mul(8);
    let too_big = |limit: String| {
        DataError::invalid(
            "size",
            what.to_string(),
            format!("needs {:.1} GB, more than {limit}", bytes as f64 / 1e9),
        )
    };
    if bytes > isize::MAX as u128 {
        return Err(too_big("any allocation can hold".into()));
    }
    match available_memory() {
        Some(avail) if bytes > avail as u128 => Err(too_big(format!(
            "the {:.1} GB of memory available",
            avail as f64 / 1e9
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors_and_small_ones_pass() {
        assert!(check_f64s("tiny", 1000).is_ok());
        let e = check_f64s("X (n × p = 100000000 × 100000000)", 10u128.pow(16)).unwrap_err();
        assert!(e.to_string().contains("100000000 × 100000000"), "{e}");
        assert!(check_f64s("overflow", u128::MAX).is_err());
    }
}
