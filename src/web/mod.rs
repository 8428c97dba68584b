//! The browser editor: a thin Yew layer over [`crate::editor`] and [`crate::solve`].
//!
//! `app` wires the page together; `hooks` hold its effects (gestures, shortcuts, the
//! address bar, work in slices); every other file is one view.

mod activate;
mod app;
mod baseline;
mod baseline_sim;
mod bench;
mod canvas;
mod chart;
mod closed_chart;
mod data_tier;
mod deferred;
mod diagram;
mod embed;
mod explanation;
mod failures;
mod file_menu;
mod files;
mod format;
mod hit_curve;
mod hooks;
mod icons;
mod inspector;
mod journey;
mod legend;
mod levers;
mod link_fields;
mod link_list;
mod link_view;
mod minimap;
mod model_page;
mod notice;
mod number_field;
mod offload;
mod opening;
mod palette;
mod planner;
mod populations;
mod press;
mod results;
mod run_button;
mod share;
mod shared;
mod shortcut_list;
mod sim_panel;
mod sim_reshards;
mod sim_results;
mod sim_settings;
mod sim_timeline;
mod startup;
mod storage;
mod timeseries;
mod toolbar;
mod view_controls;

pub use deferred::{render as render_panel, Load, Render, Unavailable};
pub use offload::{serve_tasks, InPage};
pub use shared::Shared;
pub use startup::start;
