//! The utilisation colour scale under the diagram.

use yew::prelude::*;

/// The colours' meaning.
#[component]
pub fn Legend() -> Html {
    html! {
        <div class="legend" aria-label="Utilisation colours">
            <span class="swatch heat-low"></span>{"< 60%"}
            <span class="swatch heat-mid"></span>{"60–85%"}
            <span class="swatch heat-high"></span>{"85–100%"}
            <span class="swatch heat-over"></span>{"overloaded"}
        </div>
    }
}
