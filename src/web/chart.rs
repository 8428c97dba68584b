//! The load chart: mean and p99 latency, and drops, against offered load from near zero to
//! beyond saturation, with today's load marked and, when a baseline is pinned, its curves
//! dashed beside them.

use super::format::{millis, rate};
use crate::solve::{Curves, LoadPoint};
use std::rc::Rc;
use yew::prelude::*;

/// Chart properties.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The sweeps (the current one empty while computing or when the design does not
    /// solve), or why they could not be computed.
    pub curves: Result<Rc<Curves>, Rc<str>>,
    /// Whether the curves are of the design as it is now (false while its own are being
    /// computed: the previous ones are then shown greyed, without today's marker).
    pub current: bool,
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

/// Round values from 0 to `max`, about `count` steps apart: 1, 2 or 5 × a power of ten.
pub(super) fn ticks(max: f64, count: usize) -> Vec<f64> {
    if max <= 0.0 || !max.is_finite() {
        return vec![0.0];
    }
    let step = nice(max / count.max(1) as f64);
    (0..=count * 3)
        .map(|i| i as f64 * step)
        .take_while(|&v| v <= max * (1.0 + 1e-9))
        .collect()
}

/// Grid lines and labelled ticks of a chart: `(pixel, label)` on the vertical axis (at
/// `left`) and the horizontal one (along `bottom`).
pub(super) fn axes(
    ys: &[(f64, String)],
    xs: &[(f64, String)],
    (left, right, bottom, height): (f64, f64, f64, f64),
) -> Html {
    html! {
        <g class="axes">
            { for ys.iter().map(|(y, label)| html! {
                <>
                    <line class="grid-line" x1={left.to_string()} x2={right.to_string()}
                          y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                    <text class="tick" x={(left - 4.0).to_string()} y={format!("{:.1}", y + 3.0)}
                          text-anchor="end">{ label.clone() }</text>
                </>
            }) }
            { for xs.iter().map(|(x, label)| {
                // A label centred at the right end would run past the chart and be cut
                // ("60 s" as "60"): it ends there instead.
                let at_end = right - x < 3.5 * label.chars().count() as f64;
                html! {
                    <text class="tick" x={format!("{:.1}", if at_end { right } else { *x })}
                          y={(height - 4.0).to_string()}
                          text-anchor={if at_end { "end" } else { "middle" }}>{ label.clone() }</text>
                }
            }) }
            <line class="axis" x1={left.to_string()} y1={bottom.to_string()}
                  x2={right.to_string()} y2={bottom.to_string()} />
        </g>
    }
}

/// What stands in the chart's place while its curves, or its code, are on their way.
pub fn computing() -> Html {
    html! { <div class="chart empty muted">{"Computing the load curve…"}</div> }
}

/// The chart. Drawn from the deferred chunk (`deferred.rs`): its curves come from a
/// worker after the first render anyway.
#[component]
pub fn LoadChart(props: &ChartProps) -> Html {
    let curves = match &props.curves {
        Ok(curves) => curves,
        Err(why) => {
            return html! { <div class="chart empty bad">{ format!("The load curve could not be computed: {why}") }</div> }
        }
    };
    let pts = &curves.current;
    if pts.is_empty() {
        return computing();
    }
    let base = curves.baseline.as_deref().unwrap_or_default();
    let x_max = pts.last().map_or(1.0, |p| p.offered_rps);
    let finite_p99 = pts
        .iter()
        .chain(base)
        .filter_map(|p| p.p99_ms)
        .fold(0.0, f64::max);
    let y_max = nice(finite_p99 * 1.1);
    let drop_max = nice(pts.iter().map(|p| p.dropped_rps).fold(0.0, f64::max));
    let sx = |x: f64| LEFT + (x / x_max) * (W - LEFT - RIGHT);
    let sy = |y: f64| H - BOTTOM - (y / y_max).min(1.05) * (H - BOTTOM - TOP);
    let sd = |d: f64| H - BOTTOM - (d / drop_max) * (H - BOTTOM - TOP);
    // A line through the finite points; an unbounded point ends it at the top edge.
    let line = |pts: &[LoadPoint], get: fn(&LoadPoint) -> Option<f64>| {
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
    // No request served at any load: no time to scale, so no time axis (a 0–1 ms one read
    // as if the design answered in under a millisecond).
    let served = finite_p99 > 0.0;
    let y_ticks: Vec<(f64, String)> = ticks(y_max, 4)
        .into_iter()
        .filter(|_| served)
        .map(|v| {
            (
                sy(v),
                if v == 0.0 {
                    "0".into()
                } else {
                    millis(Some(v))
                },
            )
        })
        .collect();
    let x_ticks: Vec<(f64, String)> = ticks(x_max, 3)
        .into_iter()
        .skip(1)
        .map(|v| (sx(v), format!("{}/s", rate(v))))
        .collect();
    let has_drops = pts.iter().any(|p| p.dropped_rps > 0.0);
    html! {
        <figure class={classes!("chart", (!props.current).then_some("stale"))} data-testid="load-chart"
                data-state={if props.current { "ready" } else { "updating" }}>
            <figcaption>
                {"Latency and drops vs load"}
                if !served {
                    <span class="muted" data-testid="no-latency">{": no request is served at any load, so there is no latency to draw"}</span>
                }
                {" "}
                if !props.current { <span class="updating">{"(updating for this design…) "}</span> }
                if served {
                    <span class="key mean">{"mean"}</span>
                    <span class="key p99">{"p99"}</span>
                }
                // The dropped area has a scale of its own: its top is this rate.
                if has_drops {
                    <span class="key drops" data-testid="drops-scale">{ format!("dropped (top: {}/s)", rate(drop_max)) }</span>
                }
                if !base.is_empty() { <span class="key baseline">{"baseline (dashed)"}</span> }
            </figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img"
                 aria-label="Latency and dropped requests against offered load">
                { axes(&y_ticks, &x_ticks, (LEFT, W - RIGHT, H - BOTTOM, H)) }
                if has_drops { <path class="drops" d={drops} /> }
                if !base.is_empty() {
                    <path class="series p99 baseline" data-testid="baseline-p99" d={line(base, |p| p.p99_ms)} />
                    <path class="series mean baseline" data-testid="baseline-mean" d={line(base, |p| p.mean_ms)} />
                }
                <path class="series p99" d={line(pts, |p| p.p99_ms)} />
                <path class="series mean" d={line(pts, |p| p.mean_ms)} />
                if props.current {
                    <line class="now" x1={format!("{now:.1}")} x2={format!("{now:.1}")}
                          y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                    <text class="tick now-label" x={format!("{:.1}", now + 3.0)} y={(TOP + 8.0).to_string()}>{"now"}</text>
                }
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_axis() {
        assert_eq!(ticks(1.0, 4), vec![0.0, 0.5, 1.0]);
        assert_eq!(ticks(500.0, 4), vec![0.0, 200.0, 400.0]);
        assert_eq!(ticks(60.0, 5), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(ticks(0.0, 4), vec![0.0]);
    }
}
