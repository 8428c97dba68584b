//! Long work that a page hands to a Web Worker. A worker has memory of its own, so what
//! crosses to it is the work's input (a design, a few numbers) and what comes back is the
//! finished result, never the work in progress: the worker rebuilds the work from its input
//! with [`Task::build`] and runs it to the end ([`Sliced::run_to_end`]), exactly as the CLI
//! does. The same input therefore gives the same result, byte for byte, in either place.

use crate::model::Scenario;
use crate::sim::{PairedRun, Replica, Replicated, Run};
use crate::sliced::Sliced;
use crate::solve::{analyze, FailureSweep, LoadCurves, Planning, SensitivitySweep, Target};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Which work a message to a worker carries, so that the worker knows what to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A simulation run, its replications one after another ([`Replicated`] [`Run`]s).
    Run,
    /// The baseline and the current design simulated side by side, each replication a
    /// pair ([`Replicated`] [`PairedRun`]s).
    PairedRun,
    /// The latency-versus-load curves ([`LoadCurves`]).
    LoadCurves,
    /// The SPOFs and the N−1 table ([`FailureSweep`]).
    FailureSweep,
    /// Every lever tried ([`SensitivitySweep`]).
    Sensitivity,
    /// The capacity planner's search ([`Planning`]).
    Plan,
}

impl TaskKind {
    /// Whether a person asked for this work (a run), rather than it following every edit
    /// (the sweeps): asked-for work starts at once, the rest takes turns for the cores.
    pub fn asked_for(self) -> bool {
        matches!(self, TaskKind::Run | TaskKind::PairedRun | TaskKind::Plan)
    }
}

/// Sliced work that can be rebuilt, wherever it is to run, from an input that crosses a
/// worker's boundary; its output crosses back.
pub trait Task: Sliced<Output: Serialize + DeserializeOwned> + Sized {
    /// What the work is built from.
    type Input: Serialize + DeserializeOwned;
    /// The tag its messages carry.
    const KIND: TaskKind;

    /// Builds the work.
    ///
    /// # Errors
    /// Why the input cannot be worked on, in words for the person who asked.
    fn build(input: Self::Input) -> Result<Self, String>;

    /// The independent parts the work splits into, each an input of its own, which a page
    /// may hand to several workers at once and join with [`Task::merge`]; none (the
    /// default) for work that does not split, or when there is only one part.
    ///
    /// # Errors
    /// Why the input cannot be worked on, as [`Task::build`] would say.
    fn split(_input: &Self::Input) -> Result<Vec<Self::Input>, String> {
        Ok(Vec::new())
    }

    /// Joins the outputs of the parts [`Task::split`] gave, in their order: the same
    /// output as the whole work gives.
    fn merge(first: Self::Output, _rest: Vec<Self::Output>) -> Self::Output {
        first
    }
}

/// A task's input or output as it crosses to a worker or back: JSON text, which a message
/// carries as one string. The page decodes JSON already (files, links, storage), so the
/// replies add no decoder of their own: CBOR's, generated per result type, was 125 KB of
/// the page's Wasm (twiggy, 2026-12-05). JSON has no infinity or NaN (it writes `null`);
/// no task's input or output holds one (an unbounded figure is `None`), which
/// `tests/wire.rs` checks for every example, journey stage and many random designs.
///
/// # Errors
/// Why `value` could not be written.
pub fn to_wire<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// The value `text` from [`to_wire`] holds.
///
/// # Errors
/// Why `text` is not such a value, in words.
pub fn from_wire<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// The replications workers may run side by side, once the whole design is checked (the
/// parts, one replication each, would pass a run too large over all of them); none to
/// split when there is one.
fn replications<P: Replica>(d: &P::Design) -> Result<Vec<P::Design>, String> {
    if P::replications(d) <= 1 {
        return Ok(Vec::new());
    }
    P::check(d).map_err(|p| p.for_people().join("\n"))?;
    Ok(P::split(d))
}

impl Task for Replicated<Run> {
    type Input = Scenario;
    const KIND: TaskKind = TaskKind::Run;

    fn build(s: Scenario) -> Result<Self, String> {
        Replicated::new(&s).map_err(|p| p.for_people().join("\n"))
    }

    fn split(s: &Scenario) -> Result<Vec<Scenario>, String> {
        replications::<Run>(s)
    }

    fn merge(first: Self::Output, rest: Vec<Self::Output>) -> Self::Output {
        Run::merge(first, rest)
    }
}

impl Task for Replicated<PairedRun> {
    /// The baseline, then the current design.
    type Input = (Scenario, Scenario);
    const KIND: TaskKind = TaskKind::PairedRun;

    fn build(designs: (Scenario, Scenario)) -> Result<Self, String> {
        Replicated::new(&designs).map_err(|p| p.for_people().join(" "))
    }

    fn split(designs: &(Scenario, Scenario)) -> Result<Vec<(Scenario, Scenario)>, String> {
        replications::<PairedRun>(designs)
    }

    fn merge(first: Self::Output, rest: Vec<Self::Output>) -> Self::Output {
        PairedRun::merge(first, rest)
    }
}

impl Task for LoadCurves {
    /// The current design, the pinned baseline if any, and the loads per curve.
    type Input = (Scenario, Option<Scenario>, usize);
    const KIND: TaskKind = TaskKind::LoadCurves;

    fn build((s, baseline, points): Self::Input) -> Result<LoadCurves, String> {
        Ok(LoadCurves::new(&s, baseline.as_ref(), points))
    }
}

impl Task for FailureSweep {
    type Input = Scenario;
    const KIND: TaskKind = TaskKind::FailureSweep;

    /// The design is solved again where the sweep runs: a solve is a small part of the
    /// sweep, and a report need not cross.
    fn build(s: Scenario) -> Result<FailureSweep, String> {
        match analyze(&s) {
            Ok(base) => Ok(FailureSweep::new(s, base)),
            Err(p) => Err(p.for_people().join("\n")),
        }
    }
}

impl Task for SensitivitySweep {
    type Input = Scenario;
    const KIND: TaskKind = TaskKind::Sensitivity;

    fn build(s: Scenario) -> Result<SensitivitySweep, String> {
        Ok(SensitivitySweep::new(&s))
    }
}

impl Task for Planning {
    /// The design and the target.
    type Input = (Scenario, Target);
    const KIND: TaskKind = TaskKind::Plan;

    fn build((s, target): (Scenario, Target)) -> Result<Planning, String> {
        Ok(Planning::new(s, target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    /// What crosses to a worker and back is the same after the crossing (here through
    /// JSON, whose numbers are as exact as a structured clone's): a run built from a copied
    /// input gives the same report as one built from the original.
    #[test]
    fn a_task_rebuilt_from_its_copied_input_gives_the_same_result() {
        let s = (presets::stage("replication")
            .expect("the stage exists")
            .build)();
        let copied: Scenario =
            serde_json::from_str(&serde_json::to_string(&s).expect("serialises")).expect("parses");
        let here = Replicated::<Run>::build(s).expect("runs").run_to_end();
        let there = Replicated::<Run>::build(copied).expect("runs").run_to_end();
        assert_eq!(here, there);
        let back: crate::sim::SimReport =
            serde_json::from_str(&serde_json::to_string(&there).expect("serialises"))
                .expect("parses");
        assert_eq!(back, here);
    }
}
