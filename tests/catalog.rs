//! The catalog against its contract, the requirements inventory. The
//! inventory rows are copied below (a clone of this repo does not have the
//! team's shared docs), written as in the inventory: `a.b.c / d / e` and
//! `a.b.c, a.b.d` expand to individual ids.
//!
//! Run with `cargo test --test catalog`.

use std::collections::{BTreeMap, BTreeSet};

use keyferry::catalog::{
    self, AuthType, Check, FillSource, HostKind, Locator, Page, PathMatch, Probe, Requirement,
    Severity, Slot, Widget, INTEGRATIONS, PAGES,
};

/// The page ids, in the inventory's order.
const PAGE_IDS: [&str; 17] = [
    "salesforce.connected_app.edit",
    "salesforce.connected_app.consumer_details",
    "salesforce.connected_app.policies",
    "salesforce.external_client_app.consumer_details",
    "salesforce.external_client_app.settings",
    "salesforce.external_client_app.policies",
    "okta.app.create_dialog",
    "okta.app.wizard_web",
    "okta.app.wizard_service",
    "okta.app.general",
    "okta.app.sign_on",
    "okta.app.api_scopes",
    "okta.app.admin_roles",
    "okta.api.tokens",
    "okta.salesforce.provisioning",
    "workflows.connection.new",
    "workato.connection.new",
];

const INTEGRATION_IDS: [&str; 6] = [
    "okta-salesforce-provisioning",
    "workato-okta-auth-code",
    "workato-okta-client-credentials",
    "workato-okta-api-key",
    "workflows-okta",
    "workflows-okta-devices",
];

const SF: &str = "okta-salesforce-provisioning";
const AC: &str = "workato-okta-auth-code";
const CC: &str = "workato-okta-client-credentials";
const KEY: &str = "workato-okta-api-key";
const WF: &str = "workflows-okta";
const WFD: &str = "workflows-okta-devices";

