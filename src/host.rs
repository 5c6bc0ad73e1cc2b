//! Host names: the one place for what keyferry decides about a host.
//!
//! - whole-label suffix checks ([`has_suffix`]) and DNS labels ([`is_label`]);
//! - normalization of a page's host ([`normalize`]);
//! - the Okta org a console host belongs to ([`okta_org_of_host`]) and back
//!   ([`okta_admin_host`]); the Salesforce org's My Domain host
//!   ([`salesforce_my_domain`]);
//! - the admin's custom hosts ([`CustomHost`], [`CustomKind`]) and the
//!   lookalike rule for them ([`vendor_domain`]).
//!
//! Used by `recognize` (URL stage), `settings` (custom hosts typed by the
//! admin), `vault` and `destination` (orgs), `report`, `clickguard` and the
//! validators. Depends only on the catalog's types. URL parsing stays in
//! `recognize::Location`; the click guard's framing rule (a Salesforce page
//! framed by its own org's wrapper) stays in `clickguard`.

use serde::{Deserialize, Serialize};

use crate::catalog::{Console, HostKind as PatternHost, Page, UrlPattern};

/// Prefix of the ids of dynamically registered content scripts.
pub const SCRIPT_ID_PREFIX: &str = "kf-custom-";

/// The Okta org suffixes (commercial, preview, EMEA, government, military).
pub const OKTA_SUFFIXES: &[&str] = &["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];

/// `host` equals `suffix` or ends with `.suffix` (whole labels only).
pub fn has_suffix(host: &str, suffix: &str) -> bool {
    let suffix = suffix.trim_start_matches('.');
    host == suffix
        || (host.len() > suffix.len()
            && host.ends_with(suffix)
            && host.as_bytes().get(host.len() - suffix.len() - 1) == Some(&b'.'))
}

/// A plain DNS label: letters, digits and inner hyphens, 1 to 63 characters.
pub fn is_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS label that is not punycode (console org names are plain ASCII).
pub fn is_plain_label(s: &str) -> bool {
    is_label(s) && !s.starts_with("xn--")
}

/// Lowercase, without one trailing dot; `None` unless it is plain ASCII host
/// syntax (non-empty dot-separated [`is_plain_label`] labels, at most 253
/// bytes).
pub fn normalize(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || host.len() > 253 || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return None;
    }
    let host = host.to_ascii_lowercase();
    host.split('.').all(is_plain_label).then_some(host)
}

/// The Okta org a console host belongs to: `acme-admin.okta.com`,
/// `acme.okta.com` and `acme.workflows.okta.com` all belong to
/// `acme.okta.com`. `None` for other hosts (and for `system-admin`, Okta's
/// shared OAuth host). The vault binds values only from Admin Console hosts
/// and narrows this further (`vault::Org::from_page_host`).
pub fn okta_org_of_host(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let suffix = OKTA_SUFFIXES.iter().find(|s| has_suffix(&host, s))?;
    let rest = host.strip_suffix(suffix)?.strip_suffix('.')?;
    let org = rest.strip_suffix(".workflows").unwrap_or(rest);
    let org = org.strip_suffix("-admin").unwrap_or(org);
    let ok = !org.is_empty()
        && !org.contains('.')
        && org.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !org.starts_with('-')
        && !org.ends_with('-')
        && org != "system";
    ok.then(|| format!("{org}.{suffix}"))
}

/// The Admin Console host of an Okta org domain: `acme.okta.com` →
/// `acme-admin.okta.com` (`None` without a dot).
pub fn okta_admin_host(org_domain: &str) -> Option<String> {
    let (name, rest) = org_domain.split_once('.')?;
    Some(format!("{name}-admin.{rest}"))
}

/// Salesforce org partitions of enhanced My Domain hosts
/// (`acme--sbx.sandbox.my.salesforce.com`, `acme-dev-ed.develop.…`).
const SF_PARTITIONS: &[&str] = &["sandbox", "develop", "scratch", "trailblaze", "demo", "patch"];

