//! Capture, carry and fill: the background's side of the vault.
//!
//! - Capture takes the value the agent last read from the page's capture
//!   field (the admin clicked Capture in the overlay) into the vault.
//! - Fill assembles the target form's values, plans the fill against what
//!   the form holds now (never replacing a different value unless the admin
//!   confirmed), sends the instructions to the page agent, and verifies what
//!   it reads back.
//! - The vault lives in this worker's memory and is mirrored to
//!   `storage.session` (memory-only) so a stopped worker does not lose it.
//!
//! Every action here arrives as an overlay action, which the background only
//! accepts from its own extension page, after a trusted click.

use wasm_bindgen::prelude::*;

use super::background::{self, FrameKey, STATE};
use super::{api, call, fire, get_path, swallow, to_js, warn};
use super::i18n::{t, tf};
use crate::assemble::{self, AssembleContext};
use crate::catalog::{self, Integration, Page, Slot};
use crate::fill;
use crate::protocol::{self, CaptureView, FillLine, FillView, Notice, Reply, ToAgent};
use crate::recognize::{self, Location};
use crate::validate;
use crate::vault::SessionEntry;

pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

pub(crate) fn set_notice(key: FrameKey, ok: bool, text: impl Into<String>) {
    notice(key, ok, text);
}

fn notice(key: FrameKey, ok: bool, text: impl Into<String>) {
    STATE.with(|s| {
        if let Some(f) = s.borrow_mut().frames.get_mut(&key) {
            f.notice = Some(Notice { ok, text: text.into() });
        }
    });
}

/// Saves the vault to `storage.session` and schedules the next expiry.
pub(crate) fn persist() {
    let now = now_ms();
    let (snapshot, next) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.vault.purge_expired(now);
        (s.vault.snapshot(now), s.vault.next_expiry(now))
    });
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"vault".into(), &to_js(&snapshot));
    drop(snapshot); // wiped on drop
    fire(&["storage", "session", "set"], &[entry.into()]);
    if let Some(when) = next {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"when".into(), &JsValue::from_f64(when as f64 + 50.0));
        fire(&["alarms", "create"], &["kf-expiry".into(), opts.into()]);
    }
}

/// Restores the vault saved by [`persist`] (a restarted worker).
pub(crate) fn restore(saved: &JsValue) {
    let raw = get_path(saved, &["vault"]);
    if raw.is_undefined() || raw.is_null() {
        return;
    }
    match serde_wasm_bindgen::from_value::<Vec<SessionEntry>>(raw) {
        Ok(entries) => {
            let now = now_ms();
            STATE.with(|s| s.borrow_mut().vault.restore(entries, now));
        }
        Err(_) => warn("ignored an unreadable saved vault"),
    }
}

/// The expiry alarm: drop expired values and refresh what overlays show.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_alarm(name: String) {
    if name == "kf-expiry" {
        persist();
        background::push_all_views();
    } else if name == CLIP_ALARM {
        clear_clipboard_now();
    }
}

/// The page's host (for binding captured values to their org).
fn host_of(url: &str) -> Option<String> {
    Location::parse(url).map(|l| l.host)
}

/// The Okta org a page belongs to (`acme-admin.okta.com` and
/// `acme.workflows.okta.com` both belong to `acme.okta.com`).
use crate::destination::{self, okta_org_of_host};

/// The Okta org the integration's live values came from.
fn values_org(integration: &Integration) -> Option<String> {
    STATE.with(|s| s.borrow().vault.okta_org(integration.id, now_ms()).map(String::from))
}

/// Whether filling `page` at `url` sends values of another vendor's org to
/// this page's org without the admin's confirmation (`destination::binding`).
fn binding_for(page: &'static Page, url: &str, integration: &Integration) -> destination::Binding {
    let org = destination::page_org(&host_of(url).unwrap_or_default());
    let now = now_ms();
    STATE.with(|s| destination::binding(page, &org, &s.borrow().vault.carried(integration.id, now)))
}

fn context_for(integration: &Integration) -> AssembleContext {
    let now = now_ms();
    STATE.with(|s| {
        let s = s.borrow();
        AssembleContext {
            okta_admin_host: s.vault.okta_org(integration.id, now).map(String::from),
            data_center: s.data_center_known().map(|k| k.data_center()),
            connection_name: None,
        }
    })
}

