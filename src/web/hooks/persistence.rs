//! The design on screen is always kept: in the address bar (so a reload or a copied link
//! brings it back) and among the designs kept in the browser. An edit updates the design's
//! own entry; opening something else (a link, a file, a stage, a blank canvas) starts a new
//! entry, so the design it replaces stays one click away under Recent designs.

use crate::editor::{Action, Editor, Notice, Origin};
use crate::model::Scenario;
use crate::web::offload::after_paint;
use crate::web::{share, storage};
use gloo::events::EventListener;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// A kept design that an open replaced on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    /// Its key among the kept designs.
    pub key: String,
    /// Its name.
    pub name: String,
    /// The notice that told of the open (the way back shows with it).
    pub notice: String,
}

/// A design for the address bar, with the baseline pinned beside it and the journey stage
/// whose lesson is open.
type Address = (Rc<Scenario>, Option<Rc<Scenario>>, Option<usize>);

/// What the page knows of the kept designs.
pub struct Kept {
    /// The kept designs, the most recent first.
    pub entries: Rc<Vec<storage::Entry>>,
    /// The design the last open replaced on screen, if it was the person's own.
    pub previous: Option<Previous>,
    /// Open a kept design by its key.
    pub on_open: Callback<String>,
}

/// What an open says, by where the design came from and whether it replaced the person's
/// own design (`None`: nothing worth a message).
fn opened_text(origin: &Origin, replaced: bool) -> Option<&'static str> {
    match origin {
        Origin::Link => Some("Opened the shared design."),
        Origin::File => Some("Opened the file."),
        Origin::Blank if replaced => Some("Started a new design."),
        Origin::Stage if replaced => Some("Opened the journey stage."),
        Origin::Example if replaced => Some("Opened the example."),
        // Over a design opened and not edited (a shared one, say): said all the same, with
        // the way back, since the design on screen changed at a click.
        Origin::Stage => Some("Opened the journey stage: Undo brings back the design before it."),
        Origin::Example => Some("Opened the example: Undo brings back the design before it."),
        Origin::Blank | Origin::Recent(_) | Origin::Start => None,
    }
}

/// What keeping a design came to.
struct Saved {
    /// Whether the browser kept it.
    kept: bool,
    /// For an open, what to tell the person.
    notice: Option<String>,
    /// For an open over the person's own design, that design.
    replaced: Option<Previous>,
    /// The kept designs as they now stand.
    list: Vec<storage::Entry>,
}

