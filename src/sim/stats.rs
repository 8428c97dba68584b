//! Whole-run estimates with 95 % confidence intervals, by the method of batch means.
//!
//! The measured window (after the warm-up) is cut into 10 to 20 batches of whole seconds;
//! each batch gives one value of a statistic, and the spread of those values gives the
//! interval `mean ± t(0.975, B−1) · s / √B`. Batches of several seconds are close to
//! independent for systems that forget their past within a batch, which is why the run
//! should be long against the time the busiest queue takes to drain.

use serde::{Deserialize, Serialize};

/// A simulated figure with its 95 % confidence half-width.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate over the whole measured window.
    pub value: f64,
    /// Half-width of the 95 % interval (`None` with fewer than two batches).
    pub half_width: Option<f64>,
}

impl Estimate {
    /// Whether `x` lies within the interval widened by `slack` (relative to `x`).
    pub fn contains(&self, x: f64, slack: f64) -> bool {
        let hw = self.half_width.unwrap_or(0.0);
        (self.value - x).abs() <= hw + slack * x.abs()
    }
}

/// Student's t quantile at 0.975 for `df` degrees of freedom.
fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    T.get(df.wrapping_sub(1)).copied().unwrap_or(1.96)
}

/// The 95 % half-width from per-batch values.
pub(crate) fn half_width(batches: &[f64]) -> Option<f64> {
    let b = batches.len();
    if b < 2 {
        return None;
    }
    let mean = batches.iter().sum::<f64>() / b as f64;
    let var = batches.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1) as f64;
    Some(t975(b - 1) * (var / b as f64).sqrt())
}

/// The measured window: whole seconds `[start, end)` cut into `count` batches of `size`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Batches {
    pub start: usize,
    pub size: usize,
    pub count: usize,
    /// Whether the batches are alike (the run's load holds steady): only then does their
    /// spread give an interval. Under a spike the batches differ because the load does,
    /// and a spread taken for noise would be an interval wider than the value it bounds.
    pub alike: bool,
}

impl Batches {
    /// Batches for a run of `seconds` with `warmup` discarded: between 10 and 20 of them
    /// (fewer only for short runs), choosing the count that wastes the fewest seconds; the
    /// seconds left over join the warm-up.
    pub fn new(seconds: usize, warmup: usize, alike: bool) -> Batches {
        let window = seconds.saturating_sub(warmup).max(1);
        let candidates = if window >= 10 {
            10..=20
        } else {
            window..=window
        };
        let count = candidates.rev().min_by_key(|&b| window % b).unwrap_or(1);
        let size = window / count;
        Batches {
            start: seconds.saturating_sub(count * size),
            size,
            count,
            alike,
        }
    }

    /// The 95 % half-width from the batches' values of a figure (`None` when they are
    /// not alike, or fewer than two).
    pub fn interval(&self, per_batch: &[f64]) -> Option<f64> {
        self.alike.then(|| half_width(per_batch)).flatten()
    }

    /// The seconds of batch `b`.
    pub fn seconds(&self, b: usize) -> std::ops::Range<usize> {
        let from = self.start + b * self.size;
        from..from + self.size
    }

    /// The whole measured window.
    pub fn window(&self) -> std::ops::Range<usize> {
        self.start..self.start + self.count * self.size
    }

    /// An estimate of a rate-like figure from per-second values: the window's average,
    /// with the interval from the batches' averages.
    pub fn average(&self, per_second: impl Fn(usize) -> f64) -> Estimate {
        let batch: Vec<f64> = (0..self.count)
            .map(|b| self.seconds(b).map(&per_second).sum::<f64>() / self.size as f64)
            .collect();
        Estimate {
            value: batch.iter().sum::<f64>() / batch.len().max(1) as f64,
            half_width: self.interval(&batch),
        }
    }

    /// An estimate of a ratio of two per-second sums (errors over attempts, busy time over
    /// server time): the window's ratio, with the interval from the batches' ratios.
    pub fn ratio(&self, num: impl Fn(usize) -> f64, den: impl Fn(usize) -> f64) -> Estimate {
        let sum = |f: &dyn Fn(usize) -> f64, r: std::ops::Range<usize>| r.map(f).sum::<f64>();
        let safe = |n: f64, d: f64| if d > 0.0 { n / d } else { 0.0 };
        let batch: Vec<f64> = (0..self.count)
            .map(|b| safe(sum(&num, self.seconds(b)), sum(&den, self.seconds(b))))
            .collect();
        Estimate {
            value: safe(sum(&num, self.window()), sum(&den, self.window())),
            half_width: self.interval(&batch),
        }
    }
}

/// The `q`-quantile of `xs` (nearest rank), reordering `xs`; `None` when empty.
pub(crate) fn quantile(xs: &mut [f32], q: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let rank = ((q * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1;
    let (_, x, _) = xs.select_nth_unstable_by(rank, f32::total_cmp);
    Some(f64::from(*x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_the_end_of_the_run() {
        let b = Batches::new(60, 5, true);
        assert_eq!((b.count, b.size, b.start), (11, 5, 5));
        let b = Batches::new(100, 10, true);
        assert_eq!((b.count, b.size, b.start), (18, 5, 10));
        let b = Batches::new(8, 2, true);
        assert_eq!((b.count, b.size, b.start), (6, 1, 2));
        assert_eq!(b.window(), 2..8);
    }

    #[test]
    fn half_width_matches_a_hand_computation() {
        // Values 1..=5: mean 3, s² = 2.5, t(4) = 2.776 → 2.776 · √(2.5/5) = 1.963.
        let hw = half_width(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert!((hw - 2.776 * 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(half_width(&[1.0]), None);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let mut xs: Vec<f32> = (1..=100).rev().map(|x| x as f32).collect();
        assert_eq!(quantile(&mut xs, 0.5), Some(50.0));
        assert_eq!(quantile(&mut xs, 0.99), Some(99.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }
}
