//! Ready-made scenarios.

use crate::model::{Component, Kind, Link, Scenario, Traffic};

/// The scenario a new visitor sees: users → load balancer → two app servers → database.
pub fn starter() -> Scenario {
    let mut s = Scenario::new("Load-balanced web app", Traffic::rps(200.0, 0.8, 0.2, 0.0));
    s.components = vec![
        Component::new("users", Kind::Client, "Users", 100.0, 220.0),
        Component::new("lb", Kind::LoadBalancer, "Load balancer", 320.0, 220.0),
        Component::new("app-1", Kind::AppServer, "App server 1", 540.0, 140.0),
        Component::new("app-2", Kind::AppServer, "App server 2", 540.0, 300.0),
        Component::new("db", Kind::Database, "Database", 760.0, 220.0),
    ];
    s.links = vec![
        Link::new("users", "lb"),
        Link::new("lb", "app-1"),
        Link::new("lb", "app-2"),
        Link::new("app-1", "db"),
        Link::new("app-2", "db"),
    ];
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn starter_solves() {
        let r = crate::solve::analyze(&super::starter()).unwrap();
        assert!((r.components["app-1"].arrival_rps - 100.0).abs() < 1e-9);
        assert!(r.latency_ms.p99.is_some());
    }
}
