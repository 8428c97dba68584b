//! The root component: owns the editor reducer, the solve, and pointer gestures that cross
//! panels (dragging from the palette onto the canvas).

use super::canvas::{Canvas, Hit, Preview};
use super::failures::FailurePanel;
use super::files;
use super::format;
use super::inspector::Inspector;
use super::journey::{self, JourneyPanel};
use super::minimap::Minimap;
use super::palette::Palette;
use super::planner::Planner;
use super::results::Results;
use super::share;
use super::simulate::{Moment, SimulationPanel};
use super::storage;
use super::toolbar::{FileAction, Toolbar};
use super::Shared;
use crate::editor::geometry::{Point, Rect, Viewport};
use crate::editor::{Action, Editor, Notice};
use crate::model::Kind;
use crate::solve::{analyze, load_sweep, FailureAnalysis, FailureSweep, LoadPoint};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, PointerEvent, WheelEvent};
use yew::prelude::*;

/// A gesture in progress. Positions are client (page) pixels.
#[derive(Debug, Clone, PartialEq)]
enum Drag {
    /// A palette item is being dragged towards the canvas.
    Palette { kind: Kind, from: Point, at: Point },
    /// Components are being moved.
    Move {
        ids: Vec<String>,
        from: Point,
        at: Point,
    },
    /// The view is being panned.
    Pan { from: Point, start: Viewport },
    /// A link is being drawn from a component's output port.
    Wire { from_id: String, at: Point },
    /// A selection rectangle.
    Band { from: Point, at: Point },
}

/// Links above which flow animation starts switched off.
const FLOW_AUTO_LINKS: usize = 60;

/// Pointer travel below which a press counts as a click.
const CLICK_SLOP: f64 = 4.0;

fn client(e: &PointerEvent) -> Point {
    Point::new(f64::from(e.client_x()), f64::from(e.client_y()))
}

fn distance(a: Point, b: Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// The canvas element's box in client pixels.
fn canvas_box(node: &NodeRef) -> Rect {
    node.cast::<Element>()
        .map(|el| {
            let r = el.get_bounding_client_rect();
            Rect {
                x: r.left(),
                y: r.top(),
                w: r.width(),
                h: r.height(),
            }
        })
        .unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0,
        })
}

