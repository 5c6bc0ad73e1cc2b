//! Drift: which pages differ from what keyferry knows (unrecognized
//! candidates, recognized pages with fields it cannot locate), the tab-level
//! decision the popup shows, and the page signature's assembly and redaction.
#![cfg(not(target_arch = "wasm32"))]

use keyferry::catalog::{self, PAGES};
use keyferry::drift::{
    self, clean, control_line, decode_description, for_tab, missing_fields, recognized_drift, redacted_url, signature,
    unrecognized, CandidateProbes, Control, Description, FrameDrift, MAX_CONTROLS, MAX_TEXT,
};
use keyferry::protocol::{CandidateFacts, FieldFact, FieldValue, Rejection};
use serde_json::json;

const TOKENS_DRIFT: &str = "https://acme-admin.okta.com/admin/access/api/tokens/drift";
const SERVICE: &str = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create/renamed?applicationType=SERVICE";

fn page(id: &str) -> &'static catalog::Page {
    catalog::page(id).unwrap_or_else(|| panic!("no page {id}"))
}

fn cand(id: &str, landmarks: &[bool], fields: Vec<FieldFact>) -> CandidateFacts {
    CandidateFacts { page: id.into(), landmarks: landmarks.to_vec(), fields }
}

fn fact(key: &str, value: Option<FieldValue>) -> FieldFact {
    FieldFact { key: key.into(), value }
}

fn text(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(s.into()))
}

// ------------------------------------------------------------ unrecognized

#[test]
fn a_candidate_whose_landmarks_miss_is_drift_naming_them() {
    let ids: Vec<_> = keyferry::recognize::candidates(TOKENS_DRIFT, &[]).iter().map(|p| p.id).collect();
    assert_eq!(ids, ["okta.api.tokens"], "the drift replica's URL is a candidate of the tokens page only");
    let d = unrecognized(TOKENS_DRIFT, &[cand("okta.api.tokens", &[false], vec![])], &[]).expect("drift");
    assert_eq!(d.recognized, None);
    assert_eq!(d.pages.len(), 1);
    assert_eq!(d.pages[0].page, "okta.api.tokens");
    assert_eq!(d.pages[0].landmarks.len(), 1);
    let l = &d.pages[0].landmarks[0];
    assert!(l.contains("\"Create token\" in `button, a`") && l.contains("Token Value"), "{l}");
    assert!(d.pages[0].fields.is_empty());
}

#[test]
fn a_recognized_page_is_not_unrecognized_drift() {
    assert_eq!(unrecognized(TOKENS_DRIFT, &[cand("okta.api.tokens", &[true], vec![])], &[]), None);
}

#[test]
fn only_the_landmarks_that_missed_are_named() {
    let p = page("workato.connection.new");
    assert!(p.landmarks.len() >= 2);
    let url = "https://app.workato.com/connections/new";
    assert!(keyferry::recognize::candidates(url, &[]).iter().any(|c| c.id == p.id), "{url} is a candidate of {}", p.id);
    let mut hits = vec![false; p.landmarks.len()];
    hits[0] = true;
    let d = unrecognized(url, &[cand(p.id, &hits, vec![])], &[]).expect("drift");
    assert_eq!(d.pages[0].landmarks.len(), p.landmarks.len() - 1);
    assert!(!d.pages[0].landmarks.contains(&drift::describe_landmark(&p.landmarks[0])));
    assert!(d.pages[0].landmarks.contains(&drift::describe_landmark(&p.landmarks[1])));
}

#[test]
fn no_drift_without_a_candidate_of_this_url() {
    // Facts naming a page whose URL does not match, an unknown page, or none.
    assert_eq!(unrecognized(TOKENS_DRIFT, &[cand("workato.connection.new", &[false], vec![])], &[]), None);
    assert_eq!(unrecognized(TOKENS_DRIFT, &[cand("no.such.page", &[false], vec![])], &[]), None);
    assert_eq!(unrecognized(TOKENS_DRIFT, &[], &[]), None);
    assert_eq!(
        unrecognized("https://evil.test/admin/access/api/tokens", &[cand("okta.api.tokens", &[false], vec![])], &[]),
        None
    );
}