/// (integration, id(s) as written, page, severity as written).
const INVENTORY: &[(&str, &str, &str, &str)] = &[
    // okta-salesforce-provisioning
    (
        SF,
        "sf.prereq.admin_account",
        "salesforce.connected_app.edit",
        "info",
    ),
    (
        SF,
        "sf.prereq.custom_profile",
        "salesforce.connected_app.edit",
        "info",
    ),
    (SF, "sf.app.name", "salesforce.connected_app.edit", "should"),
    (
        SF,
        "sf.app.contact_email",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.enabled",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.device_flow_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.callback_url",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.digital_signatures_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.scope_api",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.scope_refresh",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.pkce_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.secret_web_server_on",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.secret_refresh_on",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.client_credentials_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.introspect_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.id_token_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.asset_tokens_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.single_logout_off",
        "salesforce.connected_app.edit",
        "must",
    ),
    (
        SF,
        "sf.oauth.propagation_wait",
        "salesforce.connected_app.edit",
        "info",
    ),
    (
        SF,
        "sf.consumer.key",
        "salesforce.connected_app.consumer_details",
        "must",
    ),
    (
        SF,
        "sf.consumer.secret",
        "salesforce.connected_app.consumer_details",
        "must",
    ),
    (
        SF,
        "sf.consumer.verify_identity",
        "salesforce.connected_app.consumer_details",
        "info",
    ),
    (
        SF,
        "sf.policy.permitted_users",
        "salesforce.connected_app.policies",
        "must",
    ),
    (
        SF,
        "sf.policy.refresh_token",
        "salesforce.connected_app.policies",
        "must",
    ),
    (
        SF,
        "okta.sfprov.consumer_key",
        "okta.salesforce.provisioning",
        "must",
    ),
    (
        SF,
        "okta.sfprov.consumer_secret",
        "okta.salesforce.provisioning",
        "must",
    ),
    (
        SF,
        "okta.sfprov.authenticate",
        "okta.salesforce.provisioning",
        "info",
    ),
    (
        SF,
        "okta.sfprov.soap_variant",
        "okta.salesforce.provisioning",
        "info",
    ),
    (
        SF,
        "okta.sfprov.soap_note",
        "okta.salesforce.provisioning",
        "info",
    ),
    // okta-salesforce-provisioning, additions of 2026-12
    (SF, "sf.create.where", "salesforce.connected_app.edit", "info"),
    (SF, "sf.create.where", "salesforce.external_client_app.settings", "info"),
    (SF, "sf.eca.pkce_on", "salesforce.external_client_app.settings", "must"),
    (SF, "sf.eca.refresh_rotation_on", "salesforce.external_client_app.settings", "must"),
    (SF, "sf.eca.consumer_key_shown / consumer_secret_shown", "salesforce.external_client_app.consumer_details", "must"),
    (SF, "sf.eca.identity_check", "salesforce.external_client_app.consumer_details", "info"),
    (SF, "okta.sfprov.soap_retired", "okta.salesforce.provisioning", "must/info"),
    // workato-okta-auth-code
    (
        AC,
        "okta.wizard.sign_in_method_oidc",
        "okta.app.create_dialog",
        "must",
    ),
    (
        AC,
        "okta.wizard.app_type_web",
        "okta.app.create_dialog",
        "must",
    ),
    (AC, "okta.wizard.name", "okta.app.wizard_web", "must"),
    (AC, "okta.wizard.dpop_off", "okta.app.wizard_web", "must"),
    (
        AC,
        "okta.wizard.grant_auth_code",
        "okta.app.wizard_web",
        "must",
    ),
    (
        AC,
        "okta.wizard.grant_refresh",
        "okta.app.wizard_web",
        "must",
    ),
    (
        AC,
        "okta.wizard.redirect_uri",
        "okta.app.wizard_web",
        "must",
    ),
    (AC, "okta.wizard.assignment", "okta.app.wizard_web", "info"),
    (AC, "okta.general.client_id", "okta.app.general", "must"),
    (AC, "okta.general.client_secret", "okta.app.general", "must"),
    (AC, "okta.general.dpop_off", "okta.app.general", "must"),
    (AC, "okta.scopes.logs_read", "okta.app.api_scopes", "must"),
    (
        AC,
        "okta.scopes.schemas_read",
        "okta.app.api_scopes",
        "must",
    ),
    (
        AC,
        "okta.scopes.users_read_custom_role",
        "okta.app.api_scopes",
        "should",
    ),
    (
        AC,
        "okta.scopes.auto_granted",
        "okta.app.api_scopes",
        "info",
    ),
    (AC, "wk.conn.name", "workato.connection.new", "must"),
    (AC, "wk.conn.location", "workato.connection.new", "should"),
    (AC, "wk.conn.auth_type", "workato.connection.new", "must"),
    (AC, "wk.conn.domain", "workato.connection.new", "must"),
    (AC, "wk.conn.client_id", "workato.connection.new", "must"),
    (
        AC,
        "wk.conn.client_secret",
        "workato.connection.new",
        "must",
    ),
    (AC, "wk.conn.scopes", "workato.connection.new", "should"),
    // workato-okta-client-credentials
    (
        CC,
        "okta.wizard.sign_in_method_api_services",
        "okta.app.create_dialog",
        "must",
    ),
    (CC, "okta.service.name", "okta.app.wizard_service", "must"),
    (
        CC,
        "okta.general.client_auth_key",
        "okta.app.general",
        "must",
    ),
    (CC, "okta.general.key_generated", "okta.app.general", "must"),
    (
        CC,
        "okta.general.key_saved_active",
        "okta.app.general",
        "must",
    ),
    (CC, "okta.general.dpop_off", "okta.app.general", "must"),
    (
        CC,
        "okta.scopes.logs_read / schemas_read / users_read_custom_role",
        "okta.app.api_scopes",
        "must/should",
    ),
    (
        CC,
        "okta.roles.read_only_admin",
        "okta.app.admin_roles",
        "must",
    ),
    (CC, "wk.conn.auth_type_cc", "workato.connection.new", "must"),
    (
        CC,
        "wk.conn.domain, wk.conn.client_id",
        "workato.connection.new",
        "must",
    ),
    (CC, "wk.conn.private_key", "workato.connection.new", "must"),
    (CC, "wk.conn.scopes_cc", "workato.connection.new", "should"),
    // workato-okta-api-key
    (KEY, "okta.token.admin_role", "okta.api.tokens", "info"),
    (KEY, "okta.token.created", "okta.api.tokens", "must"),
    (
        KEY,
        "wk.conn.auth_type_key",
        "workato.connection.new",
        "must",
    ),
    (KEY, "wk.conn.domain", "workato.connection.new", "must"),
    (KEY, "wk.conn.api_key", "workato.connection.new", "must"),
    // workflows-okta
    (WF, "okta.signon.client_id", "okta.app.sign_on", "must"),
    (WF, "okta.signon.client_secret", "okta.app.sign_on", "must"),
    (
        WF,
        "wf.order.okta_first",
        "workflows.connection.new",
        "info",
    ),
    (WF, "wf.conn.nickname", "workflows.connection.new", "must"),
    (WF, "wf.conn.domain", "workflows.connection.new", "must"),
    (WF, "wf.conn.client_id", "workflows.connection.new", "must"),
    (
        WF,
        "wf.conn.client_secret",
        "workflows.connection.new",
        "must",
    ),
    // workflows-okta-devices
    (WFD, "wfd.super_admin", "okta.app.sign_on", "info"),
    (
        WFD,
        "okta.signon.client_id / client_secret",
        "okta.app.sign_on",
        "must",
    ),
    (
        WFD,
        "okta.scopes.devices_manage",
        "okta.app.api_scopes",
        "must",
    ),
    (WFD, "wfd.reauthorize", "workflows.connection.new", "info"),
    (
        WFD,
        "wf.conn.connector_okta_devices",
        "workflows.connection.new",
        "must",
    ),
    (
        WFD,
        "wf.conn.nickname / domain / client_id / client_secret",
        "workflows.connection.new",
        "must",
    ),
    // Additions of 2026-12 (Okta Workflows): who may reauthorize (WF-HELP),
    // for both the Okta and the Okta Devices connection.
    (WFD, "wfd.reauth_roles", "okta.app.sign_on", "info"),
    (WFD, "wfd.reauth_roles", "workflows.connection.new", "info"),
    (WF, "wfd.reauth_roles", "workflows.connection.new", "info"),
];

