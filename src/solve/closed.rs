//! A closed population in the solve: N users who each send a request, wait for its answer
//! and think Z seconds. Its rate is an outcome, so the design is solved by Mean Value
//! Analysis ([`super::mva`]) over the queues the open solve builds, and then reported as the
//! open design at that rate with each queue's wait replaced by the closed one — so every
//! panel (throughput, latency, components, explanations) reads one solution.

use super::autoscale;
use super::latency::Latency;
use super::mva::{self, Centre, Closed};
use super::queueing::Wait;
use super::solution::Solution;
use crate::model::{Field, Problem, Problems, Scenario, TrafficField};
use serde::Serialize;

/// Rounds of "rate → visits and instance counts → MVA → rate" before giving up on a fixed
/// point (the visits depend on the rate only through TTL caches and autoscaling).
const ROUNDS: usize = 60;

/// Populations the report's curve shows, besides the design's own.
const CURVE_POINTS: usize = 40;

/// What the closed solve adds to the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedReport {
    /// Concurrent users.
    pub users: u64,
    /// Think time, seconds.
    pub think_time_s: f64,
    /// N* = (D + Z)/D_max: beyond it the bottleneck is saturated and each extra user only
    /// waits (`None`: nothing queues, or nothing is served).
    pub saturation_users: Option<f64>,
    /// Least response time (no queueing), ms: D.
    pub least_response_ms: f64,
    /// Throughput bound 1/D_max times the share served, requests per second (`None`:
    /// nothing queues; 0: nothing is served).
    pub max_throughput_rps: Option<f64>,
    /// Whether MVA was exact (N ≤ [`mva::EXACT_USERS`]) rather than Bard–Schweitzer.
    pub exact_mva: bool,
    /// Throughput and response against users, up to past N* and N.
    pub curve: Vec<ClosedPoint>,
}

/// One population on the curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClosedPoint {
    /// Users.
    pub users: u64,
    /// Requests served per second: what the users send times the share served at the
    /// design's own population.
    pub throughput_rps: f64,
    /// Mean response time (think time excluded), ms.
    pub response_ms: f64,
}

/// The closed solve of a design: the open design at the solved rate, and the waits to
/// write into its queues.
pub(crate) struct ClosedSolve {
    /// The design with its traffic as the solved rate.
    pub open: Scenario,
    network: Closed,
    solved: mva::Solved,
    /// Per centre: the node and the part of its station it is.
    map: Vec<(usize, usize)>,
    users: u64,
    /// Whether the rate reached a fixed point.
    converged: bool,
}

/// The queueing network of a solved open design, per request: each distinct queue of each
/// station a centre, and the constant delays on the way (regions and round trips between
/// places, as the latency side counts them, per population).
fn network(sol: &Solution, think: f64) -> (Closed, Vec<(usize, usize)>) {
    let lambda = sol.rps;
    let (mut centres, mut map) = (Vec::new(), Vec::new());
    let delay = Latency::new(&sol.net, &sol.loads, sol.shares)
        .network_time()
        .unwrap_or(0.0);
    for v in 0..sol.net.nodes.len() {
        let passing = sol.flow.total(v);
        let Some(load) = &sol.loads[v] else { continue };
        let worked = load.worked(passing);
        for (j, part) in load.parts.iter().enumerate() {
            let q = part.queue;
            if q.lambda <= 0.0 {
                continue;
            }
            centres.push(Centre {
                visits: q.lambda / lambda,
                service: 1.0 / q.mu,
                servers: q.servers,
                copies: (part.weight * worked / q.lambda).max(1.0),
            });
            map.push((v, j));
        }
    }
    (
        Closed {
            think,
            delay,
            centres,
        },
        map,
    )
}

/// The design with its traffic as an open rate of exactly `rps`.
fn at_rate(s: &Scenario, rps: f64) -> Scenario {
    let mut open = s.clone();
    open.traffic = s.traffic.open_at(rps);
    open
}

/// Solves a valid design with a closed population of `users` thinking `think` seconds.
///
/// # Errors
/// As the open solve, or a population whose requests take no time at all.
pub(crate) fn solve(s: &Scenario, users: u64, think: f64) -> Result<ClosedSolve, Problems> {
    let (mut rate, mut round) = (1.0, 0);
    loop {
        let open = at_rate(s, rate);
        let settled = autoscale::settle(&open)?;
        let sol = Solution::new(&settled.scenario)?;
        let (network, map) = network(&sol, think);
        if sol.net.sources.is_empty() {
            // Nothing enters the design: no rate to solve.
            return Ok(ClosedSolve {
                open: at_rate(s, 0.0),
                solved: network.solve(0),
                network,
                map,
                users,
                converged: true,
            });
        }
        if network.least_response() + think <= 0.0 {
            return Err(Problems(vec![Problem::general(
                Field::Traffic(TrafficField::ThinkTime),
                "a closed population needs time per request: give a think time, or \
                 components whose service takes time"
                    .into(),
            )]));
        }
        let solved = network.solve(users);
        let next = solved.throughput;
        let converged = (next - rate).abs() <= 1e-12 * next;
        // Past the last round (a cache or pool whose response to the rate oscillates), the
        // last rate's solve stands, and the notes say so.
        if converged || round == ROUNDS {
            return Ok(ClosedSolve {
                open,
                network,
                solved,
                map,
                users,
                converged,
            });
        }
        rate = next;
        round += 1;
    }
}

