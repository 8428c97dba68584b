//! The offered load: a rate or a user count, split into request classes.

use serde::{Deserialize, Serialize};

/// Request classes. Links may carry only some of them (an L7 balancer or an app server
/// sending reads to a replica and writes to the primary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Reads of dynamic data (cacheable, can go to replicas).
    Read,
    /// Writes (must reach the primary or the owning shard).
    Write,
    /// Static assets (images, scripts; served by a CDN or object storage).
    Static,
}

impl Class {
    /// All classes, in report order.
    pub const ALL: [Class; 3] = [Class::Read, Class::Write, Class::Static];

    /// Index into per-class arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The class's name in scenario files.
    pub fn key(self) -> &'static str {
        match self {
            Class::Read => "read",
            Class::Write => "write",
            Class::Static => "static",
        }
    }
}

/// Offered load, either as requests per second or derived from a user count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Peak requests per second offered by all clients together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rps: Option<f64>,
    /// Alternative to `rps`: users and habits, converted to a peak rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Users>,
    /// Alternative to both: a closed population of this many users, each sending one
    /// request, waiting for its answer, then thinking for `think_time_s` before the next.
    /// The rate is an outcome (solved by Mean Value Analysis), not an input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_concurrent: Option<f64>,
    /// Think time between an answer and the same user's next request, seconds (only with
    /// `users_concurrent`; `None`: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub think_time_s: Option<f64>,
    /// Share of reads.
    pub read: f64,
    /// Share of writes.
    pub write: f64,
    /// Share of static-asset requests.
    #[serde(rename = "static")]
    pub static_share: f64,
    /// Distinct keys the requests ask for (the key space caches are sized against); `None`:
    /// no workload model, caches use their typed hit ratios.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<f64>,
    /// Popularity skew of the keys: the key of rank i is asked for in proportion to i^−s
    /// (0: uniform). `None`: 0.8, within the 0.64–0.83 Breslau et al. (1999) measured for
    /// web requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zipf_s: Option<f64>,
    /// Mean size of one cached object, kilobytes (for the memory a cache size takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_kb: Option<f64>,
}

/// The skew a key space has when none is given.
pub const DEFAULT_ZIPF_S: f64 = 0.8;

/// A user-count description of traffic: `peak rps = users × requests per user per day ÷
/// 86 400 × peak factor` (the day's average rate, raised to the busiest hour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Users {
    /// Daily active users.
    pub daily_active: f64,
    /// Requests one user makes per day.
    pub requests_per_user_per_day: f64,
    /// Peak-hour rate divided by the day's average rate.
    pub peak_factor: f64,
}

/// Seconds in a day, for the user-count conversion.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

impl Traffic {
    /// A rate in requests per second with the given read / write / static shares.
    pub fn rps(rps: f64, read: f64, write: f64, static_share: f64) -> Traffic {
        Traffic {
            rps: Some(rps),
            users: None,
            users_concurrent: None,
            think_time_s: None,
            read,
            write,
            static_share,
            keys: None,
            zipf_s: None,
            object_kb: None,
        }
    }

    /// A closed population of `users` concurrent users thinking `think_time_s` between
    /// requests.
    pub fn closed(
        users: f64,
        think_time_s: f64,
        read: f64,
        write: f64,
        static_share: f64,
    ) -> Traffic {
        Traffic {
            rps: None,
            users_concurrent: Some(users),
            think_time_s: Some(think_time_s),
            ..Traffic::rps(0.0, read, write, static_share)
        }
    }

    /// The closed population, if the traffic is one: users and think time, seconds.
    pub fn population(&self) -> Option<(f64, f64)> {
        self.users_concurrent
            .map(|n| (n, self.think_time_s.unwrap_or(0.0)))
    }

    /// The peak request rate this traffic describes (0 when neither open form is given: a
    /// closed population's rate is an outcome of the solve).
    pub fn peak_rps(&self) -> f64 {
        match (&self.rps, &self.users) {
            (Some(rps), _) => *rps,
            (None, Some(u)) => {
                u.daily_active * u.requests_per_user_per_day / SECONDS_PER_DAY * u.peak_factor
            }
            (None, None) => 0.0,
        }
    }

