//! "How the numbers are computed": MODEL.md, the one description of every formula and
//! modelling choice, shown in the page (the same text as the repository's file).
//!
//! The file is shipped beside the page (`index.html` copies it) and fetched when the page
//! opens, rather than built into the Wasm: it is 27 KB of the bundle's gzip that few
//! visits read.

use super::hooks::use_dialog;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// Where the model description is, relative to the page.
const MODEL_URL: &str = "MODEL.md";

/// The text of [`MODEL_URL`], or why it could not be had.
async fn fetch_model() -> Result<String, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    // A rejected fetch gives a JavaScript error: its message, in words.
    let said = |e: wasm_bindgen::JsValue| match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => e
            .as_string()
            .unwrap_or_else(|| "no reason given".to_owned()),
    };
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(MODEL_URL))
        .await
        .map_err(said)?
        .dyn_into()
        .map_err(|_| "the answer was not a response".to_owned())?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(said)?)
        .await
        .map_err(said)?;
    text.as_string()
        .ok_or_else(|| "the answer was not text".to_owned())
}

/// Page properties.
#[derive(Properties, PartialEq)]
pub struct ModelPageProps {
    /// Close the page.
    pub on_close: Callback<()>,
}

/// Markdown's inline marks, dropped for plain reading.
fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

/// The document as headings, paragraphs and lists.
fn blocks(text: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, items: &mut Vec<String>, out: &mut Vec<Html>| {
        if !paragraph.is_empty() {
            out.push(html! { <p>{ plain(&paragraph.join(" ")) }</p> });
            paragraph.clear();
        }
        if !items.is_empty() {
            out.push(html! { <ul>{ for items.drain(..).map(|i| html! { <li>{ i }</li> }) }</ul> });
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            // A table row; the |---| row under the head is only markup.
            if !trimmed.contains("---") {
                let cells = trimmed.trim_matches('|').split('|');
                rows.push(cells.map(|c| plain(c.trim())).collect());
            }
            continue;
        }
        if !rows.is_empty() {
            out.push(html! {
                <table class="model-table">
                    { for rows.drain(..).map(|r| html! { <tr>{ for r.into_iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }
                </table>
            });
        }
        if let Some(h) = trimmed.strip_prefix("## ") {
            flush(&mut paragraph, &mut items, &mut out);
            out.push(html! { <h3>{ plain(h) }</h3> });
        } else if let Some(h) = trimmed.strip_prefix("# ") {
            flush(&mut paragraph, &mut items, &mut out);
            out.push(html! { <h2>{ plain(h) }</h2> });
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            if !paragraph.is_empty() {
                flush(&mut paragraph, &mut Vec::new(), &mut out);
            }
            items.push(plain(item));
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut items, &mut out);
        } else if line.starts_with("  ") && !items.is_empty() {
            // The continuation of a list item.
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(&plain(trimmed));
            }
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut items, &mut out);
    out.into_iter().collect::<Html>()
}

/// The overlay.
#[component]
pub fn ModelPage(props: &ModelPageProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let dialog = use_dialog();
    // Esc closes it, like every overlay.
    {
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "keydown", move |e| {
                    let esc = e
                        .dyn_ref::<web_sys::KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape");
                    if esc {
                        on_close.emit(());
                    }
                })
            });
            move || drop(listener)
        });
    }
    let text = use_state(|| None::<Rc<Result<String, String>>>);
    {
        let text = text.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                text.set(Some(Rc::new(fetch_model().await)));
            });
        });
    }
    let (state, body) = match text.as_deref() {
        None => (
            "loading",
            html! { <p class="muted">{"Loading the model description…"}</p> },
        ),
        Some(Ok(t)) => ("ready", blocks(t)),
        Some(Err(why)) => (
            "error",
            html! {
                <p class="bad">{ format!(
                    "The model description could not be loaded ({why}). It is MODEL.md in \
                     ArchSim's repository; your design is unaffected."
                ) }</p>
            },
        ),
    };
    html! {
        <div class="overlay" onclick={close.clone()}>
            <article class="help model-page" data-testid="model-page" data-state={state}
                     role="dialog" aria-modal="true" aria-label="How the numbers are computed"
                     ref={dialog}
                     onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <button class="close" onclick={close} aria-label="Close">{"×"}</button>
                { body }
            </article>
        </div>
    }
}
