//! Reading and writing scenarios: JSON files, and share links that carry the JSON
//! percent-encoded in the URL fragment (`#scenario=…`), which never reaches a server.
//!
//! Decoding is the one door every outside scenario comes through (links, files, saved
//! state), so it bounds sizes, migrates old versions, and validates before anything is used.

use crate::model::{Component, Link, Location, Problems, Scenario, Traffic, FORMAT_8_MS, VERSION};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// The key in the URL fragment that holds a scenario.
pub const FRAGMENT_KEY: &str = "scenario=";
/// What starts the baseline of a compare link, after the design.
pub const BASELINE_KEY: &str = "baseline=";
/// Largest scenario text accepted, in bytes (before percent-decoding for links).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Longest link the editor offers to copy. Chromium keeps addresses up to 2 MB and Firefox
/// about 1 MB, but chat tools, mail clients and some browsers' address bars cut or refuse
/// far shorter ones; 32 KiB pastes safely into all the common ones, and a 100-component design
/// fits in it. Longer designs are shared as a `.json` file instead.
pub const SAFE_LINK_LEN: usize = 32 * 1024;

/// Characters escaped in a link: those a fragment may not hold, that browsers and chat tools
/// mangle, and `&`, which separates the fragment's parts. Letters, digits and most JSON
/// punctuation (`:`, `,`) stay readable.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Why a scenario could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// Nothing to read.
    #[error("the scenario is empty")]
    Empty,
    /// Over [`MAX_BYTES`].
    #[error("the scenario is {bytes} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Size received.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A link whose fragment does not hold a scenario.
    #[error("the link has no scenario in it (expected …#{FRAGMENT_KEY}…)")]
    NoScenario,
    /// Percent-decoding gave bytes that are not text.
    #[error("the link is damaged or cut short: its escaped characters do not decode to text")]
    NotText,
    /// Not JSON, or JSON of the wrong shape.
    #[error("the scenario is not readable JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Readable JSON of the wrong shape: not an object with a version, an unknown field or
    /// kind, a number where text belongs. The position is lost once the document has been
    /// parsed (older versions are migrated first), so the message names what is wrong.
    #[error("the text is JSON but not an ArchSim design: {0}")]
    Shape(String),
    /// A version this build does not know.
    #[error("the scenario is format version {found}; this build reads versions 1 to {VERSION}")]
    Version {
        /// The version found.
        found: String,
    },
    /// Readable, but not a valid design.
    #[error("the scenario has problems:\n{0}")]
    Invalid(Problems),
}

/// Writes a scenario as pretty JSON (for files): the compact form laid out
/// ([`crate::pretty`]), so the page holds one serialiser of the design.
pub fn to_json(s: &Scenario) -> String {
    // Serialising plain data with string keys cannot fail.
    crate::pretty::pretty(&serde_json::to_string(s).unwrap_or_default())
}

/// Writes the fragment part of a share link: `scenario=` and the escaped compact JSON.
pub fn to_fragment(s: &Scenario) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    format!("{FRAGMENT_KEY}{}", utf8_percent_encode(&json, FRAGMENT))
}

/// The fragment of a link that carries a design and a baseline to compare it with:
/// `scenario=…&baseline=…`.
pub fn to_compare_fragment(s: &Scenario, baseline: &Scenario) -> String {
    let json = serde_json::to_string(baseline).unwrap_or_default();
    format!(
        "{}&{BASELINE_KEY}{}",
        to_fragment(s),
        utf8_percent_encode(&json, FRAGMENT)
    )
}

/// The baseline a compare link carries (`None`: the link has none), read as its design is.
pub fn baseline_from_link(link: &str) -> Option<Result<Scenario, DecodeError>> {
    let fragment = link.trim().split_once('#').map_or(link.trim(), |(_, f)| f);
    let encoded = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(BASELINE_KEY))?;
    Some(decode(encoded))
}

/// Reads a scenario from JSON text: size limit, version migration, then validation.
pub fn from_json(text: &str) -> Result<Scenario, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.len() > MAX_BYTES {
        return Err(DecodeError::TooLarge {
            bytes: text.len(),
            limit: MAX_BYTES,
        });
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
    let value = migrate(value)?;
    let scenario: Scenario = serde_json::from_value(value).map_err(|e| {
        // Read again to say where (only when it went wrong: the design was consumed).
        let at = serde_json::from_str(text)
            .ok()
            .and_then(|v| migrate(v).ok())
            .and_then(|v| whereabouts(&v));
        DecodeError::Shape(at.map_or_else(|| e.to_string(), |at| format!("{at}: {e}")))
    })?;
    scenario.validate().map_err(DecodeError::Invalid)?;
    Ok(scenario)
}

