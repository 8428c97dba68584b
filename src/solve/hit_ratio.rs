//! A cache's hit ratio from the workload: key popularity (Zipf), cache size, eviction policy,
//! time to live and invalidating writes, under the independent reference model (each request
//! picks its key independently with fixed probabilities; arrivals are Poisson).
//!
//! Every policy is solved through a *characteristic time* `T` (Che, Tung & Wang 2002; Fricker,
//! Robert & Roberts 2012): a key stays in the cache for a time that depends on `T` and on its
//! own requests, the probability that it is in the cache is the same at a random time and at
//! one of its requests (Poisson arrivals see time averages), and `T` is the one at which the
//! keys' probabilities of being in the cache add up to its capacity. See MODEL.md, "Caches
//! from the workload".

use crate::model::{Component, Kind, Scenario, Traffic, DEFAULT_ZIPF_S};
use serde::Serialize;

/// Where a cache's hit ratio comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitSource {
    /// The person typed it: it overrides the workload model.
    Typed,
    /// Computed from the traffic's key space and the cache's size, eviction and TTL.
    Workload,
    /// The kind's default (no size, no key space).
    Default,
}

/// A cache's hit ratio and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HitRatio {
    /// Share of the requests it caches that it answers.
    pub value: f64,
    /// Where the value comes from.
    pub source: HitSource,
}

/// The hit ratio a cache or CDN works with (`None` for other kinds): typed, else from the
/// workload when the cache has a size or a time to live and the traffic a key space, else
/// the kind's default; with the instances a what-if failure leaves it ([`with_up`]). Every
/// engine and view reads it from here.
pub fn effective(s: &Scenario, c: &Component) -> Option<HitRatio> {
    with_up(s, c, up(s, c))
}

/// The hit ratio of cache or CDN `c` with `up` of its instances working. Keys are spread
/// over the instances by consistent hashing, so each holds an equal share of the room:
/// with some lost, the keys they held move to the others, and the room computed from the
/// workload shrinks to `up` instances' worth (MODEL.md, "Caches from the workload"). A
/// typed ratio and the kind's default say nothing of the room and stay as they are.
pub fn with_up(s: &Scenario, c: &Component, up: u64) -> Option<HitRatio> {
    if !matches!(c.kind, Kind::Cache | Kind::Cdn) {
        return None;
    }
    let typed = |source| {
        Some(HitRatio {
            value: c.num("hit_ratio"),
            source,
        })
    };
    if c.params.contains_key("hit_ratio") {
        return typed(HitSource::Typed);
    }
    untyped_with(s, c, up)
}

/// The instances of `c` a what-if failure of the design leaves working (all of them when
/// none failed, or when the whole component did: a cache down is passed by, and its hit
/// ratio is the one it comes back with).
pub fn up(s: &Scenario, c: &Component) -> u64 {
    let all = instances(c);
    match s.failed.get(&c.id).and_then(|f| f.lost) {
        Some(lost) if lost < all => all - lost,
        _ => all,
    }
}

/// Instances of `c`.
fn instances(c: &Component) -> u64 {
    c.num("instances").max(1.0) as u64
}

/// The hit ratio a cache or CDN works with when none is typed (what an empty field means):
/// from the workload when the cache has a size or a time to live and the traffic a key
/// space, else the kind's default.
pub fn untyped(s: &Scenario, c: &Component) -> Option<HitRatio> {
    untyped_with(s, c, up(s, c))
}

/// [`untyped`] with `up` instances working.
fn untyped_with(s: &Scenario, c: &Component, up: u64) -> Option<HitRatio> {
    if !matches!(c.kind, Kind::Cache | Kind::Cdn) {
        return None;
    }
    match (s.traffic.keys, CacheSpec::serving(c, up)) {
        (Some(keys), Some(spec)) => Some(HitRatio {
            value: spec.hit_ratio(&popularity(s, keys), cached_rps(s, c), written_rps(s, c)),
            source: HitSource::Workload,
        }),
        // Nothing typed: the parameter reads as the kind's default.
        _ => Some(HitRatio {
            value: c.num("hit_ratio"),
            source: HitSource::Default,
        }),
    }
}

