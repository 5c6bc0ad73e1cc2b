//! The page agent's first question, answered in the page without the
//! background: could this frame's path belong to a page keyferry knows?
//!
//! The content script runs on every page of the console hosts, and most of
//! them (dashboards, lists, recipes, Setup home) are not setup pages. Asking
//! the background on each would wake its worker for nothing. So the agent
//! carries the catalog's URL paths as data ([`path_rules`], written into
//! `extension/agent/bootstrap.js` between its `generated` markers by `tests/prefilter.rs`,
//! which fails when the file is stale) and only says hello where one of them
//! matches. The answer is a superset of [`crate::recognize::candidates`]
//! (hosts, fragments and query parameters are left to the background, and a
//! Lightning wrapper counts whatever its `address` names); a native test
//! checks that it never misses a candidate.

use crate::catalog::{PathMatch, PAGES};
use crate::recognize::Location;

/// A Lightning wrapper page (`/lightning/setup/<Node>/page?address=…`): the
/// prefilter lets every one through, and the background reads the address.
pub const WRAPPER: PathMatch = PathMatch::Segments(&["lightning", "setup", "*", "page"]);

/// Every distinct path rule of the catalog, in catalog order.
pub fn path_rules() -> Vec<PathMatch> {
    let mut out: Vec<PathMatch> = Vec::new();
    for page in PAGES {
        for p in page.urls {
            let rule = if p.via_address_param { WRAPPER } else { p.path };
            if !out.contains(&rule) {
                out.push(rule);
            }
        }
    }
    out
}

/// What the agent decides from [`path_rules`], in Rust: the same matching as
/// recognition's (`recognize::path_matches`) on the URL's path only.
pub fn may_be_candidate(url: &str) -> bool {
    let Some(loc) = Location::parse(url) else { return false };
    path_rules().iter().any(|r| crate::recognize::path_matches(r, &loc.path))
}

/// The generated region of `extension/agent/bootstrap.js`: the rules as a JS literal.
pub fn agent_region() -> String {
    let rules: Vec<String> = path_rules()
        .iter()
        .map(|r| {
            let (kind, value) = match r {
                PathMatch::Exact(s) => ("exact", js_string(s)),
                PathMatch::Prefix(s) => ("prefix", js_string(s)),
                PathMatch::Suffix(s) => ("suffix", js_string(s)),
                PathMatch::Segments(segs) => {
                    ("segments", format!("[{}]", segs.iter().map(|s| js_string(s)).collect::<Vec<_>>().join(", ")))
                }
            };
            format!("    ['{kind}', {value}],\n")
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
