//! The External Client App route of Okta → Salesforce provisioning (the
//! 2026-12 additions of the requirements inventory): the two routes, the ECA
//! requirements, the consumer-details view (inline and in a window of its
//! own), the SOAP retirement, and what a Salesforce page shown in another
//! language can still be checked on.
//!
//! Run with `cargo test --test eca_route`.

use keyferry::catalog::{self, routes, Check, Locator, Severity};
use keyferry::checklist::{self, Context, Status};
use keyferry::protocol::{CandidateFacts, FieldFact, FieldValue};
use keyferry::recognize::{candidates, recognize};

const SF: &str = "okta-salesforce-provisioning";
const ECA_SETTINGS: &str = "salesforce.external_client_app.settings";
const ECA_DETAILS: &str = "salesforce.external_client_app.consumer_details";
const OKTA_PROV: &str = "okta.salesforce.provisioning";
const SF_KEY: &str =
    "3MVG9rZjd7MXFdLhkT0Hq3nBv8FjYx1PpqLmK2sA5dE7gH9jK0lM1nO3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hI3jK5";
const SF_SECRET: &str = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";

fn text(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(s.into()))
}
fn checked(b: bool) -> Option<FieldValue> {
    Some(FieldValue::Checked(b))
}
fn facts(list: &[(&str, Option<FieldValue>)]) -> Vec<FieldFact> {
    list.iter()
        .map(|(k, v)| FieldFact {
            key: (*k).into(),
            value: v.clone(),
        })
        .collect()
}
fn eval(page: &str, f: &[FieldFact]) -> checklist::Checklist {
    checklist::evaluate(
        catalog::page(page).unwrap(),
        catalog::integration(SF),
        f,
        &Context::default(),
    )
}
fn status(cl: &checklist::Checklist, id: &str) -> Option<Status> {
    cl.items.iter().find(|i| i.id == id).map(|i| i.status)
}
fn is_note(cl: &checklist::Checklist, id: &str) -> bool {
    cl.notes.iter().any(|n| n.id == id)
}
fn all_hit(page: &str) -> CandidateFacts {
    let n = catalog::page(page).unwrap().landmarks.len();
    CandidateFacts {
        page: page.into(),
        landmarks: vec![true; n],
        fields: vec![],
    }
}
fn none_hit(page: &str) -> CandidateFacts {
    let n = catalog::page(page).unwrap().landmarks.len();
    CandidateFacts {
        page: page.into(),
        landmarks: vec![false; n],
        fields: vec![],
    }
}

// ---- routes ------------------------------------------------------------------------

#[test]
fn provisioning_has_two_routes_eca_the_default() {
    let rs: Vec<_> = routes::of(SF).collect();
    assert_eq!(
        rs.iter().map(|r| r.id).collect::<Vec<_>>(),
        ["eca", "connected_app"]
    );
    assert_eq!(
        rs.iter()
            .filter(|r| r.default)
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        ["eca"]
    );
    let eca = routes::get(SF, "eca").unwrap();
    assert_eq!(
        eca.pages,
        [
            ECA_SETTINGS,
            "salesforce.external_client_app.policies",
            ECA_DETAILS,
            OKTA_PROV
        ],
        "ECA settings → ECA policies → Consumer Key and Secret → Okta provisioning"
    );
    let ca = routes::get(SF, "connected_app").unwrap();
    assert_eq!(
        ca.pages,
        [
            "salesforce.connected_app.edit",
            "salesforce.connected_app.consumer_details",
            "salesforce.connected_app.policies",
            OKTA_PROV
        ]
    );
    // Every route page is a step of the integration, every step on a route.
    let i = catalog::integration(SF).unwrap();
    for r in &rs {
        assert!(
            r.start.starts_with("https://{org}/lightning/setup/"),
            "{}",
            r.id
        );
        for p in r.pages {
            assert!(
                i.steps.iter().any(|s| s.page == *p),
                "{p} on route {} is no step",
                r.id
            );
        }
    }
    for s in i.steps {
        assert!(
            rs.iter().any(|r| r.pages.contains(&s.page)),
            "step {} is on no route",
            s.page
        );
    }
    // Other integrations have one way through.
    assert_eq!(routes::of("workato-okta-auth-code").count(), 0);
}

