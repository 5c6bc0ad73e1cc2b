//! The overlay panel: an extension page (overlay.html) in an iframe that the
//! page agent puts in a closed shadow root. It renders the background's
//! `View` and sends the admin's actions back, only from trusted events.
//!
//! Text reaches the DOM only through `textContent` / attributes, never HTML.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlSelectElement};

use super::i18n::{catalog, t, tf};
use super::{api, call, el, swallow, warn};
use crate::checklist::{SourceLine, Status};
use crate::drift::Drift;
use crate::protocol::overlay::{Action, ToOverlayOf};
use crate::protocol::view::{CaptureView, FillView, RouteLine, View};
use crate::protocol::wire::Envelope;
use crate::vault::EntryView;

/// The drift notice: "This page differs from what keyferry knows", what was
/// expected and not found, and Copy page signature. Text only.
pub fn render_drift(doc: &Document, drift: &Drift<String>) -> Element {
    let sec = el(doc, "section", &[("class", "kf-drift"), ("data-kf-drift", drift.recognized.as_deref().unwrap_or("")), ("role", "note")], None);
    let _ = sec.append_child(&el(doc, "h2", &[], Some(&t("drift_title"))));
    for p in &drift.pages {
        if !p.landmarks.is_empty() {
            let text = tf("drift_landmarks", &[&p.title, &p.landmarks.join("; ")]);
            let _ = sec.append_child(&el(doc, "p", &[("data-kf-drift-page", &p.page), ("data-kf-drift-missing", "landmarks")], Some(&text)));
        }
        if !p.fields.is_empty() {
            let text = tf("drift_fields", &[&p.title, &p.fields.join(", ")]);
            let _ = sec.append_child(&el(doc, "p", &[("data-kf-drift-page", &p.page), ("data-kf-drift-missing", "fields")], Some(&text)));
        }
    }
    let _ = sec.append_child(&el(doc, "p", &[("class", "kf-hint")], Some(&t("drift_copy_hint"))));
    let _ = sec.append_child(&el(doc, "button", &[("type", "button"), ("data-kf-action", "signature")], Some(&t("drift_copy"))));
    sec
}

fn status_icon(status: Status) -> (&'static str, String) {
    match status {
        Status::Ok => ("✓", t("overlay_status_ok")),
        Status::Wrong => ("✗", t("overlay_status_wrong")),
        Status::Missing => ("○", t("overlay_status_missing")),
        Status::Unknown => ("?", t("overlay_status_unknown")),
    }
}

fn sources_line(doc: &Document, sources: &[SourceLine<String>]) -> Element {
    let p = el(doc, "p", &[("class", "kf-source")], Some(&format!("{} ", t("overlay_source"))));
    for (n, s) in sources.iter().enumerate() {
        if n > 0 {
            let _ = p.append_with_str_1("; ");
        }
        let safe_url = if s.url.starts_with("https://") { s.url.as_str() } else { "" };
        let a = el(doc, "a", &[("href", safe_url), ("target", "_blank"), ("rel", "noopener noreferrer")], Some(&s.title));
        let _ = p.append_child(&a);
        if !s.at.is_empty() {
            let _ = p.append_with_str_1(&format!(" ({})", s.at));
        }
    }
    p
}

/// The route the admin is on (named, with its note), and a link to the
/// other route's start; on a page both routes share and no route seen yet,
/// both routes are named.
fn render_routes(doc: &Document, routes: &[RouteLine<String>]) -> Element {
    let current = routes.iter().find(|r| r.current);
    let box_ = el(doc, "div", &[("class", "kf-route"), ("data-kf-route", current.map_or("either", |r| r.id.as_str()))], None);
    let name = |r: &RouteLine<String>| if r.default { tf("overlay_route_default", &[&r.title]) } else { r.title.clone() };
    match current {
        Some(r) => {
            let _ = box_.append_child(&el(doc, "p", &[("class", "kf-route-name")], Some(&tf("overlay_route", &[&name(r)]))));
            let _ = box_.append_child(&el(doc, "p", &[("class", "kf-hint")], Some(&r.note)));
        }
        None => {
            let names: Vec<String> = routes.iter().map(name).collect();
            let _ = box_.append_child(&el(doc, "p", &[("class", "kf-route-name")], Some(&tf("overlay_route_either", &[&names.join(" · ")]))));
        }
    }
    for r in routes.iter().filter(|r| !r.current && current.is_some()) {
        let p = el(doc, "p", &[("class", "kf-hint")], Some(&format!("{} ", t("overlay_route_other"))));
        match r.link.as_deref().filter(|l| l.starts_with("https://")) {
            Some(link) => {
                let a = el(doc, "a", &[("href", link), ("target", "_blank"), ("rel", "noopener noreferrer"), ("data-kf-route-link", &r.id)], Some(&name(r)));
                let _ = p.append_child(&a);
            }
            None => {
                let _ = p.append_with_str_1(&name(r));
            }
        }
        let _ = box_.append_child(&p);
    }
    box_
}

