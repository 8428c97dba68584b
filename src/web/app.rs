//! The root component: owns the editor reducer and the solve, and wires the hooks (effects)
//! to the views. Every rule lives elsewhere: gestures and shortcuts in `crate::editor`,
//! numbers in `crate::solve`, effects in `hooks`. The panels below the results are drawn
//! by `use_panels`: their code arrives in a chunk after the first render (`deferred.rs`).

use super::baseline::BaselineProps;
use super::canvas::Canvas;
use super::deferred::Panel;
use super::embed::Embed;
use super::explanation::Open;
use super::failures::FailurePanelProps;
use super::hooks::{
    use_canvas_area, use_failure_sweep, use_file_actions, use_gestures, use_help, use_journey,
    use_kept_focus, use_load_curve, use_menus, use_panels, use_persistence, use_shortcuts,
    use_unplaced, use_view, HelpAction,
};
use super::inspector::Inspector;
use super::journey::JourneyPanel;
use super::legend::Legend;
use super::levers::LeversProps;
use super::minimap::Minimap;
use super::model_page::ModelPageProps;
use super::notice::NoticeToast;
use super::opening::initial_editor;
use super::palette::Palette;
use super::planner::PlannerProps;
use super::results::Results;
use super::share;
use super::shortcut_list::ShortcutList;
use super::sim_panel::{Moment, SimulationPanelProps};
use super::storage;
use super::toolbar::Toolbar;
use super::view_controls::ViewControls;
use super::Shared;
use crate::editor::{Action, Edit, Notice, Origin};
use crate::model::Scenario;
use crate::solve::analyze;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Links above which flow animation starts switched off: animating every link costs more
/// frame time than it is worth (see the drag benchmark).
const FLOW_AUTO_LINKS: usize = 60;

/// How long an informing notice stays, ms.
const NOTICE_FADE_MS: u32 = 8_000;

/// Components above which the minimap shows.
const MINIMAP_FROM: usize = 8;

