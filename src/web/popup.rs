//! The popup (popup.html): the integration picker, the cross-console
//! progress of the chosen integration, its captured values (masked, with
//! time left, Copy and Forget) and the redacted setup report.
//!
//! Everything shown comes from the background's `PopupView`; text reaches
//! the DOM only through `textContent` and attributes. Only trusted events
//! (the admin's own input) act.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlSelectElement};

use super::i18n::t;
use super::{el, ui_request, warn};
use crate::protocol::pages::UiRequest;
use crate::protocol::view::PopupView;
use crate::protocol::UiReply as ReplyIn;
use crate::report::{RequirementStatus, StepState};

/// "12 min left" / "45 s left".
pub fn time_left(seconds: u64) -> String {
    if seconds >= 120 {
        format!("{} min {}", seconds.div_ceil(60), t("popup_left"))
    } else {
        format!("{seconds} s {}", t("popup_left"))
    }
}

fn state_label(s: StepState) -> String {
    match s {
        StepState::Done => t("popup_state_done"),
        StepState::Todo => t("popup_state_todo"),
        StepState::Problem => t("popup_state_problem"),
    }
}

fn status_label(s: RequirementStatus) -> String {
    match s {
        RequirementStatus::Ok => t("popup_req_ok"),
        RequirementStatus::Wrong => t("popup_req_wrong"),
        RequirementStatus::Missing => t("popup_req_missing"),
        RequirementStatus::Unknown => t("popup_req_unknown"),
        RequirementStatus::Unseen => t("popup_req_unseen"),
    }
}

fn render_progress(doc: &Document, view: &PopupView<String>) -> Element {
    let sec = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-progress-h")], None);
    let _ = sec.append_child(&el(doc, "h2", &[("id", "kf-progress-h")], Some(&t("popup_progress"))));
    let Some(p) = &view.progress else {
        let _ = sec.append_child(&el(
            doc,
            "p",
            &[("class", "kf-empty"), ("data-kf-empty", "progress")],
            Some(&t("popup_progress_empty")),
        ));
        return sec;
    };
    let _ = sec.append_child(&el(doc, "p", &[("class", "kf-blurb")], Some(&p.blurb)));
    let summary = format!("{} {} / {}", t("popup_steps_done"), p.done, p.steps.len());
    let _ = sec.append_child(&el(doc, "p", &[("data-kf-summary", &format!("{}/{}", p.done, p.steps.len()))], Some(&summary)));
    if p.steps.iter().all(|s| s.host.is_none()) {
        let _ = sec.append_child(&el(
            doc,
            "p",
            &[("class", "kf-empty"), ("data-kf-empty", "unseen")],
            Some(&t("popup_progress_unseen")),
        ));
    }
    if let Some(n) = p.next {
        let step = &p.steps[n];
        let next = el(doc, "p", &[("class", "kf-next")], Some(&format!("{} {} ({}). ", t("popup_next"), step.title, step.console)));
        match step.link.as_deref().filter(|l| l.starts_with("https://")) {
            Some(link) => {
                let a = el(
                    doc,
                    "a",
                    &[("href", link), ("target", "_blank"), ("rel", "noopener noreferrer"), ("data-kf-next", &step.page)],
                    Some(&t("popup_open_page")),
                );
                let _ = next.append_child(&a);
            }
            None => {
                let _ = next.append_with_str_1(&t("popup_no_link"));
            }
        }
        let _ = sec.append_child(&next);
    }
    let ol = el(doc, "ol", &[("class", "kf-steps")], None);
    for s in &p.steps {
        let li = el(doc, "li", &[("data-kf-step", &s.page), ("data-kf-state", s.state.as_str()), ("class", &format!("kf-step kf-{}", s.state.as_str()))], None);
        let head = el(doc, "p", &[("class", "kf-step-head")], None);
        let _ = head.append_child(&el(doc, "span", &[("class", "kf-badge")], Some(&state_label(s.state))));
        let _ = head.append_with_str_1(&format!(" {} · {}", s.title, s.console));
        let _ = li.append_child(&head);
        if let Some(h) = &s.host {
            let _ = li.append_child(&el(doc, "p", &[("class", "kf-seen")], Some(&format!("{} {h}", t("popup_seen_on")))));
        }
        if !s.requirements.is_empty() {
            let ul = el(doc, "ul", &[("class", "kf-reqs")], None);
            for r in &s.requirements {
                let item = el(doc, "li", &[("data-kf-item", &r.id), ("data-kf-status", r.status.as_str())], None);
                let _ = item.append_child(&el(doc, "span", &[("class", "kf-req-summary")], Some(&r.summary)));
                let _ = item.append_with_str_1(" — ");
                let _ = item.append_child(&el(doc, "span", &[("class", &format!("kf-status kf-{}", r.status.as_str()))], Some(&status_label(r.status))));
                let _ = ul.append_child(&item);
            }
            let _ = li.append_child(&ul);
        }
        let _ = ol.append_child(&li);
    }
    let _ = sec.append_child(&ol);
    sec
}