/// Renders a view into `mount` (replacing what was there). Pure DOM work, so
/// it is tested directly in headless browsers.
pub fn render(doc: &Document, mount: &Element, view: &View<String>) {
    mount.set_text_content(None);
    let c = &view.checklist;
    let progress = format!("{}/{}", c.done, c.total);
    let root = el(
        doc,
        "section",
        &[
            ("class", if view.collapsed { "kf kf-collapsed" } else { "kf" }),
            ("data-kf-page", &view.page),
            ("data-kf-progress", &progress),
            ("aria-label", &t("overlay_aria_checklist")),
        ],
        None,
    );

    // Header: title, progress, collapse and dismiss.
    let header = el(doc, "header", &[("class", "kf-head")], None);
    let titles = el(doc, "div", &[("class", "kf-titles")], None);
    let _ = titles.append_child(&el(doc, "h1", &[], Some(&view.page_title)));
    let _ = titles.append_child(&el(doc, "p", &[("class", "kf-console")], Some(&view.console)));
    let _ = header.append_child(&titles);
    let meter = el(
        doc,
        "div",
        &[
            ("class", "kf-progress"),
            ("role", "progressbar"),
            ("aria-label", &t("overlay_progress_label")),
            ("aria-valuemin", "0"),
            ("aria-valuemax", &c.total.to_string()),
            ("aria-valuenow", &c.done.to_string()),
        ],
        Some(&progress),
    );
    let _ = header.append_child(&meter);
    let dock_label = t("overlay_dock");
    let _ = header.append_child(&el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("data-kf-action", "dock"),
            ("aria-label", &dock_label),
            ("title", &dock_label),
        ],
        Some("⇱"),
    ));
    let collapse_label = if view.collapsed { t("overlay_expand") } else { t("overlay_collapse") };
    let _ = header.append_child(&el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("data-kf-action", "collapse"),
            ("aria-label", &collapse_label),
            ("title", &collapse_label),
            ("aria-expanded", if view.collapsed { "false" } else { "true" }),
        ],
        Some(if view.collapsed { "▸" } else { "▾" }),
    ));
    let dismiss_label = t("overlay_dismiss");
    let _ = header.append_child(&el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("data-kf-action", "dismiss"),
            ("aria-label", &dismiss_label),
            ("title", &dismiss_label),
        ],
        Some("×"),
    ));
    let _ = root.append_child(&header);

    if !view.collapsed {
        let _ = root.append_child(&render_body(doc, view));
    }
    let _ = mount.append_child(&root);
}

