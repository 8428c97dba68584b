//! The journey panel's state: which stage is open, and what going to a stage or asking
//! "why does it break?" does to the design.

use super::sliced::{use_sliced, Progress};
use crate::editor::{Action, Editor, Notice, Origin};
use crate::model::{Problems, Scenario};
use crate::solve::{FailureAnalysis, FailureSweep, Report};
use crate::web::journey::{self, Lesson, SpofCount};
use crate::web::offload::after_paint;
use crate::web::share;
use gloo::events::EventListener;
use std::rc::Rc;
use yew::prelude::*;

/// The journey's state and handlers.
pub struct Journey {
    /// The stage shown, if the panel is open.
    pub lesson: Option<Lesson>,
    /// Go to a stage (`true`: compare it with the current design).
    pub on_go: Callback<(usize, bool)>,
    /// Point at the bottleneck and say why it breaks.
    pub on_why: Callback<()>,
    /// Close the panel.
    pub on_close: Callback<()>,
    /// The Journey button: the lesson last shown again, beside the design it opened (edited
    /// or not) when no other design was opened since, else its stage; the first stage
    /// when none was shown.
    pub on_resume: Callback<()>,
}

/// The lesson last shown, with what it was opened over (as `opened_over` holds it) and its
/// design once it landed.
struct Shown {
    lesson: Lesson,
    over: (Option<Rc<Scenario>>, u64),
    design: Option<Rc<Scenario>>,
    /// Closed by the person: a redo does not bring it back, the Journey button does.
    dismissed: bool,
    /// Undone past its opening: the design on screen is no longer its design or one edited
    /// from it, so the Journey button opens its stage again rather than show it beside.
    undone: bool,
}