#[test]
fn short_landmark_facts_count_as_missed_not_hit() {
    let d = unrecognized(TOKENS_DRIFT, &[cand("okta.api.tokens", &[], vec![])], &[]).expect("drift");
    assert_eq!(d.pages[0].landmarks.len(), 1);
}

// ---------------------------------------------------------- missing fields

#[test]
fn a_recognized_page_with_a_field_not_located_is_drift() {
    let p = page("okta.app.wizard_service");
    let facts = [fact("name", None)];
    assert_eq!(missing_fields(p, None, &facts).iter().map(|f| f.key).collect::<Vec<_>>(), ["name"]);
    let d = recognized_drift(p, None, &facts).expect("drift");
    assert_eq!(d.recognized, Some("okta.app.wizard_service"));
    assert_eq!(d.pages[0].fields, ["App integration name"]);
    // Reported absent altogether: the same.
    assert!(recognized_drift(p, None, &[]).is_some());
}

#[test]
fn a_located_field_is_never_drift_whatever_its_value() {
    let p = page("okta.app.wizard_service");
    for v in [text(""), text("x"), Some(FieldValue::Checked(false)), Some(FieldValue::Choice(String::new()))] {
        assert_eq!(recognized_drift(p, None, &[fact("name", v.clone())]), None, "{v:?}");
    }
}

#[test]
fn capture_fields_are_not_drift_values_show_only_after_a_reveal() {
    let p = page("okta.api.tokens");
    assert!(p.captures.iter().any(|c| c.field == "token_value"));
    assert_eq!(recognized_drift(p, None, &[fact("token_value", None)]), None);
}

#[test]
fn workato_credential_fields_count_only_for_the_chosen_auth_type() {
    let p = page("workato.connection.new");
    let common = |auth: &str| {
        vec![
            fact("name", text("Okta")),
            fact("location", Some(FieldValue::Choice("Home".into()))),
            fact("auth_type", Some(FieldValue::Choice(auth.into()))),
            fact("domain", text("")),
            fact("client_id", None),
            fact("client_secret", None),
            fact("private_key", None),
            fact("api_key", None),
            fact("scopes", None),
        ]
    };
    // No integration decided: only what every Workato integration checks.
    let none = missing_fields(p, None, &common("")).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(
        !none.contains(&"client_secret") && !none.contains(&"api_key") && !none.contains(&"private_key"),
        "{none:?}"
    );
    // The API-key integration: its key field is expected; the OAuth ones are not.
    let key = catalog::INTEGRATIONS
        .iter()
        .find(|i| i.auth_type == Some(catalog::AuthType::ApiKey) && i.steps.iter().any(|s| s.page == p.id))
        .expect("an API-key Workato integration");
    let got = missing_fields(p, Some(key), &common("API key")).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(got.contains(&"api_key"), "{got:?}");
    assert!(!got.contains(&"client_secret") && !got.contains(&"private_key"), "{got:?}");
    // With the key field there, nothing is missing for it.
    let mut facts = common("API key");
    facts.iter_mut().find(|f| f.key == "api_key").unwrap().value = text("");
    let got = missing_fields(p, Some(key), &facts).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(!got.contains(&"api_key"), "{got:?}");
}

#[test]
fn salesforce_oauth_fields_are_expected_only_once_oauth_is_enabled() {
    let p = page("salesforce.connected_app.edit");
    let base = |on: bool| {
        let mut f: Vec<FieldFact> = p.fields.iter().map(|f| fact(f.key, None)).collect();
        f.iter_mut().find(|x| x.key == "name").unwrap().value = text("Okta");
        f.iter_mut().find(|x| x.key == "contact_email").unwrap().value = text("a@b.example");
        f.iter_mut().find(|x| x.key == "oauth_enabled").unwrap().value = Some(FieldValue::Checked(on));
        f
    };
    assert!(missing_fields(p, None, &base(false)).is_empty(), "OAuth off: its section is not there");
    let on = missing_fields(p, None, &base(true)).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(on.contains(&"callback_url"), "OAuth on: the callback URL must be there: {on:?}");
    // The gate itself missing: the gate is drift, what is behind it is not claimed.
    let mut f = base(false);
    f.iter_mut().find(|x| x.key == "oauth_enabled").unwrap().value = None;
    let got = missing_fields(p, None, &f).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(got.contains(&"oauth_enabled") && !got.contains(&"callback_url"), "{got:?}");
}

