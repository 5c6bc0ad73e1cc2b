//! The background's side of the popup and the options page: settings
//! (load, apply, save), dynamic content scripts for custom hosts,
//! cross-console progress, the vault as the popup lists it, and the report.
//!
//! Requests arrive as `ToBackground::Ui` and are accepted only from our own
//! `popup.html` / `options.html` (checked in `background_message`).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::background::{self, STATE};
use super::carry::{self, now_ms};
use super::i18n::{t, tf};
use super::{api, call, call_async, fire, get_path, to_js, warn};
use crate::catalog::{self, Slot};
use crate::protocol::{HostStatus, Notice, PopupView, Reply, SettingsIn, SettingsView, UiRequest};
use crate::report::{self, Hosts, Progress, Report};
use crate::settings::{self, CustomHost, CustomKind, Effective, Partial, Raw, Settings};
use crate::validate::DataCenter;

/// The admin's custom hosts in effect (for recognition and the fill guard).
pub(crate) fn custom_hosts() -> Vec<CustomHost> {
    STATE.with(|s| s.borrow().settings.settings.custom_hosts.clone())
}

fn partial(v: &JsValue, source: &str) -> Partial {
    if v.is_undefined() || v.is_null() || !v.is_object() {
        return Partial::default();
    }
    match serde_wasm_bindgen::from_value::<Raw>(v.clone()) {
        Ok(raw) => Partial::from_raw(raw, source),
        Err(_) => Partial { problems: vec![format!("{source}: unreadable, ignored.")], ..Partial::default() },
    }
}

/// Applies settings: the vault's lifetime for new captures and the data
/// center; overlays are redrawn (the data center changes callbacks).
fn apply(local: Partial, managed: Partial) {
    let eff = Effective::merge(local.clone(), managed.clone());
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.vault.set_ttl(eff.vault_ttl_ms());
        s.data_center = eff.settings.data_center;
        s.settings = eff;
        s.settings_local = local;
        s.settings_managed = managed;
    });
    background::push_all_views();
}

/// Loads settings at start and whenever `storage.local` or `storage.managed`
/// changes: `local` is `storage.local[settings]`, `managed` is all of
/// `storage.managed`. Resolves once content scripts are in sync.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_settings(local: JsValue, managed: JsValue) -> js_sys::Promise {
    let managed_before = STATE.with(|s| s.borrow().settings.managed_hosts.clone());
    apply(partial(&local, "saved settings"), partial(&managed, "administrator policy"));
    // Only hosts the policy dropped are revoked here; the admin's own are
    // revoked by the options page's Remove (a stale read of storage.local
    // must never revoke a host that is being added).
    let now = custom_hosts();
    let dropped: Vec<CustomHost> =
        managed_before.into_iter().filter(|b| now.iter().all(|h| h.host != b.host)).collect();
    future_to_promise(async move {
        sync_scripts(&dropped).await;
        Ok(JsValue::UNDEFINED)
    })
}

fn origins(patterns: &[String]) -> JsValue {
    let o = js_sys::Object::new();
    let arr: js_sys::Array = patterns.iter().map(|p| JsValue::from_str(p)).collect();
    let _ = js_sys::Reflect::set(&o, &"origins".into(), &arr);
    o.into()
}

