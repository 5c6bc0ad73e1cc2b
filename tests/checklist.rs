//! Checklist evaluation, page by page: for every page a correct form, a
//! partly wrong one, an empty one (fields found, nothing filled in) and one
//! where no field was found, with the exact status of every requirement and
//! the progress count. Then integration filtering, the context (captured
//! values, Okta domain, data center) and the messages of wrong items.

use std::collections::BTreeMap;

use keyferry::catalog::{self, Check, Severity, Slot, INTEGRATIONS, PAGES};
use keyferry::checklist::{evaluate, evaluate_by_id, has_token, Checklist, Context, Status};
use keyferry::protocol::{FieldFact, FieldValue, Row};
use keyferry::secret::Sensitive;
use keyferry::validate::DataCenter;

const OK: Status = Status::Ok;
const WRONG: Status = Status::Wrong;
const MISSING: Status = Status::Missing;
const UNKNOWN: Status = Status::Unknown;

// ---------------------------------------------------------------- values

const OKTA_SF_CALLBACK: &str = "https://system-admin.okta.com/admin/app/generic/oauth20redirect";
const SF_KEY: &str = "3MVG9fe4g9fhX0E5FVBLbLPF_yh7iyXYZ0123456789abcdefGHIJKLmnopqrstuVWXYZ.abcdefghijklmno";
const SF_SECRET: &str = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";
const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
const CLIENT_SECRET: &str = "Zk3v_9QxLr2-Tb7YwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt7Ny4Bx8Cq1Dz6Eh0Gj";
const WF_CLIENT_ID: &str = "0oa9z8y7x6w5v4u3t2s1";
const WF_CLIENT_SECRET: &str = "wF-3k9_QmZ2xLr7TbYwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt";
const API_TOKEN: &str = "00aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7b";
const PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgztBrBAYv6Tv6RW9i
fRB6TAHpu970QR0y8sI8gg1pDYGhRANCAAS5yBSQLGn9m+POmaz07gqEM/8oV51S
hSS1+e/QSnBep+BqIj/I1hZ1UOXpWwiMF7Frny31kd7tRsy+0OEG8fPt
-----END PRIVATE KEY-----
";
const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0lCZxbRK3/zC0lv8MQW6zuMb6K+K
BKXCjTIxgXaeEiJvwkGA7UtQMOallEqf/PYOUsRpiyJ721sknjIwgGM3ZA==
-----END PUBLIC KEY-----
";
const MASK: &str = "••••••••";

const SCOPE_API_NEW: &str = "Manage user data via APIs (api)";
const SCOPE_API_OLD: &str = "Access and manage your data (api)";
const SCOPE_REFRESH_NEW: &str = "Perform requests at any time (refresh_token, offline_access)";
const SCOPE_REFRESH_OLD: &str = "Perform requests on your behalf at any time (refresh_token, offline_access)";

fn text(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(s.into()))
}
fn choice(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Choice(s.into()))
}
fn checked(b: bool) -> Option<FieldValue> {
    Some(FieldValue::Checked(b))
}
fn list(items: &[&str]) -> Option<FieldValue> {
    Some(FieldValue::List(items.iter().map(|s| s.to_string()).collect()))
}
/// One Okta API Scopes row per (scope, button).
fn grants(rows: &[(&str, &str)]) -> Option<FieldValue> {
    Some(FieldValue::Rows(
        rows.iter()
            .map(|(scope, button)| Row {
                text: format!("{scope} Allows the app to use {scope} on your behalf"),
                buttons: vec![button.to_string()],
            })
            .collect(),
    ))
}

fn facts(pairs: &[(&str, Option<FieldValue>)]) -> Vec<FieldFact> {
    pairs.iter().map(|(k, v)| FieldFact { key: k.to_string(), value: v.clone() }).collect()
}

/// Every field of the page, not found.
fn none_found(page: &str) -> Vec<FieldFact> {
    catalog::page(page).unwrap().fields.iter().map(|f| FieldFact { key: f.key.into(), value: None }).collect()
}

/// `facts` with `key` replaced.
fn with(mut f: Vec<FieldFact>, key: &str, value: Option<FieldValue>) -> Vec<FieldFact> {
    let i = f.iter().position(|x| x.key == key).unwrap_or_else(|| panic!("no fact {key}"));
    f[i].value = value;
    f
}

fn check_page(page: &str, integration: Option<&str>, f: &[FieldFact], ctx: &Context) -> Checklist {
    let page = catalog::page(page).unwrap_or_else(|| panic!("page {page}"));
    let integration = integration.map(|i| catalog::integration(i).unwrap_or_else(|| panic!("integration {i}")));
    evaluate(page, integration, f, ctx)
}

/// Asserts the items (ids in order, statuses), the notes and the progress.
#[track_caller]
fn expect(cl: &Checklist, items: &[(&str, Status)], notes: &[&str]) {
    let got: Vec<(&str, Status)> = cl.items.iter().map(|i| (i.id, i.status)).collect();
    assert_eq!(got, items, "items of {} ({:?})", cl.page, cl.integration);
    let got_notes: Vec<&str> = cl.notes.iter().map(|n| n.id).collect();
    assert_eq!(got_notes, notes, "notes of {}", cl.page);
    assert_eq!(cl.total, items.len());
    assert_eq!(cl.done, items.iter().filter(|(_, s)| *s == OK).count(), "done of {}", cl.page);
    for item in &cl.items {
        assert_ne!(item.severity, Severity::Info, "{} is info but an item", item.id);
        if item.status != OK {
            assert!(
                item.message.as_deref().is_some_and(|m| !m.is_empty()),
                "{} {:?} without message",
                item.id,
                item.status
            );
        }
        if item.status == WRONG {
            assert!(item.fix.as_deref().is_some_and(|m| !m.is_empty()), "{} wrong without fix", item.id);
        }
    }
}

fn item<'a>(cl: &'a Checklist, id: &str) -> &'a keyferry::checklist::Item {
    cl.items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no item {id} in {}", cl.page))
}

fn message(cl: &Checklist, id: &str) -> String {
    item(cl, id).message.clone().unwrap_or_default()
}

/// Every item `status`.
fn all(ids: &[&'static str], status: Status) -> Vec<(&'static str, Status)> {
    ids.iter().map(|id| (*id, status)).collect()
}

fn ctx() -> Context<'static> {
    Context::default()
}

// ---------------------------------------------------------------- correct forms

