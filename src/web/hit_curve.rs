//! A cache's hit ratio against its size for the design's workload, with its current size
//! marked: what a person sizing a cache looks at.

use super::format::{percent, rate, significant};
use crate::model::{Component, Scenario};
use crate::solve::hit_ratio::{self, HitSource};
use std::rc::Rc;
use yew::prelude::*;

/// Curve properties.
#[derive(Properties, PartialEq)]
pub struct HitCurveProps {
    /// The design (its traffic holds the key space).
    pub scenario: Rc<Scenario>,
    /// The cache.
    pub component: Component,
}

const W: f64 = 300.0;
const H: f64 = 120.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 20.0;
const TOP: f64 = 6.0;
const RIGHT: f64 = 8.0;
/// Sizes computed along the curve.
const POINTS: usize = 25;

/// The curve, or nothing when the design has no key space.
#[component]
pub fn HitCurve(props: &HitCurveProps) -> Html {
    let points = use_memo(
        (props.scenario.traffic.clone(), props.component.clone()),
        |(traffic, c)| {
            // The curve depends on the traffic and the cache only.
            hit_ratio::curve(&Scenario::new("", traffic.clone()), c, POINTS).unwrap_or_default()
        },
    );
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return html! {};
    };
    let (lo, hi) = (first.0.max(1.0).log10(), last.0.max(1.0).log10().max(1.0));
    let sx = |size: f64| LEFT + (size.max(1.0).log10() - lo) / (hi - lo) * (W - LEFT - RIGHT);
    let sy = |h: f64| TOP + (1.0 - h.clamp(0.0, 1.0)) * (H - TOP - BOTTOM);
    let path: String = points
        .iter()
        .enumerate()
        .map(|(i, &(c, h))| {
            format!(
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                sx(c),
                sy(h)
            )
        })
        .collect();
    let c = &props.component;
    let current = c.opt_num("capacity_keys");
    let hit = hit_ratio::effective(&props.scenario, c);
    // Why the curve levels off below 100 %, when it does.
    let ceiling = match (
        props.scenario.traffic.write > 0.0,
        c.opt_num("ttl_s").is_some(),
    ) {
        (true, true) => Some("writes invalidate cached keys and entries expire"),
        (true, false) => Some("writes invalidate cached keys"),
        (false, true) => Some("entries expire after their TTL"),
        (false, false) => None,
    };
    let decades: Vec<f64> = (lo.ceil() as i32..=hi.floor() as i32)
        .map(|e| 10f64.powi(e))
        .collect();
    html! {
        <figure class="chart hit-curve" data-testid="hit-curve">
            <figcaption>{"Hit ratio against cache size in keys, for this workload"}</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label="Hit ratio against cache size">
                { for [0.0, 0.5, 1.0].into_iter().map(|h| html! {
                    <>
                        <line class="grid" x1={LEFT.to_string()} x2={(W - RIGHT).to_string()}
                              y1={format!("{:.1}", sy(h))} y2={format!("{:.1}", sy(h))} />
                        <text class="tick" x={(LEFT - 4.0).to_string()} y={format!("{:.1}", sy(h) + 3.0)}
                              text-anchor="end">{ percent(h) }</text>
                    </>
                }) }
                { for decades.iter().step_by(decades.len().div_ceil(4).max(1)).map(|&d| {
                    // Short labels ("10k", "1.0M"): a long one near the right end would run
                    // past the chart, or stand under the current size's dot. One that still
                    // would ends at the edge (as the load chart's ticks do).
                    let (x, label) = (sx(d), if d < 1e3 { significant(d) } else { rate(d) });
                    let end = W - RIGHT;
                    let at_end = end - x < 3.5 * label.chars().count() as f64;
                    html! {
                        <text class="tick" x={format!("{:.1}", if at_end { end } else { x })}
                              y={(H - 6.0).to_string()}
                              text-anchor={if at_end { "end" } else { "middle" }}>{ label }</text>
                    }
                }) }
                <path class="series util" d={path} />
                if let (Some(size), Some(h)) = (current, hit) {
                    <circle class="current" data-testid="hit-current" cx={format!("{:.1}", sx(size))}
                            cy={format!("{:.1}", sy(h.value))} r="4" />
                }
            </svg>
            <p class="chart-note" data-testid="hit-now">
                if let (Some(size), Some(h)) = (current, hit) {
                    { if h.source == HitSource::Typed {
                        format!("This cache: {} keys, and a typed {} hit ratio, which the numbers use instead of the curve's. ", significant(size), percent(h.value))
                    } else {
                        format!("This cache: {} keys, a {} hit ratio. ", significant(size), percent(h.value))
                    } }
                }
                if let Some(why) = ceiling.filter(|_| last.1 < 0.995) {
                    { format!("Even every key cached gives {}: {why}.", percent(last.1)) }
                }
            </p>
        </figure>
    }
}
