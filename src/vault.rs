//! The vault: values captured from console pages (consumer key and secret,
//! client ids and secrets, the private key, the API token), held in memory
//! only, per integration, for a limited time.
//!
//! - A value is validated when it is captured: masked placeholders, cut-off
//!   copies and malformed values are refused with the validator's reason
//!   (never quoting the value), and the *normalized* value is stored.
//! - Every value remembers the org it came from ([`Org`]): an Okta org
//!   domain or a Salesforce My Domain host. Values of one integration from
//!   two orgs of the same console are refused: they would not work together.
//! - Values expire ([`DEFAULT_TTL_MS`]); an expired value is never offered
//!   and is wiped by [`Vault::purge_expired`] (or the next capture).
//! - Nothing here serializes a value except [`Vault::snapshot`], which builds
//!   [`SessionEntry`]s for `storage.session` (memory-only) so a restarted
//!   service worker keeps them.
//! - `Debug` of the vault and its entries never shows a value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Check, Console, FillSource, Integration, Slot};
use crate::host;
use crate::secret::Sensitive;
use crate::validate::{self, clip, Level, Problem};

/// How long a captured value is kept unless configured otherwise: 15 minutes.
pub const DEFAULT_TTL_MS: u64 = 15 * 60 * 1000;
/// The shortest configurable lifetime: 1 minute.
pub const MIN_TTL_MS: u64 = 60 * 1000;
/// The longest configurable lifetime: 8 hours.
pub const MAX_TTL_MS: u64 = 8 * 60 * 60 * 1000;

/// The org a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Org {
    /// The Okta org domain (`acme.okta.com`), derived from the Admin Console
    /// host (`acme-admin.okta.com`).
    Okta { domain: String },
    /// The org's My Domain host on the core domain (`acme.my.salesforce.com`,
    /// `acme--sbx.sandbox.my.salesforce.com`).
    Salesforce { host: String },
}

impl Org {
    /// The org of a console page's host, or `None` for hosts that are not an
    /// org's console: lookalikes, Okta's non-admin hosts (`acme.okta.com`,
    /// `acme.workflows.okta.com`, `system-admin.okta.com`), Salesforce hosts
    /// without a My Domain (`login.salesforce.com`) and Visualforce or
    /// unknown partitions. Case and one trailing dot are ignored.
    ///
    /// Okta: `acme-admin.okta.com` → `acme.okta.com`. Salesforce: the
    /// Lightning and Setup domains map to the core domain,
    /// `acme.lightning.force.com` and `acme.my.salesforce-setup.com` →
    /// `acme.my.salesforce.com`, keeping the partition
    /// (`acme--sbx.sandbox.lightning.force.com` →
    /// `acme--sbx.sandbox.my.salesforce.com`).
    pub fn from_page_host(host: &str) -> Option<Org> {
        let host = host::normalize(host)?;
        if let Some(domain) = okta_org_domain(&host) {
            return Some(Org::Okta { domain });
        }
        host::salesforce_my_domain(&host).map(|host| Org::Salesforce { host })
    }

    /// The org domain or My Domain host, for display.
    pub fn display(&self) -> &str {
        match self {
            Org::Okta { domain } => domain,
            Org::Salesforce { host } => host,
        }
    }

    pub fn console(&self) -> Console {
        match self {
            Org::Okta { .. } => Console::Okta,
            Org::Salesforce { .. } => Console::Salesforce,
        }
    }

    /// Whether this is an org [`Org::from_page_host`] can produce (used on
    /// values restored from storage).
    pub fn is_valid(&self) -> bool {
        let host = match self {
            Org::Okta { domain } => match host::okta_admin_host(domain) {
                Some(admin) => admin,
                None => return false,
            },
            Org::Salesforce { host } => host.clone(),
        };
        Org::from_page_host(&host).as_ref() == Some(self)
    }
}

impl fmt::Display for Org {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display())
    }
}

/// `acme-admin.okta.com` → `acme.okta.com`, for a host already
/// [`host::normalize`]d: the org [`host::okta_org_of_host`] derives, kept
/// only for Admin Console hosts (the org's admin host is this host) and
/// only when the validator reads the host the same way (an org named
/// `x-admin` would be ambiguous, so it is refused, not guessed).
fn okta_org_domain(host: &str) -> Option<String> {
    let domain = host::okta_org_of_host(host)?;
    if host::okta_admin_host(&domain).as_deref() != Some(host) || !validate::is_okta_org_host(host) {
        return None;
    }
    (validate::okta_domain_from_admin_host(host).as_deref() == Some(domain.as_str())).then_some(domain)
}


