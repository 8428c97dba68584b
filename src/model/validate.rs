//! Validation: every problem of a scenario at once, each naming where it is and what to do.

use super::component::check_position;
use super::problem::check_number;
use super::{
    quote, show, Breaker, BreakerField, Class, Field, Kind, LinkField, ParamValue, Problem,
    Problems, Scenario, TrafficField, VERSION,
};
use foldhash::{HashSet, HashSetExt};

/// Most components a scenario may have. Large enough for the 10 000-component benchmark,
/// small enough that a hostile link cannot make the page build a huge graph.
pub const MAX_COMPONENTS: usize = 20_000;
/// Most links a scenario may have.
pub const MAX_LINKS: usize = 100_000;
/// Longest id, in characters.
pub const MAX_ID_LEN: usize = 64;
/// Longest label or name, in characters.
pub const MAX_LABEL_LEN: usize = 200;
/// Largest request rate accepted, per second.
pub const MAX_RPS: f64 = 1e9;
/// Largest closed population accepted: a hundred million concurrent users (solved in the
/// same time as a thousand, by Bard–Schweitzer).
pub const MAX_USERS_CONCURRENT: f64 = 1e8;

impl Scenario {
    /// Checks everything a solve relies on; returns every problem found, not just the first.
    ///
    /// # Errors
    /// Every problem, each naming its field and what to do.
    pub fn validate(&self) -> Result<(), Problems> {
        validate(self)
    }
}

