//! Where the canvas is on the page. Measured when a gesture starts, on mount and on resize,
//! never while rendering: reading layout during a render would force a reflow every frame.

use crate::editor::geometry::{content_bounds, drawn_window, Rect, Viewport, DRAW_ALL_UP_TO};
use crate::editor::{Action, Editor, Frame};
use crate::model::Scenario;
use gloo::events::EventListener;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::prelude::*;

/// The canvas element and its last measured box, in client pixels.
#[derive(Clone, PartialEq)]
pub struct CanvasArea {
    /// The canvas's SVG element.
    pub node: NodeRef,
    area: Rc<Cell<Rect>>,
}

/// An empty box, before the first measurement.
const NOWHERE: Rect = Rect {
    x: 0.0,
    y: 0.0,
    w: 0.0,
    h: 0.0,
};

impl CanvasArea {
    /// Measures the canvas now.
    pub fn measure(&self) -> Rect {
        let area = self
            .node
            .cast::<Element>()
            .map(|el| {
                let r = el.get_bounding_client_rect();
                Rect {
                    x: r.left(),
                    y: r.top(),
                    w: r.width(),
                    h: r.height(),
                }
            })
            .unwrap_or(NOWHERE);
        self.area.set(area);
        area
    }

    /// The box as last measured.
    pub fn area(&self) -> Rect {
        self.area.get()
    }

    /// The canvas as last measured, with `viewport`.
    pub fn frame(&self, viewport: Viewport) -> Frame {
        Frame {
            area: self.area(),
            viewport,
        }
    }

    /// The canvas area visible through `viewport`, canvas units.
    pub fn visible(&self, viewport: Viewport) -> Rect {
        self.frame(viewport).visible()
    }

    /// The part of the canvas to draw through `viewport` for a design of `components`:
    /// everything for a small one ([`DRAW_ALL_UP_TO`]), else what is in and near the view.
    /// Before the canvas is first measured (its first render) the page's size stands in
    /// for it: drawing a large design whole there cost a second before the first frame,
    /// and the view is fitted and drawn again at once after it.
    pub fn window(&self, viewport: Viewport, components: usize) -> Option<Rect> {
        if components <= DRAW_ALL_UP_TO {
            return None;
        }
        let mut visible = self.visible(viewport);
        if self.area().w <= 0.0 {
            let page = web_sys::window().map(|w| {
                let size = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64());
                (size(w.inner_width()), size(w.inner_height()))
            });
            if let Some((Some(w), Some(h))) = page {
                (visible.w, visible.h) = (w / viewport.zoom, h / viewport.zoom);
            }
        }
        drawn_window(visible)
    }

    /// The view that shows the whole design, if there is something to show and room for it.
    pub fn fitted(&self, s: &Scenario) -> Option<Action> {
        let b = self.measure();
        let content = content_bounds(s)?;
        (b.w > 0.0 && b.h > 0.0).then(|| Action::SetViewport(Viewport::fit(content, b.w, b.h)))
    }
}

/// The canvas's place on the page, kept measured. The page opens fitted to the design, and
/// so does every design opened (a link, a file, a stage, a kept design).
#[hook]
pub fn use_canvas_area(editor: &UseReducerHandle<Editor>) -> CanvasArea {
    let node = use_node_ref();
    let area = use_memo((), |_| Cell::new(NOWHERE));
    let canvas = CanvasArea { node, area };
    {
        let canvas = canvas.clone();
        let dispatch = editor.dispatcher();
        let scenario = editor.scenario.clone();
        use_effect_with(editor.opened, move |_| {
            if let Some(fit) = canvas.fitted(&scenario) {
                dispatch.dispatch(fit);
            }
        });
    }
    // A new size changes what a large design draws: render again.
    let resized = use_force_update();
    {
        let canvas = canvas.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    canvas.measure();
                    resized.force_update();
                })
            });
            move || drop(listener)
        });
    }
    canvas
}
