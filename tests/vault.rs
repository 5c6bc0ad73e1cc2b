//! The vault: capture of every slot on its console, refusal of masked,
//! cut-off, empty and foreign values (with codes, never the value), org
//! derivation (sandboxes, Lightning and Setup domains, lookalikes), expiry,
//! forgetting, recapture, masked listings, and the `storage.session`
//! snapshot round trip.

use keyferry::assemble::{assemble, AssembleContext};
use keyferry::catalog::{self, Console, Integration, Slot, Step};
use keyferry::vault::{
    slot_console, uses_slot, CaptureError, Org, SessionEntry, Vault, DEFAULT_TTL_MS, MAX_TTL_MS, MIN_TTL_MS,
};

const SF_KEY: &str = "3MVG9fe4g9fhX0E5FVBLbLPF_yh7iyXYZ0123456789abcdefGHIJKLmnopqrstuVWXYZ.abcdefghijklmno";
const SF_SECRET: &str = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";
const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
const CLIENT_SECRET: &str = "Zk3v_9QxLr2-Tb7YwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt7Ny4Bx8Cq1Dz6Eh0Gj";
const WF_CLIENT_ID: &str = "0oa9z8y7x6w5v4u3t2s1";
const WF_CLIENT_SECRET: &str = "wF-3k9_QmZ2xLr7TbYwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt";
const API_TOKEN: &str = "00aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7b";
/// A throwaway test key, generated for these tests only with
/// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`; it
/// protects nothing.
const PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKzveqIDatGGzn1hf
y/q/bPvLtIzZjos/HJ72w3qfOeqhRANCAASjCPPTK19je27lmTW+8dP6DX5ajnJZ
1aD84olh79mcFXTY2a44JEOv8Hp767Fh84HGfK9v8QK4mxWFQC1kwfAA
-----END PRIVATE KEY-----
";
/// Substrings of every value above that no listing, log or `Debug` may show.
const NEEDLES: &[&str] = &[
    SF_KEY,
    "fe4g9fhX0E5",
    SF_SECRET,
    "A1B2C3D4E5F6",
    CLIENT_ID,
    "b2c3d4e5f6",
    CLIENT_SECRET,
    "Zk3v_9Qx",
    WF_CLIENT_ID,
    "z8y7x6w5",
    WF_CLIENT_SECRET,
    "wF-3k9_Qm",
    API_TOKEN,
    "aB3dE5fG7",
    "MIGHAgEAMBMG",
    "KzveqIDatGGzn1hf",
];

const SF_INT: &str = "okta-salesforce-provisioning";
const AUTH_CODE: &str = "workato-okta-auth-code";
const CLIENT_CREDS: &str = "workato-okta-client-credentials";
const API_KEY: &str = "workato-okta-api-key";
const WORKFLOWS: &str = "workflows-okta";

const T0: u64 = 1_700_000_000_000;

fn integ(id: &str) -> &'static Integration {
    catalog::integration(id).unwrap_or_else(|| panic!("integration {id}"))
}

/// (slot, integration, page host, raw value, expected org).
fn every_slot() -> Vec<(Slot, &'static str, &'static str, &'static str, Org)> {
    let sf = || Org::Salesforce { host: "acme.my.salesforce.com".into() };
    let okta = || Org::Okta { domain: "acme.okta.com".into() };
    vec![
        (Slot::SfConsumerKey, SF_INT, "acme.lightning.force.com", SF_KEY, sf()),
        (Slot::SfConsumerSecret, SF_INT, "acme.my.salesforce.com", SF_SECRET, sf()),
        (Slot::OktaClientId, AUTH_CODE, "acme-admin.okta.com", CLIENT_ID, okta()),
        (Slot::OktaClientSecret, AUTH_CODE, "acme-admin.okta.com", CLIENT_SECRET, okta()),
        (Slot::OktaPrivateKeyPem, CLIENT_CREDS, "acme-admin.okta.com", PEM, okta()),
        (Slot::OktaApiToken, API_KEY, "acme-admin.okta.com", API_TOKEN, okta()),
        (Slot::OktaWfClientId, WORKFLOWS, "acme-admin.okta.com", WF_CLIENT_ID, okta()),
        (Slot::OktaWfClientSecret, WORKFLOWS, "acme-admin.okta.com", WF_CLIENT_SECRET, okta()),
    ]
}

/// A vault holding every slot, captured at `T0`.
fn full_vault() -> Vault {
    let mut v = Vault::default();
    for (slot, id, host, raw, _) in every_slot() {
        v.capture(slot, raw, integ(id), host, T0).unwrap_or_else(|e| panic!("{slot:?}: {e}"));
    }
    v
}

#[track_caller]
fn no_values(what: &str, text: &str) {
    for needle in NEEDLES {
        assert!(!text.contains(needle), "{what} shows a captured value ({needle}): {text}");
    }
}

