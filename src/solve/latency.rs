//! End-to-end response time: its transform over all request paths, its mean, and its
//! percentiles by numerical inversion.
//!
//! For a class-k request entering node v, `R_k(v)(s) = E[e^{−sT}; completes in finite time]`
//! satisfies
//!
//! ```text
//! R_k(v) = F_v · Π_calls R_k(c)^{calls} · (completes_k(v) + Σ_routes p · R_k(t))
//! ```
//!
//! where `F_v` is the node's own sojourn transform (zero mass for dropped requests and for
//! those stuck behind an unbounded queue). This is the mixture over paths of the product of
//! per-hop transforms, i.e. the distribution of the sum of per-hop times with hops taken as
//! independent, computed in one pass over the graph instead of enumerating paths. The
//! percentiles come from inverting `R(s)/s` (the CDF) with the Abate–Whitt Euler algorithm,
//! never from adding per-hop percentiles.

use super::network::{Network, Node};
use super::node::Edge;
use super::num::{Complex, Dual, Num, Shifted};
use super::parallel::{parallel_map, threads};
use super::quotient::Quotient;
use super::station::Load;

impl Num for f64 {
    fn real(x: f64) -> Self {
        x
    }
    fn delay(s: Self, d: f64) -> Self {
        (-s * d).exp()
    }
    fn norm_sqr(self) -> f64 {
        self * self
    }
}

/// Whether a pass multiplies by the hops' round trips: evaluating transforms in time, or
/// only the share of requests that get through (where a point is not a time variable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hops {
    /// Hops cost nothing (masses).
    Free,
    /// Each hop multiplies by `e^{−s·delay}`.
    Timed,
}

/// Shares that add up to 1 only up to rounding would report 1e-13 req/s dropped.
fn snap(x: f64) -> f64 {
    if (1.0 - x).abs() < 1e-12 {
        1.0
    } else {
        x
    }
}

/// Most bytes of transform values one pass over the graph keeps (a batch of points that
/// fits in cache is faster than a larger one).
const BATCH_BYTES: usize = 8 << 20;

/// Node-points (distinct nodes × transform points) from which a batch is shared out over
/// the cores: below it, handing work to threads costs more than it saves.
const PARALLEL_WORK: usize = 50_000;

/// Share of requests below which waiting without bound is taken for rounding.
const UNBOUNDED_TOLERANCE: f64 = 1e-9;

/// Sweeps allowed for a loop to converge in the transform pass.
const MAX_SWEEPS: usize = 10_000;

/// The latency side of a solved network.
pub(crate) struct Latency<'a> {
    net: &'a Network<'a>,
    /// Station steady states, per node (`None` for clients and regions).
    loads: &'a [Option<Load>],
    /// Offered class shares.
    shares: [f64; 3],
    /// Nodes that share a transform, evaluated once.
    quotient: Quotient,
    /// The one user population summarised (its position in the network's views), or all.
    population: Option<usize>,
}

/// Per node and class, the values at `s = 0` of the transforms behind the served share and
/// the mean (see [`Latency::keep`]).
pub(crate) struct Kept {
    served: Vec<f64>,
    sojourn: Vec<Dual>,
}

/// End-to-end results for requests that are not dropped, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Summary {
    /// Share of offered requests that are served (possibly after an unbounded wait).
    pub success: f64,
    /// The same per class (zero for classes with no traffic).
    pub success_by_class: [f64; 3],
    /// Share of offered requests served in finite time.
    pub finite: f64,
    /// Mean response time of served requests; `None` when some wait without bound.
    pub mean: Option<f64>,
    /// p50, p95, p99 of served requests; `None` where that share includes unbounded waits.
    pub percentiles: [Option<f64>; 3],
}

impl<'a> Latency<'a> {
    /// The latency side of `net` with station states `loads`, for traffic split into classes
    /// by `shares`.
    pub fn new(net: &'a Network<'a>, loads: &'a [Option<Load>], shares: [f64; 3]) -> Self {
        // Nodes in front of the data centres are evaluated once per population, so none of
        // them may stand in for another node.
        let quotient = if net.views.is_some() {
            Quotient::distinct(net.nodes.len())
        } else {
            Quotient::new(net, loads)
        };
        Latency {
            net,
            loads,
            shares,
            quotient,
            population: None,
        }
    }

    /// The same for the users of one place only: population `p` of the network's views.
    pub fn for_population(mut self, p: usize) -> Self {
        self.population = Some(p);
        self
    }

