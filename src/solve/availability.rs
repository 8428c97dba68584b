//! Availability: the probability that every client can get every class of request it sends
//! served, given independent per-instance availabilities.
//!
//! Each node is "working" when it is up and, for every class that reaches it, enough of the
//! targets it hands that class to are working for them to carry its load (the balancer, DNS
//! or client routes around dead targets; one is enough when any one can carry it all:
//! `carry.rs`) and every target it calls is working. A node with `n` instances is up when
//! at least `k` survive, `k` being the fewest whose capacity carries its load (at least
//! one); a shard group needs every shard. Links that close a loop are not needed to
//! finish a request and are left out.
//!
//! The structure is a Boolean formula in which some nodes are shared (referred to more than
//! once: a database behind several app pools, or a "bridge"). Given the working state of the
//! shared nodes, every other variable appears once and probabilities simply multiply, so
//! each node gets a table over the shared nodes below it, and a shared node is summed out
//! (variable elimination) as soon as one table holds every reference to it. That is exact
//! on any graph, series-parallel or not; its cost grows with 2^(shared nodes open at once),
//! which stays small for designs built of repeated cells. Past a work limit a seeded
//! Monte-Carlo estimate with its 95 % interval is used instead, and the report says so.

use super::carry::{self, Enough};
use super::factor::Factor;
use super::flow::Flow;
use super::network::Network;
use super::network::State;
use crate::model::{Class, HealthCheck, Kind};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// Most table entries the exact method may compute.
const EXACT_WORK: f64 = 5e7;
/// Most shared nodes one table may range over (2^20 entries).
const MAX_SCOPE: usize = 20;
/// Steps a Monte-Carlo estimate may spend.
const SAMPLE_WORK: f64 = 5e7;

/// The availability figure and how it was obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Availability {
    /// Probability that the whole system works.
    pub value: f64,
    /// `None` when exact; otherwise the half-width of the 95 % confidence interval.
    pub margin: Option<f64>,
}

/// One of a node's route requirements: enough of the variables `of` must work.
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    of: Vec<usize>,
    enough: Enough,
}

impl Clause {
    /// Whether it is "one of them", which two products settle without a table per count.
    fn plain(&self) -> bool {
        self.enough
            == Enough::Count {
                need: 1,
                or_none: false,
            }
    }

    /// Whether the members for which `works` holds are enough.
    fn met(&self, works: impl Fn(usize) -> bool) -> bool {
        match &self.enough {
            Enough::Count { need, or_none } => {
                let working = self.of.iter().filter(|&&t| works(t)).count();
                working >= *need || (*or_none && working == 0)
            }
            Enough::Sets(sets) => {
                let set = (self.of.iter().enumerate())
                    .fold(0, |set, (i, &t)| set | usize::from(works(t)) << i);
                sets[set]
            }
        }
    }

    /// Also met when none of its members is up: a primary serves its reads itself then.
    fn or_none(mut self) -> Clause {
        match &mut self.enough {
            Enough::Count { or_none, .. } => *or_none = true,
            Enough::Sets(sets) => sets[0] = true,
        }
        self
    }

    /// Leaves out member `c` (a link that closes a loop), as one that never works; whether
    /// it was a member.
    fn without(&mut self, c: usize) -> bool {
        let Some(at) = self.of.iter().position(|&x| x == c) else {
            return false;
        };
        self.of.remove(at);
        match &mut self.enough {
            Enough::Count { need, .. } => *need = (*need).min(self.of.len()),
            Enough::Sets(sets) => {
                let low = (1 << at) - 1;
                *sets = (0..1usize << self.of.len())
                    .map(|set| sets[(set & !low) << 1 | (set & low)])
                    .collect();
            }
        }
        true
    }
}

/// The requirement structure: who needs whom.
struct Structure {
    /// Per variable: probability it is up on its own. Variables are the nodes, then the
    /// root, then one "answers its health check" variable per target of a shallow check.
    up: Vec<f64>,
    /// Per variable: calls (all needed), then route clauses (enough of each needed), then
    /// guards `(a, b)`: if `a` works, `b` must work too.
    calls: Vec<Vec<usize>>,
    clauses: Vec<Vec<Clause>>,
    guards: Vec<Vec<(usize, usize)>>,
    /// Variables needed, children before parents; the root last.
    order: Vec<usize>,
    /// The root: every client's requests served.
    root: usize,
}

