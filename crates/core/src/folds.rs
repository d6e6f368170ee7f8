//! k-fold cross-validation: contiguous folds (scikit-learn's `KFold()` without shuffling) and
//! the choice of alpha_min and alpha_1se from per-fold validation errors (glmnet's rule).

/// Validation sample ranges `[start, end)` of k contiguous folds over n samples: the first
/// n mod k folds hold ⌊n/k⌋ + 1 samples, as scikit-learn's `KFold`.
pub fn fold_ranges(n: usize, k: usize) -> Vec<(usize, usize)> {
    let (base, extra) = (n / k, n % k);
    let mut start = 0;
    (0..k)
        .map(|f| {
            let len = base + usize::from(f < extra);
            let r = (start, start + len);
            start += len;
            r
        })
        .collect()
}

/// The training rows of the fold whose validation rows are `[start, end)` of n samples.
pub fn train_rows(n: usize, (start, end): (usize, usize)) -> Vec<usize> {
    (0..start).chain(end..n).collect()
}

/// The cross-validation curve and the alphas it chooses (indices in path order).
#[derive(Clone, Debug, PartialEq)]
pub struct CvChoice {
    /// Mean validation error per alpha over the folds.
    pub mean: Vec<f64>,
    /// Population standard deviation per alpha over the folds.
    pub std: Vec<f64>,
    /// Standard error of the mean per alpha: the sample standard deviation / √k (glmnet's
    /// cvsd); 0 with one fold.
    pub se: Vec<f64>,
    /// The first minimum of `mean` in path order.
    pub i_min: usize,
    /// The largest alpha whose mean is within one standard error (sample std / √k, glmnet's
    /// cvsd) of the minimum.
    pub i_1se: usize,
}

/// Chooses alpha_min and alpha_1se from per-fold errors `errors[fold][alpha]` on `alphas`.
pub fn choose(alphas: &[f64], errors: &[Vec<f64>]) -> CvChoice {
    let k = errors.len() as f64;
    let m = alphas.len();
    let mean: Vec<f64> = (0..m)
        .map(|a| errors.iter().map(|e| e[a]).sum::<f64>() / k)
        .collect();
    let std: Vec<f64> = (0..m)
        .map(|a| (errors.iter().map(|e| (e[a] - mean[a]).powi(2)).sum::<f64>() / k).sqrt())
        .collect();
    let se: Vec<f64> = std
        .iter()
        .map(|s| {
            if k > 1.0 {
                s * (k / (k - 1.0)).sqrt() / k.sqrt()
            } else {
                0.0
            }
        })
        .collect();
    let i_min = (0..m).fold(0, |best, a| if mean[a] < mean[best] { a } else { best });
    let i_1se = (0..m)
        .filter(|&a| alphas[a] >= alphas[i_min] && mean[a] <= mean[i_min] + se[i_min])
        .fold(
            i_min,
            |best, a| if alphas[a] > alphas[best] { a } else { best },
        );
    CvChoice {
        mean,
        std,
        se,
        i_min,
        i_1se,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_contiguous_cover_every_sample_once_and_match_kfold_sizes() {
        for (n, k) in [(10, 3), (100, 5), (7, 7), (23, 4)] {
            let f = fold_ranges(n, k);
            assert_eq!(f.len(), k);
            assert_eq!(f[0].0, 0);
            assert_eq!(f[k - 1].1, n);
            for w in f.windows(2) {
                assert_eq!(w[0].1, w[1].0, "contiguous");
            }
            // scikit-learn's KFold: the first n % k folds get one extra sample
            for (i, (a, b)) in f.iter().enumerate() {
                assert_eq!(b - a, n / k + usize::from(i < n % k));
                let train = train_rows(n, (*a, *b));
                assert_eq!(train.len(), n - (b - a));
                assert!(train.iter().all(|&r| r < *a || r >= *b));
            }
        }
    }

    #[test]
    fn alpha_1se_is_the_largest_alpha_within_one_standard_error() {
        let alphas = [1.0, 0.5, 0.25, 0.125, 0.0625];
        let errors = vec![
            vec![5.0, 3.0, 2.0, 2.0, 2.2],
            vec![5.2, 3.1, 2.05, 2.05, 2.3],
            vec![4.9, 2.9, 2.01, 1.95, 2.1],
        ];
        let c = choose(&alphas, &errors);
        assert_eq!(c.i_min, 3);
        // mean at index 2 is 2.02, the minimum 2.0 plus one standard error (std·√(3/2)/√3 of
        // {2.0, 2.05, 1.95} = 0.0289) is 2.0289: index 2 is within, index 1 (3.0) is not
        assert_eq!(c.i_1se, 2, "mean {:?}", c.mean);
    }
}