fn render_body(doc: &Document, view: &View<String>) -> Element {
    let body = el(doc, "div", &[("class", "kf-body")], None);

    // Integration and step.
    let ctx = el(doc, "div", &[("class", "kf-context")], None);
    if view.integrations.len() > 1 {
        let label = el(doc, "label", &[("for", "kf-pick")], Some(&t("overlay_integration")));
        let select = el(doc, "select", &[("id", "kf-pick"), ("data-kf-action", "pick")], None);
        if view.integration.is_none() {
            let _ = select.append_child(&el(doc, "option", &[("value", "")], Some(&t("overlay_all_requirements"))));
        }
        for (id, title) in &view.integrations {
            let opt = el(doc, "option", &[("value", id)], Some(title));
            if view.integration.as_deref() == Some(id.as_str()) {
                let _ = opt.set_attribute("selected", "");
            }
            let _ = select.append_child(&opt);
        }
        let _ = ctx.append_child(&label);
        let _ = ctx.append_child(&select);
    } else if let Some((_, title)) = view.integrations.first() {
        let _ = ctx.append_child(&el(doc, "p", &[("class", "kf-integration")], Some(title)));
    }
    if !view.routes.is_empty() {
        let _ = ctx.append_child(&render_routes(doc, &view.routes));
    }
    if let Some((n, total)) = view.step {
        let _ = ctx.append_child(&el(doc, "p", &[("class", "kf-step")], Some(&tf("overlay_step", &[&n.to_string(), &total.to_string()]))));
    }
    let _ = body.append_child(&ctx);

    if let Some(n) = &view.notice {
        let _ = body.append_child(&el(
            doc,
            "p",
            &[
                ("class", if n.ok { "kf-notice kf-notice-ok" } else { "kf-notice kf-notice-bad" }),
                ("role", "status"),
                ("data-kf-notice", if n.ok { "ok" } else { "problem" }),
            ],
            Some(&n.text),
        ));
    }
    if let Some(drift) = &view.drift {
        let _ = body.append_child(&render_drift(doc, drift));
    }
    if !view.captures.is_empty() {
        let _ = body.append_child(&render_captures(doc, &view.captures));
    }
    if let Some(fill) = &view.fill {
        let _ = body.append_child(&render_fill(doc, fill));
    }
    if !view.vault.is_empty() {
        let _ = body.append_child(&render_vault(doc, &view.vault));
    }

    let c = &view.checklist;
    if c.items.is_empty() {
        let _ = body.append_child(&el(
            doc,
            "p",
            &[("class", "kf-empty")],
            Some(&t("overlay_empty_items")),
        ));
    }
    let list = el(doc, "ul", &[("class", "kf-items"), ("aria-label", &t("overlay_items_label"))], None);
    let focus_title = t("overlay_focus_title");
    for item in &c.items {
        let (icon, status_text) = status_icon(item.status);
        let li = el(
            doc,
            "li",
            &[("data-kf-item", &item.id), ("data-kf-status", item.status.as_str()), ("class", &format!("kf-{}", item.severity.as_str()))],
            None,
        );
        let head = el(
            doc,
            "button",
            &[
                ("type", "button"),
                ("class", "kf-item-head"),
                ("data-kf-action", "focus"),
                ("title", &focus_title),
            ],
            None,
        );
        let _ = head.append_child(&el(doc, "span", &[("class", "kf-icon"), ("aria-hidden", "true")], Some(icon)));
        let _ = head.append_child(&el(doc, "span", &[("class", "kf-summary")], Some(&catalog(&item.summary))));
        let _ = head.append_child(&el(doc, "span", &[("class", "kf-sr")], Some(&format!(" ({status_text})"))));
        let _ = li.append_child(&head);
        if let Some(m) = &item.message {
            let _ = li.append_child(&el(doc, "p", &[("class", "kf-message")], Some(m)));
        }
        if let Some(f) = &item.fix {
            let _ = li.append_child(&el(doc, "p", &[("class", "kf-fix")], Some(f)));
        }
        let details = el(doc, "details", &[], None);
        let _ = details.append_child(&el(doc, "summary", &[], Some(&t("overlay_why"))));
        let _ = details.append_child(&el(doc, "p", &[], Some(&catalog(&item.explain))));
        let _ = details.append_child(&sources_line(doc, &item.sources));
        let _ = li.append_child(&details);
        let _ = list.append_child(&li);
    }
    let _ = body.append_child(&list);

    if !c.notes.is_empty() {
        let notes = el(doc, "details", &[("class", "kf-notes")], None);
        let _ = notes.append_child(&el(doc, "summary", &[], Some(&tf("overlay_notes", &[&c.notes.len().to_string()]))));
        let ul = el(doc, "ul", &[], None);
        for n in &c.notes {
            let li = el(doc, "li", &[("data-kf-note", &n.id)], None);
            let _ = li.append_child(&el(doc, "strong", &[], Some(&catalog(&n.summary))));
            let _ = li.append_child(&el(doc, "p", &[], Some(&catalog(&n.explain))));
            let _ = li.append_child(&sources_line(doc, &n.sources));
            let _ = ul.append_child(&li);
        }
        let _ = notes.append_child(&ul);
        let _ = body.append_child(&notes);
    }
    body
}

fn button(doc: &Document, action: &str, label: &str, extra: &[(&str, &str)]) -> Element {
    let b = el(doc, "button", &[("type", "button"), ("data-kf-action", action)], Some(label));
    for (k, v) in extra {
        let _ = b.set_attribute(k, v);
    }
    b
}

fn render_captures(doc: &Document, captures: &[CaptureView<String>]) -> Element {
    let sec = el(doc, "section", &[("class", "kf-carry"), ("aria-label", &t("overlay_capture_label"))], None);
    let _ = sec.append_child(&el(doc, "h2", &[], Some(&t("overlay_capture_heading"))));
    for c in captures {
        let row = el(doc, "div", &[("class", "kf-row"), ("data-kf-slot", &c.slot)], None);
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-row-label")], Some(&c.label)));
        match (&c.captured, c.shown) {
            (Some(masked), _) => {
                let _ = row.append_child(&el(doc, "code", &[], Some(masked)));
            }
            (None, false) => {
                let _ = row.append_child(&el(doc, "span", &[("class", "kf-hint")], Some(&c.hint)));
            }
            _ => {}
        }
        if c.shown {
            let label = if c.captured.is_some() { t("overlay_capture_again") } else { t("overlay_capture") };
            let _ = row.append_child(&button(doc, "capture", &label, &[("data-kf-slot", &c.slot)]));
        }
        let _ = sec.append_child(&row);
    }
    sec
}

