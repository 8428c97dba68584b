//! Two designs simulated on common random numbers: the same seed, the same arrivals, and
//! for every component they share the same random draws (each component's stream is keyed
//! by its id). The designs' difference is then measured batch by batch on matched traffic,
//! so its interval is far narrower than two independent runs give (Law 2015, §11.2).

use super::report::SimReport;
use super::run::Run;
use super::stats;
use super::Estimate;
use crate::model::{Problems, Scenario};
use crate::sliced::Sliced;
use serde::{Deserialize, Serialize};

/// A simulated difference, current minus baseline, with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Current minus baseline over the measured window.
    pub value: f64,
    /// Half-width of the paired interval: from the batches' differences in one
    /// replication, or from the replications' differences with two or more (`None` with
    /// fewer than two batches, or a batch or replication without answers).
    pub half_width: Option<f64>,
    /// The half-width two independent runs of these lengths would give: √(h₁² + h₂²).
    pub independent_half_width: Option<f64>,
}

impl Difference {
    /// Nothing to compare (a run that answered nothing).
    const NONE: Difference = Difference {
        value: 0.0,
        half_width: None,
        independent_half_width: None,
    };

    /// `now` minus `before`, with the paired half-width measured, beside the one two
    /// independent runs would give.
    fn between(before: Estimate, now: Estimate, half_width: Option<f64>) -> Difference {
        Difference {
            value: now.value - before.value,
            half_width,
            independent_half_width: before
                .half_width
                .zip(now.half_width)
                .map(|(a, b)| (a * a + b * b).sqrt()),
        }
    }

    /// Whether the interval excludes zero: the designs differ beyond the noise.
    pub fn significant(&self) -> bool {
        self.half_width.is_some_and(|h| self.value.abs() > h)
    }
}

/// Both runs and the differences between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedRuns {
    /// The baseline's run.
    pub baseline: SimReport,
    /// The current design's run.
    pub current: SimReport,
    /// Mean response time, ms.
    pub mean_ms: Option<Difference>,
    /// 99th percentile, ms (per batch: the batch's seconds' p99s averaged).
    pub p99_ms: Option<Difference>,
    /// Requests answered per second.
    pub throughput_rps: Difference,
}

/// Per batch of `r`'s measured window: `f` over its seconds, averaged weighted by each
/// second's answers (`weighted`: a per-request figure) or evenly (a per-second one).
fn per_batch(
    r: &SimReport,
    f: impl Fn(&super::Second) -> Option<f64>,
    weighted: bool,
) -> Option<Vec<f64>> {
    let window = r.seconds.saturating_sub(r.measured_from_s);
    let size = window / r.batches.max(1);
    (0..r.batches)
        .map(|b| {
            let seconds =
                &r.series[r.measured_from_s + b * size..r.measured_from_s + (b + 1) * size];
            let (mut sum, mut weight) = (0.0, 0.0);
            for sec in seconds {
                if let Some(x) = f(sec) {
                    let w = if weighted { sec.completed } else { 1.0 };
                    sum += x * w;
                    weight += w;
                }
            }
            (weight > 0.0).then(|| sum / weight)
        })
        .collect()
}

/// The paired difference of a figure measured per batch in both runs, from the whole-run
/// estimates `whole` (baseline, current).
fn difference(
    runs: (&SimReport, &SimReport),
    whole: (Option<Estimate>, Option<Estimate>),
    f: impl Fn(&super::Second) -> Option<f64> + Copy,
    weighted: bool,
) -> Option<Difference> {
    let (before, now) = (whole.0?, whole.1?);
    // One run's batches give an interval only when its load holds steady (see `Batches`).
    let batches = |r: &SimReport| per_batch(r, f, weighted).filter(|_| r.steady);
    let half_width = batches(runs.0).zip(batches(runs.1)).and_then(|(a, b)| {
        let diffs: Vec<f64> = b.iter().zip(&a).map(|(x, y)| x - y).collect();
        stats::half_width(&diffs)
    });
    Some(Difference::between(before, now, half_width))
}

