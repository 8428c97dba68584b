//! Failure analysis: single points of failure found from the structure and the numbers, and
//! every single failure ranked by what it costs (the N−1 sweep).
//!
//! A component's *single failure* is the loss of one instance, or of the whole component
//! when it has only one. It is a single point of failure when that failure makes the design
//! drop traffic it does not drop now: because requests lose their only route (structure), or
//! because what survives is overloaded (capacity: a cache whose loss swamps the database).
//! Failover and bypassing count: a primary with a promotable replica and a cache the origin
//! can do without are not SPOFs. The N−1 table lists that failure for every component (the
//! rows the SPOF list rests on) and, apart, the loss of every whole pool.
//!
//! Every row's drops and mean come from the flows on the design's own network with the
//! failure patched in ([`Solver`]), which costs a few passes over the graph; the p99 and
//! availability, which take a full solve, are worked out for the rows shown first (for
//! every row of a small design), and rows that drop alike rank by that availability. A full
//! solve per row ([`failure_analysis_exhaustive`]) gives the same table and is the tests'
//! reference.

use super::analyze::{self, analyze};
use super::autoscale::frozen;
use super::one_failure::{busiest, Cost, Solver};
use super::parallel::{parallel_map, threads};
use super::spof::{reason, Cuts, Drops, Seen};
use super::{Busiest, Detail, FailureMode, Impact, Report};
use crate::model::{Component, Failure, Kind, Problems, Scenario};
use crate::sliced::Sliced;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// Rows of each group given their p99 and availability up front: the rows a page shows
/// before "Show all" (every row of a group of at most twice as many).
pub const DETAILED_ROWS: usize = 8;

/// Components a browser sweep handles per slice (each slice also rebuilds the network).
const SLICE: usize = 16;

/// SPOFs with their explanations, and the ranked N−1 table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FailureAnalysis {
    /// Single points of failure: id → one sentence saying why.
    pub spofs: BTreeMap<String, String>,
    /// Every single failure: one instance of each component first, then each whole pool;
    /// worst first within each (most dropped, then slowest mean, then by id; drops that
    /// differ by less than a billionth of the offered rate count as equal).
    pub n_minus_1: Vec<Impact>,
    /// Requests per second the design drops with nothing failed, for comparison.
    pub dropped_now_rps: f64,
    /// Background messages per second never processed with nothing failed.
    #[serde(default)]
    pub messages_now_rps: f64,
    /// Requests per second offered to the design.
    pub offered_rps: f64,
    /// Failures the solver cannot solve (requests caught in a loop they can never leave
    /// once the component is down), with the solver's reason: no row holds them, so the
    /// panels say them apart rather than leave them out without a word.
    #[serde(default)]
    pub unassessed: Vec<Unassessed>,
}

/// A failure whose design the solver refuses, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassessed {
    /// The component failed.
    pub id: String,
    /// One instance of it, or all.
    pub failure: FailureMode,
    /// The solver's reason, in its words (the first problem it names: the others are
    /// mostly the same loop for the other classes of request).
    pub why: String,
    /// The sentence the failure panel, the SPOF list and the command line give it.
    pub said: String,
}

impl Unassessed {
    fn new(c: &Component, failure: FailureMode, instances: u64, why: String) -> Unassessed {
        let what = match failure {
            FailureMode::Instance if instances > 1 => "one instance of ",
            FailureMode::Instance => "",
            FailureMode::Component => "all of ",
        };
        let said = format!(
            "Losing {what}{} cannot be solved: with it down, {}.",
            c.display_name(),
            why.trim_end_matches('.')
        );
        Unassessed {
            id: c.id.clone(),
            failure,
            why,
            said,
        }
    }
}

/// The first of the problems that stop a failed design's solve, in words.
fn first(p: &Problems) -> String {
    p.0.first()
        .map_or_else(|| "it cannot be solved".to_owned(), |p| p.message.clone())
}

/// What a sweep over some components finds: their rows, the SPOFs among them, and the
/// failures the solver refuses.
#[derive(Default)]
struct Found {
    rows: Vec<Impact>,
    spofs: Vec<(String, String)>,
    unassessed: Vec<Unassessed>,
}

impl FailureAnalysis {
    /// Adds what a sweep found. A single failure that leaves requests unanswered is a
    /// single point of failure, as one that drops them is.
    fn add(&mut self, found: Found) {
        self.n_minus_1.extend(found.rows);
        self.spofs.extend(found.spofs);
        for u in &found.unassessed {
            if u.failure == FailureMode::Instance {
                self.spofs.insert(u.id.clone(), u.said.clone());
            }
        }
        self.unassessed.extend(found.unassessed);
    }
}