fn render_fill(doc: &Document, fill: &FillView<String>) -> Element {
    let heading = t("overlay_fill_heading");
    let sec = el(doc, "section", &[("class", "kf-carry"), ("aria-label", &heading)], None);
    let _ = sec.append_child(&el(doc, "h2", &[], Some(&heading)));
    for v in &fill.values {
        let row = el(doc, "div", &[("class", "kf-row"), ("data-kf-field", &v.field)], None);
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-row-label")], Some(&v.label)));
        let _ = row.append_child(&el(doc, "code", &[], Some(&v.display)));
        if v.copy {
            let _ = row.append_child(&button(doc, "copy", &t("overlay_copy"), &[("data-kf-field", &v.field), ("aria-label", &tf("overlay_copy_label", &[&v.label]))]));
        }
        let _ = sec.append_child(&row);
    }
    for m in &fill.missing {
        let row = el(doc, "div", &[("class", "kf-row kf-missing"), ("data-kf-field", &m.field)], None);
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-row-label")], Some(&m.label)));
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-hint")], Some(&m.reason)));
        let _ = sec.append_child(&row);
    }
    if let Some(why) = &fill.blocked {
        let _ = sec.append_child(&el(doc, "p", &[("class", "kf-notice kf-notice-bad"), ("data-kf-blocked", "")], Some(why)));
    }
    if let Some(b) = &fill.bind {
        // The captured values would go to an org the admin has not confirmed:
        // the confirm button replaces Fill.
        let _ = sec.append_child(&el(doc, "p", &[("class", "kf-notice kf-notice-bad"), ("data-kf-bind-ask", &b.to)], Some(&b.question)));
        let _ = sec.append_child(&button(doc, "bind", &tf("overlay_bind", &[&b.to]), &[("class", "kf-primary"), ("data-kf-org", &b.to)]));
    } else if fill.ready > 0 {
        let label = if fill.ready == 1 { t("overlay_fill_one") } else { tf("overlay_fill_many", &[&fill.ready.to_string()]) };
        let _ = sec.append_child(&button(doc, "fill", &label, &[("class", "kf-primary")]));
    } else if fill.conflicts.is_empty() && fill.missing.is_empty() && fill.absent.is_empty() && !fill.values.is_empty() {
        let _ = sec.append_child(&el(doc, "p", &[("class", "kf-hint")], Some(&t("overlay_fill_nothing"))));
    }
    if !fill.absent.is_empty() {
        let text = tf("overlay_fill_absent", &[&fill.absent.join(", ")]);
        let _ = sec.append_child(&el(doc, "p", &[("class", "kf-hint")], Some(&text)));
    }
    if !fill.conflicts.is_empty() {
        let _ = sec.append_child(&el(
            doc,
            "p",
            &[("class", "kf-hint")],
            Some(&tf("overlay_fill_conflicts", &[&fill.conflicts.join(", ")])),
        ));
        let _ = sec.append_child(&button(doc, "fill", &t("overlay_fill_replace"), &[("data-kf-overwrite", "true")]));
    }
    sec
}

fn render_vault(doc: &Document, vault: &[EntryView<String>]) -> Element {
    let sec = el(doc, "section", &[("class", "kf-carry"), ("aria-label", &t("overlay_vault_label"))], None);
    let _ = sec.append_child(&el(doc, "h2", &[], Some(&t("overlay_vault_heading"))));
    for v in vault {
        let row = el(doc, "div", &[("class", "kf-row"), ("data-kf-vault", v.slot.id())], None);
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-row-label")], Some(&v.label)));
        let _ = row.append_child(&el(doc, "code", &[], Some(&v.masked)));
        let mins = v.seconds_left.div_ceil(60);
        let _ = row.append_child(&el(doc, "span", &[("class", "kf-hint")], Some(&tf("overlay_vault_left", &[&v.org, &mins.to_string()]))));
        let _ = row.append_child(&button(doc, "forget", &t("overlay_forget"), &[("data-kf-slot", v.slot.id()), ("aria-label", &tf("overlay_forget_label", &[&v.label]))]));
        let _ = sec.append_child(&row);
    }
    let _ = sec.append_child(&button(doc, "forget", &t("overlay_forget_all"), &[]));
    sec
}

