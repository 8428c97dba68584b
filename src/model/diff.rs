//! What changed between two designs, in words: components added, removed or replaced,
//! every parameter whose value in effect differs, the traffic offered, the links, prices
//! and what-if failures. The journey lists it under each lesson and the baseline beside its
//! figures, so a number never moves for a reason the reader is not told.

use super::{show, Component, Failure, Geography, Link, ParamSpec, ParamType, Scenario, Traffic};
use std::fmt;

/// One difference between two designs.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A component only the second design has.
    Added {
        /// Its name.
        name: String,
        /// Its kind's name.
        kind: &'static str,
    },
    /// A component only the first design has.
    Removed {
        /// Its name.
        name: String,
    },
    /// The same id, another kind.
    Replaced {
        /// Its name in the second design.
        name: String,
        /// The old kind's name.
        from: &'static str,
        /// The new kind's name.
        to: &'static str,
    },
    /// A parameter's value in effect changed.
    Param {
        /// The component's name in the second design.
        name: String,
        /// The parameter's key.
        key: &'static str,
        /// The parameter's label.
        label: &'static str,
        /// Its value before, as shown.
        from: String,
        /// Its value after, as shown.
        to: String,
    },
    /// Anything else that changed: the traffic or its mix, a link, a price, a what-if
    /// failure ("traffic", "link Users → LB", "App server 2").
    Setting {
        /// What changed, in words.
        what: String,
        /// Before, as shown ("none" or "no link" when it was absent).
        from: String,
        /// After, as shown ("none" or "no link" when it is absent).
        to: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { name, kind } => write!(f, "added {name} ({kind})"),
            Change::Removed { name } => write!(f, "removed {name}"),
            Change::Replaced { name, from, to } => write!(f, "{name}: {from} → {to}"),
            Change::Param {
                name,
                label,
                from,
                to,
                ..
            } => write!(f, "{name}: {} {from} → {to}", label.to_lowercase()),
            Change::Setting { what, from, to } => write!(f, "{what}: {from} → {to}"),
        }
    }
}

/// The value of `key` in effect on `c`, as shown ("unset" when it has none).
fn value(c: &Component, spec: &ParamSpec) -> String {
    match spec.ty {
        ParamType::Choice(_) => spec.choice_text(c.choice(spec.key)),
        ParamType::Number { .. } => c.opt_num(spec.key).map_or("unset".to_owned(), show),
    }
}

/// Every difference from `before` to `after`, in `after`'s component order, removals last.
pub fn changes(before: &Scenario, after: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    for b in &after.components {
        let name = b.display_name().to_owned();
        let Some(a) = before.component(&b.id) else {
            out.push(Change::Added {
                name,
                kind: b.kind.name(),
            });
            continue;
        };
        if a.kind != b.kind {
            out.push(Change::Replaced {
                name: name.clone(),
                from: a.kind.name(),
                to: b.kind.name(),
            });
            // Settings the new kind does not have, that the old one had set.
            for spec in a.kind.params() {
                let gone = !b.kind.params().iter().any(|s| s.key == spec.key);
                if gone && a.params.contains_key(spec.key) {
                    out.push(Change::Param {
                        name: name.clone(),
                        key: spec.key,
                        label: spec.label,
                        from: value(a, spec),
                        to: format!("none (not a setting of {})", b.kind.name()),
                    });
                }
            }
        }
        for spec in b.kind.params() {
            // A setting the old kind does not have had no value.
            let had = a.kind.params().iter().any(|s| s.key == spec.key);
            let from = if had {
                value(a, spec)
            } else {
                "none".to_owned()
            };
            let to = value(b, spec);
            if from != to {
                out.push(Change::Param {
                    name: name.clone(),
                    key: spec.key,
                    label: spec.label,
                    from,
                    to,
                });
            }
        }
    }
    for a in &before.components {
        if after.component(&a.id).is_none() {
            out.push(Change::Removed {
                name: a.display_name().to_owned(),
            });
        }
    }
    out.extend(settings(before, after));
    out
}