fn assembled(integration: &Integration, page: &'static Page) -> assemble::FormValues {
    let ctx = context_for(integration);
    let now = now_ms();
    STATE.with(|s| {
        let s = s.borrow();
        assemble::assemble(integration, &s.vault.lookup(integration.id, now), page, &ctx)
    })
}

/// The capture rows and fill preview for a frame's view.
pub(crate) fn views(
    page: &'static Page,
    integration: Option<&'static Integration>,
    facts: &[protocol::FieldFact],
    url: &str,
) -> (Vec<CaptureView>, Option<FillView>, Vec<crate::vault::EntryView>) {
    let now = now_ms();
    let captures = page
        .captures
        .iter()
        .map(|c| {
            let shown = facts.iter().find(|f| f.key == c.field).is_some_and(|f| match &f.value {
                Some(protocol::FieldValue::Text(t)) => {
                    !t.trim().is_empty() && validate::credential(c.slot.kind(), t).is_ok()
                }
                _ => false,
            });
            let captured = integration.and_then(|i| {
                STATE.with(|s| s.borrow().vault.get(i.id, c.slot, now).map(|e| e.value.masked(!c.slot.is_secret())))
            });
            CaptureView { slot: c.slot.id(), label: c.slot.label(), shown, captured, hint: c.reveal_hint }
        })
        .collect();
    let fill = integration.filter(|i| assemble::fills_anything(i, page)).map(|i| {
        let values = assembled(i, page);
        let plan = fill::plan(&values, facts, &[]);
        let org = values_org(i);
        let blocked = destination::guard(&mut plan.clone(), page, facts, org.as_deref()).problem().map(String::from);
        let b = binding_for(page, url, i);
        let bind = match &b {
            destination::Binding::Ask { to, .. } => Some(protocol::BindView {
                to: to.clone(),
                question: destination::binding_question(&b).unwrap_or_default(),
            }),
            _ => None,
        };
        FillView {
            blocked,
            bind,
            values: values
                .values
                .iter()
                .map(|v| FillLine {
                    field: v.field,
                    label: v.label,
                    display: match v.widget {
                        _ if v.secret => v.value.masked(false),
                        crate::catalog::Widget::Checkbox if v.value.reveal() == "true" => "☑ checked".into(),
                        crate::catalog::Widget::Checkbox => "☐ unchecked".into(),
                        _ => v.value.reveal().to_string(),
                    },
                    secret: v.secret,
                    copy: matches!(v.widget, crate::catalog::Widget::Text | crate::catalog::Widget::Textarea),
                })
                .collect(),
            missing: values.missing.clone(),
            conflicts: plan.conflicts().map(|c| c.label).collect(),
            ready: plan.steps.len(),
            absent: plan.skipped.iter().filter(|s| s.reason == fill::SkipReason::NotFound).map(|s| s.label).collect(),
        }
    });
    let vault = integration.map(|i| STATE.with(|s| s.borrow().vault.bundle(i.id, now))).unwrap_or_default();
    (captures, fill, vault)
}

fn frame_info(key: FrameKey) -> Option<(&'static Page, String, Vec<protocol::FieldFact>)> {
    STATE.with(|s| s.borrow().frames.get(&key).map(|f| (f.page, f.url.clone(), f.facts.clone())))
}