/// The hit ratio against cache size for the current workload: `points` sizes spread evenly
/// on a log scale from one key to the whole key space (`None` without a key space or for
/// other kinds). For the inspector's curve.
pub fn curve(s: &Scenario, c: &Component, points: usize) -> Option<Vec<(f64, f64)>> {
    let keys = s.traffic.keys?;
    if !matches!(c.kind, Kind::Cache | Kind::Cdn) {
        return None;
    }
    let spec = CacheSpec::of(c).unwrap_or(CacheSpec {
        capacity: None,
        eviction: Eviction::Lru,
        ttl_s: None,
    });
    let pop = popularity(s, keys);
    let (r, w) = (cached_rps(s, c), written_rps(s, c));
    let top = keys.max(1.0).log10();
    Some(
        (0..points.max(2))
            .map(|i| {
                let size = 10f64
                    .powf(top * i as f64 / (points.max(2) - 1) as f64)
                    .round();
                let at = CacheSpec {
                    capacity: Some(size),
                    ..spec
                };
                (size, at.hit_ratio(&pop, r, w))
            })
            .collect(),
    )
}

fn popularity(s: &Scenario, keys: f64) -> Popularity {
    Popularity::zipf(keys, s.traffic.zipf_s.unwrap_or(DEFAULT_ZIPF_S))
}

/// Requests per second a cache looks up: reads and static requests for a cache, static
/// ones for a CDN, at the scenario's peak rate (the whole workload's key space behind it).
fn cached_rps(s: &Scenario, c: &Component) -> f64 {
    let t = &s.traffic;
    let share = match c.kind {
        Kind::Cdn => t.static_share,
        _ => t.read + t.static_share,
    };
    t.peak_rps() * share
}

/// Writes per second that invalidate cached copies: the scenario's writes for a cache
/// (cache-aside: the writer deletes the key), none for a CDN's static objects.
fn written_rps(s: &Scenario, c: &Component) -> f64 {
    match c.kind {
        Kind::Cdn => 0.0,
        _ => s.traffic.peak_rps() * s.traffic.write,
    }
}

/// How a cache chooses what to evict when it is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eviction {
    /// Least recently used: a key leaves once it has gone `T` without a request (Che).
    Lru,
    /// Perfect least frequently used: the `capacity` most popular keys stay.
    Lfu,
    /// First in, first out: a key leaves `T` after it was inserted (Gelenbe 1973).
    Fifo,
    /// A random key is evicted: a key leaves after an exponential time of mean `T`.
    Random,
}

impl Eviction {
    /// The policy a scenario file names (`lru`, `lfu`, `fifo`, `random`).
    pub fn from_key(key: &str) -> Option<Eviction> {
        match key {
            "lru" => Some(Eviction::Lru),
            "lfu" => Some(Eviction::Lfu),
            "fifo" => Some(Eviction::Fifo),
            "random" => Some(Eviction::Random),
            _ => None,
        }
    }
}

/// Ranks below this are kept one key per class; above, keys are grouped.
const EXACT_RANKS: f64 = 200.0;
/// Ratio between the first ranks of consecutive groups: within a group the per-key
/// probability varies by at most this factor to the power of the skew (2 % at s = 1).
const GROUP_RATIO: f64 = 1.02;

/// Key popularity: classes of keys that share a request probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Popularity {
    /// (keys in the class, probability that a request is for one given key of it), most
    /// popular first; the probabilities of all keys add up to 1.
    classes: Vec<(f64, f64)>,
    /// Per class: the probability of it and every class before it, and its first rank
    /// (counted from 0), for drawing keys.
    cumulative: Vec<f64>,
    first: Vec<f64>,
}

/// The share of requests for the workload's hottest key (`None`: the traffic has no key
/// space).
pub fn hottest(t: &Traffic) -> Option<f64> {
    t.keys
        .map(|keys| Popularity::zipf(keys, t.zipf_s.unwrap_or(DEFAULT_ZIPF_S)).hottest())
}

