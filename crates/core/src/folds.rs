//! k-fold cross-validation: which fold each sample validates in (contiguous as scikit-learn's
//! `KFold()`, shuffled with a seed, stratified as `StratifiedKFold`, or given per sample as
//! glmnet's `foldid`) and the choice of alpha_min and alpha_1se from per-fold validation errors
//! (glmnet's rule).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// A split of n samples into k folds: sample i validates in fold `of_sample()[i]` ∈ 0..k and
/// trains the other k − 1 folds. Every fold holds at least one sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folds {
    of_sample: Vec<usize>,
    k: usize,
}

impl Folds {
    /// k contiguous folds over n samples, unshuffled (scikit-learn's `KFold(k)`): the first
    /// n mod k folds hold ⌊n/k⌋ + 1 samples. Panics unless 2 ≤ k ≤ n (a caller's bug: check
    /// the count first).
    #[track_caller]
    pub fn contiguous(n: usize, k: usize) -> Folds {
        Folds::in_order(&(0..n).collect::<Vec<_>>(), k)
    }

    /// k folds of the sizes of [`Folds::contiguous`] over the samples in a random order drawn
    /// from `seed` (rand's `StdRng`): the same seed gives the same split. Not scikit-learn's
    /// `KFold(shuffle=True)` split (its generator is NumPy's); pass that split's fold numbers
    /// to [`Folds::from_ids`] to reproduce it. Panics unless 2 ≤ k ≤ n.
    #[track_caller]
    pub fn shuffled(n: usize, k: usize, seed: u64) -> Folds {
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut StdRng::seed_from_u64(seed));
        Folds::in_order(&order, k)
    }

    /// k folds that keep the class proportions of `labels` (any values; each distinct value is
    /// a class), with scikit-learn's `StratifiedKFold` allocation: the samples sorted by class
    /// are dealt round robin to the folds, which fixes how many of each class a fold holds; each
    /// class's samples then take their folds in sample order (`seed` None: the same split as
    /// `StratifiedKFold(k)`), or in a random order drawn from `seed` (not scikit-learn's
    /// shuffled split). A fold's count of a class differs from k⁻¹ of the class's count by less
    /// than one. Panics unless 2 ≤ k ≤ n.
    #[track_caller]
    pub fn stratified(labels: &[f64], k: usize, seed: Option<u64>) -> Folds {
        let n = labels.len();
        check_count(n, k);
        // classes numbered by first appearance, as scikit-learn encodes them
        let mut classes: Vec<f64> = Vec::new();
        let class: Vec<usize> = labels
            .iter()
            .map(|&v| match classes.iter().position(|&c| c == v) {
                Some(c) => c,
                None => {
                    classes.push(v);
                    classes.len() - 1
                }
            })
            .collect();
        let mut count = vec![0usize; classes.len()];
        for &c in &class {
            count[c] += 1;
        }
        // allocation[f][c]: samples of class c in fold f, dealing the class-sorted samples
        // round robin (position r of the sorted order goes to fold r mod k)
        let mut allocation = vec![vec![0usize; classes.len()]; k];
        let mut r = 0;
        for (c, &m) in count.iter().enumerate() {
            for _ in 0..m {
                allocation[r % k][c] += 1;
                r += 1;
            }
        }
        let mut rng = seed.map(StdRng::seed_from_u64);
        let mut of_sample = vec![0; n];
        for c in 0..classes.len() {
            let mut folds: Vec<usize> = (0..k)
                .flat_map(|f| std::iter::repeat_n(f, allocation[f][c]))
                .collect();
            if let Some(rng) = rng.as_mut() {
                folds.shuffle(rng);
            }
            let members = (0..n).filter(|&i| class[i] == c);
            for (i, f) in members.zip(folds) {
                of_sample[i] = f;
            }
        }
        Folds { of_sample, k }
    }

    /// The folds of glmnet's `foldid`: one integer per sample, any set of distinct values
    /// labelling the folds (glmnet uses 1..k). Returns the folds, numbered in increasing order
    /// of their labels, and the labels in that order; None when fewer than two distinct values
    /// occur.
    pub fn from_ids(ids: &[i64]) -> Option<(Folds, Vec<i64>)> {
        let mut labels = ids.to_vec();
        labels.sort_unstable();
        labels.dedup();
        if labels.len() < 2 {
            return None;
        }
        let of_sample = ids
            .iter()
            .map(|id| labels.binary_search(id).expect("every id is a label"))
            .collect();
        let k = labels.len();
        Some((Folds { of_sample, k }, labels))
    }

    /// Folds of contiguous sizes over the samples taken in `order`.
    #[track_caller]
    fn in_order(order: &[usize], k: usize) -> Folds {
        let n = order.len();
        check_count(n, k);
        let mut of_sample = vec![0; n];
        let (base, extra) = (n / k, n % k);
        let mut next = order.iter();
        for f in 0..k {
            for &i in next.by_ref().take(base + usize::from(f < extra)) {
                of_sample[i] = f;
            }
        }
        Folds { of_sample, k }
    }

    /// Number of folds.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Number of samples.
    pub fn n_samples(&self) -> usize {
        self.of_sample.len()
    }

    /// The fold of every sample (0-based, in fold order).
    pub fn of_sample(&self) -> &[usize] {
        &self.of_sample
    }

    /// Validation samples per fold.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.k];
        for &f in &self.of_sample {
            sizes[f] += 1;
        }
        sizes
    }

    /// The validation rows of fold `f`, increasing.
    pub fn validation_rows(&self, f: usize) -> Vec<usize> {
        (0..self.n_samples())
            .filter(|&i| self.of_sample[i] == f)
            .collect()
    }

    /// The training rows of fold `f` (every other fold's samples), increasing.
    pub fn train_rows(&self, f: usize) -> Vec<usize> {
        (0..self.n_samples())
            .filter(|&i| self.of_sample[i] != f)
            .collect()
    }

    /// `mask[i]`: sample i trains fold `f`.
    pub fn train_mask(&self, f: usize) -> Vec<bool> {
        self.of_sample.iter().map(|&g| g != f).collect()
    }
}

