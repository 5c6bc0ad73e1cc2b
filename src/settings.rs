//! The admin's settings: the default Workato data center, how long captured
//! values live, and custom console hosts (an Okta custom admin domain, a
//! Salesforce Experience or custom domain, a private Workato instance).
//!
//! - Stored in `storage.local` under the one key [`STORAGE_KEY`]. Nothing in
//!   it is secret: a data center id, a number of minutes and host names.
//! - An administrator can preset any of them through `storage.managed`
//!   (`managed_schema.json`, Chrome policy / Firefox `policies.json`);
//!   managed values win over the admin's own ([`Effective::merge`]).
//! - Reading never fails: a missing, unreadable or out-of-range value falls
//!   back to the default (or is clamped) and the reason is kept in
//!   [`Effective::problems`] for the options page to show.
//! - Hosts the admin types are checked by [`validate_host`], with a message
//!   that says what to fix.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::catalog::{Console, Page};
use crate::validate::{clip, DataCenter, Problem};

/// The `storage.local` key (and nothing else is stored there).
pub const STORAGE_KEY: &str = "settings";
/// Default lifetime of captured values, in minutes (the vault's default).
pub const DEFAULT_VAULT_MINUTES: u32 = (crate::vault::DEFAULT_TTL_MS / 60_000) as u32;
pub const MIN_VAULT_MINUTES: u32 = (crate::vault::MIN_TTL_MS / 60_000) as u32;
pub const MAX_VAULT_MINUTES: u32 = (crate::vault::MAX_TTL_MS / 60_000) as u32;
/// At most this many custom hosts (each is a content-script registration).
pub const MAX_CUSTOM_HOSTS: usize = 20;
pub use crate::host::{CustomHost, CustomKind, SCRIPT_ID_PREFIX};

/// The settings as stored in `storage.local[STORAGE_KEY]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The admin's Workato data center; `None` until one is chosen (stored
    /// as `null`). Unknown is not US: see [`data_center_in_effect`].
    pub data_center: Option<DataCenter>,
    pub vault_minutes: u32,
    pub custom_hosts: Vec<CustomHost>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { data_center: None, vault_minutes: DEFAULT_VAULT_MINUTES, custom_hosts: Vec::new() }
    }
}

/// A field that is either of the expected type or anything else (so one bad
/// field does not make the whole object unreadable).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Loose<T> {
    Good(T),
    Bad(IgnoredAny),
}

