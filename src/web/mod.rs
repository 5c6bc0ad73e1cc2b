//! The wasm side: bindings from the core to the extension contexts.
//! - `background`: the service worker (Chrome) / event page (Firefox).
//! - `overlay`: the checklist panel, an extension page shown in an iframe.
//!
//! WebAssembly never runs in the page's content script (Chrome refuses it on
//! pages whose CSP lacks 'wasm-unsafe-eval'); the page agent is plain JS.
//!
//! The `ctx-*` features pick which exports the cdylib carries (one module per
//! context); code only another context uses is then unused here.
#![cfg_attr(
    not(all(feature = "ctx-background", feature = "ctx-overlay", feature = "ctx-pages")),
    allow(dead_code, unused_imports)
)]

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

pub mod i18n; // UI strings (messages.json via i18n.getMessage)

pub mod background;
pub mod carry;
pub mod decode; // the overlay's inbound view, without serde's generic machinery
pub mod fault;
pub mod inbound; // what the background receives, without serde's generic machinery
pub mod options;
pub mod overlay;
pub mod popup;
pub mod ui;

/// `browser` (Firefox) or `chrome` (Chrome) — both expose promise-based
/// MV3 APIs.
pub(crate) fn api() -> JsValue {
    let g = js_sys::global();
    let browser = Reflect::get(&g, &"browser".into()).unwrap_or(JsValue::UNDEFINED);
    if browser.is_object() {
        browser
    } else {
        Reflect::get(&g, &"chrome".into()).unwrap_or(JsValue::UNDEFINED)
    }
}

/// Reads `obj.a.b.c`; `undefined` when any step is missing.
pub(crate) fn get_path(obj: &JsValue, path: &[&str]) -> JsValue {
    let mut cur = obj.clone();
    for key in path {
        if !cur.is_object() && !cur.is_function() {
            return JsValue::UNDEFINED;
        }
        cur = Reflect::get(&cur, &(*key).into()).unwrap_or(JsValue::UNDEFINED);
    }
    cur
}

/// Calls `obj.a.b.method(args...)` with the right `this`.
pub(crate) fn call(obj: &JsValue, path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
    let (method, parent_path) = path.split_last().ok_or_else(|| JsValue::from_str("empty path"))?;
    let parent = get_path(obj, parent_path);
    let f: Function = Reflect::get(&parent, &(*method).into())?.dyn_into()?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    Reflect::apply(&f, &parent, &arr)
}

/// Calls the extension API's `a.b.method(args...)` for an effect whose
/// failure changes nothing (a tab that went away, an API the browser lacks):
/// a synchronous error is dropped and a rejected promise swallowed.
pub(crate) fn fire(path: &[&str], args: &[JsValue]) {
    if let Ok(p) = call(&api(), path, args) {
        swallow(p);
    }
}

/// Calls the extension API's `a.b.method(args...)` and waits for its promise
/// (a plain value counts as resolved).
pub(crate) async fn call_async(path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
    let p = call(&api(), path, args)?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await
}

/// Serializes for the messaging API: plain JS objects, maps as objects.
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(v: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// Logs a refused message or a fault with its reason (never a secret: only
/// reasons built by the core reach here).
pub(crate) fn warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("keyferry: {msg}")));
}

/// Ignores a rejected promise (e.g. a tab that went away) without an
/// "Uncaught (in promise)" error.
pub(crate) fn swallow(p: JsValue) {
    if p.is_instance_of::<js_sys::Promise>() {
        let noop = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {}).into_js_value();
        let _ = call(&p, &["catch"], &[noop]);
    }
}

/// Creates `<tag attr=value ...>text</tag>` (text via `textContent` only).
pub(crate) fn el(doc: &web_sys::Document, tag: &str, attrs: &[(&str, &str)], text: Option<&str>) -> web_sys::Element {
    let e = doc.create_element(tag).unwrap_or_else(|_| doc.create_element("div").expect("div"));
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    if let Some(t) = text {
        e.set_text_content(Some(t));
    }
    e
}

/// Sends `{v: 1, msg: {ui: {request}}}` to the background and waits for the
/// reply (popup and options pages).
pub(crate) async fn ui_request(request: &crate::protocol::UiRequest) -> Result<JsValue, JsValue> {
    // Written by hand (decode::ui_request): serde's Serialize for
    // ToBackground would bring every other variant's code along.
    call_async(&["runtime", "sendMessage"], &[decode::ui_request(request)]).await
}