impl FailureAnalysis {
    /// An empty analysis of the design whose report is `base`.
    fn of(base: &Report) -> FailureAnalysis {
        FailureAnalysis {
            dropped_now_rps: base.dropped_rps,
            messages_now_rps: base.background_dropped_rps(),
            offered_rps: base.offered_rps,
            ..FailureAnalysis::default()
        }
    }

    /// Whether row `i` serves nothing: it drops everything offered (to the rounding the
    /// rows are ordered by), as [`Report::serves_nothing`] says of a solve. Its times are
    /// then absent, not unbounded.
    pub fn serves_nothing(&self, i: &Impact) -> bool {
        self.offered_rps > 0.0 && i.dropped_rps >= self.offered_rps - rounding(self.offered_rps)
    }
}

/// [`analyze`](super::analyze), plus the failure analysis: SPOFs with their reasons and the
/// ranked N−1 sweep.
///
/// # Errors
/// As [`analyze`](super::analyze).
pub fn analyze_with_failures(s: &Scenario) -> Result<Report, Problems> {
    let mut report = analyze(s)?;
    let f = failure_analysis(s, &report);
    report.spofs = f.spofs.keys().cloned().collect();
    report.spof_reasons = f.spofs;
    report.n_minus_1 = f.n_minus_1;
    report.unassessed = f.unassessed;
    Ok(report)
}

/// Fails each component in turn (one instance, and the whole component) and ranks the
/// results; `base` is the report of `s` as it is. Natively the components are shared out
/// over the machine's cores.
pub fn failure_analysis(s: &Scenario, base: &Report) -> FailureAnalysis {
    let s: &Scenario = &frozen(s, base);
    let mut out = unranked(s, base);
    let unit = rounding(base.offered_rps);
    sort(&mut out.n_minus_1, unit);
    let shown = detailed(&out.n_minus_1);
    let details = parallel_map(shown.clone(), 1, |i| detail(s, &out.n_minus_1[i]));
    for (i, d) in shown.into_iter().zip(details) {
        out.n_minus_1[i].detail = d;
    }
    rank(&mut out.n_minus_1, unit, &|i| i.detail.is_some());
    out
}

/// The single points of failure of `s`, whose report as it is is `base`, with their
/// reasons: the failure analysis without the p99 and availability of its first rows (a
/// full solve each), for a caller that asks only which components are SPOFs.
pub fn single_points_of_failure(s: &Scenario, base: &Report) -> BTreeMap<String, String> {
    unranked(&frozen(s, base), base).spofs
}

/// Every row of the frozen design `s` and the SPOFs, in component order, without details;
/// natively the components are shared out over the machine's cores.
fn unranked(s: &Scenario, base: &Report) -> FailureAnalysis {
    let parts = parallel_map(chunks(s.components.len()), 1, |range| rows(s, base, range));
    let mut out = FailureAnalysis::of(base);
    for found in parts {
        out.add(found);
    }
    out
}

/// The same table with every row worked out by a full solve of the failed scenario, p99
/// and availability included: the reference the fast sweep is tested against.
pub fn failure_analysis_exhaustive(s: &Scenario, base: &Report) -> FailureAnalysis {
    let s: &Scenario = &frozen(s, base);
    let mut out = FailureAnalysis::of(base);
    let cuts = Cuts::new(s);
    let before = seen_all(s, base);
    for (v, c) in s.components.iter().enumerate() {
        let Some((instances, already_lost)) = failable(s, v) else {
            continue;
        };
        for mode in modes(instances) {
            let failure = mode.failure_after(instances, already_lost);
            let r = match analyze(&failed(s, &c.id, failure)) {
                Ok(r) => r,
                Err(why) => {
                    let found = Found {
                        unassessed: vec![Unassessed::new(c, mode, instances, first(&why))],
                        ..Found::default()
                    };
                    out.add(found);
                    continue;
                }
            };
            out.n_minus_1.push(Impact {
                id: c.id.clone(),
                failure: mode,
                instances,
                already_lost,
                shards: shards(c),
                dropped_rps: r.dropped_rps,
                messages_rps: r.background_dropped_rps(),
                mean_ms: r.latency_ms.mean,
                detail: Some(Detail {
                    p99_ms: r.latency_ms.p99,
                    availability: r.availability,
                }),
                busiest: named(s, busiest_of(s, base, |v| utilization(s, &r, v))),
            });
            if mode == FailureMode::Instance && r.dropped_rps > spof_threshold(base) {
                let after = seen_all(s, &r);
                let drops = Drops {
                    now: base.dropped_rps,
                    failed: r.dropped_rps,
                    rounding: rounding(base.offered_rps),
                };
                if let Some(why) =
                    reason(s, &cuts, v, instances, drops, &|u| before[u], &|u| after[u])
                {
                    out.spofs.insert(c.id.clone(), why);
                }
            }
        }
    }
    // Ranked as the fast sweep ranks: availability counts only where it would know it.
    let unit = rounding(base.offered_rps);
    sort(&mut out.n_minus_1, unit);
    let known: Vec<(String, FailureMode)> = detailed(&out.n_minus_1)
        .into_iter()
        .map(|i| (out.n_minus_1[i].id.clone(), out.n_minus_1[i].failure))
        .collect();
    rank(&mut out.n_minus_1, unit, &|i| {
        known
            .iter()
            .any(|(id, mode)| *id == i.id && *mode == i.failure)
    });
    out
}

