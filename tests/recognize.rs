//! Page recognition against the URL shapes of the reference notes
//! (`shared/docs/console-pages.md`): every console host and page path,
//! Lightning wrappers and classic iframe URLs, and the near-misses that must
//! not reach a page. Then `recognize()` (the DOM stage), `host_allowed` and
//! property tests.
#![cfg(not(target_arch = "wasm32"))]

use keyferry::catalog::PAGES;
use keyferry::protocol::CandidateFacts;
use keyferry::host::has_suffix as host_has_suffix;
use keyferry::recognize::{candidates, host_allowed, recognize, url_matches, Location};
use proptest::prelude::*;

// ---------------------------------------------------------------- helpers

fn ids(url: &str) -> Vec<&'static str> {
    candidates(url, &[]).iter().map(|p| p.id).collect()
}

#[track_caller]
fn reaches(url: &str, page: &str) {
    assert!(ids(url).contains(&page), "{url} should reach {page}, got {:?}", ids(url));
}

#[track_caller]
fn misses(url: &str, page: &str) {
    assert!(!ids(url).contains(&page), "{url} should not reach {page}");
}

#[track_caller]
fn nothing(url: &str) {
    assert!(ids(url).is_empty(), "{url} should reach no page, got {:?}", ids(url));
}

/// Percent-encodes everything but unreserved characters, as Lightning does
/// for the `address=` parameter.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `https://host/lightning/setup/<node>/page?address=<classic path, encoded>`.
fn lightning(host: &str, node: &str, classic: &str) -> String {
    format!("https://{host}/lightning/setup/{node}/page?address={}", enc(classic))
}

/// The classic page as the Lightning iframe loads it.
fn iframe(host: &str, classic: &str, top: &str) -> String {
    let sep = if classic.contains('?') { '&' } else { '?' };
    format!(
        "https://{host}{classic}{sep}isdtp=p1&sfdcIFrameOrigin={}&sfdcIFrameHost=web&nonce=3f1c0a9e8b7d&clc=1&appLayout=setup&tour=&ltn_app_id=",
        enc(&format!("https://{top}"))
    )
}

fn facts(page: &str, landmarks: &[bool]) -> CandidateFacts {
    CandidateFacts { page: page.into(), landmarks: landmarks.to_vec(), fields: vec![] }
}

fn all_hit(page: &str) -> CandidateFacts {
    let n = keyferry::catalog::page(page).expect("catalog page").landmarks.len();
    facts(page, &vec![true; n])
}

// ---------------------------------------------------------------- Salesforce

const EDIT: &str = "/app/mgmt/forceconnectedapps/forceAppEdit.apexp";
const EDIT_EXISTING: &str =
    "/app/mgmt/forceconnectedapps/forceAppEdit.apexp?connectedAppId=0H4Hn000000XyZaKAK&appLayout=setup&noS1Redirect=true&id=0CiHn000000AbCdKAK";
const EDIT_NEW: &str = "/app/mgmt/forceconnectedapps/forceAppEdit.apexp?retURL=%2Fsetup%2FNavigationMenus%2Fhome";
const DETAIL: &str =
    "/app/mgmt/forceconnectedapps/forceAppDetail.apexp?applicationId=06PHn000000AbCdMAK&id=0CiHn000000AbCdKAK";
const MANAGE: &str =
    "/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/d?applicationId=06PHn000000AbCdMAK";
const POLICIES: &str =
    "/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/e?applicationId=06PHn000000AbCdMAK&retURL=%2F";

/// (top host of the Lightning shell, host of the classic iframe document).
const SF_ORGS: &[(&str, &str)] = &[
    ("acme.lightning.force.com", "acme.my.salesforce.com"),
    ("acme.my.salesforce-setup.com", "acme.my.salesforce-setup.com"),
    ("acme--sbx.sandbox.lightning.force.com", "acme--sbx.sandbox.my.salesforce.com"),
    ("acme--sbx.sandbox.my.salesforce-setup.com", "acme--sbx.sandbox.my.salesforce-setup.com"),
    ("acme-dev-ed.develop.lightning.force.com", "acme-dev-ed.develop.my.salesforce.com"),
    ("acme-dev-ed.develop.my.salesforce-setup.com", "acme-dev-ed.develop.my.salesforce-setup.com"),
];

