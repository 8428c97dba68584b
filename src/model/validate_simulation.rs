//! Validation of the simulation settings a scenario carries: ranges, a timeline that names
//! real components, and a run small enough to finish in a page.

use super::simulation::{MAX_FACTOR, MAX_OUTAGES, MAX_REPLICATIONS, MAX_RETRIES, MAX_SERIES_CELLS};
use super::{
    quote, show, Field, Kind, OutageField, ParamType, Problem, Profile, ReshardField, Scenario,
    SimField, MAX_REQUESTS, MAX_SECONDS,
};

/// Appends every problem with the scenario's simulation settings.
pub(super) fn validate(s: &Scenario, out: &mut Vec<Problem>) {
    let Some(sim) = &s.simulation else {
        return;
    };
    let mut bad = |field: SimField, message: String| {
        out.push(Problem::general(Field::Simulation(field), message))
    };
    let whole = |v: f64| (v.fract() != 0.0).then(|| "must be a whole number of seconds".to_owned());
    let seconds_ok = range(sim.seconds, 1.0, MAX_SECONDS).or_else(|| whole(sim.seconds));
    if let Some(m) = seconds_ok.clone() {
        bad(SimField::Seconds, m);
    }
    if let Some(m) = range(sim.warmup_s, 0.0, MAX_SECONDS).or_else(|| whole(sim.warmup_s)) {
        bad(SimField::WarmupS, m);
    } else if seconds_ok.is_none() && sim.warmup_s > sim.seconds * 0.5 {
        bad(
            SimField::WarmupS,
            format!(
                "the warm-up ({} s) must be at most half the run ({} s), or nothing is left \
                 to measure",
                show(sim.warmup_s),
                show(sim.seconds)
            ),
        );
    }
    if let Some(t) = sim.timeout_ms {
        if let Some(m) = range(t, 0.001, 3_600_000.0) {
            bad(SimField::TimeoutMs, m);
        }
    }
    if sim.retries > MAX_RETRIES {
        bad(
            SimField::Retries,
            format!("must be at most {MAX_RETRIES}, got {}", sim.retries),
        );
    }
    if let Some(m) = range(sim.backoff_ms, 0.0, 3_600_000.0) {
        bad(SimField::BackoffMs, m);
    }
    if let Some(m) = sim.retry_budget_pct.and_then(|b| range(b, 0.0, 1000.0)) {
        bad(SimField::RetryBudget, m);
    }
    if let Some(m) = range(sim.detection_s, 0.0, MAX_SECONDS) {
        bad(SimField::DetectionS, m);
    }
    if !(1..=MAX_REPLICATIONS).contains(&sim.replications) {
        bad(
            SimField::Replications,
            format!(
                "must be from 1 to {MAX_REPLICATIONS}, got {}",
                sim.replications
            ),
        );
    }
    let time = |v: f64| range(v, 0.0, MAX_SECONDS);
    let profile_problems = profile(&sim.profile);
    let mut profile_ok = true;
    for (field, m) in profile_problems {
        if let Some(m) = m {
            profile_ok = false;
            bad(SimField::Profile(field), m);
        }
    }
    if sim.timeline.len() > MAX_OUTAGES {
        bad(
            SimField::Timeline,
            format!(
                "has {} entries; at most {MAX_OUTAGES} are allowed",
                sim.timeline.len()
            ),
        );
    }
    for (i, o) in sim.timeline.iter().enumerate().take(MAX_OUTAGES) {
        let field = |f: OutageField| SimField::Outage(i, f);
        match s.component(&o.component) {
            None => bad(
                field(OutageField::Component),
                format!("there is no component \"{}\" to fail", quote(&o.component)),
            ),
            Some(c) => {
                if let Some(lost) = o.lost {
                    let instances = c.num("instances").max(1.0) as u64;
                    if !c.kind.is_station() || lost == 0 || lost >= instances {
                        bad(
                            field(OutageField::Lost),
                            format!(
                                "\"{}\" has {instances} instance(s); lose between 1 and {} \
                                 of them, or leave lost out to fail the whole component",
                                quote(&o.component),
                                instances.saturating_sub(1)
                            ),
                        );
                    }
                }
            }
        }
        if let Some(m) = time(o.at_s) {
            bad(field(OutageField::AtS), m);
        }
        if let Some(m) = o.for_s.and_then(|d| range(d, 0.001, MAX_SECONDS)) {
            bad(field(OutageField::ForS), m);
        }
    }
    if sim.reshards.len() > MAX_OUTAGES {
        bad(
            SimField::Timeline,
            format!(
                "has {} resharding events; at most {MAX_OUTAGES} are allowed",
                sim.reshards.len()
            ),
        );
    }
    for (i, r) in sim.reshards.iter().enumerate().take(MAX_OUTAGES) {
        let field = |f: ReshardField| SimField::Reshard(i, f);
        match s.component(&r.component) {
            Some(c) if c.kind == Kind::ShardGroup => {
                let now = c.num("shards").max(1.0) as u64;
                // As many as the shard count itself may be.
                let most = match c.kind.param("shards").map(|p| p.ty) {
                    Some(ParamType::Number { max, .. }) => max as u64,
                    _ => now,
                };
                if r.shards <= now || r.shards > most {
                    bad(
                        field(ReshardField::Shards),
                        format!(
                            "\"{}\" has {now} shard(s); a resharding grows it to between {} \
                             and {most} (the simulator adds shards, it does not remove them)",
                            quote(&r.component),
                            now + 1
                        ),
                    );
                }
                if sim.reshards[..i].iter().any(|o| o.component == r.component) {
                    bad(
                        field(ReshardField::Component),
                        format!(
                            "\"{}\" is already resharded once in this run; one resharding \
                             per shard group",
                            quote(&r.component)
                        ),
                    );
                }
            }
            Some(c) => bad(
                field(ReshardField::Component),
                format!(
                    "\"{}\" is a {}; only a shard group can be resharded",
                    quote(&r.component),
                    c.kind.name().to_lowercase()
                ),
            ),
            None => bad(
                field(ReshardField::Component),
                format!(
                    "there is no component \"{}\" to reshard",
                    quote(&r.component)
                ),
            ),
        }
        if let Some(m) = time(r.at_s) {
            bad(field(ReshardField::AtS), m);
        }
        if let Some(m) = time(r.migration_s) {
            bad(field(ReshardField::MigrationS), m);
        }
    }
    if seconds_ok.is_none() && profile_ok {
        let replications = f64::from(sim.replications.clamp(1, MAX_REPLICATIONS));
        let requests = s.traffic.peak_rps() * sim.profile.mass(sim.seconds) * replications;
        if requests > MAX_REQUESTS {
            let (over, fewer) = sim.replications_in_size();
            bad(
                SimField::Seconds,
                format!(
                    "this run would offer about {} requests{over}; one run may offer at most \
                     {} (shorten the run or lower the traffic{fewer})",
                    show(requests.round()),
                    show(MAX_REQUESTS)
                ),
            );
        }
        let cells = s.components.len() as f64 * sim.seconds.ceil();
        if cells > MAX_SERIES_CELLS {
            bad(
                SimField::Seconds,
                format!(
                    "{} components × {} s is too many per-second points to record; at most \
                     {} (shorten the run)",
                    s.components.len(),
                    show(sim.seconds.ceil()),
                    show(MAX_SERIES_CELLS)
                ),
            );
        }
    }
}