/// A correct form for the page, as used by `integration` (the Workato and
/// create-dialog answers depend on it).
fn correct(page: &str, integration: Option<&str>) -> Vec<FieldFact> {
    let auth = integration.and_then(catalog::integration).and_then(|i| i.auth_type);
    use keyferry::catalog::AuthType::*;
    match page {
        "salesforce.connected_app.edit" => facts(&[
            ("name", text("Okta Provisioning")),
            ("contact_email", text("okta-admin@acme.com")),
            ("oauth_enabled", checked(true)),
            ("device_flow", checked(false)),
            ("callback_url", text(OKTA_SF_CALLBACK)),
            ("digital_signatures", checked(false)),
            ("scopes_selected", list(&[SCOPE_API_NEW, SCOPE_REFRESH_NEW])),
            ("pkce", checked(false)),
            ("secret_web_server", checked(true)),
            ("secret_refresh", checked(true)),
            ("client_credentials", checked(false)),
            ("introspect", checked(false)),
            ("id_token", checked(false)),
            ("asset_tokens", checked(false)),
            ("single_logout", checked(false)),
        ]),
        "salesforce.connected_app.consumer_details" => {
            facts(&[("consumer_key", text(SF_KEY)), ("consumer_secret", text(SF_SECRET))])
        }
        "salesforce.connected_app.policies" => facts(&[
            ("permitted_users", choice("All users may self-authorize")),
            ("refresh_token_policy", choice("Refresh token is valid until revoked")),
        ]),
        "salesforce.external_client_app.settings" => facts(&[
            ("name", text("Okta Provisioning")),
            ("contact_email", text("okta-admin@acme.com")),
            ("oauth_enabled", checked(true)),
            ("callback_url", text(OKTA_SF_CALLBACK)),
            ("scopes_selected", list(&[SCOPE_API_NEW, SCOPE_REFRESH_NEW])),
            ("device_flow", checked(false)),
            ("pkce", checked(true)),
            ("secret_web_server", checked(true)),
            ("secret_refresh", checked(true)),
            ("refresh_rotation", checked(true)),
            ("client_credentials", checked(false)),
        ]),
        "salesforce.external_client_app.consumer_details" => {
            facts(&[("consumer_key", text(SF_KEY)), ("consumer_secret", text(SF_SECRET))])
        }
        "salesforce.external_client_app.policies" => facts(&[
            ("permitted_users", text("All users can self-authorize")),
            ("refresh_token_policy", choice("Refresh token is valid until revoked")),
            ("client_credentials", checked(false)),
        ]),
        "okta.app.create_dialog" => match auth {
            Some(ClientCredentials) => facts(&[("sign_in_method", choice("API Services")), ("app_type", None)]),
            _ => facts(&[("sign_in_method", choice("OIDC - OpenID Connect")), ("app_type", choice("Web Application"))]),
        },
        "okta.app.wizard_web" => facts(&[
            ("name", text("Workato")),
            ("dpop", checked(false)),
            ("grant_auth_code", checked(true)),
            ("grant_refresh", checked(true)),
            ("redirect_uri", text("https://www.workato.com/oauth/callback")),
        ]),
        "okta.app.wizard_service" => facts(&[("name", text("Workato (client credentials)"))]),
        "okta.app.general" => facts(&[
            ("client_id", text(CLIENT_ID)),
            ("client_secret", text(CLIENT_SECRET)),
            ("client_auth", choice("Public key / Private key")),
            ("private_key", text(PEM)),
            ("key_status", text("Active")),
            ("dpop", checked(false)),
        ]),
        "okta.app.sign_on" => facts(&[("client_id", text(WF_CLIENT_ID)), ("client_secret", text(WF_CLIENT_SECRET))]),
        "okta.app.api_scopes" => facts(&[(
            "scopes",
            grants(&[
                ("okta.apps.read", "Grant"),
                ("okta.devices.manage", "Revoke"),
                ("okta.logs.read", "Revoke"),
                ("okta.schemas.read", "Revoke"),
                ("okta.users.manage", "Grant"),
                ("okta.users.read", "Revoke"),
            ]),
        )]),
        "okta.app.admin_roles" => facts(&[("roles", list(&["Read-only Administrator"]))]),
        "okta.api.tokens" => facts(&[("token_value", text(API_TOKEN))]),
        // The SOAP variant's field is not on a correct (OAuth) form.
        "okta.salesforce.provisioning" => facts(&[
            ("consumer_key", text(SF_KEY)),
            ("consumer_secret", text(SF_SECRET)),
            ("soap_password_token", None),
        ]),
        "workflows.connection.new" => facts(&[
            ("connector", text("Okta Devices")),
            ("nickname", text("Okta (acme)")),
            ("domain", text("acme.okta.com")),
            ("client_id", text(WF_CLIENT_ID)),
            ("client_secret", text(WF_CLIENT_SECRET)),
        ]),
        "workato.connection.new" => {
            let (label, scopes) = match auth {
                Some(ClientCredentials) => ("Client credentials", "okta.logs.read okta.schemas.read"),
                Some(ApiKey) => ("API key", ""),
                _ => ("Authorization code grant", "okta.logs.read okta.schemas.read offline_access openid"),
            };
            facts(&[
                ("name", text("Okta (acme)")),
                ("location", choice("Identity automation")),
                ("auth_type", choice(label)),
                ("domain", text("acme.okta.com")),
                ("client_id", text(CLIENT_ID)),
                ("client_secret", text(CLIENT_SECRET)),
                ("private_key", text(PEM)),
                ("api_key", text(API_TOKEN)),
                ("scopes", text(scopes)),
            ])
        }
        other => panic!("no correct form for {other}"),
    }
}

/// Every page, for every integration that uses it: the correct form is all
/// ok, and each field that cannot be found turns exactly its items unknown.
#[test]
fn every_page_correct_form_is_done_and_lost_fields_are_unknown() {
    for page in PAGES {
        let users: Vec<&str> = catalog::integrations_for_page(page.id).map(|i| i.id).collect();
        assert!(!users.is_empty(), "{} unused", page.id);
        for integration in users {
            let good = correct(page.id, Some(integration));
            let cl = check_page(page.id, Some(integration), &good, &ctx());
            for i in &cl.items {
                assert_eq!(i.status, OK, "{} / {integration}: {} is {:?}: {:?}", page.id, i.id, i.status, i.message);
            }
            assert_eq!(cl.done, cl.total);
            for f in page.fields {
                let lost = check_page(page.id, Some(integration), &with(good.clone(), f.key, None), &ctx());
                for i in &lost.items {
                    let want = if i.field == Some(f.key) { UNKNOWN } else { OK };
                    assert_eq!(i.status, want, "{} / {integration} without {}: {}", page.id, f.key, i.id);
                }
                // Missing from the report altogether: the same.
                let dropped: Vec<FieldFact> = good.iter().filter(|x| x.key != f.key).cloned().collect();
                let cl2 = check_page(page.id, Some(integration), &dropped, &ctx());
                assert_eq!(
                    cl2.items.iter().map(|i| i.status).collect::<Vec<_>>(),
                    lost.items.iter().map(|i| i.status).collect::<Vec<_>>()
                );
            }
        }
    }
}

/// Nothing found at all: every item unknown (never ok), for every page and
/// every way of evaluating it; notes stay notes.
#[test]
fn every_page_nothing_found_is_unknown() {
    for page in PAGES {
        let mut ways: Vec<Option<&str>> = vec![None];
        ways.extend(catalog::integrations_for_page(page.id).map(|i| Some(i.id)));
        for integration in ways {
            for f in [none_found(page.id), vec![]] {
                let cl = check_page(page.id, integration, &f, &ctx());
                assert!(!cl.items.is_empty() || integration.is_some(), "{} has no items", page.id);
                for i in &cl.items {
                    assert_eq!(i.status, UNKNOWN, "{} / {integration:?}: {}", page.id, i.id);
                    assert!(i.message.as_deref().unwrap_or_default().contains("could not find"));
                }
                assert_eq!(cl.done, 0);
                assert_eq!(cl.total, cl.items.len());
            }
        }
    }
}

/// Info requirements (and `Check::Note`) are notes, everything else items.
#[test]
fn info_requirements_are_notes_not_items() {
    for page in PAGES {
        let cl = check_page(page.id, None, &none_found(page.id), &ctx());
        for r in page.requirements {
            // A NoteUnlessShown requirement whose field is not found is a note.
            let is_note = r.severity == Severity::Info || matches!(r.check, Check::Note | Check::NoteUnlessShown);
            assert_eq!(cl.notes.iter().any(|n| n.id == r.id), is_note, "{}", r.id);
            assert_eq!(cl.items.iter().any(|i| i.id == r.id), !is_note, "{}", r.id);
        }
        assert_eq!(cl.items.len() + cl.notes.len(), page.requirements.len());
        for n in &cl.notes {
            assert!(!n.sources.is_empty(), "{} without sources", n.id);
        }
    }
}

// ---------------------------------------------------------------- Salesforce

const CA_ITEMS: [&str; 16] = [
    "sf.app.name",
    "sf.app.contact_email",
    "sf.oauth.enabled",
    "sf.oauth.device_flow_off",
    "sf.oauth.callback_url",
    "sf.oauth.digital_signatures_off",
    "sf.oauth.scope_api",
    "sf.oauth.scope_refresh",
    "sf.oauth.pkce_off",
    "sf.oauth.secret_web_server_on",
    "sf.oauth.secret_refresh_on",
    "sf.oauth.client_credentials_off",
    "sf.oauth.introspect_off",
    "sf.oauth.id_token_off",
    "sf.oauth.asset_tokens_off",
    "sf.oauth.single_logout_off",
];
const CA_NOTES: [&str; 4] =
    ["sf.create.where", "sf.prereq.admin_account", "sf.prereq.custom_profile", "sf.oauth.propagation_wait"];