/// The Salesforce host families that name an org's My Domain: the core
/// domain, the Lightning domain and the Setup domain.
const SF_BASES: &[&str] = &["my.salesforce.com", "lightning.force.com", "my.salesforce-setup.com"];

/// The Salesforce org a console host names, as its My Domain host on the
/// core domain: `<name>[.<partition>].<base>` →
/// `<name>[.<partition>].my.salesforce.com` (`acme.lightning.force.com`,
/// `acme.my.salesforce-setup.com` → `acme.my.salesforce.com`). `None` for
/// hosts without a My Domain, unknown partitions and punycode names. For an
/// already [`normalize`]d host (the vault's `Org::from_page_host`).
pub fn salesforce_my_domain(host: &str) -> Option<String> {
    let front = SF_BASES.iter().find_map(|base| host.strip_suffix(base)?.strip_suffix('.'))?;
    let (name, partition) = match front.split_once('.') {
        Some((name, partition)) => (name, Some(partition)),
        None => (front, None),
    };
    if !is_plain_label(name) || partition.is_some_and(|p| !SF_PARTITIONS.contains(&p)) {
        return None;
    }
    Some(match partition {
        Some(p) => format!("{name}.{p}.my.salesforce.com"),
        None => format!("{name}.my.salesforce.com"),
    })
}

/// The org label of a Salesforce host (one of the catalog's Salesforce
/// suffixes): its first label up to any `--` (`acme`, `acme--c` for
/// Visualforce, `acme--sandbox`). `None` off Salesforce or when empty. Used to
/// tell a page framed by its own org's Lightning wrapper from any other frame.
pub fn salesforce_org_label(host: &str) -> Option<&str> {
    if !crate::catalog::pages::SF_HOSTS.iter().any(|s| has_suffix(host, s)) {
        return None;
    }
    host.split('.').next().and_then(|l| l.split("--").next()).filter(|o| !o.is_empty())
}

/// Which console a custom host serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomKind {
    /// An Okta custom admin domain (the Admin Console's pages).
    OktaAdmin,
    /// A Salesforce Experience Cloud site or custom domain (Setup pages).
    Salesforce,
    /// A private Workato instance (the New connection page).
    Workato,
}

impl CustomKind {
    pub const ALL: [CustomKind; 3] = [CustomKind::OktaAdmin, CustomKind::Salesforce, CustomKind::Workato];

    pub fn id(self) -> &'static str {
        match self {
            CustomKind::OktaAdmin => "okta_admin",
            CustomKind::Salesforce => "salesforce",
            CustomKind::Workato => "workato",
        }
    }

    pub fn from_id(id: &str) -> Option<CustomKind> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            CustomKind::OktaAdmin => "Okta custom admin domain",
            CustomKind::Salesforce => "Salesforce Experience or custom domain",
            CustomKind::Workato => "Private Workato instance",
        }
    }

    /// Whether a page's URL pattern may match a host of this kind: the
    /// console must be the kind's, and for Okta only Admin Console patterns
    /// (not Okta Workflows).
    pub fn serves(self, page: &Page, pattern: &UrlPattern) -> bool {
        match self {
            CustomKind::OktaAdmin => page.console == Console::Okta && pattern.host_kind == PatternHost::OktaAdmin,
            CustomKind::Salesforce => page.console == Console::Salesforce,
            CustomKind::Workato => page.console == Console::Workato,
        }
    }
}

/// A custom host the admin (or the administrator's policy) added.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomHost {
    pub kind: CustomKind,
    /// Lowercase ASCII host name (punycode), no port.
    pub host: String,
}

impl CustomHost {
    /// The match pattern to request and register: `https://<host>/*`.
    pub fn pattern(&self) -> String {
        format!("https://{}/*", self.host)
    }

    /// The id of its registered content script.
    pub fn script_id(&self) -> String {
        format!("{SCRIPT_ID_PREFIX}{}", self.host)
    }
}

