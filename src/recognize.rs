//! Page recognition, in two stages:
//! 1. URL: [`candidates`] matches a frame's URL against every page's URL
//!    patterns (host on whole DNS labels, path, fragment, query, and the
//!    Lightning `address=` wrapper). No match → the agent does nothing more.
//! 2. DOM: the agent evaluates the candidates' landmark probes and reports
//!    booleans; [`recognize`] accepts a page only when every landmark hit.

use crate::catalog::{Page, PathMatch, UrlPattern, PAGES};
use crate::protocol::facts::CandidateFacts;
use crate::host::{self, CustomHost};

/// The parts of a URL that patterns look at, already normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub host: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub fragment: String,
}

impl Location {
    /// The host of a console URL (`parse`'s rules), the one way the engine
    /// reads a page's host.
    pub fn host_of(url: &str) -> Option<String> {
        Location::parse(url).map(|l| l.host)
    }

    /// Parses an `https:` URL on the default port. Anything else (other
    /// schemes, explicit ports, user-info, IP hosts) is not a console page.
    ///
    /// The host must already be in the form browsers report it (`location.href`):
    /// ASCII letters, digits, dots and hyphens. That also keeps other input
    /// away from the ASCII-only IDNA back end, which asserts on it.
    pub fn parse(url: &str) -> Option<Location> {
        if url.len() > crate::protocol::wire::limits::MAX_URL {
            return None;
        }
        let rest = url.strip_prefix("https://")?;
        let (host, tail) = rest.split_at(rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len()));
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return None;
        }
        let u = whatwg(&format!("https://{}{tail}", host.to_ascii_lowercase()))?;
        if !u.https || u.port || u.user || ends_in_a_number(&u.host) {
            return None;
        }
        // One trailing dot is the same host (`okta.com.` is fully qualified);
        // an empty label anywhere else is not a real host name.
        let host = u.host.strip_suffix('.').unwrap_or(&u.host).to_ascii_lowercase();
        if host.split('.').any(str::is_empty) {
            return None;
        }
        Some(Location { host, path: u.path, query: u.query, fragment: u.fragment })
    }

    /// For a Lightning wrapper (`/lightning/setup/<Node>/page?address=...`),
    /// the location of the classic page it wraps.
    pub fn wrapped(&self) -> Option<Location> {
        if !path_matches(&PathMatch::Segments(&["lightning", "setup", "*", "page"]), &self.path) {
            return None;
        }
        let (_, address) = self.query.iter().find(|(k, _)| k == "address")?;
        // A path on this host only: no `//host`, and nothing the URL parser
        // would turn into one (`/\host`, `/<tab>/host`).
        if !address.starts_with('/') || address.starts_with("//") || address.contains(['\\', '\t', '\n', '\r']) {
            return None;
        }
        // Such an address resolved against `https://<host>/` is the same URL
        // as `https://<host>` followed by it (and Firefox's `URL` cuts a
        // relative reference at a NUL, an absolute one it encodes).
        let inner = whatwg(&format!("https://{}{address}", self.host))?;
        if inner.host != self.host {
            return None;
        }
        Some(Location { host: inner.host, path: inner.path, query: inner.query, fragment: inner.fragment })
    }
}

/// What the WHATWG URL parser makes of an absolute URL: the host as
/// serialized (an IPv4 address in dotted decimal), the path, the query's
/// name/value pairs (`application/x-www-form-urlencoded`, decoded) and the
/// fragment without its `#` ("" when absent or empty).
struct Parts {
    https: bool,
    host: String,
    port: bool,
    user: bool,
    path: String,
    query: Vec<(String, String)>,
    fragment: String,
}

/// Natively (tests, benches, fuzz) the `url` crate.
#[cfg(not(target_arch = "wasm32"))]
fn whatwg(url: &str) -> Option<Parts> {
    let u = url::Url::parse(url).ok()?;
    Some(Parts {
        https: u.scheme() == "https",
        host: u.host_str()?.to_string(),
        port: u.port().is_some(),
        user: !u.username().is_empty() || u.password().is_some(),
        path: u.path().to_string(),
        query: u.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
        fragment: u.fragment().unwrap_or("").to_string(),
    })
}

