//! The editor: the design's history and view state, and everything a person does to them,
//! in plain Rust with no browser types, so all of it is tested natively and the Yew layer
//! only forwards events.
//!
//! - [`edit`]: changes to the design, applied by one pure function ([`apply_edit`]).
//! - [`state`]: the editor's state and its reducer of [`Action`]s (undo/redo, selection).
//! - [`gesture`]: pointer gestures as a state machine.
//! - [`shortcuts`]: the one table of keys, used by the key handler and the help.
//! - [`geometry`]: canvas maths.

mod action;
mod connect;
pub mod edit;
pub mod geometry;
pub mod gesture;
mod notice;
pub mod shortcuts;
pub mod state;
#[cfg(test)]
mod tests;

pub use action::{Action, Origin};
pub use connect::{connection, pair, ConnectError};
pub use edit::{apply_edit, refusal, Applied, Edit, EditError};
pub use gesture::{Frame, Gesture, Hit, Preview};
pub use notice::Notice;
pub use state::{Editor, Selection, HISTORY};
