//! Pure canvas geometry: the screen ↔ canvas transform, zoom about a point, snapping, and
//! hit tests. No browser types, so it is tested natively.

use serde::{Deserialize, Serialize};

/// Width of a component's box on the canvas, in canvas units.
pub const NODE_W: f64 = 148.0;
/// Height of a component's box.
pub const NODE_H: f64 = 58.0;
/// Grid spacing for snapping.
pub const GRID: f64 = 20.0;
/// Zoom limits.
pub const MIN_ZOOM: f64 = 0.1;
/// Zoom limits.
pub const MAX_ZOOM: f64 = 4.0;

/// A point.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal.
    pub x: f64,
    /// Vertical (down).
    pub y: f64,
}

impl Point {
    /// `(x, y)`.
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (≥ 0).
    pub w: f64,
    /// Height (≥ 0).
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners in any order.
    pub fn spanning(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            w: (a.x - b.x).abs(),
            h: (a.y - b.y).abs(),
        }
    }

    /// The box of a component centred at `c`.
    pub fn node(c: Point) -> Rect {
        Rect {
            x: c.x - NODE_W / 2.0,
            y: c.y - NODE_H / 2.0,
            w: NODE_W,
            h: NODE_H,
        }
    }

    /// Whether `p` is inside.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }

    /// Whether the two rectangles overlap.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x <= o.x + o.w
            && o.x <= self.x + self.w
            && self.y <= o.y + o.h
            && o.y <= self.y + self.h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }
}

/// Designs with at most this many components draw every box; larger ones draw what is in
/// and near the view ([`drawn_window`]). Below it the whole diagram is cheap to paint, and
/// every box stays in the page for the keyboard's Tab order and the browser's find.
pub const DRAW_ALL_UP_TO: usize = 200;

/// The part of the canvas a large design draws while `visible` is in view: the view and a
/// margin of one to two steps on every side, with edges on a grid of steps about a quarter
/// of the view's shorter side (a power of two, so zooming by small steps keeps it). Panning
/// then redraws the diagram once every quarter view rather than at every move, and what
/// scrolls in is drawn before it shows. `None` until the canvas has been measured: draw
/// everything.
pub fn drawn_window(visible: Rect) -> Option<Rect> {
    let Rect { x, y, w, h } = visible;
    if !(w > 0.0 && h > 0.0 && [x, y, w, h].iter().all(|v| v.is_finite())) {
        return None;
    }
    let size = w.min(h);
    let step = 2f64.powi((size / 4.0).log2().round() as i32);
    let low = |v: f64| (v / step).floor() * step - step;
    let high = |v: f64| (v / step).ceil() * step + step;
    let (left, top) = (low(x), low(y));
    Some(Rect {
        x: left,
        y: top,
        w: high(x + w) - left,
        h: high(y + h) - top,
    })
}

/// A box holding the drawing of a link between components centred at `a` and `b`
/// ([`link_path`]): their boxes, the forward curve's least bend on each side, and a link
/// that runs back dips below both.
pub fn link_box(a: Point, b: Point) -> Rect {
    let ends = Rect::node(a).union(&Rect::node(b));
    let bend = 60.0;
    Rect {
        x: ends.x - bend,
        y: ends.y,
        w: ends.w + 2.0 * bend,
        h: ends.h + back_dip(a, b),
    }
}

/// The view onto the canvas: `screen = canvas × zoom + (x, y)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Horizontal translation, screen pixels.
    pub x: f64,
    /// Vertical translation, screen pixels.
    pub y: f64,
    /// Scale.
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    /// Canvas coordinates of a screen point.
    pub fn to_canvas(&self, p: Point) -> Point {
        Point::new((p.x - self.x) / self.zoom, (p.y - self.y) / self.zoom)
    }

    /// Screen coordinates of a canvas point.
    pub fn to_screen(&self, p: Point) -> Point {
        Point::new(p.x * self.zoom + self.x, p.y * self.zoom + self.y)
    }

    /// Zooms by `factor` keeping the canvas point under screen point `at` where it is.
    pub fn zoom_at(&self, at: Point, factor: f64) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let anchor = self.to_canvas(at);
        Viewport {
            x: at.x - anchor.x * zoom,
            y: at.y - anchor.y * zoom,
            zoom,
        }
    }

    /// The view after two fingers moved from `from` to `to` (screen points): the canvas
    /// point under their midpoint stays under it, and the zoom follows their spread.
    pub fn pinched(&self, from: [Point; 2], to: [Point; 2]) -> Viewport {
        let spread = |[a, b]: [Point; 2]| (a.x - b.x).hypot(a.y - b.y).max(1.0);
        let mid = |[a, b]: [Point; 2]| Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        let zoom = (self.zoom * spread(to) / spread(from)).clamp(MIN_ZOOM, MAX_ZOOM);
        let (anchor, at) = (self.to_canvas(mid(from)), mid(to));
        Viewport {
            x: at.x - anchor.x * zoom,
            y: at.y - anchor.y * zoom,
            zoom,
        }
    }

    /// Moves the view by a screen-space offset.
    pub fn pan(&self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            zoom: self.zoom,
        }
    }

    /// The view that shows `content` (canvas units) centred in a `width × height` screen
    /// area with a margin, never zooming in past 1.
    pub fn fit(content: Rect, width: f64, height: f64) -> Viewport {
        let margin = 40.0;
        let zx = (width - 2.0 * margin) / content.w.max(1.0);
        let zy = (height - 2.0 * margin) / content.h.max(1.0);
        let zoom = zx.min(zy).clamp(MIN_ZOOM, 1.0);
        Viewport {
            x: width / 2.0 - (content.x + content.w / 2.0) * zoom,
            y: height / 2.0 - (content.y + content.h / 2.0) * zoom,
            zoom,
        }
    }
}

