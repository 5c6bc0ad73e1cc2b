//! The settings event and the effects of the popup's and options page's
//! requests that wait on browser APIs: custom hosts' permissions and content
//! scripts, and saving settings (decided in `crate::session`).

use wasm_bindgen::prelude::*;

use super::background::{feed, reply_to};
use super::{api, call_async, get_path, to_js, warn};
use crate::session::{Answer, Input, Loaded, Script, Ticket};
use crate::settings;

fn loaded(v: &JsValue) -> Loaded {
    if v.is_undefined() || v.is_null() || !v.is_object() {
        return Loaded::Absent;
    }
    match super::inbound::settings(v) {
        Some(raw) => Loaded::Raw(raw),
        None => Loaded::Unreadable,
    }
}

/// Loads settings at start and whenever `storage.local` or `storage.managed`
/// changes: `local` is `storage.local[settings]`, `managed` is all of
/// `storage.managed`. Resolves once content scripts are in sync.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_settings(local: JsValue, managed: JsValue) -> js_sys::Promise {
    let answer = reply_to(Input::Settings { local: loaded(&local), managed: loaded(&managed) });
    js_sys::Promise::resolve(&answer)
}

/// At start, the admin's own settings before `storage.managed` has answered
/// (it can take seconds while the browser starts): Capture, Fill and Copy
/// wait for the policy ([`Loaded::Pending`]); `background_settings` follows.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_settings_pending(local: JsValue) {
    let _ = reply_to(Input::Settings { local: loaded(&local), managed: Loaded::Pending });
}

/// `storage.managed` has not answered in `POLICY_WAIT_MS` (background.js).
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_policy_late() {
    let _ = reply_to(Input::PolicyLate);
}

fn origins(patterns: &[String]) -> JsValue {
    let o = js_sys::Object::new();
    let arr: js_sys::Array = patterns.iter().map(|p| JsValue::from_str(p)).collect();
    let _ = js_sys::Reflect::set(&o, &"origins".into(), &arr);
    o.into()
}

/// The ids of the registered content scripts.
async fn registered() -> Vec<String> {
    match call_async(&["scripting", "getRegisteredContentScripts"], &[]).await {
        Ok(list) => js_sys::Array::from(&list).iter().filter_map(|s| get_path(&s, &["id"]).as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Checks each pattern's permission, revokes `revoke`'s, and lists the
/// registered content scripts (`None` without a scripting API).
pub(crate) fn probe_hosts(patterns: Vec<String>, revoke: Vec<String>, ticket: Ticket) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut granted = Vec::new();
        for p in &patterns {
            let yes = call_async(&["permissions", "contains"], &[origins(std::slice::from_ref(p))]).await;
            granted.push(yes.map(|v| v.as_bool() == Some(true)).unwrap_or(false));
        }
        if !revoke.is_empty() && call_async(&["permissions", "remove"], &[origins(&revoke)]).await.is_err() {
            warn("could not revoke the permission of a removed custom host");
        }
        let has_scripting = get_path(&api(), &["scripting", "registerContentScripts"]).is_function();
        let registered = if has_scripting { Some(registered().await) } else { None };
        feed(Input::Answer { ticket, answer: Answer::Probed { granted, registered } });
    });
}

/// Unregisters, then registers content scripts (the page agent, in every
/// frame, registered again at every start), then lists them.
pub(crate) fn sync_scripts(unregister: Vec<String>, register: Vec<Script>, ticket: Ticket) {
    wasm_bindgen_futures::spawn_local(async move {
        if !unregister.is_empty() {
            let filter = js_sys::Object::new();
            let ids: js_sys::Array = unregister.iter().map(|i| JsValue::from_str(i)).collect();
            let _ = js_sys::Reflect::set(&filter, &"ids".into(), &ids);
            if call_async(&["scripting", "unregisterContentScripts"], &[filter.into()]).await.is_err() {
                warn("could not unregister a content script");
            }
        }
        if !register.is_empty() {
            let scripts = js_sys::Array::new();
            for s in &register {
                let o = js_sys::Object::new();
                let set = |k: &str, v: JsValue| {
                    let _ = js_sys::Reflect::set(&o, &k.into(), &v);
                };
                set("id", s.id.as_str().into());
                set("matches", js_sys::Array::of1(&s.pattern.as_str().into()).into());
                set("js", js_sys::Array::of1(&"agent.js".into()).into());
                set("allFrames", true.into());
                set("runAt", "document_idle".into());
                set("persistAcrossSessions", false.into());
                scripts.push(&o);
            }
            if call_async(&["scripting", "registerContentScripts"], &[scripts.into()]).await.is_err() {
                warn("could not register a content script for a custom host");
            }
        }
        let now = registered().await;
        feed(Input::Answer { ticket, answer: Answer::Registered(now) });
    });
}

/// Writes the admin's own settings to `storage.local`.
pub(crate) fn save_settings(own: settings::Settings, ticket: Ticket) {
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &settings::STORAGE_KEY.into(), &to_js(&own));
    wasm_bindgen_futures::spawn_local(async move {
        let ok = call_async(&["storage", "local", "set"], &[entry.into()]).await.is_ok();
        feed(Input::Answer { ticket, answer: Answer::Saved(ok) });
    });
}
