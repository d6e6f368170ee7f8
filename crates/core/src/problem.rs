//! The problem: loss × elastic-net penalty × alphas in path order.

use crate::error::DataError;
use crate::loss::Loss;
use crate::penalty::Penalty;

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
