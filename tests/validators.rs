//! Native tests of every validator in `keyferry::validate`, plus property
//! tests: no validator panics, normalizations are stable.
#![cfg(not(target_arch = "wasm32"))]

use keyferry::catalog::AuthType;
use keyferry::validate::callback::{callback_list_contains, callback_url};
use keyferry::validate::credential::{credential, kind_label, looks_masked, CredentialKind};
use keyferry::validate::datacenter::DataCenter;
use keyferry::validate::email::email;
use keyferry::validate::okta_domain::{is_okta_org_host, okta_domain, okta_domain_from_admin_host, OKTA_SUFFIXES};
use keyferry::validate::pem::private_key_pem;
use keyferry::validate::{scopes, Level, Validated};
use proptest::prelude::*;

fn codes(v: &Validated) -> Vec<&'static str> {
    v.problems.iter().map(|p| p.code).collect()
}

/// The single error of a failed validation (asserts there is exactly one).
fn only_error(v: &Validated) -> &keyferry::validate::Problem {
    let errors: Vec<_> = v.problems.iter().filter(|p| p.level == Level::Error).collect();
    assert_eq!(errors.len(), 1, "expected one error, got {:?}", v.problems);
    errors[0]
}

fn assert_error(v: &Validated, code: &str) {
    assert!(!v.is_ok(), "expected error {code}, got {v:?}");
    assert_eq!(only_error(v).code, code, "{v:?}");
}

fn assert_clean(v: &Validated, value: &str) {
    assert_eq!(v.value.as_deref(), Some(value), "{v:?}");
    assert!(v.problems.is_empty(), "{v:?}");
}

// ---------------------------------------------------------------- okta_domain

#[test]
fn okta_domain_admin_console_url_is_normalized() {
    let v = okta_domain("https://acme-admin.okta.com/admin/apps/active");
    assert_eq!(v.value.as_deref(), Some("acme.okta.com"));
    assert_eq!(codes(&v), ["okta_domain.scheme", "okta_domain.path", "okta_domain.admin"]);
    assert!(v.problems.iter().all(|p| p.level == Level::Note));
    assert!(v.problems[1].message.contains("/admin/apps/active"));
    assert!(v.problems[2].message.contains("acme.okta.com"));
}

#[test]
fn okta_domain_query_fragment_http_are_removed() {
    let v = okta_domain("http://acme.okta.com?x=1#frag");
    assert_eq!(v.value.as_deref(), Some("acme.okta.com"));
    assert_eq!(codes(&v), ["okta_domain.scheme", "okta_domain.path"]);
    assert!(v.problems[0].message.contains("http://"));
    assert_eq!(okta_domain("acme.okta.com/").value.as_deref(), Some("acme.okta.com"));
}

#[test]
fn okta_domain_trailing_dot_and_uppercase() {
    let v = okta_domain("ACME.Okta.COM.");
    assert_eq!(v.value.as_deref(), Some("acme.okta.com"));
    assert_eq!(codes(&v), ["okta_domain.trailing_dot", "okta_domain.lowercase"]);
    let v = okta_domain("HTTPS://ACME-ADMIN.OKTAPREVIEW.COM/");
    assert_eq!(v.value.as_deref(), Some("acme.oktapreview.com"));
    assert!(v.has("okta_domain.admin") && v.has("okta_domain.lowercase") && v.has("okta_domain.scheme"));
}

#[test]
fn okta_domain_outer_whitespace_is_trimmed_with_a_note() {
    for input in ["  acme.okta.com", "acme.okta.com\n", "\u{00A0}acme.okta.com\u{200B}", "\tacme.okta.com "] {
        let v = okta_domain(input);
        assert_eq!(v.value.as_deref(), Some("acme.okta.com"), "{input:?}");
        assert_eq!(codes(&v), ["okta_domain.trimmed"], "{input:?}");
        assert_eq!(v.problems[0].level, Level::Note);
    }
}

#[test]
fn okta_domain_all_suffixes_accepted() {
    for host in
        ["dev-123456.okta.com", "acme.oktapreview.com", "acme.okta-emea.com", "acme.okta-gov.com", "acme.okta.mil"]
    {
        assert_clean(&okta_domain(host), host);
    }
    assert_eq!(OKTA_SUFFIXES.len(), 5);
}

#[test]
fn okta_domain_admin_removed_on_every_suffix() {
    for suffix in OKTA_SUFFIXES {
        let v = okta_domain(&format!("acme-admin.{suffix}"));
        assert_eq!(v.value, Some(format!("acme.{suffix}")));
        assert_eq!(codes(&v), ["okta_domain.admin"]);
    }
}

#[test]
fn okta_domain_workflows_host_points_to_org() {
    let v = okta_domain("https://acme.workflows.okta.com/app/flows");
    assert_error(&v, "okta_domain.workflows");
    assert!(only_error(&v).message.contains("acme.okta.com"));
    assert!(only_error(&v).fix.contains("acme.okta.com"));
    assert_error(&okta_domain("acme.workflows.oktapreview.com"), "okta_domain.workflows");
    assert_error(&okta_domain("oauth.workflows.okta.com"), "okta_domain.workflows");
}

#[test]
fn okta_domain_system_admin_is_not_an_org() {
    assert_error(&okta_domain("system-admin.okta.com"), "okta_domain.system_admin");
    assert_error(
        &okta_domain("https://system-admin.okta.com/admin/app/generic/oauth20redirect"),
        "okta_domain.system_admin",
    );
}

#[test]
fn okta_domain_bare_suffix_and_deep_hosts() {
    assert_error(&okta_domain("okta.com"), "okta_domain.no_org");
    assert_error(&okta_domain("a.b.okta.com"), "okta_domain.subdomain");
    assert_error(&okta_domain("acme"), "okta_domain.no_dot");
}

#[test]
fn okta_domain_custom_domain_is_a_warning() {
    for host in ["login.acme.com", "okta.acme.com", "sso.example.co.uk"] {
        let v = okta_domain(host);
        assert_eq!(v.value.as_deref(), Some(host));
        assert!(v.is_ok());
        assert_eq!(codes(&v), ["okta_domain.custom_domain"]);
        assert_eq!(v.problems[0].level, Level::Warning);
    }
}

#[test]
fn okta_domain_empty() {
    assert_error(&okta_domain(""), "okta_domain.empty");
    let v = okta_domain(" \n ");
    assert_error(&v, "okta_domain.empty");
    assert_eq!(v.value, None);
    assert_error(&okta_domain("https://"), "okta_domain.empty");
}

#[test]
fn okta_domain_whitespace_inside() {
    let v = okta_domain("acme .okta.com");
    assert_error(&v, "okta_domain.whitespace");
    assert!(only_error(&v).message.contains("a space at character 5"));
    let v = okta_domain("acme\u{00A0}.okta.com");
    assert!(only_error(&v).message.contains("non-breaking space"));
    assert_error(&okta_domain("acme\u{200B}.okta.com"), "okta_domain.whitespace");
}

#[test]
fn okta_domain_port_userinfo_ip() {
    assert_error(&okta_domain("acme.okta.com:443"), "okta_domain.port");
    assert_error(&okta_domain("https://acme-admin.okta.com:8443/admin"), "okta_domain.port");
    let v = okta_domain("https://acme.okta.com@evil.io/");
    assert_error(&v, "okta_domain.userinfo");
    assert!(only_error(&v).message.contains("evil.io"));
    assert_error(&okta_domain("admin@acme.okta.com"), "okta_domain.userinfo");
    assert_error(&okta_domain("10.0.0.1"), "okta_domain.ip");
    assert_error(&okta_domain("https://192.168.1.1/admin"), "okta_domain.ip");
    assert_error(&okta_domain("[::1]"), "okta_domain.ip");
    assert_error(&okta_domain("https://[2001:db8::1]:443/"), "okta_domain.ip");
    assert_error(&okta_domain("2001:db8::1"), "okta_domain.ip");
}