fn render_vault(doc: &Document, view: &PopupView<String>) -> Element {
    let sec = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-vault-h")], None);
    let _ = sec.append_child(&el(doc, "h2", &[("id", "kf-vault-h")], Some(&t("popup_vault"))));
    let _ = sec.append_child(&el(
        doc,
        "p",
        &[("class", "kf-hint")],
        Some(&format!(
            "{} {} min.",
            t("popup_vault_hint"),
            view.vault_minutes
        )),
    ));
    if view.vault.is_empty() {
        let _ = sec.append_child(&el(
            doc,
            "p",
            &[("class", "kf-empty"), ("data-kf-empty", "vault")],
            Some(&t("popup_vault_empty")),
        ));
    } else {
        let table = el(doc, "table", &[("class", "kf-vault")], None);
        let thead = el(doc, "thead", &[], None);
        let tr = el(doc, "tr", &[], None);
        for h in [t("popup_col_value"), t("popup_col_org"), t("popup_col_expires"), t("popup_col_actions")] {
            let _ = tr.append_child(&el(doc, "th", &[("scope", "col")], Some(&h)));
        }
        let _ = thead.append_child(&tr);
        let _ = table.append_child(&thead);
        let tbody = el(doc, "tbody", &[], None);
        for v in &view.vault {
            let row = el(doc, "tr", &[("data-kf-vault", v.slot.id())], None);
            let c1 = el(doc, "td", &[], None);
            let _ = c1.append_child(&el(doc, "span", &[("class", "kf-label")], Some(&v.label)));
            let _ = c1.append_with_str_1(" ");
            let _ = c1.append_child(&el(doc, "code", &[("data-kf-masked", "")], Some(&v.masked)));
            let _ = row.append_child(&c1);
            let _ = row.append_child(&el(doc, "td", &[], Some(&v.org)));
            let secs = v.seconds_left.to_string();
            // The cell counts down from an absolute time, so a throttled timer
            // (a popup page in a background tab) does not slow it down.
            let until = (js_sys::Date::now() as u64).saturating_add(v.seconds_left.saturating_mul(1000)).to_string();
            let _ = row.append_child(&el(
                doc,
                "td",
                &[("data-kf-seconds", &secs), ("data-kf-until", &until)],
                Some(&time_left(v.seconds_left)),
            ));
            let c4 = el(doc, "td", &[], None);
            let copy_label = format!("{} {}", t("popup_copy"), v.label);
            let forget_label = format!("{} {}", t("popup_forget"), v.label);
            let _ = c4.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "copy"), ("data-kf-slot", v.slot.id()), ("aria-label", &copy_label)], Some(&t("popup_copy"))));
            let _ = c4.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "forget"), ("data-kf-slot", v.slot.id()), ("aria-label", &forget_label)], Some(&t("popup_forget"))));
            let _ = row.append_child(&c4);
            let _ = tbody.append_child(&row);
        }
        let _ = table.append_child(&tbody);
        let _ = sec.append_child(&table);
    }
    if view.vault_total > 0 {
        let _ = sec.append_child(&el(
            doc,
            "button",
            &[("type", "button"), ("data-kf-action", "forget-all"), ("class", "kf-danger")],
            Some(&format!("{} ({})", t("popup_forget_all"), view.vault_total)),
        ));
    }
    sec
}

