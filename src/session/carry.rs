//! Capture, carry and fill: the background's side of the vault.
//!
//! - Capture takes the value the agent last read from the page's capture
//!   field (the admin clicked Capture in the overlay) into the vault.
//! - Fill assembles the target form's values, plans the fill against what
//!   the form holds now (never replacing a different value unless the admin
//!   confirmed), sends the instructions to the page agent, and verifies what
//!   it reads back.
//! - The vault lives in the session and is mirrored to `storage.session`
//!   (memory-only) so a stopped worker does not lose it.
//!
//! Every action here arrives as an overlay action, which the session only
//! accepts from its own extension page, after a trusted click.

use super::{Answer, Answered, Clip, Effect, Expect, FrameKey, Heard, Session, Stored, Ticket};
use crate::assemble::{self, AssembleContext};
use crate::catalog::{self, Integration, Page, Slot};
use crate::destination::{self, okta_org_of_host};
use crate::fill;
use crate::protocol::{self, Action, CaptureView, FillLine, FillView, Reply, ToAgent};
use crate::recognize::{self, Location};
use crate::secret::Sensitive;
use crate::validate;

/// How long a copied secret may stay on the clipboard.
pub const CLIP_CLEAR_MS: u64 = 60_000;
/// The `storage.session` key of the copied secret.
pub const CLIP_KEY: &str = "clip";
/// The alarm that clears a copied secret.
pub const CLIP_ALARM: &str = "kf-clip";
/// The alarm that drops expired values.
pub const EXPIRY_ALARM: &str = "kf-expiry";
const MAX_FILL_ROUNDS: u8 = 3;