/// Distinct ids in the inventory.
const INVENTORY_ID_COUNT: usize = 83;

/// `a.b.c / d / e` → a.b.c, a.b.d, a.b.e; `x.y, x.z` → x.y, x.z.
fn expand(ids: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in ids.split(',') {
        let mut pieces = part.split('/').map(str::trim);
        let first = pieces.next().expect("non-empty row");
        let prefix = &first[..first.rfind('.').expect("dotted id") + 1];
        out.push(first.to_string());
        out.extend(pieces.map(|p| format!("{prefix}{p}")));
    }
    out
}

fn severities(s: &str) -> Vec<Severity> {
    s.split('/')
        .map(|x| match x {
            "must" => Severity::Must,
            "should" => Severity::Should,
            "info" => Severity::Info,
            other => panic!("bad severity {other:?} in the test table"),
        })
        .collect()
}

/// Every (integration, id, page, allowed severities) row, expanded.
fn rows() -> Vec<(&'static str, String, &'static str, Vec<Severity>)> {
    INVENTORY
        .iter()
        .flat_map(|&(int, ids, page, sev)| {
            expand(ids)
                .into_iter()
                .map(move |id| (int, id, page, severities(sev)))
        })
        .collect()
}

fn inventory_ids() -> BTreeSet<String> {
    rows().into_iter().map(|(_, id, _, _)| id).collect()
}

fn page(id: &str) -> &'static Page {
    catalog::page(id).unwrap_or_else(|| panic!("page {id} missing"))
}

fn req_on(page: &'static Page, id: &str) -> Option<&'static Requirement> {
    page.requirements.iter().copied().find(|r| r.id == id)
}

fn all_requirements() -> impl Iterator<Item = (&'static Page, &'static Requirement)> {
    PAGES
        .iter()
        .copied()
        .flat_map(|p| p.requirements.iter().copied().map(move |r| (p, r)))
}

// ---- (1) the inventory ---------------------------------------------------------

#[test]
fn expand_handles_the_inventory_shorthands() {
    assert_eq!(
        expand("okta.scopes.logs_read / schemas_read / users_read_custom_role"),
        [
            "okta.scopes.logs_read",
            "okta.scopes.schemas_read",
            "okta.scopes.users_read_custom_role"
        ]
    );
    assert_eq!(
        expand("wf.conn.nickname / domain / client_id / client_secret"),
        [
            "wf.conn.nickname",
            "wf.conn.domain",
            "wf.conn.client_id",
            "wf.conn.client_secret"
        ]
    );
    assert_eq!(
        expand("okta.signon.client_id / client_secret"),
        ["okta.signon.client_id", "okta.signon.client_secret"]
    );
    assert_eq!(
        expand("wk.conn.domain, wk.conn.client_id"),
        ["wk.conn.domain", "wk.conn.client_id"]
    );
    assert_eq!(expand("sf.app.name"), ["sf.app.name"]);
}

#[test]
fn every_inventory_id_is_on_its_page_with_its_severity() {
    for (int, id, pid, allowed) in rows() {
        let p = page(pid);
        let r = req_on(p, &id).unwrap_or_else(|| panic!("{id} ({int}) is not on {pid}"));
        assert!(
            allowed.contains(&r.severity),
            "{id} on {pid}: severity {:?}, inventory says {allowed:?}",
            r.severity
        );
    }
}

#[test]
fn inventory_severities_are_consistent_and_ids_counted() {
    let mut by_id: BTreeMap<String, BTreeSet<Severity>> = BTreeMap::new();
    for (_, id, _, allowed) in rows() {
        let set: BTreeSet<Severity> = allowed.into_iter().collect();
        by_id
            .entry(id)
            .and_modify(|s| *s = s.intersection(&set).copied().collect())
            .or_insert(set);
    }
    for (id, s) in &by_id {
        assert!(
            !s.is_empty(),
            "the test table gives {id} conflicting severities"
        );
    }
    assert_eq!(by_id.len(), INVENTORY_ID_COUNT);
}

#[test]
fn catalog_has_no_requirement_outside_the_inventory() {
    let ids = inventory_ids();
    for (p, r) in all_requirements() {
        assert!(
            ids.contains(r.id),
            "{} on {} is not an inventory id",
            r.id,
            p.id
        );
    }
}

#[test]
fn a_requirement_on_several_pages_is_one_shared_static() {
    let mut seen: BTreeMap<&str, &'static Requirement> = BTreeMap::new();
    for (p, r) in all_requirements() {
        if let Some(prev) = seen.insert(r.id, r) {
            assert!(
                std::ptr::eq(prev, r),
                "{} on {} is a copy, not the shared static",
                r.id,
                p.id
            );
        }
    }
    // The External Client App pages reuse the connected-app requirements.
    let eca = page("salesforce.external_client_app.settings");
    for id in [
        "sf.oauth.enabled",
        "sf.oauth.callback_url",
        "sf.oauth.scope_api",
        "sf.oauth.scope_refresh",
    ] {
        assert!(req_on(eca, id).is_some(), "ECA settings lacks {id}");
    }
    // PKCE is the one control where the ECA advice is the reverse.
    assert!(req_on(eca, "sf.oauth.pkce_off").is_none(), "ECA settings reuses the connected-app PKCE rule");
    assert!(req_on(eca, "sf.eca.pkce_on").is_some(), "ECA settings lacks sf.eca.pkce_on");
    let eca_pol = page("salesforce.external_client_app.policies");
    for id in ["sf.policy.permitted_users", "sf.policy.refresh_token"] {
        assert!(req_on(eca_pol, id).is_some(), "ECA policies lacks {id}");
    }
}

// ---- (2) pages -----------------------------------------------------------------

#[test]
fn the_sixteen_pages_exist_in_order_and_unique() {
    let ids: Vec<&str> = PAGES.iter().map(|p| p.id).collect();
    assert_eq!(ids, PAGE_IDS);
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), PAGE_IDS.len());
    for id in PAGE_IDS {
        assert_eq!(page(id).id, id);
    }
}

