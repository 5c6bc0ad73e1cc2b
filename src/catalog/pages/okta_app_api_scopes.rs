//! Okta Admin Console: an app's "Okta API Scopes" tab: one row per `okta.*`
//! scope with a Grant (not granted) or Revoke (granted) button. The tab's
//! fragment is not verified, so the instance path plus landmarks decide.

use super::{OKTA_APP_INSTANCE, OKTA_HOSTS};
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

const AC: &str = "Authorization code grant: create an app integration";
const CC: &str = "Client credentials: create an app integration";

pub static LOGS_READ: Requirement = Requirement {
    id: "okta.scopes.logs_read",
    field: Some("scopes"),
    check: Check::Granted("okta.logs.read"),
    severity: Severity::Must,
    summary: "okta.logs.read is granted",
    explain: "Workato cannot connect without reading the system log. Click Grant on the okta.logs.read row; \
              a granted row shows Revoke instead.",
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
    summary: "okta.schemas.read is granted",
    explain:
        "The connection reads profile schemas as part of its minimum access. Click Grant on the \
              okta.schemas.read row.",
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
    summary: "okta.users.read is granted if the connection uses a custom admin role",
    explain: "With a custom role Workato also needs to read users. Grant okta.users.read in that case; with a \
              standard role you may ignore this warning.",
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
    summary: "offline_access and openid need no grant here",
    explain: "Okta adds offline_access and openid to the app by itself, so they are not rows you have to grant \
              on this tab.",
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static DEVICES_MANAGE: Requirement = Requirement {
    id: "okta.scopes.devices_manage",
    field: Some("scopes"),
    check: Check::Granted("okta.devices.manage"),
    severity: Severity::Must,
    summary: "okta.devices.manage is granted on the Okta Workflows OAuth app",
    explain: "The Okta Devices connector needs this scope; openid, profile, email, phone, address, groups and \
              offline_access come automatically. If the connection already exists, reauthorize it afterwards.",
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
    nav_hint: "https://{org}/admin/apps/active",
};
