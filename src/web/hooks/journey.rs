//! The journey panel's state: which stage is open, and what going to a stage or asking
//! "why does it break?" does to the design.

use crate::editor::{Action, Editor, Notice, Origin};
use crate::model::Problems;
use crate::solve::{FailureAnalysis, Report};
use crate::web::journey::{self, Lesson};
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
}

/// The journey over the editor's design.
#[hook]
pub fn use_journey(
    editor: &UseReducerHandle<Editor>,
    report: Rc<Result<Rc<Report>, Problems>>,
    failures: Option<Rc<FailureAnalysis>>,
) -> Journey {
    let lesson = use_state(|| None::<Lesson>);
    let dispatch = editor.dispatcher();
    // Made once per change of what they read, so the panels they reach keep equal props
    // while something is dragged.
    let on_go = {
        let (lesson, dispatch) = (lesson.clone(), dispatch.clone());
        use_callback(
            editor.scenario.clone(),
            move |(index, compare): (usize, bool), scenario| {
                let (view, design) = journey::open(index, scenario, compare);
                lesson.set(Some(view));
                dispatch.dispatch(Action::Open {
                    scenario: Box::new(design),
                    origin: Origin::Stage,
                });
            },
        )
    };
    let on_why = use_callback((report, failures), move |_, (report, failures)| {
        let Ok(r) = report.as_ref() else { return };
        let (Some(b), Some(mut text)) = (r.bottleneck.clone(), r.bottleneck_reason()) else {
            return;
        };
        if let Some(f) = failures.as_ref().filter(|f| !f.spofs.is_empty()) {
            let names: Vec<&str> = f.spofs.keys().map(String::as_str).collect();
            text += &format!(" Single points of failure: {}.", names.join(", "));
        }
        dispatch.dispatch(Action::Select {
            id: b,
            additive: false,
        });
        dispatch.dispatch(Action::Notify(Notice::info(text)));
    });
    let on_close = {
        let lesson = lesson.clone();
        use_callback((), move |_, _| lesson.set(None))
    };
    Journey {
        lesson: (*lesson).clone(),
        on_go,
        on_why,
        on_close,
    }
}
