//! How the reports of a run's replications join into one (see MODEL.md, "Replications").
//!
//! Every figure a replication estimates (a rate, a share, a percentile) becomes the mean of
//! the replications' estimates, with the interval `mean ± t(0.975, R−1) · s / √R` from their
//! spread: replications are independent, so this interval is honest whatever the run's
//! autocorrelation, where batch means within one run only approximate independence. Counts
//! (requests, events, failures, breaker openings) are totals over all replications, and
//! per-second series are the replications' means second by second. Reports are joined in
//! replication order, so the floating-point sums, and the report, are the same wherever
//! the replications ran.

use super::stats::half_width;
use super::{
    BreakerState, ComponentSeries, Estimate, Second, SimBreaker, SimComponent, SimLatency,
    SimPlaceLatency, SimReport,
};

/// The replications' reports, the first apart, joined into one; with no others the first
/// is returned unchanged.
pub(super) fn reports(first: SimReport, rest: Vec<SimReport>) -> SimReport {
    if rest.is_empty() {
        return first;
    }
    let all: Vec<&SimReport> = std::iter::once(&first).chain(&rest).collect();
    let total = |f: fn(&SimReport) -> u64| all.iter().map(|r| f(r)).sum::<u64>();
    let mean = |f: fn(&SimReport) -> f64| all.iter().map(|r| f(r)).sum::<f64>() / all.len() as f64;
    SimReport {
        seed: first.seed,
        seconds: first.seconds,
        warmup_s: first.warmup_s,
        measured_from_s: first.measured_from_s,
        batches: first.batches,
        steady: first.steady,
        replications: all.iter().map(|r| r.replications).sum(),
        events: total(|r| r.events),
        requests: total(|r| r.requests),
        attempts: total(|r| r.attempts),
        completed: total(|r| r.completed),
        failed: total(|r| r.failed),
        shed: total(|r| r.shed),
        rejected: total(|r| r.rejected),
        timed_out: total(|r| r.timed_out),
        throughput_rps: across(all.iter().map(|r| r.throughput_rps)),
        error_rate: across(all.iter().map(|r| r.error_rate)),
        unanswered_rps: across(all.iter().map(|r| r.unanswered_rps)),
        latency_ms: latency(all.iter().map(|r| &r.latency_ms)),
        series: (0..first.series.len())
            .map(|t| second(all.iter().filter_map(|r| r.series.get(t))))
            .collect(),
        components: crate::sort::map(first.components.iter().map(|(id, c)| {
            let all = all.iter().filter_map(|r| r.components.get(id));
            (id.clone(), component(c, all.collect()))
        })),
        cost_usd: mean(|r| r.cost_usd),
        monthly_cost_usd: mean(|r| r.monthly_cost_usd),
        latency_by_location: crate::sort::map(first.latency_by_location.keys().map(|key| {
            let all: Vec<&SimPlaceLatency> = all
                .iter()
                .filter_map(|r| r.latency_by_location.get(key))
                .collect();
            let place = SimPlaceLatency {
                share: all.iter().map(|p| p.share).sum::<f64>() / all.len() as f64,
                success: across(all.iter().map(|p| p.success)),
                latency: latency(all.iter().map(|p| &p.latency)),
            };
            (key.clone(), place)
        })),
        breakers: first
            .breakers
            .iter()
            .enumerate()
            .map(|(i, b)| breaker(b, all.iter().filter_map(|r| r.breakers.get(i)).collect()))
            .collect(),
    }
}

/// The mean of the replications' estimates, with the interval from their spread.
pub(super) fn across(estimates: impl Iterator<Item = Estimate>) -> Estimate {
    let values: Vec<f64> = estimates.map(|e| e.value).collect();
    Estimate {
        value: values.iter().sum::<f64>() / values.len().max(1) as f64,
        half_width: half_width(&values),
    }
}

/// [`across`] the replications that have the figure (`None`: none has it).
fn across_some(estimates: impl Iterator<Item = Option<Estimate>>) -> Option<Estimate> {
    let present: Vec<Estimate> = estimates.flatten().collect();
    (!present.is_empty()).then(|| across(present.into_iter()))
}

fn latency<'a>(all: impl Iterator<Item = &'a SimLatency> + Clone) -> SimLatency {
    SimLatency {
        mean: across_some(all.clone().map(|l| l.mean)),
        p50: across_some(all.clone().map(|l| l.p50)),
        p95: across_some(all.clone().map(|l| l.p95)),
        p99: across_some(all.map(|l| l.p99)),
    }
}

