//! The house rules, checked on the sources: no two modules depend on each other (directly or
//! round a longer circle), `mod.rs` files only declare and re-export, and no web view grows
//! past what a person reads in one sitting.

mod common;

use common::rust_files;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest web file, in lines.
const WEB_FILE_LINES: usize = 450;

/// A module's path below the crate root (`["solve", "report"]`).
type ModPath = Vec<String>;

/// Every source file of the crate with its module path and its text outside unit tests.
fn modules() -> BTreeMap<ModPath, (PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    rust_files(&src)
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).expect("below src").with_extension("");
            let mut path: ModPath = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if path.last().is_some_and(|l| l == "mod") {
                path.pop();
            }
            if path == ["lib"] || path == ["main"] {
                path.clear();
            }
            let text = std::fs::read_to_string(&f).expect("readable source");
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default()
                .to_owned();
            (path, (f, code))
        })
        .collect()
}

/// The names a module re-exports, and the child module each comes from.
fn reexports(code: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in statements(code, "pub use ") {
        let Some((child, names)) = stmt.split_once("::") else {
            continue;
        };
        for name in names.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !name.is_empty() {
                out.insert(name.to_owned(), child.to_owned());
            }
        }
    }
    out
}

/// The bodies of the statements that start with `keyword` at the start of a line (white
/// space removed), up to their `;`.
fn statements(code: &str, keyword: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(keyword) {
        let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
        let starts_line = rest[line_start..at].trim().is_empty()
            || rest[line_start..at].trim() == "pub"
            || rest[line_start..at].trim() == "pub(crate)";
        let body = &rest[at + keyword.len()..];
        if starts_line {
            let end = body.find(';').unwrap_or(body.len());
            out.push(body[..end].chars().filter(|c| !c.is_whitespace()).collect());
            rest = &body[end..];
        } else {
            rest = body;
        }
    }
    out
}

/// The module of this crate that `path` (as written in module `me`) names, following one
/// re-export of a parent's `mod.rs`.
fn resolve(
    mods: &BTreeMap<ModPath, (PathBuf, String)>,
    me: &ModPath,
    path: &[&str],
) -> Option<ModPath> {
    let (mut full, rest): (ModPath, &[&str]) = match path.first() {
        Some(&"crate") => (Vec::new(), &path[1..]),
        Some(&"super") | Some(&"self") => (me.clone(), path),
        _ => return None,
    };
    let mut rest = rest;
    while let Some(first) = rest.first() {
        match *first {
            "super" => {
                full.pop();
            }
            "self" => {}
            _ => break,
        }
        rest = &rest[1..];
    }
    full.extend(rest.iter().map(|s| (*s).to_owned()));
    for k in (0..=full.len()).rev() {
        let prefix = full[..k].to_vec();
        if let Some((_, code)) = mods.get(&prefix) {
            if let Some(next) = full.get(k) {
                if let Some(child) = reexports(code).get(next) {
                    let mut via = prefix.clone();
                    via.push(child.clone());
                    if mods.contains_key(&via) {
                        return Some(via);
                    }
                }
            }
            return Some(prefix);
        }
    }
    None
}

/// Which modules each module uses (its ancestors, whose `mod.rs` only re-export, aside).
fn dependencies(
    mods: &BTreeMap<ModPath, (PathBuf, String)>,
) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (me, (_, code)) in mods {
        let mut paths: Vec<String> = Vec::new();
        for stmt in statements(code, "use ") {
            match stmt.split_once("::{") {
                Some((head, group)) => {
                    let group = group.trim_end_matches('}');
                    let mut depth = 0;
                    let mut item = String::new();
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            ',' if depth == 0 => {
                                paths.push(format!("{head}::{item}"));
                                item.clear();
                                continue;
                            }
                            _ => {}
                        }
                        item.push(c);
                    }
                    if !item.is_empty() {
                        paths.push(format!("{head}::{item}"));
                    }
                }
                None => paths.push(stmt),
            }
        }
        // Paths written out in code: `crate::model::quote(…)`.
        for (at, _) in code.match_indices("crate::") {
            let tail: String = code[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push(tail);
        }
        for p in paths {
            let p = p.split("::{").next().unwrap_or_default();
            let parts: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(target) = resolve(mods, me, &parts) {
                let ancestor = target.len() < me.len() && me[..target.len()] == target[..];
                if target != *me && !ancestor {
                    edges.entry(me.clone()).or_default().insert(target);
                }
            }
        }
    }
    edges
}

