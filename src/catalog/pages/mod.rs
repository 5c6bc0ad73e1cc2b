//! One file per console page, named after the page id (dots → underscores).
//! Each exports `PAGE` and one static per requirement; pages that carry the
//! same control (a connected app and an External Client App) reference the
//! same `Requirement` static so the inventory id is shared.
//!
//! Confidence tags in comments follow `shared/docs/console-pages.md`:
//! [V] verified from code that drives the real page, [D] from vendor docs
//! (labels, not ids), [I] an educated guess.
//!
//! Locator conventions used across pages:
//! - `RadioGroup` locators find either one radio of the group (the agent
//!   reads the group by `name`) or the container holding the radios.
//! - `Display` is also used for values shown as text whose widget is not a
//!   native control (Lightning comboboxes in view/edit mode, a dialog title).

use super::Page;

pub mod okta_api_tokens;
pub mod okta_app_admin_roles;
pub mod okta_app_api_scopes;
pub mod okta_app_create_dialog;
pub mod okta_app_general;
pub mod okta_app_sign_on;
pub mod okta_app_wizard_service;
pub mod okta_app_wizard_web;
pub mod okta_salesforce_provisioning;
pub mod salesforce_connected_app_consumer_details;
pub mod salesforce_connected_app_edit;
pub mod salesforce_connected_app_policies;
pub mod salesforce_external_client_app_consumer_details;
pub mod salesforce_external_client_app_policies;
pub mod salesforce_external_client_app_settings;
pub mod workato_connection_new;
pub mod workflows_connection_new;

/// Every page, in the requirements inventory's order. Recognition takes the
/// first page (in this order) whose URL matches and whose landmarks all hit,
/// so more specific pages sharing a URL come first.
pub static PAGES: &[&Page] = &[
    &salesforce_connected_app_edit::PAGE,
    &salesforce_connected_app_consumer_details::PAGE,
    &salesforce_connected_app_policies::PAGE,
    // Before the settings page: inline, the Settings tab stays underneath.
    &salesforce_external_client_app_consumer_details::PAGE,
    &salesforce_external_client_app_settings::PAGE,
    &salesforce_external_client_app_policies::PAGE,
    &okta_app_create_dialog::PAGE,
    &okta_app_wizard_web::PAGE,
    &okta_app_wizard_service::PAGE,
    &okta_app_general::PAGE,
    &okta_app_sign_on::PAGE,
    &okta_app_api_scopes::PAGE,
    &okta_app_admin_roles::PAGE,
    &okta_api_tokens::PAGE,
    &okta_salesforce_provisioning::PAGE,
    &workflows_connection_new::PAGE,
    &workato_connection_new::PAGE,
];

/// Salesforce core hosts: `*.my.salesforce.com`, `*.lightning.force.com`,
/// `*.my.salesforce-setup.com` (Setup domain), Visualforce and legacy hosts.
/// [V] extension manifests. Not `cloudforce.com`: one extension's manifest
/// lists it (console-pages §1, "Salesforce extras"), but no Setup page of
/// the catalog is known there (§2.1 names the Lightning, Setup and My Domain
/// hosts only) and enhanced domains (§8) leave no legacy host to serve one,
/// so keyferry asks no permission for it; an org that does use it can add
/// it as a custom Salesforce host (options page). The manifest's host
/// lists are these hosts (tests/manifest_hosts.rs).
pub(crate) const SF_HOSTS: &[&str] = &[
    "salesforce.com",
    "force.com",
    "salesforce-setup.com",
    "visualforce.com",
];

/// Okta cells; with `HostKind::OktaAdmin` only `<org>-admin.<suffix>` hosts
/// match. [V] (`okta-gov.com` from one userscript).
pub(crate) const OKTA_HOSTS: &[&str] = &[
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
];

/// Okta Workflows: `<org>.workflows.<suffix>`. [V] for the first three,
/// [I] for okta-gov.com; okta.mil is the FedRAMP IL5 cell (console-pages
/// §8.3, [D]; only its Workflows hosts, not an admin console).
pub(crate) const WORKFLOWS_HOSTS: &[&str] = &[
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
];

/// Workato product UI hosts, one per data center (exact match), as of
/// console-pages §8.4: US is served at www.workato.com and app.workato.com
/// [D/V]; EU, JP, SG, AU, IL, KR, CN (app.workatoapp.cn) and the trial
/// environment are confirmed [D/V]. app.in and app.uk rest on one source
/// each: they stay recognized (exact hosts under Workato's own domains, so no
/// one else can serve them), but the options page does not offer them and a
/// callback on them is accepted only with a warning
/// (`validate::DataCenter::is_confirmed`).
pub(crate) const WORKATO_HOSTS: &[&str] = &[
    "app.workato.com",
    "www.workato.com",
    "app.eu.workato.com",
    "app.jp.workato.com",
    "app.sg.workato.com",
    "app.au.workato.com",
    "app.il.workato.com",
    "app.trial.workato.com",
    "app.in.workato.com",
    "app.kr.workato.com",
    "app.uk.workato.com",
    "app.workatoapp.cn",
];

/// The redirect Okta's Salesforce app uses for its OAuth popup; the
/// connected app's Callback URL must be exactly this (OKTA-SF).
pub const OKTA_SF_CALLBACK: &str =
    "https://system-admin.okta.com/admin/app/generic/oauth20redirect";

/// Okta app instance pages: `/admin/app/<type key>/instance/<0oa…>/`.
pub(crate) const OKTA_APP_INSTANCE: &[&str] = &["admin", "app", "*", "instance", "*"];
