//! The panels that are not needed to show a design and its numbers, compiled into a Wasm
//! chunk of their own that the page fetches after its first render.
//!
//! The page's binary (`src/main.rs`) makes a split point of a function that returns
//! [`render`], and hands [`start`](super::start) a [`Load`] that calls it. The build's split
//! step (`scripts/split-page.sh`) moves into the chunk every function reachable from that
//! point and from nothing else: here the panels' components. The page keeps only [`Panel`]
//! (their properties) and [`Deferred`], which shows a panel once the chunk has arrived. The
//! worker's binary names no split point, so the linker leaves the panels out of it.

use super::baseline::{Baseline, BaselineProps};
use super::failures::{FailurePanel, FailurePanelProps};
use super::journey::{JourneyPanel, JourneyProps};
use super::levers::{Levers, LeversProps};
use super::model_page::{ModelPage, ModelPageProps};
use super::planner::{Planner, PlannerProps};
use super::shortcut_list::{ShortcutList, ShortcutListProps};
use super::sim_panel::{SimulationPanel, SimulationPanelProps};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use wasm_split_helpers::SplitLoaderError;
use yew::prelude::*;

/// A deferred panel with its properties.
#[derive(Clone, PartialEq)]
pub enum Panel {
    Journey(JourneyProps),
    Baseline(BaselineProps),
    Levers(LeversProps),
    Simulation(SimulationPanelProps),
    Failures(FailurePanelProps),
    Planner(PlannerProps),
    Model(ModelPageProps),
    Shortcuts(ShortcutListProps),
}

/// Draws a panel: [`render`], callable once the chunk that holds it is loaded.
pub type Render = fn(&Panel) -> Html;

/// Fetches the chunk (the first call) and gives its renderer.
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
    /// The chunk's renderer once loaded, so that a panel opened later shows at once.
    static LOADED: Cell<Option<Render>> = const { Cell::new(None) };
}

/// Keeps the page binary's way to fetch the chunk.
pub(super) fn set_load(load: Load) {
    LOAD.with(|l| l.set(Some(load)));
}

/// Draws a deferred panel. Only the page binary's split point names it.
pub fn render(panel: &Panel) -> Html {
    match panel.clone() {
        Panel::Journey(p) => html! { <JourneyPanel ..p /> },
        Panel::Baseline(p) => html! { <Baseline ..p /> },
        Panel::Levers(p) => html! { <Levers ..p /> },
        Panel::Simulation(p) => html! { <SimulationPanel ..p /> },
        Panel::Failures(p) => html! { <FailurePanel ..p /> },
        Panel::Planner(p) => html! { <Planner ..p /> },
        Panel::Model(p) => html! { <ModelPage ..p /> },
        Panel::Shortcuts(p) => html! { <ShortcutList ..p /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// The panel to show.
    pub panel: Panel,
}

/// Shows a deferred panel: nothing while the chunk is on its way (a fraction of a second
/// after the first render), the panel once it is there, and a sentence if it cannot come.
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let loaded = use_state(|| LOADED.with(Cell::get).map(Ok));
    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            if loaded.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let got = match LOAD.with(Cell::get) {
                        Some(load) => load().await,
                        None => Err(Unavailable),
                    };
                    if let Ok(render) = got {
                        LOADED.with(|l| l.set(Some(render)));
                    }
                    loaded.set(Some(got));
                });
            }
        });
    }
    match *loaded {
        None => Html::default(),
        Some(Ok(render)) => render(&props.panel),
        Some(Err(Unavailable)) => html! {
            <section class="panel" role="alert" data-testid="panel-unavailable">
                {"This panel could not be loaded (is the network down?). Your design is kept: reload the page to try again."}
            </section>
        },
    }
}
