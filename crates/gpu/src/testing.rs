//! Test support: one shared context per test binary; fails instead of skipping when
//! REGPATH_REQUIRE_GPU=1 and no adapter opens. The unit tests reach it as `crate::testing`, the
//! integration tests include this file in their `common` module (which names `GpuContext`).

use super::GpuContext;
use std::sync::OnceLock;

/// The shared context, or None (after saying why) when no adapter is present and none is required.
pub(crate) fn context() -> Option<&'static GpuContext> {
    static CTX: OnceLock<Result<GpuContext, String>> = OnceLock::new();
    match CTX.get_or_init(|| GpuContext::new(None).map_err(|e| e.to_string())) {
        Ok(ctx) => Some(ctx),
        Err(e) if std::env::var("REGPATH_REQUIRE_GPU").as_deref() == Ok("1") => {
            panic!("REGPATH_REQUIRE_GPU=1 but {e}")
        }
        Err(e) => {
            eprintln!("skipping GPU test: {e}");
            None
        }
    }
}
