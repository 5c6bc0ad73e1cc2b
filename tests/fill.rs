#![cfg(not(target_arch = "wasm32"))]
//! Fill planning and verification: empty fields are filled, equal ones left
//! alone, different ones never replaced without confirmation, absent fields
//! and missing values reported; selects, radios and checkboxes compare on
//! their own terms; a field that did not take is reported without echoing
//! the value; values leave only through the agent's instructions.

use keyferry::assemble::{assemble, AssembleContext, FormValue, FormValues, MissingValue};
use keyferry::catalog::{self, Slot, Widget};
use keyferry::fill::{plan, verify, FillPlan, SkipReason};
use keyferry::protocol::{FieldFact, FieldValue};
use keyferry::secret::Sensitive;
use proptest::prelude::*;

const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
const CLIENT_SECRET: &str = "Zk3v_9QxLr2-Tb7YwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt7Ny4Bx8Cq1Dz6Eh0Gj";
const OLD_SECRET: &str = "Nw8x_2LpQr7-Mb3YzVc9Ks4Jh6Fd1Gt0Ea5Wu3Io8Ry2Pl7Bn4Cx9Dv1Sz6Ek0Hj";
/// A throwaway test key (`openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:P-256`), generated for these tests; it protects nothing.
const PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKzveqIDatGGzn1hf
y/q/bPvLtIzZjos/HJ72w3qfOeqhRANCAASjCPPTK19je27lmTW+8dP6DX5ajnJZ
1aD84olh79mcFXTY2a44JEOv8Hp767Fh84HGfK9v8QK4mxWFQC1kwfAA
-----END PRIVATE KEY-----
";
const SECRETS: &[&str] = &[CLIENT_SECRET, "Zk3v_9Qx", OLD_SECRET, "Nw8x_2Lp", "KzveqIDatGGzn1hf"];

fn value(field: &'static str, widget: Widget, v: &str, secret: bool) -> FormValue {
    FormValue { field, label: label(field), widget, value: Sensitive::new(v), secret, origin: "test".into() }
}

fn label(field: &str) -> &'static str {
    match field {
        "client_id" => "Client ID",
        "client_secret" => "Client secret",
        "private_key" => "Private key",
        "domain" => "Okta domain",
        "auth_type" => "Authentication type",
        "location" => "Location",
        "dpop" => "DPoP",
        _ => "Some field",
    }
}

fn values(vs: Vec<FormValue>) -> FormValues {
    FormValues { page: "workato.connection.new", values: vs, missing: Vec::new() }
}

fn text(key: &str, v: &str) -> FieldFact {
    FieldFact { key: key.into(), value: Some(FieldValue::Text(v.into())) }
}

fn choice(key: &str, v: &str) -> FieldFact {
    FieldFact { key: key.into(), value: Some(FieldValue::Choice(v.into())) }
}

fn checked(key: &str, b: bool) -> FieldFact {
    FieldFact { key: key.into(), value: Some(FieldValue::Checked(b)) }
}

fn absent(key: &str) -> FieldFact {
    FieldFact { key: key.into(), value: None }
}

fn steps(p: &FillPlan) -> Vec<(&'static str, String, bool)> {
    p.steps.iter().map(|s| (s.field, s.value.reveal().to_string(), s.replaces)).collect()
}

fn skipped(p: &FillPlan) -> Vec<(&'static str, SkipReason)> {
    p.skipped.iter().map(|s| (s.field, s.reason)).collect()
}

fn step(field: &'static str, v: &str, replaces: bool) -> (&'static str, String, bool) {
    (field, v.to_string(), replaces)
}

#[track_caller]
fn no_secrets(what: &str, s: &str) {
    for needle in SECRETS {
        assert!(!s.contains(needle), "{what} shows a secret ({needle}): {s}");
    }
}

fn secret_form() -> FormValues {
    values(vec![
        value("client_id", Widget::Text, CLIENT_ID, false),
        value("client_secret", Widget::Text, CLIENT_SECRET, true),
        value("private_key", Widget::Textarea, PEM, true),
    ])
}

// ---------------------------------------------------------------- plan

fn ambiguous(key: &str, n: u32) -> FieldFact {
    FieldFact { key: key.into(), value: Some(FieldValue::Ambiguous(n)) }
}