#[test]
fn okta_domain_non_ascii_lookalike_is_named() {
    let v = okta_domain("acme.oktα.com");
    assert_error(&v, "okta_domain.non_ascii");
    let msg = &only_error(&v).message;
    assert!(msg.contains('α') && msg.contains("U+03B1") && msg.contains("lookalike of 'a'"), "{msg}");
    // Cyrillic 'о' in place of 'o'.
    let v = okta_domain("acme.\u{043E}kta.com");
    assert!(only_error(&v).message.contains("U+043E"));
    // Full-width letters.
    assert!(only_error(&okta_domain("acme.ｏkta.com")).message.contains("lookalike of 'o'"));
    assert_error(&okta_domain("café.example.com"), "okta_domain.non_ascii");
}

#[test]
fn okta_domain_punycode_rejected() {
    assert_error(&okta_domain("xn--okt-9lc.com"), "okta_domain.punycode");
    assert_error(&okta_domain("acme.xn--80ak6aa92e.com"), "okta_domain.punycode");
}

#[test]
fn okta_domain_lookalikes_are_errors() {
    let v = okta_domain("okta.com.evil.io");
    assert_error(&v, "okta_domain.lookalike");
    assert!(only_error(&v).message.contains("the real domain is evil.io"), "{v:?}");
    let v = okta_domain("https://acme.oktapreview.com.attacker.co.uk/login");
    assert!(only_error(&v).message.contains("attacker.co.uk"));
    for host in [
        "acme-okta.com",
        "okta.co",
        "0kta.com",
        "okta-admin.com",
        "acme.okta.co",
        "acme.0ktapreview.com",
        "my-okta-login.net",
        "acme.okt4.com",
    ] {
        assert_error(&okta_domain(host), "okta_domain.lookalike");
    }
}

#[test]
fn okta_domain_invalid_hostname_syntax() {
    assert_error(&okta_domain("acme_corp.okta.com"), "okta_domain.invalid_char");
    assert!(only_error(&okta_domain("acme_corp.okta.com")).message.contains("'_'"));
    assert_error(&okta_domain("acme..okta.com"), "okta_domain.empty_label");
    assert_error(&okta_domain(".acme.okta.com"), "okta_domain.empty_label");
    assert_error(&okta_domain(&format!("{}.okta.com", "a".repeat(64))), "okta_domain.label_too_long");
    assert_clean(&okta_domain(&format!("{}.okta.com", "a".repeat(63))), &format!("{}.okta.com", "a".repeat(63)));
    let long = format!("{}.example.com", ["abcdefghij"; 24].join("."));
    assert!(long.len() > 253);
    assert_error(&okta_domain(&long), "okta_domain.too_long");
    assert_error(&okta_domain("-acme.okta.com"), "okta_domain.hyphen");
    assert_error(&okta_domain("acme-.okta.com"), "okta_domain.hyphen");
    assert_error(&okta_domain("acme.okta%2ecom"), "okta_domain.invalid_char");
    assert_error(&okta_domain("ftp://acme.okta.com"), "okta_domain.scheme");
    assert_error(&okta_domain("1.2.3"), "okta_domain.invalid");
}

#[test]
fn okta_domain_from_admin_host_cases() {
    for suffix in OKTA_SUFFIXES {
        assert_eq!(okta_domain_from_admin_host(&format!("acme-admin.{suffix}")), Some(format!("acme.{suffix}")));
        assert_eq!(okta_domain_from_admin_host(&format!("acme.{suffix}")), Some(format!("acme.{suffix}")));
    }
    assert_eq!(okta_domain_from_admin_host("acme-admin.okta.com"), Some("acme.okta.com".to_string()));
    assert_eq!(okta_domain_from_admin_host("ACME-ADMIN.OKTA.COM"), Some("acme.okta.com".to_string()));
    assert_eq!(okta_domain_from_admin_host("dev-123456-admin.okta.com"), Some("dev-123456.okta.com".to_string()));
    for host in [
        "login.acme.com",
        "system-admin.okta.com",
        "acme.workflows.okta.com",
        "okta.com",
        "acme-okta.com",
        "okta.com.evil.io",
        "",
    ] {
        assert_eq!(okta_domain_from_admin_host(host), None, "{host}");
    }
}

#[test]
fn is_okta_org_host_is_label_exact() {
    for host in ["acme.okta.com", "acme-admin.okta.com", "ACME.OktaPreview.com", "acme.okta-emea.com", "a.okta.mil"] {
        assert!(is_okta_org_host(host), "{host}");
    }
    for host in [
        "okta.com",
        "acme-okta.com",
        "acme.okta.com.evil.io",
        "acme.workflows.okta.com",
        "system-admin.okta.com",
        "acme.notokta.com",
        "a_b.okta.com",
        "",
        "é.okta.com",
    ] {
        assert!(!is_okta_org_host(host), "{host}");
    }
}

// ---------------------------------------------------------------- datacenter

