//! The options page (options.html): the default Workato data center, the
//! vault expiry, and custom hosts (an Okta custom admin domain, a
//! Salesforce Experience or custom domain, a private Workato instance).
//!
//! Adding a host validates it here (Rust, `settings::validate_host`), then
//! asks the browser for that one host's permission on the admin's click
//! (`permissions.request`, an `optional_host_permissions` origin), then has
//! the background save it and register the page agent there. Removing a
//! host revokes the permission and the background unregisters the script.
//! Values set by the administrator's policy are shown read-only.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlInputElement, HtmlSelectElement};

use super::i18n::t;
use super::{call, el, ui_request, warn};
use crate::protocol::pages::{CustomHostIn, SettingsIn, UiRequest};
use crate::protocol::view::SettingsView;
use crate::protocol::UiReply as ReplyIn;
use crate::settings::{self, CustomKind};

fn managed_note(doc: &Document, id: &str) -> Element {
    el(
        doc,
        "p",
        &[("class", "kf-managed"), ("data-kf-managed", id), ("id", &format!("kf-{id}-managed"))],
        Some(&t("options_managed")),
    )
}

/// Renders the options view into `mount` (replacing what was there).
pub fn render(doc: &Document, mount: &Element, view: &SettingsView<String>) {
    mount.set_text_content(None);
    let _ = mount.append_child(&el(doc, "h1", &[], Some(&t("options_title"))));
    let status = el(doc, "p", &[("role", "status"), ("class", "kf-notice"), ("data-kf-notice", "")], None);
    if let Some(n) = &view.notice {
        status.set_text_content(Some(&n.text));
        let _ = status.set_attribute("data-kf-ok", if n.ok { "true" } else { "false" });
    }
    let _ = mount.append_child(&status);

    // General: data center and expiry.
    let general = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-general-h")], None);
    let _ = general.append_child(&el(doc, "h2", &[("id", "kf-general-h")], Some(&t("options_general"))));
    let _ = general.append_child(&el(doc, "label", &[("for", "kf-dc")], Some(&t("options_dc"))));
    let dc = el(doc, "select", &[("id", "kf-dc"), ("data-kf-setting", "data_center")], None);
    // Unknown is not US: until one is chosen (or seen on a Workato host in
    // this browser session), any data center's official callback is accepted.
    let unset = el(doc, "option", &[("value", "")], Some(&t("options_dc_not_chosen")));
    if view.data_center.is_empty() {
        let _ = unset.set_attribute("selected", "");
    }
    let _ = dc.append_child(&unset);
    for (id, label) in &view.data_centers {
        let o = el(doc, "option", &[("value", id)], Some(label));
        if *id == view.data_center {
            let _ = o.set_attribute("selected", "");
        }
        let _ = dc.append_child(&o);
    }
    if view.data_center_managed {
        let _ = dc.set_attribute("disabled", "");
        let _ = dc.set_attribute("aria-describedby", "kf-data_center-managed");
    }
    let _ = general.append_child(&dc);
    if view.data_center_managed {
        let _ = general.append_child(&managed_note(doc, "data_center"));
    }
    let _ = general.append_child(&el(
        doc,
        "p",
        &[("class", "kf-hint")],
        Some(&t("options_dc_hint")),
    ));
    let _ = general.append_child(&el(doc, "label", &[("for", "kf-minutes")], Some(&t("options_minutes"))));
    let min = view.min_minutes.to_string();
    let max = view.max_minutes.to_string();
    let cur = view.vault_minutes.to_string();
    let minutes = el(
        doc,
        "input",
        &[("id", "kf-minutes"), ("type", "number"), ("min", &min), ("max", &max), ("step", "1"), ("value", &cur), ("data-kf-setting", "vault_minutes")],
        None,
    );
    if view.vault_minutes_managed {
        let _ = minutes.set_attribute("disabled", "");
        let _ = minutes.set_attribute("aria-describedby", "kf-vault_minutes-managed");
    }
    let _ = general.append_child(&minutes);
    if view.vault_minutes_managed {
        let _ = general.append_child(&managed_note(doc, "vault_minutes"));
    }
    let _ = general.append_child(&el(
        doc,
        "p",
        &[("class", "kf-hint")],
        Some(&format!(
            "{} {}–{} min.",
            t("options_minutes_hint"),
            view.min_minutes,
            view.max_minutes
        )),
    ));
    let _ = general.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "save")], Some(&t("options_save"))));
    let _ = mount.append_child(&general);

    // Custom hosts.
    let hosts = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-hosts-h")], None);
    let _ = hosts.append_child(&el(doc, "h2", &[("id", "kf-hosts-h")], Some(&t("options_hosts"))));
    if view.hosts.is_empty() {
        let _ = hosts.append_child(&el(
            doc,
            "p",
            &[("class", "kf-empty"), ("data-kf-empty", "hosts")],
            Some(&t("options_hosts_empty")),
        ));
    } else {
        let ul = el(doc, "ul", &[("class", "kf-hosts")], None);
        for h in &view.hosts {
            let li = el(
                doc,
                "li",
                &[
                    ("data-kf-host", &h.host),
                    ("data-kf-kind", &h.kind),
                    ("data-kf-granted", if h.granted { "true" } else { "false" }),
                    ("data-kf-registered", if h.registered { "true" } else { "false" }),
                ],
                None,
            );
            let _ = li.append_child(&el(doc, "code", &[], Some(&h.host)));
            let state = if h.granted && h.registered {
                t("options_host_active")
            } else if h.granted {
                t("options_host_pending")
            } else {
                t("options_host_no_access")
            };
            let _ = li.append_with_str_1(&format!(" — {} — {state}", h.kind_label));
            if h.managed {
                let _ = li.append_with_str_1(&format!(" ({})", t("options_managed_host")));
                if !h.granted {
                    let label = format!("{} {}", t("options_grant"), h.host);
                    let _ = li.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "grant"), ("data-kf-host", &h.host), ("aria-label", &label)], Some(&t("options_grant_short"))));
                }
            } else {
                let label = format!("{} {}", t("options_remove"), h.host);
                let _ = li.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "remove-host"), ("data-kf-host", &h.host), ("aria-label", &label)], Some(&t("options_remove"))));
            }
            let _ = ul.append_child(&li);
        }
        let _ = hosts.append_child(&ul);
    }
    let add = el(doc, "div", &[("class", "kf-add")], None);
    let _ = add.append_child(&el(doc, "label", &[("for", "kf-kind")], Some(&t("options_kind"))));
    let kind = el(doc, "select", &[("id", "kf-kind"), ("data-kf-field", "kind")], None);
    for (id, label) in &view.kinds {
        let _ = kind.append_child(&el(doc, "option", &[("value", id)], Some(label)));
    }
    let _ = add.append_child(&kind);
    let _ = add.append_child(&el(doc, "label", &[("for", "kf-host")], Some(&t("options_host"))));
    let _ = add.append_child(&el(
        doc,
        "input",
        &[("id", "kf-host"), ("type", "text"), ("data-kf-field", "host"), ("placeholder", "admin.example.com"), ("autocomplete", "off"), ("spellcheck", "false")],
        None,
    ));
    let _ = add.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "add-host")], Some(&t("options_add"))));
    let _ = hosts.append_child(&add);
    let _ = mount.append_child(&hosts);

    if !view.problems.is_empty() {
        let sec = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-problems-h")], None);
        let _ = sec.append_child(&el(doc, "h2", &[("id", "kf-problems-h")], Some(&t("options_problems"))));
        let ul = el(doc, "ul", &[], None);
        for p in &view.problems {
            let _ = ul.append_child(&el(doc, "li", &[("data-kf-problem", "")], Some(p)));
        }
        let _ = sec.append_child(&ul);
        let _ = mount.append_child(&sec);
    }
}

