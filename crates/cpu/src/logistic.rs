//! L1/L2 logistic regression paths by proximal Newton with inner coordinate descent
//! (glmnet's approach, Friedman et al. 2010 §3): at (β, b) the loss is replaced by its quadratic
//! model `1/(2n) Σ w_i (u_i − Δz_i)²`, w = p(1 − p), u = (y − p)/w, solved by weighted CD on a
//! working set (strong rules + KKT check); a backtracking step keeps the objective decreasing.
//! Warm-started along the path; stopped on the certified logistic duality gap (regpath-core).

use ndarray::ArrayView1;
use regpath_core::certify_logistic::{certify_logistic_parts, dual_direction};
use regpath_core::loss::{logistic_loss, optimal_intercept, sigmoid};
use regpath_core::matrix::{RowWeights, Shifted};
use regpath_core::penalty::Weights;
use regpath_core::{Matrix, Path, Penalty};

use crate::cd::CdParams;
use crate::screening::WorkingSet;

/// Solves the logistic elastic-net path at `alphas` (decreasing), labels y ∈ {0, 1}.
/// X is column-major (centered when an intercept is fitted). Intercepts are returned in the path.
pub fn logistic_path<M: Matrix>(
    x: M,
    y: ArrayView1<f64>,
    alphas: &[f64],
    penalty: Penalty,
    fit_intercept: bool,
    params: &CdParams,
) -> Path {
    let (n, p) = x.dim();
    let y = y.to_vec();
    let nf = n as f64;
    let mut path = Path::zeros(alphas.to_vec(), p);
    let mut beta = vec![0.0; p];
    let mut b = if fit_intercept {
        optimal_intercept(&y, &vec![0.0; n], 0.0)
    } else {
        0.0
    };
    let mut z = vec![b; n];
    let mut c = vec![0.0; p];
    // r = the dual direction at z, c = Xᵀr/n: one pass over X, shared by KKT check and certificate
    let gradient = |z: &[f64], c: &mut [f64]| -> Vec<f64> {
        let r = dual_direction(&y, z, fit_intercept);
        x.correlations(&r, 1.0 / nf, c);
        r
    };
    gradient(&z, &mut c);
    let mut set = WorkingSet::new(p);
    let (mut w, mut u) = (vec![0.0; n], vec![0.0; n]);
    for (k, &alpha) in alphas.iter().enumerate() {
        let weights = penalty.at(alpha);
        let l1 = weights.l1;
        let prev_alpha = alphas[k.saturating_sub(1)];
        set.start(&beta, &c, l1, penalty.l1(prev_alpha), |_| true);
        let objective = |beta: &[f64], z: &[f64]| logistic_loss(&y, z) + penalty.value(alpha, beta);
        let mut inner_tol = 1e-4;
        let mut epochs = 0;
        let mut converged = false;
        loop {
            // quadratic model at the current point
            for i in 0..n {
                let pi = sigmoid(z[i]).clamp(1e-5, 1.0 - 1e-5);
                w[i] = pi * (1.0 - pi);
                u[i] = (y[i] - sigmoid(z[i])) / w[i];
            }
            let u0 = u.clone();
            let old_beta = beta.clone();
            let old_b = b;
            let rw = RowWeights::new(&w);
            let xwx: Vec<f64> = set
                .ws
                .iter()
                .map(|&j| x.col_weighted_sq(j, Some(&rw)) / nf)
                .collect();
            let all: Vec<usize> = (0..set.ws.len()).collect();
            let mut active: Vec<usize> = Vec::new();
            let model = WeightedModel {
                x: &x,
                ws: &set.ws,
                xwx: &xwx,
                sum_w: rw.sum,
                fit_intercept,
                weights,
                nf,
            };
            let mut us = Shifted::new(std::mem::take(&mut u), Some(rw));
            // full passes over the working set, each followed by cycling over its non-zeros
            while epochs < params.max_epochs {
                let moved = model.epoch(&all, &mut beta, &mut b, &mut us);
                epochs += 1;
                if moved < inner_tol {
                    break;
                }
                active.clear();
                active.extend(all.iter().copied().filter(|&i| beta[set.ws[i]] != 0.0));
                while epochs < params.max_epochs {
                    let moved = model.epoch(&active, &mut beta, &mut b, &mut us);
                    epochs += 1;
                    if moved < inner_tol {
                        break;
                    }
                }
            }
            u = us.into_values();
            // Newton direction in z: Δz = u0 − u; backtrack until the objective decreases
            let dz: Vec<f64> = u0.iter().zip(&u).map(|(a, b)| a - b).collect();
            let f_old = objective(&old_beta, &z);
            let mut t = 1.0;
            let z_old = z.clone();
            loop {
                for i in 0..n {
                    z[i] = z_old[i] + t * dz[i];
                }
                let trial: Vec<f64> = old_beta
                    .iter()
                    .zip(&beta)
                    .map(|(o, nw)| o + t * (nw - o))
                    .collect();
                if objective(&trial, &z) <= f_old + 1e-15 * f_old.abs() || t < 1e-10 {
                    beta.copy_from_slice(&trial);
                    b = old_b + t * (b - old_b);
                    break;
                }
                t *= 0.5;
            }
            if fit_intercept {
                // b optimal for β, so the certificate's Σθ = 0 holds (1-D Newton, O(n) a step)
                let xb: Vec<f64> = z.iter().map(|zi| zi - b).collect();
                b = optimal_intercept(&y, &xb, b);
                z.iter_mut().zip(&xb).for_each(|(zi, xi)| *zi = xi + b);
            }
            let r = gradient(&z, &mut c);
            if set.add_violators(&c, l1, |_| true) > 0 && epochs < params.max_epochs {
                continue;
            }
            let cert = certify_logistic_parts(&y, &z, &beta, &r, &c, fit_intercept, alpha, penalty);
            if cert.rel_gap <= params.tol && cert.kkt <= params.kkt_tol {
                converged = true;
                break;
            }
            if epochs >= params.max_epochs || inner_tol < 1e-30 {
                break;
            }
            inner_tol *= 0.1;
        }
        path.coefs.row_mut(k).assign(&ArrayView1::from(&beta[..]));
        path.intercepts[k] = b;
        path.iterations[k] = epochs;
        path.converged[k] = converged;
    }
    path
}

