//! The editor's state and its reducer.
//!
//! The scenario is immutable inside an `Rc`; an edit makes a new one and pushes the old on
//! the undo stack, so undo and redo are just moving between kept states. View state
//! (selection, viewport, the last notice) lives beside the scenario and is never saved into
//! it.

use super::action::{Action, Origin};
use super::edit::{apply_edit, Edit};
use super::geometry::Viewport;
use super::notice::Notice;
use crate::model::{significant, thousands, Component, Link, Scenario};
use std::collections::BTreeSet;
use std::rc::Rc;

/// How many past states undo keeps.
pub const HISTORY: usize = 200;

/// What is selected.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// Selected component ids.
    pub components: BTreeSet<String>,
    /// The selected link, by (from, to).
    pub link: Option<(String, String)>,
}

impl Selection {
    /// Exactly these components.
    pub fn of(ids: impl IntoIterator<Item = String>) -> Selection {
        Selection {
            components: crate::sort::set(ids),
            link: None,
        }
    }
}

/// The editor: the scenario, its history, and the view state.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    /// The design being edited.
    pub scenario: Rc<Scenario>,
    /// What is selected.
    pub selection: Selection,
    /// The view onto the canvas.
    pub viewport: Viewport,
    /// The last message, if not dismissed.
    pub notice: Option<Notice>,
    /// Whether moves and drops snap to the grid.
    pub snap: bool,
    /// Copied components and the links among them.
    pub clipboard: Option<Rc<(Vec<Component>, Vec<Link>)>>,
    /// How many designs have been opened: it changes exactly when a design was opened
    /// rather than edited, so that the page can keep the one it replaced.
    pub opened: u64,
    /// Where the design last opened came from.
    pub origin: Origin,
    undo: History,
    redo: History,
}

