//! wasm-bindgen tests of the overlay UI, run in headless Chromium and
//! headless Firefox by `./build.sh test`.
#![cfg(target_arch = "wasm32")]

use keyferry::catalog;
use keyferry::protocol::{Action, Envelope, FieldFact, FieldValue, PopupView, SettingsView, ToOverlay, View};
use keyferry::web::overlay::{action_for, render};

/// The view as the overlay reads it.
type ViewIn = View<String>;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh mount point appended to the body (replacing the body's HTML
/// would wipe the test runner's output).
fn mount() -> Element {
    install_i18n();
    let m = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&m).unwrap();
    m
}

/// A page's URL on its console (the fixtures' hosts).
fn url_of(page_id: &str) -> &'static str {
    match page_id {
        "okta.api.tokens" => "https://acme-admin.okta.com/admin/access/api/tokens",
        "okta.app.general" => "https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general",
        "okta.app.wizard_service" => "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE",
        "okta.salesforce.provisioning" => {
            "https://acme-admin.okta.com/admin/app/salesforce/instance/0oa3s4f5d6c7p8r9o0v1/#tab-user-management/api-credentials"
        }
        "workflows.connection.new" => "https://acme.workflows.okta.com/app/connections",
        "workato.connection.new" => "https://app.workato.com/connections/new",
        other => panic!("no URL for {other}"),
    }
}

/// Builds a view with the background's engine (`session::Session`: the
/// agent reports `facts`, its panel connects, picks the page's first
/// integration and collapses if asked) and sends it through the same serde
/// boundary (JS value) the port uses.
fn view_from_core(page_id: &str, facts: &[FieldFact], collapsed: bool) -> ViewIn {
    let js = view_js_from_core(page_id, facts, collapsed);
    #[derive(serde::Deserialize)]
    struct Msg {
        view: ViewIn,
    }
    #[derive(serde::Deserialize)]
    struct Env {
        msg: Msg,
    }
    serde_wasm_bindgen::from_value::<Env>(js).unwrap().msg.view
}

/// The overlay's message with the view the session builds, as the background
/// posts it (serialized the way src/web/mod.rs's `to_js` does).
fn view_js_from_core(page_id: &str, facts: &[FieldFact], collapsed: bool) -> wasm_bindgen::JsValue {
    use keyferry::protocol::{CandidateFacts, ToBackground};
    use keyferry::session::{Effect, Input, Sender, Session};
    let page = catalog::page(page_id).expect("page in catalog");
    let url = url_of(page_id);
    let (now, token) = (1_795_000_000_000, Some("t".to_string()));
    let mut session = Session::new(keyferry::web::i18n::tf);
    let agent = Sender { tab: Some(1), url: url.into(), top_url: Some(url.into()), ..Default::default() };
    let panel = Sender { tab: Some(1), url: "chrome-extension://kf/overlay.html".into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() };
    let candidates =
        vec![CandidateFacts { page: page.id.into(), landmarks: vec![true; page.landmarks.len()], fields: facts.to_vec() }];
    let facts = ToBackground::Facts { url: url.into(), candidates, token: token.clone() };
    session.handle(Input::Message { msg: Ok(facts), sender: agent }, now);
    let (_, mut effects) = session.handle(Input::Connect { port: 1, name: "overlay:0:t".into(), sender: panel.clone() }, now);
    let first = catalog::integrations_for_page(page_id).next().map(|i| Action::Pick { integration: i.id.into() });
    for action in first.into_iter().chain(collapsed.then_some(Action::Collapse { collapsed: true })) {
        let msg = ToBackground::OverlayAction { frame: 0, action, basis: None, click: None, token: token.clone() };
        effects = session.handle(Input::Message { msg: Ok(msg), sender: panel.clone() }, now).1;
    }
    let view = effects
        .into_iter()
        .rev()
        .find_map(|e| match e {
            Effect::Post { msg: ToOverlay::View(v), .. } => Some(v),
            _ => None,
        })
        .expect("the panel gets a view");
    assert_eq!(view.page, page.id);
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    Envelope::new(ToOverlay::View(view)).serialize(&ser).unwrap()
}

/// The overlay reads its strings with `i18n.getMessage` (src/web/i18n.rs). A
/// plain test page has no extension APIs, so this gives it one backed by the
/// real `extension/_locales/en/messages.json`, with the browsers' substitution
/// rules (`$NAME$` placeholders, case-insensitive, whose content is `$1`…`$9`;
/// `$$` is a `$`). The browsers' own getMessage is checked against the same
/// file by tests/e2e/extension.test.mjs and test_extension.py.
fn install_i18n() {
    use js_sys::Reflect;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    const MESSAGES: &str = include_str!("../extension/_locales/en/messages.json");
    let g = js_sys::global();
    let mut chrome = Reflect::get(&g, &"chrome".into()).unwrap();
    if !chrome.is_object() {
        chrome = js_sys::Object::new().into();
        Reflect::set(&g, &"chrome".into(), &chrome).unwrap();
    }
    if Reflect::get(&chrome, &"i18n".into()).unwrap().is_object() {
        return;
    }
    let get = Closure::<dyn Fn(String, JsValue) -> String>::new(|key: String, subs: JsValue| {
        let all: serde_json::Value = serde_json::from_str(MESSAGES).unwrap();
        let Some(entry) = all.get(&key) else { return String::new() };
        let subs: Vec<String> =
            if subs.is_object() { js_sys::Array::from(&subs).iter().filter_map(|v| v.as_string()).collect() } else { vec![] };
        let placeholder = |name: &str| -> Option<String> {
            let (_, def) = entry["placeholders"].as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
            let n: usize = def["content"].as_str()?.strip_prefix('$')?.parse().ok()?;
            Some(subs.get(n - 1).cloned().unwrap_or_default())
        };
        let msg = entry["message"].as_str().unwrap();
        let mut out = String::new();
        let mut rest = msg;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            if let Some(r) = rest.strip_prefix('$') {
                out.push('$');
                rest = r;
            } else if let Some((name, r)) = rest.split_once('$').filter(|(n, _)| !n.is_empty()) {
                match placeholder(name) {
                    Some(v) => {
                        out.push_str(&v);
                        rest = r;
                    }
                    None => out.push('$'),
                }
            } else {
                out.push('$');
            }
        }
        out.push_str(rest);
        out
    });
    let i18n = js_sys::Object::new();
    Reflect::set(&i18n, &"getMessage".into(), get.as_ref()).unwrap();
    get.forget();
    Reflect::set(&chrome, &"i18n".into(), &i18n).unwrap();
}

fn attr(e: &Element, name: &str) -> String {
    e.get_attribute(name).unwrap_or_default()
}

#[wasm_bindgen_test]
fn renders_the_testable_contract() {
    let m = mount();
    let view = view_from_core("okta.api.tokens", &[], false);
    render(&doc(), &m, &view);
    let root = m.query_selector("[data-kf-page]").unwrap().expect("root");
    assert_eq!(attr(&root, "data-kf-page"), "okta.api.tokens");
    let c = &view.checklist;
    assert_eq!(attr(&root, "data-kf-progress"), format!("{}/{}", c.done, c.total));
    let items = m.query_selector_all("[data-kf-item]").unwrap();
    assert_eq!(items.length() as usize, c.items.len());
    // No facts at all: every checked item is unknown, never a false ok.
    for n in 0..items.length() {
        let e: Element = items.item(n).unwrap().dyn_into().unwrap();
        assert_eq!(attr(&e, "data-kf-status"), "unknown");
    }
    assert!(m.query_selector("[data-kf-action=collapse]").unwrap().is_some());
    assert!(m.query_selector("[data-kf-action=dismiss]").unwrap().is_some());
}

