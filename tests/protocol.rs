//! The message protocol: decoding every message to the background, refusing
//! malformed, oversized and hostile ones with the right `Rejection`, and the
//! JSON shapes of what the background sends.
#![cfg(not(target_arch = "wasm32"))]

use keyferry::catalog;
use keyferry::checklist::{self, Context};
use keyferry::protocol::limits::{MAX_CANDIDATES, MAX_FIELDS, MAX_LIST, MAX_TEXT, MAX_URL};
use keyferry::protocol::{
    decode, decode_agent_reply, Action, CandidateFacts, Envelope, FieldFact, FieldValue, Marker, PageSpec, Rejection, Reply, Row, ToAgent,
    ToBackground, ToOverlay, View,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn dec(text: &str) -> Result<ToBackground, Rejection> {
    decode(&mut serde_json::Deserializer::from_str(text))
}

fn dec_value(v: Value) -> Result<ToBackground, Rejection> {
    decode(v)
}

fn env(msg: Value) -> Value {
    json!({ "v": 1, "msg": msg })
}

#[track_caller]
fn malformed(v: Value) -> String {
    let text = v.to_string();
    match (dec(&text), dec_value(v)) {
        (Err(Rejection::Malformed(why)), Err(Rejection::Malformed(_))) => why,
        other => panic!("expected Malformed for {}, got {other:?}", clip(&text)),
    }
}

#[track_caller]
fn too_large(v: Value, what: &str) {
    let text = v.to_string();
    assert_eq!(dec(&text), Err(Rejection::TooLarge(what.to_string().leak())), "{}", clip(&text));
    assert_eq!(dec_value(v), Err(Rejection::TooLarge(what.to_string().leak())));
}

#[track_caller]
fn accepted(v: Value) -> ToBackground {
    let text = v.to_string();
    let a = dec(&text).unwrap_or_else(|e| panic!("{}: {e}", clip(&text)));
    assert_eq!(dec_value(v).as_ref(), Ok(&a));
    a
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

fn facts_msg(candidates: Value) -> Value {
    env(
        json!({"facts": {"url": "https://acme-admin.okta.com/admin/access/api/tokens", "candidates": candidates}}),
    )
}

/// One candidate with one field holding `value`.
fn with_value(value: Value) -> Value {
    facts_msg(
        json!([{ "page": "okta.api.tokens", "landmarks": [true], "fields": [{ "key": "token_value", "value": value }] }]),
    )
}

// ---------------------------------------------------------------- decoding

#[test]
fn decodes_every_message() {
    assert_eq!(
        accepted(env(json!({"hello": {"url": "https://app.workato.com/connections/new", "top": false}}))),
        ToBackground::Hello { url: "https://app.workato.com/connections/new".into(), top: false }
    );
    let actions = [
        (
            json!({"pick": {"integration": "workato-okta-api-key"}}),
            Action::Pick { integration: "workato-okta-api-key".into() },
        ),
        (json!({"focus": {"item": "wk.conn.domain"}}), Action::Focus { item: "wk.conn.domain".into() }),
        (json!({"collapse": {"collapsed": true}}), Action::Collapse { collapsed: true }),
        (json!({"fit": {"height": 312}}), Action::Fit { height: 312 }),
        (json!("dock"), Action::Dock),
        (json!("dismiss"), Action::Dismiss),
    ];
    for (json, action) in actions {
        assert_eq!(
            accepted(env(json!({"overlay_action": {"frame": 7, "action": json}}))),
            ToBackground::OverlayAction { frame: 7, action, basis: None, click: None, token: None }
        );
    }
    let m = accepted(facts_msg(json!([
        {"page": "okta.app.general", "landmarks": [true, false], "fields": [
            {"key": "client_id", "value": {"text": "0oa1b2c3d4e5f6g7h8i9"}},
            {"key": "dpop", "value": {"checked": false}},
            {"key": "client_auth", "value": {"choice": "Public key / Private key"}},
            {"key": "client_secret", "value": null}
        ]},
        {"page": "okta.app.api_scopes", "landmarks": [], "fields": [
            {"key": "scopes", "value": {"rows": [{"text": "okta.logs.read Allows …", "buttons": ["Revoke"]}]}},
            {"key": "list", "value": {"list": ["Manage user data via APIs (api)", ""]}}
        ]}
    ])));
    let ToBackground::Facts { url, candidates, .. } = m else { panic!("not facts") };
    assert_eq!(url, "https://acme-admin.okta.com/admin/access/api/tokens");
    assert_eq!(candidates.len(), 2);
    assert_eq!(candidates[0].landmarks, [true, false]);
    assert_eq!(candidates[0].fields[1].value, Some(FieldValue::Checked(false)));
    assert_eq!(candidates[0].fields[3].value, None);
    assert_eq!(
        candidates[1].fields[0].value,
        Some(FieldValue::Rows(vec![Row { text: "okta.logs.read Allows …".into(), buttons: vec!["Revoke".into()] }]))
    );
    // Empty candidate lists and empty strings are fine; field order of the
    // JSON object does not matter.
    accepted(facts_msg(json!([])));
    assert_eq!(
        dec(r#"{"msg":{"hello":{"top":true,"url":""}},"v":1}"#),
        Ok(ToBackground::Hello { url: String::new(), top: true })
    );
}

#[test]
fn wrong_version() {
    let hello = json!({"hello": {"url": "https://x.okta.com/", "top": true}});
    for v in [0u32, 2, 99, u32::MAX] {
        let text = json!({"v": v, "msg": hello}).to_string();
        assert_eq!(dec(&text), Err(Rejection::Version(v)));
    }
    for v in [json!(-1), json!("1"), json!(1.5), json!(null), json!(true), json!(4294967296u64)] {
        malformed(json!({"v": v, "msg": hello}));
    }
}

#[test]
fn unknown_type_and_unknown_fields() {
    let why = malformed(env(json!({"steal": {"url": "x"}})));
    assert!(why.contains("unknown variant"), "{why}");
    malformed(env(json!({"Hello": {"url": "x", "top": true}})));
    malformed(env(json!({"url": "x", "top": true})));
    let extra = [
        json!({"v": 1, "msg": {"hello": {"url": "x", "top": true}}, "extra": 1}),
        env(json!({"hello": {"url": "x", "top": true, "extra": 1}})),
        env(json!({"overlay_action": {"frame": 1, "action": "dock", "tab": 2}})),
        env(json!({"overlay_action": {"frame": 1, "action": {"dismiss": {"now": true}}}})),
        env(json!({"overlay_action": {"frame": 1, "action": {"pick": {"integration": "x", "also": "y"}}}})),
        env(json!({"overlay_action": {"frame": 1, "action": "explode"}})),
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [], "score": 1}])),
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [{"key": "k", "value": null, "selector": "#x"}]}])),
        with_value(json!({"text": "x", "html": "<b>"})),
        with_value(json!({"secret": "x"})),
        with_value(json!({"rows": [{"text": "a", "buttons": [], "href": "/x"}]})),
    ];
    for v in extra {
        malformed(v);
    }
}

