//! A solved regularization path: one coefficient row per alpha, on the design's scale.

use ndarray::Array2;

/// What every solver returns: coefficients (K × p, row k = `alphas[k]`, design scale),
/// intercepts (design scale; 0 for squared loss, whose intercept comes from centering),
/// and per-alpha iteration counts (epochs for CD, iterations for FISTA).
#[derive(Clone, Debug)]
pub struct Path {
    pub alphas: Vec<f64>,
    pub coefs: Array2<f64>,
    pub intercepts: Vec<f64>,
    pub iterations: Vec<usize>,
    /// false where the solver stopped at max_iter or on stalled progress before reaching tol.
    pub converged: Vec<bool>,
}

impl Path {
    pub fn zeros(alphas: Vec<f64>, n_features: usize) -> Path {
        let k = alphas.len();
        Path {
            alphas,
            coefs: Array2::zeros((k, n_features)),
            intercepts: vec![0.0; k],
            iterations: vec![0; k],
            converged: vec![false; k],
        }
    }
}
