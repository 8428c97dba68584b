//! Lists of neighbours per component, all in one buffer.
//!
//! A design's links into or out of each component were kept as one `Vec` per component:
//! at 100 components the solve spent a fifth of its time in the allocator, much of it on
//! these. One buffer and one table of offsets hold the same lists in two allocations.

use std::ops::Index;

/// For each of `n` rows, a list of items, in the order they were given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adjacency {
    /// Row `r`'s items are `items[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    items: Vec<usize>,
}

impl Adjacency {
    /// Rows `0..n` holding each `(row, item)` pair's item, per row in the order of `pairs`.
    /// A pair whose row is not below `n` is left out.
    pub fn new(n: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Adjacency {
        let mut starts = vec![0; n + 1];
        for (row, _) in pairs.clone().filter(|&(r, _)| r < n) {
            starts[row + 1] += 1;
        }
        for r in 0..n {
            starts[r + 1] += starts[r];
        }
        let mut next = starts.clone();
        let mut items = vec![0; starts[n]];
        for (row, item) in pairs.filter(|&(r, _)| r < n) {
            items[next[row]] = item;
            next[row] += 1;
        }
        Adjacency { starts, items }
    }

    /// The same rows with every item mapped by `f`.
    pub fn map(&self, f: impl Fn(usize) -> usize) -> Adjacency {
        Adjacency {
            starts: self.starts.clone(),
            items: self.items.iter().map(|&i| f(i)).collect(),
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each row's items, in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[usize]> + Clone {
        (0..self.len()).map(|r| &self[r])
    }
}

impl Index<usize> for Adjacency {
    type Output = [usize];

    fn index(&self, row: usize) -> &[usize] {
        &self.items[self.starts[row]..self.starts[row + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::Adjacency;

    #[test]
    fn rows_keep_the_order_items_were_given_in() {
        let pairs = [(2, 7), (0, 1), (2, 3), (0, 5), (9, 9)];
        let a = Adjacency::new(4, pairs.iter().copied());
        assert_eq!(a.len(), 4);
        let rows: Vec<&[usize]> = a.iter().collect();
        assert_eq!(rows, [&[1, 5][..], &[], &[7, 3], &[]]);
        assert_eq!(&a.map(|i| i * 10)[2], &[70, 30]);
        assert!(Adjacency::new(0, std::iter::empty()).is_empty());
    }
}
