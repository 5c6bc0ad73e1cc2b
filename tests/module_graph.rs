//! The module graph of `src/` has no cycles.
//!
//! Nodes are the crate's top-level modules (`src/<m>.rs` or `src/<m>/`) and
//! the submodules of `protocol` (`src/protocol/<s>.rs`, named `protocol::<s>`;
//! `src/protocol/mod.rs` is `protocol`). An edge `a -> b` is a path
//! `crate::b...` written in a's files (comments left out, tests included:
//! test code may not depend on a module that depends back either), or, in a
//! protocol submodule, `super::<s>`. A cycle fails the test, printed as
//! `a -> b -> ... -> a`.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules split into nodes of their own, one per submodule.
const SPLIT: &[&str] = &["protocol"];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("read src/").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The node a file belongs to (`None`: lib.rs, the module list).
fn node_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    match parts.as_slice() {
        [one] if one == "lib" => None,
        [one] => Some(one.clone()),
        [top, sub, ..] if SPLIT.contains(&top.as_str()) && sub != "mod" => Some(format!("{top}::{sub}")),
        [top, ..] => Some(top.clone()),
        [] => None,
    }
}

/// The text of a file without `//` comments (doc links name modules without
/// depending on them) and without string literals' contents.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_str && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && prev != '\'' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        out.push('\n');
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The nodes a node's code names.
fn uses(node: &str, code: &str, nodes: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let resolve = |top: &str, rest: &str| -> Option<String> {
        if SPLIT.contains(&top) {
            if let Some(after) = rest.strip_prefix("::") {
                let sub = format!("{top}::{}", ident_at(after));
                if nodes.contains(&sub) {
                    return Some(sub);
                }
            }
        }
        nodes.contains(top).then(|| top.to_string())
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let top = ident_at(rest);
        if let Some(n) = resolve(top, &rest[top.len()..]) {
            out.insert(n);
        }
    }
    // `super::x` inside a split module's submodule names a sibling.
    if let Some((top, _)) = node.split_once("::") {
        for (i, _) in code.match_indices("super::") {
            let rest = &code[i + "super::".len()..];
            let name = ident_at(rest);
            let sub = format!("{top}::{name}");
            out.insert(if nodes.contains(&sub) { sub } else { top.to_string() });
        }
    }
    out.remove(node);
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for f in &files {
        if let Some(n) = node_of(&src, f) {
            let text = fs::read_to_string(f).expect("read a source file");
            texts.entry(n).or_default().push_str(&code_of(&text));
        }
    }
    let nodes: BTreeSet<String> = texts.keys().cloned().collect();
    texts.iter().map(|(n, code)| (n.clone(), uses(n, code, &nodes))).collect()
}

/// One cycle of the graph, if there is any (depth-first search).
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(n.to_string(), Mark::Open);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match marks.get(m.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let start = stack.iter().position(|s| s == m).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(m, g, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in g.keys() {
        if marks.get(n.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(n, g, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// Every cycle, one per strongly connected group, for the failure message.
fn all_cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut g = g.clone();
    let mut out = Vec::new();
    while let Some(c) = find_cycle(&g) {
        // Cut the cycle's last edge and look again.
        let (a, b) = (&c[c.len() - 2], &c[c.len() - 1]);
        g.get_mut(a).expect("node").remove(b);
        out.push(c);
    }
    out
}

#[test]
fn src_has_no_module_cycles() {
    let g = graph();
    // The graph was read at all: the core's known edges are there.
    assert!(g.len() > 10, "too few modules found: {:?}", g.keys());
    assert!(g["session"].contains("catalog"), "session -> catalog not found: the scan reads nothing");
    assert!(g["web"].contains("session"), "web -> session not found: the scan reads nothing");
    let cycles = all_cycles(&g);
    assert!(
        cycles.is_empty(),
        "module cycles in src/:\n{}",
        cycles.iter().map(|c| format!("  {}", c.join(" -> "))).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_finds_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    let c = find_cycle(&g).expect("a cycle");
    assert_eq!(c, ["a", "b", "c", "a"]);
    g.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn comments_and_strings_are_not_uses() {
    let nodes = BTreeSet::from(["fill".to_string(), "vault".to_string(), "protocol".to_string(), "protocol::facts".to_string()]);
    let code = code_of("/// see [`crate::fill`]\nlet s = \"crate::vault\"; // crate::vault\nuse crate::protocol::facts::X;\n");
    assert_eq!(uses("report", &code, &nodes), BTreeSet::from(["protocol::facts".to_string()]));
}