#[test]
fn every_oauth_control_of_an_external_client_app_waits_for_enable_oauth() {
    // The ECA form draws its OAuth section (Refresh Token Rotation included)
    // only once "Enable OAuth" is checked: none of it is drift before that.
    let p = page("salesforce.external_client_app.settings");
    let facts = |on: bool| -> Vec<FieldFact> {
        p.fields
            .iter()
            .map(|f| match f.key {
                "name" => fact("name", text("Okta")),
                "contact_email" => fact("contact_email", text("a@b.example")),
                "oauth_enabled" => fact("oauth_enabled", Some(FieldValue::Checked(on))),
                k => fact(k, None),
            })
            .collect()
    };
    assert_eq!(recognized_drift(p, None, &facts(false)), None);
    let on = missing_fields(p, None, &facts(true)).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(on.contains(&"refresh_rotation") && on.contains(&"pkce"), "{on:?}");
}

#[test]
fn fields_shown_together_count_once_one_of_them_is_there() {
    let p = page("okta.salesforce.provisioning");
    // The tab before "Configure API Integration": neither credential field.
    assert_eq!(recognized_drift(p, None, &[fact("consumer_key", None), fact("consumer_secret", None)]), None);
    // The form is open but the secret's field is gone: drift, naming it.
    let d = recognized_drift(p, None, &[fact("consumer_key", text("")), fact("consumer_secret", None)]).expect("drift");
    assert_eq!(d.pages[0].fields, ["OAuth Consumer Secret"]);
    for (page_id, group) in drift::TOGETHER {
        let p = page(page_id);
        for k in *group {
            assert!(p.fields.iter().any(|f| f.key == *k), "{page_id} has no field {k}");
        }
    }
}

#[test]
fn okta_application_type_is_expected_once_a_sign_in_method_is_chosen() {
    let p = page("okta.app.create_dialog");
    let facts =
        |method: &str| vec![fact("sign_in_method", Some(FieldValue::Choice(method.into()))), fact("app_type", None)];
    let missing = |f: &[FieldFact]| missing_fields(p, None, f).into_iter().map(|f| f.key).collect::<Vec<_>>();
    assert!(!missing(&facts("")).contains(&"app_type"));
    let oidc = catalog::INTEGRATIONS
        .iter()
        .find(|i| {
            keyferry::drift::GATES.iter().any(|g| g.0 == p.id)
                && i.steps.iter().any(|s| s.page == p.id && s.requirements.contains(&"okta.wizard.app_type_web"))
        })
        .expect("an integration that checks the application type");
    let got: Vec<_> =
        missing_fields(p, Some(oidc), &facts("OIDC - OpenID Connect")).into_iter().map(|f| f.key).collect();
    assert_eq!(got, ["app_type"]);
}

#[test]
fn every_page_with_all_fields_located_has_no_drift() {
    for p in PAGES.iter() {
        let facts: Vec<FieldFact> = p.fields.iter().map(|f| fact(f.key, text(""))).collect();
        assert_eq!(recognized_drift(p, None, &facts), None, "{}", p.id);
        for i in catalog::integrations_for_page(p.id) {
            assert_eq!(recognized_drift(p, Some(i), &facts), None, "{} / {}", p.id, i.id);
        }
    }
}

#[test]
fn every_page_with_no_field_located_names_some_field_or_has_none_to_expect() {
    // Not a false ok: a page whose form vanished says so (unless every field
    // is a capture, gated or out of scope, which the catalog shows).
    let mut named = 0;
    for p in PAGES.iter() {
        if let Some(d) = recognized_drift(p, None, &[]) {
            assert!(!d.pages[0].fields.is_empty());
            named += 1;
        }
    }
    assert!(named >= PAGES.len() / 2, "only {named} of {} pages would report a vanished form", PAGES.len());
}

// ------------------------------------------------------------------- tabs

