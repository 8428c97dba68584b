//! Pointer gestures as a state machine: press, move, release → an optional [`Action`] and a
//! [`Preview`] of what the gesture would do. The browser layer only forwards pointer events
//! (client pixels) and the canvas's box; every rule of what a drag means lives here and is
//! tested natively.

use super::action::Action;
use super::edit::Edit;
use super::geometry::{free_spot, Point, Rect, Viewport};
use super::state::Selection;
use crate::model::{Kind, Scenario};

/// Pointer travel, in screen pixels, below which a press counts as a click.
pub const CLICK_SLOP: f64 = 4.0;

/// What a pointer press on the canvas landed on.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// A component's body.
    Node(String),
    /// A component's output port.
    Port(String),
    /// A link, by (from, to).
    Link(String, String),
    /// Empty canvas.
    Background,
}

/// How a gesture in progress is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    /// Nothing in progress.
    None,
    /// Components shown moved by an offset (canvas units).
    Move {
        /// Which.
        ids: Vec<String>,
        /// Offset.
        dx: f64,
        /// Offset.
        dy: f64,
    },
    /// A link being drawn to a canvas point.
    Wire {
        /// From which component.
        from_id: String,
        /// Current end.
        to: Point,
    },
    /// A selection rectangle (canvas units).
    Band(Rect),
    /// A palette item about to be dropped.
    Ghost {
        /// Its kind.
        kind: Kind,
        /// Where (canvas units).
        at: Point,
    },
}

/// Where the canvas is on the page and what it shows: enough to turn client pixels into
/// canvas units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The canvas element's box, in client pixels.
    pub area: Rect,
    /// The view onto the canvas.
    pub viewport: Viewport,
}

impl Frame {
    /// The canvas point under a client point.
    pub fn to_canvas(&self, p: Point) -> Point {
        self.viewport
            .to_canvas(Point::new(p.x - self.area.x, p.y - self.area.y))
    }

    /// The canvas point at the centre of the view.
    pub fn centre(&self) -> Point {
        self.to_canvas(Point::new(
            self.area.x + self.area.w / 2.0,
            self.area.y + self.area.h / 2.0,
        ))
    }

    /// The canvas area in view, canvas units.
    pub fn visible(&self) -> Rect {
        let corner = self.viewport.to_canvas(Point::new(0.0, 0.0));
        Rect {
            x: corner.x,
            y: corner.y,
            w: self.area.w / self.viewport.zoom,
            h: self.area.h / self.viewport.zoom,
        }
    }

    /// Where a click on the palette adds a component to `s`: the centre of the view, or the
    /// next free place in it ([`free_spot`]).
    pub fn click_spot(&self, s: &Scenario) -> Point {
        let taken: Vec<Point> = s.components.iter().map(|c| Point::new(c.x, c.y)).collect();
        free_spot(self.centre(), self.visible(), &taken)
    }
}

/// A gesture in progress. Positions are client (page) pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    /// A palette item is being dragged towards the canvas.
    Palette {
        /// What it adds.
        kind: Kind,
        /// Where the press was.
        from: Point,
        /// Where the pointer is.
        at: Point,
    },
    /// Components are being moved.
    Move {
        /// Which.
        ids: Vec<String>,
        /// Where the press was.
        from: Point,
        /// Where the pointer is.
        at: Point,
    },
    /// The view is being panned.
    Pan {
        /// Where the press was.
        from: Point,
        /// The view when it started.
        start: Viewport,
    },
    /// A link is being drawn from a component's output port.
    Wire {
        /// The sender.
        from_id: String,
        /// Where the pointer is.
        at: Point,
    },
    /// A selection rectangle.
    Band {
        /// Where the press was.
        from: Point,
        /// Where the pointer is.
        at: Point,
    },
}

