//! The capacity planner: the cheapest instance counts that meet a target p99 at a target
//! rate with a target availability, or the reason no instance count can.
//!
//! Method (a greedy search, not an exhaustive one; documented in `MODEL.md`):
//! 1. Feasibility: with fifty times every instance count, is the target met? If not, the
//!    design itself must change, and the report says which limit binds (the time requests
//!    spend in service and on the network, or components whose count cannot grow).
//! 2. Capacity: raise every saturated or near-saturated component (load ≥ 0.9) to the count
//!    that brings it under 0.8, until nothing is overloaded.
//! 3. Greedy: while the target is missed, add one instance to whichever candidate buys the
//!    most improvement per dollar (p99 first, then availability).
//! 4. Trim: remove instances, most expensive first, wherever the target still holds.

use super::{analyze, Report};
use crate::model::{Kind, ParamValue, Scenario, MAX_COUNT};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the plan must achieve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    /// Offered requests per second.
    pub rps: f64,
    /// Largest acceptable p99, ms.
    pub p99_ms: f64,
    /// Smallest acceptable availability.
    pub availability: f64,
}

/// The planner's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Plan {
    /// Instance counts that meet the target, with the resulting numbers.
    Met {
        /// Instances per component id (only components whose count changed are listed).
        changes: BTreeMap<String, (u64, u64)>,
        /// The design with the new counts and the target traffic.
        scenario: Box<Scenario>,
        /// Its report.
        report: Box<Report>,
    },
    /// No instance count meets the target; why.
    Impossible(String),
}

/// Most solves the greedy search may spend.
const BUDGET: usize = 600;

fn count(s: &Scenario, id: &str) -> u64 {
    s.component(id)
        .map_or(1, |c| c.num("instances").max(1.0) as u64)
}

fn set_count(s: &mut Scenario, id: &str, n: u64) {
    if let Some(c) = s.components.iter_mut().find(|c| c.id == id) {
        c.params.insert(
            "instances".into(),
            ParamValue::Number(n.min(MAX_COUNT as u64) as f64),
        );
    }
}

fn meets(r: &Report, t: &Target) -> bool {
    r.dropped_rps <= 1e-9 * (1.0 + t.rps)
        && r.latency_ms.p99.is_some_and(|p| p <= t.p99_ms)
        && r.availability >= t.availability
}

/// How far a report is from the target: p99 excess in ms (unbounded counts as huge), then
/// the availability shortfall. Lower is better; zero on both means met.
fn gap(r: &Report, t: &Target) -> (f64, f64) {
    let p99 = match r.latency_ms.p99 {
        Some(p) if r.dropped_rps <= 1e-9 * (1.0 + t.rps) => (p - t.p99_ms).max(0.0),
        _ => 1e12,
    };
    (p99, (t.availability - r.availability).max(0.0))
}

/// Plans instance counts for `s` to meet `target`.
pub fn plan(s: &Scenario, target: &Target) -> Plan {
    let mut base = s.clone();
    base.traffic.rps = Some(target.rps);
    base.traffic.users = None;
    base.failed.clear();
    let stations: Vec<String> = base
        .components
        .iter()
        .filter(|c| c.kind.is_station())
        .map(|c| c.id.clone())
        .collect();
    let price = |s: &Scenario, id: &str| {
        let c = s.component(id);
        let shards = c
            .filter(|c| c.kind == Kind::ShardGroup)
            .map_or(1.0, |c| c.num("shards"));
        c.map_or(1.0, |c| s.price(c.kind).max(1.0) * shards)
    };
    let solves = std::cell::Cell::new(0usize);
    let solve = |s: &Scenario| {
        solves.set(solves.get() + 1);
        analyze(s).ok()
    };

    // 1. Feasibility.
    let mut roomy = base.clone();
    for id in &stations {
        set_count(&mut roomy, id, count(&base, id) * 50);
    }
    let Some(best) = solve(&roomy) else {
        return Plan::Impossible("the design does not solve".into());
    };
    match best.latency_ms.p99 {
        Some(p) if p > target.p99_ms && best.dropped_rps <= 1e-9 * (1.0 + target.rps) => {
            return Plan::Impossible(format!(
                "even with fifty times the instances, p99 is {p:.0} ms: the service times and \
                 network delays on the request path alone exceed {:.0} ms. Change the design \
                 (a cache, a CDN, fewer hops, faster components).",
                target.p99_ms
            ))
        }
        _ if best.dropped_rps > 1e-9 * (1.0 + target.rps) => {
            return Plan::Impossible(
                "even with fifty times the instances requests are dropped: some have no \
                 route, or a component that cannot grow is overloaded."
                    .into(),
            )
        }
        _ => {}
    }
    if best.availability < target.availability {
        return Plan::Impossible(format!(
            "more instances raise availability only to {:.4} %; what limits it (a region, a \
             component without redundancy such as a shard group's shards) must change.",
            best.availability * 100.0
        ));
    }

    // 2. Capacity: bring overloaded components under 80 %.
    let mut current = base.clone();
    for _ in 0..20 {
        let Some(r) = solve(&current) else { break };
        let mut changed = false;
        for id in &stations {
            let Some(c) = r.components.get(id) else {
                continue;
            };
            if c.load >= 0.9 {
                let n = count(&current, id);
                let needed = (((n as f64) * c.load / 0.8).ceil() as u64).max(n + 1);
                set_count(&mut current, id, needed);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // 3. Greedy: one instance at a time where it buys the most per dollar.
    while solves.get() < BUDGET {
        let Some(r) = solve(&current) else { break };
        if meets(&r, target) {
            break;
        }
        let now = gap(&r, target);
        let mut pick: Option<(f64, String)> = None;
        for id in &stations {
            let mut trial = current.clone();
            let n = count(&current, id) + 1;
            set_count(&mut trial, id, n);
            let Some(t) = solve(&trial) else { continue };
            let g = gap(&t, target);
            let gain = if now.0 > 0.0 {
                now.0 - g.0
            } else {
                (now.1 - g.1) * 1e6
            };
            let per_dollar = gain / price(&current, id);
            if gain > 1e-12 && pick.as_ref().is_none_or(|(best, _)| per_dollar > *best) {
                pick = Some((per_dollar, id.clone()));
            }
        }
        match pick {
            Some((_, id)) => {
                let n = count(&current, &id) + 1;
                set_count(&mut current, &id, n);
            }
            None => break,
        }
    }

    // 4. Trim: drop what is not needed, most expensive first.
    let mut order = stations.clone();
    order.sort_by(|a, b| price(&current, b).total_cmp(&price(&current, a)));
    for id in &order {
        while count(&current, id) > 1 && solves.get() < BUDGET * 2 {
            let mut trial = current.clone();
            let n = count(&current, id) - 1;
            set_count(&mut trial, id, n);
            match solve(&trial) {
                Some(t) if meets(&t, target) => current = trial,
                _ => break,
            }
        }
    }
    match solve(&current) {
        Some(r) if meets(&r, target) => {
            let changes = stations
                .iter()
                .filter(|id| count(&base, id) != count(&current, id))
                .map(|id| (id.clone(), (count(&base, id), count(&current, id))))
                .collect();
            Plan::Met {
                changes,
                scenario: Box::new(current),
                report: Box::new(r),
            }
        }
        _ => Plan::Impossible(
            "the search ran out of steps before meeting the target; try a looser target or \
             raise the counts of the busiest components first."
                .into(),
        ),
    }
}
