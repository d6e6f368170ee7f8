//! The design a solver sees: X centered (intercept) and scaled (standardize), y centered
//! (squared loss with intercept), and the map from solver coefficients back to the original scale.

use crate::data::Dataset;
use crate::design_matrix::DesignMatrix;
use crate::error::DataError;
use crate::loss::Loss;
use crate::matrix::Dense;
use crate::scaled_csc::ScaledCsc;
use crate::sparse::Csc;
use crate::storage::Storage;
use ndarray::{Array1, Array2, ArrayView1, Axis};
use std::sync::Arc;

/// How to prepare a [`Dataset`] for a solver.
#[derive(Clone, Copy, Debug)]
pub struct DesignOptions {
    /// Fit an intercept: center X (and y for squared loss), as scikit-learn does.
    pub fit_intercept: bool,
    /// Scale each column of X to unit population standard deviation.
    pub standardize: bool,
    pub loss: Loss,
}

impl Default for DesignOptions {
    fn default() -> Self {
        DesignOptions {
            fit_intercept: true,
            standardize: false,
            loss: Loss::Squared,
        }
    }
}

/// Prepared data (column-major X) plus what is needed to report coefficients on X's original scale.
#[derive(Clone, Debug)]
pub struct Design {
    /// n × p: dense X column-major, centered and/or scaled per the options; sparse X as the
    /// data holds it, centered and scaled inside the products by `x_mean` and `x_scale`
    /// ([`Design::matrix`]).
    pub x: Storage,
    /// Centered for squared loss with an intercept; 0/1 labels for logistic loss.
    pub y: Array1<f64>,
    pub x_mean: Array1<f64>,
    pub x_scale: Array1<f64>,
    pub y_mean: f64,
    pub options: DesignOptions,
    /// Columns with zero variance: their coefficient is held at 0 (scikit-learn does the same).
    pub constant_columns: Vec<usize>,
}

impl Design {
    /// Centers/scales `data` per `options`. Logistic loss requires labels in {0, 1}. Dense X is
    /// transformed in a copy; sparse X is shared with `data` as it is, its column means and
    /// scales applied inside the products ([`Design::matrix`]), never densified.
    pub fn new(data: &Dataset, options: DesignOptions) -> Result<Design, DataError> {
        if options.loss == Loss::Logistic {
            crate::data::check_binary_labels(&data.y.to_vec(), true)?;
        }
        let (x, x_mean, x_scale, constant_columns) = match &data.x {
            Storage::Dense(x) => dense_columns(x, options),
            Storage::Sparse(x) => {
                let (mean, scale, constant) = sparse_columns(x, options);
                (Storage::Sparse(Arc::clone(x)), mean, scale, constant)
            }
        };
        let (y, y_mean) = if options.fit_intercept && options.loss == Loss::Squared {
            let m = data.y.mean().expect("n > 0");
            (data.y.mapv(|v| v - m), m)
        } else {
            (data.y.clone(), 0.0)
        };
        Ok(Design {
            x,
            y,
            x_mean,
            x_scale,
            y_mean,
            options,
            constant_columns,
        })
    }