    /// The same without looking for equal nodes: for one-off evaluations on a network that
    /// differs from a solved one in a few nodes, where finding them would cost more than it
    /// saves.
    pub fn unmerged(net: &'a Network<'a>, loads: &'a [Option<Load>], shares: [f64; 3]) -> Self {
        Latency {
            net,
            loads,
            shares,
            quotient: Quotient::distinct(net.nodes.len()),
            population: None,
        }
    }

    /// Evaluates the per-class root transforms `Σ clients share · R_k(client)` at every
    /// point of `points` in one pass over the graph, with `factor(v, s)` as each node's own
    /// term; `factor` may depend on the node only through its station state and delay (the
    /// [`Quotient`] merges nodes on those). One pass for a whole batch (the 29 points of an
    /// Euler inversion) walks the edges once instead of once per point. Classes with no
    /// traffic are left at zero.
    fn roots<N: Num>(&self, points: &[N], factor: &impl Factor<N>, hops: Hops) -> Vec<[N; 3]> {
        let mut val = vec![N::real(0.0); self.quotient.len * self.active().len() * points.len()];
        let net = self.net;
        let sccs = net.sccs.iter().rev().map(Vec::as_slice);
        let Some(views) = &net.views else {
            self.pass(points, factor, &mut val, sccs, &|v| &net.nodes[v], hops);
            return self.totals(&val, points.len(), &net.sources, 1.0);
        };
        // Behind the front once, then the front as each population sees it.
        let in_front = |scc: &[usize]| matches!(scc, [v] if net.views_front(*v));
        let behind = sccs.clone().filter(|scc| !in_front(scc));
        self.pass(points, factor, &mut val, behind, &|v| &net.nodes[v], hops);
        let zero = N::real(0.0);
        let mut total = vec![[zero; 3]; points.len()];
        for (p, pop) in views.populations.iter().enumerate() {
            if self.population.is_some_and(|only| only != p) {
                continue;
            }
            let front = sccs.clone().filter(|scc| in_front(scc));
            let node = |v: usize| pop.node(views, v).unwrap_or(&net.nodes[v]);
            self.pass(points, factor, &mut val, front, &node, hops);
            let scale = if self.population.is_some() {
                pop.share()
            } else {
                1.0
            };
            for (t, part) in
                total
                    .iter_mut()
                    .zip(self.totals(&val, points.len(), &pop.sources, scale))
            {
                for k in 0..3 {
                    t[k] = t[k] + part[k];
                }
            }
        }
        total
    }

    /// Classes with traffic.
    fn active(&self) -> Vec<usize> {
        (0..3).filter(|&k| self.shares[k] > 0.0).collect()
    }

    /// Evaluates the nodes of `sccs` (downstream first) into `val`, which holds the values
    /// per distinct node, active class and point: `val[(slot · classes + j) · width + i]`.
    /// Nodes downstream of them are read from `val` as they are.
    fn pass<'s, 'n, N: Num>(
        &self,
        points: &[N],
        factor: &impl Factor<N>,
        val: &mut [N],
        sccs: impl Iterator<Item = &'s [usize]>,
        nodes: &impl Fn(usize) -> &'n Node,
        hops: Hops,
    ) {
        let width = points.len();
        let zero = N::real(0.0);
        let active = self.active();
        let classes = active.len();
        let q = &self.quotient;
        let at = |v: usize, j: usize| (q.slot[v] * classes + j) * width;
        let mut own = vec![zero; width];
        let mut acc = vec![zero; width];
        // Node v's onward part for active class j at every point: finishing here, handing
        // on, waiting for calls.
        // A hop's round trip multiplies what lies beyond it by `e^{−s·delay}`.
        let far = |x: N, s: N, delay: f64| {
            if delay > 0.0 && hops == Hops::Timed {
                x * N::delay(s, delay)
            } else {
                x
            }
        };
        let onward = |val: &[N], acc: &mut [N], v: usize, j: usize| {
            let node = nodes(v);
            let k = active[j];
            acc.fill(N::real(node.completes[k]));
            for e in &node.routes[k] {
                let to = &val[at(e.to, j)..at(e.to, j) + width];
                for ((a, &x), &s) in acc.iter_mut().zip(to).zip(points) {
                    *a = *a + far(x, s, e.delay).scale(e.p);
                }
            }
            // `p` calls per request: `whole` certain ones and one more with chance `frac`.
            // The factors that are exactly one (no certain call, no chance one) are left out.
            for e in &node.calls[k] {
                let whole = e.p.floor() as u64;
                let frac = e.p - e.p.floor();
                let to = &val[at(e.to, j)..at(e.to, j) + width];
                for ((a, &x), &s) in acc.iter_mut().zip(to).zip(points) {
                    let x = far(x, s, e.delay);
                    if whole > 0 {
                        *a = *a * x.powi(whole);
                    }
                    if frac > 0.0 {
                        *a = *a * (N::real(1.0 - frac) + x.scale(frac));
                    }
                }
            }
        };
        for scc in sccs {
            if let [v] = scc[..] {
                if !q.evaluated[v] {
                    continue;
                }
                factor.fill(v, points, &mut own);
                for j in 0..classes {
                    onward(val, &mut acc, v, j);
                    for (i, (&a, &o)) in acc.iter().zip(&own).enumerate() {
                        val[at(v, j) + i] = a * o;
                    }
                }
                continue;
            }
            let owns: Vec<Vec<N>> = scc
                .iter()
                .map(|&v| {
                    let mut own = vec![zero; width];
                    factor.fill(v, points, &mut own);
                    own
                })
                .collect();
            for _ in 0..MAX_SWEEPS {
                let mut change: f64 = 0.0;
                for (&v, own) in scc.iter().zip(&owns) {
                    for j in 0..classes {
                        onward(val, &mut acc, v, j);
                        for (i, (&a, &o)) in acc.iter().zip(own).enumerate() {
                            let new = a * o;
                            let slot = &mut val[at(v, j) + i];
                            change = change.max((new - *slot).norm_sqr());
                            *slot = new;
                        }
                    }
                }
                if change < 1e-28 {
                    break;
                }
            }
        }
    }

