//! Sparse X in compressed sparse column form ([`Csc`]): the storage that text features (TF-IDF,
//! bag of words, well under 1 % non-zero) need, with memory ∝ nnz.
//!
//! Plain vectors (`col_ptr`, `row_idx`, `values`, as scipy and faer lay them out) rather than
//! faer's `SparseColMat`: the solvers need only a column's slices (the centered and scaled
//! products are written in [`crate::matrix`]), and the constructors here report what is wrong
//! and where (array name and index) instead of panicking as faer's checked constructors do.

use ndarray::{Array2, ShapeBuilder};

/// Why a compressed sparse matrix was refused: the array at fault (`col_ptr`, `row_idx`,
/// `values`, or the CSR input's `row_ptr`, `col_idx`), its index and the value found there.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SparseError {
    #[error("{array} has length {len}; {expected} expected ({why})")]
    Length {
        array: &'static str,
        len: usize,
        expected: usize,
        why: &'static str,
    },
    #[error("{array}[0] = {value}; it must be 0")]
    PointerStart { array: &'static str, value: usize },
    #[error("{array}[{index}] = {value} is less than {array}[{}] = {prev}; pointers must not decrease", .index - 1)]
    NotMonotone {
        array: &'static str,
        index: usize,
        value: usize,
        prev: usize,
    },
    #[error("{array}[{index}] = {value} is out of range: the matrix has {bound} {axis}s (in {major} {slice})")]
    OutOfRange {
        array: &'static str,
        index: usize,
        value: usize,
        bound: usize,
        axis: &'static str,
        major: &'static str,
        slice: usize,
    },
    #[error("{array}[{index}] = {value} follows {prev} in {major} {slice}; indices within a {major} must be sorted and unique")]
    Unsorted {
        array: &'static str,
        index: usize,
        value: usize,
        prev: usize,
        major: &'static str,
        slice: usize,
    },
    #[error("values[{index}] = {value} (row {row}, column {col}) is not finite")]
    NonFinite {
        index: usize,
        value: f64,
        row: usize,
        col: usize,
    },
}

/// X in compressed sparse column form, n × p, f64; row indices sorted and unique within each
/// column. Column j's entries are `row_idx[col_ptr[j]..col_ptr[j + 1]]` with their `values`.
#[derive(Clone, Debug, PartialEq)]
pub struct Csc {
    n: usize,
    p: usize,
    col_ptr: Vec<usize>,
    row_idx: Vec<usize>,
    values: Vec<f64>,
}

/// The names a compressed layout's arrays go by in errors, and its two axes.
struct Layout {
    ptr: &'static str,
    idx: &'static str,
    /// The axis `ptr` slices (a CSC's columns), then the axis `idx` indexes (its rows).
    major: &'static str,
    minor: &'static str,
}

const CSC: Layout = Layout {
    ptr: "col_ptr",
    idx: "row_idx",
    major: "column",
    minor: "row",
};
const CSR: Layout = Layout {
    ptr: "row_ptr",
    idx: "col_idx",
    major: "row",
    minor: "column",
};

