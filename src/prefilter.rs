//! The page agent's first question, answered in the page without the
//! background: could this frame's path belong to a page keyferry knows?
//!
//! The content script runs on every page of the console hosts, and most of
//! them (dashboards, lists, recipes, Setup home) are not setup pages. Asking
//! the background on each would wake its worker for nothing. So the agent
//! carries the catalog's URL paths as data ([`rules`], written into
//! `extension/agent/bootstrap.js` between its `generated` markers by `tests/prefilter.rs`,
//! which fails when the file is stale) and only says hello where one of them
//! matches. The answer is a superset of [`crate::recognize::candidates`]
//! (hosts, fragments and query parameters are left to the background, and a
//! Lightning wrapper counts whatever its `address` names); a native test
//! checks that it never misses a candidate.
//!
//! A dialog that opens over other pages at their own URL
//! ([`crate::catalog::Page::shares_url`]: Okta's Create App Integration over
//! the Applications list, Workflows' New Connection over any Workflows page)
//! makes those pages candidates too, though they are lists and editors the
//! admin keeps open all day. Their rule carries a CSS selector
//! ([`landmark_selector`]): an element that must be in the page for the
//! dialog's landmarks to hit. The agent says hello there only once
//! `querySelector` finds one (it watches the DOM for it meanwhile); a
//! selector the browser refuses counts as found.

use crate::catalog::{Page, PathMatch, Probe, UrlPattern, PAGES};
use crate::recognize::Location;

/// A Lightning wrapper page (`/lightning/setup/<Node>/page?address=…`): the
/// prefilter lets every one through, and the background reads the address.
pub const WRAPPER: PathMatch = PathMatch::Segments(&["lightning", "setup", "*", "page"]);

/// The path rule a URL pattern falls under (a Lightning wrapper's is [`WRAPPER`]).
pub fn rule_path(u: &UrlPattern) -> PathMatch {
    if u.via_address_param { WRAPPER } else { u.path }
}

/// One path rule of the agent's prefilter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub path: PathMatch,
    /// `Some(css)`: every page with this path shares its URL with other
    /// pages; hello only once `querySelector(css)` finds an element.
    pub wait_for: Option<String>,
}

/// What the agent does on a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// No catalog page has this path: stay quiet.
    Quiet,
    /// Say hello now.
    Hello,
    /// Say hello once `querySelector` finds this selector.
    WaitFor(String),
}

/// Every distinct path rule of the catalog, in catalog order, with what the
/// agent waits for on it.
pub fn rules() -> Vec<Rule> {
    let mut paths: Vec<PathMatch> = Vec::new();
    for page in PAGES {
        for p in page.urls {
            let rule = rule_path(p);
            if !paths.contains(&rule) {
                paths.push(rule);
            }
        }
    }
    paths.into_iter().map(|path| Rule { path, wait_for: wait_for(&path) }).collect()
}

/// The selector a path rule waits for: the union of its pages'
/// [`landmark_selector`]s, if every page with the rule shares its URL and
/// has one; otherwise none (hello at once, as any other candidate).
fn wait_for(path: &PathMatch) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for page in PAGES {
        let has = page.urls.iter().any(|u| rule_path(u) == *path);
        if !has {
            continue;
        }
        if !page.shares_url {
            return None;
        }
        let css = landmark_selector(page)?;
        if !parts.contains(&css) {
            parts.push(css);
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A selector that finds an element whenever `page`'s landmarks can all hit:
/// the elements of its first landmark whose every probe names one the
/// agent can look for with one `querySelector` in the document (ids, and
/// CSS outside shadow roots; a title or a deep probe cannot say). The
/// landmarks must all hit for recognition (`recognize::recognize`), so one
/// landmark's elements are necessary. `None` when no landmark qualifies.
pub fn landmark_selector(page: &Page) -> Option<String> {
    page.landmarks.iter().find_map(|landmark| {
        let mut parts: Vec<String> = Vec::new();
        for probe in landmark.any_of {
            let part = match probe {
                Probe::Id { id } => format!("[id=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\"")),
                Probe::Css { css, deep: false } | Probe::Text { css, deep: false, .. } => css.to_string(),
                Probe::Css { .. } | Probe::Text { .. } | Probe::Title { .. } => return None,
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    })
}

/// What the agent decides from [`rules`], in Rust: the same matching as
/// recognition's (`recognize::path_matches`) on the URL's path only. Any
/// matching rule without a selector means hello now; otherwise the matching
/// rules' selectors are waited for together.
pub fn gate(url: &str) -> Gate {
    let Some(loc) = Location::parse(url) else { return Gate::Quiet };
    let mut wait: Vec<String> = Vec::new();
    for rule in rules() {
        if !crate::recognize::path_matches(&rule.path, &loc.path) {
            continue;
        }
        match rule.wait_for {
            None => return Gate::Hello,
            Some(css) => wait.push(css),
        }
    }
    if wait.is_empty() { Gate::Quiet } else { Gate::WaitFor(wait.join(", ")) }
}

/// Could `url` be a candidate, now or once its selector is found?
pub fn may_be_candidate(url: &str) -> bool {
    gate(url) != Gate::Quiet
}

/// The generated region of `extension/agent/bootstrap.js`: the rules as a JS
/// literal (`[kind, value]`, or `[kind, value, selector]`).
pub fn agent_region() -> String {
    let rules: Vec<String> = rules()
        .iter()
        .map(|r| {
            let (kind, value) = match r.path {
                PathMatch::Exact(s) => ("exact", js_string(s)),
                PathMatch::Prefix(s) => ("prefix", js_string(s)),
                PathMatch::Suffix(s) => ("suffix", js_string(s)),
                PathMatch::Segments(segs) => {
                    ("segments", format!("[{}]", segs.iter().map(|s| js_string(s)).collect::<Vec<_>>().join(", ")))
                }
            };
            match &r.wait_for {
                Some(css) => format!("    ['{kind}', {value}, {}],\n", js_string(css)),
                None => format!("    ['{kind}', {value}],\n"),
            }
        })
        .collect();
    format!("  const PATHS = [\n{}  ];\n", rules.concat())
}

fn js_string(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out.push('\'');
    out
}
