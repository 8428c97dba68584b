//! Changes to a design, applied by one pure function.
//!
//! An [`Edit`] carries everything it needs (the clipboard's content for a paste, the ids to
//! delete, whether to snap), so [`apply_edit`] depends on nothing but the scenario: the
//! editor's reducer turns view actions into edits, and tests call it directly.

use super::connect::{connection, ConnectError};
use super::geometry::{snap, Point};
use crate::model::{
    quote, Class, Component, Failure, Field, Kind, Link, ParamError, ParamValue, Problem, Problems,
    Scenario, Simulation, Traffic, MAX_COMPONENTS, MAX_LABEL_LEN,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// Largest canvas coordinate a move or paste may reach.
const MAX_PLACE: f64 = 1e6;

/// How far a paste lands from the originals, in canvas units.
const PASTE_OFFSET: f64 = 40.0;

/// One change to the design. Each applied edit is one undo step.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Add a component of `kind` centred at a canvas point (snapped to the grid).
    Add {
        /// Kind to add.
        kind: Kind,
        /// Where, in canvas units.
        at: Point,
    },
    /// Move components by an offset.
    Move {
        /// Which components.
        ids: Vec<String>,
        /// Offset, canvas units.
        dx: f64,
        /// Offset, canvas units.
        dy: f64,
        /// Whether the new positions snap to the grid.
        snap: bool,
    },
    /// Link `from` → `to`.
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
        /// New label (cut to the longest label allowed).
        label: String,
    },
    /// Replace the traffic description.
    SetTraffic(Traffic),
    /// Replace a link's settings (weight, classes, calls), keeping its ends.
    SetLink(Link),
    /// Replace the simulation settings (`None`: the defaults).
    SetSimulation(Option<Simulation>),
    /// Mark a component failed (what-if), or with `None` restore it.
    SetFailure {
        /// Component id.
        id: String,
        /// The failure.
        failure: Option<Failure>,
    },
    /// Replace every what-if failure at once (one undo step: showing another row of the
    /// N−1 table restores the last one and fails the next).
    SetFailures(BTreeMap<String, Failure>),
    /// Add copies of components and the links among them, offset from the originals.
    Paste {
        /// The components to copy.
        components: Vec<Component>,
        /// Links among them.
        links: Vec<Link>,
        /// Whether the copies snap to the grid.
        snap: bool,
    },
    /// Delete components (with their links, failures and outages) and links.
    Delete {
        /// Components to delete.
        ids: BTreeSet<String>,
        /// Links to delete, by (from, to).
        links: Vec<(String, String)>,
    },
    /// Replace the whole scenario (a preset, a link, a file).
    Load(Box<Scenario>),
}

/// Why an edit was refused. The design is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// The design has the most components allowed.
    #[error("the design already has the most components allowed")]
    Full,
    /// A paste would pass the most components allowed.
    #[error("pasting would pass the most components allowed")]
    PasteTooLarge,
    /// A move by an infinite or NaN offset.
    #[error("cannot move by a non-finite amount")]
    NonFiniteMove,
    /// No component has this id.
    #[error("no component \"{0}\"")]
    NoComponent(String),
    /// The component's kind has no such parameter.
    #[error("a {kind} has no parameter \"{key}\"")]
    NoParam {
        /// The kind's name.
        kind: &'static str,
        /// The key asked for.
        key: String,
    },
    /// The value is not valid for the parameter.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// No link joins these components.
    #[error("no link {0} → {1}")]
    NoLink(String, String),
    /// The link cannot be drawn.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The changed design would be invalid; these are the problems the edit caused.
    #[error("{}", Joined(.0))]
    Invalid(Vec<Problem>),
}

impl EditError {
    /// The refusal in words for a person: problems name their fields by label.
    pub fn for_people(&self) -> String {
        match self {
            EditError::Invalid(problems) => problems
                .iter()
                .map(Problem::for_people)
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }
}

/// Problems on one line, for a notice.
struct Joined<'a>(&'a [Problem]);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A design after an edit, and the components the edit created (to select them).
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The new design.
    pub scenario: Scenario,
    /// Ids of components the edit added.
    pub added: Vec<String>,
    /// What the edit did that the person may not expect, in words (a new link that
    /// carries only some requests).
    pub said: Option<String>,
}