#[test]
fn the_route_is_named_by_the_page_or_by_where_the_admin_was() {
    let id = |r: Option<&routes::Route>| r.map(|r| r.id);
    assert_eq!(id(routes::route_for(SF, ECA_SETTINGS, None)), Some("eca"));
    assert_eq!(
        id(routes::route_for(SF, ECA_DETAILS, Some("connected_app"))),
        Some("eca")
    );
    assert_eq!(
        id(routes::route_for(
            SF,
            "salesforce.connected_app.edit",
            Some("eca")
        )),
        Some("connected_app")
    );
    // The Okta form is on both routes: it follows the route last seen, and
    // names none before that.
    assert_eq!(id(routes::route_for(SF, OKTA_PROV, None)), None);
    assert_eq!(
        id(routes::route_for(SF, OKTA_PROV, Some("eca"))),
        Some("eca")
    );
    assert_eq!(
        id(routes::route_for(SF, OKTA_PROV, Some("connected_app"))),
        Some("connected_app")
    );
    assert_eq!(id(routes::route_for(SF, OKTA_PROV, Some("nonsense"))), None);
    // Steps count within the route.
    let eca = routes::get(SF, "eca").unwrap();
    assert_eq!(routes::step(eca, ECA_DETAILS), Some((3, 4)));
    assert_eq!(routes::step(eca, OKTA_PROV), Some((4, 4)));
    assert_eq!(routes::step(eca, "salesforce.connected_app.edit"), None);
}

// ---- the 2026-12 requirements --------------------------------------------------------

