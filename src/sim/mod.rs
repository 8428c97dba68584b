//! The discrete-event simulator: the same scenario, request by request, over time.
//!
//! Where the analytic core answers "steady state, on average", a run answers "what happens
//! during the spike, while the replica is promoted, when clients retry", and measures
//! percentiles directly. It follows the analytic core's routing ([`table`]), so the two
//! agree where theory applies, and the comparison ([`compare`]) says where they do not.
//!
//! A run is a [`Run`] advanced in slices (so a page can stay responsive) and summed up in a
//! [`SimReport`]; a scenario may ask for several independent replications of it, which
//! [`Replicated`] runs one after another, [`Replica::split`] hands out to workers or
//! threads, and [`Replica::merge`] joins; [`simulate`] does it all at once.

mod breaker;
mod compare;
mod engine;
mod epochs;
mod key_cache;
mod merge;
mod moment;
mod open_second;
mod paired;
mod random;
mod replications;
mod report;
mod run;
mod stats;
mod table;

pub use breaker::BreakerState;
pub use compare::{approximations, comparable, compare, overloaded, Comparison, Metric, AGREEMENT};
pub use moment::{breakers_at, moment};
pub use paired::{Difference, PairedRun, PairedRuns};
pub use replications::{replicate, replication_seed, simulate, simulate_pair, Replica, Replicated};
pub use report::{
    ComponentSeries, Resharded, Second, SimBreaker, SimComponent, SimLatency, SimPlaceLatency,
    SimReport,
};
pub use run::Run;
pub use stats::Estimate;
