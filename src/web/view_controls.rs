//! The buttons over the canvas: zoom, fit, snapping and the flow animation.

use yew::prelude::*;

/// View control properties.
#[derive(Properties, PartialEq)]
pub struct ViewControlsProps {
    /// Zoom about the view's centre by a factor.
    pub on_zoom: Callback<f64>,
    /// Fit the diagram to the view.
    pub on_fit: Callback<()>,
    /// Whether moves snap to the grid.
    pub snap: bool,
    /// Toggle snapping.
    pub on_snap: Callback<()>,
    /// Whether links animate their traffic.
    pub flow: bool,
    /// Toggle the animation.
    pub on_flow: Callback<()>,
}

/// Zoom in and out, fit, snap, flow.
#[component]
pub fn ViewControls(props: &ViewControlsProps) -> Html {
    let zoom = |factor: f64| props.on_zoom.reform(move |_: MouseEvent| factor);
    let unit = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <div class="view-controls" aria-label="View">
            <button onclick={zoom(1.25)} title="Zoom in" aria-label="Zoom in" data-testid="zoom-in">{"+"}</button>
            <button onclick={zoom(0.8)} title="Zoom out" aria-label="Zoom out">{"−"}</button>
            <button onclick={unit(&props.on_fit)} title="Fit the diagram to the view">{"Fit"}</button>
            <button class={props.snap.then_some("on")} aria-pressed={props.snap.to_string()}
                    onclick={unit(&props.on_snap)} title="Snap to the grid">{"Snap"}</button>
            <button class={props.flow.then_some("on")} aria-pressed={props.flow.to_string()}
                    onclick={unit(&props.on_flow)} title="Animate the traffic on links">{"Flow"}</button>
        </div>
    }
}