#[track_caller]
fn refused(v: &mut Vault, slot: Slot, raw: &str, id: &str, host: &str) -> CaptureError {
    let before = v.entries().len();
    let e = v.capture(slot, raw, integ(id), host, T0).expect_err("capture should be refused");
    assert_eq!(v.entries().len(), before, "a refused capture stored something");
    let text = format!("{e:?} {e}");
    if raw.chars().count() > 6 {
        assert!(!text.contains(raw.trim()), "the error echoes the value: {text}");
    }
    no_values("a capture error", &text);
    e
}

// ---------------------------------------------------------------- capture

#[test]
fn captures_every_slot_on_its_console() {
    for (slot, id, host, raw, org) in every_slot() {
        let mut v = Vault::default();
        let r = v.capture(slot, raw, integ(id), host, T0).unwrap_or_else(|e| panic!("{slot:?}: {e}"));
        assert_eq!(r.slot, slot);
        assert_eq!(r.label, slot.label());
        assert_eq!(r.org, org, "{slot:?}");
        assert_eq!(r.expires_at_ms, T0 + DEFAULT_TTL_MS);
        assert!(!r.replaced);
        assert!(!r.warnings.iter().any(|p| p.level == keyferry::validate::Level::Error));
        let e = v.get(id, slot, T0).expect("stored");
        assert_eq!(e.value.reveal(), raw, "{slot:?}");
        assert_eq!((e.integration, e.slot, &e.org), (id, slot, &org));
        assert_eq!((e.captured_at_ms, e.expires_at_ms), (T0, T0 + DEFAULT_TTL_MS));
        if slot.is_secret() {
            assert!(r.masked.starts_with("••••••••("), "{slot:?}: {}", r.masked);
        } else {
            let head: String = raw.chars().take(4).collect();
            assert_eq!(r.masked, format!("{head}…({})", raw.chars().count()));
        }
        no_values("a receipt", &format!("{r:?}"));
        no_values("a receipt's JSON", &serde_json::to_string(&r).unwrap());
        assert_eq!(v.lookup(id, T0).len(), 1);
        assert!(v.lookup("workflows-okta-devices", T0).is_empty(), "values are kept per integration");
    }
}

#[test]
fn the_normalized_value_is_stored() {
    let mut v = Vault::default();
    v.capture(Slot::OktaClientId, "\u{a0} 0oa1b2c3d4e5f6g7h8i9\n", integ(AUTH_CODE), "acme-admin.okta.com", T0)
        .unwrap();
    assert_eq!(v.get(AUTH_CODE, Slot::OktaClientId, T0).unwrap().value.reveal(), CLIENT_ID);

    let crlf = format!("\r\n{}", PEM.replace('\n', "\r\n"));
    let r = v.capture(Slot::OktaPrivateKeyPem, &crlf, integ(CLIENT_CREDS), "acme-admin.okta.com", T0).unwrap();
    assert_eq!(v.get(CLIENT_CREDS, Slot::OktaPrivateKeyPem, T0).unwrap().value.reveal(), PEM);
    assert!(r.warnings.iter().any(|p| p.code == "pem.ec"), "{:?}", r.warnings);
}

#[test]
fn masked_truncated_empty_and_malformed_values_are_refused_with_codes() {
    let mut v = Vault::default();
    let okta = "acme-admin.okta.com";
    let cases: &[(Slot, &str, &str, &str)] = &[
        (Slot::OktaClientSecret, AUTH_CODE, "••••••••••••••••••••", "credential.masked"),
        (Slot::OktaClientSecret, AUTH_CODE, "****************************************", "credential.masked"),
        (Slot::OktaClientSecret, AUTH_CODE, "Zk3v_9QxLr2-Tb7YwNc4…", "credential.truncated"),
        (Slot::OktaClientSecret, AUTH_CODE, "Zk3v_9QxLr2-Tb7YwNc4Hs8Jd1...", "credential.truncated"),
        (Slot::OktaClientSecret, AUTH_CODE, "", "credential.empty"),
        (Slot::OktaClientSecret, AUTH_CODE, " \n\t", "credential.empty"),
        (
            Slot::OktaClientSecret,
            AUTH_CODE,
            "Zk3v_9QxLr2-Tb7YwNc4 Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt7Ny4Bx8",
            "credential.whitespace",
        ),
        // The client id where the secret should be: the wrong element was read.
        (Slot::OktaClientSecret, AUTH_CODE, CLIENT_ID, "credential.swapped"),
        (Slot::OktaApiToken, API_KEY, "00aB••••••••••••••••••••••••••••••••••••••", "credential.masked"),
        (Slot::OktaWfClientSecret, WORKFLOWS, "••••••••", "credential.masked"),
        (Slot::OktaPrivateKeyPem, CLIENT_CREDS, "", "pem.empty"),
        (
            Slot::OktaPrivateKeyPem,
            CLIENT_CREDS,
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKzveqIDatGGzn1hf",
            "pem.missing_begin",
        ),
        (
            Slot::OktaPrivateKeyPem,
            CLIENT_CREDS,
            "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKzveqIDatGGzn1hf\n",
            "pem.missing_end",
        ),
    ];
    for (slot, id, raw, code) in cases {
        let e = refused(&mut v, *slot, raw, id, okta);
        assert_eq!(e.code, *code, "{slot:?} {raw:?}: {e}");
        assert!(!e.message.is_empty() && !e.fix.is_empty(), "{e:?}");
    }
    let sf = "acme.my.salesforce.com";
    let e = refused(&mut v, Slot::SfConsumerSecret, "••••••••••••••••••••••••", SF_INT, sf);
    assert_eq!(e.code, "credential.masked");
    let e = refused(&mut v, Slot::SfConsumerSecret, SF_KEY, SF_INT, sf);
    assert_eq!(e.code, "credential.swapped");
    let e = refused(&mut v, Slot::SfConsumerKey, "3MVG9fe4g9fhX0E5FVBLbLPF_yh7iyXYZ012345…", SF_INT, sf);
    assert_eq!(e.code, "credential.truncated");
    assert!(v.is_empty());
}

