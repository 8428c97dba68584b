//! Probability tables over the working/failed states of a few shared components, for exact
//! availability by variable elimination.
//!
//! A factor maps each assignment of its scope (bit i of the index = state of `scope[i]`) to a
//! probability, and remembers how many references to each scope variable it has absorbed, so
//! a variable can be summed out as soon as every reference to it is inside one factor.

use smallvec::{smallvec, SmallVec};

/// Variables of a factor, or entries of its table, stored inline up to four: a large
/// design's factors are almost all over no or one shared component, and a heap allocation
/// for each was a third of its availability's cost.
type Small<T> = SmallVec<[T; 4]>;

/// A table over the states of the variables in `scope` (sorted).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Factor {
    pub scope: Small<usize>,
    pub table: Small<f64>,
    /// References absorbed, per scope variable (same order as `scope`).
    pub refs: Small<u32>,
}

impl Factor {
    /// A constant.
    pub fn constant(p: f64) -> Factor {
        Factor {
            scope: Small::new(),
            table: smallvec![p],
            refs: Small::new(),
        }
    }

    /// The indicator of variable `v` working (one reference to it).
    pub fn indicator(v: usize) -> Factor {
        Factor {
            scope: smallvec![v],
            table: smallvec![0.0, 1.0],
            refs: smallvec![1],
        }
    }

    /// Applies `op` pointwise over the union of both scopes; reference counts add up.
    /// `None` when the union has more than `most` variables: the table would have
    /// `2^most` entries, and a design can make that any size. When `other`'s scope is
    /// within ours (a constant, most often) the table is updated in place: most factors of
    /// a large design are constants, and a new table per product was most of the time
    /// spent on its availability. `op` is a plain function, not a closure type of its own:
    /// each closure type compiled a copy of this method into the page's Wasm.
    pub fn zip(mut self, other: &Factor, most: usize, op: fn(f64, f64) -> f64) -> Option<Factor> {
        if self.scope.len() <= most && other.scope.iter().all(|v| self.scope.contains(v)) {
            let map = positions(&self.scope, &other.scope);
            for (i, p) in self.table.iter_mut().enumerate() {
                *p = op(*p, other.table[project(i, &map)]);
            }
            for (v, r) in other.scope.iter().zip(&other.refs) {
                if let Some(at) = self.scope.iter().position(|x| x == v) {
                    self.refs[at] += r;
                }
            }
            return Some(self);
        }
        let mut scope: Small<usize> = self.scope.iter().chain(&other.scope).copied().collect();
        scope.sort_unstable();
        scope.dedup();
        if scope.len() > most {
            return None;
        }
        let refs = scope
            .iter()
            .map(|v| count(&self.scope, &self.refs, *v) + count(&other.scope, &other.refs, *v))
            .collect();
        let map_a = positions(&scope, &self.scope);
        let map_b = positions(&scope, &other.scope);
        let table = (0..1usize << scope.len())
            .map(|i| {
                op(
                    self.table[project(i, &map_a)],
                    other.table[project(i, &map_b)],
                )
            })
            .collect();
        Some(Factor { scope, table, refs })
    }

    /// `self − other` for two evaluations of one expression (the same references), which
    /// are counted once, not added.
    pub fn minus(self, other: &Factor, most: usize) -> Option<Factor> {
        let ours = (self.scope.clone(), self.refs.clone());
        let mut out = self.zip(other, most, |x, y| x - y)?;
        out.refs = out
            .scope
            .iter()
            .map(|&x| count(&ours.0, &ours.1, x).max(other.refs_of(x)))
            .collect();
        Some(out)
    }

    /// `1 − f`.
    pub fn complement(mut self) -> Factor {
        for p in &mut self.table {
            *p = 1.0 - *p;
        }
        self
    }

    /// The same table, with `refs(v)` references to each scope variable: for a table built
    /// from its parts more than once each (a count over members), whose every part was
    /// absorbed once.
    pub fn recount(mut self, refs: impl Fn(usize) -> u32) -> Factor {
        self.refs = self.scope.iter().map(|&v| refs(v)).collect();
        self
    }

    /// References absorbed for variable `v`.
    pub fn refs_of(&self, v: usize) -> u32 {
        count(&self.scope, &self.refs, v)
    }

    /// Sums variable `v` out: `Σ_x P(v = x | g's scope) · self|_{v=x}`, where `works` is the
    /// factor `P(v works | …)`. The result's scope is the rest of ours plus `works`' scope;
    /// `None` when that is more than `most` variables.
    pub fn eliminate(&self, v: usize, works: &Factor, most: usize) -> Option<Factor> {
        let Some(at) = self.scope.iter().position(|&x| x == v) else {
            return Some(self.clone());
        };
        let rest: Small<usize> = self.scope.iter().copied().filter(|&x| x != v).collect();
        let mut scope: Small<usize> = rest.iter().chain(&works.scope).copied().collect();
        scope.sort_unstable();
        scope.dedup();
        if scope.len() > most {
            return None;
        }
        let map_rest = positions(&scope, &rest);
        let map_works = positions(&scope, &works.scope);
        let low = (1usize << at) - 1;
        let table = (0..1usize << scope.len())
            .map(|i| {
                // Our entries with v failed and working, at this assignment of the rest.
                let j = project(i, &map_rest);
                let down = (j >> at) << (at + 1) | (j & low);
                let up = down | (1 << at);
                let w = works.table[project(i, &map_works)];
                self.table[down] * (1.0 - w) + self.table[up] * w
            })
            .collect();
        let refs = scope
            .iter()
            .map(|&x| {
                if x == v {
                    0
                } else {
                    self.refs_of(x) + works.refs_of(x)
                }
            })
            .collect();
        Some(Factor { scope, table, refs })
    }
}

fn count(scope: &[usize], refs: &[u32], v: usize) -> u32 {
    scope.iter().position(|&x| x == v).map_or(0, |i| refs[i])
}

/// For each variable of `sub`, its bit position in `full`.
fn positions(full: &[usize], sub: &[usize]) -> Small<usize> {
    sub.iter()
        .map(|v| full.iter().position(|x| x == v).unwrap_or(0))
        .collect()
}

/// The index in a `sub`-table of the assignment with index `i` in the full table.
fn project(i: usize, map: &[usize]) -> usize {
    map.iter()
        .enumerate()
        .fold(0, |acc, (k, &bit)| acc | (((i >> bit) & 1) << k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eliminating_a_shared_variable_conditions_on_it() {
        // Two parents both need a shared child c (works with 0.9); parent a also needs its own
        // part (0.8), parent b (0.7); the root needs a or b:
        // P = 0.9 · (1 − (1 − 0.8)(1 − 0.7)) = 0.9 · 0.94.
        let c = 7;
        let a = Factor::indicator(c)
            .zip(&Factor::constant(0.8), 4, |x, y| x * y)
            .unwrap();
        let b = Factor::indicator(c)
            .zip(&Factor::constant(0.7), 4, |x, y| x * y)
            .unwrap();
        let or = a
            .complement()
            .zip(&b.complement(), 4, |x, y| x * y)
            .unwrap()
            .complement();
        assert_eq!(or.refs_of(c), 2);
        let done = or.eliminate(c, &Factor::constant(0.9), 4).unwrap();
        assert!(done.scope.is_empty());
        assert!((done.table[0] - 0.9 * 0.94).abs() < 1e-15);
    }
}
