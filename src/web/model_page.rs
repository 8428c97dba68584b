//! "How the numbers are computed": MODEL.md, the one description of every formula and
//! modelling choice, shown in the page (the same text as the repository's file).

use yew::prelude::*;

/// The model description, built into the page.
const MODEL: &str = include_str!("../../MODEL.md");

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
    // Esc closes it, like every overlay.
    {
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "keydown", move |e| {
                    use wasm_bindgen::JsCast;
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
    html! {
        <div class="overlay" onclick={close.clone()}>
            <article class="help model-page" data-testid="model-page"
                     onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <button class="close" onclick={close} aria-label="Close">{"×"}</button>
                { blocks(MODEL) }
            </article>
        </div>
    }
}