/// Checks a compressed layout with `majors` slices over `minors` indices: lengths, pointers from
/// 0 and non-decreasing to nnz, indices in range and strictly increasing within each slice,
/// finite values. `(major, minor)` → (row, column) for the non-finite message via `rc`.
fn validate(
    l: &Layout,
    majors: usize,
    minors: usize,
    ptr: &[usize],
    idx: &[usize],
    values: &[f64],
    rc: impl Fn(usize, usize) -> (usize, usize),
) -> Result<(), SparseError> {
    if ptr.len() != majors + 1 {
        return Err(SparseError::Length {
            array: l.ptr,
            len: ptr.len(),
            expected: majors + 1,
            why: if l.major == "column" {
                "p + 1"
            } else {
                "n + 1"
            },
        });
    }
    if values.len() != idx.len() {
        return Err(SparseError::Length {
            array: "values",
            len: values.len(),
            expected: idx.len(),
            why: "one value per index",
        });
    }
    if ptr[0] != 0 {
        return Err(SparseError::PointerStart {
            array: l.ptr,
            value: ptr[0],
        });
    }
    for k in 1..ptr.len() {
        if ptr[k] < ptr[k - 1] {
            return Err(SparseError::NotMonotone {
                array: l.ptr,
                index: k,
                value: ptr[k],
                prev: ptr[k - 1],
            });
        }
    }
    if ptr[majors] != idx.len() {
        return Err(SparseError::Length {
            array: l.idx,
            len: idx.len(),
            expected: ptr[majors],
            why: if l.major == "column" {
                "col_ptr[p], the number of non-zeros"
            } else {
                "row_ptr[n], the number of non-zeros"
            },
        });
    }
    for s in 0..majors {
        for k in ptr[s]..ptr[s + 1] {
            let i = idx[k];
            if i >= minors {
                return Err(SparseError::OutOfRange {
                    array: l.idx,
                    index: k,
                    value: i,
                    bound: minors,
                    axis: l.minor,
                    major: l.major,
                    slice: s,
                });
            }
            if k > ptr[s] && i <= idx[k - 1] {
                return Err(SparseError::Unsorted {
                    array: l.idx,
                    index: k,
                    value: i,
                    prev: idx[k - 1],
                    major: l.major,
                    slice: s,
                });
            }
            if !values[k].is_finite() {
                let (row, col) = rc(s, i);
                return Err(SparseError::NonFinite {
                    index: k,
                    value: values[k],
                    row,
                    col,
                });
            }
        }
    }
    Ok(())
}

impl Csc {
    /// Takes CSC arrays as they are (scipy's `csc_matrix` `indptr`, `indices`, `data`), after
    /// checking them: `col_ptr` has p + 1 entries from 0, non-decreasing, ending at nnz;
    /// `row_idx` < n and strictly increasing within each column; `values` finite.
    pub fn from_csc(
        n: usize,
        p: usize,
        col_ptr: Vec<usize>,
        row_idx: Vec<usize>,
        values: Vec<f64>,
    ) -> Result<Csc, SparseError> {
        validate(&CSC, p, n, &col_ptr, &row_idx, &values, |j, i| (i, j))?;
        Ok(Csc {
            n,
            p,
            col_ptr,
            row_idx,
            values,
        })
    }

    /// Converts checked CSR arrays (scipy's `csr_matrix`; svmlight rows) to CSC by a counting
    /// sort over columns: O(n + p + nnz) time, the CSC arrays' memory besides the input's.
    pub fn from_csr(
        n: usize,
        p: usize,
        row_ptr: Vec<usize>,
        col_idx: Vec<usize>,
        values: Vec<f64>,
    ) -> Result<Csc, SparseError> {
        validate(&CSR, n, p, &row_ptr, &col_idx, &values, |i, j| (i, j))?;
        let nnz = values.len();
        let mut col_ptr = vec![0usize; p + 1];
        for &j in &col_idx {
            col_ptr[j + 1] += 1;
        }
        for j in 0..p {
            col_ptr[j + 1] += col_ptr[j];
        }
        let mut next = col_ptr[..p].to_vec();
        let mut row_idx = vec![0usize; nnz];
        let mut out = vec![0.0; nnz];
        // rows in increasing order, so each column's rows come out sorted
        for i in 0..n {
            for k in row_ptr[i]..row_ptr[i + 1] {
                let j = col_idx[k];
                row_idx[next[j]] = i;
                out[next[j]] = values[k];
                next[j] += 1;
            }
        }
        Ok(Csc {
            n,
            p,
            col_ptr,
            row_idx,
            values: out,
        })
    }

    /// (n, p): rows (samples) and columns (features).
    pub fn dim(&self) -> (usize, usize) {
        (self.n, self.p)
    }

    /// The number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// Column j: its row indices (sorted, unique) and values.
    #[inline]
    pub fn col(&self, j: usize) -> (&[usize], &[f64]) {
        let (a, b) = (self.col_ptr[j], self.col_ptr[j + 1]);
        (&self.row_idx[a..b], &self.values[a..b])
    }