/// The data centers confirmed by late 2026 (console-pages §8.4), as the
/// options page offers them.
const DOCUMENTED_CALLBACKS: [(DataCenter, &str); 9] = [
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

#[test]
fn datacenter_documented_callbacks() {
    for (dc, url) in DOCUMENTED_CALLBACKS {
        assert_eq!(dc.callback_url(), url);
    }
    let documented: Vec<DataCenter> = DOCUMENTED_CALLBACKS.iter().map(|(dc, _)| *dc).collect();
    assert_eq!(DataCenter::documented(), documented.as_slice());
    // IN and UK (one source each) are known but neither offered nor confirmed.
    for dc in DataCenter::ALL {
        assert_eq!(dc.is_confirmed(), documented.contains(&dc), "{dc:?}");
        assert_eq!(DataCenter::of_callback(dc.callback_url()), Some(dc));
    }
    assert_eq!(DataCenter::of_callback("https://app.workato.com/oauth/callback"), None);
    assert_eq!(DataCenter::of_callback("https://www.workato.com/oauth/callback/"), None);
    // The US data center's two hosts.
    assert_eq!(DataCenter::from_host("www.workato.com"), Some(DataCenter::Us));
    assert_eq!(DataCenter::from_host("app.workato.com"), Some(DataCenter::Us));
    assert_eq!(DataCenter::resolve("https://www.workato.com/connections/new"), Ok(DataCenter::Us));
}

#[test]
fn datacenter_other_hosts_and_callbacks() {
    assert_eq!(DataCenter::Us.app_host(), "app.workato.com");
    assert_eq!(DataCenter::Eu.app_host(), "app.eu.workato.com");
    assert_eq!(DataCenter::Trial.app_host(), "app.trial.workato.com");
    assert_eq!(DataCenter::In.callback_url(), "https://app.in.workato.com/oauth/callback");
    assert_eq!(DataCenter::Kr.callback_url(), "https://app.kr.workato.com/oauth/callback");
    assert_eq!(DataCenter::Uk.callback_url(), "https://app.uk.workato.com/oauth/callback");
    assert_eq!(DataCenter::Cn.app_host(), "app.workatoapp.cn");
    assert_eq!(DataCenter::Cn.callback_url(), "https://app.workatoapp.cn/oauth/callback");
    for dc in DataCenter::ALL.into_iter().filter(|dc| *dc != DataCenter::Us) {
        assert_eq!(dc.callback_url(), format!("https://{}/oauth/callback", dc.app_host()));
    }
}

#[test]
fn datacenter_ids_labels_and_serde() {
    let ids: Vec<&str> = DataCenter::ALL.iter().map(|dc| dc.id()).collect();
    assert_eq!(ids, ["us", "eu", "jp", "sg", "au", "il", "trial", "in", "kr", "uk", "cn"]);
    assert_eq!(DataCenter::Us.label(), "US");
    assert_eq!(DataCenter::Eu.label(), "EU");
    assert_eq!(DataCenter::Trial.label(), "Developer sandbox");
    for dc in DataCenter::ALL {
        let json = serde_json::to_string(&dc).unwrap();
        assert_eq!(json, format!("\"{}\"", dc.id()));
        assert_eq!(serde_json::from_str::<DataCenter>(&json).unwrap(), dc);
    }
}

#[test]
fn datacenter_from_host_is_exact() {
    assert_eq!(DataCenter::from_host("www.workato.com"), Some(DataCenter::Us));
    assert_eq!(DataCenter::from_host("app.workato.com"), Some(DataCenter::Us));
    assert_eq!(DataCenter::from_host("APP.EU.WORKATO.COM"), Some(DataCenter::Eu));
    assert_eq!(DataCenter::from_host("app.trial.workato.com"), Some(DataCenter::Trial));
    assert_eq!(DataCenter::from_host("app.workatoapp.cn"), Some(DataCenter::Cn));
    for host in [
        "app.eu.workato.com.evil.test",
        "eu.workato.com",
        "evilapp.eu.workato.com",
        "workato.com",
        "app.xx.workato.com",
        "",
    ] {
        assert_eq!(DataCenter::from_host(host), None, "{host}");
    }
}

#[test]
fn datacenter_from_name() {
    let cases = [
        ("US", DataCenter::Us),
        ("us", DataCenter::Us),
        ("United States", DataCenter::Us),
        ("eu", DataCenter::Eu),
        ("Europe", DataCenter::Eu),
        ("EU Data Center", DataCenter::Eu),
        ("Japan", DataCenter::Jp),
        ("Singapore", DataCenter::Sg),
        ("Australia", DataCenter::Au),
        ("Israel", DataCenter::Il),
        ("sandbox", DataCenter::Trial),
        ("Developer sandbox", DataCenter::Trial),
        ("TRIAL", DataCenter::Trial),
        ("India", DataCenter::In),
        ("Korea", DataCenter::Kr),
        ("United Kingdom", DataCenter::Uk),
        ("China", DataCenter::Cn),
    ];
    for (name, dc) in cases {
        assert_eq!(DataCenter::from_name(name), Some(dc), "{name}");
    }
    assert_eq!(DataCenter::from_name("Mars"), None);
    assert_eq!(DataCenter::from_name(""), None);
}

#[test]
fn datacenter_resolve() {
    assert_eq!(DataCenter::resolve("https://app.eu.workato.com/recipes/1"), Ok(DataCenter::Eu));
    assert_eq!(DataCenter::resolve("app.jp.workato.com"), Ok(DataCenter::Jp));
    assert_eq!(DataCenter::resolve("https://www.workato.com/oauth/callback"), Ok(DataCenter::Us));
    assert_eq!(DataCenter::resolve("  Singapore "), Ok(DataCenter::Sg));
    assert_eq!(DataCenter::resolve("https://app.au.workato.com:443/"), Ok(DataCenter::Au));
    assert_eq!(DataCenter::resolve("").unwrap_err().code, "datacenter.empty");
    assert_eq!(DataCenter::resolve("Atlantis").unwrap_err().code, "datacenter.unknown");
    assert_eq!(DataCenter::resolve("app.xx.workato.com").unwrap_err().code, "datacenter.unknown_host");
    let e = DataCenter::resolve("https://app.eu.workato.com.evil.test/x").unwrap_err();
    assert_eq!(e.code, "datacenter.not_workato");
    assert!(e.message.contains("evil.test") && e.fix.contains("app.eu.workato.com"));
}

// ---------------------------------------------------------------- callback

const US: &str = "https://www.workato.com/oauth/callback";
const EU: &str = "https://app.eu.workato.com/oauth/callback";
const SF: &str = "https://system-admin.okta.com/admin/app/generic/oauth20redirect";

#[test]
fn callback_exact_match() {
    assert_clean(&callback_url(US, US), US);
    assert_clean(&callback_url(SF, SF), SF);
}

#[test]
fn callback_empty() {
    assert_error(&callback_url(US, ""), "callback.empty");
    assert_error(&callback_url(US, " \n\t"), "callback.empty");
}

#[test]
fn callback_trailing_slash() {
    let v = callback_url(US, "https://www.workato.com/oauth/callback/");
    assert_error(&v, "callback.trailing_slash");
    assert_eq!(v.value, None);
    assert!(only_error(&v).fix.contains(US));
    assert_error(&callback_url("https://h.example/cb/", "https://h.example/cb"), "callback.trailing_slash");
}

#[test]
fn callback_scheme() {
    let v = callback_url(US, "http://www.workato.com/oauth/callback");
    assert_error(&v, "callback.scheme");
    assert!(only_error(&v).message.contains("http://") && only_error(&v).message.contains("https://"));
    assert_error(&callback_url(US, "www.workato.com/oauth/callback"), "callback.scheme");
}

#[test]
fn callback_whitespace_is_located_and_named() {
    let v = callback_url(US, &format!(" {US}"));
    assert_error(&v, "callback.whitespace");
    assert!(only_error(&v).message.contains("a space before the URL"));
    let v = callback_url(US, &format!("{US}\n"));
    assert!(only_error(&v).message.contains("a line break after the URL"));
    let v = callback_url(US, "https://www.workato.com/oauth/\u{00A0}callback");
    assert_error(&v, "callback.whitespace");
    assert!(only_error(&v).message.contains("non-breaking space inside the URL, at character 31"), "{v:?}");
    let v = callback_url(US, &format!("{US}\u{200B}"));
    assert!(only_error(&v).message.contains("zero-width space"));
}

#[test]
fn callback_missing_path() {
    assert_error(&callback_url(US, "https://www.workato.com"), "callback.missing_path");
    assert_error(&callback_url(US, "https://www.workato.com/"), "callback.missing_path");
}

#[test]
fn callback_wrong_data_center() {
    let v = callback_url(US, EU);
    assert_error(&v, "callback.wrong_host");
    let msg = &only_error(&v).message;
    assert!(msg.contains("EU data center") && msg.contains("US"), "{msg}");
    let v = callback_url(US, "https://app.workato.com/oauth/callback");
    assert!(only_error(&v).message.contains("www.workato.com"));
    let v = callback_url(EU, "https://evil.example/oauth/callback");
    assert_error(&v, "callback.wrong_host");
    assert!(only_error(&v).message.contains("evil.example"));
    assert_error(&callback_url(US, "https://www.workato.com:443/oauth/callback"), "callback.wrong_host");
}

#[test]
fn callback_case() {
    assert_error(&callback_url(US, "https://WWW.Workato.com/oauth/callback"), "callback.case");
    assert_error(&callback_url(US, "https://www.workato.com/OAuth/Callback"), "callback.case");
    assert_error(&callback_url(US, "HTTPS://www.workato.com/oauth/callback"), "callback.case");
}

#[test]
fn callback_mismatch_states_expected() {
    let v = callback_url(US, "https://www.workato.com/oauth/callbak");
    assert_error(&v, "callback.mismatch");
    assert!(only_error(&v).message.contains(US));
    assert_eq!(codes(&callback_url(US, "not a url at all")), ["callback.whitespace", "callback.mismatch"]);
    assert_error(&callback_url(US, "notaurl"), "callback.mismatch");
}

#[test]
fn callback_several_differences_each_get_a_code() {
    let v = callback_url(US, " http://app.eu.workato.com/oauth/callback/");
    assert_eq!(codes(&v), ["callback.whitespace", "callback.scheme", "callback.wrong_host", "callback.trailing_slash"]);
    assert!(!v.has("callback.mismatch"));
}

#[test]
fn callback_list_passes_on_any_exact_line() {
    let list = format!("https://login.salesforce.com/services/oauth2/success\n{SF}\nhttps://example.com/cb");
    assert_clean(&callback_list_contains(SF, &list), SF);
    assert_clean(&callback_list_contains(SF, &format!("a\r\n{SF}\r\n")), SF);
    assert_clean(&callback_list_contains(SF, SF), SF);
}

#[test]
fn callback_list_diagnoses_the_closest_line() {
    let list = format!("https://example.com/other\n{SF}/\nhttps://login.salesforce.com/cb");
    let v = callback_list_contains(SF, &list);
    assert_error(&v, "callback.trailing_slash");
    assert!(only_error(&v).message.starts_with("Line 2"), "{v:?}");
    let v = callback_list_contains(SF, "http://system-admin.okta.com/admin/app/generic/oauth20redirect");
    assert_error(&v, "callback.scheme");
    assert!(!only_error(&v).message.starts_with("Line"));
    assert_error(&callback_list_contains(SF, "\n \n"), "callback.empty");
    assert_error(&callback_list_contains(SF, ""), "callback.empty");
}

// ---------------------------------------------------------------- credential

const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
const CLIENT_SECRET: &str = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrStUvWx";
const API_TOKEN: &str = "00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_Ab";
const CONSUMER_KEY: &str = "3MVG9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_AbCdEf";
const CONSUMER_SECRET: &str = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

#[test]
fn credential_typical_values_are_clean() {
    assert_eq!(API_TOKEN.len(), 42);
    assert_eq!(CONSUMER_KEY.len(), 85);
    assert_clean(&credential(CredentialKind::OktaClientId, CLIENT_ID), CLIENT_ID);
    assert_clean(&credential(CredentialKind::OktaClientSecret, CLIENT_SECRET), CLIENT_SECRET);
    assert_clean(&credential(CredentialKind::OktaApiToken, API_TOKEN), API_TOKEN);
    assert_clean(&credential(CredentialKind::SalesforceConsumerKey, CONSUMER_KEY), CONSUMER_KEY);
    assert_clean(&credential(CredentialKind::SalesforceConsumerSecret, CONSUMER_SECRET), CONSUMER_SECRET);
    assert_clean(&credential(CredentialKind::SalesforceConsumerSecret, "1234567890123456789"), "1234567890123456789");
}

#[test]
fn credential_outer_whitespace_is_a_note() {
    let v = credential(CredentialKind::OktaClientId, &format!("  {CLIENT_ID}\n"));
    assert_eq!(v.value.as_deref(), Some(CLIENT_ID));
    assert_eq!(codes(&v), ["credential.trimmed"]);
    assert_eq!(v.problems[0].level, Level::Note);
}

#[test]
fn credential_empty() {
    assert_error(&credential(CredentialKind::OktaClientSecret, ""), "credential.empty");
    assert_error(&credential(CredentialKind::OktaApiToken, " \t "), "credential.empty");
}

#[test]
fn credential_whitespace_inside() {
    let v = credential(CredentialKind::OktaClientSecret, "abcdefghij klmnopqrstuvwxyz0123456789abcdef");
    assert_error(&v, "credential.whitespace");
    assert!(only_error(&v).message.contains("a space at character 11"));
    let v = credential(CredentialKind::SalesforceConsumerKey, "3MVG9abc\ndef");
    assert!(only_error(&v).message.contains("line break"));
    assert_error(&credential(CredentialKind::OktaClientId, "0oa1b2c3d4\u{200B}e5f6g7h8i9"), "credential.whitespace");
}

#[test]
fn credential_masked_values() {
    for masked in ["••••••••", "****", "·····", "●●●●", "xxxxxxxx", "XXXX XXXX", "abcd••••••••wxyz", "0oa1****"]
    {
        assert!(looks_masked(masked), "{masked}");
        assert_error(&credential(CredentialKind::OktaClientSecret, masked), "credential.masked");
    }
    for real in [CLIENT_ID, CLIENT_SECRET, CONSUMER_KEY, "a*b", "xx", "axxxxb"] {
        assert!(!looks_masked(real), "{real}");
    }
}

#[test]
fn credential_truncated() {
    assert_error(&credential(CredentialKind::OktaClientSecret, "AbCdEfGhIjKlMnOp…"), "credential.truncated");
    assert_error(&credential(CredentialKind::SalesforceConsumerKey, "3MVG9AbCdEf..."), "credential.truncated");
}

#[test]
fn credential_okta_client_id_shape_warnings() {
    let v = credential(CredentialKind::OktaClientId, "abc1b2c3d4e5f6g7h8i9");
    assert!(v.is_ok());
    assert_eq!(codes(&v), ["credential.prefix"]);
    assert!(v.problems[0].message.contains("0oa"));
    let v = credential(CredentialKind::OktaClientId, "0oa1b2c3");
    assert_eq!(codes(&v), ["credential.length"]);
    assert!(v.problems[0].message.contains("8 characters") && v.problems[0].message.contains("20"));
    let v = credential(CredentialKind::OktaClientId, "0oa1b2c3d4e5f6g7h8-9");
    assert_eq!(codes(&v), ["credential.charset"]);
    assert_eq!(v.value.as_deref(), Some("0oa1b2c3d4e5f6g7h8-9"));
}

#[test]
fn credential_other_shape_warnings() {
    let v = credential(CredentialKind::SalesforceConsumerKey, "ABCD9xyz");
    assert_eq!(codes(&v), ["credential.prefix", "credential.length"]);
    assert!(v.problems.iter().all(|p| p.level == Level::Warning));
    assert!(v.problems[0].message.contains("3MVG") && v.problems[1].message.contains("85"));
    let v = credential(CredentialKind::OktaClientSecret, "short-secret");
    assert_eq!(codes(&v), ["credential.length"]);
    assert!(v.problems[0].message.contains("40"));
    let v = credential(CredentialKind::OktaApiToken, "abcdefghijklmnopqrstuvwxyz0123456789abcdef");
    assert_eq!(codes(&v), ["credential.prefix"]);
    assert!(v.problems[0].message.contains("00"));
    let v = credential(CredentialKind::OktaApiToken, "00abc");
    assert_eq!(codes(&v), ["credential.length"]);
    assert!(v.problems[0].message.contains("42"));
    let v = credential(CredentialKind::SalesforceConsumerSecret, "12345");
    assert_eq!(codes(&v), ["credential.length"]);
}

#[test]
fn credential_swapped_values() {
    let v = credential(CredentialKind::OktaClientSecret, CLIENT_ID);
    assert_eq!(codes(&v), ["credential.swapped"]);
    assert!(v.problems[0].message.contains("Okta client ID"));
    let v = credential(CredentialKind::SalesforceConsumerSecret, CONSUMER_KEY);
    assert_eq!(codes(&v), ["credential.swapped"]);
}

#[test]
fn credential_pem_delegates() {
    assert_eq!(credential(CredentialKind::PrivateKeyPem, RSA_2048), private_key_pem(RSA_2048));
    assert_eq!(credential(CredentialKind::PrivateKeyPem, "nope"), private_key_pem("nope"));
}

#[test]
fn credential_kind_labels() {
    assert_eq!(kind_label(CredentialKind::OktaClientId), "Okta client ID");
    assert_eq!(kind_label(CredentialKind::SalesforceConsumerKey), "Salesforce consumer key");
    assert_eq!(kind_label(CredentialKind::PrivateKeyPem), "private key (PEM)");
}

// ---------------------------------------------------------------- pem

/// `pem` with its BEGIN/END label replaced.
fn relabel(pem: &str, label: &str) -> String {
    pem.replace("PRIVATE KEY-----", &format!("{label}-----"))
}

/// A PEM block around the base64 of `der`.
fn pem_of(b64: &str) -> String {
    format!("-----BEGIN PRIVATE KEY-----\n{b64}\n-----END PRIVATE KEY-----\n")
}

#[test]
fn pem_rsa_pkcs8_is_ok() {
    let v = private_key_pem(RSA_2048);
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.rsa"]);
    assert!(v.problems[0].message.contains("RSA key, 2048-bit"));
}

#[test]
fn pem_ec_pkcs8_is_ok() {
    let v = private_key_pem(EC_P256);
    assert_eq!(v.value.as_deref(), Some(EC_P256));
    assert_eq!(codes(&v), ["pem.ec"]);
    assert!(v.problems[0].message.contains("P-256"));
}

#[test]
fn pem_line_endings_and_trailing_newline_are_normalized() {
    let crlf = RSA_2048.replace('\n', "\r\n");
    assert_eq!(private_key_pem(&crlf).value.as_deref(), Some(RSA_2048));
    let without_newline = RSA_2048.trim_end();
    let v = private_key_pem(without_newline);
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.rsa"]);
}

#[test]
fn pem_weak_rsa_is_a_warning() {
    let v = private_key_pem(RSA_512);
    assert!(v.is_ok());
    assert_eq!(codes(&v), ["pem.rsa", "pem.weak_rsa"]);
    assert!(v.problems[1].message.contains("512"));
}

#[test]
fn pem_pkcs1_and_sec1_get_the_conversion_hint() {
    let hint = "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";
    let v = private_key_pem(RSA_512_PKCS1);
    assert_error(&v, "pem.pkcs1");
    assert!(only_error(&v).fix.contains(hint));
    let v = private_key_pem(&relabel(EC_P256, "EC PRIVATE KEY"));
    assert_error(&v, "pem.sec1");
    assert!(only_error(&v).fix.contains(hint));
    // A PKCS#1 body relabelled by hand as PRIVATE KEY.
    let v = private_key_pem(&RSA_512_PKCS1.replace("RSA PRIVATE KEY", "PRIVATE KEY"));
    assert_error(&v, "pem.pkcs1");
}

#[test]
fn pem_encrypted() {
    let v = private_key_pem(&relabel(RSA_2048, "ENCRYPTED PRIVATE KEY"));
    assert_error(&v, "pem.encrypted");
    assert!(only_error(&v).fix.contains("-nocrypt"));
    let legacy = RSA_2048.replacen("\n", "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n", 1);
    assert_error(&private_key_pem(&legacy), "pem.encrypted");
}

#[test]
fn pem_public_key_and_certificate() {
    for label in ["PUBLIC KEY", "RSA PUBLIC KEY"] {
        let v = private_key_pem(&relabel(RSA_2048, label));
        assert_error(&v, "pem.public_key");
        assert!(only_error(&v).message.contains("public half"));
        assert!(only_error(&v).fix.contains("Generate new key"));
    }
    assert_error(&private_key_pem(&relabel(RSA_2048, "CERTIFICATE")), "pem.certificate");
    assert_error(&private_key_pem(&relabel(RSA_2048, "OPENSSH PRIVATE KEY")), "pem.unsupported_label");
}

#[test]
fn pem_jwk_json() {
    let v = private_key_pem(r#"{"kty":"RSA","n":"abc","e":"AQAB","d":"xyz"}"#);
    assert_error(&v, "pem.jwk");
    assert!(only_error(&v).fix.contains("PEM instead of JSON"));
    assert_error(&private_key_pem(r#"{"hello": 1}"#), "pem.missing_begin");
}

#[test]
fn pem_missing_armor_lines() {
    let body: String = RSA_2048.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n");
    let v = private_key_pem(&body);
    assert_error(&v, "pem.missing_begin");
    assert!(only_error(&v).message.contains("without its"));
    assert_error(&private_key_pem(&format!("{body}\n-----END PRIVATE KEY-----")), "pem.missing_begin");
    assert_error(&private_key_pem("hello"), "pem.missing_begin");
    assert_error(&private_key_pem("-----BEGIN PRIVATE KEY\nMIIB\n"), "pem.missing_begin");
    let no_end = RSA_2048.replace("-----END PRIVATE KEY-----\n", "");
    assert_error(&private_key_pem(&no_end), "pem.missing_end");
    assert_error(
        &private_key_pem(&RSA_2048.replace("-----END PRIVATE KEY-----", "-----END PRIVATE KEY")),
        "pem.missing_end",
    );
    assert_error(&private_key_pem(""), "pem.empty");
    assert_error(&private_key_pem("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"), "pem.empty_body");
}

#[test]
fn pem_mismatched_labels() {
    let v = private_key_pem(&RSA_2048.replace("END PRIVATE KEY", "END RSA PRIVATE KEY"));
    assert_error(&v, "pem.label_mismatch");
    assert!(only_error(&v).message.contains("END RSA PRIVATE KEY"));
}

#[test]
fn pem_surrounding_text() {
    let v = private_key_pem(&format!("\n\n  {RSA_2048}\n\n"));
    assert!(v.is_ok());
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.surrounding_blank", "pem.rsa"]);
    assert_eq!(v.problems[0].level, Level::Warning);
    let v = private_key_pem(&format!("Private key:\n{RSA_2048}"));
    assert_error(&v, "pem.extra_text");
    assert!(only_error(&v).message.contains("before"));
    let v = private_key_pem(&format!("{RSA_2048}thanks!"));
    assert_error(&v, "pem.extra_text");
    assert!(only_error(&v).message.contains("after"));
    let v = private_key_pem(&format!("{RSA_2048}{EC_P256}"));
    assert_error(&v, "pem.multiple");
    let v = private_key_pem(&format!("{}{RSA_2048}", relabel(EC_P256, "CERTIFICATE")));
    assert_error(&v, "pem.multiple");
    assert!(only_error(&v).message.contains("CERTIFICATE, PRIVATE KEY"));
}

#[test]
fn pem_invalid_base64_names_the_line() {
    let mut lines: Vec<String> = RSA_2048.lines().map(String::from).collect();
    lines[3].replace_range(5..6, "!");
    let v = private_key_pem(&lines.join("\n"));
    assert_error(&v, "pem.base64");
    assert!(only_error(&v).message.contains("Line 4") && only_error(&v).message.contains("'!'"), "{v:?}");
    // The line number counts blank lines before the key.
    let v = private_key_pem(&format!("\n\n{}", lines.join("\n")));
    assert!(only_error(&v).message.contains("Line 6"), "{v:?}");
    let mut lines: Vec<String> = RSA_2048.lines().map(String::from).collect();
    lines[2].push_str("==");
    assert_error(&private_key_pem(&lines.join("\n")), "pem.base64");
    let mut lines: Vec<String> = RSA_2048.lines().map(String::from).collect();
    lines[2].pop();
    let v = private_key_pem(&lines.join("\n"));
    assert_error(&v, "pem.base64");
    assert!(only_error(&v).message.contains("length"));
}

#[test]
fn pem_der_problems() {
    // OCTET STRING instead of SEQUENCE.
    assert_error(&private_key_pem(&pem_of("BAA=")), "pem.der_not_sequence");
    // SEQUENCE announcing 0x30 bytes with only a few present.
    assert_error(&private_key_pem(&pem_of("MDACAQA=")), "pem.der_truncated");
    // The first two lines of a real key: a cut-off copy.
    let cut: Vec<&str> = RSA_2048.lines().take(3).collect();
    let v = private_key_pem(&format!("{}\n-----END PRIVATE KEY-----", cut.join("\n")));
    assert_error(&v, "pem.der_truncated");
    // SEQUENCE { INTEGER 5 }: wrong version.
    assert_error(&private_key_pem(&pem_of("MAMCAQU=")), "pem.der_structure");
    // A valid key followed by an extra byte (0x00) in the DER.
    assert_error(&private_key_pem(&pem_of("MAMCAQAA")), "pem.der_structure");
}

#[test]
fn pem_unsupported_algorithm() {
    let v = private_key_pem(ED25519);
    assert_error(&v, "pem.algorithm");
    assert!(only_error(&v).message.contains("Ed25519") && only_error(&v).message.contains("1.3.101.112"));
}

#[test]
fn pem_one_line_paste_is_reflowed() {
    let one_line = RSA_2048.trim_end().replace('\n', " ");
    let v = private_key_pem(&one_line);
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.reflowed", "pem.rsa"]);
    let no_breaks = RSA_2048.replace('\n', "");
    let v = private_key_pem(&no_breaks);
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert!(v.has("pem.reflowed"));
    let escaped = RSA_2048.replace('\n', "\\n");
    let v = private_key_pem(&escaped);
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.escaped_newlines", "pem.rsa"]);
}

#[test]
fn pem_rewraps_long_lines() {
    let body: String = RSA_2048.lines().filter(|l| !l.starts_with("-----")).collect();
    let wide: Vec<String> = body.as_bytes().chunks(76).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
    let v = private_key_pem(&pem_of(&wide.join("\n")));
    assert_eq!(v.value.as_deref(), Some(RSA_2048));
    assert_eq!(codes(&v), ["pem.rsa"]);
}

// ---------------------------------------------------------------- scopes

#[test]
fn scopes_parse_splits_dedupes_and_keeps_order() {
    let parsed = scopes::parse(" okta.logs.read,okta.schemas.read\n\topenid  okta.logs.read,, offline_access\r\n");
    assert_eq!(parsed, ["okta.logs.read", "okta.schemas.read", "openid", "offline_access"]);
    assert!(scopes::parse("").is_empty());
    assert!(scopes::parse(" , \n").is_empty());
}

#[test]
fn scopes_minimum_and_defaults() {
    assert_eq!(
        scopes::minimum(AuthType::AuthCode),
        ["okta.logs.read", "okta.schemas.read", "offline_access", "openid"]
    );
    assert_eq!(scopes::minimum(AuthType::ClientCredentials), ["okta.logs.read", "okta.schemas.read"]);
    assert!(scopes::minimum(AuthType::ApiKey).is_empty());
    assert_eq!(
        scopes::join(scopes::defaults(AuthType::AuthCode)),
        "okta.logs.read okta.schemas.read offline_access openid okta.eventHooks.manage okta.users.manage okta.groups.manage okta.apps.read"
    );
    assert_eq!(
        scopes::join(scopes::defaults(AuthType::ClientCredentials)),
        "okta.logs.read okta.schemas.read okta.eventHooks.manage okta.users.manage okta.groups.manage okta.apps.read"
    );
    assert!(scopes::defaults(AuthType::ApiKey).is_empty());
    for auth in [AuthType::AuthCode, AuthType::ClientCredentials] {
        assert!(scopes::check(auth, &scopes::join(scopes::defaults(auth))).problems.is_empty());
    }
}

#[test]
fn scopes_check_normalizes() {
    let v = scopes::check(AuthType::AuthCode, "openid,offline_access\nokta.logs.read okta.schemas.read okta.logs.read");
    assert_clean(&v, "openid offline_access okta.logs.read okta.schemas.read");
    assert_clean(&scopes::check(AuthType::ApiKey, ""), "");
}

#[test]
fn scopes_missing_names_each_scope() {
    let v = scopes::check(AuthType::AuthCode, "okta.logs.read okta.users.read");
    assert_error(&v, "scopes.missing");
    let msg = &only_error(&v).message;
    for scope in ["okta.schemas.read", "offline_access", "openid"] {
        assert!(msg.contains(scope), "{msg}");
    }
    assert!(!msg.contains("okta.logs.read"));
    assert_eq!(v.value.as_deref(), Some("okta.logs.read okta.users.read"));
    assert!(scopes::check(AuthType::ClientCredentials, "okta.logs.read okta.schemas.read").problems.is_empty());
    assert_error(&scopes::check(AuthType::ClientCredentials, ""), "scopes.missing");
    let present = scopes::parse("openid okta.logs.read");
    assert_eq!(scopes::missing(AuthType::AuthCode, &present), ["okta.schemas.read", "offline_access"]);
    assert!(scopes::missing(AuthType::ApiKey, &[]).is_empty());
}

#[test]
fn scopes_unknown_are_warnings() {
    let v = scopes::check(AuthType::ClientCredentials, "okta.logs.read okta.schemas.read okta.users.write");
    assert!(v.is_ok());
    assert_eq!(codes(&v), ["scopes.unknown"]);
    assert!(v.problems[0].message.contains("okta.users.write"));
    let v = scopes::check(AuthType::ClientCredentials, "okta.logs.read okta.schemas.read okta.eventhooks.manage");
    assert!(v.problems[0].message.contains("okta.eventHooks.manage"));
    let v = scopes::check(AuthType::ClientCredentials, "okta.logs.readokta.schemas.read");
    assert!(v.has("scopes.unknown") && v.has("scopes.missing"));
    assert!(v.problems[0].message.contains("run together"), "{v:?}");
}

#[test]
fn scopes_invalid_characters_are_errors() {
    let v = scopes::check(AuthType::ApiKey, "okta.users.read \"okta.apps.read\"");
    assert_error(&v, "scopes.invalid");
    assert_eq!(v.value, None);
    assert_error(&scopes::check(AuthType::ApiKey, "okta.usérs.read"), "scopes.invalid");
}

#[test]
fn scopes_known_list_covers_okta_management_scopes() {
    let resources = [
        "apps",
        "users",
        "groups",
        "schemas",
        "eventHooks",
        "devices",
        "roles",
        "policies",
        "factors",
        "idps",
        "authorizationServers",
        "clients",
        "userTypes",
        "linkedObjects",
        "inlineHooks",
        "trustedOrigins",
        "networkZones",
        "profileMappings",
        "domains",
        "brands",
        "templates",
        "behaviors",
        "sessions",
        "deviceAssurance",
        "identitySources",
        "riskProviders",
    ];
    let mut all: Vec<String> =
        resources.iter().flat_map(|r| [format!("okta.{r}.read"), format!("okta.{r}.manage")]).collect();
    all.extend(
        ["okta.logs.read", "okta.orgs.read", "okta.workflows.read", "okta.workflows.invoke.manage"].map(String::from),
    );
    all.extend(["openid", "profile", "email", "phone", "address", "groups", "offline_access"].map(String::from));
    for scope in &all {
        assert!(scopes::is_known(scope), "{scope}");
    }
    let v = scopes::check(AuthType::AuthCode, &all.join(" "));
    assert_clean(&v, &all.join(" "));
}

#[test]
fn scopes_join() {
    assert_eq!(scopes::join(&["a", "b"]), "a b");
    assert_eq!(scopes::join(&[]), "");
}

// ---------------------------------------------------------------- email

#[test]
fn email_valid() {
    assert_clean(&email("admin@example.com"), "admin@example.com");
    assert_clean(&email("first.last+okta@sub.example.co.uk"), "first.last+okta@sub.example.co.uk");
    let v = email("  admin@example.com\n");
    assert_eq!(v.value.as_deref(), Some("admin@example.com"));
    assert_eq!(codes(&v), ["email.trimmed"]);
}

#[test]
fn email_errors() {
    let cases = [
        ("", "email.empty"),
        ("admin.example.com", "email.missing_at"),
        ("ad min@example.com", "email.whitespace"),
        ("admin@example", "email.domain_no_dot"),
        ("a@b@example.com", "email.multiple_at"),
        ("admin@example.com.", "email.trailing_dot"),
        ("@example.com", "email.empty_local"),
        ("admin@", "email.empty_domain"),
        (".admin@example.com", "email.local_dots"),
        ("ad..min@example.com", "email.local_dots"),
        ("ad,min@example.com", "email.invalid_char"),
        ("admin@-example.com", "email.domain_label"),
        ("admin@example..com", "email.domain_label"),
        ("admin@exa_mple.com", "email.domain_char"),
        ("admin@1.2.3.4", "email.domain_tld"),
    ];
    for (input, code) in cases {
        let v = email(input);
        assert_error(&v, code);
        assert_eq!(v.value, None, "{input}");
    }
    let long = format!("{}@example.com", "a".repeat(65));
    assert_error(&email(&long), "email.too_long");
    assert!(only_error(&email("a b@example.com")).message.contains("a space at character 2"));
}

#[test]
fn email_non_ascii_is_a_warning() {
    let v = email("josé@example.com");
    assert!(v.is_ok());
    assert_eq!(codes(&v), ["email.non_ascii_local"]);
    let v = email("admin@exämple.com");
    assert!(v.is_ok());
    assert_eq!(codes(&v), ["email.non_ascii_domain"]);
}

// ---------------------------------------------------------------- properties

/// Strings rich in the characters the validators care about.
fn tricky() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "okta",
        ".com",
        "-admin",
        "https://",
        "/",
        "@",
        ":",
        "[",
        "]",
        ".",
        "..",
        "-",
        "xn--",
        "0",
        "α",
        "\u{00A0}",
        "\u{200B}",
        " ",
        "\n",
        "\r",
        "\t",
        "•",
        "*",
        "x",
        "=",
        "-----BEGIN ",
        "-----END ",
        "PRIVATE KEY",
        "-----",
        "MII",
        "workflows.",
        "app.eu.workato.com",
        "oauth/callback",
        ",",
        "okta.logs.read",
        "{\"kty\"",
        "\\n",
        "é",
        "\u{0}",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(String::from), any::<char>().prop_map(String::from)], 0..40)
        .prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky(), prop::collection::vec(any::<char>(), 0..4000).prop_map(String::from_iter)]
}

