//! Numbers and user text as messages show them.

/// Shortens user text for quoting in a message, so a 10 MB id cannot make a 10 MB message.
pub fn quote(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head}…")
    }
}

/// A number as a person would write it: `1e308` rather than 309 digits.
pub fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e12 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
