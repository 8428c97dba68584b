//! The File menu: a new design, the designs kept in this browser, and files in and out.

use super::storage::{self, Entry};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the File menu asks for.
pub enum FileAction {
    /// Download the design as JSON.
    SaveJson,
    /// Open a design from a JSON file.
    Open(web_sys::File),
    /// Download the diagram as SVG.
    ExportSvg,
    /// Download the diagram as PNG.
    ExportPng,
}

/// File menu properties.
#[derive(Properties, PartialEq)]
pub struct FileMenuProps {
    /// Save, open or export a file.
    pub on_file: Callback<FileAction>,
    /// The designs kept in the browser, the most recent first.
    pub recent: Rc<Vec<Entry>>,
    /// Open a kept design by its key.
    pub on_recent: Callback<String>,
    /// Start a blank design.
    pub on_new: Callback<()>,
    /// Open a shipped example by its key.
    pub on_example: Callback<&'static str>,
}

/// How long ago `ms` (since 1970) was, in words.
fn ago(ms: f64) -> String {
    let s = ((js_sys::Date::now() - ms) / 1000.0).max(0.0);
    match s {
        s if s < 60.0 => "just now".to_owned(),
        s if s < 3600.0 => format!("{} min ago", (s / 60.0) as u64),
        s if s < 86_400.0 => format!("{} h ago", (s / 3600.0) as u64),
        s => format!("{} days ago", (s / 86_400.0) as u64),
    }
}

/// The menu.
#[component]
pub fn FileMenu(props: &FileMenuProps) -> Html {
    let current = storage::current_in(&props.recent);
    let on_open_file = {
        let cb = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                cb.emit(FileAction::Open(file));
            }
            input.set_value("");
        })
    };
    html! {
        <details class="menu" data-testid="file-menu">
            <summary>{"File"}</summary>
            <div class="menu-items">
                <button class="menu-item" data-testid="new-design"
                        onclick={props.on_new.reform(|_| ())}>{"New design"}</button>
                <label class="menu-item">
                    {"Open .json…"}
                    <input type="file" accept=".json,application/json" hidden=true
                           data-testid="open-file" onchange={on_open_file} />
                </label>
                <button class="menu-item" data-testid="save-json"
                        onclick={props.on_file.reform(|_| FileAction::SaveJson)}>{"Save as .json"}</button>
                <button class="menu-item" onclick={props.on_file.reform(|_| FileAction::ExportSvg)}>{"Export SVG"}</button>
                <button class="menu-item" onclick={props.on_file.reform(|_| FileAction::ExportPng)}>{"Export PNG"}</button>
                <div class="menu-heading">{"Examples"}</div>
                { for crate::presets::EXAMPLES.iter().map(|&(key, title, _)| html! {
                    <button class="menu-item" data-example={key}
                            onclick={props.on_example.reform(move |_| key)}>{ title }</button>
                }) }
                if !props.recent.is_empty() {
                    <div class="menu-heading">{"Recent designs"}</div>
                    <div data-testid="recent">
                        { for props.recent.iter().map(|e| {
                            let key = e.key.clone();
                            let here = current.as_deref() == Some(e.key.as_str());
                            html! {
                                <button class={classes!("menu-item", "recent", here.then_some("current"))}
                                        data-key={e.key.clone()} disabled={here}
                                        title={if here { "The design on screen" } else { "Open this design" }}
                                        onclick={props.on_recent.reform(move |_| key.clone())}>
                                    <span class="recent-name">{ e.name.clone() }</span>
                                    <span class="muted">{ format!("{} · {}", e.detail(&props.recent), ago(e.saved_ms)) }</span>
                                </button>
                            }
                        }) }
                    </div>
                }
            </div>
        </details>
    }
}