/// Kept designs, compared by identity: a kept design is never changed in place, so two
/// histories are equal exactly when they hold the same designs (comparing their contents
/// would walk up to [`HISTORY`] whole designs on every action, every pointer move of a
/// drag among them).
#[derive(Debug, Clone, Default)]
struct History(Vec<Rc<Scenario>>);

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl Editor {
    /// An editor on `scenario` with empty history.
    pub fn new(scenario: Scenario) -> Self {
        Editor {
            scenario: Rc::new(scenario),
            selection: Selection::default(),
            viewport: Viewport::default(),
            notice: None,
            snap: true,
            clipboard: None,
            opened: 0,
            origin: Origin::Start,
            undo: History::default(),
            redo: History::default(),
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.0.is_empty()
    }

    /// How many steps undo can go back.
    pub fn undo_depth(&self) -> usize {
        self.undo.0.len()
    }

    /// The design as it was before the last `n` edits that change its numbers (moves and
    /// relabels do not count: they change no result), and how many such edits lie between
    /// it and now — fewer than `n` when the history holds fewer (0: the current design).
    pub fn before_changes(&self, n: usize) -> (Rc<Scenario>, usize) {
        let mut now = self.scenario.semantic();
        let (mut found, mut count) = (self.scenario.clone(), 0);
        for past in self.undo.0.iter().rev() {
            if count == n {
                break;
            }
            let then = past.semantic();
            if then != now {
                count += 1;
                found = past.clone();
                now = then;
            }
        }
        (found, count)
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.0.is_empty()
    }

    /// Applies an action. Returns `None` when nothing changes, so the UI can skip a render.
    pub fn apply(&self, action: Action) -> Option<Editor> {
        let mut next = self.clone();
        match action {
            Action::Edit(edit) => next.edit(edit),
            Action::Open { scenario, origin } => {
                next.commit(*scenario);
                next.selection = Selection::default();
                next.opened += 1;
                next.origin = origin;
            }
            Action::Move { ids, dx, dy } => next.edit(Edit::Move {
                ids,
                dx,
                dy,
                snap: self.snap,
            }),
            Action::Nudge { dx, dy } => next.edit(Edit::Move {
                ids: self.selection.components.iter().cloned().collect(),
                dx,
                dy,
                snap: self.snap,
            }),
            Action::DeleteSelection => next.edit(Edit::Delete {
                ids: self.selection.components.clone(),
                links: self.selection.link.iter().cloned().collect(),
            }),
            Action::Paste => match self.clipboard.as_deref() {
                Some((components, links)) => next.edit(Edit::Paste {
                    components: components.clone(),
                    links: links.clone(),
                    snap: self.snap,
                }),
                None => {
                    next.notice = Some(Notice::error(
                        "nothing copied yet: select components and press Ctrl+C",
                    ))
                }
            },
            Action::Copy => next.copy(),
            Action::Duplicate => {
                next.copy();
                return next.apply(Action::Paste).or(Some(next));
            }
            Action::Undo => {
                let prev = next.undo.0.pop()?;
                next.redo
                    .0
                    .push(std::mem::replace(&mut next.scenario, prev));
                next.prune_selection();
            }
            Action::Redo => {
                let later = next.redo.0.pop()?;
                next.undo
                    .0
                    .push(std::mem::replace(&mut next.scenario, later));
                next.prune_selection();
            }
            Action::Select { id, additive } => {
                next.selection.link = None;
                if additive {
                    if !next.selection.components.remove(&id) {
                        next.selection.components.insert(id);
                    }
                } else {
                    next.selection.components = BTreeSet::from([id]);
                }
            }
            Action::SelectMany(ids) => next.selection = Selection::of(ids),
            Action::SelectLink { from, to } => {
                next.selection = Selection {
                    components: BTreeSet::new(),
                    link: Some((from, to)),
                }
            }
            Action::SelectAll => {
                next.selection =
                    Selection::of(self.scenario.components.iter().map(|c| c.id.clone()))
            }
            Action::ClearSelection => next.selection = Selection::default(),
            Action::SetViewport(v) => next.viewport = v,
            Action::ToggleSnap => next.snap = !next.snap,
            Action::Notify(n) => next.notice = Some(n),
            Action::DismissNotice => next.notice = None,
        }
        (next != *self).then_some(next)
    }

    /// Applies an edit to the design: a new undo step, or a notice saying why not.
    fn edit(&mut self, edit: Edit) {
        let population = self.scenario.traffic.population();
        match apply_edit(&self.scenario, edit) {
            Ok(applied) => {
                if applied.scenario == *self.scenario {
                    return;
                }
                self.commit(applied.scenario);
                // A rate typed over a closed population replaces it, and with it the
                // population's own figures: said, with the way back.
                if let (Some((users, think)), None) =
                    (population, self.scenario.traffic.population())
                {
                    self.notice = Some(Notice::info(format!(
                        "The closed population ({} users thinking {} s) is now an open rate \
                         of {} req/s. Undo (Ctrl+Z) brings the population back.",
                        thousands(users),
                        significant(think),
                        significant(self.scenario.traffic.peak_rps())
                    )));
                }
                if let Some(said) = applied.said {
                    self.notice = Some(Notice::info(said));
                }
                if !applied.added.is_empty() {
                    self.selection = Selection::of(applied.added);
                }
            }
            Err(reason) => self.notice = Some(Notice::error(reason.for_people())),
        }
    }

    /// Puts the selected components, and the links among them, on the clipboard.
    fn copy(&mut self) {
        let ids = &self.selection.components;
        if ids.is_empty() {
            return;
        }
        let components = self
            .scenario
            .components
            .iter()
            .filter(|c| ids.contains(&c.id))
            .cloned()
            .collect();
        let links = self
            .scenario
            .links
            .iter()
            .filter(|l| ids.contains(&l.from) && ids.contains(&l.to))
            .cloned()
            .collect();
        self.clipboard = Some(Rc::new((components, links)));
    }

    /// Makes `s` the design, the old one an undo step away. A notice speaks of the state
    /// it was given in, so it goes.
    fn commit(&mut self, s: Scenario) {
        self.notice = None;
        self.undo
            .0
            .push(std::mem::replace(&mut self.scenario, Rc::new(s)));
        if self.undo.0.len() > HISTORY {
            self.undo.0.remove(0);
        }
        self.redo.0.clear();
        self.prune_selection();
    }

    /// Drops selected ids that no longer exist.
    fn prune_selection(&mut self) {
        let s = &self.scenario;
        self.selection
            .components
            .retain(|id| s.component(id).is_some());
        if let Some((f, t)) = &self.selection.link {
            if !s.links.iter().any(|l| &l.from == f && &l.to == t) {
                self.selection.link = None;
            }
        }
    }
}
