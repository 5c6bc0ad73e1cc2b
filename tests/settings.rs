//! Settings: reading stored and managed values, merging, validating the
//! admin's input, and recognizing pages on custom hosts (and nothing else).

use keyferry::catalog;
use keyferry::protocol::CandidateFacts;
use keyferry::recognize;
use keyferry::settings::{self, CustomHost, CustomKind, Effective, Partial, Raw};
use keyferry::validate::DataCenter;

fn partial(json: &str, source: &str) -> Partial {
    let raw: Raw = serde_json::from_str(json).expect("valid JSON");
    Partial::from_raw(raw, source)
}

fn host(kind: CustomKind, h: &str) -> CustomHost {
    CustomHost { kind, host: h.into() }
}

#[test]
fn empty_storage_gives_defaults() {
    let e = Effective::merge(partial("{}", "saved"), partial("{}", "policy"));
    // Unknown is not US: nothing is chosen until the admin (or a policy) does.
    assert_eq!(e.settings.data_center, None);
    assert_eq!(e.settings.vault_minutes, 15);
    assert!(e.settings.custom_hosts.is_empty());
    assert!(e.problems.is_empty());
    assert_eq!(e.vault_ttl_ms(), 15 * 60_000);
}

#[test]
fn stored_values_are_read_and_bad_ones_explained_not_fatal() {
    let p = partial(
        r#"{"data_center":"eu","vault_minutes":1,"custom_hosts":[{"kind":"okta_admin","host":"Admin.Example.COM"}],"unknown_key":3}"#,
        "saved settings",
    );
    assert_eq!(p.data_center, Some(DataCenter::Eu));
    assert_eq!(p.vault_minutes, Some(1));
    assert_eq!(p.custom_hosts, Some(vec![host(CustomKind::OktaAdmin, "admin.example.com")]));
    assert!(p.problems.is_empty(), "{:?}", p.problems);

    let bad = partial(
        r#"{"data_center":"mars","vault_minutes":"ten","custom_hosts":[{"kind":"jira","host":"x.example.com"},{"kind":"workato","host":"evil.okta.com.example.net"},7,{"kind":"salesforce","host":"login.example.org"}]}"#,
        "saved settings",
    );
    assert_eq!(bad.data_center, None);
    assert_eq!(bad.vault_minutes, None);
    assert_eq!(bad.custom_hosts, Some(vec![host(CustomKind::Salesforce, "login.example.org")]));
    assert_eq!(bad.problems.len(), 5, "{:?}", bad.problems);
    assert!(bad.problems.iter().all(|p| p.starts_with("saved settings: ")));
    // Whole wrong types at the top level do not panic either.
    let worse = partial(r#"{"data_center":5,"vault_minutes":null,"custom_hosts":"x"}"#, "s");
    assert_eq!((worse.data_center, worse.vault_minutes), (None, None));
    assert_eq!(worse.custom_hosts, Some(vec![]));
}

#[test]
fn out_of_range_minutes_are_clamped_with_a_note() {
    let p = partial(r#"{"vault_minutes":100000}"#, "s");
    assert_eq!(p.vault_minutes, Some(480));
    assert_eq!(p.problems.len(), 1);
    let p = partial(r#"{"vault_minutes":0}"#, "s");
    assert_eq!(p.vault_minutes, Some(1));
    let p = partial(r#"{"vault_minutes":2.5}"#, "s");
    assert_eq!(p.vault_minutes, None);
}

#[test]
fn managed_values_win_and_are_marked() {
    let local = partial(
        r#"{"data_center":"eu","vault_minutes":30,"custom_hosts":[{"kind":"workato","host":"workato.example.com"},{"kind":"okta_admin","host":"admin.example.com"}]}"#,
        "saved",
    );
    let managed = partial(r#"{"data_center":"jp","custom_hosts":[{"kind":"okta_admin","host":"admin.example.com"}]}"#, "policy");
    let e = Effective::merge(local, managed);
    assert_eq!(e.settings.data_center, Some(DataCenter::Jp));
    assert!(e.data_center_managed);
    assert_eq!(e.settings.vault_minutes, 30);
    assert!(!e.vault_minutes_managed);
    assert_eq!(
        e.settings.custom_hosts,
        vec![host(CustomKind::OktaAdmin, "admin.example.com"), host(CustomKind::Workato, "workato.example.com")]
    );
    assert!(e.is_managed_host("admin.example.com"));
    // What the options page writes back holds only the admin's own host.
    assert_eq!(e.local_part().custom_hosts, vec![host(CustomKind::Workato, "workato.example.com")]);
}

#[test]
fn host_input_is_validated_with_clear_messages() {
    let ok = settings::validate_host(CustomKind::OktaAdmin, "  https://Admin.Example.com./admin/dashboard ").unwrap();
    assert_eq!(ok.host, "admin.example.com");
    assert_eq!(ok.pattern(), "https://admin.example.com/*");
    assert_eq!(ok.script_id(), "kf-custom-admin.example.com");
    for (input, code) in [
        ("", "settings.host_empty"),
        ("http://admin.example.com", "settings.host_scheme"),
        ("admin.example.com:8443", "settings.host_port"),
        ("user@admin.example.com", "settings.host_userinfo"),
        ("*.example.com", "settings.host_wildcard"),
        ("exa mple.com", "settings.host_syntax"),
        ("bad..example.com", "settings.host_syntax"),
        ("-bad.example.com", "settings.host_syntax"),
        ("ådmin.example.com", "settings.host_syntax"),
        ("intranet", "settings.host_single_label"),
        ("10.0.0.1", "settings.host_ip"),
        ("acme-admin.okta.com", "settings.host_builtin"),
        ("acme.my.salesforce.com", "settings.host_builtin"),
        ("app.workato.com", "settings.host_builtin"),
        ("www.workato.com", "settings.host_builtin"),
        ("acme.workflows.okta.mil", "settings.host_builtin"),
        ("acme.workflows.okta.mil.evil.example", "settings.host_lookalike"),
        ("acme-admin.okta.com.evil.example", "settings.host_lookalike"),
        ("login.salesforce.com.example.net", "settings.host_lookalike"),
    ] {
        let e = settings::validate_host(CustomKind::Salesforce, input).expect_err(input);
        assert_eq!(e.code, code, "{input}: {}", e.message);
        assert!(!e.message.is_empty() && !e.fix.is_empty(), "{input}");
    }
    // Punycode is the form browsers use: accepted.
    assert!(settings::validate_host(CustomKind::Workato, "xn--bcher-kva.example").is_ok());
}

#[test]
fn minutes_input_is_validated() {
    assert_eq!(settings::validate_minutes(" 1 "), Ok(1));
    assert_eq!(settings::validate_minutes("480"), Ok(480));
    assert_eq!(settings::validate_minutes("0").unwrap_err().code, "settings.minutes_range");
    assert_eq!(settings::validate_minutes("481").unwrap_err().code, "settings.minutes_range");
    assert_eq!(settings::validate_minutes("ten").unwrap_err().code, "settings.minutes_number");
    assert_eq!(settings::validate_minutes("").unwrap_err().code, "settings.minutes_number");
    assert_eq!(settings::validate_minutes("-5").unwrap_err().code, "settings.minutes_number");
}

fn ids(url: &str, custom: &[CustomHost]) -> Vec<&'static str> {
    recognize::candidates(url, custom).into_iter().map(|p| p.id).collect()
}

#[test]
fn custom_hosts_are_recognized_for_their_console_only() {
    let okta = [host(CustomKind::OktaAdmin, "admin.example.com")];
    let tokens = "https://admin.example.com/admin/access/api/tokens";
    assert!(ids(tokens, &[]).is_empty(), "not without the setting");
    assert_eq!(ids(tokens, &okta), vec!["okta.api.tokens"]);
    assert!(recognize::host_allowed(tokens, &okta));
    assert!(!recognize::host_allowed(tokens, &[]));
    // The same host configured for another console does not serve Okta pages.
    let wk = [host(CustomKind::Workato, "admin.example.com")];
    assert!(ids(tokens, &wk).is_empty());
    // Workflows pages are not served by an Okta admin domain.
    assert!(ids("https://admin.example.com/app/connections/new", &okta).iter().all(|p| !p.starts_with("workflows.")));
    // A private Workato instance serves the Workato page.
    let w = [host(CustomKind::Workato, "workato.example.com")];
    let wk_url = catalog::page("workato.connection.new").unwrap().nav_hint.replace("{org}", "workato.example.com");
    assert_eq!(ids(&wk_url, &w), vec!["workato.connection.new"]);
    // Lookalikes and neighbours stay refused: exact host only.
    for url in [
        "https://admin.example.com.evil.test/admin/access/api/tokens",
        "https://evil-admin.example.com/admin/access/api/tokens",
        "https://x.admin.example.com/admin/access/api/tokens",
        "https://admin.example.co/admin/access/api/tokens",
        "http://admin.example.com/admin/access/api/tokens",
        "https://admin.example.com:8443/admin/access/api/tokens",
    ] {
        assert!(ids(url, &okta).is_empty(), "{url}");
        assert!(!recognize::host_allowed(url, &okta), "{url}");
    }
    // Recognition (landmark stage) also accepts the custom host.
    let page = catalog::page("okta.api.tokens").unwrap();
    let facts =
        [CandidateFacts { page: page.id.into(), landmarks: vec![true; page.landmarks.len()], fields: vec![] }];
    assert_eq!(recognize::recognize(tokens, &facts, &okta).map(|p| p.id), Some("okta.api.tokens"));
    assert!(recognize::recognize(tokens, &facts, &[]).is_none());
}

#[test]
fn salesforce_custom_domain_serves_setup_pages() {
    let sf = [host(CustomKind::Salesforce, "setup.example.org")];
    let url = "https://setup.example.org/app/mgmt/forceconnectedapps/forceAppEdit.apexp";
    assert!(ids(url, &sf).contains(&"salesforce.connected_app.edit"));
    assert!(ids(url, &[]).is_empty());
    let okta = [host(CustomKind::OktaAdmin, "setup.example.org")];
    assert!(ids(url, &okta).is_empty());
}

fn decode_json(text: &str) -> Result<keyferry::protocol::ToBackground, keyferry::protocol::Rejection> {
    keyferry::protocol::decode(&mut serde_json::Deserializer::from_str(text))
}

#[test]
fn popup_and_options_messages_decode_strictly() {
    use keyferry::protocol::{Rejection, ToBackground, UiRequest};
    let ok = |t: &str| match decode_json(t) {
        Ok(ToBackground::Ui { request }) => request,
        other => panic!("{t}: {other:?}"),
    };
    assert_eq!(ok(r#"{"v":1,"msg":{"ui":{"request":"settings"}}}"#), UiRequest::Settings);
    assert_eq!(ok(r#"{"v":1,"msg":{"ui":{"request":"forget_all"}}}"#), UiRequest::ForgetAll);
    assert_eq!(
        ok(r#"{"v":1,"msg":{"ui":{"request":{"popup":{"integration":null}}}}}"#),
        UiRequest::Popup { integration: None }
    );
    let save = r#"{"v":1,"msg":{"ui":{"request":{"save_settings":{"settings":{"data_center":"eu","vault_minutes":5,"custom_hosts":[{"kind":"workato","host":"w.example.com"}]}}}}}}"#;
    assert!(matches!(ok(save), UiRequest::SaveSettings { .. }));
    // Unknown fields and types are refused; sizes are bounded.
    for bad in [
        r#"{"v":1,"msg":{"ui":{"request":"settings","extra":1}}}"#,
        r#"{"v":1,"msg":{"ui":{"request":{"copy":{"integration":"x"}}}}}"#,
        r#"{"v":1,"msg":{"ui":{"request":{"popup":{"integration":7}}}}}"#,
        r#"{"v":1,"msg":{"ui":{"request":"reveal_everything"}}}"#,
    ] {
        assert!(matches!(decode_json(bad), Err(Rejection::Malformed(_))), "{bad}");
    }
    let long_host = format!(
        r#"{{"v":1,"msg":{{"ui":{{"request":{{"save_settings":{{"settings":{{"data_center":"eu","vault_minutes":5,"custom_hosts":[{{"kind":"workato","host":"{}"}}]}}}}}}}}}}}}"#,
        "a".repeat(400)
    );
    assert_eq!(decode_json(&long_host), Err(Rejection::TooLarge("host")));
    let many: Vec<String> = (0..65).map(|n| format!(r#"{{"kind":"workato","host":"h{n}.example.com"}}"#)).collect();
    let many = format!(
        r#"{{"v":1,"msg":{{"ui":{{"request":{{"save_settings":{{"settings":{{"data_center":"eu","vault_minutes":5,"custom_hosts":[{}]}}}}}}}}}}}}"#,
        many.join(",")
    );
    assert_eq!(decode_json(&many), Err(Rejection::TooLarge("custom hosts")));
}

#[test]
fn a_stored_null_data_center_is_not_chosen_and_saves_as_null() {
    let p = partial(r#"{"data_center":null,"vault_minutes":15}"#, "saved");
    assert_eq!(p.data_center, None);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let e = Effective::merge(p, partial("{}", "policy"));
    assert_eq!(e.settings.data_center, None);
    let json = serde_json::to_value(e.local_part()).unwrap();
    assert_eq!(json["data_center"], serde_json::Value::Null);
}

#[test]
fn the_data_center_in_effect_is_chosen_then_seen_then_unknown() {
    use keyferry::settings::{data_center_in_effect, DataCenterKnown::*};
    assert_eq!(data_center_in_effect(None, None), None);
    assert_eq!(data_center_in_effect(None, Some(DataCenter::Eu)), Some(Seen(DataCenter::Eu)));
    assert_eq!(data_center_in_effect(Some(DataCenter::Us), Some(DataCenter::Eu)), Some(Chosen(DataCenter::Us)));
    assert_eq!(data_center_in_effect(Some(DataCenter::Jp), None), Some(Chosen(DataCenter::Jp)));
}

#[test]
fn a_data_center_is_seen_only_on_a_workato_page_of_a_data_center_host() {
    use keyferry::settings::{data_center_seen_on, note_seen};
    let wk = catalog::page("workato.connection.new").unwrap();
    let okta = catalog::page("okta.app.wizard_web").unwrap();
    for (url, want) in [
        ("https://www.workato.com/connections/new", Some(DataCenter::Us)),
        ("https://app.workato.com/connections/new", Some(DataCenter::Us)),
        ("https://app.eu.workato.com/connections/new", Some(DataCenter::Eu)),
        ("https://app.kr.workato.com/connections/1", Some(DataCenter::Kr)),
        ("https://app.workatoapp.cn/connections/new", Some(DataCenter::Cn)),
        ("https://app.trial.workato.com/connections/new", Some(DataCenter::Trial)),
        // A private Workato instance (custom host) says nothing about it.
        ("https://workato.example.com/connections/new", None),
        ("not a url", None),
    ] {
        assert_eq!(data_center_seen_on(wk, url), want, "{url}");
    }
    // Another console's page never sets it.
    assert_eq!(data_center_seen_on(okta, "https://app.eu.workato.com/connections/new"), None);
    // The latest Workato host wins; other pages keep what was seen.
    let eu = note_seen(None, wk, "https://app.eu.workato.com/connections/new");
    assert_eq!(eu, Some(DataCenter::Eu));
    assert_eq!(note_seen(eu, okta, "https://acme-admin.okta.com/admin/apps/active"), Some(DataCenter::Eu));
    assert_eq!(note_seen(eu, wk, "https://www.workato.com/connections/new"), Some(DataCenter::Us));
}
