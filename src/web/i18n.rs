//! UI strings from `_locales/<lang>/messages.json`, read with the browser's
//! `i18n.getMessage` (the background and the overlay are extension contexts,
//! where it is always there).
//!
//! Call sites pass literal keys (`t("overlay_forget_all")`), so
//! `tests/static/locales.test.mjs` can check that every key exists and has a
//! description. The catalog's requirement texts are keys too, named by the
//! catalog (`catalog::Msg`) and carried by the checklist views: [`catalog`]
//! looks those up (`tests/catalog_text.rs` checks them against messages.json).

use wasm_bindgen::JsValue;

use super::{api, call};

/// The message `key` in the browser's UI language.
///
/// A key that is missing from messages.json, or a context without the i18n
/// API, shows as the key itself: visible, never blank.
pub fn t(key: &str) -> String {
    tf(key, &[])
}

/// As [`t`], with substitutions: messages.json names them as placeholders
/// whose content is `$1`, `$2`, … in the order of `subs` (at most 9).
pub fn tf(key: &str, subs: &[&str]) -> String {
    let args = js_sys::Array::new();
    for s in subs.iter().take(9) {
        args.push(&JsValue::from_str(s));
    }
    call(&api(), &["i18n", "getMessage"], &[JsValue::from_str(key), args.into()])
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| key.to_string())
}

/// A catalog text (`catalog::Msg`'s key, as a checklist view carries it).
pub fn catalog(key: &str) -> String {
    tf(key, &[])
}