fn distance(a: Point, b: Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

impl Gesture {
    /// A press on a palette item.
    pub fn palette(kind: Kind, at: Point) -> Gesture {
        Gesture::Palette { kind, from: at, at }
    }

    /// A press on the canvas: the gesture it starts (none for a link), and what the press
    /// does at once (a press on a component selects it; on a link, selects the link).
    pub fn press(
        hit: Hit,
        at: Point,
        shift: bool,
        selection: &Selection,
        viewport: Viewport,
    ) -> (Option<Gesture>, Option<Action>) {
        match hit {
            Hit::Node(id) => {
                let selected = selection.components.contains(&id);
                let select = (shift || !selected).then(|| Action::Select {
                    id: id.clone(),
                    additive: shift,
                });
                let ids = if selected && !shift {
                    selection.components.iter().cloned().collect()
                } else {
                    vec![id]
                };
                (Some(Gesture::Move { ids, from: at, at }), select)
            }
            Hit::Port(from_id) => (Some(Gesture::Wire { from_id, at }), None),
            Hit::Link(from, to) => (None, Some(Action::SelectLink { from, to })),
            Hit::Background if shift => (Some(Gesture::Band { from: at, at }), None),
            Hit::Background => (
                Some(Gesture::Pan {
                    from: at,
                    start: viewport,
                }),
                None,
            ),
        }
    }

    /// The pointer moved to `p`: the gesture's next state, and an action for gestures that
    /// act while they move (panning moves the view).
    pub fn move_to(self, p: Point) -> (Gesture, Option<Action>) {
        match self {
            Gesture::Pan { from, start } => {
                let view = start.pan(p.x - from.x, p.y - from.y);
                (self, Some(Action::SetViewport(view)))
            }
            Gesture::Palette { kind, from, .. } => (Gesture::Palette { kind, from, at: p }, None),
            Gesture::Move { ids, from, .. } => (Gesture::Move { ids, from, at: p }, None),
            Gesture::Wire { from_id, .. } => (Gesture::Wire { from_id, at: p }, None),
            Gesture::Band { from, .. } => (Gesture::Band { from, at: p }, None),
        }
    }

    /// The pointer was released at `p`: what the gesture does.
    pub fn release(self, p: Point, frame: &Frame, scenario: &Scenario) -> Option<Action> {
        match self {
            Gesture::Palette { kind, from, .. } => {
                let at = if distance(from, p) < CLICK_SLOP {
                    // A click adds at the centre of the view, or beside what is there.
                    frame.click_spot(scenario)
                } else if frame.area.contains(p) {
                    frame.to_canvas(p)
                } else {
                    return None;
                };
                Some(Edit::Add { kind, at }.into())
            }
            Gesture::Move { ids, from, .. } => {
                let zoom = frame.viewport.zoom;
                (distance(from, p) >= CLICK_SLOP).then(|| Action::Move {
                    ids,
                    dx: (p.x - from.x) / zoom,
                    dy: (p.y - from.y) / zoom,
                })
            }
            Gesture::Wire { from_id, .. } => {
                let at = frame.to_canvas(p);
                let target = scenario
                    .components
                    .iter()
                    .rev()
                    .find(|c| Rect::node(Point::new(c.x, c.y)).contains(at))?;
                (target.id != from_id).then(|| {
                    Edit::Connect {
                        from: from_id,
                        to: target.id.clone(),
                    }
                    .into()
                })
            }
            Gesture::Band { from, .. } => {
                let band = Rect::spanning(frame.to_canvas(from), frame.to_canvas(p));
                let ids = scenario
                    .components
                    .iter()
                    .filter(|c| band.intersects(&Rect::node(Point::new(c.x, c.y))))
                    .map(|c| c.id.clone())
                    .collect();
                Some(Action::SelectMany(ids))
            }
            Gesture::Pan { from, .. } => {
                (distance(from, p) < CLICK_SLOP).then_some(Action::ClearSelection)
            }
        }
    }

    /// How the gesture in progress looks on the canvas.
    pub fn preview(&self, frame: &Frame) -> Preview {
        match self {
            Gesture::Move { ids, from, at } => Preview::Move {
                ids: ids.clone(),
                dx: (at.x - from.x) / frame.viewport.zoom,
                dy: (at.y - from.y) / frame.viewport.zoom,
            },
            Gesture::Wire { from_id, at } => Preview::Wire {
                from_id: from_id.clone(),
                to: frame.to_canvas(*at),
            },
            Gesture::Band { from, at } => {
                Preview::Band(Rect::spanning(frame.to_canvas(*from), frame.to_canvas(*at)))
            }
            Gesture::Palette { kind, from, at } if distance(*from, *at) >= CLICK_SLOP => {
                Preview::Ghost {
                    kind: *kind,
                    at: frame.to_canvas(*at),
                }
            }
            Gesture::Palette { .. } | Gesture::Pan { .. } => Preview::None,
        }
    }

    /// Whether the gesture pans the view (the page shows a grabbing hand).
    pub fn is_pan(&self) -> bool {
        matches!(self, Gesture::Pan { .. })
    }

    /// Whether something is being dragged: a wire, or a press that has travelled at least
    /// [`CLICK_SLOP`] (less is still a click, which must reach what was pressed).
    pub fn is_drag(&self) -> bool {
        match self {
            Gesture::Palette { from, at, .. }
            | Gesture::Move { from, at, .. }
            | Gesture::Band { from, at } => distance(*from, *at) >= CLICK_SLOP,
            Gesture::Wire { .. } => true,
            Gesture::Pan { .. } => false,
        }
    }
}
