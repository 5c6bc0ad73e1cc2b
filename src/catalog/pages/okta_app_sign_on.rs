//! Okta Admin Console: the "Okta Workflows OAuth" app's Sign On tab, which
//! shows the client ID and secret Workflows' Okta connectors use
//! (`/admin/app/<type>/instance/<0oa…>/#tab-signon`).

use super::{OKTA_APP_INSTANCE, OKTA_HOSTS};
use crate::catalog::{
    sources, Capture, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

pub static CLIENT_ID: Requirement = Requirement {
    id: "okta.signon.client_id",
    field: Some("client_id"),
    check: Check::Shows(Slot::OktaWfClientId),
    severity: Severity::Must,
    summary: Msg("req_okta_signon_client_id_summary"),
    explain: Msg("req_okta_signon_client_id_explain"),
    sources: &[
        SourceRef { article: &sources::WF, at: "steps 1-2, 7" },
        SourceRef { article: &sources::WFD, at: "Record the app authentication values" },
    ],
};

pub static CLIENT_SECRET: Requirement = Requirement {
    id: "okta.signon.client_secret",
    field: Some("client_secret"),
    check: Check::Shows(Slot::OktaWfClientSecret),
    severity: Severity::Must,
    summary: Msg("req_okta_signon_client_secret_summary"),
    explain: Msg("req_okta_signon_client_secret_explain"),
    sources: &[
        SourceRef { article: &sources::WF, at: "step 8" },
        SourceRef { article: &sources::WFD, at: "Record the app authentication values" },
    ],
};

pub static SUPER_ADMIN: Requirement = Requirement {
    id: "wfd.super_admin",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_wfd_super_admin_summary"),
    explain: Msg("req_wfd_super_admin_explain"),
    sources: &[SourceRef { article: &sources::WFD, at: "Before you begin" }],
};

/// Shared with `workflows.connection.new`: who may reauthorize the Okta and
/// Okta Devices connections (2026 help; replaces "super admin only").
pub static REAUTH_ROLES: Requirement = Requirement {
    id: "wfd.reauth_roles",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_wfd_reauth_roles_summary"),
    explain: Msg("req_wfd_reauth_roles_explain"),
    sources: &[SourceRef { article: &sources::WF_HELP, at: "Reauthorize a connection: required roles" }],
};

pub static PAGE: Page = Page {
    id: "okta.app.sign_on",
    console: Console::Okta,
    title: "Okta Workflows OAuth — Sign On tab",
    urls: &[UrlPattern {
        host_suffixes: OKTA_HOSTS,
        host_kind: HostKind::OktaAdmin,
        path: PathMatch::Segments(OKTA_APP_INSTANCE),
        hash: Some(PathMatch::Prefix("#tab-signon")), // [V]
        query: None,
        via_address_param: false,
    }],
    landmarks: &[
        // Only the Workflows OAuth app: its values go into the wf_* slots. [D]
        Landmark {
            any_of: &[
                Probe::Text { css: "h1, h2, [class*=app-name], [data-se*=app-name]", text: "Workflows OAuth", deep: false },
                Probe::Title { text: "Workflows OAuth" },
            ],
        },
        Landmark { any_of: &[Probe::Text { css: "#content", text: "Client ID", deep: false }] },
    ],
    fields: &[
        Field {
            key: "client_id",
            label: "Client ID",
            widget: Widget::Display,
            // [I] value element; [D] label.
            locators: &[
                Locator::Name { name: "client_id" },
                Locator::LabelText { text: "Client ID", deep: false },
                Locator::Aria { text: "Client ID", deep: false },
                Locator::Near { text: "Client ID", css: "input, code, [class*=value], span", deep: false },
            ],
        },
        Field {
            key: "client_secret",
            label: "Client secret",
            widget: Widget::Display,
            // [I] value element; [D] label.
            locators: &[
                Locator::Name { name: "client_secret" },
                Locator::LabelText { text: "Client secret", deep: false },
                Locator::Aria { text: "Client secret", deep: false },
                Locator::Near {
                    text: "Client secret",
                    css: "input[type=password], input[type=text], code, [class*=value]",
                    deep: false,
                },
            ],
        },
    ],
    requirements: &[&SUPER_ADMIN, &REAUTH_ROLES, &CLIENT_ID, &CLIENT_SECRET],
    captures: &[
        Capture {
            slot: Slot::OktaWfClientId,
            field: "client_id",
            reveal_hint: "Open the Okta Workflows OAuth app and its Sign On tab; the client ID is listed there.",
        },
        Capture {
            slot: Slot::OktaWfClientSecret,
            field: "client_secret",
            reveal_hint: "On the Sign On tab, click the eye icon next to the client secret to unmask it.",
        },
    ],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
