//! The scenario: the public, versioned document that files and shared links carry.
//!
//! Ids are stable strings chosen by the author (never graph indices), positions are part of
//! the document so a link reproduces the drawing, and unknown fields are errors so that a typo
//! can never silently change a result.

mod adjacency;
mod autoscale;
mod breaker;
mod component;
mod diff;
mod geo;
mod kind;
mod placement;
mod price;
mod problem;
mod scenario;
mod simulation;
mod text;
mod traffic;
mod validate;
mod validate_geo;
mod validate_simulation;

pub use adjacency::Adjacency;
pub use autoscale::Autoscale;
pub use breaker::{Breaker, BreakerField};
pub use component::{Component, Link};
pub use diff::{changes, Change};
pub use geo::{
    users_at, Geography, Location, Rtt, DEFAULT_ACCESS_MS, FORMAT_8_MS, MAX_RTT_MS, NOWHERE,
};
pub use kind::{
    HealthCheck, Kind, ParamDefault, ParamError, ParamSpec, ParamType, ParamValue, MAX_COUNT,
    MAX_WAITING,
};
pub use price::CACHE_NODE_BYTES;
pub use problem::{
    Field, LinkField, OutageField, Problem, Problems, ReshardField, SimField, TrafficField,
};
pub use scenario::{Failure, Scenario, VERSION};
pub use simulation::{
    Outage, Profile, ProfileField, Reshard, Simulation, MAX_REPLICATIONS, MAX_REQUESTS, MAX_SECONDS,
};
pub use text::{
    availability, bytes, minutes, multiple, percent, quote, rate, show, significant, thousands,
};
pub use traffic::{shown_rps, Class, Traffic, Users, DEFAULT_ZIPF_S, SECONDS_PER_DAY};
pub use validate::{MAX_COMPONENTS, MAX_LABEL_LEN, MAX_LINKS};
