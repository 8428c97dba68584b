//! Number formatting for the views: one place, so the canvas and panels agree.

pub use crate::model::{
    availability, bytes, minutes, multiple, percent, rate, significant, thousands,
};
use crate::solve::Figure;

/// Milliseconds, or "unbounded"; times past a minute in minutes, past an hour in hours.
pub fn millis(v: Option<f64>) -> String {
    match v {
        None => "unbounded".into(),
        Some(v) if v >= 3_600_000.0 => format!("{:.1} h", v / 3_600_000.0),
        Some(v) if v >= 60_000.0 => format!("{:.1} min", v / 60_000.0),
        Some(v) if v >= 1_000.0 => format!("{:.1} s", v / 1000.0),
        Some(v) if v >= 100.0 => format!("{v:.0} ms"),
        Some(v) if v >= 1.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.2} ms"),
    }
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

/// The value a figure's text stands for, in the figure's own unit: what a reader takes
/// [`figure_value`] to say ("58.3 ms" is 58.3; "10.3 h" of downtime, 618 minutes), so that
/// a change written beside two figures is the difference of the two as shown. `v` itself
/// where the text is no number ("unbounded", "<0.1/s").
pub fn as_shown(figure: Figure, v: f64) -> f64 {
    let text = figure_value(figure, Some(v)).replace(['$', ','], "");
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(text.len());
    let Ok(n) = text[..end].parse::<f64>() else {
        return v;
    };
    let latency = figure.is_latency();
    let scale = match text[end..].trim() {
        "k/s" => 1e3,
        "M/s" => 1e6,
        "G/s" => 1e9,
        "%" => 0.01,
        "s" if latency => 1e3,
        "min" if latency => 60e3,
        "h" if latency => 3600e3,
        "s" => 1.0 / 60.0,
        "h" => 60.0,
        _ => 1.0,
    };
    n * scale
}

/// Decimals written after the point in `text`'s number.
pub fn decimals(text: &str) -> usize {
    text.split_once('.').map_or(0, |(_, rest)| {
        rest.chars().take_while(char::is_ascii_digit).count()
    })
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
        assert_eq!(millis(Some(8_325_800.0)), "2.3 h");
        assert_eq!(millis(Some(90_000.0)), "1.5 min");
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
        assert_eq!(availability(1.0f64.next_down()), "99.9999999%");
        // Never a nine more than the figure has: 99.89998 % is short of a 99.9 % target.
        assert_eq!(availability(0.998_999_8), "99.89998%");
        assert_eq!(availability(0.999), "99.90%");
        assert_eq!(availability(0.998_999_999_99), "99.8999999%");
        assert_eq!(availability(0.0), "0.00%");
        assert_eq!(as_shown(Figure::MeanLatency, 58.349), 58.3);
        assert_eq!(as_shown(Figure::Downtime, 618.4), 618.0);
        assert_eq!(as_shown(Figure::Downtime, 65.2), 65.0);
        assert_eq!(as_shown(Figure::Throughput, 12_345.0), 12_000.0);
        assert_eq!(as_shown(Figure::MonthlyCost, 1_940.4), 1_940.0);
        assert_eq!(as_shown(Figure::P99, 2_345.0), 2_300.0);
        assert!((as_shown(Figure::Availability, 0.998_53) - 0.9985).abs() < 1e-12);
        assert_eq!(as_shown(Figure::MeanLatency, f64::INFINITY), f64::INFINITY);
        assert_eq!(decimals("99.9985%"), 4);
        assert_eq!(decimals("95%"), 0);
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
