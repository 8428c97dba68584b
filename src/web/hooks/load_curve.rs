//! The latency-and-drops-versus-load curves: a few dozen solves of the design (and of the
//! pinned baseline, at the same loads), started once edits pause and run in slices.

use super::sliced::{use_sliced, Progress};
use crate::model::Scenario;
use crate::solve::{Curves, LoadCurves};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds an edit must stand before the curve is computed: longer than the failure
/// sweep's pause, so that where the two must take turns (src/web/offload/pool.rs) the SPOFs,
/// which the diagram shows, come first.
const PAUSE_MS: u32 = 250;
/// Loads on the curve.
const POINTS: usize = 24;

/// The load curves on screen, and whether they are of the design as it is now.
#[derive(Clone, PartialEq)]
pub struct LoadCurve {
    /// The design's curve and the baseline's (empty until first computed, and for designs
    /// without traffic), or why they could not be computed.
    pub curves: Result<Rc<Curves>, Rc<str>>,
    /// False from an edit until its curve arrives: the chart then still shows the previous
    /// design's curve, which must not read as this one's (an opened example kept the old
    /// axes for seconds beside the new results).
    pub current: bool,
}

/// The design's load curve and the baseline's, recomputed once edits pause.
#[hook]
pub fn use_load_curve(scenario: Rc<Scenario>, baseline: Option<Rc<Scenario>>) -> LoadCurve {
    let slicer = use_sliced::<LoadCurves>(Progress::Hidden);
    let curves = use_state(|| Ok(Rc::new(Curves::default())));
    // `_eq`: an edit while the curve is already out of date costs no extra render.
    let current = use_state_eq(|| false);
    {
        let (curves, current) = (curves.clone(), current.clone());
        use_effect_with((scenario, baseline), move |(s, b)| {
            let input = ((**s).clone(), b.as_deref().cloned(), POINTS);
            current.set(false);
            // Load curves are built from any design (empty where it does not solve).
            slicer.start(input, PAUSE_MS, move |points, _| {
                curves.set(points.map(Rc::new).map_err(Rc::from));
                current.set(true);
            });
        });
    }
    LoadCurve {
        curves: (*curves).clone(),
        current: *current,
    }
}
