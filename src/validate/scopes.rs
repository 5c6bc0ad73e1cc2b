//! OAuth 2.0 scope lists, as typed into Workato's "OAuth 2.0 scopes"
//! setting or granted on Okta's "Okta API Scopes" tab.

use super::{describe_char, is_blank, Problem, Validated};
use crate::catalog::AuthType;

/// Splits on spaces, commas, tabs and line breaks (and invisible
/// characters); drops duplicates, keeping the first occurrence.
pub fn parse(input: &str) -> Vec<String> {
    // A set for the duplicates: the field holds page text (up to 64 KiB), so
    // no quadratic work on it.
    let mut seen = std::collections::HashSet::new();
    input
        .split(|c: char| c == ',' || is_blank(c))
        .filter(|s| !s.is_empty() && seen.insert(*s))
        .map(str::to_string)
        .collect()
}

/// Scopes the Workato Okta connector needs at the least, per auth type.
pub fn minimum(auth: AuthType) -> &'static [&'static str] {
    match auth {
        AuthType::AuthCode => &["okta.logs.read", "okta.schemas.read", "offline_access", "openid"],
        AuthType::ClientCredentials => &["okta.logs.read", "okta.schemas.read"],
        AuthType::ApiKey => &[],
    }
}

/// Scopes Workato requests when none are chosen, per auth type.
pub fn defaults(auth: AuthType) -> &'static [&'static str] {
    match auth {
        AuthType::AuthCode => &[
            "okta.logs.read",
            "okta.schemas.read",
            "offline_access",
            "openid",
            "okta.eventHooks.manage",
            "okta.users.manage",
            "okta.groups.manage",
            "okta.apps.read",
        ],
        AuthType::ClientCredentials => &[
            "okta.logs.read",
            "okta.schemas.read",
            "okta.eventHooks.manage",
            "okta.users.manage",
            "okta.groups.manage",
            "okta.apps.read",
        ],
        AuthType::ApiKey => &[],
    }
}

/// The minimum scopes for `auth` that `present` lacks, in order.
pub fn missing(auth: AuthType, present: &[String]) -> Vec<&'static str> {
    minimum(auth).iter().copied().filter(|m| !present.iter().any(|p| p == m)).collect()
}

/// Joins scopes with single spaces.
pub fn join(list: &[&str]) -> String {
    list.join(" ")
}

/// OpenID Connect scopes Okta grants alongside its API scopes.
const OIDC: &[&str] = &["openid", "profile", "email", "phone", "address", "groups", "offline_access"];

/// Okta management API resources whose scopes come as `.read` and `.manage`.
const READ_MANAGE: &[&str] = &[
    "agentPools",
    "apiTokens",
    "appGrants",
    "apps",
    "authenticators",
    "authorizationServers",
    "behaviors",
    "brands",
    "captchas",
    "clients",
    "deviceAssurance",
    "devices",
    "domains",
    "emailDomains",
    "eventHooks",
    "factors",
    "features",
    "groups",
    "identitySources",
    "idps",
    "inlineHooks",
    "linkedObjects",
    "logStreams",
    "networkZones",
    "orgs",
    "policies",
    "principalRateLimits",
    "profileMappings",
    "pushProviders",
    "rateLimits",
    "realms",
    "riskProviders",
    "roles",
    "schemas",
    "sessions",
    "templates",
    "threatInsights",
    "trustedOrigins",
    "uischemas",
    "userTypes",
    "users",
];

/// Other known Okta scopes.
const OTHER_OKTA: &[&str] = &[
    "okta.logs.read",
    "okta.clients.register",
    "okta.riskEvents.manage",
    "okta.users.read.self",
    "okta.users.manage.self",
    "okta.workflows.read",
    "okta.workflows.invoke.manage",
];

/// Whether `scope` is an Okta API scope or OIDC scope keyferry knows.
pub fn is_known(scope: &str) -> bool {
    if OIDC.contains(&scope) || OTHER_OKTA.contains(&scope) {
        return true;
    }
    let resource =
        scope.strip_prefix("okta.").and_then(|s| s.strip_suffix(".read").or_else(|| s.strip_suffix(".manage")));
    resource.is_some_and(|r| READ_MANAGE.contains(&r))
}

/// Checks a scope list for `auth`. The value is the normalized,
/// space-separated list (`None` only when a scope has invalid characters).
/// Errors: `scopes.invalid`, `scopes.missing`; warnings: `scopes.unknown`.
pub fn check(auth: AuthType, input: &str) -> Validated {
    let list = parse(input);
    let mut problems = Vec::new();
    for scope in &list {
        // RFC 6749 §3.3: printable ASCII except space, '"' and '\'.
        if let Some(c) = scope.chars().find(|c| !c.is_ascii_graphic() || matches!(c, '"' | '\\')) {
            let msg = format!("The scope \"{scope}\" contains {}, which scopes cannot contain.", describe_char(c));
            problems.push(Problem::error("scopes.invalid", msg, "Type the scope names by hand, e.g. okta.logs.read."));
        } else if !is_known(scope) {
            problems.push(Problem::warning(
                "scopes.unknown",
                unknown_message(scope),
                "Check the spelling against the Okta API Scopes tab.",
            ));
        }
    }
    let invalid = problems.iter().any(|p| p.code == "scopes.invalid");
    let lacking = missing(auth, &list);
    if !lacking.is_empty() {
        let plural = if lacking.len() == 1 { "" } else { "s" };
        let list = join(&lacking);
        let msg = format!("Missing the scope{plural} the {} connection needs: {list}.", auth.workato_label());
        let fix = format!("Add {list}; okta.* scopes must also be granted on the app's Okta API Scopes tab.");
        problems.push(Problem::error("scopes.missing", msg, fix));
    }
    let value = (!invalid).then(|| list.join(" "));
    Validated { value, problems }
}

/// Every scope [`is_known`] accepts (built once: an unknown-scope message
/// is made for each unknown scope of page text).
fn known_scopes() -> impl Iterator<Item = &'static str> {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KNOWN
        .get_or_init(|| {
            let read_manage = READ_MANAGE.iter().flat_map(|r| [format!("okta.{r}.read"), format!("okta.{r}.manage")]);
            OIDC.iter().chain(OTHER_OKTA).map(|s| s.to_string()).chain(read_manage).collect()
        })
        .iter()
        .map(String::as_str)
}

/// Explains an unknown scope: a case slip, scopes run together, or just unknown.
fn unknown_message(scope: &str) -> String {
    if let Some(k) = known_scopes().find(|k| k.eq_ignore_ascii_case(scope)) {
        return format!("\"{scope}\" is not a known scope; scope names are case-sensitive: did you mean {k}?");
    }
    let mut parts = Vec::new();
    let mut rest = scope;
    while let Some(k) = known_scopes().filter(|k| rest.starts_with(k)).max_by_key(|k| k.len()) {
        rest = rest.get(k.len()..).unwrap_or_default();
        parts.push(k);
    }
    if parts.len() > 1 && rest.is_empty() {
        format!("\"{scope}\" looks like several scopes run together ({}); separate them with spaces.", parts.join(" "))
    } else {
        format!("\"{scope}\" is not an Okta API or OpenID Connect scope keyferry knows.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_scopes() {
        assert!(is_known("okta.users.read"));
        assert!(is_known("okta.logs.read"));
        assert!(!is_known("okta.logs.manage"));
        assert!(!is_known("okta.users.write"));
    }
}