#[test]
fn salesforce_connected_app_edit() {
    let p = "salesforce.connected_app.edit";
    let i = Some("okta-salesforce-provisioning");
    let good = correct(p, i);
    // (a) correct, with the current and the older scope texts.
    expect(&check_page(p, i, &good, &ctx()), &all(&CA_ITEMS, OK), &CA_NOTES);
    let old = with(good.clone(), "scopes_selected", list(&["Full access (full)", SCOPE_REFRESH_OLD, SCOPE_API_OLD]));
    expect(&check_page(p, i, &old, &ctx()), &all(&CA_ITEMS, OK), &CA_NOTES);
    // The callback among other lines of the textarea.
    let lines = with(good.clone(), "callback_url", text(&format!("https://login.acme.com/cb\n{OKTA_SF_CALLBACK}\n")));
    expect(&check_page(p, i, &lines, &ctx()), &all(&CA_ITEMS, OK), &CA_NOTES);

    // (b) partly wrong.
    let mut bad = with(good.clone(), "contact_email", text("okta-admin@"));
    bad = with(bad, "callback_url", text(&format!("{OKTA_SF_CALLBACK}/")));
    bad = with(
        bad,
        "scopes_selected",
        list(&["Full access (full)", "Access the identity URL service (id, profile, email, address, phone)"]),
    );
    bad = with(bad, "pkce", checked(true));
    bad = with(bad, "secret_refresh", checked(false));
    let cl = check_page(p, i, &bad, &ctx());
    let mut want = all(&CA_ITEMS, OK);
    for (id, s) in &mut want {
        if [
            "sf.app.contact_email",
            "sf.oauth.callback_url",
            "sf.oauth.scope_api",
            "sf.oauth.scope_refresh",
            "sf.oauth.pkce_off",
            "sf.oauth.secret_refresh_on",
        ]
        .contains(id)
        {
            *s = WRONG;
        }
    }
    expect(&cl, &want, &CA_NOTES);
    assert_eq!(cl.done, 10);
    assert!(
        message(&cl, "sf.oauth.callback_url").contains("\"/\" at the end"),
        "{}",
        message(&cl, "sf.oauth.callback_url")
    );
    assert!(message(&cl, "sf.oauth.scope_api").contains("(api)"));
    assert!(message(&cl, "sf.oauth.pkce_off").contains("is checked"));
    assert_eq!(item(&cl, "sf.oauth.pkce_off").fix.as_deref(), Some("Uncheck it."));
    assert_eq!(item(&cl, "sf.oauth.secret_refresh_on").fix.as_deref(), Some("Check it."));
    // Only (api) or only (refresh_token…) selected.
    let only_api = check_page(p, i, &with(good.clone(), "scopes_selected", list(&[SCOPE_API_NEW])), &ctx());
    assert_eq!(
        (item(&only_api, "sf.oauth.scope_api").status, item(&only_api, "sf.oauth.scope_refresh").status),
        (OK, WRONG)
    );
    // A scope whose token merely contains "api" is not (api).
    let chatter = check_page(
        p,
        i,
        &with(
            good.clone(),
            "scopes_selected",
            list(&["Access Connect REST API resources (chatter_api)", SCOPE_REFRESH_NEW]),
        ),
        &ctx(),
    );
    assert_eq!(item(&chatter, "sf.oauth.scope_api").status, WRONG);
    // Your own org host as the callback is wrong too.
    let own = check_page(
        p,
        i,
        &with(good.clone(), "callback_url", text("https://acme-admin.okta.com/admin/app/generic/oauth20redirect")),
        &ctx(),
    );
    assert_eq!(item(&own, "sf.oauth.callback_url").status, WRONG);
    assert!(message(&own, "sf.oauth.callback_url").contains("system-admin.okta.com"));

    // (c) empty: nothing typed, nothing ticked, nothing selected.
    let empty = facts(&[
        ("name", text("")),
        ("contact_email", text("  ")),
        ("oauth_enabled", checked(false)),
        ("device_flow", checked(false)),
        ("callback_url", text("")),
        ("digital_signatures", checked(false)),
        ("scopes_selected", list(&[])),
        ("pkce", checked(false)),
        ("secret_web_server", checked(false)),
        ("secret_refresh", checked(false)),
        ("client_credentials", checked(false)),
        ("introspect", checked(false)),
        ("id_token", checked(false)),
        ("asset_tokens", checked(false)),
        ("single_logout", checked(false)),
    ]);
    let cl = check_page(p, i, &empty, &ctx());
    expect(
        &cl,
        &[
            ("sf.app.name", MISSING),
            ("sf.app.contact_email", MISSING),
            ("sf.oauth.enabled", WRONG),
            ("sf.oauth.device_flow_off", OK),
            ("sf.oauth.callback_url", MISSING),
            ("sf.oauth.digital_signatures_off", OK),
            ("sf.oauth.scope_api", MISSING),
            ("sf.oauth.scope_refresh", MISSING),
            ("sf.oauth.pkce_off", OK),
            ("sf.oauth.secret_web_server_on", WRONG),
            ("sf.oauth.secret_refresh_on", WRONG),
            ("sf.oauth.client_credentials_off", OK),
            ("sf.oauth.introspect_off", OK),
            ("sf.oauth.id_token_off", OK),
            ("sf.oauth.asset_tokens_off", OK),
            ("sf.oauth.single_logout_off", OK),
        ],
        &CA_NOTES,
    );
    assert!(message(&cl, "sf.oauth.callback_url").contains(OKTA_SF_CALLBACK));

    // (d) nothing found.
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&CA_ITEMS, UNKNOWN), &CA_NOTES);
    // A value of the wrong kind is not evidence either.
    let odd = with(with(good.clone(), "pkce", text("false")), "name", checked(true));
    let cl = check_page(p, i, &odd, &ctx());
    assert_eq!((item(&cl, "sf.oauth.pkce_off").status, item(&cl, "sf.app.name").status), (UNKNOWN, UNKNOWN));
}

#[test]
fn salesforce_consumer_details() {
    let p = "salesforce.connected_app.consumer_details";
    let i = Some("okta-salesforce-provisioning");
    let ids = ["sf.consumer.key", "sf.consumer.secret"];
    let notes = ["sf.consumer.verify_identity"];
    let good = correct(p, i);
    expect(&check_page(p, i, &good, &ctx()), &all(&ids, OK), &notes);
    // The masked secret (before the reveal) is not the secret.
    let cl = check_page(p, i, &with(good.clone(), "consumer_secret", text(MASK)), &ctx());
    expect(&cl, &[(ids[0], OK), (ids[1], MISSING)], &notes);
    assert!(message(&cl, "sf.consumer.secret").contains("hidden"));
    // Copied with an ellipsis: cut off.
    let cl = check_page(p, i, &with(good.clone(), "consumer_key", text("3MVG9fe4g9fhX0E5…")), &ctx());
    expect(&cl, &[(ids[0], WRONG), (ids[1], OK)], &notes);
    let empty = facts(&[("consumer_key", text("")), ("consumer_secret", text(""))]);
    expect(&check_page(p, i, &empty, &ctx()), &all(&ids, MISSING), &notes);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &notes);
}

#[test]
fn salesforce_connected_app_policies() {
    let p = "salesforce.connected_app.policies";
    let i = Some("okta-salesforce-provisioning");
    let ids = ["sf.policy.permitted_users", "sf.policy.refresh_token"];
    expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &[]);
    let bad = facts(&[
        ("permitted_users", choice("Admin approved users are pre-authorized")),
        ("refresh_token_policy", choice("Expire refresh token after: 90 Day(s)")),
    ]);
    let cl = check_page(p, i, &bad, &ctx());
    expect(&cl, &all(&ids, WRONG), &[]);
    assert!(message(&cl, "sf.policy.permitted_users").contains("Admin approved users are pre-authorized"));
    let partly = with(correct(p, i), "refresh_token_policy", choice("Immediately expire refresh token"));
    expect(&check_page(p, i, &partly, &ctx()), &[(ids[0], OK), (ids[1], WRONG)], &[]);
    let empty = facts(&[("permitted_users", choice("")), ("refresh_token_policy", choice(""))]);
    expect(&check_page(p, i, &empty, &ctx()), &all(&ids, MISSING), &[]);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &[]);
}

const ECA_ITEMS: [&str; 12] = [
    "sf.app.name",
    "sf.app.contact_email",
    "sf.oauth.enabled",
    "sf.oauth.device_flow_off",
    "sf.oauth.callback_url",
    "sf.oauth.scope_api",
    "sf.oauth.scope_refresh",
    "sf.eca.pkce_on",
    "sf.oauth.secret_web_server_on",
    "sf.oauth.secret_refresh_on",
    "sf.eca.refresh_rotation_on",
    "sf.oauth.client_credentials_off",
];

#[test]
fn salesforce_external_client_app_settings() {
    let p = "salesforce.external_client_app.settings";
    let i = Some("okta-salesforce-provisioning");
    let good = correct(p, i);
    expect(&check_page(p, i, &good, &ctx()), &all(&ECA_ITEMS, OK), &CA_NOTES);
    let old = with(good.clone(), "scopes_selected", list(&[SCOPE_API_OLD, SCOPE_REFRESH_OLD]));
    expect(&check_page(p, i, &old, &ctx()), &all(&ECA_ITEMS, OK), &CA_NOTES);
    let mut bad = with(good.clone(), "client_credentials", checked(true));
    bad = with(bad, "callback_url", text("http://system-admin.okta.com/admin/app/generic/oauth20redirect"));
    let cl = check_page(p, i, &bad, &ctx());
    let want: Vec<_> = ECA_ITEMS
        .iter()
        .map(|id| {
            (*id, if ["sf.oauth.client_credentials_off", "sf.oauth.callback_url"].contains(id) { WRONG } else { OK })
        })
        .collect();
    expect(&cl, &want, &CA_NOTES);
    assert!(message(&cl, "sf.oauth.callback_url").contains("http://"));
    let empty = facts(&[
        ("name", text("")),
        ("contact_email", text("")),
        ("oauth_enabled", checked(false)),
        ("callback_url", text("")),
        ("scopes_selected", list(&[])),
        ("device_flow", checked(false)),
        ("pkce", checked(false)),
        ("secret_web_server", checked(false)),
        ("secret_refresh", checked(false)),
        ("refresh_rotation", checked(false)),
        ("client_credentials", checked(false)),
    ]);
    expect(
        &check_page(p, i, &empty, &ctx()),
        &[
            ("sf.app.name", MISSING),
            ("sf.app.contact_email", MISSING),
            ("sf.oauth.enabled", WRONG),
            ("sf.oauth.device_flow_off", OK),
            ("sf.oauth.callback_url", MISSING),
            ("sf.oauth.scope_api", MISSING),
            ("sf.oauth.scope_refresh", MISSING),
            ("sf.eca.pkce_on", WRONG),
            ("sf.oauth.secret_web_server_on", WRONG),
            ("sf.oauth.secret_refresh_on", WRONG),
            ("sf.eca.refresh_rotation_on", WRONG),
            ("sf.oauth.client_credentials_off", OK),
        ],
        &CA_NOTES,
    );
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ECA_ITEMS, UNKNOWN), &CA_NOTES);
}