    /// The per-class root transforms at each point, from the values of a pass: the
    /// mixture over `sources` by their shares, divided by `scale`.
    fn totals<N: Num>(
        &self,
        val: &[N],
        width: usize,
        sources: &[(usize, f64)],
        scale: f64,
    ) -> Vec<[N; 3]> {
        let zero = N::real(0.0);
        let active = self.active();
        let classes = active.len();
        let at = |v: usize, j: usize| (self.quotient.slot[v] * classes + j) * width;
        let mut total = vec![[zero; 3]; width];
        for &(v, share) in sources {
            let share = share / scale;
            for (j, &k) in active.iter().enumerate() {
                for (i, t) in total.iter_mut().enumerate() {
                    t[k] = t[k] + val[at(v, j) + i].scale(share);
                }
            }
        }
        total
    }

    /// The root transform `Σ classes share_k · R_k` at each point.
    /// Points go through the graph in chunks whose values fit in [`BATCH_BYTES`]. A large
    /// batch (a design of thousands of distinct stations) is shared out over the machine's
    /// cores natively: the points are independent, so the values are the same, in the same
    /// order, however many threads work on them.
    fn root_batch<N: Num>(&self, points: &[N], factor: &(impl Factor<N> + Sync)) -> Vec<N> {
        let hops = Hops::Timed;
        let per_point = self.quotient.len.max(1) * 3 * std::mem::size_of::<N>();
        let mut chunk = (BATCH_BYTES / per_point).clamp(1, points.len().max(1));
        if self.quotient.len * points.len() >= PARALLEL_WORK {
            chunk = chunk.min(points.len().div_ceil(threads()).max(1));
        }
        parallel_map(points.chunks(chunk).collect(), 1, |c| {
            self.roots(c, factor, hops)
        })
        .into_iter()
        .flatten()
        .map(|per_class| {
            (0..3).fold(N::real(0.0), |acc, k| {
                acc + per_class[k].scale(self.shares[k])
            })
        })
        .collect()
    }

    /// The root transform at one point.
    fn root<N: Num>(&self, s: N, factor: &(impl Factor<N> + Sync)) -> N {
        self.root_batch(&[s], factor)[0]
    }

    /// Node `v`'s own time (its station's sojourn and its delay) at each of `points`, into
    /// `out`: a node at a time, so that what depends only on the node is looked up once.
    fn sojourns<N: Num>(&self, v: usize, points: &[N], out: &mut [N]) {
        let delay = self.net.nodes[v].delay;
        match &self.loads[v] {
            Some(load) => load.lst_at(points, out),
            None => out.fill(N::real(1.0)),
        }
        if delay > 0.0 {
            for (o, &s) in out.iter_mut().zip(points) {
                *o = *o * N::delay(s, delay);
            }
        }
    }

    /// Node `v`'s own time at `s`.
    fn sojourn<N: Num>(&self, v: usize, s: N) -> N {
        let mut out = [N::real(0.0)];
        self.sojourns(v, &[s], &mut out);
        out[0]
    }

    /// Means and percentiles of served requests.
    pub fn summarize(&self) -> Summary {
        self.with_percentiles(self.moments())
    }

