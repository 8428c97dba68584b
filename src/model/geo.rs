//! Where things are: the built-in places users and data centres can be, the measured round
//! trips between them, and a scenario's own corrections to that table.
//!
//! The places are the ten cloud regions of one published measurement (MODEL.md §21 cites
//! it): a person who puts users "in Seoul" or "in Ireland" gets that city's measured round
//! trips to every other place, and can correct any pair in the scenario.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A place on the map: where users are, or where a data centre stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// US East, Northern Virginia.
    Virginia,
    /// US West, Northern California.
    California,
    /// US West, Oregon.
    Oregon,
    /// Europe, Ireland (Dublin).
    Ireland,
    /// Europe, Frankfurt.
    Frankfurt,
    /// Asia Pacific, Tokyo.
    Tokyo,
    /// Asia Pacific, Seoul.
    Seoul,
    /// Asia Pacific, Singapore.
    Singapore,
    /// Asia Pacific, Sydney.
    Sydney,
    /// South America, São Paulo.
    SaoPaulo,
}

/// The parameter value that means "not on the map".
pub const NOWHERE: &str = "none";

/// The `location` parameter's choices: [`NOWHERE`] first, then every [`Location`] key.
pub const LOCATION_CHOICES: [&str; 11] = [
    NOWHERE,
    "virginia",
    "california",
    "oregon",
    "ireland",
    "frankfurt",
    "tokyo",
    "seoul",
    "singapore",
    "sydney",
    "sao_paulo",
];

/// Round trips between the places, in milliseconds, in the order of [`Location::ALL`]:
/// row `i` lists the places after `i`. Average ping between AWS regions as published in
/// "Latency Between AWS Global Regions" (tabulated in MODEL.md §21); each pair is taken
/// from the row of the place listed first.
const MEASURED_MS: [&[f64]; 10] = [
    &[
        72.74, 86.98, 80.55, 88.66, 145.3, 178.4, 216.7, 230.0, 119.5,
    ],
    &[19.46, 153.2, 166.6, 102.5, 131.5, 174.0, 157.5, 192.7],
    &[137.0, 159.5, 89.1, 118.3, 161.4, 162.2, 182.7],
    &[19.56, 212.4, 242.4, 239.0, 309.6, 191.3],
    &[236.5, 266.2, 325.9, 323.5, 194.9],
    &[31.44, 73.79, 103.9, 256.8],
    &[71.87, 134.0, 286.3],
    &[175.3, 328.1],
    &[322.5],
    &[],
];

/// The last mile: the round trip between users and a data centre in their own city. The
/// scaling text this tool teaches measures 10 ms for users in Seoul reaching a server in
/// Seoul.
pub const DEFAULT_ACCESS_MS: f64 = 10.0;

/// Largest round trip a scenario may type, ms (a minute; the farthest measured pair is
/// 330 ms).
pub const MAX_RTT_MS: f64 = 60_000.0;

impl Location {
    /// Every place, in the table's order.
    pub const ALL: [Location; 10] = [
        Location::Virginia,
        Location::California,
        Location::Oregon,
        Location::Ireland,
        Location::Frankfurt,
        Location::Tokyo,
        Location::Seoul,
        Location::Singapore,
        Location::Sydney,
        Location::SaoPaulo,
    ];

    /// The key used in scenario files and parameters.
    pub fn key(self) -> &'static str {
        LOCATION_CHOICES[self.index() + 1]
    }

    /// The place for a key; `None` for [`NOWHERE`] and unknown words.
    pub fn from_key(key: &str) -> Option<Location> {
        Location::ALL.into_iter().find(|l| l.key() == key)
    }

    /// The place's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Location::Virginia => "N. Virginia",
            Location::California => "N. California",
            Location::Oregon => "Oregon",
            Location::Ireland => "Ireland",
            Location::Frankfurt => "Frankfurt",
            Location::Tokyo => "Tokyo",
            Location::Seoul => "Seoul",
            Location::Singapore => "Singapore",
            Location::Sydney => "Sydney",
            Location::SaoPaulo => "São Paulo",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The measured round trip to `other`, ms (zero to itself).
    pub fn measured_ms(self, other: Location) -> f64 {
        let (a, b) = (
            self.index().min(other.index()),
            self.index().max(other.index()),
        );
        if a == b {
            0.0
        } else {
            MEASURED_MS[a][b - a - 1]
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A scenario's corrections to the built-in distances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geography {
    /// The last mile, ms; absent means [`DEFAULT_ACCESS_MS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_ms: Option<f64>,
    /// Round trips that replace the measured ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rtt_ms: Vec<Rtt>,
}

/// One corrected round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rtt {
    /// The two places (either order).
    pub between: [Location; 2],
    /// Their round trip, ms.
    pub ms: f64,
}

impl Geography {
    /// The last mile, ms.
    pub fn access_ms(&self) -> f64 {
        self.access_ms.unwrap_or(DEFAULT_ACCESS_MS)
    }

    /// The round trip between two data centres, ms: the scenario's value for the pair, or
    /// the measured one (zero within one place).
    pub fn between_ms(&self, a: Location, b: Location) -> f64 {
        if a == b {
            return 0.0;
        }
        self.rtt_ms
            .iter()
            .rev()
            .find(|r| r.between == [a, b] || r.between == [b, a])
            .map_or_else(|| a.measured_ms(b), |r| r.ms)
    }

    /// The round trip between users at `users` and a data centre at `site`, ms: the last
    /// mile plus the distance between the places.
    pub fn users_to_ms(&self, users: Location, site: Location) -> f64 {
        self.access_ms() + self.between_ms(users, site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_the_choices() {
        for l in Location::ALL {
            assert_eq!(Location::from_key(l.key()), Some(l));
            let json = serde_json::to_string(&l).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", l.key()));
        }
        assert_eq!(Location::from_key(NOWHERE), None);
    }

    #[test]
    fn the_table_is_symmetric_and_complete() {
        for a in Location::ALL {
            assert_eq!(a.measured_ms(a), 0.0);
            for b in Location::ALL {
                assert_eq!(a.measured_ms(b), b.measured_ms(a));
                if a != b {
                    assert!(a.measured_ms(b) > 10.0, "{a} {b}");
                }
            }
        }
        // Spot checks against the published table.
        assert_eq!(Location::Seoul.measured_ms(Location::Tokyo), 31.44);
        assert_eq!(Location::Ireland.measured_ms(Location::Seoul), 242.4);
        assert_eq!(Location::SaoPaulo.measured_ms(Location::Virginia), 119.5);
    }

    #[test]
    fn a_scenario_corrects_a_pair_in_either_order() {
        let g = Geography {
            access_ms: Some(5.0),
            rtt_ms: vec![Rtt {
                between: [Location::Tokyo, Location::Seoul],
                ms: 40.0,
            }],
        };
        assert_eq!(g.between_ms(Location::Seoul, Location::Tokyo), 40.0);
        assert_eq!(g.users_to_ms(Location::Seoul, Location::Seoul), 5.0);
        assert_eq!(g.users_to_ms(Location::Seoul, Location::Tokyo), 45.0);
        assert_eq!(g.between_ms(Location::Seoul, Location::Ireland), 242.4);
    }
}
