//! The checks on geography: the scenario's own distances, and latency routing that has
//! places to compare.

use super::problem::check_number;
use super::{quote, Field, Kind, Problem, Scenario, MAX_RTT_MS};

pub(super) fn validate(s: &Scenario, out: &mut Vec<Problem>) {
    if let Some(g) = &s.geography {
        if let Some(msg) = g
            .access_ms
            .and_then(|a| check_number(a, 0.0, MAX_RTT_MS, "the last mile"))
        {
            out.push(Problem::general(Field::Access, msg));
        }
        for (i, r) in g.rtt_ms.iter().enumerate() {
            if let Some(msg) = check_number(r.ms, 0.0, MAX_RTT_MS, "a round trip") {
                out.push(Problem::general(Field::Rtt(i), msg));
            }
            if r.between[0] == r.between[1] {
                out.push(Problem::general(
                    Field::Rtt(i),
                    format!(
                        "is between {} and itself; within one place the distance is 0 (the \
                         users' last mile is access_ms)",
                        r.between[0]
                    ),
                ));
            }
        }
    }
    let routers: Vec<&super::Component> = s
        .components
        .iter()
        .filter(|c| c.kind == Kind::Dns && c.choice("routing") == "latency")
        .collect();
    if routers.is_empty() {
        return;
    }
    let places = s.places();
    let index = s.indices();
    for c in routers {
        let unplaced: Vec<String> = s
            .links
            .iter()
            .filter(|l| l.from == c.id && l.calls.is_none())
            .filter_map(|l| index.get(l.to.as_str()))
            .filter(|&&t| places[t].is_none())
            .map(|&t| format!("\"{}\"", quote(&s.components[t].id)))
            .collect();
        if !unplaced.is_empty() {
            out.push(Problem::on(
                &quote(&c.id),
                Some(Field::Param("routing".into())),
                format!(
                    "routes by latency but cannot tell how far {} is: give it a location",
                    unplaced.join(", ")
                ),
            ));
        }
    }
}
