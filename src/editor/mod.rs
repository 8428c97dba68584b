//! The editor's state and its one reducer.
//!
//! Every edit is an [`Action`] applied by [`Editor::apply`]. The scenario is immutable
//! inside an `Rc`; an edit makes a new one and pushes the old on the undo stack, so undo and
//! redo are just moving between kept states. View state (selection, viewport, the last
//! notice) lives beside the scenario and is never saved into it. No browser types: the
//! reducer is tested natively and the Yew layer only dispatches.

pub mod geometry;

use crate::model::{
    Class, Component, Failure, Kind, Link, ParamType, ParamValue, Scenario, Simulation, Traffic,
};
use geometry::{snap, Point, Viewport};
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

/// A message for the person editing: why an edit was refused, or what just happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Whether it reports a refusal or failure.
    pub error: bool,
    /// The message.
    pub text: String,
}

/// One edit or view change.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add a component of `kind` centred at a canvas point (snapped to the grid).
    Add {
        /// Kind to add.
        kind: Kind,
        /// Where, in canvas units.
        at: Point,
    },
    /// Move components by an offset (one drag = one action, so one undo step).
    Move {
        /// Which components.
        ids: Vec<String>,
        /// Offset, canvas units.
        dx: f64,
        /// Offset, canvas units.
        dy: f64,
    },
    /// Link `from` → `to`, or say why not.
    Connect {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
    },
    /// Set (or with `None` reset to default) a parameter of a component.
    SetParam {
        /// Component id.
        id: String,
        /// Parameter key.
        key: String,
        /// New value.
        value: Option<ParamValue>,
    },
    /// Rename a component.
    SetLabel {
        /// Component id.
        id: String,
        /// New label.
        label: String,
    },
    /// Replace the traffic description.
    SetTraffic(Traffic),
    /// Replace a link's settings (weight, classes, calls), keeping its ends.
    SetLink(Link),
    /// Replace the simulation settings (`None`: the defaults).
    SetSimulation(Option<Simulation>),
    /// Copy the selected components (and the links among them) to the editor's clipboard.
    Copy,
    /// Paste the clipboard as new components, offset from the originals, and select them.
    Paste,
    /// Copy and paste in one step.
    Duplicate,
    /// Turn snapping to the grid on or off.
    ToggleSnap,
    /// Mark a component failed (what-if), or with `None` restore it.
    SetFailure {
        /// Component id.
        id: String,
        /// The failure.
        failure: Option<Failure>,
    },
    /// Delete the selection (components with their links, or the selected link).
    DeleteSelection,
    /// Select one component; `additive` toggles it in the selection instead.
    Select {
        /// Component id.
        id: String,
        /// Shift-click.
        additive: bool,
    },
    /// Select exactly these components (rubber band).
    SelectMany(Vec<String>),
    /// Select a link.
    SelectLink {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
    },
    /// Select everything.
    SelectAll,
    /// Clear the selection.
    ClearSelection,
    /// Replace the whole scenario (a preset, a link, a file); undoable.
    Load(Box<Scenario>),
    /// Change the view.
    SetViewport(Viewport),
    /// Show a message.
    Notify(Notice),
    /// Hide the message.
    DismissNotice,
    /// Step back.
    Undo,
    /// Step forward again.
    Redo,
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
    undo: Vec<Rc<Scenario>>,
    redo: Vec<Rc<Scenario>>,
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
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an action. Returns `None` when nothing changes, so the UI can skip a render.
    pub fn apply(&self, action: Action) -> Option<Editor> {
        let mut next = self.clone();
        match action {
            Action::Undo => {
                let prev = next.undo.pop()?;
                next.redo.push(std::mem::replace(&mut next.scenario, prev));
                next.prune_selection();
            }
            Action::Redo => {
                let later = next.redo.pop()?;
                next.undo.push(std::mem::replace(&mut next.scenario, later));
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
            Action::SelectMany(ids) => {
                next.selection = Selection {
                    components: ids.into_iter().collect(),
                    link: None,
                }
            }
            Action::SelectLink { from, to } => {
                next.selection = Selection {
                    components: BTreeSet::new(),
                    link: Some((from, to)),
                }
            }
            Action::SelectAll => {
                next.selection = Selection {
                    components: self
                        .scenario
                        .components
                        .iter()
                        .map(|c| c.id.clone())
                        .collect(),
                    link: None,
                }
            }
            Action::ClearSelection => next.selection = Selection::default(),
            Action::SetViewport(v) => next.viewport = v,
            Action::Notify(n) => next.notice = Some(n),
            Action::ToggleSnap => next.snap = !next.snap,
            Action::Copy => next.copy(),
            Action::Duplicate => {
                next.copy();
                return next.apply(Action::Paste).or(Some(next));
            }
            Action::DismissNotice => next.notice = None,
            edit => {
                let mut s = (*self.scenario).clone();
                match next.edit(&mut s, edit) {
                    Ok(()) => {
                        if s == *self.scenario {
                            return None;
                        }
                        next.commit(s);
                    }
                    Err(reason) => {
                        next.notice = Some(Notice {
                            error: true,
                            text: reason,
                        })
                    }
                }
            }
        }
        (next != *self).then_some(next)
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

    /// Where a component dropped or moved to `v` lands.
    fn place(&self, v: f64) -> f64 {
        let v = v.clamp(-1e6, 1e6);
        if self.snap {
            snap(v)
        } else {
            v
        }
    }

    fn commit(&mut self, s: Scenario) {
        self.undo
            .push(std::mem::replace(&mut self.scenario, Rc::new(s)));
        if self.undo.len() > HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
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

    /// Applies a scenario edit to `s`, or says why it cannot be done.
    fn edit(&mut self, s: &mut Scenario, action: Action) -> Result<(), String> {
        match action {
            Action::Add { kind, at } => {
                if s.components.len() >= crate::model::MAX_COMPONENTS {
                    return Err("the design already has the most components allowed".into());
                }
                let id = fresh_id(s, kind);
                let n = s.components.iter().filter(|c| c.kind == kind).count();
                let label = if n == 0 {
                    kind.name().to_owned()
                } else {
                    format!("{} {}", kind.name(), n + 1)
                };
                s.components.push(Component::new(
                    id.clone(),
                    kind,
                    label,
                    snap(at.x),
                    snap(at.y),
                ));
                self.selection = Selection {
                    components: BTreeSet::from([id]),
                    link: None,
                };
            }
            Action::Move { ids, dx, dy } => {
                if !(dx.is_finite() && dy.is_finite()) {
                    return Err("cannot move by a non-finite amount".into());
                }
                for c in s.components.iter_mut().filter(|c| ids.contains(&c.id)) {
                    c.x = self.place(c.x + dx);
                    c.y = self.place(c.y + dy);
                }
            }
            Action::Connect { from, to } => {
                let link = connection(s, &from, &to)?;
                s.links.push(link);
            }
            Action::SetParam { id, key, value } => {
                let c = s
                    .components
                    .iter_mut()
                    .find(|c| c.id == id)
                    .ok_or_else(|| format!("no component \"{id}\""))?;
                let spec = c
                    .kind
                    .param(&key)
                    .ok_or_else(|| format!("a {} has no parameter \"{key}\"", c.kind.name()))?;
                match value {
                    None => {
                        c.params.remove(&key);
                    }
                    Some(v) => {
                        check_param(spec.ty, &v).map_err(|m| format!("{}: {m}", spec.label))?;
                        c.params.insert(key, v);
                    }
                }
            }
            Action::SetLabel { id, label } => {
                let label: String = label.chars().take(crate::model::MAX_LABEL_LEN).collect();
                if let Some(c) = s.components.iter_mut().find(|c| c.id == id) {
                    c.label = label;
                }
            }
            Action::SetSimulation(sim) => {
                let mut trial = s.clone();
                trial.simulation = sim.clone();
                if let Err(p) = trial.validate() {
                    let mine: Vec<String> =
                        p.0.iter()
                            .filter(|p| {
                                p.field
                                    .as_deref()
                                    .is_some_and(|f| f.starts_with("simulation"))
                            })
                            .map(ToString::to_string)
                            .collect();
                    if !mine.is_empty() {
                        return Err(mine.join("; "));
                    }
                }
                s.simulation = sim;
            }
            Action::SetTraffic(t) => {
                let mut trial = s.clone();
                trial.traffic = t.clone();
                if let Err(p) = trial.validate() {
                    if let Some(problem) =
                        p.0.iter()
                            .find(|p| p.field.as_deref().is_some_and(|f| f.starts_with("traffic")))
                    {
                        return Err(problem.to_string());
                    }
                }
                s.traffic = t;
            }
            Action::SetLink(link) => {
                let Some(slot) = s
                    .links
                    .iter_mut()
                    .find(|l| l.from == link.from && l.to == link.to)
                else {
                    return Err(format!("no link {} → {}", link.from, link.to));
                };
                let old = std::mem::replace(slot, link);
                if let Err(p) = s.validate() {
                    let text = p.to_string();
                    if let Some(slot) = s
                        .links
                        .iter_mut()
                        .find(|l| l.from == old.from && l.to == old.to)
                    {
                        *slot = old;
                    }
                    return Err(text);
                }
            }
            Action::SetFailure { id, failure } => {
                match failure {
                    Some(f) => {
                        s.failed.insert(id, f);
                    }
                    None => {
                        s.failed.remove(&id);
                    }
                }
                if let Err(p) = s.validate() {
                    return Err(p.to_string());
                }
            }
            Action::Paste => {
                let Some(clip) = self.clipboard.clone() else {
                    return Err("nothing copied yet: select components and press Ctrl+C".into());
                };
                let (components, links) = &*clip;
                if s.components.len() + components.len() > crate::model::MAX_COMPONENTS {
                    return Err("pasting would pass the most components allowed".into());
                }
                let mut renamed = std::collections::HashMap::new();
                let mut pasted = BTreeSet::new();
                for c in components {
                    let id = fresh_id(s, c.kind);
                    renamed.insert(c.id.clone(), id.clone());
                    let mut copy = c.clone();
                    copy.id = id.clone();
                    copy.x = self.place(c.x + 40.0);
                    copy.y = self.place(c.y + 40.0);
                    s.components.push(copy);
                    pasted.insert(id);
                }
                for l in links {
                    if let (Some(from), Some(to)) = (renamed.get(&l.from), renamed.get(&l.to)) {
                        let mut copy = l.clone();
                        copy.from = from.clone();
                        copy.to = to.clone();
                        s.links.push(copy);
                    }
                }
                self.selection = Selection {
                    components: pasted,
                    link: None,
                };
            }
            Action::DeleteSelection => {
                let ids = &self.selection.components;
                s.components.retain(|c| !ids.contains(&c.id));
                s.links
                    .retain(|l| !ids.contains(&l.from) && !ids.contains(&l.to));
                s.failed.retain(|id, _| !ids.contains(id));
                if let Some(sim) = &mut s.simulation {
                    sim.timeline.retain(|o| !ids.contains(&o.component));
                }
                if let Some((f, t)) = &self.selection.link {
                    s.links.retain(|l| !(&l.from == f && &l.to == t));
                }
            }
            Action::Load(scenario) => *s = *scenario,
            _ => {}
        }
        Ok(())
    }
}

/// The link `from → to` as the editor would add it, or the reason it is refused.
pub fn connection(s: &Scenario, from: &str, to: &str) -> Result<Link, String> {
    let (Some(a), Some(b)) = (s.component(from), s.component(to)) else {
        return Err("both ends of a link must be components".into());
    };
    if from == to {
        return Err(format!(
            "{} cannot send requests to itself",
            a.display_name()
        ));
    }
    if !a.kind.sends() {
        return Err(format!(
            "{} watches the system; it sends no requests",
            a.kind.name()
        ));
    }
    if !b.kind.accepts_input() {
        return Err(if b.kind.sends() {
            format!(
                "a {} only sends traffic; it cannot receive it",
                b.kind.name()
            )
        } else {
            format!(
                "{} watches the system; no request goes through it",
                b.kind.name()
            )
        });
    }
    if s.links.iter().any(|l| l.from == from && l.to == to) {
        return Err(format!(
            "{} already sends to {}",
            a.display_name(),
            b.display_name()
        ));
    }
    let mut link = Link::new(from, to);
    // Sessions are looked up on every request, not handed the request: a call.
    if b.kind == Kind::SessionStore {
        link.calls = Some(1.0);
    }
    // Replication and read splitting need the replica to see reads only.
    if a.kind == Kind::Database && b.kind == Kind::ReadReplica {
        link.classes = vec![Class::Read];
    }
    Ok(link)
}

fn check_param(ty: ParamType, v: &ParamValue) -> Result<(), String> {
    match (ty, v) {
        (ParamType::Number { min, max, integer }, ParamValue::Number(x)) => {
            if !x.is_finite() {
                Err("must be a number".into())
            } else if *x < min || *x > max {
                Err(format!("must be between {min} and {max}"))
            } else if integer && x.fract() != 0.0 {
                Err("must be a whole number".into())
            } else {
                Ok(())
            }
        }
        (ParamType::Choice(options), ParamValue::Text(t)) if options.contains(&t.as_str()) => {
            Ok(())
        }
        (ParamType::Choice(options), _) => Err(format!("must be one of {}", options.join(", "))),
        (ParamType::Number { .. }, ParamValue::Text(_)) => Err("must be a number".into()),
    }
}

/// The first unused id of the form `kind-N`.
fn fresh_id(s: &Scenario, kind: Kind) -> String {
    (1..)
        .map(|n| format!("{}-{n}", kind.key().replace('_', "-")))
        .find(|id| s.component(id).is_none())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Traffic;

    fn editor() -> Editor {
        Editor::new(Scenario::new("t", Traffic::rps(100.0, 1.0, 0.0, 0.0)))
    }

    fn add(e: &Editor, kind: Kind, x: f64) -> Editor {
        e.apply(Action::Add {
            kind,
            at: Point::new(x, 0.0),
        })
        .unwrap()
    }

    #[test]
    fn add_connect_undo_redo() {
        let e = add(&editor(), Kind::Client, 0.0);
        let e = add(&e, Kind::AppServer, 200.0);
        assert_eq!(e.scenario.components[1].id, "app-server-1");
        let e = e
            .apply(Action::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            })
            .unwrap();
        assert_eq!(e.scenario.links.len(), 1);
        let undone = e.apply(Action::Undo).unwrap();
        assert!(undone.scenario.links.is_empty());
        let redone = undone.apply(Action::Redo).unwrap();
        assert_eq!(redone.scenario, e.scenario);
        // A new edit after undo drops the redo branch.
        let branched = add(&undone, Kind::Cache, 400.0);
        assert!(!branched.can_redo());
    }

    #[test]
    fn refused_connections_say_why_and_change_nothing() {
        let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
        let refused = e
            .apply(Action::Connect {
                from: "app-server-1".into(),
                to: "client-1".into(),
            })
            .unwrap();
        assert_eq!(refused.scenario, e.scenario);
        let notice = refused.notice.clone().unwrap();
        assert!(
            notice.error && notice.text.contains("cannot receive"),
            "{}",
            notice.text
        );
        assert_eq!(refused.undo.len(), e.undo.len());
    }

    #[test]
    fn invalid_parameters_never_reach_the_scenario() {
        let e = add(&editor(), Kind::AppServer, 0.0);
        let bad = e
            .apply(Action::SetParam {
                id: "app-server-1".into(),
                key: "instances".into(),
                value: Some(ParamValue::Number(0.0)),
            })
            .unwrap();
        assert_eq!(bad.scenario, e.scenario);
        assert!(bad.notice.unwrap().text.contains("between 1"));
        let good = e
            .apply(Action::SetParam {
                id: "app-server-1".into(),
                key: "instances".into(),
                value: Some(ParamValue::Number(3.0)),
            })
            .unwrap();
        assert_eq!(good.scenario.components[0].num("instances"), 3.0);
    }

    #[test]
    fn delete_removes_links_and_is_undoable() {
        let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
        let e = e
            .apply(Action::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            })
            .unwrap();
        // Adding selected it already, so selecting again changes nothing.
        assert!(e
            .apply(Action::Select {
                id: "app-server-1".into(),
                additive: false,
            })
            .is_none());
        let deleted = e.apply(Action::DeleteSelection).unwrap();
        assert_eq!(deleted.scenario.components.len(), 1);
        assert!(deleted.scenario.links.is_empty());
        assert!(deleted.selection.components.is_empty());
        assert_eq!(deleted.apply(Action::Undo).unwrap().scenario, e.scenario);
    }

    #[test]
    fn a_drag_is_one_undo_step_and_snaps() {
        let e = add(&editor(), Kind::Cache, 0.0);
        let moved = e
            .apply(Action::Move {
                ids: vec!["cache-1".into()],
                dx: 33.0,
                dy: -9.0,
            })
            .unwrap();
        let c = &moved.scenario.components[0];
        assert_eq!((c.x, c.y), (40.0, 0.0));
        assert_eq!(moved.apply(Action::Undo).unwrap().scenario, e.scenario);
    }

    #[test]
    fn copy_paste_and_duplicate_keep_inner_links() {
        let e = add(
            &add(&editor(), Kind::LoadBalancer, 0.0),
            Kind::AppServer,
            200.0,
        );
        let e = e
            .apply(Action::Connect {
                from: "load-balancer-1".into(),
                to: "app-server-1".into(),
            })
            .unwrap();
        let e = e.apply(Action::SelectAll).unwrap();
        let dup = e.apply(Action::Duplicate).unwrap();
        assert_eq!(dup.scenario.components.len(), 4);
        assert_eq!(dup.scenario.links.len(), 2);
        assert!(dup
            .scenario
            .links
            .iter()
            .any(|l| l.from == "load-balancer-2" && l.to == "app-server-2"));
        let pasted = dup.selection.components.clone();
        assert_eq!(pasted.len(), 2);
        assert!(pasted.contains("app-server-2"));
        // One undo step removes the paste.
        assert_eq!(dup.apply(Action::Undo).unwrap().scenario, e.scenario);
    }

    #[test]
    fn link_settings_are_validated() {
        let e = add(&add(&editor(), Kind::Client, 0.0), Kind::AppServer, 200.0);
        let e = e
            .apply(Action::Connect {
                from: "client-1".into(),
                to: "app-server-1".into(),
            })
            .unwrap();
        let bad = e
            .apply(Action::SetLink(
                Link::new("client-1", "app-server-1").weighted(-1.0),
            ))
            .unwrap();
        assert_eq!(bad.scenario, e.scenario);
        assert!(bad.notice.unwrap().text.contains("weight"));
        let good = e
            .apply(Action::SetLink(
                Link::new("client-1", "app-server-1").weighted(3.0),
            ))
            .unwrap();
        assert_eq!(good.scenario.links[0].weight, Some(3.0));
    }

    #[test]
    fn snapping_can_be_turned_off() {
        let e = add(&editor(), Kind::Cache, 0.0)
            .apply(Action::ToggleSnap)
            .unwrap();
        let moved = e
            .apply(Action::Move {
                ids: vec!["cache-1".into()],
                dx: 33.0,
                dy: -9.0,
            })
            .unwrap();
        let c = &moved.scenario.components[0];
        assert_eq!((c.x, c.y), (33.0, -9.0));
    }

    #[test]
    fn failing_and_restoring_is_undoable() {
        let e = add(&editor(), Kind::AppServer, 0.0);
        let failed = e
            .apply(Action::SetFailure {
                id: "app-server-1".into(),
                failure: Some(Failure::DOWN),
            })
            .unwrap();
        assert!(failed.scenario.failed.contains_key("app-server-1"));
        // One instance of a single-instance pool cannot be "lost": refused with the reason.
        let refused = e
            .apply(Action::SetFailure {
                id: "app-server-1".into(),
                failure: Some(Failure::lose(2)),
            })
            .unwrap();
        assert!(refused.notice.unwrap().text.contains("can lose 1 to 1"));
        assert_eq!(failed.apply(Action::Undo).unwrap().scenario, e.scenario);
    }

    #[test]
    fn no_op_returns_none() {
        let e = editor();
        assert!(e.apply(Action::Undo).is_none());
        assert!(e.apply(Action::ClearSelection).is_none());
    }
}
