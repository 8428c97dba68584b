//! The failure timeline as epochs: spans of the run during which what is broken, and what
//! the balancers believe is broken, stay the same.

use super::engine::Epoch;
use super::table::Table;
use crate::model::{Failure, Kind, Problem, Problems, Scenario, Simulation};

/// One outage as times: when it really breaks and heals, and when the rest of the system
/// acts on it (after health checks notice, or after a failover).
struct Span {
    v: usize,
    lost: Option<u64>,
    hangs: bool,
    actual: (f64, f64),
    routed: Option<(f64, f64)>,
}

/// The epochs of the run: a new one wherever the timeline changes what is broken or what
/// the balancers believe.
pub(super) fn epochs(s: &Scenario, sim: &Simulation) -> Result<Vec<Epoch>, Problems> {
    let index = s.indices();
    let spans: Vec<Span> = sim
        .timeline
        .iter()
        .filter_map(|o| {
            let v = *index.get(o.component.as_str())?;
            let c = &s.components[v];
            let from = o.at_s;
            let to = o.for_s.map_or(f64::INFINITY, |d| from + d);
            let delay = match (c.kind, o.lost, c.opt_num("failover_s")) {
                (Kind::Database, None, Some(failover)) => failover,
                _ => sim.detection_s,
            };
            Some(Span {
                v,
                lost: o.lost,
                hangs: o.hangs,
                actual: (from, to),
                routed: (to - from > delay).then_some((from + delay, to + sim.detection_s)),
            })
        })
        .collect();
    let mut times: Vec<f64> = vec![0.0];
    for sp in &spans {
        times.extend([sp.actual.0, sp.actual.1]);
        if let Some((a, b)) = sp.routed {
            times.extend([a, b]);
        }
    }
    times.retain(|&t| t.is_finite() && t >= 0.0 && t < sim.seconds);
    crate::sort::by(&mut times, f64::total_cmp);
    times.dedup();
    let n = s.components.len();
    let inside = |span: (f64, f64), t: f64| span.0 <= t && t < span.1;
    times
        .into_iter()
        .map(|t| {
            let mut failed = s.failed.clone();
            let mut dead = vec![false; n];
            let mut lost = vec![0u32; n];
            let mut routed_lost = vec![0u32; n];
            let mut hangs = vec![false; n];
            for sp in &spans {
                let instances = s.components[sp.v].num("instances").max(1.0) as u64;
                if inside(sp.actual, t) {
                    hangs[sp.v] |= sp.hangs;
                    match sp.lost {
                        None => dead[sp.v] = true,
                        Some(l) => lost[sp.v] = lost[sp.v].saturating_add(l as u32),
                    }
                }
                if sp.routed.is_some_and(|r| inside(r, t)) {
                    let id = s.components[sp.v].id.clone();
                    match sp.lost {
                        None => {
                            failed.insert(id, Failure::DOWN);
                        }
                        Some(l) => {
                            routed_lost[sp.v] = routed_lost[sp.v].saturating_add(l as u32);
                            let entry = failed.entry(id).or_insert(Failure::lose(0));
                            if let Some(before) = entry.lost {
                                *entry = Failure::lose((before + l).min(instances - 1));
                            }
                        }
                    }
                }
            }
            let table = Table::build(s, &failed).map_err(|p| {
                Problems(
                    p.0.into_iter()
                        .map(|q| Problem {
                            message: format!("at {t} s of the simulation: {}", q.message),
                            ..q
                        })
                        .collect(),
                )
            })?;
            Ok(Epoch {
                start: t,
                table,
                dead,
                lost,
                routed_lost,
                hangs,
            })
        })
        .collect()
}
