//! Every UI string of the popup and options pages is in
//! `extension/_locales/en/messages.json`, with the same English text as the
//! Rust fallback, and the file holds no popup/options key the code does not use.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

/// `t("key", "fallback")` calls in a Rust source, with Rust's `\` line
/// continuations and `\"` escapes resolved.
fn calls(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("t(") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 2..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `get(`, not `t(`
        }
        let Some(r) = rest.trim_start().strip_prefix('"') else { continue };
        rest = r;
        let Some(end) = rest.find('"') else { break };
        let key = rest[..end].to_string();
        let after = rest[end + 1..].trim_start();
        let Some(after) = after.strip_prefix(',') else { continue };
        let after = after.trim_start();
        let Some(body) = after.strip_prefix('"') else { continue };
        let (mut text, mut chars) = (String::new(), body.chars());
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('\n') => {
                        let rest: String = chars.clone().collect();
                        let trimmed = rest.trim_start();
                        chars = body[body.len() - trimmed.len()..].chars();
                    }
                    Some(c) => text.push(c),
                    None => break,
                },
                c => text.push(c),
            }
        }
        out.push((key, text));
    }
    out
}

#[test]
fn ui_strings_are_in_the_locale_file() {
    let messages: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string("extension/_locales/en/messages.json").unwrap()).unwrap();
    let mut used = BTreeMap::new();
    for file in ["src/web/popup.rs", "src/web/options.rs"] {
        for (key, text) in calls(&std::fs::read_to_string(file).unwrap()) {
            assert!(key.starts_with("popup_") || key.starts_with("options_"), "{file}: key {key} lacks its prefix");
            let entry = messages.get(&key).unwrap_or_else(|| panic!("{key} ({file}) is not in messages.json"));
            assert_eq!(entry["message"].as_str(), Some(text.as_str()), "{key}: messages.json differs from the code");
            used.insert(key, ());
        }
    }
    assert!(used.len() > 50, "found only {} strings", used.len());
    for key in messages.keys().filter(|k| k.starts_with("popup_") || k.starts_with("options_")) {
        assert!(used.contains_key(key), "{key} in messages.json is not used");
    }
}