impl Popularity {
    /// `keys` keys with Zipf popularity of skew `s` (the key of rank i is asked for with a
    /// probability proportional to i^−s; s = 0 is uniform). Large key spaces are grouped
    /// into classes of neighbouring ranks (geometric in rank), each with the mean
    /// probability of its keys: about a thousand classes for a billion keys.
    pub fn zipf(keys: f64, s: f64) -> Popularity {
        let n = keys.max(1.0).floor();
        let mut classes = Vec::new();
        let mut rank = 1.0;
        while rank <= n {
            let end = if rank < EXACT_RANKS {
                rank + 1.0
            } else {
                (rank * GROUP_RATIO).ceil().min(n + 1.0)
            };
            let count = end - rank;
            // Σ_{i=rank}^{end−1} i^−s: exact for single ranks, the midpoint integral for
            // groups (their first rank is at least 200, where it is within 10⁻⁶ of the sum).
            let weight = if count == 1.0 {
                rank.powf(-s)
            } else {
                integral(rank - 0.5, end - 0.5, s)
            };
            classes.push((count, weight / count));
            rank = end;
        }
        let total: f64 = classes.iter().map(|&(k, q)| k * q).sum();
        for c in &mut classes {
            c.1 /= total;
        }
        let (mut acc, mut rank) = (0.0, 0.0);
        let mut cumulative = Vec::with_capacity(classes.len());
        let mut first = Vec::with_capacity(classes.len());
        for &(keys, q) in &classes {
            first.push(rank);
            acc += keys * q;
            rank += keys;
            cumulative.push(acc);
        }
        Popularity {
            classes,
            cumulative,
            first,
        }
    }

    /// The key (its rank from 0, most popular first) that uniform draws `u` (which class)
    /// and `v` (which key of it) pick.
    pub fn draw(&self, u: f64, v: f64) -> u64 {
        let i = self
            .cumulative
            .partition_point(|&c| c <= u)
            .min(self.classes.len().saturating_sub(1));
        let keys = self.classes.get(i).map_or(1.0, |c| c.0);
        (self.first.get(i).copied().unwrap_or(0.0) + (v * keys).floor().min(keys - 1.0)) as u64
    }

    /// The probability that a request is for the most popular key.
    pub fn hottest(&self) -> f64 {
        self.classes.first().map_or(0.0, |c| c.1)
    }

    /// Number of keys.
    pub fn keys(&self) -> f64 {
        self.classes.iter().map(|c| c.0).sum()
    }
}

/// ∫_a^b x^−s dx.
fn integral(a: f64, b: f64, s: f64) -> f64 {
    if (s - 1.0).abs() < 1e-12 {
        (b / a).ln()
    } else {
        (b.powf(1.0 - s) - a.powf(1.0 - s)) / (1.0 - s)
    }
}

/// A cache as the model reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CacheSpec {
    /// Keys it holds at most (`None`: as many as there are).
    pub capacity: Option<f64>,
    /// What it evicts when full.
    pub eviction: Eviction,
    /// Seconds a key stays after it was inserted (`None`: until evicted or invalidated).
    pub ttl_s: Option<f64>,
}

/// Mean of min(X, horizon) for X exponential of rate `rate`: (1 − e^−rate·horizon) / rate,
/// with its limits (rate 0: the horizon; horizon infinite: 1 / rate).
fn expected_min(rate: f64, horizon: f64) -> f64 {
    if horizon.is_infinite() {
        return if rate > 0.0 {
            1.0 / rate
        } else {
            f64::INFINITY
        };
    }
    let x = rate * horizon;
    if x < 1e-12 {
        horizon
    } else {
        -(-x).exp_m1() / rate
    }
}

/// Probability that a key whose copy, once inserted at a miss, lives `life` seconds on
/// average is found by a read arriving at rate `r`: the key alternates between a stay of
/// mean `life` and an absence of mean 1/r (until the next read brings it back), and a
/// Poisson read sees the time average r·life / (1 + r·life).
fn renewal(r: f64, life: f64) -> f64 {
    if life.is_infinite() {
        1.0
    } else {
        r * life / (1.0 + r * life)
    }
}