/// Keeps `s` (with the `baseline` pinned beside it) among the kept designs: a new entry
/// when it was just opened over the person's own design, else its own entry. The kept
/// designs are read once for all the questions.
fn keep(s: &Scenario, baseline: Option<&Scenario>, opening: Option<&Origin>, first: bool) -> Saved {
    let list = storage::entries();
    let current = storage::current_in(&list);
    let plain = |(kept, list)| Saved {
        kept,
        notice: None,
        replaced: None,
        list,
    };
    let Some(origin) = opening else {
        if first {
            // The page's first design: already kept if it was restored; the starter is kept
            // as opened, not yet the person's own.
            if current.is_some() {
                return plain((true, list));
            }
            return plain(storage::save_into(
                list,
                &storage::fresh_key(),
                (s, baseline),
                true,
            ));
        }
        // An undo or redo across an open brings back a design kept under an entry of its
        // own: that entry becomes the current one again, rather than the open's entry
        // being written over with a copy of it (which lost the opened design and listed
        // the person's twice).
        let design = crate::codec::to_json(s);
        if let Some(e) = list
            .iter()
            .find(|e| e.design == design && Some(&e.key) != current.as_ref())
        {
            let (key, pristine) = (e.key.clone(), e.pristine);
            return plain(storage::save_into(list, &key, (s, baseline), pristine));
        }
        // A baseline pinned or cleared leaves the design as opened, if it was.
        let unchanged = |e: &storage::Entry| Some(&e.key) == current.as_ref() && e.design == design;
        let pristine = list.iter().any(|e| unchanged(e) && e.pristine);
        let key = current.unwrap_or_else(storage::fresh_key);
        return plain(storage::save_into(list, &key, (s, baseline), pristine));
    };
    let pristine = |k: &String| list.iter().any(|e| &e.key == k && e.pristine);
    let (key, replaced) = match origin {
        Origin::Recent(key) => (key.clone(), None),
        _ => match current.clone().filter(|k| !pristine(k)) {
            // The person's own design stays as it is; the opened one is kept apart.
            Some(own) => (storage::fresh_key(), Some(own)),
            // A design opened and not edited since is simply replaced.
            None => (current.unwrap_or_else(storage::fresh_key), None),
        },
    };
    let replaced = replaced.and_then(|k| {
        let name = list.iter().find(|e| e.key == k)?.name.clone();
        Some((k, name))
    });
    let as_opened = !matches!(origin, Origin::Recent(_) | Origin::Start);
    let (kept, list) = storage::save_into(list, &key, (s, baseline), as_opened);
    let said = opened_text(origin, replaced.is_some());
    let notice = match &replaced {
        Some((_, name)) => Some(format!(
            "{} Your design \u{201c}{name}\u{201d} is kept under File \u{2192} Recent designs.",
            said.unwrap_or("Opened.")
        )),
        None => said.map(str::to_owned),
    };
    let replaced = replaced
        .zip(notice.clone())
        .map(|((key, name), notice)| Previous { key, name, notice });
    Saved {
        kept,
        notice,
        replaced,
        list,
    }
}

