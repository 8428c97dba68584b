//! Replication lag: how long a replica takes to apply a write the primary has answered,
//! and how often a read soon after a write would miss it (see MODEL.md, "Replication lag").

use super::flow::Flow;
use super::latency::{invert_cdf, quantile, shifts_of};
use super::network::Network;
use super::station::Load;
use crate::model::{Class, Kind, Location, Scenario};
use serde::Serialize;

/// Every replication stream of a design, found once, in the order of its links: per
/// component, the links that carry a primary's writes to it with the primary's index, and
/// the replicas it writes to. Searching every link for each replica made a
/// 10 000-component report spend most of its time comparing ids.
pub struct Streams {
    into: Vec<Vec<(usize, usize)>>,
    out: Vec<Vec<usize>>,
}

impl Streams {
    /// The streams of `s`.
    pub fn of(s: &Scenario) -> Streams {
        let mut into = vec![Vec::new(); s.components.len()];
        let mut out = vec![Vec::new(); s.components.len()];
        for (i, (l, ends)) in s.links.iter().zip(s.link_ends()).enumerate() {
            let Some((from, to)) = ends else {
                continue;
            };
            if l.replicates(&s.components[from], &s.components[to]) {
                into[to].push((i, from));
                out[from].push(to);
            }
        }
        Streams { into, out }
    }

    /// The replicas component `v` writes to, by index.
    pub fn replicas_of(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.out.get(v).into_iter().flatten().copied()
    }

    /// Whether a primary replicates its writes to component `v`: a read replica a database
    /// links to by a hand-off.
    pub fn replicated(&self, v: usize) -> bool {
        self.into.get(v).is_some_and(|links| !links.is_empty())
    }

    /// The links that carry writes to component `v`, by index in the design's links.
    pub fn links_into(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.into
            .get(v)
            .into_iter()
            .flatten()
            .map(|&(link, _)| link)
    }

    /// The primaries that replicate to component `v`, by index.
    fn primaries_of(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.into
            .get(v)
            .into_iter()
            .flatten()
            .map(|&(_, from)| from)
    }

    /// The network time a write takes from its primary to replica `v`, seconds: the typed
    /// `replication_delay_ms` plus, when the two stand in different places (`places`, from
    /// [`Scenario::places`]), half their round trip (a write travels one way). MODEL.md
    /// §17, §21.
    pub fn delay_s(&self, s: &Scenario, places: &[Option<Location>], v: usize) -> f64 {
        let c = &s.components[v];
        let geography = s.geography();
        let distance_ms = self
            .primaries_of(v)
            .filter_map(|p| Some(geography.between_ms(places[p]?, places[v]?)))
            .fold(0.0, f64::max);
        (c.num("replication_delay_ms") + distance_ms / 2.0) / 1000.0
    }
}

/// What a primary's link to a read replica carries of replication.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Replicated {
    /// Writes per second the replica applies: every write the primary serves.
    pub writes_rps: f64,
    /// The part of the link's rate that is the replica's work applying them: each counts
    /// as `replication_cost` of a request of its own (MODEL.md §2), so with a cost of 0.5
    /// 400 writes a second are 200 requests' worth.
    pub work_rps: f64,
}

/// Per link of the design, in order, what it carries of replication (`None` for a link
/// that carries none, a promoted replica's among them): read off the primaries' write
/// hops, so that rates of writes never have to be recovered from rates of work.
pub(crate) fn per_link(net: &Network, flow: &Flow) -> Vec<Option<Replicated>> {
    let w = Class::Write.index();
    let kind = |v: usize| net.scenario.components[v].kind;
    let mut out = vec![None; net.scenario.links.len()];
    for (u, node) in net
        .nodes
        .iter()
        .enumerate()
        .filter(|&(u, _)| kind(u).is_primary())
    {
        let writes = flow.served(u)[w];
        for e in node.calls[w].iter().chain(&node.asyncs[w]) {
            if kind(e.to) == Kind::ReadReplica {
                let r = out[e.link].get_or_insert(Replicated {
                    writes_rps: writes,
                    work_rps: 0.0,
                });
                r.work_rps += e.p * writes;
            }
        }
    }
    out
}

/// A replica's lag behind its primary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lag {
    /// Whether the replica applies writes before the primary answers (no lag).
    pub sync: bool,
    /// Mean time from the primary's answer to the replica's apply, ms (`None`: the replica
    /// cannot keep up and the lag grows without bound).
    pub mean_ms: Option<f64>,
    /// Its 99th percentile, ms.
    pub p99_ms: Option<f64>,
    /// The read-after-write window asked about (`read_your_writes_ms`).
    pub window_ms: f64,
    /// The share of reads that long after a write that would not see it yet.
    pub stale_share: Option<f64>,
    /// Writes the primary has answered that the replica has not applied, on average
    /// (Little's law: their rate times the mean lag): what a failover promoting this
    /// replica at a random moment loses (`None`: a backlog that grows without bound).
    pub unapplied_writes: Option<f64>,
}

