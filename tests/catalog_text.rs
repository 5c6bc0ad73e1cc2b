//! The catalog's requirement texts live in extension/_locales/en/messages.json
//! (catalog::text): every key the catalog names is defined there, every
//! `req_` message there is named by the catalog, and the keys follow one
//! scheme so a translator can find a requirement's texts by its id.

use std::collections::BTreeSet;

use keyferry::catalog::{self, text, Msg};

/// Every requirement of every page, once (pages share some).
fn requirements() -> Vec<&'static catalog::Requirement> {
    let mut seen = BTreeSet::new();
    catalog::PAGES
        .iter()
        .flat_map(|p| p.requirements.iter().copied())
        .filter(|r| seen.insert(r.id))
        .collect()
}

fn named_keys() -> Vec<(&'static str, Msg)> {
    requirements().into_iter().flat_map(|r| [(r.id, r.summary), (r.id, r.explain)]).collect()
}

#[test]
fn every_catalog_text_key_is_in_messages_json() {
    let keys = named_keys();
    assert!(keys.len() > 100, "only {} keys: the walk over the catalog is broken", keys.len());
    let missing: Vec<_> = keys.iter().filter(|(_, m)| text::english(m.key()).is_none()).collect();
    assert!(missing.is_empty(), "named by the catalog, not in messages.json: {missing:?}");
}

#[test]
fn no_requirement_message_is_orphaned() {
    let named: BTreeSet<&str> = named_keys().iter().map(|(_, m)| m.key()).collect();
    let orphans: Vec<&str> =
        text::english_keys().into_iter().filter(|k| k.starts_with("req_") && !named.contains(k)).collect();
    assert!(orphans.is_empty(), "req_ messages no requirement names: {orphans:?}");
}

#[test]
fn requirement_text_keys_follow_the_id() {
    for r in requirements() {
        let base: String = format!("req_{}", r.id).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        assert_eq!(r.summary.key(), format!("{base}_summary"), "{}", r.id);
        assert_eq!(r.explain.key(), format!("{base}_explain"), "{}", r.id);
    }
    // Two ids that differ only in punctuation would share keys.
    let keys: BTreeSet<&str> = named_keys().iter().map(|(_, m)| m.key()).collect();
    assert_eq!(keys.len(), named_keys().len(), "two requirements share a text key");
}

#[test]
fn native_lookups_return_the_english_text_and_unknown_keys_show_as_themselves() {
    let (_, r) = catalog::requirement("okta.token.created").expect("okta.token.created is in the catalog");
    assert!(r.summary.text().contains("Okta shows it only once"), "{}", r.summary.text());
    assert_ne!(r.explain.text(), r.explain.key());
    assert_eq!(text::text("req_no_such_key"), "req_no_such_key");
}