#[test]
fn missing_fields() {
    for v in [
        json!({"msg": {"hello": {"url": "x", "top": true}}}),
        json!({"v": 1}),
        env(json!({"hello": {"url": "x"}})),
        env(json!({"hello": {"top": true}})),
        env(json!({"facts": {"url": "x"}})),
        env(json!({"overlay_action": {"action": "dock"}})),
        env(json!({"overlay_action": {"frame": 1}})),
        env(json!({"overlay_action": {"frame": 1, "action": "pick"}})),
        env(json!({"overlay_action": {"frame": 1, "action": {}}})),
        facts_msg(json!([{"page": "p", "fields": []}])),
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [{"value": null}]}])),
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [{"key": "k"}]}])),
        with_value(json!({"text": null})),
        with_value(json!({"v": "x"})),
        with_value(json!({"rows": [{"text": "a"}]})),
    ] {
        malformed(v);
    }
}

#[test]
fn wrong_types() {
    for v in [
        json!(null),
        json!([]),
        json!("hello"),
        json!(1),
        json!({"v": 1, "msg": []}),
        json!({"v": 1, "msg": null}),
        json!({"v": 1, "msg": "hello"}),
        env(json!({"hello": 1})),
        env(json!({"hello": {"url": 5, "top": true}})),
        env(json!({"hello": {"url": "x", "top": "true"}})),
        env(json!({"hello": {"url": "x", "top": 1}})),
        env(json!({"hello": {"url": ["x"], "top": true}})),
        env(json!({"overlay_action": {"frame": "1", "action": "dock"}})),
        env(json!({"overlay_action": {"frame": 1.5, "action": "dock"}})),
        env(json!({"overlay_action": {"frame": 1e300, "action": "dock"}})),
        env(json!({"overlay_action": {"frame": 1, "action": "explode"}})),
        env(json!({"overlay_action": {"frame": 1, "action": {"collapse": {"collapsed": "yes"}}}})),
        facts_msg(json!({"page": "p"})),
        facts_msg(json!([{"page": "p", "landmarks": [1], "fields": []}])),
        facts_msg(json!([{"page": 1, "landmarks": [], "fields": []}])),
        with_value(json!("x")),
        with_value(json!({"checked": "yes"})),
        with_value(json!({"text": 1})),
        with_value(json!({"list": [1, 2]})),
        with_value(json!({"list": "a"})),
        with_value(json!({"rows": [{"text": "a", "buttons": "Revoke"}]})),
    ] {
        malformed(v);
    }
    // (Trailing bytes after a complete message are the caller's to check,
    // with `Deserializer::end`; the extension hands over JS values.)
    for text in
        ["", "{", "{\"v\":1,", "nul", "\u{feff}{}", "{\"v\":1,\"msg\":{\"type\":\"hello\",\"url\":\"x\",\"top\":true}"]
    {
        assert!(matches!(dec(text), Err(Rejection::Malformed(_))), "{text:?}");
    }
}

