//! One inline SVG icon per component kind, drawn on a 24 × 24 grid with strokes in the
//! current colour, so they follow the theme.

use crate::model::Kind;
use yew::prelude::*;

/// The icon's path data.
fn paths(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Client => &["M4 5h16v11H4z", "M9 20h6", "M12 16v4"],
        Kind::Dns => &[
            "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z",
            "M3 12h18",
            "M12 3c3 3 3 15 0 18",
            "M12 3c-3 3-3 15 0 18",
        ],
        Kind::Cdn => &[
            "M12 4a3 3 0 1 0 0 .1z",
            "M5 17a3 3 0 1 0 0 .1z",
            "M19 17a3 3 0 1 0 0 .1z",
            "M12 7v4l-6 5",
            "M12 11l6 5",
        ],
        Kind::LoadBalancer => &[
            "M3 12h6",
            "M9 12l9-7",
            "M9 12h9",
            "M9 12l9 7",
            "M15 3l3 2-2 3",
        ],
        Kind::ApiGateway => &["M4 20V9l8-5 8 5v11", "M9 20v-6h6v6", "M4 9h16"],
        Kind::AppServer => &[
            "M4 4h16v6H4z",
            "M4 14h16v6H4z",
            "M7 7h.1",
            "M7 17h.1",
            "M11 7h6",
            "M11 17h6",
        ],
        Kind::Cache => &["M13 2L5 14h6l-1 8 8-12h-6z"],
        Kind::SessionStore => &["M8 11V8a4 4 0 0 1 8 0v3", "M6 11h12v9H6z", "M12 15v2"],
        Kind::Database => &[
            "M5 6c0-3 14-3 14 0v12c0 3-14 3-14 0z",
            "M5 6c0 3 14 3 14 0",
            "M5 12c0 3 14 3 14 0",
        ],
        Kind::ReadReplica => &[
            "M7 8c0-2.5 11-2.5 11 0v10c0 2.5-11 2.5-11 0z",
            "M7 8c0 2.5 11 2.5 11 0",
            "M4 5v11",
            "M4 5c0-2 3-2.5 6-2.7",
        ],
        Kind::ShardGroup => &[
            "M3 7c0-2 7-2 7 0v10c0 2-7 2-7 0z",
            "M14 7c0-2 7-2 7 0v10c0 2-7 2-7 0z",
            "M3 7c0 2 7 2 7 0",
            "M14 7c0 2 7 2 7 0",
        ],
        Kind::Queue => &["M3 8h18v8H3z", "M7 8v8", "M11 8v8", "M15 8v8", "M19 12h3"],
        Kind::Worker => &[
            "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z",
            "M12 2v3",
            "M12 19v3",
            "M2 12h3",
            "M19 12h3",
            "M5 5l2 2",
            "M17 17l2 2",
            "M5 19l2-2",
            "M17 7l2-2",
        ],
        Kind::ObjectStorage => &["M4 7l8-4 8 4-8 4z", "M4 7v10l8 4 8-4V7", "M12 11v10"],
        Kind::Monitoring => &["M3 20h18", "M5 16l4-6 4 3 6-8", "M17 5h2v2"],
        Kind::Region => &[
            "M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11z",
            "M12 7a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
        ],
    }
}

/// The icon as SVG elements inside a `<g>` (for use inside another SVG).
pub fn glyph(kind: Kind) -> Html {
    html! {
        <g class="icon" fill="none" stroke="currentColor" stroke-width="1.8"
           stroke-linecap="round" stroke-linejoin="round">
            { for paths(kind).iter().map(|d| html! { <path d={*d} /> }) }
        </g>
    }
}

/// The icon as a standalone `<svg>`.
pub fn icon(kind: Kind) -> Html {
    html! {
        <svg class="kind-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            { glyph(kind) }
        </svg>
    }
}
