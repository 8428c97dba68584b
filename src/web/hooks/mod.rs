//! The root component's effects, one per file: each is a hook that owns its state, its
//! listeners and their clean-up, so `App` only wires them together.

mod canvas_area;
mod dialog;
mod failure_sweep;
mod file_actions;
mod gestures;
mod help;
mod journey;
mod kept_focus;
mod load_curve;
mod menus;
mod panels;
mod persistence;
mod reveal;
mod shortcuts;
mod sliced;
mod unplaced;
mod view;

pub use canvas_area::use_canvas_area;
pub use dialog::use_dialog;
pub use failure_sweep::{use_failure_sweep, Sweep};
pub use file_actions::use_file_actions;
pub use gestures::use_gestures;
pub use help::{use_help, HelpAction};
pub use journey::use_journey;
pub use kept_focus::use_kept_focus;
pub use load_curve::{use_load_curve, LoadCurve};
pub use menus::use_menus;
pub use panels::{use_panels, Panels};
pub use persistence::use_persistence;
pub use reveal::use_reveal;
pub use shortcuts::use_shortcuts;
pub use sliced::{use_sliced, Progress};
pub use unplaced::use_unplaced;
pub use view::use_view;