/// Vendor domains whose hosts keyferry already covers, per console; a custom
/// host under one of them is either redundant or a lookalike.
pub const VENDOR_DOMAINS: &[(&str, &str)] = &[
    ("okta.com", "Okta"),
    ("oktapreview.com", "Okta"),
    ("okta-emea.com", "Okta"),
    ("okta-gov.com", "Okta"),
    ("workflows.okta.mil", "Okta Workflows"),
    ("salesforce.com", "Salesforce"),
    ("force.com", "Salesforce"),
    ("salesforce-setup.com", "Salesforce"),
    ("visualforce.com", "Salesforce"),
    ("workato.com", "Workato"),
    ("workatoapp.cn", "Workato"),
];

/// The vendor domain a host is under or merely contains, for custom hosts:
/// `Some((domain, vendor, true))` for a host under it (redundant: keyferry
/// covers it), `Some((domain, vendor, false))` for a host that contains it
/// as whole labels elsewhere (`okta.com.example.net`, a lookalike).
pub fn vendor_domain(host: &str) -> Option<(&'static str, &'static str, bool)> {
    let labels: Vec<&str> = host.split('.').collect();
    VENDOR_DOMAINS.iter().find_map(|&(domain, vendor)| {
        if has_suffix(host, domain) {
            Some((domain, vendor, true))
        } else if labels.windows(domain.split('.').count()).any(|w| w.join(".") == domain) {
            Some((domain, vendor, false))
        } else {
            None
        }
    })
}

/// A built-in host pattern: `<org>` parts must be single DNS labels.
fn builtin_matches(p: &UrlPattern, host: &str) -> bool {
    // `<org><tail>.<suffix>` → `<org>`, when `<org>` is a single label.
    let org =
        |s: &str, tail: &str| host.strip_suffix(s).and_then(|rest| rest.strip_suffix(tail)).filter(|org| is_label(org));
    match p.host_kind {
        PatternHost::Exact => p.host_suffixes.iter().any(|h| host == *h),
        PatternHost::Any => p.host_suffixes.iter().any(|s| has_suffix(host, s)),
        // `system-admin` is Okta's shared OAuth host, not an org's console.
        PatternHost::OktaAdmin => p.host_suffixes.iter().any(|s| {
            org(s, ".").and_then(|o| o.strip_suffix("-admin")).is_some_and(|name| is_label(name) && name != "system")
        }),
        PatternHost::OktaWorkflows => p.host_suffixes.iter().any(|s| org(s, ".workflows.").is_some()),
    }
}

/// A built-in host pattern, or a custom host of the admin's (settings) whose
/// kind serves this page's console. Anything else, lookalikes included,
/// stays refused.
pub fn pattern_matches(page: &Page, p: &UrlPattern, host: &str, custom: &[CustomHost]) -> bool {
    builtin_matches(p, host) || custom.iter().any(|c| c.host == host && c.kind.serves(page, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_label_exact() {
        assert!(has_suffix("acme-admin.okta.com", "okta.com"));
        assert!(has_suffix("okta.com", "okta.com"));
        assert!(has_suffix("acme.okta.com", ".okta.com"));
        assert!(!has_suffix("acme-okta.com", "okta.com"));
        assert!(!has_suffix("okta.com.evil.io", "okta.com"));
    }

    #[test]
    fn okta_admin_host_inverts_the_org() {
        for host in ["acme-admin.okta.com", "acme-admin.oktapreview.com", "x1-admin.okta.mil"] {
            let org = okta_org_of_host(host).unwrap();
            assert_eq!(okta_admin_host(&org).as_deref(), Some(host));
        }
        assert_eq!(okta_admin_host("localhost"), None);
    }

    #[test]
    fn vendor_domains_and_lookalikes() {
        assert_eq!(vendor_domain("id.okta.com"), Some(("okta.com", "Okta", true)));
        assert_eq!(vendor_domain("okta.com.example.net"), Some(("okta.com", "Okta", false)));
        assert_eq!(vendor_domain("admin.example.com"), None);
        assert_eq!(vendor_domain("myokta.com.example.net"), None);
    }
}
