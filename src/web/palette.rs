//! The palette: every component kind, pressed to start a drag onto the canvas.

use super::icons::icon;
use crate::model::Kind;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Palette properties.
#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// A press on a kind (the app tracks the drag from there).
    pub on_down: Callback<(Kind, PointerEvent)>,
    /// A kind chosen with the keyboard (Enter or Space on a focused item): add it.
    pub on_add: Callback<Kind>,
}

/// The list of kinds.
#[component]
pub fn Palette(props: &PaletteProps) -> Html {
    html! {
        <nav class="palette" aria-label="Components">
            <h2>{"Components"}</h2>
            { for Kind::ALL.iter().map(|&kind| {
                let cb = props.on_down.clone();
                // A click made by the keyboard has no pointer travel (detail 0); pointer clicks
                // are handled as gestures from the press.
                let add = props.on_add.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    if e.detail() == 0 {
                        add.emit(kind);
                    }
                });
                html! {
                    <button class="palette-item" data-kind={kind.key()} {onclick}
                            title={format!("Drag onto the canvas, or click to add a {}", kind.name())}
                            onpointerdown={Callback::from(move |e: PointerEvent| cb.emit((kind, e)))}>
                        { icon(kind) }
                        <span>{ kind.name() }</span>
                    </button>
                }
            }) }
            <p class="hint">{"Drag onto the canvas · ? for shortcuts"}</p>
        </nav>
    }
}
