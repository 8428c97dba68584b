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
}

/// The list of kinds.
#[component]
pub fn Palette(props: &PaletteProps) -> Html {
    html! {
        <nav class="palette" aria-label="Components">
            <h2>{"Components"}</h2>
            { for Kind::ALL.iter().map(|&kind| {
                let cb = props.on_down.clone();
                html! {
                    <button class="palette-item" data-kind={kind.key()}
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
