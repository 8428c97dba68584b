//! What an instance costs a month: the kind's price, and for a cache the memory its share
//! of the keys needs.

use super::{Component, Kind, Scenario};

/// Memory of the cache node the default price buys: ElastiCache's cache.t4g.medium holds
/// 3.09 GiB for $0.065 an hour, about $47 a month (the source bill's $50). The larger
/// memory-optimised nodes (cache.r7g.large to .16xlarge) double in price as their memory
/// doubles, so a cache instance holding more is priced in proportion to its memory.
pub const CACHE_NODE_BYTES: f64 = 3.09 * 1024.0 * 1024.0 * 1024.0;

impl Scenario {
    /// Monthly price of one instance of `kind`, from the scenario's table or the default.
    pub fn price(&self, kind: Kind) -> f64 {
        self.prices
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_price())
    }

    /// Monthly price of one instance of `c`: its kind's price, times the default nodes
    /// whose memory each instance needs ([`Scenario::node_memory_factor`]).
    pub fn instance_price(&self, c: &Component) -> f64 {
        self.price(c.kind) * self.node_memory_factor(c)
    }

    /// Bytes a cache holds in all, its instances together: its size in keys times the
    /// traffic's object size (KB of 1 000 bytes). None for other kinds, or without both.
    pub fn cache_bytes(&self, c: &Component) -> Option<f64> {
        if c.kind != Kind::Cache {
            return None;
        }
        Some(c.opt_num("capacity_keys")? * self.traffic.object_kb? * 1000.0)
    }

    /// How many default cache nodes' memory ([`CACHE_NODE_BYTES`]) each instance of `c`
    /// holds, at least 1: the keys are shared out over the instances (MODEL.md §8).
    pub fn node_memory_factor(&self, c: &Component) -> f64 {
        self.cache_bytes(c).map_or(1.0, |bytes| {
            (bytes / c.num("instances").max(1.0) / CACHE_NODE_BYTES).max(1.0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Traffic;

    fn cache(keys: f64, instances: f64) -> Component {
        Component::new("c", Kind::Cache, "", 0.0, 0.0)
            .with("capacity_keys", keys)
            .with("instances", instances)
    }

    #[test]
    fn a_cache_within_one_node_costs_the_kinds_price() {
        let mut s = Scenario::new("t", Traffic::rps(100.0, 0.8, 0.2, 0.0));
        s.traffic.object_kb = Some(10.0);
        // 100 000 keys of 10 KB: 1 GB, within a node.
        assert_eq!(s.instance_price(&cache(1e5, 1.0)), 50.0);
        // Without an object size there is no memory to price.
        s.traffic.object_kb = None;
        assert_eq!(s.instance_price(&cache(1e9, 1.0)), 50.0);
    }

    #[test]
    fn a_cache_past_one_node_costs_its_memory_shared_over_its_instances() {
        let mut s = Scenario::new("t", Traffic::rps(100.0, 0.8, 0.2, 0.0));
        s.traffic.object_kb = Some(10.0);
        // 10 million keys of 10 KB: 100 GB, 32.4 nodes of 3.09 GiB.
        let nodes = 1e11 / CACHE_NODE_BYTES;
        assert!((s.instance_price(&cache(1e7, 1.0)) - 50.0 * nodes).abs() < 1e-9);
        // Four instances share it: each holds a quarter, and the total is the same.
        let four = cache(1e7, 4.0);
        assert!((4.0 * s.instance_price(&four) - 50.0 * nodes).abs() < 1e-9);
        // A table price scales alike.
        s.prices.insert(Kind::Cache, 80.0);
        assert!((s.instance_price(&cache(1e7, 1.0)) - 80.0 * nodes).abs() < 1e-9);
    }
}