#[wasm_bindgen_test]
fn statuses_follow_the_facts() {
    let m = mount();
    let page = catalog::page("workflows.connection.new").unwrap();
    // Fill every text field with a plausible value, the domain with -admin.
    let facts: Vec<FieldFact> = page
        .fields
        .iter()
        .map(|f| FieldFact {
            key: f.key.to_string(),
            value: Some(match f.key {
                "domain" => FieldValue::Text("acme-admin.okta.com".into()),
                "connector" => FieldValue::Choice("Okta".into()),
                _ => FieldValue::Text("0oa1b2c3d4e5f6g7h8i9".into()),
            }),
        })
        .collect();
    let view = view_from_core(page.id, &facts, false);
    render(&doc(), &m, &view);
    let domain = m.query_selector("[data-kf-item='wf.conn.domain']").unwrap().expect("domain item");
    assert_eq!(attr(&domain, "data-kf-status"), "wrong");
    assert!(domain.text_content().unwrap().contains("acme.okta.com"), "the message names the fix");
    let nick = m.query_selector("[data-kf-item='wf.conn.nickname']").unwrap().expect("nickname item");
    assert_eq!(attr(&nick, "data-kf-status"), "ok");
}

#[wasm_bindgen_test]
fn page_text_is_never_parsed_as_html() {
    let m = mount();
    let mut view = view_from_core("okta.api.tokens", &[], false);
    let evil = "<img src=x onerror=alert(1)><b>bold</b>";
    view.page_title = evil.into();
    if let Some(item) = view.checklist.items.first_mut() {
        item.message = Some(evil.into());
    }
    render(&doc(), &m, &view);
    assert!(m.query_selector("img").unwrap().is_none());
    assert!(m.query_selector("b").unwrap().is_none());
    assert!(m.text_content().unwrap().contains(evil));
}

#[wasm_bindgen_test]
fn collapsed_view_shows_only_the_header() {
    let m = mount();
    let view = view_from_core("okta.api.tokens", &[], true);
    render(&doc(), &m, &view);
    assert!(m.query_selector("[data-kf-item]").unwrap().is_none());
    let btn = m.query_selector("[data-kf-action=collapse]").unwrap().unwrap();
    assert_eq!(attr(&btn, "aria-expanded"), "false");
    assert_eq!(action_for(&btn, &view), Some(Action::Collapse { collapsed: false }));
}

#[wasm_bindgen_test]
fn controls_map_to_actions() {
    let m = mount();
    let view = view_from_core("okta.app.general", &[], false);
    render(&doc(), &m, &view);
    let first = m.query_selector("[data-kf-item] [data-kf-action=focus]").unwrap().expect("focus button");
    let item = first.closest("[data-kf-item]").unwrap().unwrap();
    assert_eq!(action_for(&first, &view), Some(Action::Focus { item: attr(&item, "data-kf-item") }));
    let dismiss = m.query_selector("[data-kf-action=dismiss]").unwrap().unwrap();
    assert_eq!(action_for(&dismiss, &view), Some(Action::Dismiss));
    // okta.app.general is used by several integrations: a picker is shown.
    let select: HtmlSelectElement = m.query_selector("select[data-kf-action=pick]").unwrap().expect("picker").dyn_into().unwrap();
    select.set_value("workato-okta-client-credentials");
    assert_eq!(
        action_for(&select, &view),
        Some(Action::Pick { integration: "workato-okta-client-credentials".into() })
    );
}

#[wasm_bindgen_test]
fn capture_fill_and_vault_controls() {
    let m = mount();
    let mut view = view_from_core("workato.connection.new", &[], false);
    view = ViewIn {
        captures: serde_json::from_str(
            r#"[{"slot":"okta.client_id","label":"Okta Client ID","shown":true,"captured":null,"hint":"h"},
                {"slot":"okta.client_secret","label":"Okta Client Secret","shown":false,"captured":null,"hint":"Click the eye icon"}]"#,
        )
        .unwrap(),
        fill: serde_json::from_str(
            r#"{"values":[{"field":"domain","label":"Okta domain","display":"acme.okta.com","secret":false,"copy":true},
                          {"field":"client_secret","label":"Client secret","display":"••••••••(40)","secret":true,"copy":true},
                          {"field":"dpop","label":"DPoP","display":"☐ unchecked","secret":false,"copy":false}],
                "missing":[{"field":"client_id","label":"Client ID","reason":"not captured yet"}],
                "conflicts":["Connection name"],"ready":2,"absent":["Private key"]}"#,
        )
        .unwrap(),
        vault: serde_json::from_str(
            r#"[{"slot":"okta.client_secret","label":"Okta Client Secret","masked":"••••••••(40)","org":"acme.okta.com","seconds_left":300}]"#,
        )
        .unwrap(),
        notice: serde_json::from_str(r#"{"ok":true,"text":"Filled 2 field(s)."}"#).unwrap(),
        ..view
    };
    render(&doc(), &m, &view);
    let q = |sel: &str| m.query_selector(sel).unwrap().unwrap_or_else(|| panic!("{sel}"));
    // Capture only where the page shows the value; the hint where it does not.
    assert_eq!(
        action_for(&q("[data-kf-action=capture][data-kf-slot='okta.client_id']"), &view),
        Some(Action::Capture { slot: "okta.client_id".into() })
    );
    assert!(m.query_selector("[data-kf-action=capture][data-kf-slot='okta.client_secret']").unwrap().is_none());
    assert!(m.text_content().unwrap().contains("Click the eye icon"));
    // Secrets are shown masked, and the fill button says how many fields.
    assert!(m.text_content().unwrap().contains("••••••••(40)"));
    let fill = q("[data-kf-action=fill]:not([data-kf-overwrite])");
    assert_eq!(fill.text_content().unwrap(), "Fill 2 fields");
    assert_eq!(action_for(&fill, &view), Some(Action::Fill { overwrite: false }));
    assert_eq!(action_for(&q("[data-kf-action=fill][data-kf-overwrite]"), &view), Some(Action::Fill { overwrite: true }));
    assert_eq!(
        action_for(&q("[data-kf-action=copy][data-kf-field=domain]"), &view),
        Some(Action::Copy { field: "domain".into() })
    );
    // Fields keyferry has a value for but the page does not show yet are named.
    assert!(m.text_content().unwrap().contains("Not on the page yet: Private key."));
    // A box to tick is shown, not offered for Copy.
    assert!(m.text_content().unwrap().contains("☐ unchecked"));
    assert!(m.query_selector("[data-kf-action=copy][data-kf-field=dpop]").unwrap().is_none());
    assert_eq!(
        action_for(&q("[data-kf-vault='okta.client_secret'] [data-kf-action=forget]"), &view),
        Some(Action::Forget { slot: Some("okta.client_secret".into()) })
    );
    let all = m.query_selector_all("[data-kf-action=forget]").unwrap();
    let last: Element = all.item(all.length() - 1).unwrap().dyn_into().unwrap();
    assert_eq!(action_for(&last, &view), Some(Action::Forget { slot: None }));
    assert_eq!(q(".kf-notice").text_content().unwrap(), "Filled 2 field(s).");
}

