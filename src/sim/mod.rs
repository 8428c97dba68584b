//! The discrete-event simulator: the same scenario, request by request, over time.
//!
//! Where the analytic core answers "steady state, on average", a run answers "what happens
//! during the spike, while the replica is promoted, when clients retry", and measures
//! percentiles directly. It follows the analytic core's routing ([`table`]), so the two
//! agree where theory applies, and the comparison ([`compare`]) says where they do not.
//!
//! A run is a [`Run`] advanced in slices (so a page can stay responsive) and summed up in a
//! [`SimReport`]; [`simulate`] does both at once.

mod breaker;
mod compare;
mod engine;
mod epochs;
mod key_cache;
mod moment;
mod paired;
mod random;
mod report;
mod run;
mod stats;
mod table;

pub use breaker::BreakerState;
pub use compare::{approximations, comparable, compare, Comparison, Metric};
pub use moment::{breakers_at, moment};
pub use paired::{simulate_pair, Difference, PairedRun, PairedRuns};
pub use report::{
    ComponentSeries, Resharded, Second, SimBreaker, SimComponent, SimLatency, SimPlaceLatency,
    SimReport,
};
pub use run::{simulate, Run};
pub use stats::Estimate;