/// Probability that at least `k` of `n` independent instances, each up with probability
/// `a`, are up. Below one whenever an instance can fail, even where `1 − P` is smaller than
/// a double can tell from one (ten instances at 99 %): a pool that can fail never reads as
/// certain.
pub(crate) fn at_least(k: u64, n: u64, a: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || a <= 0.0 {
        return 0.0;
    }
    if a >= 1.0 {
        return 1.0;
    }
    if k == 1 {
        return (1.0 - (1.0 - a).powf(n as f64)).min(BELOW_ONE);
    }
    // Sum the binomial tail outwards from max(k, mode): the mode's term never underflows,
    // and each step multiplies by a ratio of neighbouring terms.
    let mode = (((n + 1) as f64 * a).floor() as u64).min(n);
    let start = k.max(mode);
    let ln_choose: f64 = (1..=start.min(n - start))
        .map(|i| ((n - start.min(n - start) + i) as f64 / i as f64).ln())
        .sum();
    let first = (ln_choose + start as f64 * a.ln() + (n - start) as f64 * (1.0 - a).ln()).exp();
    let odds = a / (1.0 - a);
    let mut sum = 0.0;
    let mut term = first;
    for j in start..=n {
        sum += term;
        if term < 1e-18 * sum {
            break;
        }
        term *= (n - j) as f64 / (j + 1) as f64 * odds;
    }
    term = first;
    for j in (k..start).rev() {
        term *= (j + 1) as f64 / (n - j) as f64 / odds;
        sum += term;
        if term < 1e-18 * sum {
            break;
        }
    }
    sum.min(BELOW_ONE)
}

/// The largest double below one: what a probability that is not one, but too close to it
/// for a double to tell, is kept at.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// The per-node probability of being up, from instance counts and the load to carry.
pub(crate) fn node_up(net: &Network, demand: &Flow, v: usize) -> f64 {
    match net.states[v] {
        State::Down => return 0.0,
        State::Bypassed(_) => return 1.0,
        State::Up(_) => {}
    }
    let c = &net.scenario.components[v];
    let Some(st) = &net.nodes[v].station else {
        return if c.kind == Kind::Region {
            c.num("availability")
        } else {
            1.0
        };
    };
    needed(net, demand, v)
        .iter()
        .map(|&k| at_least(k, st.instances, st.availability))
        .product()
}

/// Per shard of station node `v` (one entry when not sharded): how many of its instances
/// must be up to carry the demand on it — one more than the instances its demand would keep
/// fully busy, at most all of them. Empty for a node without servers.
pub(crate) fn needed(net: &Network, demand: &Flow, v: usize) -> Vec<u64> {
    let Some(st) = &net.nodes[v].station else {
        return Vec::new();
    };
    let lambda: f64 = demand.arrival[v].iter().sum::<f64>() * st.visit;
    let per_instance = st.concurrency as f64 * st.mu;
    st.shards
        .iter()
        .map(|share| ((lambda * share / per_instance).floor() as u64 + 1).min(st.instances))
        .collect()
}