#[test]
fn oversized_parts() {
    let big = |n: usize| "a".repeat(n);
    // At the limit: fine. One more: refused, naming the part.
    accepted(env(json!({"hello": {"url": big(MAX_URL), "top": true}})));
    too_large(env(json!({"hello": {"url": big(MAX_URL + 1), "top": true}})), "url");
    too_large(env(json!({"facts": {"url": big(MAX_URL + 1), "candidates": []}})), "url");
    accepted(with_value(json!({"text": big(MAX_TEXT)})));
    too_large(with_value(json!({"text": big(MAX_TEXT + 1)})), "field text");
    too_large(with_value(json!({"choice": big(MAX_TEXT + 1)})), "field text");
    // Multi-byte characters count in bytes.
    too_large(with_value(json!({"text": "é".repeat(MAX_TEXT / 2 + 1)})), "field text");
    accepted(with_value(json!({"list": vec!["x"; MAX_LIST]})));
    too_large(with_value(json!({"list": vec!["x"; MAX_LIST + 1]})), "list items");
    too_large(with_value(json!({"list": [big(MAX_TEXT + 1)]})), "list item");
    let row = json!({"text": "okta.logs.read", "buttons": ["Grant"]});
    accepted(with_value(json!({"rows": vec![row.clone(); MAX_LIST]})));
    too_large(with_value(json!({"rows": vec![row; MAX_LIST + 1]})), "rows");
    too_large(with_value(json!({"rows": [{"text": big(MAX_TEXT + 1), "buttons": []}]})), "row text");
    too_large(with_value(json!({"rows": [{"text": "a", "buttons": vec!["Grant"; 17]}]})), "row buttons");
    too_large(with_value(json!({"rows": [{"text": "a", "buttons": [big(257)]}]})), "button text");
    let cand = json!({"page": "okta.api.tokens", "landmarks": [true], "fields": []});
    accepted(facts_msg(Value::Array(vec![cand.clone(); MAX_CANDIDATES])));
    too_large(facts_msg(Value::Array(vec![cand; MAX_CANDIDATES + 1])), "candidates");
    too_large(facts_msg(json!([{"page": big(129), "landmarks": [], "fields": []}])), "page id");
    too_large(facts_msg(json!([{"page": "p", "landmarks": vec![true; 65], "fields": []}])), "candidate facts");
    let field = json!({"key": "k", "value": null});
    accepted(facts_msg(json!([{"page": "p", "landmarks": [], "fields": vec![field.clone(); MAX_FIELDS]}])));
    too_large(
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": vec![field; MAX_FIELDS + 1]}])),
        "candidate facts",
    );
    too_large(
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [{"key": big(129), "value": null}]}])),
        "field key",
    );
    let action = |a: Value| env(json!({"overlay_action": {"frame": 1, "action": a}}));
    too_large(action(json!({"pick": {"integration": big(129)}})), "integration id");
    too_large(action(json!({"focus": {"item": big(129)}})), "item id");
}

#[test]
fn ten_megabyte_strings() {
    let ten = "x".repeat(10 * 1024 * 1024);
    too_large(env(json!({"hello": {"url": ten, "top": true}})), "url");
    too_large(with_value(json!({"text": ten})), "field text");
    malformed(json!({"v": 1, "msg": {"hello": {"url": "x", "top": true}}, "pad": ten}));
    // Not even valid JSON: refused without panicking.
    let unterminated = format!("{{\"v\":1,\"msg\":{{\"type\":\"hello\",\"url\":\"{ten}");
    assert!(matches!(dec(&unterminated), Err(Rejection::Malformed(_))));
}

#[test]
fn prototype_keys_are_unknown_fields() {
    for key in ["__proto__", "constructor", "prototype"] {
        malformed(json!({"v": 1, "msg": {"hello": {"url": "x", "top": true}}, key: {"v": 2}}));
        malformed(json!({key: {"v": 1, "msg": {"hello": {"url": "x", "top": true}}}}));
        malformed(env(json!({"hello": {"url": "x", "top": true, key: {"top": false}}})));
        malformed(facts_msg(json!([{"page": "p", "landmarks": [], "fields": [], key: {}}])));
        malformed(env(json!({"overlay_action": {"frame": 1, "action": {"dismiss": {key: {}}}}})));
        malformed(with_value(json!({"text": "x", key: null})));
    }
}

#[test]
fn the_removed_overlay_hello_is_an_unknown_variant() {
    // ToBackground::OverlayHello was never sent by the overlay (it connects a
    // port instead) and is gone: the background refuses it like any stranger.
    let why = malformed(env(json!({"overlay_hello": {"frame": 0}})));
    assert!(why.contains("unknown variant"), "{why}");
}

