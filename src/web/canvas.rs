//! The diagram: components and links drawn in SVG, painted with the solver's numbers.
//! It only renders and reports what was pressed; gestures are handled by the app.
//!
//! Components being dragged leave the diagram for a layer of their own, an SVG over it
//! that the browser composites apart: each pointer move then rebuilds and repaints the
//! few moving boxes and their links, not the whole design (measured in `make bench`).

use super::diagram::{Diagram, Part};
use super::icons::glyph;
use super::press::press;
use super::Shared;
use crate::editor::geometry::{Point, Rect, Viewport, GRID, NODE_H, NODE_W};
use crate::editor::{Hit, Preview, Selection};
use crate::model::Scenario;
use crate::sim::BreakerState;
use crate::solve::Report;
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::{PointerEvent, WheelEvent};
use yew::prelude::*;

/// Canvas properties.
#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    /// The SVG element, for coordinate conversion by the app.
    pub node_ref: NodeRef,
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// At a second of a run: per scenario link, its breaker's state.
    #[prop_or_default]
    pub breakers: Rc<Vec<Option<BreakerState>>>,
    /// The selection.
    pub selection: Selection,
    /// The view.
    pub viewport: Viewport,
    /// For a large design, the part of the canvas to draw; `None` draws everything.
    #[prop_or_default]
    pub window: Option<Rect>,
    /// The gesture in progress.
    pub preview: Preview,
    /// Whether to animate traffic along links.
    pub flow: bool,
    /// Single points of failure and why.
    pub spofs: Rc<BTreeMap<String, String>>,
    /// A press on something.
    pub on_down: Callback<(Hit, PointerEvent)>,
    /// The wheel.
    pub on_wheel: Callback<WheelEvent>,
    /// A component got the keyboard focus (Tab): select it unless it is selected.
    #[prop_or_default]
    pub on_focus: Callback<String>,
    /// The second of a simulated run shown instead of the live solve, if any.
    #[prop_or_default]
    pub replay: Option<usize>,
}

/// The diagram.
#[component]
pub fn Canvas(props: &CanvasProps) -> Html {
    let v = props.viewport;
    let view = format!("translate({:.2},{:.2}) scale({:.4})", v.x, v.y, v.zoom);
    // The ids being moved, kept while the drag lasts so the diagram's props stay equal.
    let lifted = use_memo(
        match &props.preview {
            Preview::Move { ids, .. } => ids.clone(),
            _ => Vec::new(),
        },
        Vec::clone,
    );
    let moving = match &props.preview {
        Preview::Move { dx, dy, .. } => Some((*dx, *dy)),
        _ => None,
    };
    let diagram = |part: Part| {
        // The few components being dragged are drawn wherever they are.
        let window = match part {
            Part::Lifted { .. } => None,
            _ => props.window,
        };
        html! {
            <Diagram scenario={props.scenario.clone()} report={props.report.clone()}
                     breakers={props.breakers.clone()} selection={props.selection.clone()}
                     {part} {window} spofs={props.spofs.clone()} flow={props.flow}
                     on_down={props.on_down.clone()} on_focus={props.on_focus.clone()}
                     replay={props.replay} />
        }
    };
    let position = |id: &str| props.scenario.component(id).map(|c| Point::new(c.x, c.y));
    let overlay = match &props.preview {
        Preview::Wire { from_id, to } => position(from_id).map(|a| {
            let start = Point::new(a.x + NODE_W / 2.0, a.y);
            html! {
                <path class="wire" d={format!("M{:.1},{:.1} L{:.1},{:.1}", start.x, start.y, to.x, to.y)} />
            }
        }),
        Preview::Band(r) => Some(html! {
            <rect class="band" x={r.x.to_string()} y={r.y.to_string()}
                  width={r.w.to_string()} height={r.h.to_string()} />
        }),
        Preview::Ghost { kind, at } => Some(html! {
            <g class="node ghost" transform={format!("translate({:.1},{:.1})", at.x - NODE_W / 2.0, at.y - NODE_H / 2.0)}>
                <rect class="node-box" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
                <g transform="translate(10,17)">{ glyph(*kind) }</g>
                <text class="node-label" x="42" y="33">{ kind.name() }</text>
            </g>
        }),
        _ => None,
    };

    let wheel = props.on_wheel.clone();
    let grid = GRID * v.zoom;
    html! {
        <>
            <svg ref={props.node_ref.clone()} class="canvas" data-testid="canvas"
                 role="group" aria-label="Diagram: Tab to its components" tabindex="-1"
                 onpointerdown={press(&props.on_down, Hit::Background)}
                 onwheel={Callback::from(move |e: WheelEvent| wheel.emit(e))}>
                <defs>
                    <pattern id="grid" width={grid.to_string()} height={grid.to_string()}
                             patternUnits="userSpaceOnUse"
                             x={(v.x % grid).to_string()} y={(v.y % grid).to_string()}>
                        <circle cx="1" cy="1" r="1" class="grid-dot" />
                    </pattern>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
                            orient="auto-start-reverse" markerUnits="userSpaceOnUse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                    </marker>
                </defs>
                <rect class="grid" width="100%" height="100%" fill="url(#grid)" />
                <g transform={view.clone()}>
                    { diagram(if moving.is_some() { Part::Without(lifted.clone()) } else { Part::All }) }
                    { for overlay }
                </g>
            </svg>
            if let Some((dx, dy)) = moving {
                <svg class="drag-layer" aria-hidden="true">
                    <g transform={view}>{ diagram(Part::Lifted { ids: lifted.clone(), dx, dy }) }</g>
                </svg>
            }
        </>
    }
}