    /// `moments`, this distribution's [`moments`](Self::moments), with the percentiles
    /// added (for a caller that needs the moments before the percentiles are in).
    pub fn with_percentiles(&self, moments: Summary) -> Summary {
        let Summary {
            success,
            finite,
            mean,
            ..
        } = moments;
        let tol = UNBOUNDED_TOLERANCE;
        let mut percentiles = [None; 3];
        // The constant delays paths add up to, each a jump in the CDF, inverted apart.
        let shifts = shifts_of(self);
        let mut previous: f64 = 0.0;
        // The last point where the CDF was evaluated, with the CDF and density there.
        let mut last: Option<(f64, f64, f64)> = None;
        for (slot, p) in percentiles.iter_mut().zip([0.50f64, 0.95, 0.99]) {
            let target = p * success;
            if success <= 0.0 || target > finite - tol {
                continue;
            }
            // Start one log-survival Newton step beyond the last quantile, or else where an
            // exponential of the same mean would have its quantile.
            let scale = mean.unwrap_or(1e-3).max(1e-6);
            let guess = match last {
                Some((t, cdf, pdf)) if pdf > 0.0 && finite - cdf > 0.0 => {
                    let survival = finite - cdf;
                    t + (survival / (finite - target)).ln() * survival / pdf
                }
                _ => scale * -(1.0 - p).ln(),
            };
            let guess = guess.max(previous * 1.01);
            // Quantiles never decrease with p; on a jump the solver's tolerance could say so.
            let (q, at) = quantile(
                |t| invert_cdf(t, shifts.as_deref(), self),
                target,
                finite,
                guess,
            );
            last = at;
            let q = q.max(previous);
            previous = q;
            *slot = Some(q);
        }
        Summary {
            percentiles,
            ..moments
        }
    }

    /// The summary without percentiles (two passes over the graph, where percentiles take
    /// a few dozen): what the N−1 sweep needs for every row.
    pub fn moments(&self) -> Summary {
        self.moments_of(
            self.served(),
            self.root(Dual::new(0.0, 1.0), &Sojourns(self)),
        )
    }

    /// The summary without percentiles, from the per-class served shares and the root
    /// transform in dual numbers at zero.
    fn moments_of(&self, served: [f64; 3], d: Dual) -> Summary {
        let success = snap((0..3).map(|k| self.shares[k] * served[k]).sum());
        let finite = snap(d.v);
        let unbounded_mass = success - finite;
        let mean = (unbounded_mass <= UNBOUNDED_TOLERANCE && finite > 0.0).then(|| -d.d / finite);
        Summary {
            success,
            success_by_class: served.map(snap),
            finite,
            mean,
            percentiles: [None; 3],
        }
    }

    /// The constant part of the mean time of served requests, seconds: the network delays
    /// of nodes (regions) and of hops between places, without any station's time. `None`
    /// when nothing is served.
    pub fn network_time(&self) -> Option<f64> {
        let delays = |v: usize, s: Dual| {
            let (d, accept) = (self.net.nodes[v].delay, Dual::real(self.accept(v)));
            if d > 0.0 {
                accept * Dual::delay(s, d)
            } else {
                accept
            }
        };
        let root = self.root(Dual::new(0.0, 1.0), &delays);
        self.moments_of(self.served(), root).mean
    }

    /// Each node's part of the mean end-to-end time of served requests, seconds: the mean
    /// minus the mean with that node's own time set to zero and its acceptance kept. Time
    /// adds up along a path (calls wait in turn), so the parts sum to the mean. One pass per
    /// node that takes time; needs an unmerged evaluation ([`Latency::unmerged`]). `None`
    /// when the mean is unbounded.
    pub fn contributions(&self) -> Option<Vec<f64>> {
        let summary = self.moments();
        let mean = summary.mean?;
        let served = self.served();
        let at = Dual::new(0.0, 1.0);
        Some(
            (0..self.net.nodes.len())
                .map(|v| {
                    if self.sojourn(v, at).d == 0.0 {
                        return 0.0;
                    }
                    let timeless = |u: usize, s: Dual| {
                        let t = self.sojourn(u, s);
                        if u == v {
                            Dual::real(t.v)
                        } else {
                            t
                        }
                    };
                    let root = self.root(at, &timeless);
                    self.moments_of(served, root).mean.map_or(0.0, |m| mean - m)
                })
                .collect(),
        )
    }