/// Brings the dynamically registered content scripts in line with the
/// custom hosts whose permission the browser granted: registers missing
/// ones, unregisters the rest (ours only: ids with `SCRIPT_ID_PREFIX`), and
/// revokes the permission of the hosts in `removed` that are no longer
/// configured.
pub(crate) async fn sync_scripts(removed: &[CustomHost]) {
    let hosts = custom_hosts();
    let has_scripting = get_path(&api(), &["scripting", "registerContentScripts"]).is_function();
    let mut status = Vec::new();
    let mut wanted: Vec<&CustomHost> = Vec::new();
    for h in &hosts {
        let granted = call_async(&["permissions", "contains"], &[origins(&[h.pattern()])])
            .await
            .map(|v| v.as_bool() == Some(true))
            .unwrap_or(false);
        if granted {
            wanted.push(h);
        }
        status.push((h.host.clone(), granted, false));
    }
    let gone: Vec<String> =
        removed.iter().filter(|b| hosts.iter().all(|h| h.host != b.host)).map(|b| b.pattern()).collect();
    if !gone.is_empty() {
        if call_async(&["permissions", "remove"], &[origins(&gone)]).await.is_err() {
            warn("could not revoke the permission of a removed custom host");
        }
    }
    if !has_scripting {
        STATE.with(|s| s.borrow_mut().host_status = status);
        return;
    }
    let registered: Vec<String> = match call_async(&["scripting", "getRegisteredContentScripts"], &[]).await {
        Ok(list) => js_sys::Array::from(&list)
            .iter()
            .filter_map(|s| get_path(&s, &["id"]).as_string())
            .filter(|id| id.starts_with(settings::SCRIPT_ID_PREFIX))
            .collect(),
        Err(_) => Vec::new(),
    };
    let doomed: Vec<String> =
        registered.iter().filter(|id| wanted.iter().all(|h| &h.script_id() != *id)).cloned().collect();
    if !doomed.is_empty() {
        let filter = js_sys::Object::new();
        let ids: js_sys::Array = doomed.iter().map(|i| JsValue::from_str(i)).collect();
        let _ = js_sys::Reflect::set(&filter, &"ids".into(), &ids);
        if call_async(&["scripting", "unregisterContentScripts"], &[filter.into()]).await.is_err() {
            warn("could not unregister a content script");
        }
    }
    let missing: Vec<&&CustomHost> = wanted.iter().filter(|h| !registered.contains(&h.script_id())).collect();
    if !missing.is_empty() {
        let scripts = js_sys::Array::new();
        for h in &missing {
            let o = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&o, &k.into(), &v);
            };
            set("id", h.script_id().into());
            set("matches", js_sys::Array::of1(&h.pattern().into()).into());
            set("js", js_sys::Array::of1(&"agent.js".into()).into());
            set("allFrames", true.into());
            set("runAt", "document_idle".into());
            // Registered again at every start from the settings.
            set("persistAcrossSessions", false.into());
            scripts.push(&o);
        }
        if call_async(&["scripting", "registerContentScripts"], &[scripts.into()]).await.is_err() {
            warn("could not register a content script for a custom host");
        }
    }
    let now_registered: Vec<String> = match call_async(&["scripting", "getRegisteredContentScripts"], &[]).await {
        Ok(list) => js_sys::Array::from(&list).iter().filter_map(|s| get_path(&s, &["id"]).as_string()).collect(),
        Err(_) => Vec::new(),
    };
    for (st, h) in status.iter_mut().zip(&hosts) {
        st.2 = now_registered.contains(&h.script_id());
    }
    STATE.with(|s| s.borrow_mut().host_status = status);
}

/// Mirrors the progress to `storage.session` (memory-only; nothing secret).
pub(crate) fn persist_progress() {
    let progress = STATE.with(|s| s.borrow().progress.clone());
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"progress".into(), &to_js(&progress));
    fire(&["storage", "session", "set"], &[entry.into()]);
}

/// Restores the progress and the popup's pick after a worker restart.
pub(crate) fn restore(saved: &JsValue) {
    let raw = get_path(saved, &["progress"]);
    if raw.is_object() {
        match serde_wasm_bindgen::from_value::<Progress>(raw) {
            Ok(p) => STATE.with(|s| s.borrow_mut().progress = Progress::restore(p)),
            Err(_) => warn("ignored unreadable saved progress"),
        }
    }
    if let Some(i) = get_path(saved, &["popup_pick"]).as_string().as_deref().and_then(catalog::integration) {
        STATE.with(|s| s.borrow_mut().popup_pick = Some(i.id));
    }
}

fn session_set(key: &str, value: JsValue) {
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &key.into(), &value);
    fire(&["storage", "session", "set"], &[entry.into()]);
}