/// In the wasm, the browser's `URL` (the same standard; `url` and `idna` are
/// ~32 KB raw the module does not carry). `tests/web.rs` holds it to the
/// native results on `tests/cases/urls.rs`.
#[cfg(target_arch = "wasm32")]
fn whatwg(url: &str) -> Option<Parts> {
    use wasm_bindgen::JsCast;
    let u = web_sys::Url::new(url).ok()?;
    let query = js_sys::Array::from(&u.search_params().entries())
        .iter()
        .map(|pair| {
            let pair: js_sys::Array = pair.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default())
        })
        .collect();
    let hash = u.hash();
    Some(Parts {
        https: u.protocol() == "https:",
        host: u.hostname(),
        port: !u.port().is_empty(),
        user: !u.username().is_empty() || !u.password().is_empty(),
        path: u.pathname(),
        query,
        fragment: hash.strip_prefix('#').unwrap_or(&hash).to_string(),
    })
}

/// The WHATWG host parser's "ends in a number": such a host is an IPv4
/// address (or no host at all), never a domain.
fn ends_in_a_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or("");
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub(crate) fn path_matches(m: &PathMatch, path: &str) -> bool {
    match m {
        PathMatch::Exact(p) => path.trim_end_matches('/') == p.trim_end_matches('/'),
        // On a segment boundary: `/admin/apps/active` is not a prefix of
        // `/admin/apps/activeX`.
        PathMatch::Prefix(p) => {
            path.strip_prefix(p).is_some_and(|rest| p.ends_with('/') || rest.is_empty() || rest.starts_with('/'))
        }
        PathMatch::Suffix(p) => path.ends_with(p),
        PathMatch::Segments(want) => {
            let got: Vec<&str> = path.trim_matches('/').split('/').collect();
            segments_match(want, &got)
        }
    }
}

/// `*` matches exactly one non-empty segment; `**` matches the rest.
fn segments_match(want: &[&str], got: &[&str]) -> bool {
    match (want.split_first(), got.split_first()) {
        (Some((&"**", _)), _) => true,
        (Some((&"*", w)), Some((g, rest))) => !g.is_empty() && segments_match(w, rest),
        (Some((lit, w)), Some((g, rest))) => lit == g && segments_match(w, rest),
        (None, None) => true,
        _ => false,
    }
}

fn fragment_matches(m: &PathMatch, fragment: &str) -> bool {
    // Patterns may be written with or without the leading '#'.
    let strip = |s: &'static str| s.strip_prefix('#').unwrap_or(s);
    match m {
        PathMatch::Exact(p) => fragment == strip(p),
        PathMatch::Prefix(p) => fragment.starts_with(strip(p)),
        PathMatch::Suffix(p) => fragment.ends_with(strip(p)),
        PathMatch::Segments(_) => path_matches(m, fragment),
    }
}

fn location_matches(p: &UrlPattern, loc: &Location) -> bool {
    path_matches(&p.path, &loc.path)
        && p.hash.as_ref().is_none_or(|h| fragment_matches(h, &loc.fragment))
        && p.query.is_none_or(|(name, prefix)| loc.query.iter().any(|(k, v)| k == name && v.starts_with(prefix)))
}

/// Does this URL match one of the page's URL patterns (on a built-in host, or
/// one of the admin's `custom` hosts)?
pub fn url_matches(page: &Page, loc: &Location, custom: &[CustomHost]) -> bool {
    page.urls.iter().any(|p| pattern_hit(page, p, loc, custom))
}

/// One of `page`'s URL patterns against `loc`: its host (or one of the
/// admin's `custom` hosts), then its location; for a Lightning wrapper's
/// pattern, the location in the wrapper's `address`.
fn pattern_hit(page: &Page, p: &UrlPattern, loc: &Location, custom: &[CustomHost]) -> bool {
    host::pattern_matches(page, p, &loc.host, custom)
        && if p.via_address_param {
            loc.wrapped().is_some_and(|inner| location_matches(p, &inner))
        } else {
            location_matches(p, loc)
        }
}