fn render_report(doc: &Document, view: &PopupView<String>) -> Element {
    let sec = el(doc, "section", &[("class", "kf-section"), ("aria-labelledby", "kf-report-h")], None);
    let _ = sec.append_child(&el(doc, "h2", &[("id", "kf-report-h")], Some(&t("popup_report"))));
    if view.integration.is_none() {
        let _ = sec.append_child(&el(doc, "p", &[("class", "kf-empty")], Some(&t("popup_report_empty"))));
        return sec;
    }
    let _ = sec.append_child(&el(
        doc,
        "p",
        &[("class", "kf-hint")],
        Some(&t("popup_report_hint")),
    ));
    let row = el(doc, "p", &[], None);
    let _ = row.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "report"), ("data-kf-format", "markdown")], Some(&t("popup_export_md"))));
    let _ = row.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "report"), ("data-kf-format", "json")], Some(&t("popup_export_json"))));
    let _ = sec.append_child(&row);
    let _ = sec.append_child(&el(doc, "div", &[("id", "kf-report-out")], None));
    sec
}

/// Renders the popup view into `mount` (replacing what was there).
pub fn render(doc: &Document, mount: &Element, view: &PopupView<String>) {
    mount.set_text_content(None);
    let header = el(doc, "header", &[("class", "kf-top")], None);
    let _ = header.append_child(&el(doc, "h1", &[], Some("keyferry")));
    let _ = header.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "options"), ("class", "kf-link")], Some(&t("popup_options"))));
    let _ = mount.append_child(&header);
    let label = el(doc, "label", &[("for", "kf-pick")], Some(&t("popup_integration")));
    let _ = mount.append_child(&label);
    let select = el(doc, "select", &[("id", "kf-pick"), ("data-kf-action", "pick")], None);
    if view.integration.is_none() {
        let _ = select.append_child(&el(doc, "option", &[("value", ""), ("selected", "")], Some(&t("popup_choose"))));
    }
    for (id, title) in &view.integrations {
        let opt = el(doc, "option", &[("value", id)], Some(title));
        if view.integration.as_deref() == Some(id.as_str()) {
            let _ = opt.set_attribute("selected", "");
        }
        let _ = select.append_child(&opt);
    }
    let _ = mount.append_child(&select);
    let status = el(doc, "p", &[("role", "status"), ("class", "kf-notice"), ("data-kf-notice", "")], None);
    if let Some(n) = &view.notice {
        status.set_text_content(Some(&n.text));
        let _ = status.set_attribute("data-kf-ok", if n.ok { "true" } else { "false" });
    }
    let _ = mount.append_child(&status);
    let _ = mount.append_child(&render_progress(doc, view));
    let _ = mount.append_child(&render_vault(doc, view));
    let _ = mount.append_child(&render_report(doc, view));
}

/// Shows an exported report: a read-only text box and a download link.
pub fn render_report_out(doc: &Document, mount: &Element, format: &str, text: &str, file: &str) {
    let Some(out) = mount.query_selector("#kf-report-out").ok().flatten() else { return };
    out.set_text_content(None);
    let (mime, ext, label) = if format == "json" {
        ("application/json", "json", t("popup_report_json"))
    } else {
        ("text/markdown", "md", t("popup_report_md"))
    };
    let _ = out.append_child(&el(doc, "label", &[("for", "kf-report-text")], Some(&label)));
    let area = el(doc, "textarea", &[("id", "kf-report-text"), ("readonly", ""), ("rows", "8"), ("data-kf-report", format)], None);
    area.set_text_content(Some(text));
    let _ = out.append_child(&area);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            let a = el(
                doc,
                "a",
                &[("href", &url), ("download", &format!("{file}.{ext}")), ("data-kf-download", format)],
                Some(&format!("{} {file}.{ext}", t("popup_download"))),
            );
            let _ = out.append_child(&a);
        }
    }
}

struct Popup {
    doc: Document,
    mount: Element,
    view: RefCell<Option<PopupView<String>>>,
}