/// Applies one edit to a design.
///
/// # Errors
/// Why the edit cannot be made; the design is then unchanged.
///
/// # Examples
/// ```
/// use archsim::editor::{apply_edit, Edit, geometry::Point};
/// use archsim::model::{Kind, Scenario, Traffic};
/// let s = Scenario::new("t", Traffic::rps(10.0, 1.0, 0.0, 0.0));
/// let out = apply_edit(&s, Edit::Add { kind: Kind::Cache, at: Point::new(33.0, 0.0) }).unwrap();
/// assert_eq!(out.added, vec!["cache-1".to_owned()]);
/// assert_eq!(out.scenario.components[0].x, 40.0); // snapped to the 20-unit grid
/// ```
pub fn apply_edit(original: &Scenario, edit: Edit) -> Result<Applied, EditError> {
    let mut s = original.clone();
    let mut added = Vec::new();
    let mut said = None;
    match edit {
        Edit::Add { kind, at } => {
            if s.components.len() >= MAX_COMPONENTS {
                return Err(EditError::Full);
            }
            let id = fresh_id(&s, kind);
            let n = s.components.iter().filter(|c| c.kind == kind).count();
            let label = if n == 0 {
                kind.name().to_owned()
            } else {
                format!("{} {}", kind.name(), n + 1)
            };
            let (x, y) = (place(at.x, true), place(at.y, true));
            s.components
                .push(Component::new(id.clone(), kind, label, x, y));
            added.push(id);
        }
        Edit::Move { ids, dx, dy, snap } => {
            if !(dx.is_finite() && dy.is_finite()) {
                return Err(EditError::NonFiniteMove);
            }
            for c in s.components.iter_mut().filter(|c| ids.contains(&c.id)) {
                c.x = place(c.x + dx, snap);
                c.y = place(c.y + dy, snap);
            }
        }
        Edit::Connect { from, to } => {
            let link = connection(&s, &from, &to)?;
            said = restricted(&s, &link);
            s.links.push(link);
        }
        Edit::SetParam { id, key, value } => {
            let c = component_mut(&mut s, &id)?;
            let spec = c.kind.param(&key).ok_or_else(|| EditError::NoParam {
                kind: c.kind.name(),
                key: key.clone(),
            })?;
            match value {
                None => {
                    c.params.remove(&key);
                }
                Some(v) => {
                    spec.check(&v)?;
                    c.params.insert(key.clone(), v);
                }
            }
            // Some parameters are checked against each other (autoscaling bounds, a queue
            // limit beside load shedding): the new value must not break such a rule.
            let quoted = quote(&id);
            refuse_if(&s, |p| {
                p.component.as_deref() == Some(quoted.as_str())
                    && matches!(p.field, Some(Field::Param(_)))
            })?;
        }
        Edit::SetLabel { id, label } => {
            component_mut(&mut s, &id)?.label = label.chars().take(MAX_LABEL_LEN).collect();
        }
        Edit::SetTraffic(t) => {
            s.traffic = t;
            // Its own fields, and what components read from the traffic (a cache sized
            // against the key space): a component problem the design did not have before.
            // A run grown too long by more traffic is the simulation settings' to say.
            let before = original.validate().err().map(|p| p.0).unwrap_or_default();
            refuse_if(&s, |p| {
                p.field.as_ref().is_some_and(Field::is_traffic)
                    || (p.component.is_some() && !before.contains(p))
            })?;
        }
        Edit::SetSimulation(sim) => {
            s.simulation = sim;
            refuse_if(&s, |p| p.field.as_ref().is_some_and(Field::is_simulation))?;
        }
        Edit::SetLink(link) => {
            let slot = s
                .links
                .iter_mut()
                .find(|l| l.from == link.from && l.to == link.to)
                .ok_or_else(|| EditError::NoLink(link.from.clone(), link.to.clone()))?;
            *slot = link;
            refuse_if(&s, |_| true)?;
        }
        Edit::SetFailure { id, failure } => {
            match failure {
                Some(f) => {
                    s.failed.insert(id, f);
                }
                None => {
                    s.failed.remove(&id);
                }
            }
            refuse_if(&s, |_| true)?;
        }
        Edit::SetFailures(failed) => {
            s.failed = failed;
            refuse_if(&s, |_| true)?;
        }
        Edit::Paste {
            components,
            links,
            snap,
        } => {
            if s.components.len() + components.len() > MAX_COMPONENTS {
                return Err(EditError::PasteTooLarge);
            }
            let mut renamed = HashMap::new();
            for c in components {
                let id = fresh_id(&s, c.kind);
                renamed.insert(c.id.clone(), id.clone());
                let mut copy = c;
                copy.id = id.clone();
                copy.x = place(copy.x + PASTE_OFFSET, snap);
                copy.y = place(copy.y + PASTE_OFFSET, snap);
                s.components.push(copy);
                added.push(id);
            }
            for l in links {
                if let (Some(from), Some(to)) = (renamed.get(&l.from), renamed.get(&l.to)) {
                    let mut copy = l;
                    copy.from = from.clone();
                    copy.to = to.clone();
                    s.links.push(copy);
                }
            }
        }
        Edit::Delete { ids, links } => {
            s.components.retain(|c| !ids.contains(&c.id));
            s.links.retain(|l| {
                !ids.contains(&l.from)
                    && !ids.contains(&l.to)
                    && !links.iter().any(|(f, t)| *f == l.from && *t == l.to)
            });
            s.failed.retain(|id, _| !ids.contains(id));
            if let Some(sim) = &mut s.simulation {
                sim.timeline.retain(|o| !ids.contains(&o.component));
            }
        }
        Edit::Load(scenario) => s = *scenario,
    }
    Ok(Applied {
        scenario: s,
        added,
        said,
    })
}

