//! Long work in a Web Worker: the page posts a [`crate::task::Task`]'s input, the worker
//! rebuilds the work, runs it and posts the result back. Where no worker can run, the
//! worker's own Wasm runs in the page ([`InPage`]), behind the same messages.

mod codec;
mod pool;
mod serve;
mod soon;
mod worker;

pub use pool::{cores, take_turn, Turn};
pub use serve::{serve_tasks, InPage};
pub use soon::{after_paint, soon};
pub use worker::{Encoded, Reply, Worker};