/// Changes outside the components: traffic, links, prices, what-if failures and the
/// distances between places, each told as "what: before → after".
fn settings(before: &Scenario, after: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |what: String, from: Option<String>, to: Option<String>| {
        if from != to {
            let none = || "none".to_owned();
            out.push(Change::Setting {
                what,
                from: from.unwrap_or_else(none),
                to: to.unwrap_or_else(none),
            });
        }
    };
    for ((what, from), (_, to)) in traffic(&before.traffic)
        .into_iter()
        .zip(traffic(&after.traffic))
    {
        push(what.to_owned(), from, to);
    }
    // A link is told by its ends; one that is not there reads "no link".
    let find = |s: &Scenario, l: &Link| {
        s.links
            .iter()
            .find(|m| m.from == l.from && m.to == l.to)
            .map(link)
    };
    let shown = |s: &Scenario, l: &Link| Some(find(s, l).unwrap_or_else(|| "no link".to_owned()));
    let what =
        |s: &Scenario, l: &Link| format!("link {} → {}", s.name_of(&l.from), s.name_of(&l.to));
    for l in &after.links {
        push(what(after, l), shown(before, l), shown(after, l));
    }
    for l in before.links.iter().filter(|l| find(after, l).is_none()) {
        push(what(before, l), shown(before, l), shown(after, l));
    }
    let price = |s: &Scenario, kind| s.prices.get(kind).map(|p: &f64| format!("${}", show(*p)));
    let kinds = after.prices.keys().chain(
        before
            .prices
            .keys()
            .filter(|k| !after.prices.contains_key(k)),
    );
    for kind in kinds {
        push(
            format!("price of one {}", kind.name()),
            price(before, kind),
            price(after, kind),
        );
    }
    let state =
        |s: &Scenario, id: &str| Some(s.failed.get(id).map_or("up".to_owned(), |f| down(*f)));
    let ids = after.failed.keys().chain(
        before
            .failed
            .keys()
            .filter(|id| !after.failed.contains_key(*id)),
    );
    for id in ids {
        push(
            after.name_of(id).to_owned(),
            state(before, id),
            state(after, id),
        );
    }
    push(
        "distances between places".to_owned(),
        before.geography.as_ref().map(corrections),
        after.geography.as_ref().map(corrections),
    );
    out
}

/// A geography's corrections as shown: the last mile, then each round trip.
fn corrections(g: &Geography) -> String {
    let access = g.access_ms.map(|ms| format!("last mile {} ms", show(ms)));
    let trips = g
        .rtt_ms
        .iter()
        .map(|r| format!("{}–{} {} ms", r.between[0], r.between[1], show(r.ms)));
    let all: Vec<String> = access.into_iter().chain(trips).collect();
    if all.is_empty() {
        "measured".to_owned()
    } else {
        all.join(", ")
    }
}