pub(crate) fn capture(key: FrameKey, slot: &str, integration: Option<&'static Integration>) {
    let Some((page, url, facts)) = frame_info(key) else { return };
    let Some(slot) = Slot::from_id(slot) else { return };
    let Some(cap) = page.captures.iter().find(|c| c.slot == slot) else {
        return notice(key, false, t("notice_capture_not_here"));
    };
    let Some(integration) = integration.or_else(|| {
        let mut users = catalog::integrations_for_page(page.id).filter(|i| crate::vault::uses_slot(i, slot));
        let first = users.next();
        first.filter(|_| users.next().is_none())
    }) else {
        return notice(key, false, t("notice_capture_pick"));
    };
    let raw = facts.iter().find(|f| f.key == cap.field).and_then(|f| match &f.value {
        Some(protocol::FieldValue::Text(t)) => Some(t.clone()),
        _ => None,
    });
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return notice(key, false, tf("notice_capture_hidden", &[slot.label(), cap.reveal_hint]));
    };
    let Some(host) = host_of(&url) else { return };
    let result = STATE.with(|s| s.borrow_mut().vault.capture(slot, &raw, integration, &host, now_ms()));
    match result {
        Ok(r) => {
            notice(key, true, tf("notice_captured", &[r.label, r.masked.as_str(), r.org.display()]));
            persist();
        }
        Err(e) => notice(key, false, format!("{} {}", e.message, e.fix)),
    }
}

pub(crate) fn forget(key: FrameKey, slot: Option<&str>, integration: Option<&'static Integration>) {
    let Some(i) = integration else { return };
    let n = STATE.with(|s| {
        let mut s = s.borrow_mut();
        match slot.and_then(Slot::from_id) {
            Some(slot) => usize::from(s.vault.forget(i.id, slot)),
            None => s.vault.forget_integration(i.id),
        }
    });
    notice(key, true, if n == 1 { t("notice_forgot_one") } else { tf("notice_forgot_many", &[&n.to_string()]) });
    persist();
}

/// Checks shared by Fill and Copy: a recognized page on an allowed host, an
/// integration, and values from the same Okta org as the page.
fn fill_guard(
    key: FrameKey,
    integration: Option<&'static Integration>,
) -> Result<(&'static Page, &'static Integration, Vec<protocol::FieldFact>), String> {
    let (page, url, facts) = frame_info(key).ok_or_else(|| t("notice_not_recognized"))?;
    let custom = super::ui::custom_hosts();
    let loc = Location::parse(&url).ok_or_else(|| t("notice_bad_url"))?;
    if !recognize::host_allowed(&url, &custom) || !recognize::url_matches(page, &loc, &custom) {
        return Err(t("notice_host_not_filled"));
    }
    let integration = integration.ok_or_else(|| t("notice_pick_first"))?;
    if !assemble::fills_anything(integration, page) {
        return Err(t("notice_no_fill_page"));
    }
    let host = host_of(&url).unwrap_or_default();
    if let (Some(page_org), Some(values_org)) = (okta_org_of_host(&host), values_org(integration)) {
        if !page_org.eq_ignore_ascii_case(&values_org) {
            return Err(tf("notice_other_org", &[values_org.as_str(), page_org.as_ref()]));
        }
    }
    Ok((page, integration, facts))
}

pub(crate) fn start_fill(key: FrameKey, overwrite: bool, integration: Option<&'static Integration>) {
    let (page, integration, facts) = match fill_guard(key, integration) {
        Ok(x) => x,
        Err(why) => return notice(key, false, why),
    };
    let values = assembled(integration, page);
    let confirmed: Vec<&'static str> = if overwrite {
        fill::plan(&values, &facts, &[]).conflicts().map(|c| c.field).collect()
    } else {
        Vec::new()
    };
    let mut plan = fill::plan(&values, &facts, &confirmed);
    // Where the values go: a page of another vendor's org needs the admin's
    // confirmation (the panel's bind button), a form naming its destination
    // must name the values' org (issue 13 §3).
    let url = frame_info(key).map(|f| f.1).unwrap_or_default();
    if let b @ destination::Binding::Ask { .. } = binding_for(page, &url, integration) {
        return notice(key, false, destination::not_filled(&destination::binding_question(&b).unwrap_or_default()));
    }
    let guarded = destination::guard(&mut plan, page, &facts, values_org(integration).as_deref());
    if let destination::Guarded::Refused { problem } = &guarded {
        return notice(key, false, destination::not_filled(problem));
    }
    if plan.is_empty() {
        let mut why: Vec<String> = plan.skipped.iter().map(|s| format!("{}: {}", s.label, s.message)).collect();
        why.extend(guarded.problem().map(String::from));
        let ok = plan.already_complete() && guarded.problem().is_none();
        return notice(key, ok, tf("notice_nothing_to_fill", &[&why.join(" ")]));
    }
    let withheld = guarded.withheld().to_vec();
    let run = FillRun { key, page, integration, confirmed, round: 1, report: fill::FillReport::default(), withheld };
    send_fill(run, plan);
}

