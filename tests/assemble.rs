//! Value assembly for each integration's fill targets: exact values, the Okta
//! domain derived from the admin host, missing values reported (never
//! guessed), only the fields of the auth type, secrets flagged and never in
//! `Debug`.

use keyferry::assemble::{assemble, default_connection_name, AssembleContext, FormValues};
use keyferry::catalog::{self, FillSource, Integration, Slot, Widget, INTEGRATIONS, PAGES};
use keyferry::secret::Sensitive;
use keyferry::validate::DataCenter;

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

/// Every slot captured.
struct Vault(Vec<(Slot, Sensitive)>);

impl Vault {
    fn full() -> Self {
        Vault(vec![
            (Slot::SfConsumerKey, Sensitive::new(SF_KEY)),
            (Slot::SfConsumerSecret, Sensitive::new(SF_SECRET)),
            (Slot::OktaClientId, Sensitive::new(CLIENT_ID)),
            (Slot::OktaClientSecret, Sensitive::new(CLIENT_SECRET)),
            (Slot::OktaPrivateKeyPem, Sensitive::new(PEM)),
            (Slot::OktaApiToken, Sensitive::new(API_TOKEN)),
            (Slot::OktaWfClientId, Sensitive::new(WF_CLIENT_ID)),
            (Slot::OktaWfClientSecret, Sensitive::new(WF_CLIENT_SECRET)),
        ])
    }
    fn only(slots: &[Slot]) -> Self {
        Vault(Vault::full().0.into_iter().filter(|(s, _)| slots.contains(s)).collect())
    }
    fn refs(&self) -> Vec<(Slot, &Sensitive)> {
        self.0.iter().map(|(s, v)| (*s, v)).collect()
    }
}

fn integration(id: &str) -> &'static Integration {
    catalog::integration(id).unwrap_or_else(|| panic!("integration {id}"))
}

fn run(integ: &str, page: &str, vault: &Vault, ctx: &AssembleContext) -> FormValues {
    assemble(integration(integ), &vault.refs(), catalog::page(page).unwrap(), ctx)
}

fn admin(host: &str) -> AssembleContext {
    AssembleContext { okta_admin_host: Some(host.into()), ..AssembleContext::default() }
}

/// (field, value, secret) of every value, in fill order.
fn values(fv: &FormValues) -> Vec<(&'static str, String, bool)> {
    fv.values.iter().map(|v| (v.field, v.value.reveal().to_string(), v.secret)).collect()
}

fn missing(fv: &FormValues) -> Vec<&'static str> {
    fv.missing.iter().map(|m| m.field).collect()
}

fn s(field: &'static str, value: &str, secret: bool) -> (&'static str, String, bool) {
    (field, value.to_string(), secret)
}

/// `Debug` (plain and pretty) shows no captured value, secret or not.
#[track_caller]
fn no_values_in_debug(fv: &FormValues) {
    for dbg in [format!("{fv:?}"), format!("{fv:#?}")] {
        for (_, v) in Vault::full().0 {
            assert!(!dbg.contains(v.reveal()), "Debug shows a captured value: {dbg}");
        }
        assert!(!dbg.contains("MIGHAgEAMBMGByqGSM49"), "Debug shows the key body");
    }
}

// ---------------------------------------------------------------- per target

#[test]
fn okta_salesforce_provisioning_form() {
    let p = "okta.salesforce.provisioning";
    let i = "okta-salesforce-provisioning";
    let fv = run(i, p, &Vault::full(), &admin("acme-admin.okta.com"));
    assert_eq!(fv.page, p);
    assert_eq!(values(&fv), [s("consumer_key", SF_KEY, false), s("consumer_secret", SF_SECRET, true)]);
    assert!(fv.missing.is_empty());
    assert_eq!(fv.get("consumer_secret").unwrap().widget, Widget::Text);
    assert_eq!(fv.get("consumer_key").unwrap().label, "OAuth Consumer Key");
    no_values_in_debug(&fv);
    // Nothing captured: both missing, with the slot named.
    let fv = run(i, p, &Vault(vec![]), &AssembleContext::default());
    assert!(fv.values.is_empty());
    assert_eq!(missing(&fv), ["consumer_key", "consumer_secret"]);
    assert!(fv.missing[1].reason.contains("Salesforce Consumer Secret"), "{}", fv.missing[1].reason);
    // Only the key: the secret is missing, not taken from another slot.
    let fv = run(
        i,
        p,
        &Vault::only(&[Slot::SfConsumerKey, Slot::OktaClientSecret, Slot::OktaWfClientSecret]),
        &admin("acme-admin.okta.com"),
    );
    assert_eq!(values(&fv), [s("consumer_key", SF_KEY, false)]);
    assert_eq!(missing(&fv), ["consumer_secret"]);
}