/// The application.
#[component]
pub fn App() -> Html {
    let editor = use_reducer(initial_editor);
    let embed = use_memo((), |_| share::is_embed());
    let drag = use_state(|| None::<Drag>);
    let help = use_state(|| false);
    // Flow dots: on for small diagrams, off by default past FLOW_AUTO_LINKS links, where
    // animating every link costs more frame time than it is worth (see the benchmark).
    let flow_choice = use_state(|| None::<bool>);
    let lesson = use_state(|| None::<journey::Lesson>);
    // A second of a simulated run shown on the diagram instead of the live solve.
    let moment = use_state(|| None::<Moment>);
    let canvas_ref = use_node_ref();
    let report = use_memo(editor.scenario.clone(), |s| analyze(s).map(Rc::new));
    let dispatch = editor.dispatcher();

    // The address bar and the browser's storage always hold the current design.
    use_effect_with(editor.scenario.clone(), |s| {
        share::write_location(s);
        storage::save(s);
    });

    // A link pasted into the address bar of the open page loads too (undoably).
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| match share::from_location() {
                    Some(Ok(s)) => dispatch.dispatch(Action::Load(Box::new(s))),
                    Some(Err(text)) => {
                        dispatch.dispatch(Action::Notify(Notice { error: true, text }))
                    }
                    None => {}
                })
            });
            move || drop(listener)
        });
    }

    // Every single failure is a solve of its own: computed once edits pause, a few
    // milliseconds per frame so that even a large design never freezes the page.
    let failures = use_state(|| None::<Rc<FailureAnalysis>>);
    let generation = use_mut_ref(|| 0u64);
    {
        let failures = failures.clone();
        let report = report.clone();
        let generation = generation.clone();
        use_effect_with(editor.scenario.clone(), move |s| {
            failures.set(None);
            *generation.borrow_mut() += 1;
            if let Ok(base) = report.as_ref() {
                let sweep = FailureSweep::new((**s).clone(), (**base).clone());
                let mine = *generation.borrow();
                run_failure_sweep(sweep, mine, generation, failures, 200);
            } else {
                failures.set(Some(Rc::new(FailureAnalysis::default())));
            }
        });
    }

    // The load curve takes a few dozen solves: compute it once edits pause.
    let sweep = use_state(|| Rc::new(Vec::<LoadPoint>::new()));
    {
        let sweep = sweep.clone();
        use_effect_with(editor.scenario.clone(), move |s| {
            let s = s.clone();
            let timer = Timeout::new(150, move || sweep.set(Rc::new(load_sweep(&s, 24))));
            move || drop(timer)
        });
    }

    // Keyboard shortcuts, ignored while typing in a field.
    {
        let dispatch = dispatch.clone();
        let help = help.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().filter(|_| !share::is_embed()).map(|w| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&w, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                        .is_some_and(|el| {
                            matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                        });
                    if typing {
                        return;
                    }
                    let command = e.ctrl_key() || e.meta_key();
                    let key = e.key();
                    let action = match key.as_str() {
                        "z" | "Z" if command && e.shift_key() => Some(Action::Redo),
                        "z" | "Z" if command => Some(Action::Undo),
                        "y" if command => Some(Action::Redo),
                        "a" if command => Some(Action::SelectAll),
                        "c" if command => Some(Action::Copy),
                        "v" if command => Some(Action::Paste),
                        "d" if command => Some(Action::Duplicate),
                        "Delete" | "Backspace" => Some(Action::DeleteSelection),
                        "Escape" => {
                            help.set(false);
                            Some(Action::ClearSelection)
                        }
                        "?" => {
                            help.set(!*help);
                            None
                        }
                        _ => None,
                    };
                    if let Some(a) = action {
                        e.prevent_default();
                        dispatch.dispatch(a);
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Show the whole diagram when the page opens.
    {
        let dispatch = dispatch.clone();
        let canvas_ref = canvas_ref.clone();
        let scenario = editor.scenario.clone();
        use_effect_with((), move |_| fit(&scenario, &canvas_ref, &dispatch));
    }

    // The canvas's box in the page, measured when a gesture starts (and on mount and
    // resize), never while rendering: reading layout then would force a reflow every frame.
    let area = use_mut_ref(|| Rect {
        x: 0.0,
        y: 0.0,
        w: 0.0,
        h: 0.0,
    });
    {
        let (area, canvas_ref) = (area.clone(), canvas_ref.clone());
        use_effect_with((), move |_| {
            *area.borrow_mut() = canvas_box(&canvas_ref);
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    *area.borrow_mut() = canvas_box(&canvas_ref);
                })
            });
            move || drop(listener)
        });
    }
    let measure = {
        let (area, canvas_ref) = (area.clone(), canvas_ref.clone());
        move || *area.borrow_mut() = canvas_box(&canvas_ref)
    };

    let flow = flow_choice.unwrap_or(editor.scenario.links.len() <= FLOW_AUTO_LINKS);
    let viewport = editor.viewport;
    let to_canvas = {
        let area = area.clone();
        move |p: Point| {
            let b = *area.borrow();
            viewport.to_canvas(Point::new(p.x - b.x, p.y - b.y))
        }
    };

    let on_palette_down = {
        let drag = drag.clone();
        let measure = measure.clone();
        Callback::from(move |(kind, e): (Kind, PointerEvent)| {
            e.prevent_default();
            measure();
            let p = client(&e);
            drag.set(Some(Drag::Palette {
                kind,
                from: p,
                at: p,
            }));
        })
    };

    // Memoised on what it reads, so the canvas's node and link views keep equal props (and
    // skip rendering) while something is dragged.
    let on_canvas_down = {
        let drag = drag.clone();
        let dispatch = dispatch.clone();
        let measure = measure.clone();
        use_callback(
            (editor.selection.clone(), editor.viewport),
            move |(hit, e): (Hit, PointerEvent), (selection, viewport)| {
                if e.button() != 0 {
                    return;
                }
                e.prevent_default();
                measure();
                let p = client(&e);
                match hit {
                    Hit::Node(id) => {
                        let selected = selection.components.contains(&id);
                        if e.shift_key() || !selected {
                            dispatch.dispatch(Action::Select {
                                id: id.clone(),
                                additive: e.shift_key(),
                            });
                        }
                        let ids = if selected && !e.shift_key() {
                            selection.components.iter().cloned().collect()
                        } else {
                            vec![id]
                        };
                        drag.set(Some(Drag::Move {
                            ids,
                            from: p,
                            at: p,
                        }));
                    }
                    Hit::Port(id) => drag.set(Some(Drag::Wire { from_id: id, at: p })),
                    Hit::Link(from, to) => dispatch.dispatch(Action::SelectLink { from, to }),
                    Hit::Background if e.shift_key() => {
                        drag.set(Some(Drag::Band { from: p, at: p }))
                    }
                    Hit::Background => drag.set(Some(Drag::Pan {
                        from: p,
                        start: *viewport,
                    })),
                }
            },
        )
    };

    let on_pointer_move = {
        let drag = drag.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(current) = (*drag).clone() else {
                return;
            };
            let p = client(&e);
            let next = match current {
                Drag::Palette { kind, from, .. } => Drag::Palette { kind, from, at: p },
                Drag::Move { ids, from, .. } => Drag::Move { ids, from, at: p },
                Drag::Wire { from_id, .. } => Drag::Wire { from_id, at: p },
                Drag::Band { from, .. } => Drag::Band { from, at: p },
                Drag::Pan { from, start } => {
                    dispatch.dispatch(Action::SetViewport(start.pan(p.x - from.x, p.y - from.y)));
                    return;
                }
            };
            drag.set(Some(next));
        })
    };

    let on_pointer_up = {
        let drag = drag.clone();
        let dispatch = dispatch.clone();
        let editor = editor.clone();
        let canvas_ref = canvas_ref.clone();
        let to_canvas = to_canvas.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(current) = (*drag).clone() else {
                return;
            };
            drag.set(None);
            let p = client(&e);
            let area = canvas_box(&canvas_ref);
            match current {
                Drag::Palette { kind, from, .. } => {
                    let at = if distance(from, p) < CLICK_SLOP {
                        // A click adds at the centre of the view.
                        to_canvas(Point::new(area.x + area.w / 2.0, area.y + area.h / 2.0))
                    } else if area.contains(p) {
                        to_canvas(p)
                    } else {
                        return;
                    };
                    dispatch.dispatch(Action::Add { kind, at });
                }
                Drag::Move { ids, from, .. } => {
                    let zoom = editor.viewport.zoom;
                    if distance(from, p) >= CLICK_SLOP {
                        dispatch.dispatch(Action::Move {
                            ids,
                            dx: (p.x - from.x) / zoom,
                            dy: (p.y - from.y) / zoom,
                        });
                    }
                }
                Drag::Wire { from_id, .. } => {
                    let at = to_canvas(p);
                    let target = editor
                        .scenario
                        .components
                        .iter()
                        .rev()
                        .find(|c| Rect::node(Point::new(c.x, c.y)).contains(at));
                    match target {
                        Some(c) if c.id != from_id => dispatch.dispatch(Action::Connect {
                            from: from_id,
                            to: c.id.clone(),
                        }),
                        _ => {}
                    }
                }
                Drag::Band { from, .. } => {
                    let band = Rect::spanning(to_canvas(from), to_canvas(p));
                    let ids = editor
                        .scenario
                        .components
                        .iter()
                        .filter(|c| band.intersects(&Rect::node(Point::new(c.x, c.y))))
                        .map(|c| c.id.clone())
                        .collect();
                    dispatch.dispatch(Action::SelectMany(ids));
                }
                Drag::Pan { from, .. } => {
                    if distance(from, p) < CLICK_SLOP {
                        dispatch.dispatch(Action::ClearSelection);
                    }
                }
            }
        })
    };

    let on_wheel = {
        let dispatch = dispatch.clone();
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let b = canvas_box(&canvas_ref);
            let at = Point::new(f64::from(e.client_x()) - b.x, f64::from(e.client_y()) - b.y);
            let factor = (-e.delta_y() * 0.0015).exp();
            dispatch.dispatch(Action::SetViewport(viewport.zoom_at(at, factor)));
        })
    };

    let on_fit = {
        let dispatch = dispatch.clone();
        let editor = editor.clone();
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |_| fit(&editor.scenario, &canvas_ref, &dispatch))
    };

    // What the gesture in progress looks like on the canvas.
    let preview = match (*drag).clone() {
        Some(Drag::Move { ids, from, at }) => Preview::Move {
            ids,
            dx: (at.x - from.x) / viewport.zoom,
            dy: (at.y - from.y) / viewport.zoom,
        },
        Some(Drag::Wire { from_id, at }) => Preview::Wire {
            from_id,
            to: to_canvas(at),
        },
        Some(Drag::Band { from, at }) => {
            Preview::Band(Rect::spanning(to_canvas(from), to_canvas(at)))
        }
        Some(Drag::Palette { kind, from, at }) if distance(from, at) >= CLICK_SLOP => {
            let c = to_canvas(at);
            Preview::Ghost {
                kind,
                at: Point::new(c.x, c.y),
            }
        }
        _ => Preview::None,
    };
    let dragging_class = match *drag {
        Some(Drag::Pan { .. }) => "app panning",
        Some(_) => "app dragging",
        None => "app",
    };
    let on_action = (*use_memo((), {
        let dispatch = dispatch.clone();
        move |_| dispatch.to_callback()
    }))
    .clone();
    let spof_map: Rc<BTreeMap<String, String>> = (*failures)
        .as_ref()
        .map(|f| Rc::new(f.spofs.clone()))
        .unwrap_or_default();
    let on_go = {
        let (lesson, dispatch, scenario) =
            (lesson.clone(), dispatch.clone(), editor.scenario.clone());
        Callback::from(move |(index, compare): (usize, bool)| {
            let (view, design) = journey::open(index, &scenario, compare);
            lesson.set(Some(view));
            dispatch.dispatch(Action::Load(Box::new(design)));
        })
    };
    let on_why = {
        let (dispatch, report) = (dispatch.clone(), report.clone());
        let failures = failures.clone();
        Callback::from(move |_| {
            let Ok(r) = report.as_ref() else { return };
            let Some(b) = r.bottleneck.clone() else {
                return;
            };
            let load = 1.0 / r.headroom.unwrap_or(f64::INFINITY);
            let mut text = if load >= 1.0 {
                format!(
                    "{b} is overloaded: it is offered {:.0} % of what it can serve.",
                    load * 100.0
                )
            } else {
                format!(
                    "{b} saturates first: at {:.1}× today's traffic it reaches 100 %.",
                    1.0 / load
                )
            };
            if let Some(f) = failures.as_ref() {
                if !f.spofs.is_empty() {
                    text += &format!(
                        " Single points of failure: {}.",
                        f.spofs.keys().cloned().collect::<Vec<_>>().join(", ")
                    );
                }
            }
            dispatch.dispatch(Action::Select {
                id: b,
                additive: false,
            });
            dispatch.dispatch(Action::Notify(Notice { error: false, text }));
        })
    };
    let on_copy_link = {
        let dispatch = dispatch.clone();
        let scenario = editor.scenario.clone();
        Callback::from(move |_| {
            let link = share::link_for(&scenario);
            if link.len() > crate::codec::SAFE_LINK_LEN {
                dispatch.dispatch(Action::Notify(Notice {
                    error: true,
                    text: format!(
                        "This design's link is {} characters, longer than the {} that chat and \
                         mail tools reliably keep. Share it with File → Save as .json instead.",
                        link.len(),
                        crate::codec::SAFE_LINK_LEN
                    ),
                }));
                return;
            }
            let dispatch = dispatch.clone();
            share::copy_text(link, move |ok| {
                dispatch.dispatch(Action::Notify(Notice {
                    error: !ok,
                    text: if ok {
                        "Link copied: it opens this exact design and its numbers.".into()
                    } else {
                        "The browser refused the clipboard; copy the address bar instead.".into()
                    },
                }))
            });
        })
    };
    let zoom_by = |factor: f64| {
        let dispatch = dispatch.clone();
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let b = canvas_box(&canvas_ref);
            let centre = Point::new(b.w / 2.0, b.h / 2.0);
            dispatch.dispatch(Action::SetViewport(viewport.zoom_at(centre, factor)));
        })
    };
    let notify = {
        let dispatch = dispatch.clone();
        move |error: bool, text: String| dispatch.dispatch(Action::Notify(Notice { error, text }))
    };
    let open_result = {
        let dispatch = dispatch.clone();
        let notify = notify.clone();
        move |result: Result<crate::model::Scenario, String>| match result {
            Ok(s) => {
                dispatch.dispatch(Action::Load(Box::new(s)));
                notify(
                    false,
                    "Opened the file; Ctrl+Z brings back the previous design.".into(),
                );
            }
            Err(text) => notify(true, format!("{text}. Your design is unchanged.")),
        }
    };
    let on_file = {
        let scenario = editor.scenario.clone();
        let canvas_ref = canvas_ref.clone();
        let report = report.clone();
        let notify = notify.clone();
        let open_result = open_result.clone();
        Callback::from(move |action: FileAction| {
            let svg = || {
                canvas_ref.cast::<Element>().and_then(|el| {
                    files::diagram_svg(
                        &el,
                        &scenario,
                        report.as_ref().as_ref().ok().map(|r| r.as_ref()),
                    )
                })
            };
            let outcome = match action {
                FileAction::SaveJson => files::export_json(&scenario),
                FileAction::Open(file) => {
                    files::read_file(file, open_result.clone());
                    Ok(())
                }
                FileAction::ExportSvg => svg()
                    .ok_or_else(|| "the diagram is empty".to_owned())
                    .and_then(|svg| files::export_svg(&svg, &scenario)),
                FileAction::ExportPng => match svg() {
                    Some(svg) => {
                        let notify = notify.clone();
                        files::export_png(&svg, &scenario, move |r| {
                            if let Err(e) = r {
                                notify(true, format!("PNG export failed: {e}"));
                            }
                        });
                        Ok(())
                    }
                    None => Err("the diagram is empty".to_owned()),
                },
            };
            if let Err(e) = outcome {
                notify(true, format!("Could not do that: {e}."));
            }
        })
    };
    let on_drop = {
        let open_result = open_result.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                files::read_file(file, open_result.clone());
            }
        })
    };
    let view_box = {
        let b = *area.borrow();
        let a = viewport.to_canvas(Point::new(0.0, 0.0));
        Rect {
            x: a.x,
            y: a.y,
            w: b.w / viewport.zoom,
            h: b.h / viewport.zoom,
        }
    };
    let on_center = {
        let dispatch = dispatch.clone();
        Callback::from(move |p: Point| {
            let v = Viewport {
                x: view_box.w * viewport.zoom / 2.0 - p.x * viewport.zoom,
                y: view_box.h * viewport.zoom / 2.0 - p.y * viewport.zoom,
                zoom: viewport.zoom,
            };
            dispatch.dispatch(Action::SetViewport(v));
        })
    };
    let ok_report = report.as_ref().as_ref().ok().map(|r| Shared(r.clone()));
    let problems = report.as_ref().as_ref().err().cloned();
    // What the canvas draws: the live design and solve, or a second of a run (the current
    // positions, with that second's failures and numbers).
    let (shown_scenario, shown_report) = {
        let shown = use_memo(
            (editor.scenario.clone(), (*moment).clone()),
            |(s, m)| match m {
                Some(m) => Rc::new(crate::model::Scenario {
                    failed: m.scenario.0.failed.clone(),
                    ..(**s).clone()
                }),
                None => s.clone(),
            },
        );
        let report = match &*moment {
            Some(m) => Some(m.report.clone()),
            None => ok_report.clone(),
        };
        ((*shown).clone(), report)
    };
    let on_moment = {
        let moment = moment.clone();
        use_callback((), move |m: Option<Moment>, _| moment.set(m))
    };

    if *embed {
        // Read-only: the diagram and its headline numbers; only panning and zooming.
        let pan_only = {
            let down = on_canvas_down.clone();
            Callback::from(move |(hit, e): (Hit, PointerEvent)| {
                if hit == Hit::Background {
                    down.emit((hit, e));
                }
            })
        };
        let summary = ok_report.as_ref().map(|r| {
            format!(
                "{}/s served · p99 {} · availability {} · {}/month",
                format::rate(r.throughput_rps),
                format::millis(r.latency_ms.p99),
                format::availability(r.availability),
                format::dollars(r.monthly_cost_usd)
            )
        });
        return html! {
            <div class="embed" onpointermove={on_pointer_move} onpointerup={on_pointer_up}>
                <Canvas node_ref={canvas_ref.clone()} scenario={editor.scenario.clone()}
                        report={ok_report.clone()} selection={editor.selection.clone()}
                        viewport={viewport} preview={Preview::None} flow={flow}
                        spofs={spof_map.clone()}
                        on_down={pan_only} on_wheel={on_wheel} />
                <div class="embed-bar" data-testid="embed-bar">
                    <strong>{ editor.scenario.name.clone() }</strong>
                    <span>{ summary.unwrap_or_default() }</span>
                    <a href={share::editor_link(&editor.scenario)} target="_blank" rel="noopener">
                        {"Open in ArchSim"}
                    </a>
                </div>
            </div>
        };
    }

    html! {
        <div class={dragging_class}
             onpointermove={on_pointer_move}
             onpointerup={on_pointer_up}>
            <Toolbar scenario={editor.scenario.clone()}
                     can_undo={editor.can_undo()} can_redo={editor.can_redo()}
                     on_action={on_action.clone()}
                     on_copy_link={on_copy_link}
                     on_journey={on_go.reform(|_| (0, false))}
                     on_file={on_file}
                     on_help={{ let help = help.clone(); Callback::from(move |_| help.set(!*help)) }} />
            <Palette on_down={on_palette_down} />
            <main class="stage" ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                  ondrop={on_drop}>
                <Canvas node_ref={canvas_ref.clone()}
                        scenario={shown_scenario}
                        report={shown_report}
                        selection={editor.selection.clone()}
                        viewport={viewport}
                        preview={preview}
                        spofs={spof_map.clone()}
                        flow={flow}
                        on_down={on_canvas_down}
                        on_wheel={on_wheel} />
                <Legend />
                if let Some(m) = &*moment {
                    <div class="moment-banner" data-testid="moment-banner">
                        { format!("Showing the simulated run at {} s", m.second) }
                    </div>
                }
                <div class="view-controls" aria-label="View">
                    <button onclick={zoom_by(1.25)} title="Zoom in" data-testid="zoom-in">{"+"}</button>
                    <button onclick={zoom_by(0.8)} title="Zoom out">{"−"}</button>
                    <button onclick={on_fit.reform(|_: MouseEvent| ())} title="Fit the diagram to the view">{"Fit"}</button>
                    <button class={editor.snap.then_some("on")} aria-pressed={editor.snap.to_string()}
                            onclick={on_action.reform(|_| Action::ToggleSnap)} title="Snap to the grid">{"Snap"}</button>
                    <button class={flow.then_some("on")} aria-pressed={flow.to_string()}
                            onclick={{ let choice = flow_choice.clone(); Callback::from(move |_| choice.set(Some(!flow))) }}
                            title="Animate the traffic on links">{"Flow"}</button>
                </div>
                if editor.scenario.components.len() > 8 {
                    <Minimap scenario={editor.scenario.clone()} view={view_box} on_center={on_center} />
                }
                if let Some(n) = editor.notice.clone() {
                    <NoticeToast notice={n} on_dismiss={{
                        let d = dispatch.clone();
                        Callback::from(move |_| d.dispatch(Action::DismissNotice))
                    }} />
                }
            </main>
            <aside class="side">
                if let Some(view) = (*lesson).clone() {
                    <JourneyPanel lesson={view} on_go={on_go.clone()} on_why={on_why}
                                  on_close={{ let lesson = lesson.clone(); Callback::from(move |_| lesson.set(None)) }} />
                }
                <Inspector scenario={editor.scenario.clone()}
                           selection={editor.selection.clone()}
                           report={ok_report.clone()}
                           on_action={on_action.clone()} />
                <Results report={ok_report.clone()} problems={problems} sweep={(*sweep).clone()} />
                <SimulationPanel scenario={editor.scenario.clone()} report={ok_report.clone()}
                                 focus={editor.selection.components.iter().next().cloned()}
                                 on_action={on_action.clone()} on_moment={on_moment} />
                <FailurePanel analysis={(*failures).clone()} on_action={on_action.clone()} />
                <Planner scenario={editor.scenario.clone()} on_action={on_action.clone()} />
            </aside>
            if *help {
                <Help on_close={{ let help = help.clone(); Callback::from(move |_| help.set(false)) }} />
            }
        </div>
    }
}