#[test]
fn an_ambiguous_field_is_never_filled_even_when_confirmed() {
    // Two visible controls look like "Client secret": neither is written,
    // with or without "Replace them too"; the other fields are filled.
    let current = [text("client_id", ""), ambiguous("client_secret", 2), text("private_key", "")];
    for overwrite in [&[][..], &["client_secret"][..]] {
        let p = plan(&secret_form(), &current, overwrite);
        assert_eq!(steps(&p), [step("client_id", CLIENT_ID, false), step("private_key", PEM, false)]);
        assert_eq!(skipped(&p), [("client_secret", SkipReason::Ambiguous)]);
        assert_eq!(p.conflicts().count(), 0, "not a conflict the admin could confirm");
        let msg = &p.skipped[0].message;
        assert!(msg.contains("2 fields on this page look like \"Client secret\""), "{msg}");
        assert!(msg.contains("fills none"), "{msg}");
        no_secrets("the skip message", msg);
        // What the agent receives holds no step for it.
        assert!(p.instructions().iter().all(|i| i.field != "client_secret"));
    }
    // A count below 2 still reads as "2 fields" (never "1 field looks like").
    let p = plan(&secret_form(), &[ambiguous("client_secret", 0)], &[]);
    assert!(p.skipped.iter().any(|s| s.reason == SkipReason::Ambiguous && s.message.starts_with("2 fields")));
}

#[test]
fn a_field_too_large_to_read_is_never_filled_even_when_confirmed() {
    // The agent ran out of its reading budget on "Client secret" (a hostile
    // page): not written, with or without "Replace them too".
    let too_large = FieldFact { key: "client_secret".into(), value: Some(FieldValue::TooLarge) };
    let current = [text("client_id", ""), too_large, text("private_key", "")];
    for overwrite in [&[][..], &["client_secret"][..]] {
        let p = plan(&secret_form(), &current, overwrite);
        assert_eq!(steps(&p), [step("client_id", CLIENT_ID, false), step("private_key", PEM, false)]);
        assert_eq!(skipped(&p), [("client_secret", SkipReason::TooLarge)]);
        assert_eq!(p.conflicts().count(), 0, "not a conflict the admin could confirm");
        let msg = &p.skipped[0].message;
        assert!(msg.contains("too large") && msg.contains("\"Client secret\""), "{msg}");
        no_secrets("the skip message", msg);
        assert!(p.instructions().iter().all(|i| i.field != "client_secret"));
    }
    // A field that became too large to read after the fill did not take.
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", ""), text("private_key", "")], &[]);
    let r = verify(&p, &[text("client_id", CLIENT_ID), FieldFact { key: "client_secret".into(), value: Some(FieldValue::TooLarge) },
        text("private_key", PEM)]);
    assert_eq!(r.filled, ["client_id", "private_key"]);
    assert!(!r.all_took());
}

#[test]
fn a_field_that_became_ambiguous_after_the_fill_did_not_take() {
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", ""), text("private_key", "")], &[]);
    assert_eq!(p.steps.len(), 3);
    let r = verify(&p, &[text("client_id", CLIENT_ID), ambiguous("client_secret", 3), text("private_key", PEM)]);
    assert_eq!(r.filled, ["client_id", "private_key"]);
    assert_eq!(r.failed.len(), 1);
    assert_eq!(r.failed[0].field, "client_secret");
    assert!(r.failed[0].why.contains("3 fields that look like it"), "{}", r.failed[0].why);
    assert!(!r.all_took());
}

#[test]
fn empty_fields_are_filled() {
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", "  \n"), text("private_key", "")], &[]);
    assert_eq!(
        steps(&p),
        [
            step("client_id", CLIENT_ID, false),
            step("client_secret", CLIENT_SECRET, false),
            step("private_key", PEM, false)
        ]
    );
    assert!(p.skipped.is_empty());
    assert_eq!(p.page, "workato.connection.new");
    let s = &p.steps[1];
    assert_eq!((s.label, s.widget, s.secret), ("Client secret", Widget::Text, true));
}

#[test]
fn equal_fields_are_left_alone() {
    // Text compares trimmed; a textarea's CRLF line endings are the same key.
    let current = [
        text("client_id", format!("  {CLIENT_ID}\n").as_str()),
        text("client_secret", CLIENT_SECRET),
        text("private_key", PEM.replace('\n', "\r\n").trim_end()),
    ];
    let p = plan(&secret_form(), &current, &[]);
    assert!(p.steps.is_empty(), "{:?}", steps(&p));
    assert_eq!(
        skipped(&p),
        [("client_id", SkipReason::Same), ("client_secret", SkipReason::Same), ("private_key", SkipReason::Same)]
    );
    assert_eq!(p.skipped[0].message, "\"Client ID\" already holds this value.");
    assert!(p.already_complete(), "every value in place: nothing to do is a success");
}