#[test]
fn slots_the_integration_does_not_use_are_refused() {
    let mut v = Vault::default();
    let okta = "acme-admin.okta.com";
    // Auth code uses the client secret, not the private key or an API token.
    assert_eq!(refused(&mut v, Slot::OktaPrivateKeyPem, PEM, AUTH_CODE, okta).code, "vault.not_used");
    assert_eq!(refused(&mut v, Slot::OktaApiToken, API_TOKEN, AUTH_CODE, okta).code, "vault.not_used");
    // Client credentials use the key, not a secret.
    assert_eq!(refused(&mut v, Slot::OktaClientSecret, CLIENT_SECRET, CLIENT_CREDS, okta).code, "vault.not_used");
    // Workflows uses its own OAuth app's slots, not the Workato app's.
    assert_eq!(refused(&mut v, Slot::OktaClientId, CLIENT_ID, WORKFLOWS, okta).code, "vault.not_used");
    assert_eq!(refused(&mut v, Slot::OktaWfClientId, WF_CLIENT_ID, AUTH_CODE, okta).code, "vault.not_used");
    let e = refused(&mut v, Slot::SfConsumerKey, SF_KEY, WORKFLOWS, "acme.my.salesforce.com");
    assert_eq!(e.code, "vault.not_used");
    assert!(e.message.contains("Okta Workflows → Okta"), "{e}");
    // A value shown by the other console than the page's.
    assert_eq!(refused(&mut v, Slot::SfConsumerKey, SF_KEY, SF_INT, okta).code, "vault.wrong_console");
    let e = refused(&mut v, Slot::OktaClientId, CLIENT_ID, AUTH_CODE, "acme.my.salesforce.com");
    assert_eq!(e.code, "vault.wrong_console");
}

#[test]
fn uses_slot_follows_the_catalog() {
    let used = |id: &str| Slot::ALL.into_iter().filter(|s| uses_slot(integ(id), *s)).collect::<Vec<_>>();
    assert_eq!(used(SF_INT), [Slot::SfConsumerKey, Slot::SfConsumerSecret]);
    assert_eq!(used(AUTH_CODE), [Slot::OktaClientId, Slot::OktaClientSecret]);
    assert_eq!(used(CLIENT_CREDS), [Slot::OktaClientId, Slot::OktaPrivateKeyPem]);
    assert_eq!(used(API_KEY), [Slot::OktaApiToken]);
    assert_eq!(used(WORKFLOWS), [Slot::OktaWfClientId, Slot::OktaWfClientSecret]);
    assert_eq!(used("workflows-okta-devices"), [Slot::OktaWfClientId, Slot::OktaWfClientSecret]);
    // A step that only shows a value uses it; a page's fills count only for
    // the fields of the step's requirements.
    static CAPTURE_ONLY: Integration = Integration {
        id: "capture-only",
        title: "Capture only",
        blurb: "",
        steps: &[Step { page: "okta.app.general", requirements: &["okta.general.client_id"] }],
        auth_type: None,
    };
    assert!(uses_slot(&CAPTURE_ONLY, Slot::OktaClientId));
    assert!(!uses_slot(&CAPTURE_ONLY, Slot::OktaClientSecret));
    static NAME_ONLY: Integration = Integration {
        id: "name-only",
        title: "Name only",
        blurb: "",
        steps: &[Step { page: "workato.connection.new", requirements: &["wk.conn.name"] }],
        auth_type: None,
    };
    assert!(Slot::ALL.iter().all(|s| !uses_slot(&NAME_ONLY, *s)));
    assert_eq!(slot_console(Slot::SfConsumerSecret), Console::Salesforce);
    assert_eq!(slot_console(Slot::OktaApiToken), Console::Okta);
}

