//! The analytic solver: a scenario in, a report of steady-state numbers out.
//!
//! Every formula is listed with its source in `MODEL.md`. The pieces, in the order a solve
//! runs them: the routing [`network`], the [`flow`] of requests, each component as a
//! queueing [`station`], end-to-end [`latency`], [`availability`], and the monthly cost.

mod analyze;
mod autoscale;
mod availability;
mod carry;
mod closed;
mod explain;
mod explain_figures;
mod explain_station;
mod explain_unit;
mod factor;
mod failure;
mod flow;
mod geo;
mod health;
mod held;
pub mod hit_ratio;
mod latency;
mod loose_ends;
pub mod mva;
pub(crate) mod network;
mod node;
mod num;
mod one_failure;
mod parallel;
mod patch;
mod planner;
mod queueing;
mod quotient;
pub mod replication;
mod report;
pub mod resharding;
mod sensitivity;
mod solution;
mod spof;
pub(crate) mod station;
mod survive;
mod sweep;
mod token_bucket;
mod versus;

pub use analyze::analyze;
pub use closed::{ClosedPoint, ClosedReport};
pub use explain::{explain, Explained, Explanation, Formula, Input, Quantity, Subject, Unit};
pub use failure::{
    analyze_with_failures, failure_analysis, failure_analysis_exhaustive, single_points_of_failure,
    FailureAnalysis, FailureSweep, Unassessed, DETAILED_ROWS,
};
pub use num::{Complex, Dual, Num};
pub use planner::{plan, planned, Changes, Plan, Planning, Target};
pub use queueing::{
    erlang_b, erlang_c, saturates, service_lst, Queue, Solved, Wait, SATURATION_TOLERANCE,
};
pub use report::{
    noticeable, rarely, Busiest, ComponentReport, Detail, FailureMode, Impact, LatencyReport,
    LinkReport, PassedBy, PlaceLatency, Report, MINUTES_PER_MONTH,
};
pub use sensitivity::{sensitivity, Change, Goal, Lever, Outcome, Sensitivity, SensitivitySweep};
pub(crate) use spof::name_list;
pub use sweep::{load_sweep, Curves, LoadCurves, LoadPoint, LoadSweep};
pub use versus::{
    versus, ComponentDelta, Figure, FigureDelta, Figures, SpofChanges, Verdict, Versus,
};
