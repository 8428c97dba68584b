//! The failure analysis of the design on screen: every single failure is a solve of its
//! own, so it starts once edits pause and runs in slices.

use super::sliced::{use_sliced, Progress};
use crate::model::{Problems, Scenario};
use crate::solve::{FailureAnalysis, FailureSweep, Report};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds an edit must stand before the sweep starts.
const PAUSE_MS: u32 = 200;

/// The design's failure analysis, `None` while it is being computed.
#[hook]
pub fn use_failure_sweep(
    scenario: Rc<Scenario>,
    report: Rc<Result<Rc<Report>, Problems>>,
) -> Option<Rc<FailureAnalysis>> {
    let slicer = use_sliced::<FailureSweep>(Progress::Hidden);
    let out = use_state(|| None::<Rc<FailureAnalysis>>);
    {
        let out = out.clone();
        use_effect_with(scenario, move |s| {
            out.set(None);
            match report.as_ref() {
                // The sweep solves the design again where it runs; that solve fails only
                // where this one did, so a refusal cannot reach the panel.
                Ok(_) => slicer.start((**s).clone(), PAUSE_MS, move |analysis, _| {
                    out.set(Some(Rc::new(analysis.unwrap_or_default())))
                }),
                Err(_) => {
                    slicer.stop();
                    out.set(Some(Rc::new(FailureAnalysis::default())));
                }
            }
        });
    }
    (*out).clone()
}