/// The failure analysis a slice at a time, so that a browser can spread it over frames:
/// the rows [`SLICE`] components at a time, then the details of the rows shown one by one.
pub struct FailureSweep {
    s: Scenario,
    base: Report,
    next: usize,
    out: FailureAnalysis,
    /// Once every row is in: the rows still to detail.
    pending: Option<Vec<usize>>,
    /// How many rows are detailed in all.
    details: usize,
}

impl Sliced for FailureSweep {
    type Output = FailureAnalysis;

    fn advance(&mut self) -> bool {
        match &mut self.pending {
            None => {
                let n = self.s.components.len();
                let end = (self.next + SLICE).min(n);
                let found = rows(&self.s, &self.base, self.next..end);
                self.out.add(found);
                self.next = end;
                if end >= n {
                    sort(&mut self.out.n_minus_1, rounding(self.base.offered_rps));
                    let mut pending = detailed(&self.out.n_minus_1);
                    pending.reverse();
                    self.details = pending.len();
                    self.pending = Some(pending);
                }
                false
            }
            Some(pending) => {
                if let Some(i) = pending.pop() {
                    self.out.n_minus_1[i].detail = detail(&self.s, &self.out.n_minus_1[i]);
                }
                let done = pending.is_empty();
                if done {
                    let unit = rounding(self.base.offered_rps);
                    rank(&mut self.out.n_minus_1, unit, &|i| i.detail.is_some());
                }
                done
            }
        }
    }

    fn progress(&self) -> f64 {
        // Rows are most of the work; the details the last tenth.
        let rows = self.next as f64 / self.s.components.len().max(1) as f64;
        match &self.pending {
            None => 0.9 * rows,
            Some(p) => 1.0 - 0.1 * p.len() as f64 / self.details.max(1) as f64,
        }
    }

    fn finish(self) -> FailureAnalysis {
        self.out
    }
}

impl FailureSweep {
    /// A sweep over `s`, whose report as it is is `base`.
    pub fn new(s: Scenario, base: Report) -> FailureSweep {
        let out = FailureAnalysis::of(&base);
        FailureSweep {
            s: frozen(&s, &base).into_owned(),
            base,
            next: 0,
            out,
            pending: None,
            details: 0,
        }
    }
}