/// Where in a design of the wrong shape the first wrong part is: a component or a link
/// that does not read on its own, by its place in the list and its id or ends. A message
/// about a kind or a number in a file of 300 components is of no use without it, and the
/// parsed document no longer knows its lines.
fn whereabouts(value: &serde_json::Value) -> Option<String> {
    let list = |key: &str| value.get(key).and_then(serde_json::Value::as_array);
    let text = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    if let Some((i, c)) = first_wrong(list("components"), |v| {
        serde_json::from_value::<Component>(v.clone()).is_ok()
    }) {
        let id = text(c, "id").map_or_else(String::new, |id| format!(" (\"{id}\")"));
        return Some(format!("component {}{id}", i + 1));
    }
    if let Some(t) = value.get("traffic") {
        if serde_json::from_value::<Traffic>(t.clone()).is_err() {
            return Some("traffic".to_owned());
        }
    }
    let (i, l) = first_wrong(list("links"), |v| {
        serde_json::from_value::<Link>(v.clone()).is_ok()
    })?;
    let ends = text(l, "from")
        .zip(text(l, "to"))
        .map_or_else(String::new, |(a, b)| format!(" ({a} → {b})"));
    Some(format!("link {}{ends}", i + 1))
}

/// The first of `items` that does not read, with its place.
fn first_wrong(
    items: Option<&Vec<serde_json::Value>>,
    reads: impl Fn(&serde_json::Value) -> bool,
) -> Option<(usize, &serde_json::Value)> {
    items?.iter().enumerate().find(|(_, v)| !reads(v))
}

/// Reads a scenario from a share link, a bare fragment (`#scenario=…` or `scenario=…`),
/// or JSON text.
pub fn from_link(link: &str) -> Result<Scenario, DecodeError> {
    let link = link.trim();
    if link.is_empty() {
        return Err(DecodeError::Empty);
    }
    if link.starts_with('{') || link.starts_with('[') {
        return from_json(link);
    }
    if link.len() > 3 * MAX_BYTES {
        return Err(DecodeError::TooLarge {
            bytes: link.len(),
            limit: 3 * MAX_BYTES,
        });
    }
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    let encoded = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY))
        .ok_or(DecodeError::NoScenario)?;
    decode(encoded)
}

/// A percent-encoded design of a link.
fn decode(encoded: &str) -> Result<Scenario, DecodeError> {
    if encoded.len() > 3 * MAX_BYTES {
        return Err(DecodeError::TooLarge {
            bytes: encoded.len(),
            limit: 3 * MAX_BYTES,
        });
    }
    let text = percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| DecodeError::NotText)?;
    from_json(&text)
}