/// The console that shows the slot's value (defined with the catalog's
/// slots, where `destination` reads it too).
pub use crate::catalog::slot_console;

/// Whether the integration uses the slot: one of its steps checks a
/// requirement that shows it (`Check::Shows`) or is filled from it
/// (`Check::FilledFrom`), or fills a field of the step from it.
pub fn uses_slot(integration: &Integration, slot: Slot) -> bool {
    integration.steps.iter().any(|step| {
        let Some(page) = catalog::page(step.page) else { return false };
        let in_step = || page.requirements.iter().filter(|r| step.requirements.contains(&r.id));
        let checked = in_step().any(|r| matches!(r.check, Check::Shows(s) | Check::FilledFrom(s) if s == slot));
        let filled =
            page.fills.iter().any(|f| f.from == FillSource::Slot(slot) && in_step().any(|r| r.field == Some(f.field)));
        checked || filled
    })
}

/// One captured value.
#[derive(Debug, Clone)]
pub struct Entry {
    pub slot: Slot,
    /// The integration id it was captured for.
    pub integration: &'static str,
    pub org: Org,
    /// The normalized value (redacted in `Debug`).
    pub value: Sensitive,
    pub captured_at_ms: u64,
    pub expires_at_ms: u64,
    /// The org the admin confirmed this value goes to, when it is filled
    /// into another vendor's page (`destination::binding`): an Okta org
    /// domain, or a custom admin host.
    pub sent_to: Option<String>,
}

impl Entry {
    /// Not expired yet at `now_ms`.
    pub fn is_live(&self, now_ms: u64) -> bool {
        now_ms < self.expires_at_ms
    }
}

/// Why a capture was refused. Never contains the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureError {
    /// Stable code: a validator's (`credential.masked`, `pem.pkcs1`, …) or
    /// the vault's own (`vault.host`, `vault.wrong_console`,
    /// `vault.not_used`, `vault.org_mismatch`).
    pub code: &'static str,
    pub message: String,
    pub fix: String,
}

impl CaptureError {
    fn new(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        CaptureError { code, message: message.into(), fix: fix.into() }
    }
}

impl From<&Problem> for CaptureError {
    fn from(p: &Problem) -> Self {
        CaptureError { code: p.code, message: p.message.clone(), fix: p.fix.clone() }
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}) {}", self.message, self.code, self.fix)
    }
}

impl std::error::Error for CaptureError {}

/// What the admin is told after a capture. No value, only a masked preview.
#[derive(Debug, Clone, Serialize)]
pub struct CaptureReceipt {
    pub slot: Slot,
    pub label: &'static str,
    /// `Sensitive::masked`: a prefix for identifiers, nothing for secrets.
    pub masked: String,
    pub org: Org,
    pub expires_at_ms: u64,
    /// An earlier value of the same slot was replaced.
    pub replaced: bool,
    /// The validator's warnings and notes (e.g. "EC key, P-256").
    pub warnings: Vec<Problem>,
}

/// A captured value as the UI lists it: never the value itself (whether it
/// is secret is its slot's: `Slot::is_secret`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryView<S = &'static str> {
    /// Serialized as the slot id (`okta.client_id`).
    pub slot: Slot,
    pub label: S,
    pub masked: String,
    /// The org's display form (`acme.okta.com`).
    pub org: String,
    /// Whole seconds until it expires (rounded up).
    pub seconds_left: u64,
}

/// A vault entry as written to `storage.session`, **for storage.session
/// only**: that storage area is kept in memory by the browser and survives a
/// service-worker restart, not a browser restart. The value is a plain
/// `String` on purpose so it can be serialized; it is built only by
/// [`Vault::snapshot`] (via `Sensitive::reveal`). Never log it, send it to a
/// page or write it to `storage.local`/`sync`. `Debug` redacts the value and
/// the string is wiped when the entry is dropped.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEntry {
    pub integration: String,
    pub slot: Slot,
    pub org: Org,
    pub value: String,
    pub captured_at_ms: u64,
    pub expires_at_ms: u64,
    /// [`Entry::sent_to`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_to: Option<String>,
}

