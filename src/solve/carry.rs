//! How many of a sender's targets must work for the ones left to carry what it sends them:
//! the capacity side of a balancer's redundancy, for availability (MODEL.md §7).
//!
//! Two app servers behind a balancer, each 62 % busy, are not redundant: when one fails
//! the other receives 124 % of what it can serve, and the N−1 table and the SPOF list say
//! the design drops requests. Availability must then need both, as it needs k of a pool's
//! n instances: the same rule, read at the balancer.

use super::flow::Flow;
use super::network::{Network, State};
use super::queueing::SATURATION_TOLERANCE;
use super::station::Station;
use crate::model::Autoscale;
use std::collections::BinaryHeap;

/// Most targets whose every set is told apart (2^6 sets); past that, the fewest that must
/// survive for any set of that many to carry, a pessimistic count.
const MOST_SETS: usize = 6;

/// Which sets of a sender's targets are enough for it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Enough {
    /// At least `need` of them working, or none at all with `or_none` (a primary serves its
    /// reads itself when no target it sends them to is up).
    Count { need: usize, or_none: bool },
    /// The sets marked, by mask (bit i: the i-th target works): targets that cannot stand
    /// in for each other equally (a server of twice the capacity carries alone what the
    /// other cannot).
    Sets(Vec<bool>),
}

impl Enough {
    /// The sets marked (`sets[0]`, no target, never is), as a count when they are "at least
    /// so many" (equal targets).
    pub fn of_sets(sets: Vec<bool>) -> Enough {
        let size = |set: usize| set.count_ones() as usize;
        let all = sets.len() - 1;
        // When even all cannot carry the load, all are needed, as at a pool.
        if !sets[all] {
            return Enough::Count {
                need: size(all),
                or_none: false,
            };
        }
        let need = (1..=all).filter(|&s| sets[s]).map(size).min().unwrap_or(1);
        if (0..=all).all(|s| sets[s] == (s != 0 && size(s) >= need)) {
            return Enough::Count {
                need,
                or_none: false,
            };
        }
        Enough::Sets(sets)
    }
}

impl Enough {
    /// What remains to ask of the targets not marked `present` (in the order given) when
    /// the marked ones are always sent to and counted as working: a target routing never
    /// takes out, because its failure is passed through to a standby (a promoted replica,
    /// an origin), and whose own failure is counted where it is called. `None` when the
    /// marked ones are enough alone.
    pub fn given_present(&self, present: &[bool]) -> Option<Enough> {
        let fixed = present.iter().filter(|&&p| p).count();
        if fixed == 0 {
            return Some(self.clone());
        }
        match self {
            Enough::Count { need, .. } => (*need > fixed).then(|| Enough::Count {
                need: need - fixed,
                or_none: false,
            }),
            Enough::Sets(sets) => {
                let rest: Vec<usize> = (0..present.len()).filter(|&i| !present[i]).collect();
                let base: usize = (0..present.len())
                    .filter(|&i| present[i])
                    .map(|i| 1 << i)
                    .sum();
                let full = |mask: usize| {
                    base | (0..rest.len())
                        .filter(|&j| mask & (1 << j) != 0)
                        .map(|j| 1 << rest[j])
                        .sum::<usize>()
                };
                // Carrying is monotone: if the present ones carry alone, any set does.
                if sets[full(0)] {
                    return None;
                }
                let reduced = (0..1usize << rest.len()).map(|m| sets[full(m)]).collect();
                Some(Enough::of_sets(reduced))
            }
        }
    }
}

/// A target as its sender's split sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Share {
    /// Its weight in the split: the survivors share what the sender sends in proportion.
    pub weight: f64,
    /// Requests per second from this sender it can take without dropping any: what its
    /// capacity leaves over from its other senders.
    pub room: f64,
}