/// The box around every component of a design, canvas units (`None` when it is empty).
pub fn content_bounds(s: &crate::model::Scenario) -> Option<Rect> {
    s.components
        .iter()
        .map(|c| Rect::node(Point::new(c.x, c.y)))
        .reduce(|a, b| a.union(&b))
}

/// Rounds to the nearest grid line.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// Where a component added by a click on the palette goes: at `at` (snapped), or else the
/// first place to its right, then in the rows below from the left of `view`, where its box
/// overlaps none of the boxes centred on `taken`. Clicking Client, DNS and
/// a balancer in turn lays them out left to right, as requests flow, in sight, instead of
/// stacking them on one spot where the last hides the others. When the view has no room
/// left, `at` it is. A drop from the palette stays where it is dropped.
pub fn free_spot(at: Point, view: Rect, taken: &[Point]) -> Point {
    let start = Point::new(snap(at.x), snap(at.y));
    let (step_x, step_y) = (snap(NODE_W + 2.0 * GRID), snap(NODE_H + 2.0 * GRID));
    // Components stand centred on their position.
    let left = snap(view.x + NODE_W / 2.0 + GRID);
    let right = view.x + view.w - NODE_W / 2.0;
    let bottom = view.y + view.h - NODE_H / 2.0;
    let free = |p: &Point| {
        taken
            .iter()
            .all(|t| (t.x - p.x).abs() >= NODE_W || (t.y - p.y).abs() >= NODE_H)
    };
    // At most a screenful of rows and columns (the view's size is the person's window).
    let rows = (0..64).map(|row| start.y + f64::from(row) * step_y);
    rows.take_while(|&y| y == start.y || y <= bottom)
        .flat_map(|y| {
            let first = if y == start.y { start.x } else { left };
            (0..64)
                .map(move |col| Point::new(first + f64::from(col) * step_x, y))
                .take_while(move |p| p.x == first || p.x <= right)
        })
        .find(free)
        .unwrap_or(start)
}

/// Whether the link `a → b` runs backwards: its target's centre lies left of its source's
/// left side, so the usual left-to-right curve would run back over the forward links and
/// read the wrong way.
pub fn link_runs_back(a: Point, b: Point) -> bool {
    b.x < a.x - NODE_W / 2.0
}

/// How far below the lower of its two ends a backwards link dips.
fn back_dip(a: Point, b: Point) -> f64 {
    NODE_H / 2.0 + 40.0 + (a.x - b.x).abs() * 0.15
}

/// The SVG path of a link: a horizontal S-curve from the source's right side to the
/// target's left side, or, when it runs backwards, a loop out of the source's bottom and
/// into the target's bottom, below both, so it never lies on the forward links.
pub fn link_path(a: Point, b: Point) -> String {
    if link_runs_back(a, b) {
        let low = a.y.max(b.y) + back_dip(a, b);
        let (start, end) = (
            Point::new(a.x, a.y + NODE_H / 2.0),
            Point::new(b.x, b.y + NODE_H / 2.0),
        );
        return format!(
            "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            start.x, start.y, start.x, low, end.x, low, end.x, end.y
        );
    }
    let start = Point::new(a.x + NODE_W / 2.0, a.y);
    let end = Point::new(b.x - NODE_W / 2.0, b.y);
    let bend = ((end.x - start.x).abs() / 2.0).max(60.0);
    format!(
        "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        start.x,
        start.y,
        start.x + bend,
        start.y,
        end.x - bend,
        end.y,
        end.x,
        end.y
    )
}

