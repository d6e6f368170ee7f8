//! Ridge for every alpha at once from one thin SVD X = U S Vᵀ (faer):
//! the minimizer of `1/(2n)‖y − Xβ‖² + α/2‖β‖²` is `β(α) = V diag(s_i / (s_i² + nα)) Uᵀy`.

use ndarray::{Array2, ArrayView1, ArrayView2};
use regpath_core::Path;

/// Solves ridge (l1_ratio = 0) at every alpha; `alphas` are on regpath's scale (λ2 = α).
pub fn ridge_path(x: ArrayView2<f64>, y: ArrayView1<f64>, alphas: &[f64]) -> Path {
    let (n, p) = x.dim();
    let m = faer::Mat::<f64>::from_fn(n, p, |i, j| x[[i, j]]);
    let svd = m.thin_svd().expect("SVD of a finite matrix converges");
    let (u, s, v) = (svd.U(), svd.S(), svd.V());
    let r = s.dim();
    let uty: Vec<f64> = (0..r)
        .map(|i| (0..n).map(|row| u[(row, i)] * y[row]).sum())
        .collect();
    let mut path = Path::zeros(alphas.to_vec(), p);
    let nf = n as f64;
    let mut coefs = Array2::<f64>::zeros((alphas.len(), p));
    for (k, &alpha) in alphas.iter().enumerate() {
        let w: Vec<f64> = (0..r)
            .map(|i| {
                let si = s[i];
                si / (si * si + nf * alpha) * uty[i]
            })
            .collect();
        for j in 0..p {
            coefs[[k, j]] = (0..r).map(|i| v[(j, i)] * w[i]).sum();
        }
        path.iterations[k] = 1;
        path.converged[k] = true;
    }
    path.coefs = coefs;
    path
}
