//! The scenario document itself and the what-if failures it carries.

use super::component::check_position;
use super::{Component, Geography, Kind, Link, Simulation, Traffic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scenario format version this build writes.
pub const VERSION: u32 = 9;

/// A whole design: its components, how they are wired, and the traffic offered to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version, for migrations of old shared links.
    pub version: u32,
    /// Title shown in the editor.
    #[serde(default)]
    pub name: String,
    /// The load offered at the clients.
    pub traffic: Traffic,
    /// The boxes of the diagram.
    #[serde(default)]
    pub components: Vec<Component>,
    /// The arrows of the diagram: who sends requests to whom.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Monthly price per instance, by kind, overriding [`Kind::default_price`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prices: BTreeMap<Kind, f64>,
    /// Components marked failed (what-if), by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed: BTreeMap<String, Failure>,
    /// How a simulated run is set up (seed, traffic over time, failure timeline); absent
    /// means the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<Simulation>,
    /// Corrections to the built-in distances between places; absent means the measured
    /// table as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geography: Option<Geography>,
}

/// A what-if failure of one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// Instances lost; absent means the whole component is down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
}

impl Failure {
    /// The whole component is down.
    pub const DOWN: Failure = Failure { lost: None };

    /// `n` instances are lost.
    pub fn lose(n: u64) -> Failure {
        Failure { lost: Some(n) }
    }
}

impl Scenario {
    /// An empty scenario with the given traffic.
    pub fn new(name: impl Into<String>, traffic: Traffic) -> Self {
        Scenario {
            version: VERSION,
            name: name.into(),
            traffic,
            components: Vec::new(),
            links: Vec::new(),
            prices: BTreeMap::new(),
            failed: BTreeMap::new(),
            simulation: None,
            geography: None,
        }
    }

    /// The distances this scenario uses: its corrections over the measured table.
    pub fn geography(&self) -> Geography {
        self.geography.clone().unwrap_or_default()
    }

    /// Where component `c` stands by its own parameter (`None`: not on the map).
    pub fn location_of(c: &Component) -> Option<super::Location> {
        super::Location::from_key(c.choice("location"))
    }

    /// Each component's position in `components`, by id.
    pub fn indices(&self) -> foldhash::HashMap<&str, usize> {
        self.components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect()
    }

    /// Each link's two ends as component indices, in the order of `links`; `None` for a
    /// link whose either end names no component (validation reports it).
    pub fn link_ends(&self) -> Vec<Option<(usize, usize)>> {
        let index = self.indices();
        self.links
            .iter()
            .map(|l| Some((*index.get(l.from.as_str())?, *index.get(l.to.as_str())?)))
            .collect()
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }

    /// The name people know the component `id` by: its label, else its id (also for an id
    /// the design does not have).
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.component(id).map_or(id, Component::display_name)
    }

    /// What the design lacks before it has numbers to show, as the next thing to do
    /// (`None`: traffic enters it). An empty design is not "100 % available with unbounded
    /// latency": it has no numbers yet.
    pub fn missing(&self) -> Option<&'static str> {
        let clients: Vec<&Component> = self
            .components
            .iter()
            .filter(|c| c.kind == Kind::Client)
            .collect();
        if self.components.is_empty() {
            Some(
                "Drag components from the palette onto the canvas: a Client (where the \
                 traffic comes from) and what it calls, such as App servers. Then drag from \
                 the client's right-hand port to connect them.",
            )
        } else if clients.is_empty() {
            Some("Add a Client from the palette: it is where the traffic comes from.")
        } else if !self
            .links
            .iter()
            .any(|l| clients.iter().any(|c| c.id == l.from))
        {
            Some("Connect the Client to what it calls: drag from its right-hand port.")
        } else {
            None
        }
    }

    /// The design without its components' positions, which change no number and no
    /// sentence of a report: what the live solve and the page's analyses read, so that
    /// moving a box solves nothing again. A position that is not valid is kept, so that
    /// the problem it is is still reported.
    pub fn unplaced(&self) -> Scenario {
        let mut s = self.clone();
        for c in &mut s.components {
            if check_position(c.x).is_none() && check_position(c.y).is_none() {
                (c.x, c.y) = (0.0, 0.0);
            }
        }
        s
    }

    /// The design without its run's settings, which no steady-state number depends on (the
    /// solver never reads them): what the failure analysis and the load curve are keyed on,
    /// so that setting up a run does not redo them.
    pub fn steady(&self) -> Scenario {
        Scenario {
            simulation: None,
            ..self.clone()
        }
    }

    /// The parts of the design that the numbers depend on: the design without its name,
    /// labels and positions (which change no result; see [`Scenario::unplaced`]). Two
    /// designs with equal semantics give the same solve and the same run.
    pub fn semantic(&self) -> Scenario {
        let mut s = self.unplaced();
        s.name.clear();
        for c in &mut s.components {
            c.label.clear();
        }
        s
    }
}

impl Simulation {
    /// The settings a scenario carries, or the defaults.
    pub fn of(s: &Scenario) -> Simulation {
        s.simulation.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_change_no_number_and_no_sentence() {
        use crate::solve::{analyze, failure_analysis};
        for stage in crate::presets::journey() {
            let mut s = (stage.build)();
            let report = analyze(&s).unwrap();
            let unplaced = s.unplaced();
            assert_eq!(analyze(&unplaced).as_ref(), Ok(&report), "{}", stage.key);
            assert_eq!(
                failure_analysis(&unplaced, &report),
                failure_analysis(&s, &report),
                "{}",
                stage.key
            );
            // A move leaves what the numbers read as it was.
            s.components[0].x += 120.0;
            assert_eq!(s.unplaced(), unplaced, "{}", stage.key);
        }
    }

    #[test]
    fn a_position_out_of_range_is_kept_and_still_reported() {
        let mut s = crate::presets::starter();
        s.components[1].x = 2e7;
        let problems = crate::solve::analyze(&s.unplaced()).unwrap_err();
        assert!(problems.to_string().contains("the position"), "{problems}");
    }

    #[test]
    fn a_design_says_what_it_lacks_before_it_has_numbers() {
        let mut s = crate::presets::blank();
        assert!(s.missing().unwrap().starts_with("Drag components"));
        s.components
            .push(Component::new("app", Kind::AppServer, "App", 0.0, 0.0));
        assert!(s.missing().unwrap().starts_with("Add a Client"));
        s.components
            .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
        assert!(s.missing().unwrap().starts_with("Connect the Client"));
        s.links.push(Link::new("users", "app"));
        assert_eq!(s.missing(), None);
        assert_eq!(crate::presets::starter().missing(), None);
    }
}
