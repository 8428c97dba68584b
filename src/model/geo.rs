//! Where things are: the built-in places users and data centres can be, the measured round
//! trips between them, and a scenario's own corrections to that table.
//!
//! The places are the sixteen cloud regions of one published measurement (MODEL.md §21
//! cites it): a person who puts users "in Seoul" or "in London" gets that city's
//! measured round trips to every other place, and can correct any pair in the scenario.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A place on the map: where users are, or where a data centre stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// US East, Northern Virginia.
    Virginia,
    /// US East, Ohio.
    Ohio,
    /// US West, Northern California.
    California,
    /// US West, Oregon.
    Oregon,
    /// Canada, Montréal.
    Montreal,
    /// Europe, Ireland (Dublin).
    Ireland,
    /// Europe, London.
    London,
    /// Europe, Paris.
    Paris,
    /// Europe, Frankfurt.
    Frankfurt,
    /// Europe, Stockholm.
    Stockholm,
    /// Asia Pacific, Mumbai.
    Mumbai,
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
pub const LOCATION_CHOICES: [&str; 17] = [
    NOWHERE,
    "virginia",
    "ohio",
    "california",
    "oregon",
    "montreal",
    "ireland",
    "london",
    "paris",
    "frankfurt",
    "stockholm",
    "mumbai",
    "tokyo",
    "seoul",
    "singapore",
    "sydney",
    "sao_paulo",
];

/// The last mile: the round trip between users and a data centre in their own city. The
/// scaling text this tool teaches measures 10 ms for users in Seoul reaching a server in
/// Seoul.
pub const DEFAULT_ACCESS_MS: f64 = 10.0;

/// Largest round trip a scenario may type, ms (a minute; the farthest measured pair is
/// 330 ms).
pub const MAX_RTT_MS: f64 = 60_000.0;

impl Location {
    /// Every place, in the menu's order: North America, Europe, Asia Pacific, then São Paulo
    /// (where format 8 had it, so the older places keep their order).
    pub const ALL: [Location; 16] = [
        Location::Virginia,
        Location::Ohio,
        Location::California,
        Location::Oregon,
        Location::Montreal,
        Location::Ireland,
        Location::London,
        Location::Paris,
        Location::Frankfurt,
        Location::Stockholm,
        Location::Mumbai,
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
            Location::Ohio => "Ohio",
            Location::California => "N. California",
            Location::Oregon => "Oregon",
            Location::Montreal => "Montréal",
            Location::Ireland => "Ireland",
            Location::London => "London",
            Location::Paris => "Paris",
            Location::Frankfurt => "Frankfurt",
            Location::Stockholm => "Stockholm",
            Location::Mumbai => "Mumbai",
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
        MEASURED_MS[self.index()][other.index()]
    }
}

/// Who a population is, for people: "in Tokyo" for a place's key, "off the map" for users
/// without one. Every report that names a population (the CLI, the populations table, the
/// comparison) says it this way.
pub fn users_at(key: &str) -> String {
    Location::from_key(key).map_or_else(|| "off the map".to_owned(), |l| format!("in {l}"))
}

/// A measured round trip between two places (either order), ms.
pub type Pair = (Location, Location, f64);

