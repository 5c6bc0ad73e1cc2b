#![cfg(not(target_arch = "wasm32"))]
//! The agent's prefilter (src/prefilter.rs): generated into the agent's bootstrap from the
//! catalog, never misses a candidate, and keeps the other console pages
//! (dashboards, lists, recipes, Setup home) away from the background.
//!
//! Two generated files are checked here the way rust-analyzer checks its
//! generated code: the test writes them when they differ and fails, so a
//! catalog change shows up as a diff to commit.
//!   extension/agent/bootstrap.js, between `generated:begin` and `generated:end`
//!   tests/static/prefilter-cases.json, URLs and the Rust answer for each,
//!     which tests/static/prefilter.test.mjs runs through the JS matcher

use std::path::Path;

use keyferry::catalog::{PathMatch, PAGES};
use keyferry::prefilter::{agent_region, may_be_candidate, path_rules};
use keyferry::recognize::candidates;

const BEGIN: &str = "  // generated:begin (tests/prefilter.rs from src/catalog; do not edit)\n";
const END: &str = "  // generated:end\n";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `want` to `rel` if it differs, and fails saying so.
#[track_caller]
fn check_generated(rel: &str, have: &str, want: &str) {
    if have != want {
        std::fs::write(root().join(rel), want).unwrap();
        panic!("{rel} was stale and has been regenerated from the catalog: review and commit it");
    }
}

/// Every https URL in the e2e data (page replicas, decoys, flows).
fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for f in ["tests/e2e/pages.json", "tests/e2e/flows.json"] {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        for part in text.split('"').filter(|s| s.starts_with("https://")) {
            if !out.iter().any(|u| u == part) {
                out.push(part.to_string());
            }
        }
    }
    assert!(out.len() > 50, "the e2e data should hold many URLs, found {}", out.len());
    out
}

/// Around every rule: its own path and near misses (trailing slash, one
/// segment more, a longer last segment, another case).
fn synthetic() -> Vec<String> {
    let mut paths = Vec::new();
    for rule in path_rules() {
        let base = match rule {
            PathMatch::Exact(p) | PathMatch::Prefix(p) => p.to_string(),
            PathMatch::Suffix(s) => format!("/x{s}"),
            PathMatch::Segments(s) => format!("/{}", s.iter().map(|x| if x.starts_with('*') { "seg" } else { x }).collect::<Vec<_>>().join("/")),
        };
        let trimmed = base.trim_end_matches('/');
        paths.extend([
            base.clone(),
            format!("{trimmed}/"),
            format!("{trimmed}/more"),
            format!("{trimmed}X"),
            trimmed.to_uppercase(),
            format!("/prefix{trimmed}"),
            trimmed.rsplit_once('/').map(|(a, _)| a.to_string()).unwrap_or_default(),
        ]);
    }
    paths.into_iter().map(|p| format!("https://acme-admin.okta.com{p}?q=1#frag")).collect()
}

#[test]
fn agent_js_carries_the_catalog_rules() {
    let rel = "extension/agent/bootstrap.js";
    let src = std::fs::read_to_string(root().join(rel)).unwrap();
    let (Some(b), Some(e)) = (src.find(BEGIN), src.find(END)) else {
        panic!("{rel} lacks the generated markers:\n{BEGIN}{END}");
    };
    let want = format!("{}{BEGIN}{}{}", &src[..b], agent_region(), &src[e..]);
    check_generated(rel, &src, &want);
}

#[test]
fn never_misses_a_candidate() {
    let urls = corpus().into_iter().chain(synthetic());
    let mut checked = 0;
    for url in urls {
        if !candidates(&url, &[]).is_empty() {
            assert!(may_be_candidate(&url), "the prefilter would keep the agent quiet on a candidate: {url}");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} candidate URLs in the corpus");
    // Every pattern of every page, written out, passes too.
    for page in PAGES {
        for p in page.urls {
            if let PathMatch::Exact(path) = p.path {
                let host = p.host_suffixes[0];
                let url = if p.via_address_param {
                    format!("https://acme.lightning.force.com/lightning/setup/Node/page?address={path}")
                } else {
                    format!("https://x.{host}{path}")
                };
                assert!(may_be_candidate(&url), "{}: {url}", page.id);
            }
        }
    }
}

#[test]
fn keeps_the_other_console_pages_quiet() {
    // The pages admins spend their day on: no hello, no worker.
    for url in [
        "https://acme-admin.okta.com/admin/dashboard",
        "https://acme-admin.okta.com/admin/users",
        "https://app.workato.com/recipes/123456-sync-users/edit",
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
        "https://acme.lightning.force.com/lightning/o/Account/list",
        "https://acme.my.salesforce.com/001/o",
    ] {
        assert!(!may_be_candidate(&url), "the prefilter lets a non-setup page through: {url}");
        assert!(candidates(url, &[]).is_empty(), "{url} is a candidate after all: fix this test");
    }
    // Some setup pages open as dialogs over other pages, so those pages stay
    // candidates: the apps list (Okta's create dialog), anything in Workflows.
    for url in ["https://acme-admin.okta.com/admin/apps/active", "https://acme.workflows.okta.com/app/folders/18340"] {
        assert!(may_be_candidate(url) && !candidates(url, &[]).is_empty(), "{url}");
    }
    // A Lightning wrapper goes through whatever it wraps: the background reads the address.
    assert!(may_be_candidate("https://acme.lightning.force.com/lightning/setup/Anything/page?address=%2F001"));
}

#[test]
fn the_js_matcher_has_cases_to_agree_with() {
    let rel = "tests/static/prefilter-cases.json";
    let have = std::fs::read_to_string(root().join(rel)).unwrap_or_default();
    let mut urls: Vec<String> = corpus().into_iter().chain(synthetic()).collect();
    urls.dedup();
    let cases: Vec<String> = urls
        .iter()
        .map(|u| format!("  [{}, {}]", serde_json::to_string(u).unwrap(), may_be_candidate(u)))
        .collect();
    let want = format!("[\n{}\n]\n", cases.join(",\n"));
    assert!(cases.iter().any(|c| c.ends_with("true]")) && cases.iter().any(|c| c.ends_with("false]")));
    check_generated(rel, &have, &want);
}