// ---- (3) integrations ------------------------------------------------------------

#[test]
fn six_integrations_with_valid_steps() {
    let ids: Vec<&str> = INTEGRATIONS.iter().map(|i| i.id).collect();
    assert_eq!(ids, INTEGRATION_IDS);
    for i in INTEGRATIONS {
        assert!(
            !i.title.is_empty() && !i.blurb.is_empty(),
            "{}: title/blurb",
            i.id
        );
        assert!(!i.steps.is_empty(), "{} has no steps", i.id);
        for s in i.steps {
            let p = page(s.page);
            assert!(
                !s.requirements.is_empty(),
                "{}: empty step on {}",
                i.id,
                s.page
            );
            let unique: BTreeSet<&str> = s.requirements.iter().copied().collect();
            assert_eq!(
                unique.len(),
                s.requirements.len(),
                "{}: duplicate ids in the step on {}",
                i.id,
                s.page
            );
            for rid in s.requirements {
                assert!(
                    req_on(p, rid).is_some(),
                    "{}: {rid} is not on {}",
                    i.id,
                    s.page
                );
            }
        }
    }
    let auth = |id: &str| catalog::integration(id).unwrap().auth_type;
    assert_eq!(auth(AC), Some(AuthType::AuthCode));
    assert_eq!(auth(CC), Some(AuthType::ClientCredentials));
    assert_eq!(auth(KEY), Some(AuthType::ApiKey));
    assert_eq!(auth(SF), None);
    assert_eq!(auth(WF), None);
    assert_eq!(auth(WFD), None);
}

#[test]
fn every_inventory_row_is_a_step_of_its_integration_on_its_page() {
    for (int, id, pid, _) in rows() {
        let i = catalog::integration(int).unwrap_or_else(|| panic!("integration {int} missing"));
        let found = i
            .steps
            .iter()
            .any(|s| s.page == pid && s.requirements.contains(&id.as_str()));
        assert!(found, "{int} has no step on {pid} checking {id}");
    }
}

#[test]
fn every_inventory_id_is_used_by_some_step() {
    let used: BTreeSet<&str> = INTEGRATIONS
        .iter()
        .flat_map(|i| i.steps.iter())
        .flat_map(|s| s.requirements.iter().copied())
        .collect();
    for id in inventory_ids() {
        assert!(used.contains(id.as_str()), "{id} is in no integration step");
    }
}

#[test]
fn salesforce_provisioning_lists_the_eca_path_after_the_connected_app() {
    let steps: Vec<&str> = catalog::integration(SF)
        .unwrap()
        .steps
        .iter()
        .map(|s| s.page)
        .collect();
    let pos = |p: &str| {
        steps
            .iter()
            .position(|s| *s == p)
            .unwrap_or_else(|| panic!("{p} not a step"))
    };
    assert!(
        pos("salesforce.connected_app.policies") < pos("salesforce.external_client_app.settings")
    );
    assert!(
        pos("salesforce.external_client_app.settings")
            < pos("salesforce.external_client_app.policies")
    );
    assert!(pos("salesforce.external_client_app.policies") < pos("okta.salesforce.provisioning"));
}

// ---- (4) fields, checks, captures, fills --------------------------------------------

fn widget_fits(check: Check, w: Widget) -> bool {
    use Widget::*;
    match check {
        Check::Note => false, // notes have no field
        Check::NoteUnlessShown => matches!(w, Text | Textarea | Checkbox | Display),
        Check::Checked(_) => w == Checkbox,
        Check::ListHasToken(_) => matches!(w, DuelingList | DualListbox | Table),
        Check::Granted(_) => w == GrantButtons,
        Check::Shows(_) => w == Display,
        Check::ChoiceIs(_) => matches!(w, RadioGroup | Select | Display),
        Check::NonEmpty => matches!(w, Text | Textarea | Select),
        Check::ScopesCover(_) => matches!(w, Text | Textarea | Select | DuelingList | DualListbox),
        Check::ExactUrl(_)
        | Check::WorkatoCallback
        | Check::Email
        | Check::OktaDomain
        | Check::FilledFrom(_) => {
            matches!(w, Text | Textarea)
        }
    }
}