#[test]
fn salesforce_connected_app_edit_every_shape() {
    let p = "salesforce.connected_app.edit";
    for (top, classic) in SF_ORGS {
        for path in [EDIT, EDIT_EXISTING, EDIT_NEW] {
            reaches(&lightning(top, "NavigationMenus", path), p);
            reaches(&lightning(top, "ConnectedApplication", path), p);
            reaches(&iframe(classic, path, top), p);
            reaches(&format!("https://{classic}{path}"), p);
        }
    }
    // The exact wrapper URL from the notes, double-encoded retURL included.
    reaches(
        "https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup%252FNavigationMenus%252Fhome",
        p,
    );
    // Trailing slash on the classic path is the same page. The direct URL is
    // also under the consumer-details prefix (landmarks decide); edit comes
    // first. The wrapper reaches edit only.
    reaches("https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp/", p);
    assert_eq!(ids(&format!("https://acme.my.salesforce.com{EDIT}")), [p, "salesforce.connected_app.consumer_details"]);
    assert_eq!(ids(&lightning("acme.lightning.force.com", "NavigationMenus", EDIT)), [p]);
}

#[test]
fn salesforce_consumer_details_every_shape() {
    let p = "salesforce.connected_app.consumer_details";
    for (top, classic) in SF_ORGS {
        for path in [DETAIL, MANAGE] {
            reaches(&lightning(top, "ConnectedApplication", path), p);
            reaches(&iframe(classic, path, top), p);
            reaches(&format!("https://{classic}{path}"), p);
        }
    }
    // Any connected-app management page reaches it by URL; landmarks decide.
    reaches("https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppConsumerDetails.apexp", p);
    // Wrapped, only the two known paths reach it.
    misses(
        &lightning("acme.lightning.force.com", "ConnectedApplication", "/app/mgmt/forceconnectedapps/other.apexp"),
        p,
    );
}

#[test]
fn salesforce_policies_every_shape() {
    let p = "salesforce.connected_app.policies";
    for (top, classic) in SF_ORGS {
        reaches(&lightning(top, "ConnectedApplication", POLICIES), p);
        reaches(&iframe(classic, POLICIES, top), p);
        reaches(&format!("https://{classic}{POLICIES}"), p);
    }
    // The detail ("/d") page is not the edit-policies ("/e") page.
    misses(&format!("https://acme.my.salesforce.com{MANAGE}"), p);
    misses(&format!("https://acme.my.salesforce.com{POLICIES}"), "salesforce.connected_app.consumer_details");
}

#[test]
fn salesforce_external_client_apps_every_route() {
    // The consumer-details view (inline, or a window below the same node)
    // shares the ECA routes and comes first: its landmarks decide.
    let both = [
        "salesforce.external_client_app.consumer_details",
        "salesforce.external_client_app.settings",
        "salesforce.external_client_app.policies",
    ];
    for (top, _) in SF_ORGS {
        for node in ["ManageExternalClientApplication", "ExternalClientAppManager", "ExternalClientAppsManager"] {
            for rest in ["home", "list", "0xIHn000000AbCd/detail"] {
                let url = format!("https://{top}/lightning/setup/{node}/{rest}");
                assert_eq!(ids(&url), both, "{url}");
            }
        }
    }
    // Other setup nodes are not ECA pages.
    nothing("https://acme.my.salesforce-setup.com/lightning/setup/ExternalClientApplicationSettings/home");
    nothing("https://acme.my.salesforce-setup.com/lightning/setup/ConnectedAppsUsage/home");
}

#[test]
fn salesforce_other_console_hosts() {
    // Visualforce / legacy hosts and the EMEA-style instance host.
    for host in ["acme--c.vf.force.com", "acme--c.visualforce.com", "eu45.salesforce.com"] {
        reaches(&format!("https://{host}{EDIT}"), "salesforce.connected_app.edit");
        assert!(host_allowed(&format!("https://{host}/"), &[]), "{host}");
    }
    // cloudforce.com is in no manifest pattern, so not in the catalog either
    // (a custom Salesforce host, if an org uses it).
    nothing(&format!("https://acme.cloudforce.com{EDIT}"));
    assert!(!host_allowed("https://acme.cloudforce.com/", &[]));
}

