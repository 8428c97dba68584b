//! Numbers and user text as messages show them.

/// Shortens user text for quoting in a message, so a 10 MB id cannot make a 10 MB message.
pub fn quote(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head}…")
    }
}

/// A number as a person would write it: `1e308` rather than 309 digits.
pub fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e12 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Digits of a whole number grouped by thousands: `10,000,000`.
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// A number to three significant digits, thousands grouped: `1.6`, `154`, `960,000`.
pub fn significant(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let a = v.abs();
    if a >= 1000.0 {
        let magnitude = 10f64.powi(a.log10().floor() as i32 - 2);
        thousands((v / magnitude).round() * magnitude)
    } else if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        trim(format!("{v:.1}"))
    } else if a >= 1.0 {
        trim(format!("{v:.2}"))
    } else {
        // Three significant digits below 1 too: a headroom of 0.0002× is not "0×".
        let decimals = (2.0 - a.log10().floor()).clamp(3.0, 12.0) as usize;
        trim(format!("{v:.decimals$}"))
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

/// Requests per second, compact, as every panel and sentence writes a rate: `950`,
/// `12.3k`, `4.1M`.
pub fn rate(v: f64) -> String {
    // Each unit starts where the one below would round up to a thousand of itself
    // (999,999,680 is "1.0G", not "1000.0M").
    let a = v.abs();
    if a >= 999.95e6 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 999.5e3 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 999.5 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a < 0.05 {
        // Would print as 0.0 although it is not zero (a shed share of 10⁻⁶, say): in red
        // beside "dropped" that reads as a contradiction.
        "<0.1".to_owned()
    } else {
        format!("{v:.1}")
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

/// A multiple of today's traffic: `1.6×`, `154×`, `960,000×`.
pub fn multiple(v: f64) -> String {
    format!("{}×", significant(v))
}

/// Availability with as many decimals as it has nines (99.9 % → `99.90%`, 99.9985 % →
/// `99.9985%`), two at least and seven at most, so that designs can be told apart. Nothing
/// is shown with more nines than it has: where rounding would reach the next nine
/// (99.89998 % as `99.90%`, a figure a 99.9 % target would then seem to meet, or anything
/// short of certainty as `100%`), more decimals are shown, and past seven the figure is cut.
pub fn availability(v: f64) -> String {
    if v >= 1.0 {
        return "100%".to_owned();
    }
    // Whole nines of a share up, to a billionth of a nine (0.999 has three, though
    // 1 − 0.999 is a little above 10⁻³ in binary).
    let nines = |up: f64| (-(1.0 - up).log10() + 1e-9).floor();
    let reaches = |text: &str| {
        text.parse::<f64>()
            .is_ok_and(|p| nines(p / 100.0) > nines(v))
    };
    let first = (-(1.0 - v).log10()).floor().max(0.0) as usize;
    for decimals in first.clamp(2, 7)..=7 {
        let text = format!("{:.*}", decimals, v * 100.0);
        if !reaches(&text) {
            return format!("{text}%");
        }
    }
    // Short of one by less than a double can hold beside 10⁹: cut, not rounded up.
    let cut = ((v * 1e9).floor() / 1e7).min(99.999_999_9);
    format!("{cut:.7}%")
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

/// Drops trailing zeros after a decimal point (`1.50` → `1.5`, `2.00` → `2`).
fn trim(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}
