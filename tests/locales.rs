//! The popup and options pages read every UI string from
//! `extension/_locales/en/messages.json` by key (`i18n::t("popup_…")`): each
//! key they use is there under its page's prefix, and the file holds no
//! popup/options key the code does not use. (`tests/static/locales.test.mjs`
//! checks the whole extension: every key used is defined, every defined key is
//! used, each has a description.)
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

/// The literal keys of `t("key")` / `tf("key", …)` calls in a Rust source.
fn keys(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in src.match_indices('(') {
        let ident_start = src[..i].rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |j| j + 1);
        if !matches!(&src[ident_start..i], "t" | "tf") {
            continue; // e.g. `get(`, `format!(`
        }
        let rest = src[i + 1..].trim_start();
        let Some(rest) = rest.strip_prefix('"') else { continue };
        let Some(end) = rest.find('"') else { continue };
        out.push(rest[..end].to_string());
    }
    out
}

#[test]
fn the_scanner_finds_t_and_tf_calls_only() {
    let src = r#"t("popup_a"); i18n::tf("popup_b", &[&x]); get("popup_c"); format!("{}", t( "options_d" ))"#;
    assert_eq!(keys(src), ["popup_a", "popup_b", "options_d"]);
}

#[test]
fn popup_and_options_strings_are_in_the_locale_file() {
    let text = std::fs::read_to_string("extension/_locales/en/messages.json").unwrap();
    let messages: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut used = BTreeSet::new();
    for file in ["src/web/popup.rs", "src/web/options.rs"] {
        for key in keys(&std::fs::read_to_string(file).unwrap()) {
            assert!(key.starts_with("popup_") || key.starts_with("options_"), "{file}: key {key} lacks its prefix");
            assert!(messages.get(&key).and_then(|m| m["message"].as_str()).is_some_and(|m| !m.is_empty()), "{key} ({file}) is not in messages.json");
            used.insert(key);
        }
    }
    assert!(used.len() > 50, "found only {} keys: the scanner is broken", used.len());
    for key in messages.keys().filter(|k| k.starts_with("popup_") || k.starts_with("options_")) {
        assert!(used.contains(key), "{key} in messages.json is not used by the popup or options page");
    }
}