/// The journey over the editor's design.
#[hook]
pub fn use_journey(
    editor: &UseReducerHandle<Editor>,
    report: Rc<Result<Rc<Report>, Problems>>,
    failures: Option<Rc<FailureAnalysis>>,
) -> Journey {
    let lesson = use_state(|| None::<Lesson>);
    // What the open lesson was opened over: the design on screen before it (none for a
    // lesson a link brings back beside its design), and the editor's count of opened
    // designs once its stage was opened. Undo back to that design, or another design
    // opened, closes the lesson: it would speak of a design not on screen.
    let opened_over = use_mut_ref(|| None::<(Option<Rc<Scenario>>, u64)>);
    // The SPOF counts of the designs compared (before, after), each a failure sweep in a
    // worker: a design of the person's own may be large.
    let counts = [use_spof_counter(), use_spof_counter()];
    let last = use_mut_ref(|| None::<Shown>);
    let dispatch = editor.dispatcher();
    // Made once per change of what they read, so the panels they reach keep equal props
    // while something is dragged.
    let on_go = {
        let (lesson, dispatch, counts) = (lesson.clone(), dispatch.clone(), counts.clone());
        let (opened_over, last) = (opened_over.clone(), last.clone());
        use_callback(
            (editor.scenario.clone(), editor.opened),
            move |(index, compare): (usize, bool), (scenario, count)| {
                let over = (Some(scenario.clone()), count + 1);
                *opened_over.borrow_mut() = Some(over.clone());
                let opened = journey::open(index, scenario, compare);
                counts[0].count(opened.before);
                counts[1].count(Some(opened.design.clone()));
                *last.borrow_mut() = Some(Shown {
                    lesson: opened.lesson.clone(),
                    over,
                    design: None,
                    dismissed: false,
                    undone: false,
                });
                lesson.set(Some(opened.lesson));
                dispatch.dispatch(Action::Open {
                    scenario: Box::new(opened.design),
                    origin: Origin::Stage,
                });
            },
        )
    };
    // A design's link with `&lesson=…` (the address of an edited stage) shows that stage's
    // lesson beside its own design: nothing is opened in its place. `opens` counts the
    // link's design as opened when the page opens it after this (a link pasted into the
    // address bar of the open page).
    let beside = {
        let (lesson, counts, opened_over) = (lesson.clone(), counts.clone(), opened_over.clone());
        let last = last.clone();
        use_callback(
            (editor.scenario.clone(), editor.opened),
            move |(index, opens): (usize, bool), (scenario, count)| {
                let opened = journey::open(index, scenario, false);
                let over = (None, count + u64::from(opens));
                *opened_over.borrow_mut() = Some(over.clone());
                counts[0].count(None);
                counts[1].count(Some(opened.design));
                *last.borrow_mut() = Some(Shown {
                    lesson: opened.lesson.clone(),
                    over,
                    design: (!opens).then(|| scenario.clone()),
                    dismissed: false,
                    undone: false,
                });
                lesson.set(Some(opened.lesson));
            },
        )
    };
    // A `#stage=…` link opens its stage as the Journey menu does, lesson and all: when the
    // page opens with one, and when the address changes to one. The listener is made again
    // with each `on_go`: one kept from the first render would note the design and count of
    // that render as what the stage was opened over, and the lesson would close as soon as
    // its own design landed.
    let from_link = {
        let dispatch = dispatch.clone();
        move |on_go: &Callback<(usize, bool)>, beside: &Callback<(usize, bool)>, opens: bool| {
            match share::stage_from_location() {
                Some(Ok(index)) => on_go.emit((index, false)),
                Some(Err(text)) => dispatch.dispatch(Action::Notify(Notice::error(text))),
                // Beside a design the link opens: one it cannot open keeps what is on screen.
                // The design is read again only when a lesson is asked for: it may be large.
                None => match share::lesson_from_location() {
                    Some(_) if !matches!(share::from_location(), Some(Ok(_))) => {}
                    Some(Ok(index)) => beside.emit((index, opens)),
                    // Said once the page has told of the open, which would replace it.
                    Some(Err(text)) => {
                        let dispatch = dispatch.clone();
                        after_paint(move || {
                            let text = format!("The link's lesson is not shown. {text}");
                            dispatch.dispatch(Action::Notify(Notice::error(text)));
                        });
                    }
                    None => {}
                },
            }
        }
    };
    {
        let (on_go, beside, from_link) = (on_go.clone(), beside.clone(), from_link.clone());
        use_effect_with((), move |_| from_link(&on_go, &beside, false));
    }
    use_effect_with((on_go.clone(), beside), move |(on_go, beside)| {
        let (on_go, beside) = (on_go.clone(), beside.clone());
        let listener = web_sys::window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| from_link(&on_go, &beside, true))
        });
        move || drop(listener)
    });
    let scenario = editor.scenario.clone();
    let on_why = use_callback(
        (report, failures, scenario),
        move |_, (report, failures, s)| {
            let Ok(r) = report.as_ref() else { return };
            let (Some(b), Some(mut text)) = (r.bottleneck.clone(), r.bottleneck_reason(s)) else {
                return;
            };
            if let Some(f) = failures.as_ref().filter(|f| !f.spofs.is_empty()) {
                let names: Vec<&str> = f.spofs.keys().map(|id| s.name_of(id)).collect();
                text += &format!(" Single points of failure: {}.", names.join(", "));
            }
            dispatch.dispatch(Action::Select {
                id: b,
                additive: false,
            });
            dispatch.dispatch(Action::Notify(Notice::info(text)));
        },
    );
    let on_close = {
        let (lesson, last) = (lesson.clone(), last.clone());
        use_callback((), move |_, _| {
            if let Some(shown) = last.borrow_mut().as_mut() {
                shown.dismissed = true;
            }
            lesson.set(None)
        })
    };
    // The latest `on_go` and count of opened designs, for the Journey button, which is made
    // once so that the toolbar keeps equal props while something is dragged.
    let latest = use_mut_ref(|| (on_go.clone(), editor.opened));
    *latest.borrow_mut() = (on_go.clone(), editor.opened);
    let on_resume = {
        let (lesson, last, opened_over) = (lesson.clone(), last.clone(), opened_over.clone());
        use_callback((), move |_, _| {
            let (go, count) = latest.borrow().clone();
            let mut last = last.borrow_mut();
            match last.as_mut() {
                Some(shown) if shown.over.1 == count && !shown.undone => {
                    shown.dismissed = false;
                    *opened_over.borrow_mut() = Some(shown.over.clone());
                    lesson.set(Some(shown.lesson.clone()));
                }
                Some(shown) => {
                    let index = shown.lesson.index;
                    drop(last);
                    go.emit((index, false));
                }
                None => {
                    drop(last);
                    go.emit((0, false));
                }
            }
        })
    };
    {
        let lesson = lesson.clone();
        let shown_now = lesson.is_some();
        use_effect_with(
            (editor.scenario.clone(), editor.opened),
            move |(now, count)| {
                // The stage's design as it landed: what a redo may bring back.
                if let Some(shown) = last.borrow_mut().as_mut() {
                    if shown.design.is_none() && shown.over.1 == *count {
                        shown.design = Some(now.clone());
                    }
                }
                let left = opened_over
                    .borrow()
                    .as_ref()
                    // Before the stage's own open has landed, the count is below `at`.
                    .is_some_and(|(before, at)| {
                        count > at
                            || (count == at && before.as_ref().is_some_and(|b| Rc::ptr_eq(now, b)))
                    });
                if left {
                    // Undone past the opening (no other design opened since): what is on
                    // screen is no longer the stage's design.
                    if let Some(shown) = last.borrow_mut().as_mut() {
                        shown.undone |= shown.over.1 == *count;
                    }
                    *opened_over.borrow_mut() = None;
                    lesson.set(None);
                } else if !shown_now {
                    // A redo back to the stage's design brings its lesson back with it.
                    if let Some(shown) = last.borrow_mut().as_mut().filter(|s| {
                        s.over.1 == *count && s.design.as_ref().is_some_and(|d| Rc::ptr_eq(d, now))
                    }) {
                        shown.undone = false;
                        if !shown.dismissed {
                            *opened_over.borrow_mut() = Some(shown.over.clone());
                            lesson.set(Some(shown.lesson.clone()));
                        }
                    }
                }
            },
        );
    }
    let lesson = (*lesson).clone().map(|mut l| {
        for (summary, count) in [&mut l.before, &mut l.after].into_iter().zip(&counts) {
            if let Some(summary) = summary {
                summary.spofs = *count.spofs;
            }
        }
        l
    });
    Journey {
        lesson,
        on_go,
        on_why,
        on_close,
        on_resume,
    }
}

/// One design's SPOF count, worked out in a worker.
#[derive(Clone)]
struct SpofCounter {
    spofs: UseStateHandle<SpofCount>,
    slicer: super::sliced::Slicer<FailureSweep>,
}

impl SpofCounter {
    /// Counts the SPOFs of `design`, forgetting the last count (nothing to count for none:
    /// the panel shows no summary then).
    fn count(&self, design: Option<Scenario>) {
        self.spofs.set(SpofCount::Counting);
        self.slicer.stop();
        let Some(design) = design else { return };
        let spofs = self.spofs.clone();
        self.slicer.start(design, 0, move |analysis, _| {
            spofs.set(match analysis {
                Ok(a) => SpofCount::Counted(a.spofs.len()),
                Err(_) => SpofCount::Unknown,
            });
        });
    }
}

#[hook]
fn use_spof_counter() -> SpofCounter {
    SpofCounter {
        spofs: use_state(|| SpofCount::Counting),
        slicer: use_sliced::<FailureSweep>(Progress::Hidden),
    }
}