    /// The three arrays (`col_ptr`, `row_idx`, `values`), for writers.
    pub fn parts(&self) -> (&[usize], &[usize], &[f64]) {
        (&self.col_ptr, &self.row_idx, &self.values)
    }

    /// Bytes of the three arrays: what the sparse storage of X costs in memory.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<usize>() * (self.col_ptr.len() + self.row_idx.len())
            + std::mem::size_of::<f64>() * self.values.len()
    }

    /// The dense n × p matrix (column-major), for tests and small comparisons: it allocates
    /// n·p values, which is what this storage exists to avoid.
    pub fn to_dense(&self) -> Array2<f64> {
        let mut x = Array2::zeros((self.n, self.p).f());
        for j in 0..self.p {
            let (rows, vals) = self.col(j);
            for (&i, &v) in rows.iter().zip(vals) {
                x[[i, j]] = v;
            }
        }
        x
    }

    /// The CSC of a dense matrix's non-zero entries (tests, small inputs).
    pub fn from_dense(x: ndarray::ArrayView2<f64>) -> Result<Csc, SparseError> {
        let (n, p) = x.dim();
        let mut col_ptr = Vec::with_capacity(p + 1);
        let (mut row_idx, mut values) = (Vec::new(), Vec::new());
        col_ptr.push(0);
        for col in x.columns() {
            for (i, &v) in col.iter().enumerate() {
                if v != 0.0 {
                    row_idx.push(i);
                    values.push(v);
                }
            }
            col_ptr.push(values.len());
        }
        Csc::from_csc(n, p, col_ptr, row_idx, values)
    }

    /// The rows `rows` (in that order) of X, as a new CSC: a training fold.
    pub fn select_rows(&self, rows: &[usize]) -> Csc {
        let mut new_of = vec![usize::MAX; self.n];
        for (k, &i) in rows.iter().enumerate() {
            new_of[i] = k;
        }
        let sorted = rows.windows(2).all(|w| w[0] < w[1]);
        let mut col_ptr = Vec::with_capacity(self.p + 1);
        let (mut row_idx, mut values) = (Vec::new(), Vec::new());
        col_ptr.push(0);
        let mut pairs: Vec<(usize, f64)> = Vec::new();
        for j in 0..self.p {
            let (ri, vals) = self.col(j);
            pairs.clear();
            pairs.extend(
                ri.iter()
                    .zip(vals)
                    .filter(|(&i, _)| new_of[i] != usize::MAX)
                    .map(|(&i, &v)| (new_of[i], v)),
            );
            if !sorted {
                pairs.sort_unstable_by_key(|&(i, _)| i);
            }
            for &(i, v) in &pairs {
                row_idx.push(i);
                values.push(v);
            }
            col_ptr.push(values.len());
        }
        Csc {
            n: rows.len(),
            p: self.p,
            col_ptr,
            row_idx,
            values,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn example() -> Array2<f64> {
        array![
            [1.0, 0.0, 0.0, 2.0],
            [0.0, 0.0, 3.0, 0.0],
            [4.0, 0.0, 5.0, 0.0]
        ]
    }

    /// CSC and CSR arrays of the same matrix (written out by hand) give the same dense matrix.
    #[test]
    fn csc_and_csr_give_the_same_matrix() {
        let csc = Csc::from_csc(
            3,
            4,
            vec![0, 2, 2, 4, 5],
            vec![0, 2, 1, 2, 0],
            vec![1.0, 4.0, 3.0, 5.0, 2.0],
        )
        .unwrap();
        let csr = Csc::from_csr(
            3,
            4,
            vec![0, 2, 3, 5],
            vec![0, 3, 2, 0, 2],
            vec![1.0, 2.0, 3.0, 4.0, 5.0],
        )
        .unwrap();
        assert_eq!(csc.to_dense(), example());
        assert_eq!(csr, csc);
        assert_eq!(csc.dim(), (3, 4));
        assert_eq!(csc.nnz(), 5);
        assert_eq!(csc.col(2), (&[1usize, 2][..], &[3.0, 5.0][..]));
        assert_eq!(csc.col(1), (&[][..], &[][..]));
        assert_eq!(Csc::from_dense(example().view()).unwrap(), csc);
        let fold = csc.select_rows(&[2, 0]);
        assert_eq!(
            fold.to_dense(),
            array![[4.0, 0.0, 5.0, 0.0], [1.0, 0.0, 0.0, 2.0]]
        );
    }

    /// Every kind of bad input is refused with the array, index and value at fault.
    #[test]
    fn constructors_say_what_is_wrong_and_where() {
        let csc = |ptr: Vec<usize>, idx: Vec<usize>, val: Vec<f64>| {
            Csc::from_csc(3, 2, ptr, idx, val).unwrap_err()
        };
        let e = csc(vec![0, 1], vec![0], vec![1.0]);
        assert!(matches!(
            e,
            SparseError::Length {
                array: "col_ptr",
                len: 2,
                expected: 3,
                ..
            }
        ));
        let e = csc(vec![0, 1, 2], vec![0, 1], vec![1.0]);
        assert!(matches!(
            e,
            SparseError::Length {
                array: "values",
                ..
            }
        ));
        let e = csc(vec![1, 1, 2], vec![0, 1], vec![1.0, 2.0]);
        assert_eq!(
            e,
            SparseError::PointerStart {
                array: "col_ptr",
                value: 1
            }
        );
        let e = csc(vec![0, 2, 1], vec![0, 1], vec![1.0, 2.0]);
        assert!(matches!(
            e,
            SparseError::NotMonotone {
                index: 2,
                value: 1,
                prev: 2,
                ..
            }
        ));
        assert!(
            e.to_string()
                .contains("col_ptr[2] = 1 is less than col_ptr[1] = 2"),
            "{e}"
        );
        let e = csc(vec![0, 1, 3], vec![0, 1], vec![1.0, 2.0]);
        assert!(matches!(
            e,
            SparseError::Length {
                array: "row_idx",
                expected: 3,
                ..
            }
        ));
        let e = csc(vec![0, 1, 2], vec![0, 3], vec![1.0, 2.0]);
        assert!(matches!(
            e,
            SparseError::OutOfRange {
                array: "row_idx",
                index: 1,
                value: 3,
                bound: 3,
                slice: 1,
                ..
            }
        ));
        let e = csc(vec![0, 2, 2], vec![1, 1], vec![1.0, 2.0]);
        assert!(matches!(
            e,
            SparseError::Unsorted {
                index: 1,
                value: 1,
                prev: 1,
                slice: 0,
                ..
            }
        ));
        let e = csc(vec![0, 2, 2], vec![2, 0], vec![1.0, 2.0]);
        assert!(matches!(
            e,
            SparseError::Unsorted {
                index: 1,
                value: 0,
                prev: 2,
                ..
            }
        ));
        let e = csc(vec![0, 1, 2], vec![0, 2], vec![1.0, f64::NAN]);
        assert!(matches!(
            e,
            SparseError::NonFinite {
                index: 1,
                row: 2,
                col: 1,
                ..
            }
        ));
        // CSR: the same checks under the CSR names, non-finite reported at (row, column)
        let e = Csc::from_csr(2, 3, vec![0, 1, 2], vec![0, 5], vec![1.0, 2.0]).unwrap_err();
        assert!(matches!(
            e,
            SparseError::OutOfRange {
                array: "col_idx",
                value: 5,
                bound: 3,
                axis: "column",
                slice: 1,
                ..
            }
        ));
        let e = Csc::from_csr(2, 3, vec![0, 2], vec![0, 1], vec![1.0, 2.0]).unwrap_err();
        assert!(matches!(
            e,
            SparseError::Length {
                array: "row_ptr",
                expected: 3,
                ..
            }
        ));
        let e = Csc::from_csr(2, 3, vec![0, 0, 1], vec![2], vec![f64::INFINITY]).unwrap_err();
        assert!(matches!(e, SparseError::NonFinite { row: 1, col: 2, .. }));
        let e = Csc::from_csr(2, 3, vec![0, 2, 2], vec![2, 1], vec![1.0, 1.0]).unwrap_err();
        assert!(
            e.to_string().contains("col_idx[1] = 1 follows 2 in row 0"),
            "{e}"
        );
    }
}
