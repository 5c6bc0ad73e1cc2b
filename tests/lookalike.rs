//! Lookalike hosts (SECURITY.md): the second line of defence behind the
//! manifest's match patterns. Even if the agent ran on one of these hosts (or
//! a future broader pattern let it), the core recognizes no page there, so no
//! specs are sent, no overlay is shown and nothing is filled. The same hosts
//! are served as fixtures and checked end to end (tests/e2e/hostile.test.mjs,
//! tests/e2e/test_hostile.py).
#![cfg(not(target_arch = "wasm32"))]

use keyferry::recognize::{candidates, host_allowed};

const PATHS: &[&str] = &[
    "/admin/access/api/tokens",
    "/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general",
    "/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
    "/connections/new",
    "/app/connections",
];

const LOOKALIKES: &[&str] = &[
    "acme-admin.okta.com.evil.test",
    "acme-admin-okta.com",
    "acme-admin.xn--kta-red.com",         // acme-admin.оkta.com, Cyrillic о
    "acme.my.xn--salesfrce-52h.com",      // acme.my.salesfоrce.com, Cyrillic о
    "acme.my.xn--slesforce-0yh.com",      // acme.my.sаlesforce.com, Cyrillic а
    "app.workato.com.attacker.test",
    "app.workato.co",
    "app-workato.com",
    "acme-admin.okta.co",
    "acme-admin.oktacom",
    "acme-adminokta.com",
    "acme.workflows.okta.com.evil.test",
    "xn--acme-admin-okta-com",
    // Hosts added in 2026-12: www.workato.com (US) and the IL5 Workflows cell.
    "www.workato.com.attacker.test",
    "www-workato.com",
    "acme.workflows.okta.mil.evil.test",
    "acme.workflows-okta.mil",
];

#[test]
fn the_real_hosts_are_recognized() {
    // The control: the same paths on the real hosts find pages.
    assert!(!candidates("https://acme-admin.okta.com/admin/access/api/tokens", &[]).is_empty());
    assert!(!candidates("https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp", &[]).is_empty());
    assert!(!candidates("https://app.workato.com/connections/new", &[]).is_empty());
    assert!(!candidates("https://www.workato.com/connections/new", &[]).is_empty());
    assert!(!candidates("https://acme.workflows.okta.mil/app/connections", &[]).is_empty());
    assert!(host_allowed("https://acme-admin.okta.com/", &[]));
}

#[test]
fn lookalike_hosts_are_not_allowed_and_recognize_nothing() {
    for host in LOOKALIKES {
        for path in PATHS {
            let url = format!("https://{host}{path}");
            assert!(!host_allowed(&url, &[]), "{url} is allowed");
            assert!(candidates(&url, &[]).is_empty(), "{url} has candidate pages");
        }
    }
}

#[test]
fn the_homograph_fixtures_are_the_punycode_of_cyrillic_lookalikes() {
    // Keeps the fixture host names honest: they are what a browser reports
    // for the Unicode names (computed with IDNA in the fixture README).
    for (host, ascii_part) in [("acme-admin.xn--kta-red.com", "kta"), ("acme.my.xn--salesfrce-52h.com", "salesfrce")] {
        assert!(host.contains(&format!("xn--{ascii_part}-")), "{host}");
    }
    // Unicode hosts (if anything handed them over undecoded) are refused too.
    for url in ["https://acme-admin.оkta.com/admin/access/api/tokens", "https://acme.my.sаlesforce.com/"] {
        assert!(!host_allowed(url, &[]) && candidates(url, &[]).is_empty(), "{url}");
    }
}