/// The requirement structure when each node must serve the classes `reach` gives it
/// ([`served_for`]). A sender
/// whose health check is deep needs enough working targets per class to carry, at the
/// demand's rates, what it sends them (one, when any one can: `carry.rs`); any other
/// sender keeps sending to every target that is up, so it needs enough targets up and every
/// target that is up to work. For that, such a target's own up state becomes a variable of
/// its own (what its check sees). Requests that fail outright under the what-if failures
/// are not asked for here: the served share counts them.
fn structure(
    net: &Network,
    reach: &[[bool; 3]],
    demand: &Flow,
    up: impl Fn(usize) -> f64,
) -> Structure {
    let n = net.nodes.len();
    let root = n;
    let mut calls = vec![Vec::new(); n + 1];
    let mut clauses: Vec<Vec<Clause>> = vec![Vec::new(); n + 1];
    let mut guards: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n + 1];
    let mut up_p: Vec<f64> = (0..n).map(up).collect();
    up_p.push(1.0);
    // Per node: its "answers the check" variable, once a shallow sender needs one.
    let mut seen_up: Vec<Option<usize>> = vec![None; n];
    for (v, node) in net.nodes.iter().enumerate() {
        let c = &net.scenario.components[v];
        let deep = c.health_check() == HealthCheck::Deep;
        for k in 0..3 {
            if !reach[v][k] {
                continue;
            }
            for e in &node.calls[k] {
                if !calls[v].contains(&e.to) {
                    calls[v].push(e.to);
                }
            }
            // A primary serves reads itself when every target it sends them to is down, and
            // only then: the targets that are up must serve them.
            let serves_alone = c.kind.is_primary() && k == Class::Read.index();
            let mut targets: Vec<usize> = node.routes[k].iter().map(|e| e.to).collect();
            targets.sort_unstable();
            targets.dedup();
            // A target that routing keeps sending to when it fails (passed through) is
            // needed as a call is: its failure costs what its pass-through costs
            // (`survive.rs`). It is always sent its share, so the others are asked only
            // for what it cannot carry.
            let enough = carry::enough(net, demand, v, k, &targets);
            let through: Vec<bool> = targets
                .iter()
                .map(|&t| net.passed_through_when_failed(t))
                .collect();
            for (&t, _) in targets.iter().zip(&through).filter(|(_, &p)| p) {
                if !calls[v].contains(&t) {
                    calls[v].push(t);
                }
            }
            let Some(enough) = enough.given_present(&through) else {
                continue;
            };
            let mut kept = through.iter();
            targets.retain(|_| kept.next() == Some(&false));
            if targets.is_empty() || clauses[v].iter().any(|c| c.of == targets) {
                continue;
            }
            if !serves_alone && (deep || targets.len() == 1) {
                clauses[v].push(Clause {
                    of: targets,
                    enough,
                });
                continue;
            }
            let mut answers = Vec::with_capacity(targets.len());
            for &t in &targets {
                let a = *seen_up[t].get_or_insert_with(|| {
                    let a = up_p.len();
                    up_p.push(up_p[t]);
                    up_p[t] = 1.0;
                    calls[t].push(a);
                    calls.push(Vec::new());
                    clauses.push(Vec::new());
                    guards.push(Vec::new());
                    a
                });
                answers.push(a);
                guards[v].push((a, t));
            }
            let clause = Clause {
                of: answers,
                enough,
            };
            clauses[v].push(if serves_alone {
                clause.or_none()
            } else {
                clause
            });
        }
    }
    calls[root] = net
        .sources
        .iter()
        .filter(|&&(_, share)| share > 0.0)
        .map(|&(v, _)| v)
        .collect();
    let size = up_p.len();
    let mut st = Structure {
        up: up_p,
        calls,
        clauses,
        guards,
        order: Vec::new(),
        root,
    };
    // Depth-first from the root: post-order gives children first; links back to a node
    // still on the path close a loop and are dropped.
    let mut state = vec![0u8; size]; // 0 new, 1 on path, 2 done
    let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
    state[root] = 1;
    while let Some(&(v, next)) = stack.last() {
        let Some(c) = st.children(v).nth(next) else {
            state[v] = 2;
            st.order.push(v);
            stack.pop();
            continue;
        };
        if state[c] == 1 {
            // A link back into the current path: the loop is not needed to finish. A clause
            // left empty by it was only that loop, so it asks for nothing.
            st.calls[v].retain(|&x| x != c);
            st.clauses[v].retain_mut(|cl| !(cl.without(c) && cl.of.is_empty()));
            st.guards[v].retain(|&(_, b)| b != c);
            continue;
        }
        if let Some(top) = stack.last_mut() {
            top.1 += 1;
        }
        if state[c] == 0 {
            state[c] = 1;
            stack.push((c, 0));
        }
    }
    st
}

impl Structure {
    fn children(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.calls[v]
            .iter()
            .chain(self.clauses[v].iter().flat_map(|cl| &cl.of))
            .copied()
            .chain(self.guards[v].iter().flat_map(|&(a, b)| [a, b]))
    }

    /// Whether `v` works, given whether its children do.
    fn works(&self, v: usize, up: bool, works: &[bool]) -> bool {
        up && self.calls[v].iter().all(|&c| works[c])
            && self.clauses[v].iter().all(|cl| cl.met(|t| works[t]))
            && self.guards[v].iter().all(|&(a, b)| !works[a] || works[b])
    }
}

/// The availability an SLO means: the expected share of offered requests that are served.
/// Per class `k`: the share served in steady state, with the what-if failures and every
/// capacity limit applied (`success[k]`), times the probability that random failures leave
/// the class's requests a working structure (`A_k`, from per-node up probabilities `up`).
/// So `Σ_k share_k · success_k · A_k`, never above the served share. `demand` is what
/// every node would receive were nothing dropped: whether a balancer's survivors carry its
/// load is read from it.
pub(crate) fn served_share(
    net: &Network,
    demand: &Flow,
    shares: [f64; 3],
    success: [f64; 3],
    up: &[f64],
) -> Availability {
    let mut value = 0.0;
    let mut margin: Option<f64> = None;
    let mut uncertain = false;
    for term in by_class(net, demand, shares, success, up)
        .into_iter()
        .flatten()
    {
        uncertain |= term.a.value < 1.0;
        value += term.weight * term.a.value;
        if let Some(m) = term.a.margin {
            *margin.get_or_insert(0.0) += term.weight * m;
        }
    }
    Availability {
        value: value.clamp(0.0, if uncertain { BELOW_ONE } else { 1.0 }),
        margin,
    }
}