    /// X as solvers read it (see [`crate::matrix`]): the transformed dense columns, or the
    /// sparse columns with the centering and scaling applied implicitly.
    pub fn matrix(&self) -> DesignMatrix<'_> {
        match &self.x {
            Storage::Dense(x) => DesignMatrix::Dense(Dense::new(x.view())),
            Storage::Sparse(x) => DesignMatrix::Sparse(ScaledCsc::new(
                x,
                self.column_means(),
                self.column_multipliers(),
            )),
        }
    }

    /// The means m_j sparse X's columns are centered by inside the products (None: no
    /// intercept, no centering); with [`Design::column_multipliers`], x̃_j = f_j·(x_j − m_j).
    pub fn column_means(&self) -> Option<&[f64]> {
        (self.options.fit_intercept).then_some(self.x_mean.as_slice().expect("contiguous"))
    }

    /// f_j = 1/s_j per column, 0 for the columns held at 0 (the constant ones): sparse X's
    /// scaling inside the products.
    pub fn column_multipliers(&self) -> Vec<f64> {
        let mut f: Vec<f64> = self.x_scale.iter().map(|s| 1.0 / s).collect();
        for &j in &self.constant_columns {
            f[j] = 0.0;
        }
        f
    }

    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Coefficients on the original scale of X and the intercept, from solver coefficients
    /// `beta` (design scale) and, for logistic loss, the solver's intercept `b` (design scale).
    pub fn original_scale(&self, beta: ArrayView1<f64>, b: f64) -> (Array1<f64>, f64) {
        let coef = &beta / &self.x_scale;
        let intercept = if self.options.fit_intercept {
            self.y_mean + b - coef.dot(&self.x_mean)
        } else {
            0.0
        };
        (coef, intercept)
    }

    /// Per feature j, the factor s_j with which this design's column j equals s_j times column j
    /// of `shared` (a design of the same features on a superset of the rows), up to a constant
    /// that centering over this design's rows removes: `shared.x_scale[j] / x_scale[j]`, and 0 for
    /// this design's constant columns (held at 0). Batched cross-validation solves every fold
    /// on one shared X with these factors.
    pub fn column_factors(&self, shared: &Design) -> Array1<f64> {
        let mut s = &shared.x_scale / &self.x_scale;
        for &j in &self.constant_columns {
            s[j] = 0.0;
        }
        s
    }

    /// The intercept on this design's scale of the model whose scores on `shared` (see
    /// [`Design::column_factors`]) are Σ_j shared.x_ij·s_j·β_j + `b_shared`, β on this design's
    /// scale: both give the same scores on this design's rows.
    pub fn intercept_from_shared(
        &self,
        shared: &Design,
        beta: ArrayView1<f64>,
        b_shared: f64,
    ) -> f64 {
        let coef = &beta / &self.x_scale;
        let shift: f64 = coef
            .iter()
            .zip(self.x_mean.iter().zip(shared.x_mean.iter()))
            .map(|(c, (mf, mg))| c * (mf - mg))
            .sum();
        b_shared + shift
    }

    /// The scale `--tol` is relative to on this design ([`Loss::gap_scale`] of its loss):
    /// ‖y‖²/n of the centered y for squared loss, the null deviance for logistic loss.
    pub fn gap_scale(&self) -> f64 {
        self.options
            .loss
            .gap_scale(&self.y.to_vec(), self.options.fit_intercept)
    }
}

/// Dense X centered and scaled in a copy: (X, means, scales, constant columns).
fn dense_columns(
    data_x: &Array2<f64>,
    options: DesignOptions,
) -> (Storage, Array1<f64>, Array1<f64>, Vec<usize>) {
    let (n, p) = data_x.dim();
    let mut x = data_x.clone();
    let x_mean = if options.fit_intercept {
        data_x.mean_axis(Axis(0)).expect("n > 0")
    } else {
        Array1::zeros(p)
    };
    let mut x_scale = Array1::<f64>::ones(p);
    let mut constant_columns = Vec::new();
    for (j, mut col) in x.axis_iter_mut(Axis(1)).enumerate() {
        let m = x_mean[j];
        let var = col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n as f64;
        let first = col[0];
        let constant = col.iter().all(|&v| v == first);
        if constant && (options.standardize || options.fit_intercept) {
            constant_columns.push(j);
        }
        if options.standardize && !constant {
            x_scale[j] = var.sqrt();
        }
        let s = x_scale[j];
        col.mapv_inplace(|v| (v - m) / s);
        if constant && options.standardize {
            col.fill(0.0);
        }
    }
    (Storage::Dense(x), x_mean, x_scale, constant_columns)
}