const KINDS: [CredentialKind; 6] = [
    CredentialKind::OktaClientId,
    CredentialKind::OktaClientSecret,
    CredentialKind::OktaApiToken,
    CredentialKind::SalesforceConsumerKey,
    CredentialKind::SalesforceConsumerSecret,
    CredentialKind::PrivateKeyPem,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_no_validator_panics(s in any_text(), t in any_text()) {
        let _ = okta_domain(&s);
        let _ = okta_domain_from_admin_host(&s);
        let _ = is_okta_org_host(&s);
        let _ = callback_url(&s, &t);
        let _ = callback_url(US, &s);
        let _ = callback_list_contains(&s, &t);
        let _ = callback_list_contains(SF, &s);
        for kind in KINDS {
            let _ = credential(kind, &s);
        }
        let _ = looks_masked(&s);
        let _ = private_key_pem(&s);
        for auth in [AuthType::AuthCode, AuthType::ClientCredentials, AuthType::ApiKey] {
            let _ = scopes::check(auth, &s);
        }
        let _ = email(&s);
        let _ = DataCenter::resolve(&s);
        let _ = DataCenter::from_host(&s);
        let _ = DataCenter::from_name(&s);
    }

    #[test]
    fn prop_okta_domain_is_idempotent(s in any_text()) {
        let first = okta_domain(&s);
        if let Some(value) = &first.value {
            let second = okta_domain(value);
            prop_assert_eq!(second.value.as_ref(), Some(value));
            let lasting: Vec<_> = first.problems.iter().filter(|p| p.level != Level::Note).cloned().collect();
            prop_assert_eq!(second.problems, lasting);
        }
    }

    #[test]
    fn prop_okta_domain_normal_forms_are_clean(org in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", i in 0usize..5) {
        let suffix = OKTA_SUFFIXES[i];
        prop_assume!(!org.ends_with("-admin") && org != "system-admin" && !org.starts_with("xn--"));
        let domain = format!("{org}.{suffix}");
        let clean = okta_domain(&domain);
        prop_assert!(clean.problems.is_empty(), "{:?}", clean);
        let pasted = okta_domain(&format!(" https://{org}-admin.{}/admin/dashboard ", suffix.to_uppercase()));
        prop_assert_eq!(pasted.value, Some(domain.clone()));
        prop_assert_eq!(okta_domain_from_admin_host(&format!("{org}-admin.{suffix}")), Some(domain));
    }

    #[test]
    fn prop_callback_identical_is_ok(x in any_text()) {
        let v = callback_url(&x, &x);
        prop_assert!(v.is_ok());
        prop_assert!(v.problems.is_empty());
        prop_assert_eq!(v.value, Some(x));
    }

    #[test]
    fn prop_callback_difference_is_explained(x in any_text()) {
        prop_assume!(x != US);
        let v = callback_url(US, &x);
        prop_assert!(!v.is_ok());
        prop_assert!(v.value.is_none());
    }

    #[test]
    fn prop_scopes_parse_join_round_trip(x in any_text()) {
        let parsed = scopes::parse(&x);
        let refs: Vec<&str> = parsed.iter().map(String::as_str).collect();
        prop_assert_eq!(scopes::parse(&scopes::join(&refs)), parsed);
    }

    #[test]
    fn prop_pem_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        let _ = private_key_pem(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn prop_pem_armored_garbage(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        // Arbitrary base64-alphabet text inside valid armor reaches the DER walker.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let body: String = bytes.iter().map(|b| char::from(alphabet[usize::from(*b) % 64])).collect();
        let _ = private_key_pem(&pem_of(&body));
        let _ = private_key_pem(&pem_of(&format!("MII{body}")));
    }

    #[test]
    fn prop_pem_mutations(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8),
        key in 0usize..4,
    ) {
        let base = [RSA_2048, EC_P256, RSA_512, ED25519][key];
        let mut chars: Vec<char> = base.chars().collect();
        for (at, op, c) in edits {
            if chars.is_empty() { break; }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, c),
                2 => chars[i] = c,
                _ => { chars.truncate(i); }
            }
        }
        let mutated: String = chars.into_iter().collect();
        let v = private_key_pem(&mutated);
        if let Some(value) = v.value {
            prop_assert!(value.starts_with("-----BEGIN PRIVATE KEY-----\n"));
            prop_assert!(value.ends_with("\n-----END PRIVATE KEY-----\n"));
        }
    }

    #[test]
    fn prop_pem_der_bytes(der in prop::collection::vec(any::<u8>(), 0..300)) {
        // Arbitrary DER bytes, properly base64-encoded.
        let _ = private_key_pem(&pem_of(&encode_base64(&der)));
        let mut seq = vec![0x30, 0x82, (der.len() >> 8) as u8, der.len() as u8];
        seq.extend(&der);
        let _ = private_key_pem(&pem_of(&encode_base64(&seq)));
    }
}