/// The traffic's settings as shown, labelled, in a fixed order (`None`: not set).
fn traffic(t: &Traffic) -> [(&'static str, Option<String>); 5] {
    let offered = match (t.population(), &t.users) {
        (Some((n, think)), _) => format!("{} users, {} s think", show(n), show(think)),
        (None, Some(u)) => format!(
            "{} users × {} requests a day × {} at peak",
            show(u.daily_active),
            show(u.requests_per_user_per_day),
            show(u.peak_factor)
        ),
        (None, None) => format!("{} req/s", show(t.peak_rps())),
    };
    let pct = |x: f64| show((x * 1000.0).round() / 10.0);
    [
        ("traffic", Some(offered)),
        (
            "mix (read/write/static %)",
            Some(format!(
                "{}/{}/{}",
                pct(t.read),
                pct(t.write),
                pct(t.static_share)
            )),
        ),
        ("key space", t.keys.map(show)),
        ("Zipf skew", t.zipf_s.map(show)),
        ("object size (KB)", t.object_kb.map(show)),
    ]
}

/// A link's settings as shown: its classes, weight, calls, timeout and breaker.
fn link(l: &Link) -> String {
    let mut parts = vec![l
        .classes_label()
        .unwrap_or_else(|| "all classes".to_owned())];
    if let Some(w) = l.weight {
        parts.push(format!("weight {}", show(w)));
    }
    if let Some(c) = l.calls {
        let s = if c == 1.0 { "" } else { "s" };
        parts.push(format!("{} call{s} per request", show(c)));
    }
    if let Some(t) = l.timeout_ms {
        parts.push(format!("timeout {} ms", show(t)));
    }
    if let Some(b) = &l.breaker {
        parts.push(format!(
            "breaker at {} % over {} s (min {}, open {} s, {} probes)",
            show(b.error_threshold * 100.0),
            show(b.window_s),
            b.min_requests,
            show(b.open_s),
            b.half_open_probes
        ));
    }
    parts.join(", ")
}

/// A what-if failure as shown.
fn down(f: Failure) -> String {
    match f.lost {
        None => "failed".to_owned(),
        Some(n) => format!("{n} instance{} lost", if n == 1 { "" } else { "s" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Kind};

    fn said(before: &Scenario, after: &Scenario) -> Vec<String> {
        changes(before, after)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn traffic_links_prices_and_failures_are_told_as_components_are() {
        let before = crate::presets::starter();
        assert!(said(&before, &before).is_empty());

        let mut after = before.clone();
        after.traffic = after.traffic.with_rps(300.0);
        after.traffic = after.traffic.with_share(Class::Write, 0.5, None);
        assert_eq!(
            said(&before, &after),
            [
                "traffic: 200 req/s → 300 req/s",
                "mix (read/write/static %): 80/20/0 → 50/50/0"
            ]
        );

        let mut after = before.clone();
        after.links.retain(|l| l.to != "app-2");
        after.links[0] = after.links[0].clone().only(&[Class::Read]);
        after.failed.insert("db".to_owned(), Failure::lose(1));
        after.prices.insert(Kind::Database, 500.0);
        assert_eq!(
            said(&before, &after),
            [
                "link Users → Load balancer: all classes → read",
                "link Load balancer → App server 2: all classes → no link",
                "price of one DB primary: none → $500",
                "Database: up → 1 instance lost"
            ]
        );

        // A call count reads as calls per request, in the singular for one.
        let mut after = before.clone();
        after.links[2].calls = Some(1.0);
        after.links[3].calls = Some(2.0);
        let told = said(&before, &after);
        assert!(
            told[0].ends_with("all classes → all classes, 1 call per request"),
            "{told:?}"
        );
        assert!(
            told[1].ends_with("all classes → all classes, 2 calls per request"),
            "{told:?}"
        );

        // Distances: told by value, so two corrections of one pair differ.
        let at = |ms: Option<f64>| {
            let mut s = before.clone();
            s.geography = ms.map(|ms| Geography {
                access_ms: Some(ms),
                rtt_ms: Vec::new(),
            });
            s
        };
        assert_eq!(
            said(&before, &at(Some(30.0))),
            ["distances between places: none → last mile 30 ms"]
        );
        assert_eq!(
            said(&at(Some(30.0)), &at(Some(40.0))),
            ["distances between places: last mile 30 ms → last mile 40 ms"]
        );
    }

    #[test]
    fn a_component_replaced_by_another_kind_lists_its_settings_too() {
        // Stage 10 turns the primary into a group of shards: its instances, connections,
        // shards and strategy are listed, and the failover it loses.
        let stages = crate::presets::journey();
        let at = |key: &str| {
            let st = stages.iter().find(|s| s.key == key).expect("a stage");
            (st.build)()
        };
        let listed: Vec<String> = changes(&at("message-queue"), &at("sharding"))
            .iter()
            .map(ToString::to_string)
            .collect();
        let db: Vec<&String> = listed.iter().filter(|c| c.starts_with("Shards:")).collect();
        assert!(
            db.contains(&&"Shards: strategy none → consistent".to_owned()),
            "{db:?}"
        );
        assert!(
            db.iter()
                .any(|c| c == &"Shards: failover time 30 → none (not a setting of Shards)"),
            "{db:?}"
        );
    }
}