/// The N−1 rows of the components in `range`, the SPOFs among them with their reasons, and
/// the failures that do not solve.
fn rows(s: &Scenario, base: &Report, range: Range<usize>) -> Found {
    let mut solver = Solver::new(s).ok();
    // What each component sees as the design is, for the SPOF sentences.
    let before = solver
        .as_ref()
        .map_or_else(|| seen_all(s, base), Solver::seen);
    let mut cuts: Option<Cuts> = None;
    let mut rows = Vec::new();
    let mut spofs = Vec::new();
    let mut unassessed = Vec::new();
    for v in range {
        let c = &s.components[v];
        let Some((instances, already_lost)) = failable(s, v) else {
            continue;
        };
        for mode in modes(instances) {
            let failure = mode.failure_after(instances, already_lost);
            let above = match mode {
                FailureMode::Instance => spof_threshold(base),
                FailureMode::Component => f64::INFINITY,
            };
            let fast = solver.as_mut().and_then(|x| x.cost(v, failure, above));
            let cost = match fast.map_or_else(|| solved(s, base, v, failure, above), Ok) {
                Ok(cost) => cost,
                Err(why) => {
                    unassessed.push(Unassessed::new(c, mode, instances, why));
                    continue;
                }
            };
            rows.push(Impact {
                id: c.id.clone(),
                failure: mode,
                instances,
                already_lost,
                shards: shards(c),
                dropped_rps: cost.dropped_rps,
                messages_rps: cost.messages_rps,
                mean_ms: cost.mean_ms,
                detail: None,
                busiest: named(s, cost.busiest),
            });
            if let Some(after) = cost.seen.filter(|_| mode == FailureMode::Instance) {
                let cuts = cuts.get_or_insert_with(|| Cuts::new(s));
                let drops = Drops {
                    now: base.dropped_rps,
                    failed: cost.dropped_rps,
                    rounding: rounding(base.offered_rps),
                };
                if let Some(why) =
                    reason(s, cuts, v, instances, drops, &|u| before[u], &|u| after[u])
                {
                    spofs.push((c.id.clone(), why));
                }
            }
        }
    }
    Found {
        rows,
        spofs,
        unassessed,
    }
}

/// The cost of failing component `v` by a solve of the failed scenario (for designs the
/// in-place patch cannot take), without what a row does not need of it (percentiles and
/// availability); the solver's reason when the failed scenario does not solve.
fn solved(
    s: &Scenario,
    base: &Report,
    v: usize,
    failure: Failure,
    above: f64,
) -> Result<Cost, String> {
    let (dropped_rps, mean_ms, reports) =
        analyze::flows(&failed(s, &s.components[v].id, failure)).map_err(|e| first(&e))?;
    Ok(Cost {
        dropped_rps,
        messages_rps: reports
            .iter()
            .filter(|c| c.background)
            .fold(0.0, |total, c| total + c.dropped_rps),
        mean_ms,
        seen: (dropped_rps > above).then(|| reports.iter().map(Seen::of).collect()),
        busiest: busiest_of(s, base, |v| reports[v].utilization),
    })
}

/// The component a failure makes busiest, by each component's utilisation with it
/// (`after`) against the design's own (`base`), as the in-place sweep finds it.
fn busiest_of(s: &Scenario, base: &Report, after: impl Fn(usize) -> f64) -> Option<(usize, f64)> {
    busiest((0..s.components.len()).map(|v| (v, utilization(s, base, v), after(v))))
}

/// Component `v`'s utilisation in report `r` of `s` (0 when it has none).
fn utilization(s: &Scenario, r: &Report, v: usize) -> f64 {
    r.components
        .get(&s.components[v].id)
        .map_or(0.0, |c| c.utilization)
}

/// [`Impact::busiest`] from a component's index.
fn named(s: &Scenario, busiest: Option<(usize, f64)>) -> Option<Busiest> {
    busiest.map(|(v, utilization)| Busiest {
        id: s.components[v].id.clone(),
        utilization,
    })
}

/// The p99 and availability of a row, by a full solve of the failed scenario.
fn detail(s: &Scenario, row: &Impact) -> Option<Detail> {
    let r = with_failure(s, &row.id, row.as_failure())?;
    Some(Detail {
        p99_ms: r.latency_ms.p99,
        availability: r.availability,
    })
}

/// The report of `s` with component `id` failed as `failure` as well; `None` when that
/// scenario does not solve.
fn with_failure(s: &Scenario, id: &str, failure: Failure) -> Option<Report> {
    analyze(&failed(s, id, failure)).ok()
}

/// `s` with component `id` failed as `failure` as well.
fn failed(s: &Scenario, id: &str, failure: Failure) -> Scenario {
    let mut failed = s.clone();
    failed.failed.insert(id.to_owned(), failure);
    failed
}

/// What each component of `s` sees in its report `r`.
fn seen_all(s: &Scenario, r: &Report) -> Vec<Seen> {
    s.components.iter().map(|c| seen_of(r, &c.id)).collect()
}

/// What component `id` sees in report `r` (nothing, when it has no report).
fn seen_of(r: &Report, id: &str) -> Seen {
    r.components.get(id).map_or(
        Seen {
            arrival_rps: 0.0,
            dropped_rps: 0.0,
            stranded_rps: 0.0,
            capacity_rps: None,
            saturated: false,
        },
        Seen::of,
    )
}

/// Drops above this make a single failure a SPOF: more than the design drops now, beyond
/// rounding.
fn spof_threshold(base: &Report) -> f64 {
    base.dropped_rps + rounding(base.offered_rps)
}