fn popup_view(notice: Option<Notice>) -> PopupView {
    let now = now_ms();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.vault.purge_expired(now);
        let s = &*s;
        let integration = s
            .popup_pick
            .or(s.last_active)
            .or_else(|| s.vault.entries().first().map(|e| e.integration))
            .or_else(|| s.progress.latest_integration().and_then(catalog::integration).map(|i| i.id));
        let progress = integration.and_then(catalog::integration).map(|i| {
            let dc = s.data_center_known().map(|k| k.data_center());
            let hosts = Hosts::known(i, &s.vault, &s.progress, dc, now);
            report::progress_for(i, &s.progress, &hosts)
        });
        PopupView {
            integrations: catalog::INTEGRATIONS.iter().map(|i| (i.id, i.title)).collect(),
            integration,
            progress,
            vault: integration.map(|i| s.vault.bundle(i, now)).unwrap_or_default(),
            vault_total: s.vault.entries().len(),
            vault_minutes: s.settings.settings.vault_minutes,
            notice,
        }
    })
}

fn settings_view(notice: Option<Notice>) -> SettingsView {
    STATE.with(|s| {
        let s = s.borrow();
        let e = &s.settings;
        SettingsView {
            data_center: e.settings.data_center.map_or("", |d| d.id()),
            data_center_managed: e.data_center_managed,
            data_centers: DataCenter::documented().iter().map(|d| (d.id(), d.label())).collect(),
            vault_minutes: e.settings.vault_minutes,
            vault_minutes_managed: e.vault_minutes_managed,
            min_minutes: settings::MIN_VAULT_MINUTES,
            max_minutes: settings::MAX_VAULT_MINUTES,
            hosts: e
                .settings
                .custom_hosts
                .iter()
                .map(|h| {
                    let st = s.host_status.iter().find(|x| x.0 == h.host);
                    HostStatus {
                        kind: h.kind.id(),
                        kind_label: h.kind.label(),
                        host: h.host.clone(),
                        pattern: h.pattern(),
                        managed: e.is_managed_host(&h.host),
                        granted: st.is_some_and(|x| x.1),
                        registered: st.is_some_and(|x| x.2),
                    }
                })
                .collect(),
            kinds: CustomKind::ALL.iter().map(|k| (k.id(), k.label())).collect(),
            problems: e.problems.clone(),
            notice,
        }
    })
}

/// Checks what the options page sends; the message says what to fix.
fn checked(input: &SettingsIn) -> Result<Settings, String> {
    // Empty: "Not chosen" (any official callback is accepted until keyferry
    // sees the admin's Workato host).
    let data_center = match input.data_center.trim() {
        "" => None,
        dc => Some(DataCenter::resolve(dc).map_err(|p| format!("{} {}", p.message, p.fix))?),
    };
    let vault_minutes = settings::validate_minutes(&input.vault_minutes.to_string())
        .map_err(|p| tf("notice_vault_expiry_problem", &[&format!("{} {}", p.message, p.fix)]))?;
    let mut custom_hosts: Vec<CustomHost> = Vec::new();
    for h in &input.custom_hosts {
        let kind = CustomKind::from_id(&h.kind).ok_or_else(|| t("notice_host_kind_missing"))?;
        let host = settings::validate_host(kind, &h.host).map_err(|p| format!("{} {}", p.message, p.fix))?;
        if custom_hosts.iter().any(|x| x.host == host.host) {
            return Err(tf("notice_host_twice", &[&host.host]));
        }
        custom_hosts.push(host);
    }
    if custom_hosts.len() > settings::MAX_CUSTOM_HOSTS {
        return Err(tf("notice_hosts_max", &[&settings::MAX_CUSTOM_HOSTS.to_string()]));
    }
    Ok(Settings { data_center, vault_minutes, custom_hosts })
}