impl<T> Loose<T> {
    fn good(self) -> Option<T> {
        match self {
            Loose::Good(t) => Some(t),
            Loose::Bad(_) => None,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct RawHost {
    pub(crate) kind: Loose<String>,
    pub(crate) host: Loose<String>,
}

/// What storage (local or managed) holds; unknown keys are ignored.
#[derive(Deserialize, Default)]
pub struct Raw {
    pub(crate) data_center: Option<Loose<String>>,
    pub(crate) vault_minutes: Option<Loose<f64>>,
    pub(crate) custom_hosts: Option<Loose<Vec<Loose<RawHost>>>>,
}

/// Settings read from one storage area: only the keys present there, each
/// already checked. `problems` explains what was ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partial {
    pub data_center: Option<DataCenter>,
    pub vault_minutes: Option<u32>,
    pub custom_hosts: Option<Vec<CustomHost>>,
    pub problems: Vec<String>,
}

impl Partial {
    /// Checks what one storage area holds. `source` names it in messages
    /// ("saved settings", "administrator policy").
    pub fn from_raw(raw: Raw, source: &str) -> Partial {
        let mut out = Partial::default();
        if let Some(dc) = raw.data_center {
            match dc.good().map(|s| DataCenter::resolve(&s)) {
                Some(Ok(dc)) => out.data_center = Some(dc),
                Some(Err(p)) => out.problems.push(format!("{source}: data center ignored. {}", p.message)),
                None => out.problems.push(format!("{source}: data center ignored (not text).")),
            }
        }
        if let Some(m) = raw.vault_minutes {
            match m.good() {
                Some(m) if m.is_finite() && m.fract() == 0.0 => {
                    let clamped = m.clamp(MIN_VAULT_MINUTES as f64, MAX_VAULT_MINUTES as f64) as u32;
                    if clamped as f64 != m {
                        // Whole number (checked above): no float formatting code in the wasm.
                        let m = m as i64;
                        out.problems.push(format!(
                            "{source}: vault expiry {m} min is outside {MIN_VAULT_MINUTES}–{MAX_VAULT_MINUTES} min; \
                             using {clamped} min."
                        ));
                    }
                    out.vault_minutes = Some(clamped);
                }
                _ => out.problems.push(format!("{source}: vault expiry ignored (not a whole number of minutes).")),
            }
        }
        if let Some(list) = raw.custom_hosts {
            let mut hosts: Vec<CustomHost> = Vec::new();
            match list.good() {
                Some(items) => {
                    for item in items {
                        let Some(RawHost { kind, host }) = item.good() else {
                            out.problems.push(format!("{source}: a custom host entry ignored (not an object)."));
                            continue;
                        };
                        let kind_s = kind.good().unwrap_or_default();
                        let Some(kind) = CustomKind::from_id(&kind_s) else {
                            out.problems.push(format!(
                                "{source}: a custom host ignored: unknown kind \"{}\" (use okta_admin, salesforce or \
                                 workato).",
                                clip(&kind_s, 40)
                            ));
                            continue;
                        };
                        match validate_host(kind, &host.good().unwrap_or_default()) {
                            Ok(h) if hosts.iter().any(|x| x.host == h.host) => {}
                            Ok(h) if hosts.len() >= MAX_CUSTOM_HOSTS => {
                                out.problems.push(format!("{source}: more than {MAX_CUSTOM_HOSTS} custom hosts; {} ignored.", h.host));
                            }
                            Ok(h) => hosts.push(h),
                            Err(p) => out.problems.push(format!("{source}: custom host ignored. {}", p.message)),
                        }
                    }
                }
                None => out.problems.push(format!("{source}: custom hosts ignored (not a list).")),
            }
            out.custom_hosts = Some(hosts);
        }
        out
    }
}

/// The settings in effect: managed values over the admin's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effective {
    pub settings: Settings,
    /// Set by the administrator (the options page shows them read-only).
    pub data_center_managed: bool,
    pub vault_minutes_managed: bool,
    /// Custom hosts from the policy (always kept; the admin cannot remove them).
    pub managed_hosts: Vec<CustomHost>,
    pub problems: Vec<String>,
}

impl Effective {
    /// `local` is what `storage.local[STORAGE_KEY]` holds, `managed` what
    /// `storage.managed` holds (both possibly empty).
    pub fn merge(local: Partial, managed: Partial) -> Effective {
        let mut problems = managed.problems;
        problems.extend(local.problems);
        let defaults = Settings::default();
        let managed_hosts = managed.custom_hosts.unwrap_or_default();
        let mut hosts = managed_hosts.clone();
        for h in local.custom_hosts.unwrap_or_default() {
            if hosts.iter().all(|x| x.host != h.host) && hosts.len() < MAX_CUSTOM_HOSTS {
                hosts.push(h);
            }
        }
        Effective {
            settings: Settings {
                data_center: managed.data_center.or(local.data_center).or(defaults.data_center),
                vault_minutes: managed.vault_minutes.or(local.vault_minutes).unwrap_or(defaults.vault_minutes),
                custom_hosts: hosts,
            },
            data_center_managed: managed.data_center.is_some(),
            vault_minutes_managed: managed.vault_minutes.is_some(),
            managed_hosts,
            problems,
        }
    }

    pub fn vault_ttl_ms(&self) -> u64 {
        u64::from(self.settings.vault_minutes) * 60_000
    }

    /// Whether the administrator's policy lists this host.
    pub fn is_managed_host(&self, host: &str) -> bool {
        self.managed_hosts.iter().any(|h| h.host == host)
    }

    /// What the options page writes back to `storage.local`: the admin's own
    /// values only (managed ones are not copied into local storage).
    pub fn local_part(&self) -> Settings {
        Settings {
            data_center: self.settings.data_center,
            vault_minutes: self.settings.vault_minutes,
            custom_hosts: self.settings.custom_hosts.iter().filter(|h| !self.is_managed_host(&h.host)).cloned().collect(),
        }
    }
}

/// How keyferry knows the admin's Workato data center.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataCenterKnown {
    /// Chosen on the options page, or preset by the administrator's policy.
    Chosen(DataCenter),
    /// Not chosen, but keyferry recognized a Workato page on this data
    /// center's host in this browser session.
    Seen(DataCenter),
}

impl DataCenterKnown {
    pub fn data_center(self) -> DataCenter {
        match self {
            DataCenterKnown::Chosen(dc) | DataCenterKnown::Seen(dc) => dc,
        }
    }
}

/// The Workato data center that checks and fills use: the admin's (or the
/// policy's) choice first, else the one seen in this browser session, else
/// none. With none, any official Workato callback is accepted (and the
/// panel names its data center) and the callback is not filled: an EU
/// admin who never opened the options page is not told that the EU
/// callback is wrong.
pub fn data_center_in_effect(chosen: Option<DataCenter>, seen: Option<DataCenter>) -> Option<DataCenterKnown> {
    chosen.map(DataCenterKnown::Chosen).or(seen.map(DataCenterKnown::Seen))
}