/// Every pair of the sixteen places: average ping between their AWS regions (EC2 instances
/// over VPC peering), R. Imaoka, "Using ping to test AWS VPC network latency across
/// different regions" (June 2019), cited in MODEL.md §21.
const AWS_2019: [Pair; 120] = {
    use Location::*;
    [
        (Virginia, Ohio, 12.319),
        (Virginia, California, 62.111),
        (Virginia, Oregon, 72.115),
        (Virginia, Montreal, 16.914),
        (Virginia, Ireland, 75.975),
        (Virginia, London, 76.702),
        (Virginia, Paris, 79.748),
        (Virginia, Frankfurt, 87.959),
        (Virginia, Stockholm, 107.357),
        (Virginia, Mumbai, 181.932),
        (Virginia, Tokyo, 152.693),
        (Virginia, Seoul, 176.618),
        (Virginia, Singapore, 226.586),
        (Virginia, Sydney, 198.82),
        (Virginia, SaoPaulo, 140.855),
        (Ohio, California, 51.996),
        (Ohio, Oregon, 68.087),
        (Ohio, Montreal, 26.203),
        (Ohio, Ireland, 77.896),
        (Ohio, London, 86.559),
        (Ohio, Paris, 89.567),
        (Ohio, Frankfurt, 96.971),
        (Ohio, Stockholm, 116.8),
        (Ohio, Mumbai, 195.138),
        (Ohio, Tokyo, 158.274),
        (Ohio, Seoul, 185.384),
        (Ohio, Singapore, 222.829),
        (Ohio, Sydney, 194.336),
        (Ohio, SaoPaulo, 150.637),
        (California, Oregon, 19.829),
        (California, Montreal, 78.56),
        (California, Ireland, 141.553),
        (California, London, 136.79),
        (California, Paris, 138.496),
        (California, Frankfurt, 146.286),
        (California, Stockholm, 166.903),
        (California, Mumbai, 227.668),
        (California, Tokyo, 111.731),
        (California, Seoul, 139.89),
        (California, Singapore, 175.532),
        (California, Sydney, 150.762),
        (California, SaoPaulo, 196.044),
        (Oregon, Montreal, 67.995),
        (Oregon, Ireland, 131.737),
        (Oregon, London, 137.377),
        (Oregon, Paris, 147.916),
        (Oregon, Frankfurt, 157.993),
        (Oregon, Stockholm, 165.754),
        (Oregon, Mumbai, 211.279),
        (Oregon, Tokyo, 99.467),
        (Oregon, Seoul, 127.332),
        (Oregon, Singapore, 163.188),
        (Oregon, Sydney, 137.986),
        (Oregon, SaoPaulo, 184.524),
        (Montreal, Ireland, 74.921),
        (Montreal, London, 89.175),
        (Montreal, Paris, 93.43),
        (Montreal, Frankfurt, 100.571),
        (Montreal, Stockholm, 113.971),
        (Montreal, Mumbai, 194.342),
        (Montreal, Tokyo, 156.348),
        (Montreal, Seoul, 185.495),
        (Montreal, Singapore, 220.046),
        (Montreal, Sydney, 209.585),
        (Montreal, SaoPaulo, 122.727),
        (Ireland, London, 11.327),
        (Ireland, Paris, 18.486),
        (Ireland, Frankfurt, 24.893),
        (Ireland, Stockholm, 41.463),
        (Ireland, Mumbai, 122.206),
        (Ireland, Tokyo, 217.856),
        (Ireland, Seoul, 243.391),
        (Ireland, Singapore, 175.214),
        (Ireland, Sydney, 259.148),
        (Ireland, SaoPaulo, 179.883),
        (London, Paris, 9.435),
        (London, Frankfurt, 15.277),
        (London, Stockholm, 33.295),
        (London, Mumbai, 113.049),
        (London, Tokyo, 215.736),
        (London, Seoul, 240.581),
        (London, Singapore, 166.857),
        (London, Sydney, 270.051),
        (London, SaoPaulo, 217.074),
        (Paris, Frankfurt, 11.61),
        (Paris, Stockholm, 29.117),
        (Paris, Mumbai, 106.954),
        (Paris, Tokyo, 225.934),
        (Paris, Seoul, 253.109),
        (Paris, Singapore, 165.951),
        (Paris, Sydney, 275.802),
        (Paris, SaoPaulo, 218.02),
        (Frankfurt, Stockholm, 22.49),
        (Frankfurt, Mumbai, 112.079),
        (Frankfurt, Tokyo, 231.089),
        (Frankfurt, Seoul, 264.326),
        (Frankfurt, Singapore, 170.72),
        (Frankfurt, Sydney, 283.567),
        (Frankfurt, SaoPaulo, 228.214),
        (Stockholm, Mumbai, 131.514),
        (Stockholm, Tokyo, 245.055),
        (Stockholm, Seoul, 270.692),
        (Stockholm, Singapore, 184.94),
        (Stockholm, Sydney, 301.866),
        (Stockholm, SaoPaulo, 245.18),
        (Mumbai, Tokyo, 124.042),
        (Mumbai, Seoul, 153.521),
        (Mumbai, Singapore, 54.024),
        (Mumbai, Sydney, 223.823),
        (Mumbai, SaoPaulo, 321.132),
        (Tokyo, Seoul, 34.685),
        (Tokyo, Singapore, 72.12),
        (Tokyo, Sydney, 106.454),
        (Tokyo, SaoPaulo, 273.182),
        (Seoul, Singapore, 99.221),
        (Seoul, Sydney, 134.009),
        (Seoul, SaoPaulo, 297.738),
        (Singapore, Sydney, 187.683),
        (Singapore, SaoPaulo, 340.949),
        (Sydney, SaoPaulo, 315.08),
    ]
};

