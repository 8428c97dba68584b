//! The view onto the canvas: zooming with the wheel or the buttons, fitting the diagram,
//! and centring where the minimap is clicked.

use super::canvas_area::CanvasArea;
use crate::editor::geometry::{Point, Rect, Viewport};
use crate::editor::{Action, Editor};
use web_sys::WheelEvent;
use yew::prelude::*;

/// Handlers that change the view.
pub struct ViewHandlers {
    /// The wheel zooms around the pointer.
    pub on_wheel: Callback<WheelEvent>,
    /// The buttons zoom around the view's centre by a factor.
    pub on_zoom: Callback<f64>,
    /// Show the whole diagram.
    pub on_fit: Callback<()>,
    /// Centre the view on a canvas point (a click on the minimap).
    pub on_center: Callback<Point>,
    /// The canvas area in view, canvas units.
    pub visible: Rect,
}

/// Zoom, fit and centre for the editor's view.
#[hook]
pub fn use_view(editor: &UseReducerHandle<Editor>, canvas: &CanvasArea) -> ViewHandlers {
    let dispatch = editor.dispatcher();
    let viewport = editor.viewport;
    let on_wheel = {
        let (dispatch, canvas) = (dispatch.clone(), canvas.clone());
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let b = canvas.measure();
            let at = Point::new(f64::from(e.client_x()) - b.x, f64::from(e.client_y()) - b.y);
            let factor = (-e.delta_y() * 0.0015).exp();
            dispatch.dispatch(Action::SetViewport(viewport.zoom_at(at, factor)));
        })
    };
    let on_zoom = {
        let (dispatch, canvas) = (dispatch.clone(), canvas.clone());
        Callback::from(move |factor: f64| {
            let b = canvas.measure();
            let centre = Point::new(b.w / 2.0, b.h / 2.0);
            dispatch.dispatch(Action::SetViewport(viewport.zoom_at(centre, factor)));
        })
    };
    let on_fit = {
        let (dispatch, canvas, scenario) =
            (dispatch.clone(), canvas.clone(), editor.scenario.clone());
        Callback::from(move |()| {
            if let Some(fit) = canvas.fitted(&scenario) {
                dispatch.dispatch(fit);
            }
        })
    };
    let visible = canvas.visible(viewport);
    let on_center = Callback::from(move |p: Point| {
        dispatch.dispatch(Action::SetViewport(Viewport {
            x: visible.w * viewport.zoom / 2.0 - p.x * viewport.zoom,
            y: visible.h * viewport.zoom / 2.0 - p.y * viewport.zoom,
            zoom: viewport.zoom,
        }))
    });
    ViewHandlers {
        on_wheel,
        on_zoom,
        on_fit,
        on_center,
        visible,
    }
}
