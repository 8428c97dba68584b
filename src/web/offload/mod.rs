//! Long work in a Web Worker: the page posts a [`crate::task::Task`]'s input, the worker
//! rebuilds the work, runs it and posts the result back.

mod codec;
mod pool;
mod serve;
mod worker;

pub use pool::{cores, take_turn, Turn};
pub use serve::serve_tasks;
pub use worker::{Encoded, Reply, Worker};
