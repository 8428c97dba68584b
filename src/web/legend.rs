//! The utilisation colour scale under the diagram.

use yew::prelude::*;

/// The colours' meaning.
#[component]
pub fn Legend() -> Html {
    html! {
        <div class="legend" aria-label="Utilisation colours">
            <span class="legend-item"><span class="swatch heat-low"></span>{"< 60%"}</span>
            <span class="legend-item"><span class="swatch heat-mid"></span>{"60–85%"}</span>
            <span class="legend-item"><span class="swatch heat-high"></span>{"85–100%"}</span>
            <span class="legend-item"><span class="swatch heat-over"></span>{"overloaded"}</span>
        </div>
    }
}
