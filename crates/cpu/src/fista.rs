//! Batched FISTA (Beck & Teboulle 2009) with gradient-based adaptive restart
//! (O'Donoghue & Candès 2015) over all alphas at once.
//!
//! The coefficient block B is p × K (one column per alpha). Smooth part
//! `1/(2n)‖y − Xβ‖² + λ2/2‖β‖²` with Lipschitz constant `L_k = ‖X‖²/n + λ2_k`; prox of
//! `λ1‖β‖₁` is soft-thresholding at `λ1_k / L_k`. Every `check_every` iterations each alpha's
//! certified gap (regpath-core) is computed and converged alphas leave the batch.

use ndarray::{s, Array1, Array2, ArrayView1, Axis};
use regpath_core::certify::certify_parts;
use regpath_core::linalg::soft_threshold;
use regpath_core::{Matrix, Path, Penalty};

/// Stopping parameters for [`fista_path`].
#[derive(Clone, Copy, Debug)]
pub struct FistaParams {
    /// Duality gap relative to ‖y‖²/n.
    pub tol: f64,
    /// Iterations per alpha.
    pub max_iter: usize,
    /// Iterations between gap checks.
    pub check_every: usize,
}

impl Default for FistaParams {
    fn default() -> Self {
        FistaParams {
            tol: 1e-7,
            max_iter: 100_000,
            check_every: 10,
        }
    }
}

/// ‖X‖₂² (largest eigenvalue of XᵀX) by power iteration, with a 1% safety margin.
pub fn spectral_norm_sq(x: &impl Matrix) -> f64 {
    let p = x.dim().1;
    let mut v = Array1::from_iter((0..p).map(|j| 1.0 + ((j * 7919) % 13) as f64 * 0.01));
    let mut est = 0.0;
    for _ in 0..1000 {
        let norm = v.dot(&v).sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        v /= norm;
        let mut w = Array1::zeros(p);
        let xv = x.predict(v.as_slice().expect("contiguous"));
        x.correlations(&xv, 1.0, w.as_slice_mut().expect("contiguous"));
        let next = v.dot(&w);
        v = w;
        if (next - est).abs() <= 1e-10 * next {
            est = next;
            break;
        }
        est = next;
    }
    est * 1.01
}

/// Solves the elastic-net path at `alphas`, all alphas advancing together.
pub fn fista_path<M: Matrix>(
    x: M,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    params: &FistaParams,
) -> Path {
    let (n, p) = x.dim();
    let nf = n as f64;
    let lip_x = spectral_norm_sq(&x) / nf;
    let y_vec = y.to_vec();
    let mut path = Path::zeros(alphas.to_vec(), p);
    let mut active: Vec<usize> = (0..alphas.len()).collect();
    let mut b = Array2::<f64>::zeros((p, alphas.len()));
    let mut iters = 0;
    let check_every = params.check_every.max(1);
    while !active.is_empty() {
        let k = active.len();
        let l1: Vec<f64> = active.iter().map(|&a| penalty.l1(alphas[a])).collect();
        let l2: Vec<f64> = active.iter().map(|&a| penalty.l2(alphas[a])).collect();
        let step: Vec<f64> = l2.iter().map(|l| 1.0 / (lip_x + l)).collect();
        let mut beta = b.select(Axis(1), &active);
        let mut z = beta.clone();
        let mut t = vec![1.0f64; k];
        for _ in 0..check_every {
            // gradient at z: Xᵀ(Xz − y)/n + λ2 z
            let mut resid = x.times(z.view());
            for mut col in resid.columns_mut() {
                col -= &y;
            }
            let grad = x.t_times(resid.view()) / nf;
            let old = beta.clone();
            for c in 0..k {
                let (zc, gc) = (z.column(c), grad.column(c));
                let thr = l1[c] * step[c];
                for j in 0..p {
                    let g = gc[j] + l2[c] * zc[j];
                    beta[[j, c]] = soft_threshold(zc[j] - step[c] * g, thr);
                }
                // restart when the momentum direction opposes the gradient-mapping step
                let mut dot_restart = 0.0;
                for j in 0..p {
                    dot_restart += (zc[j] - beta[[j, c]]) * (beta[[j, c]] - old[[j, c]]);
                }
                let t_next = if dot_restart > 0.0 {
                    1.0
                } else {
                    0.5 * (1.0 + (1.0 + 4.0 * t[c] * t[c]).sqrt())
                };
                let mom = if dot_restart > 0.0 {
                    0.0
                } else {
                    (t[c] - 1.0) / t_next
                };
                t[c] = t_next;
                let mut zc = z.column_mut(c);
                for j in 0..p {
                    let bj = beta[[j, c]];
                    zc[j] = bj + mom * (bj - old[[j, c]]);
                }
            }
        }
        iters += check_every;
        // certify every active alpha at β
        let mut resid = x.times(beta.view());
        resid.mapv_inplace(|v| -v);
        for mut col in resid.columns_mut() {
            col += &y;
        }
        let corr = x.t_times(resid.view()) / nf;
        let mut still = Vec::with_capacity(k);
        for (c, &a) in active.iter().enumerate() {
            b.column_mut(a).assign(&beta.column(c));
            let bc = beta.column(c).to_vec();
            let cert = certify_parts(
                &y_vec,
                &bc,
                &resid.column(c).to_vec(),
                &corr.column(c).to_vec(),
                alphas[a],
                penalty,
            );
            path.iterations[a] = iters;
            if cert.rel_gap <= params.tol {
                path.converged[a] = true;
            } else if iters < params.max_iter {
                still.push(a);
            }
        }
        active = still;
    }
    path.coefs.assign(&b.t());
    let _ = s![.., ..];
    path
}