/// Keeps the design in the address bar (with the pinned `baseline` and the stage whose
/// `lesson` is open, so that a reload keeps them) and among the kept designs, and opens
/// links pasted into the address bar of the open page.
#[hook]
pub fn use_persistence(
    editor: &UseReducerHandle<Editor>,
    baseline: Option<Rc<Scenario>>,
    on_baseline: Callback<Option<Rc<Scenario>>>,
    lesson: Option<usize>,
) -> Kept {
    // The fragment the page last wrote or read: any other in the address bar was put there
    // since, by the person or a link.
    let known = use_memo((), |_| Rc::new(RefCell::new(share::location_hash())));
    // The design on screen, with its baseline: what the address bar shows again when a
    // link put there opens nothing.
    let shown = use_memo((), |_| Rc::new(RefCell::new(None::<Address>)));
    {
        // The address bar is written once the edit has been drawn: a new address on a page
        // whose layout is out of date makes Chromium bring the layout up to date at once
        // (measured at 200 components: 23 ms, against 1.3 ms on a drawn page), and the
        // frame then does that work again. The edits of one frame are written once.
        let unwritten = use_memo((), |_| Rc::new(RefCell::new(None::<Address>)));
        let (known, shown) = (known.clone(), shown.clone());
        use_effect_with(
            (editor.scenario.clone(), baseline.clone(), lesson),
            move |address| {
                shown.replace(Some(address.clone()));
                let waiting = unwritten.replace(Some(address.clone()));
                if waiting.is_none() {
                    let unwritten = (*unwritten).clone();
                    after_paint(move || {
                        let Some((s, baseline, lesson)) = unwritten.take() else {
                            return;
                        };
                        // A link put in the address bar since is read first (its `hashchange`
                        // is on its way); written over, it would be lost.
                        if share::location_hash() == *known.borrow() {
                            share::write_location(&s, baseline.as_deref(), lesson);
                            known.replace(share::location_hash());
                        }
                    });
                }
            },
        );
    }
    // What a compare link opened in this page says of its baseline, when it cannot be read:
    // said with the open's own message, which would otherwise replace it.
    let unread_baseline = use_memo((), |_| Rc::new(RefCell::new(None::<String>)));
    let entries = use_state(|| Rc::new(storage::entries()));
    let previous = use_state(|| None::<Previous>);
    let seen_opens = use_memo((), |_| Cell::new(0u64));
    let mounted = use_memo((), |_| Cell::new(false));
    let dispatch = editor.dispatcher();
    {
        let (entries, previous, dispatch) = (entries.clone(), previous.clone(), dispatch.clone());
        let unread_baseline = (*unread_baseline).clone();
        let origin = editor.origin.clone();
        use_effect_with(
            (editor.scenario.clone(), editor.opened, baseline.clone()),
            move |(s, opened, baseline)| {
                let opening = (*opened != seen_opens.get()).then_some(&origin);
                seen_opens.set(*opened);
                let saved = keep(s, baseline.as_deref(), opening, !mounted.get());
                mounted.set(true);
                let unread = opening.and_then(|_| unread_baseline.take());
                let error = unread.is_some();
                let said: Vec<String> = saved.notice.into_iter().chain(unread).collect();
                if !said.is_empty() {
                    let text = said.join(" ");
                    let notice = if error {
                        Notice::error(text)
                    } else {
                        Notice::info(text)
                    };
                    dispatch.dispatch(Action::Notify(notice));
                }
                if opening.is_some() {
                    previous.set(saved.replaced);
                } else if previous
                    .as_ref()
                    .is_some_and(|p| storage::current_in(&saved.list).as_ref() == Some(&p.key))
                {
                    // Back on the design the open replaced (by undo): the way back to it
                    // would lead where the person already is.
                    previous.set(None);
                }
                if !saved.kept {
                    dispatch.dispatch(Action::Notify(Notice::error(
                        "The browser refused to keep this design (private mode, or its storage \
                     is full): save it as a file to keep it. The designs kept before are \
                     untouched.",
                    )));
                }
                entries.set(Rc::new(saved.list));
            },
        );
    }
    {
        let (dispatch, known, shown) = (dispatch.clone(), (*known).clone(), (*shown).clone());
        let unread_baseline = (*unread_baseline).clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    known.replace(share::location_hash());
                    let opens = match share::from_location() {
                        Some(Ok(s)) => {
                            // The browser's Back to an address the page wrote brings one of
                            // the person's kept designs back: it is theirs, not a shared one.
                            let design = crate::codec::to_json(&s);
                            let origin = storage::entries()
                                .into_iter()
                                .find(|e| e.design == design)
                                .map_or(Origin::Link, |e| Origin::Recent(e.key));
                            // A compare link brings its baseline, as when it opens the page.
                            match share::baseline_from_location() {
                                Some(Ok(b)) => on_baseline.emit(Some(Rc::new(b))),
                                Some(Err(text)) => *unread_baseline.borrow_mut() = Some(text),
                                None => {}
                            }
                            dispatch.dispatch(Action::Open {
                                scenario: Box::new(s),
                                origin,
                            });
                            true
                        }
                        Some(Err(text)) => {
                            dispatch.dispatch(Action::Notify(Notice::error(text)));
                            false
                        }
                        None => matches!(share::stage_from_location(), Some(Ok(_))),
                    };
                    // A link that opens nothing (damaged, or naming no stage) gives the
                    // address bar back to the design on screen, so that a reload or a copy
                    // of the address keeps it. After the paint: the journey's own listener
                    // reads a stage link's fragment to say what is wrong with it.
                    if !opens {
                        let (known, shown) = (known.clone(), shown.clone());
                        after_paint(move || {
                            if let Some((s, baseline, lesson)) = shown.borrow().as_ref() {
                                share::write_location(s, baseline.as_deref(), *lesson);
                                known.replace(share::location_hash());
                            }
                        });
                    }
                })
            });
            move || drop(listener)
        });
    }
    let on_open = Callback::from(move |key: String| match storage::open(&key) {
        Ok(s) => dispatch.dispatch(Action::Open {
            scenario: Box::new(s),
            origin: Origin::Recent(key),
        }),
        Err(text) => dispatch.dispatch(Action::Notify(Notice::error(format!("{text}.")))),
    });
    Kept {
        entries: (*entries).clone(),
        previous: (*previous).clone(),
        on_open,
    }
}