/// Renders the "page no longer recognized" state.
pub fn render_gone(doc: &Document, mount: &Element) {
    mount.set_text_content(None);
    let root = el(doc, "section", &[("class", "kf kf-gone"), ("aria-label", &t("overlay_aria_checklist"))], None);
    let _ = root.append_child(&el(doc, "p", &[], Some(&t("overlay_gone"))));
    let _ = mount.append_child(&root);
}

/// Maps a trusted click/change on the overlay to an action.
pub fn action_for(target: &Element, view: &View<String>) -> Option<Action> {
    let el = target.closest("[data-kf-action]").ok()??;
    match el.get_attribute("data-kf-action")?.as_str() {
        "collapse" => Some(Action::Collapse { collapsed: !view.collapsed }),
        "dismiss" => Some(Action::Dismiss),
        "dock" => Some(Action::Dock),
        "focus" => {
            let item = el.closest("[data-kf-item]").ok()??.get_attribute("data-kf-item")?;
            Some(Action::Focus { item })
        }
        "capture" => Some(Action::Capture { slot: el.get_attribute("data-kf-slot")? }),
        "fill" => Some(Action::Fill { overwrite: el.get_attribute("data-kf-overwrite").as_deref() == Some("true") }),
        "bind" => Some(Action::Bind { org: el.get_attribute("data-kf-org")? }),
        "copy" => Some(Action::Copy { field: el.get_attribute("data-kf-field")? }),
        "forget" => Some(Action::Forget { slot: el.get_attribute("data-kf-slot") }),
        "signature" => Some(Action::Signature),
        "pick" => {
            let value = el.dyn_ref::<HtmlSelectElement>()?.value();
            (!value.is_empty()).then_some(Action::Pick { integration: value })
        }
        _ => None,
    }
}

struct Overlay {
    doc: Document,
    mount: Element,
    frame: i64,
    view: RefCell<Option<View<String>>>,
    reconnects: Cell<u32>,
    /// The last height sent with `Action::Fit`.
    height: Cell<u32>,
    /// The background's last error answer and until when to show it.
    error: Rc<RefCell<Option<(String, f64)>>>,
    /// The panel token the page agent handed this panel (by `postMessage`
    /// from its isolated world to this frame only; never in the URL). The
    /// panel connects only once it has one (`clickguard`).
    token: RefCell<Option<String>>,
    /// The browser tracks this panel's visibility (IntersectionObserver v2).
    tracked: Cell<bool>,
    /// Since when (ms) the observer has reported the panel visible.
    visible_since: Cell<Option<f64>>,
    /// The agent's last word: the panel has been clean long enough.
    agent_armed: Cell<bool>,
}

/// The panel's buttons that act only when the panel is visibly there.
const GUARDED: &str = "[data-kf-action=capture],[data-kf-action=fill],[data-kf-action=copy],[data-kf-action=bind]";

/// How long an error answer stays on the panel (re-renders keep it).
const ERROR_MS: f64 = 15_000.0;

/// Puts a notice line right under the panel's header (at the top if none).
fn put_under_header(mount: &Element, p: &Element) {
    match mount.query_selector(".kf-head").ok().flatten() {
        Some(head) => {
            let _ = head.after_with_node_1(p);
        }
        None => {
            let _ = mount.prepend_with_node_1(p);
        }
    }
}

/// Shows `text` as an error line under the panel's header (textContent only,
/// `data-kf-error`), replacing the previous one.
fn show_error(doc: &Document, mount: &Element, text: &str) {
    if let Ok(Some(old)) = mount.query_selector("[data-kf-error]") {
        old.remove();
    }
    let p = el(doc, "p", &[("class", "kf-notice kf-notice-bad"), ("role", "alert"), ("data-kf-error", "")], Some(text));
    put_under_header(mount, &p);
}

/// Shows that a click is kept until the restarted background has read the
/// page again (`data-kf-pending`); the next view replaces it. If none comes
/// in time, the click was not carried out: say so.
fn show_pending(doc: &Document, mount: &Element, text: &str, error: Rc<RefCell<Option<(String, f64)>>>) {
    let p = el(doc, "p", &[("class", "kf-notice"), ("role", "status"), ("data-kf-pending", "")], Some(text));
    put_under_header(mount, &p);
    let (doc, mount) = (doc.clone(), mount.clone());
    let wait = u32::try_from(crate::resume::PENDING_MS).unwrap_or(u32::MAX).saturating_add(2_000);
    gloo::timers::callback::Timeout::new(wait, move || {
        if p.is_connected() {
            p.remove();
            let text = t("notice_restarted");
            show_error(&doc, &mount, &text);
            *error.borrow_mut() = Some((text, js_sys::Date::now() + ERROR_MS));
        }
    })
    .forget();
}

