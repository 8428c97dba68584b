//! The deferred panels' chunk (`web::deferred`): fetched once after the first render, and
//! again when a person asks after a failure. One state for every panel, so a failure is
//! said once and one retry brings them all.

use crate::web::deferred::{self, Panel, Render};
use yew::prelude::*;

/// Where the chunk is.
#[derive(Clone, Copy)]
enum Chunk {
    Loading,
    Ready(Render),
    Unavailable,
    /// Fetched again after a failure, at a person's request.
    Retrying,
}

/// The panels' drawer. The results and the inspector are given it too, for their
/// explanation cards.
#[derive(Clone)]
pub struct Panels {
    chunk: Chunk,
    /// Fetch the chunk again (after a failure).
    retry: Callback<()>,
}

/// Equal when the chunk is in the same state: a chunk once loaded stays, so two drawers
/// that both have it draw the same.
impl PartialEq for Panels {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(&self.chunk) == std::mem::discriminant(&other.chunk)
            && self.retry == other.retry
    }
}

impl Panels {
    /// The panel, or nothing while the chunk is not there.
    pub fn draw(&self, panel: Panel) -> Html {
        match self.chunk {
            Chunk::Ready(render) => render(panel),
            Chunk::Loading | Chunk::Unavailable | Chunk::Retrying => Html::default(),
        }
    }

    /// The panel, or `waiting` while the chunk is being fetched (nothing once it could not
    /// be: the notice says so).
    pub fn draw_or(&self, panel: Panel, waiting: Html) -> Html {
        match self.chunk {
            Chunk::Ready(render) => render(panel),
            Chunk::Loading | Chunk::Retrying => waiting,
            Chunk::Unavailable => Html::default(),
        }
    }

    /// The notice of a failed fetch, with its retry; nothing otherwise.
    pub fn notice(&self) -> Html {
        match self.chunk {
            Chunk::Unavailable => deferred::unavailable(false, self.retry.clone()),
            Chunk::Retrying => deferred::unavailable(true, self.retry.clone()),
            Chunk::Loading | Chunk::Ready(_) => Html::default(),
        }
    }
}

/// Fetches the chunk after the first render, and again on `retry`.
#[hook]
pub fn use_panels() -> Panels {
    let chunk = use_state(|| Chunk::Loading);
    let attempt = use_state_eq(|| 0u32);
    {
        let chunk = chunk.clone();
        use_effect_with(*attempt, move |&attempt| {
            if attempt > 0 {
                chunk.set(Chunk::Retrying);
            }
            wasm_bindgen_futures::spawn_local(async move {
                chunk.set(match deferred::load().await {
                    Ok(render) => Chunk::Ready(render),
                    Err(_) => Chunk::Unavailable,
                });
            });
        });
    }
    let retry = use_callback(attempt.clone(), |(), attempt| attempt.set(**attempt + 1));
    Panels {
        chunk: *chunk,
        retry,
    }
}