/// The point halfway along [`link_path`], for labels: a cubic's point at t = ½ is
/// `(P0 + 3·P1 + 3·P2 + P3) / 8`.
pub fn link_midpoint(a: Point, b: Point) -> Point {
    if link_runs_back(a, b) {
        let low = a.y.max(b.y) + back_dip(a, b);
        let (y0, y3) = (a.y + NODE_H / 2.0, b.y + NODE_H / 2.0);
        return Point::new((a.x + b.x) / 2.0, (y0 + 3.0 * low + 3.0 * low + y3) / 8.0);
    }
    // A symmetric cubic's midpoint is the mean of its end points.
    Point::new(
        (a.x + NODE_W / 2.0 + b.x - NODE_W / 2.0) / 2.0,
        (a.y + b.y) / 2.0,
    )
}

/// How far above a link's midpoint its label's baseline stands.
pub const LABEL_RISE: f64 = 6.0;
/// A link label's width in canvas units, from its characters at 11 px in DejaVu Sans, the
/// widest of the usual sans fonts (measured in Chromium: digits 7.0, spaces and "·" 3.5,
/// "312/s · read · lag 9.0 ms" 133.8 against 135 here).
fn label_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            '0'..='9' => 7.0,
            ' ' | '·' | '.' | ',' | '/' => 3.6,
            _ => 6.5,
        })
        .sum()
}

/// The width a link's label can take: the gap between its boxes, or `None` for a link
/// drawn back below them. Labels of links between the same two columns stand in that gap
/// side by side or stacked (a label between two rows would still run into the boxes of
/// the rows beside it), so the gap bounds them whatever the heights.
pub fn label_room(a: Point, b: Point) -> Option<f64> {
    (!link_runs_back(a, b)).then(|| (b.x - a.x - NODE_W).max(0.0))
}

