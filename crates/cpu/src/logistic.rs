//! L1/L2 logistic regression paths by proximal Newton with inner coordinate descent
//! (glmnet's approach, Friedman et al. 2010 §3): at (β, b) the loss is replaced by its quadratic
//! model `1/(2n) Σ w_i (u_i − Δz_i)²`, w = p(1 − p), u = (y − p)/w, solved by weighted CD on a
//! working set (strong rules + KKT check); a backtracking step keeps the objective decreasing.
//! Warm-started along the path from a secant predictor (each coefficient moves on as it moved
//! between the last two alphas); stopped on the certified logistic duality gap (regpath-core).

use ndarray::ArrayView1;
use regpath_core::certify::Certificate;
use regpath_core::certify_logistic::{certify_logistic_parts, dual_direction};
use regpath_core::loss::{logistic_loss, optimal_intercept, sigmoid, Loss};
use regpath_core::matrix::{RowWeights, Shifted};
use regpath_core::penalty::Weights;
use regpath_core::{Matrix, Path, Penalty};

use crate::cd::CdParams;
use crate::screening::WorkingSet;

/// Solves the logistic elastic-net path at `alphas` (decreasing), labels y ∈ {0, 1}.
/// X is column-major (centered when an intercept is fitted). Intercepts are returned in the path.
///
/// Per alpha: Newton steps on the working set until the working set's own certificate (the
/// dual point built from its columns only, O(n + its non-zeros)) meets the tolerance, then one
/// pass over all of X adds the KKT violators or certifies the whole problem.
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
    let scale = Loss::Logistic.gap_scale(&y, fit_intercept);
    let mut path = Path::zeros(alphas.to_vec(), p);
    let mut beta = vec![0.0; p];
    let mut b = if fit_intercept {
        optimal_intercept(&y, &vec![0.0; n], 0.0)
    } else {
        0.0
    };
    let mut z = vec![b; n];
    let mut c = vec![0.0; p];
    let mut r = dual_direction(&y, &z, fit_intercept);
    x.correlations(&r, 1.0 / nf, &mut c);
    let mut set = WorkingSet::new(p);
    let mut newton = NewtonState::new(n);
    // the loss at the current point, and the relative gap per unit of relative KKT error
    // (gap / (kkt/λ1)) the last certificate showed: it sets how far CD solves each model
    let mut loss = logistic_loss(&y, &z);
    let mut gap_per_kkt = 1.0f64;
    let (mut last_beta, mut last_b) = (vec![0.0; p], b);
    for (k, &alpha) in alphas.iter().enumerate() {
        let weights = penalty.at(alpha);
        let l1 = weights.l1;
        let prev_alpha = alphas[k.saturating_sub(1)];
        set.start(&beta, &c, l1, penalty.l1(prev_alpha), |_| true);
        if k >= 2 {
            // secant predictor along the path: each non-zero coefficient and the intercept move
            // on as they moved from the alpha before (scaled by the ratio of the log-steps);
            // a coefficient the line would carry through 0 stays put
            // (0 when the last two alphas are equal: no direction to follow; at most 2)
            let ratio =
                ((alpha / prev_alpha).ln() / (prev_alpha / alphas[k - 2]).ln()).clamp(0.0, 2.0);
            let ratio = if ratio.is_nan() { 0.0 } else { ratio };
            let mut delta = vec![0.0; p];
            for &j in &set.ws {
                let pred = beta[j] + ratio * (beta[j] - last_beta[j]);
                if beta[j] != 0.0 && pred * beta[j] > 0.0 {
                    delta[j] = pred - beta[j];
                    beta[j] = pred;
                }
            }
            let db = if fit_intercept {
                ratio * (b - last_b)
            } else {
                0.0
            };
            b += db;
            let dz = x.predict(&delta);
            z.iter_mut().zip(&dz).for_each(|(zi, d)| *zi += d + db);
            loss = logistic_loss(&y, &z);
        }
        // the working set's certificate: β and c restricted to it (β is 0 outside); its
        // correlations are written into c, so the pass over X that follows reads only the rest
        let restricted = |set: &WorkingSet, beta: &[f64], z: &[f64], r: &[f64], c: &mut [f64]| {
            let bw: Vec<f64> = set.ws.iter().map(|&j| beta[j]).collect();
            let mut cw = vec![0.0; set.ws.len()];
            x.correlations_at(&set.ws, r, 1.0 / nf, &mut cw);
            set.ws.iter().zip(&cw).for_each(|(&j, &v)| c[j] = v);
            certify_logistic_parts(&y, z, &bw, r, &cw, fit_intercept, alpha, penalty)
        };
        let mut target = params.tol;
        let mut epochs = 0;
        let mut converged = false;
        // the warm start at this alpha: its objective and KKT error from the last pass over X
        // (c is current), no gap yet, so at least one Newton step runs
        let mut cert = Certificate {
            primal: loss + penalty.value(alpha, &beta),
            dual: f64::NEG_INFINITY,
            gap: f64::INFINITY,
            rel_gap: f64::INFINITY,
            kkt: set.ws.iter().fold(0.0f64, |m, &j| {
                m.max(penalty.kkt_violation(alpha, c[j], beta[j]))
            }),
            nnz: 0,
        };
        let mut first = true;
        loop {
            // Newton steps on the working set until its certificate meets the target
            while (cert.rel_gap > target || cert.kkt > params.kkt_tol) && epochs < params.max_epochs
            {
                // the rescaled dual point's gap is about gap_per_kkt × KKT error / λ1, so the
                // model is solved to the KKT error that meets a third of the target (for λ2, to
                // the √ of the gap's share per coordinate), or, while that is far smaller than
                // the current error, to 1 % of it — to half of it in an alpha's first step, whose
                // model misses the loss by about that much anyway (the step from the last alpha
                // is long: on the text suite the first step leaves ~40 % of the error whatever
                // the inner tolerance)
                let gap_goal = 0.3 * target;
                let inner_tol = (gap_goal * l1 / gap_per_kkt
                    + (0.1 * gap_goal * scale * weights.l2 / set.ws.len().max(1) as f64).sqrt())
                .max(if first { 0.5 } else { 1e-2 } * cert.kkt);
                first = false;
                let model = WeightedModel {
                    x: &x,
                    ws: &set.ws,
                    fit_intercept,
                    weights,
                    nf,
                };
                epochs += newton.step(
                    &model,
                    &y,
                    &mut beta,
                    &mut b,
                    &mut z,
                    cert.primal,
                    inner_tol,
                    params.max_epochs - epochs,
                    |beta, z| logistic_loss(&y, z) + penalty.value(alpha, beta),
                );
                if fit_intercept {
                    // b optimal for β, so the certificate's Σθ = 0 holds (1-D Newton, O(n) a step)
                    let xb: Vec<f64> = z.iter().map(|zi| zi - b).collect();
                    b = optimal_intercept(&y, &xb, b);
                    z.iter_mut().zip(&xb).for_each(|(zi, xi)| *zi = xi + b);
                }
                r = dual_direction(&y, &z, fit_intercept);
                cert = restricted(&set, &beta, &z, &r, &mut c);
                loss = cert.primal - penalty.value(alpha, &beta);
                if l1 > 0.0 && cert.kkt > 0.0 && cert.rel_gap.is_finite() {
                    gap_per_kkt = (cert.rel_gap * l1 / cert.kkt).clamp(1e-6, 1e6);
                }
            }
            // one pass over the rest of X: KKT violators join the set, else certify the whole
            // problem
            let outside: Vec<usize> = (0..p).filter(|&j| !set.members()[j]).collect();
            let mut co = vec![0.0; outside.len()];
            x.correlations_at(&outside, &r, 1.0 / nf, &mut co);
            outside.iter().zip(&co).for_each(|(&j, &v)| c[j] = v);
            if set.add_violators(&c, l1, |_| true) > 0 && epochs < params.max_epochs {
                cert = restricted(&set, &beta, &z, &r, &mut c);
                continue;
            }
            // with λ2 = 0 and no |c_j| outside the set above the largest inside, the whole
            // problem's certificate is the working set's (same dual scaling, no KKT error outside)
            let full =
                if weights.l2 == 0.0 && outside_max(&c, set.members()) <= inside_max(&c, &set.ws) {
                    cert
                } else {
                    certify_logistic_parts(&y, &z, &beta, &r, &c, fit_intercept, alpha, penalty)
                };
            if full.rel_gap <= params.tol && full.kkt <= params.kkt_tol {
                converged = true;
                break;
            }
            if epochs >= params.max_epochs || target < 1e-30 {
                break;
            }
            target = 0.1 * target.min(cert.rel_gap);
        }
        // the solution at the alpha before, for the next alpha's predictor
        last_beta.copy_from_slice(&path.coefs.row(k.saturating_sub(1)).to_vec());
        last_b = path.intercepts[k.saturating_sub(1)];
        path.coefs.row_mut(k).assign(&ArrayView1::from(&beta[..]));
        path.intercepts[k] = b;
        path.iterations[k] = epochs;
        path.converged[k] = converged;
    }
    path
}