/// Handles the background's answer to an action: an `error` is shown, and so
/// is a click kept for later (`pending`).
fn on_reply(doc: Document, mount: Element, error: Rc<RefCell<Option<(String, f64)>>>) -> JsValue {
    Closure::once(move |reply: JsValue| {
        let kind = super::get_path(&reply, &["type"]).as_string();
        if !matches!(kind.as_deref(), Some("error" | "pending")) {
            return;
        }
        let reason = super::get_path(&reply, &["reason"]).as_string().unwrap_or_default();
        let text: String = reason.chars().take(300).collect();
        if kind.as_deref() == Some("pending") {
            show_pending(&doc, &mount, &text, error);
            return;
        }
        show_error(&doc, &mount, &text);
        *error.borrow_mut() = Some((text, js_sys::Date::now() + ERROR_MS));
    })
    .into_js_value()
}

impl Overlay {
    fn on_message(&self, msg: JsValue) {
        if !self.mount.is_connected() {
            return; // overlay.js replaced the mount after a trap: this instance stays quiet
        }
        // A hand-written reader (web::decode): serde's generic one was a quarter of this module.
        match super::decode::to_overlay(&msg) {
            Some(Envelope { msg: ToOverlayOf::View(v), .. }) => {
                // Keep focus on the same control across re-renders.
                let focused = self.doc.active_element().and_then(|a| focus_key(&a));
                // And the scroll position: a re-render (each report of the
                // page) must not move what the admin is about to click.
                let body = |m: &Element| m.query_selector(".kf-body").ok().flatten();
                let scrolled = body(&self.mount).map_or(0, |b| b.scroll_top());
                render(&self.doc, &self.mount, &v);
                if scrolled > 0 {
                    if let Some(b) = body(&self.mount) {
                        b.set_scroll_top(scrolled);
                    }
                }
                if let Some((text, until)) = self.error.borrow().clone() {
                    if js_sys::Date::now() < until {
                        show_error(&self.doc, &self.mount, &text);
                    }
                }
                if let Some(sel) = focused {
                    if let Ok(Some(e)) = self.mount.query_selector(&sel) {
                        if let Some(h) = e.dyn_ref::<web_sys::HtmlElement>() {
                            let _ = h.focus();
                        }
                    }
                }
                self.reconnects.set(0);
                *self.view.borrow_mut() = Some(v);
                self.update_armed();
                self.fit();
            }
            Some(Envelope { msg: ToOverlayOf::Gone, .. }) => {
                render_gone(&self.doc, &self.mount);
                *self.view.borrow_mut() = None;
            }
            None => warn("refused a view: not the shape the background sends"),
        }
    }

    /// Tells the agent how tall the panel's content is, when it changed.
    fn fit(&self) {
        let height = content_height(&self.mount);
        if height == 0 || height == self.height.get() {
            return;
        }
        self.height.set(height);
        self.send(Action::Fit { height });
    }

    fn send(&self, action: Action) {
        self.send_with(action, None);
    }

    /// What this panel knows of its visibility, for a click at (x, y).
    fn panel_facts(&self, x: f64, y: f64) -> crate::clickguard::PanelFacts {
        let visible_ms = self.visible_since.get().map(|t| (js_sys::Date::now() - t).max(0.0) as u64);
        crate::clickguard::PanelFacts { tracked: self.tracked.get(), visible_ms, x, y }
    }