/// The admin confirmed, in the panel, that the integration's values go to
/// `org` (this page's org): binds them in the vault, then fills. Refused
/// when `org` is not this page's org any more.
pub(crate) fn bind_and_fill(key: FrameKey, org: &str, integration: Option<&'static Integration>) {
    let (page, integration, _) = match fill_guard(key, integration) {
        Ok(x) => x,
        Err(why) => return notice(key, false, why),
    };
    let url = frame_info(key).map(|f| f.1).unwrap_or_default();
    match binding_for(page, &url, integration) {
        destination::Binding::Ask { to, slots, .. } if to == org => {
            STATE.with(|s| s.borrow_mut().vault.bind(integration.id, &slots, &to, now_ms()));
            persist();
            start_fill(key, false, integration.into());
        }
        destination::Binding::Ask { .. } => notice(key, false, t("notice_changed")),
        _ => start_fill(key, false, integration.into()),
    }
}

/// One fill, possibly in several rounds: a choice (Workato's authentication
/// type) can make the fields it governs appear only once it is made, so
/// after each round the form is planned again from what the agent read
/// back, and fields that were not on the page before are filled in the
/// next round. Bounded by [`MAX_FILL_ROUNDS`].
struct FillRun {
    key: FrameKey,
    page: &'static Page,
    integration: &'static Integration,
    confirmed: Vec<&'static str>,
    round: u8,
    report: fill::FillReport,
    /// Captured values held back until the destination names their org.
    withheld: Vec<&'static str>,
}

const MAX_FILL_ROUNDS: u8 = 3;

fn send_fill(run: FillRun, plan: fill::FillPlan) {
    let key = run.key;
    let msg = protocol::Envelope::new(ToAgent::Fill { page: run.page.id, steps: plan.instructions() });
    let env = to_js(&msg);
    drop(msg); // instructions are wiped on drop
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"frameId".into(), &JsValue::from_f64(key.1 as f64));
    let Ok(p) = call(&api(), &["tabs", "sendMessage"], &[JsValue::from_f64(key.0 as f64), env, opts.into()]) else {
        return notice(key, false, t("notice_no_answer"));
    };
    let on_reply = Closure::once(move |reply: JsValue| {
        let decoded = protocol::decode_agent_reply(serde_wasm_bindgen::Deserializer::from(reply));
        match decoded {
            Ok(protocol::AgentReply::Filled { page: p, fields }) if p == run.page.id => {
                STATE.with(|s| {
                    if let Some(f) = s.borrow_mut().frames.get_mut(&key) {
                        f.facts = fields.clone();
                    }
                });
                fill_round_done(run, &plan, fields);
            }
            _ => notice(key, false, t("notice_not_confirmed")),
        }
        background::push_view(key);
    })
    .into_js_value();
    let on_error = Closure::once(move |_e: JsValue| {
        notice(key, false, t("notice_no_answer"));
        background::push_view(key);
    })
    .into_js_value();
    if let Ok(p2) = call(&p, &["then"], &[on_reply, on_error]) {
        swallow(p2);
    }
}

