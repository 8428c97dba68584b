//! Number formatting for the views: one place, so the canvas and panels agree.

pub use crate::model::{availability, minutes, multiple, rate, significant, thousands};
use crate::solve::Figure;

/// Milliseconds, or "unbounded".
pub fn millis(v: Option<f64>) -> String {
    match v {
        None => "unbounded".into(),
        Some(v) if v >= 1_000.0 => format!("{:.1} s", v / 1000.0),
        Some(v) if v >= 100.0 => format!("{v:.0} ms"),
        Some(v) if v >= 1.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.2} ms"),
    }
}

/// A share as a percentage: whole percents, with one decimal where whole ones would hide
/// something (a little above 0, a little below 100).
pub fn percent(v: f64) -> String {
    let pct = v * 100.0;
    if v > 0.0 && pct < 0.1 {
        "<0.1%".to_owned()
    } else if (v > 0.0 && pct < 1.0) || (0.995..1.0).contains(&v) {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.0}%")
    }
}

/// A size in bytes with a decimal unit: `512 B`, `4 kB`, `12 GB`, to three digits.
pub fn bytes(v: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = v.max(0.0);
    let mut unit = 0;
    while v >= 1000.0 && unit < units.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{} {}", significant(v), units[unit])
}

/// Dollars, whole, thousands grouped: `$10,000,000`.
pub fn dollars(v: f64) -> String {
    format!("${}", thousands(v))
}

/// A small amount of money with the cents that matter, in plain decimals: a short run costs
/// fractions of a cent (`$0.0086`, not `$8.6e-3`).
pub fn cents(v: f64) -> String {
    if v >= 0.01 || v <= 0.0 {
        format!("${v:.2}")
    } else {
        let decimals = (1.0 - v.log10().floor()).clamp(3.0, 12.0) as usize;
        format!("${v:.decimals$}")
    }
}

/// Fill colour for a utilisation: green under 60 %, amber to 85 %, red beyond.
pub fn heat(utilization: f64, saturated: bool) -> &'static str {
    if saturated {
        "heat-over"
    } else if utilization >= 0.85 {
        "heat-high"
    } else if utilization >= 0.6 {
        "heat-mid"
    } else {
        "heat-low"
    }
}

/// A figure's value as the results panel writes it.
pub fn figure_value(figure: Figure, v: Option<f64>) -> String {
    match (figure, v) {
        (Figure::Throughput | Figure::Dropped, Some(v)) => format!("{}/s", rate(v)),
        (Figure::MeanLatency | Figure::P50 | Figure::P95 | Figure::P99, v) => millis(v),
        (Figure::Availability, Some(v)) => availability(v),
        (Figure::Downtime, Some(v)) => minutes(v),
        (Figure::MonthlyCost, Some(v)) => dollars(v),
        (Figure::Headroom, Some(v)) => multiple(v),
        (_, None) => "—".to_owned(),
    }
}

/// A headline figure's name as the results panel writes it.
pub fn figure_label(figure: Figure) -> &'static str {
    match figure {
        Figure::Throughput => "Throughput",
        Figure::Dropped => "Dropped",
        Figure::MeanLatency => "Mean",
        Figure::P50 => "p50",
        Figure::P95 => "p95",
        Figure::P99 => "p99",
        Figure::Availability => "Availability",
        Figure::Downtime => "Downtime / month",
        Figure::MonthlyCost => "Cost / month",
        Figure::Headroom => "Headroom",
    }
}

/// The key tests and styles find a headline figure's value by (`data-metric`).
pub fn figure_metric(figure: Figure) -> &'static str {
    match figure {
        Figure::Throughput => "throughput",
        Figure::Dropped => "dropped",
        Figure::MeanLatency => "mean",
        Figure::P50 => "p50",
        Figure::P95 => "p95",
        Figure::P99 => "p99",
        Figure::Availability => "availability",
        Figure::Downtime => "downtime",
        Figure::MonthlyCost => "cost",
        Figure::Headroom => "headroom",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(rate(950.0), "950");
        assert_eq!(rate(1234.0), "1.2k");
        assert_eq!(rate(12_345.0), "12k");
        assert_eq!(rate(2.5e6), "2.5M");
        assert_eq!(rate(0.35), "0.3");
        assert_eq!(rate(0.0), "0");
        assert_eq!(rate(1e-6), "<0.1");
        assert_eq!(rate(999_999_680.0), "1.0G");
        assert_eq!(rate(999_600.0), "1.0M");
        assert_eq!(rate(999.7), "1.0k");
        assert_eq!(rate(999.4), "999");
        assert_eq!(millis(None), "unbounded");
        assert_eq!(millis(Some(2000.0)), "2.0 s");
        assert_eq!(millis(Some(43.51)), "43.5 ms");
        assert_eq!(percent(0.625), "62%");
        assert_eq!(percent(0.9975), "99.8%");
        assert_eq!(percent(0.003), "0.3%");
        assert_eq!(percent(0.0001), "<0.1%");
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(3e6 * 4e3), "12 GB");
        assert_eq!(bytes(1.5e15 * 1000.0), "1,500 PB");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(availability(0.99985), "99.985%");
        assert_eq!(availability(0.999985), "99.9985%");
        assert_eq!(availability(0.95), "95.00%");
        assert_eq!(availability(1.0), "100%");
        assert_eq!(availability(1.0 - 1e-12), "99.9999999%");
        assert_eq!(dollars(10_000_000.0), "$10,000,000");
        assert_eq!(dollars(370.0), "$370");
        assert_eq!(dollars(1234.4), "$1,234");
        assert_eq!(multiple(1.6), "1.6×");
        assert_eq!(multiple(153.6), "154×");
        assert_eq!(multiple(960_000.0), "960,000×");
        assert_eq!(multiple(1.234_56), "1.23×");
        assert_eq!(multiple(12.0), "12×");
        assert_eq!(multiple(0.5), "0.5×");
        assert_eq!(multiple(0.000_234_5), "0.000235×");
        assert_eq!(cents(0.008_6), "$0.0086");
        assert_eq!(cents(0.000_123), "$0.00012");
        assert_eq!(cents(12.345), "$12.35");
        assert_eq!(cents(0.0), "$0.00");
        assert_eq!(thousands(1_000.0), "1,000");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(minutes(65.0), "65 min");
        assert_eq!(heat(0.9, false), "heat-high");
        assert_eq!(heat(0.2, true), "heat-over");
    }
}
