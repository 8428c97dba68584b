//! What crosses to a Web Worker and back (`task::to_wire`, JSON) arrives as it left, for
//! every kind of work: JSON has no infinity or NaN, so a figure that held one would come
//! back as `null`, then fail to decode or read as "none". Compared by their debug text,
//! which tells NaN, infinity and `None` apart, for every example, every journey stage and
//! random designs, including saturated and failing ones.

use archsim::model::Scenario;
use archsim::presets;
use archsim::sim::{PairedRun, Replicated, Run};
use archsim::solve::{FailureSweep, LoadCurves, Planning, SensitivitySweep, Target};
use archsim::task::{from_wire, to_wire, Task};
use std::fmt::Debug;

mod common;

/// `value` after crossing, as debug text, beside the text it left as.
fn crossed<T: serde::Serialize + serde::de::DeserializeOwned + Debug>(
    value: &T,
) -> (String, String) {
    let text = to_wire(value).expect("writes");
    let back: T = from_wire(&text).expect("reads back");
    (format!("{back:?}"), format!("{value:?}"))
}

/// The work `T` on `input`: the input and the output each arrive as they left.
fn crosses<T: Task>(input: T::Input, what: &str)
where
    T::Input: Debug,
    T::Output: Debug,
{
    let (back, sent) = crossed(&input);
    assert_eq!(back, sent, "{what}: the input changed on the way");
    let Ok(work) = T::build(input) else { return };
    let (back, sent) = crossed(&work.run_to_end());
    assert_eq!(back, sent, "{what}: the output changed on the way");
}

/// Every kind of work on `s`, the planner asked for twice its traffic.
fn every_task(s: &Scenario, what: &str) {
    crosses::<Replicated<Run>>(s.clone(), what);
    crosses::<Replicated<PairedRun>>((s.clone(), s.clone()), what);
    crosses::<LoadCurves>((s.clone(), Some(s.clone()), 6), what);
    crosses::<FailureSweep>(s.clone(), what);
    crosses::<SensitivitySweep>(s.clone(), what);
    let target = Target {
        rps: 2.0 * s.traffic.peak_rps(),
        p99_ms: 200.0,
        availability: 0.999,
        headroom: 1.0,
    };
    crosses::<Planning>((s.clone(), target), what);
}

#[test]
fn examples_and_journey_cross_unchanged() {
    for (key, _, _) in presets::EXAMPLES {
        let s = presets::example(key).expect("listed").expect("decodes");
        every_task(&s, key);
    }
    for stage in presets::journey() {
        every_task(&(stage.build)(), stage.key);
    }
}

#[test]
fn random_designs_cross_unchanged() {
    for seed in 0..40 {
        every_task(
            &common::simulated(seed, seed % 2 == 0),
            &format!("seed {seed}"),
        );
    }
}

/// The comparison can fail: what JSON cannot hold does not come back as it left.
#[test]
fn infinity_and_nan_would_be_caught() {
    for x in [f64::INFINITY, f64::NAN] {
        let (back, sent) = crossed(&Some(x));
        assert_ne!(back, sent);
    }
}