#[test]
fn requirements_fields_and_checks_agree() {
    for (p, r) in all_requirements() {
        let is_note = matches!(r.check, Check::Note);
        assert_eq!(
            is_note,
            r.severity == Severity::Info,
            "{} on {}: Note ⇔ Info",
            r.id,
            p.id
        );
        match r.field {
            None => assert!(
                is_note,
                "{} on {}: a checked requirement needs a field",
                r.id, p.id
            ),
            Some(key) => {
                assert!(!is_note, "{} on {}: a note has no field", r.id, p.id);
                let f = p
                    .field(key)
                    .unwrap_or_else(|| panic!("{} on {}: no field {key}", r.id, p.id));
                assert!(
                    widget_fits(r.check, f.widget),
                    "{} on {}: {:?} on a {:?}",
                    r.id,
                    p.id,
                    r.check,
                    f.widget
                );
            }
        }
    }
}

#[test]
fn keys_and_ids_are_unique_per_page() {
    for p in PAGES {
        let keys: BTreeSet<&str> = p.fields.iter().map(|f| f.key).collect();
        assert_eq!(keys.len(), p.fields.len(), "{}: duplicate field keys", p.id);
        let ids: BTreeSet<&str> = p.requirements.iter().map(|r| r.id).collect();
        assert_eq!(
            ids.len(),
            p.requirements.len(),
            "{}: duplicate requirement ids",
            p.id
        );
        for f in p.fields {
            let k = f.key;
            assert!(
                !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}: key {k:?}",
                p.id
            );
            assert!(!f.label.is_empty(), "{}: {k} has no label", p.id);
        }
    }
}

#[test]
fn captures_and_fills_point_at_real_fields() {
    for p in PAGES {
        for c in p.captures {
            let f = p
                .field(c.field)
                .unwrap_or_else(|| panic!("{}: capture field {} missing", p.id, c.field));
            assert_eq!(
                f.widget,
                Widget::Display,
                "{}: capture field {} is not a Display",
                p.id,
                c.field
            );
            assert!(
                !c.reveal_hint.trim().is_empty(),
                "{}: capture {} has no reveal hint",
                p.id,
                c.field
            );
            let shown = p.requirements.iter().any(|r| {
                matches!(r.check, Check::Shows(s) if s == c.slot) && r.field == Some(c.field)
            });
            assert!(
                shown,
                "{}: capture of {:?} has no Shows requirement",
                p.id, c.slot
            );
        }
        let fill_fields: BTreeSet<&str> = p.fills.iter().map(|f| f.field).collect();
        assert_eq!(
            fill_fields.len(),
            p.fills.len(),
            "{}: two fills for one field",
            p.id
        );
        for f in p.fills {
            assert!(
                p.field(f.field).is_some(),
                "{}: fill field {} missing",
                p.id,
                f.field
            );
        }
    }
}

#[test]
fn shows_has_a_capture_and_filled_from_has_a_fill() {
    for (p, r) in all_requirements() {
        match r.check {
            Check::Shows(slot) => assert!(
                p.captures
                    .iter()
                    .any(|c| c.slot == slot && Some(c.field) == r.field),
                "{} on {}: no Capture for {slot:?}",
                r.id,
                p.id
            ),
            Check::FilledFrom(slot) => assert!(
                p.fills
                    .iter()
                    .any(|f| f.from == FillSource::Slot(slot) && Some(f.field) == r.field),
                "{} on {}: no Fill from {slot:?}",
                r.id,
                p.id
            ),
            _ => {}
        }
    }
}

#[test]
fn every_slot_is_captured_somewhere_and_filled_somewhere() {
    for slot in Slot::ALL {
        assert!(
            PAGES
                .iter()
                .any(|p| p.captures.iter().any(|c| c.slot == slot)),
            "{slot:?} is never captured"
        );
        assert!(
            PAGES
                .iter()
                .any(|p| p.fills.iter().any(|f| f.from == FillSource::Slot(slot))),
            "{slot:?} is never filled"
        );
    }
}