#[test]
fn salesforce_external_client_app_policies() {
    let p = "salesforce.external_client_app.policies";
    let i = Some("okta-salesforce-provisioning");
    let ids = ["sf.policy.permitted_users", "sf.policy.refresh_token", "sf.oauth.client_credentials_off"];
    // ECA wording "can"; the connected-app wording "may" passes too.
    expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &[]);
    let may = with(correct(p, i), "permitted_users", text("All users may self-authorize"));
    expect(&check_page(p, i, &may, &ctx()), &all(&ids, OK), &[]);
    let bad = with(correct(p, i), "permitted_users", text("Admin approved users are pre-authorized"));
    let bad = with(bad, "client_credentials", checked(true));
    expect(&check_page(p, i, &bad, &ctx()), &[(ids[0], WRONG), (ids[1], OK), (ids[2], WRONG)], &[]);
    let empty = facts(&[
        ("permitted_users", text("")),
        ("refresh_token_policy", choice("")),
        ("client_credentials", checked(false)),
    ]);
    expect(&check_page(p, i, &empty, &ctx()), &[(ids[0], MISSING), (ids[1], MISSING), (ids[2], OK)], &[]);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &[]);
}

// ---------------------------------------------------------------- Okta

#[test]
fn okta_create_dialog_per_integration() {
    let p = "okta.app.create_dialog";
    let ac = Some("workato-okta-auth-code");
    let cc = Some("workato-okta-client-credentials");
    let ac_ids = ["okta.wizard.sign_in_method_oidc", "okta.wizard.app_type_web"];
    let cc_ids = ["okta.wizard.sign_in_method_api_services"];
    expect(&check_page(p, ac, &correct(p, ac), &ctx()), &all(&ac_ids, OK), &[]);
    expect(&check_page(p, cc, &correct(p, cc), &ctx()), &all(&cc_ids, OK), &[]);
    // Each answer is wrong for the other integration.
    expect(&check_page(p, cc, &correct(p, ac), &ctx()), &all(&cc_ids, WRONG), &[]);
    expect(&check_page(p, ac, &correct(p, cc), &ctx()), &[(ac_ids[0], WRONG), (ac_ids[1], UNKNOWN)], &[]);
    let spa = with(correct(p, ac), "app_type", choice("Single-Page Application"));
    let cl = check_page(p, ac, &spa, &ctx());
    expect(&cl, &[(ac_ids[0], OK), (ac_ids[1], WRONG)], &[]);
    assert!(item(&cl, ac_ids[1]).fix.as_deref().unwrap().contains("Web Application"));
    let empty = facts(&[("sign_in_method", choice("")), ("app_type", choice(""))]);
    expect(&check_page(p, ac, &empty, &ctx()), &all(&ac_ids, MISSING), &[]);
    expect(&check_page(p, cc, &empty, &ctx()), &all(&cc_ids, MISSING), &[]);
    expect(&check_page(p, ac, &none_found(p), &ctx()), &all(&ac_ids, UNKNOWN), &[]);
    // Unfiltered: all three.
    let cl = check_page(p, None, &correct(p, ac), &ctx());
    expect(&cl, &[(ac_ids[0], OK), (ac_ids[1], OK), (cc_ids[0], WRONG)], &[]);
}

const WIZ: [&str; 5] = [
    "okta.wizard.name",
    "okta.wizard.dpop_off",
    "okta.wizard.grant_auth_code",
    "okta.wizard.grant_refresh",
    "okta.wizard.redirect_uri",
];

#[test]
fn okta_wizard_web() {
    let p = "okta.app.wizard_web";
    let i = Some("workato-okta-auth-code");
    let notes = ["okta.wizard.assignment"];
    let good = correct(p, i);
    let cl = check_page(p, i, &good, &ctx());
    expect(&cl, &all(&WIZ, OK), &notes);
    // No data center chosen: the one the URL belongs to is named.
    assert!(message(&cl, "okta.wizard.redirect_uri").contains("US"));
    let eu = check_page(p, i, &with(good.clone(), "redirect_uri", text("https://app.eu.workato.com/oauth/callback")), &ctx());
    assert_eq!(item(&eu, "okta.wizard.redirect_uri").status, OK);
    assert!(message(&eu, "okta.wizard.redirect_uri").contains("EU"));
    // Partly wrong: the placeholder redirect, refresh token unticked, DPoP on.
    let mut bad = with(good.clone(), "redirect_uri", text("http://localhost:8080/authorization-code/callback"));
    bad = with(bad, "grant_refresh", checked(false));
    bad = with(bad, "dpop", checked(true));
    expect(
        &check_page(p, i, &bad, &ctx()),
        &[(WIZ[0], OK), (WIZ[1], WRONG), (WIZ[2], OK), (WIZ[3], WRONG), (WIZ[4], WRONG)],
        &notes,
    );
    // Trailing slash and stray space are wrong even without a data center.
    for (typed, says) in [
        ("https://app.eu.workato.com/oauth/callback/", "\"/\" at the end"),
        (" https://www.workato.com/oauth/callback", "before the URL"),
        ("https://www.workato.com/oauth/callback ", "after the URL"),
    ] {
        let cl = check_page(p, i, &with(good.clone(), "redirect_uri", text(typed)), &ctx());
        assert_eq!(item(&cl, "okta.wizard.redirect_uri").status, WRONG, "{typed}");
        assert!(
            message(&cl, "okta.wizard.redirect_uri").contains(says),
            "{typed}: {}",
            message(&cl, "okta.wizard.redirect_uri")
        );
    }
    let empty = facts(&[
        ("name", text("")),
        ("dpop", checked(false)),
        ("grant_auth_code", checked(false)),
        ("grant_refresh", checked(false)),
        ("redirect_uri", text("")),
    ]);
    expect(
        &check_page(p, i, &empty, &ctx()),
        &[(WIZ[0], MISSING), (WIZ[1], OK), (WIZ[2], WRONG), (WIZ[3], WRONG), (WIZ[4], MISSING)],
        &notes,
    );
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&WIZ, UNKNOWN), &notes);
}

#[test]
fn data_center_context_picks_the_callback() {
    let p = "okta.app.wizard_web";
    let i = Some("workato-okta-auth-code");
    let good = correct(p, i);
    for dc in DataCenter::ALL {
        let c = Context { data_center: Some(dc), ..Context::default() };
        let right = check_page(p, i, &with(good.clone(), "redirect_uri", text(dc.callback_url())), &c);
        assert_eq!(item(&right, "okta.wizard.redirect_uri").status, OK, "{dc:?}");
        for other in DataCenter::ALL.into_iter().filter(|o| *o != dc) {
            let cl = check_page(p, i, &with(good.clone(), "redirect_uri", text(other.callback_url())), &c);
            assert_eq!(item(&cl, "okta.wizard.redirect_uri").status, WRONG, "{dc:?} with {other:?}'s callback");
        }
    }
    let eu = Context { data_center: Some(DataCenter::Eu), ..Context::default() };
    let cl = check_page(p, i, &good, &eu);
    let m = message(&cl, "okta.wizard.redirect_uri");
    assert!(m.contains("US") && m.contains("EU") && m.contains("app.eu.workato.com"), "{m}");
}

#[test]
fn okta_wizard_service() {
    let p = "okta.app.wizard_service";
    let i = Some("workato-okta-client-credentials");
    let ids = ["okta.service.name"];
    expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &[]);
    expect(&check_page(p, i, &facts(&[("name", text(""))]), &ctx()), &all(&ids, MISSING), &[]);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &[]);
}