/// The weighted least-squares model of one Newton step, minimized by CD over the working set.
struct WeightedModel<'a, M> {
    x: &'a M,
    ws: &'a [usize],
    /// Σ w_i x_ij² / n per working-set entry.
    xwx: &'a [f64],
    sum_w: f64,
    fit_intercept: bool,
    weights: Weights,
    nf: f64,
}

impl<M: Matrix> WeightedModel<'_, M> {
    /// One pass over the working-set entries `set` (then the intercept); u is the working
    /// residual, weighted by the model's w. Returns the largest objective-scale move `v Δ²`.
    fn epoch(&self, set: &[usize], beta: &mut [f64], b: &mut f64, u: &mut Shifted) -> f64 {
        let mut moved: f64 = 0.0;
        for &idx in set {
            let (j, v) = (self.ws[idx], self.xwx[idx]);
            if v == 0.0 {
                continue;
            }
            let g = self.x.col_dot_shifted(j, u) / self.nf;
            let new = self.weights.coordinate_min(g + v * beta[j], v);
            let d = new - beta[j];
            if d != 0.0 {
                self.x.col_axpy_shifted(j, -d, u);
                beta[j] = new;
                moved = moved.max(v * d * d);
            }
        }
        if self.fit_intercept {
            let db = u.weighted_sum() / self.sum_w;
            u.add_constant(-db);
            *b += db;
            moved = moved.max(self.sum_w / self.nf * db * db);
        }
        moved
    }
}