/// What the session kept for a ticket.
pub(crate) enum Cont {
    /// A guarded click waits for the agent's `Check` answer.
    Check { key: FrameKey, action: Action, click: crate::clickguard::PanelFacts },
    /// A fill round waits for the agent's read-back.
    Fill { run: FillRun, plan: fill::FillPlan },
    /// The overlay's Copy waits for the clipboard.
    Copied { key: FrameKey, label: &'static str, secret: bool },
    /// The popup's Copy waits for the clipboard.
    PopupCopied { reply: Ticket, slot: Slot },
    /// Copy page signature waits for the agent's description...
    Described { then: SigThen, url: String, recognized: Option<&'static Page>, drift: Option<crate::drift::Drift> },
    /// ... then for the clipboard.
    SignatureWritten { then: SigThen },
    /// Content scripts: waits for the permissions and registrations.
    Probed { hosts: Vec<crate::settings::CustomHost>, then: super::ui::SyncThen },
    /// ... then for the new registrations.
    Synced { hosts: Vec<crate::settings::CustomHost>, status: Vec<(String, bool, bool)>, then: super::ui::SyncThen },
    /// A candidate page's hello waits for the rest of the agent to be in
    /// its frame; the specs go back either way (a failed injection leaves a
    /// quiet bootstrap, e.g. a host permission just revoked).
    AgentLoaded { reply: Ticket, specs: Reply },
    /// Settings save waits for `storage.local`.
    Saved { reply: Ticket, own: crate::settings::Settings, before: Vec<crate::settings::CustomHost> },
}

/// Where Copy page signature reports its outcome.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SigThen {
    /// The panel's notice.
    Overlay(FrameKey),
    /// The popup's reply.
    Popup { tab: i64, reply: Ticket },
}

/// One fill, possibly in several rounds: a choice (Workato's authentication
/// type) can make the fields it governs appear only once it is made, so
/// after each round the form is planned again from what the agent read
/// back, and fields that were not on the page before are filled in the
/// next round. Bounded by [`MAX_FILL_ROUNDS`].
pub(crate) struct FillRun {
    key: FrameKey,
    page: &'static Page,
    integration: &'static Integration,
    confirmed: Vec<&'static str>,
    round: u8,
    report: fill::FillReport,
    /// Captured values held back until the destination names their org.
    withheld: Vec<&'static str>,
}


impl Session {
    /// Carries on from what was kept for `ticket`.
    pub(crate) fn answer(&mut self, ticket: Ticket, answer: Answer) {
        let Some(cont) = self.conts.remove(&ticket) else { return };
        match (cont, answer) {
            (Cont::AgentLoaded { reply, specs }, Answer::Loaded(_)) => {
                self.emit(Effect::Answer { ticket: reply, reply: specs });
            }
            (Cont::Check { key, action, click }, Answer::Check(page)) => self.checked_click(key, action, Some(click), page),
            (Cont::Fill { run, plan }, Answer::Filled(heard)) => {
                let key = run.key;
                match heard {
                    Heard::Answered(protocol::AgentReply::Filled { page: p, fields }) if p == run.page.id => {
                        if let Some(f) = self.frames.get_mut(&key) {
                            f.facts = fields.clone();
                        }
                        self.fill_round_done(run, &plan, fields);
                    }
                    Heard::Silent => self.notice(key, false, self.t("notice_no_answer")),
                    _ => self.notice(key, false, self.t("notice_not_confirmed")),
                }
                self.push_view(key);
            }
            (Cont::Copied { key, label, secret }, Answer::Clipboard(clip)) => {
                let (ok, text) = match clip {
                    Clip::Copied if secret => (true, self.tf("notice_copied_secret", &[label])),
                    Clip::Copied => (true, self.tf("notice_copied", &[label])),
                    Clip::Refused => (false, self.tf("notice_copy_refused", &[label])),
                    Clip::Unavailable => (false, self.t("notice_no_clipboard")),
                };
                self.notice(key, ok, text);
                self.push_view(key);
            }
            (Cont::PopupCopied { reply, slot }, Answer::Clipboard(clip)) => {
                let ok = clip == Clip::Copied;
                let text = match (ok, slot.is_secret()) {
                    (true, true) => self.tf("notice_copied_secret", &[slot.label()]),
                    (true, false) => self.tf("notice_copied", &[slot.label()]),
                    (false, _) => self.tf("notice_copy_refused", &[slot.label()]),
                };
                let view = self.popup_view(Some(protocol::Notice { ok, text }));
                self.emit(Effect::Answer { ticket: reply, reply: Reply::Popup { view } });
            }
            (Cont::Described { then, url, recognized, drift }, Answer::Described(heard)) => {
                let Heard::Answered(description) = heard else {
                    return self.signature_done(then, Err(self.t("notice_no_answer")));
                };
                let candidates = recognize::candidates(&url, self.custom_hosts());
                let text = crate::drift::signature(&url, &candidates, recognized, drift.as_ref(), &description);
                let ticket = self.ticket();
                self.conts.insert(ticket, Cont::SignatureWritten { then });
                self.emit(Effect::WriteClipboard { text: Sensitive::new(text), ticket: Some(ticket) });
            }
            (Cont::SignatureWritten { then }, Answer::Clipboard(clip)) => {
                let done = match clip {
                    Clip::Copied => Ok(()),
                    Clip::Refused => Err(self.t("notice_signature_refused")),
                    Clip::Unavailable => Err(self.t("notice_no_clipboard")),
                };
                self.signature_done(then, done);
            }
            (Cont::Probed { hosts, then }, Answer::Probed { granted, registered }) => {
                self.probed(hosts, granted, registered, then)
            }
            (Cont::Synced { hosts, status, then }, Answer::Registered(now)) => self.synced(hosts, status, now, then),
            (Cont::Saved { reply, own, before }, Answer::Saved(ok)) => self.saved(reply, own, before, ok),
            // An answer of another kind than asked: the web side's mistake;
            // nothing is carried out.
            (_, other) => self.emit(Effect::Warn(format!("ignored an unexpected answer: {}", answer_kind(&other)))),
        }
    }

    /// Saves the vault to `storage.session` and schedules the next expiry.
    pub(crate) fn persist(&mut self) {
        self.vault.purge_expired(self.now);
        let snapshot = self.vault.snapshot(self.now);
        self.emit(Effect::Store { key: "vault".into(), value: Stored::Vault(snapshot) });
        if let Some(when) = self.vault.next_expiry(self.now) {
            self.emit(Effect::SetAlarm { name: EXPIRY_ALARM, when_ms: when + 50 });
        }
    }

    fn values_org(&self, integration: &Integration) -> Option<String> {
        self.vault.okta_org(integration.id, self.now).map(String::from)
    }