/// The lag of an asynchronous replica whose station is at `load`: the network `delay_s`,
/// then the apply's time at the replica, queued with its reads (the same station the reads
/// see: the apply waits for a server like any request and takes one service time), with
/// `writes_rps` replicated writes a second.
pub(crate) fn lag(load: &Load, delay_s: f64, window_ms: f64, writes_rps: f64) -> Lag {
    let unbounded = load.unbounded() || load.accept <= 0.0;
    if unbounded {
        return Lag {
            sync: false,
            mean_ms: None,
            p99_ms: None,
            window_ms,
            stale_share: Some(1.0),
            unapplied_writes: None,
        };
    }
    // The apply's own time: the station's sojourn, normalised to the applies it serves.
    // A constant service time is a jump in its CDF, inverted apart like the end-to-end
    // time's.
    let mass = load.lst(0.0_f64);
    let shifts = shifts_of(load);
    let cdf_pdf = |t: f64| invert_cdf(t, shifts.as_deref(), load);
    let cdf = |t: f64| (cdf_pdf(t).0 / mass).clamp(0.0, 1.0);
    // The 99th percentile by the solve's own quantile search (a few transform inversions;
    // bisection took some sixty for each replica), from where an exponential of the same
    // mean would have it.
    let mean = load.mean_sojourn;
    let guess = mean.max(1e-9) * 100f64.ln();
    let (p99, _) = quantile(cdf_pdf, 0.99 * mass, mass, guess);
    let window = window_ms / 1000.0;
    Lag {
        sync: false,
        mean_ms: Some((delay_s + mean) * 1000.0),
        p99_ms: Some((delay_s + p99) * 1000.0),
        window_ms,
        stale_share: Some(1.0 - cdf(window - delay_s)),
        unapplied_writes: Some(writes_rps * (delay_s + mean)),
    }
}

