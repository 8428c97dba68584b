//! Pointer events in, gestures out: the hook forwards presses, moves and releases to the
//! editor's [`Gesture`] state machine and dispatches what it decides. Two fingers on the
//! canvas pinch: the view zooms about them ([`Viewport::pinched`]).

use super::canvas_area::CanvasArea;
use crate::editor::geometry::{Point, Viewport};
use crate::editor::{Action, Editor, Gesture, Hit, Preview};
use crate::model::Kind;
use std::cell::RefCell;
use std::rc::Rc;
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
    /// The browser took the pointer over (a swipe that scrolls the palette, a system
    /// gesture): the gesture ends where it stands, with nothing dropped.
    pub on_cancel: Callback<PointerEvent>,
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

/// Two fingers on the canvas, in the canvas area's own pixels.
struct Pinch {
    ids: [i32; 2],
    from: [Point; 2],
    at: [Point; 2],
    /// The view when the second finger came down.
    start: Viewport,
    /// The canvas area's corner on the page.
    corner: Point,
}

/// The pointers the page follows: the one the gesture follows (another finger's moves and
/// lifts are not its own) and where it last was, and a pinch in progress.
#[derive(Default)]
struct Fingers {
    first: Option<(i32, Point)>,
    pinch: Option<Pinch>,
}

impl Fingers {
    fn follows(&self, e: &PointerEvent) -> bool {
        self.first.is_some_and(|(id, _)| id == e.pointer_id())
    }
}

/// Drag, connect, select with a band, pan and pinch.
#[hook]
pub fn use_gestures(editor: &UseReducerHandle<Editor>, canvas: &CanvasArea) -> Gestures {
    let gesture = use_state_eq(|| None::<Gesture>);
    let fingers: Rc<RefCell<Fingers>> = use_mut_ref(Fingers::default);
    let dispatch = editor.dispatcher();

    let on_palette_down = {
        let (gesture, canvas, fingers) = (gesture.clone(), canvas.clone(), fingers.clone());
        Callback::from(move |(kind, e): (Kind, PointerEvent)| {
            if !e.is_primary() {
                return;
            }
            e.prevent_default();
            fingers.borrow_mut().first = Some((e.pointer_id(), client(&e)));
            canvas.measure();
            gesture.set(Some(Gesture::palette(kind, client(&e))));
        })
    };
    let on_canvas_down = {
        let (gesture, canvas, dispatch) = (gesture.clone(), canvas.clone(), dispatch.clone());
        let fingers = fingers.clone();
        use_callback(
            (editor.selection.clone(), editor.viewport),
            move |(hit, e): (Hit, PointerEvent), (selection, viewport)| {
                if e.button() != 0 {
                    return;
                }
                e.prevent_default();
                let mut f = fingers.borrow_mut();
                if !e.is_primary() {
                    // A second finger on the canvas turns what the first began into a
                    // pinch: a component it was moving stays where it was.
                    if let (Some((id, at)), true) = (f.first, e.pointer_type() == "touch") {
                        let b = canvas.measure();
                        let corner = Point::new(b.x, b.y);
                        let local = |p: Point| Point::new(p.x - corner.x, p.y - corner.y);
                        let from = [local(at), local(client(&e))];
                        f.pinch = Some(Pinch {
                            ids: [id, e.pointer_id()],
                            from,
                            at: from,
                            start: *viewport,
                            corner,
                        });
                        gesture.set(None);
                    }
                    return;
                }
                f.first = Some((e.pointer_id(), client(&e)));
                f.pinch = None;
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
        let (gesture, dispatch, fingers) = (gesture.clone(), dispatch.clone(), fingers.clone());
        Callback::from(move |e: PointerEvent| {
            let mut f = fingers.borrow_mut();
            if let Some(p) = f.pinch.as_mut() {
                if let Some(i) = p.ids.iter().position(|&id| id == e.pointer_id()) {
                    let at = client(&e);
                    p.at[i] = Point::new(at.x - p.corner.x, at.y - p.corner.y);
                    dispatch.dispatch(Action::SetViewport(p.start.pinched(p.from, p.at)));
                }
                return;
            }
            if !f.follows(&e) {
                return;
            }
            f.first = Some((e.pointer_id(), client(&e)));
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
    // A lift or a cancel of a finger the page follows ends its gesture (and a pinch).
    let lifted = {
        let fingers = fingers.clone();
        move |e: &PointerEvent| {
            let mut f = fingers.borrow_mut();
            let pinched = f
                .pinch
                .as_ref()
                .is_some_and(|p| p.ids.contains(&e.pointer_id()));
            let own = f.follows(e);
            if pinched || own {
                f.pinch = None;
                f.first = None;
            }
            (own, pinched)
        }
    };
    let on_up = {
        let (gesture, canvas, dispatch) = (gesture.clone(), canvas.clone(), dispatch.clone());
        let (scenario, viewport) = (editor.scenario.clone(), editor.viewport);
        let lifted = lifted.clone();
        Callback::from(move |e: PointerEvent| {
            if lifted(&e) != (true, false) {
                return;
            }
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
    let on_cancel = {
        let gesture = gesture.clone();
        Callback::from(move |e: PointerEvent| {
            if lifted(&e) != (false, false) {
                gesture.set(None);
            }
        })
    };
    let frame = canvas.frame(editor.viewport);
    Gestures {
        on_palette_down,
        on_canvas_down,
        on_move,
        on_up,
        on_cancel,
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
