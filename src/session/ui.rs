//! The session's side of the popup and the options page: settings (load,
//! apply, save), content scripts for custom hosts, cross-console progress,
//! the vault as the popup lists it, and the report.
//!
//! Requests arrive as `ToBackground::Ui` and are accepted only from our own
//! `popup.html` / `options.html` (`Sender::ui_page`).

use super::carry::{Cont, SigThen};
use super::{Answered, Effect, Loaded, Policy, Script, Session, Stored, Ticket, POPUP_PICK_KEY};
use crate::catalog::{self, Slot};
use crate::protocol::{HostStatus, Notice, PopupView, Reply, SettingsIn, SettingsView, UiRequest};
use crate::report::{self, Hosts, Report};
use crate::settings::{self, CustomHost, CustomKind, Effective, Partial, Settings};
use crate::validate::DataCenter;

/// What to do once the content scripts are in sync.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SyncThen {
    /// Answer `background_settings` (its promise resolves).
    Loaded(Ticket),
    /// Answer the options page with its view.
    Settings(Ticket),
    /// Answer the options page's Save.
    Saved(Ticket),
}

fn notice(ok: bool, text: impl Into<String>) -> Option<Notice> {
    Some(Notice { ok, text: text.into() })
}

fn partial(loaded: Loaded, source: &str) -> Partial {
    match loaded {
        Loaded::Absent | Loaded::Pending => Partial::default(),
        Loaded::Raw(raw) => Partial::from_raw(raw, source),
        Loaded::Unreadable => Partial { problems: vec![format!("{source}: unreadable, ignored.")], ..Partial::default() },
    }
}

impl Session {
    /// The settings in effect.
    pub fn settings(&self) -> &Effective {
        &self.settings
    }

    /// Settings read at start or after a change. Only hosts the policy
    /// dropped are revoked here; the admin's own are revoked by the options
    /// page's Remove (a stale read of storage.local must never revoke a
    /// host that is being added).
    pub(crate) fn load_settings(&mut self, local: Loaded, managed: Loaded) -> Answered {
        if matches!(managed, Loaded::Pending) {
            if self.policy != Policy::Read {
                // The admin's own settings now; the policy's hosts and the
                // content scripts are brought in line once it is read.
                let managed_now = self.settings_managed.clone();
                self.policy = Policy::Pending;
                self.apply(partial(local, "saved settings"), managed_now);
            } // else the policy came first: nothing to do
            return Answered::Now(Reply::Ack);
        }
        let was_pending = std::mem::replace(&mut self.policy, Policy::Read) == Policy::Pending;
        let managed_before = self.settings.managed_hosts.clone();
        self.apply(partial(local, "saved settings"), partial(managed, "administrator policy"));
        if was_pending {
            self.after_policy();
        }
        let now = self.custom_hosts();
        let dropped: Vec<CustomHost> =
            managed_before.into_iter().filter(|b| now.iter().all(|h| h.host != b.host)).collect();
        let (t, answered) = self.later();
        self.sync_scripts(&dropped, SyncThen::Loaded(t));
        answered
    }

    /// The policy did not answer in time ([`Input::PolicyLate`]): the clicks
    /// and requests that wait for it are carried out now. A policy read
    /// later is applied as any change is.
    pub(crate) fn policy_late(&mut self) {
        if self.policy == Policy::Pending {
            self.policy = Policy::Read;
            self.after_policy();
        }
    }

    /// Applies settings: the vault's lifetime for new captures and the data
    /// center; overlays are redrawn (the data center changes callbacks).
    fn apply(&mut self, local: Partial, managed: Partial) {
        let eff = Effective::merge(local.clone(), managed.clone());
        self.vault.set_ttl(eff.vault_ttl_ms());
        self.data_center = eff.settings.data_center;
        self.settings = eff;
        self.settings_local = local;
        self.settings_managed = managed;
        self.push_all_views();
    }