#[test]
fn different_values_are_replaced_only_when_confirmed() {
    let current =
        [text("client_id", "0oaOTHERAPP000000000"), text("client_secret", OLD_SECRET), text("private_key", "")];
    let p = plan(&secret_form(), &current, &[]);
    assert_eq!(steps(&p), [step("private_key", PEM, false)]);
    assert_eq!(skipped(&p), [("client_id", SkipReason::Conflict), ("client_secret", SkipReason::Conflict)]);
    assert_eq!(p.conflicts().count(), 2);
    assert!(!p.already_complete());
    let msg = &p.skipped[1].message;
    assert!(msg.contains("Client secret") && msg.contains("confirm"), "{msg}");
    no_secrets("a conflict", &format!("{:?} {}", p.skipped, serde_json::to_string(&p.skipped).unwrap()));

    let p = plan(&secret_form(), &current, &["client_secret"]);
    assert_eq!(steps(&p), [step("client_secret", CLIENT_SECRET, true), step("private_key", PEM, false)]);
    assert_eq!(skipped(&p), [("client_id", SkipReason::Conflict)]);
    let p = plan(&secret_form(), &current, &["client_secret", "client_id", "domain"]);
    assert_eq!(p.steps.len(), 3);
    assert!(p.skipped.is_empty());
}