/// Why `v` is not a finite number in `[min, max]`.
fn range(v: f64, min: f64, max: f64) -> Option<String> {
    (!v.is_finite() || v < min || v > max).then(|| {
        format!(
            "must be between {} and {}, got {}",
            show(min),
            show(max),
            show(v)
        )
    })
}

/// The traffic profile's fields and what is wrong with each, if anything.
fn profile(p: &Profile) -> Vec<(&'static str, Option<String>)> {
    let time = |v: f64| range(v, 0.0, MAX_SECONDS);
    let factor = |v: f64| range(v, 0.0, MAX_FACTOR);
    match *p {
        Profile::Constant => vec![],
        Profile::Step { at_s, factor: f } => vec![("at_s", time(at_s)), ("factor", factor(f))],
        Profile::Spike {
            at_s,
            for_s,
            factor: f,
        } => vec![
            ("at_s", time(at_s)),
            ("for_s", range(for_s, 0.001, MAX_SECONDS)),
            ("factor", factor(f)),
        ],
        Profile::Ramp {
            from_s,
            to_s,
            factor: f,
        } => vec![
            ("from_s", time(from_s)),
            (
                "to_s",
                time(to_s)
                    .or_else(|| (to_s <= from_s).then(|| "must be later than from_s".to_owned())),
            ),
            ("factor", factor(f)),
        ],
        Profile::Diurnal {
            period_s,
            amplitude,
        } => vec![
            ("period_s", range(period_s, 1.0, 86_400.0)),
            ("amplitude", range(amplitude, 0.0, 1.0)),
        ],
    }
}
