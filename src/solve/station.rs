//! A component as a set of queues: how its instances, concurrency and shards share the load.
//!
//! Which servers share one queue changes the answer, so it is decided here, once:
//! - within one instance, its `concurrency` servers share the instance's queue (M/M/c);
//! - instances behind a round-robin, weighted or IP-hash balancer each queue on their own,
//!   receiving an even share (the split happens on arrival, before anyone knows which
//!   instance will free up first);
//! - instances behind least-connections balancers, and workers pulling from a message
//!   queue, form one shared queue of `instances × concurrency` servers (a request goes to
//!   whichever server is free, which is what a central queue does);
//! - each shard of a shard group is its own set of instances, loaded by its key share.

use super::num::Num;
use super::queueing::{constant_service, service_lst, Queue, Solved, Wait};
use super::token_bucket::rejected_share;
use crate::model::{Component, Kind};
use smallvec::SmallVec;

/// The queueing configuration of one component.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Station {
    /// Service rate of one server, per second.
    pub mu: f64,
    /// Squared coefficient of variation of the service time.
    pub cs2: f64,
    /// Instances (per shard, for a shard group).
    pub instances: u64,
    /// Servers per instance.
    pub concurrency: u64,
    /// Waiting places per instance (`None`: unlimited).
    pub waiting: Option<u64>,
    /// Longest wait before a request is shed, seconds (`None`: no limit).
    pub deadline: Option<f64>,
    /// A token bucket in front (`None`: no limit).
    pub limit: Option<Limit>,
    /// Whether all instances share one queue.
    pub shared: bool,
    /// Share of the load each shard receives (one entry of 1.0 when not sharded).
    pub shards: Vec<f64>,
    /// Share of passing requests that reach the servers at all (DNS: uncached lookups).
    pub visit: f64,
    /// Per-instance availability.
    pub availability: f64,
}

/// A rate limit: a token bucket for all traffic, or one per client.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Limit {
    /// Refill rate, per second.
    pub rate: f64,
    /// Tokens a bucket holds.
    pub burst: f64,
    /// With a bucket per client: each client's share of the traffic reaching the limit
    /// (empty: one bucket for all).
    pub clients: Vec<f64>,
}

impl Limit {
    /// The share of `lambda` Poisson arrivals per second the limit rejects. With a bucket per
    /// client, each client's stream (its share of `lambda`, Poisson by thinning) meets its
    /// own bucket.
    pub fn rejected(&self, lambda: f64) -> f64 {
        if self.clients.is_empty() {
            return rejected_share(lambda, self.rate, self.burst);
        }
        self.clients
            .iter()
            .map(|&w| w * rejected_share(lambda * w, self.rate, self.burst))
            .sum()
    }
}

/// One group of identical queues inside a station.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Part {
    /// Share of the station's arrivals that go to this group.
    pub weight: f64,
    /// The queue each of them is.
    pub queue: Queue,
    /// Its solution.
    pub solved: Solved,
}

/// A station's steady state at a given arrival rate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Load {
    /// One per distinct shard queue: almost always one, so kept inline.
    pub parts: SmallVec<[Part; 1]>,
    /// Share of the requests passing the component that are served (not dropped).
    pub accept: f64,
    /// Share of the requests reaching it that its rate limit rejects (part of the dropped).
    pub rejected: f64,
    /// Busy share of all servers together.
    pub utilization: f64,
    /// The highest offered load of any part (the first to saturate).
    pub load: f64,
    /// Mean time at the station of a served request that visits the servers, seconds.
    pub mean_sojourn: f64,
    visit: f64,
    mu: f64,
    cs2: f64,
}