    /// Whether filling `page` at `url` sends values of another vendor's org
    /// to this page's org without the admin's confirmation
    /// (`destination::binding`).
    fn binding_for(&self, page: &'static Page, url: &str, integration: &Integration) -> destination::Binding {
        let org = destination::page_org(&Location::host_of(url).unwrap_or_default());
        destination::binding(page, &org, &self.vault.carried(integration.id, self.now))
    }

    fn assembled(&self, integration: &Integration, page: &'static Page) -> assemble::FormValues {
        let ctx = AssembleContext {
            okta_admin_host: self.values_org(integration),
            data_center: self.data_center_known().map(|k| k.data_center()),
            connection_name: None,
        };
        assemble::assemble(integration, &self.vault.lookup(integration.id, self.now), page, &ctx)
    }

    /// The capture rows and fill preview for a frame's view.
    pub(crate) fn carry_views(
        &self,
        page: &'static Page,
        integration: Option<&'static Integration>,
        facts: &[protocol::FieldFact],
        url: &str,
    ) -> (Vec<CaptureView>, Option<protocol::FillView>, Vec<crate::vault::EntryView>) {
        let now = self.now;
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
                let captured = integration
                    .and_then(|i| self.vault.get(i.id, c.slot, now).map(|e| e.value.masked(!c.slot.is_secret())));
                CaptureView { slot: c.slot.id(), label: c.slot.label(), shown, captured, hint: c.reveal_hint }
            })
            .collect();
        let fill = integration.filter(|i| assemble::fills_anything(i, page)).map(|i| {
            let values = self.assembled(i, page);
            let plan = fill::plan(&values, facts, &[]);
            let org = self.values_org(i);
            let blocked =
                destination::guard(&mut plan.clone(), page, facts, org.as_deref()).problem().map(String::from);
            let b = self.binding_for(page, url, i);
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
                absent: plan
                    .skipped
                    .iter()
                    .filter(|s| s.reason == fill::SkipReason::NotFound)
                    .map(|s| s.label)
                    .collect(),
            }
        });
        let vault = integration.map(|i| self.vault.bundle(i.id, now)).unwrap_or_default();
        (captures, fill, vault)
    }

    fn frame_info(&self, key: FrameKey) -> Option<(&'static Page, String, Vec<protocol::FieldFact>)> {
        self.frames.get(&key).map(|f| (f.page, f.url.clone(), f.facts.clone()))
    }

    pub(crate) fn capture(&mut self, key: FrameKey, slot: &str, integration: Option<&'static Integration>) {
        let Some((page, url, facts)) = self.frame_info(key) else { return };
        let Some(slot) = Slot::from_id(slot) else { return };
        let Some(cap) = page.captures.iter().find(|c| c.slot == slot) else {
            return self.notice(key, false, self.t("notice_capture_not_here"));
        };
        let Some(integration) = integration.or_else(|| {
            let mut users = catalog::integrations_for_page(page.id).filter(|i| crate::vault::uses_slot(i, slot));
            let first = users.next();
            first.filter(|_| users.next().is_none())
        }) else {
            return self.notice(key, false, self.t("notice_capture_pick"));
        };
        let raw = facts.iter().find(|f| f.key == cap.field).and_then(|f| match &f.value {
            Some(protocol::FieldValue::Text(t)) => Some(Sensitive::new(t.clone())),
            _ => None,
        });
        let Some(raw) = raw.filter(|r| !r.reveal().trim().is_empty()) else {
            return self.notice(key, false, self.tf("notice_capture_hidden", &[slot.label(), cap.reveal_hint]));
        };
        let Some(host) = Location::host_of(&url) else { return };
        match self.vault.capture(slot, raw.reveal(), integration, &host, self.now) {
            Ok(r) => {
                let text = self.tf("notice_captured", &[r.label, r.masked.as_str(), r.org.display()]);
                self.notice(key, true, text);
                self.persist();
            }
            Err(e) => self.notice(key, false, format!("{} {}", e.message, e.fix)),
        }
    }

    pub(crate) fn forget(&mut self, key: FrameKey, slot: Option<&str>, integration: Option<&'static Integration>) {
        let Some(i) = integration else { return };
        let n = match slot.and_then(Slot::from_id) {
            Some(slot) => usize::from(self.vault.forget(i.id, slot)),
            None => self.vault.forget_integration(i.id),
        };
        let text = self.forgot_text(n);
        self.notice(key, true, text);
        self.persist();
    }

    pub(crate) fn forgot_text(&self, n: usize) -> String {
        if n == 1 {
            self.t("notice_forgot_one")
        } else {
            self.tf("notice_forgot_many", &[&n.to_string()])
        }
    }

    /// Checks shared by Fill and Copy: a recognized page on an allowed host,
    /// an integration, and values from the same Okta org as the page.
    pub fn fill_guard(
        &self,
        key: FrameKey,
        integration: Option<&'static Integration>,
    ) -> Result<(&'static Page, &'static Integration, Vec<protocol::FieldFact>), String> {
        let (page, url, facts) = self.frame_info(key).ok_or_else(|| self.t("notice_not_recognized"))?;
        let custom = self.custom_hosts();
        let loc = Location::parse(&url).ok_or_else(|| self.t("notice_bad_url"))?;
        if !recognize::host_allowed(&url, custom) || !recognize::url_matches(page, &loc, custom) {
            return Err(self.t("notice_host_not_filled"));
        }
        let integration = integration.ok_or_else(|| self.t("notice_pick_first"))?;
        if !assemble::fills_anything(integration, page) {
            return Err(self.t("notice_no_fill_page"));
        }
        let host = Location::host_of(&url).unwrap_or_default();
        if let (Some(page_org), Some(values_org)) = (okta_org_of_host(&host), self.values_org(integration)) {
            if !page_org.eq_ignore_ascii_case(&values_org) {
                return Err(self.tf("notice_other_org", &[values_org.as_str(), page_org.as_ref()]));
            }
        }
        Ok((page, integration, facts))
    }

    pub(crate) fn start_fill(&mut self, key: FrameKey, overwrite: bool, integration: Option<&'static Integration>) {
        let (page, integration, facts) = match self.fill_guard(key, integration) {
            Ok(x) => x,
            Err(why) => return self.notice(key, false, why),
        };
        let values = self.assembled(integration, page);
        let confirmed: Vec<&'static str> =
            if overwrite { fill::plan(&values, &facts, &[]).conflicts().map(|c| c.field).collect() } else { Vec::new() };
        let mut plan = fill::plan(&values, &facts, &confirmed);
        // Where the values go: a page of another vendor's org needs the
        // admin's confirmation (the panel's bind button), a form naming its
        // destination must name the values' org (issue 13 §3).
        let url = self.frame_info(key).map(|f| f.1).unwrap_or_default();
        if let b @ destination::Binding::Ask { .. } = self.binding_for(page, &url, integration) {
            let text = destination::not_filled(&destination::binding_question(&b).unwrap_or_default());
            return self.notice(key, false, text);
        }
        let guarded = destination::guard(&mut plan, page, &facts, self.values_org(integration).as_deref());
        if let destination::Guarded::Refused { problem } = &guarded {
            return self.notice(key, false, destination::not_filled(problem));
        }
        if plan.is_empty() {
            let mut why: Vec<String> = plan.skipped.iter().map(|s| format!("{}: {}", s.label, s.message)).collect();
            why.extend(guarded.problem().map(String::from));
            let ok = plan.already_complete() && guarded.problem().is_none();
            return self.notice(key, ok, self.tf("notice_nothing_to_fill", &[&why.join(" ")]));
        }
        let withheld = guarded.withheld().to_vec();
        let run = FillRun { key, page, integration, confirmed, round: 1, report: fill::FillReport::default(), withheld };
        self.send_fill(run, plan);
    }

    /// The admin confirmed, in the panel, that the integration's values go
    /// to `org` (this page's org): binds them in the vault, then fills.
    /// Refused when `org` is not this page's org any more.
    pub(crate) fn bind_and_fill(&mut self, key: FrameKey, org: &str, integration: Option<&'static Integration>) {
        let (page, integration, _) = match self.fill_guard(key, integration) {
            Ok(x) => x,
            Err(why) => return self.notice(key, false, why),
        };
        let url = self.frame_info(key).map(|f| f.1).unwrap_or_default();
        match self.binding_for(page, &url, integration) {
            destination::Binding::Ask { to, slots, .. } if to == org => {
                self.vault.bind(integration.id, &slots, &to, self.now);
                self.persist();
                self.start_fill(key, false, integration.into());
            }
            destination::Binding::Ask { .. } => self.notice(key, false, self.t("notice_changed")),
            _ => self.start_fill(key, false, integration.into()),
        }
    }

    fn send_fill(&mut self, run: FillRun, plan: fill::FillPlan) {
        let key = run.key;
        let msg = ToAgent::Fill { page: run.page.id, steps: plan.instructions() };
        let ticket = self.ticket();
        self.conts.insert(ticket, Cont::Fill { run, plan });
        self.emit(Effect::Ask { key, msg, expect: Expect::Filled, timeout_ms: None, ticket });
    }

    fn fill_round_done(&mut self, mut run: FillRun, plan: &fill::FillPlan, fields: Vec<protocol::FieldFact>) {
        let round = fill::verify(plan, &fields);
        run.report.filled.extend(round.filled);
        run.report.failed.extend(round.failed);
        let values = self.assembled(run.integration, run.page);
        let next = fill::plan(&values, &fields, &run.confirmed);
        // Only fields that were not on the page in the previous round, or
        // that waited for the destination: a field that did not take is
        // reported, not retried. The destination rule is applied to the
        // read-back.
        let was_missing =
            |field: &str| plan.skipped.iter().any(|s| s.field == field && s.reason == fill::SkipReason::NotFound);
        let mut next_steps = next.clone();
        next_steps.steps.retain(|s| was_missing(s.field) || run.withheld.contains(&s.field));
        let captured: Vec<&str> = destination::captured_fields(run.page).map(|(f, _)| f).collect();
        let captured_pending = next_steps.steps.iter().any(|s| captured.contains(&s.field));
        let guarded =
            destination::guard(&mut next_steps, run.page, &fields, self.values_org(run.integration).as_deref());
        if run.round < MAX_FILL_ROUNDS && !next_steps.is_empty() {
            run.round += 1;
            run.withheld = guarded.withheld().to_vec();
            return self.send_fill(run, next_steps);
        }
        // Captured values this fill did not write because the destination
        // does not name their org (any more): a problem, not ok.
        let held: Option<String> = match &guarded {
            _ if !captured_pending => None,
            destination::Guarded::Go => None,
            g => Some(g.problem().map(String::from).unwrap_or_else(|| destination::STILL_HELD.to_string())),
        };
        let mut text = self.tf("notice_filled", &[&run.report.filled.len().to_string()]);
        for f in &run.report.failed {
            text.push_str(&format!(" {}: {}", f.label, f.why));
        }
        let conflicts: Vec<&str> = next.conflicts().map(|c| c.label).collect();
        if !conflicts.is_empty() {
            text.push_str(&format!(" {}", self.tf("notice_not_replaced", &[&conflicts.join(", ")])));
        }
        let labels = |reason: fill::SkipReason| -> Vec<&str> {
            next.skipped.iter().filter(|s| s.reason == reason).map(|s| s.label).collect()
        };
        let not_found = labels(fill::SkipReason::NotFound);
        if !not_found.is_empty() {
            text.push_str(&format!(" {}", self.tf("notice_not_on_page", &[&not_found.join(", ")])));
        }
        if let Some(problem) = &held {
            text.push_str(&format!(" {problem}"));
        }
        // Several visible controls match these fields equally well: none written.
        let ambiguous = labels(fill::SkipReason::Ambiguous);
        if !ambiguous.is_empty() {
            text.push_str(&format!(" {}", self.tf("notice_not_filled_ambiguous", &[&ambiguous.join(", ")])));
        }
        // The page was too large to read these fields within the agent's budget.
        let too_large = labels(fill::SkipReason::TooLarge);
        if !too_large.is_empty() {
            text.push_str(&format!(" {}", self.tf("notice_not_filled_too_large", &[&too_large.join(", ")])));
        }
        let ok = run.report.all_took()
            && !run.report.filled.is_empty()
            && held.is_none()
            && ambiguous.is_empty()
            && too_large.is_empty();
        self.notice(run.key, ok, text);
    }

    /// Copies one fill value to the clipboard (the admin clicked Copy in the
    /// overlay), through the shell's clipboard helper (Chrome's offscreen
    /// document, Firefox's event page), so a console's permissions policy
    /// cannot block it and the value never passes through the page. A
    /// secret is cleared after [`CLIP_CLEAR_MS`] if the clipboard still
    /// holds it.
    pub(crate) fn copy(&mut self, key: FrameKey, field: &str, integration: Option<&'static Integration>) -> Reply {
        let (page, integration, _) = match self.fill_guard(key, integration) {
            Ok(x) => x,
            Err(reason) => {
                self.notice(key, false, reason.clone());
                return Reply::Error { reason };
            }
        };
        let values = self.assembled(integration, page);
        let Some(v) = values.get(field) else {
            let reason = self.t("notice_value_unavailable");
            self.notice(key, false, reason.clone());
            return Reply::Error { reason };
        };
        let (label, secret) = (v.label, v.secret);
        let ticket = self.ticket();
        self.conts.insert(ticket, Cont::Copied { key, label, secret });
        self.emit(Effect::WriteClipboard { text: v.value.clone(), ticket: Some(ticket) });
        if secret {
            self.arm_clipboard_clear(v.value.clone());
        }
        Reply::Ack
    }

    /// Remembers the copied secret (memory-only `storage.session`, so a
    /// stopped worker still clears it) and schedules the clear.
    pub(crate) fn arm_clipboard_clear(&mut self, text: Sensitive) {
        self.emit(Effect::Store { key: CLIP_KEY.into(), value: Stored::Secret(text) });
        self.emit(Effect::SetAlarm { name: CLIP_ALARM, when_ms: self.now + CLIP_CLEAR_MS });
    }

    /// Copy page signature: asks the frame's agent to describe the page
    /// (probe and locator hits, form controls without values), assembles the
    /// redacted signature (`drift::signature`) and writes it through the
    /// clipboard helper, like Copy. Not a secret: no clear alarm. The frame
    /// must be one keyferry knows: recognized, or a drifted candidate.
    pub(crate) fn ask_signature(&mut self, key: FrameKey, then: SigThen) {
        let known = if let Some(f) = self.frames.get(&key) {
            let integration = self.integration_for(f.page, key.0, &f.facts);
            let drift = crate::drift::recognized_drift(f.page, integration, &f.facts);
            Some((f.url.clone(), Some(f.page), drift))
        } else {
            self.drifts.get(&key).map(|(url, d)| (url.clone(), None, Some(d.clone())))
        };
        let Some((url, recognized, drift)) = known else {
            return self.signature_done(then, Err(self.t("notice_signature_no_page")));
        };
        let ticket = self.ticket();
        self.conts.insert(ticket, Cont::Described { then, url, recognized, drift });
        self.emit(Effect::Ask { key, msg: ToAgent::Describe, expect: Expect::Description, timeout_ms: None, ticket });
    }

    fn signature_done(&mut self, then: SigThen, done: Result<(), String>) {
        let (ok, text) = match done {
            Ok(()) => (true, self.t("notice_signature_copied")),
            Err(why) => (false, why),
        };
        match then {
            SigThen::Overlay(key) => {
                self.notice(key, ok, text);
                self.push_view(key);
            }
            SigThen::Popup { tab, reply } => {
                let drift = self.tab_drift(tab).map(|(_, d)| d);
                let notice = Some(protocol::Notice { ok, text });
                self.emit(Effect::Answer { ticket: reply, reply: Reply::Drift { drift, notice } });
            }
        }
    }

    /// Starts a reply that comes later.
    pub(crate) fn later(&mut self) -> (Ticket, Answered) {
        let t = self.ticket();
        (t, Answered::Later(t))
    }
}

fn answer_kind(a: &Answer) -> &'static str {
    match a {
        Answer::Check(_) => "check",
        Answer::Filled(_) => "filled",
        Answer::Described(_) => "described",
        Answer::Clipboard(_) => "clipboard",
        Answer::Probed { .. } => "probed",
        Answer::Registered(_) => "registered",
        Answer::Saved(_) => "saved",
        Answer::Loaded(_) => "loaded",
    }
}
