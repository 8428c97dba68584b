//! An autoscaling policy as the engines read it: target tracking on utilisation.
//!
//! The parameters live in the kind table (`Kind::param_sections`, "Autoscaling"); this is
//! their typed reading, with the two rules every engine shares: where a pool starts, and
//! how many instances the policy settles on for a given load.

use super::Component;

/// Target tracking between `min` and `max` instances (see MODEL.md, "Autoscaling").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Autoscale {
    /// Fewest instances.
    pub min: u32,
    /// Most instances.
    pub max: u32,
    /// Busy share the policy aims for, in (0, 1].
    pub target: f64,
    /// Seconds of utilisation averaged for each decision.
    pub window_s: f64,
    /// Seconds after adding instances before adding more.
    pub out_cooldown_s: f64,
    /// Seconds after any change before removing instances.
    pub in_cooldown_s: f64,
    /// Seconds from launch to the first request.
    pub warmup_s: f64,
}

/// Slack for the ceiling: a load that is a whole number of targets up to rounding asks for
/// that many instances, not one more.
const ROUNDING: f64 = 1e-9;

impl Autoscale {
    /// The policy of a component, when it has one (its kind autoscales and `autoscale_max`
    /// is set). The component must be valid.
    pub fn of(c: &Component) -> Option<Autoscale> {
        if !c.kind.autoscales() {
            return None;
        }
        let max = c.opt_num("autoscale_max")?;
        Some(Autoscale {
            min: c.num("autoscale_min") as u32,
            max: max as u32,
            target: c.num("target_utilization"),
            window_s: c.num("metric_window_s"),
            out_cooldown_s: c.num("scale_out_cooldown_s"),
            in_cooldown_s: c.num("scale_in_cooldown_s"),
            warmup_s: c.num("warmup_s"),
        })
    }

    /// The instance count a run starts with: the component's instances, kept within the
    /// policy's bounds (as a cloud autoscaler treats its desired count).
    pub fn start(&self, instances: f64) -> u32 {
        (instances.max(1.0).min(f64::from(u32::MAX)) as u32).clamp(self.min, self.max)
    }

    /// The count the policy settles on when the work offered to the pool would keep `busy`
    /// instances fully busy: `ceil(busy / target)`, within the bounds. This is the one rule
    /// for the steady state; the simulator's decisions apply it to measured utilisation.
    pub fn settle(&self, busy: f64) -> u32 {
        let want = (busy / self.target - ROUNDING).ceil();
        if want.is_nan() || want <= f64::from(self.min) {
            self.min
        } else if want >= f64::from(self.max) {
            self.max
        } else {
            want as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn pool() -> Component {
        Component::new("app", Kind::AppServer, "", 0.0, 0.0)
            .with("autoscale_min", 2.0)
            .with("autoscale_max", 10.0)
            .with("target_utilization", 0.5)
    }

    #[test]
    fn the_policy_is_on_only_when_a_maximum_is_set_on_a_kind_that_scales() {
        assert!(Autoscale::of(&pool()).is_some());
        let fixed = Component::new("app", Kind::AppServer, "", 0.0, 0.0);
        assert_eq!(Autoscale::of(&fixed), None);
        let db = Component::new("db", Kind::Database, "", 0.0, 0.0);
        assert!(db.kind.param("autoscale_max").is_none());
        assert_eq!(Autoscale::of(&db), None);
    }

    #[test]
    fn settling_is_the_ceiling_of_load_over_target_within_bounds() {
        let a = Autoscale::of(&pool()).unwrap_or_else(|| unreachable!());
        assert_eq!(a.settle(0.0), 2);
        assert_eq!(a.settle(1.9), 4); // 3.8 → 4
        assert_eq!(a.settle(2.0), 4); // exactly 4 targets: 4, not 5
        assert_eq!(a.settle(2.0 + 1e-12), 4);
        assert_eq!(a.settle(2.01), 5);
        assert_eq!(a.settle(1e9), 10);
        assert_eq!(a.settle(f64::NAN), 2);
        assert_eq!(a.start(1.0), 2);
        assert_eq!(a.start(7.0), 7);
        assert_eq!(a.start(50.0), 10);
    }
}
