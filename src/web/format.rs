//! Number formatting for the views: one place, so the canvas and panels agree.

/// Requests per second, compact: `950`, `12.3k`, `4.1M`.
pub fn rate(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

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

/// A share as a percentage.
pub fn percent(v: f64) -> String {
    if (0.995..1.0).contains(&v) {
        format!("{:.1}%", v * 100.0)
    } else {
        format!("{:.0}%", v * 100.0)
    }
}

/// Availability with enough nines to tell designs apart.
pub fn availability(v: f64) -> String {
    let pct = v * 100.0;
    if v >= 0.99999 {
        format!("{pct:.5}%")
    } else if v >= 0.999 {
        format!("{pct:.3}%")
    } else {
        format!("{pct:.2}%")
    }
}

/// Minutes, as minutes or hours.
pub fn minutes(v: f64) -> String {
    if v >= 120.0 {
        format!("{:.1} h", v / 60.0)
    } else if v >= 1.0 {
        format!("{v:.0} min")
    } else {
        format!("{:.0} s", v * 60.0)
    }
}

/// Dollars per month.
pub fn dollars(v: f64) -> String {
    format!("${v:.0}")
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
        assert_eq!(millis(None), "unbounded");
        assert_eq!(millis(Some(2000.0)), "2.0 s");
        assert_eq!(millis(Some(43.51)), "43.5 ms");
        assert_eq!(percent(0.625), "62%");
        assert_eq!(percent(0.9975), "99.8%");
        assert_eq!(availability(0.99985), "99.985%");
        assert_eq!(minutes(65.0), "65 min");
        assert_eq!(heat(0.9, false), "heat-high");
        assert_eq!(heat(0.2, true), "heat-over");
    }
}