fn json_error(e: serde_json::Error) -> DecodeError {
    let message = e.to_string();
    // serde_json appends " at line L column C"; keep the sentence, report the place apart.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    DecodeError::Json {
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Brings an older document up to [`VERSION`]. Each past version gets one step here, so
/// every link ever shared keeps opening.
fn migrate(value: serde_json::Value) -> Result<serde_json::Value, DecodeError> {
    let version = match value.get("version") {
        Some(v) => v.clone(),
        None => return Err(DecodeError::Shape("missing field `version`".into())),
    };
    let mut value = value;
    match version.as_u64() {
        Some(v) if v == u64::from(VERSION) => Ok(value),
        // Version 2 added the optional `simulation` settings, version 3 the control-loop
        // parameters (autoscaling, rate limits, load shedding), version 4 call timeouts,
        // circuit breakers, blocking servers and hanging outages, version 5 the workload's
        // key space and sized caches, version 6 the simulator's resharding events, version 7
        // closed populations (`users_concurrent`, `think_time_s`), version 8 geography
        // (`location` parameters, latency routing, the scenario's `geography`); an older
        // document is a newer one without them. Version 9 measures the distances anew and
        // adds six places; a version-8 design keeps the distances it was made with. The
        // bump makes an older build say "format version 9" instead of naming an unknown
        // place.
        Some(1..=8) => {
            pin_format_8_distances(&mut value);
            value["version"] = serde_json::Value::from(VERSION);
            Ok(value)
        }
        _ => Err(DecodeError::Version {
            found: crate::model::quote(&version.to_string()),
        }),
    }
}

/// Version 8 took its distances from an older table ([`FORMAT_8_MS`]). A version-8 design
/// that puts things in two or more places keeps its numbers: the old round trips between the
/// places it uses become corrections in its `geography`, placed before its own so that its
/// own still win. Anything malformed is left for decoding to report.
fn pin_format_8_distances(value: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let used = crate::sort::set(
        value
            .get("components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.pointer("/params/location")?.as_str())
            .filter_map(Location::from_key),
    );
    let pins: Vec<Value> = FORMAT_8_MS
        .iter()
        .filter(|(a, b, _)| used.contains(a) && used.contains(b))
        .map(|(a, b, ms)| json!({ "between": [a.key(), b.key()], "ms": ms }))
        .collect();
    let Some(doc) = value.as_object_mut() else {
        return;
    };
    if pins.is_empty() {
        return;
    }
    let geography = doc
        .entry("geography")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(geography) = geography.as_object_mut() else {
        return;
    };
    let rtt = geography
        .entry("rtt_ms")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(own) = rtt.as_array_mut() {
        own.splice(0..0, pins);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Kind, Link, Traffic};

    fn sample() -> Scenario {
        let mut s = Scenario::new("Hello \"world\" #1 {x}", Traffic::rps(100.0, 0.7, 0.2, 0.1));
        s.components.push(Component::new(
            "users",
            Kind::Client,
            "Users 🌍",
            10.0,
            20.0,
        ));
        s.components.push(
            Component::new("app", Kind::AppServer, "<b>App</b>", 200.5, -3.25)
                .with("instances", 3.0),
        );
        s.links.push(Link::new("users", "app"));
        s
    }

    #[test]
    fn link_round_trip() {
        let s = sample();
        let link = format!("https://archsim.example/#{}", to_fragment(&s));
        assert_eq!(from_link(&link), Ok(s.clone()));
        assert_eq!(from_json(&to_json(&s)), Ok(s));
    }

    #[test]
    fn older_versions_open_as_the_current_one() {
        for old in [1, 2] {
            let text = to_json(&sample()).replace("\"version\": 3", &format!("\"version\": {old}"));
            assert_eq!(from_json(&text), Ok(sample()), "version {old}");
        }
    }

    #[test]
    fn fragment_stays_readable() {
        let f = to_fragment(&sample());
        assert!(f.contains("version"), "{f}");
        assert!(!f.contains('"') && !f.contains(' ') && !f.contains('{'));
    }

    #[test]
    fn a_compare_link_carries_both_designs() {
        let (now, mut base) = (sample(), sample());
        base.name = "baseline & co".into();
        let link = format!("https://x.test/#{}", to_compare_fragment(&now, &base));
        assert_eq!(from_link(&link), Ok(now.clone()));
        assert_eq!(baseline_from_link(&link), Some(Ok(base)));
        // A plain link has none; a damaged one says what is wrong.
        assert_eq!(baseline_from_link(&format!("#{}", to_fragment(&now))), None);
        let damaged = format!("#{}&{BASELINE_KEY}%7B%22version", to_fragment(&now));
        assert!(matches!(
            baseline_from_link(&damaged),
            Some(Err(DecodeError::Json { .. }))
        ));
        assert_eq!(from_link(&damaged), Ok(now));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(from_link(""), Err(DecodeError::Empty));
        assert_eq!(
            from_link("https://x/#other=1"),
            Err(DecodeError::NoScenario)
        );
        assert_eq!(from_link("#scenario=%FF%FE"), Err(DecodeError::NotText));
        let full = to_fragment(&sample());
        let truncated = &full[..60];
        let e = from_link(truncated);
        assert!(matches!(e, Err(DecodeError::Json { .. })), "{e:?}");
        let v2 = to_json(&sample()).replace("\"version\": 9", "\"version\": 99");
        assert_eq!(
            from_json(&v2).unwrap_err().to_string(),
            "the scenario is format version 99; this build reads versions 1 to 9"
        );
        let typo = to_json(&sample()).replace("\"label\"", "\"lable\"");
        let msg = from_json(&typo).unwrap_err().to_string();
        assert!(msg.contains("unknown field `lable`"), "{msg}");
        // A wrong kind or a number as text says which component or link it is in.
        let kind =
            to_json(&sample()).replacen("\"kind\": \"app_server\"", "\"kind\": \"quantum_db\"", 1);
        let msg = from_json(&kind).unwrap_err().to_string();
        assert!(msg.contains("unknown variant `quantum_db`"), "{msg}");
        assert!(msg.contains(": component 2 (\"app\"): "), "{msg}");
        let link = to_json(&sample()).replacen("\"to\": \"app\"", "\"to\": 5", 1);
        let msg = from_json(&link).unwrap_err().to_string();
        assert!(msg.contains(": link 1: invalid type: integer `5`"), "{msg}");
        // Well-formed JSON that is not a design says so, without a made-up position.
        for text in ["[]", "{}", "\"text\""] {
            let msg = from_json(text).unwrap_err().to_string();
            assert_eq!(
                msg,
                "the text is JSON but not an ArchSim design: missing field `version`"
            );
        }
        assert!(!msg.contains("line 0"));
    }
}
