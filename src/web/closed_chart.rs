//! A closed population's curves: throughput and mean response against the number of
//! users, with N* (where the bottleneck saturates) and today's population marked — the
//! chart a person reads to see how many concurrent users the design holds.

use super::chart::{axes, nice, ticks};
use super::format::{millis, rate, thousands};
use crate::solve::ClosedReport;
use yew::prelude::*;

/// Chart properties.
#[derive(Properties, PartialEq)]
pub struct ClosedChartProps {
    /// The report's closed section.
    pub closed: ClosedReport,
}

const W: f64 = 320.0;
const H: f64 = 110.0;
const LEFT: f64 = 50.0;
const BOTTOM: f64 = 20.0;
const TOP: f64 = 8.0;
const RIGHT: f64 = 8.0;

/// One curve against users: its path, axes, and the markers at `marks` users.
fn panel(
    c: &ClosedReport,
    get: fn(&crate::solve::ClosedPoint) -> f64,
    label: fn(f64) -> String,
    class: &'static str,
    testid: &'static str,
) -> Html {
    let x_max = c.curve.last().map_or(1.0, |p| p.users as f64).max(1.0);
    let y_max = nice(c.curve.iter().map(get).fold(0.0, f64::max) * 1.1);
    let sx = |x: f64| LEFT + (x / x_max) * (W - LEFT - RIGHT);
    let sy = |y: f64| H - BOTTOM - (y / y_max) * (H - BOTTOM - TOP);
    let d: String = c
        .curve
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{}{:.1},{:.1} ",
                if i == 0 { "M" } else { "L" },
                sx(p.users as f64),
                sy(get(p))
            )
        })
        .collect();
    let ys: Vec<(f64, String)> = ticks(y_max, 3)
        .into_iter()
        .map(|v| (sy(v), label(v)))
        .collect();
    let xs: Vec<(f64, String)> = ticks(x_max, 3)
        .into_iter()
        .skip(1)
        .map(|v| (sx(v), rate(v)))
        .collect();
    // A marker near the right edge has its label on its left, inside the chart.
    let mark = |x: f64, text: String, class: &'static str| {
        let px = sx(x);
        let (tx, anchor) = if px > W - RIGHT - 30.0 {
            (px - 3.0, "end")
        } else {
            (px + 3.0, "start")
        };
        html! {
            <>
                <line class={class} x1={format!("{px:.1}")} x2={format!("{px:.1}")}
                      y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                <text class="tick now-label" x={format!("{tx:.1}")} y={(TOP + 8.0).to_string()} text-anchor={anchor}>{ text }</text>
            </>
        }
    };
    html! {
        <svg viewBox={format!("0 0 {W} {H}")} role="img" data-testid={testid}>
            { axes(&ys, &xs, (LEFT, W - RIGHT, H - BOTTOM, H)) }
            <path class={classes!("series", class)} d={d} />
            // Past the curve's end (an exactly solved curve stops at the exact method's
            // limit), N* is in the caption only.
            if let Some(n) = c.saturation_users.filter(|&n| n <= x_max) {
                { mark(n, "N*".to_owned(), "saturation") }
            }
            { mark(c.users as f64, "now".to_owned(), "now") }
        </svg>
    }
}

/// The two curves.
#[component]
pub fn ClosedChart(props: &ClosedChartProps) -> Html {
    let c = &props.closed;
    let end = c.curve.last().map_or(0.0, |p| p.users as f64);
    let none = if c.max_throughput_rps == Some(0.0) {
        "no request is served"
    } else {
        "nothing queues"
    };
    let star = c.saturation_users.map_or(none.to_owned(), |n| {
        let past = if n > end {
            ", past the chart's end"
        } else {
            ""
        };
        // Where the two asymptotes cross: a real number, said in whole users.
        format!("N* ≈ {} users{past}", thousands(n))
    });
    html! {
        <figure class="chart" data-testid="closed-chart">
            <figcaption>
                { format!("Against concurrent users ({star}) ") }
                <span class="key mean">{"throughput"}</span>
                <span class="key p99">{"response"}</span>
            </figcaption>
            { panel(c, |p| p.throughput_rps, |v| format!("{}/s", rate(v)), "mean", "closed-throughput") }
            { panel(c, |p| p.response_ms, |v| if v == 0.0 { "0".into() } else { millis(Some(v)) }, "p99", "closed-response") }
        </figure>
    }
}
