//! A number field that always shows either the value in effect or why what was typed is
//! not taken. What a person types is kept as a draft and checked as they type (with the
//! same rule the design's validation uses, passed in by the panel); a valid value is set on
//! change; when the value in effect changes from elsewhere (undo, another panel), the draft
//! and its error give way to it.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew::virtual_dom::VNode;

/// Number field properties.
#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    /// The value in effect (`None`: unset).
    pub value: Option<f64>,
    /// Whether an empty field means "unset" (else empty is an error).
    #[prop_or_default]
    pub optional: bool,
    /// Shown in an empty field.
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// What the field is called in messages.
    pub label: AttrValue,
    /// Why a value would be refused (`None`: it would be taken).
    pub check: Callback<Option<f64>, Option<String>>,
    /// Set a value that passed the check.
    pub on_set: Callback<Option<f64>>,
    /// The attribute that names the field for tests and styles, and its value
    /// (`("data-sim", "seconds")`).
    pub attr: (&'static str, AttrValue),
    /// Extra classes of the input.
    #[prop_or_default]
    pub class: Classes,
    /// The input's id (for its `<label for>`).
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Width in characters (default: the style sheet's).
    #[prop_or_default]
    pub size: Option<usize>,
}

/// Reads a typed number: `_` may group digits; empty is `None`.
fn parse(text: &str, label: &str, optional: bool) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if optional {
            Ok(None)
        } else {
            Err(format!("{label}: enter a number"))
        };
    }
    match text.replace('_', "").parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(format!("{label} must be a finite number")),
        Err(_) => Err(format!("{label}: \"{text}\" is not a number")),
    }
}

/// Shows a value as typed back: no float noise beyond a millionth, but never another
/// number (1e308 does not become infinity, 1e-7 does not become 0), and huge or tiny ones
/// as a person writes them.
pub fn show(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| {
        let r = (v * 1e6).round() / 1e6;
        crate::model::show(if r.is_finite() && (r != 0.0 || v == 0.0) {
            r
        } else {
            v
        })
    })
}

/// The value in effect as the field's message says it: "60", or "none" when unset.
fn in_effect(v: Option<f64>) -> String {
    if v.is_some() {
        show(v)
    } else {
        "none".to_owned()
    }
}

/// The field and, under it, its error.
#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let draft = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    // The value in effect changed: show it.
    {
        let (draft, error) = (draft.clone(), error.clone());
        use_effect_with(props.value.map(f64::to_bits), move |_| {
            draft.set(None);
            error.set(None);
        });
    }
    let judge = {
        let (label, optional, check) = (props.label.clone(), props.optional, props.check.clone());
        move |text: &str| {
            parse(text, &label, optional).and_then(|v| match check.emit(v) {
                Some(why) => Err(why),
                None => Ok(v),
            })
        }
    };
    let oninput = {
        let (draft, error, judge) = (draft.clone(), error.clone(), judge.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            error.set(judge(&text).err());
            draft.set(Some(text));
        })
    };
    let onchange = {
        let (draft, error, on_set) = (draft.clone(), error.clone(), props.on_set.clone());
        let current = props.value;
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            match judge(&text) {
                Ok(v) => {
                    draft.set(None);
                    error.set(None);
                    if v != current {
                        on_set.emit(v);
                    }
                }
                Err(why) => {
                    error.set(Some(why));
                    draft.set(Some(text));
                }
            }
        })
    };
    let text = (*draft).clone().unwrap_or_else(|| show(props.value));
    let invalid = error.is_some();
    let mut input = html! {
        <input type="text" inputmode="decimal" id={props.id.clone()} size={props.size.map(|n| n.to_string())}
               class={classes!(props.class.clone(), invalid.then_some("invalid"))}
               value={text} placeholder={props.placeholder.clone()} aria-invalid={invalid.to_string()}
               {oninput} {onchange} />
    };
    if let VNode::VTag(tag) = &mut input {
        std::rc::Rc::make_mut(tag).add_attribute(props.attr.0, props.attr.1.clone());
    }
    html! {
        <>
            { input }
            // What is refused is not in effect: the value that is (which a run, a solve or a
            // link uses) is said beside why, so a field showing "3" is not read as in use.
            if let Some(why) = (*error).clone() {
                <span class="field-error" role="alert">{ why }
                    <span class="field-kept">{ format!(" In effect: {}.", in_effect(props.value)) }</span>
                </span>
            }
        </>
    }
}
