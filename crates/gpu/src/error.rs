//! Typed errors of the GPU layer: no usable adapter, missing f64, device failures, bad input.

/// Why a GPU solve could not run. Messages: what went wrong plus a hint.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error(
        "no GPU adapter found (backends tried: {backends}): install a Vulkan driver \
         (on Debian/Ubuntu without a GPU: apt-get install -y mesa-vulkan-drivers libvulkan1)"
    )]
    NoAdapter { backends: String },
    #[error(
        "WGPU_BACKEND={value:?} names no backend wgpu knows: use vulkan, metal, dx12 or gl \
         (comma-separated), or unset it"
    )]
    UnknownBackend { value: String },
    #[error("no GPU adapter matches '{selector}': pass an index or a name substring from `regpath devices`")]
    AdapterNotFound { selector: String },
    #[error("adapter '{adapter}' has no f64 shader support (SHADER_F64): use --precision f32 or another adapter")]
    NoF64 { adapter: String },
    #[error("GPU device error: {0}")]
    Device(String),
    #[error("problem too large for this adapter: {0}")]
    TooLarge(String),
    #[error("invalid input: {0}")]
    Input(String),
    /// Sparse X handed to a solver that uploads dense X (no sparse kernels yet).
    #[error(transparent)]
    SparseX(#[from] regpath_core::SparseUnsupported),
}
