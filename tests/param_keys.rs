//! Every parameter key the code reads or sets exists in the kind table. A key spelled wrong
//! would read as the default (or as 0) and silently change a result; this test reads the
//! sources and checks each literal key passed to a parameter accessor.

mod common;

use archsim::model::Kind;
use common::rust_files;
use std::collections::BTreeSet;
use std::path::Path;

/// Accessors whose first argument is a parameter key.
const ACCESSORS: [&str; 6] = [
    ".num(\"",
    ".opt_num(\"",
    ".choice(\"",
    ".with(\"",
    ".with_choice(\"",
    ".param(\"",
];

/// `(file, key)` for every literal key passed to an accessor.
fn keys_read() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        files.extend(rust_files(&root.join(dir)));
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for accessor in ACCESSORS {
            for (at, _) in text.match_indices(accessor) {
                let rest = &text[at + accessor.len()..];
                if let Some(end) = rest.find('"') {
                    out.push((file.display().to_string(), rest[..end].to_owned()));
                }
            }
        }
    }
    out
}

#[test]
fn every_parameter_key_in_the_code_is_in_the_kind_table() {
    let known: BTreeSet<&str> = Kind::ALL
        .iter()
        .flat_map(|k| k.params())
        .map(|p| p.key)
        .collect();
    let read = keys_read();
    // The scan works: the code reads dozens of keys.
    assert!(read.len() > 50, "found only {} keys", read.len());
    for (file, key) in &read {
        // This file names accessors, not keys.
        if file.ends_with("param_keys.rs") {
            continue;
        }
        assert!(
            known.contains(key.as_str()),
            "{file} reads the parameter \"{key}\", which no kind has"
        );
    }
}
