//! The latency-and-drops-versus-load curve: a few dozen solves, started once edits pause
//! and run in slices.

use super::sliced::use_sliced;
use crate::model::Scenario;
use crate::solve::{LoadPoint, LoadSweep};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds an edit must stand before the curve is computed.
const PAUSE_MS: u32 = 150;
/// Loads on the curve.
const POINTS: usize = 24;

/// The design's load curve (empty until computed, and for designs without traffic).
#[hook]
pub fn use_load_curve(scenario: Rc<Scenario>) -> Rc<Vec<LoadPoint>> {
    let slicer = use_sliced::<LoadSweep>();
    let curve = use_state(|| Rc::new(Vec::<LoadPoint>::new()));
    {
        let curve = curve.clone();
        use_effect_with(scenario, move |s| {
            let sweep = LoadSweep::new(s, POINTS);
            slicer.start(sweep, PAUSE_MS, move |points, _| curve.set(Rc::new(points)));
        });
    }
    (*curve).clone()
}
