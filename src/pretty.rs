//! Compact JSON laid out as serde_json's pretty printer lays it out, by one pass over the
//! text. The page writes a design compactly for links and storage already; laying that
//! text out for a file, rather than serialising the design a second time with another
//! formatter, keeps one copy of the design's serialiser in the page (about 11 KB before
//! compression, `twiggy`).

/// `compact` (serde_json's compact output) with two-space indents, one member or element
/// per line and `": "` after keys: byte for byte what `serde_json::to_string_pretty`
/// gives for the same value.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        (0..depth).for_each(|_| out.push_str("  "));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pretty;

    #[test]
    fn lays_out_as_serde_json_does() {
        let value = serde_json::json!({
            "name": "a \"quoted\" {name}, [with] : commas\\",
            "empty": {}, "none": [], "list": [1, 2.5, [], {"k": null}],
            "nested": {"deeper": {"x": true, "y": "\u{1F600} é"}},
        });
        let compact = serde_json::to_string(&value).expect("serialises");
        let want = serde_json::to_string_pretty(&value).expect("serialises");
        assert_eq!(pretty(&compact), want);
    }

    #[test]
    fn every_shipped_design_is_laid_out_as_serde_json_does() {
        let stages = crate::presets::journey().into_iter().map(|s| (s.build)());
        let examples = crate::presets::EXAMPLES
            .into_iter()
            .map(|(_, _, text)| crate::codec::from_json(text).expect("reads"));
        for s in stages.chain(examples) {
            let compact = serde_json::to_string(&s).expect("serialises");
            let want = serde_json::to_string_pretty(&s).expect("serialises");
            assert_eq!(pretty(&compact), want, "{}", s.name);
        }
    }
}