#[test]
fn okta_general_tab_per_integration() {
    let p = "okta.app.general";
    let ac = Some("workato-okta-auth-code");
    let cc = Some("workato-okta-client-credentials");
    let ac_ids = ["okta.general.client_id", "okta.general.client_secret", "okta.general.dpop_off"];
    let cc_ids = [
        "okta.general.client_id",
        "okta.general.client_auth_key",
        "okta.general.key_generated",
        "okta.general.key_saved_active",
        "okta.general.dpop_off",
    ];
    let good = correct(p, ac);
    expect(&check_page(p, ac, &good, &ctx()), &all(&ac_ids, OK), &[]);
    expect(&check_page(p, cc, &good, &ctx()), &all(&cc_ids, OK), &[]);

    // Partly wrong: secret still masked, key Inactive, client secret auth, a
    // public key instead of the private one, DPoP on.
    let mut bad = with(good.clone(), "client_secret", text(MASK));
    bad = with(bad, "key_status", text("Inactive"));
    bad = with(bad, "client_auth", choice("Client secret"));
    bad = with(bad, "private_key", text(PUBLIC_PEM));
    bad = with(bad, "dpop", checked(true));
    let cl = check_page(p, ac, &bad, &ctx());
    expect(&cl, &[(ac_ids[0], OK), (ac_ids[1], MISSING), (ac_ids[2], WRONG)], &[]);
    assert!(message(&cl, "okta.general.client_secret").contains("hidden"));
    let cl = check_page(p, cc, &bad, &ctx());
    expect(
        &cl,
        &[(cc_ids[0], OK), (cc_ids[1], WRONG), (cc_ids[2], WRONG), (cc_ids[3], WRONG), (cc_ids[4], WRONG)],
        &[],
    );
    assert!(message(&cl, "okta.general.key_saved_active").contains("Inactive"));
    // Other spellings of the status.
    for (status, want) in
        [("ACTIVE", OK), ("Status: Active", OK), ("INACTIVE", WRONG), ("Deactivated", WRONG), ("Inactive Active", OK)]
    {
        let cl = check_page(p, cc, &with(good.clone(), "key_status", text(status)), &ctx());
        assert_eq!(item(&cl, "okta.general.key_saved_active").status, want, "{status}");
    }

    let empty = facts(&[
        ("client_id", text("")),
        ("client_secret", text("")),
        ("client_auth", choice("")),
        ("private_key", text("")),
        ("key_status", text("")),
        ("dpop", checked(false)),
    ]);
    expect(&check_page(p, ac, &empty, &ctx()), &[(ac_ids[0], MISSING), (ac_ids[1], MISSING), (ac_ids[2], OK)], &[]);
    expect(
        &check_page(p, cc, &empty, &ctx()),
        &[(cc_ids[0], MISSING), (cc_ids[1], MISSING), (cc_ids[2], MISSING), (cc_ids[3], MISSING), (cc_ids[4], OK)],
        &[],
    );
    expect(&check_page(p, cc, &none_found(p), &ctx()), &all(&cc_ids, UNKNOWN), &[]);
}

#[test]
fn okta_sign_on_tab() {
    let p = "okta.app.sign_on";
    let ids = ["okta.signon.client_id", "okta.signon.client_secret"];
    for (i, notes) in
        [(Some("workflows-okta"), vec![]), (Some("workflows-okta-devices"), vec!["wfd.super_admin", "wfd.reauth_roles"])]
    {
        expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &notes);
        let bad = with(correct(p, i), "client_secret", text("●●●●●●●●●●●●"));
        expect(&check_page(p, i, &bad, &ctx()), &[(ids[0], OK), (ids[1], MISSING)], &notes);
        let empty = facts(&[("client_id", text("")), ("client_secret", text(""))]);
        expect(&check_page(p, i, &empty, &ctx()), &all(&ids, MISSING), &notes);
        expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &notes);
    }
}

#[test]
fn okta_api_scopes_grant_and_revoke() {
    let p = "okta.app.api_scopes";
    let ac = Some("workato-okta-auth-code");
    let cc = Some("workato-okta-client-credentials");
    let dev = Some("workflows-okta-devices");
    let wk = ["okta.scopes.logs_read", "okta.scopes.schemas_read", "okta.scopes.users_read_custom_role"];
    let good = correct(p, ac);
    expect(&check_page(p, ac, &good, &ctx()), &all(&wk, OK), &["okta.scopes.auto_granted"]);
    expect(&check_page(p, cc, &good, &ctx()), &all(&wk, OK), &[]);
    expect(&check_page(p, dev, &good, &ctx()), &all(&["okta.scopes.devices_manage"], OK), &[]);
    // Grant (not granted) vs Revoke (granted); a scope not listed is missing.
    let partly = facts(&[(
        "scopes",
        Some(FieldValue::Rows(vec![
            Row { text: "okta.logs.read Allows the app to read information about System Log entries in your Okta organization.".into(), buttons: vec!["Grant".into()] },
            Row { text: "okta.schemas.read Allows the app to read information about Schemas in your Okta organization.".into(), buttons: vec!["Revoke".into()] },
            // A description naming another scope does not count for it.
            Row { text: "okta.users.manage Allows the app to create and manage users; includes okta.users.read".into(), buttons: vec!["Revoke".into()] },
            Row { text: "okta.users.read Allows the app to read information about users".into(), buttons: vec!["Grant".into()] },
        ])),
    )]);
    let cl = check_page(p, ac, &partly, &ctx());
    expect(&cl, &[(wk[0], WRONG), (wk[1], OK), (wk[2], WRONG)], &["okta.scopes.auto_granted"]);
    assert!(item(&cl, wk[0]).fix.as_deref().unwrap().contains("Grant"));
    let cl = check_page(p, dev, &partly, &ctx());
    expect(&cl, &[("okta.scopes.devices_manage", MISSING)], &[]);
    assert!(message(&cl, "okta.scopes.devices_manage").contains("okta.devices.manage"));
    // A row whose button cannot be read is unknown, not ok.
    let unreadable =
        facts(&[("scopes", Some(FieldValue::Rows(vec![Row { text: "okta.logs.read".into(), buttons: vec![] }])))]);
    let cl = check_page(p, cc, &unreadable, &ctx());
    expect(&cl, &[(wk[0], UNKNOWN), (wk[1], MISSING), (wk[2], MISSING)], &[]);
    // Empty: nothing granted yet, or no rows at all.
    let none_granted = facts(&[(
        "scopes",
        grants(&[
            ("okta.logs.read", "Grant"),
            ("okta.schemas.read", "Grant"),
            ("okta.users.read", "Grant"),
            ("okta.devices.manage", "Grant"),
        ]),
    )]);
    expect(&check_page(p, cc, &none_granted, &ctx()), &all(&wk, WRONG), &[]);
    expect(&check_page(p, dev, &none_granted, &ctx()), &[("okta.scopes.devices_manage", WRONG)], &[]);
    let no_rows = facts(&[("scopes", Some(FieldValue::Rows(vec![])))]);
    expect(&check_page(p, cc, &no_rows, &ctx()), &all(&wk, MISSING), &[]);
    expect(&check_page(p, cc, &none_found(p), &ctx()), &all(&wk, UNKNOWN), &[]);
    // Read as text instead of rows: cannot tell.
    expect(&check_page(p, cc, &facts(&[("scopes", text("okta.logs.read Revoke"))]), &ctx()), &all(&wk, UNKNOWN), &[]);
}

#[test]
fn okta_admin_roles() {
    let p = "okta.app.admin_roles";
    let i = Some("workato-okta-client-credentials");
    let ids = ["okta.roles.read_only_admin"];
    expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &[]);
    // The assignments table's first cells (data rows only).
    let roles = |r: &[&str]| facts(&[("roles", list(r))]);
    expect(&check_page(p, i, &roles(&["Read-Only Administrator"]), &ctx()), &all(&ids, OK), &[]);
    expect(&check_page(p, i, &roles(&["Help Desk Administrator", "Read-only Administrator"]), &ctx()), &all(&ids, OK), &[]);
    expect(&check_page(p, i, &roles(&["Super Administrator"]), &ctx()), &all(&ids, WRONG), &[]);
    expect(&check_page(p, i, &roles(&[]), &ctx()), &all(&ids, MISSING), &[]);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &[]);
}

#[test]
fn okta_api_tokens() {
    let p = "okta.api.tokens";
    let i = Some("workato-okta-api-key");
    let ids = ["okta.token.created"];
    let notes = ["okta.token.admin_role"];
    expect(&check_page(p, i, &correct(p, i), &ctx()), &all(&ids, OK), &notes);
    // Truncated is wrong; masked dots or text with spaces ("Click to
    // reveal") mean the value is not revealed yet: still to do.
    expect(&check_page(p, i, &facts(&[("token_value", text("00aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1…"))]), &ctx()), &all(&ids, WRONG), &notes);
    for hidden in [MASK, "00aB3dE5fG7hI9jK 1lM3nO5pQ7rS9tU1vW3xY5zA7b", "Click to reveal"] {
        expect(&check_page(p, i, &facts(&[("token_value", text(hidden))]), &ctx()), &all(&ids, MISSING), &notes);
    }
    expect(&check_page(p, i, &facts(&[("token_value", text(""))]), &ctx()), &all(&ids, MISSING), &notes);
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &notes);
}