    /// Every node's values behind [`moments`](Self::moments), kept so that a network that
    /// differs in a few nodes can be summarised again by evaluating only those and what lies
    /// upstream of them ([`moments_again`](Self::moments_again)). Needs an unmerged
    /// evaluation ([`Latency::unmerged`]).
    pub fn keep(&self) -> Kept {
        let n = self.quotient.len * self.active().len();
        let mut kept = Kept {
            served: vec![0.0; n],
            sojourn: vec![Dual::new(0.0, 0.0); n],
        };
        let sccs = || self.net.sccs.iter().rev().map(Vec::as_slice);
        let nodes = |v: usize| &self.net.nodes[v];
        self.pass(
            &[1.0],
            &|v, _| self.accept(v),
            &mut kept.served,
            sccs(),
            &nodes,
            Hops::Free,
        );
        let zero = [Dual::new(0.0, 1.0)];
        self.pass(
            &zero,
            &Sojourns(self),
            &mut kept.sojourn,
            sccs(),
            &nodes,
            Hops::Timed,
        );
        kept
    }

    /// [`moments`](Self::moments) of this network, whose values equal `kept` except at the
    /// nodes of `nodes` (listed downstream first; no loops among them). `kept` is as it was
    /// on return.
    pub fn moments_again(&self, kept: &mut Kept, nodes: &[usize]) -> Summary {
        let classes = self.active().len();
        let saved: Vec<(usize, f64, Dual)> = nodes
            .iter()
            .flat_map(|&v| (0..classes).map(move |j| v * classes + j))
            .map(|i| (i, kept.served[i], kept.sojourn[i]))
            .collect();
        let sccs = || nodes.iter().map(std::slice::from_ref);
        let net = |v: usize| &self.net.nodes[v];
        self.pass(
            &[1.0],
            &|v, _| self.accept(v),
            &mut kept.served,
            sccs(),
            &net,
            Hops::Free,
        );
        let zero = [Dual::new(0.0, 1.0)];
        self.pass(
            &zero,
            &Sojourns(self),
            &mut kept.sojourn,
            sccs(),
            &net,
            Hops::Timed,
        );
        let sources = &self.net.sources;
        let summary = self.moments_of(self.totals(&kept.served, 1, sources, 1.0)[0], {
            let d = self.totals(&kept.sojourn, 1, sources, 1.0)[0];
            (0..3).fold(Dual::new(0.0, 0.0), |acc, k| {
                acc + Dual::real(self.shares[k]) * d[k]
            })
        });
        for (i, served, sojourn) in saved {
            kept.served[i] = served;
            kept.sojourn[i] = sojourn;
        }
        summary
    }

    /// Share of the requests passing node `v` that its servers accept.
    fn accept(&self, v: usize) -> f64 {
        self.loads[v].as_ref().map_or(1.0, |l| l.accept)
    }

    /// Per class: share of its offered requests that are served (possibly after an unbounded
    /// wait); zero for classes with no traffic.
    fn served(&self) -> [f64; 3] {
        self.roots(&[1.0], &|v, _| self.accept(v), Hops::Free)[0]
    }
}

/// A distribution's transform `E[e^{−sT}; T finite]`, evaluated at a batch of points in any
/// number type: complex for the inversion, shifted to keep constant delays apart.
pub(crate) trait Transform {
    /// The transform at each of `points`.
    fn at<N: Num>(&self, points: &[N]) -> Vec<N>;
    /// Whether some constant delay may enter the transform; `false` only where none can.
    fn delays(&self) -> bool;
}

/// A node's own term in a pass over the graph, at each point: any `Fn(node, point)`, or
/// [`Sojourns`], which works out a node's points together.
trait Factor<N> {
    /// The terms of node `v` at each of `points`, into `out`.
    fn fill(&self, v: usize, points: &[N], out: &mut [N]);
}

impl<N: Copy, F: Fn(usize, N) -> N> Factor<N> for F {
    fn fill(&self, v: usize, points: &[N], out: &mut [N]) {
        for (o, &s) in out.iter_mut().zip(points) {
            *o = self(v, s);
        }
    }
}

/// Each node's own time: the factor of the end-to-end transform.
struct Sojourns<'l, 'a>(&'l Latency<'a>);

impl<N: Num> Factor<N> for Sojourns<'_, '_> {
    fn fill(&self, v: usize, points: &[N], out: &mut [N]) {
        self.0.sojourns(v, points, out);
    }
}

/// The end-to-end time of served requests.
impl Transform for Latency<'_> {
    fn at<N: Num>(&self, points: &[N]) -> Vec<N> {
        self.root_batch(points, &Sojourns(self))
    }

    /// A region's or a hop's delay, or a station's ([`Load::delays`]); populations seen
    /// from their places always pay distances.
    fn delays(&self) -> bool {
        let net = self.net;
        let timed = |edges: &[Edge]| edges.iter().any(|e| e.delay > 0.0);
        net.views.is_some()
            || net
                .nodes
                .iter()
                .any(|n| n.delay > 0.0 || (0..3).any(|k| timed(&n.routes[k]) || timed(&n.calls[k])))
            || self.loads.iter().flatten().any(Load::delays)
    }
}