/// The editor a visit starts with: the autosaved design (or the starter), then the design
/// of a shared link on top of it, so the previous design stays one undo away.
fn initial_editor() -> Editor {
    let mut notes = Vec::new();
    let mut error = false;
    let base = match storage::restore() {
        storage::Restored::Design(s) => *s,
        storage::Restored::Nothing => crate::presets::starter(),
        storage::Restored::Unreadable(message) => {
            notes.push(message);
            error = true;
            crate::presets::starter()
        }
    };
    let mut editor = Editor::new(base);
    match share::from_location() {
        Some(Ok(s)) => {
            if let Some(next) = editor.apply(Action::Load(Box::new(s))) {
                editor = next;
                notes.push("Opened the shared design; Ctrl+Z brings back the one you had.".into());
            }
        }
        Some(Err(message)) => {
            notes.push(message);
            error = true;
        }
        None => {}
    }
    if !notes.is_empty() {
        let text = notes.join(" ");
        editor = editor
            .apply(Action::Notify(Notice { error, text }))
            .unwrap_or(editor);
    }
    editor
}

/// Runs `sweep` in slices of about 10 ms, one timer tick apart, until it is done or a newer
/// edit (a new `generation`) makes it stale.
fn run_failure_sweep(
    mut sweep: FailureSweep,
    mine: u64,
    generation: Rc<std::cell::RefCell<u64>>,
    out: UseStateHandle<Option<Rc<FailureAnalysis>>>,
    delay_ms: u32,
) {
    Timeout::new(delay_ms, move || {
        if *generation.borrow() != mine {
            return;
        }
        let start = js_sys::Date::now();
        loop {
            if sweep.step() {
                out.set(Some(Rc::new(sweep.finish())));
                return;
            }
            if js_sys::Date::now() - start > 10.0 {
                break;
            }
        }
        run_failure_sweep(sweep, mine, generation, out, 0);
    })
    .forget();
}