#[test]
fn the_popup_shows_a_tabs_drift_only_when_no_frame_is_recognized() {
    let d = unrecognized(TOKENS_DRIFT, &[cand("okta.api.tokens", &[false], vec![])], &[]).unwrap();
    let f = |frame, recognized, drift| FrameDrift { frame, recognized, drift };
    assert_eq!(for_tab(&[]), None);
    assert_eq!(for_tab(&[f(0, false, Some(&d))]).map(|x| x.0), Some(0));
    // A wrapper whose URL is a candidate while the page sits in a recognized frame.
    assert_eq!(for_tab(&[f(0, false, Some(&d)), f(7, true, None)]), None);
    // The top frame first, else the lowest frame id.
    assert_eq!(for_tab(&[f(9, false, Some(&d)), f(3, false, Some(&d))]).map(|x| x.0), Some(3));
    assert_eq!(for_tab(&[f(3, false, Some(&d)), f(0, false, Some(&d))]).map(|x| x.0), Some(0));
}

// -------------------------------------------------------------- signature

const SECRET: &str = "S3CR3T-value-never-copied";

fn control(tag: &str, kind: Option<&str>, id: &str, label: &str) -> Control {
    Control {
        tag: tag.into(),
        kind: kind.map(Into::into),
        role: None,
        id: Some(id.into()),
        name: Some(format!("{id}_name")),
        label: Some(label.into()),
        aria: Some(format!("{label} aria")),
    }
}

fn description() -> Description {
    Description {
        candidates: vec![CandidateProbes {
            page: "okta.api.tokens".into(),
            landmarks: vec![vec![false, false]],
            fields: vec![vec![false]],
        }],
        controls: vec![
            control("input", Some("text"), "kf-text", "Display name"),
            control("input", Some("password"), "kf-pass", "Password label"),
            control("input", Some("PassWord "), "kf-pass2", "Odd password label"),
            control("TEXTAREA", None, "kf-area", "Notes label"),
            control("select", None, "kf-sel", "Scope"),
            control("div", None, "kf-edit", "Editable"),
        ],
        headings: vec!["API Tokens".into(), "  Generate   API key ".into()],
        truncated: false,
    }
}

fn sig() -> String {
    let d = unrecognized(TOKENS_DRIFT, &[cand("okta.api.tokens", &[false], vec![])], &[]).unwrap();
    let candidates = keyferry::recognize::candidates(TOKENS_DRIFT, &[]);
    signature(
        &format!("{TOKENS_DRIFT}?session={SECRET}#access_token={SECRET}"),
        &candidates,
        None,
        Some(&d),
        &description(),
    )
}

#[test]
fn the_signature_names_candidates_landmarks_locators_and_controls() {
    let s = sig();
    assert!(s.contains("candidates: okta.api.tokens"), "{s}");
    assert!(s.contains("recognized: no"), "{s}");
    assert!(s.contains("landmark 1: MISS"), "{s}");
    assert!(s.contains("miss \"Create token\" in `button, a`"), "{s}");
    assert!(s.contains("field token_value"), "{s}");
    assert!(s.contains("NOT LOCATED"), "{s}");
    assert!(s.contains("drift: okta.api.tokens landmarks not found"), "{s}");
    for id in ["kf-text", "kf-pass", "kf-pass2", "kf-area", "kf-sel", "kf-edit"] {
        assert!(s.contains(&format!("id=\"{id}\"")), "{id} in {s}");
        assert!(s.contains(&format!("name=\"{id}_name\"")), "{id} in {s}");
    }
    assert!(s.contains("label=\"Display name\""), "{s}");
    assert!(s.contains("- \"Generate API key\""), "{s}");
}

#[test]
fn the_signature_drops_password_and_textarea_labels_and_url_values() {
    let s = sig();
    for gone in ["Password label", "Odd password label", "Notes label", SECRET] {
        assert!(!s.contains(gone), "{gone:?} in {s}");
    }
    assert!(s.contains("url: https://acme-admin.okta.com/admin/access/api/tokens/drift?session=…#…"), "{s}");
}