impl CacheSpec {
    /// A cache's settings (`None` when it has neither a size nor a time to live).
    pub fn of(c: &Component) -> Option<CacheSpec> {
        let (capacity, ttl_s) = (c.opt_num("capacity_keys"), c.opt_num("ttl_s"));
        (capacity.is_some() || ttl_s.is_some()).then(|| CacheSpec {
            capacity,
            eviction: Eviction::from_key(c.choice("eviction")).unwrap_or(Eviction::Lru),
            ttl_s,
        })
    }

    /// A cache's settings with `up` of its instances working: `capacity_keys` is the
    /// whole cache's, shared equally by its instances (consistent hashing), so the room is
    /// `up` instances' share of it.
    pub fn serving(c: &Component, up: u64) -> Option<CacheSpec> {
        let all = instances(c);
        CacheSpec::of(c).map(|spec| CacheSpec {
            capacity: spec
                .capacity
                .map(|keys| keys * up.min(all) as f64 / all as f64),
            ..spec
        })
    }

    /// Probability that a key read at rate `r` and written at rate `w` is in the cache, for
    /// characteristic time `t` (infinite: nothing is evicted for lack of room).
    fn present(&self, r: f64, w: f64, t: f64) -> f64 {
        if r <= 0.0 {
            return 0.0;
        }
        let ttl = self.ttl_s.unwrap_or(f64::INFINITY);
        // Expiry and invalidation alone: the copy lives until the first of its time to live
        // and the next write.
        let ttl_only = renewal(r, expected_min(w, ttl));
        match self.eviction {
            // Present when the last read was less than t ago and no write came since:
            // r/(r+w)·(1 − e^−(r+w)t). With a time to live as well, the tighter of the two
            // (exact when either binds alone; between, an approximation).
            Eviction::Lru => {
                let lru = if t.is_infinite() {
                    r / (r + w)
                } else {
                    r / (r + w) * -(-(r + w) * t).exp_m1()
                };
                lru.min(ttl_only)
            }
            // The copy lives min(t, ttl, next write) from its insertion.
            Eviction::Fifo => renewal(r, expected_min(w, t.min(ttl))),
            // The copy lives min(Exp(mean t), ttl, next write).
            Eviction::Random => renewal(r, expected_min(w + 1.0 / t, ttl)),
            // Resident keys are decided by rank (see `hit_ratio`); here, a resident key.
            Eviction::Lfu => ttl_only,
        }
    }

