//! A solved design's intermediate values — routing, flows, every station's steady state —
//! kept together so that the report, the explanations and a closed population's MVA all
//! read the very same numbers.

use super::autoscale;
use super::flow;
use super::network::Network;
use super::parallel::join;
use super::replication::Streams;
use super::station::Load;
use super::survive::effective_up;
use crate::model::{Problems, Scenario};

/// A solved design's intermediate values: what the report is made of, kept together so
/// that an explanation reads the very numbers the report was computed from.
pub(super) struct Solution<'a> {
    /// The routing.
    pub net: Network<'a>,
    /// Offered requests per second at peak, and the class shares.
    pub rps: f64,
    pub shares: [f64; 3],
    /// What every node would receive if nothing were dropped (linear in traffic); it decides
    /// the bottleneck, the headroom, and how many instances must survive.
    pub demand: flow::Flow,
    /// The flows with every station serving what it can.
    pub flow: flow::Flow,
    /// Each station's steady state at its arrivals (`None`: no servers).
    pub loads: Vec<Option<Load>>,
    /// Per node, the probability that it does its part (instances, bypass, failover).
    pub up: Vec<f64>,
    /// The replication streams, from which the replicas' lag and a primary's failover
    /// targets are read.
    pub streams: Streams,
    /// A closed population's users and think time, when the waits are MVA's.
    pub closed: Option<(u64, f64)>,
}

impl<'a> Solution<'a> {
    /// Routes and flows a valid design whose autoscaled pools are settled.
    pub fn new(s: &'a Scenario) -> Result<Solution<'a>, Problems> {
        let net = Network::build(s)?;
        let rps = s.traffic.peak_rps();
        let shares = s.traffic.shares();
        // What arrives, beside what would arrive were nothing dropped and the availability
        // that follows from it.
        let (solved, healthy) = join(
            || flow::solve(&net, rps, shares),
            || -> Result<_, Problems> {
                let demand = flow::propagate(&net, rps, shares, |_, _| 1.0)?;
                let streams = Streams::of(s);
                let up: Vec<f64> = (0..net.nodes.len())
                    .map(|v| effective_up(&net, &demand, &streams, v))
                    .collect();
                Ok((demand, streams, up))
            },
        );
        // The demand's problems first, as when it was worked out first.
        let (demand, streams, up) = healthy?;
        let (flow, loads) = solved?;
        Ok(Solution {
            net,
            rps,
            shares,
            demand,
            flow,
            loads,
            up,
            streams,
            closed: None,
        })
    }

    /// Per node, offered load over capacity if nothing were dropped; an autoscaled pool
    /// saturates only at its maximum, so its load there is the settled load scaled by
    /// settled / maximum instances (load is inversely proportional to the count).
    pub fn demand_loads(&self, pools: &[autoscale::Pool]) -> Vec<f64> {
        let mut loads: Vec<f64> = self
            .demand
            .loads(&self.net)
            .iter()
            .map(|l| l.as_ref().map_or(0.0, |l| l.load))
            .collect();
        for p in pools {
            loads[p.node] *= f64::from(p.instances) / f64::from(p.policy.max);
        }
        loads
    }

    /// The node that saturates first as traffic grows: highest demand load; ties go to the
    /// component nearest the clients, then to the one listed first.
    pub fn bottleneck(&self, demand_loads: &[f64]) -> Option<usize> {
        let net = &self.net;
        (0..net.nodes.len())
            .filter(|&v| demand_loads[v] > 0.0)
            .min_by(|&a, &b| {
                demand_loads[b]
                    .total_cmp(&demand_loads[a])
                    .then(net.rank[a].cmp(&net.rank[b]))
                    .then(a.cmp(&b))
            })
    }
}
