//! Stable sorting through one copy of the standard library's sort.
//!
//! `sort_by` is generic over the element and the comparison, so every call with a closure
//! of its own compiles a sort of its own into the browser's Wasm: the page held 22 copies
//! of the stable sort, and sorting was 93 KB of its 1.7 MB (twiggy, 2026-12-05). These
//! functions sort the positions
//! instead, comparing through one `dyn` closure, then move each element to its place: the
//! same order as `sort_by` (equal elements keep theirs) from one sort in the binary.
//! `clippy.toml` points every other sort here. Collecting into a `BTreeMap` or `BTreeSet`
//! sorts too, a sort per element type: [`map`] and [`set`] insert instead.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, keeping equal items in the order they had (as `sort_by`).
pub fn by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    positions(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    place(items, &mut order);
}

/// Sorts `items` by the key `key` gives, keeping equal ones in order (as `sort_by_key`).
pub fn by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, keeping equal ones in order (as `sort`).
pub fn ascending<T: Ord>(items: &mut [T]) {
    by(items, T::cmp);
}

/// The map of `pairs`, inserted one by one (a later pair's value wins, as with `collect`).
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The set of `items`, inserted one by one.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The one sort: positions, compared through `dyn`.
#[allow(clippy::disallowed_methods)]
fn positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Moves the element at `order[i]` to place `i` for every `i`, following each cycle of the
/// permutation once; `order` is left as the identity.
fn place<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys included.
        #[test]
        #[allow(clippy::disallowed_methods)]
        fn sorts_as_sort_by(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let tagged: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = tagged.clone();
            by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut theirs = tagged;
            theirs.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn keys_and_plain_order() {
        let mut words = vec!["pear", "fig", "apple", "kiwi"];
        by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "apple"]);
        ascending(&mut words);
        assert_eq!(words, ["apple", "fig", "kiwi", "pear"]);
    }

    #[test]
    fn maps_and_sets_as_collect() {
        let pairs = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd')];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(set([3, 1, 3, 2]), BTreeSet::from([1, 2, 3]));
    }
}
