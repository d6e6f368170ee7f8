//! Look-ahead along the path: the working-set solves of a few consecutive alphas run before the
//! one pass over X that checks them all (the pass reads each column once and correlates it with
//! every alpha's residual), so that on dense X with n ≤ p the low-accuracy floor of one pass per
//! alpha falls to one pass per chunk. Each alpha of a chunk starts from the sequential strong
//! rule at the chunk's first alpha; a KKT violator or a gap above target at alpha i sends the
//! path back to alpha i with what it learned (see `cd::run_path`).

/// Most alphas in one chunk (the bits of [`Chunk::in_ws`]).
pub(crate) const MAX_CHUNK: usize = 8;
const _: () = assert!(MAX_CHUNK <= crate::kernels::MAX_MANY && MAX_CHUNK <= 8);

/// How far a chunk reaches: its alphas keep λ1 ≥ `REACH`·λ1 before the chunk (7 alphas of a
/// 100-alpha grid over three decades), so that the guess at its working sets stays close.
const REACH: f64 = 0.6;

/// How many alphas from `k` one chunk takes: 1 without an l1 penalty or where λ1 does not
/// decrease, else those down to [`REACH`] of λ1 at k − 1 (the first alpha compares with
/// itself), at most `cap`.
pub(crate) fn chunk_len(l1s: &[f64], k: usize, cap: usize) -> usize {
    let before = l1s[k.saturating_sub(1)];
    if before.is_nan() || before <= 0.0 {
        return 1;
    }
    let mut m = 1;
    while k + m < l1s.len()
        && m < cap.min(MAX_CHUNK)
        && l1s[k + m] <= l1s[k + m - 1]
        && l1s[k + m] > 0.0
        && l1s[k + m] >= REACH * before
    {
        m += 1;
    }
    m
}

/// One alpha solved on its working set, before the pass that checks it.
pub(crate) struct Solved {
    /// The working set, sorted.
    pub(crate) ws: Vec<usize>,
    /// β on `ws` (zero elsewhere).
    pub(crate) beta: Vec<f64>,
    /// The residual y − Xβ.
    pub(crate) r: Vec<f64>,
    /// The working-set CD's last stopping tolerance (objective scale).
    pub(crate) inner_tol: f64,
    pub(crate) epochs: usize,
}

/// The solved alphas of one chunk and what its pass found.
pub(crate) struct Chunk {
    pub(crate) solved: Vec<Solved>,
    /// Bit i of `in_ws[j]`: feature j is in alpha i's working set.
    pub(crate) in_ws: Vec<u8>,
    /// c = Xᵀr/n per solved alpha (upper bounds with the sign where the pass kept one).
    pub(crate) c: Vec<Vec<f64>>,
    /// The features any working set of the chunk held (where β may differ from zero).
    pub(crate) touched: Vec<usize>,
}