impl Station {
    /// Reads a component's parameters. The component must be valid.
    pub fn new(c: &Component, shared: bool) -> Station {
        let count = |key: &str| c.num(key).max(1.0) as u64;
        let shards = if c.kind == Kind::ShardGroup {
            group_shares(c, count("shards") as usize, None)
        } else {
            vec![1.0]
        };
        let cv = c.num("service_cv");
        Station {
            mu: 1000.0 / c.num("service_time_ms"),
            cs2: cv * cv,
            instances: count("instances"),
            concurrency: count("concurrency"),
            waiting: c.opt_num("queue_capacity").map(|w| w as u64),
            deadline: c.opt_num("max_wait_ms").map(|ms| ms / 1000.0),
            limit: c.opt_num("rate_limit_rps").map(|rate| Limit {
                rate,
                burst: c.num("burst"),
                clients: Vec::new(),
            }),
            shared,
            shards,
            visit: if c.kind == Kind::Dns {
                c.num("lookup_share")
            } else {
                1.0
            },
            availability: c.num("availability"),
        }
    }

    /// Bits that identify the station: equal keys, equal stations.
    pub fn key(&self) -> Vec<u64> {
        let mut key = vec![
            self.mu.to_bits(),
            self.cs2.to_bits(),
            self.instances,
            self.concurrency,
            self.waiting.map_or(u64::MAX, |w| w),
            self.deadline.map_or(u64::MAX, f64::to_bits),
            self.limit.as_ref().map_or(u64::MAX, |l| l.rate.to_bits()),
            self.limit.as_ref().map_or(u64::MAX, |l| l.burst.to_bits()),
            u64::from(self.shared),
            self.visit.to_bits(),
            self.availability.to_bits(),
        ];
        key.extend(self.shards.iter().map(|s| s.to_bits()));
        if let Some(l) = &self.limit {
            key.extend(l.clients.iter().map(|s| s.to_bits()));
        }
        key
    }

    /// Whether any extra load makes it turn more requests away, however far from capacity:
    /// a full queue refuses, a deadline sheds the longer waits, a token bucket rejects
    /// bursts. Such a station cannot take over a failed sibling's traffic without drops.
    pub fn refuses_more_of_any_load(&self) -> bool {
        self.waiting.is_some() || self.deadline.is_some() || self.limit.is_some()
    }

    /// Requests per second the whole station can serve.
    pub fn capacity(&self) -> f64 {
        self.shards.len() as f64 * self.instances as f64 * self.concurrency as f64 * self.mu
            / self.visit.max(1e-12)
    }

    /// Solves the station for `lambda` requests per second passing through it.
    pub fn load(&self, lambda: f64) -> Load {
        let rejected = self.limit.as_ref().map_or(0.0, |l| l.rejected(lambda));
        let worked = lambda * (1.0 - rejected) * self.visit;
        let (per_shard_instances, servers, waiting) = if self.shared {
            (
                1,
                self.instances * self.concurrency,
                self.waiting.map(|w| w * self.instances),
            )
        } else {
            (self.instances, self.concurrency, self.waiting)
        };
        let mut parts: SmallVec<[Part; 1]> = SmallVec::new();
        for &share in &self.shards {
            let queue = Queue {
                lambda: worked * share / per_shard_instances as f64,
                mu: self.mu,
                servers,
                cs2: self.cs2,
                waiting,
                deadline: self.deadline,
            };
            // Equal shards give equal queues: solve each distinct one once.
            match parts.iter_mut().find(|p| p.queue == queue) {
                Some(p) => p.weight += share,
                None => parts.push(Part {
                    weight: share,
                    queue,
                    solved: queue.solve(),
                }),
            }
        }
        let served_share = served_share(&parts);
        let capacity = self.capacity() * self.visit;
        let utilization = if capacity > 0.0 {
            (worked * served_share / capacity).min(1.0)
        } else {
            0.0
        };
        let load = parts.iter().map(|p| p.solved.load).fold(0.0, f64::max);
        let mean_sojourn = if served_share > 0.0 {
            parts
                .iter()
                .map(|p| p.weight * (1.0 - p.solved.dropped) * (p.solved.mean_wait + 1.0 / self.mu))
                .sum::<f64>()
                / served_share
        } else {
            1.0 / self.mu
        };
        Load {
            parts,
            accept: (1.0 - rejected) * (1.0 - self.visit * (1.0 - served_share)),
            rejected,
            utilization,
            load,
            mean_sojourn,
            visit: self.visit,
            mu: self.mu,
            cs2: self.cs2,
        }
    }
}

