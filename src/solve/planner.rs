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
//! 4. Trim: take each component, most expensive first, down to the fewest instances at
//!    which the target still holds and no single point of failure appears that the design
//!    did not have (found by halving: fewer instances never meet a target more miss).
//! 5. Exchange: give one group one more instance and trim the others again; keep the
//!    result when it costs less, until no group's extra instance saves anything.
//!
//! Identical siblings (same kind, parameters and links, such as the two app servers behind
//! one balancer) move together, so they always end with equal counts.

use super::{analyze, noticeable, single_points_of_failure, Report};
use crate::model::{Autoscale, Kind, Link, ParamValue, Scenario, MAX_COUNT};
use crate::sliced::Sliced;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the plan must achieve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Offered requests per second.
    pub rps: f64,
    /// Largest acceptable p99, ms.
    pub p99_ms: f64,
    /// Smallest acceptable availability.
    pub availability: f64,
    /// Smallest acceptable headroom: the multiple of the target traffic the plan carries
    /// before its busiest component saturates (1.25: nothing above 80 % busy; 1: serving
    /// the target is enough). The results' headroom, so a plan applied shows at least this.
    #[serde(default = "no_margin")]
    pub headroom: f64,
}

/// The headroom of a target that asks for none beyond serving its traffic.
fn no_margin() -> f64 {
    1.0
}

/// Instances per component id whose count a plan changes: (from, to).
pub type Changes = BTreeMap<String, (u64, u64)>;

