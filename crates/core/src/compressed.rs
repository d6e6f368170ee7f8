//! Compressed sparse slices as a reader finds them in a file — the rows of CSR or the columns of
//! CSC: `ptr` (slices + 1 offsets), `idx` (the other axis' index of each entry) and `val`. Files
//! may hold a slice's indices unsorted or repeated (scipy allows both); [`normalize`] sorts them
//! and sums the values of a repeated index, as scipy's `sum_duplicates` does, so that the
//! storage's constructors, which require sorted unique indices, accept the result.

/// What [`normalize`] changed: the slices it sorted or merged and how many entries were summed
/// into others, for the reader's note.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// Slices whose indices were not strictly increasing.
    pub slices: usize,
    /// The first such slice.
    pub first: Option<usize>,
    /// Entries removed by summing them into an entry of the same index.
    pub summed: usize,
}

impl Normalized {
    /// Whether nothing changed.
    pub fn is_clean(&self) -> bool {
        self.slices == 0
    }
}

/// Sorts the indices within each slice and sums the values of repeated indices, in place
/// (`ptr`, `idx`, `val` shrink by the summed entries). `ptr` must be a valid offset array
/// (starts at 0, non-decreasing, ends at `idx.len() == val.len()`): readers check it first.
pub fn normalize(ptr: &mut [usize], idx: &mut Vec<usize>, val: &mut Vec<f64>) -> Normalized {
    let mut report = Normalized::default();
    let mut write = 0usize;
    let mut pairs: Vec<(usize, f64)> = Vec::new();
    let mut start = ptr.first().copied().unwrap_or(0);
    for s in 0..ptr.len().saturating_sub(1) {
        let end = ptr[s + 1];
        let clean = idx[start..end].windows(2).all(|w| w[0] < w[1]);
        if clean {
            idx.copy_within(start..end, write);
            val.copy_within(start..end, write);
            write += end - start;
        } else {
            report.slices += 1;
            report.first.get_or_insert(s);
            pairs.clear();
            pairs.extend(
                idx[start..end]
                    .iter()
                    .copied()
                    .zip(val[start..end].iter().copied()),
            );
            pairs.sort_by_key(|&(i, _)| i);
            let slice_start = write;
            for &(i, v) in &pairs {
                if write > slice_start && idx[write - 1] == i {
                    val[write - 1] += v;
                    report.summed += 1;
                } else {
                    idx[write] = i;
                    val[write] = v;
                    write += 1;
                }
            }
        }
        start = end;
        ptr[s + 1] = write;
    }
    idx.truncate(write);
    val.truncate(write);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_slices_are_kept_and_others_sorted_and_summed() {
        // slice 0 sorted, slice 1 unsorted with a repeat of index 2, slice 2 empty, slice 3 one entry
        let mut ptr = vec![0, 2, 6, 6, 7];
        let mut idx = vec![0, 3, 2, 0, 2, 1, 4];
        let mut val = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let r = normalize(&mut ptr, &mut idx, &mut val);
        assert_eq!(ptr, vec![0, 2, 5, 5, 6]);
        assert_eq!(idx, vec![0, 3, 0, 1, 2, 4]);
        assert_eq!(val, vec![1.0, 2.0, 4.0, 6.0, 8.0, 7.0]);
        assert_eq!(
            r,
            Normalized {
                slices: 1,
                first: Some(1),
                summed: 1
            }
        );
        let mut ptr = vec![0, 1];
        let (mut idx, mut val) = (vec![5], vec![1.0]);
        assert!(normalize(&mut ptr, &mut idx, &mut val).is_clean());
    }
}
