//! Synthetic data generators. Same arguments and seed → the same data.

use crate::data::Dataset;
use crate::error::DataError;
use ndarray::{Array1, Array2, ShapeBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

/// The synthetic data kinds, each with its default number of informative features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthKind {
    /// [`regression`]: 10 informative features by default.
    Regression,
    /// [`gene`]: 20 informative features by default.
    Gene,
    /// [`classification`]: 20 informative features by default.
    Classification,
}

impl SynthKind {
    pub fn name(self) -> &'static str {
        match self {
            SynthKind::Regression => "regression",
            SynthKind::Gene => "gene",
            SynthKind::Classification => "classification",
        }
    }

    /// Non-zero true coefficients unless the user says otherwise (capped at p by callers).
    pub fn default_informative(self) -> usize {
        match self {
            SynthKind::Regression => 10,
            SynthKind::Gene | SynthKind::Classification => 20,
        }
    }
}

fn check(n: usize, p: usize, informative: usize) -> Result<(), DataError> {
    if n == 0 {
        return Err(DataError::invalid("n", 0, "need at least one sample"));
    }
    if p == 0 {
        return Err(DataError::invalid("p", 0, "need at least one feature"));
    }
    crate::limits::check_f64s(&format!("X (n × p = {n} × {p})"), n as u128 * p as u128)?;
    if informative > p {
        return Err(DataError::invalid(
            "informative",
            informative,
            format!("cannot exceed p = {p}"),
        ));
    }
    Ok(())
}

/// The checked sizes' generator at `seed` and, drawn from it first, an n × p N(0, 1) matrix.
fn gaussian_start(
    n: usize,
    p: usize,
    informative: usize,
    seed: u64,
) -> Result<(StdRng, Array2<f64>), DataError> {
    check(n, p, informative)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let x = gaussian_matrix(&mut rng, n, p);
    Ok((rng, x))
}

fn gaussian_matrix(rng: &mut StdRng, n: usize, p: usize) -> Array2<f64> {
    let v: Vec<f64> = (0..n * p).map(|_| StandardNormal.sample(rng)).collect();
    Array2::from_shape_vec((n, p).f(), v).expect("shape")
}

fn finish(x: Array2<f64>, y: Array1<f64>, coef: Array1<f64>) -> Result<Dataset, DataError> {
    let mut d = Dataset::new(x, y)?;
    d.true_coef = Some(coef);
    Ok(d)
}

/// Like scikit-learn's make_regression (shuffle=False): X ~ N(0, 1); the first `informative`
/// coefficients are 100·U(0, 1), the rest 0; y = Xw + noise·N(0, 1).
pub fn regression(
    n: usize,
    p: usize,
    informative: usize,
    noise: f64,
    seed: u64,
) -> Result<Dataset, DataError> {
    let (mut rng, x) = gaussian_start(n, p, informative, seed)?;
    let coef = Array1::from_iter((0..p).map(|j| {
        if j < informative {
            100.0 * rng.random::<f64>()
        } else {
            0.0
        }
    }));
    let mut y = x.dot(&coef);
    for v in y.iter_mut() {
        let e: f64 = StandardNormal.sample(&mut rng);
        *v += noise * e;
    }
    finish(x, y, coef)
}