/// One class's term of [`served_share`]: its weight `share_k · success_k` and `A_k`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ClassTerm {
    /// The class's share of the traffic times the share of it served in steady state.
    pub weight: f64,
    /// The probability random failures leave its requests a working structure.
    pub a: Availability,
}

/// [`served_share`]'s terms, by class index (`None` for a class with no traffic or none
/// served): the explanation shows them, so its sum is the figure's own.
pub(crate) fn by_class(
    net: &Network,
    demand: &Flow,
    shares: [f64; 3],
    success: [f64; 3],
    up: &[f64],
) -> [Option<ClassTerm>; 3] {
    std::array::from_fn(|k| {
        (shares[k] > 0.0 && success[k] > 0.0).then(|| {
            let reach = served_for(net, demand, shares, k);
            ClassTerm {
                weight: shares[k] * success[k],
                a: availability(net, &reach, demand, |v| up[v]),
            }
        })
    })
}

/// Per node, whether the availability counts it: some class with traffic needs it (a
/// queue's consumers, say, do not: a request is answered once its message is queued).
pub(crate) fn counted(net: &Network, demand: &Flow, shares: [f64; 3]) -> Vec<bool> {
    let mut any = vec![false; net.nodes.len()];
    for k in (0..3).filter(|&k| shares[k] > 0.0) {
        for (v, classes) in served_for(net, demand, shares, k).iter().enumerate() {
            any[v] |= classes.contains(&true);
        }
    }
    any
}

/// Per node, the classes it must serve for class `k`'s requests to be served: class `k`
/// wherever it goes, and behind a router with a deep check every class that reaches a
/// target in `demand`, since the check takes a target that fails any of them out of
/// rotation for all (`health.rs`; so losing the primary behind a deep-checked tier stops
/// its reads too, as routing and the N−1 table say).
fn served_for(net: &Network, demand: &Flow, shares: [f64; 3], k: usize) -> Vec<[bool; 3]> {
    // With no traffic offered, what would reach each target is the first request's: the
    // classes any hop carries there, so that the figure is the limit of a vanishing rate.
    let idle = (0..net.nodes.len()).all(|v| demand.total(v) <= 0.0);
    let carried = idle.then(|| carried(net, shares));
    let reaches = |t: usize, i: usize| match &carried {
        Some(c) => c[t][i],
        None => demand.arrival[t][i] > 0.0,
    };
    let mut need = vec![[false; 3]; net.nodes.len()];
    let mut stack: Vec<(usize, usize)> = (net.sources.iter())
        .filter(|&&(_, share)| share > 0.0)
        .map(|&(v, _)| (v, k))
        .collect();
    while let Some((v, j)) = stack.pop() {
        if std::mem::replace(&mut need[v][j], true) {
            continue;
        }
        let node = &net.nodes[v];
        let deep = net.scenario.components[v].health_check() == HealthCheck::Deep;
        for e in node.calls[j].iter().chain(&node.routes[j]) {
            if e.p > 0.0 {
                stack.push((e.to, j));
            }
        }
        for e in node.routes[j].iter().filter(|e| deep && e.p > 0.0) {
            stack.extend((0..3).filter(|&i| reaches(e.to, i)).map(|i| (e.to, i)));
        }
    }
    need
}

/// Per node, the classes of the traffic (those with a share in `shares`) that some hop with
/// a positive share carries to it from the clients.
fn carried(net: &Network, shares: [f64; 3]) -> Vec<[bool; 3]> {
    let mut seen = vec![[false; 3]; net.nodes.len()];
    let mut stack: Vec<(usize, usize)> = (net.sources.iter())
        .filter(|&&(_, share)| share > 0.0)
        .flat_map(|&(v, _)| {
            (0..3)
                .filter(move |&k| shares[k] > 0.0)
                .map(move |k| (v, k))
        })
        .collect();
    while let Some((v, k)) = stack.pop() {
        if std::mem::replace(&mut seen[v][k], true) {
            continue;
        }
        stack.extend(
            net.nodes[v]
                .all_edges_of(k)
                .filter(|e| e.p > 0.0)
                .map(|e| (e.to, k)),
        );
    }
    seen
}

