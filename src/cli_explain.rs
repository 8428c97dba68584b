//! `archsim explain SCENARIO [--component ID]`: where each number comes from, and which
//! single change helps most, as text (the JSON form is the [`Explained`] and
//! [`Sensitivity`] values themselves).

use archsim::solve::{Explanation, Goal, Sensitivity, Subject};

/// Levers listed per goal.
const LEVERS: usize = 5;

/// One explanation as text.
pub fn explanation(e: &Explanation) -> String {
    let what = match &e.subject {
        Subject::Figure { figure } => figure.to_string(),
        Subject::Component { id, quantity } => format!("{id}: {quantity}"),
    };
    let mut s = format!("{what} = {}\n", e.unit.show(e.result));
    s += &format!(
        "  {}: {}  [{}]\n",
        e.formula,
        e.formula.expression(),
        e.formula.source()
    );
    for i in &e.inputs {
        let v = i.shown();
        s += &format!("    {:<12} {:>18}  {}\n", i.symbol, v, i.meaning);
    }
    for step in &e.steps {
        s += &format!("  · {step}\n");
    }
    s += &format!(
        "  {}: {}\n\n",
        if e.exact { "exact" } else { "approximate" },
        e.why
    );
    s
}

/// The ranking for every goal as text.
pub fn levers(sens: &Sensitivity) -> String {
    let mut s = String::new();
    for goal in Goal::ALL {
        s += &format!("what helps {goal} most\n");
        let ranked = sens.ranked(goal);
        if ranked.is_empty() {
            s += "  no single change improves it\n";
        }
        for (lever, gain) in ranked.into_iter().take(LEVERS) {
            let gain = match goal {
                _ if gain.is_infinite() => "makes it bounded".to_owned(),
                Goal::P99 => format!("−{gain:.2} ms"),
                Goal::Availability => format!("+{gain:.2e}"),
                Goal::Cost => format!("−${gain:.2}"),
            };
            s += &format!(
                "  {:<20} {:<22} {:>18}  (cost ${:.0}/month after)\n",
                lever.id,
                lever.change.to_string(),
                gain,
                lever.after.monthly_cost_usd
            );
        }
        s += "\n";
    }
    s
}