#[test]
fn salesforce_decoys_and_lookalikes() {
    // Setup home, App Manager list, Manage Connected Apps list: no page.
    for path in [
        "/lightning/setup/SetupOneHome/home",
        "/lightning/setup/NavigationMenus/home",
        "/lightning/setup/ConnectedApplication/home",
        "/lightning/page/home",
        "/",
    ] {
        nothing(&format!("https://acme.my.salesforce-setup.com{path}"));
        nothing(&format!("https://acme.lightning.force.com{path}"));
    }
    // Near paths.
    misses(
        "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexpX",
        "salesforce.connected_app.edit",
    );
    nothing("https://acme.my.salesforce.com/app/mgmt/newconnectedapp.apexp");
    nothing("https://acme.my.salesforce.com/APP/MGMT/FORCECONNECTEDAPPS/FORCEAPPEDIT.APEXP");
    // A wrapper whose address leaves the host, is absolute, or is not a path.
    for address in [
        "//evil.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "/\\evil.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "/\t/evil.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "/\n/evil.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "/\\A\u{a1}.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "https://evil.test/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
        "app/mgmt/forceconnectedapps/forceAppEdit.apexp",
    ] {
        nothing(&lightning("acme.lightning.force.com", "NavigationMenus", address));
    }
    // `address=` only counts on the Lightning wrapper path.
    nothing(&format!("https://acme.my.salesforce.com/apex/Anything?address={}", enc(EDIT)));
    nothing(&format!("https://acme.lightning.force.com/lightning/setup/NavigationMenus/home?address={}", enc(EDIT)));
    // Lookalike hosts.
    for host in [
        "acme.my.salesforce.com.evil.test",
        "acme.lightning.force.com.attacker.test",
        "acme-salesforce.com",
        "acme.mysalesforce.com",
        "acme.my.salesforce.co",
        "acme.my.xn--salesfrce-52h.com",
        "acme.my.xn--slesforce-0yh.com",
        "acme.lightning.forcecom.test",
        "salesforce-setup.com.evil.test",
    ] {
        nothing(&format!("https://{host}{EDIT}"));
        nothing(&lightning(host, "NavigationMenus", EDIT));
        assert!(!host_allowed(&format!("https://{host}{EDIT}"), &[]), "{host}");
    }
}

// ---------------------------------------------------------------- Okta

const APP: &str = "0oa1b2c3d4e5f6g7h8i9";

const OKTA_ADMIN_HOSTS: &[&str] = &[
    "acme-admin.okta.com",
    "acme-admin.oktapreview.com",
    "acme-admin.okta-emea.com",
    "acme-admin.okta-gov.com",
    "dev-12345678-admin.okta.com",
    "trial-1234567-admin.okta.com",
    "integrator-7654321-admin.oktapreview.com",
];

/// (path and query/fragment, the pages it reaches exactly, in catalog order).
fn okta_paths() -> Vec<(String, Vec<&'static str>)> {
    let inst = |ty: &str, frag: &str| format!("/admin/app/{ty}/instance/{APP}/{frag}");
    let general = "okta.app.general";
    let (scopes, roles) = ("okta.app.api_scopes", "okta.app.admin_roles");
    vec![
        ("/admin/apps/active".into(), vec!["okta.app.create_dialog"]),
        ("/admin/apps/active?appType=oidc".into(), vec!["okta.app.create_dialog"]),
        (
            "/admin/apps/oauth2-wizard/create?applicationType=WEB".into(),
            vec!["okta.app.wizard_web", "okta.app.wizard_service"],
        ),
        ("/admin/apps/oauth2-wizard/create?applicationType=SERVICE".into(), vec!["okta.app.wizard_service"]),
        ("/admin/apps/oauth2-wizard/create?applicationType=BROWSER".into(), vec!["okta.app.wizard_service"]),
        (inst("oidc_client", "#tab-general"), vec![general, scopes, roles]),
        (inst("oidc_client", ""), vec![general, scopes, roles]),
        (inst("oidc_client", "#tab-signon"), vec!["okta.app.sign_on", scopes, roles]),
        (inst("okta_workflows_oauth", "#tab-signon"), vec!["okta.app.sign_on", scopes, roles]),
        (inst("oidc_client", "#tab-okta-api-scopes"), vec![scopes, roles]),
        (inst("oidc_client", "#tab-admin-roles"), vec![scopes, roles]),
        ("/admin/access/api/tokens".into(), vec!["okta.api.tokens"]),
        (inst("salesforce", "#tab-user-management"), vec![scopes, roles, "okta.salesforce.provisioning"]),
        (
            inst("salesforce", "#tab-user-management/api-credentials"),
            vec![scopes, roles, "okta.salesforce.provisioning"],
        ),
    ]
}

#[test]
fn okta_admin_pages_on_every_cell() {
    for host in OKTA_ADMIN_HOSTS {
        for (path, want) in okta_paths() {
            let url = format!("https://{host}{path}");
            assert_eq!(ids(&url), want, "{url}");
            assert!(host_allowed(&url, &[]), "{url}");
        }
    }
}