impl ClosedSolve {
    /// Writes the closed waits into the open solution at the solved rate: each queue's
    /// wait keeps MVA's mean and its probability of waiting (the arrival theorem's), with
    /// an exponential conditional wait.
    pub fn apply(&self, sol: &mut Solution) {
        for ((v, j), at) in self.map.iter().zip(&self.solved.centres) {
            let Some(load) = sol.loads[*v].as_mut() else {
                continue;
            };
            let service = 1.0 / load.parts[*j].queue.mu;
            let mean_wait = (at.per_visit - service).max(0.0);
            // A wait with next to no chance keeps its mean through a floor on that chance:
            // at 1e-300 the transform's derivative was 0/0 in floating point (both factors
            // underflow) and the mean read NaN at light load (5 users, 64 servers).
            let p = if mean_wait > 0.0 {
                at.wait_probability.max(1e-12)
            } else {
                0.0
            };
            let wait = if p > 0.0 {
                Wait::Exponential {
                    p,
                    rate: p / mean_wait,
                }
            } else {
                Wait::Exponential { p: 0.0, rate: 1.0 }
            };
            load.set_wait(*j, wait, mean_wait);
        }
        sol.closed = Some((self.users, self.network.think));
    }

    /// The report's closed section. `served` is the share of requests the design serves
    /// at its population (the headline's throughput over what the users send): the curve
    /// counts requests served, as the headline does, so that a failure that answers every
    /// request with an error reads 0/s on both. Where nothing is served, no population
    /// saturates anything worth charting.
    pub fn report(&self, served: f64) -> ClosedReport {
        let net = &self.network;
        let served = served.clamp(0.0, 1.0);
        let n_star = net.saturation_users().filter(|_| served > 0.0);
        let upto = n_star
            .map_or(self.users, |n| (2.0 * n).ceil().min(1e9) as u64)
            .max(self.users)
            .max(2);
        // An exactly solved population keeps an exact curve around it, up to where exact
        // MVA stops; past that (N* beyond it) the curve goes on by Bard–Schweitzer, so
        // that N* is on the chart rather than past its end.
        let points = if self.users <= mva::EXACT_USERS && upto > mva::EXACT_USERS {
            let beyond = upto - mva::EXACT_USERS;
            let half = (CURVE_POINTS / 2) as u64;
            let mut points = net.curve(mva::EXACT_USERS, CURVE_POINTS);
            points.extend((1..=half).map(|i| {
                let k = mva::EXACT_USERS + (beyond * i).div_ceil(half);
                let s = net.solve(k);
                (k, s.throughput, s.response)
            }));
            points
        } else {
            net.curve(upto, CURVE_POINTS)
        };
        // The design's own population on the curve, whatever the spacing.
        let mut curve: Vec<ClosedPoint> = points
            .into_iter()
            .chain(std::iter::once((
                self.users,
                self.solved.throughput,
                self.solved.response,
            )))
            .map(|(users, x, r)| ClosedPoint {
                users,
                throughput_rps: x * served,
                response_ms: r * 1000.0,
            })
            .collect();
        crate::sort::by_key(&mut curve, |p| p.users);
        curve.dedup_by_key(|p| p.users);
        let dmax = net.bottleneck_demand();
        ClosedReport {
            users: self.users,
            think_time_s: net.think,
            saturation_users: n_star,
            least_response_ms: net.least_response() * 1000.0,
            max_throughput_rps: (dmax > 0.0).then(|| served / dmax),
            exact_mva: self.solved.exact,
            curve,
        }
    }

    /// What the notes say about how the population was solved.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!(
            "A closed population of {} users thinking {} s: its rate is solved by {} Mean \
             Value Analysis; percentiles take each queue's MVA mean and waiting probability \
             with an exponential wait (see MODEL.md).",
            self.users,
            self.network.think,
            if self.solved.exact {
                "exact"
            } else {
                "approximate (Bard–Schweitzer)"
            }
        )];
        if !self.converged {
            notes.push(format!(
                "The solved rate did not settle within {ROUNDS} rounds (a cache or an \
                 autoscaled pool whose response to the rate keeps swinging): the numbers are \
                 the last round's."
            ));
        }
        if let Some(n) = self.network.saturation_users() {
            if self.users as f64 > n {
                notes.push(format!(
                    "{} users is past N* = {n:.0}: the bottleneck is saturated, so more users \
                     only wait longer (throughput stays at {:.1} req/s at most).",
                    self.users,
                    1.0 / self.network.bottleneck_demand()
                ));
            }
        }
        notes
    }
}
