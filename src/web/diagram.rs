//! The diagram's contents: every link and component box, drawn from the design and its
//! solve. Its own component, so that while components are dragged the boxes left in place
//! keep equal props and are neither rebuilt nor repainted: the moving part is drawn again
//! on a layer of its own (see `canvas.rs`).

use super::format::{heat, percent, rate};
use super::icons::glyph;
use super::link_view::{replication_lag, LinkView};
use super::press::press;
use super::Shared;
use crate::editor::geometry::{link_box, Point, Rect, NODE_H, NODE_W};
use crate::editor::{Hit, Selection};
use crate::model::{Autoscale, Component, Failure, Kind, Scenario};
use crate::sim::BreakerState;
use crate::solve::{noticeable, ComponentReport, PassedBy, Report};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Which part of the design a [`Diagram`] draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Part {
    /// All of it.
    #[default]
    All,
    /// All but these components and the links that touch them (being dragged).
    Without(Rc<Vec<String>>),
    /// Only these components, moved by an offset, and the links that touch them.
    Lifted {
        /// Which.
        ids: Rc<Vec<String>>,
        /// Offset, canvas units.
        dx: f64,
        /// Offset, canvas units.
        dy: f64,
    },
}

impl Part {
    /// Whether component `id` is drawn, and where it is moved to.
    fn shows(&self, id: &str) -> Option<(f64, f64)> {
        match self {
            Part::All => Some((0.0, 0.0)),
            Part::Without(ids) => (!ids.iter().any(|i| i == id)).then_some((0.0, 0.0)),
            Part::Lifted { ids, dx, dy } => ids.iter().any(|i| i == id).then_some((*dx, *dy)),
        }
    }

    /// Whether a link between `from` and `to` is drawn.
    fn shows_link(&self, from: &str, to: &str) -> bool {
        match self {
            Part::All => true,
            Part::Without(ids) => !ids.iter().any(|i| i == from || i == to),
            Part::Lifted { ids, .. } => ids.iter().any(|i| i == from || i == to),
        }
    }
}

/// Diagram properties.
#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// At a second of a run: per scenario link, its breaker's state.
    pub breakers: Rc<Vec<Option<BreakerState>>>,
    /// The selection.
    pub selection: Selection,
    /// What to draw.
    pub part: Part,
    /// For a large design, the part of the canvas to draw (see
    /// [`drawn_window`](crate::editor::geometry::drawn_window)): components and links
    /// outside it are left out, but selected components are always drawn.
    #[prop_or_default]
    pub window: Option<Rect>,
    /// Single points of failure with the reason for each.
    pub spofs: Rc<BTreeMap<String, String>>,
    /// Whether to animate traffic along links.
    pub flow: bool,
    /// A press on something.
    pub on_down: Callback<(Hit, PointerEvent)>,
    /// A component got the keyboard focus.
    pub on_focus: Callback<String>,
    /// The second of a simulated run shown instead of the live solve, if any: its
    /// failures are the run's, not what-ifs to restore.
    #[prop_or_default]
    pub replay: Option<usize>,
}