/// Both designs run one after the other, in slices, with the current design's simulation
/// settings (seed, length, profile, failures) for both: identical conditions.
pub struct PairedRun {
    baseline: Option<Run>,
    current: Run,
    done: Option<SimReport>,
}

/// The baseline as it runs beside `current`: with the current design's simulation settings.
pub(super) fn beside(baseline: &Scenario, current: &Scenario) -> Scenario {
    let mut base = baseline.clone();
    base.simulation = current.simulation.clone();
    base
}

impl PairedRun {
    /// Prepares both runs, of designs already checked ([`super::Replica::check`]).
    ///
    /// # Errors
    /// As [`Run::new`].
    pub(super) fn prepare(baseline: &Scenario, current: &Scenario) -> Result<PairedRun, Problems> {
        Ok(PairedRun {
            baseline: Some(Run::prepare(&beside(baseline, current))?),
            current: Run::prepare(current)?,
            done: None,
        })
    }
}

impl Sliced for PairedRun {
    type Output = PairedRuns;

    fn advance(&mut self) -> bool {
        match self.baseline.as_mut() {
            Some(run) => {
                if run.advance() {
                    self.done = self.baseline.take().map(Run::finish);
                }
                false
            }
            None => self.current.advance(),
        }
    }

    fn progress(&self) -> f64 {
        match &self.baseline {
            Some(run) => run.progress() / 2.0,
            None => 0.5 + self.current.progress() / 2.0,
        }
    }

    fn finish(self) -> PairedRuns {
        let current = self.current.finish();
        let baseline = self.done.unwrap_or_else(|| current.clone());
        let pair = (&baseline, &current);
        let (a, b) = (&baseline.latency_ms, &current.latency_ms);
        PairedRuns {
            mean_ms: difference(pair, (a.mean, b.mean), |s| s.mean_ms, true),
            p99_ms: difference(pair, (a.p99, b.p99), |s| s.p99_ms, true),
            throughput_rps: difference(
                pair,
                (Some(baseline.throughput_rps), Some(current.throughput_rps)),
                |s| Some(s.completed),
                false,
            )
            .unwrap_or(Difference::NONE),
            baseline,
            current,
        }
    }
}

/// Joins the pairs of a run's replications (see [`super::merge`]): each design's reports
/// are merged, and each difference's interval comes from the spread of the replications'
/// own differences, pair by pair, on common random numbers within each pair.
pub(super) fn merge(first: PairedRuns, rest: Vec<PairedRuns>) -> PairedRuns {
    if rest.is_empty() {
        return first;
    }
    let spread = |of: fn(&PairedRuns) -> Option<Difference>| {
        let diffs: Option<Vec<f64>> = std::iter::once(&first)
            .chain(&rest)
            .map(|p| of(p).map(|d| d.value))
            .collect();
        diffs.and_then(|d| stats::half_width(&d))
    };
    let spreads = [
        spread(|p| p.mean_ms),
        spread(|p| p.p99_ms),
        spread(|p| Some(p.throughput_rps)),
    ];
    let (bases, currents): (Vec<SimReport>, Vec<SimReport>) =
        rest.into_iter().map(|p| (p.baseline, p.current)).unzip();
    let baseline = super::merge::reports(first.baseline, bases);
    let current = super::merge::reports(first.current, currents);
    let difference = |before: Option<Estimate>, now: Option<Estimate>, half_width| {
        Some(Difference::between(before?, now?, half_width))
    };
    let (a, b) = (&baseline.latency_ms, &current.latency_ms);
    let [mean, p99, throughput] = spreads;
    PairedRuns {
        mean_ms: difference(a.mean, b.mean, mean),
        p99_ms: difference(a.p99, b.p99, p99),
        throughput_rps: difference(
            Some(baseline.throughput_rps),
            Some(current.throughput_rps),
            throughput,
        )
        .unwrap_or(Difference::NONE),
        baseline,
        current,
    }
}