/// Instances a component is billed for: every instance it is configured with (times its
/// shards), whether they are up or not — a dead server still costs its rent.
pub fn billed_instances(c: &Component) -> u64 {
    let count = |key: &str| c.num(key).max(1.0) as u64;
    match c.kind {
        Kind::ShardGroup => count("instances") * count("shards"),
        Kind::Region | Kind::Monitoring => 1,
        k if k.is_station() => count("instances"),
        _ => 0,
    }
}

/// Share of the requests reaching the servers that are served, over the parts. Written as
/// 1 − dropped so that a station dropping nothing serves exactly 1.
fn served_share(parts: &[Part]) -> f64 {
    1.0 - parts
        .iter()
        .map(|p| p.weight * p.solved.dropped)
        .sum::<f64>()
}

impl Load {
    /// Requests per second reaching the servers when `lambda` pass the station: what the
    /// rate limit lets through and that visits the servers.
    pub fn worked(&self, lambda: f64) -> f64 {
        lambda * (1.0 - self.rejected) * self.visit
    }

    /// Replaces part `j`'s wait (a closed population's, solved elsewhere) and the mean
    /// time at the station that follows from it.
    pub fn set_wait(&mut self, j: usize, wait: Wait, mean_wait: f64) {
        if let Some(p) = self.parts.get_mut(j) {
            p.solved.wait = wait;
            p.solved.mean_wait = mean_wait;
        }
        let served = served_share(&self.parts);
        if served > 0.0 {
            self.mean_sojourn = self
                .parts
                .iter()
                .map(|p| p.weight * (1.0 - p.solved.dropped) * (p.solved.mean_wait + 1.0 / self.mu))
                .sum::<f64>()
                / served;
        }
    }

    /// Requests per second the servers serve when `lambda` pass the station: what the rate
    /// limit lets through, that visits the servers, and that they accept.
    pub fn served_work(&self, lambda: f64) -> f64 {
        lambda * (1.0 - self.rejected) * self.visit * served_share(&self.parts)
    }

    /// `E[e^{−sT}; served in finite time]` for a request passing the station: requests that
    /// skip the servers (cached DNS answers) pass in no time; those the rate limit rejects,
    /// dropped ones and those stuck in an unbounded queue carry no finite mass.
    pub fn lst<N: Num>(&self, s: N) -> N {
        let mut out = [N::real(0.0)];
        self.lst_at(&[s], &mut out);
        out[0]
    }

    /// Whether [`lst`](Self::lst) holds a constant delay: a constant service time or a
    /// deadline's edge.
    pub fn delays(&self) -> bool {
        constant_service(self.cs2) || self.parts.iter().any(|p| p.solved.wait.delays())
    }

    /// [`lst`](Self::lst) at each of `points`, into `out`, worked out a queue at a time so
    /// that what depends on the queue alone is looked up once.
    pub fn lst_at<N: Num>(&self, points: &[N], out: &mut [N]) {
        out.fill(N::real(0.0));
        for p in &self.parts {
            if p.solved.wait == Wait::Unbounded {
                continue;
            }
            let served = p.weight * (1.0 - p.solved.dropped);
            p.solved.wait.add_lst(points, served, out);
        }
        // A rejected request is answered at once with an error: it is not served, so the
        // transform's mass at zero is the accepted share, as `accept` counts it.
        let let_through = 1.0 - self.rejected;
        for (o, &s) in out.iter_mut().zip(points) {
            *o = (N::real(1.0 - self.visit)
                + o.scale(self.visit) * service_lst(self.mu, self.cs2, s))
            .scale(let_through);
        }
    }