/// max |c_j| over the features outside the working set (`member[j]` false).
fn outside_max(c: &[f64], member: &[bool]) -> f64 {
    c.iter()
        .zip(member)
        .filter(|(_, &m)| !m)
        .fold(0.0f64, |m, (v, _)| m.max(v.abs()))
}

/// max |c_j| over the working set's features.
fn inside_max(c: &[f64], ws: &[usize]) -> f64 {
    ws.iter().fold(0.0f64, |m, &j| m.max(c[j].abs()))
}

/// The buffers of a proximal Newton step: weights w = p(1 − p) and working response u.
struct NewtonState {
    w: Vec<f64>,
    u: Vec<f64>,
}

impl NewtonState {
    fn new(n: usize) -> NewtonState {
        NewtonState {
            w: vec![0.0; n],
            u: vec![0.0; n],
        }
    }

    /// One proximal Newton step at (β, b) with scores z and objective `f_old`: the quadratic
    /// model is minimized by CD over the working set until no coordinate moves the model by
    /// `inner_tol` (gradient units, `v·|Δ|`), then a backtracking step along the move keeps the objective
    /// `objective(β, z)` from rising. Returns the epochs run (at most `max_epochs`).
    #[allow(clippy::too_many_arguments)]
    fn step<M: Matrix>(
        &mut self,
        model: &WeightedModel<'_, M>,
        y: &[f64],
        beta: &mut [f64],
        b: &mut f64,
        z: &mut [f64],
        f_old: f64,
        inner_tol: f64,
        max_epochs: usize,
        objective: impl Fn(&[f64], &[f64]) -> f64,
    ) -> usize {
        let n = z.len();
        for i in 0..n {
            let pi = sigmoid(z[i]);
            let pc = pi.clamp(1e-5, 1.0 - 1e-5);
            self.w[i] = pc * (1.0 - pc);
            self.u[i] = (y[i] - pi) / self.w[i];
        }
        let u0 = self.u.clone();
        let old_beta: Vec<f64> = model.ws.iter().map(|&j| beta[j]).collect();
        let old_b = *b;
        let rw = RowWeights::new(&self.w);
        let xwx: Vec<f64> = model
            .ws
            .iter()
            .map(|&j| model.x.col_weighted_sq(j, Some(&rw)) / model.nf)
            .collect();
        let all: Vec<usize> = (0..model.ws.len()).collect();
        let mut active: Vec<usize> = Vec::new();
        let mut us = Shifted::new(std::mem::take(&mut self.u), Some(rw));
        let mut epochs = 0;
        // full passes over the working set, each followed by cycling over its non-zeros
        while epochs < max_epochs {
            let moved = model.epoch(&all, &xwx, beta, b, &mut us);
            epochs += 1;
            if moved < inner_tol {
                break;
            }
            active.clear();
            active.extend(all.iter().copied().filter(|&i| beta[model.ws[i]] != 0.0));
            while epochs < max_epochs {
                let moved = model.epoch(&active, &xwx, beta, b, &mut us);
                epochs += 1;
                if moved < inner_tol {
                    break;
                }
            }
        }
        self.u = us.into_values();
        // Newton direction in z: Δz = u0 − u; backtrack until the objective does not rise
        let new_beta: Vec<f64> = model.ws.iter().map(|&j| beta[j]).collect();
        let new_b = *b;
        let z_old = z.to_vec();
        let mut t = 1.0;
        loop {
            for i in 0..n {
                z[i] = z_old[i] + t * (u0[i] - self.u[i]);
            }
            for (idx, &j) in model.ws.iter().enumerate() {
                beta[j] = old_beta[idx] + t * (new_beta[idx] - old_beta[idx]);
            }
            if objective(beta, z) <= f_old + 1e-15 * f_old.abs() || t < 1e-10 {
                *b = old_b + t * (new_b - old_b);
                break;
            }
            t *= 0.5;
        }
        epochs
    }
}