/// The links under the components' boxes.
#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let s = &props.scenario;
    let part = &props.part;
    // By id in one lookup: searching the components for both ends of every link made each
    // render of a 1 000-component diagram compare ids millions of times.
    let index = s.indices();
    let component = |id: &str| index.get(id).map(|&v| &s.components[v]);
    // Where a component is drawn (moved by the part's offset); links to a component left
    // in place are drawn to where it stands.
    let position = |id: &str| {
        component(id).map(|c| {
            let (dx, dy) = part.shows(id).unwrap_or((0.0, 0.0));
            Point::new(c.x + dx, c.y + dy)
        })
    };
    let in_window = |r: Rect| props.window.is_none_or(|w| w.intersects(&r));
    let links = s.links.iter().enumerate().filter_map(|(i, l)| {
        if !part.shows_link(&l.from, &l.to) {
            return None;
        }
        let (a, b) = (position(&l.from)?, position(&l.to)?);
        if !in_window(link_box(a, b)) {
            return None;
        }
        let key = format!("{}→{}", l.from, l.to);
        Some(html! {
            <LinkView key={key.clone()} id={key.clone()} from={l.from.clone()} to={l.to.clone()} {a} {b}
                rps={props.report.as_ref().and_then(|r| r.links.get(i)).map(|l| l.rps)}
                replicated={props.report.as_ref().and_then(|r| r.links.get(i)).and_then(|l| l.replicated)}
                failover={props.report.as_ref().and_then(|r| r.components.get(&l.from))
                    .is_some_and(|c| matches!(&c.passed_by, Some(PassedBy::Promoted(to)) if *to == l.to))}
                lag={component(&l.from).and_then(|from| replication_lag(from, props.report.as_deref(), l))}
                selected={props.selection.link.as_ref() == Some(&(l.from.clone(), l.to.clone()))}
                call={l.calls.is_some()} classes={l.classes_label()} flow={props.flow}
                breaker={l.breaker.map(|_| props.breakers.get(i).copied().flatten().unwrap_or(BreakerState::Closed))}
                on_down={props.on_down.clone()} />
        })
    });
    let bottleneck = props.report.as_ref().and_then(|r| r.bottleneck.clone());
    let nodes = s.components.iter().filter_map(|c| {
        let (dx, dy) = part.shows(&c.id)?;
        let at = Point::new(c.x + dx, c.y + dy);
        let selected = props.selection.components.contains(&c.id);
        if !selected && !in_window(Rect::node(at)) {
            return None;
        }
        Some(html! {
            <NodeView key={c.id.clone()} component={c.clone()} {at}
                stats={props.report.as_ref().and_then(|r| r.components.get(&c.id)).cloned()}
                {selected}
                bottleneck={bottleneck.as_deref() == Some(c.id.as_str())}
                failure={s.failed.get(&c.id).copied()}
                replay={props.replay}
                spof={props.spofs.get(&c.id).cloned()}
                on_down={props.on_down.clone()} on_focus={props.on_focus.clone()} />
        })
    });
    html! {
        <>
            <g class="links">{ for links }</g>
            <g class="nodes">{ for nodes }</g>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NodeProps {
    component: Component,
    at: Point,
    stats: Option<ComponentReport>,
    selected: bool,
    bottleneck: bool,
    failure: Option<Failure>,
    replay: Option<usize>,
    spof: Option<String>,
    on_down: Callback<(Hit, PointerEvent)>,
    on_focus: Callback<String>,
}

/// One component box with its numbers and badges (its own component, like links).
#[component]
fn NodeView(props: &NodeProps) -> Html {
    let c = &props.component;
    let mut class = classes!("node", format!("kind-{}", c.kind.key()));
    if let Some(st) = &props.stats {
        if st.capacity_rps.is_some() {
            class.push(heat(st.utilization, st.saturated));
        }
    }
    if props.selected {
        class.push("selected");
    }
    if props.failure.is_some_and(|f| f.lost.is_none()) {
        class.push("failed");
    }
    let line2 = props.stats.as_ref().map(|st| {
        if st.passed_by.is_some() {
            // Failed, and what reaches it goes on to its origin or the promoted replica.
            format!("{}/s passed by", rate(st.requests_rps()))
        } else if let Some(load) = st.busiest_shard() {
            format!("{}/s · busiest {}", rate(st.requests_rps()), percent(load))
        } else if st.capacity_rps.is_some() {
            format!(
                "{}/s · {}",
                rate(st.requests_rps()),
                percent(st.utilization)
            )
        } else {
            format!("{}/s", rate(st.requests_rps()))
        }
    });
    // What is dropped here, in words: a rate limit's rejections are named as such.
    let dropped = props
        .stats
        .as_ref()
        .filter(|st| noticeable(st.dropped_rps))
        .map(|st| match st.rejected_rps.filter(|&r| r > 1e-9) {
            Some(r) if r >= st.dropped_rps * (1.0 - 1e-9) => {
                format!("{}/s rejected (429)", rate(r))
            }
            Some(r) => format!("{}/s dropped, {} rejected", rate(st.dropped_rps), rate(r)),
            None => format!("{}/s dropped", rate(st.dropped_rps)),
        });
    let autoscale = Autoscale::of(c);
    // The dropped line goes below the badges on the bottom edge (they reach 8 px down).
    let dropped_y = NODE_H
        + if props.spof.is_some() || autoscale.is_some() {
            22.0
        } else {
            14.0
        };
    let (x, y) = (props.at.x - NODE_W / 2.0, props.at.y - NODE_H / 2.0);
    let long = c.display_name().chars().count() > LABEL_CHARS;
    let label = clip(
        c.display_name(),
        if long { LONG_LABEL_CHARS } else { LABEL_CHARS },
    );
    // What a screen reader says of the box: what the eye reads on it and its badges.
    let name = c.display_name();
    let spoken: Vec<String> = [
        Some(name.to_owned()),
        (name != c.kind.name()).then(|| c.kind.name().to_owned()),
        line2.clone(),
        dropped.clone(),
        props.failure.map(|f| {
            if f.lost.is_some() {
                "one instance lost"
            } else {
                "down"
            }
            .to_owned()
        }),
        props
            .spof
            .as_ref()
            .map(|_| "single point of failure".to_owned()),
        props.bottleneck.then(|| "the bottleneck".to_owned()),
        props
            .stats
            .as_ref()
            .filter(|st| !st.no_way_on.is_empty() || !st.cannot_serve.is_empty())
            .map(|_| "requests lost for want of a link".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        <g class={class} data-id={c.id.clone()} tabindex="0" role="button"
           aria-label={spoken.join(", ")}
           aria-keyshortcuts="Enter"
           onkeydown={Callback::from(|e: KeyboardEvent| {
               // Enter on the focused component takes the keyboard to its inspector (its
               // name, then its links and parameters), rather than on through every other
               // component of the diagram.
               if e.key() == "Enter" {
                   e.prevent_default();
                   focus_inspector();
               }
           })}
           onfocus={{
               let (cb, id, selected) = (props.on_focus.clone(), c.id.clone(), props.selected);
               Callback::from(move |_: FocusEvent| if !selected { cb.emit(id.clone()) })
           }}
           transform={format!("translate({x:.1},{y:.1})")}
           onpointerdown={press(&props.on_down, Hit::Node(c.id.clone()))}>
            <title>{ format!("{} ({})", c.display_name(), c.kind.name()) }</title>
            <rect class="node-box" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
            <g transform="translate(10,17)">{ glyph(c.kind) }</g>
            <text class={classes!("node-label", long.then_some("long"))} x="42" y="24">{ label }</text>
            if let Some(l2) = line2 {
                <text class="node-stats" x="42" y="42">{ l2 }</text>
            }
            if let Some(d) = dropped {
                <text class="node-dropped" x={(NODE_W / 2.0).to_string()} y={dropped_y.to_string()}>
                    { d }
                </text>
            }
            if let Some(f) = props.failure {
                <g class="badge down" transform="translate(-6,-8)">
                    <title>{ match props.replay {
                        Some(t) => format!("Failed at {t} s of the simulated run (its failure timeline); the design itself is not marked failed"),
                        None => "Marked failed: a what-if (Restore in the inspector, or Ctrl+Z)".to_owned(),
                    } }</title>
                    <rect width="44" height="16" rx="8" />
                    <text x="22" y="12">{ if f.lost.is_some() { "−1 INST" } else { "DOWN" } }</text>
                </g>
            }
            if let Some(policy) = autoscale {
                <g class="badge scaling" transform={format!("translate(8,{})", NODE_H - 8.0)}>
                    <title>{ match (props.stats.as_ref().and_then(|st| st.instances_steady), props.replay) {
                        (Some(n), Some(t)) => format!("Autoscaled between {} and {} instances; {n} serving at {t} s of the simulated run", policy.min, policy.max),
                        (Some(n), None) => format!("Autoscaled between {} and {} instances; {n} at this traffic", policy.min, policy.max),
                        (None, _) => format!("Autoscaled between {} and {} instances", policy.min, policy.max),
                    } }</title>
                    <rect width="64" height="16" rx="8" />
                    <text x="32" y="12" data-testid="scaling-badge">{
                        match props.stats.as_ref().and_then(|st| st.instances_steady) {
                            Some(n) => format!("×{n} ({}–{})", policy.min, policy.max),
                            None => format!("{}–{}", policy.min, policy.max),
                        }
                    }</text>
                </g>
            }
            if let Some(why) = props.spof.clone() {
                <g class="badge spof" transform={format!("translate({},{})", NODE_W - 60.0, NODE_H - 8.0)}>
                    <title>{ why }</title>
                    <rect width="38" height="16" rx="8" />
                    <text x="19" y="12">{"SPOF"}</text>
                </g>
            }
            if let Some(wrong) = props.stats.as_ref().filter(|r| !r.cannot_serve.is_empty()) {
                <g class="badge misrouted" transform={format!("translate({},-8)", NODE_W / 2.0 - 30.0)}>
                    <title>{ format!(
                        "Receives {} requests, which a {} cannot serve: restrict the links into it",
                        wrong.cannot_serve.iter().map(|k| k.key()).collect::<Vec<_>>().join(" and "),
                        c.kind.name()
                    ) }</title>
                    <rect width="60" height="16" rx="8" />
                    <text x="30" y="12">{"MISROUTED"}</text>
                </g>
            }
            if let Some(stuck) = props.stats.as_ref().filter(|r| !r.no_way_on.is_empty()) {
                <g class="badge misrouted" data-testid="no-way-on" transform={format!("translate({},-8)", NODE_W / 2.0 - 30.0)}>
                    <title>{ format!(
                        "No link for {} {} requests{}: they are lost here (see the notes under Results).",
                        if matches!(c.kind, Kind::Cache | Kind::Cdn) { "the" } else { "its" },
                        stuck.no_way_on.iter().map(|k| k.key()).collect::<Vec<_>>().join(" and "),
                        if matches!(c.kind, Kind::Cache | Kind::Cdn) { " it does not answer from its hits" } else { "" },
                    ) }</title>
                    <rect width="60" height="16" rx="8" />
                    <text x="30" y="12">{"NO LINK"}</text>
                </g>
            }
            if props.bottleneck {
                <g class="badge bottleneck" transform={format!("translate({},-8)", NODE_W - 72.0)}>
                    <title>{"The bottleneck: the component that saturates first as traffic grows"}</title>
                    <rect width="80" height="16" rx="8" />
                    <text x="40" y="12">{"BOTTLENECK"}</text>
                </g>
            }
            // A finger's reach around the port (drawn only for coarse pointers): a touch a
            // few pixels off the small circle connects instead of moving the component.
            <circle class="port-reach" cx={NODE_W.to_string()} cy={(NODE_H / 2.0).to_string()} r="6"
                    onpointerdown={press(&props.on_down, Hit::Port(c.id.clone()))} />
            <circle class="port" cx={NODE_W.to_string()} cy={(NODE_H / 2.0).to_string()} r="6"
                    onpointerdown={press(&props.on_down, Hit::Port(c.id.clone()))}>
                <title>{"Drag to connect"}</title>
            </circle>
        </g>
    }
}

/// Characters of a label that fit between the icon and the output port at the label's
/// size; a longer label is set smaller ("Load balancer", "Object storage" whole), and one
/// longer still ends with an ellipsis (the full name is in the tooltip).
const LABEL_CHARS: usize = 12;
const LONG_LABEL_CHARS: usize = 15;

/// Shortens a label to `n` characters with an ellipsis.
fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(n - 1).collect();
        s.push('…');
        s
    }
}

/// Moves the keyboard to the inspector's first field (the selected component's name).
fn focus_inspector() {
    use wasm_bindgen::JsCast;
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("[data-testid=inspector] input")
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}
