//! Okta Workflows Console: "New Connection" window for the Okta or Okta
//! Devices connector (Connection Nickname, Domain, Client ID, Client
//! Secret). The connections route is not verified: any `/app/` path, and the
//! dialog itself decides. Labels [D], markup [I].
//!
//! 2026 variants (console-pages §8.3): some tenants show "Name" and
//! "Description" instead of "Connection Nickname", and the dialog has a
//! Permissions tab ("Use default scopes" / "Customize scopes (advanced)"). The
//! Permissions tab carries no requirement of the articles: whichever tab is
//! open, the connection fields are read where they are in the DOM, and a
//! field that is not rendered stays unknown.

use super::okta_app_sign_on::REAUTH_ROLES;
use super::WORKFLOWS_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, Fill, FillSource, HostKind, Landmark, Locator, Msg, Page, PathMatch,
    Probe, Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

pub static OKTA_FIRST: Requirement = Requirement {
    id: "wf.order.okta_first",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_wf_order_okta_first_summary"),
    explain: Msg("req_wf_order_okta_first_explain"),
    sources: &[SourceRef { article: &sources::WF, at: "Authenticate your Okta account" }],
};

pub static NICKNAME: Requirement = Requirement {
    id: "wf.conn.nickname",
    field: Some("nickname"),
    check: Check::NonEmpty,
    severity: Severity::Must,
    summary: Msg("req_wf_conn_nickname_summary"),
    explain: Msg("req_wf_conn_nickname_explain"),
    sources: &[
        SourceRef {
            article: &sources::WF,
            at: "step 5",
        },
        SourceRef {
            article: &sources::WFD,
            at: "Create a connection, step 4",
        },
    ],
};

pub static DOMAIN: Requirement = Requirement {
    id: "wf.conn.domain",
    field: Some("domain"),
    check: Check::OktaDomain,
    severity: Severity::Must,
    summary: Msg("req_wf_conn_domain_summary"),
    explain: Msg("req_wf_conn_domain_explain"),
    sources: &[
        SourceRef { article: &sources::WF, at: "step 6" },
        SourceRef { article: &sources::WFD, at: "Create a connection, step 5" },
    ],
};

pub static CLIENT_ID: Requirement = Requirement {
    id: "wf.conn.client_id",
    field: Some("client_id"),
    check: Check::FilledFrom(Slot::OktaWfClientId),
    severity: Severity::Must,
    summary: Msg("req_wf_conn_client_id_summary"),
    explain: Msg("req_wf_conn_client_id_explain"),
    sources: &[
        SourceRef { article: &sources::WF, at: "step 7" },
        SourceRef { article: &sources::WFD, at: "Create a connection, step 6" },
    ],
};

pub static CLIENT_SECRET: Requirement = Requirement {
    id: "wf.conn.client_secret",
    field: Some("client_secret"),
    check: Check::FilledFrom(Slot::OktaWfClientSecret),
    severity: Severity::Must,
    summary: Msg("req_wf_conn_client_secret_summary"),
    explain: Msg("req_wf_conn_client_secret_explain"),
    sources: &[
        SourceRef { article: &sources::WF, at: "step 8" },
        SourceRef { article: &sources::WFD, at: "Create a connection, step 6" },
    ],
};

pub static REAUTHORIZE: Requirement = Requirement {
    id: "wfd.reauthorize",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_wfd_reauthorize_summary"),
    explain: Msg("req_wfd_reauthorize_explain"),
    sources: &[SourceRef { article: &sources::WFD, at: "Assign scopes" }],
};

pub static CONNECTOR_OKTA_DEVICES: Requirement = Requirement {
    id: "wf.conn.connector_okta_devices",
    field: Some("connector"),
    check: Check::ChoiceIs(&["Okta Devices"]),
    severity: Severity::Must,
    summary: Msg("req_wf_conn_connector_okta_devices_summary"),
    explain: Msg("req_wf_conn_connector_okta_devices_explain"),
    sources: &[SourceRef { article: &sources::WFD, at: "Create a connection, step 3" }],
};

pub static PAGE: Page = Page {
    id: "workflows.connection.new",
    console: Console::Workflows,
    title: "Workflows — New Connection",
    urls: &[UrlPattern {
        host_suffixes: WORKFLOWS_HOSTS,
        host_kind: HostKind::OktaWorkflows,
        path: PathMatch::Prefix("/app/"), // [V] app paths; [I] connections route
        hash: None,
        query: None,
        via_address_param: false,
    }],
    landmarks: &[
        Landmark {
            any_of: &[
                Probe::Text { css: "[role=dialog]", text: "New Connection", deep: false },
                Probe::Text { css: "dialog, [class*=modal], [class*=Modal]", text: "New Connection", deep: false },
            ],
        },
        Landmark {
            any_of: &[
                Probe::Text { css: "label", text: "Connection Nickname", deep: false },
                Probe::Text { css: "[role=dialog]", text: "Connection Nickname", deep: false },
                // The Name / Description variant: the Okta connectors' own
                // Domain field tells it from other connectors' dialogs. [D]
                Probe::Text { css: "[role=dialog] label", text: "Domain", deep: false },
            ],
        },
    ],
    fields: &[
        Field {
            key: "connector",
            label: "Connector",
            // The connector the window was opened for, read as the shown
            // title; falls back to the whole window's text. [I]
            widget: Widget::Display,
            locators: &[
                Locator::Css { css: "[role=dialog] [class*=connector-name], [role=dialog] [class*=connectorName]", deep: false },
                Locator::Css { css: "[role=dialog]", deep: false },
            ],
        },
        Field {
            key: "nickname",
            label: "Connection Nickname",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Connection Nickname", deep: false },
                Locator::Aria { text: "Nickname", deep: false },
                Locator::Near { text: "Connection Nickname", css: "input", deep: false },
                // The Name / Description variant ("Name" is the nickname). [D]
                Locator::LabelText { text: "Name", deep: false },
                Locator::Aria { text: "Name", deep: false },
            ],
        },
        Field {
            key: "domain",
            label: "Domain",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Domain", deep: false },
                Locator::Aria { text: "Domain", deep: false },
                Locator::Near { text: "Domain", css: "input", deep: false },
            ],
        },
        Field {
            key: "client_id",
            label: "Client ID",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Client ID", deep: false },
                Locator::Aria { text: "Client ID", deep: false },
                Locator::Near { text: "Client ID", css: "input", deep: false },
            ],
        },
        Field {
            key: "client_secret",
            label: "Client Secret",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Client Secret", deep: false },
                Locator::Aria { text: "Client Secret", deep: false },
                Locator::Near { text: "Client Secret", css: "input", deep: false },
            ],
        },
    ],
    requirements: &[
        &OKTA_FIRST,
        &REAUTHORIZE,
        &REAUTH_ROLES,
        &CONNECTOR_OKTA_DEVICES,
        &NICKNAME,
        &DOMAIN,
        &CLIENT_ID,
        &CLIENT_SECRET,
    ],
    captures: &[],
    fills: &[
        Fill { field: "nickname", from: FillSource::ConnectionName },
        Fill { field: "domain", from: FillSource::OktaDomain },
        Fill { field: "client_id", from: FillSource::Slot(Slot::OktaWfClientId) },
        Fill { field: "client_secret", from: FillSource::Slot(Slot::OktaWfClientSecret) },
    ],
    // A window over whichever Workflows page the admin is on.
    shares_url: true,
    // The Connections page's route is not verified.
    nav_hint: "",
};