/// The weighted least-squares model of one Newton step, minimized by CD over the working set.
struct WeightedModel<'a, M> {
    x: &'a M,
    ws: &'a [usize],
    fit_intercept: bool,
    weights: Weights,
    nf: f64,
}

impl<M: Matrix> WeightedModel<'_, M> {
    /// One pass over the working-set entries `set` (then the intercept); u is the working
    /// residual, weighted by the model's w. Returns the largest gradient-scale move `v·|Δ|`
    /// (the coordinate's KKT violation before it moved).
    /// `xwx` holds Σ w_i x_ij² / n per working-set entry.
    fn epoch(
        &self,
        set: &[usize],
        xwx: &[f64],
        beta: &mut [f64],
        b: &mut f64,
        u: &mut Shifted,
    ) -> f64 {
        let mut moved: f64 = 0.0;
        for &idx in set {
            let (j, v) = (self.ws[idx], xwx[idx]);
            if v == 0.0 {
                continue;
            }
            let g = self.x.col_dot_shifted(j, u) / self.nf;
            let new = self.weights.coordinate_min(g + v * beta[j], v);
            let d = new - beta[j];
            if d != 0.0 {
                self.x.col_axpy_shifted(j, -d, u);
                beta[j] = new;
                moved = moved.max(v * d.abs());
            }
        }
        if self.fit_intercept {
            let sum_w = u.weight_total();
            let db = u.weighted_sum() / sum_w;
            u.add_constant(-db);
            *b += db;
            moved = moved.max(sum_w / self.nf * db.abs());
        }
        moved
    }
}