impl Popup {
    fn show(self: &Rc<Self>, reply: Result<JsValue, JsValue>) {
        match reply.ok().map(|r| super::decode::ui_reply(&r).ok_or(())) {
            Some(Ok(ReplyIn::Popup { view })) => {
                render(&self.doc, &self.mount, &view);
                *self.view.borrow_mut() = Some(view);
            }
            Some(Ok(ReplyIn::Error { reason })) => self.notice(&reason, false),
            _ => self.notice(&t("popup_unavailable"), false),
        }
    }

    fn notice(&self, text: &str, ok: bool) {
        if let Some(n) = self.mount.query_selector("[data-kf-notice]").ok().flatten() {
            n.set_text_content(Some(text));
            let _ = n.set_attribute("data-kf-ok", if ok { "true" } else { "false" });
        }
    }

    fn request(self: &Rc<Self>, req: UiRequest) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let r = ui_request(&req).await;
            me.show(r);
        });
    }

    fn integration(&self) -> Option<String> {
        self.view.borrow().as_ref().and_then(|v| v.integration.clone())
    }

    fn on_event(self: &Rc<Self>, ev: Event) {
        if !ev.is_trusted() {
            return; // Only the admin's own input acts.
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(control) = target.closest("[data-kf-action]").ok().flatten() else { return };
        let action = control.get_attribute("data-kf-action").unwrap_or_default();
        let slot = control.get_attribute("data-kf-slot");
        match (ev.type_().as_str(), action.as_str()) {
            ("change", "pick") => {
                let value = control.dyn_ref::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                if !value.is_empty() {
                    self.request(UiRequest::Popup { integration: Some(value) });
                }
            }
            ("click", "options") => {
                if let Ok(p) = super::call(&super::api(), &["runtime", "openOptionsPage"], &[]) {
                    super::swallow(p);
                }
            }
            ("click", "forget") => {
                if let (Some(integration), Some(slot)) = (self.integration(), slot) {
                    self.request(UiRequest::Forget { integration, slot: Some(slot) });
                }
            }
            ("click", "forget-all") => self.request(UiRequest::ForgetAll),
            ("click", "copy") => {
                if let (Some(integration), Some(slot)) = (self.integration(), slot) {
                    self.request(UiRequest::Copy { integration, slot });
                }
            }
            ("click", "report") => {
                let Some(integration) = self.integration() else { return };
                let format = control.get_attribute("data-kf-format").unwrap_or_else(|| "markdown".into());
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let r = ui_request(&UiRequest::Report { integration }).await;
                    match r.ok().map(|r| super::decode::ui_reply(&r).ok_or(())) {
                        Some(Ok(ReplyIn::Report { markdown, json, file })) => {
                            let text = if format == "json" { json } else { markdown };
                            render_report_out(&me.doc, &me.mount, &format, &text, &file);
                        }
                        Some(Ok(ReplyIn::Error { reason })) => me.notice(&reason, false),
                        _ => me.notice(&t("popup_unavailable"), false),
                    }
                });
            }
            _ => {}
        }
    }

    /// Counts the expiry times down; when one runs out, asks for a fresh view.
    fn tick(self: &Rc<Self>) {
        let cells = match self.mount.query_selector_all("[data-kf-seconds]") {
            Ok(c) => c,
            Err(_) => return,
        };
        let mut expired = false;
        for n in 0..cells.length() {
            let Some(cell) = cells.item(n).and_then(|c| c.dyn_into::<Element>().ok()) else { continue };
            let until: u64 = cell.get_attribute("data-kf-until").and_then(|s| s.parse().ok()).unwrap_or(0);
            let left = until.saturating_sub(js_sys::Date::now() as u64).div_ceil(1000);
            let _ = cell.set_attribute("data-kf-seconds", &left.to_string());
            cell.set_text_content(Some(&time_left(left)));
            expired |= left == 0;
        }
        if expired {
            let integration = self.integration();
            self.request(UiRequest::Popup { integration });
        }
    }
}

/// The popup's drift notice for the tab it is about: the active tab of its
/// window, or `popup.html?tab=<id>` when the popup is opened as a page of
/// its own. Rendered into its own section above the main view.
struct DriftPanel {
    doc: Document,
    mount: Element,
    tab: Cell<Option<i64>>,
    /// What is shown (`Debug` of the drift), to redraw only on a change.
    shown: RefCell<String>,
}