#[test]
fn control_lines_are_cleaned_and_bounded() {
    let c = Control {
        tag: "in<put>\"".into(),
        kind: Some("te\nxt".into()),
        role: Some("text box".into()),
        id: Some(format!("a\u{202e}b\n{}", "x".repeat(400))),
        name: None,
        label: Some("  many   spaces\t".into()),
        aria: None,
    };
    let line = control_line(&c);
    assert!(line.starts_with("input type=text role=textbox id=\"ab x"), "{line}");
    assert!(line.contains("label=\"many spaces\""), "{line}");
    assert!(!line.contains('\n') && !line.contains('\u{202e}'), "{line}");
    assert!(line.chars().count() < 2 * MAX_TEXT + 60, "{line}");
    assert_eq!(clean(&"é".repeat(MAX_TEXT + 5)).chars().count(), MAX_TEXT + 1);
}

#[test]
fn the_signature_lists_at_most_the_bound_of_controls() {
    let mut d = description();
    d.controls = (0..MAX_CONTROLS + 50).map(|i| control("input", Some("text"), &format!("c{i}"), "L")).collect();
    let s = signature(TOKENS_DRIFT, &keyferry::recognize::candidates(TOKENS_DRIFT, &[]), None, None, &d);
    assert!(s.contains(&format!("## controls ({MAX_CONTROLS}, more not listed)")), "{s}");
    assert!(s.contains(&format!("id=\"c{}\"", MAX_CONTROLS - 1)));
    assert!(!s.contains(&format!("id=\"c{}\"", MAX_CONTROLS)));
}

#[test]
fn redacted_urls_keep_no_query_values_or_odd_fragments() {
    assert_eq!(
        redacted_url(SERVICE),
        "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create/renamed?applicationType=…"
    );
    assert_eq!(redacted_url("not a url"), "(not a console URL)");
    assert_eq!(
        redacted_url("https://acme-admin.okta.com/admin/app/x/instance/0oa1/#tab-general"),
        "https://acme-admin.okta.com/admin/app/x/instance/0oa1/#tab-general"
    );
}

// ----------------------------------------------------------------- decode

#[test]
fn descriptions_decode_strictly_and_with_limits() {
    let ok = json!({"v": 1, "msg": {"described": {
        "candidates": [{"page": "okta.api.tokens", "landmarks": [[false, true]], "fields": [[false]]}],
        "controls": [{"tag": "input", "type": "text", "role": null, "id": "a", "name": null, "label": null, "aria": null}],
        "headings": ["h"], "truncated": false}}});
    let d = decode_description(ok.clone()).expect("decodes");
    assert_eq!(d.controls[0].id.as_deref(), Some("a"));
    // A `value` key is unknown: refused, not carried.
    let mut with_value = ok.clone();
    with_value["msg"]["described"]["controls"][0]["value"] = json!(SECRET);
    assert!(matches!(decode_description(with_value), Err(Rejection::Malformed(_))));
    let mut v2 = ok.clone();
    v2["v"] = json!(2);
    assert_eq!(decode_description(v2).unwrap_err(), Rejection::Version(2));
    let mut many = ok.clone();
    many["msg"]["described"]["controls"] = json!(vec![json!({"tag": "input"}); 513]);
    assert_eq!(decode_description(many).unwrap_err(), Rejection::TooLarge("page description"));
    let mut long = ok.clone();
    long["msg"]["described"]["controls"][0]["label"] = json!("x".repeat(2000));
    assert_eq!(decode_description(long).unwrap_err(), Rejection::TooLarge("control description"));
    let mut probes = ok;
    probes["msg"]["described"]["candidates"][0]["landmarks"] = json!(vec![vec![true; 40]]);
    assert_eq!(decode_description(probes).unwrap_err(), Rejection::TooLarge("candidate probes"));
    // Rejections do not quote what they refused.
    let bad = json!({"v": 1, "msg": {"described": {"candidates": SECRET, "controls": [], "headings": []}}});
    let why = decode_description(bad).unwrap_err().to_string();
    assert!(!why.contains(SECRET), "{why}");
}

#[test]
fn gates_name_real_fields() {
    // The gate table in drift.rs must follow the catalog.
    assert!(!drift::GATES.is_empty());
    for (page_id, gate, behind) in drift::GATES {
        let p = page(page_id);
        for k in std::iter::once(gate).chain(behind.iter()) {
            assert!(p.fields.iter().any(|f| f.key == *k), "{page_id} has no field {k}");
        }
    }
}