    /// Brings the registered content scripts in line with the custom hosts
    /// whose permission the browser granted (first step: ask the browser),
    /// and revokes the permission of the hosts in `removed` that are no
    /// longer configured.
    fn sync_scripts(&mut self, removed: &[CustomHost], then: SyncThen) {
        let hosts = self.custom_hosts().to_vec();
        let revoke: Vec<String> =
            removed.iter().filter(|b| hosts.iter().all(|h| h.host != b.host)).map(|b| b.pattern()).collect();
        let ticket = self.ticket();
        let patterns = hosts.iter().map(|h| h.pattern()).collect();
        self.conts.insert(ticket, Cont::Probed { hosts, then });
        self.emit(Effect::ProbeHosts { patterns, revoke, ticket });
    }

    /// Second step: registers missing scripts, unregisters the rest (ours
    /// only: ids with `SCRIPT_ID_PREFIX`).
    pub(crate) fn probed(
        &mut self,
        hosts: Vec<CustomHost>,
        granted: Vec<bool>,
        registered: Option<Vec<String>>,
        then: SyncThen,
    ) {
        let status: Vec<(String, bool, bool)> =
            hosts.iter().enumerate().map(|(n, h)| (h.host.clone(), granted.get(n) == Some(&true), false)).collect();
        let Some(registered) = registered else {
            // No scripting API: nothing to register.
            self.host_status = status;
            return self.synced_then(then);
        };
        let wanted: Vec<&CustomHost> = hosts.iter().zip(&status).filter(|(_, s)| s.1).map(|(h, _)| h).collect();
        let ours: Vec<&String> = registered.iter().filter(|id| id.starts_with(settings::SCRIPT_ID_PREFIX)).collect();
        let unregister: Vec<String> =
            ours.iter().filter(|id| wanted.iter().all(|h| h.script_id() != ***id)).map(|id| (*id).clone()).collect();
        let register: Vec<Script> = wanted
            .iter()
            .filter(|h| !ours.iter().any(|id| **id == h.script_id()))
            .map(|h| Script { id: h.script_id(), pattern: h.pattern() })
            .collect();
        let ticket = self.ticket();
        self.conts.insert(ticket, Cont::Synced { hosts, status, then });
        self.emit(Effect::SyncScripts { unregister, register, ticket });
    }

    /// Last step: what is registered now.
    pub(crate) fn synced(
        &mut self,
        hosts: Vec<CustomHost>,
        mut status: Vec<(String, bool, bool)>,
        registered: Vec<String>,
        then: SyncThen,
    ) {
        for (st, h) in status.iter_mut().zip(&hosts) {
            st.2 = registered.contains(&h.script_id());
        }
        self.host_status = status;
        self.synced_then(then);
    }

    fn synced_then(&mut self, then: SyncThen) {
        let (ticket, reply) = match then {
            SyncThen::Loaded(t) => (t, Reply::Ack),
            SyncThen::Settings(t) => (t, Reply::Settings { view: self.settings_view(None) }),
            SyncThen::Saved(t) => (t, Reply::Settings { view: self.settings_view(notice(true, self.t("notice_saved"))) }),
        };
        self.emit(Effect::Answer { ticket, reply });
    }

    /// Mirrors the progress to `storage.session` (memory-only; nothing secret).
    pub(crate) fn persist_progress(&mut self) {
        let progress = self.progress.clone();
        self.emit(Effect::Store { key: "progress".into(), value: Stored::Progress(progress) });
    }

    /// The popup's view: the integration picked there (or last worked on),
    /// its progress across consoles and its captured values.
    pub fn popup_view(&mut self, notice: Option<Notice>) -> PopupView {
        let now = self.now;
        self.vault.purge_expired(now);
        let integration = self
            .popup_pick
            .or(self.last_active)
            .or_else(|| self.vault.entries().first().map(|e| e.integration))
            .or_else(|| self.progress.latest_integration().and_then(catalog::integration).map(|i| i.id));
        let progress = integration.and_then(catalog::integration).map(|i| {
            let dc = self.data_center_known().map(|k| k.data_center());
            let hosts = Hosts::known(i, &self.vault, &self.progress, dc, now);
            report::progress_for(i, &self.progress, &hosts)
        });
        PopupView {
            integrations: catalog::INTEGRATIONS.iter().map(|i| (i.id, i.title)).collect(),
            integration,
            progress,
            vault: integration.map(|i| self.vault.bundle(i, now)).unwrap_or_default(),
            vault_total: self.vault.entries().len(),
            vault_minutes: self.settings.settings.vault_minutes,
            notice,
        }
    }