    /// The same mix as an open rate of exactly `rps` requests per second, replacing a
    /// user-count description or a closed population (whose solved rate it may be).
    pub fn open_at(&self, rps: f64) -> Traffic {
        Traffic {
            rps: Some(rps),
            users: None,
            users_concurrent: None,
            think_time_s: None,
            ..self.clone()
        }
    }

    /// The same traffic `factor` times as heavy, in its own terms: a rate times `factor`
    /// (rounded as [`Traffic::with_rps`] rounds), a user count's daily users, or a closed
    /// population's users (their think time kept). A population stays a population.
    pub fn scaled(&self, factor: f64) -> Traffic {
        let mut t = self.clone();
        if let Some(n) = t.users_concurrent.as_mut() {
            *n *= factor;
        } else if let (None, Some(u)) = (t.rps, t.users.as_mut()) {
            u.daily_active *= factor;
        } else {
            return self.with_rps(self.peak_rps() * factor);
        }
        t
    }

    /// The same traffic at `rps` requests per second (rounded to a thousandth, as the editor
    /// shows it), replacing a user-count description.
    pub fn with_rps(&self, rps: f64) -> Traffic {
        Traffic {
            rps: Some(shown_rps(rps)),
            users: None,
            users_concurrent: None,
            think_time_s: None,
            ..self.clone()
        }
    }

    /// The mix with `class` set to `share` (clamped to 0–1). The shares must still add up to
    /// 1, so another class gives way: the one that is neither `class` nor `keep` (the share
    /// the person edited before, which stays as typed while it fits), or, with no `keep`,
    /// the other two in proportion.
    pub fn with_share(&self, class: Class, share: f64, keep: Option<Class>) -> Traffic {
        let share = share.clamp(0.0, 1.0);
        let mut shares = self.shares();
        let i = class.index();
        shares[i] = share;
        let rest = 1.0 - share;
        match keep.filter(|k| *k != class) {
            Some(k) => {
                let k = k.index();
                let free = 3 - i - k;
                shares[k] = shares[k].min(rest);
                shares[free] = rest - shares[k];
            }
            None => {
                let others: f64 = (0..3).filter(|&j| j != i).map(|j| self.shares()[j]).sum();
                for j in (0..3).filter(|&j| j != i) {
                    shares[j] = if others > 0.0 {
                        self.shares()[j] / others * rest
                    } else {
                        rest / 2.0
                    };
                }
            }
        }
        Traffic {
            read: shares[0],
            write: shares[1],
            static_share: shares[2],
            ..self.clone()
        }
    }

    /// The class shares as an array indexed by [`Class::index`].
    pub fn shares(&self) -> [f64; 3] {
        [self.read, self.write, self.static_share]
    }
}

/// A rate as the traffic field shows and keeps it: to a thousandth (a rate from a user
/// count has endless decimals), unless that would change it into something else, 1e308
/// into infinity or 0.0001 into 0; validation then judges the rate as typed.
pub fn shown_rps(rps: f64) -> f64 {
    let rounded = (rps * 1000.0).round() / 1000.0;
    if rounded.is_finite() && (rounded != 0.0 || rps == 0.0) {
        rounded
    } else {
        rps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_share_keeps_the_one_edited_before() {
        let t = Traffic::rps(1.0, 0.8, 0.2, 0.0);
        let t = t.with_share(Class::Read, 0.7, None);
        assert!((t.write - 0.3).abs() < 1e-12 && t.static_share == 0.0);
        // Read was edited last: typing Static 10 takes it from write, not from read.
        let t = t.with_share(Class::Static, 0.1, Some(Class::Read));
        assert!((t.read - 0.7).abs() < 1e-12, "{t:?}");
        assert!((t.write - 0.2).abs() < 1e-12, "{t:?}");
        assert!((t.static_share - 0.1).abs() < 1e-12, "{t:?}");
        // When the kept share no longer fits, it shrinks to what is left.
        let t = t.with_share(Class::Write, 0.9, Some(Class::Read));
        assert!(
            (t.read - 0.1).abs() < 1e-12 && t.static_share.abs() < 1e-12,
            "{t:?}"
        );
        assert!((t.read + t.write + t.static_share - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_rate_keeps_its_thousandth_but_never_becomes_another_number() {
        assert_eq!(shown_rps(1_041.666_666), 1041.667);
        assert_eq!(shown_rps(0.0001), 0.0001);
        assert_eq!(shown_rps(1e308), 1e308);
        assert_eq!(shown_rps(0.0), 0.0);
    }
}
