//! The editor's last message (a refused connection, a failed load), with a close button.

use crate::editor::Notice;
use yew::prelude::*;

/// Notice properties.
#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    /// The message.
    pub notice: Notice,
    /// Hide it.
    pub on_dismiss: Callback<()>,
    /// A way back to the design an open replaced: its name, and how to open it.
    #[prop_or_default]
    pub back: Option<(String, Callback<()>)>,
}

/// The message, as an alert.
#[component]
pub fn NoticeToast(props: &NoticeProps) -> Html {
    let class = if props.notice.error {
        "notice error"
    } else {
        "notice"
    };
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={class} role="alert" data-testid="notice">
            <span>{ props.notice.text.clone() }</span>
            if let Some((name, back)) = &props.back {
                <button class="notice-action" data-testid="back-to-design"
                        onclick={back.reform(|_: MouseEvent| ())}>
                    { format!("Back to \u{201c}{name}\u{201d}") }
                </button>
            }
            <button onclick={dismiss} aria-label="Dismiss">{"×"}</button>
        </div>
    }
}
