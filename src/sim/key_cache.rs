//! A cache that holds real keys during a run: lookups, fills, evictions by its policy,
//! expiry by its time to live and deletion by writes. Its hit ratio emerges from the
//! requests, starting from an empty cache (see MODEL.md, "Caches from the workload").

use crate::solve::hit_ratio::{CacheSpec, Eviction};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// One cached copy.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// When it was filled (for the time to live and FIFO).
    filled: f64,
    /// Its last use, as a use counter (LRU order).
    used: u64,
    /// Its place in `slots` (random eviction).
    slot: usize,
}

/// The keys a cache holds.
#[derive(Debug, Clone)]
pub(crate) struct KeyCache {
    capacity: usize,
    eviction: Eviction,
    ttl: f64,
    entries: HashMap<u64, Entry>,
    /// Fill order, with stale entries of keys since removed or refilled (FIFO, expiry).
    fills: VecDeque<(u64, f64)>,
    /// Residents by last use (LRU).
    by_use: BTreeSet<(u64, u64)>,
    /// Residents in no order (random eviction).
    slots: Vec<u64>,
    /// Requests per key since the start, and residents by that count (perfect LFU).
    counts: HashMap<u64, u64>,
    by_count: BTreeSet<(u64, u64)>,
    uses: u64,
    /// Instances the keys are spread over (consistent hashing: each holds the keys whose
    /// home it is, see [`home`]) and the room of each, keys.
    instances: usize,
    room: f64,
}

/// The instance among `instances` that holds `key` (a fixed hash, so that a run is the
/// same every time): with consistent hashing, a key stays on its instance while that one
/// works, whatever happens to the others.
fn home(key: u64, instances: usize) -> usize {
    // SplitMix64's finaliser: neighbouring ranks land on unrelated instances.
    let mut z = key.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z % instances.max(1) as u64) as usize
}

impl KeyCache {
    pub fn new(spec: CacheSpec) -> KeyCache {
        KeyCache {
            capacity: spec
                .capacity
                .map_or(usize::MAX, |c| c.clamp(0.0, usize::MAX as f64) as usize),
            eviction: spec.eviction,
            ttl: spec.ttl_s.unwrap_or(f64::INFINITY),
            entries: HashMap::new(),
            fills: VecDeque::new(),
            by_use: BTreeSet::new(),
            slots: Vec::new(),
            counts: HashMap::new(),
            by_count: BTreeSet::new(),
            uses: 0,
            instances: 1,
            room: spec.capacity.unwrap_or(f64::INFINITY),
        }
    }

    /// The cache, its room (`spec`'s capacity) shared equally by `instances` instances.
    pub fn over(self, instances: usize) -> KeyCache {
        KeyCache {
            instances: instances.max(1),
            room: self.room / instances.max(1) as f64,
            ..self
        }
    }

    /// The working instances go from `before` to `after` (the first `after` of them work).
    /// Instances that fail lose the keys they held, and those keys move to the others;
    /// instances that come back start empty, and the keys whose home they are leave the
    /// others for them: either way those keys are misses next time. The room follows the
    /// working instances.
    pub fn resize(&mut self, before: usize, after: usize) {
        let (lo, hi) = (before.min(after), before.max(after));
        let moved: Vec<u64> = self
            .entries
            .keys()
            .copied()
            .filter(|&k| (lo..hi).contains(&home(k, self.instances)))
            .collect();
        for k in moved {
            self.remove(k);
        }
        self.capacity = (self.room * after as f64)
            .round()
            .clamp(0.0, usize::MAX as f64) as usize;
        while self.entries.len() > self.capacity {
            match self.victim() {
                Some(k) => self.remove(k),
                None => break,
            }
        }
    }

    /// The resident a policy would evict first, taking the earliest slot for random
    /// eviction (only when the room shrinks, see [`resize`](Self::resize)).
    fn victim(&mut self) -> Option<u64> {
        match self.eviction {
            Eviction::Lru => self.by_use.first().map(|&(_, k)| k),
            Eviction::Fifo => self.oldest(),
            Eviction::Random => self.slots.first().copied(),
            Eviction::Lfu => self.by_count.first().map(|&(_, k)| k),
        }
    }

    /// Keys held now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// A read of `key` at `now`: whether the cache holds a live copy (and it counts as a use).
    pub fn lookup(&mut self, key: u64, now: f64) -> bool {
        self.expire(now);
        self.uses += 1;
        let count = {
            let c = self.counts.entry(key).or_insert(0);
            *c += 1;
            *c
        };
        let Some(e) = self.entries.get_mut(&key) else {
            return false;
        };
        let before = e.used;
        e.used = self.uses;
        self.by_use.remove(&(before, key));
        self.by_use.insert((self.uses, key));
        if self.eviction == Eviction::Lfu {
            self.by_count.remove(&(count - 1, key));
            self.by_count.insert((count, key));
        }
        true
    }