    /// Marks the document `data-kf-armed` when a click on Capture or Fill
    /// would pass the visibility guard as far as this panel can tell (the
    /// agent's clean clock and, where tracked, the browser's own); a hint
    /// for the admin's eye and for tests, never the decision itself.
    fn update_armed(&self) {
        let seen_long = !self.tracked.get()
            || self
                .visible_since
                .get()
                .is_some_and(|t| js_sys::Date::now() - t >= crate::clickguard::MIN_VISIBLE_MS as f64);
        let armed = self.agent_armed.get() && seen_long;
        if let Some(root) = self.doc.document_element() {
            if armed {
                let _ = root.set_attribute("data-kf-armed", "true");
            } else {
                let _ = root.remove_attribute("data-kf-armed");
            }
        }
        // The buttons that move values say so too (assistive technology,
        // the dimmed look in overlay.css); a click on them still reaches the
        // background, which refuses it with the reason.
        if let Ok(list) = self.mount.query_selector_all(GUARDED) {
            for i in 0..list.length() {
                if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = if armed { e.remove_attribute("aria-disabled") } else { e.set_attribute("aria-disabled", "true") };
                }
            }
        }
    }

    fn send_with(&self, action: Action, click: Option<crate::clickguard::PanelFacts>) {
        let basis = self.view.borrow().as_ref().map(|v| v.basis.clone()).filter(|b| !b.is_empty());
        let token = self.token.borrow().clone();
        // Written by hand (web::decode): serde's Serialize for ToBackground
        // would bring every other variant's code along.
        let msg = super::decode::overlay_action(self.frame, &action, basis.as_deref(), click.as_ref(), token.as_deref());
        match call(&api(), &["runtime", "sendMessage"], &[msg]) {
            Ok(p) => {
                let then = on_reply(self.doc.clone(), self.mount.clone(), self.error.clone());
                match call(&p, &["then"], &[then]) {
                    Ok(p2) => swallow(p2),
                    Err(_) => swallow(p),
                }
            }
            Err(_) => warn("the extension is gone; reload the page"),
        }
    }

    fn on_event(&self, ev: Event) {
        if ev.type_() == "toggle" {
            self.fit(); // a "Why" or "Notes" section opened or closed
            return;
        }
        if !ev.is_trusted() {
            return; // Only the admin's own input acts.
        }
        if ev.type_() == "click" {
            super::fault::panic_if_armed(); // robustness tests only (fault.rs)
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let action = {
            let view = self.view.borrow();
            let Some(view) = view.as_ref() else { return };
            if ev.type_() == "click" && target.closest("select").ok().flatten().is_some() {
                return; // selects act on change
            }
            action_for(&target, view)
        };
        if let Some(action) = action {
            // Where the click landed (a keyboard "click" has no point: the
            // middle of the control it acted on).
            let mut at = ev.dyn_ref::<web_sys::MouseEvent>().map(|m| (f64::from(m.client_x()), f64::from(m.client_y())));
            if ev.dyn_ref::<web_sys::MouseEvent>().is_some_and(|m| m.detail() == 0) || at.is_none() {
                let r = target.get_bounding_client_rect();
                at = Some((r.left() + r.width() / 2.0, r.top() + r.height() / 2.0));
            }
            let (x, y) = at.unwrap_or((0.0, 0.0));
            let facts = self.panel_facts(x, y);
            self.send_with(action, Some(facts));
        }
    }
}

/// The natural height of the rendered panel: its header plus the full
/// (unscrolled) height of its body, in CSS pixels.
pub fn content_height(mount: &Element) -> u32 {
    if !mount.is_connected() {
        return 0; // nothing to measure (a detached mount would give the 2 px border)
    }
    let find = |sel: &str| mount.query_selector(sel).ok().flatten();
    // The header with its border, the body unscrolled, the panel's border.
    let head = find(".kf-head").map_or(0.0, |e| e.get_bounding_client_rect().height().ceil());
    let body = find(".kf-body").map_or(0, |e| e.scroll_height());
    let total = head as i32 + body + 2;
    u32::try_from(total).unwrap_or(0)
}

/// A selector that finds the same control after a re-render.
fn focus_key(e: &Element) -> Option<String> {
    let action = e.get_attribute("data-kf-action")?;
    match e.closest("[data-kf-item]").ok().flatten().and_then(|li| li.get_attribute("data-kf-item")) {
        Some(item) => Some(format!("[data-kf-item=\"{item}\"] [data-kf-action=\"{action}\"]")),
        None => Some(format!("[data-kf-action=\"{action}\"]")),
    }
}

fn connect(ov: Rc<Overlay>) {
    let Some(token) = ov.token.borrow().clone() else { return };
    let name = format!("overlay:{}:{}", ov.frame, token);
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"name".into(), &name.into());
    let Ok(port) = call(&api(), &["runtime", "connect"], &[opts.into()]) else {
        warn("cannot reach the background");
        return;
    };
    let o = ov.clone();
    let on_msg = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| o.on_message(m));
    let _ = call(&port, &["onMessage", "addListener"], &[on_msg.into_js_value()]);
    let o = ov.clone();
    let on_disc = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        // The service worker was stopped: reconnect (bounded).
        let n = o.reconnects.get();
        if n < 30 {
            o.reconnects.set(n + 1);
            let o2 = o.clone();
            gloo::timers::callback::Timeout::new(200 * (n + 1), move || connect(o2)).forget();
        }
    });
    let _ = call(&port, &["onDisconnect", "addListener"], &[on_disc.into_js_value()]);
}

