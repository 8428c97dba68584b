//! A button that starts long work and, while it runs, stops it, with the share done beside
//! it: the one control every sliced run in the page (a simulation, the paired run) shows.

use yew::prelude::*;

/// Run button properties.
#[derive(Properties, PartialEq)]
pub struct RunButtonProps {
    /// The button's words while idle.
    pub label: AttrValue,
    /// The button's test id; its progress bar's is `progress_id`.
    pub id: AttrValue,
    /// The progress bar's test id.
    pub progress_id: AttrValue,
    /// Share done while running, `None` when idle.
    pub progress: Option<f64>,
    /// Starts, or stops while running.
    pub onclick: Callback<MouseEvent>,
    /// The button's look (`primary` or `secondary`).
    #[prop_or(AttrValue::Static("primary"))]
    pub class: AttrValue,
    /// What a run does, on hover.
    #[prop_or_default]
    pub title: AttrValue,
}

/// Run, or Stop with the progress beside it.
#[component]
pub fn RunButton(props: &RunButtonProps) -> Html {
    html! {
        <div class="run-row">
            <button class={props.class.clone()} data-testid={props.id.clone()}
                    onclick={props.onclick.clone()} title={props.title.clone()}>
                { if props.progress.is_some() { "Stop" } else { props.label.as_str() } }
            </button>
            if let Some(p) = props.progress {
                <progress data-testid={props.progress_id.clone()} max="1" value={p.to_string()} />
                <span class="muted">{ format!("{:.0} %", p * 100.0) }</span>
            }
        </div>
    }
}
