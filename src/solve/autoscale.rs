//! Autoscaled pools in steady state: the count each policy settles on, and the design
//! frozen at those counts, which every other part of the solve then reads.
//!
//! A policy keeps `ceil(busy / target)` instances ([`Autoscale::settle`]), where `busy` is
//! the work offered to the pool in fully busy instances. What a pool is offered depends on
//! how much the pools before it drop, so the counts are found together: every pool starts
//! at its minimum and is set to its policy's count for the flow of the previous round.
//! Counts only grow from the minimum while more work gets through (a pool's arrivals rise
//! as the pools before it grow), so this stops after at most one round per pool; a bound
//! guards the rare design where least-connections weights move work between pools.

use super::flow;
use super::network::Network;
use super::Report;
use crate::model::{Autoscale, ParamValue, Problems, Scenario};
use std::borrow::Cow;

/// The design with each autoscaled pool fixed at its steady count and its policy removed,
/// with the pools.
pub(crate) struct Settled<'a> {
    pub scenario: Cow<'a, Scenario>,
    pub pools: Vec<Pool>,
}

/// One autoscaled pool and the count its policy settles on.
pub(crate) struct Pool {
    pub node: usize,
    pub policy: Autoscale,
    pub instances: u32,
}

/// Settles every autoscaling policy of a valid scenario. What-if failures are left out
/// while settling and put back after: they show the moment of the failure, before any
/// policy reacts (the simulator shows the reaction).
///
/// # Errors
/// As [`Network::build`] and [`flow::solve`].
pub(crate) fn settle(s: &Scenario) -> Result<Settled<'_>, Problems> {
    let mut pools: Vec<Pool> = s
        .components
        .iter()
        .enumerate()
        .filter_map(|(node, c)| {
            let policy = Autoscale::of(c)?;
            Some(Pool {
                node,
                policy,
                instances: policy.min,
            })
        })
        .collect();
    if pools.is_empty() {
        return Ok(Settled {
            scenario: Cow::Borrowed(s),
            pools,
        });
    }
    let mut frozen = s.clone();
    frozen.failed.clear();
    let (rps, shares) = (s.traffic.peak_rps(), s.traffic.shares());
    for _ in 0..pools.len() + 2 {
        for p in &pools {
            fix(&mut frozen, p.node, p.instances);
        }
        let net = Network::build(&frozen)?;
        let (flow, _) = flow::solve(&net, rps, shares)?;
        let mut changed = false;
        for p in &mut pools {
            let Some(st) = &net.nodes[p.node].station else {
                continue;
            };
            let arrival: f64 = flow.arrival[p.node].iter().sum();
            let n = p
                .policy
                .settle(arrival * st.visit / (st.concurrency as f64 * st.mu));
            changed |= n != p.instances;
            p.instances = n;
        }
        if !changed {
            break;
        }
    }
    for p in &pools {
        fix(&mut frozen, p.node, p.instances);
    }
    frozen.failed = s.failed.clone();
    // "Lose N" counts from the pool as drawn; a pool settled smaller loses at most all of it.
    for p in &pools {
        if let Some(f) = frozen.failed.get_mut(&s.components[p.node].id) {
            f.lost = f.lost.map(|lost| lost.min(u64::from(p.instances)));
        }
    }
    Ok(Settled {
        scenario: Cow::Owned(frozen),
        pools,
    })
}

/// The design frozen at the counts `base` (its report) settled on, without solving again:
/// what failure analysis takes instances away from. A closed population is frozen at its
/// solved rate as open traffic: a failure is judged by what it does to that traffic.
pub(crate) fn frozen<'a>(s: &'a Scenario, base: &Report) -> Cow<'a, Scenario> {
    if s.traffic.population().is_some() {
        let mut open = s.clone();
        open.traffic = s.traffic.open_at(base.offered_rps);
        return match frozen(&open, base) {
            Cow::Owned(f) => Cow::Owned(f),
            Cow::Borrowed(_) => Cow::Owned(open),
        };
    }
    let counts: Vec<(usize, u32)> = s
        .components
        .iter()
        .enumerate()
        .filter_map(|(v, c)| {
            let n = base.components.get(&c.id)?.instances_steady?;
            Some((v, n))
        })
        .collect();
    if counts.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut frozen = s.clone();
    for (v, n) in counts {
        fix(&mut frozen, v, n);
    }
    Cow::Owned(frozen)
}

/// Pool `v` as a fixed pool of `n` instances.
fn fix(s: &mut Scenario, v: usize, n: u32) {
    let c = &mut s.components[v];
    for spec in c.kind.autoscale_params() {
        c.params.remove(spec.key);
    }
    c.params
        .insert("instances".into(), ParamValue::Number(f64::from(n)));
}