#[test]
fn ten_megabyte_strings_in_every_action_and_the_fill_reply() {
    let ten = "x".repeat(10 * 1024 * 1024);
    let action = |a: Value| env(json!({"overlay_action": {"frame": 1, "action": a}}));
    too_large(
        action(json!({"pick": {"integration": ten}})),
        "integration id",
    );
    too_large(action(json!({"focus": {"item": ten}})), "item id");
    too_large(action(json!({"capture": {"slot": ten}})), "slot id");
    too_large(action(json!({"forget": {"slot": ten}})), "slot id");
    too_large(action(json!({"copy": {"field": ten}})), "field key");
    too_large(
        action(json!({"fit": {"height": 4_000_000_000u32}})),
        "height",
    );
    too_large(
        facts_msg(json!([{"page": "p", "landmarks": [], "fields": [{"key": ten, "value": null}]}])),
        "field key",
    );
    too_large(with_value(json!({"list": [ten]})), "list item");
    too_large(
        with_value(json!({"rows": [{"text": ten, "buttons": []}]})),
        "row text",
    );
    // The agent's answer to a fill has the same limits.
    let reply = |fields: Value| {
        let v = json!({"v": 1, "msg": {"filled": {"page": "okta.salesforce.provisioning", "fields": fields}}});
        decode_agent_reply(&mut serde_json::Deserializer::from_str(&v.to_string()))
    };
    assert!(reply(json!([{"key": "k", "value": {"text": "ok"}}])).is_ok());
    assert_eq!(
        reply(json!([{"key": "k", "value": {"text": ten}}])).err(),
        Some(Rejection::TooLarge("field text"))
    );
    let big_page = json!({"v": 1, "msg": {"filled": {"page": ten, "fields": []}}}).to_string();
    assert_eq!(
        decode_agent_reply(&mut serde_json::Deserializer::from_str(&big_page)).err(),
        Some(Rejection::TooLarge("page id"))
    );
}

#[test]
fn prototype_keys_in_actions_and_the_fill_reply() {
    for key in [
        "__proto__",
        "constructor",
        "prototype",
        "hasOwnProperty",
        "toString",
    ] {
        // As a message type, an action, or an extra key: unknown, refused.
        malformed(env(json!({key: {"frame": 1}})));
        malformed(env(
            json!({"overlay_action": {"frame": 1, "action": {key: {}}}}),
        ));
        malformed(env(
            json!({"overlay_action": {"frame": 1, "action": {"capture": {"slot": "x", key: 1}}}}),
        ));
        malformed(env(
            json!({"overlay_action": {"frame": 1, key: 1, "action": "dock"}}),
        ));
        let v = json!({"v": 1, "msg": {"filled": {"page": "p", "fields": [], key: {}}}});
        assert!(matches!(
            decode_agent_reply(&mut serde_json::Deserializer::from_str(&v.to_string())),
            Err(Rejection::Malformed(_))
        ));
        let v = json!({"v": 1, "msg": {key: {"page": "p", "fields": []}}});
        assert!(matches!(
            decode_agent_reply(&mut serde_json::Deserializer::from_str(&v.to_string())),
            Err(Rejection::Malformed(_))
        ));
        // As a value (a slot or integration id that names a prototype key):
        // decoded as plain text, then matched against the catalog like any
        // other id (nothing is looked up on an object by that name).
        let a = accepted(env(
            json!({"overlay_action": {"frame": 1, "action": {"capture": {"slot": key}}}}),
        ));
        assert_eq!(
            a,
            ToBackground::OverlayAction {
                frame: 1,
                action: Action::Capture { slot: key.into() },
                basis: None,
                click: None,
                token: None,
            }
        );
        assert!(catalog::integration(key).is_none());
        assert!(catalog::page(key).is_none());
    }
}