/// The probability that every node can serve the classes `reach` gives it, from per-node up
/// probabilities `up`.
fn availability(
    net: &Network,
    reach: &[[bool; 3]],
    demand: &Flow,
    up: impl Fn(usize) -> f64,
) -> Availability {
    let st = structure(net, reach, demand, up);
    // Sums over states can round a figure just short of one up to it.
    let can_fail = (st.order.iter()).any(|&v| v != st.root && st.up[v] < 1.0);
    match eliminate(&st) {
        Some(value) => Availability {
            value: value.clamp(0.0, if can_fail { BELOW_ONE } else { 1.0 }),
            margin: None,
        },
        None => sample(&st),
    }
}

/// Exact availability by variable elimination over the shared nodes, children first: each
/// node's factor is `P(it works | states of the shared nodes below it)`; a shared node is
/// summed out as soon as one factor holds every reference to it. Gives up (`None`) when a
/// table would exceed [`MAX_SCOPE`] variables.
fn eliminate(st: &Structure) -> Option<f64> {
    let size = st.up.len();
    let mut refs = vec![0u32; size];
    for &v in &st.order {
        for c in st.children(v) {
            refs[c] += 1;
        }
    }
    let shared = |v: usize| refs[v] > 1;
    let mut factor: Vec<Option<Factor>> = vec![None; size];
    // Shared nodes' own "works" factors, waiting to be summed out.
    let mut works: Vec<Option<Factor>> = vec![None; size];
    let mut steps = 0.0;
    // Answer variables already summed out at the node being built (reset after each).
    let mut done = vec![false; size];
    for &v in &st.order {
        let child = |c: usize, factor: &mut Vec<Option<Factor>>| {
            if shared(c) {
                Some(Factor::indicator(c))
            } else {
                factor[c].take()
            }
        };
        let mut f = Factor::constant(st.up[v]);
        for &c in &st.calls[v] {
            f = f.zip(&child(c, &mut factor)?, MAX_SCOPE, |x, y| x * y)?;
        }
        // A shallow sender's "some target answers, and every one that answers works",
        // summed out target by target where nothing else refers to the targets: the joint
        // table over every target's answer would double with each target.
        // v's guards sorted by answer variable: a DNS in front of a thousand balancers has a
        // thousand, and looking each up by a scan made this step quadratic in its fan-out.
        let mut guards = st.guards[v].clone();
        guards.sort_unstable();
        let guarded = |a: usize| {
            let from = guards.partition_point(|g| g.0 < a);
            guards[from..]
                .iter()
                .take_while(move |g| g.0 == a)
                .map(|g| g.1)
        };
        let mut summed: Vec<usize> = Vec::new();
        for clause in &st.clauses[v] {
            let local = clause.of.iter().all(|&a| {
                let mut targets = guarded(a);
                matches!((targets.next(), targets.next()), (Some(t), None) if refs[a] == 3
                    && refs[t] == 1
                    && factor[t].as_ref().is_some_and(|f| f.refs_of(a) == 1)
                    && works[a].is_some())
            });
            if !local || clause.of.len() < 2 {
                continue;
            }
            let (mut answer_ok, mut none_answer) = (Factor::constant(1.0), Factor::constant(1.0));
            // Per target, for a clause other than "one of them": (silent, answers and works).
            let mut members = Vec::new();
            for &a in &clause.of {
                let t = guarded(a).next()?;
                let target = factor[t].take()?;
                let prior = works[a].take()?;
                // g = ¬(a answers ∧ ¬t works); P(all hold) − P(all hold, none answers).
                let guard = Factor::indicator(a)
                    .zip(&target.complement(), MAX_SCOPE, |x, y| x * y)?
                    .complement();
                let silent = Factor::indicator(a)
                    .complement()
                    .zip(&guard, MAX_SCOPE, |x, y| x * y)?;
                let (guard, silent) = (
                    guard.eliminate(a, &prior, MAX_SCOPE)?,
                    silent.eliminate(a, &prior, MAX_SCOPE)?,
                );
                if !clause.plain() {
                    let works = guard.minus(&silent, MAX_SCOPE)?;
                    members.push((silent, works));
                } else {
                    answer_ok = answer_ok.zip(&guard, MAX_SCOPE, |x, y| x * y)?;
                    none_answer = none_answer.zip(&silent, MAX_SCOPE, |x, y| x * y)?;
                }
                done[a] = true;
                summed.push(a);
            }
            let enough = if !clause.plain() {
                enough_of(clause, members)?
            } else {
                answer_ok.minus(&none_answer, MAX_SCOPE)?
            };
            f = f.zip(&enough, MAX_SCOPE, |x, y| x * y)?;
        }
        for clause in &st.clauses[v] {
            if clause.of.iter().any(|&a| done[a]) {
                continue;
            }
            let enough = if !clause.plain() {
                let mut members = Vec::with_capacity(clause.of.len());
                for &t in &clause.of {
                    let works = child(t, &mut factor)?;
                    members.push((works.clone().complement(), works));
                }
                enough_of(clause, members)?
            } else {
                let mut all_down = Factor::constant(1.0);
                for &t in &clause.of {
                    all_down =
                        all_down.zip(&child(t, &mut factor)?.complement(), MAX_SCOPE, |x, y| {
                            x * y
                        })?;
                }
                all_down.complement()
            };
            f = f.zip(&enough, MAX_SCOPE, |x, y| x * y)?;
        }
        for &(a, b) in st.guards[v].iter().filter(|g| !done[g.0]) {
            let a = child(a, &mut factor)?;
            let b = child(b, &mut factor)?;
            let broken = a.zip(&b.complement(), MAX_SCOPE, |x, y| x * y)?;
            f = f.zip(&broken.complement(), MAX_SCOPE, |x, y| x * y)?;
        }
        for a in summed {
            done[a] = false;
        }
        // Sum out every shared node whose references are now all inside `f`.
        while let Some(&u) = f.scope.iter().find(|&&u| f.refs_of(u) == refs[u]) {
            let g = works[u].take()?;
            f = f.eliminate(u, &g, MAX_SCOPE)?;
            steps += f.table.len() as f64;
            if f.scope.len() > MAX_SCOPE || steps > EXACT_WORK {
                return None;
            }
        }
        if f.scope.len() > MAX_SCOPE {
            return None;
        }
        if shared(v) {
            works[v] = Some(f);
        } else {
            factor[v] = Some(f);
        }
    }
    let root = factor[st.root].take()?;
    root.scope.is_empty().then(|| root.table[0])
}