/// Modules that reach each other (strongly connected groups of more than one), by
/// Kosaraju's two depth-first searches.
fn circles(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    let nodes: BTreeSet<ModPath> = edges
        .iter()
        .flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.iter().cloned()))
        .collect();
    let mut reverse: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (a, bs) in edges {
        for b in bs {
            reverse.entry(b.clone()).or_default().insert(a.clone());
        }
    }
    let empty = BTreeSet::new();
    // Finishing order.
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for start in &nodes {
        if seen.contains(start) {
            continue;
        }
        let mut stack = vec![(start.clone(), false)];
        while let Some((v, done)) = stack.pop() {
            if done {
                order.push(v);
                continue;
            }
            if !seen.insert(v.clone()) {
                continue;
            }
            stack.push((v.clone(), true));
            for w in edges.get(&v).unwrap_or(&empty) {
                if !seen.contains(w) {
                    stack.push((w.clone(), false));
                }
            }
        }
    }
    let mut assigned = BTreeSet::new();
    let mut groups = Vec::new();
    for root in order.into_iter().rev() {
        if assigned.contains(&root) {
            continue;
        }
        let mut group = Vec::new();
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if !assigned.insert(v.clone()) {
                continue;
            }
            for w in reverse.get(&v).unwrap_or(&empty) {
                if !assigned.contains(w) {
                    stack.push(w.clone());
                }
            }
            group.push(v);
        }
        if group.len() > 1 {
            groups.push(group);
        }
    }
    groups
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let mods = modules();
    let edges = dependencies(&mods);
    // The scan works: the solver's report is used by its failure analysis.
    let failure = vec!["solve".to_owned(), "failure".to_owned()];
    let report = vec!["solve".to_owned(), "report".to_owned()];
    assert!(edges.get(&failure).is_some_and(|e| e.contains(&report)));
    let found: Vec<String> = circles(&edges)
        .into_iter()
        .map(|g| {
            g.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(found.is_empty(), "module circles: {found:#?}");
}

#[test]
fn the_circle_finder_finds_circles() {
    let m = |s: &str| vec![s.to_owned()];
    let edges = BTreeMap::from([
        (m("a"), BTreeSet::from([m("b")])),
        (m("b"), BTreeSet::from([m("c")])),
        (m("c"), BTreeSet::from([m("a"), m("d")])),
    ]);
    let found = circles(&edges);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), 3);
}

#[test]
fn mod_files_only_declare_and_re_export() {
    for (path, code) in modules().values().filter(|(p, _)| p.ends_with("mod.rs")) {
        let mut in_attribute = false;
        for line in code.lines().map(str::trim) {
            let allowed = line.is_empty()
                || line.starts_with("//")
                || line.starts_with("#[")
                || line.starts_with("#![")
                || in_attribute
                || ["mod ", "pub mod ", "pub(crate) mod ", "pub use ", "pub(crate) use ", "use "]
                    .iter()
                    .any(|p| line.starts_with(p))
                // The rest of a multi-line `pub use … { … };`.
                || line.ends_with(',')
                || line.ends_with("};")
                || line.chars().all(|c| c.is_alphanumeric() || "_, :{}".contains(c));
            in_attribute = line.starts_with("#[") && !line.ends_with(']');
            assert!(allowed, "{} holds code: {line}", path.display());
        }
    }
}

#[test]
fn web_files_stay_short() {
    for (path, _) in modules().values() {
        if path.components().any(|c| c.as_os_str() == "web") {
            let lines = std::fs::read_to_string(path)
                .expect("readable source")
                .lines()
                .count();
            assert!(
                lines <= WEB_FILE_LINES,
                "{} has {lines} lines (at most {WEB_FILE_LINES})",
                path.display()
            );
        }
    }
}
