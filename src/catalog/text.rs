//! The catalog's prose (what a requirement asks for, and why) lives in
//! `extension/_locales/<lang>/messages.json`, not in the wasm: the catalog
//! names each text by its key ([`Msg`]), checklist views carry the key, and
//! the overlay and the popup look it up with the browser's `i18n.getMessage`
//! (so a translated `_locales` translates the checklists too).
//!
//! Where the engine itself needs the words (the progress shown in the popup,
//! the setup report's Markdown) it calls [`text`]: in the extension the web
//! layer installs the browser's lookup with [`set_resolver`]; natively (tests,
//! benches, tools) the English messages.json is compiled in.

use serde::Serialize;
use std::sync::OnceLock;

/// A key into `_locales/<lang>/messages.json` (lower case, digits and `_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Msg(pub &'static str);

impl Msg {
    pub fn key(self) -> &'static str {
        self.0
    }

    /// The text in the UI language (see [`text`]).
    pub fn text(self) -> String {
        text(self.0)
    }
}

static RESOLVER: OnceLock<fn(&str) -> String> = OnceLock::new();

/// Installs the lookup [`text`] uses (the first call wins). The web layer
/// passes the browser's `i18n.getMessage`.
pub fn set_resolver(f: fn(&str) -> String) {
    let _ = RESOLVER.set(f);
}

/// The message `key`: through the installed resolver, else the English
/// messages.json (natively) or the key itself (visible, never blank).
pub fn text(key: &str) -> String {
    match RESOLVER.get() {
        Some(f) => f(key),
        None => fallback(key),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn fallback(key: &str) -> String {
    english(key).map_or_else(|| key.to_string(), str::to_string)
}

#[cfg(target_arch = "wasm32")]
fn fallback(key: &str) -> String {
    key.to_string()
}

/// The English messages.json: key → message (native builds only: the wasm
/// never carries this table).
#[cfg(not(target_arch = "wasm32"))]
fn english_table() -> &'static std::collections::HashMap<String, String> {
    static EN: OnceLock<std::collections::HashMap<String, String>> = OnceLock::new();
    EN.get_or_init(|| {
        let all: std::collections::HashMap<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../extension/_locales/en/messages.json"))
                .expect("extension/_locales/en/messages.json is valid JSON");
        all.into_iter()
            .filter_map(|(k, v)| Some((k, v.get("message")?.as_str()?.to_string())))
            .collect()
    })
}

/// The English message `key` from `extension/_locales/en/messages.json`.
#[cfg(not(target_arch = "wasm32"))]
pub fn english(key: &str) -> Option<&'static str> {
    english_table().get(key).map(String::as_str)
}

/// Every key of the English messages.json (for the test that checks the
/// catalog's keys against it).
#[cfg(not(target_arch = "wasm32"))]
pub fn english_keys() -> Vec<&'static str> {
    english_table().keys().map(String::as_str).collect()
}