/// Requests per second below which two drops are the same up to rounding: a billionth of
/// what is offered.
fn rounding(offered_rps: f64) -> f64 {
    1e-9 * (1.0 + offered_rps)
}

/// Shards a component's instances are counted per: a shard group's, else 1.
fn shards(c: &Component) -> u64 {
    if c.kind == Kind::ShardGroup {
        c.num("shards").max(1.0) as u64
    } else {
        1
    }
}

/// Component `v`'s instance count.
fn instances(s: &Scenario, v: usize) -> u64 {
    s.components[v].num("instances").max(1.0) as u64
}

/// Whether component `v` has a row of its own, and if so its instances still up and those a
/// what-if has taken already: a client never fails, a component down has nothing left to
/// lose, and a pool that lost some can lose one more, or the rest.
fn failable(s: &Scenario, v: usize) -> Option<(u64, u64)> {
    let c = &s.components[v];
    if c.kind == Kind::Client {
        return None;
    }
    let all = instances(s, v);
    match s.failed.get(&c.id) {
        None => Some((all, 0)),
        Some(Failure { lost: Some(n) }) if *n < all => Some((all - n, *n)),
        Some(_) => None,
    }
}

/// The failures a component of `instances` instances has a row for.
fn modes(instances: u64) -> impl Iterator<Item = FailureMode> {
    [FailureMode::Instance, FailureMode::Component]
        .into_iter()
        .filter(move |&m| m == FailureMode::Instance || instances >= 2)
}

/// Worst first within each group, before the availabilities are known: most dropped (in
/// steps of `unit`, so that drops equal up to rounding tie), then most background messages
/// never processed, then the slowest mean (unbounded first), then by id.
fn sort(rows: &mut [Impact], unit: f64) {
    rank(rows, unit, &|_| false);
}

/// The final order: as [`sort`], but among rows that drop as much, those whose availability
/// is known (`known`) come first, the least available first. A failure that drops nothing
/// and leaves the design fragile (a primary that fails over, leaving no standby) ranks
/// above one that only slows it down: both are among the rows the page shows first.
fn rank(rows: &mut [Impact], unit: f64, known: &dyn Fn(&Impact) -> bool) {
    crate::sort::by(rows, |a, b| {
        let mean = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
        let dropped = |x: &Impact| (x.dropped_rps / unit).round();
        let messages = |x: &Impact| (x.messages_rps / unit).round();
        // Rows not known rank after those known.
        let unavailable = |x: &Impact| {
            x.detail
                .filter(|_| known(x))
                .map_or(f64::NEG_INFINITY, |d| significant(1.0 - d.availability))
        };
        a.failure
            .cmp(&b.failure)
            .then(dropped(b).total_cmp(&dropped(a)))
            .then(messages(b).total_cmp(&messages(a)))
            .then(unavailable(b).total_cmp(&unavailable(a)))
            .then(mean(b.mean_ms).total_cmp(&mean(a.mean_ms)))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// `x` to two significant figures: availabilities that read alike tie (losing an instance
/// of a pool or of a cache may change the seventh digit), and the mean decides between
/// them.
fn significant(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x.max(0.0);
    }
    let step = 10f64.powf(x.log10().floor() - 1.0);
    (x / step).round() * step
}

/// Indices of the rows whose p99 and availability are worked out: every row of a group of
/// at most twice [`DETAILED_ROWS`] (a full solve each is cheap there, and the ranking then
/// weighs every row's availability), else the first [`DETAILED_ROWS`] of the group.
fn detailed(rows: &[Impact]) -> Vec<usize> {
    let mut size: BTreeMap<FailureMode, usize> = BTreeMap::new();
    for r in rows {
        *size.entry(r.failure).or_default() += 1;
    }
    let mut count: BTreeMap<FailureMode, usize> = BTreeMap::new();
    (0..rows.len())
        .filter(|&i| {
            let mode = rows[i].failure;
            let seen = count.entry(mode).or_default();
            *seen += 1;
            *seen <= DETAILED_ROWS || size[&mode] <= 2 * DETAILED_ROWS
        })
        .collect()
}

/// Ranges of components for one sweep each: a few per core, so that uneven costs even out.
fn chunks(n: usize) -> Vec<Range<usize>> {
    let size = n.div_ceil(4 * threads()).max(32);
    (0..n.div_ceil(size))
        .map(|i| i * size..((i + 1) * size).min(n))
        .collect()
}
