//! Response time per place users are at, against each population's p99 objective.

use super::format::{availability, millis, percent};
use crate::model::users_at;
use crate::solve::PlaceLatency;
use std::collections::BTreeMap;
use yew::prelude::*;

/// Below this share served, the table shows each population's share served.
const LOSSY: f64 = 0.999;

/// Populations properties.
#[derive(Properties, PartialEq)]
pub struct PopulationsProps {
    /// The report's `latency_by_location`.
    pub places: BTreeMap<String, PlaceLatency>,
}

/// The table of user populations; nothing when no users are on the map.
#[component]
pub fn Populations(props: &PopulationsProps) -> Html {
    if props.places.is_empty() {
        return Html::default();
    }
    let mut rows: Vec<(&String, &PlaceLatency)> = props.places.iter().collect();
    // Most users first: the population a design is for leads.
    crate::sort::by(&mut rows, |a, b| b.1.share.total_cmp(&a.1.share));
    // The share served shows when some population loses a visible part of its requests
    // (an outage): the times are then those of the requests served.
    let lossy = rows.iter().any(|(_, p)| p.success < LOSSY);
    html! {
        <table class="components populations" data-testid="populations">
            <caption>{"Users by location"}</caption>
            <thead><tr>
                <th>{"Users"}</th>
                <th>{"Share"}</th>
                if lossy {
                    <th title="Share of their requests served: the times are those of the requests served">{"Served"}</th>
                }
                <th>{"Mean"}</th>
                <th>{"p99"}</th>
                <th>{"p99 goal"}</th>
            </tr></thead>
            <tbody>
                { for rows.into_iter().map(|(key, p)| {
                    let name = users_at(key);
                    let verdict = match (p.slo_p99, p.meets_slo) {
                        (Some(slo), Some(true)) => format!("met {}", millis(Some(slo))),
                        (Some(slo), _) => format!("missed {}", millis(Some(slo))),
                        _ => "—".to_owned(),
                    };
                    // Missed for its p99, or for the requests it loses: their times are not
                    // in the p99, which is of requests served.
                    let slow = p.p99.is_none_or(|x| p.slo_p99.is_some_and(|slo| x > slo));
                    let why = (p.meets_slo == Some(false)).then(|| if slow {
                        "Their p99 is over the goal.".to_owned()
                    } else {
                        format!("Missed: {} of their requests are not served (the times are of those served).", percent(1.0 - p.success))
                    });
                    let missed = p.meets_slo == Some(false);
                    html! {
                        <tr data-location={key.clone()} class={missed.then_some("bad")}>
                            <td>{ name }</td>
                            <td>{ percent(p.share) }</td>
                            if lossy {
                                <td data-col="served">{ availability(p.success) }</td>
                            }
                            <td data-col="mean">{ millis(p.mean) }</td>
                            <td data-col="p99">{ millis(p.p99) }</td>
                            <td data-col="objective" data-meets={p.meets_slo.map(|m| m.to_string())} title={why}>{ verdict }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
