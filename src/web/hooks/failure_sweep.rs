//! The failure analysis of the design on screen: every single failure is a solve of its
//! own, so it starts once edits pause and runs in slices.

use super::sliced::{use_sliced, Progress};
use crate::model::{Problems, Scenario};
use crate::solve::{FailureAnalysis, FailureSweep, Report};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds an edit must stand before the sweep starts.
const PAUSE_MS: u32 = 200;

/// The failure analysis as the page has it.
#[derive(Clone, PartialEq)]
pub enum Sweep {
    /// Being computed.
    Checking,
    /// Computed.
    Ready(Rc<FailureAnalysis>),
    /// It could not be computed (no worker and no stand-in, or an internal error): why, in
    /// words. Never shown as an empty analysis, which would read as "no SPOF".
    Failed(Rc<str>),
    /// The design itself cannot be solved (the results say why): no failure can be weighed.
    Unsolved,
}

impl Sweep {
    /// The analysis, once computed.
    pub fn ready(&self) -> Option<Rc<FailureAnalysis>> {
        match self {
            Sweep::Ready(a) => Some(a.clone()),
            Sweep::Checking | Sweep::Failed(_) | Sweep::Unsolved => None,
        }
    }
}

/// The design's failure analysis.
#[hook]
pub fn use_failure_sweep(
    scenario: Rc<Scenario>,
    report: Rc<Result<Rc<Report>, Problems>>,
) -> Sweep {
    let slicer = use_sliced::<FailureSweep>(Progress::Hidden);
    let out = use_state(|| Sweep::Checking);
    {
        let out = out.clone();
        use_effect_with(scenario, move |s| {
            out.set(Sweep::Checking);
            match report.as_ref() {
                // The sweep solves the design again where it runs; that solve fails only
                // where this one did, so a refusal cannot reach the panel.
                Ok(_) => slicer.start((**s).clone(), PAUSE_MS, move |analysis, _| {
                    out.set(match analysis {
                        Ok(a) => Sweep::Ready(Rc::new(a)),
                        Err(why) => Sweep::Failed(why.into()),
                    })
                }),
                Err(_) => {
                    slicer.stop();
                    out.set(Sweep::Unsolved);
                }
            }
        });
    }
    (*out).clone()
}