/// Which sets of `targets` (sorted and distinct, in the sender's class-`k` routes) carry, in
/// the demand's rates, all that sender `v` hands to them.
pub(super) fn enough(
    net: &Network,
    demand: &Flow,
    v: usize,
    k: usize,
    targets: &[usize],
) -> Enough {
    // One target is needed whatever it carries (when it cannot, all are needed: itself).
    if targets.len() < 2 {
        return Enough::Count {
            need: 1,
            or_none: false,
        };
    }
    let node = &net.nodes[v];
    let served = demand.served(v);
    // Per target (`targets` is sorted): its weight in the class-k split, and the requests
    // per second `v` hands it, every class counted (they all take its servers). One pass
    // over the routes: a DNS may front a thousand balancers.
    let mut weight = vec![0.0; targets.len()];
    let mut sent = vec![0.0; targets.len()];
    for (c, routes) in node.routes.iter().enumerate() {
        for e in routes {
            if let Ok(i) = targets.binary_search(&e.to) {
                sent[i] += served[c] * e.p;
                if c == k {
                    weight[i] += e.p;
                }
            }
        }
    }
    let shares: Vec<Share> = targets
        .iter()
        .enumerate()
        .map(|(i, &t)| Share {
            weight: weight[i],
            room: room(net, demand, t, sent[i]),
        })
        .collect();
    let load: f64 = sent.iter().sum();
    if targets.len() > MOST_SETS {
        return Enough::Count {
            need: fewest(load, &shares),
            or_none: false,
        };
    }
    Enough::of_sets(
        (0..1usize << targets.len())
            .map(|set| carries(load, &shares, set))
            .collect(),
    )
}

/// What target `t` can take from a sender that now sends it `mine` requests per second.
fn room(net: &Network, demand: &Flow, t: usize, mine: f64) -> f64 {
    let (State::Up(_), Some(st)) = (&net.states[t], &net.nodes[t].station) else {
        // Passes requests on (no servers, or bypassed): nothing here to overload.
        return f64::INFINITY;
    };
    if st.refuses_more_of_any_load() {
        return mine;
    }
    let c = &net.scenario.components[t];
    let instances = Autoscale::of(c).map_or(st.instances, |p| st.instances.max(u64::from(p.max)));
    let others = demand.total(t) - mine;
    (most_arrivals(st, instances) - others).max(0.0)
}

/// Arrivals per second a station of `instances` instances (per shard) serves before its
/// most loaded shard saturates.
fn most_arrivals(st: &Station, instances: u64) -> f64 {
    let heaviest = st.shards.iter().copied().fold(0.0, f64::max);
    instances as f64 * st.concurrency as f64 * st.mu / (st.visit * heaviest).max(1e-300)
}

/// Whether the targets in `set` (bit i: `targets[i]`), left alone, carry `load`: each takes
/// its part `load · w_t / Σ w`, which must stay within its room (to the saturation
/// tolerance, the one place it is applied here, as the queues apply it). A set of no
/// weight carries nothing.
fn carries(load: f64, targets: &[Share], set: usize) -> bool {
    let members = || {
        (0..targets.len())
            .filter(move |i| set & (1 << i) != 0)
            .map(|i| targets[i])
    };
    let total: f64 = members().map(|t| t.weight).sum();
    if total <= 0.0 {
        return false;
    }
    members().all(|t| load * t.weight / total <= t.room / (1.0 - SATURATION_TOLERANCE))
}

