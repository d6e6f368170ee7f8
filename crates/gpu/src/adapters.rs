//! Adapter discovery: what wgpu sees (honouring WGPU_BACKEND) and choosing one by index or name.

use crate::error::GpuError;

/// One adapter as `regpath devices` shows it: identity, driver, f64/subgroup support, key limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterSummary {
    pub index: usize,
    pub name: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
    pub driver_info: String,
    pub f64: bool,
    pub subgroups: bool,
    pub max_storage_buffer_binding_size: u64,
    pub max_compute_workgroup_storage_size: u32,
    pub max_compute_invocations_per_workgroup: u32,
}

impl AdapterSummary {
    fn new(index: usize, adapter: &wgpu::Adapter) -> AdapterSummary {
        let info = adapter.get_info();
        let features = adapter.features();
        let limits = adapter.limits();
        AdapterSummary {
            index,
            name: info.name,
            backend: format!("{:?}", info.backend).to_lowercase(),
            device_type: format!("{:?}", info.device_type),
            driver: info.driver,
            driver_info: info.driver_info,
            f64: features.contains(wgpu::Features::SHADER_F64),
            subgroups: features.contains(wgpu::Features::SUBGROUP),
            max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size,
            max_compute_workgroup_storage_size: limits.max_compute_workgroup_storage_size,
            max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup,
        }
    }
}

/// A wgpu instance with flags from the environment (WGPU_BACKEND, WGPU_DEBUG, …). Without
/// WGPU_BACKEND: the primary backends (Vulkan, Metal, DX12), and GL only when they find no
/// adapter (initializing GL/EGL on a headless machine prints noise and is never preferred).
pub(crate) fn instance() -> wgpu::Instance {
    let primary = instance_with(backends());
    if wgpu::Backends::from_env().is_some() || !enumerate_on(&primary, backends()).is_empty() {
        return primary;
    }
    instance_with(wgpu::Backends::all())
}

fn instance_with(backends: wgpu::Backends) -> wgpu::Instance {
    let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
    desc.backends = backends;
    wgpu::Instance::new(desc)
}

fn backends() -> wgpu::Backends {
    wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY)
}

/// Every compute-capable adapter wgpu enumerates, in enumeration order (the index `--adapter` takes).
pub fn list_adapters() -> Vec<AdapterSummary> {
    let instance = instance();
    enumerate(&instance)
        .iter()
        .enumerate()
        .map(|(i, a)| AdapterSummary::new(i, a))
        .collect()
}

fn enumerate(instance: &wgpu::Instance) -> Vec<wgpu::Adapter> {
    enumerate_on(instance, wgpu::Backends::all())
}

fn enumerate_on(instance: &wgpu::Instance, backends: wgpu::Backends) -> Vec<wgpu::Adapter> {
    pollster::block_on(instance.enumerate_adapters(backends))
        .into_iter()
        .filter(|a| {
            a.get_downlevel_capabilities()
                .flags
                .contains(wgpu::DownlevelFlags::COMPUTE_SHADERS)
        })
        .collect()
}

/// The adapter `selector` names (an index into [`list_adapters`] or a case-insensitive name
/// substring), or wgpu's high-performance default when `None`.
pub(crate) fn select(
    instance: &wgpu::Instance,
    selector: Option<&str>,
) -> Result<(wgpu::Adapter, AdapterSummary), GpuError> {
    if let (Ok(value), true) = (std::env::var("WGPU_BACKEND"), backends().is_empty()) {
        return Err(GpuError::UnknownBackend { value });
    }
    let adapters = enumerate(instance);
    if adapters.is_empty() {
        let names: Vec<String> = backends()
            .iter_names()
            .map(|(n, _)| n.to_lowercase())
            .collect();
        return Err(GpuError::NoAdapter {
            backends: names.join(", "),
        });
    }
    let index = match selector.map(str::trim) {
        None | Some("") => {
            let preferred =
                pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
                    power_preference: wgpu::PowerPreference::HighPerformance,
                    ..Default::default()
                }))
                .ok()
                .map(|a| a.get_info());
            preferred
                .and_then(|p| adapters.iter().position(|a| a.get_info() == p))
                .unwrap_or(0)
        }
        Some(s) => match s.parse::<usize>() {
            Ok(i) if i < adapters.len() => i,
            Ok(_) => return Err(GpuError::AdapterNotFound { selector: s.into() }),
            Err(_) => {
                let needle = s.to_lowercase();
                adapters
                    .iter()
                    .position(|a| a.get_info().name.to_lowercase().contains(&needle))
                    .ok_or_else(|| GpuError::AdapterNotFound { selector: s.into() })?
            }
        },
    };
    let adapter = adapters.into_iter().nth(index).expect("index checked");
    let summary = AdapterSummary::new(index, &adapter);
    Ok((adapter, summary))
}