impl Chunk {
    pub(crate) fn new(p: usize) -> Chunk {
        Chunk {
            solved: Vec::with_capacity(MAX_CHUNK),
            in_ws: vec![0; p],
            c: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Empties the chunk (O(touched)).
    pub(crate) fn clear(&mut self) {
        for &j in &self.touched {
            self.in_ws[j] = 0;
        }
        self.touched.clear();
        self.solved.clear();
    }

    /// Adds a solved alpha; its working set's features get bit `solved.len()`.
    pub(crate) fn push(&mut self, s: Solved) {
        let bit = 1u8 << self.solved.len();
        for &j in &s.ws {
            if self.in_ws[j] == 0 {
                self.touched.push(j);
            }
            self.in_ws[j] |= bit;
        }
        self.solved.push(s);
    }

    /// Sizes `c` for the pass: one vector per solved alpha (at least), each `p` long.
    pub(crate) fn c_for_pass(&mut self) {
        let (m, p) = (self.solved.len(), self.in_ws.len());
        self.c.resize_with(m.max(self.c.len()), Vec::new);
        for c in &mut self.c[..m] {
            c.resize(p, 0.0);
        }
    }

    /// Writes alpha i's β into `beta` (all of the chunk's features are set: zero outside W_i).
    pub(crate) fn restore_beta(&self, i: usize, beta: &mut [f64]) {
        for &j in &self.touched {
            beta[j] = 0.0;
        }
        let s = &self.solved[i];
        for (&j, &b) in s.ws.iter().zip(&s.beta) {
            beta[j] = b;
        }
    }

    /// How many `usable` features outside alpha i's working set violate KKT (|c_j| > λ1).
    pub(crate) fn violators(&self, i: usize, l1: f64, usable: impl Fn(usize) -> bool) -> usize {
        let bit = 1u8 << i;
        self.c[i]
            .iter()
            .zip(&self.in_ws)
            .enumerate()
            .filter(|&(j, (c, &w))| w & bit == 0 && c.abs() > l1 && usable(j))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_reach_down_to_the_fraction_of_lambda_before_them() {
        // ratio 0.9 per step: 0.9^4 = 0.656 ≥ 0.6 > 0.9^5 = 0.59
        let l1s: Vec<f64> = (0..20).map(|i| 0.9f64.powi(i)).collect();
        assert_eq!(chunk_len(&l1s, 5, 8), 4);
        // the first alpha compares with itself: 1, 0.9, ... 0.9^4
        assert_eq!(chunk_len(&l1s, 0, 8), 5);
        assert_eq!(chunk_len(&l1s, 18, 8), 2, "the path's end");
        // slow decrease: capped at MAX_CHUNK
        let slow: Vec<f64> = (0..40).map(|i| 0.99f64.powi(i)).collect();
        assert_eq!(chunk_len(&slow, 3, 99), MAX_CHUNK);
        // an increase ends the chunk; no l1 penalty gives single alphas
        assert_eq!(chunk_len(&slow, 3, 3), 3, "the caller's cap");
        assert_eq!(chunk_len(&[1.0, 0.9, 0.95, 0.8], 1, 8), 1);
        assert_eq!(chunk_len(&[1.0, 0.9, 0.85, 0.95], 1, 8), 2);
        assert_eq!(chunk_len(&[0.0, 0.0, 0.0], 1, 8), 1);
    }

    #[test]
    fn a_chunk_keeps_each_alphas_working_set_and_restores_its_beta() {
        let mut ch = Chunk::new(6);
        let solved = |ws: Vec<usize>, beta: Vec<f64>| Solved {
            ws,
            beta,
            r: vec![],
            inner_tol: 1.0,
            epochs: 1,
        };
        ch.push(solved(vec![1, 3], vec![0.5, 0.0]));
        ch.push(solved(vec![1, 2, 3], vec![0.7, -0.1, 0.2]));
        ch.c_for_pass();
        for (i, c) in ch.c.iter_mut().enumerate() {
            *c = vec![0.0, 1.0, 0.3 * (1 - i) as f64, 1.0, 2.0, 0.0];
        }
        // feature 4 violates for both (outside every set), 2 for alpha 0 only (not in W_0);
        // 1 and 3 are above λ1 inside the sets
        assert_eq!(ch.violators(0, 0.25, |_| true), 2);
        assert_eq!(ch.violators(0, 0.25, |j| j != 4), 1);
        assert_eq!(ch.violators(1, 0.25, |_| true), 1);
        let mut beta = vec![9.0; 6];
        ch.restore_beta(0, &mut beta);
        assert_eq!(beta, vec![9.0, 0.5, 0.0, 0.0, 9.0, 9.0]);
        ch.restore_beta(1, &mut beta);
        assert_eq!(beta, vec![9.0, 0.7, -0.1, 0.2, 9.0, 9.0]);
        ch.clear();
        assert!(ch.in_ws.iter().all(|&w| w == 0) && ch.touched.is_empty());
    }
}