#[test]
fn the_articles_fixed_values_are_exact() {
    let cb = req_on(
        page("salesforce.connected_app.edit"),
        "sf.oauth.callback_url",
    )
    .unwrap();
    assert!(matches!(
        cb.check,
        Check::ExactUrl("https://system-admin.okta.com/admin/app/generic/oauth20redirect")
    ));
    let edit = page("salesforce.connected_app.edit");
    assert!(edit.fills.iter().any(|f| f.field == "callback_url"
        && f.from
            == FillSource::Literal(
                "https://system-admin.okta.com/admin/app/generic/oauth20redirect"
            )));
    let tok = |pid: &str, id: &str| match req_on(page(pid), id).unwrap().check {
        Check::ListHasToken(t) | Check::Granted(t) => t,
        Check::ChoiceIs(ts) => ts[0],
        other => panic!("{id}: unexpected {other:?}"),
    };
    assert_eq!(
        tok("salesforce.connected_app.edit", "sf.oauth.scope_api"),
        "(api)"
    );
    assert_eq!(
        tok("salesforce.connected_app.edit", "sf.oauth.scope_refresh"),
        "(refresh_token, offline_access)"
    );
    assert_eq!(
        tok(
            "salesforce.connected_app.policies",
            "sf.policy.permitted_users"
        ),
        "self-authorize"
    );
    assert_eq!(
        tok(
            "salesforce.connected_app.policies",
            "sf.policy.refresh_token"
        ),
        "valid until revoked"
    );
    assert_eq!(
        tok("okta.app.api_scopes", "okta.scopes.logs_read"),
        "okta.logs.read"
    );
    assert_eq!(
        tok("okta.app.api_scopes", "okta.scopes.schemas_read"),
        "okta.schemas.read"
    );
    assert_eq!(
        tok("okta.app.api_scopes", "okta.scopes.users_read_custom_role"),
        "okta.users.read"
    );
    assert_eq!(
        tok("okta.app.api_scopes", "okta.scopes.devices_manage"),
        "okta.devices.manage"
    );
    assert_eq!(
        tok("workflows.connection.new", "wf.conn.connector_okta_devices"),
        "Okta Devices"
    );
    // Workato's option labels contain the tokens the checks look for.
    let wk = page("workato.connection.new");
    for (id, auth) in [
        ("wk.conn.auth_type", AuthType::AuthCode),
        ("wk.conn.auth_type_cc", AuthType::ClientCredentials),
        ("wk.conn.auth_type_key", AuthType::ApiKey),
    ] {
        let Check::ChoiceIs(ts) = req_on(wk, id).unwrap().check else {
            panic!("{id}")
        };
        let label = auth.workato_label().to_lowercase();
        assert!(
            ts.iter().any(|t| label.contains(&t.to_lowercase())),
            "{id}: {ts:?} vs {label}"
        );
    }
}

// ---- (5) + (7) texts ---------------------------------------------------------------

#[test]
fn every_requirement_has_sources_and_own_words() {
    for (p, r) in all_requirements() {
        assert!(!r.sources.is_empty(), "{}: no source", r.id);
        for s in r.sources {
            assert!(!s.at.trim().is_empty(), "{}: empty source position", r.id);
            assert!(
                catalog::sources::ALL
                    .iter()
                    .any(|a| std::ptr::eq(*a, s.article)),
                "{}: unknown article",
                r.id
            );
        }
        let (sum, exp) = (r.summary.text(), r.explain.text());
        assert!(
            !sum.trim().is_empty() && sum.chars().count() <= 120,
            "{} on {}: summary length {}",
            r.id,
            p.id,
            sum.chars().count()
        );
        assert!(
            !exp.trim().is_empty() && exp.chars().count() <= 400,
            "{} on {}: explain length {}",
            r.id,
            p.id,
            exp.chars().count()
        );
        assert_ne!(sum, exp, "{}: explain repeats the summary", r.id);
        for t in [sum, exp] {
            assert_eq!(t, t.trim(), "{}: stray whitespace", r.id);
            assert!(
                !t.contains("  ") && !t.contains('\n'),
                "{}: broken line continuation in {t:?}",
                r.id
            );
        }
    }
}

// ---- (6) recognition specs -------------------------------------------------------------

fn probe_ok(p: &Probe) -> bool {
    match *p {
        Probe::Id { id } => !id.trim().is_empty(),
        Probe::Css { css, .. } => !css.trim().is_empty(),
        Probe::Text { css, text, .. } => !css.trim().is_empty() && !text.trim().is_empty(),
        Probe::Title { text } => !text.trim().is_empty(),
    }
}

fn locator_ok(l: &Locator) -> bool {
    match *l {
        Locator::Id { id } => !id.trim().is_empty(),
        Locator::Name { name } => !name.trim().is_empty(),
        Locator::Css { css, .. } => !css.trim().is_empty(),
        Locator::LabelText { text, .. } | Locator::Aria { text, .. } => !text.trim().is_empty(),
        Locator::Near { text, css, .. } => !text.trim().is_empty() && !css.trim().is_empty(),
    }
}

fn path_ok(m: &PathMatch) -> bool {
    match *m {
        PathMatch::Exact(p) | PathMatch::Prefix(p) => p.starts_with('/'),
        PathMatch::Suffix(p) => !p.is_empty(),
        PathMatch::Segments(s) => {
            !s.is_empty() && s.iter().all(|x| !x.is_empty() && !x.contains('/'))
        }
    }
}

