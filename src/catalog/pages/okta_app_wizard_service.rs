//! Okta Admin Console: "New API Services App Integration" (name + Save).
//! `applicationType=SERVICE` is [I]; the heading decides when the query
//! differs.

use super::OKTA_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

pub static NAME: Requirement = Requirement {
    id: "okta.service.name",
    field: Some("name"),
    check: Check::NonEmpty,
    severity: Severity::Must,
    summary: Msg("req_okta_service_name_summary"),
    explain: Msg("req_okta_service_name_explain"),
    sources: &[SourceRef { article: &sources::WK, at: "Client credentials: create an app integration" }],
};

pub static PAGE: Page = Page {
    id: "okta.app.wizard_service",
    console: Console::Okta,
    title: "New API Services App Integration",
    urls: &[
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Prefix("/admin/apps/oauth2-wizard/create"),
            hash: None,
            query: Some(("applicationType", "SERVICE")), // [I]
            via_address_param: false,
        },
        // Any wizard URL; only the API Services heading makes it this page.
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Prefix("/admin/apps/oauth2-wizard/create"),
            hash: None,
            query: None,
            via_address_param: false,
        },
    ],
    landmarks: &[Landmark {
        any_of: &[
            Probe::Text {
                css: "h1, h2, [role=heading]",
                text: "New API Services App Integration",
                deep: false,
            }, // [D]
            Probe::Text {
                css: "h1, h2, [role=heading]",
                text: "API Services App Integration",
                deep: false,
            },
            // The new experience's name for the same app. [D]
            Probe::Text {
                css: "h1, h2, [role=heading]",
                text: "Service App Integration",
                deep: false,
            },
        ],
    }],
    fields: &[Field {
        key: "name",
        label: "App integration name",
        widget: Widget::Text,
        locators: &[
            Locator::Name {
                name: "client_name",
            }, // [V] on the web wizard, [I] here
            Locator::LabelText {
                text: "App integration name",
                deep: false,
            },
        ],
    }],
    requirements: &[&NAME],
    captures: &[],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