impl fmt::Debug for SessionEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionEntry")
            .field("integration", &self.integration)
            .field("slot", &self.slot)
            .field("org", &self.org)
            .field("value", &format_args!("<redacted, {} chars>", self.value.chars().count()))
            .field("captured_at_ms", &self.captured_at_ms)
            .field("expires_at_ms", &self.expires_at_ms)
            .field("sent_to", &self.sent_to)
            .finish()
    }
}

impl Drop for SessionEntry {
    fn drop(&mut self) {
        // Sensitive wipes its bytes when dropped.
        drop(Sensitive::new(std::mem::take(&mut self.value)));
    }
}

/// Captured values, per integration and slot. See the module docs.
#[derive(Debug)]
pub struct Vault {
    entries: Vec<Entry>,
    ttl_ms: u64,
}

impl Default for Vault {
    fn default() -> Self {
        Vault::new(DEFAULT_TTL_MS)
    }
}

impl Vault {
    /// An empty vault whose captures live `ttl_ms` (clamped to 1 min … 8 h).
    pub fn new(ttl_ms: u64) -> Self {
        Vault { entries: Vec::new(), ttl_ms: ttl_ms.clamp(MIN_TTL_MS, MAX_TTL_MS) }
    }

    pub fn ttl_ms(&self) -> u64 {
        self.ttl_ms
    }

    /// Sets the lifetime of *new* captures (clamped to 1 min … 8 h); values
    /// already held keep their expiry. Returns the lifetime in effect.
    pub fn set_ttl(&mut self, ttl_ms: u64) -> u64 {
        self.ttl_ms = ttl_ms.clamp(MIN_TTL_MS, MAX_TTL_MS);
        self.ttl_ms
    }

    /// Everything held, expired entries not yet purged included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Captures `raw`, as read from the page at `page_host`, into `slot` for
    /// `integration`. Refused (with a code, message and fix, never the value)
    /// when the host is not an org's console, the console does not show this
    /// slot, the integration does not use the slot, the value is masked,
    /// cut off, malformed or evidently another credential, or the
    /// integration already holds values from another org of this console.
    /// Replaces an earlier capture of the same slot for the integration, and
    /// purges expired values.
    pub fn capture(
        &mut self,
        slot: Slot,
        raw: &str,
        integration: &Integration,
        page_host: &str,
        now_ms: u64,
    ) -> Result<CaptureReceipt, CaptureError> {
        self.purge_expired(now_ms);
        let org = Org::from_page_host(page_host).ok_or_else(|| {
            CaptureError::new(
                "vault.host",
                format!(
                    "\"{}\" is not an org's Salesforce or Okta Admin Console host, so keyferry does not take values \
                     from it.",
                    clip(page_host, 80)
                ),
                "Open the value in your org's console (e.g. acme-admin.okta.com or acme.my.salesforce.com) and \
                 capture it there.",
            )
        })?;
        let want = slot_console(slot);
        if org.console() != want {
            return Err(CaptureError::new(
                "vault.wrong_console",
                format!(
                    "The {} is shown in {}, but this page is in {} ({org}).",
                    slot.label(),
                    want.label(),
                    org.console().label()
                ),
                format!("Capture it on the {} page that shows it.", want.label()),
            ));
        }
        if !uses_slot(integration, slot) {
            return Err(CaptureError::new(
                "vault.not_used",
                format!("\"{}\" does not use the {}.", integration.title, slot.label()),
                "Pick the integration this value is for, then capture it again.",
            ));
        }
        let checked = validate::credential(slot.kind(), raw);
        if let Some(p) = checked.problems.iter().find(|p| p.level == Level::Error) {
            return Err(p.into());
        }
        // A capture reads one known field: a value that evidently is another
        // credential means the wrong element was read, so it is refused.
        if let Some(p) = checked.problems.iter().find(|p| p.code == "credential.swapped") {
            return Err(p.into());
        }
        let Some(value) = checked.value else {
            return Err(CaptureError::new(
                "vault.invalid",
                format!("The {} could not be read.", slot.label()),
                "Copy the value again.",
            ));
        };
        let value = Sensitive::new(value);
        if let Some(other) = self
            .entries
            .iter()
            .find(|e| e.integration == integration.id && e.slot != slot && e.org.console() == want && e.org != org)
        {
            return Err(CaptureError::new(
                "vault.org_mismatch",
                format!(
                    "The other {} values of \"{}\" came from {}, but this page belongs to {org}; values from two \
                     orgs do not work together.",
                    want.label(),
                    integration.title,
                    other.org
                ),
                format!("Capture it in {}, or forget the values from {} first.", other.org, other.org),
            ));
        }
        let before = self.entries.len();
        self.entries.retain(|e| !(e.integration == integration.id && e.slot == slot));
        let replaced = self.entries.len() != before;
        let expires_at_ms = now_ms.saturating_add(self.ttl_ms);
        let receipt = CaptureReceipt {
            slot,
            label: slot.label(),
            masked: value.masked(!slot.is_secret()),
            org: org.clone(),
            expires_at_ms,
            replaced,
            warnings: checked.problems,
        };
        self.entries.push(Entry {
            slot,
            integration: integration.id,
            org,
            value,
            captured_at_ms: now_ms,
            expires_at_ms,
            sent_to: None,
        });
        Ok(receipt)
    }