fn fill_round_done(mut run: FillRun, plan: &fill::FillPlan, fields: Vec<protocol::FieldFact>) {
    let round = fill::verify(plan, &fields);
    run.report.filled.extend(round.filled);
    run.report.failed.extend(round.failed);
    let values = assembled(run.integration, run.page);
    let next = fill::plan(&values, &fields, &run.confirmed);
    // Only fields that were not on the page in the previous round, or that
    // waited for the destination: a field that did not take is reported,
    // not retried. The destination rule is applied to the read-back.
    let was_missing = |field: &str| plan.skipped.iter().any(|s| s.field == field && s.reason == fill::SkipReason::NotFound);
    let mut next_steps = next.clone();
    next_steps.steps.retain(|s| was_missing(s.field) || run.withheld.contains(&s.field));
    let captured: Vec<&str> = destination::captured_fields(run.page).map(|(f, _)| f).collect();
    let captured_pending = next_steps.steps.iter().any(|s| captured.contains(&s.field));
    let guarded = destination::guard(&mut next_steps, run.page, &fields, values_org(run.integration).as_deref());
    if run.round < MAX_FILL_ROUNDS && !next_steps.is_empty() {
        run.round += 1;
        run.withheld = guarded.withheld().to_vec();
        return send_fill(run, next_steps);
    }
    // Captured values this fill did not write because the destination does
    // not name their org (any more): a problem, not ok.
    let held: Option<String> = match &guarded {
        _ if !captured_pending => None,
        destination::Guarded::Go => None,
        g => Some(g.problem().map(String::from).unwrap_or_else(|| destination::STILL_HELD.to_string())),
    };
    let mut text = tf("notice_filled", &[&run.report.filled.len().to_string()]);
    for f in &run.report.failed {
        text.push_str(&format!(" {}: {}", f.label, f.why));
    }
    let conflicts: Vec<&str> = next.conflicts().map(|c| c.label).collect();
    if !conflicts.is_empty() {
        text.push_str(&format!(" {}", tf("notice_not_replaced", &[&conflicts.join(", ")])));
    }
    let not_found: Vec<&str> =
        next.skipped.iter().filter(|s| s.reason == fill::SkipReason::NotFound).map(|s| s.label).collect();
    if !not_found.is_empty() {
        text.push_str(&format!(" {}", tf("notice_not_on_page", &[&not_found.join(", ")])));
    }
    if let Some(problem) = &held {
        text.push_str(&format!(" {problem}"));
    }
    // Several visible controls match these fields equally well: none written.
    let ambiguous: Vec<&str> =
        next.skipped.iter().filter(|s| s.reason == fill::SkipReason::Ambiguous).map(|s| s.label).collect();
    if !ambiguous.is_empty() {
        text.push_str(&format!(" {}", tf("notice_not_filled_ambiguous", &[&ambiguous.join(", ")])));
    }
    // The page was too large to read these fields within the agent's budget.
    let too_large: Vec<&str> =
        next.skipped.iter().filter(|s| s.reason == fill::SkipReason::TooLarge).map(|s| s.label).collect();
    if !too_large.is_empty() {
        text.push_str(&format!(" {}", tf("notice_not_filled_too_large", &[&too_large.join(", ")])));
    }
    let ok = run.report.all_took()
        && !run.report.filled.is_empty()
        && held.is_none()
        && ambiguous.is_empty()
        && too_large.is_empty();
    notice(run.key, ok, text);
}

/// Copies one fill value to the clipboard (the admin clicked Copy in the
/// overlay). The background writes it through the shell's clipboard helper
/// (Chrome's offscreen document, Firefox's event page), so a console's
/// permissions policy cannot block it and the value never passes through
/// the page. A secret is cleared after [`CLIP_CLEAR_MS`] if the clipboard
/// still holds it.
pub(crate) fn copy(key: FrameKey, field: &str, integration: Option<&'static Integration>) -> Reply {
    let (page, integration, _) = match fill_guard(key, integration) {
        Ok(x) => x,
        Err(reason) => {
            notice(key, false, reason.clone());
            return Reply::Error { reason };
        }
    };
    let values = assembled(integration, page);
    let Some(v) = values.get(field) else {
        notice(key, false, t("notice_value_unavailable"));
        return Reply::Error { reason: t("notice_value_unavailable") };
    };
    let (label, secret) = (v.label, v.secret);
    let Ok(p) = call(&js_sys::global(), &["keyferryShell", "writeClipboard"], &[v.value.reveal().into()]) else {
        notice(key, false, t("notice_no_clipboard"));
        return Reply::Error { reason: t("notice_no_clipboard") };
    };
    if secret {
        arm_clipboard_clear(v.value.reveal());
    }
    let done = Closure::once(move |_: JsValue| {
        notice(key, true, if secret { tf("notice_copied_secret", &[label]) } else { tf("notice_copied", &[label]) });
        background::push_view(key);
    })
    .into_js_value();
    let failed = Closure::once(move |_: JsValue| {
        notice(key, false, tf("notice_copy_refused", &[label]));
        background::push_view(key);
    })
    .into_js_value();
    if let Ok(p2) = call(&p, &["then"], &[done, failed]) {
        swallow(p2);
    }
    Reply::Ack
}

