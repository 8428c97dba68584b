//! The read-only view for `?embed`: the diagram and its headline numbers, with panning and
//! zooming only, and a link to open the design in the full editor.

use super::canvas::Canvas;
use super::format;
use super::share;
use super::Shared;
use crate::editor::geometry::Viewport;
use crate::editor::{Hit, Preview, Selection};
use crate::model::Scenario;
use crate::solve::Report;
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::{PointerEvent, WheelEvent};
use yew::prelude::*;

/// Embed properties.
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// The canvas element, for measuring.
    pub node_ref: NodeRef,
    /// The design.
    pub scenario: Rc<Scenario>,
    /// Its solve, when valid.
    pub report: Option<Shared<Report>>,
    /// The view.
    pub viewport: Viewport,
    /// Whether links animate.
    pub flow: bool,
    /// Single points of failure, for their badges.
    pub spofs: Rc<BTreeMap<String, String>>,
    /// Presses on the canvas (only the background's are passed on: panning).
    pub on_down: Callback<(Hit, PointerEvent)>,
    /// Pointer moves.
    pub on_move: Callback<PointerEvent>,
    /// Pointer releases.
    pub on_up: Callback<PointerEvent>,
    /// The browser took the pointer over.
    pub on_cancel: Callback<PointerEvent>,
    /// Zooming.
    pub on_wheel: Callback<WheelEvent>,
}

/// The embedded diagram.
#[component]
pub fn Embed(props: &EmbedProps) -> Html {
    let pan_only = {
        let down = props.on_down.clone();
        Callback::from(move |(hit, e): (Hit, PointerEvent)| {
            if hit == Hit::Background {
                down.emit((hit, e));
            }
        })
    };
    let summary = props.report.as_ref().map(|r| {
        format!(
            "{}/s served · p99 {} · availability {} · {}/month",
            format::rate(r.throughput_rps),
            format::millis(r.latency_ms.p99),
            format::availability(r.availability),
            format::dollars(r.monthly_cost_usd)
        )
    });
    html! {
        <div class="embed" onpointermove={props.on_move.clone()} onpointerup={props.on_up.clone()}
             onpointercancel={props.on_cancel.clone()}>
            <Canvas node_ref={props.node_ref.clone()} scenario={props.scenario.clone()}
                    report={props.report.clone()} selection={Selection::default()}
                    viewport={props.viewport} preview={Preview::None} flow={props.flow}
                    spofs={props.spofs.clone()}
                    on_down={pan_only} on_wheel={props.on_wheel.clone()} />
            <div class="embed-bar" data-testid="embed-bar">
                <strong>{ props.scenario.name.clone() }</strong>
                <span>{ summary.unwrap_or_default() }</span>
                <a href={share::editor_link(&props.scenario)} target="_blank" rel="noopener">
                    {"Open in ArchSim"}
                </a>
            </div>
        </div>
    }
}