/// Sets the view so the whole diagram shows.
fn fit(s: &crate::model::Scenario, canvas: &NodeRef, dispatch: &UseReducerDispatcher<Editor>) {
    let content = s
        .components
        .iter()
        .map(|c| Rect::node(Point::new(c.x, c.y)))
        .reduce(|a, b| a.union(&b));
    let b = canvas_box(canvas);
    if let (Some(content), true) = (content, b.w > 0.0 && b.h > 0.0) {
        dispatch.dispatch(Action::SetViewport(Viewport::fit(content, b.w, b.h)));
    }
}

/// The utilisation colour scale.
#[component]
fn Legend() -> Html {
    html! {
        <div class="legend" aria-label="Utilisation colours">
            <span class="swatch heat-low"></span>{"< 60%"}
            <span class="swatch heat-mid"></span>{"60–85%"}
            <span class="swatch heat-high"></span>{"85–100%"}
            <span class="swatch heat-over"></span>{"overloaded"}
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NoticeProps {
    notice: Notice,
    on_dismiss: Callback<()>,
}

/// The last message from the editor (a refused connection, a failed load).
#[component]
fn NoticeToast(props: &NoticeProps) -> Html {
    let class = if props.notice.error {
        "notice error"
    } else {
        "notice"
    };
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={class} role="alert" data-testid="notice">
            <span>{ props.notice.text.clone() }</span>
            <button onclick={dismiss} aria-label="Dismiss">{"×"}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HelpProps {
    on_close: Callback<()>,
}

/// Keyboard and mouse reference, opened with `?`.
#[component]
fn Help(props: &HelpProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let rows = [
        (
            "Drag from the palette",
            "add a component (or click it: adds at the centre)",
        ),
        (
            "Drag a component",
            "move it (all selected ones move together)",
        ),
        ("Drag from the ● port", "connect to another component"),
        ("Drag the background", "pan"),
        ("Shift + drag the background", "select with a rectangle"),
        ("Wheel", "zoom around the pointer"),
        ("Click / Shift + click", "select / add to the selection"),
        ("Delete or Backspace", "delete the selection"),
        ("Ctrl/⌘ + Z", "undo"),
        ("Ctrl/⌘ + Shift + Z, Ctrl + Y", "redo"),
        ("Ctrl/⌘ + A", "select everything"),
        ("Ctrl/⌘ + C, V, D", "copy, paste, duplicate"),
        ("Esc", "clear the selection, close this"),
        ("?", "show or hide this help"),
    ];
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="help" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2>{"Shortcuts"}</h2>
                <table>
                    { for rows.iter().map(|(k, v)| html! { <tr><th>{*k}</th><td>{*v}</td></tr> }) }
                </table>
                <button onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
