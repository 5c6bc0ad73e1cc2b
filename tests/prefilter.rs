#![cfg(not(target_arch = "wasm32"))]
//! The agent's prefilter (src/prefilter.rs): generated into the agent's bootstrap from the
//! catalog, never misses a candidate, and keeps the other console pages
//! (dashboards, lists, recipes, Setup home) away from the background.
//!
//! Two generated files are checked here the way rust-analyzer checks its
//! generated code: the test writes them when they differ and fails, so a
//! catalog change shows up as a diff to commit.
//!   extension/agent/bootstrap.js, between `generated:begin` and `generated:end`
//!   tests/static/prefilter-cases.json, URLs and the Rust answer for each
//!     (false, true, or the selector to wait for), which
//!     tests/static/prefilter.test.mjs runs through the JS matcher

use std::path::Path;

use keyferry::catalog::{PathMatch, PAGES};
use keyferry::prefilter::{agent_region, gate, landmark_selector, may_be_candidate, rule_path, rules, Gate};
use keyferry::protocol::facts::CandidateFacts;
use keyferry::recognize::{candidates, recognize};

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
    for rule in rules() {
        let base = match rule.path {
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
        assert!(!may_be_candidate(url), "the prefilter lets a non-setup page through: {url}");
        assert!(candidates(url, &[]).is_empty(), "{url} is a candidate after all: fix this test");
    }
    // Some setup pages open as dialogs over other pages, so those pages stay
    // candidates: the apps list (Okta's create dialog), anything in Workflows.
    // There the agent waits for a dialog before it says hello.
    for (url, css) in [
        ("https://acme-admin.okta.com/admin/apps/active", "[role=dialog], [role=dialog] [role=tab]"),
        ("https://acme-admin.okta.com/admin/apps/active/create", "[role=dialog], [role=dialog] [role=tab]"),
        ("https://acme.workflows.okta.com/app/folders/18340", "[role=dialog], dialog, [class*=modal], [class*=Modal]"),
        ("https://acme.workflows.okta.com/app/connections", "[role=dialog], dialog, [class*=modal], [class*=Modal]"),
    ] {
        assert!(!candidates(url, &[]).is_empty(), "{url}");
        assert_eq!(gate(url), Gate::WaitFor(css.into()), "{url}");
    }
    // A page whose URL is its own says hello at once, even where it shares a
    // path shape with pages that are no setup pages (a SAML app's General tab).
    for url in [
        "https://acme-admin.okta.com/admin/app/acme_saml_1/instance/0oa9z8y7x6w5v4u3t2s1/#tab-general",
        "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB",
        "https://app.workato.com/connections/new",
        "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
    ] {
        assert_eq!(gate(url), Gate::Hello, "{url}");
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
        .map(|u| {
            let answer = match gate(u) {
                Gate::Quiet => "false".to_string(),
                Gate::Hello => "true".to_string(),
                Gate::WaitFor(css) => serde_json::to_string(&css).unwrap(),
            };
            format!("  [{}, {answer}]", serde_json::to_string(u).unwrap())
        })
        .collect();
    let want = format!("[\n{}\n]\n", cases.join(",\n"));
    assert!(cases.iter().any(|c| c.ends_with("true]")) && cases.iter().any(|c| c.ends_with("false]")));
    assert!(cases.iter().any(|c| c.ends_with("\"]")), "no case waits for a selector");
    check_generated(rel, &have, &want);
}

#[test]
fn only_pages_that_share_their_url_wait_for_a_selector() {
    let shared: Vec<&str> = PAGES.iter().filter(|p| p.shares_url).map(|p| p.id).collect();
    assert_eq!(shared, ["okta.app.create_dialog", "workflows.connection.new"]);
    for rule in rules() {
        let pages: Vec<_> = PAGES.iter().filter(|p| p.urls.iter().any(|u| rule_path(u) == rule.path)).collect();
        let all_shared = !pages.is_empty() && pages.iter().all(|p| p.shares_url);
        assert_eq!(rule.wait_for.is_some(), all_shared, "{:?} (pages {:?})", rule.path, pages.iter().map(|p| p.id).collect::<Vec<_>>());
    }
}

/// The selector is necessary: a page whose landmarks all hit but the one the
/// selector comes from is not recognized, so a page where the selector finds
/// nothing could not have been recognized either.
#[test]
fn the_selector_comes_from_a_landmark_recognition_needs() {
    for page in PAGES.iter().filter(|p| p.shares_url) {
        let css = landmark_selector(page).unwrap_or_else(|| panic!("{}: no landmark the agent can wait for", page.id));
        let url = match page.id {
            "okta.app.create_dialog" => "https://acme-admin.okta.com/admin/apps/active",
            "workflows.connection.new" => "https://acme.workflows.okta.com/app/connections",
            other => panic!("add a URL for {other}"),
        };
        use keyferry::catalog::Probe;
        let which = page
            .landmarks
            .iter()
            .position(|l| l.any_of.iter().all(|p| matches!(p, Probe::Id { .. } | Probe::Css { deep: false, .. } | Probe::Text { deep: false, .. })))
            .expect("a landmark the agent can wait for");
        let facts = |hits: Vec<bool>| vec![CandidateFacts { page: page.id.into(), landmarks: hits, fields: vec![] }];
        let all = vec![true; page.landmarks.len()];
        assert!(recognize(url, &facts(all.clone()), &[]).is_some(), "{}: all landmarks hit", page.id);
        let mut but = all;
        but[which] = false;
        assert!(recognize(url, &facts(but), &[]).is_none(), "{}: recognized without landmark {which}", page.id);
        // Every probe of that landmark looks for an element the selector names.
        for probe in page.landmarks[which].any_of {
            let part = match probe {
                Probe::Id { id } => format!("[id=\"{id}\"]"),
                Probe::Css { css, .. } | Probe::Text { css, .. } => css.to_string(),
                Probe::Title { .. } => panic!("{}: a title probe cannot be waited for", page.id),
            };
            assert!(css.contains(&part), "{}: {part} is not in {css}", page.id);
        }
    }
}