/// Gene-expression stand-in: AR(1) columns with corr(x_i, x_j) = rho^|i−j| (unit variance),
/// `informative` non-zero coefficients ±U(1, 2) at evenly spread positions, Gaussian noise at
/// signal-to-noise ratio 3 (‖Xw‖ / ‖ε‖ = 3 in expectation).
pub fn gene(
    n: usize,
    p: usize,
    rho: f64,
    informative: usize,
    seed: u64,
) -> Result<Dataset, DataError> {
    check(n, p, informative)?;
    if !(0.0..1.0).contains(&rho) {
        return Err(DataError::invalid(
            "rho",
            rho,
            "the AR(1) correlation must be in [0, 1)",
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut v = vec![0.0f64; n * p];
    let innov = (1.0 - rho * rho).sqrt();
    for i in 0..n {
        let mut prev: f64 = StandardNormal.sample(&mut rng);
        v[i] = prev;
        for j in 1..p {
            let z: f64 = StandardNormal.sample(&mut rng);
            prev = rho * prev + innov * z;
            v[j * n + i] = prev;
        }
    }
    let x = Array2::from_shape_vec((n, p).f(), v).expect("shape");
    let mut coef = Array1::<f64>::zeros(p);
    for k in 0..informative {
        let j = (k * p) / informative.max(1);
        let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
        coef[j] = sign * (1.0 + rng.random::<f64>());
    }
    let signal = x.dot(&coef);
    let sigma = (signal.dot(&signal) / n as f64).sqrt() / 3.0;
    let y = Array1::from_iter(signal.iter().map(|s| {
        let e: f64 = StandardNormal.sample(&mut rng);
        s + sigma * e
    }));
    finish(x, y, coef)
}

/// Binary classification: X ~ N(0, 1), `informative` coefficients ±U(1, 2) rescaled to ‖w‖ = 3,
/// labels y ∈ {0, 1} drawn from P(y = 1) = σ(xᵀw).
pub fn classification(
    n: usize,
    p: usize,
    informative: usize,
    seed: u64,
) -> Result<Dataset, DataError> {
    let (mut rng, x) = gaussian_start(n, p, informative, seed)?;
    let mut coef = Array1::<f64>::zeros(p);
    for j in 0..informative {
        let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
        coef[j] = sign * (1.0 + rng.random::<f64>());
    }
    let norm = coef.dot(&coef).sqrt();
    if norm > 0.0 {
        coef.mapv_inplace(|w| 3.0 * w / norm);
    }
    let z = x.dot(&coef);
    let mut y = Array1::from_iter(z.iter().map(|&zi| {
        let prob = 1.0 / (1.0 + (-zi).exp());
        if rng.random::<f64>() < prob {
            1.0
        } else {
            0.0
        }
    }));
    // both classes must be present for a logistic fit
    if y.iter().all(|&v| v == y[0]) && n > 1 {
        y[0] = 1.0 - y[0];
    }
    finish(x, y, coef)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_different_seed_different_data() {
        let a = gene(20, 30, 0.5, 3, 7).unwrap();
        let b = gene(20, 30, 0.5, 3, 7).unwrap();
        let c = gene(20, 30, 0.5, 3, 8).unwrap();
        assert_eq!(a.x, b.x);
        assert_eq!(a.y, b.y);
        assert_ne!(a.x, c.x);
    }

    #[test]
    fn gene_columns_have_ar1_correlation() {
        let d = gene(4000, 4, 0.8, 1, 1).unwrap();
        let c = |i: usize, j: usize| {
            let (a, b) = (d.x.column(i), d.x.column(j));
            a.dot(&b) / (a.dot(&a) * b.dot(&b)).sqrt()
        };
        assert!((c(0, 1) - 0.8).abs() < 0.03, "{}", c(0, 1));
        assert!((c(0, 2) - 0.64).abs() < 0.04, "{}", c(0, 2));
    }

    #[test]
    fn regression_has_the_requested_support_and_classification_two_classes() {
        let d = regression(50, 12, 4, 1.0, 3).unwrap();
        let w = d.true_coef.unwrap();
        assert_eq!(w.iter().filter(|&&v| v != 0.0).count(), 4);
        let c = classification(200, 10, 3, 3).unwrap();
        assert!(c.y.iter().all(|&v| v == 0.0 || v == 1.0));
        assert!(c.y.sum() > 20.0 && c.y.sum() < 180.0);
        assert!(regression(10, 3, 5, 1.0, 0).is_err());
        assert!(gene(10, 3, 1.0, 1, 0).is_err());
    }
}