/// Sparse X's column means (0 without an intercept), population standard deviations (1 without
/// standardization) and constant columns, in one pass over the non-zeros: the same numbers as
/// [`dense_columns`] gives for the densified matrix.
fn sparse_columns(x: &Csc, options: DesignOptions) -> (Array1<f64>, Array1<f64>, Vec<usize>) {
    let (n, p) = x.dim();
    let nf = n as f64;
    let mut x_mean = Array1::<f64>::zeros(p);
    let mut x_scale = Array1::<f64>::ones(p);
    let mut constant_columns = Vec::new();
    for j in 0..p {
        let (rows, vals) = x.col(j);
        let m = if options.fit_intercept {
            vals.iter().sum::<f64>() / nf
        } else {
            0.0
        };
        x_mean[j] = m;
        // the implicit zeros, if any, are one more value the column takes
        let first = if rows.len() < n { 0.0 } else { vals[0] };
        let constant = vals.iter().all(|&v| v == first);
        if constant && (options.standardize || options.fit_intercept) {
            constant_columns.push(j);
        }
        if options.standardize && !constant {
            let zeros = (n - rows.len()) as f64;
            let ss = vals.iter().map(|v| (v - m) * (v - m)).sum::<f64>() + zeros * m * m;
            x_scale[j] = (ss / nf).sqrt();
        }
    }
    (x_mean, x_scale, constant_columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn standardized_columns_have_zero_mean_unit_population_std_and_map_back() {
        let x = array![
            [1.0, 10.0, 5.0],
            [2.0, 30.0, 5.0],
            [4.0, 20.0, 5.0],
            [5.0, 60.0, 5.0]
        ];
        let y = array![1.0, 2.0, 3.0, 6.0];
        let data = Dataset::new(x.clone(), y).unwrap();
        let d = Design::new(
            &data,
            DesignOptions {
                standardize: true,
                ..Default::default()
            },
        )
        .unwrap();
        let dx = d.x.dense().unwrap();
        for j in 0..2 {
            let c = dx.column(j);
            assert!(c.sum().abs() < 1e-12);
            assert!((c.dot(&c) / 4.0 - 1.0).abs() < 1e-12);
        }
        assert_eq!(d.constant_columns, vec![2]);
        assert!(dx.column(2).iter().all(|&v| v == 0.0));
        // predictions agree on both scales
        let beta = array![0.7, -0.2, 0.0];
        let (coef, b0) = d.original_scale(beta.view(), 0.0);
        let pred_design = dx.dot(&beta) + d.y_mean;
        let pred_orig = x.dot(&coef) + b0;
        for (a, b) in pred_design.iter().zip(pred_orig.iter()) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    /// A fold's design column equals its factor times the shared column on the fold's rows,
    /// once centered there; a column constant on the fold alone gets factor 0.
    #[test]
    fn column_factors_map_shared_columns_onto_a_fold() {
        let x = array![
            [1.0, 10.0, 3.0],
            [2.0, 30.0, 3.0],
            [4.0, 20.0, 3.0],
            [5.0, 60.0, 3.0],
            [9.0, -5.0, 7.0]
        ];
        let y = array![1.0, 2.0, 3.0, 6.0, 0.5];
        let rows = [0, 1, 2, 3];
        for standardize in [false, true] {
            let options = DesignOptions {
                standardize,
                ..Default::default()
            };
            let shared =
                Design::new(&Dataset::new(x.clone(), y.clone()).unwrap(), options).unwrap();
            let fold_data =
                Dataset::new(x.select(Axis(0), &rows), y.select(Axis(0), &rows)).unwrap();
            let fold = Design::new(&fold_data, options).unwrap();
            let s = fold.column_factors(&shared);
            let (shared_x, fold_x) = (shared.x.dense().unwrap(), fold.x.dense().unwrap());
            assert_eq!(s[2], 0.0, "column 2 is constant on the fold");
            for j in 0..3 {
                let col: Vec<f64> = rows.iter().map(|&i| s[j] * shared_x[[i, j]]).collect();
                let mean = col.iter().sum::<f64>() / rows.len() as f64;
                for (i, v) in col.iter().enumerate() {
                    let want = fold_x[[i, j]];
                    assert!(
                        (v - mean - want).abs() < 1e-12,
                        "{standardize} {j}: {v} vs {want}"
                    );
                }
            }
        }
    }
}