    /// The options page's view: settings in effect, which are managed, and
    /// each custom host's permission and content script.
    pub fn settings_view(&self, notice: Option<Notice>) -> SettingsView {
        let e = &self.settings;
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
                    let st = self.host_status.iter().find(|x| x.0 == h.host);
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
    }

    /// Checks what the options page sends; the message says what to fix.
    fn checked(&self, input: &SettingsIn) -> Result<Settings, String> {
        // Empty: "Not chosen" (any official callback is accepted until
        // keyferry sees the admin's Workato host).
        let data_center = match input.data_center.trim() {
            "" => None,
            dc => Some(DataCenter::resolve(dc).map_err(|p| format!("{} {}", p.message, p.fix))?),
        };
        let vault_minutes = settings::validate_minutes(&input.vault_minutes.to_string())
            .map_err(|p| self.tf("notice_vault_expiry_problem", &[&format!("{} {}", p.message, p.fix)]))?;
        let mut custom_hosts: Vec<CustomHost> = Vec::new();
        for h in &input.custom_hosts {
            let kind = CustomKind::from_id(&h.kind).ok_or_else(|| self.t("notice_host_kind_missing"))?;
            let host = settings::validate_host(kind, &h.host).map_err(|p| format!("{} {}", p.message, p.fix))?;
            if custom_hosts.iter().any(|x| x.host == host.host) {
                return Err(self.tf("notice_host_twice", &[&host.host]));
            }
            custom_hosts.push(host);
        }
        if custom_hosts.len() > settings::MAX_CUSTOM_HOSTS {
            return Err(self.tf("notice_hosts_max", &[&settings::MAX_CUSTOM_HOSTS.to_string()]));
        }
        Ok(Settings { data_center, vault_minutes, custom_hosts })
    }

    /// The admin's own part of checked settings: values the policy sets stay
    /// what the admin had (a managed value is not theirs).
    fn own_part(&self, new: Settings) -> Settings {
        let (managed, old_local) = (&self.settings_managed, &self.settings_local);
        let defaults = Settings::default();
        let data_center = match managed.data_center {
            Some(_) => old_local.data_center.or(defaults.data_center),
            None => new.data_center,
        };
        let vault_minutes = match managed.vault_minutes {
            Some(_) => old_local.vault_minutes.unwrap_or(defaults.vault_minutes),
            None => new.vault_minutes,
        };
        let custom_hosts = new
            .custom_hosts
            .into_iter()
            .filter(|h| managed.custom_hosts.iter().flatten().all(|m| m.host != h.host))
            .collect();
        Settings { data_center, vault_minutes, custom_hosts }
    }

    /// `storage.local` answered the Save: apply, then sync the scripts.
    pub(crate) fn saved(&mut self, reply: Ticket, own: Settings, before: Vec<CustomHost>, ok: bool) {
        if !ok {
            let view = self.settings_view(notice(false, self.t("notice_settings_not_saved")));
            return self.emit(Effect::Answer { ticket: reply, reply: Reply::Settings { view } });
        }
        let local = Partial {
            data_center: own.data_center,
            vault_minutes: Some(own.vault_minutes),
            custom_hosts: Some(own.custom_hosts),
            problems: Vec::new(),
        };
        let managed = self.settings_managed.clone();
        self.apply(local, managed);
        self.sync_scripts(&before, SyncThen::Saved(reply));
    }