#[test]
fn eca_settings_want_pkce_on_and_rotation_on() {
    let p = catalog::page(ECA_SETTINGS).unwrap();
    let ids: Vec<&str> = p.requirements.iter().map(|r| r.id).collect();
    assert!(
        !ids.contains(&"sf.oauth.pkce_off"),
        "the ECA page must not reuse the connected-app PKCE rule"
    );
    for id in [
        "sf.eca.pkce_on",
        "sf.eca.refresh_rotation_on",
        "sf.create.where",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let on = facts(&[("pkce", checked(true)), ("refresh_rotation", checked(true))]);
    let cl = eval(ECA_SETTINGS, &on);
    assert_eq!(status(&cl, "sf.eca.pkce_on"), Some(Status::Ok));
    assert_eq!(status(&cl, "sf.eca.refresh_rotation_on"), Some(Status::Ok));
    let off = facts(&[
        ("pkce", checked(false)),
        ("refresh_rotation", checked(false)),
    ]);
    let cl = eval(ECA_SETTINGS, &off);
    assert_eq!(status(&cl, "sf.eca.pkce_on"), Some(Status::Wrong));
    assert_eq!(
        status(&cl, "sf.eca.refresh_rotation_on"),
        Some(Status::Wrong)
    );
    // Not found: unknown, never ok.
    let cl = eval(
        ECA_SETTINGS,
        &facts(&[("pkce", None), ("refresh_rotation", None)]),
    );
    assert_eq!(status(&cl, "sf.eca.pkce_on"), Some(Status::Unknown));
    assert_eq!(
        status(&cl, "sf.eca.refresh_rotation_on"),
        Some(Status::Unknown)
    );
    assert!(is_note(&cl, "sf.create.where"));
    // The connected app keeps its own rule: PKCE off there.
    let cl = eval(
        "salesforce.connected_app.edit",
        &facts(&[("pkce", checked(false))]),
    );
    assert_eq!(status(&cl, "sf.oauth.pkce_off"), Some(Status::Ok));
    assert_eq!(status(&cl, "sf.eca.pkce_on"), None);
    assert!(is_note(&cl, "sf.create.where"));
}

#[test]
fn new_requirements_point_at_their_sources() {
    let want = [
        ("sf.create.where", "SF-KB-26"),
        ("sf.eca.pkce_on", "OKTA-SF-ECA"),
        ("sf.eca.refresh_rotation_on", "OKTA-SF-ECA"),
        ("sf.eca.consumer_key_shown", "OKTA-SF-ECA"),
        ("sf.eca.consumer_secret_shown", "OKTA-SF-ECA"),
        ("sf.eca.identity_check", "OKTA-SF-ECA"),
        ("okta.sfprov.soap_retired", "SF-SOAP"),
    ];
    for (id, tag) in want {
        let (_, r) = catalog::requirement(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(
            r.sources.iter().any(|s| s.article.tag == tag),
            "{id} does not cite {tag}"
        );
    }
    // sf.create.where is one shared note on both pages that create an app.
    for p in ["salesforce.connected_app.edit", ECA_SETTINGS] {
        let r = catalog::page(p)
            .unwrap()
            .requirements
            .iter()
            .find(|r| r.id == "sf.create.where")
            .unwrap();
        assert!(std::ptr::eq(
            *r,
            catalog::requirement("sf.create.where").unwrap().1
        ));
        assert!(r
            .explain
            .text()
            .contains("/lightning/setup/ManageExternalClientApplication/home"));
    }
    // Said once on the connected-app page.
    let ca = catalog::page("salesforce.connected_app.edit").unwrap();
    assert_eq!(
        ca.requirements
            .iter()
            .filter(|r| r.explain.text().contains("cannot") || r.summary.text().contains("cannot"))
            .count(),
        1
    );
}

#[test]
fn connected_app_edit_no_longer_points_at_app_manager() {
    let ca = catalog::page("salesforce.connected_app.edit").unwrap();
    assert!(!ca.nav_hint.contains("NavigationMenus"), "{}", ca.nav_hint);
    assert_eq!(
        ca.nav_hint,
        "https://{org}/lightning/setup/ConnectedApplication/home"
    );
    // The ECA route starts at the ECA manager.
    assert!(routes::get(SF, "eca")
        .unwrap()
        .start
        .ends_with("/lightning/setup/ManageExternalClientApplication/home"));
}

#[test]
fn soap_retired_is_a_must_where_the_soap_form_shows_else_a_note() {
    let (p, r) = catalog::requirement("okta.sfprov.soap_retired").unwrap();
    assert_eq!(p.id, OKTA_PROV);
    assert_eq!(r.severity, Severity::Must);
    assert!(matches!(r.check, Check::NoteUnlessShown));
    assert!(r.explain.text().contains("Winter '26") && r.explain.text().contains("Summer '27"));
    // OAuth form: a note.
    let oauth = facts(&[
        ("consumer_key", text("")),
        ("consumer_secret", text("")),
        ("soap_password_token", None),
    ]);
    let cl = eval(OKTA_PROV, &oauth);
    assert!(is_note(&cl, "okta.sfprov.soap_retired"));
    assert_eq!(status(&cl, "okta.sfprov.soap_retired"), None);
    // SOAP form (Username / Password + Token, no OAuth fields): wrong, must.
    let soap = facts(&[
        ("consumer_key", None),
        ("consumer_secret", None),
        ("soap_password_token", text("")),
    ]);
    let cl = eval(OKTA_PROV, &soap);
    let item = cl
        .items
        .iter()
        .find(|i| i.id == "okta.sfprov.soap_retired")
        .expect("an item");
    assert_eq!(
        (item.status, item.severity),
        (Status::Wrong, Severity::Must)
    );
    assert!(!is_note(&cl, "okta.sfprov.soap_retired"));
    assert_eq!(
        status(&cl, "okta.sfprov.consumer_key"),
        Some(Status::Unknown)
    );
}

#[test]
fn okta_provisioning_finds_inputs_by_name_first() {
    let p = catalog::page(OKTA_PROV).unwrap();
    for (key, name) in [
        ("consumer_key", "oauthConsumerKey"),
        ("consumer_secret", "oauthConsumerSecret"),
    ] {
        let f = p.field(key).unwrap();
        assert!(
            matches!(f.locators[0], Locator::Name { name: n } if n == name),
            "{key}: {:?}",
            f.locators[0]
        );
        // Labels that are not tied to the input are still found (Near).
        assert!(
            f.locators.iter().any(|l| matches!(l, Locator::Near { .. })),
            "{key}"
        );
    }
}

/// Salesforce pages: where a page knows a language-independent hook (id or
/// name) for a field, it is tried before any label.
#[test]
fn salesforce_locators_try_ids_and_names_before_labels() {
    for p in catalog::PAGES
        .iter()
        .filter(|p| p.console == catalog::Console::Salesforce)
    {
        for f in p.fields {
            let first_label = f.locators.iter().position(|l| {
                matches!(
                    l,
                    Locator::LabelText { .. } | Locator::Aria { .. } | Locator::Near { .. }
                )
            });
            let last_hook = f
                .locators
                .iter()
                .rposition(|l| matches!(l, Locator::Id { .. } | Locator::Name { .. }));
            if let (Some(label), Some(hook)) = (first_label, last_hook) {
                assert!(
                    hook < label,
                    "{} / {}: an id or name comes after a label locator",
                    p.id,
                    f.key
                );
            }
        }
    }
}

// ---- the consumer-details view -------------------------------------------------------

#[test]
fn eca_consumer_details_recognized_inline_over_the_settings_tab() {
    let url = "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHs000000FbXq/detail";
    let c: Vec<&str> = candidates(url, &[]).iter().map(|p| p.id).collect();
    assert_eq!(
        c,
        [
            ECA_DETAILS,
            ECA_SETTINGS,
            "salesforce.external_client_app.policies"
        ]
    );
    // Inline: the Settings tab stays underneath, both pages' landmarks hit.
    let f = [
        all_hit(ECA_DETAILS),
        all_hit(ECA_SETTINGS),
        none_hit("salesforce.external_client_app.policies"),
    ];
    assert_eq!(recognize(url, &f, &[]).map(|p| p.id), Some(ECA_DETAILS));
    // The Settings tab alone (the "Consumer Key and Secret" button, no values yet).
    let f = [
        none_hit(ECA_DETAILS),
        all_hit(ECA_SETTINGS),
        none_hit("salesforce.external_client_app.policies"),
    ];
    assert_eq!(recognize(url, &f, &[]).map(|p| p.id), Some(ECA_SETTINGS));
    // Labels without the ECA context (third landmark): not this page.
    let mut partial = all_hit(ECA_DETAILS);
    partial.landmarks[2] = false;
    assert!(recognize(url, &[partial], &[]).is_none());
}

#[test]
fn eca_consumer_details_recognized_in_a_window_of_its_own() {
    // The window's route is not public: any path below the ECA manager
    // nodes, on any Salesforce host, reaches the view's URL stage.
    for url in [
        "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHs000000FbXq/consumerDetails",
        "https://acme.lightning.force.com/lightning/setup/ExternalClientAppManager/0xIHs000000FbXq/keys?ws=1",
        "https://acme.my.salesforce.com/lightning/setup/ExternalClientAppsManager/view",
    ] {
        assert!(candidates(url, &[]).iter().any(|p| p.id == ECA_DETAILS), "{url}");
        assert_eq!(recognize(url, &[all_hit(ECA_DETAILS)], &[]).map(|p| p.id), Some(ECA_DETAILS), "{url}");
    }
    // Lookalike host and other Setup nodes: no.
    assert!(candidates("https://acme.my.salesforce-setup.com.evil.test/lightning/setup/ManageExternalClientApplication/x", &[]).is_empty());
    assert!(
        !candidates("https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home", &[])
            .iter()
            .any(|p| p.id == ECA_DETAILS)
    );
}

#[test]
fn eca_consumer_details_captures_and_checks_shapes() {
    let p = catalog::page(ECA_DETAILS).unwrap();
    let slots: Vec<_> = p.captures.iter().map(|c| (c.slot.id(), c.field)).collect();
    assert_eq!(
        slots,
        [
            ("sf.consumer_key", "consumer_key"),
            ("sf.consumer_secret", "consumer_secret")
        ]
    );
    for c in p.captures {
        assert!(
            c.reveal_hint
                .contains("Settings tab → OAuth Settings → \"Consumer Key and Secret\""),
            "{}",
            c.reveal_hint
        );
    }
    let shown = facts(&[
        ("consumer_key", text(SF_KEY)),
        ("consumer_secret", text(SF_SECRET)),
    ]);
    let cl = eval(ECA_DETAILS, &shown);
    assert_eq!(status(&cl, "sf.eca.consumer_key_shown"), Some(Status::Ok));
    assert_eq!(
        status(&cl, "sf.eca.consumer_secret_shown"),
        Some(Status::Ok)
    );
    assert!(is_note(&cl, "sf.eca.identity_check"));
    let note = catalog::requirement("sf.eca.identity_check").unwrap().1;
    assert!(note.explain.text().contains("Settings tab") && note.explain.text().contains("Consumer Key and"));
    // A masked value (before the identity check) is not shown yet.
    let masked = facts(&[
        ("consumer_key", text(SF_KEY)),
        ("consumer_secret", text("••••••••••••")),
    ]);
    let cl = eval(ECA_DETAILS, &masked);
    assert_ne!(
        status(&cl, "sf.eca.consumer_secret_shown"),
        Some(Status::Ok)
    );
    // Nothing found: unknown.
    let cl = eval(
        ECA_DETAILS,
        &facts(&[("consumer_key", None), ("consumer_secret", None)]),
    );
    assert_eq!(
        status(&cl, "sf.eca.consumer_key_shown"),
        Some(Status::Unknown)
    );
    // The captured values are what the Okta form is filled from.
    let okta = catalog::page(OKTA_PROV).unwrap();
    let from: Vec<_> = okta.fills.iter().map(|f| (f.field, f.from)).collect();
    assert!(from.contains(&(
        "consumer_key",
        catalog::FillSource::Slot(catalog::Slot::SfConsumerKey)
    )));
    assert!(from.contains(&(
        "consumer_secret",
        catalog::FillSource::Slot(catalog::Slot::SfConsumerSecret)
    )));
}

// ---- another language --------------------------------------------------------------

/// A connected-app edit page in German: the Visualforce ids (language
/// independent) still find their fields; fields only an English label finds
/// are not found. They must be unknown, never ok and never wrong.
#[test]
fn german_connected_app_page_ids_evaluated_labels_unknown() {
    let p = catalog::page("salesforce.connected_app.edit").unwrap();
    // What an agent can find on a German page: fields whose locators include
    // an id; the rest (label-only) report not found.
    let by_id = |key: &str| {
        p.field(key)
            .unwrap()
            .locators
            .iter()
            .any(|l| matches!(l, Locator::Id { .. } | Locator::Name { .. }))
    };
    let f: Vec<FieldFact> = p
        .fields
        .iter()
        .map(|f| {
            let v = match f.key {
                "name" => text("Okta Provisioning"),
                "contact_email" => text("okta-admin@acme.com"),
                "oauth_enabled" => checked(true),
                "callback_url" => text(catalog::pages::OKTA_SF_CALLBACK),
                "digital_signatures" => checked(false),
                "scopes_selected" => Some(FieldValue::List(vec![
                    "Benutzerdaten über APIs verwalten (api)".into(),
                    "Anfragen jederzeit durchführen (refresh_token, offline_access)".into(),
                ])),
                _ => None,
            };
            FieldFact {
                key: f.key.into(),
                value: if by_id(f.key) { v } else { None },
            }
        })
        .collect();
    let cl = eval("salesforce.connected_app.edit", &f);
    for i in &cl.items {
        let key = i.field.unwrap();
        if by_id(key) {
            assert_eq!(i.status, Status::Ok, "{} (found by id) is evaluated", i.id);
        } else {
            assert_eq!(
                i.status,
                Status::Unknown,
                "{} (label only) is unknown",
                i.id
            );
        }
    }
    assert!(cl.items.iter().any(|i| i.status == Status::Unknown));
    assert!(cl.items.iter().filter(|i| i.status == Status::Ok).count() >= 6);
}

// ---- progress follows the route ----------------------------------------------------------

fn record(p: &mut keyferry::report::Progress, page: &str, host: &str, at: u64) {
    let c = checklist::evaluate(
        catalog::page(page).unwrap(),
        catalog::integration(SF),
        &[],
        &Context::default(),
    );
    p.record(SF, &c, host, at);
}

#[test]
fn progress_lists_the_route_the_admin_is_on() {
    use keyferry::report::{progress_for, Hosts, Progress};
    let i = catalog::integration(SF).unwrap();
    let hosts = Hosts {
        salesforce: Some("acme.my.salesforce-setup.com".into()),
        ..Hosts::default()
    };
    let pages = |p: &Progress| {
        progress_for(i, p, &hosts)
            .steps
            .into_iter()
            .map(|s| s.page)
            .collect::<Vec<_>>()
    };
    // Nothing seen: every step of both routes.
    let mut p = Progress::default();
    assert_eq!(pages(&p).len(), i.steps.len());
    // The Okta page is on both routes: still everything.
    record(&mut p, OKTA_PROV, "acme-admin.okta.com", 1_000);
    assert_eq!(pages(&p).len(), i.steps.len());
    // An ECA page seen: the ECA route only, its first step linked on the Salesforce host.
    record(&mut p, ECA_SETTINGS, "acme.my.salesforce-setup.com", 2_000);
    assert_eq!(pages(&p), routes::get(SF, "eca").unwrap().pages);
    let prog = progress_for(i, &p, &hosts);
    assert_eq!(
        prog.steps[0].link.as_deref(),
        Some("https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/home")
    );
    // Later on a connected-app page: that route.
    record(
        &mut p,
        "salesforce.connected_app.edit",
        "acme.my.salesforce.com",
        3_000,
    );
    assert_eq!(pages(&p), routes::get(SF, "connected_app").unwrap().pages);
}