/// A synchronous replica: the write is applied before the primary answers.
pub fn synchronous(window_ms: f64) -> Lag {
    Lag {
        sync: true,
        mean_ms: Some(0.0),
        p99_ms: Some(0.0),
        window_ms,
        stale_share: Some(0.0),
        unapplied_writes: Some(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Kind, Link};
    use crate::solve::station::Station;

    #[test]
    fn an_m_m_1_replica_lags_by_its_exponential_sojourn_plus_the_delay() {
        // One server of 5 ms (μ = 200/s) at λ = 100/s: sojourn Exp(μ − λ = 100/s), mean
        // 10 ms, p99 ln(100)/100 s = 46.05 ms; P(sojourn > 20 ms) = e^−2 = 13.5 %. With a
        // 2 ms delay: 12 ms, 48.05 ms, and a 22 ms window gives e^−2 again.
        let c = Component::new("r", Kind::ReadReplica, "", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 5.0);
        let load = Station::new(&c, false).load(100.0);
        let l = lag(&load, 0.002, 22.0, 40.0);
        let close = |a: Option<f64>, b: f64| (a.unwrap_or(f64::NAN) - b).abs() < 1e-4 * b;
        assert!(close(l.mean_ms, 12.0), "{l:?}");
        assert!(close(l.p99_ms, 2.0 + 100f64.ln() * 10.0), "{l:?}");
        assert!(close(l.stale_share, (-2.0f64).exp()), "{l:?}");
        // 40 writes a second, each 12 ms behind on average: 0.48 unapplied (Little).
        assert!(close(l.unapplied_writes, 0.48), "{l:?}");
        // Past saturation the lag grows without bound, and every read soon after is stale.
        let over = lag(&Station::new(&c, false).load(250.0), 0.0, 100.0, 40.0);
        assert_eq!((over.mean_ms, over.stale_share), (None, Some(1.0)));
    }

    /// The p99 lag by bisection on the normalised CDF, sixty halvings of a bracket grown
    /// from the mean: how it was searched for before the quantile search, kept as the
    /// oracle (on the same shift-aware CDF).
    fn p99_by_bisection(load: &Load) -> f64 {
        let mass = load.lst(0.0_f64);
        let shifts = shifts_of(load);
        let cdf = |t: f64| (invert_cdf(t, shifts.as_deref(), load).0 / mass).clamp(0.0, 1.0);
        let (mut lo, mut hi) = (0.0, load.mean_sojourn.max(1e-9));
        while cdf(hi) < 0.99 && hi < 1e7 {
            hi *= 2.0;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if cdf(mid) < 0.99 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn a_constant_service_time_is_a_jump_the_p99_lag_steps_over() {
        // One server of a constant 5 ms at λ = 20/s (ρ = 0.1): the sojourn is the wait plus
        // 5 ms. The wait is modelled as exponential with probability p of waiting at all,
        // so P(W > w) = p·e^{−rate·w} and the p99 is 5 ms + ln(100 p)/rate. Inverting the
        // jump at 5 ms in place rings, and a search on that CDF stopped at 5.18 ms.
        let c = Component::new("r", Kind::ReadReplica, "", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 5.0)
            .with("service_cv", 0.0);
        let load = Station::new(&c, false).load(20.0);
        let crate::solve::queueing::Wait::Exponential { p, rate } = load.parts[0].solved.wait
        else {
            panic!(
                "an unlimited queue waits exponentially: {:?}",
                load.parts[0].solved.wait
            );
        };
        let want = 5.0 + (100.0 * p).ln() / rate * 1000.0;
        let got = lag(&load, 0.0, 10.0, 1.0).p99_ms.unwrap_or(f64::NAN);
        // The inversion is good to about 1e-8 of the mass; 1e-6 relative is ample.
        assert!(
            (got - want).abs() <= 1e-6 * want,
            "{got} ms, closed form {want} ms"
        );
    }

    #[test]
    fn the_p99_lag_is_the_bisections_across_service_shapes_and_loads() {
        // Constant, Erlang, exponential and bursty service; one server and many; no queue
        // limit, a limit, and shedding; from light load to near saturation. The search
        // stops within 1e-10 of the CDF's target, so the two agree to well under 1e-6
        // relative (the inversion itself is good to about 1e-8).
        let shapes: [&[(&str, f64)]; 6] = [
            &[("service_cv", 0.0)],
            &[("service_cv", 0.5)],
            &[],
            &[("service_cv", 2.0)],
            &[("queue_capacity", 3.0)],
            &[("max_wait_ms", 8.0)],
        ];
        for shape in shapes {
            for servers in [1.0, 8.0] {
                let mut c = Component::new("r", Kind::ReadReplica, "", 0.0, 0.0)
                    .with("concurrency", servers)
                    .with("service_time_ms", 5.0);
                for &(key, value) in shape {
                    c = c.with(key, value);
                }
                for rho in [0.1, 0.5, 0.9, 0.98] {
                    let load = Station::new(&c, false).load(rho * servers * 200.0);
                    let l = lag(&load, 0.0, 10.0, 1.0);
                    let want = p99_by_bisection(&load) * 1000.0;
                    let got = l.p99_ms.unwrap_or(f64::NAN);
                    assert!(
                        (got - want).abs() <= 1e-6 * want,
                        "{shape:?}, {servers} servers at ρ = {rho}: {got} ms, bisection {want} ms"
                    );
                }
            }
        }
    }

    #[test]
    fn streams_are_the_hand_offs_from_a_database_to_a_replica() {
        let mut s = Scenario::new("streams", crate::model::Traffic::rps(10.0, 0.8, 0.2, 0.0));
        for (id, kind) in [
            ("app", Kind::AppServer),
            ("db", Kind::Database),
            ("db2", Kind::Database),
            ("r1", Kind::ReadReplica),
            ("r2", Kind::ReadReplica),
            ("r3", Kind::ReadReplica),
        ] {
            s.components.push(Component::new(id, kind, id, 0.0, 0.0));
        }
        let mut call = Link::new("db2", "r2");
        call.calls = Some(1.0);
        s.links = vec![
            Link::new("app", "db"),
            Link::new("db", "r1"),
            Link::new("db2", "r1"),
            call,
            Link::new("app", "r3"),
        ];
        let streams = Streams::of(&s);
        // The search each replica used to make.
        let replicates = |l: &Link| {
            let (from, to) = (s.component(&l.from), s.component(&l.to));
            l.calls.is_none()
                && from.is_some_and(|p| p.kind.is_primary())
                && to.is_some_and(|r| r.kind == Kind::ReadReplica)
        };
        for (v, c) in s.components.iter().enumerate() {
            let by_search: Vec<usize> = (0..s.links.len())
                .filter(|&i| s.links[i].to == c.id && replicates(&s.links[i]))
                .collect();
            assert_eq!(
                streams.links_into(v).collect::<Vec<_>>(),
                by_search,
                "{}",
                c.id
            );
            assert_eq!(streams.replicated(v), c.id == "r1", "{}", c.id);
        }
        assert_eq!(streams.primaries_of(3).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(streams.replicas_of(1).collect::<Vec<_>>(), [3]);
        assert_eq!(streams.replicas_of(2).collect::<Vec<_>>(), [3]);
    }
}
