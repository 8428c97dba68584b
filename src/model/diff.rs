//! What changed between two designs, in words: components added, removed or replaced, and
//! every parameter whose value in effect differs. The journey lists it under each lesson,
//! so a stage never changes something the reader is not told about.

use super::{show, Component, ParamSpec, ParamType, Scenario};
use std::fmt;

/// One difference between two designs.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A component only the second design has.
    Added {
        /// Its name.
        name: String,
        /// Its kind's name.
        kind: &'static str,
    },
    /// A component only the first design has.
    Removed {
        /// Its name.
        name: String,
    },
    /// The same id, another kind.
    Replaced {
        /// Its name in the second design.
        name: String,
        /// The old kind's name.
        from: &'static str,
        /// The new kind's name.
        to: &'static str,
    },
    /// A parameter's value in effect changed.
    Param {
        /// The component's name in the second design.
        name: String,
        /// The parameter's key.
        key: &'static str,
        /// The parameter's label.
        label: &'static str,
        /// Its value before, as shown.
        from: String,
        /// Its value after, as shown.
        to: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { name, kind } => write!(f, "added {name} ({kind})"),
            Change::Removed { name } => write!(f, "removed {name}"),
            Change::Replaced { name, from, to } => write!(f, "{name}: {from} → {to}"),
            Change::Param {
                name,
                label,
                from,
                to,
                ..
            } => write!(f, "{name}: {} {from} → {to}", label.to_lowercase()),
        }
    }
}

/// The value of `key` in effect on `c`, as shown ("unset" when it has none).
fn value(c: &Component, spec: &ParamSpec) -> String {
    match spec.ty {
        ParamType::Choice(_) => spec.choice_text(c.choice(spec.key)),
        ParamType::Number { .. } => c.opt_num(spec.key).map_or("unset".to_owned(), show),
    }
}

/// Every difference from `before` to `after`, in `after`'s component order, removals last.
pub fn changes(before: &Scenario, after: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    for b in &after.components {
        let name = b.display_name().to_owned();
        let Some(a) = before.component(&b.id) else {
            out.push(Change::Added {
                name,
                kind: b.kind.name(),
            });
            continue;
        };
        if a.kind != b.kind {
            out.push(Change::Replaced {
                name,
                from: a.kind.name(),
                to: b.kind.name(),
            });
            continue;
        }
        for spec in b.kind.params() {
            let (from, to) = (value(a, spec), value(b, spec));
            if from != to {
                out.push(Change::Param {
                    name: name.clone(),
                    key: spec.key,
                    label: spec.label,
                    from,
                    to,
                });
            }
        }
    }
    for a in &before.components {
        if after.component(&a.id).is_none() {
            out.push(Change::Removed {
                name: a.display_name().to_owned(),
            });
        }
    }
    out
}
