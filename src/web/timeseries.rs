//! A per-second chart of a simulated run: a few lines over time, shaded stretches (a spike,
//! an outage), and the time cursor, which a click on the chart moves.

use super::chart::{axes, nice, ticks};
use super::format::{millis, percent, rate};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend text.
    pub label: &'static str,
    /// CSS class giving its colour.
    pub class: &'static str,
    /// One value per second (`None`: nothing to show that second).
    pub values: Vec<Option<f64>>,
}

/// What a chart's values measure, for its axis labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Per second.
    Rate,
    /// Milliseconds.
    Millis,
    /// A share, 0 to 1.
    Share,
    /// A number of instances.
    Count,
    /// US dollars.
    Dollars,
}

impl Unit {
    fn show(self, v: f64) -> String {
        match self {
            Unit::Rate => rate(v),
            Unit::Millis => millis(Some(v)),
            Unit::Share => percent(v),
            Unit::Count => format!("{v:.1}"),
            Unit::Dollars => format!("${v:.2}"),
        }
    }
}

/// Chart properties.
#[derive(Properties, PartialEq)]
pub struct TimeChartProps {
    /// Caption.
    pub title: AttrValue,
    /// Test id of the figure.
    pub testid: AttrValue,
    pub lines: Vec<Line>,
    pub unit: Unit,
    /// Shaded stretches, in seconds.
    #[prop_or_default]
    pub marks: Vec<(f64, f64, &'static str)>,
    /// The cursor's second.
    pub cursor: usize,
    /// A click on the chart moves the cursor there.
    pub on_seek: Callback<usize>,
}

const W: f64 = 320.0;
const H: f64 = 120.0;
const LEFT: f64 = 46.0;
const BOTTOM: f64 = 18.0;
const TOP: f64 = 8.0;
const RIGHT: f64 = 8.0;

/// The chart.
#[component]
pub fn TimeChart(props: &TimeChartProps) -> Html {
    let seconds = props.lines.first().map_or(0, |l| l.values.len()).max(1);
    let top = props
        .lines
        .iter()
        .flat_map(|l| l.values.iter().flatten())
        .fold(0.0, |a: f64, &b| a.max(b));
    let y_max = nice(top);
    let sx = |t: f64| LEFT + t / seconds as f64 * (W - LEFT - RIGHT);
    let sy = |y: f64| H - BOTTOM - (y / y_max).clamp(0.0, 1.0) * (H - BOTTOM - TOP);
    // Each value is drawn at the middle of its second; gaps break the line.
    let path = |values: &[Option<f64>]| {
        let mut d = String::new();
        let mut pen = false;
        for (t, v) in values.iter().enumerate() {
            match v {
                Some(v) => {
                    let cmd = if pen { 'L' } else { 'M' };
                    d += &format!("{cmd}{:.1},{:.1} ", sx(t as f64 + 0.5), sy(*v));
                    pen = true;
                }
                None => pen = false,
            }
        }
        d
    };
    let on_click = {
        let seek = props.on_seek.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .current_target()
                .and_then(|t| t.dyn_into::<Element>().ok())
            else {
                return;
            };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let x = (f64::from(e.client_x()) - r.left()) / r.width() * W;
            let t = (x - LEFT) / (W - LEFT - RIGHT) * seconds as f64;
            seek.emit(t.clamp(0.0, seconds as f64 - 1.0) as usize);
        })
    };
    let cursor = sx(props.cursor as f64 + 0.5);
    let unit = props.unit;
    let y_ticks: Vec<(f64, String)> = ticks(y_max, 3)
        .into_iter()
        .map(|v| (sy(v), if v == 0.0 { "0".into() } else { unit.show(v) }))
        .collect();
    let x_ticks: Vec<(f64, String)> = ticks(seconds as f64, 5)
        .into_iter()
        .map(|t| (sx(t), format!("{t} s")))
        .collect();
    html! {
        <figure class="chart timeseries" data-testid={props.testid.clone()}>
            <figcaption>
                { props.title.clone() }
                { for props.lines.iter().map(|l| html! { <span class={classes!("key", l.class)}>{ l.label }</span> }) }
            </figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={props.title.clone()} onclick={on_click}>
                { for props.marks.iter().map(|&(a, b, class)| {
                    let (x0, x1) = (sx(a.max(0.0)), sx(b.min(seconds as f64)));
                    html! { <rect class={classes!("mark", class)} x={format!("{x0:.1}")} y={TOP.to_string()}
                                  width={format!("{:.1}", (x1 - x0).max(0.0))} height={(H - BOTTOM - TOP).to_string()} /> }
                }) }
                { axes(&y_ticks, &x_ticks, (LEFT, W - RIGHT, H - BOTTOM, H)) }
                { for props.lines.iter().map(|l| html! { <path class={classes!("series", l.class)} d={path(&l.values)} /> }) }
                <line class="cursor" x1={format!("{cursor:.1}")} x2={format!("{cursor:.1}")}
                      y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
            </svg>
        </figure>
    }
}