    /// Share of the reads answered from the cache: reads at `read_rps` and writes at
    /// `write_rps` over keys of popularity `pop` (writes pick keys with the same popularity
    /// and invalidate the cached copy: cache-aside).
    pub fn hit_ratio(&self, pop: &Popularity, read_rps: f64, write_rps: f64) -> f64 {
        let capacity = self.capacity.unwrap_or(f64::INFINITY);
        let per_key = |q: f64, t: f64| self.present(read_rps * q, write_rps * q, t);
        if self.eviction == Eviction::Lfu {
            // The most popular keys fill the cache; the last class may fit in part.
            let mut room = capacity;
            let mut hit = 0.0;
            for &(keys, q) in &pop.classes {
                let resident = keys.min(room.max(0.0));
                hit += resident * q * per_key(q, f64::INFINITY);
                room -= resident;
            }
            return hit;
        }
        let occupancy = |t: f64| {
            pop.classes
                .iter()
                .map(|&(keys, q)| keys * per_key(q, t))
                .sum::<f64>()
        };
        let hit = |t: f64| {
            pop.classes
                .iter()
                .map(|&(keys, q)| keys * q * per_key(q, t))
                .sum::<f64>()
        };
        if occupancy(f64::INFINITY) <= capacity {
            return hit(f64::INFINITY);
        }
        // Occupancy grows with t: bisect on log t for the t that fills the cache.
        let (mut lo, mut hi) = (1e-12_f64.ln(), 1e15_f64.ln());
        for _ in 0..80 {
            let mid = 0.5 * (lo + hi);
            if occupancy(mid.exp()) < capacity {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hit((0.5 * (lo + hi)).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(capacity: f64, eviction: Eviction) -> CacheSpec {
        CacheSpec {
            capacity: Some(capacity),
            eviction,
            ttl_s: None,
        }
    }

    #[test]
    fn uniform_keys_hit_in_proportion_to_the_cache_for_every_policy() {
        // Under the independent reference model with equal popularity, any policy holds C
        // of the N keys: hit ratio C/N exactly.
        let pop = Popularity::zipf(1000.0, 0.0);
        for e in [
            Eviction::Lru,
            Eviction::Lfu,
            Eviction::Fifo,
            Eviction::Random,
        ] {
            let h = spec(250.0, e).hit_ratio(&pop, 100.0, 0.0);
            assert!((h - 0.25).abs() < 1e-9, "{e:?}: {h}");
        }
    }

    #[test]
    fn lfu_holds_the_most_popular_mass() {
        let pop = Popularity::zipf(100.0, 1.0);
        let h: f64 = (1..=10).map(|i| 1.0 / f64::from(i)).sum::<f64>()
            / (1..=100).map(|i| 1.0 / f64::from(i)).sum::<f64>();
        let got = spec(10.0, Eviction::Lfu).hit_ratio(&pop, 1.0, 0.0);
        assert!((got - h).abs() < 1e-12, "{got} vs {h}");
    }

    #[test]
    fn grouped_ranks_keep_the_mass_of_the_exact_sum() {
        // A million keys at s = 0.8: the first 1 000 ranks' share, grouped above rank 200,
        // within 10⁻⁵ of the exact sum.
        let pop = Popularity::zipf(1e6, 0.8);
        assert_eq!(pop.keys(), 1e6);
        assert!(pop.classes.len() < 700, "{}", pop.classes.len());
        let exact = |n: u32| (1..=n).map(|i| f64::from(i).powf(-0.8)).sum::<f64>();
        let want = exact(1000) / exact(1_000_000);
        let got = spec(1000.0, Eviction::Lfu).hit_ratio(&pop, 1.0, 0.0);
        assert!((got - want).abs() < 1e-5, "{got} vs {want}");
    }

    #[test]
    fn a_time_to_live_alone_gives_the_renewal_formula() {
        // One key read 10 times a second with a 0.5 s TTL: a miss, then five hits on
        // average: 10·0.5 / (1 + 10·0.5) = 5/6.
        let pop = Popularity::zipf(1.0, 0.0);
        let ttl = CacheSpec {
            capacity: None,
            eviction: Eviction::Lru,
            ttl_s: Some(0.5),
        };
        assert!((ttl.hit_ratio(&pop, 10.0, 0.0) - 5.0 / 6.0).abs() < 1e-12);
        // A write every second on average as well: the copy lives (1 − e^−0.5)/1 s.
        let life = 1.0 - (-0.5f64).exp();
        let want = 10.0 * life / (1.0 + 10.0 * life);
        assert!((ttl.hit_ratio(&pop, 10.0, 1.0) - want).abs() < 1e-12);
    }

    #[test]
    fn the_orderings_the_literature_reports_hold() {
        // On Zipf workloads LFU ≥ LRU ≥ FIFO = random (Gelenbe: FIFO and random have the same
        // hit ratio under the independent reference model); more room, longer TTLs and
        // fewer writes all raise it.
        let pop = Popularity::zipf(1e5, 0.9);
        for c in [100.0, 1000.0, 10_000.0] {
            let h = |e| spec(c, e).hit_ratio(&pop, 1000.0, 0.0);
            let (lfu, lru, fifo, random) = (
                h(Eviction::Lfu),
                h(Eviction::Lru),
                h(Eviction::Fifo),
                h(Eviction::Random),
            );
            assert!(lfu >= lru && lru >= fifo, "{c}: {lfu} {lru} {fifo}");
            assert!((fifo - random).abs() < 1e-6, "{c}: {fifo} vs {random}");
        }
        let lru = |c: f64, ttl: Option<f64>, w: f64| {
            CacheSpec {
                capacity: Some(c),
                eviction: Eviction::Lru,
                ttl_s: ttl,
            }
            .hit_ratio(&pop, 1000.0, w)
        };
        assert!(lru(2000.0, None, 0.0) > lru(1000.0, None, 0.0));
        assert!(lru(1000.0, Some(60.0), 0.0) > lru(1000.0, Some(6.0), 0.0));
        assert!(lru(1000.0, None, 0.0) > lru(1000.0, None, 100.0));
    }
}
