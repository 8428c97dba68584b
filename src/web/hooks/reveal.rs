//! Brings an element into view in the side panel when what it shows changes: the inspector
//! of a component just clicked on the canvas, a card a click opened, may stand out of
//! sight in the panel's scrolled column.

use yew::prelude::*;

/// A reference for the element to reveal: the side panel is scrolled, by as little as it
/// takes, to show it whenever `what` changes (and on mount). Only the panel scrolls: where
/// the panel does not (a narrow window, where the page scrolls as one column) nothing
/// moves, so a press on the canvas never carries the page away from it.
#[hook]
pub fn use_reveal<T: PartialEq + 'static>(what: T) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(what, move |_| {
            let Some(el) = node.cast::<web_sys::Element>() else {
                return;
            };
            let Some(panel) = el.closest(".side").ok().flatten() else {
                return;
            };
            if panel.scroll_height() <= panel.client_height() {
                return;
            }
            let (at, within) = (
                el.get_bounding_client_rect(),
                panel.get_bounding_client_rect(),
            );
            let by = if at.top() < within.top() {
                at.top() - within.top() - 8.0
            } else if at.bottom() > within.bottom() {
                (at.bottom() - within.bottom() + 8.0).min(at.top() - within.top() - 8.0)
            } else {
                return;
            };
            panel.set_scroll_top(panel.scroll_top() + by as i32);
        });
    }
    node
}