/// The fewest targets that must survive for every set of that many to carry `load`: a set
/// W carries when each member's part, `load · w_t / Σ_W w`, is within its room. At least
/// one; all of them when even all cannot carry it.
///
/// Every set of size s carries iff no set of size s fails. Fix the member r with the
/// largest `w_r / room_r` (the one that overflows first): the worst set around it adds the
/// s − 1 lightest members whose ratio is no larger, and it carries iff
/// `w_r + Σ lighter ≥ load · w_r / room_r`. Sweeping r in order of ratio with a heap of
/// the s − 1 lightest seen so far checks one size in O(n log n); carrying is monotone in s,
/// so a binary search finds the fewest.
pub(super) fn fewest(load: f64, targets: &[Share]) -> usize {
    let n = targets.len();
    if n <= 1 || load <= 0.0 {
        return 1;
    }
    let mut by_ratio: Vec<(f64, f64)> = targets
        .iter()
        .map(|t| {
            let ratio = if t.weight <= 0.0 {
                0.0
            } else if t.room <= 0.0 {
                f64::INFINITY
            } else {
                t.weight / t.room
            };
            (ratio, t.weight)
        })
        .collect();
    crate::sort::by(&mut by_ratio, |a, b| a.0.total_cmp(&b.0));
    let all_carry = |size: usize| -> bool {
        // The `size − 1` lightest weights seen so far; non-negative floats order as their
        // bits do.
        let mut lightest: BinaryHeap<u64> = BinaryHeap::new();
        let mut sum = 0.0;
        for &(ratio, weight) in &by_ratio {
            if lightest.len() == size - 1 {
                // A set of no weight gets no share of the load: it carries nothing.
                let set = weight + sum;
                if set <= 0.0 || set < load * ratio * (1.0 - SATURATION_TOLERANCE) {
                    return false;
                }
            }
            if size > 1 {
                lightest.push(weight.max(0.0).to_bits());
                sum += weight.max(0.0);
                if lightest.len() > size - 1 {
                    sum -= lightest.pop().map_or(0.0, f64::from_bits);
                }
            }
        }
        true
    };
    if !all_carry(n) {
        return n;
    }
    let (mut lo, mut hi) = (1, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if all_carry(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{prop_assert_eq, proptest};

    fn share(weight: f64, room: f64) -> Share {
        Share { weight, room }
    }

    /// The reference: every subset, checked member by member.
    fn brute_force(load: f64, targets: &[Share]) -> usize {
        let n = targets.len();
        let carries = |set: u32| {
            let total: f64 = (0..n)
                .filter(|i| set & (1 << i) != 0)
                .map(|i| targets[i].weight)
                .sum();
            (0..n).filter(|i| set & (1 << i) != 0).all(|i| {
                load * targets[i].weight / total <= targets[i].room / (1.0 - SATURATION_TOLERANCE)
            })
        };
        (1..=n)
            .find(|&size| {
                (1u32..1 << n)
                    .filter(|s| s.count_ones() as usize == size)
                    .all(carries)
            })
            .unwrap_or(n)
    }

    #[test]
    fn two_busy_servers_are_both_needed_and_two_idle_ones_are_not() {
        // The starter: 200/s over two servers of 160/s each, nothing else sending to them.
        let pair = [share(1.0, 160.0), share(1.0, 160.0)];
        assert_eq!(fewest(200.0, &pair), 2);
        // At 100/s, either one carries it alone.
        assert_eq!(fewest(100.0, &pair), 1);
        // Four equal servers at 60 %: three carry 80 % each, two would not.
        let four = [share(1.0, 100.0); 4];
        assert_eq!(fewest(240.0, &four), 3);
        // Another sender taking half of each leaves room for half.
        assert_eq!(fewest(240.0, &[share(1.0, 50.0); 4]), 4);
    }

    #[test]
    fn a_small_server_in_an_equal_split_must_not_be_left_alone_with_the_load() {
        // Round robin over a big and a small server: any set with the small one overflows
        // it unless the load is shared by enough others.
        let mixed = [share(1.0, 1000.0), share(1.0, 1000.0), share(1.0, 50.0)];
        assert_eq!(fewest(150.0, &mixed), 3);
        // In proportion to capacity, the small one takes only its part; alone, it cannot.
        let weighted = [share(20.0, 1000.0), share(20.0, 1000.0), share(1.0, 50.0)];
        assert_eq!(fewest(150.0, &weighted), 2);
    }

    #[test]
    fn a_server_that_carries_alone_what_the_other_cannot_is_the_one_needed() {
        // 200/s split equally over servers of 320/s and 160/s: the big one alone carries
        // it, the small one alone does not.
        let shares = [share(1.0, 320.0), share(1.0, 160.0)];
        let sets: Vec<bool> = (0..4).map(|set| carries(200.0, &shares, set)).collect();
        assert_eq!(
            Enough::of_sets(sets),
            Enough::Sets(vec![false, true, false, true])
        );
        // Equal servers: a count.
        let equal = [share(1.0, 160.0); 3];
        let sets: Vec<bool> = (0..8).map(|set| carries(200.0, &equal, set)).collect();
        assert_eq!(
            Enough::of_sets(sets),
            Enough::Count {
                need: 2,
                or_none: false
            }
        );
        // Even all three cannot: all are needed.
        let sets: Vec<bool> = (0..8).map(|set| carries(600.0, &equal, set)).collect();
        assert_eq!(
            Enough::of_sets(sets),
            Enough::Count {
                need: 3,
                or_none: false
            }
        );
    }

    #[test]
    fn targets_without_servers_or_load_need_one() {
        assert_eq!(fewest(500.0, &[share(1.0, f64::INFINITY); 3]), 1);
        assert_eq!(fewest(0.0, &[share(1.0, 0.0); 3]), 1);
        assert_eq!(fewest(10.0, &[share(1.0, 0.0)]), 1);
        // Already overflowing: every target is needed.
        assert_eq!(fewest(300.0, &[share(1.0, 100.0); 2]), 2);
    }

    proptest! {
        #[test]
        fn the_sweep_matches_every_subset(
            load in 1.0f64..500.0,
            raw in proptest::collection::vec((0.0f64..4.0, 0.0f64..400.0), 1..8),
        ) {
            // Weights in whole units make the boundary cases exact in both methods.
            let targets: Vec<Share> = raw
                .iter()
                .map(|&(w, r)| share(w.round(), r))
                .collect();
            prop_assert_eq!(fewest(load, &targets), brute_force(load, &targets));
        }
    }
}
