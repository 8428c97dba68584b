//! ArchSim: an architecture playground whose numbers come from queueing theory.
//!
//! The crate is the simulation core ([`model`], [`solve`], [`codec`]) plus, behind the
//! default `web` feature, the browser editor. The core never touches browser types, so it
//! builds, tests and runs natively (`cargo test --no-default-features`, the `archsim` CLI).
#![forbid(unsafe_code)]

pub mod model;
pub mod solve;