#[test]
fn workato_auth_code_form() {
    let fv = run("workato-okta-auth-code", "workato.connection.new", &Vault::full(), &admin("acme-admin.okta.com"));
    assert_eq!(
        values(&fv),
        [
            s("name", "Okta (acme)", false),
            s("auth_type", "Authorization code grant", false),
            s("scopes", "okta.logs.read okta.schemas.read offline_access openid", false),
            s("domain", "acme.okta.com", false),
            s("client_id", CLIENT_ID, false),
            s("client_secret", CLIENT_SECRET, true),
        ]
    );
    assert!(fv.missing.is_empty());
    assert!(fv.get("private_key").is_none() && fv.get("api_key").is_none());
    no_values_in_debug(&fv);
}

#[test]
fn workato_client_credentials_form() {
    let fv = run(
        "workato-okta-client-credentials",
        "workato.connection.new",
        &Vault::full(),
        &admin("acme-admin.oktapreview.com"),
    );
    assert_eq!(
        values(&fv),
        [
            s("name", "Okta (acme)", false),
            s("auth_type", "Client credentials", false),
            s("scopes", "okta.logs.read okta.schemas.read", false),
            s("domain", "acme.oktapreview.com", false),
            s("client_id", CLIENT_ID, false),
            s("private_key", PEM, true),
        ]
    );
    // No client secret in client credentials, no API key.
    assert!(fv.get("client_secret").is_none() && fv.get("api_key").is_none());
    assert!(fv.missing.is_empty());
    no_values_in_debug(&fv);
}

#[test]
fn workato_api_key_form() {
    let fv = run("workato-okta-api-key", "workato.connection.new", &Vault::full(), &admin("acme-admin.okta-emea.com"));
    assert_eq!(
        values(&fv),
        [
            s("name", "Okta (acme)", false),
            s("auth_type", "API key", false),
            s("domain", "acme.okta-emea.com", false),
            s("api_key", API_TOKEN, true),
        ]
    );
    // No client id, secret, key or scopes for an API key.
    for f in ["client_id", "client_secret", "private_key", "scopes"] {
        assert!(fv.get(f).is_none() && !missing(&fv).contains(&f), "{f}");
    }
    no_values_in_debug(&fv);
}

#[test]
fn workato_missing_values_are_reported_never_guessed() {
    let p = "workato.connection.new";
    // Nothing captured, no admin host.
    let fv = run("workato-okta-client-credentials", p, &Vault(vec![]), &AssembleContext::default());
    assert_eq!(
        values(&fv),
        [
            s("name", "Okta", false),
            s("auth_type", "Client credentials", false),
            s("scopes", "okta.logs.read okta.schemas.read", false)
        ]
    );
    assert_eq!(missing(&fv), ["domain", "client_id", "private_key"]);
    for m in &fv.missing {
        assert!(!m.reason.is_empty() && !m.label.is_empty());
    }
    // The Workflows app's client id is not the Workato app's.
    let fv = run(
        "workato-okta-auth-code",
        p,
        &Vault::only(&[Slot::OktaWfClientId, Slot::OktaWfClientSecret, Slot::OktaApiToken]),
        &admin("acme-admin.okta.com"),
    );
    assert_eq!(missing(&fv), ["client_id", "client_secret"]);
    let fv = run("workato-okta-api-key", p, &Vault::only(&[Slot::OktaClientSecret]), &admin("acme-admin.okta.com"));
    assert_eq!(missing(&fv), ["api_key"]);
}

#[test]
fn workflows_forms() {
    let p = "workflows.connection.new";
    for i in ["workflows-okta", "workflows-okta-devices"] {
        let fv = run(i, p, &Vault::full(), &admin("acme-admin.okta.com"));
        assert_eq!(
            values(&fv),
            [
                s("nickname", "Okta (acme)", false),
                s("domain", "acme.okta.com", false),
                s("client_id", WF_CLIENT_ID, false),
                s("client_secret", WF_CLIENT_SECRET, true),
            ],
            "{i}"
        );
        assert!(fv.missing.is_empty());
        no_values_in_debug(&fv);
        // The Workato app's values are never used for Workflows.
        let fv = run(i, p, &Vault::only(&[Slot::OktaClientId, Slot::OktaClientSecret]), &admin("acme-admin.okta.com"));
        assert_eq!(missing(&fv), ["client_id", "client_secret"], "{i}");
        assert!(fv.missing[0].reason.contains("Workflows OAuth Client ID"));
    }
}