    /// Appends the bits of everything [`lst`](Self::lst) and the accepted share depend on,
    /// so that equal keys mean equal transforms.
    pub fn transform_key(&self, key: &mut Vec<u64>) {
        key.extend([self.visit, self.mu, self.cs2, self.accept].map(f64::to_bits));
        key.push(self.parts.len() as u64);
        for p in &self.parts {
            key.extend([p.weight, p.solved.dropped].map(f64::to_bits));
            p.solved.wait.key(key);
        }
    }

    /// Whether some served requests wait without bound.
    pub fn unbounded(&self) -> bool {
        self.parts
            .iter()
            .any(|p| p.weight > 0.0 && p.solved.wait == Wait::Unbounded)
    }
}

/// Shard group `c`'s key shares over `shards` shards: with its typed hot-key share, else
/// the workload's hottest key's share (`hottest`), else the default one.
pub(crate) fn group_shares(c: &Component, shards: usize, hottest: Option<f64>) -> Vec<f64> {
    let hot = match hottest {
        Some(h) if !c.params.contains_key("hot_key_share") => h,
        _ => c.num("hot_key_share"),
    };
    shard_shares(
        shards,
        c.choice("strategy"),
        c.num("virtual_nodes").max(1.0) as usize,
        hot,
    )
}

/// The share of keys each shard owns, with the hot key's share added to the largest shard.
///
/// - `hash` and `range`: an even split (a good hash, or ranges cut at key quantiles).
/// - `consistent`: the real arc lengths of a ring with `virtual_nodes` points per shard,
///   placed by a fixed 64-bit mix of (shard, point), so the imbalance shown is the one that
///   ring would have.
pub(crate) fn shard_shares(
    shards: usize,
    strategy: &str,
    virtual_nodes: usize,
    hot: f64,
) -> Vec<f64> {
    let mut shares = if strategy == "consistent" && shards > 1 {
        let mut ring: Vec<(u64, usize)> = (0..shards)
            .flat_map(|s| (0..virtual_nodes).map(move |v| (mix((s as u64) << 32 | v as u64), s)))
            .collect();
        ring.sort_unstable();
        let mut owned = vec![0.0; shards];
        // Each point owns the arc from its predecessor up to itself.
        let full = 2f64.powi(64);
        for i in 0..ring.len() {
            let prev = if i == 0 {
                ring[ring.len() - 1].0
            } else {
                ring[i - 1].0
            };
            let arc = ring[i].0.wrapping_sub(prev) as f64 / full;
            owned[ring[i].1] += arc;
        }
        owned
    } else {
        vec![1.0 / shards as f64; shards]
    };
    for s in &mut shares {
        *s *= 1.0 - hot;
    }
    let hottest = (0..shares.len())
        .max_by(|&a, &b| shares[a].total_cmp(&shares[b]))
        .unwrap_or(0);
    if let Some(s) = shares.get_mut(hottest) {
        *s += hot;
    }
    shares
}

/// SplitMix64's finaliser: a fixed, well-spread 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_shares_sum_to_one() {
        for strategy in ["hash", "range", "consistent"] {
            for hot in [0.0, 0.3] {
                let s = shard_shares(8, strategy, 50, hot);
                assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                let max = s.iter().cloned().fold(0.0, f64::max);
                assert!(max >= hot + (1.0 - hot) / 8.0 - 1e-12);
            }
        }
    }

    #[test]
    fn more_virtual_nodes_spread_keys_more_evenly() {
        let spread = |v| {
            let s = shard_shares(10, "consistent", v, 0.0);
            s.iter().cloned().fold(0.0, f64::max) / 0.1
        };
        assert!(spread(1) > spread(200), "{} {}", spread(1), spread(200));
        assert!(spread(200) < 1.25, "{}", spread(200));
    }
}