/// The probability that `clause` is met, its members independent given the tables' scope:
/// per member, the tables of "it does not count" and "it works" (a shallow sender's target
/// may also do neither: it answers its check and fails). A count keeps a table per number
/// of working members so far (`need` and more together); sets keep one per set of working
/// members. Each member's references are absorbed once, however many tables it enters.
fn enough_of(clause: &Clause, members: Vec<(Factor, Factor)>) -> Option<Factor> {
    let mut refs: Vec<(usize, u32)> = Vec::new();
    for (_, works) in &members {
        for (&v, &r) in works.scope.iter().zip(&works.refs) {
            match refs.iter_mut().find(|(x, _)| *x == v) {
                Some((_, n)) => *n += r,
                None => refs.push((v, r)),
            }
        }
    }
    let enough = match &clause.enough {
        Enough::Count { need, or_none } => count_of(*need, *or_none, members)?,
        Enough::Sets(sets) => sets_of(sets, members)?,
    };
    Some(enough.recount(|v| refs.iter().find(|(x, _)| *x == v).map_or(0, |&(_, r)| r)))
}

/// P(at least `need` members work, or none with `or_none`), references uncounted.
fn count_of(need: usize, or_none: bool, members: Vec<(Factor, Factor)>) -> Option<Factor> {
    let mut count: Vec<Factor> = (0..=need)
        .map(|j| Factor::constant(if j == 0 { 1.0 } else { 0.0 }))
        .collect();
    for (idle, works) in members {
        let either = idle.clone().zip(&works, MAX_SCOPE, |x, y| x + y)?;
        let mut next = Vec::with_capacity(need + 1);
        for j in 0..=need {
            let stays = if j == need { &either } else { &idle };
            let mut p = count[j].clone().zip(stays, MAX_SCOPE, |x, y| x * y)?;
            if j > 0 {
                let up = count[j - 1].clone().zip(&works, MAX_SCOPE, |x, y| x * y)?;
                p = p.zip(&up, MAX_SCOPE, |x, y| x + y)?;
            }
            next.push(p);
        }
        count = next;
    }
    let mut enough = count.pop()?;
    if or_none && need > 0 {
        enough = enough.zip(&count[0], MAX_SCOPE, |x, y| x + y)?;
    }
    Some(enough)
}