#[test]
fn set_it_in_the_console_fills() {
    // Salesforce: the callback literal, and every box the articles name, on
    // the connected app and the ECA.
    let boxes = |v: &[(&'static str, bool)]| v.iter().map(|(f, on)| s(f, if *on { "true" } else { "false" }, false)).collect::<Vec<_>>();
    let callback = s("callback_url", "https://system-admin.okta.com/admin/app/generic/oauth20redirect", false);
    let edit = [
        ("oauth_enabled", true),
        ("device_flow", false),
        ("digital_signatures", false),
        ("pkce", false),
        ("secret_web_server", true),
        ("secret_refresh", true),
        ("client_credentials", false),
        ("introspect", false),
        ("id_token", false),
        ("asset_tokens", false),
        ("single_logout", false),
    ];
    // The ECA wants PKCE on (sf.eca.pkce_on) and Refresh Token Rotation on.
    let eca = [
        ("oauth_enabled", true),
        ("device_flow", false),
        ("pkce", true),
        ("secret_web_server", true),
        ("secret_refresh", true),
        ("refresh_rotation", true),
        ("client_credentials", false),
    ];
    for (p, boxes) in [("salesforce.connected_app.edit", boxes(&edit)), ("salesforce.external_client_app.settings", boxes(&eca))] {
        let fv = run("okta-salesforce-provisioning", p, &Vault(vec![]), &AssembleContext::default());
        let mut want = vec![callback.clone()];
        want.extend(boxes);
        assert_eq!(values(&fv), want, "{p}");
        assert!(fv.missing.is_empty());
    }
    // Choices: the policies' select and radios, Okta's create dialog.
    let fv = run("okta-salesforce-provisioning", "salesforce.connected_app.policies", &Vault(vec![]), &AssembleContext::default());
    assert_eq!(
        values(&fv),
        [s("permitted_users", "self-authorize", false), s("refresh_token_policy", "valid until revoked", false)]
    );
    let fv = run("workato-okta-client-credentials", "okta.app.general", &Vault(vec![]), &AssembleContext::default());
    assert_eq!(values(&fv), [s("client_auth", "Public key", false), s("dpop", "false", false)]);
    let fv = run("workato-okta-auth-code", "okta.app.create_dialog", &Vault(vec![]), &AssembleContext::default());
    assert_eq!(values(&fv), [s("sign_in_method", "OIDC", false), s("app_type", "Web Application", false)]);
    // Okta: the Workato callback of every documented data center.
    let p = "okta.app.wizard_web";
    let want = [
        (DataCenter::Us, "https://www.workato.com/oauth/callback"),
        (DataCenter::Eu, "https://app.eu.workato.com/oauth/callback"),
        (DataCenter::Jp, "https://app.jp.workato.com/oauth/callback"),
        (DataCenter::Sg, "https://app.sg.workato.com/oauth/callback"),
        (DataCenter::Au, "https://app.au.workato.com/oauth/callback"),
        (DataCenter::Il, "https://app.il.workato.com/oauth/callback"),
        (DataCenter::Kr, "https://app.kr.workato.com/oauth/callback"),
        (DataCenter::Cn, "https://app.workatoapp.cn/oauth/callback"),
        (DataCenter::Trial, "https://app.trial.workato.com/oauth/callback"),
    ];
    assert_eq!(want.map(|(dc, _)| dc), DataCenter::documented());
    for (dc, url) in want {
        let ctx = AssembleContext { data_center: Some(dc), ..AssembleContext::default() };
        let fv = run("workato-okta-auth-code", p, &Vault(vec![]), &ctx);
        let wizard_boxes = [s("dpop", "false", false), s("grant_auth_code", "true", false), s("grant_refresh", "true", false)];
        let mut expect = vec![s("redirect_uri", url, false)];
        expect.extend(wizard_boxes);
        assert_eq!(values(&fv), expect, "{dc:?}");
        assert!(fv.values[0].origin.contains(dc.label()));
    }
    // No data center chosen: missing, not the US one.
    let fv = run("workato-okta-auth-code", p, &Vault(vec![]), &AssembleContext::default());
    assert!(fv.values.iter().all(|v| v.field != "redirect_uri"));
    assert_eq!(missing(&fv), ["redirect_uri"]);
    assert!(fv.missing[0].reason.contains("data center"));
}

// ---------------------------------------------------------------- derived values

#[test]
fn okta_domain_is_derived_from_the_admin_host() {
    let p = "workflows.connection.new";
    let i = "workflows-okta";
    let domain = |host: Option<&str>| {
        let ctx = AssembleContext { okta_admin_host: host.map(String::from), ..AssembleContext::default() };
        run(i, p, &Vault::full(), &ctx).get("domain").map(|v| v.value.reveal().to_string())
    };
    for (host, want) in [
        ("acme-admin.okta.com", "acme.okta.com"),
        ("acme-admin.oktapreview.com", "acme.oktapreview.com"),
        ("acme-admin.okta-emea.com", "acme.okta-emea.com"),
        ("acme-admin.okta-gov.com", "acme.okta-gov.com"),
        ("dev-12345678-admin.okta.com", "dev-12345678.okta.com"),
        ("ACME-ADMIN.OKTA.COM", "acme.okta.com"),
        ("acme.okta.com", "acme.okta.com"),
    ] {
        assert_eq!(domain(Some(host)).as_deref(), Some(want), "{host}");
    }
    // Not an org: reported missing, never guessed.
    for host in [
        None,
        Some(""),
        Some("system-admin.okta.com"),
        Some("acme.workflows.okta.com"),
        Some("acme-admin.okta.com.evil.test"),
        Some("login.acme.com"),
        Some("okta.com"),
        Some("acme-admin.xn--kta-red.com"),
    ] {
        assert_eq!(domain(host), None, "{host:?}");
        let ctx = AssembleContext { okta_admin_host: host.map(String::from), ..AssembleContext::default() };
        let fv = run(i, p, &Vault::full(), &ctx);
        assert!(missing(&fv).contains(&"domain"), "{host:?}");
        // The default nickname then has no org either.
        assert_eq!(fv.get("nickname").unwrap().value.reveal(), "Okta");
    }
}

#[test]
fn connection_names() {
    assert_eq!(default_connection_name(Some("acme.okta.com")), "Okta (acme)");
    assert_eq!(default_connection_name(Some("dev-123.oktapreview.com")), "Okta (dev-123)");
    assert_eq!(default_connection_name(None), "Okta");
    assert_eq!(default_connection_name(Some("")), "Okta");
    let p = "workato.connection.new";
    let name = |n: Option<&str>| {
        let ctx = AssembleContext { connection_name: n.map(String::from), ..admin("acme-admin.okta.com") };
        run("workato-okta-api-key", p, &Vault::full(), &ctx).get("name").unwrap().value.reveal().to_string()
    };
    assert_eq!(name(None), "Okta (acme)");
    assert_eq!(name(Some("Okta prod")), "Okta prod");
    assert_eq!(name(Some("  Okta prod ")), "Okta prod");
    assert_eq!(name(Some("   ")), "Okta (acme)");
}

// ---------------------------------------------------------------- all targets

#[test]
fn every_integration_on_every_page() {
    let vault = Vault::full();
    let ctx = AssembleContext { data_center: Some(DataCenter::Eu), ..admin("acme-admin.okta.com") };
    for integ in INTEGRATIONS {
        for page in PAGES {
            let fv = assemble(integ, &vault.refs(), page, &ctx);
            let uses_page = integ.steps.iter().any(|s| s.page == page.id);
            if !uses_page {
                assert!(
                    fv.values.is_empty() && fv.missing.is_empty(),
                    "{} filled {} without a step there",
                    integ.id,
                    page.id
                );
                continue;
            }
            // With everything known, nothing is missing.
            assert!(fv.missing.is_empty(), "{} on {}: {:?}", integ.id, page.id, fv.missing);
            for v in &fv.values {
                // An explicit fill of the page, or a "set it in the console"
                // value derived from a requirement (never secret).
                let fill = page.fills.iter().find(|f| f.field == v.field);
                let field = page.field(v.field).expect("a field of the page");
                assert_eq!((v.label, v.widget), (field.label, field.widget));
                let secret = matches!(fill.map(|f| f.from), Some(FillSource::Slot(slot)) if slot.is_secret());
                assert_eq!(v.secret, secret, "{} on {}: {}", integ.id, page.id, v.field);
                assert!(!v.origin.is_empty());
                // Each filled field is one a requirement of the step is about.
                let step = integ.steps.iter().find(|s| s.page == page.id).unwrap();
                assert!(
                    page.requirements.iter().any(|r| r.field == Some(v.field) && step.requirements.contains(&r.id)),
                    "{} on {}: {} is not asked for",
                    integ.id,
                    page.id,
                    v.field
                );
            }
            let mut fields: Vec<&str> = fv.values.iter().map(|v| v.field).collect();
            fields.sort();
            fields.dedup();
            assert_eq!(fields.len(), fv.values.len(), "duplicate values on {}", page.id);
            no_values_in_debug(&fv);
        }
    }
}

#[test]
fn secret_slots_are_flagged_and_identifiers_are_not() {
    let ctx = admin("acme-admin.okta.com");
    let vault = Vault::full();
    let mut seen = Vec::new();
    for integ in INTEGRATIONS {
        for step in integ.steps {
            let page = catalog::page(step.page).unwrap();
            for v in assemble(integ, &vault.refs(), page, &ctx).values {
                if let Some((slot, _)) = vault.0.iter().find(|(_, s)| s.reveal() == v.value.reveal()) {
                    assert_eq!(v.secret, slot.is_secret(), "{:?} on {}", slot, page.id);
                    seen.push(*slot);
                }
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen, Slot::ALL.to_vec(), "every slot is filled somewhere");
}