/// A link's label from its parts, most telling first (the rate): as many as fit in `room`
/// ([`label_room`]), the first always, so that two boxes set close together do not have
/// their names written over.
pub fn fit_label(mut parts: Vec<String>, room: Option<f64>) -> String {
    if let Some(room) = room {
        while parts.len() > 1 && label_width(&parts.join(" · ")) > room {
            parts.pop();
        }
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinch_zooms_by_the_fingers_spread_about_their_midpoint() {
        let start = Viewport {
            x: 30.0,
            y: -20.0,
            zoom: 0.5,
        };
        let p = Point::new;
        // Spread from 100 px to 200 px about (150, 100), the midpoint moving to (170, 90).
        let from = [p(100.0, 100.0), p(200.0, 100.0)];
        let to = [p(70.0, 90.0), p(270.0, 90.0)];
        let v = start.pinched(from, to);
        assert!((v.zoom - 1.0).abs() < 1e-12);
        let under = |v: &Viewport, at: Point| v.to_canvas(at);
        let (a, b) = (under(&start, p(150.0, 100.0)), under(&v, p(170.0, 90.0)));
        assert!((a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9);
        // Fingers that do not move leave the view as it was; a spread is never zero.
        assert_eq!(start.pinched(from, from), start);
        let together = [p(5.0, 5.0), p(5.0, 5.0)];
        assert!(start.pinched(together, to).zoom <= MAX_ZOOM);
        // The zoom stays within the view's limits: fingers brought to one point zoom out
        // to the least, no further.
        assert_eq!(start.pinched(to, together).zoom, MIN_ZOOM);
    }

    #[test]
    fn components_added_by_clicks_line_up_in_view_without_overlapping() {
        let view = Rect {
            x: 0.0,
            y: 0.0,
            w: 800.0,
            h: 600.0,
        };
        let centre = Point::new(413.0, 207.0);
        let mut taken = Vec::new();
        for _ in 0..8 {
            let p = free_spot(centre, view, &taken);
            assert!(taken
                .iter()
                .all(|t: &Point| { (t.x - p.x).abs() >= NODE_W || (t.y - p.y).abs() >= NODE_H }));
            let b = Rect::node(p);
            assert!(
                b.x >= 0.0 && b.x + b.w <= 800.0 && b.y + b.h <= 600.0,
                "{p:?}"
            );
            taken.push(p);
        }
        // The first at the centre (snapped), the next to its right while the view has room,
        // then rows below from its left.
        assert_eq!(taken[0], Point::new(420.0, 200.0));
        assert_eq!(taken[1], Point::new(600.0, 200.0));
        assert_eq!(taken[2], Point::new(100.0, 300.0));
        assert_eq!(taken[3], Point::new(280.0, 300.0));
        // A spot left free again is taken first.
        taken.remove(0);
        assert_eq!(free_spot(centre, view, &taken), Point::new(420.0, 200.0));
    }

    #[test]
    fn a_label_keeps_what_fits_between_the_boxes_and_always_its_rate() {
        let parts = || {
            vec![
                "312/s".to_owned(),
                "read".to_owned(),
                "lag 9.0 ms".to_owned(),
            ]
        };
        // Side by side, 52 apart: room for the rate alone (28.5 wide).
        let (a, b) = (Point::new(860.0, 140.0), Point::new(1060.0, 140.0));
        assert_eq!(label_room(a, b), Some(52.0));
        assert_eq!(fit_label(parts(), label_room(a, b)), "312/s");
        // 200 apart: all of it (135 wide).
        let far = Point::new(1208.0, 140.0);
        assert_eq!(
            fit_label(parts(), label_room(a, far)),
            "312/s · read · lag 9.0 ms"
        );
        // Touching boxes still show the rate.
        let touching = Point::new(1008.0, 140.0);
        assert_eq!(fit_label(parts(), label_room(a, touching)), "312/s");
        // Between two rows it takes the gap too.
        let below = Point::new(1060.0, 300.0);
        assert_eq!(label_room(a, below), Some(52.0));
        // A link drawn back under the boxes is not cut.
        assert_eq!(label_room(b, a), None);
    }

    #[test]
    fn the_drawn_window_holds_the_view_and_moves_by_steps() {
        let view = Rect {
            x: 1000.0,
            y: -300.0,
            w: 1800.0,
            h: 1000.0,
        };
        let w = drawn_window(view).expect("a measured view");
        // A quarter of the shorter side, 250, rounds to a step of 256: margins of one to
        // two steps.
        assert!(w.x <= view.x - 256.0 && w.x >= view.x - 512.0);
        assert!(w.x + w.w >= view.x + view.w + 256.0 && w.x + w.w <= view.x + view.w + 512.0);
        assert!(w.y <= view.y - 256.0 && w.y + w.h >= view.y + view.h + 256.0);
        // A small pan keeps the window, so the diagram is not redrawn.
        let panned = Rect { x: 1010.0, ..view };
        assert_eq!(drawn_window(panned), Some(w));
        // Unmeasured or degenerate: draw everything.
        assert_eq!(drawn_window(Rect { w: 0.0, ..view }), None);
        assert_eq!(
            drawn_window(Rect {
                h: f64::NAN,
                ..view
            }),
            None
        );
        assert_eq!(
            drawn_window(Rect {
                x: f64::INFINITY,
                ..view
            }),
            None
        );
    }

    #[test]
    fn a_link_box_holds_its_drawing() {
        let (a, b) = (Point::new(0.0, 0.0), Point::new(-900.0, 40.0));
        let bx = link_box(a, b);
        // A link running back is lowest halfway along.
        assert!(link_runs_back(a, b));
        assert!(bx.contains(link_midpoint(a, b)));
        let forward = link_box(b, a);
        assert!(forward.contains(link_midpoint(b, a)));
        assert!(forward.contains(Point::new(a.x - NODE_W / 2.0, a.y)));
    }

    #[test]
    fn transform_round_trips() {
        let v = Viewport {
            x: 13.0,
            y: -7.0,
            zoom: 1.7,
        };
        let p = Point::new(120.0, 45.0);
        let back = v.to_canvas(v.to_screen(p));
        assert!((back.x - p.x).abs() < 1e-12 && (back.y - p.y).abs() < 1e-12);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = Viewport {
            x: 50.0,
            y: 20.0,
            zoom: 0.8,
        };
        let cursor = Point::new(300.0, 200.0);
        let before = v.to_canvas(cursor);
        for factor in [1.25, 0.5, 100.0] {
            let after = v.zoom_at(cursor, factor).to_canvas(cursor);
            assert!((after.x - before.x).abs() < 1e-9 && (after.y - before.y).abs() < 1e-9);
        }
        assert_eq!(v.zoom_at(cursor, 100.0).zoom, MAX_ZOOM);
    }

    #[test]
    fn snapping_and_hits() {
        assert_eq!(snap(29.0), 20.0);
        assert_eq!(snap(31.0), 40.0);
        let r = Rect::node(Point::new(100.0, 100.0));
        assert!(r.contains(Point::new(100.0 + NODE_W / 2.0 - 1.0, 100.0)));
        assert!(!r.contains(Point::new(100.0 + NODE_W / 2.0 + 1.0, 100.0)));
        let band = Rect::spanning(Point::new(0.0, 0.0), Point::new(40.0, 80.0));
        assert!(band.intersects(&r));
        assert!(!band.intersects(&Rect::node(Point::new(400.0, 400.0))));
    }

    #[test]
    fn fit_centres_the_content() {
        let content = Rect {
            x: 0.0,
            y: 0.0,
            w: 2000.0,
            h: 500.0,
        };
        let v = Viewport::fit(content, 1000.0, 600.0);
        let centre = v.to_screen(Point::new(1000.0, 250.0));
        assert!((centre.x - 500.0).abs() < 1e-9 && (centre.y - 300.0).abs() < 1e-9);
        let right = v.to_screen(Point::new(2000.0, 0.0));
        assert!(right.x <= 1000.0 - 40.0 + 1e-9);
    }
}