/// The application.
#[component]
pub fn App() -> Html {
    let editor = use_reducer(initial_editor);
    let dispatch = editor.dispatcher();
    let embed = *use_memo((), |_| share::is_embed());
    let unplaced = use_unplaced(editor.scenario.clone());
    let report = use_memo(unplaced.clone(), |s| analyze(s).map(Rc::new));
    let help = use_help();
    // Flow dots: on for small diagrams, off by default for large ones; the person decides.
    let flow_choice = use_state(|| None::<bool>);
    // Whether "How the numbers are computed" is open.
    let model_page = use_state(|| false);
    // The design pinned to compare with: a compare link pins its baseline (read here, on
    // the first render, before the address bar is rewritten with the design alone).
    let linked = use_memo((), |_| share::baseline_from_location());
    // A visit to the bare address brings back the kept design with the baseline kept
    // beside it.
    let baseline = use_state({
        let linked = linked.clone();
        move || match &*linked {
            Some(Ok(s)) => Some(Rc::new(s.clone())),
            _ if share::location_hash().len() <= 1 => storage::current_baseline().map(Rc::new),
            _ => None,
        }
    });
    // A second of a simulated run shown on the diagram instead of the live solve.
    let moment = use_state(|| None::<Moment>);

    use_shortcuts(&editor, &help, !embed);
    use_menus();
    let canvas = use_canvas_area(&editor);
    use_kept_focus(canvas.node.clone());
    let gestures = use_gestures(&editor, &canvas);
    // Setting up a run changes no steady-state number: the analyses are not redone for it
    // (the SPOF badges went for the seconds a sweep took).
    let steady = use_memo(unplaced.clone(), |s| Rc::new(s.steady()));
    let sweep = use_failure_sweep((*steady).clone(), report.clone());
    let failures = sweep.ready();
    let curve = use_load_curve((*steady).clone(), (*baseline).clone());
    let files = use_file_actions(&editor, &canvas, report.clone(), baseline.is_some());
    let journey = use_journey(&editor, report.clone(), failures.clone());
    let lesson = journey.lesson.as_ref().map(|l| l.index);
    let on_baseline = {
        let baseline = baseline.clone();
        Callback::from(move |b| baseline.set(b))
    };
    let kept = use_persistence(&editor, (*baseline).clone(), on_baseline, lesson);
    // Said after the persistence's own "opened" notice, which would otherwise replace it.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            if let Some(Err(message)) = &*linked {
                dispatch.dispatch(Action::Notify(Notice::error(message.clone())));
            }
        });
    }
    let view = use_view(&editor, &canvas);
    let panels = use_panels();
    // The one explanation card open, in the results or the inspector.
    let explained = use_state(|| None::<Open>);

    // Messages that only inform fade after a while; errors stay until closed or the design
    // changes.
    {
        let dispatch = dispatch.clone();
        use_effect_with(editor.notice.clone(), move |notice| {
            let timer = notice.as_ref().filter(|n| !n.error).map(|_| {
                gloo::timers::callback::Timeout::new(NOTICE_FADE_MS, move || {
                    dispatch.dispatch(Action::DismissNotice)
                })
            });
            move || drop(timer)
        });
    }
    let viewport = editor.viewport;
    let flow = flow_choice.unwrap_or(editor.scenario.links.len() <= FLOW_AUTO_LINKS);
    let on_action = (*use_memo((), {
        let dispatch = dispatch.clone();
        move |_| dispatch.to_callback()
    }))
    .clone();
    // Every callback handed to a view is made once per change of what it reads: a pointer
    // move during a drag re-renders this component, and a fresh callback would re-render
    // every panel it reaches (a 200-row results table among them) for nothing.
    let on_copy_link = {
        let dispatch = dispatch.clone();
        use_callback(
            (editor.scenario.clone(), (*baseline).clone(), lesson),
            move |(), (scenario, pinned, lesson)| {
                let dispatch = dispatch.clone();
                share::copy_link(scenario, pinned.as_deref(), *lesson, move |n| {
                    dispatch.dispatch(Action::Notify(n))
                });
            },
        )
    };
    let on_journey = journey.on_resume.clone();
    let on_new = (*use_memo((), {
        let on_action = on_action.clone();
        move |_| {
            on_action.reform(|()| Action::Open {
                scenario: Box::new(crate::presets::blank()),
                origin: Origin::Blank,
            })
        }
    }))
    .clone();
    let on_example = (*use_memo((), {
        let on_action = on_action.clone();
        move |_| {
            on_action.reform(|key: &'static str| match crate::presets::example(key) {
                Some(Ok(s)) => Action::Open {
                    scenario: Box::new(s),
                    origin: Origin::Example,
                },
                // Never for the shipped files (a test opens each); said, not hidden.
                _ => Action::Notify(Notice::error(format!(
                    "The example {key} could not be read. Your design is unchanged."
                ))),
            })
        }
    }))
    .clone();
    let on_help = (*use_memo((), {
        let help = help.dispatcher();
        move |_| help.to_callback().reform(|()| HelpAction::Toggle)
    }))
    .clone();
    let on_close_help = (*use_memo((), {
        let help = help.dispatcher();
        move |_| help.to_callback().reform(|()| HelpAction::Close)
    }))
    .clone();
    let on_snap = (*use_memo((), {
        let on_action = on_action.clone();
        move |_| on_action.reform(|()| Action::ToggleSnap)
    }))
    .clone();
    let on_dismiss = (*use_memo((), {
        let on_action = on_action.clone();
        move |_| on_action.reform(|()| Action::DismissNotice)
    }))
    .clone();
    let on_flow = {
        let choice = flow_choice.clone();
        use_callback(flow, move |(), flow| choice.set(Some(!*flow)))
    };
    let on_explain = {
        let page = model_page.clone();
        use_callback((), move |(), _| page.set(true))
    };
    let on_close_model = {
        let page = model_page.clone();
        use_callback((), move |(), _| page.set(false))
    };
    let on_pin = {
        let b = baseline.clone();
        use_callback((), move |p, _| b.set(p))
    };
    // The journey's "Compare with the previous stage": the comparison is drawn far below
    // the lesson, so the click is answered where the person looks.
    let on_pin_stage = {
        let (b, dispatch) = (baseline.clone(), dispatch.clone());
        use_callback((), move |p: Option<Rc<Scenario>>, _| {
            if p.is_some() {
                dispatch.dispatch(Action::Notify(Notice::info(
                    "Pinned the previous stage's design, at this stage's traffic, as the \
                     baseline: every figure is compared with it under \"Against the baseline\" \
                     below the results."
                        .to_owned(),
                )));
            }
            b.set(p);
        })
    };
    // The design before the last N changes to its numbers, pinned as the baseline.
    let on_pin_before = {
        let (editor, baseline, dispatch) = (editor.clone(), baseline.clone(), dispatch.clone());
        let deps = (editor.scenario.clone(), editor.undo_depth());
        use_callback(deps, move |n: usize, _| {
            let (before, found) = editor.before_changes(n);
            let changes = format!("{found} change{}", if found == 1 { "" } else { "s" });
            let said = match found {
                0 => "No edit has changed the numbers yet: nothing earlier to compare with.".into(),
                k if k < n => {
                    format!("The history holds {changes}: pinned the design before them.")
                }
                _ => format!("Pinned the design before your last {changes}."),
            };
            if found > 0 {
                baseline.set(Some(before));
            }
            dispatch.dispatch(Action::Notify(Notice::info(said)));
        })
    };
    let on_focus = {
        let dispatch = dispatch.clone();
        use_callback((), move |id: String, _| {
            dispatch.dispatch(Action::Select {
                id,
                additive: false,
            })
        })
    };
    // The design's latest boxes, for a keyboard click on the palette to find room among
    // them: read when clicked, so that the palette keeps equal props while something is
    // dragged.
    let design = use_mut_ref(|| editor.scenario.clone());
    *design.borrow_mut() = editor.scenario.clone();
    let on_add = {
        let (dispatch, canvas) = (dispatch.clone(), canvas.clone());
        use_callback(viewport, move |kind, viewport| {
            canvas.measure();
            let at = canvas.frame(*viewport).click_spot(&design.borrow());
            dispatch.dispatch(Edit::Add { kind, at }.into());
        })
    };
    let on_moment = {
        let moment = moment.clone();
        use_callback((), move |m: Option<Moment>, _| moment.set(m))
    };
    let spofs: Rc<BTreeMap<String, String>> = failures
        .as_ref()
        .map(|f| Rc::new(f.spofs.clone()))
        .unwrap_or_default();
    let ok_report = report.as_ref().as_ref().ok().map(|r| Shared(r.clone()));
    let problems = report.as_ref().as_ref().err().cloned();

    // What the canvas draws: the live design and solve, or a second of a run (the current
    // positions, with that second's failures and numbers).
    let shown_scenario = use_memo(
        (editor.scenario.clone(), (*moment).clone()),
        |(s, m)| match m {
            Some(m) => Rc::new(Scenario {
                failed: m.scenario.0.failed.clone(),
                ..(**s).clone()
            }),
            None => s.clone(),
        },
    );
    let window = if files.exporting {
        None
    } else {
        canvas.window(viewport, shown_scenario.components.len())
    };
    let shown_report = match &*moment {
        Some(m) => Some(m.report.clone()),
        None => ok_report.clone(),
    };
    if embed {
        return html! {
            <Embed node_ref={canvas.node.clone()} scenario={editor.scenario.clone()}
                   report={ok_report} {viewport} {flow} {spofs}
                   on_down={gestures.on_canvas_down} on_move={gestures.on_move}
                   on_up={gestures.on_up} on_cancel={gestures.on_cancel} on_wheel={view.on_wheel} />
        };
    }

    html! {
        <div class={gestures.class} onpointermove={gestures.on_move} onpointerup={gestures.on_up}
             onpointercancel={gestures.on_cancel}>
            if gestures.dragging {
                <div class="drag-shield" aria-hidden="true"></div>
            }
            <Toolbar scenario={editor.scenario.clone()}
                     solved_rps={ok_report.as_ref().filter(|r| r.0.closed.is_some()).map(|r| r.0.throughput_rps)}
                     can_undo={editor.can_undo()} can_redo={editor.can_redo()}
                     on_action={on_action.clone()}
                     {on_copy_link}
                     {on_journey}
                     on_file={files.on_file}
                     recent={kept.entries.clone()}
                     on_recent={kept.on_open.clone()}
                     {on_new} {on_example} {on_help} />
            <Palette on_down={gestures.on_palette_down} {on_add} />
            <main class="stage" ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                  ondrop={files.on_drop}>
                <Canvas node_ref={canvas.node.clone()}
                        scenario={(*shown_scenario).clone()}
                        report={shown_report}
                        breakers={(*moment).as_ref().map(|m| m.breakers.clone()).unwrap_or_default()}
                        selection={editor.selection.clone()}
                        {viewport} {window}
                        preview={gestures.preview}
                        spofs={spofs}
                        {flow}
                        on_down={gestures.on_canvas_down}
                        on_wheel={view.on_wheel} {on_focus}
                        replay={(*moment).as_ref().map(|m| m.second)} />
                <Legend />
                if editor.scenario.components.is_empty() {
                    <div class="canvas-hint" data-testid="canvas-hint">
                        <strong>{"A blank canvas."}</strong>
                        <p>{"Drag a Client from the palette (or click it), then the components it calls. Drag from a component's right-hand port to connect it. Or open a stage of the Journey to start from a working design."}</p>
                    </div>
                }
                if let Some(m) = &*moment {
                    <div class="moment-banner" data-testid="moment-banner">
                        { format!("Showing the simulated run at {} s", m.second) }
                    </div>
                }
                <ViewControls on_zoom={view.on_zoom} on_fit={view.on_fit} snap={editor.snap}
                              {on_snap} {flow} {on_flow} />
                if editor.scenario.components.len() > MINIMAP_FROM {
                    <Minimap scenario={editor.scenario.clone()} view={view.visible} on_center={view.on_center} />
                }
                if let Some(n) = editor.notice.clone() {
                    <NoticeToast notice={n.clone()} {on_dismiss}
                                 back={kept.previous.clone().filter(|p| p.notice == n.text).map(|p| {
                                     let open = kept.on_open.clone();
                                     (p.name, Callback::from(move |()| open.emit(p.key.clone())))
                                 })} />
                }
            </main>
            <aside class="side">
                if let Some(view) = journey.lesson.clone() {
                    <JourneyPanel lesson={view} on_go={journey.on_go.clone()}
                                  on_why={journey.on_why} on_close={journey.on_close}
                                  on_pin={on_pin_stage} scenario={editor.scenario.clone()} />
                }
                <Inspector scenario={editor.scenario.clone()}
                           selection={editor.selection.clone()}
                           report={ok_report.clone()}
                           on_action={on_action.clone()} panels={panels.clone()}
                           explained={explained.clone()}
                           replay={(*moment).as_ref().map(|m| m.second)} />
                <Results scenario={editor.scenario.clone()} report={ok_report.clone()} {problems} sweep={curve}
                         missing={editor.scenario.missing()}
                         {on_explain} panels={panels.clone()} explained={explained.clone()} />
                { panels.notice() }
                { panels.draw(Panel::Baseline(BaselineProps {
                    scenario: editor.scenario.clone(), report: ok_report.clone(),
                    pinned: (*baseline).clone(),
                    on_pin_before: editor.can_undo().then_some(on_pin_before), on_pin,
                })) }
                if ok_report.is_some() {
                    { panels.draw(Panel::Levers(LeversProps { scenario: editor.scenario.clone() })) }
                }
                { panels.draw(Panel::Simulation(SimulationPanelProps {
                    scenario: editor.scenario.clone(), report: ok_report.clone(),
                    focus: editor.selection.components.iter().next().cloned(),
                    on_action: on_action.clone(), on_moment,
                })) }
                { panels.draw(Panel::Failures(FailurePanelProps {
                    scenario: editor.scenario.clone(), sweep: sweep.clone(), on_action: on_action.clone(),
                })) }
                { panels.draw(Panel::Planner(PlannerProps {
                    scenario: editor.scenario.clone(), on_action: on_action.clone(),
                })) }
            </aside>
            if *model_page {
                { panels.draw(Panel::Model(ModelPageProps { on_close: on_close_model })) }
            }
            if help.open {
                <ShortcutList on_close={on_close_help} />
            }
        </div>
    }
}