/// One station's sojourn (a replica's apply, for its lag).
impl Transform for Load {
    fn at<N: Num>(&self, points: &[N]) -> Vec<N> {
        points.iter().map(|&s| self.lst(s)).collect()
    }

    fn delays(&self) -> bool {
        Load::delays(self)
    }
}

/// The constant delays of transform `r` (each a jump in its CDF), read from its value in
/// shifted numbers at one point, or `None` when there were too many distinct ones to keep
/// apart. Where no delay can enter, every value is undelayed: the shifted pass, as long as
/// a whole evaluation of a large design, is skipped.
pub(crate) fn shifts_of(r: &impl Transform) -> Option<Vec<f64>> {
    if !r.delays() {
        return Some(vec![0.0]);
    }
    evaluated_shifts(r)
}

/// [`shifts_of`] by evaluating `r` in shifted numbers.
fn evaluated_shifts(r: &impl Transform) -> Option<Vec<f64>> {
    let value = r.at(&[Shifted::plain(Complex::new(1.0, 0.5))])[0];
    (!value.overflow).then(|| value.terms().iter().map(|t| t.0).collect())
}

/// The CDF and density at `t` seconds of the distribution whose transform is `r` (mass,
/// not normalised), with its constant delays `shifts` ([`shifts_of`]). Each delayed part is
/// inverted at `t − D`, where it is smooth; a jump inverted in place would ring (Gibbs),
/// and a search on the CDF could stop on a ripple instead of the quantile.
pub(crate) fn invert_cdf(t: f64, shifts: Option<&[f64]>, r: &impl Transform) -> (f64, f64) {
    if t <= 0.0 {
        return (0.0, 0.0);
    }
    let (cdf, pdf) = match shifts {
        Some(ds) if ds != [0.0] => ds.iter().filter(|&&d| d < t).fold((0.0, 0.0), |acc, &d| {
            let (c, p) = euler_pair(t - d, |points| {
                let points: Vec<Shifted> = points.iter().map(|&s| Shifted::plain(s)).collect();
                r.at(&points)
                    .iter()
                    .map(|v| {
                        v.terms()
                            .iter()
                            .find(|term| term.0 == d)
                            .map_or(Complex::real(0.0), |term| term.1)
                    })
                    .collect()
            });
            (acc.0 + c, acc.1 + p)
        }),
        _ => euler_pair(t, |points| r.at(points)),
    };
    (cdf.clamp(0.0, 1.0), pdf.max(0.0))
}

/// The time `t` at which a finite-time CDF reaches `target` of its total finite mass
/// `finite`; `cdf_at` gives the CDF and its density at a time. Newton's method on the log
/// of the survival mass `finite − CDF`, whose slope is minus the hazard rate: response-time
/// tails are close to exponential, so the log survival is close to a straight line and the
/// steps land near the answer at once (exactly, for an exponential). A bracket falls back
/// to bisection or doubling. Returns the quantile, and the last point evaluated with the
/// CDF and density there. Every percentile the solve reports comes from here.
pub(crate) fn quantile(
    cdf_at: impl Fn(f64) -> (f64, f64),
    target: f64,
    finite: f64,
    guess: f64,
) -> (f64, Option<(f64, f64, f64)>) {
    let (mut lo, mut hi) = (0.0, f64::INFINITY);
    let mut t = guess;
    let wanted = finite - target;
    for _ in 0..200 {
        let (cdf, pdf) = cdf_at(t);
        let gap = cdf - target;
        if gap.abs() < 1e-10 {
            return (t, Some((t, cdf, pdf)));
        }
        if gap < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let survival = finite - cdf;
        let newton = if survival > 0.0 && wanted > 0.0 {
            t + (survival / wanted).ln() * survival / pdf
        } else {
            t - gap / pdf
        };
        let inside = pdf > 0.0 && newton > lo && newton < hi;
        if inside && (gap.abs() < CLOSE || (newton - t).abs() <= SMALL_STEP * t) {
            return (newton, Some((t, cdf, pdf)));
        }
        let next = if inside {
            newton
        } else if hi.is_finite() {
            0.5 * (lo + hi)
        } else {
            2.0 * t
        };
        if (next - t).abs() <= 1e-9 * t || (hi.is_finite() && hi - lo <= 1e-9 * hi) {
            return (next, None);
        }
        t = next;
    }
    (t, None)
}

/// A CDF gap below which one more Newton step is final: the gap squares at each step (with
/// a factor under 0.1 on measured response-time distributions), so the step lands within
/// 1e-13 of the target, below both the stopping tolerance (1e-10) and the inversion's own
/// error (about 1e-8), and another transform evaluation would not change the answer.
const CLOSE: f64 = 1e-6;

