//! Pointer events in, gestures out: the hook forwards presses, moves and releases to the
//! editor's [`Gesture`] state machine and dispatches what it decides.

use super::canvas_area::CanvasArea;
use crate::editor::geometry::Point;
use crate::editor::{Editor, Gesture, Hit, Preview};
use crate::model::Kind;
use web_sys::PointerEvent;
use yew::prelude::*;

/// The handlers for the page's pointer events, and how the gesture in progress looks.
pub struct Gestures {
    /// A press on a palette item.
    pub on_palette_down: Callback<(Kind, PointerEvent)>,
    /// A press on the canvas (stable while the selection and the view stay the same, so
    /// the canvas's node views keep equal props while something is dragged).
    pub on_canvas_down: Callback<(Hit, PointerEvent)>,
    /// The pointer moved anywhere on the page.
    pub on_move: Callback<PointerEvent>,
    /// The pointer was released anywhere on the page.
    pub on_up: Callback<PointerEvent>,
    /// What the canvas draws for the gesture in progress.
    pub preview: Preview,
    /// The page's class: a grabbing hand on the canvas while panning.
    pub class: &'static str,
    /// Whether something is being dragged ([`Gesture::is_drag`]): the page then lays one
    /// layer over everything that shows the grabbing hand. A rule giving every element
    /// that cursor made the browser restyle the whole page when a drag started and again
    /// when it ended (18 ms each at 200 components, against 1 ms).
    pub dragging: bool,
}

fn client(e: &PointerEvent) -> Point {
    Point::new(f64::from(e.client_x()), f64::from(e.client_y()))
}

/// Drag, connect, select with a band, and pan.
#[hook]
pub fn use_gestures(editor: &UseReducerHandle<Editor>, canvas: &CanvasArea) -> Gestures {
    let gesture = use_state_eq(|| None::<Gesture>);
    let dispatch = editor.dispatcher();

    let on_palette_down = {
        let (gesture, canvas) = (gesture.clone(), canvas.clone());
        Callback::from(move |(kind, e): (Kind, PointerEvent)| {
            e.prevent_default();
            canvas.measure();
            gesture.set(Some(Gesture::palette(kind, client(&e))));
        })
    };
    let on_canvas_down = {
        let (gesture, canvas, dispatch) = (gesture.clone(), canvas.clone(), dispatch.clone());
        use_callback(
            (editor.selection.clone(), editor.viewport),
            move |(hit, e): (Hit, PointerEvent), (selection, viewport)| {
                if e.button() != 0 {
                    return;
                }
                e.prevent_default();
                canvas.measure();
                let (next, action) =
                    Gesture::press(hit, client(&e), e.shift_key(), selection, *viewport);
                if let Some(a) = action {
                    dispatch.dispatch(a);
                }
                gesture.set(next);
            },
        )
    };
    let on_move = {
        let (gesture, dispatch) = (gesture.clone(), dispatch.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(current) = (*gesture).clone() else {
                return;
            };
            let (next, action) = current.move_to(client(&e));
            if let Some(a) = action {
                dispatch.dispatch(a);
            }
            gesture.set(Some(next));
        })
    };
    let on_up = {
        let (gesture, canvas, dispatch) = (gesture.clone(), canvas.clone(), dispatch.clone());
        let (scenario, viewport) = (editor.scenario.clone(), editor.viewport);
        Callback::from(move |e: PointerEvent| {
            let Some(current) = (*gesture).clone() else {
                return;
            };
            gesture.set(None);
            canvas.measure();
            if let Some(a) = current.release(client(&e), &canvas.frame(viewport), &scenario) {
                dispatch.dispatch(a);
            }
        })
    };
    let frame = canvas.frame(editor.viewport);
    Gestures {
        on_palette_down,
        on_canvas_down,
        on_move,
        on_up,
        preview: gesture
            .as_ref()
            .map_or(Preview::None, |g| g.preview(&frame)),
        class: if gesture.as_ref().is_some_and(Gesture::is_pan) {
            "app panning"
        } else {
            "app"
        },
        dragging: gesture.as_ref().is_some_and(Gesture::is_drag),
    }
}