/// How long a copied secret may stay on the clipboard.
pub const CLIP_CLEAR_MS: f64 = 60_000.0;
const CLIP_KEY: &str = "clip";
const CLIP_ALARM: &str = "kf-clip";

/// Remembers the copied secret (memory-only `storage.session`, so a stopped
/// worker still clears it) and schedules the clear.
pub(crate) fn arm_clipboard_clear(text: &str) {
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &CLIP_KEY.into(), &text.into());
    fire(&["storage", "session", "set"], &[entry.into()]);
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"when".into(), &JsValue::from_f64(js_sys::Date::now() + CLIP_CLEAR_MS));
    fire(&["alarms", "create"], &[CLIP_ALARM.into(), opts.into()]);
}

/// The clear alarm: hands the remembered secret to the shell's clipboard
/// helper (`keyferryShell.clearClipboardIf`), which clears the clipboard only
/// if it still holds that text, then forgets it.
fn clear_clipboard_now() {
    let then = Closure::once(move |saved: JsValue| {
        let Some(text) = get_path(&saved, &[CLIP_KEY]).as_string() else { return };
        let text = crate::secret::Sensitive::new(text);
        match call(&js_sys::global(), &["keyferryShell", "clearClipboardIf"], &[text.reveal().into()]) {
            Ok(p) => swallow(p),
            Err(_) => warn("could not clear the clipboard (no clipboard helper)"),
        }
        fire(&["storage", "session", "remove"], &[CLIP_KEY.into()]);
    })
    .into_js_value();
    if let Ok(p) = call(&api(), &["storage", "session", "get"], &[CLIP_KEY.into()]) {
        if let Ok(p2) = call(&p, &["then"], &[then]) {
            swallow(p2);
        }
    }
}

/// Copy page signature: asks the frame's agent to describe the page (probe
/// and locator hits, form controls without values), assembles the redacted
/// signature in the core (`drift::signature`) and writes it through the
/// shell's clipboard helper, like Copy. Not a secret: no clear alarm. The
/// frame must be one keyferry knows: recognized, or a drifted candidate.
pub(crate) async fn copy_signature(key: FrameKey) -> Result<(), String> {
    use wasm_bindgen_futures::JsFuture;
    let custom = super::ui::custom_hosts();
    let known = STATE.with(|s| {
        let s = s.borrow();
        if let Some(f) = s.frames.get(&key) {
            let integration = background::integration_for(f.page, key.0, &f.facts);
            let drift = crate::drift::recognized_drift(f.page, integration, &f.facts);
            Some((f.url.clone(), Some(f.page), drift))
        } else {
            s.drifts.get(&key).map(|(url, d)| (url.clone(), None, Some(d.clone())))
        }
    });
    let Some((url, recognized, drift)) = known else { return Err(t("notice_signature_no_page")) };
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"frameId".into(), &JsValue::from_f64(key.1 as f64));
    let env = to_js(&protocol::Envelope::new(ToAgent::Describe));
    let sent = call(&api(), &["tabs", "sendMessage"], &[JsValue::from_f64(key.0 as f64), env, opts.into()])
        .map_err(|_| t("notice_no_answer"))?;
    let reply = JsFuture::from(js_sys::Promise::resolve(&sent)).await.map_err(|_| t("notice_no_answer"))?;
    let description = crate::drift::decode_description(serde_wasm_bindgen::Deserializer::from(reply))
        .map_err(|_| t("notice_no_answer"))?;
    let candidates = recognize::candidates(&url, &custom);
    let text = crate::drift::signature(&url, &candidates, recognized, drift.as_ref(), &description);
    let written = call(&js_sys::global(), &["keyferryShell", "writeClipboard"], &[text.into()])
        .map_err(|_| t("notice_no_clipboard"))?;
    JsFuture::from(js_sys::Promise::resolve(&written)).await.map_err(|_| t("notice_signature_refused"))?;
    Ok(())
}