#[test]
fn okta_salesforce_provisioning() {
    let p = "okta.salesforce.provisioning";
    let i = Some("okta-salesforce-provisioning");
    let ids = ["okta.sfprov.consumer_key", "okta.sfprov.consumer_secret"];
    let notes = ["okta.sfprov.authenticate", "okta.sfprov.soap_retired", "okta.sfprov.soap_variant", "okta.sfprov.soap_note"];
    let good = correct(p, i);
    expect(&check_page(p, i, &good, &ctx()), &all(&ids, OK), &notes);
    let bad = with(good.clone(), "consumer_secret", text(MASK));
    expect(&check_page(p, i, &bad, &ctx()), &[(ids[0], OK), (ids[1], WRONG)], &notes);
    let empty = facts(&[("consumer_key", text("")), ("consumer_secret", text(""))]);
    let cl = check_page(p, i, &empty, &ctx());
    expect(&cl, &all(&ids, MISSING), &notes);
    assert!(message(&cl, ids[1]).contains("Salesforce Consumer Secret"));
    expect(&check_page(p, i, &none_found(p), &ctx()), &all(&ids, UNKNOWN), &notes);
}

const WF: [&str; 4] = ["wf.conn.nickname", "wf.conn.domain", "wf.conn.client_id", "wf.conn.client_secret"];

#[test]
fn workflows_connection() {
    let p = "workflows.connection.new";
    let okta = Some("workflows-okta");
    let dev = Some("workflows-okta-devices");
    let dev_ids = ["wf.conn.connector_okta_devices", WF[0], WF[1], WF[2], WF[3]];
    let good = correct(p, okta);
    expect(&check_page(p, okta, &good, &ctx()), &all(&WF, OK), &["wf.order.okta_first", "wfd.reauth_roles"]);
    expect(&check_page(p, dev, &good, &ctx()), &all(&dev_ids, OK), &["wfd.reauthorize", "wfd.reauth_roles"]);
    // The Okta connector's window for the devices integration; the admin
    // console host as the domain.
    let bad = with(with(good.clone(), "connector", text("New Connection Okta")), "domain", text("acme-admin.okta.com"));
    let cl = check_page(p, dev, &bad, &ctx());
    expect(
        &cl,
        &[(dev_ids[0], WRONG), (WF[0], OK), (WF[1], WRONG), (WF[2], OK), (WF[3], OK)],
        &["wfd.reauthorize", "wfd.reauth_roles"],
    );
    let m = message(&cl, "wf.conn.domain");
    assert!(m.contains("acme.okta.com") && m.contains("-admin"), "{m}");
    assert_eq!(item(&cl, "wf.conn.domain").fix.as_deref(), Some("Replace it with acme.okta.com."));
    let empty = facts(&[
        ("connector", text("")),
        ("nickname", text("")),
        ("domain", text("")),
        ("client_id", text("")),
        ("client_secret", text("")),
    ]);
    expect(&check_page(p, dev, &empty, &ctx()), &all(&dev_ids, MISSING), &["wfd.reauthorize", "wfd.reauth_roles"]);
    expect(&check_page(p, okta, &none_found(p), &ctx()), &all(&WF, UNKNOWN), &["wf.order.okta_first", "wfd.reauth_roles"]);
}

#[test]
fn okta_domain_messages() {
    let p = "workflows.connection.new";
    let i = Some("workflows-okta");
    let good = correct(p, i);
    for (typed, status, says) in [
        ("acme.okta.com", OK, ""),
        ("ACME.okta.com", OK, ""),
        (" acme.okta.com ", OK, ""),
        ("acme.oktapreview.com", OK, ""),
        ("acme-admin.okta.com", WRONG, "acme.okta.com"),
        ("acme-admin.okta-emea.com", WRONG, "acme.okta-emea.com"),
        ("https://acme.okta.com/", WRONG, "https://"),
        ("https://acme-admin.oktapreview.com/admin/apps/active", WRONG, "acme.oktapreview.com"),
        ("acme.workflows.okta.com", WRONG, "acme.okta.com"),
        ("system-admin.okta.com", WRONG, "system-admin"),
        ("acme.okta.com.evil.test", WRONG, "evil.test"),
        ("acme", WRONG, "acme.okta.com"),
    ] {
        let cl = check_page(p, i, &with(good.clone(), "domain", text(typed)), &ctx());
        let it = item(&cl, "wf.conn.domain");
        assert_eq!(it.status, status, "{typed}: {:?}", it.message);
        let said = format!("{} {}", it.message.as_deref().unwrap_or_default(), it.fix.as_deref().unwrap_or_default());
        assert!(said.contains(says), "{typed}: {said}");
    }
    // The Okta domain the values were captured from.
    let c = Context { okta_domain: Some("acme.okta.com"), ..Context::default() };
    assert_eq!(item(&check_page(p, i, &good, &c), "wf.conn.domain").status, OK);
    let upper = Context { okta_domain: Some("ACME.okta.com"), ..Context::default() };
    assert_eq!(item(&check_page(p, i, &good, &upper), "wf.conn.domain").status, OK);
    let cl = check_page(p, i, &with(good.clone(), "domain", text("globex.okta.com")), &c);
    let it = item(&cl, "wf.conn.domain");
    assert_eq!(it.status, WRONG);
    let m = it.message.as_deref().unwrap();
    assert!(m.contains("acme.okta.com") && m.contains("globex.okta.com"), "{m}");
}

// ---------------------------------------------------------------- Workato

#[test]
fn workato_connection_per_auth_type() {
    let p = "workato.connection.new";
    let ac = Some("workato-okta-auth-code");
    let cc = Some("workato-okta-client-credentials");
    let key = Some("workato-okta-api-key");
    let ac_ids = [
        "wk.conn.name",
        "wk.conn.location",
        "wk.conn.auth_type",
        "wk.conn.domain",
        "wk.conn.client_id",
        "wk.conn.client_secret",
        "wk.conn.scopes",
    ];
    let cc_ids = [
        "wk.conn.name",
        "wk.conn.location",
        "wk.conn.auth_type_cc",
        "wk.conn.domain",
        "wk.conn.client_id",
        "wk.conn.private_key",
        "wk.conn.scopes_cc",
    ];
    let key_ids = ["wk.conn.name", "wk.conn.auth_type_key", "wk.conn.domain", "wk.conn.api_key"];

    // (a) one correct form per auth type.
    expect(&check_page(p, ac, &correct(p, ac), &ctx()), &all(&ac_ids, OK), &[]);
    expect(&check_page(p, cc, &correct(p, cc), &ctx()), &all(&cc_ids, OK), &[]);
    expect(&check_page(p, key, &correct(p, key), &ctx()), &all(&key_ids, OK), &[]);
    // The same page shows different item sets per integration; unfiltered,
    // it is all twelve.
    assert_eq!(check_page(p, None, &correct(p, ac), &ctx()).items.len(), 12);

    // (b) partly wrong: the auth-code form with the -admin domain, a
    // truncated secret and too few scopes.
    let mut bad = with(correct(p, ac), "domain", text("acme-admin.okta.com"));
    bad = with(bad, "client_secret", text("Zk3v_9QxLr2-Tb7YwNc4..."));
    bad = with(bad, "scopes", text("okta.logs.read openid"));
    let cl = check_page(p, ac, &bad, &ctx());
    expect(
        &cl,
        &[
            (ac_ids[0], OK),
            (ac_ids[1], OK),
            (ac_ids[2], OK),
            (ac_ids[3], WRONG),
            (ac_ids[4], OK),
            (ac_ids[5], WRONG),
            (ac_ids[6], WRONG),
        ],
        &[],
    );
    assert!(message(&cl, "wk.conn.domain").contains("acme.okta.com"));
    assert!(
        message(&cl, "wk.conn.scopes").contains("okta.schemas.read")
            && message(&cl, "wk.conn.scopes").contains("offline_access")
    );
    // The auth-code choice on a client-credentials form; a public key.
    let cl = check_page(
        p,
        cc,
        &with(with(correct(p, cc), "auth_type", choice("Authorization code grant")), "private_key", text(PUBLIC_PEM)),
        &ctx(),
    );
    expect(
        &cl,
        &[
            (cc_ids[0], OK),
            (cc_ids[1], OK),
            (cc_ids[2], WRONG),
            (cc_ids[3], OK),
            (cc_ids[4], OK),
            (cc_ids[5], WRONG),
            (cc_ids[6], OK),
        ],
        &[],
    );
    let cl = check_page(p, key, &with(correct(p, key), "api_key", text(MASK)), &ctx());
    expect(&cl, &[(key_ids[0], OK), (key_ids[1], OK), (key_ids[2], OK), (key_ids[3], WRONG)], &[]);

    // (c) empty: nothing typed, nothing chosen. Empty scopes are not done:
    // Workato's defaults ask for scopes the setup does not grant.
    let empty = facts(&[
        ("name", text("")),
        ("location", choice("")),
        ("auth_type", choice("")),
        ("domain", text("")),
        ("client_id", text("")),
        ("client_secret", text("")),
        ("private_key", text("")),
        ("api_key", text("")),
        ("scopes", text("")),
    ]);
    let cl = check_page(p, ac, &empty, &ctx());
    expect(&cl, &all(&ac_ids, MISSING), &[]);
    assert!(message(&cl, "wk.conn.scopes").contains("okta.users.manage"));
    expect(&check_page(p, cc, &empty, &ctx()), &all(&cc_ids, MISSING), &[]);
    expect(&check_page(p, key, &empty, &ctx()), &all(&key_ids, MISSING), &[]);

    // (d) nothing found.
    for (i, ids) in [(ac, &ac_ids[..]), (cc, &cc_ids[..]), (key, &key_ids[..])] {
        expect(&check_page(p, i, &none_found(p), &ctx()), &all(ids, UNKNOWN), &[]);
    }

    // Scopes as a multi-select list.
    let listed = with(
        correct(p, ac),
        "scopes",
        list(&["okta.logs.read", "okta.schemas.read", "offline_access", "openid", "okta.users.read"]),
    );
    assert_eq!(item(&check_page(p, ac, &listed, &ctx()), "wk.conn.scopes").status, OK);
    let listed = with(correct(p, ac), "scopes", list(&["okta.logs.read"]));
    assert_eq!(item(&check_page(p, ac, &listed, &ctx()), "wk.conn.scopes").status, WRONG);
}