#[test]
fn lookalike_and_unknown_hosts_are_refused() {
    let mut v = Vault::default();
    for host in [
        "acme-admin.okta.com.evil.io",
        "acme-admin.0kta.com",
        "acme-admin.okta.co",
        "acme-admin-okta.com",
        "acme.okta.com",
        "acme.workflows.okta.com",
        "system-admin.okta.com",
        "a.b-admin.okta.com",
        "-admin.okta.com",
        "xn--acme-admin.okta.com",
        "acme-admin.okta.com:8443",
        "https://acme-admin.okta.com",
        "",
    ] {
        let e = refused(&mut v, Slot::OktaClientId, CLIENT_ID, AUTH_CODE, host);
        assert_eq!(e.code, "vault.host", "{host}: {e}");
    }
    for host in
        ["acme.my.salesforce.com.evil.io", "login.salesforce.com", "acme.my.sa1esforce.com", "acme.salesforce.com"]
    {
        let e = refused(&mut v, Slot::SfConsumerKey, SF_KEY, SF_INT, host);
        assert_eq!(e.code, "vault.host", "{host}: {e}");
    }
    // Case and a trailing dot do not matter.
    let r = v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "ACME-Admin.OKTA.com.", T0).unwrap();
    assert_eq!(r.org, Org::Okta { domain: "acme.okta.com".into() });
}

#[test]
fn org_derivation() {
    let okta = |d: &str| Some(Org::Okta { domain: d.into() });
    let sf = |h: &str| Some(Org::Salesforce { host: h.into() });
    let table: &[(&str, Option<Org>)] = &[
        ("acme-admin.okta.com", okta("acme.okta.com")),
        ("dev-12345678-admin.okta.com", okta("dev-12345678.okta.com")),
        ("acme-admin.oktapreview.com", okta("acme.oktapreview.com")),
        ("acme-admin.okta-emea.com", okta("acme.okta-emea.com")),
        ("acme-admin.okta-gov.com", okta("acme.okta-gov.com")),
        ("acme.my.salesforce.com", sf("acme.my.salesforce.com")),
        ("acme.lightning.force.com", sf("acme.my.salesforce.com")),
        ("acme.my.salesforce-setup.com", sf("acme.my.salesforce.com")),
        ("acme--sbx.sandbox.my.salesforce.com", sf("acme--sbx.sandbox.my.salesforce.com")),
        ("acme--sbx.sandbox.lightning.force.com", sf("acme--sbx.sandbox.my.salesforce.com")),
        ("acme--sbx.sandbox.my.salesforce-setup.com", sf("acme--sbx.sandbox.my.salesforce.com")),
        ("acme-dev-ed.develop.lightning.force.com", sf("acme-dev-ed.develop.my.salesforce.com")),
        ("acme.scratch.my.salesforce.com", sf("acme.scratch.my.salesforce.com")),
        ("acme--uat.my.salesforce.com", sf("acme--uat.my.salesforce.com")),
        ("Acme.Lightning.Force.com.", sf("acme.my.salesforce.com")),
        // Lookalikes and hosts that are no org's console.
        ("acme.okta.com", None),
        ("acme.workflows.okta.com", None),
        ("system-admin.okta.com", None),
        ("acme-admin-admin.okta.com", None),
        ("acme-admin.okta.com.evil.io", None),
        ("acme-admin.okta.com.", okta("acme.okta.com")),
        ("acme-admin.oktа.com", None), // Cyrillic а
        ("acme-admin.okta.com.", okta("acme.okta.com")),
        ("acme.my.salesforce.com.evil.io", None),
        ("acme.my.salesforce.co", None),
        ("acmemy.salesforce.com", None),
        ("my.salesforce.com", None),
        ("lightning.force.com", None),
        ("acme.evil.my.salesforce.com", None),
        ("a.b.sandbox.my.salesforce.com", None),
        ("acme-.my.salesforce.com", None),
        ("login.salesforce.com", None),
        ("test.salesforce.com", None),
        ("acme--c.vf.force.com", None),
        ("acme.my.salesforce.com:443", None),
        ("acme..my.salesforce.com", None),
        ("xn--acme.my.salesforce.com", None),
        ("www.workato.com", None),
        ("", None),
        (".", None),
    ];
    for (host, want) in table {
        assert_eq!(&Org::from_page_host(host), want, "{host}");
        if let Some(org) = want {
            assert!(org.is_valid(), "{org:?}");
        }
    }
    let org = Org::from_page_host("acme--sbx.sandbox.lightning.force.com").unwrap();
    assert_eq!(org.to_string(), "acme--sbx.sandbox.my.salesforce.com");
    assert_eq!(org.console(), Console::Salesforce);
    assert!(!Org::Okta { domain: "acme-admin.okta.com".into() }.is_valid());
    assert!(!Org::Okta { domain: "acme.okta.com.evil.io".into() }.is_valid());
    assert!(!Org::Salesforce { host: "acme.lightning.force.com".into() }.is_valid());
}