/// A Newton step, relative to `t`, below which it is final too, whatever the gap: its
/// error is about the step squared times the hazard's elasticity (`t·h′/h`, near 1 for
/// response times), some 1e-9 of `t`. Near a plateau of the CDF (users half near, half far)
/// a small gap can still mean a long step, which this keeps evaluating.
const SMALL_STEP: f64 = 1e-4;

/// Terms of the Euler algorithm: `2M + 1` transform evaluations per point, accurate to
/// about `10^{−0.6M}` on smooth functions.
const EULER_M: usize = 14;

/// Inverts `R(s)/s` and `R(s)` at `t` with one evaluation of `R` per point: for the
/// transform of a distribution, its CDF and its density. The inversion is Abate & Whitt's
/// Euler algorithm ("A unified framework for numerically inverting Laplace transforms",
/// INFORMS J. Computing 18(4), 2006), with binomial averaging of the alternating series.
pub(crate) fn euler_pair(t: f64, r: impl Fn(&[Complex]) -> Vec<Complex>) -> (f64, f64) {
    let (points, weights): (Vec<Complex>, Vec<f64>) = euler_terms(t).unzip();
    r(&points)
        .into_iter()
        .zip(points.iter().zip(weights))
        .fold((0.0, 0.0), |(cdf, pdf), (v, (&s, w))| {
            (cdf + w * (v / s).re, pdf + w * v.re)
        })
}

