//! `archsim compare BASELINE CURRENT`: two designs' steady-state figures side by side, as
//! text (the JSON form is [`Versus`] itself), and with `--simulate` their simulated
//! differences.

use archsim::sim::{Estimate, PairedRuns};
use archsim::solve::{Figures, Verdict, Versus};

/// A number with `digits` decimals, or "unbounded".
fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or("unbounded".to_owned(), |v| format!("{v:.digits$}"))
}

/// The comparison as the text report prints it.
pub fn text(v: &Versus, names: (&str, &str)) -> String {
    let mut s = format!("baseline     {}\ncurrent      {}\n", names.0, names.1);
    if v.changes.is_empty() {
        s += "changes      none: the same design\n";
    } else {
        s += "changes\n";
        for c in &v.changes {
            s += &format!("  - {c}\n");
        }
    }
    s += "\n                                baseline         current          change\n";
    for d in &v.headline {
        let digits = match d.figure {
            archsim::solve::Figure::Availability => 6,
            _ => 2,
        };
        // A change too small to show at the printed precision ("+0.00 worse") reads as
        // none, as it does on the page: a gate that looks for "worse" must not fire on it.
        let printed = |v: Option<f64>| v.map(|v| format!("{v:.digits$}"));
        let same = d.verdict == Verdict::Same
            || (d.absent == [false, false] && printed(d.baseline) == printed(d.current));
        let verdict = match d.verdict {
            _ if same => "",
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Same => "",
            Verdict::FewerServed => "fewer served",
        };
        let change = match (d.difference, same, d.absent) {
            (_, true, _) => "—".to_owned(),
            (Some(x), _, _) => format!("{x:+.digits$}"),
            (None, _, [false, true]) => "none now".to_owned(),
            (None, _, [true, false]) => "none before".to_owned(),
            (None, _, _) => "to or from unbounded".to_owned(),
        };
        // An absent figure (no time when nothing is served, no headroom) is "—".
        let value = |v: Option<f64>, absent: bool| {
            if absent {
                "—".to_owned()
            } else {
                num(v, digits)
            }
        };
        let line = format!(
            "{:<26} {:>15} {:>15} {:>15}  {verdict}",
            d.figure.to_string(),
            value(d.baseline, d.absent[0]),
            value(d.current, d.absent[1]),
            change
        );
        s += line.trim_end();
        s += "\n";
    }
    // Background messages lost are not requests: a row of their own when either loses some.
    if let Some([a, b]) = v.messages {
        let verdict = match b.total_cmp(&a) {
            std::cmp::Ordering::Less => "better",
            std::cmp::Ordering::Greater => "worse",
            std::cmp::Ordering::Equal => "",
        };
        let line = format!(
            "{:<26} {a:>15.2} {b:>15.2} {:>15}  {verdict}",
            "messages lost (msg/s)",
            format!("{:+.2}", b - a)
        );
        s += line.trim_end();
        s += "\n";
    }
    for (what, ids) in [("new SPOF", &v.spofs.new), ("SPOF no more", &v.spofs.gone)] {
        if !ids.is_empty() {
            s += &format!("{what:<12} {}\n", ids.join(", "));
        }
    }
    let name = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".to_owned());
    s += &format!(
        "bottleneck   {} → {}\n",
        name(&v.bottleneck.0),
        name(&v.bottleneck.1)
    );
    if !v.components.is_empty() {
        s += "\ncomponents that moved        util            time here       $/month\n";
        let show = |f: &Option<Figures>| match f {
            Some(f) => (
                f.utilization
                    .map_or("—".to_owned(), |u| format!("{:.1}%", u * 100.0)),
                format!("{} ms", num(f.mean_response_ms, 1)),
                format!("{:.0}", f.monthly_cost_usd),
            ),
            None => ("—".to_owned(), "—".to_owned(), "—".to_owned()),
        };
        for c in &v.components {
            let (a, b) = (show(&c.baseline), show(&c.current));
            s += &format!(
                "{:<20} {:>8} → {:<8} {:>8} → {:<10} {:>6} → {}\n",
                c.id, a.0, b.0, a.1, b.1, a.2, b.2
            );
        }
    }
    s
}

/// The simulated differences: both designs run on common random numbers, each difference
/// with its paired 95 % half-width and the one two independent runs would have given.
pub fn simulated(p: &PairedRuns) -> String {
    let r = &p.current;
    let mut s = format!(
        "\nsimulated on common random numbers, {} s each: {}\n",
        r.seconds,
        r.measured()
    );
    s += "                          baseline    current     change    ± 95 %  independent ±\n";
    let value = |e: Option<Estimate>| num(e.map(|e| e.value), 2);
    let rows = [
        (
            "mean latency (ms)",
            value(p.baseline.latency_ms.mean),
            value(r.latency_ms.mean),
            p.mean_ms,
        ),
        (
            "p99 latency (ms)",
            value(p.baseline.latency_ms.p99),
            value(r.latency_ms.p99),
            p.p99_ms,
        ),
        (
            "throughput (req/s)",
            num(Some(p.baseline.throughput_rps.value), 2),
            num(Some(r.throughput_rps.value), 2),
            Some(p.throughput_rps),
        ),
    ];
    for (name, before, now, d) in rows {
        let (change, half, independent, verdict) = match d {
            Some(d) => (
                format!("{:+.2}", d.value),
                num(d.half_width, 2),
                num(d.independent_half_width, 2),
                if d.significant() {
                    "beyond the noise"
                } else {
                    "within the noise"
                },
            ),
            None => ("—".into(), "—".into(), "—".into(), "no answers to compare"),
        };
        s += &format!(
            "{name:<20} {before:>13} {now:>10} {change:>10} {half:>9} {independent:>14}  {verdict}\n"
        );
    }
    s
}
