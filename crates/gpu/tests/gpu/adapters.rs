//! Adapter discovery and selection.

use super::common::context;
use regpath_gpu::{list_adapters, GpuContext, GpuError};

#[test]
fn the_context_adapter_is_listed_and_selectable_by_index_and_name() {
    let Some(ctx) = context() else { return };
    let all = list_adapters();
    let s = ctx.summary();
    assert!(
        all.iter()
            .any(|a| a.name == s.name && a.backend == s.backend),
        "{all:?}"
    );
    assert!(s.max_storage_buffer_binding_size > 0 && s.max_compute_invocations_per_workgroup > 0);
    assert_eq!(ctx.supports_f64(), s.f64);
    let by_index = GpuContext::new(Some(&s.index.to_string())).unwrap();
    assert_eq!(by_index.summary().name, s.name);
    let needle = s.name.to_uppercase();
    let by_name = GpuContext::new(Some(&needle[..needle.len().min(6)])).unwrap();
    assert!(by_name
        .summary()
        .name
        .to_uppercase()
        .contains(&needle[..needle.len().min(6)]));
}

#[test]
fn unknown_adapters_are_a_clear_error() {
    let Some(_) = context() else { return };
    match GpuContext::new(Some("no such adapter 1234")) {
        Err(GpuError::AdapterNotFound { selector }) => assert_eq!(selector, "no such adapter 1234"),
        other => panic!(
            "expected AdapterNotFound, got {:?}",
            other.map(|c| c.summary().clone())
        ),
    }
    assert!(matches!(
        GpuContext::new(Some("999")),
        Err(GpuError::AdapterNotFound { .. })
    ));
    let msg = GpuError::NoAdapter {
        backends: "vulkan".into(),
    }
    .to_string();
    assert!(
        msg.contains("mesa-vulkan-drivers") && msg.contains("Vulkan driver"),
        "{msg}"
    );
}