#[wasm_bindgen_test]
fn the_destination_problem_and_the_bind_confirmation_are_shown() {
    let m = mount();
    let view = view_from_core("okta.salesforce.provisioning", &[], false);
    let view = ViewIn {
        fill: serde_json::from_str(
            r#"{"values":[{"field":"consumer_secret","label":"OAuth Consumer Secret","display":"••••(64)","secret":true,"copy":true}],
                "missing":[],"conflicts":[],"ready":1,"absent":[],
                "bind":{"to":"acme.okta.com","question":"Fill sends them to acme.okta.com: confirm."}}"#,
        )
        .unwrap(),
        ..view
    };
    render(&doc(), &m, &view);
    let q = |sel: &str| m.query_selector(sel).unwrap().unwrap_or_else(|| panic!("{sel}"));
    // The confirmation replaces Fill, and names the org it sends back.
    assert!(m.query_selector("[data-kf-action=fill]").unwrap().is_none());
    assert_eq!(q("[data-kf-bind-ask]").text_content().unwrap(), "Fill sends them to acme.okta.com: confirm.");
    let bind = q("[data-kf-action=bind]");
    assert_eq!(bind.text_content().unwrap(), "Send them to acme.okta.com and fill");
    assert_eq!(action_for(&bind, &view), Some(Action::Bind { org: "acme.okta.com".into() }));

    let view = view_from_core("workato.connection.new", &[], false);
    let view = ViewIn {
        fill: serde_json::from_str(
            r#"{"values":[],"missing":[],"conflicts":["Okta domain"],"ready":2,"absent":[],
                "blocked":"\"Okta domain\" names evil.okta.com"}"#,
        )
        .unwrap(),
        ..view
    };
    render(&doc(), &m, &view);
    assert_eq!(q("[data-kf-blocked]").text_content().unwrap(), "\"Okta domain\" names evil.okta.com");
    assert!(m.query_selector("[data-kf-action=bind]").unwrap().is_none());
    assert!(m.query_selector("[data-kf-action=fill][data-kf-overwrite]").unwrap().is_some());
}

#[wasm_bindgen_test]
fn drift_notice_names_missing_fields_and_offers_the_signature() {
    let m = mount();
    let view = view_from_core("okta.app.wizard_service", &[FieldFact { key: "name".into(), value: None }], false);
    render(&doc(), &m, &view);
    let sec = m.query_selector("[data-kf-drift]").unwrap().expect("the drift notice");
    assert_eq!(sec.get_attribute("data-kf-drift").as_deref(), Some("okta.app.wizard_service"));
    let text = sec.text_content().unwrap();
    assert!(text.contains("This page differs from what keyferry knows"), "{text}");
    assert!(text.contains("App integration name"), "{text}");
    let button = m.query_selector("[data-kf-action=signature]").unwrap().expect("Copy page signature");
    assert_eq!(action_for(&button, &view), Some(Action::Signature));
    // The field found: no notice.
    let found = FieldFact { key: "name".into(), value: Some(FieldValue::Text(String::new())) };
    let view = view_from_core("okta.app.wizard_service", &[found], false);
    render(&doc(), &m, &view);
    assert!(m.query_selector("[data-kf-drift]").unwrap().is_none());
}

// ---------------------------------------------------------------- hostile JS values (SECURITY.md)
// What crosses the messaging boundary is a JS value, not JSON text: strings
// may hold lone UTF-16 surrogates, objects may carry `__proto__` as an own
// key (JSON.parse makes one), values may be huge or not plain data at all.
// The background must answer each with a reply or a clear error, never
// throw into the caller or panic (a panic would abort the instance).

fn js(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).expect("test JSON")
}

fn reply_type(v: &wasm_bindgen::JsValue) -> (String, String) {
    let get = |k: &str| js_sys::Reflect::get(v, &k.into()).ok().and_then(|x| x.as_string()).unwrap_or_default();
    (get("type"), get("reason"))
}

fn ask(msg: wasm_bindgen::JsValue) -> (String, String) {
    // Each ask from a tab of its own: the background bounds the reports one
    // frame or tab may send (crate::budget), and these tests send many.
    static TAB: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1000);
    let tab = TAB.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let sender = js(&format!(
        r#"{{"url": "https://acme-admin.okta.com/admin/access/api/tokens", "frameId": 0, "tab": {{"id": {tab}}}}}"#
    ));
    reply_type(&keyferry::web::background::background_message(msg, sender))
}

#[wasm_bindgen_test]
fn lone_surrogates_in_js_strings_are_answered_not_thrown() {
    // eval-free construction of strings with unpaired surrogates.
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let lone_low = js_sys::JsString::from_char_code1(0xDC00);
    for s in [lone.clone(), lone_low, lone.concat(&"https://acme-admin.okta.com/".into())] {
        let hello = js(r#"{"v": 1, "msg": {"hello": {"url": "", "top": true}}}"#);
        let inner = js_sys::Reflect::get(&js_sys::Reflect::get(&hello, &"msg".into()).unwrap(), &"hello".into()).unwrap();
        js_sys::Reflect::set(&inner, &"url".into(), &s).unwrap();
        let (t, _) = ask(hello);
        // Decoded lossily (U+FFFD) and then refused as a URL: no specs.
        assert_eq!(t, "specs");
        let facts = js(r#"{"v": 1, "msg": {"facts": {"url": "https://acme-admin.okta.com/admin/access/api/tokens",
            "candidates": [{"page": "okta.api.tokens", "landmarks": [true], "fields": [{"key": "token_value", "value": {"text": ""}}]}]}}}"#);
        let value = js_sys::Reflect::get(
            &js_sys::Reflect::get(&js_sys::Reflect::get(&js_sys::Reflect::get(&facts, &"msg".into()).unwrap(), &"facts".into()).unwrap(), &"candidates".into()).unwrap(),
            &0.into(),
        )
        .unwrap();
        let field = js_sys::Reflect::get(&js_sys::Reflect::get(&value, &"fields".into()).unwrap(), &0.into()).unwrap();
        js_sys::Reflect::set(&js_sys::Reflect::get(&field, &"value".into()).unwrap(), &"text".into(), &s).unwrap();
        let (t, _) = ask(facts);
        assert!(t == "verdict" || t == "error", "{t}");
    }
}