/// The round trips format 8 computed with, for its ten places: "Latency Between AWS Global
/// Regions" (2017, tabulated in MODEL.md §21), each pair from the row of the place listed
/// first. Only the migration of version-8 documents reads it, so that a design saved then
/// keeps its numbers.
pub const FORMAT_8_MS: [Pair; 45] = {
    use Location::*;
    [
        (Virginia, California, 72.74),
        (Virginia, Oregon, 86.98),
        (Virginia, Ireland, 80.55),
        (Virginia, Frankfurt, 88.66),
        (Virginia, Tokyo, 145.3),
        (Virginia, Seoul, 178.4),
        (Virginia, Singapore, 216.7),
        (Virginia, Sydney, 230.0),
        (Virginia, SaoPaulo, 119.5),
        (California, Oregon, 19.46),
        (California, Ireland, 153.2),
        (California, Frankfurt, 166.6),
        (California, Tokyo, 102.5),
        (California, Seoul, 131.5),
        (California, Singapore, 174.0),
        (California, Sydney, 157.5),
        (California, SaoPaulo, 192.7),
        (Oregon, Ireland, 137.0),
        (Oregon, Frankfurt, 159.5),
        (Oregon, Tokyo, 89.1),
        (Oregon, Seoul, 118.3),
        (Oregon, Singapore, 161.4),
        (Oregon, Sydney, 162.2),
        (Oregon, SaoPaulo, 182.7),
        (Ireland, Frankfurt, 19.56),
        (Ireland, Tokyo, 212.4),
        (Ireland, Seoul, 242.4),
        (Ireland, Singapore, 239.0),
        (Ireland, Sydney, 309.6),
        (Ireland, SaoPaulo, 191.3),
        (Frankfurt, Tokyo, 236.5),
        (Frankfurt, Seoul, 266.2),
        (Frankfurt, Singapore, 325.9),
        (Frankfurt, Sydney, 323.5),
        (Frankfurt, SaoPaulo, 194.9),
        (Tokyo, Seoul, 31.44),
        (Tokyo, Singapore, 73.79),
        (Tokyo, Sydney, 103.9),
        (Tokyo, SaoPaulo, 256.8),
        (Seoul, Singapore, 71.87),
        (Seoul, Sydney, 134.0),
        (Seoul, SaoPaulo, 286.3),
        (Singapore, Sydney, 175.3),
        (Singapore, SaoPaulo, 328.1),
        (Sydney, SaoPaulo, 322.5),
    ]
};

/// [`AWS_2019`] as a matrix indexed by [`Location`], built at compile time.
const MEASURED_MS: [[f64; Location::ALL.len()]; Location::ALL.len()] = {
    let mut m = [[0.0; Location::ALL.len()]; Location::ALL.len()];
    let mut i = 0;
    while i < AWS_2019.len() {
        let (a, b, ms) = AWS_2019[i];
        m[a as usize][b as usize] = ms;
        m[b as usize][a as usize] = ms;
        i += 1;
    }
    m
};

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
                    assert!(a.measured_ms(b) > 9.0, "{a} {b}");
                }
            }
        }
        // Spot checks against the published tables.
        assert_eq!(Location::Seoul.measured_ms(Location::Tokyo), 34.685);
        assert_eq!(Location::Seoul.measured_ms(Location::London), 240.581);
        assert_eq!(Location::Paris.measured_ms(Location::London), 9.435);
        assert_eq!(Location::Ireland.measured_ms(Location::Seoul), 243.391);
        assert_eq!(Location::SaoPaulo.measured_ms(Location::Virginia), 140.855);
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
        assert_eq!(g.between_ms(Location::Seoul, Location::Ireland), 243.391);
    }
}
