//! The overview of a large diagram: every component as a dot-sized box and the visible area
//! as a frame; a click centres the view there.

use crate::editor::geometry::{content_bounds, Point, Rect, NODE_H, NODE_W};
use crate::model::Scenario;
use std::rc::Rc;
use web_sys::MouseEvent;
use yew::prelude::*;

/// Minimap properties.
#[derive(Properties, PartialEq)]
pub struct MinimapProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The visible area, canvas units.
    pub view: Rect,
    /// Centre the view on a canvas point.
    pub on_center: Callback<Point>,
}

const W: f64 = 180.0;
const H: f64 = 120.0;

/// The minimap.
#[component]
pub fn Minimap(props: &MinimapProps) -> Html {
    let Some(content) = content_bounds(&props.scenario) else {
        return html! {};
    };
    let world = content.union(&props.view);
    let scale = (W / world.w.max(1.0)).min(H / world.h.max(1.0));
    let map = move |x: f64, y: f64| ((x - world.x) * scale, (y - world.y) * scale);
    let onclick = {
        let cb = props.on_center.clone();
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            cb.emit(Point::new(x / scale + world.x, y / scale + world.y));
        })
    };
    let (vx, vy) = map(props.view.x, props.view.y);
    html! {
        <svg class="minimap" width={W.to_string()} height={H.to_string()} {onclick}
             aria-label="Overview: click to move the view">
            { for props.scenario.components.iter().map(|c| {
                let (x, y) = map(c.x - NODE_W / 2.0, c.y - NODE_H / 2.0);
                html! { <rect class="mini-node" x={format!("{x:.1}")} y={format!("{y:.1}")}
                              width={format!("{:.1}", NODE_W * scale)} height={format!("{:.1}", NODE_H * scale)} /> }
            }) }
            <rect class="mini-view" x={format!("{vx:.1}")} y={format!("{vy:.1}")}
                  width={format!("{:.1}", props.view.w * scale)} height={format!("{:.1}", props.view.h * scale)} />
        </svg>
    }
}