/// The drifted page of a tab, as the popup shows it (`drift::for_tab`).
fn tab_drift(tab: i64) -> Option<(i64, crate::drift::Drift)> {
    STATE.with(|s| {
        let s = s.borrow();
        let mut frames: Vec<crate::drift::FrameDrift> = s
            .frames
            .keys()
            .filter(|k| k.0 == tab)
            .map(|k| crate::drift::FrameDrift { frame: k.1, recognized: true, drift: None })
            .collect();
        frames.extend(s.drifts.iter().filter(|(k, _)| k.0 == tab).map(|(k, (_, d))| crate::drift::FrameDrift {
            frame: k.1,
            recognized: false,
            drift: Some(d),
        }));
        crate::drift::for_tab(&frames).map(|(f, d)| (f, d.clone()))
    })
}

fn reply(r: Reply) -> JsValue {
    to_js(&r)
}

fn notice(ok: bool, text: impl Into<String>) -> Option<Notice> {
    Some(Notice { ok, text: text.into() })
}

/// Handles one request of the popup or options page. Returns the reply, or
/// a promise of it (for requests that wait on browser APIs).
pub(crate) fn request(req: UiRequest) -> JsValue {
    match req {
        UiRequest::Popup { integration } => {
            if let Some(i) = integration.as_deref().and_then(catalog::integration) {
                STATE.with(|s| s.borrow_mut().popup_pick = Some(i.id));
                session_set("popup_pick", i.id.into());
            }
            reply(Reply::Popup { view: popup_view(None) })
        }
        UiRequest::Forget { integration, slot } => {
            let Some(i) = catalog::integration(&integration) else {
                return reply(Reply::Popup { view: popup_view(notice(false, t("notice_unknown_integration"))) });
            };
            let n = STATE.with(|s| {
                let mut s = s.borrow_mut();
                match slot.as_deref().map(Slot::from_id) {
                    Some(Some(slot)) => usize::from(s.vault.forget(i.id, slot)),
                    Some(None) => 0,
                    None => s.vault.forget_integration(i.id),
                }
            });
            carry::persist();
            background::push_all_views();
            let text = if n == 1 { t("notice_forgot_one") } else { tf("notice_forgot_many", &[&n.to_string()]) };
            reply(Reply::Popup { view: popup_view(notice(true, text)) })
        }
        UiRequest::ForgetAll => {
            let n = STATE.with(|s| s.borrow_mut().vault.forget_all());
            carry::persist();
            background::push_all_views();
            let text = if n == 1 { t("notice_forgot_one") } else { tf("notice_forgot_many", &[&n.to_string()]) };
            reply(Reply::Popup { view: popup_view(notice(true, text)) })
        }
        UiRequest::Copy { integration, slot } => {
            // Written by the background's clipboard helper (as the overlay's
            // Copy): the value never travels to the popup; a secret is cleared
            // after 60 s if the clipboard still holds it.
            let now = now_ms();
            let found = catalog::integration(&integration).zip(Slot::from_id(&slot)).and_then(|(i, slot)| {
                STATE.with(|s| s.borrow().vault.get(i.id, slot, now).map(|e| (e.value.clone(), slot)))
            });
            let Some((value, slot)) = found else {
                return reply(Reply::Popup { view: popup_view(notice(false, t("notice_value_gone"))) });
            };
            let written = call(&js_sys::global(), &["keyferryShell", "writeClipboard"], &[value.reveal().into()]);
            if slot.is_secret() {
                carry::arm_clipboard_clear(value.reveal());
            }
            drop(value);
            future_to_promise(async move {
                let ok = match written {
                    Ok(p) => JsFuture::from(js_sys::Promise::resolve(&p)).await.is_ok(),
                    Err(_) => false,
                };
                let text = match (ok, slot.is_secret()) {
                    (true, true) => tf("notice_copied_secret", &[slot.label()]),
                    (true, false) => tf("notice_copied", &[slot.label()]),
                    (false, _) => tf("notice_copy_refused", &[slot.label()]),
                };
                Ok(reply(Reply::Popup { view: popup_view(notice(ok, text)) }))
            })
            .into()
        }
        UiRequest::Report { integration } => {
            let Some(i) = catalog::integration(&integration) else {
                return reply(Reply::Error { reason: t("notice_unknown_integration") });
            };
            let now = now_ms();
            let r = STATE.with(|s| {
                let s = s.borrow();
                let dc = s.data_center_known();
                let hosts = Hosts::known(i, &s.vault, &s.progress, dc.map(|k| k.data_center()), now);
                let prog = report::progress_for(i, &s.progress, &hosts);
                Report::build(i, &prog, &s.vault, dc, now)
            });
            let json = js_sys::JSON::stringify_with_replacer_and_space(&to_js(&r), &JsValue::NULL, &JsValue::from(2))
                .ok()
                .and_then(|j| j.as_string())
                .unwrap_or_default();
            let date = r.generated_at.get(..10).unwrap_or("").to_string();
            reply(Reply::Report { markdown: r.to_markdown(), json, file: format!("keyferry-report-{}-{date}", i.id) })
        }
        UiRequest::Drift { tab } => {
            background::refresh_tab(tab);
            reply(Reply::Drift { drift: tab_drift(tab).map(|(_, d)| d), notice: None })
        }
        UiRequest::Signature { tab } => future_to_promise(async move {
            let Some((frame, _)) = tab_drift(tab) else {
                return Ok(reply(Reply::Drift { drift: None, notice: notice(false, t("notice_signature_no_page")) }));
            };
            let (ok, text) = match carry::copy_signature((tab, frame)).await {
                Ok(()) => (true, t("notice_signature_copied")),
                Err(why) => (false, why),
            };
            Ok(reply(Reply::Drift { drift: tab_drift(tab).map(|(_, d)| d), notice: notice(ok, text) }))
        })
        .into(),
        UiRequest::Settings => future_to_promise(async move {
            sync_scripts(&[]).await;
            Ok(reply(Reply::Settings { view: settings_view(None) }))
        })
        .into(),
        UiRequest::SaveSettings { settings: input } => {
            let checked = checked(&input);
            future_to_promise(async move {
                let new = match checked {
                    Ok(s) => s,
                    Err(why) => return Ok(reply(Reply::Settings { view: settings_view(notice(false, why)) })),
                };
                let before = custom_hosts();
                // The admin's own values; managed ones stay in the policy.
                let (managed, old_local) =
                    STATE.with(|s| (s.borrow().settings_managed.clone(), s.borrow().settings_local.clone()));
                let defaults = Settings::default();
                // A managed value is not the admin's own: keep what they had.
                let data_center = match managed.data_center {
                    Some(_) => old_local.data_center.or(defaults.data_center),
                    None => new.data_center,
                };
                let vault_minutes = match managed.vault_minutes {
                    Some(_) => old_local.vault_minutes.unwrap_or(defaults.vault_minutes),
                    None => new.vault_minutes,
                };
                let own = Settings {
                    data_center,
                    vault_minutes,
                    custom_hosts: new
                        .custom_hosts
                        .iter()
                        .filter(|h| managed.custom_hosts.iter().flatten().all(|m| m.host != h.host))
                        .cloned()
                        .collect(),
                };
                let entry = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&entry, &settings::STORAGE_KEY.into(), &to_js(&own));
                if call_async(&["storage", "local", "set"], &[entry.into()]).await.is_err() {
                    return Ok(reply(Reply::Settings { view: settings_view(notice(false, t("notice_settings_not_saved"))) }));
                }
                let local = Partial {
                    data_center: own.data_center,
                    vault_minutes: Some(own.vault_minutes),
                    custom_hosts: Some(own.custom_hosts),
                    problems: Vec::new(),
                };
                apply(local, managed);
                sync_scripts(&before).await;
                Ok(reply(Reply::Settings { view: settings_view(notice(true, t("notice_saved"))) }))
            })
            .into()
        }
    }
}
