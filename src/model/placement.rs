//! Where each component stands: its own `location`, or where all its senders are.
//!
//! A load balancer behind a region in Seoul is in Seoul without saying so; a database that
//! apps in two places send to is nowhere until it is given a place (its distance to each
//! of them cannot be guessed). Users do not place what they send to: a DNS or CDN that
//! users everywhere reach is not "in" any of their cities.

use super::{Adjacency, Failure, Kind, Location, Scenario};
use std::collections::BTreeMap;

impl Scenario {
    /// Every component's place, in the order of `components`: its own, or else the one
    /// place all its senders share (clients do not count as senders here). A loop with no
    /// place of its own is nowhere.
    pub fn places(&self) -> Vec<Option<Location>> {
        let n = self.components.len();
        let ends = self.link_ends();
        let senders = Adjacency::new(
            n,
            ends.iter()
                .flatten()
                .filter(|&&(f, _)| self.components[f].kind != Kind::Client)
                .map(|&(f, t)| (t, f)),
        );
        let mut place: Vec<Option<Option<Location>>> = vec![None; n];
        let mut on_stack = vec![false; n];
        // Depth-first over senders, without recursion (designs may be 10 000 deep).
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for start in 0..n {
            stack.push((start, 0));
            while let Some(&mut (v, ref mut next)) = stack.last_mut() {
                if place[v].is_some() {
                    stack.pop();
                    continue;
                }
                let c = &self.components[v];
                let own = Scenario::location_of(c);
                if own.is_some() || c.kind == Kind::Client || senders[v].is_empty() {
                    place[v] = Some(own);
                    stack.pop();
                    continue;
                }
                on_stack[v] = true;
                if let Some(&u) = senders[v].get(*next) {
                    *next += 1;
                    if place[u].is_none() && !on_stack[u] {
                        stack.push((u, 0));
                    }
                    continue;
                }
                // Every sender is placed (or on the stack: a loop, which places nothing).
                let mut theirs = senders[v].iter().map(|&u| place[u].flatten());
                let first = theirs.next().flatten();
                let agreed = first.filter(|&p| theirs.all(|q| q == Some(p)));
                place[v] = Some(agreed);
                on_stack[v] = false;
                stack.pop();
            }
        }
        place.into_iter().map(Option::flatten).collect()
    }

    /// What a whole-region outage takes down: region `id` and every component placed in its
    /// location (its own or its senders', [`Scenario::places`]) but the users there, in the
    /// order of `components`. `None` when `id` is not a region or has no location. Failing
    /// a region alone removes only its entry hop (MODEL.md §9); these are its machines.
    pub fn region_members(&self, id: &str) -> Option<Vec<usize>> {
        let region = self
            .components
            .iter()
            .position(|c| c.id == id && c.kind == Kind::Region)?;
        let at = Scenario::location_of(&self.components[region])?;
        let places = self.places();
        Some(
            (0..self.components.len())
                .filter(|&v| v == region || places[v] == Some(at))
                .filter(|&v| self.components[v].kind != Kind::Client)
                .collect(),
        )
    }

    /// The what-if failures with region `id`'s outage ([`Scenario::region_members`]) marked
    /// (`down`) or lifted: every member down, or none of them failed; the other components'
    /// failures as they are. `None` when `id` is not a region with a location.
    pub fn region_outage(&self, id: &str, down: bool) -> Option<BTreeMap<String, Failure>> {
        let mut failed = self.failed.clone();
        for v in self.region_members(id)? {
            let id = self.components[v].id.clone();
            if down {
                failed.insert(id, Failure::DOWN);
            } else {
                failed.remove(&id);
            }
        }
        Some(failed)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Component, Kind, Link, Location, Scenario, Traffic};

    #[test]
    fn a_component_is_where_all_its_senders_are() {
        let mut s = Scenario::new("places", Traffic::rps(10.0, 1.0, 0.0, 0.0));
        let c = |id: &str, kind| Component::new(id, kind, id, 0.0, 0.0);
        s.components = vec![
            c("seoul-users", Kind::Client).with_choice("location", "seoul"),
            c("dns", Kind::Dns),
            c("asia", Kind::Region).with_choice("location", "seoul"),
            c("europe", Kind::Region).with_choice("location", "ireland"),
            c("lb", Kind::LoadBalancer),
            c("app", Kind::AppServer),
            c("app-eu", Kind::AppServer),
            c("db", Kind::Database),
        ];
        for (a, b) in [
            ("seoul-users", "dns"),
            ("dns", "asia"),
            ("dns", "europe"),
            ("asia", "lb"),
            ("lb", "app"),
            ("europe", "app-eu"),
            ("app", "db"),
            ("app-eu", "db"),
        ] {
            s.links.push(Link::new(a, b));
        }
        let places = s.places();
        let at = |id: &str| places[s.components.iter().position(|c| c.id == id).unwrap_or(0)];
        assert_eq!(at("seoul-users"), Some(Location::Seoul));
        assert_eq!(at("dns"), None, "users do not place what they send to");
        assert_eq!(at("lb"), Some(Location::Seoul));
        assert_eq!(at("app"), Some(Location::Seoul));
        assert_eq!(at("app-eu"), Some(Location::Ireland));
        assert_eq!(at("db"), None, "senders in two places");
        s.components[7] = c("db", Kind::Database).with_choice("location", "tokyo");
        assert_eq!(s.places()[7], Some(Location::Tokyo));
    }
}