#[test]
fn absent_fields_and_missing_values_are_reported() {
    let mut fv = secret_form();
    fv.missing.push(MissingValue {
        field: "domain",
        label: "Okta domain",
        reason: "The Okta org is not known yet: capture a value in its Admin Console first.".into(),
    });
    // No fact at all for client_id; a fact without a value for the secret.
    let p = plan(&fv, &[absent("client_secret"), text("private_key", "")], &["client_id", "client_secret"]);
    assert_eq!(steps(&p), [step("private_key", PEM, false)]);
    assert_eq!(
        skipped(&p),
        [("client_id", SkipReason::NotFound), ("client_secret", SkipReason::NotFound), ("domain", SkipReason::Missing)]
    );
    assert_eq!(p.skipped[0].message, "keyferry could not find \"Client ID\" on this page.");
    assert_eq!(p.skipped[2].label, "Okta domain");
    assert!(p.skipped[2].message.starts_with("The Okta org is not known yet"));
    assert!(!p.already_complete());
    // Nothing found and nothing to write: the form is not complete, so the
    // panel says "Nothing to fill" as a problem (CI's flow 8 clicked before
    // the fields were on the page and was told so as a success).
    let none = plan(&secret_form(), &[absent("client_id"), absent("client_secret")], &[]);
    assert!(none.is_empty() && !none.already_complete());
    let json = serde_json::to_string(&p.skipped).unwrap();
    assert!(json.contains(r#""reason":"not_found""#) && json.contains(r#""reason":"missing""#), "{json}");
}

#[test]
fn selects_and_radios_compare_folded_option_text() {
    let fv = values(vec![
        value("auth_type", Widget::Select, "Authorization code grant", false),
        value("location", Widget::RadioGroup, "Home assets", false),
    ]);
    let p = plan(&fv, &[choice("auth_type", "  authorization   CODE grant "), choice("location", "home ASSETS")], &[]);
    assert!(p.steps.is_empty());
    assert_eq!(skipped(&p), [("auth_type", SkipReason::Same), ("location", SkipReason::Same)]);

    let p = plan(&fv, &[choice("auth_type", ""), choice("location", " ")], &[]);
    assert_eq!(
        steps(&p),
        [step("auth_type", "Authorization code grant", false), step("location", "Home assets", false)]
    );

    let p = plan(&fv, &[choice("auth_type", "Client credentials"), choice("location", "Project X")], &["location"]);
    assert_eq!(steps(&p), [step("location", "Home assets", true)]);
    assert_eq!(skipped(&p), [("auth_type", SkipReason::Conflict)]);
    // A custom drop-down reported as text is read the same way.
    let p = plan(&fv, &[text("auth_type", "Authorization Code Grant"), text("location", "")], &[]);
    assert_eq!(skipped(&p), [("auth_type", SkipReason::Same)]);
    assert_eq!(steps(&p), [step("location", "Home assets", false)]);
    // A choice the articles name by a phrase is right when the option's text
    // contains it ("self-authorize" / "All users may self-authorize"), and
    // only then.
    let fv = values(vec![value("location", Widget::Select, "self-authorize", false)]);
    let p = plan(&fv, &[choice("location", "All users may self-authorize")], &[]);
    assert_eq!(skipped(&p), [("location", SkipReason::Same)]);
    let p = plan(&fv, &[choice("location", "Admin approved users are pre-authorized")], &[]);
    assert_eq!(skipped(&p), [("location", SkipReason::Conflict)]);
}

#[test]
fn checkboxes_compare_with_their_state() {
    let on = values(vec![value("dpop", Widget::Checkbox, "true", false)]);
    let off = values(vec![value("dpop", Widget::Checkbox, "false", false)]);
    assert_eq!(skipped(&plan(&on, &[checked("dpop", true)], &[])), [("dpop", SkipReason::Same)]);
    assert_eq!(skipped(&plan(&off, &[checked("dpop", false)], &[])), [("dpop", SkipReason::Same)]);
    // An unchecked box counts as empty.
    assert_eq!(steps(&plan(&on, &[checked("dpop", false)], &[])), [step("dpop", "true", false)]);
    // Clearing a checked box is a change the admin must confirm.
    assert_eq!(skipped(&plan(&off, &[checked("dpop", true)], &[])), [("dpop", SkipReason::Conflict)]);
    assert_eq!(steps(&plan(&off, &[checked("dpop", true)], &["dpop"])), [step("dpop", "false", true)]);
    // "TRUE" is read as true; other words and other fact kinds are not.
    let upper = values(vec![value("dpop", Widget::Checkbox, " TRUE ", false)]);
    assert_eq!(skipped(&plan(&upper, &[checked("dpop", true)], &[])), [("dpop", SkipReason::Same)]);
    let yes = values(vec![value("dpop", Widget::Checkbox, "yes", false)]);
    assert_eq!(skipped(&plan(&yes, &[checked("dpop", false)], &[])), [("dpop", SkipReason::Unsupported)]);
    assert_eq!(skipped(&plan(&on, &[text("dpop", "")], &[])), [("dpop", SkipReason::Unsupported)]);
}

#[test]
fn unwritable_widgets_and_mismatched_facts_are_not_filled() {
    let fv = values(vec![
        value("client_id", Widget::Display, CLIENT_ID, false),
        value("client_secret", Widget::Text, CLIENT_SECRET, true),
        value("location", Widget::DualListbox, "(api)", false),
    ]);
    let current = [
        text("client_id", ""),
        checked("client_secret", false),
        FieldFact { key: "location".into(), value: Some(FieldValue::List(vec![])) },
    ];
    let p = plan(&fv, &current, &["client_id", "client_secret", "location"]);
    assert!(p.steps.is_empty(), "{:?}", steps(&p));
    assert!(p.skipped.iter().all(|s| s.reason == SkipReason::Unsupported), "{:?}", skipped(&p));
}

#[test]
fn one_decision_per_field_and_the_first_fact_counts() {
    let mut fv = secret_form();
    fv.values.push(value("client_id", Widget::Text, "0oaDUPLICATE000000000", false));
    let p =
        plan(&fv, &[text("client_id", ""), text("client_id", "0oaOTHER"), text("client_secret", CLIENT_SECRET)], &[]);
    assert_eq!(steps(&p), [step("client_id", CLIENT_ID, false)]);
    assert_eq!(skipped(&p), [("client_secret", SkipReason::Same), ("private_key", SkipReason::NotFound)]);
}

// ---------------------------------------------------------------- instructions

#[test]
fn instructions_carry_values_and_debug_hides_them() {
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", ""), text("private_key", "")], &[]);
    let ins = p.instructions();
    assert_eq!(ins.len(), 3);
    assert_eq!((ins[1].field, ins[1].widget, ins[1].value.as_str()), ("client_secret", Widget::Text, CLIENT_SECRET));
    assert_eq!(ins[2].value, PEM);
    let json = serde_json::to_string(&ins).unwrap();
    assert!(json.contains(CLIENT_SECRET), "the agent must receive the value: {json}");
    assert!(json.contains(r#""field":"private_key","widget":{"kind":"textarea"}"#), "{json}");
    // Secrets are flagged, so the agent turns the field's autocomplete off
    // (the browser would keep a textarea's text for session restore).
    assert_eq!(ins.iter().map(|i| i.secret).collect::<Vec<_>>(), [false, true, true]);
    no_secrets("instructions Debug", &format!("{ins:?} {ins:#?}"));
    no_secrets("plan Debug", &format!("{p:?} {p:#?}"));
    assert!(format!("{:?}", ins[1]).contains("<redacted, 64 chars>"));
}

// ---------------------------------------------------------------- verify

#[test]
fn verify_reports_what_took() {
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", ""), text("private_key", "")], &[]);
    let after = [text("client_id", CLIENT_ID), text("client_secret", CLIENT_SECRET), text("private_key", PEM)];
    let r = verify(&p, &after);
    assert_eq!(r.filled, ["client_id", "client_secret", "private_key"]);
    assert!(r.failed.is_empty() && r.all_took());
}

#[test]
fn verify_reports_reverted_fields_without_echoing_values() {
    let p = plan(&secret_form(), &[text("client_id", ""), text("client_secret", ""), text("private_key", "")], &[]);
    // A React input that restored its state, one that kept an old secret,
    // and a textarea gone from the page.
    let after = [text("client_id", ""), text("client_secret", OLD_SECRET)];
    let r = verify(&p, &after);
    assert!(r.filled.is_empty() && !r.all_took());
    let why: Vec<(&str, &str, &str)> = r.failed.iter().map(|f| (f.field, f.label, f.why.as_str())).collect();
    assert_eq!(
        why,
        [
            ("client_id", "Client ID", "did not take: the page kept it empty."),
            ("client_secret", "Client secret", "did not take: the page kept another value, ••••••••(64)."),
            ("private_key", "Private key", "could not read \"Private key\" back: the field is no longer on the page."),
        ]
    );
    no_secrets("the report", &format!("{r:?} {}", serde_json::to_string(&r).unwrap()));

    // A value cut by a length limit.
    let r = verify(
        &p,
        &[text("client_id", CLIENT_ID), text("client_secret", &CLIENT_SECRET[..40]), text("private_key", PEM)],
    );
    assert_eq!(r.filled, ["client_id", "private_key"]);
    assert_eq!(
        r.failed[0].why,
        "did not take: the page kept only the first 40 of 64 characters (the field may limit the length)."
    );
    no_secrets("the report", &format!("{r:?}"));
}

#[test]
fn verify_reads_choices_and_boxes() {
    let fv = values(vec![
        value("auth_type", Widget::Select, "Client credentials", false),
        value("dpop", Widget::Checkbox, "true", false),
    ]);
    let p = plan(&fv, &[choice("auth_type", "Authorization code grant"), checked("dpop", false)], &["auth_type"]);
    assert_eq!(p.steps.len(), 2);
    let r = verify(&p, &[choice("auth_type", "client CREDENTIALS"), checked("dpop", true)]);
    assert_eq!(r.filled, ["auth_type", "dpop"]);
    let r = verify(&p, &[choice("auth_type", "Authorization code grant"), checked("dpop", false)]);
    let why: Vec<&str> = r.failed.iter().map(|f| f.why.as_str()).collect();
    assert_eq!(
        why,
        [
            "did not take: the page kept \"authorization code grant\" chosen.",
            "did not take: the page kept the box unchecked."
        ]
    );
}

// ---------------------------------------------------------------- with assembly

#[test]
fn plans_the_workato_form_from_assembled_values() {
    let (id, secret) = (Sensitive::new(CLIENT_ID), Sensitive::new(CLIENT_SECRET));
    let vault = [(Slot::OktaClientId, &id), (Slot::OktaClientSecret, &secret)];
    let ctx = AssembleContext { okta_admin_host: Some("acme-admin.okta.com".into()), ..AssembleContext::default() };
    let integ = catalog::integration("workato-okta-auth-code").unwrap();
    let fv = assemble(integ, &vault, catalog::page("workato.connection.new").unwrap(), &ctx);
    let current = [
        text("name", "My Okta"),
        choice("auth_type", "Authorization code grant"),
        text("domain", ""),
        text("client_id", ""),
        text("client_secret", OLD_SECRET),
        absent("scopes"),
    ];
    let p = plan(&fv, &current, &[]);
    assert_eq!(steps(&p), [step("domain", "acme.okta.com", false), step("client_id", CLIENT_ID, false)]);
    assert_eq!(
        skipped(&p),
        [
            ("name", SkipReason::Conflict),
            ("auth_type", SkipReason::Same),
            ("scopes", SkipReason::NotFound),
            ("client_secret", SkipReason::Conflict),
        ]
    );
    let p = plan(&fv, &current, &["client_secret"]);
    assert!(p.steps.iter().any(|s| s.field == "client_secret" && s.replaces && s.secret));
}

// ---------------------------------------------------------------- property

const FIELDS: &[(&str, Widget)] = &[
    ("name", Widget::Text),
    ("client_secret", Widget::Text),
    ("private_key", Widget::Textarea),
    ("auth_type", Widget::Select),
    ("location", Widget::RadioGroup),
    ("dpop", Widget::Checkbox),
    ("scopes", Widget::DualListbox),
];

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("Value".to_string()),
        Just(" value ".to_string()),
        "[a-zA-Z \\t\\r\\n•…]{0,12}",
        any::<String>(),
    ]
}

fn arb_fact_value() -> impl Strategy<Value = Option<FieldValue>> {
    prop_oneof![
        Just(None),
        arb_text().prop_map(|s| Some(FieldValue::Text(s))),
        arb_text().prop_map(|s| Some(FieldValue::Choice(s))),
        any::<bool>().prop_map(|b| Some(FieldValue::Checked(b))),
        prop::collection::vec(arb_text(), 0..3).prop_map(|l| Some(FieldValue::List(l))),
        (2u32..5).prop_map(|n| Some(FieldValue::Ambiguous(n))),
        Just(Some(FieldValue::TooLarge)),
    ]
}

/// The field as the proptest sees it: nothing there that planning may
/// overwrite unasked.
fn is_blank(v: &FieldValue) -> bool {
    match v {
        FieldValue::Text(s) | FieldValue::Choice(s) => s.trim().is_empty(),
        FieldValue::Checked(b) => !b,
        FieldValue::List(l) => l.is_empty(),
        FieldValue::Rows(r) => r.is_empty(),
        FieldValue::Ambiguous(_) | FieldValue::TooLarge => false,
    }
}

proptest! {
    #[test]
    fn plan_never_overwrites_unasked(
        planned in prop::collection::vec((0..FIELDS.len(), arb_text(), any::<bool>()), 0..8),
        current in prop::collection::vec((0..FIELDS.len(), arb_fact_value()), 0..10),
        overwrite in prop::collection::vec(0..FIELDS.len(), 0..3),
    ) {
        let fv = values(
            planned
                .iter()
                .map(|(i, v, secret)| value(FIELDS[*i].0, FIELDS[*i].1, v, *secret))
                .collect(),
        );
        let facts: Vec<FieldFact> =
            current.iter().map(|(i, v)| FieldFact { key: FIELDS[*i].0.into(), value: v.clone() }).collect();
        let overwrite: Vec<&str> = overwrite.iter().map(|i| FIELDS[*i].0).collect();
        let p = plan(&fv, &facts, &overwrite);
        for s in &p.steps {
            let first = facts.iter().find(|f| f.key == s.field).and_then(|f| f.value.as_ref());
            let now = first.expect("a step for a field the agent did not find");
            prop_assert!(!matches!(now, FieldValue::Ambiguous(_)), "step for the ambiguous field {}", s.field);
            prop_assert!(
                is_blank(now) || overwrite.contains(&s.field),
                "step for {} over {:?} without confirmation", s.field, now
            );
            prop_assert_eq!(s.replaces, !is_blank(now));
        }
        // Every planned field gets exactly one decision.
        let mut decided: Vec<&str> = p.steps.iter().map(|s| s.field).chain(p.skipped.iter().map(|s| s.field)).collect();
        decided.sort_unstable();
        let before = decided.len();
        decided.dedup();
        prop_assert_eq!(before, decided.len());
        // And reading back what was planned reports it filled.
        let after: Vec<FieldFact> = p
            .steps
            .iter()
            .map(|s| {
                let v = match s.widget {
                    Widget::Checkbox => FieldValue::Checked(s.value.reveal().trim().eq_ignore_ascii_case("true")),
                    Widget::Select | Widget::RadioGroup => FieldValue::Choice(s.value.reveal().to_string()),
                    _ => FieldValue::Text(s.value.reveal().to_string()),
                };
                FieldFact { key: s.field.into(), value: Some(v) }
            })
            .collect();
        let r = verify(&p, &after);
        prop_assert_eq!(r.filled.len(), p.steps.len());
    }
}