/// Panics unless 2 ≤ k ≤ n.
#[track_caller]
fn check_count(n: usize, k: usize) {
    assert!(
        (2..=n).contains(&k),
        "{k} folds over {n} samples: need 2 <= k <= n"
    );
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
    fn contiguous_folds_are_kfolds_blocks_in_order() {
        for (n, k) in [(10, 3), (100, 5), (7, 7), (23, 4)] {
            let f = Folds::contiguous(n, k);
            assert_eq!(f.k(), k);
            // scikit-learn's KFold: the first n % k folds get one extra sample, in order
            let mut start = 0;
            for (i, size) in f.sizes().into_iter().enumerate() {
                assert_eq!(size, n / k + usize::from(i < n % k));
                assert_eq!(
                    f.validation_rows(i),
                    (start..start + size).collect::<Vec<_>>()
                );
                let train = f.train_rows(i);
                assert_eq!(train.len(), n - size);
                assert!(train.iter().all(|&r| r < start || r >= start + size));
                assert_eq!(f.train_mask(i).iter().filter(|&&t| t).count(), n - size);
                start += size;
            }
            assert_eq!(start, n);
        }
    }

    #[test]
    fn shuffled_folds_repeat_with_their_seed_and_keep_kfold_sizes() {
        let a = Folds::shuffled(50, 5, 7);
        assert_eq!(a, Folds::shuffled(50, 5, 7));
        assert_ne!(a, Folds::shuffled(50, 5, 8));
        assert_ne!(a, Folds::contiguous(50, 5));
        assert_eq!(a.sizes(), Folds::contiguous(50, 5).sizes());
    }

    #[test]
    fn stratified_folds_keep_each_class_within_one_sample_of_its_share() {
        // 3 classes of 13, 7 and 3 samples, interleaved
        let labels: Vec<f64> = (0..23)
            .map(|i| [0.0, 1.0, 0.0, 2.0, 0.0, 1.0][i % 6])
            .collect();
        for seed in [None, Some(3)] {
            let f = Folds::stratified(&labels, 4, seed);
            for class in [0.0, 1.0, 2.0] {
                let total = labels.iter().filter(|&&v| v == class).count() as f64;
                for fold in 0..4 {
                    let rows = f.validation_rows(fold);
                    let m = rows.iter().filter(|&&i| labels[i] == class).count() as f64;
                    assert!(
                        (m - total / 4.0).abs() < 1.0,
                        "class {class} fold {fold}: {m}"
                    );
                }
            }
        }
    }

    #[test]
    fn fold_ids_number_folds_by_increasing_label() {
        let (f, labels) = Folds::from_ids(&[7, -1, 7, 3, -1]).unwrap();
        assert_eq!(labels, [-1, 3, 7]);
        assert_eq!(f.of_sample(), [2, 0, 2, 1, 0]);
        assert_eq!(f.sizes(), [2, 1, 2]);
        assert!(Folds::from_ids(&[4, 4, 4]).is_none());
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