/// Why `edit` would be refused on `s`, in words for a person (`None`: it would be taken).
/// Fields check what is typed with this, so they refuse exactly what the design would.
pub fn refusal(s: &Scenario, edit: Edit) -> Option<String> {
    apply_edit(s, edit).err().map(|e| e.for_people())
}

/// The component with this id, for changing it.
/// A sentence for a new `link` that carries only the classes its target serves, when no
/// other link of its sender's carries the rest: those would have nowhere to go.
fn restricted(s: &Scenario, link: &Link) -> Option<String> {
    if link.classes.is_empty() || link.calls.is_some() {
        return None;
    }
    let others: Vec<&Link> = s
        .links
        .iter()
        .filter(|l| l.from == link.from && l.calls.is_none())
        .collect();
    let rest: Vec<&str> = Class::ALL
        .into_iter()
        .filter(|&k| !link.carries(k) && !others.iter().any(|l| l.carries(k)))
        .map(Class::key)
        .collect();
    if rest.is_empty() {
        return None;
    }
    let carried: Vec<&str> = link.classes.iter().map(|k| k.key()).collect();
    let (a, b) = (s.name_of(&link.from), s.name_of(&link.to));
    Some(format!(
        "{a} \u{2192} {b} carries only {} requests, what a {} serves. {a}'s {} requests, if \
         it has any, need a link of their own (or select this link to choose what it \
         carries).",
        carried.join(" and "),
        s.component(&link.to).map_or("target", |c| c.kind.name()),
        rest.join(" and "),
    ))
}

fn component_mut<'a>(s: &'a mut Scenario, id: &str) -> Result<&'a mut Component, EditError> {
    s.components
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| EditError::NoComponent(id.to_owned()))
}

/// Refuses the edit when the changed design has problems that `mine` picks (those in the
/// part the edit touched; problems elsewhere were there before and are not its fault).
fn refuse_if(s: &Scenario, mine: impl Fn(&Problem) -> bool) -> Result<(), EditError> {
    let Err(Problems(problems)) = s.validate() else {
        return Ok(());
    };
    let caused: Vec<Problem> = problems.into_iter().filter(|p| mine(p)).collect();
    if caused.is_empty() {
        Ok(())
    } else {
        Err(EditError::Invalid(caused))
    }
}

/// Where a component dropped or moved to `v` lands.
fn place(v: f64, snapping: bool) -> f64 {
    let v = v.clamp(-MAX_PLACE, MAX_PLACE);
    if snapping {
        snap(v)
    } else {
        v
    }
}

/// The first unused id of the form `kind-N`.
fn fresh_id(s: &Scenario, kind: Kind) -> String {
    (1..)
        .map(|n| format!("{}-{n}", kind.key().replace('_', "-")))
        .find(|id| s.component(id).is_none())
        .unwrap_or_default()
}
