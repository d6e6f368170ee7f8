//! The working set of pathwise CD (squared and logistic): the nonzero coefficients plus the
//! sequential strong set `|c_j| ≥ 2λ1(k) − λ1(k−1)` (Tibshirani et al. 2012), grown by the
//! features that violate KKT (`|c_j| > λ1`) after a pass over all of X. c_j = x_jᵀr/n.

/// The features a CD solve cycles over, sorted, with a membership mask.
pub(crate) struct WorkingSet {
    pub(crate) ws: Vec<usize>,
    member: Vec<bool>,
}

impl WorkingSet {
    pub(crate) fn new(p: usize) -> WorkingSet {
        WorkingSet {
            ws: Vec::new(),
            member: vec![false; p],
        }
    }

    /// Restarts the set for a new alpha: the nonzero coefficients of `beta`, plus every
    /// `usable` feature passing the strong rule for λ1 after `prev_l1` (all of them when λ1 = 0).
    pub(crate) fn start(
        &mut self,
        beta: &[f64],
        c: &[f64],
        l1: f64,
        prev_l1: f64,
        usable: impl Fn(usize) -> bool,
    ) {
        let strong = 2.0 * l1 - prev_l1;
        self.ws.retain(|&j| beta[j] != 0.0);
        self.member.iter_mut().for_each(|v| *v = false);
        self.ws.iter().for_each(|&j| self.member[j] = true);
        self.add_where(|j| usable(j) && (l1 == 0.0 || c[j].abs() >= strong));
    }

    /// Sets the set to `ws` (sorted).
    pub(crate) fn reset_to(&mut self, ws: &[usize]) {
        self.ws.iter().for_each(|&j| self.member[j] = false);
        self.ws.clear();
        self.ws.extend_from_slice(ws);
        self.ws.iter().for_each(|&j| self.member[j] = true);
    }

    /// Membership by feature: `members()[j]` is whether j is in the set.
    pub(crate) fn members(&self) -> &[bool] {
        &self.member
    }

    /// Adds the `usable` features outside the set that violate KKT (|c_j| > λ1); returns how many.
    pub(crate) fn add_violators(
        &mut self,
        c: &[f64],
        l1: f64,
        usable: impl Fn(usize) -> bool,
    ) -> usize {
        let before = self.ws.len();
        self.add_where(|j| usable(j) && c[j].abs() > l1);
        self.ws.len() - before
    }

    fn add_where(&mut self, keep: impl Fn(usize) -> bool) {
        let before = self.ws.len();
        for j in 0..self.member.len() {
            if !self.member[j] && keep(j) {
                self.member[j] = true;
                self.ws.push(j);
            }
        }
        if self.ws.len() > before {
            self.ws.sort_unstable();
        }
    }
}