#[test]
fn every_page_has_urls_landmarks_and_locators() {
    for p in PAGES {
        assert!(!p.title.is_empty(), "{}: title", p.id);
        assert!(!p.urls.is_empty(), "{}: no URL pattern", p.id);
        for u in p.urls {
            assert!(!u.host_suffixes.is_empty(), "{}: no hosts", p.id);
            for h in u.host_suffixes {
                assert!(
                    !h.is_empty() && !h.starts_with('.') && *h == h.to_ascii_lowercase(),
                    "{}: host {h:?}",
                    p.id
                );
                if u.host_kind == HostKind::Exact {
                    assert!(
                        h.matches('.').count() >= 2,
                        "{}: exact host {h} looks like a suffix",
                        p.id
                    );
                }
            }
            assert!(path_ok(&u.path), "{}: path {:?}", p.id, u.path);
            if let Some((name, _)) = u.query {
                assert!(!name.is_empty(), "{}: query name", p.id);
            }
        }
        assert!(!p.landmarks.is_empty(), "{}: no landmark", p.id);
        for l in p.landmarks {
            assert!(!l.any_of.is_empty(), "{}: landmark without probes", p.id);
            assert!(
                l.any_of.iter().all(probe_ok),
                "{}: empty probe string",
                p.id
            );
        }
        for f in p.fields {
            assert!(!f.locators.is_empty(), "{}: {} has no locator", p.id, f.key);
            assert!(
                f.locators.iter().all(locator_ok),
                "{}: {} has an empty locator string",
                p.id,
                f.key
            );
            for l in f.locators {
                if let Locator::Css { css, .. } = l {
                    // Visualforce ids hold colons: those need Locator::Id.
                    assert!(
                        !css.contains("#appsetup:"),
                        "{}: {} uses CSS on a Visualforce id",
                        p.id,
                        f.key
                    );
                }
            }
        }
        assert!(
            p.nav_hint.is_empty() || p.nav_hint.starts_with("https://{org}/"),
            "{}: nav_hint {}",
            p.id,
            p.nav_hint
        );
    }
}

#[test]
fn shadow_dom_pages_walk_shadow_roots() {
    for pid in [
        "salesforce.external_client_app.settings",
        "salesforce.external_client_app.policies",
        "workato.connection.new",
    ] {
        let p = page(pid);
        for l in p.landmarks.iter().flat_map(|l| l.any_of.iter()) {
            if let Probe::Css { deep, .. } | Probe::Text { deep, .. } = *l {
                assert!(deep, "{pid}: landmark probe not deep");
            }
        }
        for f in p.fields {
            for l in f.locators {
                let deep = match *l {
                    Locator::Css { deep, .. }
                    | Locator::LabelText { deep, .. }
                    | Locator::Aria { deep, .. }
                    | Locator::Near { deep, .. } => deep,
                    Locator::Id { .. } | Locator::Name { .. } => false,
                };
                assert!(
                    deep,
                    "{pid}: {} has a locator that does not walk shadow roots",
                    f.key
                );
            }
        }
    }
}

#[test]
fn catalog_serializes() {
    let pages = serde_json::to_value(PAGES).expect("pages serialize");
    assert_eq!(pages.as_array().map(Vec::len), Some(17));
    serde_json::to_value(INTEGRATIONS).expect("integrations serialize");
}

// ---- URL samples against the recognizer's first stage ----------------------------------

#[test]
fn sample_urls_reach_their_pages_and_decoys_do_not() {
    use keyferry::recognize::candidates;
    let has = |url: &str, pid: &str| candidates(url, &[]).iter().any(|p| p.id == pid);
    let samples = [
        ("https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?connectedAppId=0H4x&isdtp=p1", "salesforce.connected_app.edit"),
        ("https://acme.my.salesforce-setup.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup", "salesforce.connected_app.edit"),
        ("https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppDetail.apexp?applicationId=06Px", "salesforce.connected_app.consumer_details"),
        ("https://acme.lightning.force.com/lightning/setup/ConnectedApplication/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppDetail.apexp%3FapplicationId%3D06Px", "salesforce.connected_app.consumer_details"),
        ("https://acme.my.salesforce.com/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/e?applicationId=06Px", "salesforce.connected_app.policies"),
        ("https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIabc000000001/detail", "salesforce.external_client_app.settings"),
        ("https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIabc000000001/detail", "salesforce.external_client_app.policies"),
        ("https://acme-admin.okta.com/admin/apps/active", "okta.app.create_dialog"),
        ("https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB", "okta.app.wizard_web"),
        ("https://acme-admin.oktapreview.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE", "okta.app.wizard_service"),
        ("https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general", "okta.app.general"),
        ("https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/", "okta.app.general"),
        ("https://acme-admin.okta.com/admin/app/okta_workflows_oauth/instance/0oa1b2c3d4e5f6g7h8i9/#tab-signon", "okta.app.sign_on"),
        ("https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-okta-api-scopes", "okta.app.api_scopes"),
        ("https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-admin-roles", "okta.app.admin_roles"),
        ("https://acme-admin.okta-emea.com/admin/access/api/tokens", "okta.api.tokens"),
        ("https://acme-admin.okta.com/admin/app/salesforce/instance/0oa1b2c3d4e5f6g7h8i9/#tab-user-management/api-credentials", "okta.salesforce.provisioning"),
        ("https://acme.workflows.okta.com/app/connections", "workflows.connection.new"),
        ("https://acme.workflows.okta.mil/app/connections", "workflows.connection.new"),
        ("https://www.workato.com/connections/new", "workato.connection.new"),
        ("https://app.eu.workato.com/connections/new", "workato.connection.new"),
        ("https://app.workato.com/connections/12345", "workato.connection.new"),
    ];
    for (url, pid) in samples {
        assert!(has(url, pid), "{url} does not reach {pid}");
    }
    // Hash-specific tabs stay apart where the fragment is known.
    let signon = "https://acme-admin.okta.com/admin/app/x/instance/0oa1/#tab-signon";
    assert!(!has(signon, "okta.app.general"));
    assert!(!has(
        "https://acme-admin.okta.com/admin/app/x/instance/0oa1/#tab-general",
        "okta.app.sign_on"
    ));
    assert!(!has(
        "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE",
        "okta.app.wizard_web"
    ));
    // The ECA consumer-details view has no known route: it is accepted under
    // the ECA nodes (inline, or a window of its own below them).
    for url in [
        "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIabc000000001/detail",
        "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIabc000000001/consumerDetails?x=1",
        "https://acme.lightning.force.com/lightning/setup/ExternalClientAppManager/0xIabc000000001/keys",
    ] {
        assert!(has(url, "salesforce.external_client_app.consumer_details"), "{url}");
    }
    // Decoys: no page at all.
    for url in [
        "https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home",
        "https://app.workato.com/recipes/123-okta-sync/edit",
        "https://acme.okta.com/admin/apps/active",
        "https://acme-admin.okta.com.evil.test/admin/access/api/tokens",
        "https://acme-admin.okta.com/admin/dashboard",
        // www.workato.com serves the product's pages, and the marketing site.
        "https://www.workato.com/",
        "https://www.workato.com/pricing",
        // Only Workflows hosts of the IL5 cell: no org label, an admin host,
        // a lookalike.
        "https://workflows.okta.mil/app/connections",
        "https://acme-admin.okta.mil/admin/apps/active",
        "https://acme.workflows.okta.mil.evil.test/app/connections",
    ] {
        assert!(
            candidates(url, &[]).is_empty(),
            "{url} matched {:?}",
            candidates(url, &[]).iter().map(|p| p.id).collect::<Vec<_>>()
        );
    }
}