#[wasm_bindgen_test]
fn prototype_keys_in_js_objects_pollute_nothing() {
    // Found here: serde-wasm-bindgen reads a struct's known keys from a JS
    // object and does not see extra own keys, so `deny_unknown_fields` holds
    // for JSON text (tests/protocol.rs) but not for JS values. An own
    // `__proto__` / `constructor` key is then simply not read: the message
    // decodes as if it were absent, and nothing is polluted.
    let hello = |extra: &str| js(&format!(r#"{{"v": 1, "msg": {{"hello": {{"url": "x", "top": true{extra}}}}}}}"#));
    assert_eq!(ask(hello("")), ask(hello(r#", "__proto__": {"admin": true}"#)));
    assert_eq!(ask(hello("")), ask(hello(r#", "constructor": {"prototype": {"admin": true}}"#)));
    assert_eq!(ask(hello("")).0, "specs");
    let top = js(r#"{"v": 1, "msg": {"hello": {"url": "x", "top": true}}, "__proto__": {"v": 2}}"#);
    assert_eq!(ask(top).0, "specs");
    // As the message's type (an enum variant name), it is unknown: refused.
    for text in [
        r#"{"v": 1, "msg": {"__proto__": {"url": "x", "top": true}}}"#,
        r#"{"v": 1, "msg": {"constructor": {"prototype": {}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"__proto__": {}}}}}"#,
    ] {
        let (t, reason) = ask(js(text));
        assert_eq!(t, "error", "{text}");
        assert!(reason.contains("malformed"), "{reason}");
    }
    // Nothing leaked into Object.prototype.
    let probe = js_sys::Object::new();
    assert!(js_sys::Reflect::get(&probe, &"admin".into()).unwrap().is_undefined());
}

#[wasm_bindgen_test]
fn ten_megabyte_and_odd_values_get_clear_errors() {
    let ten = "x".repeat(10 * 1024 * 1024);
    let msg = js(r#"{"v": 1, "msg": {"hello": {"url": "", "top": true}}}"#);
    let inner = js_sys::Reflect::get(&js_sys::Reflect::get(&msg, &"msg".into()).unwrap(), &"hello".into()).unwrap();
    js_sys::Reflect::set(&inner, &"url".into(), &ten.as_str().into()).unwrap();
    let (t, reason) = ask(msg);
    assert_eq!((t.as_str(), reason.as_str()), ("error", "message too large: url"));
    // Not data at all: functions, symbols, BigInt, undefined, null, arrays.
    let odd: Vec<wasm_bindgen::JsValue> = vec![
        js_sys::Function::default().into(),
        js_sys::Symbol::for_("x").into(),
        js_sys::BigInt::from(1u64).into(),
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::NULL,
        js_sys::Array::new().into(),
    ];
    for v in odd {
        let (t, _) = ask(v.clone());
        assert_eq!(t, "error");
        let msg = js(r#"{"v": 1, "msg": {"hello": {"url": "x", "top": true}}}"#);
        let inner = js_sys::Reflect::get(&js_sys::Reflect::get(&msg, &"msg".into()).unwrap(), &"hello".into()).unwrap();
        js_sys::Reflect::set(&inner, &"top".into(), &v).unwrap();
        let (t, _) = ask(msg);
        assert_eq!(t, "error");
    }
}

/// The popup's view from the background's engine (`session::Session`): the
/// admin on the Okta app's General tab for workato-okta-auth-code, with the
/// client secret captured or not, then the popup opened; sent through the
/// same serde boundary.
fn popup_from_core(with_secret: bool) -> (PopupView<String>, &'static str) {
    use keyferry::clickguard::{PageFacts, PanelFacts};
    use keyferry::protocol::{CandidateFacts, Reply, ToBackground, UiRequest};
    use keyferry::session::{Answer, Answered, Effect, Input, Sender, Session};
    const SECRET: &str = "hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5";
    let page = catalog::page("okta.app.general").unwrap();
    let url = url_of(page.id);
    let (now, token) = (1_795_000_000_000, Some("t".to_string()));
    let mut session = Session::new(keyferry::web::i18n::tf);
    let agent = Sender { tab: Some(1), url: url.into(), top_url: Some(url.into()), ..Default::default() };
    let panel = Sender { tab: Some(1), url: "chrome-extension://kf/overlay.html".into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() };
    let ui = Sender { url: "chrome-extension://kf/popup.html".into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() };
    let report = |session: &mut Session, fields: Vec<FieldFact>| {
        let candidates = vec![CandidateFacts { page: page.id.into(), landmarks: vec![true; page.landmarks.len()], fields }];
        let msg = ToBackground::Facts { url: url.into(), candidates, token: token.clone() };
        session.handle(Input::Message { msg: Ok(msg), sender: agent.clone() }, now);
    };
    let secret = FieldFact { key: "client_secret".into(), value: Some(FieldValue::Text(SECRET.into())) };
    report(&mut session, if with_secret { vec![secret] } else { vec![] });
    session.handle(Input::Connect { port: 1, name: "overlay:0:t".into(), sender: panel.clone() }, now);
    let click = Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 1.0, y: 1.0 });
    let mut actions = vec![Action::Pick { integration: "workato-okta-auth-code".into() }];
    if with_secret {
        actions.push(Action::Capture { slot: "okta.client_secret".into() });
    }
    for action in actions {
        let msg = ToBackground::OverlayAction { frame: 0, action, basis: None, click, token: token.clone() };
        let (_, effects) = session.handle(Input::Message { msg: Ok(msg), sender: panel.clone() }, now);
        // The page leaves the panel alone: the guarded click goes ahead.
        let asked = effects.iter().find_map(|e| match e {
            Effect::Ask { ticket, .. } => Some(*ticket),
            _ => None,
        });
        if let Some(ticket) = asked {
            let clean = PageFacts { present: true, opacity: 1.0, clean_ms: 5_000, ..Default::default() };
            session.handle(Input::Answer { ticket, answer: Answer::Check(Some(clean)) }, now);
        }
    }
    // The admin hid the secret again: the step is still to do.
    report(&mut session, vec![]);
    let request = ToBackground::Ui { request: UiRequest::Popup { integration: None } };
    let view = match session.handle(Input::Message { msg: Ok(request), sender: ui }, now).0 {
        Answered::Now(Reply::Popup { view }) => view,
        other => panic!("{other:?}"),
    };
    assert_eq!(view.vault_total, usize::from(with_secret));
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    (serde_wasm_bindgen::from_value(view.serialize(&ser).unwrap()).unwrap(), SECRET)
}

#[wasm_bindgen_test]
fn popup_lists_steps_and_masked_values() {
    use keyferry::web::popup;
    let m = mount();
    let (view, secret) = popup_from_core(true);
    popup::render(&doc(), &m, &view);
    let steps = m.query_selector_all("[data-kf-step]").unwrap();
    assert_eq!(steps.length() as usize, catalog::integration("workato-okta-auth-code").unwrap().steps.len());
    let general = m.query_selector("[data-kf-step='okta.app.general']").unwrap().unwrap();
    assert_eq!(attr(&general, "data-kf-state"), "todo");
    assert!(general.text_content().unwrap().contains("acme-admin.okta.com"));
    // The next step links to the org's admin host.
    let next = m.query_selector("[data-kf-next]").unwrap().unwrap();
    assert!(attr(&next, "href").starts_with("https://acme-admin.okta.com/"));
    let row = m.query_selector("[data-kf-vault='okta.client_secret']").unwrap().unwrap();
    assert!(row.query_selector("[data-kf-action=copy]").unwrap().is_some());
    assert!(row.query_selector("[data-kf-action=forget]").unwrap().is_some());
    let html = m.inner_html();
    assert!(!html.contains(secret) && !html.contains(&secret[..8]), "the secret is masked");
    assert!(m.query_selector("[data-kf-action=forget-all]").unwrap().is_some());
    assert_eq!(popup::time_left(900), "15 min left");
    assert_eq!(popup::time_left(59), "59 s left");
}

#[wasm_bindgen_test]
fn popup_empty_states_explain_what_to_do() {
    use keyferry::web::popup;
    let m = mount();
    let (mut view, _) = popup_from_core(false);
    popup::render(&doc(), &m, &view);
    assert!(m.query_selector("[data-kf-empty=vault]").unwrap().unwrap().text_content().unwrap().contains("Capture"));
    assert!(m.query_selector("[data-kf-action=forget-all]").unwrap().is_none());
    view.integration = None;
    view.progress = None;
    popup::render(&doc(), &m, &view);
    assert!(m.query_selector("[data-kf-empty=progress]").unwrap().is_some());
    let pick: HtmlSelectElement = m.query_selector("select[data-kf-action=pick]").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(pick.value(), "");
}

#[wasm_bindgen_test]
fn options_offer_not_chosen_and_select_it_while_no_data_center_is_chosen() {
    use keyferry::web::options;
    let m = mount();
    let view: SettingsView<String> = serde_json::from_str(
        r#"{"data_center":"","data_center_managed":false,"data_centers":[["us","US"],["eu","EU"]],
            "vault_minutes":15,"vault_minutes_managed":false,"min_minutes":1,"max_minutes":480,
            "hosts":[],"kinds":[["okta_admin","Okta custom admin domain"]],"problems":[],"notice":null}"#,
    )
    .unwrap();
    options::render(&doc(), &m, &view);
    let dc: HtmlSelectElement = m.query_selector("#kf-dc").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(dc.value(), "", "unknown is not US");
    let first = m.query_selector("#kf-dc option").unwrap().unwrap();
    assert_eq!(attr(&first, "value"), "");
    assert!(!first.text_content().unwrap_or_default().is_empty());
    assert_eq!(m.query_selector_all("#kf-dc option").unwrap().length(), 3);
}

#[wasm_bindgen_test]
fn options_show_managed_values_as_set_by_the_administrator() {
    use keyferry::web::options;
    let m = mount();
    let view: SettingsView<String> = serde_json::from_str(
        r#"{"data_center":"jp","data_center_managed":true,"data_centers":[["us","US"],["jp","JP"]],
            "vault_minutes":30,"vault_minutes_managed":false,"min_minutes":1,"max_minutes":480,
            "hosts":[{"kind":"okta_admin","kind_label":"Okta custom admin domain","host":"admin.example.com","pattern":"https://admin.example.com/*","managed":true,"granted":false,"registered":false},
                     {"kind":"workato","kind_label":"Private Workato instance","host":"wk.example.com","pattern":"https://wk.example.com/*","managed":false,"granted":true,"registered":true}],
            "kinds":[["okta_admin","Okta custom admin domain"]],"problems":["administrator policy: custom host ignored. x"],"notice":null}"#,
    )
    .unwrap();
    options::render(&doc(), &m, &view);
    let dc: HtmlSelectElement = m.query_selector("#kf-dc").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(dc.value(), "jp");
    assert!(dc.disabled());
    assert!(m.query_selector("[data-kf-managed=data_center]").unwrap().is_some());
    assert!(m.query_selector("[data-kf-managed=vault_minutes]").unwrap().is_none());
    let managed = m.query_selector("li[data-kf-host='admin.example.com']").unwrap().unwrap();
    assert!(managed.query_selector("[data-kf-action=remove-host]").unwrap().is_none(), "a policy host cannot be removed");
    assert!(managed.query_selector("[data-kf-action=grant]").unwrap().is_some());
    let own = m.query_selector("li[data-kf-host='wk.example.com']").unwrap().unwrap();
    assert_eq!(attr(&own, "data-kf-registered"), "true");
    assert!(own.query_selector("[data-kf-action=remove-host]").unwrap().is_some());
    assert_eq!(m.query_selector_all("[data-kf-problem]").unwrap().length(), 1);
}

#[wasm_bindgen_test]
fn ui_strings_come_from_messages_json() {
    let m = mount();
    let view = view_from_core("okta.api.tokens", &[], false);
    render(&doc(), &m, &view);
    let dismiss = m.query_selector("[data-kf-action=dismiss]").unwrap().expect("dismiss");
    assert_eq!(attr(&dismiss, "title"), "Hide keyferry on this page");
    assert_eq!(keyferry::web::i18n::tf("overlay_step", &["2", "5"]), "Step 2 of 5");
    assert_eq!(keyferry::web::i18n::t("no_such_key"), "no_such_key", "a missing key shows as itself, never blank");
}

// ---- the overlay's hand-written view reader (src/web/decode.rs) against serde

/// serde's reading of an overlay message, and the overlay's own, side by side
/// (as Debug text: the view types have no PartialEq).
fn both_decoders(js: &wasm_bindgen::JsValue) -> (Option<String>, Option<String>) {
    use keyferry::protocol::ToOverlayOf;
    let serde = serde_wasm_bindgen::from_value::<Envelope<ToOverlayOf<String>>>(js.clone()).ok().map(|e| format!("{e:?}"));
    let ours = keyferry::web::decode::to_overlay(js).map(|e| format!("{e:?}"));
    (serde, ours)
}

fn to_js_value<T: Serialize>(v: &T) -> wasm_bindgen::JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

#[wasm_bindgen_test]
fn overlay_reader_agrees_with_serde_on_the_views_the_session_builds() {
    use keyferry::protocol::ToOverlayOf;
    let mut checked = 0;
    for page in ["okta.api.tokens", "okta.app.general", "okta.app.wizard_service", "okta.salesforce.provisioning",
        "workflows.connection.new", "workato.connection.new"]
    {
        for collapsed in [false, true] {
            let js = view_js_from_core(page, &[], collapsed);
            let (serde, ours) = both_decoders(&js);
            assert!(serde.is_some(), "{page}: serde reads the session's view");
            assert_eq!(ours, serde, "{page} (collapsed {collapsed})");
            checked += 1;
        }
    }
    // Every optional part present: a fill with a bind question, a notice,
    // a drift notice, captured values in the vault.
    let mut view = view_from_core("okta.salesforce.provisioning", &[], false);
    view.fill = serde_json::from_str(
        r#"{"values":[{"field":"consumer_secret","label":"OAuth Consumer Secret","display":"••(64)","secret":true,"copy":true}],
            "missing":[{"field":"consumer_key","label":"Consumer Key","reason":"not captured"}],"conflicts":["Okta domain"],
            "ready":1,"absent":["x"],"blocked":"b","bind":{"to":"acme.okta.com","question":"q?"}}"#,
    )
    .unwrap();
    view.notice = Some(serde_json::from_str(r#"{"ok":false,"text":"n 😀 ✓"}"#).unwrap());
    view.drift = Some(serde_json::from_str(
        r#"{"recognized":"okta.api.tokens","pages":[{"page":"okta.api.tokens","title":"T","landmarks":["l"],"fields":["f"]}]}"#,
    ).unwrap());
    view.vault = serde_json::from_str(
        r#"[{"slot":"okta.client_id","label":"Client ID","masked":"0oa…","org":"acme.okta.com","seconds_left":900}]"#,
    )
    .unwrap();
    view.step = Some((2, 5));
    let (serde, ours) = both_decoders(&to_js_value(&Envelope::new(ToOverlayOf::View(view))));
    assert!(serde.is_some());
    assert_eq!(ours, serde);
    let (serde, ours) = both_decoders(&to_js_value(&Envelope::new(ToOverlayOf::<String>::Gone)));
    assert_eq!((ours.as_deref(), serde.as_deref()), (Some("Envelope { v: 1, msg: Gone }"), Some("Envelope { v: 1, msg: Gone }")));
    assert_eq!(checked, 12);
}

#[wasm_bindgen_test]
fn overlay_reader_refuses_what_serde_refuses() {
    use js_sys::{Array, Object, Reflect, JSON};
    use wasm_bindgen::JsValue;
    let good = view_js_from_core("okta.app.general", &[], false);
    // A deep copy with one change at `path` (None: delete the key).
    let edit = |path: &[&str], to: Option<JsValue>| -> JsValue {
        let copy = JSON::parse(&JSON::stringify(&good).unwrap().as_string().unwrap()).unwrap();
        let mut at = copy.clone();
        for k in &path[..path.len() - 1] {
            at = Reflect::get(&at, &JsValue::from_str(k)).unwrap();
        }
        let last = JsValue::from_str(path[path.len() - 1]);
        match to {
            Some(v) => Reflect::set(&at, &last, &v).unwrap(),
            None => Reflect::delete_property(at.unchecked_ref::<Object>(), &last).unwrap(),
        };
        copy
    };
    let cases: Vec<(&str, JsValue)> = vec![
        ("no version", edit(&["v"], None)),
        ("a negative version", edit(&["v"], Some(JsValue::from_f64(-1.0)))),
        ("a fractional count", edit(&["msg", "view", "checklist", "done"], Some(JsValue::from_f64(1.5)))),
        ("a second variant key", edit(&["msg", "gone"], Some(JsValue::NULL))),
        ("an unknown variant", edit(&["msg"], Some(JsValue::from_str("went")))),
        ("a missing required field", edit(&["msg", "view", "checklist", "items"], None)),
        ("a number for a string", edit(&["msg", "view", "page_title"], Some(JsValue::from_f64(3.0)))),
        ("a string for a bool", edit(&["msg", "view", "collapsed"], Some(JsValue::from_str("true")))),
        ("an unknown status", edit(&["msg", "view", "checklist", "items", "0", "status"], Some(JsValue::from_str("fine")))),
        ("a one-element pair", edit(&["msg", "view", "integrations", "0"], Some(Array::of1(&JsValue::from_str("x")).into()))),
        ("an object for a list", edit(&["msg", "view", "routes"], Some(Object::new().into()))),
        ("null", JsValue::NULL),
        ("a string", JsValue::from_str("view")),
    ];
    for (what, js) in cases {
        let (serde, ours) = both_decoders(&js);
        assert_eq!(serde, None, "{what}: serde accepted it (the case tests nothing)");
        assert_eq!(ours, None, "{what}: the overlay's reader accepted it");
    }
    // What serde ignores, the reader ignores too: unknown fields (serde_wasm_bindgen
    // reads fields by name, so even the envelope's deny_unknown_fields does not apply).
    for path in [&["extra"][..], &["msg", "view", "extra"], &["msg", "view", "checklist", "items", "0", "extra"]] {
        let (serde, ours) = both_decoders(&edit(path, Some(JsValue::TRUE)));
        assert!(serde.is_some(), "{path:?}");
        assert_eq!(ours, serde, "{path:?}");
    }
}

#[wasm_bindgen_test]
fn the_overlay_shows_requirement_texts_from_messages_json() {
    let m = mount();
    let view = view_from_core("okta.api.tokens", &[], false);
    render(&doc(), &m, &view);
    let all: serde_json::Value = serde_json::from_str(include_str!("../extension/_locales/en/messages.json")).unwrap();
    let shown: Vec<String> = {
        let list = m.query_selector_all(".kf-summary").unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap()).collect()
    };
    let items = &view.checklist.items;
    assert!(!items.is_empty() && shown.len() == items.len(), "{shown:?}");
    for (item, text) in items.iter().zip(&shown) {
        assert!(item.summary.starts_with("req_"), "the view carries the key: {}", item.summary);
        assert_eq!(Some(text.as_str()), all[&item.summary]["message"].as_str(), "{}", item.id);
    }
}

#[wasm_bindgen_test]
fn overlay_action_messages_are_written_as_serde_writes_them_and_read_back_the_same() {
    use keyferry::clickguard::PanelFacts;
    use keyferry::protocol::ToBackground;
    let stringify = |v: &wasm_bindgen::JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    let actions = [
        Action::Pick { integration: "okta-salesforce-provisioning".into() },
        Action::Focus { item: "okta.app.redirect_uri".into() },
        Action::Collapse { collapsed: true },
        Action::Collapse { collapsed: false },
        Action::Dismiss,
        Action::Dock,
        Action::Fit { height: 412 },
        Action::Capture { slot: "okta.client_id".into() },
        Action::Fill { overwrite: true },
        Action::Bind { org: "acme.okta.com".into() },
        Action::Copy { field: "client_id \"quoted\" ✓".into() },
        Action::Forget { slot: Some("sf.consumer_key".into()) },
        Action::Forget { slot: None },
        Action::Signature,
    ];
    let clicks = [None, Some(PanelFacts { tracked: true, visible_ms: Some(1200), x: 10.5, y: 3.0 }),
        Some(PanelFacts { tracked: false, visible_ms: None, x: 0.0, y: -1.25 })];
    let mut checked = 0;
    for action in &actions {
        for click in &clicks {
            for (basis, token) in [(None, None), (Some("b1"), Some("tok"))] {
                let msg = Envelope::new(ToBackground::OverlayAction {
                    frame: 3,
                    action: action.clone(),
                    basis: basis.map(Into::into),
                    click: *click,
                    token: token.map(Into::into),
                });
                let ours = keyferry::web::decode::overlay_action(3, action, basis, click.as_ref(), token);
                assert_eq!(stringify(&ours), stringify(&to_js_value(&msg)), "{action:?} {click:?} {basis:?}");
                let read = keyferry::protocol::decode(serde_wasm_bindgen::Deserializer::from(ours));
                assert_eq!(read.as_ref().ok(), Some(&msg.msg), "{action:?}: the background reads it back");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, actions.len() * 6);
}

/// serde's reading of a popup/options reply, and the pages' own (web::decode::ui_reply).
fn both_reply_decoders(js: &wasm_bindgen::JsValue) -> (Option<String>, Option<String>) {
    let serde = serde_wasm_bindgen::from_value::<keyferry::protocol::UiReply>(js.clone()).ok().map(|r| format!("{r:?}"));
    let ours = keyferry::web::decode::ui_reply(js).map(|r| format!("{r:?}"));
    (serde, ours)
}

#[wasm_bindgen_test]
fn popup_and_options_reply_reader_agrees_with_serde() {
    use keyferry::protocol::UiReply;
    let settings: SettingsView<String> = serde_json::from_str(
        r#"{"data_center":"eu","data_center_managed":true,"data_centers":[["us","US"],["eu","EU"]],
            "vault_minutes":15,"vault_minutes_managed":false,"min_minutes":1,"max_minutes":480,
            "hosts":[{"kind":"okta_admin","kind_label":"Okta custom admin domain","host":"sso.example.com",
                      "pattern":"https://sso.example.com/*","managed":false,"granted":true,"registered":false}],
            "kinds":[["okta_admin","Okta custom admin domain"]],"problems":["p"],"notice":{"ok":true,"text":"Saved."}}"#,
    )
    .unwrap();
    let drift = serde_json::from_str(
        r#"{"recognized":null,"pages":[{"page":"okta.api.tokens","title":"Okta API Tokens","landmarks":["\"Create token\" in `button, a`"],"fields":[]}]}"#,
    )
    .unwrap();
    let replies: Vec<UiReply> = vec![
        UiReply::Popup { view: popup_from_core(true).0 },
        UiReply::Popup { view: popup_from_core(false).0 },
        UiReply::Settings { view: settings },
        UiReply::Report { markdown: "# r".into(), json: "{}".into(), file: "keyferry-report.md".into() },
        UiReply::Error { reason: "no".into() },
        UiReply::Drift { drift: Some(drift), notice: None },
        UiReply::Drift { drift: None, notice: Some(keyferry::protocol::Notice { ok: true, text: "Copied.".into() }) },
    ];
    for reply in &replies {
        let (serde, ours) = both_reply_decoders(&to_js_value(reply));
        assert!(serde.is_some(), "serde reads {reply:?}");
        assert_eq!(ours, serde);
    }
    let popup = to_js_value(&replies[0]);
    assert!(format!("{:?}", keyferry::web::decode::ui_reply(&popup)).contains("progress: Some"), "the popup view has progress");
}

#[wasm_bindgen_test]
fn popup_and_options_reply_reader_refuses_what_serde_refuses() {
    use js_sys::{Reflect, JSON};
    use wasm_bindgen::JsValue;
    let parse = |s: &str| JSON::parse(s).unwrap();
    let popup = JSON::stringify(&to_js_value(&keyferry::protocol::UiReply::Popup { view: popup_from_core(true).0 }))
        .unwrap()
        .as_string()
        .unwrap();
    let edit = |path: &[&str], to: JsValue| -> JsValue {
        let copy = parse(&popup);
        let mut at = copy.clone();
        for k in &path[..path.len() - 1] {
            at = Reflect::get(&at, &JsValue::from_str(k)).unwrap();
        }
        Reflect::set(&at, &JsValue::from_str(path[path.len() - 1]), &to).unwrap();
        copy
    };
    let cases: Vec<(&str, JsValue)> = vec![
        ("a reply only the agent gets", parse(r#"{"type":"ack"}"#)),
        ("an unknown type", parse(r#"{"type":"hello","reason":"x"}"#)),
        ("no type", parse(r#"{"reason":"x"}"#)),
        ("a missing field", parse(r#"{"type":"report","markdown":"m","json":"j"}"#)),
        ("an unknown step state", edit(&["view", "progress", "steps", "0", "state"], JsValue::from_str("later"))),
        ("an unknown requirement status", edit(&["view", "progress", "steps", "0", "requirements", "0", "status"], JsValue::from_str("fine"))),
        ("a negative count", edit(&["view", "vault_total"], JsValue::from_f64(-2.0))),
        ("a string for a count", edit(&["view", "vault_minutes"], JsValue::from_str("15"))),
        ("an unknown slot", edit(&["view", "vault", "0", "slot"], JsValue::from_str("okta.password"))),
        ("null", JsValue::NULL),
    ];
    for (what, js) in cases {
        let (serde, ours) = both_reply_decoders(&js);
        assert_eq!(serde, None, "{what}: serde accepted it (the case tests nothing)");
        assert_eq!(ours, None, "{what}: the pages' reader accepted it");
    }
}

#[wasm_bindgen_test]
fn ui_requests_are_written_as_serde_writes_them_and_read_back_the_same() {
    use keyferry::protocol::{CustomHostIn, SettingsIn, ToBackground, UiRequest};
    let stringify = |v: &wasm_bindgen::JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    let requests = [
        UiRequest::Popup { integration: None },
        UiRequest::Popup { integration: Some("workato-okta-auth-code".into()) },
        UiRequest::Forget { integration: "i".into(), slot: None },
        UiRequest::Forget { integration: "i".into(), slot: Some("okta.client_id".into()) },
        UiRequest::ForgetAll,
        UiRequest::Copy { integration: "i".into(), slot: "okta.client_secret".into() },
        UiRequest::Report { integration: "i \"q\" ✓".into() },
        UiRequest::Settings,
        UiRequest::SaveSettings { settings: SettingsIn { data_center: "eu".into(), vault_minutes: 30, custom_hosts: vec![] } },
        UiRequest::SaveSettings {
            settings: SettingsIn {
                data_center: "".into(),
                vault_minutes: 480,
                custom_hosts: vec![
                    CustomHostIn { kind: "okta_admin".into(), host: "sso.example.com".into() },
                    CustomHostIn { kind: "workato".into(), host: "w.example.com".into() },
                ],
            },
        },
        UiRequest::Drift { tab: 17 },
        UiRequest::Signature { tab: 4 },
    ];
    for request in &requests {
        let msg = Envelope::new(ToBackground::Ui { request: request.clone() });
        let ours = keyferry::web::decode::ui_request(request);
        assert_eq!(stringify(&ours), stringify(&to_js_value(&msg)), "{request:?}");
        let read = keyferry::protocol::decode(serde_wasm_bindgen::Deserializer::from(ours));
        assert_eq!(read.as_ref().ok(), Some(&msg.msg), "{request:?}: the background reads it back");
    }
}

/// `validate::lowercase` hands non-ASCII text to the browser's
/// `toLowerCase` (the wasm carries no Unicode case tables): the same full
/// mapping as `str::to_lowercase`, final sigma included.
#[wasm_bindgen_test]
fn lowercase_is_the_browsers_and_rusts() {
    for s in [
        "Status: ACTIVE",
        "ÄKTIV Über",
        "ΟΔΟΣ ΟΔΟΣ.",
        "İstanbul",
        "\u{212A}orea",
        "ẞ STRASSE",
        "Ｆｕｌｌ ＷＩＤＴＨ",
        "日本語 テキスト",
        "Ǆ ǅ ǆ",
        "",
    ] {
        assert_eq!(keyferry::validate::lowercase(s), s.to_lowercase(), "{s}");
    }
}

// ---- the background's hand-written readers (web::inbound) against serde's

/// Every variation of `good` one step away: at each key or index, the value
/// deleted or replaced by a value of another type, and an extra key in each
/// object.
fn one_step_variants(good: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let replacements = [json!(null), json!("x"), json!(1.5), json!(-1), json!(3), json!(true), json!([]), json!({}), json!(["x", "y"])];
    let mut out = Vec::new();
    fn walk(v: &Value, path: &mut Vec<Value>, visit: &mut dyn FnMut(&[Value], &Value)) {
        visit(path, v);
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                path.push(Value::String(k.clone()));
                walk(x, path, visit);
                path.pop();
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                path.push(json!(i));
                walk(x, path, visit);
                path.pop();
            }),
            _ => {}
        }
    }
    fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
        path.iter().fold(v, |v, k| match k {
            Value::String(k) => &mut v[k.as_str()],
            k => &mut v[k.as_u64().unwrap() as usize],
        })
    }
    walk(good, &mut Vec::new(), &mut |path, v| {
        if let Some((last, parent)) = path.split_last() {
            let mut c = good.clone();
            match (at(&mut c, parent), last) {
                (Value::Object(m), Value::String(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), i) => {
                    a.remove(i.as_u64().unwrap() as usize);
                }
                _ => unreachable!(),
            }
            out.push(c);
        }
        for r in &replacements {
            let mut c = good.clone();
            *at(&mut c, path) = r.clone();
            out.push(c);
        }
        if v.is_object() {
            let mut c = good.clone();
            at(&mut c, path)["extra"] = json!(true);
            out.push(c);
        }
    });
    out
}

/// Reads each of `goods` and all their one-step variants with both readers
/// (each gives a comparable text: `None` for a refusal); they must agree on
/// every one, and accept each good one.
fn readers_agree(goods: &[&str], serde: &dyn Fn(&wasm_bindgen::JsValue) -> Option<String>, ours: &dyn Fn(&wasm_bindgen::JsValue) -> Option<String>) -> usize {
    let mut n = 0;
    for good in goods {
        let good: serde_json::Value = serde_json::from_str(good).expect("test JSON");
        let g = js(&good.to_string());
        assert!(serde(&g).is_some(), "serde refused the good case {good}");
        for v in std::iter::once(good.clone()).chain(one_step_variants(&good)) {
            let v_js = js(&v.to_string());
            assert_eq!(ours(&v_js), serde(&v_js), "{v}");
            n += 1;
        }
    }
    n
}

/// A rejection as both readers can agree on it: serde's reason for a
/// malformed message is not copied.
fn rejection_kind(r: &keyferry::protocol::Rejection) -> String {
    match r {
        keyferry::protocol::Rejection::Malformed(_) => "malformed".into(),
        other => format!("{other:?}"),
    }
}

#[wasm_bindgen_test]
fn background_message_reader_agrees_with_serde() {
    use keyferry::web::inbound;
    let goods = [
        r#"{"v": 1, "msg": {"hello": {"url": "https://acme-admin.okta.com/admin/apps", "top": true}}}"#,
        r#"{"v": 1, "msg": {"facts": {"url": "https://acme-admin.okta.com/x", "token": "0123abcd", "candidates": [
            {"page": "okta.app.general", "landmarks": [true, false], "fields": [
                {"key": "a", "value": {"text": "t"}}, {"key": "b", "value": {"checked": false}},
                {"key": "c", "value": {"choice": "Web"}}, {"key": "d", "value": {"list": ["x", "y"]}},
                {"key": "e", "value": {"rows": [{"text": "okta.logs.read", "buttons": ["Grant"]}]}},
                {"key": "f", "value": {"ambiguous": 2}}, {"key": "g", "value": "too_large"}, {"key": "h", "value": null}]}]}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 3, "action": {"pick": {"integration": "workato-okta-auth-code"}},
            "basis": "b1", "token": "t", "click": {"tracked": true, "visible_ms": 900, "x": 10.5, "y": 4}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"focus": {"item": "i"}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"collapse": {"collapsed": true}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": "dismiss"}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"dock": null}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"fit": {"height": 480}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"capture": {"slot": "okta.client_id"}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"fill": {"overwrite": false}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"bind": {"org": "acme.okta.com"}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"copy": {"field": "client_id"}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": {"forget": {"slot": "okta.client_id"}}}}}"#,
        r#"{"v": 1, "msg": {"overlay_action": {"frame": 0, "action": "signature", "click": {"tracked": false, "visible_ms": null, "x": 0, "y": 0}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"popup": {"integration": "workato-okta-auth-code"}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"forget": {"integration": "i", "slot": null}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": "forget_all"}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"copy": {"integration": "i", "slot": "okta.client_id"}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"report": {"integration": "i"}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"settings": null}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"save_settings": {"settings": {"data_center": "eu", "vault_minutes": 30,
            "custom_hosts": [{"kind": "okta_admin", "host": "sso.example.com"}]}}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"drift": {"tab": 7}}}}}"#,
        r#"{"v": 1, "msg": {"ui": {"request": {"signature": {"tab": 7}}}}}"#,
    ];
    let norm = |r: Result<keyferry::protocol::ToBackground, keyferry::protocol::Rejection>| {
        Some(r.map_or_else(|e| rejection_kind(&e), |m| format!("{m:?}")))
    };
    let serde = |v: &wasm_bindgen::JsValue| norm(keyferry::protocol::decode(serde_wasm_bindgen::Deserializer::from(v.clone())));
    let ours = |v: &wasm_bindgen::JsValue| norm(inbound::to_background(v));
    let n = readers_agree(&goods, &serde, &ours);
    assert!(n > 1000, "{n}");
    // Too large is refused the same way (after a successful read).
    let long = js(&format!(r#"{{"v": 1, "msg": {{"hello": {{"url": "{}", "top": true}}}}}}"#, "x".repeat(9000)));
    assert_eq!(ours(&long), serde(&long));
    assert_eq!(ours(&long).as_deref(), Some(r#"TooLarge("url")"#));
    // A version from elsewhere is named, not called malformed.
    let v2 = js(r#"{"v": 2, "msg": {"hello": {"url": "x", "top": true}}}"#);
    assert_eq!(ours(&v2).as_deref(), Some("Version(2)"));
    assert_eq!(ours(&v2), serde(&v2));
}

#[wasm_bindgen_test]
fn agent_answer_readers_agree_with_serde() {
    use keyferry::web::inbound;
    let checks = [
        r#"{"v": 1, "msg": {"checked": {"present": true, "opacity": 0.5, "filter": false, "transform": true, "clip": false,
            "mask": false, "hidden": false, "moved": false, "covered": true, "outside": false, "clean_ms": 1200}}}"#,
        r#"{"v": 1, "msg": {"checked": {"present": true}}}"#,
    ];
    let serde = |v: &wasm_bindgen::JsValue| {
        Some(format!("{:?}", keyferry::protocol::decode_check_reply(serde_wasm_bindgen::Deserializer::from(v.clone()))))
    };
    let ours = |v: &wasm_bindgen::JsValue| Some(format!("{:?}", inbound::check_reply(v)));
    readers_agree(&checks, &serde, &ours);

    let filled = [r#"{"v": 1, "msg": {"filled": {"page": "okta.app.general", "fields": [
        {"key": "a", "value": {"text": "t"}}, {"key": "b", "value": null}, {"key": "c", "value": {"rows": []}}]}}}"#];
    let norm = |r: Result<keyferry::protocol::AgentReply, keyferry::protocol::Rejection>| {
        Some(r.map_or_else(|e| rejection_kind(&e), |m| format!("{m:?}")))
    };
    let serde = |v: &wasm_bindgen::JsValue| norm(keyferry::protocol::decode_agent_reply(serde_wasm_bindgen::Deserializer::from(v.clone())));
    let ours = |v: &wasm_bindgen::JsValue| norm(inbound::agent_reply(v));
    readers_agree(&filled, &serde, &ours);

    let described = [
        r#"{"v": 1, "msg": {"described": {"candidates": [{"page": "okta.app.general", "landmarks": [[true, false]], "fields": [[false]]}],
            "controls": [{"tag": "input", "type": "text", "role": null, "id": "x", "name": "n", "label": "L", "aria": "A"}, {"tag": "select"}],
            "headings": ["General"], "truncated": true}}}"#,
        r#"{"v": 1, "msg": {"described": {"candidates": [], "controls": [], "headings": []}}}"#,
    ];
    let norm = |r: Result<keyferry::drift::Description, keyferry::protocol::Rejection>| {
        Some(r.map_or_else(|e| rejection_kind(&e), |m| format!("{m:?}")))
    };
    let serde = |v: &wasm_bindgen::JsValue| norm(keyferry::drift::decode_description(serde_wasm_bindgen::Deserializer::from(v.clone())));
    let ours = |v: &wasm_bindgen::JsValue| norm(inbound::description(v));
    readers_agree(&described, &serde, &ours);
}

