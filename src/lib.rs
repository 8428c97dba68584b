//! ArchSim: an architecture playground whose numbers come from queueing theory.
//!
//! The crate is the simulation core ([`model`], [`solve`], [`codec`]) plus, behind the
//! default `web` feature, the browser editor. The core never touches browser types, so it
//! builds, tests and runs natively (`cargo test --no-default-features`, the `archsim` CLI).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Per-class values live in parallel `[f64; 3]` arrays (read, write, static); a loop over the
// class index reads more clearly than zipped iterators over three or four of them.
#![allow(clippy::needless_range_loop)]

pub mod codec;
pub mod editor;
pub mod model;
pub mod presets;
pub mod pretty;
pub mod sim;
pub mod sliced;
pub mod solve;
pub mod sort;
pub mod task;
#[cfg(feature = "web")]
pub mod web;