// ---- 2026-12: the consoles as they are now ----------------------------------------

fn probe_texts(page_id: &str) -> Vec<String> {
    page(page_id)
        .landmarks
        .iter()
        .flat_map(|l| l.any_of.iter())
        .map(|p| match p {
            Probe::Text { css, text, .. } => format!("{css} ~ {text}"),
            Probe::Css { css, .. } => css.to_string(),
            Probe::Id { id } => format!("#{id}"),
            Probe::Title { text } => format!("title ~ {text}"),
        })
        .collect()
}

fn first_locator(page_id: &str, field: &str) -> String {
    match page(page_id).field(field).unwrap().locators[0] {
        Locator::Css { css, .. } => css.to_string(),
        Locator::Name { name } => format!("[name={name}]"),
        Locator::Id { id } => format!("#{id}"),
        other => panic!("{page_id}.{field}: first locator {other:?} is not language-independent"),
    }
}

#[test]
fn pages_accept_the_2026_shapes() {
    // Okta's Create App Integration: either experience's tab is the dialog.
    let dialog = probe_texts("okta.app.create_dialog");
    for t in ["Classic Experience", "New Experience", "Service App"] {
        assert!(dialog.iter().any(|p| p.ends_with(t)), "{t}: {dialog:?}");
    }
    // The web wizard is recognized without English text (URL + input names).
    let wizard = page("okta.app.wizard_web");
    assert!(wizard.landmarks.iter().all(|l| l.any_of.iter().any(|p| matches!(p, Probe::Css { .. }))));
    assert_eq!(first_locator("okta.app.wizard_web", "name"), "[name=client_name]");
    assert_eq!(first_locator("okta.app.wizard_web", "redirect_uri"), "input[name=\"uri\"]");
    // Workflows' Name / Description variant: the Domain label identifies it.
    assert!(probe_texts("workflows.connection.new").iter().any(|p| p.ends_with("~ Domain")));
    let nick = page("workflows.connection.new").field("nickname").unwrap();
    assert!(nick.locators.iter().any(|l| matches!(l, Locator::LabelText { text: "Name", .. })));
    // Workato: the schema's names first (subdomain, api_key), the old
    // `domain` name kept last as a fallback.
    assert_eq!(first_locator("workato.connection.new", "domain"), "input[name=\"subdomain\"]");
    assert_eq!(first_locator("workato.connection.new", "api_key"), "input[name=\"api_key\"]");
    let domain = page("workato.connection.new").field("domain").unwrap();
    assert!(matches!(domain.locators.last(), Some(Locator::Css { css: "input[name=\"domain\"]", .. })));
    assert!(probe_texts("workato.connection.new").iter().any(|p| p == "input[name=\"subdomain\"]"));
    // Every Workato field is looked up by its schema name before its label.
    for f in page("workato.connection.new").fields {
        if f.locators.iter().any(|l| matches!(l, Locator::Css { css, .. } if css.contains("[name="))) {
            assert!(matches!(f.locators[0], Locator::Css { .. }), "{}: a name-based locator comes first", f.key);
        }
    }
}
