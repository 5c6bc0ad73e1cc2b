//! Okta Admin Console: an app's "Okta API Scopes" tab: one row per `okta.*`
//! scope with a Grant (not granted) or Revoke (granted) button. The tab's
//! fragment is not verified, so the instance path plus landmarks decide.

use super::{OKTA_APP_INSTANCE, OKTA_HOSTS};
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

const AC: &str = "Authorization code grant: create an app integration";
const CC: &str = "Client credentials: create an app integration";

pub static LOGS_READ: Requirement = Requirement {
    id: "okta.scopes.logs_read",
    field: Some("scopes"),
    check: Check::Granted("okta.logs.read"),
    severity: Severity::Must,
    summary: Msg("req_okta_scopes_logs_read_summary"),
    explain: Msg("req_okta_scopes_logs_read_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
    ],
};

pub static SCHEMAS_READ: Requirement = Requirement {
    id: "okta.scopes.schemas_read",
    field: Some("scopes"),
    check: Check::Granted("okta.schemas.read"),
    severity: Severity::Must,
    summary: Msg("req_okta_scopes_schemas_read_summary"),
    explain: Msg("req_okta_scopes_schemas_read_explain"),
    sources: &[
        SourceRef {
            article: &sources::WK,
            at: AC,
        },
        SourceRef {
            article: &sources::WK,
            at: CC,
        },
    ],
};

pub static USERS_READ_CUSTOM_ROLE: Requirement = Requirement {
    id: "okta.scopes.users_read_custom_role",
    field: Some("scopes"),
    check: Check::Granted("okta.users.read"),
    severity: Severity::Should,
    summary: Msg("req_okta_scopes_users_read_custom_role_summary"),
    explain: Msg("req_okta_scopes_users_read_custom_role_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
    ],
};

pub static AUTO_GRANTED: Requirement = Requirement {
    id: "okta.scopes.auto_granted",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_scopes_auto_granted_summary"),
    explain: Msg("req_okta_scopes_auto_granted_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static DEVICES_MANAGE: Requirement = Requirement {
    id: "okta.scopes.devices_manage",
    field: Some("scopes"),
    check: Check::Granted("okta.devices.manage"),
    severity: Severity::Must,
    summary: Msg("req_okta_scopes_devices_manage_summary"),
    explain: Msg("req_okta_scopes_devices_manage_explain"),
    sources: &[SourceRef { article: &sources::WFD, at: "Assign scopes" }],
};

pub static PAGE: Page = Page {
    id: "okta.app.api_scopes",
    console: Console::Okta,
    title: "Okta API Scopes tab",
    urls: &[
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: Some(PathMatch::Prefix("#tab-okta-api-scopes")), // [I] guessed fragment
            query: None,
            via_address_param: false,
        },
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: None,
            query: None,
            via_address_param: false,
        },
    ],
    landmarks: &[
        // Grant / Revoke buttons. [D]
        Landmark {
            any_of: &[
                Probe::Text {
                    css: "#content button",
                    text: "Revoke",
                    deep: false,
                },
                Probe::Text {
                    css: "#content button",
                    text: "Grant",
                    deep: false,
                },
            ],
        },
        // Scope names in the rows. [D]
        Landmark {
            any_of: &[
                Probe::Text {
                    css: "#content td, #content [role=cell], #content [role=row]",
                    text: "okta.logs.read",
                    deep: false,
                },
                Probe::Text {
                    css: "#content td, #content [role=cell], #content [role=row]",
                    text: "okta.users.read",
                    deep: false,
                },
            ],
        },
    ],
    fields: &[Field {
        key: "scopes",
        label: "Okta API Scopes",
        widget: Widget::GrantButtons,
        // The table holding the rows. [I] markup; [D] one row per scope.
        locators: &[
            Locator::Css {
                css: "#tab-okta-api-scopes table",
                deep: false,
            },
            Locator::Css {
                css: "[role=tabpanel] table",
                deep: false,
            },
            Locator::Css {
                css: "#content table",
                deep: false,
            },
            Locator::Css {
                css: "#content [role=table], #content [role=grid]",
                deep: false,
            },
        ],
    }],
    requirements: &[
        &LOGS_READ,
        &SCHEMAS_READ,
        &USERS_READ_CUSTOM_ROLE,
        &AUTO_GRANTED,
        &DEVICES_MANAGE,
    ],
    captures: &[],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
