//! The data tier's figures for the inspector: a cache's hit ratio and memory, a replica's
//! lag and the writes a failover would lose, a shard group's keys moved by resharding.

use super::format::{bytes, millis, percent, rate, significant};
use crate::model::{Component, Kind, Scenario, CACHE_NODE_BYTES};
use crate::solve::hit_ratio::HitSource;
use crate::solve::ComponentReport;
use yew::prelude::*;

/// The `<dt>`/`<dd>` pairs of `c`'s data-tier figures in `st` (none for other kinds).
pub fn data_tier(st: &ComponentReport, c: &Component, scenario: &Scenario) -> Html {
    html! {
        <>
            if let Some(h) = st.hit_ratio {
                <dt>{"Hit ratio"}</dt>
                <dd data-testid="hit-ratio" title="Typed, computed from the traffic's key space and this cache's size, eviction and TTL, or the default">
                    { format!("{} ({})", percent(h.value), match h.source {
                        HitSource::Typed => "typed",
                        HitSource::Workload => "from the workload",
                        HitSource::Default => "default",
                    }) }
                </dd>
            }
            if let Some(applies) = st.applies {
                <dt>{"Applies"}</dt>
                <dd data-testid="replica-applies" title={st.work_note()}>
                    { format!("{} writes/s, {}/s of its {}/s of work", rate(applies.writes_rps), rate(applies.work_rps), rate(st.arrival_rps)) }
                </dd>
            }
            if let Some(lag) = st.lag {
                <dt>{"Lag"}</dt>
                <dd data-testid="replica-lag" class={lag.mean_ms.is_none().then_some("bad")}
                    title="Time from the primary's answer to a write until this replica has applied it">
                    { match (lag.sync, lag.mean_ms, lag.p99_ms) {
                        (true, _, _) => "none (synchronous)".to_owned(),
                        (false, Some(mean), Some(p99)) => format!("mean {}, p99 {}", millis(Some(mean)), millis(Some(p99))),
                        _ => "grows without bound: it applies writes slower than they come".to_owned(),
                    } }
                </dd>
                <dt>{"Stale reads"}</dt>
                <dd data-testid="stale-reads" title="Share of reads this long after a write that would not see it yet">
                    { format!("{} at {} after a write", percent(lag.stale_share.unwrap_or(1.0)), millis(Some(lag.window_ms))) }
                </dd>
                <dt>{"At risk"}</dt>
                <dd data-testid="unapplied-writes" class={lag.unapplied_writes.is_none().then_some("bad")}
                    title="Writes the primary has answered that this replica has not applied yet, on average (write rate × mean lag): a failover that promotes it loses them">
                    { match lag.unapplied_writes {
                        Some(n) if lag.sync => format!("{n:.0} writes: none are lost on failover"),
                        Some(n) => format!("{} writes unapplied, lost on failover", if n < 10.0 { format!("{n:.1}") } else { format!("{n:.0}") }),
                        None => "a growing backlog of writes, lost on failover".to_owned(),
                    } }
                </dd>
            }
            // Its utilisation is the shards' average; the busiest shard is what saturates
            // (the bottleneck line and the node's colour read it).
            if st.kind == Kind::ShardGroup && st.capacity_rps.is_some() {
                <dt>{"Busiest shard"}</dt>
                <dd data-testid="busiest-shard" class={st.saturated.then_some("bad")}
                    title="Offered load of the shard with the most requests (a hot key's included) over its capacity, and the group's arrivals at which it is full: the utilisation and the capacity above are those of all the shards together">
                    { match st.full_at_rps() {
                        Some(full) => format!("offered {} of its capacity; full at {}/s", percent(st.load), rate(full)),
                        None => format!("offered {} of its capacity", percent(st.load)),
                    } }
                </dd>
            }
            if let Some(r) = st.resharding {
                <dt>{"Resharding"}</dt>
                <dd data-testid="resharding" title="Share of keys that change shards when one shard is added, or removed">
                    { match r.remove_one {
                        Some(less) => format!("+1 shard moves {}, −1 moves {}", percent(r.add_one), percent(less)),
                        None => format!("+1 shard moves {}", percent(r.add_one)),
                    } }
                </dd>
            }
            if let Some(total) = scenario.cache_bytes(c) {
                <dt>{"Memory"}</dt>
                <dd data-testid="cache-memory" title={format!("Cache size × the traffic's object size, shared out over the instances. The kind's price buys a node of {}; an instance that holds more is priced in proportion (MODEL.md §8).", bytes(CACHE_NODE_BYTES))}>
                    { memory(scenario, c, total) }
                </dd>
            }
        </>
    }
}

/// A cache's memory in all, what each instance holds when there are several, and how many
/// of the nodes its price buys each one's share is priced as.
fn memory(scenario: &Scenario, c: &Component, total: f64) -> String {
    let instances = c.num("instances").max(1.0);
    let mut text = bytes(total);
    if instances > 1.0 {
        text += &format!(", {} per instance", bytes(total / instances));
    }
    let factor = scenario.node_memory_factor(c);
    if factor > 1.0 {
        text += &format!(
            ": each priced as {} nodes of {}",
            significant(factor),
            bytes(CACHE_NODE_BYTES)
        );
    }
    text
}