impl DriftPanel {
    fn show(&self, reply: Result<JsValue, JsValue>) {
        let Some(Ok(ReplyIn::Drift { drift, notice })) = reply.ok().map(|r| super::decode::ui_reply(&r).ok_or(())) else {
            return;
        };
        let key = format!("{drift:?}");
        if notice.is_none() && *self.shown.borrow() == key {
            return; // a periodic refresh with nothing new: keep the last notice
        }
        *self.shown.borrow_mut() = key;
        self.mount.set_text_content(None);
        // A landmark while it shows something (outside the popup's <main>).
        if drift.is_some() || notice.is_some() {
            let _ = self.mount.set_attribute("role", "region");
            let label = if drift.is_some() { t("popup_drift_region") } else { t("popup_drift_signature") };
            let _ = self.mount.set_attribute("aria-label", &label);
        } else {
            let _ = self.mount.remove_attribute("role");
            let _ = self.mount.remove_attribute("aria-label");
        }
        if let Some(d) = &drift {
            let _ = self.mount.append_child(&super::overlay::render_drift(&self.doc, d));
        }
        if let Some(n) = notice {
            let _ = self.mount.append_child(&el(
                &self.doc,
                "p",
                &[("role", "status"), ("class", "kf-notice"), ("data-kf-drift-notice", if n.ok { "ok" } else { "problem" })],
                Some(&n.text),
            ));
        }
    }

    fn request(self: &Rc<Self>, req: UiRequest) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let r = ui_request(&req).await;
            me.show(r);
        });
    }

    fn on_click(self: &Rc<Self>, ev: Event) {
        if !ev.is_trusted() {
            return;
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let is_sig = target.closest("[data-kf-action=signature]").ok().flatten().is_some();
        if let (true, Some(tab)) = (is_sig, self.tab.get()) {
            self.request(UiRequest::Signature { tab });
        }
    }

    async fn find_tab() -> Option<i64> {
        let search = web_sys::window()?.location().search().ok()?;
        let from_url = search
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("tab="))
            .and_then(|v| v.parse::<i64>().ok());
        if from_url.is_some() {
            return from_url;
        }
        let q = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&q, &"active".into(), &true.into());
        let _ = js_sys::Reflect::set(&q, &"currentWindow".into(), &true.into());
        let p = super::call(&super::api(), &["tabs", "query"], &[q.into()]).ok()?;
        let tabs = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await.ok()?;
        super::get_path(&tabs, &["0", "id"]).as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)
    }
}

/// Entry point of popup.html.
#[cfg_attr(feature = "ctx-pages", wasm_bindgen)]
pub fn popup_start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(mount) = doc.get_element_by_id("kf-root") else {
        warn("popup.html has no #kf-root");
        return;
    };
    let popup = Rc::new(Popup { doc, mount: mount.clone(), view: RefCell::new(None) });
    for kind in ["click", "change"] {
        let p = popup.clone();
        gloo::events::EventListener::new(&mount, kind, move |e| p.on_event(e.clone())).forget();
    }
    let p = popup.clone();
    gloo::timers::callback::Interval::new(1000, move || p.tick()).forget();
    popup.request(UiRequest::Popup { integration: None });
    let drift_mount = el(&popup.doc, "div", &[("id", "kf-drift-root")], None);
    let _ = mount.before_with_node_1(&drift_mount);
    let panel = Rc::new(DriftPanel {
        doc: popup.doc.clone(),
        mount: drift_mount.clone(),
        tab: Cell::new(None),
        shown: RefCell::new(String::new()),
    });
    let d = panel.clone();
    gloo::events::EventListener::new(&drift_mount, "click", move |e| d.on_click(e.clone())).forget();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(tab) = DriftPanel::find_tab().await {
            panel.tab.set(Some(tab));
            panel.request(UiRequest::Drift { tab });
            // The page may still be rendering, or change while the popup is open.
            let p = panel.clone();
            gloo::timers::callback::Interval::new(2000, move || p.request(UiRequest::Drift { tab })).forget();
        }
    });
}