// ---------------------------------------------------------------- lifetime

#[test]
fn values_expire_and_are_purged() {
    let mut v = Vault::new(10 * 60 * 1000);
    let ttl = v.ttl_ms();
    assert_eq!(ttl, 10 * 60 * 1000);
    assert_eq!(v.next_expiry(T0), None);
    v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "acme-admin.okta.com", T0).unwrap();
    v.capture(Slot::OktaClientSecret, CLIENT_SECRET, integ(AUTH_CODE), "acme-admin.okta.com", T0 + 5_000).unwrap();
    assert_eq!(v.next_expiry(T0 + 6_000), Some(T0 + ttl));

    let last = T0 + ttl - 1;
    assert!(v.get(AUTH_CODE, Slot::OktaClientId, last).is_some());
    assert_eq!(v.bundle(AUTH_CODE, last)[0].seconds_left, 1);
    assert_eq!(v.bundle(AUTH_CODE, T0)[0].seconds_left, ttl / 1000);

    let after = T0 + ttl;
    assert!(v.get(AUTH_CODE, Slot::OktaClientId, after).is_none(), "an expired value is offered");
    assert_eq!(v.lookup(AUTH_CODE, after).len(), 1);
    assert_eq!(v.bundle(AUTH_CODE, after).len(), 1);
    assert!(v.snapshot(after).iter().all(|s| s.slot == Slot::OktaClientSecret));
    // The expired value awaits purging: the alarm should fire now.
    assert_eq!(v.next_expiry(after), Some(after));
    assert_eq!(v.next_expiry(after + 1_000), Some(after + 1_000));
    assert_eq!(v.purge_expired(after), 1);
    assert_eq!(v.entries().len(), 1);
    assert_eq!(v.next_expiry(after), Some(T0 + 5_000 + ttl));
    assert_eq!(v.purge_expired(T0 + 5_000 + ttl), 1);
    assert!(v.is_empty());
    assert_eq!(v.next_expiry(after), None);
    assert_eq!(v.okta_org(AUTH_CODE, after), None);
}

#[test]
fn ttl_is_clamped_and_applies_to_new_captures() {
    assert_eq!(Vault::default().ttl_ms(), DEFAULT_TTL_MS);
    assert_eq!(DEFAULT_TTL_MS, 15 * 60 * 1000);
    assert_eq!(Vault::new(0).ttl_ms(), MIN_TTL_MS);
    assert_eq!(Vault::new(u64::MAX).ttl_ms(), MAX_TTL_MS);
    let mut v = Vault::default();
    assert_eq!(v.set_ttl(1), 60_000);
    assert_eq!(v.set_ttl(9 * 3_600_000), 8 * 3_600_000);
    assert_eq!(v.set_ttl(30 * 60_000), 30 * 60_000);
    let r = v.capture(Slot::OktaApiToken, API_TOKEN, integ(API_KEY), "acme-admin.okta.com", T0).unwrap();
    assert_eq!(r.expires_at_ms, T0 + 30 * 60_000);
    v.set_ttl(MIN_TTL_MS);
    assert_eq!(v.get(API_KEY, Slot::OktaApiToken, T0).unwrap().expires_at_ms, T0 + 30 * 60_000);
    let r = v.capture(Slot::OktaApiToken, API_TOKEN, integ(API_KEY), "acme-admin.okta.com", T0 + 1).unwrap();
    assert_eq!(r.expires_at_ms, T0 + 1 + MIN_TTL_MS);
}

#[test]
fn forget_one_integration_or_everything() {
    let mut v = full_vault();
    assert_eq!(v.entries().len(), 8);
    assert!(v.forget(AUTH_CODE, Slot::OktaClientSecret));
    assert!(!v.forget(AUTH_CODE, Slot::OktaClientSecret));
    assert!(v.get(AUTH_CODE, Slot::OktaClientSecret, T0).is_none());
    assert!(v.get(AUTH_CODE, Slot::OktaClientId, T0).is_some());
    assert_eq!(v.forget_integration(WORKFLOWS), 2);
    assert_eq!(v.forget_integration(WORKFLOWS), 0);
    assert!(v.lookup(WORKFLOWS, T0).is_empty());
    assert_eq!(v.entries().len(), 5);
    assert_eq!(v.forget_all(), 5);
    assert!(v.is_empty());
    assert_eq!(v.forget_all(), 0);
}