#[wasm_bindgen_test]
fn stored_state_and_settings_readers_agree_with_serde() {
    use keyferry::web::inbound;
    let vaults = [r#"[{"integration": "workato-okta-auth-code", "slot": "okta.client_id", "org": {"okta": {"domain": "acme.okta.com"}},
        "value": "0oa1", "captured_at_ms": 1000, "expires_at_ms": 2000, "sent_to": "acme.okta.com"},
        {"integration": "i", "slot": "sf.consumer_key", "org": {"salesforce": {"host": "acme.my.salesforce.com"}},
        "value": "3MV", "captured_at_ms": 0, "expires_at_ms": 9007199254740991}]"#];
    let text = |v: Option<Vec<keyferry::vault::SessionEntry>>| Some(serde_json::to_string(&v).unwrap());
    let serde = |v: &wasm_bindgen::JsValue| text(serde_wasm_bindgen::from_value(v.clone()).ok());
    let ours = |v: &wasm_bindgen::JsValue| text(inbound::vault(v));
    readers_agree(&vaults, &serde, &ours);

    let progress = [r#"{"pages": [{"integration": "i", "page": "okta.app.general", "host": "acme-admin.okta.com", "seen_at_ms": 5,
        "items": [["a", "ok"], ["b", "wrong"], ["c", "missing"], ["d", {"unknown": null}]]}]}"#];
    let serde = |v: &wasm_bindgen::JsValue| {
        Some(format!("{:?}", serde_wasm_bindgen::from_value::<keyferry::report::Progress>(v.clone()).ok()))
    };
    let ours = |v: &wasm_bindgen::JsValue| Some(format!("{:?}", inbound::progress(v)));
    readers_agree(&progress, &serde, &ours);

    let settings = [
        r#"{"data_center": "eu", "vault_minutes": 30, "custom_hosts": [{"kind": "okta_admin", "host": "sso.example.com"},
            "junk", {"kind": 1, "host": "x.example.com"}, ["salesforce", "login.example.com"], {"kind": "workato"}]}"#,
        r#"{"vault_minutes": 2.5, "data_center": null}"#,
    ];
    let read = |raw: Option<keyferry::settings::Raw>| {
        Some(format!("{:?}", raw.map(|r| keyferry::settings::Partial::from_raw(r, "test"))))
    };
    let serde = |v: &wasm_bindgen::JsValue| read(serde_wasm_bindgen::from_value(v.clone()).ok());
    let ours = |v: &wasm_bindgen::JsValue| read(inbound::settings(v));
    readers_agree(&settings, &serde, &ours);
}

// ---------------------------------------------------------------- URLs through the browser's URL

use keyferry::recognize::Location;

include!("cases/urls.rs");

/// The wasm parses with the browser's `URL`, natively with the `url` crate
/// (`recognize::whatwg`): the same table as `tests/recognize.rs`, the same
/// values, in each browser (but for the few `differing_cases`, per parser).
#[wasm_bindgen_test]
fn url_cases_through_the_browsers_url() {
    let agent = web_sys::window().unwrap().navigator().user_agent().unwrap();
    let parser = if agent.contains("Firefox/") { Parser::Firefox } else { Parser::Chromium };
    let wrong = url_case_failures(parser);
    assert!(wrong.is_empty(), "{wrong}");
}
