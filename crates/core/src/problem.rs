//! The problem: loss × elastic-net penalty × alphas in path order.

use crate::certify::{certify, Certificate};
use crate::certify_logistic::certify_logistic;
use crate::design::Design;
use crate::error::DataError;
use crate::loss::Loss;
use crate::path::Path;
use crate::penalty::Penalty;
use rayon::prelude::*;

/// A regularization path to solve: one loss, one penalty, alphas in path order (decreasing).
#[derive(Clone, Debug)]
pub struct Problem {
    pub loss: Loss,
    pub penalty: Penalty,
    pub alphas: Vec<f64>,
}

impl Problem {
    /// Checks the alphas with [`check_alphas`].
    pub fn new(loss: Loss, penalty: Penalty, alphas: Vec<f64>) -> Result<Problem, DataError> {
        check_alphas(&alphas)?;
        Ok(Problem {
            loss,
            penalty,
            alphas,
        })
    }

    /// Certifies every alpha of `path` (solved on `design`) with the certifier of this loss, in
    /// f64 and in parallel over alphas: what every solution is judged by.
    pub fn certify(&self, design: &Design, path: &Path) -> Vec<Certificate> {
        let (x, y, penalty) = (design.matrix(), design.y.view(), self.penalty);
        let fit_intercept = design.options.fit_intercept;
        (0..path.alphas.len())
            .into_par_iter()
            .map(|k| {
                let (beta, alpha) = (path.coefs.row(k), path.alphas[k]);
                match self.loss {
                    Loss::Squared => certify(&x, y, beta, alpha, penalty),
                    Loss::Logistic => certify_logistic(
                        &x,
                        y,
                        beta,
                        path.intercepts[k],
                        fit_intercept,
                        alpha,
                        penalty,
                    ),
                }
            })
            .collect()
    }
}

/// Err unless there is at least one alpha and every alpha is finite and > 0: the one check of
/// alphas (the CLI, the solvers' entry points and the plots call it).
pub fn check_alphas(alphas: &[f64]) -> Result<(), DataError> {
    if alphas.is_empty() {
        return Err(DataError::invalid(
            "alphas",
            "[]",
            "at least one alpha is needed",
        ));
    }
    if let Some(a) = alphas.iter().find(|a| !(a.is_finite() && **a > 0.0)) {
        return Err(DataError::invalid(
            "alpha",
            a,
            "every alpha must be finite and > 0",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::alpha_grid;
    #[test]
    fn bad_parameters_are_errors() {
        assert!(Penalty::elastic_net(1.5).is_err());
        assert!(Penalty::elastic_net(-0.1).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![1.0, 0.0]).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![-1.0]).is_err());
        assert!(Problem::new(Loss::Squared, Penalty::LASSO, vec![f64::NAN]).is_err());
        assert!(alpha_grid(1.0, 0, 1e-3).is_err());
        assert!(alpha_grid(1.0, 10, 0.0).is_err());
    }
}