/// Test-only base64 encoder (standard alphabet, padded).
fn encode_base64(data: &[u8]) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn test_encoder_matches_the_validator() {
    assert_eq!(encode_base64(b"Man"), "TWFu");
    assert_eq!(encode_base64(b"Ma"), "TWE=");
    assert_eq!(encode_base64(b"M"), "TQ==");
    // SEQUENCE { INTEGER 0 }: decodes, but is not a whole PKCS#8 key.
    assert_error(&private_key_pem(&pem_of(&encode_base64(&[0x30, 0x03, 0x02, 0x01, 0x00]))), "pem.der_truncated");
}

// Throwaway keys generated with openssl for these tests only.
const RSA_2048: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCbNmv8VVyfFt3h
yDtMJf6S1zpGeYsn79FbExY7XLEdQTbeakxgkl4cZ4NIeiDmSaF6G/n3FzcBzNkI
sWNeqJX7/zb6L5lgFo/CFcATfIQhCUZGub2nrHUzLZuGPolIg2+68iG9RsSotxAg
rLD6i4cZALGe+hBnPlEYQs3mZ+3ZRxm/0otFb2phM31/6HqGKyYAV0RgItQ31frd
wUU/MJeO+H06W5IrA9kWt/7mEss+XZaf2BjjekvReNeBWySA7vL+l9Qdf2P9xILv
AV6Yo/U9EGrC9N2pNd9zjx0JRsfqSZKDDnqYMk5giyYiZwbWR5+Z4TWDn5al6lwM
Hm4v/k+BAgMBAAECggEADugj6GTxY5UgY8Qlj8txXvx9TBH1z7TcbE0RvEtLdmYS
RTu70KWWFM/LP8189ekZ8V6Y/AZ2gb2BFbDlvIxf9UcealpidmRMU8VfgG+byAl6
PqYtpRou2ma1sme0qyp2c2O4YlOW5SZJzf2P9MwsQjY7GOvm4eeOBdC6sjeGlDC1
5I4T92gSn2E9Spm6GQSK2OTXj2qzB7GPTENNDG7U1IJTrce3I+aH6E/I50+kfkdn
O1/RvZgnRHZaliILuy1nFzcGwbzTWZMmRzMRnK3CnHwdXESri8fsaqjK4AVbxlde
gYOSWn+dEur6RkDD6MbgawrGv2oKA9GqISYJHRU/bQKBgQDOIvi2S68MNmLbsFJT
9vuaxWgPcBgqV6aL8WYHb6TLhN0pQq1u9zAx0TfLgZ0hHK2BRn8zK8nk7UrH/0ca
tAQrXI6jvuUPupO7JKuIfBvSmmHLQjfRyyFxt1JfdhB8DIGFIShtSLVIrl1Zu2hX
luEi3QqqugWuFy5ZgZfiP69wzQKBgQDAwfm6ZaSBnWdleGKKN1lHZE99Ushmm8gL
mWQ/cDIDUbvnW88VyT+3dyIY5AP0GM4hIfMpZjovIBCH23Mf98J5HFzKniEVDU9u
y8E/rQOk/VS2sNJdtjjxsT9Pxz4SsZNEJFQDpeW/880XxLY4gQC8+4F5le0GTgSU
w8PHJGeJhQKBgHeWCjuXhKHNG2Tf0aMscaLESy5JlXtbBh/Bl7NQrYX0OmmpaPwr
IyaDfZ7uPr3q6S1KPJjvGl1Y3D1Sd2mibZjKRWXxZOnPD81N5MV1Wp6/OWS1sbRf
57MU6xC+aanNh4Y4Sj+8Io9buIRKGKpXuZyEJ6AL8yegAx+h8v8qexkxAoGBAKqA
aldYZSVJiBYXYIKF5vDhZ/ag7SbmERNBgY0jvvl0qNNDQHAy7atpM730oxKdhmeE
UkSCamEY6cZidPkH/PuH/QQ0z2qBtYt5q9yZO6oLc42N5uaBsukHMcttoBiE/pC9
2ZrIeetKylWF6PEeGvsPNT3JQjnbdO3qJBjYuMTJAoGAL5nKsCDAKirCYo0qpH+1
NMyt/fI3Ay4qGIoa+hT4+RAANcLTSv6xwOTmiyGcdk0fiPLUu2V2YGEGRSgyM6Hj
Mu1QftYcNjcqYoTV/00xPdNElJ8lV2ILN7qJHsvJADsfttbUYDbuILB1CEVTAUxu
iJDSN074nPX3MP7aegQvLm4=
-----END PRIVATE KEY-----
";
const RSA_512: &str = "\
-----BEGIN PRIVATE KEY-----
MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEA9RRG516N94rEmPcw
fWs3dlqWPVCApmrQvv3GRsPEJAAsSWg8HHaeoyOIrKsfmfrTWgwRtfw5xizwOx/2
8c3ETwIDAQABAkEA8oONIhhT3VeI8WDxr7nv2QMM1kGZ/JOIWuZeVNoVdhRx9Pr9
f+mDYD3YIIgORPqxijS5wsM9KSgmsjB/jpLwsQIhAP6BhZBTFuDS+h2RJMFpVUwf
oRn4iHTEyrH2+5GRvDknAiEA9oSWpuVirmQkKKpdZMAql8LBg1mHZZm0gop9b+Id
BJkCIQCWmxLsyx6YwICeCowToD+Hopf1BGvLncDM+3j3NaSKtQIhAN/JgZHEzw6N
Lh4UenAJ2yCl1lJNJhLfs/SFkFXPKJSRAiAVy09A2VSknnsec48i5zrnFU7KpwJW
REMToIHSyM7Xjw==
-----END PRIVATE KEY-----
";
const EC_P256: &str = "\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNphJ2BZotvFxqHnq
zbhwC4be8v5x/uTcAm75zzfGJKChRANCAAQdYbu8gNkvTXzC7+SQ2OQ/qZIxx+zV
Bjz/wIzjsr5lEWcVyLjda4lBN4saTLzkl55UbiJlnS4TmK6kf3vMwZq1
-----END PRIVATE KEY-----
";
const ED25519: &str = "\
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIDFGmGjOHEZIgRQCrpuE+FOwcBcICiqK7zqixCVPUBgV
-----END PRIVATE KEY-----
";
const RSA_512_PKCS1: &str = "\
-----BEGIN RSA PRIVATE KEY-----
MIIBPAIBAAJBAPUURudejfeKxJj3MH1rN3Zalj1QgKZq0L79xkbDxCQALEloPBx2
nqMjiKyrH5n601oMEbX8OcYs8Dsf9vHNxE8CAwEAAQJBAPKDjSIYU91XiPFg8a+5
79kDDNZBmfyTiFrmXlTaFXYUcfT6/X/pg2A92CCIDkT6sYo0ucLDPSkoJrIwf46S
8LECIQD+gYWQUxbg0vodkSTBaVVMH6EZ+Ih0xMqx9vuRkbw5JwIhAPaElqblYq5k
JCiqXWTAKpfCwYNZh2WZtIKKfW/iHQSZAiEAlpsS7MsemMCAngqME6A/h6KX9QRr
y53AzPt49zWkirUCIQDfyYGRxM8OjS4eFHpwCdsgpdZSTSYS37P0hZBVzyiUkQIg
FctPQNlUpJ57HnOPIuc65xVOyqcCVkRDE6CB0sjO148=
-----END RSA PRIVATE KEY-----
";
