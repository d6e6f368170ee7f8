//! Every file regpath writes goes through here.

use crate::error::input_error;
use anyhow::{Context, Result};
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Fails early (exit 2) when `path` cannot be created because its directory is missing.
pub fn check_writable(path: &std::path::Path) -> Result<()> {
    if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !d.is_dir() {
            return Err(input_error(format!(
                "cannot write {}: directory {} does not exist",
                path.display(),
                d.display()
            )));
        }
    }
    Ok(())
}
