//! The manifest's host lists are the catalog's hosts: `host_permissions`,
//! the agent's `content_scripts` matches and the overlay's first
//! `web_accessible_resources` matches each hold exactly the match patterns
//! the catalog's URL patterns need (no page keyferry cannot reach, no host
//! it asks for without a page there).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use keyferry::catalog::{HostKind, PAGES};
use serde_json::Value;

/// The match patterns the catalog needs: `https://<host>/*` for exact hosts,
/// `https://*.<suffix>/*` for the others (Okta Workflows: under
/// `workflows.<suffix>`), without the ones a broader needed pattern covers.
fn catalog_patterns() -> BTreeSet<String> {
    let mut hosts: BTreeSet<String> = BTreeSet::new();
    for page in PAGES {
        for u in page.urls {
            for s in u.host_suffixes {
                hosts.insert(match u.host_kind {
                    HostKind::Exact => s.to_string(),
                    HostKind::Any | HostKind::OktaAdmin => format!("*.{s}"),
                    HostKind::OktaWorkflows => format!("*.workflows.{s}"),
                });
            }
        }
    }
    let covered = |h: &str| {
        hosts.iter().any(|wide| {
            wide != h
                && wide.strip_prefix("*.").is_some_and(|base| {
                    let bare = h.trim_start_matches("*.");
                    bare.strip_suffix(base).is_some_and(|front| front.ends_with('.'))
                })
        })
    };
    hosts.iter().filter(|h| !covered(h)).map(|h| format!("https://{h}/*")).collect()
}

fn manifest() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read manifest.json")).expect("manifest.json is JSON")
}

fn list(v: &Value, what: &str) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is not a list"))
        .iter()
        .map(|p| p.as_str().unwrap_or_else(|| panic!("{what}: {p} is not a string")).to_string())
        .collect()
}

#[track_caller]
fn same(what: &str, got: &BTreeSet<String>, want: &BTreeSet<String>) {
    let extra: Vec<_> = got.difference(want).collect();
    let missing: Vec<_> = want.difference(got).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what} differs from the catalog's hosts:\n  in the manifest, no catalog page there: {extra:?}\n  catalog hosts the manifest lacks: {missing:?}"
    );
}

#[test]
fn manifest_host_lists_are_the_catalogs_hosts() {
    let want = catalog_patterns();
    assert!(want.contains("https://*.okta.com/*") && want.contains("https://app.workato.com/*"), "{want:?}");
    let m = manifest();
    same("host_permissions", &list(&m["host_permissions"], "host_permissions"), &want);
    let scripts = m["content_scripts"].as_array().expect("content_scripts");
    assert_eq!(scripts.len(), 1, "one content script, the agent");
    same("content_scripts[0].matches", &list(&scripts[0]["matches"], "matches"), &want);
    let war = m["web_accessible_resources"].as_array().expect("web_accessible_resources");
    same("web_accessible_resources[0].matches", &list(&war[0]["matches"], "matches"), &want);
}

#[test]
fn a_broader_pattern_covers_a_narrower_one() {
    // `*.okta.com` covers the Workflows hosts under it; `*.workflows.okta.mil`
    // stands alone (no admin console pattern on okta.mil).
    let want = catalog_patterns();
    assert!(!want.contains("https://*.workflows.okta.com/*"));
    assert!(want.contains("https://*.workflows.okta.mil/*"));
    assert!(!want.contains("https://*.okta.mil/*"));
}