/// The data center a recognized page shows the admin working in: a Workato
/// page on one of the data centers' own hosts (`www.workato.com` and
/// `app.workato.com` are US). Custom (private) Workato hosts and other
/// consoles say nothing about it.
pub fn data_center_seen_on(page: &Page, url: &str) -> Option<DataCenter> {
    if page.console != Console::Workato {
        return None;
    }
    let host = crate::recognize::Location::parse(url)?.host;
    DataCenter::from_host(&host)
}

/// What to remember after a recognized page: the data center seen there,
/// else what was seen before (a later page on another data center's host
/// replaces it: the admin works there now).
pub fn note_seen(before: Option<DataCenter>, page: &Page, url: &str) -> Option<DataCenter> {
    data_center_seen_on(page, url).or(before)
}

/// Checks the vault expiry the admin typed, in whole minutes.
pub fn validate_minutes(input: &str) -> Result<u32, Problem> {
    let t = input.trim();
    let n: Option<u64> = t.parse().ok();
    match n {
        Some(n) if (MIN_VAULT_MINUTES as u64..=MAX_VAULT_MINUTES as u64).contains(&n) => Ok(n as u32),
        Some(_) => Err(Problem::error(
            "settings.minutes_range",
            format!("{} minutes is outside the allowed range.", clip(t, 12)),
            format!("Enter a whole number from {MIN_VAULT_MINUTES} to {MAX_VAULT_MINUTES} (8 hours)."),
        )),
        None => Err(Problem::error(
            "settings.minutes_number",
            if t.is_empty() { "No expiry given.".to_string() } else { format!("\"{}\" is not a whole number.", clip(t, 24)) },
            format!("Enter a whole number of minutes from {MIN_VAULT_MINUTES} to {MAX_VAULT_MINUTES}."),
        )),
    }
}

/// Checks a custom host the admin typed (a host name, or an `https://` URL
/// whose host is taken). Refuses, with a message: other schemes, ports, user
/// names, IP addresses, wildcards, non-DNS syntax, single-label names,
/// hosts keyferry already covers, and hosts that merely contain a vendor's
/// domain (`okta.com.example.net`, lookalikes).
pub fn validate_host(kind: CustomKind, input: &str) -> Result<CustomHost, Problem> {
    let t = input.trim();
    let fix_host = "Enter the host name only, e.g. admin.example.com.";
    if t.is_empty() {
        return Err(Problem::error("settings.host_empty", "No host given.", fix_host));
    }
    let rest = match t.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest,
        Some((scheme, _)) => {
            return Err(Problem::error(
                "settings.host_scheme",
                format!("keyferry works only on https pages, not {}:.", clip(scheme, 12)),
                fix_host,
            ))
        }
        None => t,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if authority.contains('@') {
        return Err(Problem::error("settings.host_userinfo", "A host cannot contain a user name (@).", fix_host));
    }
    if authority.contains('*') {
        return Err(Problem::error(
            "settings.host_wildcard",
            "Wildcards are not allowed: keyferry asks for access to one exact host.",
            "Add each host separately.",
        ));
    }
    if authority.contains(':') {
        return Err(Problem::error(
            "settings.host_port",
            "A custom host cannot have a port: keyferry works on the default https port only.",
            fix_host,
        ));
    }
    let host = authority.strip_suffix('.').unwrap_or(authority).to_ascii_lowercase();
    if host.len() > 253
        || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        || !host.split('.').all(crate::host::is_label)
    {
        let fix = if host.bytes().any(|b| b >= 0x80) {
            "Enter an international name in its punycode form (xn--…)."
        } else {
            fix_host
        };
        return Err(Problem::error(
            "settings.host_syntax",
            format!("\"{}\" is not a valid host name.", clip(&host, 60)),
            fix,
        ));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return Err(Problem::error(
            "settings.host_single_label",
            format!("\"{}\" is not a full host name.", clip(&host, 60)),
            "Enter the full name, with its domain (e.g. admin.example.com).",
        ));
    }
    if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        return Err(Problem::error(
            "settings.host_ip",
            "IP addresses are not console hosts.",
            "Enter the host name the console is served on.",
        ));
    }
    match crate::host::vendor_domain(&host) {
        Some((_, vendor, true)) => {
            return Err(Problem::error(
                "settings.host_builtin",
                format!("{host} is a {vendor} host, which keyferry already covers."),
                "Custom hosts are for domains of your own (a custom or vanity domain); remove it.",
            ))
        }
        Some((domain, vendor, false)) => {
            return Err(Problem::error(
                "settings.host_lookalike",
                format!("{host} contains {domain} but is not a {vendor} host: it looks like a lookalike."),
                "Enter your organization's own domain.",
            ))
        }
        None => {}
    }
    Ok(CustomHost { kind, host })
}
