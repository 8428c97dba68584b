//! The panels that are not needed to show a design and its numbers, compiled into a Wasm
//! chunk of their own that the page fetches after its first render.
//!
//! The page's binary (`src/main.rs`) makes a split point of a function that returns
//! [`render`], and hands [`start`](super::start) a [`Load`] that calls it. The build's split
//! step (`scripts/split-page.sh`) moves into the chunk every function reachable from that
//! point and from nothing else: here the panels' components, the explanation cards, the
//! load curve (whose numbers come from a worker after the first render anyway) and the
//! cache's hit-ratio curve. The page keeps only [`Panel`] (their properties) and
//! `use_panels` (`hooks/panels.rs`), which fetches the chunk and draws a panel once it is
//! there. The worker's binary names no split point, so the linker
//! leaves the panels out of it. What is on screen from the start (the journey's lesson
//! when a link opens a stage, the shortcut list a key opens) stays in the first load.

use super::baseline::{Baseline, BaselineProps};
use super::chart::{ChartProps, LoadChart};
use super::explanation::{ExplanationCard, ExplanationCardProps};
use super::failures::{FailurePanel, FailurePanelProps};
use super::hit_curve::{HitCurve, HitCurveProps};
use super::levers::{Levers, LeversProps};
use super::model_page::{ModelPage, ModelPageProps};
use super::planner::{Planner, PlannerProps};
use super::sim_panel::{SimulationPanel, SimulationPanelProps};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use wasm_split_helpers::SplitLoaderError;
use yew::prelude::*;

/// A deferred panel with its properties.
pub enum Panel {
    Baseline(BaselineProps),
    Levers(LeversProps),
    Simulation(SimulationPanelProps),
    Failures(FailurePanelProps),
    Planner(PlannerProps),
    Model(ModelPageProps),
    /// Where a number comes from, opened by a click on it.
    Explanation(ExplanationCardProps),
    /// A cache's hit ratio against its size, in the inspector.
    HitCurve(HitCurveProps),
    /// Latency and drops against load, under the headline figures.
    LoadChart(ChartProps),
}

/// Draws a panel: [`render`], callable once the chunk that holds it is loaded.
pub type Render = fn(Panel) -> Html;

/// Fetches the chunk (again after a failure) and gives its renderer.
pub type Load = fn() -> Pin<Box<dyn Future<Output = Result<Render, Unavailable>>>>;

/// The chunk could not be fetched (the network, or a page older than the server's files).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Unavailable;

impl From<SplitLoaderError> for Unavailable {
    fn from(_: SplitLoaderError) -> Self {
        Unavailable
    }
}

thread_local! {
    /// How to fetch the chunk, given by the page's binary when it starts.
    static LOAD: Cell<Option<Load>> = const { Cell::new(None) };
}

/// Keeps the page binary's way to fetch the chunk.
pub(super) fn set_load(load: Load) {
    LOAD.with(|l| l.set(Some(load)));
}

/// Fetches the chunk with the page binary's [`Load`].
pub(super) async fn load() -> Result<Render, Unavailable> {
    match LOAD.with(Cell::get) {
        Some(load) => load().await,
        None => Err(Unavailable),
    }
}

/// Draws a deferred panel. Only the page binary's split point names it.
pub fn render(panel: Panel) -> Html {
    match panel {
        Panel::Baseline(p) => html! { <Baseline ..p /> },
        Panel::Levers(p) => html! { <Levers ..p /> },
        Panel::Simulation(p) => html! { <SimulationPanel ..p /> },
        Panel::Failures(p) => html! { <FailurePanel ..p /> },
        Panel::Planner(p) => html! { <Planner ..p /> },
        Panel::Model(p) => html! { <ModelPage ..p /> },
        Panel::Explanation(p) => html! { <ExplanationCard ..p /> },
        Panel::HitCurve(p) => html! { <HitCurve ..p /> },
        Panel::LoadChart(p) => html! { <LoadChart ..p /> },
    }
}

/// What the side panel says, once, when the chunk could not be fetched.
pub fn unavailable(retrying: bool, on_retry: Callback<()>) -> Html {
    html! {
        <section class="panel-unavailable" role="alert" data-testid="panel-unavailable">
            <p>{"The baseline, levers, simulation, failure and planner panels, the explanations \
                 of the numbers and the page on how they are computed could not be loaded (is the \
                 network down?). Your design and its numbers above are unaffected."}</p>
            <button onclick={on_retry.reform(|_: MouseEvent| ())} disabled={retrying}
                    data-testid="panel-retry">
                { if retrying { "Trying again…" } else { "Try again" } }
            </button>
        </section>
    }
}