// ---------------------------------------------------------------- context

#[test]
fn captured_values_are_compared() {
    let key = Sensitive::new(SF_KEY);
    let secret = Sensitive::new(SF_SECRET);
    let other = Sensitive::new("B1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90");
    let p = "okta.salesforce.provisioning";
    let i = Some("okta-salesforce-provisioning");
    let good = correct(p, i);
    let same = Context {
        captured: vec![(Slot::SfConsumerKey, &key), (Slot::SfConsumerSecret, &secret)],
        ..Context::default()
    };
    expect(
        &check_page(p, i, &good, &same),
        &[("okta.sfprov.consumer_key", OK), ("okta.sfprov.consumer_secret", OK)],
        &["okta.sfprov.authenticate", "okta.sfprov.soap_retired", "okta.sfprov.soap_variant", "okta.sfprov.soap_note"],
    );
    // Outer whitespace in the form still matches.
    let padded = with(good.clone(), "consumer_key", text(&format!(" {SF_KEY}\n")));
    assert_eq!(item(&check_page(p, i, &padded, &same), "okta.sfprov.consumer_key").status, OK);
    let differ =
        Context { captured: vec![(Slot::SfConsumerKey, &key), (Slot::SfConsumerSecret, &other)], ..Context::default() };
    let cl = check_page(p, i, &good, &differ);
    assert_eq!(item(&cl, "okta.sfprov.consumer_key").status, OK);
    assert_eq!(item(&cl, "okta.sfprov.consumer_secret").status, WRONG);
    let m = message(&cl, "okta.sfprov.consumer_secret");
    assert!(m.contains("differs") && !m.contains(SF_SECRET) && !m.contains(other.reveal()), "{m}");

    // On the page that shows the value: equal says captured, different asks
    // to capture again; neither is wrong.
    let p = "salesforce.connected_app.consumer_details";
    let cl = check_page(p, i, &correct(p, i), &same);
    expect(&cl, &all(&["sf.consumer.key", "sf.consumer.secret"], OK), &["sf.consumer.verify_identity"]);
    assert!(message(&cl, "sf.consumer.secret").contains("captured"));
    let cl = check_page(p, i, &correct(p, i), &differ);
    expect(&cl, &all(&["sf.consumer.key", "sf.consumer.secret"], OK), &["sf.consumer.verify_identity"]);
    assert!(message(&cl, "sf.consumer.secret").contains("capture it again"));
    // A captured value never makes a masked page value ok: it is still to be
    // revealed.
    let masked = with(correct(p, i), "consumer_secret", text(MASK));
    assert_eq!(item(&check_page(p, i, &masked, &same), "sf.consumer.secret").status, MISSING);

    // Workato: the private key and the client id.
    let pem = Sensitive::new(PEM);
    let id = Sensitive::new(CLIENT_ID);
    let p = "workato.connection.new";
    let cc = Some("workato-okta-client-credentials");
    let c =
        Context { captured: vec![(Slot::OktaPrivateKeyPem, &pem), (Slot::OktaClientId, &id)], ..Context::default() };
    let cl = check_page(p, cc, &correct(p, cc), &c);
    assert_eq!(cl.done, cl.total);
    let cl = check_page(p, cc, &with(correct(p, cc), "client_id", text("0oaZZZZZZZZZZZZZZZZZ")), &c);
    assert_eq!(item(&cl, "wk.conn.client_id").status, WRONG);
    // The same key with CRLF line ends and no final newline is the same key;
    // another key is not.
    let crlf = PEM.trim_end().replace('\n', "\r\n");
    assert_eq!(
        item(&check_page(p, cc, &with(correct(p, cc), "private_key", text(&crlf)), &c), "wk.conn.private_key").status,
        OK
    );
    let other_key = PEM.replace("ztBr", "ztBs");
    assert_eq!(
        item(&check_page(p, cc, &with(correct(p, cc), "private_key", text(&other_key)), &c), "wk.conn.private_key").status,
        WRONG
    );
}

// ---------------------------------------------------------------- the rest

#[test]
fn integration_filtering_shows_different_item_sets() {
    let ids = |page: &str, i: Option<&str>| -> Vec<&'static str> {
        check_page(page, i, &none_found(page), &ctx()).items.iter().map(|x| x.id).collect()
    };
    let p = "workato.connection.new";
    let sets: Vec<_> = ["workato-okta-auth-code", "workato-okta-client-credentials", "workato-okta-api-key"]
        .iter()
        .map(|i| ids(p, Some(i)))
        .collect();
    assert!(sets[0].contains(&"wk.conn.client_secret") && !sets[1].contains(&"wk.conn.client_secret"));
    assert!(sets[1].contains(&"wk.conn.private_key") && !sets[0].contains(&"wk.conn.private_key"));
    assert!(sets[2].contains(&"wk.conn.api_key") && !sets[2].contains(&"wk.conn.client_id"));
    assert_ne!(sets[0], sets[1]);
    let g = "okta.app.general";
    assert_ne!(ids(g, Some("workato-okta-auth-code")), ids(g, Some("workato-okta-client-credentials")));
    // Every integration's items on a page are exactly its step's ids.
    for integ in INTEGRATIONS {
        for step in integ.steps {
            let page = catalog::page(step.page).unwrap();
            let cl = check_page(step.page, Some(integ.id), &none_found(step.page), &ctx());
            let mut got: Vec<&str> = cl.items.iter().map(|x| x.id).chain(cl.notes.iter().map(|n| n.id)).collect();
            let mut want: Vec<&str> =
                page.requirements.iter().map(|r| r.id).filter(|id| step.requirements.contains(id)).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{} on {}", integ.id, step.page);
        }
    }
    // An integration without a step on the page checks nothing there.
    assert!(ids("okta.api.tokens", Some("workflows-okta")).is_empty());
}

#[test]
fn evaluate_by_id_refuses_unknown_ids() {
    let f = correct("okta.api.tokens", None);
    let cl = evaluate_by_id("okta.api.tokens", Some("workato-okta-api-key"), &f, &ctx()).unwrap();
    assert_eq!((cl.done, cl.total), (1, 1));
    assert_eq!(cl.integration, Some("workato-okta-api-key"));
    assert_eq!(evaluate_by_id("okta.api.tokens", None, &f, &ctx()).unwrap().integration, None);
    assert!(evaluate_by_id("okta.api.token", None, &f, &ctx()).is_none());
    assert!(evaluate_by_id("okta.api.tokens", Some("workato-okta-apikey"), &f, &ctx()).is_none());
}

#[test]
fn has_token_starts_on_a_word() {
    assert!(has_token("Status: Active", "active"));
    assert!(!has_token("Inactive", "Active"));
    assert!(has_token("Read-only Administrator", "Read-only Admin"));
    assert!(has_token("Manage  user data via APIs\n(api)", "(API)"));
    assert!(!has_token("(chatter_api)", "(api)"));
    assert!(!has_token("anything", ""));
    assert!(!has_token("", "x"));
}

#[test]
fn item_fields_and_sources_are_carried() {
    let cl = check_page("okta.api.tokens", None, &none_found("okta.api.tokens"), &ctx());
    let it = item(&cl, "okta.token.created");
    assert_eq!(it.field, Some("token_value"));
    assert!(!it.sources.is_empty() && it.sources.iter().all(|s| !s.tag.is_empty() && !s.at.is_empty()));
    assert!(it.message.as_deref().unwrap().contains("Token Value"), "{:?}", it.message);
    // Serializes with lowercase statuses.
    let json = serde_json::to_value(&cl).unwrap();
    assert_eq!(json["items"][0]["status"], "unknown");
    assert_eq!(Status::Wrong.as_str(), "wrong");
    let statuses: BTreeMap<&str, &str> = [(OK, "ok"), (WRONG, "wrong"), (MISSING, "missing"), (UNKNOWN, "unknown")]
        .into_iter()
        .map(|(s, n)| (s.as_str(), n))
        .collect();
    assert!(statuses.iter().all(|(a, b)| a == b));
}

