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
    /// [`text`]: sparse TF-IDF with spam labels, 30 spam words by default.
    Text,
}

impl SynthKind {
    pub fn name(self) -> &'static str {
        match self {
            SynthKind::Regression => "regression",
            SynthKind::Gene => "gene",
            SynthKind::Classification => "classification",
            SynthKind::Text => "text",
        }
    }

    /// Non-zero true coefficients unless the user says otherwise (capped at p by callers).
    pub fn default_informative(self) -> usize {
        match self {
            SynthKind::Regression => 10,
            SynthKind::Gene | SynthKind::Classification => 20,
            SynthKind::Text => TEXT_SPAM_WORDS,
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

/// The settings of [`text`]: Zipf's exponent for word frequencies, and the log-normal length
/// of a document in tokens (its median and log-scale spread, capped to a range).
pub const TEXT_ZIPF_EXPONENT: f64 = 1.1;
/// Median document length in tokens.
pub const TEXT_MEDIAN_TOKENS: f64 = 70.0;
/// σ of the log document length.
pub const TEXT_LOG_SIGMA: f64 = 0.5;
/// Shortest and longest document, in tokens.
pub const TEXT_TOKENS_RANGE: (usize, usize) = (10, 1000);
/// Default number of "spam words", the informative features of the labels.
pub const TEXT_SPAM_WORDS: usize = 30;

/// A TF-IDF document–term matrix with spam labels (built sparse: memory ∝ non-zeros).
#[derive(Clone, Debug)]
pub struct Text {
    /// n × p, rows L2-normalized TF-IDF weights.
    pub x: crate::sparse::Csc,
    /// 0/1 labels (1 = spam).
    pub y: Array1<f64>,
    /// The logistic model's coefficients (non-zero on the spam words).
    pub coef: Array1<f64>,
    /// The logistic model's intercept.
    pub intercept: f64,
}

/// Spam-filter stand-in: n documents over a vocabulary of p words. Each document draws
/// round(exp(N(ln 70, 0.5²))) tokens (capped to 10..=1000) from a Zipf law over the words
/// (P(word of rank r) ∝ r^−1.1; word j has rank j + 1), so at p = 10,000 about 0.5 % of the
/// matrix is non-zero. Weights are scikit-learn's `TfidfTransformer` defaults: count ×
/// (ln((1 + n)/(1 + df)) + 1), each row scaled to unit L2 norm. Labels: `spam_words` spam
/// words (30 by default, drawn among the words of rank p/200..p/20, each in 1 to 15 % of the
/// documents at p = 10,000) get coefficients U(10, 20); P(y = 1) = σ(xᵀw + b) with b the
/// negated median of xᵀw, so about half the documents are spam (three in four of those
/// holding a spam word, one in five of the others at p = 10,000).
pub fn text(n: usize, p: usize, spam_words: usize, seed: u64) -> Result<Text, DataError> {
    use rand_distr::{LogNormal, Zipf};
    if n == 0 {
        return Err(DataError::invalid("n", 0, "need at least one document"));
    }
    if p == 0 {
        return Err(DataError::invalid("p", 0, "need at least one word"));
    }
    if spam_words > p {
        return Err(DataError::invalid(
            "informative",
            spam_words,
            format!("the spam words cannot outnumber the p = {p} words"),
        ));
    }
    let (lo, hi) = TEXT_TOKENS_RANGE;
    // at most hi entries per row: index and value
    crate::limits::check_f64s(
        &format!("the non-zeros of X (n = {n} documents of up to {hi} words)"),
        2 * n as u128 * hi.min(p) as u128,
    )?;
    crate::limits::check_f64s(&format!("the columns of X (p = {p})"), p as u128 + 1)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let zipf = Zipf::new(p as f64, TEXT_ZIPF_EXPONENT).expect("p ≥ 1, exponent > 0");
    let length = LogNormal::new(TEXT_MEDIAN_TOKENS.ln(), TEXT_LOG_SIGMA).expect("a positive sigma");
    // counts, row by row (CSR)
    let mut row_ptr = Vec::with_capacity(n + 1);
    row_ptr.push(0usize);
    let mut cols: Vec<usize> = Vec::new();
    let mut vals: Vec<f64> = Vec::new();
    let mut tokens: Vec<usize> = Vec::with_capacity(hi);
    let mut df = vec![0u32; p];
    for _ in 0..n {
        let len = (length.sample(&mut rng).round() as usize).clamp(lo, hi);
        tokens.clear();
        tokens.extend((0..len).map(|_| (zipf.sample(&mut rng) as usize).clamp(1, p) - 1));
        tokens.sort_unstable();
        for chunk in tokens.chunk_by(|a, b| a == b) {
            cols.push(chunk[0]);
            vals.push(chunk.len() as f64);
            df[chunk[0]] += 1;
        }
        row_ptr.push(cols.len());
    }
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| ((1.0 + n as f64) / (1.0 + f64::from(d))).ln() + 1.0)
        .collect();
    for i in 0..n {
        let row = row_ptr[i]..row_ptr[i + 1];
        for k in row.clone() {
            vals[k] *= idf[cols[k]];
        }
        let norm = vals[row.clone()].iter().map(|v| v * v).sum::<f64>().sqrt();
        vals[row].iter_mut().for_each(|v| *v /= norm);
    }
    // the spam words and the labels
    let spam = spam_words;
    let first = (p / 200).min(p - spam);
    let last = (p / 20).max(first + spam).min(p);
    let words = rand::seq::index::sample(&mut rng, last - first, spam);
    let mut coef = Array1::<f64>::zeros(p);
    for w in words.iter() {
        coef[first + w] = 10.0 + 10.0 * rng.random::<f64>();
    }
    let scores: Vec<f64> = (0..n)
        .map(|i| {
            (row_ptr[i]..row_ptr[i + 1])
                .map(|k| vals[k] * coef[cols[k]])
                .sum()
        })
        .collect();
    let mut sorted = scores.clone();
    sorted.sort_by(f64::total_cmp);
    let intercept = -sorted[n / 2];
    let mut y = Array1::from_iter(scores.iter().map(|&z| {
        let prob = 1.0 / (1.0 + (-(z + intercept)).exp());
        if rng.random::<f64>() < prob {
            1.0
        } else {
            0.0
        }
    }));
    if y.iter().all(|&v| v == y[0]) && n > 1 {
        y[0] = 1.0 - y[0];
    }
    let x = crate::sparse::Csc::from_csr(n, p, row_ptr, cols, vals)
        .expect("rows built sorted, unique and finite");
    Ok(Text {
        x,
        y,
        coef,
        intercept,
    })
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
            let x = d.x.dense().unwrap();
            let (a, b) = (x.column(i), x.column(j));
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

    /// The expected number of distinct words in a document, from the generator's laws in
    /// closed form: E over the log-normal length L of Σ_j 1 − (1 − π_j)^L (quadrature).
    fn expected_distinct(p: usize) -> f64 {
        let pi: Vec<f64> = (1..=p)
            .map(|r| (r as f64).powf(-TEXT_ZIPF_EXPONENT))
            .collect();
        let total: f64 = pi.iter().sum();
        let (lo, hi) = TEXT_TOKENS_RANGE;
        let (mu, s) = (TEXT_MEDIAN_TOKENS.ln(), TEXT_LOG_SIGMA);
        // P(round(exp(mu + s Z)) = L), L in lo..=hi, the tails folded into the caps
        let cdf = |x: f64| 0.5 * (1.0 + erf((x.ln() - mu) / (s * 2f64.sqrt())));
        let mut e = 0.0;
        for len in lo..=hi {
            let a = if len == lo {
                0.0
            } else {
                cdf(len as f64 - 0.5)
            };
            let b = if len == hi {
                1.0
            } else {
                cdf(len as f64 + 0.5)
            };
            let distinct: f64 = pi
                .iter()
                .map(|q| 1.0 - (1.0 - q / total).powi(len as i32))
                .sum();
            e += (b - a) * distinct;
        }
        e
    }

    /// The error function (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7).
    fn erf(x: f64) -> f64 {
        let t = 1.0 / (1.0 + 0.3275911 * x.abs());
        let poly = t
            * (0.254829592
                + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        (1.0 - poly * (-x * x).exp()).copysign(x)
    }

    #[test]
    fn text_density_norms_labels_and_seed() {
        let (n, p) = (2000, 10_000);
        let d = text(n, p, TEXT_SPAM_WORDS, 5).unwrap();
        assert_eq!(d.x.dim(), (n, p));
        let density = d.x.nnz() as f64 / (n * p) as f64;
        let want = expected_distinct(p) / p as f64;
        assert!((density / want - 1.0).abs() < 0.03, "{density} vs {want}");
        assert!((0.004..0.006).contains(&density), "{density}");
        // unit rows, computed from the columns
        let mut sq = vec![0.0; n];
        for j in 0..p {
            let (rows, vals) = d.x.col(j);
            for (&i, &v) in rows.iter().zip(vals) {
                assert!(v > 0.0);
                sq[i] += v * v;
            }
        }
        assert!(sq.iter().all(|s| (s - 1.0).abs() < 1e-12));
        let spam = d.y.sum();
        assert!(spam > 0.3 * n as f64 && spam < 0.7 * n as f64, "{spam}");
        assert_eq!(
            d.coef.iter().filter(|&&w| w != 0.0).count(),
            TEXT_SPAM_WORDS
        );
        // the labels follow the spam words: spam documents hold them more often
        let has_spam_word = |i: usize| {
            d.coef
                .iter()
                .enumerate()
                .any(|(j, &w)| w != 0.0 && d.x.col(j).0.binary_search(&i).is_ok())
        };
        let rate = |label: f64| {
            let docs: Vec<usize> = (0..n).filter(|&i| d.y[i] == label).collect();
            docs.iter().filter(|&&i| has_spam_word(i)).count() as f64 / docs.len() as f64
        };
        assert!(rate(1.0) > rate(0.0) + 0.2, "{} {}", rate(1.0), rate(0.0));
        let again = text(n, p, TEXT_SPAM_WORDS, 5).unwrap();
        assert_eq!(again.x, d.x);
        assert_eq!(again.y, d.y);
        assert_ne!(text(n, p, TEXT_SPAM_WORDS, 6).unwrap().x, d.x);
        // tiny vocabularies and one document still work
        let small = text(1, 3, 3, 0).unwrap();
        assert_eq!(small.x.dim(), (1, 3));
        assert!(
            text(0, 3, 1, 0).is_err() && text(3, 0, 0, 0).is_err() && text(3, 2, 3, 0).is_err()
        );
    }
}