/// The Euler algorithm's points `s_k` and weights `w_k`: `f(t) ≈ Σ w_k Re f̂(s_k)`.
fn euler_terms(t: f64) -> impl Iterator<Item = (Complex, f64)> {
    let m = EULER_M;
    let a = m as f64 * std::f64::consts::LN_10 / 3.0;
    // ξ_0 = 1/2, ξ_k = 1 (1 ≤ k ≤ M), ξ_{2M} = 2^{−M},
    // ξ_{2M−k} = ξ_{2M−k+1} + 2^{−M} C(M, k) for 0 < k < M.
    let mut xi = [0.0; 2 * EULER_M + 1];
    xi[0] = 0.5;
    for x in xi.iter_mut().take(m + 1).skip(1) {
        *x = 1.0;
    }
    let pow = 0.5f64.powi(m as i32);
    xi[2 * m] = pow;
    let mut binom = 1.0;
    for k in 1..m {
        binom = binom * (m - k + 1) as f64 / k as f64;
        xi[2 * m - k] = xi[2 * m - k + 1] + pow * binom;
    }
    let scale = 10f64.powf(m as f64 / 3.0) / t;
    xi.into_iter().enumerate().map(move |(k, x)| {
        let s = Complex::new(a / t, k as f64 * std::f64::consts::PI / t);
        let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
        (s, sign * x * scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Component, Kind, Link, Scenario, Traffic};
    use crate::solve::flow;

    /// Cells of a balancer, identical app pools, a cache and a database, behind a DNS.
    fn cells(count: usize) -> Scenario {
        let mut s = Scenario::new("cells", Traffic::rps(4_000.0, 0.8, 0.15, 0.05));
        s.components
            .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
        s.components
            .push(Component::new("dns", Kind::Dns, "DNS", 0.0, 0.0));
        s.links.push(Link::new("users", "dns"));
        for cell in 0..count {
            let id = |name: &str| format!("{name}-{cell}");
            for (name, kind) in [
                ("lb", Kind::LoadBalancer),
                ("cache", Kind::Cache),
                ("db", Kind::Database),
            ] {
                s.components
                    .push(Component::new(id(name), kind, name, 0.0, 0.0));
            }
            s.links.push(Link::new("dns", id("lb")));
            s.links.push(Link::new(id("cache"), id("db")));
            for a in 0..3 {
                let app = format!("app-{cell}-{a}");
                s.components.push(
                    Component::new(app.clone(), Kind::AppServer, "App", 0.0, 0.0)
                        .with("instances", 4.0),
                );
                s.links.push(Link::new(id("lb"), app.clone()));
                s.links
                    .push(Link::new(app.clone(), id("cache")).only(&[Class::Read, Class::Static]));
                s.links.push(Link::new(app, id("db")).only(&[Class::Write]));
            }
        }
        s
    }

    /// Every shipped design (the journey's stages and the examples), the hot-key preset and
    /// five cells, each flowed, handed to `f` with its network and station states; designs
    /// that do not flow are left out.
    fn each_shipped(mut f: impl FnMut(&Scenario, &Network, &[Option<Load>])) {
        let mut designs: Vec<Scenario> = crate::presets::journey()
            .into_iter()
            .map(|stage| (stage.build)())
            .collect();
        designs.extend(crate::presets::EXAMPLES.iter().map(|(key, _, _)| {
            crate::presets::example(key)
                .expect("listed")
                .expect("opens")
        }));
        designs.push(crate::presets::hot_key(0.3));
        designs.push(cells(5));
        for s in &designs {
            let Ok(net) = Network::build(s) else { continue };
            let Ok((_, loads)) = flow::solve(&net, s.traffic.peak_rps(), s.traffic.shares()) else {
                continue;
            };
            f(s, &net, &loads);
        }
    }

    #[test]
    fn merging_equal_nodes_changes_no_bit() {
        let mut merged_any = false;
        each_shipped(|s, net, loads| {
            let shares = s.traffic.shares();
            let merged = Latency::new(net, loads, shares);
            merged_any |= merged.quotient.len < net.nodes.len();
            let plain = Latency::unmerged(net, loads, shares);
            assert_eq!(merged.summarize(), plain.summarize(), "{}", s.name);
        });
        assert!(merged_any, "some design has equal nodes to merge");
    }

    /// Skipping the shifted pass where no delay can enter gives what the pass gives, on
    /// every shipped design; and the check does see the delays where there are some.
    #[test]
    fn shifts_without_delays_are_the_evaluated_ones() {
        let (mut skipped, mut delayed) = (0, 0);
        each_shipped(|s, net, loads| {
            let latency = Latency::new(net, loads, s.traffic.shares());
            assert_eq!(
                shifts_of(&latency),
                evaluated_shifts(&latency),
                "{}",
                s.name
            );
            if latency.delays() {
                delayed += 1;
            } else {
                skipped += 1;
            }
            for load in loads.iter().flatten() {
                assert_eq!(shifts_of(load), evaluated_shifts(load), "{}", s.name);
            }
        });
        assert!(
            skipped > 0 && delayed > 0,
            "{skipped} skipped, {delayed} with delays"
        );
    }

    /// Each node's own time worked out over a batch of points is the one worked out at each
    /// point alone, bit for bit, on every shipped design, at an inversion's points and at
    /// zero.
    #[test]
    fn a_node_at_a_time_equals_point_by_point() {
        let (complex, _): (Vec<Complex>, Vec<f64>) = euler_terms(0.05).unzip();
        let dual = [Dual::new(0.0, 1.0)];
        each_shipped(|s, net, loads| {
            let latency = Latency::new(net, loads, s.traffic.shares());
            for v in 0..net.nodes.len() {
                let mut out = vec![Complex::real(0.0); complex.len()];
                latency.sojourns(v, &complex, &mut out);
                let each: Vec<Complex> = complex.iter().map(|&p| latency.sojourn(v, p)).collect();
                assert_eq!(out, each, "{} node {v}", s.name);
                let mut out = [Dual::real(0.0)];
                latency.sojourns(v, &dual, &mut out);
                assert_eq!(out[0], latency.sojourn(v, dual[0]), "{} node {v}", s.name);
            }
        });
    }

    #[test]
    fn inverts_an_exponential_cdf_and_density() {
        // CDF of Exp(2): transform 2 / (s (s + 2)).
        for t in [0.05, 0.3, 1.0, 3.0] {
            let (cdf, pdf) = euler_pair(t, |points| {
                points
                    .iter()
                    .map(|&s| Complex::real(2.0) / (s + Complex::real(2.0)))
                    .collect()
            });
            let want = 1.0 - (-2.0 * t).exp();
            assert!((cdf - want).abs() < 1e-7, "t={t}: {cdf} vs {want}");
            assert!(
                (pdf - 2.0 * (-2.0 * t).exp()).abs() < 1e-6,
                "density at {t}"
            );
        }
    }

    #[test]
    fn inverts_a_shifted_cdf() {
        // A constant 1 s delay plus Exp(1). A jump is the hard case for Euler inversion: the
        // CDF is off by up to 1e-3 for a few multiples of the delay, which is why the solver
        // keeps constant delays apart as exact shifts (`Shifted`) instead.
        for (t, tol) in [(1.5, 1e-3), (2.0, 1e-3), (8.0, 1e-5)] {
            let (got, _) = euler_pair(t, |points| {
                points
                    .iter()
                    .map(|&s| {
                        Complex::delay(s, 1.0) * Complex::real(1.0) / (s + Complex::real(1.0))
                    })
                    .collect()
            });
            let want = 1.0 - (-(t - 1.0)).exp();
            assert!((got - want).abs() < tol, "t={t}: {got} vs {want}");
        }
    }
}