fn validate(s: &Scenario) -> Result<(), Problems> {
    let mut out = Vec::new();
    if s.version != VERSION {
        out.push(Problem::general(
            Field::Version,
            format!(
                "this build reads version {VERSION}, the scenario says {}",
                s.version
            ),
        ));
    }
    if s.name.chars().count() > MAX_LABEL_LEN {
        out.push(Problem::general(
            Field::Name,
            format!("is longer than {MAX_LABEL_LEN} characters"),
        ));
    }
    traffic(s, &mut out);
    components(s, &mut out);
    super::validate_simulation::validate(s, &mut out);
    links(s, &mut out);
    super::validate_geo::validate(s, &mut out);
    for (id, failure) in &s.failed {
        let Some(c) = s.component(id) else {
            out.push(Problem::general(
                Field::Failed,
                format!("\"{}\" is marked failed but is not a component", quote(id)),
            ));
            continue;
        };
        if c.kind == Kind::Client {
            out.push(Problem::on(
                &quote(id),
                Some(Field::Failed),
                "a client cannot be failed".into(),
            ));
        }
        if let Some(lost) = failure.lost {
            let instances = c.num("instances").max(1.0) as u64;
            if lost == 0 || lost > instances {
                out.push(Problem::on(
                    &quote(id),
                    Some(Field::FailedLost),
                    format!("can lose 1 to {instances} instances, not {lost}"),
                ));
            }
        }
    }
    for (kind, price) in &s.prices {
        if let Some(msg) = check_number(*price, 0.0, 1e9, "a monthly price") {
            out.push(Problem::general(Field::Price(*kind), msg));
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(Problems(out))
    }
}

fn traffic(s: &Scenario, out: &mut Vec<Problem>) {
    let t = &s.traffic;
    let forms = [
        t.rps.is_some(),
        t.users.is_some(),
        t.users_concurrent.is_some(),
    ];
    if forms.iter().filter(|&&f| f).count() > 1 {
        out.push(Problem::general(
            Field::Traffic(TrafficField::Whole),
            "give one of rps, users or users_concurrent, not several".into(),
        ));
        return;
    }
    if t.think_time_s.is_some() && t.users_concurrent.is_none() {
        out.push(Problem::general(
            Field::Traffic(TrafficField::ThinkTime),
            "only goes with a closed population (users_concurrent)".into(),
        ));
    }
    if let Some(n) = t.users_concurrent {
        if let Some(msg) = check_number(n, 1.0, MAX_USERS_CONCURRENT, "concurrent users") {
            out.push(Problem::general(
                Field::Traffic(TrafficField::UsersConcurrent),
                msg,
            ));
        } else if n.fract() != 0.0 {
            out.push(Problem::general(
                Field::Traffic(TrafficField::UsersConcurrent),
                format!("must be a whole number of users, got {n}"),
            ));
        }
        if let Some(msg) = check_number(t.think_time_s.unwrap_or(0.0), 0.0, 86_400.0, "seconds") {
            out.push(Problem::general(
                Field::Traffic(TrafficField::ThinkTime),
                msg,
            ));
        }
        return;
    }
    match (&t.rps, &t.users) {
        (Some(_), Some(_)) => {}
        (None, None) => out.push(Problem::general(
            Field::Traffic(TrafficField::Whole),
            "give the load as rps (requests per second), as users, or as concurrent users".into(),
        )),
        (Some(rps), None) => {
            if let Some(msg) = check_number(*rps, 0.0, MAX_RPS, "requests per second") {
                out.push(Problem::general(Field::Traffic(TrafficField::Rps), msg));
            }
        }
        (None, Some(u)) => {
            for (field, value, max) in [
                (TrafficField::DailyActive, u.daily_active, 1e10),
                (
                    TrafficField::RequestsPerUserPerDay,
                    u.requests_per_user_per_day,
                    1e6,
                ),
                (TrafficField::PeakFactor, u.peak_factor, 1000.0),
            ] {
                if let Some(msg) = check_number(value, 0.0, max, "the value") {
                    out.push(Problem::general(Field::Traffic(field), msg));
                }
            }
            if out.is_empty() && t.peak_rps() > MAX_RPS {
                out.push(Problem::general(
                    Field::Traffic(TrafficField::Users),
                    format!("gives more than {MAX_RPS} requests per second"),
                ));
            }
        }
    }
    let mut shares_ok = true;
    for (field, v) in [
        (Class::Read, t.read),
        (Class::Write, t.write),
        (Class::Static, t.static_share),
    ] {
        if let Some(msg) = check_number(v, 0.0, 1.0, "a share") {
            out.push(Problem::general(
                Field::Traffic(TrafficField::Share(field)),
                msg,
            ));
            shares_ok = false;
        }
    }
    for (field, value, min, max, what) in [
        (TrafficField::Keys, t.keys, 1.0, 1e12, "the key space"),
        (
            TrafficField::ZipfS,
            t.zipf_s,
            0.0,
            5.0,
            "the popularity skew",
        ),
        (
            TrafficField::ObjectKb,
            t.object_kb,
            0.001,
            1e7,
            "the object size",
        ),
    ] {
        if let Some(msg) = value.and_then(|v| check_number(v, min, max, what)) {
            out.push(Problem::general(Field::Traffic(field), msg));
        }
    }
    let sum = t.read + t.write + t.static_share;
    if shares_ok && (sum - 1.0).abs() > 1e-6 {
        out.push(Problem::general(
            Field::Traffic(TrafficField::Whole),
            format!("read + write + static shares must add up to 1, they add up to {sum}"),
        ));
    }
}

fn components(s: &Scenario, out: &mut Vec<Problem>) {
    if s.components.len() > MAX_COMPONENTS {
        out.push(Problem::general(
            Field::Components,
            format!(
                "{} components is more than the limit of {MAX_COMPONENTS}",
                s.components.len()
            ),
        ));
        return;
    }
    let mut seen = HashSet::with_capacity(s.components.len());
    for (i, c) in s.components.iter().enumerate() {
        // Quoted only when a problem names it.
        let id = || quote(&c.id);
        if c.id.trim().is_empty() {
            out.push(Problem::general(
                Field::ComponentAt(i),
                "is empty; every component needs an id".into(),
            ));
        } else if c.id.chars().count() > MAX_ID_LEN {
            out.push(Problem::on(
                &id(),
                Some(Field::Id),
                format!("is longer than {MAX_ID_LEN} characters"),
            ));
        } else if !seen.insert(c.id.as_str()) {
            out.push(Problem::on(
                &id(),
                Some(Field::Id),
                "is used by more than one component".into(),
            ));
        }
        if c.label.chars().count() > MAX_LABEL_LEN {
            out.push(Problem::on(
                &id(),
                Some(Field::Label),
                format!("is longer than {MAX_LABEL_LEN} characters"),
            ));
        }
        for (field, v) in [(Field::X, c.x), (Field::Y, c.y)] {
            if let Some(msg) = check_position(v) {
                out.push(Problem::on(&id(), Some(field), msg));
            }
        }
        for (key, value) in &c.params {
            let Some(spec) = c.kind.param(key) else {
                let known: Vec<_> = c.kind.params().iter().map(|p| p.key).collect();
                out.push(Problem::on(
                    &id(),
                    Some(Field::Param(quote(key))),
                    format!(
                        "is not a parameter of a {}; it has: {}",
                        c.kind.name(),
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
                continue;
            };
            if let Err(e) = spec.check(value) {
                out.push(Problem::on(
                    &id(),
                    Some(Field::Param(spec.key.into())),
                    e.to_string(),
                ));
            }
        }
        if c.params.contains_key("queue_capacity") && c.params.contains_key("max_wait_ms") {
            out.push(Problem::on(
                &id(),
                Some(Field::Param("max_wait_ms".into())),
                "Shed after and Queue limit cannot both be set: shed by waiting time or by \
                 queue length, not both"
                    .into(),
            ));
        }
        let sized = ["capacity_keys", "ttl_s"]
            .into_iter()
            .find(|k| c.params.contains_key(*k) && c.kind.param(k).is_some());
        if let (Some(key), None) = (sized, s.traffic.keys) {
            out.push(Problem::on(
                &id(),
                Some(Field::Param(key.into())),
                format!(
                    "{} needs the traffic's key space to compute a hit ratio: set the \
                     number of keys in the traffic, or clear it to use the typed hit ratio",
                    c.kind.param(key).map_or(key, |p| p.label)
                ),
            ));
        }
        if let (Some(ParamValue::Number(min)), Some(max)) = (
            c.params.get("autoscale_min"),
            c.opt_num("autoscale_max").filter(|_| c.kind.autoscales()),
        ) {
            if min > &max {
                out.push(Problem::on(
                    &id(),
                    Some(Field::Param("autoscale_min".into())),
                    format!(
                        "Fewest instances ({}) is more than Most instances ({})",
                        show(*min),
                        show(max)
                    ),
                ));
            }
        }
    }
}

fn links(s: &Scenario, out: &mut Vec<Problem>) {
    if s.links.len() > MAX_LINKS {
        out.push(Problem::general(
            Field::Links,
            format!(
                "{} links is more than the limit of {MAX_LINKS}",
                s.links.len()
            ),
        ));
        return;
    }
    let by_id: foldhash::HashMap<&str, &super::Component> =
        s.components.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut pairs = HashSet::with_capacity(s.links.len());
    for (i, l) in s.links.iter().enumerate() {
        let at = |part| Field::Link(i, part);
        let (from, to) = (|| quote(&l.from), || quote(&l.to));
        let from_component = by_id.get(l.from.as_str()).copied();
        let from_kind = from_component.map(|c| c.kind);
        let to_kind = by_id.get(l.to.as_str()).map(|c| c.kind);
        if from_kind.is_none() {
            out.push(Problem::general(
                at(LinkField::Ends),
                format!("starts at \"{}\", which is not a component", from()),
            ));
        }
        if to_kind.is_none() {
            out.push(Problem::general(
                at(LinkField::Ends),
                format!("ends at \"{}\", which is not a component", to()),
            ));
        }
        if l.from == l.to {
            out.push(Problem::general(
                at(LinkField::Ends),
                format!("connects \"{}\" to itself", from()),
            ));
        }
        if let Some(k) = to_kind.filter(|k| !k.accepts_input()) {
            out.push(Problem::general(
                at(LinkField::Ends),
                if k.sends() {
                    format!("a {} only sends traffic; it cannot receive it", k.name())
                } else {
                    format!(
                        "{} watches the system; no request goes through it",
                        k.name()
                    )
                },
            ));
        }
        if let Some(k) = from_kind.filter(|k| !k.sends()) {
            out.push(Problem::general(
                at(LinkField::Ends),
                format!("{} watches the system; it sends no requests", k.name()),
            ));
        }
        if !pairs.insert((l.from.as_str(), l.to.as_str())) {
            out.push(Problem::general(
                at(LinkField::Ends),
                format!("\"{}\" → \"{}\" is linked twice", from(), to()),
            ));
        }
        if let Some(msg) = l
            .weight
            .and_then(|w| check_number(w, 1e-9, 1e6, "the weight"))
        {
            out.push(Problem::general(at(LinkField::Weight), msg));
        }
        if let Some(msg) = l
            .calls
            .and_then(|c| check_number(c, 1e-9, 100.0, "calls per request"))
        {
            out.push(Problem::general(at(LinkField::Calls), msg));
        }
        if let Some(msg) = l
            .timeout_ms
            .and_then(|t| check_number(t, 0.001, 3_600_000.0, "the call timeout"))
        {
            out.push(Problem::general(at(LinkField::Timeout), msg));
        }
        if l.calls.is_none() && (l.timeout_ms.is_some() || l.breaker.is_some()) {
            // A hand-off has nobody waiting for an answer: nothing to time out or trip.
            let field = if l.timeout_ms.is_some() {
                LinkField::Timeout
            } else {
                LinkField::Breaker(BreakerField::ErrorThreshold)
            };
            out.push(Problem::general(
                at(field),
                "needs a synchronous call: set calls per request on this link, so the sender \
                 waits for the answer"
                    .into(),
            ));
        }
        for (f, msg) in l.breaker.iter().flat_map(Breaker::problems) {
            out.push(Problem::general(at(LinkField::Breaker(f)), msg));
        }
        let distinct = crate::sort::set(&l.classes);
        if distinct.len() != l.classes.len() {
            out.push(Problem::general(
                at(LinkField::Classes),
                "names a class twice".into(),
            ));
        }
        if let Some(c) = from_component {
            if c.kind == Kind::LoadBalancer && c.choice("layer") == "l4" && !l.classes.is_empty() {
                out.push(Problem::on(
                    &from(),
                    Some(Field::Param("layer".into())),
                    "an L4 load balancer cannot route by request class; make it L7 or \
                     let the link carry every class"
                        .into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Link, Traffic};

    fn base() -> Scenario {
        let mut s = Scenario::new("t", Traffic::rps(100.0, 0.8, 0.2, 0.0));
        s.components
            .push(Component::new("c", Kind::Client, "Users", 0.0, 0.0));
        s.components
            .push(Component::new("a", Kind::AppServer, "App", 0.0, 0.0));
        s.links.push(Link::new("c", "a"));
        s
    }

    #[test]
    fn a_valid_scenario_passes() {
        assert_eq!(base().validate(), Ok(()));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut s = base();
        s.components[1] = s.components[1].clone().with("instances", 0.0);
        s.traffic.read = 0.9;
        s.links.push(Link::new("a", "c"));
        let problems = s.validate().unwrap_err().0;
        assert_eq!(problems.len(), 3, "{problems:?}");
        let text = Problems(problems).to_string();
        assert!(text.contains("component \"a\", instances: Instances must be between 1"));
        assert!(text.contains("add up to 1"));
        assert!(text.contains("cannot receive"));
    }

    #[test]
    fn non_finite_and_fractional_values_are_refused() {
        let mut s = base();
        s.components[1] = s.components[1]
            .clone()
            .with("service_time_ms", f64::NAN)
            .with("concurrency", 2.5);
        let text = s.validate().unwrap_err().to_string();
        assert!(text.contains("finite"), "{text}");
        assert!(text.contains("whole number"), "{text}");
    }

    #[test]
    fn unknown_parameter_lists_the_known_ones() {
        let mut s = base();
        s.components[1] = s.components[1].clone().with("hit_ratio", 0.5);
        let text = s.validate().unwrap_err().to_string();
        assert!(
            text.contains("is not a parameter of a App servers"),
            "{text}"
        );
        assert!(text.contains("service_time_ms"), "{text}");
    }

    #[test]
    fn l4_balancer_cannot_route_by_class() {
        let mut s = base();
        s.components.push(
            Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0).with_choice("layer", "l4"),
        );
        s.links
            .push(Link::new("lb", "a").only(&[crate::model::Class::Read]));
        let text = s.validate().unwrap_err().to_string();
        assert!(text.contains("L4 load balancer"), "{text}");
    }

    #[test]
    fn long_user_text_is_shortened_in_messages() {
        let mut s = base();
        s.links.push(Link::new("x".repeat(10_000), "a"));
        let text = s.validate().unwrap_err().to_string();
        assert!(text.len() < 300, "{}", text.len());
    }
}