// ---------------------------------------------------------------- 2026-12 additions

#[test]
fn unknown_data_center_accepts_every_official_callback_and_names_it() {
    let p = "okta.app.wizard_web";
    let i = Some("workato-okta-auth-code");
    let good = correct(p, i);
    for dc in DataCenter::ALL {
        let cl = check_page(p, i, &with(good.clone(), "redirect_uri", text(dc.callback_url())), &ctx());
        let it = item(&cl, "okta.wizard.redirect_uri");
        assert_eq!(it.status, OK, "{dc:?}");
        let m = message(&cl, "okta.wizard.redirect_uri");
        assert!(m.contains(&format!("Workato {} data center", dc.label())) && m.contains(dc.app_host()), "{dc:?}: {m}");
        // The data centers with one source only are accepted with a caution.
        assert_eq!(m.contains("Few public sources"), !dc.is_confirmed(), "{dc:?}: {m}");
    }
    // The case of the issue: an EU admin who never opened the options.
    let eu = with(good.clone(), "redirect_uri", text("https://app.eu.workato.com/oauth/callback"));
    let cl = check_page(p, i, &eu, &ctx());
    assert_eq!(item(&cl, "okta.wizard.redirect_uri").status, OK);
    assert!(message(&cl, "okta.wizard.redirect_uri").contains("EU"));
    // Not a callback at all is still wrong, diagnosed against the data
    // center it points at.
    for (bad, says) in [
        ("https://app.eu.workato.com/oauth/callback/", "extra \"/\""),
        ("http://www.workato.com/oauth/callback", "http"),
        ("https://localhost:8080/authorization-code/callback", "instead of www.workato.com"),
    ] {
        let cl = check_page(p, i, &with(good.clone(), "redirect_uri", text(bad)), &ctx());
        assert_eq!(item(&cl, "okta.wizard.redirect_uri").status, WRONG, "{bad}");
        assert!(message(&cl, "okta.wizard.redirect_uri").contains(says), "{bad}: {}", message(&cl, "okta.wizard.redirect_uri"));
    }
}

#[test]
fn a_known_data_center_makes_the_others_wrong_and_says_how_it_is_known() {
    let p = "okta.app.wizard_web";
    let i = Some("workato-okta-auth-code");
    let eu_cb = with(correct(p, i), "redirect_uri", text("https://app.eu.workato.com/oauth/callback"));
    let chosen = Context { data_center: Some(DataCenter::Us), ..Context::default() };
    let cl = check_page(p, i, &eu_cb, &chosen);
    let it = item(&cl, "okta.wizard.redirect_uri");
    assert_eq!(it.status, WRONG);
    let m = message(&cl, "okta.wizard.redirect_uri");
    assert!(m.contains("EU data center") && m.contains("options") && m.contains("US"), "{m}");
    assert!(it.fix.as_deref().unwrap_or("").contains("https://www.workato.com/oauth/callback"));
    let seen = Context { data_center: Some(DataCenter::Us), data_center_seen: true, ..Context::default() };
    let cl = check_page(p, i, &eu_cb, &seen);
    let m = message(&cl, "okta.wizard.redirect_uri");
    assert_eq!(item(&cl, "okta.wizard.redirect_uri").status, WRONG);
    assert!(m.contains("saw you working") && m.contains("US") && m.contains("app.workato.com"), "{m}");
    // Seen EU: the EU callback is right.
    let seen_eu = Context { data_center: Some(DataCenter::Eu), data_center_seen: true, ..Context::default() };
    assert_eq!(item(&check_page(p, i, &eu_cb, &seen_eu), "okta.wizard.redirect_uri").status, OK);
}

#[test]
fn reauthorization_roles_note_on_the_sign_on_tab_and_the_connection() {
    for (page, integration) in [
        ("okta.app.sign_on", "workflows-okta-devices"),
        ("workflows.connection.new", "workflows-okta-devices"),
        ("workflows.connection.new", "workflows-okta"),
    ] {
        let cl = check_page(page, Some(integration), &none_found(page), &ctx());
        let note = cl.notes.iter().find(|n| n.id == "wfd.reauth_roles").unwrap_or_else(|| panic!("{page} {integration}"));
        let summary = keyferry::catalog::text::text(note.summary);
        for role in ["super admin", "Workflows Administrator", "Connection Manager"] {
            assert!(summary.contains(role), "{summary}");
        }
        assert!(note.sources.iter().any(|s| s.tag == "WF-HELP"), "{page}");
        assert!(cl.items.iter().all(|i| i.id != "wfd.reauth_roles"), "a note, not a checked item");
    }
    // The super admin note no longer claims super admin for reauthorization.
    let (_, sa) = catalog::requirement("wfd.super_admin").unwrap();
    assert!(!sa.explain.text().contains("every later reauthorization"), "{}", sa.explain.text());
}

#[test]
fn api_services_and_service_app_are_the_same_choice() {
    let p = "okta.app.create_dialog";
    let cc = Some("workato-okta-client-credentials");
    let id = "okta.wizard.sign_in_method_api_services";
    for ok in ["API Services", "Service App"] {
        let cl = check_page(p, cc, &facts(&[("sign_in_method", choice(ok)), ("app_type", None)]), &ctx());
        assert_eq!(item(&cl, id).status, OK, "{ok}");
    }
    let cl = check_page(p, cc, &facts(&[("sign_in_method", choice("OIDC - OpenID Connect")), ("app_type", None)]), &ctx());
    let it = item(&cl, id);
    assert_eq!(it.status, WRONG);
    let fix = it.fix.clone().unwrap_or_default();
    assert!(fix.contains("\"API Services\"") && fix.contains("\"Service App\""), "{fix}");
}

// ---------------------------------------------------------------- ambiguous fields

#[test]
fn an_ambiguous_field_is_unknown_never_ok() {
    // The agent found two visible controls that look like "Client secret"
    // equally well (a decoy next to the real one): whatever was captured,
    // the item is unknown with a clear message, and progress does not count it.
    let p = "workato.connection.new";
    let ac = Some("workato-okta-auth-code");
    let secret = Sensitive::new(CLIENT_SECRET);
    let captured = Context { captured: vec![(Slot::OktaClientSecret, &secret)], ..Context::default() };
    let good = correct(p, ac);
    let before = check_page(p, ac, &good, &captured);
    assert_eq!(item(&before, "wk.conn.client_secret").status, OK);
    let cl = check_page(p, ac, &with(good, "client_secret", Some(FieldValue::Ambiguous(2))), &captured);
    let it = item(&cl, "wk.conn.client_secret");
    assert_eq!(it.status, UNKNOWN);
    assert_eq!(it.message.as_deref(), Some("2 fields on this page look like \"Client secret\"; keyferry cannot tell which one is real."));
    assert!(it.fix.as_deref().unwrap().contains("fills neither"));
    assert_eq!(cl.done, before.done - 1);
    // Every check kind: an ambiguous field is never ok (nor wrong or missing).
    for page in PAGES {
        for field in page.fields {
            let facts = vec![FieldFact { key: field.key.into(), value: Some(FieldValue::Ambiguous(3)) }];
            let cl = evaluate(page, None, &facts, &captured);
            for it in cl.items.iter().filter(|i| i.field == Some(field.key)) {
                assert_eq!(it.status, UNKNOWN, "{} {} {}", page.id, field.key, it.id);
                assert!(it.message.as_deref().unwrap().starts_with("3 fields on this page look like"), "{}", it.id);
            }
        }
    }
}

// ---------------------------------------------------------------- fields too large to read

#[test]
fn a_field_too_large_to_read_is_unknown_never_ok() {
    // The agent went past its reading budget on a hostile page: whatever was
    // captured, every check kind shows the field unknown with a clear message.
    let secret = Sensitive::new(CLIENT_SECRET);
    let captured = Context { captured: vec![(Slot::OktaClientSecret, &secret)], ..Context::default() };
    let mut seen = 0;
    for page in PAGES {
        for field in page.fields {
            let facts = vec![FieldFact { key: field.key.into(), value: Some(FieldValue::TooLarge) }];
            let cl = evaluate(page, None, &facts, &captured);
            for it in cl.items.iter().filter(|i| i.field == Some(field.key)) {
                seen += 1;
                assert_eq!(it.status, UNKNOWN, "{} {} {}", page.id, field.key, it.id);
                let want = format!("This page is too large for keyferry to read \"{}\" safely; it is left unchecked.", field.label);
                assert_eq!(it.message.as_deref(), Some(want.as_str()), "{}", it.id);
            }
        }
    }
    assert!(seen > 20, "items looked at: {seen}");
}