#[test]
fn okta_tabs_stay_apart() {
    let inst = format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/");
    misses(&format!("{inst}#tab-signon"), "okta.app.general");
    misses(&format!("{inst}#tab-general"), "okta.app.sign_on");
    misses(&format!("{inst}#tab-assignments"), "okta.app.general");
    // Provisioning only on the Salesforce app type, only on its tab.
    misses(&format!("{inst}#tab-user-management"), "okta.salesforce.provisioning");
    misses(
        &format!("https://acme-admin.okta.com/admin/app/salesforce/instance/{APP}/#tab-general"),
        "okta.salesforce.provisioning",
    );
    // An instance path needs both the type and the id.
    nothing("https://acme-admin.okta.com/admin/app/oidc_client/instance/");
    nothing(&format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/extra"));
    // The apps list matches the dialog page by URL (landmarks decide); other
    // admin pages do not.
    reaches("https://acme-admin.okta.com/admin/apps/active", "okta.app.create_dialog");
    nothing("https://acme-admin.okta.com/admin/apps/activeX");
    nothing("https://acme-admin.okta.com/admin/apps/add-app");
    nothing("https://acme-admin.okta.com/admin/dashboard");
    nothing("https://acme-admin.okta.com/admin/access/api/tokensX");
}

#[test]
fn okta_non_admin_and_lookalike_hosts() {
    let paths: Vec<String> = okta_paths().into_iter().map(|(p, _)| p).collect();
    for host in [
        // The org's end-user host and Okta's shared OAuth host: not the console.
        "acme.okta.com",
        "system-admin.okta.com",
        "system-admin.oktapreview.com",
        "okta.com",
        "admin.okta.com",
        "-admin.okta.com",
        "a.b-admin.okta.com",
        // Lookalikes.
        "acme-admin.okta.com.evil.test",
        "acme-admin-okta.com",
        "acme-adminokta.com",
        "acme-admin.okta.co",
        "acme-admin.oktacom.test",
        "acme-admin.xn--kta-red.com",
        "acme-admin.xn--kta-8yc.com",
        "acme-admin.xn--okta-ema-i8g.com",
        "xn--kta-red.com",
        "acme-admin.okta.mil.evil.test",
    ] {
        for path in &paths {
            nothing(&format!("https://{host}{path}"));
        }
        assert!(!host_allowed(&format!("https://{host}/"), &[]), "{host}");
    }
    // A Workflows host (allowed) never serves admin pages.
    for path in &paths {
        nothing(&format!("https://acme-admin.workflows.okta.com{path}"));
        nothing(&format!("https://acme.workflows.okta.com{path}"));
    }
}

// ---------------------------------------------------------------- Workflows

#[test]
fn workflows_hosts_and_paths() {
    let p = "workflows.connection.new";
    for host in [
        "acme.workflows.okta.com",
        "acme.workflows.oktapreview.com",
        "acme.workflows.okta-emea.com",
        "acme.workflows.okta-gov.com",
        // FedRAMP IL5 (console-pages §8.3).
        "acme.workflows.okta.mil",
    ] {
        for path in ["/app/connections", "/app/folders/123/flows/456", "/app/"] {
            let url = format!("https://{host}{path}");
            assert_eq!(ids(&url), [p], "{url}");
            assert!(host_allowed(&url, &[]));
        }
        nothing(&format!("https://{host}/"));
        nothing(&format!("https://{host}/oidc/0oa1/login"));
        nothing(&format!("https://{host}/application"));
    }
    for host in [
        "workflows.okta.com",
        "a.b.workflows.okta.com",
        "acme-workflows.okta.com",
        "acme.workflowsokta.com",
        "acme.workflows.okta.com.evil.test",
        "acme.workflows.xn--kta-red.com",
        "acme.workflows.okta.co",
        // IL5: only <org>.workflows.okta.mil, nothing else on okta.mil.
        "workflows.okta.mil",
        "acme.workflows.okta.mil.evil.test",
        "acme-workflows.okta.mil",
        "acme.workflows.okta.mil.attacker.test",
        "acme.workflows.okta-mil.com",
        "acme-admin.okta.mil",
    ] {
        nothing(&format!("https://{host}/app/connections"));
        assert!(!host_allowed(&format!("https://{host}/app/connections"), &[]), "{host}");
    }
}

// ---------------------------------------------------------------- Workato

const WORKATO_HOSTS: &[&str] = &[
    "app.workato.com",
    // US, as Workato's own links give it (console-pages §8.4).
    "www.workato.com",
    "app.eu.workato.com",
    "app.jp.workato.com",
    "app.sg.workato.com",
    "app.au.workato.com",
    "app.il.workato.com",
    "app.trial.workato.com",
    "app.in.workato.com",
    "app.kr.workato.com",
    "app.uk.workato.com",
    "app.workatoapp.cn",
];

#[test]
fn workato_every_data_center() {
    let p = "workato.connection.new";
    for host in WORKATO_HOSTS {
        for path in
            ["/connections/new", "/connections/new?fid=projects", "/connections/8812345", "/connections/8812345/edit"]
        {
            let url = format!("https://{host}{path}");
            assert_eq!(ids(&url), [p], "{url}");
            assert!(host_allowed(&url, &[]), "{url}");
        }
        // Decoy paths on a real host.
        for path in [
            "/recipes/123-foo/edit",
            "/recipes/123-okta-sync",
            "/connections",
            "/connectionsX/new",
            "/?fid=projects",
            "/",
        ] {
            nothing(&format!("https://{host}{path}"));
        }
    }
}

#[test]
fn workato_lookalikes() {
    for host in [
        "workato.com",
        "eu.workato.com",
        "www.eu.workato.com",
        "www.workato.com.evil.test",
        "www-workato.com",
        "www.workato.co",
        "app.xx.workato.com",
        "app.eu.workato.com.evil.test",
        "app.workato.com.evil.test",
        "workato.com.attacker.test",
        "app-workato.com",
        "app.workato.co",
        "app.xn--wrkato-wqf.com",
        "app.workatoapp.cn.evil.test",
        "app.workatoapp.com",
    ] {
        nothing(&format!("https://{host}/connections/new"));
        assert!(!host_allowed(&format!("https://{host}/connections/new"), &[]), "{host}");
    }
}

// ---------------------------------------------------------------- URL forms

#[test]
fn only_https_on_the_default_port_without_user_info() {
    let good = "https://acme-admin.okta.com/admin/access/api/tokens";
    reaches(good, "okta.api.tokens");
    for bad in [
        "http://acme-admin.okta.com/admin/access/api/tokens",
        "wss://acme-admin.okta.com/admin/access/api/tokens",
        "https://acme-admin.okta.com:8443/admin/access/api/tokens",
        "https://acme-admin.okta.com:444/admin/access/api/tokens",
        "https://user@acme-admin.okta.com/admin/access/api/tokens",
        "https://user:pw@acme-admin.okta.com/admin/access/api/tokens",
        "https://:pw@acme-admin.okta.com/admin/access/api/tokens",
        "https://acme-admin.okta.com@evil.test/admin/access/api/tokens",
        "https://acme-admin.okta.com%2eevil.test/admin/access/api/tokens",
        "https://10.0.0.1/admin/access/api/tokens",
        "https://0x7f.1/admin/access/api/tokens",
        "https://[::1]/admin/access/api/tokens",
        "https://acme-admin..okta.com/admin/access/api/tokens",
        "https://acme-admin.okta.com../admin/access/api/tokens",
        "//acme-admin.okta.com/admin/access/api/tokens",
        "acme-admin.okta.com/admin/access/api/tokens",
        "",
    ] {
        nothing(bad);
        assert!(!host_allowed(bad, &[]), "{bad}");
        assert!(recognize(bad, &[all_hit("okta.api.tokens")], &[]).is_none(), "{bad}");
    }
    // Host case and one trailing dot are the same host. Browsers never
    // report the default port, so even `:443` is not a console URL.
    reaches("https://ACME-Admin.OKTA.com/admin/access/api/tokens", "okta.api.tokens");
    reaches("https://acme-admin.okta.com./admin/access/api/tokens", "okta.api.tokens");
    nothing("https://acme-admin.okta.com:443/admin/access/api/tokens");
    // Forms the URL parser would accept but a browser never reports.
    nothing("HTTPS://acme-admin.okta.com/admin/access/api/tokens");
    nothing("https:acme-admin.okta.com/admin/access/api/tokens");
    nothing("https:\\\\acme-admin.okta.com/admin/access/api/tokens");
    nothing(" https://acme-admin.okta.com/admin/access/api/tokens");
    nothing("https://acme-admin.ok\tta.com/admin/access/api/tokens");
    nothing("https://acme-admin.%6Fkta.com/admin/access/api/tokens");
    // A backslash ends the host, as in the browser.
    nothing("https://evil.test\\@acme-admin.okta.com/admin/access/api/tokens");
    reaches("https://acme-admin.okta.com\\admin/access/api/tokens", "okta.api.tokens");
    // Non-ASCII hosts never reach a page.
    nothing("https://аcme-admin.okta.com/admin/access/api/tokens");
    nothing("https://acme-admin.оkta.com/admin/access/api/tokens");
    // Overlong URLs are refused before parsing.
    let long = format!("{good}?x={}", "a".repeat(keyferry::protocol::limits::MAX_URL));
    nothing(&long);
    assert!(Location::parse(&long).is_none());
}

#[test]
fn location_parse_normalizes() {
    let l = Location::parse("https://ACME-admin.Okta.com./admin/app/x/instance/0oa1/?a=1&b=%2F#tab-general").unwrap();
    assert_eq!(l.host, "acme-admin.okta.com");
    assert_eq!(l.path, "/admin/app/x/instance/0oa1/");
    assert_eq!(l.query, [("a".to_string(), "1".to_string()), ("b".to_string(), "/".to_string())]);
    assert_eq!(l.fragment, "tab-general");
    let page = keyferry::catalog::page("okta.app.general").unwrap();
    assert!(url_matches(page, &l, &[]));
}

#[test]
fn host_suffix_is_on_labels() {
    assert!(host_has_suffix("a.b.okta.com", "okta.com"));
    assert!(host_has_suffix("a.b.okta.com", ".okta.com"));
    assert!(!host_has_suffix("aokta.com", "okta.com"));
    assert!(!host_has_suffix("okta.com.a", "okta.com"));
    assert!(!host_has_suffix("kta.com", "okta.com"));
    assert!(!host_has_suffix("", "okta.com"));
}

// ---------------------------------------------------------------- recognize()

#[test]
fn recognize_needs_every_landmark() {
    let url = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB";
    let web = "okta.app.wizard_web";
    assert_eq!(keyferry::catalog::page(web).unwrap().landmarks.len(), 2);
    assert_eq!(recognize(url, &[facts(web, &[true, true])], &[]).map(|p| p.id), Some(web));
    assert!(recognize(url, &[facts(web, &[true, false])], &[]).is_none());
    assert!(recognize(url, &[facts(web, &[false, true])], &[]).is_none());
    // Fewer (or more) booleans than the page has landmarks: rejected.
    assert!(recognize(url, &[facts(web, &[true])], &[]).is_none());
    assert!(recognize(url, &[facts(web, &[])], &[]).is_none());
    assert!(recognize(url, &[facts(web, &[true, true, true])], &[]).is_none());
    assert!(recognize(url, &[], &[]).is_none());
}

#[test]
fn recognize_every_page_on_its_sample_url() {
    let samples = [
        ("salesforce.connected_app.edit", lightning("acme.my.salesforce-setup.com", "NavigationMenus", EDIT_NEW)),
        ("salesforce.connected_app.consumer_details", iframe("acme.my.salesforce.com", DETAIL, "acme.lightning.force.com")),
        ("salesforce.connected_app.policies", iframe("acme.my.salesforce.com", POLICIES, "acme.lightning.force.com")),
        (
            "salesforce.external_client_app.consumer_details",
            "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail".into(),
        ),
        (
            "salesforce.external_client_app.settings",
            "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail".into(),
        ),
        (
            "salesforce.external_client_app.policies",
            "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail".into(),
        ),
        ("okta.app.create_dialog", "https://acme-admin.okta.com/admin/apps/active".into()),
        ("okta.app.wizard_web", "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB".into()),
        ("okta.app.wizard_service", "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE".into()),
        ("okta.app.general", format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/#tab-general")),
        ("okta.app.sign_on", format!("https://acme-admin.okta.com/admin/app/okta_workflows_oauth/instance/{APP}/#tab-signon")),
        ("okta.app.api_scopes", format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/")),
        ("okta.app.admin_roles", format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/#tab-admin-roles")),
        ("okta.api.tokens", "https://acme-admin.okta-emea.com/admin/access/api/tokens".into()),
        (
            "okta.salesforce.provisioning",
            format!("https://acme-admin.okta.com/admin/app/salesforce/instance/{APP}/#tab-user-management"),
        ),
        ("workflows.connection.new", "https://acme.workflows.okta.com/app/connections".into()),
        ("workato.connection.new", "https://app.eu.workato.com/connections/new".into()),
    ];
    assert_eq!(samples.len(), PAGES.len());
    for (id, url) in &samples {
        assert_eq!(recognize(url, &[all_hit(id)], &[]).map(|p| p.id), Some(*id), "{url}");
        // One landmark missing: not recognized.
        let n = keyferry::catalog::page(id).unwrap().landmarks.len();
        for miss in 0..n {
            let mut l = vec![true; n];
            l[miss] = false;
            assert!(recognize(url, &[facts(id, &l)], &[]).is_none(), "{id} without landmark {miss}");
        }
    }
}

#[test]
fn recognize_ignores_unknown_pages_and_urls_that_do_not_match() {
    let url = "https://acme-admin.okta.com/admin/access/api/tokens";
    let tokens = all_hit("okta.api.tokens");
    // A page id not in the catalog is skipped, the next candidate wins.
    let unknown = facts("okta.app.everything", &[true]);
    assert_eq!(recognize(url, &[unknown.clone(), tokens.clone()], &[]).map(|p| p.id), Some("okta.api.tokens"));
    assert!(recognize(url, &[unknown], &[]).is_none());
    assert!(recognize(url, &[facts("", &[])], &[]).is_none());
    // A catalog page whose URL does not match is skipped, whatever it claims.
    let workato = all_hit("workato.connection.new");
    assert!(recognize(url, std::slice::from_ref(&workato), &[]).is_none());
    assert_eq!(recognize(url, &[workato, tokens.clone()], &[]).map(|p| p.id), Some("okta.api.tokens"));
    // Same facts on a lookalike host: nothing.
    assert!(recognize("https://acme-admin.okta.com.evil.test/admin/access/api/tokens", &[tokens.clone()], &[]).is_none());
    assert!(recognize("https://acme.okta.com/admin/access/api/tokens", &[tokens], &[]).is_none());
}

#[test]
fn recognize_first_matching_candidate_wins() {
    // The instance URL without a fragment is General, API Scopes or Admin
    // roles by URL; the first candidate whose landmarks all hit wins.
    let url = format!("https://acme-admin.okta.com/admin/app/oidc_client/instance/{APP}/");
    let (g, s, r) = (all_hit("okta.app.general"), all_hit("okta.app.api_scopes"), all_hit("okta.app.admin_roles"));
    assert_eq!(recognize(&url, &[g.clone(), s.clone(), r.clone()], &[]).map(|p| p.id), Some("okta.app.general"));
    let g_miss = facts("okta.app.general", &[true, false]);
    assert_eq!(recognize(&url, &[g_miss, s.clone(), r.clone()], &[]).map(|p| p.id), Some("okta.app.api_scopes"));
    assert_eq!(recognize(&url, &[r.clone(), s.clone()], &[]).map(|p| p.id), Some("okta.app.admin_roles"));
    // Duplicates: the first complete one counts.
    let r_miss = facts("okta.app.admin_roles", &[false]);
    assert_eq!(recognize(&url, &[r_miss, r], &[]).map(|p| p.id), Some("okta.app.admin_roles"));
    // On the wizard: the web page comes first in the catalog and in the specs.
    let wiz = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB";
    let (web, svc) = (all_hit("okta.app.wizard_web"), all_hit("okta.app.wizard_service"));
    assert_eq!(recognize(wiz, &[web, svc.clone()], &[]).map(|p| p.id), Some("okta.app.wizard_web"));
    assert_eq!(
        recognize(wiz, &[facts("okta.app.wizard_web", &[true, false]), svc], &[]).map(|p| p.id),
        Some("okta.app.wizard_service")
    );
}

// ---------------------------------------------------------------- host_allowed

/// Registrable domains keyferry may work on (the manifest's, checked by
/// tests/manifest_hosts.rs).
const REGISTRABLE: &[&str] = &[
    "okta.mil",
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "salesforce.com",
    "force.com",
    "salesforce-setup.com",
    "visualforce.com",
    "workato.com",
    "workatoapp.cn",
];

fn on_known_domain(host: &str) -> bool {
    REGISTRABLE.iter().any(|d| host == *d || host.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
}

#[test]
fn host_allowed_for_every_console_host() {
    let mut hosts: Vec<String> = SF_ORGS.iter().flat_map(|(a, b)| [a.to_string(), b.to_string()]).collect();
    hosts.extend(OKTA_ADMIN_HOSTS.iter().map(|h| h.to_string()));
    hosts.extend(WORKATO_HOSTS.iter().map(|h| h.to_string()));
    hosts.extend(
        ["acme.workflows.okta.com", "acme.workflows.oktapreview.com", "acme.workflows.okta-emea.com", "acme.workflows.okta.mil"]
            .map(String::from),
    );
    for host in &hosts {
        let url = format!("https://{host}/anything?x=1#y");
        assert!(host_allowed(&url, &[]), "{host}");
        assert!(on_known_domain(host), "{host}");
    }
}

// ---------------------------------------------------------------- properties

/// Real console URLs to mutate.
fn real_urls() -> Vec<String> {
    let mut v = vec![
        lightning("acme.lightning.force.com", "NavigationMenus", EDIT_NEW),
        iframe("acme.my.salesforce.com", DETAIL, "acme.lightning.force.com"),
        format!("https://acme--sbx.sandbox.my.salesforce.com{POLICIES}"),
        "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail"
            .into(),
        format!("https://acme-admin.okta.com/admin/app/salesforce/instance/{APP}/#tab-user-management/api-credentials"),
        "https://acme-admin.oktapreview.com/admin/apps/oauth2-wizard/create?applicationType=WEB".into(),
        "https://acme.workflows.okta-emea.com/app/connections".into(),
        "https://app.workatoapp.cn/connections/new".into(),
    ];
    v.extend(WORKATO_HOSTS.iter().map(|h| format!("https://{h}/connections/new")));
    v
}

/// One edit of a string: insert, delete, replace or duplicate a piece, at a
/// char boundary.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Replace(usize, String),
    Duplicate(usize, usize),
}

fn apply(s: &str, e: &Edit) -> String {
    let chars: Vec<char> = s.chars().collect();
    let at = |i: usize| i % (chars.len() + 1);
    let split = |i: usize| -> (String, String) { (chars[..at(i)].iter().collect(), chars[at(i)..].iter().collect()) };
    match e {
        Edit::Insert(i, x) => {
            let (a, b) = split(*i);
            format!("{a}{x}{b}")
        }
        Edit::Delete(i, n) => {
            let (a, b) = split(*i);
            format!("{a}{}", b.chars().skip(*n).collect::<String>())
        }
        Edit::Replace(i, x) => {
            let (a, b) = split(*i);
            format!("{a}{x}{}", b.chars().skip(1).collect::<String>())
        }
        Edit::Duplicate(i, n) => {
            let (a, b) = split(*i);
            let piece: String = b.chars().take(*n).collect();
            format!("{a}{piece}{b}")
        }
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            ".",
            "..",
            "-",
            "-admin",
            "@",
            ":",
            ":443",
            ":8443",
            "/",
            "//",
            "\\",
            "%2e",
            "%2F",
            "?",
            "#",
            "&",
            "=",
            "address=",
            "%252F",
            "evil.test",
            ".evil.test",
            "xn--",
            "xn--kta-red",
            "okta.com",
            "workflows.",
            "app.",
            "http://",
            "https://",
            "[",
            "]",
            "::1",
            "127.0.0.1",
            " ",
            "\t",
            "\n",
            "\u{0}",
            "\u{200B}",
            "о",
            "é",
            "ß",
            "salesforce.com",
            "force.com",
            "workato.com",
            "A",
            "0",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
        ".{0,12}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), piece()).prop_map(|(i, x)| Edit::Insert(i, x)),
        (any::<usize>(), 0usize..20).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), piece()).prop_map(|(i, x)| Edit::Replace(i, x)),
        (any::<usize>(), 0usize..30).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
}

/// Host names built from console-ish labels, lookalikes included.
fn host_like() -> impl Strategy<Value = String> {
    let label = prop::sample::select(vec![
        "acme",
        "acme-admin",
        "system-admin",
        "admin",
        "-admin",
        "app",
        "www",
        "eu",
        "jp",
        "trial",
        "cn",
        "my",
        "lightning",
        "sandbox",
        "develop",
        "acme--sbx",
        "workflows",
        "okta",
        "oktapreview",
        "okta-emea",
        "okta-gov",
        "okta-mil",
        "com",
        "cn",
        "test",
        "evil",
        "salesforce",
        "salesforce-setup",
        "force",
        "visualforce",
        "cloudforce",
        "workato",
        "workatoapp",
        "xn--kta-red",
        "xn--80ak6aa92e",
        "co",
        "io",
        "mil",
        "",
        "A",
        "0",
    ]);
    prop::collection::vec(label, 1..7).prop_map(|v| v.join("."))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = candidates(&s, &[]);
        let _ = host_allowed(&s, &[]);
        let _ = Location::parse(&s);
        let _ = recognize(&s, &[all_hit("okta.api.tokens")], &[]);
    }

    #[test]
    fn prop_url_ish_strings_never_panic(s in "https?://[a-z0-9.@:\\[\\]%/?#&=-]{0,60}") {
        let _ = candidates(&s, &[]);
        let _ = host_allowed(&s, &[]);
        if let Some(l) = Location::parse(&s) {
            prop_assert_eq!(l.host.to_ascii_lowercase(), l.host.clone());
            prop_assert!(!l.host.split('.').any(str::is_empty));
        }
    }

    #[test]
    fn prop_mutated_console_urls(i in 0usize..100, edits in prop::collection::vec(edit(), 1..4)) {
        let urls = real_urls();
        let mut url = urls[i % urls.len()].clone();
        for e in &edits {
            url = apply(&url, e);
        }
        let found = candidates(&url, &[]);
        let allowed = host_allowed(&url, &[]);
        let _ = recognize(&url, &[all_hit("workato.connection.new"), all_hit("okta.app.general")], &[]);
        // A page is only ever found on an allowed host, and an allowed host is
        // always on one of the known registrable domains.
        prop_assert!(found.is_empty() || allowed, "{} found {:?} on a host not allowed", url, found.len());
        if allowed {
            let host = Location::parse(&url).expect("allowed implies parsed").host;
            prop_assert!(on_known_domain(&host), "{} allowed with host {}", url, host);
        }
    }

    #[test]
    fn prop_allowed_hosts_are_on_known_domains(host in host_like(), path in "(/[a-z]{0,8}){0,3}") {
        let url = format!("https://{host}{path}");
        if host_allowed(&url, &[]) {
            let h = Location::parse(&url).expect("allowed implies parsed").host;
            prop_assert!(on_known_domain(&h), "{} allowed", url);
            // The admin console only on `<org>-admin.<okta cell>`.
            if h.ends_with("-admin.okta.com") {
                prop_assert!(h != "system-admin.okta.com");
            }
        }
    }
}

// ---------------------------------------------------------------- the shared URL table

include!("cases/urls.rs");

/// The table `tests/web.rs` also runs in the browsers, here through `url`.
#[test]
fn url_cases_through_the_url_crate() {
    let wrong = url_case_failures(Parser::UrlCrate);
    assert!(wrong.is_empty(), "{wrong}");
}