    /// The answer for `key` arrived from the origin at `now`: keep a copy, making room by
    /// the policy. Perfect LFU keeps it only if it was asked for more often than the least
    /// asked-for resident.
    pub fn fill(&mut self, key: u64, now: f64, random: impl FnOnce(usize) -> usize) {
        self.expire(now);
        if self.capacity == 0 || self.entries.contains_key(&key) {
            return;
        }
        let count = self.counts.get(&key).copied().unwrap_or(0);
        if self.entries.len() >= self.capacity {
            let victim = match self.eviction {
                Eviction::Lru => self.by_use.first().map(|&(_, k)| k),
                Eviction::Fifo => self.oldest(),
                Eviction::Random => self.slots.get(random(self.slots.len())).copied(),
                Eviction::Lfu => match self.by_count.first() {
                    Some(&(least, k)) if least < count => Some(k),
                    _ => return,
                },
            };
            if let Some(v) = victim {
                self.remove(v);
            }
        }
        self.uses += 1;
        self.entries.insert(
            key,
            Entry {
                filled: now,
                used: self.uses,
                slot: self.slots.len(),
            },
        );
        self.slots.push(key);
        self.fills.push_back((key, now));
        self.by_use.insert((self.uses, key));
        if self.eviction == Eviction::Lfu {
            self.by_count.insert((count, key));
        }
    }

    /// A write deleted `key` (cache-aside).
    pub fn invalidate(&mut self, key: u64) {
        self.remove(key);
    }

    /// Everything is lost (the cache died).
    pub fn clear(&mut self) {
        let counts = std::mem::take(&mut self.counts);
        *self = KeyCache {
            counts,
            instances: self.instances,
            room: self.room,
            ..KeyCache::new(CacheSpec {
                capacity: Some(self.capacity as f64),
                eviction: self.eviction,
                ttl_s: self.ttl.is_finite().then_some(self.ttl),
            })
        };
    }

    /// The oldest live fill, dropping stale records on the way.
    fn oldest(&mut self) -> Option<u64> {
        while let Some(&(k, t)) = self.fills.front() {
            if self.entries.get(&k).is_some_and(|e| e.filled == t) {
                return Some(k);
            }
            self.fills.pop_front();
        }
        None
    }

    /// Drops the copies older than the time to live (fills are in expiry order).
    fn expire(&mut self, now: f64) {
        if self.ttl.is_infinite() {
            return;
        }
        while let Some(k) = self.oldest() {
            match self.entries.get(&k) {
                Some(e) if now - e.filled >= self.ttl => self.remove(k),
                _ => break,
            }
        }
    }

    fn remove(&mut self, key: u64) {
        let Some(e) = self.entries.remove(&key) else {
            return;
        };
        self.by_use.remove(&(e.used, key));
        self.slots.swap_remove(e.slot);
        if let Some(&moved) = self.slots.get(e.slot) {
            if let Some(m) = self.entries.get_mut(&moved) {
                m.slot = e.slot;
            }
        }
        if self.eviction == Eviction::Lfu {
            let count = self.counts.get(&key).copied().unwrap_or(0);
            self.by_count.remove(&(count, key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(capacity: f64, eviction: Eviction, ttl: Option<f64>) -> KeyCache {
        KeyCache::new(CacheSpec {
            capacity: Some(capacity),
            eviction,
            ttl_s: ttl,
        })
    }

    #[test]
    fn each_policy_evicts_its_own_victim() {
        let first = |_: usize| 0;
        // LRU: 1 was used after 2, so 2 goes.
        let mut c = cache(2.0, Eviction::Lru, None);
        c.fill(1, 0.0, first);
        c.fill(2, 0.0, first);
        assert!(c.lookup(1, 1.0));
        c.fill(3, 2.0, first);
        assert!(c.lookup(1, 3.0) && !c.lookup(2, 3.0) && c.lookup(3, 3.0));
        // FIFO: 1 was filled first, so 1 goes despite its use.
        let mut c = cache(2.0, Eviction::Fifo, None);
        c.fill(1, 0.0, first);
        c.fill(2, 0.5, first);
        assert!(c.lookup(1, 1.0));
        c.fill(3, 2.0, first);
        assert!(!c.lookup(1, 3.0) && c.lookup(2, 3.0));
        // LFU: a key asked for once does not displace one asked for twice.
        let mut c = cache(1.0, Eviction::Lfu, None);
        c.lookup(1, 0.0);
        c.lookup(1, 0.0);
        c.fill(1, 0.0, first);
        c.lookup(2, 1.0);
        c.fill(2, 1.0, first);
        assert!(c.lookup(1, 2.0));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn copies_expire_and_writes_delete_them() {
        let mut c = cache(10.0, Eviction::Lru, Some(5.0));
        c.fill(1, 0.0, |_| 0);
        c.fill(2, 1.0, |_| 0);
        assert!(c.lookup(1, 4.9));
        assert!(
            !c.lookup(1, 5.0),
            "expired at its time to live, used or not"
        );
        assert!(c.lookup(2, 5.5));
        c.invalidate(2);
        assert!(!c.lookup(2, 5.6));
        assert_eq!(c.len(), 0);
        c.fill(3, 6.0, |_| 0);
        c.clear();
        assert!(!c.lookup(3, 6.1), "a dead cache comes back empty");
    }
}