    /// Handles one request of the popup or options page.
    pub(crate) fn request(&mut self, req: UiRequest) -> Answered {
        let reply = match req {
            UiRequest::Popup { integration } => {
                if let Some(i) = integration.as_deref().and_then(catalog::integration) {
                    self.popup_pick = Some(i.id);
                    self.emit(Effect::Store { key: POPUP_PICK_KEY.into(), value: Stored::Text(i.id.into()) });
                }
                Reply::Popup { view: self.popup_view(None) }
            }
            UiRequest::Forget { integration, slot } => {
                let Some(i) = catalog::integration(&integration) else {
                    let n = notice(false, self.t("notice_unknown_integration"));
                    return Answered::Now(Reply::Popup { view: self.popup_view(n) });
                };
                let n = match slot.as_deref().map(Slot::from_id) {
                    Some(Some(slot)) => usize::from(self.vault.forget(i.id, slot)),
                    Some(None) => 0,
                    None => self.vault.forget_integration(i.id),
                };
                self.persist();
                self.push_all_views();
                let text = self.forgot_text(n);
                Reply::Popup { view: self.popup_view(notice(true, text)) }
            }
            UiRequest::ForgetAll => {
                let n = self.vault.forget_all();
                self.persist();
                self.push_all_views();
                let text = self.forgot_text(n);
                Reply::Popup { view: self.popup_view(notice(true, text)) }
            }
            UiRequest::Copy { integration, slot } => {
                // Written by the clipboard helper (as the overlay's Copy):
                // the value never travels to the popup; a secret is cleared
                // after a minute if the clipboard still holds it.
                let now = self.now;
                let found = catalog::integration(&integration)
                    .zip(Slot::from_id(&slot))
                    .and_then(|(i, slot)| self.vault.get(i.id, slot, now).map(|e| (e.value.clone(), slot)));
                let Some((value, slot)) = found else {
                    let n = notice(false, self.t("notice_value_gone"));
                    return Answered::Now(Reply::Popup { view: self.popup_view(n) });
                };
                let (reply, answered) = self.later();
                let ticket = self.ticket();
                self.conts.insert(ticket, Cont::PopupCopied { reply, slot });
                self.emit(Effect::WriteClipboard { text: value.clone(), ticket: Some(ticket) });
                if slot.is_secret() {
                    self.arm_clipboard_clear(value);
                }
                return answered;
            }
            UiRequest::Report { integration } => {
                let Some(i) = catalog::integration(&integration) else {
                    return Answered::Now(Reply::Error { reason: self.t("notice_unknown_integration") });
                };
                let dc = self.data_center_known();
                let hosts = Hosts::known(i, &self.vault, &self.progress, dc.map(|k| k.data_center()), self.now);
                let prog = report::progress_for(i, &self.progress, &hosts);
                let r = Report::build(i, &prog, &self.vault, dc, self.now);
                let date = r.generated_at.get(..10).unwrap_or("").to_string();
                let (markdown, file) = (r.to_markdown(), format!("keyferry-report-{}-{date}", i.id));
                return Answered::Report { markdown, report: Box::new(r), file };
            }
            UiRequest::Drift { tab } => {
                self.refresh_tab(tab);
                Reply::Drift { drift: self.tab_drift(tab).map(|(_, d)| d), notice: None }
            }
            UiRequest::Signature { tab } => {
                let (reply, answered) = self.later();
                match self.tab_drift(tab) {
                    Some((frame, _)) => self.ask_signature((tab, frame), SigThen::Popup { tab, reply }),
                    None => {
                        let n = notice(false, self.t("notice_signature_no_page"));
                        self.emit(Effect::Answer { ticket: reply, reply: Reply::Drift { drift: None, notice: n } });
                    }
                }
                return answered;
            }
            UiRequest::Settings => {
                let (reply, answered) = self.later();
                self.sync_scripts(&[], SyncThen::Settings(reply));
                return answered;
            }
            UiRequest::SaveSettings { settings: input } => {
                let new = match self.checked(&input) {
                    Ok(s) => s,
                    Err(why) => return Answered::Now(Reply::Settings { view: self.settings_view(notice(false, why)) }),
                };
                let before = self.custom_hosts().to_vec();
                let own = self.own_part(new);
                let (reply, answered) = self.later();
                let ticket = self.ticket();
                self.conts.insert(ticket, Cont::Saved { reply, own: own.clone(), before });
                self.emit(Effect::SaveSettings { settings: own, ticket });
                return answered;
            }
        };
        Answered::Now(reply)
    }
}