#[test]
fn recapture_replaces_the_value() {
    let mut v = Vault::default();
    let host = "acme-admin.okta.com";
    v.capture(Slot::OktaClientSecret, CLIENT_SECRET, integ(AUTH_CODE), host, T0).unwrap();
    let rotated = "Nw8x_2LpQr7-Mb3YzVc9Ks4Jh6Fd1Gt0Ea5Wu3Io8Ry2Pl7Bn4Cx9Dv1Sz6Ek0Hj";
    let r = v.capture(Slot::OktaClientSecret, rotated, integ(AUTH_CODE), host, T0 + 60_000).unwrap();
    assert!(r.replaced);
    assert_eq!(v.entries().len(), 1);
    let e = v.get(AUTH_CODE, Slot::OktaClientSecret, T0 + 60_000).unwrap();
    assert_eq!(e.value.reveal(), rotated);
    assert_eq!(e.expires_at_ms, T0 + 60_000 + DEFAULT_TTL_MS);
    // A refused recapture keeps the value held.
    refused(&mut v, Slot::OktaClientSecret, "••••••••", AUTH_CODE, host);
    assert_eq!(v.get(AUTH_CODE, Slot::OktaClientSecret, T0 + 60_000).unwrap().value.reveal(), rotated);
}

#[test]
fn values_of_one_integration_come_from_one_org() {
    let mut v = Vault::default();
    v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "acme-admin.okta.com", T0).unwrap();
    let e = refused(&mut v, Slot::OktaClientSecret, CLIENT_SECRET, AUTH_CODE, "globex-admin.okta.com");
    assert_eq!(e.code, "vault.org_mismatch");
    assert!(e.message.contains("acme.okta.com") && e.message.contains("globex.okta.com"), "{e}");
    // The same slot from another org replaces it (nothing else to clash with).
    let r = v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "globex-admin.okta.com", T0).unwrap();
    assert!(r.replaced);
    assert_eq!(v.okta_org(AUTH_CODE, T0), Some("globex.okta.com"));
    // Other integrations are independent, and so are the two consoles.
    v.capture(Slot::OktaApiToken, API_TOKEN, integ(API_KEY), "acme-admin.okta.com", T0).unwrap();
    v.capture(Slot::OktaClientSecret, CLIENT_SECRET, integ(AUTH_CODE), "globex-admin.okta.com", T0).unwrap();
    // Once the other value expired, a new org is fine.
    let later = T0 + DEFAULT_TTL_MS;
    v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "acme-admin.okta.com", later).unwrap();
    v.capture(Slot::OktaClientSecret, CLIENT_SECRET, integ(AUTH_CODE), "acme-admin.okta.com", later).unwrap();
    assert_eq!(v.okta_org(AUTH_CODE, later), Some("acme.okta.com"));
}

// ---------------------------------------------------------------- listings