/// The planner's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Plan {
    /// Instance counts that meet the target, with the resulting numbers.
    Met {
        /// Instances per component id (only components whose count changed are listed).
        changes: Changes,
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

/// Whether requests are dropped or background messages never processed: a plan must lose
/// neither, as far as any view raises a loss ([`noticeable`]: a deadline's tail of one
/// request in six days buys no server).
fn loses(r: &Report) -> bool {
    noticeable(r.dropped_rps + r.background_dropped_rps())
}

/// Whether `r` meets `t`. Nothing may be saturated either: a consumer at exactly its
/// capacity drops nothing yet, but its backlog grows without end.
fn meets(r: &Report, t: &Target) -> bool {
    !loses(r)
        && r.components.values().all(|c| !c.saturated)
        && r.latency_ms.p99.is_some_and(|p| p <= t.p99_ms)
        && r.availability >= t.availability
        && short_of(r, t) <= 0.0
}

/// How far the headroom falls short of the target's (0 when it does not; a design with no
/// capacity limit has headroom to spare).
fn short_of(r: &Report, t: &Target) -> f64 {
    r.headroom.map_or(0.0, |h| (t.headroom - h).max(0.0))
}

/// How far a report is from the target: p99 excess in ms (unbounded counts as huge), then
/// the availability shortfall, then the headroom's. Lower is better; zero on all means met.
fn gap(r: &Report, t: &Target) -> [f64; 3] {
    let p99 = match r.latency_ms.p99 {
        Some(p) if !loses(r) => (p - t.p99_ms).max(0.0),
        _ => 1e12,
    };
    [
        p99,
        (t.availability - r.availability).max(0.0),
        short_of(r, t),
    ]
}

/// Components that are interchangeable: same kind and parameters, same senders and the same
/// targets. The planner sizes each such group as one.
fn sibling_groups(s: &Scenario, ids: &[String]) -> Vec<Vec<String>> {
    let signature = |id: &str| {
        let c = s.component(id)?;
        // A link as seen from `id`: the other end and what the link carries.
        let ends = |other: fn(&Link) -> &str, mine: fn(&Link) -> &str| -> Vec<String> {
            s.links
                .iter()
                .filter(|l| mine(l) == id)
                .map(|l| format!("{}|{:?}|{:?}|{:?}", other(l), l.classes, l.calls, l.weight))
                .collect()
        };
        let mut from = ends(|l| &l.from, |l| &l.to);
        let mut to = ends(|l| &l.to, |l| &l.from);
        crate::sort::ascending(&mut from);
        crate::sort::ascending(&mut to);
        Some((c.kind, format!("{:?}", c.params), from, to))
    };
    let mut groups: Vec<Vec<String>> = Vec::new();
    for id in ids {
        let sig = signature(id);
        match groups
            .iter_mut()
            .find(|g| sig.is_some() && signature(&g[0]) == sig)
        {
            Some(g) => g.push(id.clone()),
            None => groups.push(vec![id.clone()]),
        }
    }
    groups
}

fn set_group(s: &mut Scenario, group: &[String], n: u64) {
    for id in group {
        set_count(s, id, n);
    }
}

/// `s` as the planner starts from it: at the target traffic, nothing failed.
fn at_target(s: &Scenario, target: &Target) -> Scenario {
    let mut base = s.clone();
    base.traffic = base.traffic.open_at(target.rps);
    base.failed.clear();
    base
}

/// The design a plan's `changes` make of `s` for `target`, as [`plan`] makes it.
pub fn planned(s: &Scenario, target: &Target, changes: &Changes) -> Scenario {
    let mut s = at_target(s, target);
    for (id, &(_, n)) in changes {
        set_count(&mut s, id, n);
    }
    s
}

/// Plans instance counts for `s` to meet `target`.
pub fn plan(s: &Scenario, target: &Target) -> Plan {
    let base = at_target(s, target);
    // Autoscaled pools are left to their policy, which the solve settles at the target
    // traffic: the plan changes only fixed counts.
    let stations: Vec<String> = base
        .components
        .iter()
        .filter(|c| c.kind.is_station() && Autoscale::of(c).is_none())
        .map(|c| c.id.clone())
        .collect();
    let groups = sibling_groups(&base, &stations);
    let price = |s: &Scenario, group: &[String]| {
        let c = s.component(&group[0]);
        let shards = c
            .filter(|c| c.kind == Kind::ShardGroup)
            .map_or(1.0, |c| c.num("shards"));
        c.map_or(1.0, |c| s.price(c.kind).max(1.0) * shards) * group.len() as f64
    };
    let solves = std::cell::Cell::new(0usize);
    let solve = |s: &Scenario| {
        solves.set(solves.get() + 1);
        analyze(s).ok()
    };

    // 1. Feasibility. With no client no traffic enters, whatever the counts (found by a
    // tester: the answer spoke of an availability of 0 % instead).
    if !base.components.iter().any(|c| c.kind == Kind::Client) {
        return Plan::Impossible(
            "no traffic enters the design: it has no client. Add a Client and connect it to              the component requests reach first."
                .into(),
        );
    }
    let mut roomy = base.clone();
    for id in &stations {
        set_count(&mut roomy, id, count(&base, id) * 50);
    }
    let Some(best) = solve(&roomy) else {
        return Plan::Impossible("the design does not solve".into());
    };
    // Autoscaled pools are left to their policy: one held at its maximum limits the plan.
    let capped: Vec<String> = base
        .components
        .iter()
        .filter_map(|c| {
            let policy = Autoscale::of(c)?;
            let r = best.components.get(&c.id)?;
            (r.instances_steady == Some(policy.max) && r.load >= 0.8).then(|| {
                format!(
                    "{} ({} instances at most, {:.0} % busy)",
                    base.name_of(&c.id),
                    policy.max,
                    r.load * 100.0
                )
            })
        })
        .collect();
    if !capped.is_empty() && !meets(&best, target) {
        return Plan::Impossible(format!(
            "the plan leaves autoscaled pools to their policy, and at this traffic they are \
             held at their maximum: {}. Raise their autoscaling maximum.",
            capped.join(", ")
        ));
    }
    match best.latency_ms.p99 {
        Some(p) if p > target.p99_ms && !loses(&best) => {
            let mean = best.latency_ms.mean.unwrap_or(p);
            return Plan::Impossible(if mean > target.p99_ms {
                format!(
                    "even with fifty times the instances (no queueing left), the mean response \
                     is {mean:.0} ms and p99 {p:.0} ms: the service times and network delays \
                     on the request path alone exceed {:.0} ms. Change the design (a cache, a \
                     CDN, fewer hops, faster components).",
                    target.p99_ms
                )
            } else {
                format!(
                    "even with fifty times the instances (no queueing left), p99 is {p:.0} ms \
                     while the mean is {mean:.0} ms: the spread of the service times on the \
                     path, not their sum, puts the slowest 1 % over {:.0} ms. Lower the \
                     service-time variability or the slowest hop's service time, or remove \
                     hops.",
                    target.p99_ms
                )
            });
        }
        _ if loses(&best) => {
            return Plan::Impossible(
                "even with fifty times the instances requests are dropped or messages left \
                 unprocessed: some have no route, or a component that cannot grow is \
                 overloaded."
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
    if let (true, Some(b), Some(h)) = (
        short_of(&best, target) > 0.0,
        &best.bottleneck,
        best.headroom,
    ) {
        return Plan::Impossible(format!(
            "even with fifty times the instances, {} saturates at {} the target traffic, \
             short of the {} asked: its capacity does not grow with the counts the planner \
             sets (an autoscaled pool's maximum, a hot shard, a component without instances).",
            base.name_of(b),
            crate::model::multiple(h),
            crate::model::multiple(target.headroom)
        ));
    }

    // 2. Capacity: bring overloaded components under 80 %, or under what the headroom
    // asked for allows if that is less.
    let (over, under) = (
        0.9f64.min(1.0 / target.headroom),
        0.8f64.min(1.0 / target.headroom),
    );
    let mut current = base.clone();
    for _ in 0..20 {
        let Some(r) = solve(&current) else { break };
        let mut changed = false;
        for group in &groups {
            let load = group
                .iter()
                .filter_map(|id| r.components.get(id))
                .map(|c| c.load)
                .fold(0.0, f64::max);
            if load >= over {
                let n = count(&current, &group[0]);
                let needed = (((n as f64) * load / under).ceil() as u64).max(n + 1);
                set_group(&mut current, group, needed);
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
        let mut pick: Option<(f64, &Vec<String>)> = None;
        for group in &groups {
            let mut trial = current.clone();
            let n = count(&current, &group[0]) + 1;
            set_group(&mut trial, group, n);
            let Some(t) = solve(&trial) else { continue };
            let g = gap(&t, target);
            // The first figure still missed decides: p99, availability (in millionths),
            // then headroom.
            let gain = match now.iter().position(|&x| x > 0.0) {
                Some(0) => now[0] - g[0],
                Some(1) => (now[1] - g[1]) * 1e6,
                _ => now[2] - g[2],
            };
            let per_dollar = gain / price(&current, group);
            if gain > 1e-12 && pick.as_ref().is_none_or(|(best, _)| per_dollar > *best) {
                pick = Some((per_dollar, group));
            }
        }
        match pick {
            Some((_, group)) => {
                let n = count(&current, &group[0]) + 1;
                set_group(&mut current, group, n);
            }
            None => break,
        }
    }

    // 4. Trim: each group in turn, most expensive first, to the fewest instances at which
    // the target still holds and no single point of failure appears that the design at the
    // target traffic did not have. Fewer instances never meet a target more miss, so the
    // fewest is found by halving the range from one to the count now: a few solves and SPOF
    // checks per group rather than one per instance removed.
    let spofs = |s: &Scenario, r: &Report| {
        solves.set(solves.get() + s.components.len() * 2);
        single_points_of_failure(s, r)
    };
    let allowed = solve(&base).map(|r| spofs(&base, &r)).unwrap_or_default();
    let fits = |s: &Scenario| {
        solve(s).is_some_and(|r| {
            meets(&r, target) && spofs(s, &r).keys().all(|x| allowed.contains_key(x))
        })
    };
    // `s` meets the target; every group but `kept` is trimmed.
    let trim = |mut s: Scenario, kept: Option<&Vec<String>>| -> Scenario {
        let mut order: Vec<&Vec<String>> = groups.iter().filter(|g| Some(*g) != kept).collect();
        crate::sort::by(&mut order, |a, b| price(&s, b).total_cmp(&price(&s, a)));
        for group in order {
            let (mut fewest, mut enough) = (1, count(&s, &group[0]));
            while fewest < enough && solves.get() < BUDGET * 4 {
                let mid = fewest + (enough - fewest) / 2;
                let mut trial = s.clone();
                set_group(&mut trial, group, mid);
                if fits(&trial) {
                    enough = mid;
                } else {
                    fewest = mid + 1;
                }
            }
            if enough < count(&s, &group[0]) {
                set_group(&mut s, group, enough);
            }
        }
        s
    };
    current = trim(current, None);

    // 5. Exchange: trimmed, no group can lose an instance, but one more instance in one
    // group may let the others lose more than it costs (a second database instance that
    // lifts the availability ceiling the balancers were inching towards one at a time).
    // Each group in turn gets one more and the others are trimmed again; the cheaper
    // design is kept, until no such move saves or the budget is spent.
    let cost = |s: &Scenario| solve(s).map_or(f64::INFINITY, |r| r.monthly_cost_usd);
    if fits(&current) {
        let mut best = cost(&current);
        let mut improved = true;
        while improved && solves.get() < BUDGET * 4 {
            improved = false;
            for group in &groups {
                if solves.get() >= BUDGET * 4 {
                    break;
                }
                let mut raised = current.clone();
                set_group(&mut raised, group, count(&current, &group[0]) + 1);
                let trial = trim(raised, Some(group));
                let c = cost(&trial);
                if c < best - 1e-6 && fits(&trial) {
                    (current, best, improved) = (trial, c, true);
                }
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

/// The planner as long work for a page, which runs it in a worker: a plan is hundreds of
/// solves and SPOF checks, seconds for a large design. It runs in one piece (a worker is
/// ended, not paused, when a person moves on), and what comes back is the plan's counts:
/// the page makes the design from them ([`planned`]) and solves it as it solves every
/// design.
pub struct Planning {
    design: Scenario,
    target: Target,
    counts: Option<Result<Changes, String>>,
}

impl Planning {
    /// The plan of `design` for `target`, not yet worked out.
    pub fn new(design: Scenario, target: Target) -> Planning {
        Planning {
            design,
            target,
            counts: None,
        }
    }
}

impl Sliced for Planning {
    /// The counts that meet the target, or why none can.
    type Output = Result<Changes, String>;

    fn advance(&mut self) -> bool {
        self.counts = Some(match plan(&self.design, &self.target) {
            Plan::Met { changes, .. } => Ok(changes),
            Plan::Impossible(why) => Err(why),
        });
        true
    }

    fn progress(&self) -> f64 {
        if self.counts.is_some() {
            1.0
        } else {
            0.0
        }
    }

    fn finish(self) -> Self::Output {
        self.counts
            .unwrap_or_else(|| Err("the plan was not worked out".to_string()))
    }
}