/// The mean of the values present (`None`: none is).
fn mean_some(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values
        .flatten()
        .fold((0.0, 0usize), |(sum, n), x| (sum + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// One second, averaged over the replications.
fn second<'a>(all: impl Iterator<Item = &'a Second> + Clone) -> Second {
    let n = all.clone().count().max(1) as f64;
    let mean = |f: fn(&Second) -> f64| all.clone().map(f).sum::<f64>() / n;
    let some = |f: fn(&Second) -> Option<f64>| mean_some(all.clone().map(f));
    Second {
        factor: mean(|s| s.factor),
        offered: mean(|s| s.offered),
        attempts: mean(|s| s.attempts),
        completed: mean(|s| s.completed),
        errors: mean(|s| s.errors),
        shed: mean(|s| s.shed),
        rejected: mean(|s| s.rejected),
        timeouts: mean(|s| s.timeouts),
        cost_usd: mean(|s| s.cost_usd),
        mean_ms: some(|s| s.mean_ms),
        p50_ms: some(|s| s.p50_ms),
        p95_ms: some(|s| s.p95_ms),
        p99_ms: some(|s| s.p99_ms),
    }
}

/// Per-second values averaged over the replications, second by second.
fn series(all: &[&Vec<f64>]) -> Vec<f64> {
    let len = all.first().map_or(0, |v| v.len());
    (0..len)
        .map(|t| {
            let values = all.iter().filter_map(|v| v.get(t));
            values.sum::<f64>() / all.len() as f64
        })
        .collect()
}

fn component(first: &SimComponent, all: Vec<&SimComponent>) -> SimComponent {
    let each =
        |f: fn(&SimComponent) -> &Vec<f64>| series(&all.iter().map(|c| f(c)).collect::<Vec<_>>());
    let lags: Vec<&SimLatency> = all.iter().filter_map(|c| c.lag_ms.as_ref()).collect();
    let lost: Vec<u64> = all.iter().filter_map(|c| c.lost_writes).collect();
    SimComponent {
        kind: first.kind,
        arrival_rps: across(all.iter().map(|c| c.arrival_rps)),
        dropped_rps: across(all.iter().map(|c| c.dropped_rps)),
        utilization: across_some(all.iter().map(|c| c.utilization)),
        mean_queue: across_some(all.iter().map(|c| c.mean_queue)),
        instances: across_some(all.iter().map(|c| c.instances)),
        rejected_rps: across_some(all.iter().map(|c| c.rejected_rps)),
        hit_ratio: across_some(all.iter().map(|c| c.hit_ratio)),
        lag_ms: (!lags.is_empty()).then(|| latency(lags.into_iter())),
        lost_writes: (!lost.is_empty()).then(|| lost.iter().sum()),
        // The resharding is part of the settings, the same in every replication.
        resharded: first.resharded,
        series: ComponentSeries {
            arrivals: each(|c| &c.series.arrivals),
            drops: each(|c| &c.series.drops),
            utilization: each(|c| &c.series.utilization),
            queue: each(|c| &c.series.queue),
            instances: each(|c| &c.series.instances),
            serving: each(|c| &c.series.serving),
            hit_ratio: each(|c| &c.series.hit_ratio),
        },
    }
}

fn breaker(first: &SimBreaker, all: Vec<&SimBreaker>) -> SimBreaker {
    let each =
        |f: fn(&SimBreaker) -> &Vec<f64>| series(&all.iter().map(|b| f(b)).collect::<Vec<_>>());
    SimBreaker {
        from: first.from.clone(),
        to: first.to.clone(),
        opened: all.iter().map(|b| b.opened).sum(),
        refused: all.iter().map(|b| b.refused).sum(),
        state: (0..first.state.len())
            .map(|t| usual_state(all.iter().filter_map(|b| b.state.get(t).copied())))
            .collect(),
        open_share: each(|b| &b.open_share),
        sent: each(|b| &b.sent),
        refused_per_second: each(|b| &b.refused_per_second),
        failed: each(|b| &b.failed),
    }
}

/// The state most replications' breakers were in at the end of a second; on a tie, the one
/// further from closed (a chart then shades the stretch rather than hide it).
fn usual_state(states: impl Iterator<Item = BreakerState>) -> BreakerState {
    let order = [
        BreakerState::Open,
        BreakerState::HalfOpen,
        BreakerState::Closed,
    ];
    let mut counts = [0usize; 3];
    for s in states {
        if let Some(i) = order.iter().position(|&o| o == s) {
            counts[i] += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    let i = counts.iter().position(|&c| c == most).unwrap_or(2);
    order[i]
}
