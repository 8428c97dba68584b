//! One link of the diagram: its line, its traffic dots and its label (the rate first,
//! then what fits of the classes, replication and lag), as a component of its own so
//! that unchanged links skip rendering while a box is dragged.

use super::format::{millis, rate};
use super::press::press;
use crate::editor::geometry::{
    fit_label, label_room, link_midpoint, link_path, link_runs_back, Point, LABEL_RISE,
};
use crate::editor::Hit;
use crate::model::Component;
use crate::sim::BreakerState;
use crate::solve::replication::Replicated;
use crate::solve::Report;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Stroke width for a link carrying `rps`, growing with the logarithm of the rate.
fn link_width(rps: f64) -> f64 {
    1.5 + (1.0 + rps.max(0.0)).log10() * 1.2
}

/// Times a second the traffic dots move. Each move repaints the diagram on the main
/// thread (a dash offset is not something the compositor can animate), so moving at every
/// display refresh kept a page with five busy links busy 100–120 ms a second doing nothing
/// else; at 24 moves a second, film's rate, the motion still reads as smooth.
const FLOW_MOVES_PER_S: f64 = 24.0;

/// The animation of a link's traffic dots carrying `rps`: faster as the rate grows (log
/// scale: 4 s per cycle at 1/s, 0.4 s at 10 000/s), in [`FLOW_MOVES_PER_S`] steps.
fn flow_style(rps: f64) -> String {
    let cycle = 4.0 / (1.0 + rps.log10().max(0.0) * 2.25);
    let steps = (cycle * FLOW_MOVES_PER_S).round().max(2.0);
    format!("animation-duration: {cycle:.2}s; animation-timing-function: steps({steps:.0})")
}

/// The lag a link from `from` to a replica shows: the replica's mean lag, "sync", or that
/// it grows without bound (`None` for other links).
pub(super) fn replication_lag(
    from: &Component,
    report: Option<&Report>,
    l: &crate::model::Link,
) -> Option<String> {
    // A shard group replicates to its replicas as a primary does (MODEL.md §17).
    if !matches!(
        from.kind,
        crate::model::Kind::Database | crate::model::Kind::ShardGroup
    ) {
        return None;
    }
    let lag = report?.components.get(&l.to)?.lag?;
    Some(match (lag.sync, lag.mean_ms) {
        (true, _) => "sync".to_owned(),
        (false, Some(mean)) => format!("lag {}", millis(Some(mean))),
        (false, None) => "lag unbounded".to_owned(),
    })
}

#[derive(Properties, PartialEq)]
pub(super) struct LinkProps {
    pub(super) id: String,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) a: Point,
    pub(super) b: Point,
    pub(super) rps: Option<f64>,
    pub(super) selected: bool,
    pub(super) call: bool,
    /// The classes it carries when not all of them ("static", "read + write").
    pub(super) classes: Option<String>,
    /// Its circuit breaker's state at the second of a run shown (closed when none is).
    pub(super) breaker: Option<BreakerState>,
    /// For a primary's link to a replica: the replica's lag, in words.
    pub(super) lag: Option<String>,
    /// For a primary's link to a replica: the writes it replicates, part of `rps` as work.
    pub(super) replicated: Option<Replicated>,
    /// From a failed primary to the replica promoted in its place: its writes go there.
    pub(super) failover: bool,
    pub(super) flow: bool,
    pub(super) on_down: Callback<(Hit, PointerEvent)>,
}

/// One link. Its own component, so that unchanged links skip rendering while something
/// else is dragged.
#[component]
pub(super) fn LinkView(props: &LinkProps) -> Html {
    let (a, b) = (props.a, props.b);
    let mid = link_midpoint(a, b);
    let width = props.rps.map_or(1.5, link_width);
    let mut class = classes!("link");
    if props.selected {
        class.push("selected");
    }
    if props.call {
        class.push("call");
    }
    if props.breaker.is_some_and(|b| b != BreakerState::Closed) {
        class.push("breaker-tripped");
    }
    let back = link_runs_back(a, b);
    if back {
        class.push("back");
    }
    let path = link_path(a, b);
    // A replication link counts its writes as writes, not as the replica's work (at a
    // replication cost of 0.5, 400 writes a second are 200 requests' worth): "400/s ·
    // writes", or after the requests it also carries, "… · 400 writes/s replicated".
    let requests = match (props.rps, props.replicated) {
        (Some(rps), Some(r)) => Some(rps - r.work_rps).filter(|&x| x > 1e-9 * rps),
        (rps, None) => rps,
        (None, Some(_)) => None,
    };
    let (first, writes) = match (requests, props.replicated) {
        (None, Some(r)) => (
            Some(format!("{}/s", rate(r.writes_rps))),
            Some("writes".to_owned()),
        ),
        (rps, r) => (
            rps.map(|rps| format!("{}/s", rate(rps))),
            r.map(|r| format!("{} writes/s replicated", rate(r.writes_rps))),
        ),
    };
    let parts: Vec<String> = [
        first,
        props.failover.then(|| "failover".to_owned()),
        props.call.then(|| "call".to_owned()),
        props.classes.clone(),
        writes,
        props.lag.clone(),
        props.breaker.map(|b| {
            match b {
                BreakerState::Closed => "breaker",
                BreakerState::Open => "breaker open",
                BreakerState::HalfOpen => "breaker half-open",
            }
            .to_owned()
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Between boxes set close together the label keeps what fits. All of it is the
    // link's hover text, always: a label another box hides is read there too.
    let full = parts.join(" · ");
    let label = fit_label(parts, label_room(a, b));
    html! {
        <g class={class} data-link={props.id.clone()} data-back={back.to_string()}
           onpointerdown={press(&props.on_down, Hit::Link(props.from.clone(), props.to.clone()))}>
            if !full.is_empty() {
                <title>{ full }</title>
            }
            <path class="link-hit" d={path.clone()} />
            <path class="link-line" d={path.clone()} stroke-width={format!("{width:.1}")}
                  marker-end="url(#arrow)" />
            if let Some(rps) = props.rps.filter(|r| props.flow && *r > 0.0) {
                <path class="flow-dots" d={path} style={flow_style(rps)} />
            }
            if !label.is_empty() {
                <text class="link-label" x={format!("{:.1}", mid.x)} y={format!("{:.1}", mid.y - LABEL_RISE)}>
                    { label }
                </text>
            }
        </g>
    }
}
