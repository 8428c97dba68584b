//! What an explanation's numbers measure, which says how they are written: the card in the
//! page and the CLI's text write them alike, and an availability as every panel writes one.

use crate::model::availability;
use serde::{Serialize, Serializer};

/// What an input or a result of an explanation measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count or a pure number: servers, a load ρ, a probability of waiting.
    Number,
    /// The probability of being up. Written as the panels write an availability
    /// (`99.99925%`): to six decimals, 0.9999997 would read "1" in a list of what fails.
    Availability,
    /// Milliseconds.
    Ms,
    /// Seconds.
    Seconds,
    /// Requests per second.
    ReqPerS,
    /// A rate: per second.
    PerS,
    /// A multiple of today's traffic.
    TimesTraffic,
    /// Minutes in a month.
    MinPerMonth,
    /// Dollars in a month.
    DollarsPerMonth,
}

impl Unit {
    /// The unit's symbol ("" for a pure number and for an availability, a probability).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Number | Unit::Availability => "",
            Unit::Ms => "ms",
            Unit::Seconds => "s",
            Unit::ReqPerS => "req/s",
            Unit::PerS => "/s",
            Unit::TimesTraffic => "× traffic",
            Unit::MinPerMonth => "min/month",
            Unit::DollarsPerMonth => "$/month",
        }
    }

    /// `v` with its unit, or "unbounded" for `None`: counts as whole numbers, other pure
    /// numbers to a millionth, seconds to a ten-thousandth and other measures to a
    /// thousandth, without trailing zeros ("1800 req/s", not "1800.000 req/s").
    pub fn show(self, v: Option<f64>) -> String {
        let Some(v) = v else {
            return "unbounded".to_owned();
        };
        match self {
            Unit::Availability => availability(v),
            Unit::Number if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
            Unit::Number => fraction(v, 6),
            // To a tenth of a millisecond, as the panels write times: a response time of
            // 0.0782 s is the Mean's 78.2 ms, not "0.078 s".
            Unit::Seconds => format!("{} s", fraction(v, 4)),
            unit => format!("{} {}", fraction(v, 3), unit.symbol()),
        }
    }
}

/// A probability of being up, written as the panels write an availability.
pub(super) fn up(x: f64) -> String {
    Unit::Availability.show(Some(x))
}

/// A number in a sum's working, to four decimals without trailing zeros: "2 visits × 8.0005
/// ms = 16.001 ms" multiplies out as written, where three decimals read "8.000 … = 16.001".
pub(super) fn working(v: f64) -> String {
    fraction(v, 4)
}

/// The JSON keeps the symbol, as before the unit was typed.
impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.symbol())
    }
}

/// `v` to `digits` decimals without trailing zeros; to twelve where fewer would write it
/// as 0 or 1, which read as never and always (a share served of 0.9999997 is not "1", a
/// time of 0.0001 ms not "0"). A larger whole number stays as it is: 36.0000007 ms is
/// "36 ms".
fn fraction(v: f64, digits: usize) -> String {
    let trimmed = |d: usize| {
        let fixed = format!("{v:.d$}");
        fixed.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let text = trimmed(digits);
    if v.fract() != 0.0 && matches!(text.trim_start_matches('-'), "0" | "1") {
        trimmed(12)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_as_the_panels_do() {
        assert_eq!(Unit::Number.show(Some(4.0)), "4");
        assert_eq!(Unit::Number.show(Some(0.25)), "0.25");
        assert_eq!(Unit::ReqPerS.show(Some(1800.0)), "1800 req/s");
        assert_eq!(Unit::Ms.show(Some(2.34567)), "2.346 ms");
        assert_eq!(Unit::Ms.show(None), "unbounded");
        // The same text as the results panel's availability.
        assert_eq!(Unit::Availability.show(Some(0.9999925)), "99.99925%");
        assert_eq!(Unit::Availability.show(Some(0.999)), "99.90%");
        // Not a whole number, so not written as one.
        assert_eq!(Unit::Number.show(Some(0.999_999_7)), "0.9999997");
        assert_eq!(Unit::Ms.show(Some(1e-4)), "0.0001 ms");
        assert_eq!(Unit::Seconds.show(Some(0.078_24)), "0.0782 s");
        // A rounding error of a sum is not a figure to read.
        assert_eq!(Unit::Ms.show(Some(36.000_000_657_471)), "36 ms");
    }
}