/// P(the set of working members is one of `sets`), references uncounted.
fn sets_of(sets: &[bool], members: Vec<(Factor, Factor)>) -> Option<Factor> {
    // Per set of the members so far (bit i: member i works), its probability.
    let mut by_set = vec![Factor::constant(1.0)];
    for (idle, works) in members {
        let mut next = Vec::with_capacity(by_set.len() * 2);
        for (side, f) in [&idle, &works]
            .into_iter()
            .flat_map(|m| by_set.iter().map(move |p| (m, p)))
        {
            next.push(f.clone().zip(side, MAX_SCOPE, |x, y| x * y)?);
        }
        by_set = next;
    }
    // Zero over every member's scope (the first set's table holds them all), so that the
    // members' variables stay in scope when no set is enough.
    let mut enough = by_set[0]
        .clone()
        .zip(&Factor::constant(0.0), MAX_SCOPE, |_, zero| zero)?;
    for (_, p) in by_set.iter().enumerate().filter(|&(set, _)| sets[set]) {
        enough = enough.zip(p, MAX_SCOPE, |x, y| x + y)?;
    }
    Some(enough)
}

/// Seeded Monte-Carlo estimate: draw every node's state, evaluate the formula.
fn sample(st: &Structure) -> Availability {
    let samples = (SAMPLE_WORK / st.order.len().max(1) as f64).clamp(1_000.0, 200_000.0) as usize;
    let mut rng = SmallRng::seed_from_u64(0x5EED_A7A1);
    let mut works = vec![false; st.up.len()];
    let mut hits = 0usize;
    for _ in 0..samples {
        for &v in &st.order {
            let up = v == st.root || rng.random::<f64>() < st.up[v];
            works[v] = st.works(v, up, &works);
        }
        hits += usize::from(works[st.root]);
    }
    let p = hits as f64 / samples as f64;
    Availability {
        value: p,
        margin: Some(
            1.96 * (p * (1.0 - p) / samples as f64)
                .sqrt()
                .max(1.0 / samples as f64),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{any, prop_assert, proptest};

    /// A random requirement structure over `n` nodes (node i may need nodes above i only),
    /// with the root `n` needing some of them; some nodes guard one child by another.
    fn random_structure(seed: u64) -> Structure {
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = rng.random_range(1..=9);
        let mut calls = vec![Vec::new(); n + 1];
        let mut clauses = vec![Vec::new(); n + 1];
        let mut guards = vec![Vec::new(); n + 1];
        for v in (0..=n).rev() {
            let below: Vec<usize> = (v + 1..n).collect();
            let pick = |rng: &mut SmallRng| {
                below
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.4))
                    .collect::<Vec<usize>>()
            };
            if v == n {
                calls[v] = (0..n).filter(|_| rng.random_bool(0.5)).collect();
                if calls[v].is_empty() {
                    calls[v].push(0);
                }
                continue;
            }
            calls[v] = pick(&mut rng).into_iter().take(1).collect();
            for _ in 0..rng.random_range(0..=2) {
                let of = pick(&mut rng);
                if !of.is_empty() {
                    let enough = if rng.random_bool(0.5) {
                        Enough::Count {
                            need: rng.random_range(1..=of.len()),
                            or_none: rng.random_bool(0.3),
                        }
                    } else {
                        Enough::Sets((0..1 << of.len()).map(|_| rng.random_bool(0.6)).collect())
                    };
                    clauses[v].push(Clause { of, enough });
                }
            }
            if let [a, b, ..] = pick(&mut rng)[..] {
                guards[v].push((a, b));
            }
        }
        let mut up: Vec<f64> = (0..n).map(|_| rng.random_range(0.5..1.0)).collect();
        up.push(1.0);
        let mut st = Structure {
            up,
            calls,
            clauses,
            guards,
            order: Vec::new(),
            root: n,
        };
        // Only what the root needs, children first (higher indices are needed by lower
        // ones), the root last, as `structure` builds it.
        let mut needed = vec![false; n + 1];
        needed[n] = true;
        for v in (0..=n).rev().chain(0..n) {
            if needed[v] {
                let children: Vec<usize> = st.children(v).collect();
                for c in children {
                    needed[c] = true;
                }
            }
        }
        st.order = (0..n).rev().filter(|&v| needed[v]).chain([n]).collect();
        st
    }

    /// The reference: enumerate every up/down state of every node.
    fn brute_force(st: &Structure) -> f64 {
        let n = st.root;
        let mut total = 0.0;
        for state in 0u32..1 << n {
            let is_up = |v: usize| v == n || state & (1 << v) != 0;
            // States of nodes the root does not need do not matter; count each once.
            if (0..n).any(|v| !st.order.contains(&v) && !is_up(v)) {
                continue;
            }
            let prob: f64 = (0..n)
                .filter(|v| st.order.contains(v))
                .map(|v| if is_up(v) { st.up[v] } else { 1.0 - st.up[v] })
                .product();
            let mut works = vec![false; n + 1];
            for &v in &st.order {
                works[v] = st.works(v, is_up(v), &works);
            }
            if works[n] {
                total += prob;
            }
        }
        total
    }

    proptest! {
        #[test]
        fn elimination_matches_brute_force(seed in any::<u64>()) {
            let st = random_structure(seed);
            let exact = eliminate(&st).expect("small structures are solved exactly");
            let reference = brute_force(&st);
            prop_assert!((exact - reference).abs() < 1e-12, "{exact} vs {reference}");
        }
    }

    /// A shallow sender (node 0) spreading over `k` targets, `need` of which must answer,
    /// as `structure` builds it: target `t` needs its answer variable `a` and a part of its
    /// own, or, with `shared`, a part it shares with the next target.
    fn shallow_sender(k: usize, need: usize, or_none: bool, shared: bool, seed: u64) -> Structure {
        let mut rng = SmallRng::seed_from_u64(seed);
        // Node 0, then per target i: t = 1 + 3i, a = 2 + 3i, part = 3 + 3i; root last.
        let n = 1 + 3 * k;
        let mut calls = vec![Vec::new(); n + 1];
        let mut clauses = vec![Vec::new(); n + 1];
        let mut guards = vec![Vec::new(); n + 1];
        let mut up = vec![1.0; n + 1];
        let mut answers = Vec::new();
        for i in 0..k {
            let (t, a, part) = (1 + 3 * i, 2 + 3 * i, 3 + 3 * i);
            let part = if shared && i + 1 < k { part + 3 } else { part };
            calls[t] = vec![a, part];
            guards[0].push((a, t));
            answers.push(a);
            up[a] = rng.random_range(0.5..1.0);
            up[3 + 3 * i] = rng.random_range(0.5..1.0);
        }
        clauses[0].push(Clause {
            of: answers,
            enough: Enough::Count { need, or_none },
        });
        calls[n] = vec![0];
        Structure {
            up,
            calls,
            clauses,
            guards,
            order: (0..n).rev().chain([n]).collect(),
            root: n,
        }
    }

    #[test]
    fn a_shallow_sender_is_summed_out_target_by_target() {
        for (k, need, or_none, shared, seed) in [
            (2, 1, false, false, 1),
            (3, 1, false, false, 2),
            (4, 1, false, true, 3),
            (4, 1, false, false, 4),
            (3, 2, false, false, 6),
            (4, 3, false, true, 7),
            (4, 4, false, false, 8),
            (3, 1, true, false, 9),
            (4, 2, true, true, 10),
        ] {
            let st = shallow_sender(k, need, or_none, shared, seed);
            let exact = eliminate(&st).expect("exact");
            let reference = brute_force(&st);
            assert!(
                (exact - reference).abs() < 1e-12,
                "{k} {need} {or_none} {shared}: {exact} vs {reference}"
            );
        }
        // Forty targets: 2^40 joint states, solved target by target.
        assert!(eliminate(&shallow_sender(40, 1, false, false, 5)).is_some());
        assert!(eliminate(&shallow_sender(40, 30, true, false, 5)).is_some());
    }

    #[test]
    fn k_of_n_matches_the_binomial() {
        // 2 of 3 at 0.9: 3·0.81·0.1 + 0.729 = 0.972.
        assert!((at_least(2, 3, 0.9) - 0.972).abs() < 1e-12);
        assert!((at_least(1, 2, 0.99) - 0.9999).abs() < 1e-12);
        assert_eq!(at_least(3, 3, 1.0), 1.0);
        assert_eq!(at_least(4, 3, 0.9), 0.0);
        let big = at_least(50_000, 100_000, 0.999);
        assert!((big - 1.0).abs() < 1e-12, "{big}");
        // 1 − 10⁻²⁰ and the like are one in a double, but the pool can fail.
        assert!(at_least(1, 10, 0.99) < 1.0);
        assert!(at_least(2, 40, 0.99) < 1.0);
        assert!(big < 1.0);
    }
}
