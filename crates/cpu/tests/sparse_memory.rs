//! Sparse X is never densified: a 200,000 × 100,000 CSC matrix with 2,000,000 non-zeros (160 GB
//! as a dense f64 array) solved for 5 alphas with an intercept and standardization, every
//! allocation counted by a global allocator: none comes near n × p values and the peak of live
//! memory stays within a small multiple of the CSC arrays.

use ndarray::Array1;
use regpath_core::{
    alpha_grid, alpha_max, Csc, Dataset, Design, DesignOptions, Loss, Penalty, Problem,
};
use regpath_cpu::{solve, CpuParams, CpuSolver};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes, their peak and the largest single request.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
            LARGEST.fetch_max(layout.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// splitmix64: a fixed, dependency-free stream of test data.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        self.next() as f64 / 2f64.powi(64)
    }
}

#[test]
fn a_160_gb_dense_equivalent_solves_in_memory_proportional_to_nnz() {
    let (n, p, per_col) = (200_000usize, 100_000usize, 20usize);
    let mut s = Stream(7);
    let mut col_ptr = Vec::with_capacity(p + 1);
    let mut row_idx = Vec::with_capacity(p * per_col);
    let mut values = Vec::with_capacity(p * per_col);
    col_ptr.push(0);
    let mut rows = Vec::with_capacity(per_col);
    for _ in 0..p {
        rows.clear();
        rows.extend((0..per_col).map(|_| (s.next() % n as u64) as usize));
        rows.sort_unstable();
        rows.dedup();
        for &i in &rows {
            row_idx.push(i);
            values.push(0.5 + s.uniform());
        }
        col_ptr.push(row_idx.len());
    }
    let x = Csc::from_csc(n, p, col_ptr, row_idx, values).unwrap();
    let csc_bytes = x.bytes();
    // y from 10 informative columns plus noise
    let mut y = Array1::from_iter((0..n).map(|_| 0.1 * (s.uniform() - 0.5)));
    for j in 0..10 {
        let (ri, vals) = x.col(j * 997);
        for (&i, &v) in ri.iter().zip(vals) {
            y[i] += v;
        }
    }
    let data = Dataset::sparse(x, y).unwrap();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    LARGEST.store(0, Relaxed);
    let options = DesignOptions {
        fit_intercept: true,
        standardize: true,
        loss: Loss::Squared,
    };
    let design = Design::new(&data, options).unwrap();
    let top = alpha_max(&design, Loss::Squared, Penalty::LASSO);
    let problem = Problem::new(
        Loss::Squared,
        Penalty::LASSO,
        alpha_grid(top, 5, 0.2).unwrap(),
    )
    .unwrap();
    let params = CpuParams {
        solver: CpuSolver::Cd,
        tol: 1e-8,
        max_iter: 10_000,
    };
    let path = solve(&design, &problem, &params).unwrap();
    let certs = problem.certify(&design, &path);
    let (peak, largest) = (PEAK.load(Relaxed) - before, LARGEST.load(Relaxed));
    for (k, c) in certs.iter().enumerate() {
        assert!(c.rel_gap <= 1e-8, "alpha {k}: {c:?}");
    }
    assert!(certs[4].nnz > 0, "the smallest alpha selects features");
    let dense_bytes = n * p * 8;
    eprintln!("CSC arrays {csc_bytes} B; solve and certification: peak {peak} B above the data, largest allocation {largest} B; dense X would be {dense_bytes} B");
    // the largest single allocation is a vector of n or p values (plus the K × p path)
    assert!(
        largest <= 5 * p * 8 + n * 8,
        "largest allocation {largest} bytes"
    );
    assert!(largest * 10_000 < dense_bytes);
    // the design shares X with the data; the solve adds vectors of n and p values and Gram
    // columns of the active features
    assert!(
        peak <= 2 * csc_bytes,
        "peak {peak} bytes above the data's for CSC arrays of {csc_bytes} bytes"
    );
}