#[test]
fn bundle_lists_masked_values_only() {
    let v = full_vault();
    let b = v.bundle(AUTH_CODE, T0 + 1_500);
    assert_eq!(b.len(), 2);
    assert_eq!((b[0].slot, b[0].label, b[0].slot.is_secret()), (Slot::OktaClientId, "Okta Client ID", false));
    assert_eq!(b[0].masked, "0oa1…(20)");
    assert_eq!(b[0].org, "acme.okta.com");
    assert_eq!(b[0].seconds_left, DEFAULT_TTL_MS / 1000 - 1);
    assert_eq!((b[1].slot, b[1].slot.is_secret()), (Slot::OktaClientSecret, true));
    assert_eq!(b[1].masked, format!("••••••••({})", CLIENT_SECRET.len()));
    let json = serde_json::to_string(&b).unwrap();
    assert!(json.contains(r#""slot":"okta.client_id""#), "{json}");
    no_values("the bundle's JSON", &json);

    let sf = v.bundle(SF_INT, T0);
    assert_eq!(sf.iter().map(|e| e.org.as_str()).collect::<Vec<_>>(), ["acme.my.salesforce.com"; 2]);
    assert_eq!(sf[0].masked, "3MVG…(85)");
}

#[test]
fn debug_never_shows_a_value() {
    let v = full_vault();
    no_values("Vault Debug", &format!("{v:?}"));
    no_values("Vault Debug", &format!("{v:#?}"));
    no_values("entries Debug", &format!("{:#?}", v.entries()));
    for id in [SF_INT, AUTH_CODE, CLIENT_CREDS, API_KEY, WORKFLOWS] {
        no_values("bundle Debug", &format!("{:?}", v.bundle(id, T0)));
        no_values("lookup Debug", &format!("{:?}", v.lookup(id, T0)));
        no_values("get Debug", &format!("{:?}", v.get(id, Slot::OktaClientSecret, T0)));
    }
    let snap = v.snapshot(T0);
    no_values("snapshot Debug", &format!("{snap:?}"));
    no_values("snapshot Debug", &format!("{snap:#?}"));
    assert!(format!("{:?}", snap[0]).contains("<redacted"), "{:?}", snap[0]);
}

#[test]
fn lookup_and_okta_org_feed_assembly() {
    let v = full_vault();
    let lookup = v.lookup(AUTH_CODE, T0);
    assert_eq!(lookup.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [Slot::OktaClientId, Slot::OktaClientSecret]);
    assert_eq!(v.okta_org(AUTH_CODE, T0), Some("acme.okta.com"));
    assert_eq!(v.okta_org(SF_INT, T0), None);
    assert_eq!(v.okta_org("no-such-integration", T0), None);

    let ctx = AssembleContext {
        okta_admin_host: v.okta_org(AUTH_CODE, T0).map(str::to_string),
        ..AssembleContext::default()
    };
    let page = catalog::page("workato.connection.new").unwrap();
    let fv = assemble(integ(AUTH_CODE), &lookup, page, &ctx);
    let get = |f: &str| fv.get(f).map(|v| v.value.reveal().to_string());
    assert_eq!(get("domain").as_deref(), Some("acme.okta.com"));
    assert_eq!(get("client_id").as_deref(), Some(CLIENT_ID));
    assert_eq!(get("client_secret").as_deref(), Some(CLIENT_SECRET));
}

// ---------------------------------------------------------------- storage.session

fn json_round_trip(snap: &[SessionEntry]) -> Vec<SessionEntry> {
    let json = serde_json::to_string(snap).unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn snapshot_restore_round_trip_drops_expired_values() {
    let mut v = Vault::default();
    v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "acme-admin.okta.com", T0).unwrap();
    v.set_ttl(60 * 60_000);
    for (slot, id, host, raw, _) in every_slot() {
        if slot != Slot::OktaClientId {
            v.capture(slot, raw, integ(id), host, T0).unwrap();
        }
    }
    let snap = v.snapshot(T0 + 1);
    assert_eq!(snap.len(), 8);
    let json = serde_json::to_string(&snap).unwrap();
    assert!(json.contains("acme.okta.com") && json.contains(r#""slot":"okta.private_key_pem""#), "{json}");

    // The service worker restarts 20 minutes later: the client id expired.
    let now = T0 + 20 * 60_000;
    let mut fresh = Vault::default();
    assert_eq!(fresh.restore(json_round_trip(&snap), now), 7);
    assert!(fresh.get(AUTH_CODE, Slot::OktaClientId, now).is_none());
    for (slot, id, _, raw, org) in every_slot().into_iter().filter(|s| s.0 != Slot::OktaClientId) {
        let e = fresh.get(id, slot, now).unwrap_or_else(|| panic!("{slot:?} restored"));
        assert_eq!(e.value.reveal(), raw);
        assert_eq!(e.org, org);
        assert_eq!((e.captured_at_ms, e.expires_at_ms), (T0, T0 + 60 * 60_000));
    }
    // Restoring again changes nothing (the held values are as new).
    assert_eq!(fresh.restore(json_round_trip(&snap), now), 0);
    assert_eq!(fresh.entries().len(), 7);
}

#[test]
fn restore_drops_invalid_entries() {
    let v = full_vault();
    let now = T0 + 1_000;
    let good = || v.snapshot(T0).into_iter().find(|s| s.slot == Slot::OktaClientSecret).unwrap();
    let with = |change: &dyn Fn(&mut SessionEntry)| {
        let mut e = good();
        change(&mut e);
        e
    };
    let bad = vec![
        with(&|e| e.value = "••••••••••••".into()),
        with(&|e| e.value = CLIENT_ID.into()), // swapped
        with(&|e| e.integration = "no-such-integration".into()),
        with(&|e| e.integration = API_KEY.into()), // slot unused there
        with(&|e| e.org = Org::Okta { domain: "acme.okta.com.evil.io".into() }),
        with(&|e| e.org = Org::Salesforce { host: "acme.my.salesforce.com".into() }),
        with(&|e| e.expires_at_ms = now),
        with(&|e| e.expires_at_ms = now + MAX_TTL_MS + 1),
        with(&|e| e.captured_at_ms = T0 + DEFAULT_TTL_MS),
    ];
    let mut fresh = Vault::default();
    assert_eq!(fresh.restore(bad, now), 0);
    assert!(fresh.is_empty());
    assert_eq!(fresh.restore(vec![good()], now), 1);

    // Unknown fields and slots are refused when decoding.
    let json = serde_json::to_value(vec![good()]).unwrap();
    let mut extra = json.clone();
    extra[0]["note"] = "x".into();
    assert!(serde_json::from_value::<Vec<SessionEntry>>(extra).is_err());
    let mut slot = json.clone();
    slot[0]["slot"] = "okta.password".into();
    assert!(serde_json::from_value::<Vec<SessionEntry>>(slot).is_err());
}

#[test]
fn restore_keeps_orgs_consistent_and_the_later_capture() {
    let mut v = Vault::default();
    v.capture(Slot::OktaClientId, CLIENT_ID, integ(AUTH_CODE), "acme-admin.okta.com", T0).unwrap();
    let snap = v.snapshot(T0);
    let mut other = Vault::default();
    other.capture(Slot::OktaClientSecret, CLIENT_SECRET, integ(AUTH_CODE), "globex-admin.okta.com", T0).unwrap();
    assert_eq!(other.restore(snap, T0 + 1), 0, "values of two orgs mixed");

    let mut newer = Vault::default();
    newer.capture(Slot::OktaClientId, "0oa0000000000000000z", integ(AUTH_CODE), "acme-admin.okta.com", T0 + 5).unwrap();
    assert_eq!(newer.restore(v.snapshot(T0), T0 + 6), 0);
    assert_eq!(newer.get(AUTH_CODE, Slot::OktaClientId, T0 + 6).unwrap().value.reveal(), "0oa0000000000000000z");
    let mut older = Vault::default();
    older.capture(Slot::OktaClientId, "0oa0000000000000000z", integ(AUTH_CODE), "acme-admin.okta.com", T0 - 5).unwrap();
    assert_eq!(older.restore(v.snapshot(T0), T0 + 6), 1);
    assert_eq!(older.get(AUTH_CODE, Slot::OktaClientId, T0 + 6).unwrap().value.reveal(), CLIENT_ID);
    assert_eq!(older.entries().len(), 1);
}

#[test]
fn the_binding_of_salesforce_values_to_an_okta_org_survives_a_restart_and_moves_on_confirmation() {
    use keyferry::destination::{binding, page_org, Binding};
    let prov = catalog::page("okta.salesforce.provisioning").unwrap();
    let mut v = full_vault();
    let ask = binding(prov, "acme.okta.com", &v.carried(SF_INT, T0 + 1));
    let Binding::Ask { slots, before: None, .. } = ask else { panic!("{ask:?}") };
    assert_eq!(slots, [Slot::SfConsumerKey, Slot::SfConsumerSecret]);
    assert_eq!(v.bind(SF_INT, &slots, "acme.okta.com", T0 + 1), 2);
    assert_eq!(binding(prov, "acme.okta.com", &v.carried(SF_INT, T0 + 1)), Binding::Bound);
    // The values of other integrations are not bound by it.
    assert!(v.carried(AUTH_CODE, T0 + 1).iter().all(|c| c.sent_to.is_none()));
    // A plausible destination only.
    assert_eq!(v.bind(SF_INT, &slots, "not a host", T0 + 1), 0);

    // storage.session round trip keeps the binding; a forged one is dropped.
    let snap = v.snapshot(T0 + 1);
    let json = serde_json::to_string(&snap).unwrap();
    assert!(json.contains(r#""sent_to":"acme.okta.com""#), "{json}");
    let mut fresh = Vault::default();
    assert_eq!(fresh.restore(json_round_trip(&snap), T0 + 2), 8);
    assert_eq!(binding(prov, "acme.okta.com", &fresh.carried(SF_INT, T0 + 2)), Binding::Bound);
    let mut forged: Vec<SessionEntry> = json_round_trip(&snap);
    forged.iter_mut().for_each(|e| e.sent_to = e.sent_to.as_ref().map(|_| "evil okta\u{0}".to_string()));
    let mut fresh = Vault::default();
    fresh.restore(forged, T0 + 2);
    assert!(matches!(binding(prov, "acme.okta.com", &fresh.carried(SF_INT, T0 + 2)), Binding::Ask { before: None, .. }));
    // A snapshot without the field (an older one) restores unbound.
    let mut old = serde_json::to_value(&snap).unwrap();
    old.as_array_mut().unwrap().iter_mut().for_each(|e| {
        e.as_object_mut().unwrap().remove("sent_to");
    });
    let mut fresh = Vault::default();
    assert_eq!(fresh.restore(serde_json::from_value(old).unwrap(), T0 + 2), 8);

    // Another Okta org asks again, naming the first; confirming moves it.
    let globex = page_org("globex-admin.okta.com");
    let Binding::Ask { before, slots, .. } = binding(prov, &globex, &v.carried(SF_INT, T0 + 3)) else { panic!() };
    assert_eq!(before.as_deref(), Some("acme.okta.com"));
    v.bind(SF_INT, &slots, &globex, T0 + 3);
    assert_eq!(binding(prov, "globex.okta.com", &v.carried(SF_INT, T0 + 3)), Binding::Bound);
    assert!(matches!(binding(prov, "acme.okta.com", &v.carried(SF_INT, T0 + 3)), Binding::Ask { .. }));
    // A recapture is not bound until confirmed; Debug shows no value.
    v.capture(Slot::SfConsumerSecret, SF_SECRET, integ(SF_INT), "acme.my.salesforce.com", T0 + 4).unwrap();
    assert!(matches!(binding(prov, "globex.okta.com", &v.carried(SF_INT, T0 + 4)), Binding::Ask { .. }));
    no_values("the vault's Debug", &format!("{v:?} {:?}", v.snapshot(T0 + 4)));
}
