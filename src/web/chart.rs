//! The load chart: mean and p99 latency, and drops, against offered load from near zero to
//! beyond saturation, with today's load marked.

use super::format::{millis, rate};
use crate::solve::LoadPoint;
use yew::prelude::*;

/// Chart properties.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The sweep (empty while computing or when the design does not solve).
    pub points: Vec<LoadPoint>,
    /// Today's offered load.
    pub current_rps: f64,
}

const W: f64 = 320.0;
const H: f64 = 150.0;
const LEFT: f64 = 50.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;
const RIGHT: f64 = 8.0;

/// A "nice" upper bound for an axis: 1, 2 or 5 × a power of ten.
pub(super) fn nice(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        // A value that is already nice (up to rounding) is its own bound.
        .find(|&c| c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The chart.
#[component]
pub fn LoadChart(props: &ChartProps) -> Html {
    let pts = &props.points;
    if pts.is_empty() {
        return html! { <div class="chart empty muted">{"Computing the load curve…"}</div> };
    }
    let x_max = pts.last().map_or(1.0, |p| p.offered_rps);
    let finite_p99 = pts.iter().filter_map(|p| p.p99_ms).fold(0.0, f64::max);
    let y_max = nice(finite_p99 * 1.1);
    let drop_max = nice(pts.iter().map(|p| p.dropped_rps).fold(0.0, f64::max));
    let sx = |x: f64| LEFT + (x / x_max) * (W - LEFT - RIGHT);
    let sy = |y: f64| H - BOTTOM - (y / y_max).min(1.05) * (H - BOTTOM - TOP);
    let sd = |d: f64| H - BOTTOM - (d / drop_max) * (H - BOTTOM - TOP);
    // A line through the finite points; an unbounded point ends it at the top edge.
    let line = |get: fn(&LoadPoint) -> Option<f64>| {
        let mut d = String::new();
        let mut started = false;
        for p in pts {
            match get(p) {
                Some(v) => {
                    d += &format!(
                        "{}{:.1},{:.1} ",
                        if started { "L" } else { "M" },
                        sx(p.offered_rps),
                        sy(v)
                    );
                    started = true;
                }
                None if started => {
                    d += &format!("L{:.1},{:.1} ", sx(p.offered_rps), TOP);
                    break;
                }
                None => {}
            }
        }
        d
    };
    let drops = {
        let mut d = format!("M{:.1},{:.1} ", sx(0.0), sd(0.0));
        for p in pts {
            d += &format!("L{:.1},{:.1} ", sx(p.offered_rps), sd(p.dropped_rps));
        }
        d += &format!("L{:.1},{:.1} Z", sx(x_max), sd(0.0));
        d
    };
    let now = sx(props.current_rps.min(x_max));
    let has_drops = pts.iter().any(|p| p.dropped_rps > 0.0);
    html! {
        <figure class="chart" data-testid="load-chart">
            <figcaption>
                {"Latency and drops vs load "}
                <span class="key mean">{"mean"}</span>
                <span class="key p99">{"p99"}</span>
                if has_drops { <span class="key drops">{"dropped"}</span> }
            </figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img"
                 aria-label="Latency and dropped requests against offered load">
                <line class="axis" x1={LEFT.to_string()} y1={(H - BOTTOM).to_string()}
                      x2={(W - RIGHT).to_string()} y2={(H - BOTTOM).to_string()} />
                <line class="axis" x1={LEFT.to_string()} y1={TOP.to_string()}
                      x2={LEFT.to_string()} y2={(H - BOTTOM).to_string()} />
                if has_drops { <path class="drops" d={drops} /> }
                <path class="series p99" d={line(|p| p.p99_ms)} />
                <path class="series mean" d={line(|p| p.mean_ms)} />
                <line class="now" x1={format!("{now:.1}")} x2={format!("{now:.1}")}
                      y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                <text class="tick" x={(LEFT - 4.0).to_string()} y={(TOP + 8.0).to_string()} text-anchor="end">
                    { millis(Some(y_max)) }
                </text>
                <text class="tick" x={(LEFT - 4.0).to_string()} y={(H - BOTTOM).to_string()} text-anchor="end">{"0"}</text>
                <text class="tick" x={(W - RIGHT).to_string()} y={(H - 6.0).to_string()} text-anchor="end">
                    { format!("{}/s", rate(x_max)) }
                </text>
                <text class="tick now-label" x={format!("{:.1}", now + 3.0)} y={(TOP + 8.0).to_string()}>{"now"}</text>
            </svg>
        </figure>
    }
}
