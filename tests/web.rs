//! wasm-bindgen tests of the overlay UI, run in headless Chromium and
//! headless Firefox by `./build.sh test`.
#![cfg(target_arch = "wasm32")]

use keyferry::catalog;
use keyferry::checklist::{self, Context};
use keyferry::protocol::{Action, Envelope, FieldFact, FieldValue, ToOverlay, View};
use keyferry::web::overlay::{action_for, render, ViewIn};
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
    let m = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&m).unwrap();
    m
}

/// Builds a view the way the background does and sends it through the same
/// serde boundary (JS value) the port uses.
fn view_from_core(page_id: &str, facts: &[FieldFact], collapsed: bool) -> ViewIn {
    let page = catalog::page(page_id).expect("page in catalog");
    let integrations: Vec<_> = catalog::integrations_for_page(page_id).collect();
    let integration = integrations.first().copied();
    let view = View {
        page: page.id,
        page_title: page.title,
        console: page.console.label(),
        integrations: integrations.iter().map(|i| (i.id, i.title)).collect(),
        integration: integration.map(|i| i.id),
        step: Some((1, 3)),
        checklist: checklist::evaluate(page, integration, facts, &Context::default()),
        collapsed,
    };
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let js = Envelope::new(ToOverlay::View(view)).serialize(&ser).unwrap();
    #[derive(serde::Deserialize)]
    struct Env {
        msg: ViewIn,
    }
    serde_wasm_bindgen::from_value::<Env>(js).unwrap().msg
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