    /// The live value of `slot` for the integration; never an expired one.
    pub fn get(&self, integration_id: &str, slot: Slot, now_ms: u64) -> Option<&Entry> {
        self.entries.iter().find(|e| e.integration == integration_id && e.slot == slot && e.is_live(now_ms))
    }

    /// The integration's live values in slot order.
    fn live(&self, integration_id: &str, now_ms: u64) -> impl Iterator<Item = &Entry> + '_ {
        let id = integration_id.to_string();
        Slot::ALL.into_iter().filter_map(move |slot| self.get(&id, slot, now_ms))
    }

    /// What the UI lists for the integration: masked previews, no values.
    pub fn bundle(&self, integration_id: &str, now_ms: u64) -> Vec<EntryView> {
        self.live(integration_id, now_ms)
            .map(|e| EntryView {
                slot: e.slot,
                label: e.slot.label(),
                masked: e.value.masked(!e.slot.is_secret()),
                org: e.org.display().to_string(),
                seconds_left: (e.expires_at_ms - now_ms).div_ceil(1000),
            })
            .collect()
    }

    /// The Okta org domain (`acme.okta.com`) the integration's live Okta
    /// values came from, for assembly (`AssembleContext::okta_admin_host`
    /// accepts the org domain as well as the admin host).
    pub fn okta_org(&self, integration_id: &str, now_ms: u64) -> Option<&str> {
        self.live(integration_id, now_ms).find_map(|e| match &e.org {
            Org::Okta { domain } => Some(domain.as_str()),
            Org::Salesforce { .. } => None,
        })
    }

    /// The integration's live values, as `assemble()` and
    /// `checklist::Context::captured` take them.
    pub fn lookup(&self, integration_id: &str, now_ms: u64) -> Vec<(Slot, &Sensitive)> {
        self.live(integration_id, now_ms).map(|e| (e.slot, &e.value)).collect()
    }

    /// The integration's live values as `destination::binding` takes them:
    /// slot, org and the org they were confirmed to go to.
    pub fn carried(&self, integration_id: &str, now_ms: u64) -> Vec<crate::destination::Carried<'_>> {
        self.live(integration_id, now_ms)
            .map(|e| crate::destination::Carried {
                slot: e.slot,
                from: e.org.display(),
                sent_to: e.sent_to.as_deref(),
            })
            .collect()
    }

    /// Records the admin's confirmation that the integration's live values
    /// of `slots` go to `org` (replacing an earlier one). Returns how many
    /// values were bound; none when `org` is not a plausible destination.
    pub fn bind(&mut self, integration_id: &str, slots: &[Slot], org: &str, now_ms: u64) -> usize {
        if !valid_destination(org) {
            return 0;
        }
        let mut n = 0;
        for e in self.entries.iter_mut() {
            if e.integration == integration_id && slots.contains(&e.slot) && e.is_live(now_ms) {
                e.sent_to = Some(org.to_ascii_lowercase());
                n += 1;
            }
        }
        n
    }

    /// Forgets (and wipes) one value. Returns whether there was one.
    pub fn forget(&mut self, integration_id: &str, slot: Slot) -> bool {
        self.remove(|e| e.integration == integration_id && e.slot == slot) > 0
    }

    /// Forgets every value of the integration; returns how many.
    pub fn forget_integration(&mut self, integration_id: &str) -> usize {
        self.remove(|e| e.integration == integration_id)
    }

    /// Forgets everything; returns how many values there were.
    pub fn forget_all(&mut self) -> usize {
        self.remove(|_| true)
    }

    /// Wipes expired values; returns how many.
    pub fn purge_expired(&mut self, now_ms: u64) -> usize {
        self.remove(|e| !e.is_live(now_ms))
    }

    fn remove(&mut self, doomed: impl Fn(&Entry) -> bool) -> usize {
        let before = self.entries.len();
        self.entries.retain(|e| !doomed(e));
        before - self.entries.len()
    }

    /// When the next value expires, for an alarm: the earliest expiry, or
    /// `now_ms` when an expired value still awaits purging; `None` when the
    /// vault is empty.
    pub fn next_expiry(&self, now_ms: u64) -> Option<u64> {
        self.entries.iter().map(|e| e.expires_at_ms.max(now_ms)).min()
    }

    /// The live values, for `storage.session` only (see [`SessionEntry`]).
    /// This is the one place the vault reveals values for serialization.
    pub fn snapshot(&self, now_ms: u64) -> Vec<SessionEntry> {
        self.entries
            .iter()
            .filter(|e| e.is_live(now_ms))
            .map(|e| SessionEntry {
                integration: e.integration.to_string(),
                slot: e.slot,
                org: e.org.clone(),
                value: e.value.reveal().to_string(),
                captured_at_ms: e.captured_at_ms,
                expires_at_ms: e.expires_at_ms,
                sent_to: e.sent_to.clone(),
            })
            .collect()
    }

    /// Takes back a snapshot (after a service-worker restart). Drops entries
    /// that are expired, outlive the longest lifetime from `now_ms`, name an
    /// unknown integration or a slot it does not use, carry an invalid org
    /// or one of the wrong console, hold a value that no longer validates,
    /// or clash with the org of values already held. Of two values for the
    /// same slot the later capture wins. Returns how many were taken.
    pub fn restore(&mut self, entries: Vec<SessionEntry>, now_ms: u64) -> usize {
        let mut taken = 0;
        for mut s in entries {
            let raw = Sensitive::new(std::mem::take(&mut s.value));
            let timely = now_ms < s.expires_at_ms
                && s.captured_at_ms < s.expires_at_ms
                && s.expires_at_ms - now_ms <= MAX_TTL_MS;
            let Some(integration) = catalog::integration(&s.integration) else { continue };
            if !timely
                || !uses_slot(integration, s.slot)
                || !s.org.is_valid()
                || s.org.console() != slot_console(s.slot)
            {
                continue;
            }
            let checked = validate::credential(s.slot.kind(), raw.reveal());
            let usable = checked.is_ok() && !checked.has("credential.swapped");
            let Some(value) = checked.value.filter(|_| usable).map(Sensitive::new) else { continue };
            let clash = self.entries.iter().any(|e| {
                e.integration == integration.id
                    && e.slot != s.slot
                    && e.is_live(now_ms)
                    && e.org.console() == s.org.console()
                    && e.org != s.org
            });
            let newer = self
                .entries
                .iter()
                .any(|e| e.integration == integration.id && e.slot == s.slot && e.captured_at_ms >= s.captured_at_ms);
            if clash || newer {
                continue;
            }
            self.entries.retain(|e| !(e.integration == integration.id && e.slot == s.slot));
            self.entries.push(Entry {
                slot: s.slot,
                integration: integration.id,
                org: s.org.clone(),
                value,
                captured_at_ms: s.captured_at_ms,
                expires_at_ms: s.expires_at_ms,
                sent_to: s.sent_to.take().filter(|t| valid_destination(t)),
            });
            taken += 1;
        }
        taken
    }
}

/// An Okta org domain or another plain host name (a custom admin domain).
fn valid_destination(org: &str) -> bool {
    host::normalize(org).is_some_and(|h| h.contains('.'))
}