/// Pages whose URL patterns match (with the admin's `custom` hosts), in
/// catalog order.
pub fn candidates(url: &str, custom: &[CustomHost]) -> Vec<&'static Page> {
    let Some(loc) = Location::parse(url) else { return Vec::new() };
    PAGES.iter().copied().filter(|p| url_matches(p, &loc, custom)).collect()
}

/// Does a page's own URL pattern match this URL, not only a Lightning
/// wrapper's `address` (that page draws in a frame inside the wrapper, whose
/// own agent shows the panel)? The background then has the agent load the
/// panel with its hello (`Reply::Specs::preload`).
pub fn panel_expected(url: &str, custom: &[CustomHost]) -> bool {
    let Some(loc) = Location::parse(url) else { return false };
    PAGES.iter().any(|p| p.urls.iter().any(|u| !u.via_address_param && pattern_hit(p, u, &loc, custom)))
}

/// Is this host one keyferry works on at all (any page's host pattern, or
/// one of the admin's `custom` hosts)? Used as the allow-list before
/// filling: lookalikes fail here.
pub fn host_allowed(url: &str, custom: &[CustomHost]) -> bool {
    let Some(loc) = Location::parse(url) else { return false };
    PAGES.iter().any(|p| p.urls.iter().any(|u| host::pattern_matches(p, u, &loc.host, custom)))
}

/// The recognized page: the first reported candidate (the agent reports them
/// in the catalog order the specs were sent in) that is a catalog page, whose
/// URL matches (on a built-in host or one of the admin's `custom` hosts) and
/// which has one `true` per landmark of the page.
pub fn recognize(url: &str, facts: &[CandidateFacts], custom: &[CustomHost]) -> Option<&'static Page> {
    let loc = Location::parse(url)?;
    facts.iter().find_map(|f| {
        let page = crate::catalog::page(&f.page)?;
        let all_hit = f.landmarks.len() == page.landmarks.len() && f.landmarks.iter().all(|&b| b);
        (all_hit && url_matches(page, &loc, custom)).then_some(page)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_rejects_non_console_urls() {
        assert!(Location::parse("http://acme-admin.okta.com/").is_none());
        assert!(Location::parse("https://acme-admin.okta.com:8443/").is_none());
        assert!(Location::parse("https://u:p@acme-admin.okta.com/").is_none());
        assert!(Location::parse("https://127.0.0.1/").is_none());
        assert!(Location::parse("not a url").is_none());
        let l = Location::parse("https://ACME-admin.okta.com./admin/app/x/instance/0oa1/#tab-general").unwrap();
        assert_eq!(l.host, "acme-admin.okta.com");
        assert_eq!(l.fragment, "tab-general");
    }

    #[test]
    fn segments_match_one_segment_per_star() {
        let m = PathMatch::Segments(&["admin", "app", "*", "instance", "*"]);
        assert!(path_matches(&m, "/admin/app/oidc_client/instance/0oa1/"));
        assert!(!path_matches(&m, "/admin/app/oidc_client/instance/"));
        assert!(!path_matches(&m, "/admin/app/oidc_client/instance/0oa1/extra"));
        let rest = PathMatch::Segments(&["app", "**"]);
        assert!(path_matches(&rest, "/app/connections"));
    }

    #[test]
    fn wrapped_address_is_decoded_and_stays_on_host() {
        let l = Location::parse(
            "https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup",
        )
        .unwrap();
        let inner = l.wrapped().unwrap();
        assert_eq!(inner.path, "/app/mgmt/forceconnectedapps/forceAppEdit.apexp");
        let evil = Location::parse("https://acme.lightning.force.com/x/page?address=%2F%2Fevil.test%2Fa").unwrap();
        assert!(evil.wrapped().is_none());
    }
}