/// Entry point of overlay.html. `early`: the `message` events that reached
/// the frame before the core started (overlay.js keeps them: the agent posts
/// the token once, when the frame's document has loaded).
#[cfg_attr(feature = "ctx-overlay", wasm_bindgen)]
pub fn overlay_start(early: JsValue) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let frame = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| h.trim_start_matches('#').parse::<i64>().ok())
        .unwrap_or(0);
    let Some(mount) = doc.get_element_by_id("kf-root") else { return };
    let ov = Rc::new(Overlay {
        doc: doc.clone(),
        mount: mount.clone(),
        frame,
        view: RefCell::new(None),
        reconnects: Cell::new(0),
        height: Cell::new(0),
        error: Rc::new(RefCell::new(None)),
        token: RefCell::new(None),
        tracked: Cell::new(false),
        visible_since: Cell::new(None),
        agent_armed: Cell::new(false),
    });
    for kind in ["click", "change", "toggle"] {
        let o = ov.clone();
        // Capture phase: `toggle` does not bubble.
        let opts = gloo::events::EventListenerOptions::run_in_capture_phase();
        gloo::events::EventListener::new_with_options(&mount, kind, opts, move |e| o.on_event(e.clone())).forget();
    }
    // Announces that this panel runs the clickjacking guard (tests wait for
    // `data-kf-armed` only where it does).
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("data-kf-guard", "agent");
    }
    track_visibility(&ov);
    listen_to_agent(&ov, early);
}

/// IntersectionObserver v2 where the browser has it (Chromium): the browser
/// itself says whether the panel is visible (no opacity, filter, transform or
/// occlusion anywhere up the frame chain). Elsewhere `tracked` stays false and
/// the agent's checks decide alone.
fn track_visibility(ov: &Rc<Overlay>) {
    let global = js_sys::global();
    let Ok(ctor) = js_sys::Reflect::get(&global, &"IntersectionObserver".into()) else { return };
    let Some(ctor) = ctor.dyn_ref::<js_sys::Function>() else { return };
    let o = ov.clone();
    let on_entries = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
        let Some(entries) = entries.dyn_ref::<js_sys::Array>() else { return };
        let last = entries.get(entries.length().saturating_sub(1));
        let visible = js_sys::Reflect::get(&last, &"isVisible".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
        if !visible {
            o.visible_since.set(None);
        } else if o.visible_since.get().is_none() {
            o.visible_since.set(Some(js_sys::Date::now()));
            let o2 = o.clone();
            let wait = u32::try_from(crate::clickguard::MIN_VISIBLE_MS).unwrap_or(500) + 20;
            gloo::timers::callback::Timeout::new(wait, move || o2.update_armed()).forget();
        }
        o.update_armed();
    })
    .into_js_value();
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"trackVisibility".into(), &true.into());
    let _ = js_sys::Reflect::set(&opts, &"delay".into(), &JsValue::from_f64(100.0));
    let args = js_sys::Array::of2(&on_entries, &opts);
    let Ok(observer) = js_sys::Reflect::construct(ctor, &args) else { return };
    let tracked = js_sys::Reflect::get(&observer, &"trackVisibility".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    if !tracked {
        return; // no v2 here (Firefox): the agent's checks decide
    }
    ov.tracked.set(true);
    if let Some(root) = ov.doc.document_element() {
        let _ = root.set_attribute("data-kf-guard", "io2");
    }
    let _ = call(&observer, &["observe"], &[ov.mount.clone().into()]);
}

/// The agent posts `{keyferry: {token, armed}}` to this frame from its
/// isolated world (the page cannot read the token): when the frame's document
/// has loaded, and when "armed" changes. The first token starts the
/// connection to the background; a changed one reconnects.
fn listen_to_agent(ov: &Rc<Overlay>, early: JsValue) {
    let Some(win) = web_sys::window() else { return };
    let parent = win.parent().ok().flatten();
    let o = ov.clone();
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let source = js_sys::Reflect::get(&ev, &"source".into()).unwrap_or(JsValue::NULL);
        if !parent.as_ref().is_some_and(|p| js_sys::Object::is(&source, p)) {
            return; // only the frame that embeds this panel
        }
        let data = super::get_path(&ev, &["data", "keyferry"]);
        let Some(token) = super::get_path(&data, &["token"]).as_string() else { return };
        if token.is_empty() || token.len() > crate::protocol::limits::MAX_TOKEN {
            return;
        }
        o.agent_armed.set(super::get_path(&data, &["armed"]).as_bool().unwrap_or(false));
        o.update_armed();
        let changed = o.token.borrow().as_deref() != Some(token.as_str());
        if changed {
            *o.token.borrow_mut() = Some(token);
            o.reconnects.set(0);
            connect(o.clone());
        }
    })
    .into_js_value();
    let _ = win.add_event_listener_with_callback("message", on_message.unchecked_ref());
    if let (Some(early), Some(f)) = (early.dyn_ref::<js_sys::Array>(), on_message.dyn_ref::<js_sys::Function>()) {
        for ev in early.iter() {
            let _ = f.call1(&JsValue::NULL, &ev);
        }
    }
}