#[test]
fn lone_surrogates_in_every_string_position() {
    // JSON escapes of unpaired UTF-16 surrogates (what a page's broken string
    // becomes) are refused as malformed, wherever they are.
    for bad in [r"\ud800", r"\udfff", r"a\ud83d", r"\ude00b"] {
        for text in [
            format!(r#"{{"v":1,"msg":{{"hello":{{"url":"{bad}","top":true}}}}}}"#),
            format!(
                r#"{{"v":1,"msg":{{"overlay_action":{{"frame":1,"action":{{"capture":{{"slot":"{bad}"}}}}}}}}}}"#
            ),
            format!(
                r#"{{"v":1,"msg":{{"facts":{{"url":"x","candidates":[{{"page":"p","landmarks":[],"fields":[{{"key":"k","value":{{"text":"{bad}"}}}}]}}]}}}}}}"#
            ),
        ] {
            assert!(matches!(dec(&text), Err(Rejection::Malformed(_))), "{text}");
        }
    }
}

#[test]
fn deeply_nested_junk_is_refused_without_overflow() {
    for depth in [200usize, 10_000, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        for junk in [&nested, &objects] {
            for text in [
                format!(r#"{{"v":1,"msg":{{"hello":{{"url":{junk},"top":true}}}}}}"#),
                format!(r#"{{"v":1,"msg":{{"hello":{{"url":"x","top":true,"junk":{junk}}}}}}}"#),
                format!(r#"{{"v":1,"msg":{{"junk":{junk},"hello":{{}}}}}}"#),
                format!(r#"{{"junk":{junk},"v":1}}"#),
                junk.to_string(),
            ] {
                assert!(matches!(dec(&text), Err(Rejection::Malformed(_))), "depth {depth}");
            }
        }
    }
}

#[test]
fn invalid_unicode_escapes() {
    for bad in [r"\ud800", r"\udc00", r"\ud800\u0041", r"\ud800\ud800", r"\uDFFF", r"\u12", r"\x41"] {
        let text = format!(r#"{{"v":1,"msg":{{"hello":{{"url":"{bad}","top":true}}}}}}"#);
        assert!(matches!(dec(&text), Err(Rejection::Malformed(_))), "{bad}");
    }
    // A valid surrogate pair is fine.
    let ok = r#"{"v":1,"msg":{"hello":{"url":"\ud83d\ude00","top":true}}}"#;
    assert_eq!(dec(ok), Ok(ToBackground::Hello { url: "😀".into(), top: true }));
    // Invalid UTF-8 bytes.
    let bytes = b"{\"v\":1,\"msg\":{\"hello\":{\"url\":\"\xff\xfe\",\"top\":true}}}";
    assert!(matches!(decode(&mut serde_json::Deserializer::from_slice(bytes)), Err(Rejection::Malformed(_))));
}

#[test]
fn rejection_reasons_do_not_quote_values() {
    // A value in the wrong place is not echoed into the (logged) reason.
    let secret = "Zk3v_9QxLr2-Tb7YwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2";
    for v in [
        env(json!({"hello": {"url": "x", "top": secret}})),
        with_value(json!({"checked": secret})),
        env(json!({"overlay_action": {"frame": secret, "action": "dock"}})),
        json!({"v": secret, "msg": {}}),
    ] {
        let why = malformed(v);
        assert!(!why.contains(secret) && !why.contains("Zk3v"), "{why}");
        assert!(why.chars().count() <= 201, "{why}");
    }
    // Quotes inside a value do not end the redaction early.
    let why = malformed(env(json!({"hello": {"url": "x", "top": "a\"Zk3v\"b"}})));
    assert!(!why.contains("Zk3v"), "{why}");
    // Still says what was wrong.
    let why = malformed(env(json!({"hello": {"url": "x", "top": "yes"}})));
    assert!(why.contains("invalid type") && why.contains("boolean"), "{why}");
    assert_eq!(Rejection::Version(2).to_string(), "unsupported protocol version 2 (expected 1)");
    assert_eq!(Rejection::TooLarge("url").to_string(), "message too large: url");
    assert!(Rejection::Malformed("x".into()).to_string().contains("malformed"));
}

// ---------------------------------------------------------------- encoding

#[test]
fn reply_shapes() {
    let page = catalog::page("okta.api.tokens").unwrap();
    let specs = serde_json::to_value(Reply::Specs { candidates: vec![PageSpec::of(page)], preload: None }).unwrap();
    assert_eq!(specs["type"], "specs");
    assert_eq!(specs["candidates"][0]["page"], "okta.api.tokens");
    assert_eq!(specs["candidates"][0]["landmarks"].as_array().unwrap().len(), page.landmarks.len());
    assert_eq!(specs["candidates"][0]["fields"][0]["key"], "token_value");
    assert_eq!(specs.as_object().unwrap().len(), 2);
    assert_eq!(
        serde_json::to_value(Reply::Specs { candidates: vec![], preload: None }).unwrap(),
        json!({"type": "specs", "candidates": []})
    );
    assert_eq!(
        serde_json::to_value(Reply::Specs { candidates: vec![], preload: Some(4) }).unwrap(),
        json!({"type": "specs", "candidates": [], "preload": 4})
    );
    let verdict = Reply::Verdict {
        page: Some("okta.api.tokens"),
        frame: 3,
        markers: vec![Marker { field: "token_value", ok: false, message: "Capture it".into() }],
        dock: 2,
        panel_title: "keyferry checklist".into(),
        grip_title: "Drag".into(),
    };
    assert_eq!(
        serde_json::to_value(verdict).unwrap(),
        json!({"type": "verdict", "page": "okta.api.tokens", "frame": 3, "markers": [{"field": "token_value", "ok": false, "message": "Capture it"}], "dock": 2, "panel_title": "keyferry checklist", "grip_title": "Drag"})
    );
    assert_eq!(
        serde_json::to_value(Reply::Verdict {
            page: None,
            frame: 0,
            markers: vec![],
            dock: 0,
            panel_title: String::new(),
            grip_title: String::new()
        })
        .unwrap(),
        json!({"type": "verdict", "page": null, "frame": 0, "markers": [], "dock": 0, "panel_title": "", "grip_title": ""})
    );
    assert_eq!(serde_json::to_value(Reply::Ack).unwrap(), json!({"type": "ack"}));
    assert_eq!(
        serde_json::to_value(Reply::Error { reason: "no".into() }).unwrap(),
        json!({"type": "error", "reason": "no"})
    );
}

#[test]
fn agent_and_overlay_shapes() {
    let to = |m: ToAgent| serde_json::to_value(m).unwrap();
    assert_eq!(
        to(ToAgent::Focus { page: "wk", field: "domain" }),
        json!({"type": "focus", "page": "wk", "field": "domain"})
    );
    assert_eq!(to(ToAgent::Fit { height: 240 }), json!({"type": "fit", "height": 240}));
    assert_eq!(to(ToAgent::Dismiss), json!({"type": "dismiss"}));
    assert_eq!(to(ToAgent::Refresh), json!({"type": "refresh"}));
    assert_eq!(to(ToAgent::Toggle), json!({"type": "toggle"}));
    assert_eq!(to(ToAgent::Dock { corner: 3 }), json!({"type": "dock", "corner": 3}));
    assert_eq!(serde_json::to_value(ToOverlay::Gone).unwrap(), json!("gone"));

    let page = catalog::page("okta.api.tokens").unwrap();
    let checklist = checklist::evaluate(page, None, &[], &Context::default());
    let view = View {
        page: page.id,
        page_title: page.title,
        console: page.console.label(),
        integrations: vec![("workato-okta-api-key", "Workato → Okta (API key)")],
        integration: Some("workato-okta-api-key"),
        step: Some((1, 2)),
        routes: vec![],
        checklist,
        collapsed: false,
        captures: vec![],
        fill: None,
        vault: vec![],
        notice: None,
        basis: String::new(),
        drift: None,
    };
    let v = serde_json::to_value(ToOverlay::View(view)).unwrap();
    let v = &v["view"];
    assert_eq!(v["page"], "okta.api.tokens");
    assert_eq!(v["console"], "Okta Admin Console");
    assert_eq!(v["integrations"], json!([["workato-okta-api-key", "Workato → Okta (API key)"]]));
    assert_eq!(v["step"], json!([1, 2]));
    assert_eq!(v["checklist"]["items"][0]["id"], "okta.token.created");
    assert_eq!(v["checklist"]["items"][0]["status"], "unknown");
    assert_eq!(v["checklist"]["notes"][0]["id"], "okta.token.admin_role");
    assert_eq!(v["collapsed"], false);
    // The envelope around any message.
    assert_eq!(
        serde_json::to_value(Envelope::new(ToAgent::Refresh)).unwrap(),
        json!({"v": 1, "msg": {"type": "refresh"}})
    );
    // What the overlay sends decodes again.
    let out = Envelope::new(ToBackground::OverlayAction { frame: 2, action: Action::Dismiss, basis: None, click: None, token: None });
    let text = serde_json::to_string(&out).unwrap();
    assert_eq!(text, r#"{"v":1,"msg":{"overlay_action":{"frame":2,"action":"dismiss"}}}"#);
    assert_eq!(dec(&text), Ok(out.msg));
}

// ---------------------------------------------------------------- properties

const KEYS: &[&str] = &[
    "v",
    "msg",
    "type",
    "url",
    "top",
    "candidates",
    "page",
    "landmarks",
    "fields",
    "key",
    "value",
    "t",
    "text",
    "buttons",
    "frame",
    "action",
    "kind",
    "integration",
    "item",
    "collapsed",
    "__proto__",
    "constructor",
];
const WORDS: &[&str] = &[
    "hello",
    "facts",
    "overlay_action",
    "text",
    "checked",
    "choice",
    "list",
    "rows",
    "pick",
    "focus",
    "collapse",
    "dismiss",
    "okta.api.tokens",
    "https://acme-admin.okta.com/",
    "",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop_oneof![Just(0i64), Just(1), Just(2), any::<i64>()].prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        let key = prop_oneof![prop::sample::select(KEYS).prop_map(String::from), "[a-z_]{0,8}"];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..7).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        ".{0,20}".prop_map(FieldValue::Text),
        any::<bool>().prop_map(FieldValue::Checked),
        ".{0,20}".prop_map(FieldValue::Choice),
        prop::collection::vec(".{0,10}", 0..4).prop_map(FieldValue::List),
        prop::collection::vec((".{0,10}", prop::collection::vec(".{0,6}", 0..3)), 0..4)
            .prop_map(|rows| FieldValue::Rows(rows.into_iter().map(|(text, buttons)| Row { text, buttons }).collect())),
        any::<u32>().prop_map(FieldValue::Ambiguous),
    ]
}

fn message() -> impl Strategy<Value = ToBackground> {
    let fact = ("[a-z_]{1,12}", prop::option::of(field_value())).prop_map(|(key, value)| FieldFact { key, value });
    let cand = ("[a-z.]{1,30}", prop::collection::vec(any::<bool>(), 0..4), prop::collection::vec(fact, 0..4))
        .prop_map(|(page, landmarks, fields)| CandidateFacts { page, landmarks, fields });
    let action = prop_oneof![
        "[a-z-]{0,20}".prop_map(|integration| Action::Pick { integration }),
        "[a-z.]{0,20}".prop_map(|item| Action::Focus { item }),
        any::<bool>().prop_map(|collapsed| Action::Collapse { collapsed }),
        Just(Action::Dismiss),
    ];
    prop_oneof![
        (".{0,40}", any::<bool>()).prop_map(|(url, top)| ToBackground::Hello { url, top }),
        (".{0,40}", prop::collection::vec(cand, 0..4))
            .prop_map(|(url, candidates)| ToBackground::Facts { url, candidates, token: None }),
        (any::<i64>(), action, proptest::option::of("[0-9a-f]{16}"))
            .prop_map(|(frame, action, basis)| ToBackground::OverlayAction { frame, action, basis, click: None, token: None }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_arbitrary_json_values_never_panic(v in json_value(), wrap in any::<bool>()) {
        let v = if wrap { env(v) } else { v };
        let text = v.to_string();
        let _ = dec(&text);
        let _ = dec_value(v);
    }

    #[test]
    fn prop_arbitrary_strings_and_bytes_never_panic(s in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = dec(&s);
        let _ = decode(&mut serde_json::Deserializer::from_slice(&bytes));
        let prefixed = format!(r#"{{"v":1,"msg":{{"facts":{{"url":"x","candidates":[{s}"#);
        let _ = dec(&prefixed);
    }

    #[test]
    fn prop_encoded_messages_decode_to_themselves(m in message()) {
        let text = serde_json::to_string(&Envelope::new(m.clone())).unwrap();
        prop_assert_eq!(dec(&text), Ok(m));
    }
}

#[test]
fn the_dock_button_cycles_through_every_corner_and_back() {
    use keyferry::protocol::{next_dock, DOCK_CORNERS};
    let mut seen = vec![0u8];
    let mut c = 0;
    for _ in 0..DOCK_CORNERS {
        c = next_dock(c);
        seen.push(c);
    }
    assert_eq!(seen, [0, 1, 2, 3, 0]);
    // A value from an older build or a damaged session entry: treated as the default corner.
    assert_eq!(next_dock(DOCK_CORNERS), 1);
    assert_eq!(next_dock(u8::MAX), 1);
}

#[test]
fn an_ambiguous_field_decodes_as_a_count_and_nothing_else() {
    // The agent's fact for a field that several visible controls match.
    let m = accepted(facts_msg(json!([
        {"page": "workato.connection.new", "landmarks": [true], "fields": [
            {"key": "client_secret", "value": {"ambiguous": 2}}
        ]}
    ])));
    let ToBackground::Facts { candidates, .. } = m else { panic!("not facts") };
    assert_eq!(candidates[0].fields[0].value, Some(FieldValue::Ambiguous(2)));
    // A count only: no value may ride along, nor anything but a u32.
    for bad in [json!({"ambiguous": "2"}), json!({"ambiguous": -1}), json!({"ambiguous": 2, "text": "x"}),
        json!({"ambiguous": [2]}), json!({"ambiguous": 4294967296u64})] {
        malformed(facts_msg(json!([{"page": "workato.connection.new", "landmarks": [], "fields": [
            {"key": "client_secret", "value": bad}
        ]}])));
    }
}

#[test]
fn a_field_too_large_to_read_decodes_as_a_bare_tag() {
    // The agent went past its reading budget on the field (SECURITY.md, bounded work).
    let m = accepted(facts_msg(json!([
        {"page": "okta.api.tokens", "landmarks": [true], "fields": [{"key": "token_value", "value": "too_large"}]}
    ])));
    let ToBackground::Facts { candidates, .. } = m else { panic!("not facts") };
    assert_eq!(candidates[0].fields[0].value, Some(FieldValue::TooLarge));
    // Nothing may ride along with it.
    for bad in [json!({"too_large": "x"}), json!({"too_large": true}), json!("too_large ")] {
        malformed(facts_msg(json!([{"page": "okta.api.tokens", "landmarks": [], "fields": [
            {"key": "token_value", "value": bad}
        ]}])));
    }
}

#[test]
fn the_panel_height_does_not_follow_its_content() {
    use keyferry::protocol::{panel_height, PANEL_HEIGHT};
    // Expanded: one height, whatever the panel holds (a captured value must
    // not make the host grow, SECURITY.md 12).
    for content in [0, 1, 120, 380, PANEL_HEIGHT, 900, 20_000] {
        assert_eq!(panel_height(false, content), PANEL_HEIGHT, "{content}");
    }
    // Collapsed (the admin's own click): the header, never more.
    assert_eq!(panel_height(true, 48), 48);
    assert_eq!(panel_height(true, 20_000), PANEL_HEIGHT);
}

// ---------------------------------------------------------------- views read back

/// The UIs deserialize the types the background serializes (no mirror
/// types): a full view, with every part filled, reads back field for field.
#[test]
fn the_overlay_reads_back_the_view_the_background_sends() {
    use keyferry::protocol::view::{BindView, CaptureView, FillLine, FillView, Notice, RouteLine};
    use keyferry::protocol::ToOverlayOf;
    let page = catalog::page("workato.connection.new").unwrap();
    let integration = catalog::integrations_for_page(page.id).next();
    let facts = [FieldFact { key: "domain".into(), value: Some(FieldValue::Text("evil".into())) }];
    let checklist = checklist::evaluate(page, integration, &facts, &Context::default());
    let mut vault = keyferry::vault::Vault::default();
    let i = catalog::integration("workato-okta-auth-code").unwrap();
    vault.capture(catalog::Slot::OktaClientSecret, "hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sAuE", i, "acme-admin.okta.com", 1_000).unwrap();
    let view = View {
        page: page.id,
        page_title: page.title,
        console: page.console.label(),
        integrations: vec![("a", "A"), ("b", "B")],
        integration: integration.map(|i| i.id),
        step: Some((2, 5)),
        routes: vec![RouteLine { id: "r", title: "R", note: "n", default: true, current: false, link: Some("https://x.test/".into()) }],
        checklist,
        collapsed: true,
        captures: vec![CaptureView { slot: "okta.client_id", label: "Client ID", shown: true, captured: Some("ab…".into()), hint: "h" }],
        fill: Some(FillView {
            values: vec![FillLine { field: "domain", label: "Domain", display: "acme.okta.com".into(), secret: false, copy: true }],
            missing: vec![keyferry::assemble::MissingValue { field: "client_id", label: "Client ID", reason: "not yet".into() }],
            conflicts: vec!["Name"],
            ready: 1,
            absent: vec!["Key"],
            blocked: Some("no".into()),
            bind: Some(BindView { to: "acme.okta.com".into(), question: "ok?".into() }),
        }),
        vault: vault.bundle(i.id, 2_000),
        notice: Some(Notice { ok: false, text: "t".into() }),
        drift: keyferry::drift::recognized_drift(page, integration, &[]),
        basis: "b".into(),
    };
    assert!(view.drift.is_some() && !view.vault.is_empty() && !view.checklist.items.is_empty());
    let sent = serde_json::to_value(Envelope::new(ToOverlay::View(view.clone()))).unwrap();
    let read: Envelope<ToOverlayOf<String>> = serde_json::from_value(sent.clone()).unwrap();
    let ToOverlayOf::View(back) = read.msg else { panic!("not a view") };
    // Read back, it serializes to the very same JSON.
    assert_eq!(serde_json::to_value(Envelope::new(ToOverlayOf::View(back.clone()))).unwrap(), sent);
    // Statuses and severities are the real enums, not strings.
    for (a, b) in view.checklist.items.iter().zip(&back.checklist.items) {
        assert_eq!((a.status, a.severity), (b.status, b.severity), "{}", a.id);
    }
    assert_eq!(back.vault[0].slot, catalog::Slot::OktaClientSecret);
    // An unknown status is refused, not turned into a default.
    let mut bad = sent.clone();
    bad["msg"]["view"]["checklist"]["items"][0]["status"] = json!("fine");
    assert!(serde_json::from_value::<Envelope<ToOverlayOf<String>>>(bad).is_err());
}

#[test]
fn the_popup_and_options_read_back_their_replies() {
    use keyferry::protocol::view::{HostStatus, Notice, PopupView, SettingsView};
    use keyferry::protocol::UiReply;
    let i = catalog::integration("workato-okta-auth-code").unwrap();
    let mut vault = keyferry::vault::Vault::default();
    vault.capture(catalog::Slot::OktaClientId, "0oa1b2c3d4e5f6g7h8i9", i, "acme-admin.okta.com", 1_000).unwrap();
    let progress = keyferry::report::Progress::default();
    let hosts = keyferry::report::Hosts::known(i, &vault, &progress, None, 1_000);
    let popup = Reply::Popup {
        view: PopupView {
            integrations: vec![(i.id, i.title)],
            integration: Some(i.id),
            progress: Some(keyferry::report::progress_for(i, &progress, &hosts)),
            vault: vault.bundle(i.id, 2_000),
            vault_total: 1,
            vault_minutes: 15,
            notice: Some(Notice { ok: true, text: "x".into() }),
        },
    };
    let settings = Reply::Settings {
        view: SettingsView {
            data_center: "us",
            data_center_managed: true,
            data_centers: vec![("us", "US")],
            vault_minutes: 30,
            vault_minutes_managed: false,
            min_minutes: 1,
            max_minutes: 480,
            hosts: vec![HostStatus {
                kind: "okta_admin",
                kind_label: "Okta",
                host: "id.acme.test".into(),
                pattern: "https://id.acme.test/*".into(),
                managed: false,
                granted: true,
                registered: false,
            }],
            kinds: vec![("okta_admin", "Okta")],
            problems: vec!["p".into()],
            notice: None,
        },
    };
    let drift = Reply::Drift { drift: None, notice: Some(Notice { ok: false, text: "none".into() }) };
    let report = Reply::Report { markdown: "m".into(), json: "{}".into(), file: "f".into() };
    let error = Reply::Error { reason: "r".into() };
    for reply in [popup, settings, drift, report, error] {
        let sent = serde_json::to_value(&reply).unwrap();
        let back: UiReply = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{sent}: {e}"));
        assert_eq!(serde_json::to_value(&back).unwrap(), sent);
    }
    // The agent's and the overlay's replies are not the pages' to read.
    for other in [Reply::Ack, Reply::Busy { retry_ms: 5 }, Reply::Specs { candidates: vec![], preload: None }] {
        assert!(serde_json::from_value::<UiReply>(serde_json::to_value(&other).unwrap()).is_err());
    }
}

#[test]
fn enums_read_by_name_match_their_serialized_names() {
    use keyferry::catalog::{Severity, Slot};
    use keyferry::checklist::Status;
    for s in Status::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        assert_eq!(serde_json::from_value::<Status>(json!(s.as_str())).unwrap(), s);
    }
    for s in Severity::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        assert_eq!(serde_json::from_value::<Severity>(json!(s.as_str())).unwrap(), s);
    }
    for s in Slot::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.id()));
        assert_eq!(serde_json::from_value::<Slot>(json!(s.id())).unwrap(), s);
    }
    for s in keyferry::report::RequirementStatus::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        assert_eq!(serde_json::from_value::<keyferry::report::RequirementStatus>(json!(s.as_str())).unwrap(), s);
    }
    assert!(serde_json::from_value::<Status>(json!("Ok")).is_err());
    assert!(serde_json::from_value::<Slot>(json!("SfConsumerKey")).is_err());
    assert!(serde_json::from_value::<Severity>(json!(1)).is_err());
}
