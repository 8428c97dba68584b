//! The editor's tests: the reducer, edits, gestures and shortcuts, natively.

use super::geometry::{Point, Rect, Viewport};
use super::shortcuts::{lookup, Command, SHORTCUTS};
use super::*;
use crate::model::{Failure, Kind, Link, ParamValue, Scenario, Traffic};
use std::rc::Rc;

fn editor() -> Editor {
    Editor::new(Scenario::new("t", Traffic::rps(100.0, 1.0, 0.0, 0.0)))
}

fn add(e: &Editor, kind: Kind, x: f64) -> Editor {
    e.apply(
        Edit::Add {
            kind,
            at: Point::new(x, 0.0),
        }
        .into(),
    )
    .unwrap()
}

#[test]
fn add_connect_undo_redo() {
    let e = add(&editor(), Kind::Client, 0.0);
    let e = add(&e, Kind::AppServer, 200.0);
    assert_eq!(e.scenario.components[1].id, "app-server-1");
    let e = e
        .apply(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap();
    assert_eq!(e.scenario.links.len(), 1);
    let undone = e.apply(Action::Undo).unwrap();
    assert!(undone.scenario.links.is_empty());
    let redone = undone.apply(Action::Redo).unwrap();
    assert_eq!(redone.scenario, e.scenario);
    // A new edit after undo drops the redo branch.
    let branched = add(&undone, Kind::Cache, 400.0);
    assert!(!branched.can_redo());
}

#[test]
fn the_design_before_the_last_changes_skips_moves() {
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
    let two = e.scenario.clone();
    let e = e
        .apply(Action::Move {
            ids: vec!["app-server-1".into()],
            dx: 40.0,
            dy: 0.0,
        })
        .unwrap();
    let e = e
        .apply(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap();
    let e = e
        .apply(Action::Move {
            ids: vec!["client-1".into()],
            dx: 40.0,
            dy: 0.0,
        })
        .unwrap();
    // One change back: before the connection (the moves around it do not count), and the
    // latest of the states equal to it, so its positions are the ones last seen.
    let (before, k) = e.before_changes(1);
    assert_eq!((before.links.len(), before.components.len(), k), (0, 2, 1));
    assert_eq!(before.components[1].x, two.components[1].x + 40.0);
    // Two back: before the app server was added.
    let (before, k) = e.before_changes(2);
    assert_eq!((before.components.len(), k), (1, 2));
    // More than the history holds: the oldest, and how many changes that is.
    let (before, k) = e.before_changes(10);
    assert_eq!((before.components.len(), k), (0, 3));
    assert_eq!(e.before_changes(0).1, 0);
    assert!(Rc::ptr_eq(&e.before_changes(0).0, &e.scenario));
}

#[test]
fn refused_connections_say_why_and_change_nothing() {
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
    let refused = e
        .apply(
            Edit::Connect {
                from: "app-server-1".into(),
                to: "client-1".into(),
            }
            .into(),
        )
        .unwrap();
    assert_eq!(refused.scenario, e.scenario);
    let notice = refused.notice.clone().unwrap();
    assert!(
        notice.error && notice.text.contains("cannot receive"),
        "{}",
        notice.text
    );
    assert_eq!(refused.undo_depth(), e.undo_depth());
}

#[test]
fn invalid_parameters_never_reach_the_scenario() {
    let e = add(&editor(), Kind::AppServer, 0.0);
    let bad = e
        .apply(
            Edit::SetParam {
                id: "app-server-1".into(),
                key: "instances".into(),
                value: Some(ParamValue::Number(0.0)),
            }
            .into(),
        )
        .unwrap();
    assert_eq!(bad.scenario, e.scenario);
    assert!(bad.notice.unwrap().text.contains("between 1"));
    let good = e
        .apply(
            Edit::SetParam {
                id: "app-server-1".into(),
                key: "instances".into(),
                value: Some(ParamValue::Number(3.0)),
            }
            .into(),
        )
        .unwrap();
    assert_eq!(good.scenario.components[0].num("instances"), 3.0);
}

#[test]
fn autoscaling_bounds_are_checked_against_each_other() {
    let e = add(&editor(), Kind::AppServer, 0.0);
    let set = |e: &Editor, key: &str, v: f64| {
        e.apply(
            Edit::SetParam {
                id: "app-server-1".into(),
                key: key.into(),
                value: Some(ParamValue::Number(v)),
            }
            .into(),
        )
        .unwrap()
    };
    let e = set(&set(&e, "autoscale_max", 4.0), "autoscale_min", 2.0);
    assert_eq!(e.scenario.components[0].num("autoscale_min"), 2.0);
    // Either bound moved past the other is refused, and the design stays as it was.
    for (key, v) in [("autoscale_min", 5.0), ("autoscale_max", 1.0)] {
        let bad = set(&e, key, v);
        assert_eq!(bad.scenario, e.scenario, "{key} = {v}");
        let text = bad.notice.map(|n| n.text).unwrap_or_default();
        assert!(text.contains("is more than Most instances"), "{text}");
    }
}

#[test]
fn delete_removes_links_and_is_undoable() {
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
    let e = e
        .apply(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap();
    // Adding selected it already, so selecting again changes nothing.
    assert!(e
        .apply(Action::Select {
            id: "app-server-1".into(),
            additive: false,
        })
        .is_none());
    let deleted = e.apply(Action::DeleteSelection).unwrap();
    assert_eq!(deleted.scenario.components.len(), 1);
    assert!(deleted.scenario.links.is_empty());
    assert!(deleted.selection.components.is_empty());
    assert_eq!(deleted.apply(Action::Undo).unwrap().scenario, e.scenario);
}

#[test]
fn a_drag_is_one_undo_step_and_snaps() {
    let e = add(&editor(), Kind::Cache, 0.0);
    let moved = e
        .apply(Action::Move {
            ids: vec!["cache-1".into()],
            dx: 33.0,
            dy: -9.0,
        })
        .unwrap();
    let c = &moved.scenario.components[0];
    assert_eq!((c.x, c.y), (40.0, 0.0));
    assert_eq!(moved.apply(Action::Undo).unwrap().scenario, e.scenario);
}

#[test]
fn copy_paste_and_duplicate_keep_inner_links() {
    let e = add(
        &add(&editor(), Kind::LoadBalancer, 0.0),
        Kind::AppServer,
        200.0,
    );
    let e = e
        .apply(
            Edit::Connect {
                from: "load-balancer-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap();
    let e = e.apply(Action::SelectAll).unwrap();
    let dup = e.apply(Action::Duplicate).unwrap();
    assert_eq!(dup.scenario.components.len(), 4);
    assert_eq!(dup.scenario.links.len(), 2);
    assert!(dup
        .scenario
        .links
        .iter()
        .any(|l| l.from == "load-balancer-2" && l.to == "app-server-2"));
    let pasted = dup.selection.components.clone();
    assert_eq!(pasted.len(), 2);
    assert!(pasted.contains("app-server-2"));
    // One undo step removes the paste.
    assert_eq!(dup.apply(Action::Undo).unwrap().scenario, e.scenario);
}

#[test]
fn link_settings_are_validated() {
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
    let e = e
        .apply(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap();
    let bad = e
        .apply(Edit::SetLink(Link::new("client-1", "app-server-1").weighted(-1.0)).into())
        .unwrap();
    assert_eq!(bad.scenario, e.scenario);
    assert!(bad.notice.unwrap().text.contains("weight"));
    let good = e
        .apply(Edit::SetLink(Link::new("client-1", "app-server-1").weighted(3.0)).into())
        .unwrap();
    assert_eq!(good.scenario.links[0].weight, Some(3.0));
}

#[test]
fn snapping_can_be_turned_off() {
    let e = add(&editor(), Kind::Cache, 0.0)
        .apply(Action::ToggleSnap)
        .unwrap();
    let moved = e
        .apply(Action::Move {
            ids: vec!["cache-1".into()],
            dx: 33.0,
            dy: -9.0,
        })
        .unwrap();
    let c = &moved.scenario.components[0];
    assert_eq!((c.x, c.y), (33.0, -9.0));
}

#[test]
fn failing_and_restoring_is_undoable() {
    let e = add(&editor(), Kind::AppServer, 0.0);
    let failed = e
        .apply(
            Edit::SetFailure {
                id: "app-server-1".into(),
                failure: Some(Failure::DOWN),
            }
            .into(),
        )
        .unwrap();
    assert!(failed.scenario.failed.contains_key("app-server-1"));
    // One instance of a single-instance pool cannot be "lost": refused with the reason.
    let refused = e
        .apply(
            Edit::SetFailure {
                id: "app-server-1".into(),
                failure: Some(Failure::lose(2)),
            }
            .into(),
        )
        .unwrap();
    let text = refused.notice.unwrap().text;
    assert!(text.contains("can lose 1 to 1"), "{text}");
    assert_eq!(failed.apply(Action::Undo).unwrap().scenario, e.scenario);
}

#[test]
fn no_op_returns_none() {
    let e = editor();
    assert!(e.apply(Action::Undo).is_none());
    assert!(e.apply(Action::ClearSelection).is_none());
}

#[test]
fn labels_of_unknown_components_are_refused_like_parameters() {
    let s = editor().scenario;
    for edit in [
        Edit::SetLabel {
            id: "ghost".into(),
            label: "x".into(),
        },
        Edit::SetParam {
            id: "ghost".into(),
            key: "instances".into(),
            value: None,
        },
    ] {
        assert_eq!(
            apply_edit(&s, edit),
            Err(EditError::NoComponent("ghost".into()))
        );
    }
}

#[test]
fn parameter_refusals_carry_the_tables_message() {
    let e = add(&editor(), Kind::AppServer, 0.0);
    let err = apply_edit(
        &e.scenario,
        Edit::SetParam {
            id: "app-server-1".into(),
            key: "instances".into(),
            value: Some(ParamValue::Number(2.5)),
        },
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "Instances must be a whole number, got 2.5");
    let unknown = apply_edit(
        &e.scenario,
        Edit::SetParam {
            id: "app-server-1".into(),
            key: "hit_ratio".into(),
            value: None,
        },
    )
    .unwrap_err();
    assert!(matches!(unknown, EditError::NoParam { .. }), "{unknown}");
}

#[test]
fn traffic_edits_are_refused_only_for_their_own_problems() {
    let e = editor();
    let bad = e
        .apply(Edit::SetTraffic(Traffic::rps(-1.0, 1.0, 0.0, 0.0)).into())
        .unwrap();
    assert_eq!(bad.scenario, e.scenario);
    assert!(
        bad.notice
            .unwrap()
            .text
            .starts_with("Requests per second must be"),
        "the notice names the field by its label"
    );
    let good = e
        .apply(Edit::SetTraffic(Traffic::rps(5.0, 0.5, 0.5, 0.0)).into())
        .unwrap();
    assert_eq!(good.scenario.traffic.peak_rps(), 5.0);
}

#[test]
fn removing_the_key_space_a_sized_cache_needs_is_refused() {
    let mut s = crate::presets::example("cache-sizing").unwrap().unwrap();
    let sized = s.clone();
    s.traffic.keys = None;
    let err = apply_edit(&sized, Edit::SetTraffic(s.traffic.clone())).unwrap_err();
    assert!(
        err.to_string()
            .contains("Cache size needs the traffic's key space"),
        "{err}"
    );
    // A traffic change that only makes a run too long is still the person's to make.
    let mut more = sized.traffic.clone();
    more.rps = Some(1e6);
    assert!(apply_edit(&sized, Edit::SetTraffic(more)).is_ok());
}

#[test]
fn paste_with_nothing_copied_says_so() {
    let e = editor().apply(Action::Paste).unwrap();
    assert!(e.notice.unwrap().text.contains("nothing copied yet"));
}

#[test]
fn deleting_a_selected_link_keeps_the_components() {
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
    let e = e
        .apply(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            }
            .into(),
        )
        .unwrap()
        .apply(Action::SelectLink {
            from: "client-1".into(),
            to: "app-server-1".into(),
        })
        .unwrap();
    let deleted = e.apply(Action::DeleteSelection).unwrap();
    assert_eq!(deleted.scenario.components.len(), 2);
    assert!(deleted.scenario.links.is_empty());
    assert_eq!(deleted.selection, Selection::default());
}

/// A 1000 × 800 canvas at the page's top-left corner plus (100, 50), unzoomed.
fn frame() -> Frame {
    Frame {
        area: Rect {
            x: 100.0,
            y: 50.0,
            w: 1000.0,
            h: 800.0,
        },
        viewport: Viewport::default(),
    }
}

/// Client point of a canvas point in [`frame`].
fn client(f: &Frame, x: f64, y: f64) -> Point {
    let p = f.viewport.to_screen(Point::new(x, y));
    Point::new(p.x + f.area.x, p.y + f.area.y)
}

fn two_servers() -> Editor {
    let e = add(&editor(), Kind::Client, 0.0);
    add(&e, Kind::AppServer, 400.0)
}

#[test]
fn dragging_from_the_palette_adds_where_dropped_and_a_click_adds_at_the_centre() {
    let f = frame();
    let e = editor();
    let g = Gesture::palette(Kind::Cache, client(&f, 0.0, 0.0));
    let (g, act) = g.move_to(client(&f, 200.0, 100.0));
    assert_eq!(act, None);
    assert!(
        matches!(g.preview(&f), Preview::Ghost { kind: Kind::Cache, at } if at == Point::new(200.0, 100.0))
    );
    assert_eq!(
        g.release(client(&f, 200.0, 100.0), &f, &e.scenario),
        Some(
            Edit::Add {
                kind: Kind::Cache,
                at: Point::new(200.0, 100.0)
            }
            .into()
        )
    );
    // A click (no travel) adds at the centre of the view, and shows no ghost meanwhile.
    let click = Gesture::palette(Kind::Cache, Point::new(5.0, 5.0));
    assert_eq!(click.preview(&f), Preview::None);
    assert_eq!(
        click.release(Point::new(6.0, 6.0), &f, &e.scenario),
        Some(
            Edit::Add {
                kind: Kind::Cache,
                at: f.centre()
            }
            .into()
        )
    );
    // Dropped outside the canvas: nothing.
    let away = Gesture::palette(Kind::Cache, Point::new(5.0, 5.0));
    assert_eq!(away.release(Point::new(5.0, 600.0), &f, &e.scenario), None);
}

#[test]
fn pressing_a_component_selects_it_and_dragging_moves_the_selection() {
    let f = frame();
    let e = two_servers();
    let at = client(&f, 0.0, 0.0);
    let (g, act) = Gesture::press(
        Hit::Node("client-1".into()),
        at,
        false,
        &e.selection,
        e.viewport,
    );
    assert_eq!(
        act,
        Some(Action::Select {
            id: "client-1".into(),
            additive: false
        })
    );
    let (g, _) = g.unwrap().move_to(client(&f, 30.0, 10.0));
    assert_eq!(
        g.preview(&f),
        Preview::Move {
            ids: vec!["client-1".into()],
            dx: 30.0,
            dy: 10.0
        }
    );
    assert_eq!(
        g.release(client(&f, 30.0, 10.0), &f, &e.scenario),
        Some(Action::Move {
            ids: vec!["client-1".into()],
            dx: 30.0,
            dy: 10.0
        })
    );
    // With both selected, dragging one moves both, and the press changes no selection.
    let both = e.apply(Action::SelectAll).unwrap();
    let (g, act) = Gesture::press(
        Hit::Node("client-1".into()),
        at,
        false,
        &both.selection,
        both.viewport,
    );
    assert_eq!(act, None);
    let Some(Gesture::Move { ids, .. }) = g else {
        panic!("a move")
    };
    assert_eq!(ids.len(), 2);
    // A click without travel moves nothing, and is no drag while it is held.
    let (g, _) = Gesture::press(
        Hit::Node("client-1".into()),
        at,
        false,
        &e.selection,
        e.viewport,
    );
    let g = g.unwrap();
    assert!(!g.is_drag());
    let (nudged, _) = g.clone().move_to(Point::new(at.x + 2.0, at.y));
    assert!(!nudged.is_drag(), "within the click slop");
    let (dragged, _) = g.clone().move_to(Point::new(at.x + 30.0, at.y));
    assert!(dragged.is_drag());
    assert_eq!(g.release(at, &f, &e.scenario), None);
}

#[test]
fn a_move_is_scaled_by_the_zoom() {
    let mut f = frame();
    f.viewport.zoom = 2.0;
    let e = two_servers();
    let (g, _) = Gesture::press(
        Hit::Node("client-1".into()),
        Point::new(0.0, 0.0),
        false,
        &e.selection,
        e.viewport,
    );
    let action = g.unwrap().release(Point::new(40.0, -20.0), &f, &e.scenario);
    assert_eq!(
        action,
        Some(Action::Move {
            ids: vec!["client-1".into()],
            dx: 20.0,
            dy: -10.0
        })
    );
}

#[test]
fn wiring_from_a_port_connects_to_the_component_released_on() {
    let f = frame();
    let e = two_servers();
    let (g, _) = Gesture::press(
        Hit::Port("client-1".into()),
        client(&f, 70.0, 0.0),
        false,
        &e.selection,
        e.viewport,
    );
    let (g, _) = g.unwrap().move_to(client(&f, 390.0, 5.0));
    assert_eq!(
        g.preview(&f),
        Preview::Wire {
            from_id: "client-1".into(),
            to: Point::new(390.0, 5.0)
        }
    );
    assert_eq!(
        g.clone().release(client(&f, 390.0, 5.0), &f, &e.scenario),
        Some(
            Edit::Connect {
                from: "client-1".into(),
                to: "app-server-1".into()
            }
            .into()
        )
    );
    // Released on empty canvas, or on itself: nothing.
    assert_eq!(
        g.clone().release(client(&f, 200.0, 300.0), &f, &e.scenario),
        None
    );
    assert_eq!(g.release(client(&f, 0.0, 0.0), &f, &e.scenario), None);
}

#[test]
fn shift_dragging_the_background_selects_what_the_band_touches() {
    let f = frame();
    let e = two_servers();
    let (g, _) = Gesture::press(
        Hit::Background,
        client(&f, -100.0, -100.0),
        true,
        &e.selection,
        e.viewport,
    );
    let (g, _) = g.unwrap().move_to(client(&f, 100.0, 100.0));
    assert!(matches!(g.preview(&f), Preview::Band(_)));
    assert_eq!(
        g.release(client(&f, 100.0, 100.0), &f, &e.scenario),
        Some(Action::SelectMany(vec!["client-1".into()]))
    );
}

#[test]
fn dragging_the_background_pans_and_a_click_clears_the_selection() {
    let f = frame();
    let e = two_servers();
    let (g, _) = Gesture::press(
        Hit::Background,
        Point::new(500.0, 500.0),
        false,
        &e.selection,
        e.viewport,
    );
    let g = g.unwrap();
    assert!(g.is_pan());
    let (g, act) = g.move_to(Point::new(530.0, 480.0));
    assert_eq!(
        act,
        Some(Action::SetViewport(Viewport::default().pan(30.0, -20.0)))
    );
    assert_eq!(g.preview(&f), Preview::None);
    assert_eq!(g.release(Point::new(530.0, 480.0), &f, &e.scenario), None);
    let (g, _) = Gesture::press(
        Hit::Background,
        Point::new(500.0, 500.0),
        false,
        &e.selection,
        e.viewport,
    );
    assert_eq!(
        g.unwrap()
            .release(Point::new(501.0, 500.0), &f, &e.scenario),
        Some(Action::ClearSelection)
    );
}

#[test]
fn pressing_a_link_selects_it_without_a_gesture() {
    let e = two_servers();
    let (g, act) = Gesture::press(
        Hit::Link("client-1".into(), "app-server-1".into()),
        Point::new(0.0, 0.0),
        false,
        &e.selection,
        e.viewport,
    );
    assert_eq!(g, None);
    assert_eq!(
        act,
        Some(Action::SelectLink {
            from: "client-1".into(),
            to: "app-server-1".into()
        })
    );
}

#[test]
fn shortcuts_map_keys_to_commands() {
    assert_eq!(lookup("z", true, false), Some(Command::Undo));
    assert_eq!(lookup("Z", true, true), Some(Command::Redo));
    assert_eq!(lookup("y", true, false), Some(Command::Redo));
    assert_eq!(lookup("Delete", false, false), Some(Command::Delete));
    assert_eq!(lookup("Backspace", false, false), Some(Command::Delete));
    assert_eq!(lookup("?", false, true), Some(Command::Help));
    assert_eq!(lookup("Escape", false, false), Some(Command::Escape));
    assert_eq!(
        lookup("ArrowLeft", false, false),
        Some(Command::Nudge(-1, 0))
    );
    assert_eq!(lookup("ArrowDown", false, true), Some(Command::Nudge(0, 5)));
    // A plain letter is typing, not a command.
    assert_eq!(lookup("z", false, false), None);
    assert_eq!(lookup("q", true, false), None);
}

#[test]
fn every_bound_shortcut_is_listed_with_a_command() {
    for s in SHORTCUTS {
        assert_eq!(s.keys.is_empty(), s.command.is_none(), "{}", s.how);
        assert!(!s.how.is_empty() && !s.what.is_empty());
    }
    // No key is bound twice.
    let mut seen = std::collections::HashSet::new();
    for k in SHORTCUTS.iter().flat_map(|s| s.keys) {
        assert!(
            seen.insert((k.key.to_lowercase(), k.modifier)),
            "{} twice",
            k.key
        );
    }
}

#[test]
fn opening_a_design_is_undoable_counts_as_an_open_and_clears_old_notices() {
    let e = add(&editor(), Kind::Cache, 0.0)
        .apply(Action::Notify(Notice::error(
            "the link could not be opened",
        )))
        .unwrap();
    let opened = e
        .apply(Action::Open {
            scenario: Box::new(crate::presets::starter()),
            origin: Origin::Link,
        })
        .unwrap();
    assert_eq!(opened.opened, e.opened + 1);
    assert_eq!(opened.origin, Origin::Link);
    assert_eq!(opened.notice, None, "a notice about the old state goes");
    assert!(opened.selection.components.is_empty());
    // An edit is not an open.
    let edited = opened.apply(Action::SelectAll).unwrap();
    let edited = edited.apply(Action::DeleteSelection).unwrap();
    assert_eq!(edited.opened, opened.opened);
    assert_eq!(
        edited.apply(Action::Undo).unwrap().scenario,
        opened.scenario
    );
    assert_eq!(
        opened.apply(Action::Undo).unwrap().scenario,
        e.scenario,
        "the design it replaced is one undo away"
    );
}

#[test]
fn arrow_keys_move_the_selection_by_grid_steps() {
    let e = add(&editor(), Kind::Cache, 0.0);
    let x0 = e.scenario.components[0].x;
    let moved = e
        .apply(lookup("ArrowRight", false, true).unwrap().action().unwrap())
        .unwrap();
    assert_eq!(moved.scenario.components[0].x, x0 + 100.0);
    let back = moved
        .apply(lookup("ArrowLeft", false, false).unwrap().action().unwrap())
        .unwrap();
    assert_eq!(back.scenario.components[0].x, x0 + 80.0);
    // Nothing selected: nothing moves.
    let none = e.apply(Action::ClearSelection).unwrap();
    assert!(none
        .apply(lookup("ArrowUp", false, false).unwrap().action().unwrap())
        .is_none());
}

/// New links carry what the receiver can serve: static to a CDN or object storage, reads to
/// a replica; once a sender's static goes to a CDN, its next plain link carries the rest.
#[test]
fn new_links_carry_the_classes_their_ends_make_sensible() {
    use crate::model::{Class, Component};
    let mut s = Scenario::new("t", Traffic::rps(10.0, 0.6, 0.2, 0.2));
    for (id, kind) in [
        ("users", Kind::Client),
        ("cdn", Kind::Cdn),
        ("lb", Kind::LoadBalancer),
        ("app", Kind::AppServer),
        ("files", Kind::ObjectStorage),
        ("replica", Kind::ReadReplica),
        ("db", Kind::Database),
    ] {
        s.components.push(Component::new(id, kind, "", 0.0, 0.0));
    }
    let classes = |s: &Scenario, a: &str, b: &str| connection(s, a, b).expect("allowed").classes;
    assert_eq!(classes(&s, "users", "cdn"), [Class::Static]);
    assert_eq!(classes(&s, "users", "lb"), Vec::<Class>::new());
    assert_eq!(classes(&s, "app", "files"), [Class::Static]);
    assert_eq!(classes(&s, "app", "replica"), [Class::Read]);
    assert_eq!(classes(&s, "db", "replica"), [Class::Read]);
    assert_eq!(classes(&s, "app", "db"), Vec::<Class>::new());
    s.links
        .push(connection(&s, "users", "cdn").expect("allowed"));
    assert_eq!(classes(&s, "users", "lb"), [Class::Read, Class::Write]);
    assert_eq!(
        s.links[0].classes_label().as_deref(),
        Some("static"),
        "the diagram names the classes"
    );
    assert_eq!(Link::new("a", "b").classes_label(), None);
}

#[test]
fn a_rate_typed_over_a_closed_population_says_so_and_undo_brings_it_back() {
    let mut s = Scenario::new("t", Traffic::closed(500.0, 5.0, 1.0, 0.0, 0.0));
    s.components.push(crate::model::Component::new(
        "users",
        Kind::Client,
        "Users",
        0.0,
        0.0,
    ));
    let e = Editor::new(s);
    let open = e.scenario.traffic.with_rps(200.0);
    let e = e.apply(Edit::SetTraffic(open).into()).unwrap();
    assert_eq!(e.scenario.traffic.population(), None);
    let notice = e.notice.clone().expect("a notice");
    assert!(!notice.error);
    assert_eq!(
        notice.text,
        "The closed population (500 users thinking 5 s) is now an open rate of 200 req/s. \
         Undo (Ctrl+Z) brings the population back."
    );
    let back = e.apply(Action::Undo).unwrap();
    assert_eq!(back.scenario.traffic.population(), Some((500.0, 5.0)));
    // Scaling keeps a population a population, and says nothing.
    let scaled = back.scenario.traffic.scaled(2.0);
    let e = back.apply(Edit::SetTraffic(scaled).into()).unwrap();
    assert_eq!(e.scenario.traffic.population(), Some((1000.0, 5.0)));
    assert!(e
        .notice
        .is_none_or(|n| !n.text.contains("closed population")));
}

#[test]
fn a_link_that_carries_only_some_requests_says_so_when_the_rest_have_no_link() {
    let connect = |e: &Editor, to: &str| {
        e.apply(
            Edit::Connect {
                from: "client-1".into(),
                to: to.into(),
            }
            .into(),
        )
        .unwrap()
    };
    let e = add(&add(&editor(), Kind::Client, 0.0), Kind::Cdn, 200.0);
    let e = add(&e, Kind::LoadBalancer, 400.0);
    // The client's first link, to a CDN, takes static requests only: said.
    let e = connect(&e, "cdn-1");
    let said = e
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("carries only static requests") && said.contains("read and write"),
        "{said}"
    );
    // Its link to the balancer then takes the reads and writes: nothing to say.
    let e = connect(&e.apply(Action::DismissNotice).unwrap(), "load-balancer-1");
    assert!(e.notice.is_none());
}
