//! Plain-text tables for terminal output: columns padded to their widest cell.

/// A table of text cells; the first `left` columns are left-aligned, the rest right-aligned.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    left: usize,
    left_last: bool,
}

impl Table {
    pub fn new(header: &[&str], left: usize) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            left,
            left_last: false,
        }
    }

    /// Left-aligns the last column too (free text such as a verdict).
    pub fn left_align_last(mut self) -> Table {
        self.left_last = true;
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let cols = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(cols) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, w) in width.iter().enumerate() {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(c.chars().count());
                if i > 0 {
                    s.push_str("  ");
                }
                if i < self.left || (self.left_last && i + 1 == cols) {
                    s.push_str(c);
                    if i + 1 < cols {
                        s.push_str(&" ".repeat(pad));
                    }
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
            }
            s.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        let total = width.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_left_and_right_columns() {
        let mut t = Table::new(&["id", "s"], 1);
        t.row(vec!["abc".into(), "1.5".into()]);
        t.row(vec!["a".into(), "10.25".into()]);
        assert_eq!(
            t.render(),
            "id       s\n----------\nabc    1.5\na    10.25\n"
        );
    }
}