struct Options {
    doc: Document,
    mount: Element,
    view: RefCell<Option<SettingsView<String>>>,
}

fn origins(pattern: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"origins".into(), &js_sys::Array::of1(&pattern.into()));
    o.into()
}

impl Options {
    fn show(&self, reply: Result<JsValue, JsValue>) {
        match reply.ok().map(|r| super::decode::ui_reply(&r).ok_or(())) {
            Some(Ok(ReplyIn::Settings { view })) => {
                render(&self.doc, &self.mount, &view);
                *self.view.borrow_mut() = Some(view);
            }
            Some(Ok(ReplyIn::Error { reason })) => self.notice(&reason, false),
            _ => self.notice(&t("options_unavailable"), false),
        }
    }

    fn notice(&self, text: &str, ok: bool) {
        if let Some(n) = self.mount.query_selector("[data-kf-notice]").ok().flatten() {
            n.set_text_content(Some(text));
            let _ = n.set_attribute("data-kf-ok", if ok { "true" } else { "false" });
        }
    }

    fn input(&self, sel: &str) -> String {
        let Some(e) = self.mount.query_selector(sel).ok().flatten() else { return String::new() };
        if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
            return i.value();
        }
        e.dyn_ref::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
    }

    /// The settings as the form shows them, with the admin's own hosts.
    fn current(&self, hosts: Vec<CustomHostIn>) -> Result<SettingsIn, String> {
        let view = self.view.borrow();
        let Some(v) = view.as_ref() else { return Err("not loaded".into()) };
        let minutes = settings::validate_minutes(&self.input("#kf-minutes"))
            .map_err(|p| format!("{} {}", p.message, p.fix))?;
        // The select is the data center; "" is "Not chosen". Without the
        // select (not rendered), keep what the view had.
        let dc = match self.mount.query_selector("#kf-dc").ok().flatten() {
            Some(_) => self.input("#kf-dc"),
            None => v.data_center.clone(),
        };
        Ok(SettingsIn { data_center: dc, vault_minutes: minutes, custom_hosts: hosts })
    }

    fn own_hosts(&self) -> Vec<CustomHostIn> {
        self.view
            .borrow()
            .as_ref()
            .map(|v| {
                v.hosts.iter().filter(|h| !h.managed).map(|h| CustomHostIn { kind: h.kind.clone(), host: h.host.clone() }).collect()
            })
            .unwrap_or_default()
    }

    fn save(self: &Rc<Self>, hosts: Vec<CustomHostIn>, done_text: Option<String>) {
        let settings = match self.current(hosts) {
            Ok(s) => s,
            Err(why) => return self.notice(&why, false),
        };
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let r = ui_request(&UiRequest::SaveSettings { settings }).await;
            me.show(r);
            if let Some(text) = done_text {
                me.notice(&text, true);
            }
        });
    }

    fn on_event(self: &Rc<Self>, ev: Event) {
        if !ev.is_trusted() || ev.type_() != "click" {
            return; // Only the admin's own clicks act.
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(control) = target.closest("button[data-kf-action]").ok().flatten() else { return };
        let action = control.get_attribute("data-kf-action").unwrap_or_default();
        let host_attr = control.get_attribute("data-kf-host").unwrap_or_default();
        match action.as_str() {
            "save" => self.save(self.own_hosts(), None),
            "add-host" => {
                let kind = CustomKind::from_id(&self.input("#kf-kind")).unwrap_or(CustomKind::OktaAdmin);
                let host = match settings::validate_host(kind, &self.input("#kf-host")) {
                    Ok(h) => h,
                    Err(p) => return self.notice(&format!("{} {}", p.message, p.fix), false),
                };
                if self.view.borrow().as_ref().is_some_and(|v| v.hosts.iter().any(|h| h.host == host.host)) {
                    return self.notice(&format!("{} {}", host.host, t("options_already")), false);
                }
                // Asked synchronously inside the click: browsers grant
                // permission prompts only during the admin's own gesture.
                let asked = call(&super::api(), &["permissions", "request"], &[origins(&host.pattern())]);
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let granted = match asked {
                        Ok(p) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await,
                        Err(e) => Err(e),
                    };
                    if granted.ok().and_then(|g| g.as_bool()) != Some(true) {
                        return me.notice(
                            &format!("{} {}; {}", t("options_denied"), host.host, t("options_denied_tail")),
                            false,
                        );
                    }
                    let mut hosts = me.own_hosts();
                    hosts.push(CustomHostIn { kind: host.kind.id().into(), host: host.host.clone() });
                    me.save(hosts, Some(format!("{} {}.", t("options_added"), host.host)));
                });
            }
            "remove-host" => {
                let Some(h) = self.view.borrow().as_ref().and_then(|v| v.hosts.iter().find(|h| h.host == host_attr && !h.managed).cloned()) else { return };
                let removed = call(&super::api(), &["permissions", "remove"], &[origins(&h.pattern)]);
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(p) = removed {
                        if wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await.is_err() {
                            warn("could not revoke a host permission");
                        }
                    }
                    let hosts = me.own_hosts().into_iter().filter(|x| x.host != h.host).collect();
                    me.save(hosts, Some(format!("{} {}.", t("options_removed"), h.host)));
                });
            }
            "grant" => {
                let Some(h) = self.view.borrow().as_ref().and_then(|v| v.hosts.iter().find(|h| h.host == host_attr).cloned()) else { return };
                let asked = call(&super::api(), &["permissions", "request"], &[origins(&h.pattern)]);
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(p) = asked {
                        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await;
                    }
                    let r = ui_request(&UiRequest::Settings).await;
                    me.show(r);
                });
            }
            _ => {}
        }
    }
}

/// Entry point of options.html.
#[cfg_attr(feature = "ctx-pages", wasm_bindgen)]
pub fn options_start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(mount) = doc.get_element_by_id("kf-root") else {
        warn("options.html has no #kf-root");
        return;
    };
    let options = Rc::new(Options { doc, mount: mount.clone(), view: RefCell::new(None) });
    let o = options.clone();
    gloo::events::EventListener::new(&mount, "click", move |e| o.on_event(e.clone())).forget();
    let o = options.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let r = ui_request(&UiRequest::Settings).await;
        o.show(r);
    });
}
