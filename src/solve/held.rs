//! What the analytic figures leave out for a blocking caller (`io: blocking`): its server
//! is held while its calls are answered, so it is busier than its own work makes it
//! (MODEL.md §14). The steady state solved here counts only that work; this says, for each
//! such caller, how much busier it is at least, from the time its calls spend at the
//! components they reach, and so by when at the latest it saturates.

use super::report::Report;
use crate::model::{percent, Scenario};

/// A note per blocking caller whose calls carry traffic.
pub(crate) fn notes(s: &Scenario, report: &Report) -> Vec<String> {
    s.components
        .iter()
        .filter(|c| c.blocking())
        .filter_map(|c| {
            let me = report.components.get(&c.id)?;
            let calls: Vec<_> = (s.links.iter())
                .zip(&report.links)
                .filter(|(l, r)| l.from == c.id && l.calls.is_some() && r.rps > 0.0)
                .collect();
            if calls.is_empty() || me.served_rps <= 0.0 {
                return None;
            }
            let names = super::spof::name_list(
                &(calls.iter())
                    .map(|(l, _)| s.name_of(&l.to).to_owned())
                    .collect::<Vec<_>>(),
            );
            let name = c.display_name();
            // Seconds of server held per second: each call's time at the component it
            // reaches (a lower bound: what that component calls in turn, and the network,
            // come on top).
            let mut held = 0.0;
            for (l, r) in &calls {
                let Some(t) = report
                    .components
                    .get(&l.to)
                    .and_then(|t| t.mean_response_ms)
                else {
                    return Some(format!(
                        "{name} (io: blocking): each request keeps its server until its calls \
                         are answered, and {} has no bounded time to answer: its servers run \
                         out, which these figures, counting only its own work, do not show \
                         (MODEL.md §14). The simulator measures it.",
                        s.name_of(&l.to)
                    ));
                };
                held += r.rps * t / 1000.0;
            }
            let instances = me.instances_steady.map_or(c.num("instances"), f64::from);
            let servers = instances * c.num("concurrency");
            let busy = me.utilization + held / servers;
            Some(format!(
                "{name} (io: blocking): each request keeps its server until its calls are \
                 answered, which its utilisation and the headroom leave out: they count only \
                 its own work (MODEL.md §14). With the time its calls spend at {names}, its \
                 servers are at least {} busy rather than {}, so they saturate by {:.1}× \
                 today's traffic at the latest. The simulator measures the whole hold.",
                percent(busy),
                percent(me.utilization),
                1.0 / busy
            ))
        })
        .collect()
}
