//! Okta Admin Console: Applications → "Create App Integration" dialog
//! (React/Odyssey, on the apps list). Only the open dialog is the page; the
//! list behind it is not.
//!
//! By 2026 the dialog comes in two experiences, a "Classic Experience" tab
//! and a new one (console-pages §8.2, [D]): both are this page. The
//! machine-to-machine choice is "API Services" in the classic experience and
//! "Service App" in guides for the new one; either satisfies the client
//! credentials requirement. The new experience may offer "Use Okta-generated
//! client ID": it is no requirement of the articles (Workato takes whatever
//! client ID the app ends up with, and keyferry captures it on the General
//! tab, where a custom ID that does not look like Okta's gets a warning, not
//! an error), so it is left to the admin.

use super::OKTA_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

pub static SIGN_IN_METHOD_OIDC: Requirement = Requirement {
    id: "okta.wizard.sign_in_method_oidc",
    field: Some("sign_in_method"),
    check: Check::ChoiceIs(&["OIDC"]),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_sign_in_method_oidc_summary"),
    explain: Msg("req_okta_wizard_sign_in_method_oidc_explain"),
    sources: &[SourceRef { article: &sources::WK, at: "Authorization code grant: create an app integration" }],
};

pub static APP_TYPE_WEB: Requirement = Requirement {
    id: "okta.wizard.app_type_web",
    field: Some("app_type"),
    check: Check::ChoiceIs(&["Web Application"]),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_app_type_web_summary"),
    explain: Msg("req_okta_wizard_app_type_web_explain"),
    sources: &[SourceRef { article: &sources::WK, at: "Authorization code grant: create an app integration" }],
};

pub static SIGN_IN_METHOD_API_SERVICES: Requirement = Requirement {
    id: "okta.wizard.sign_in_method_api_services",
    field: Some("sign_in_method"),
    check: Check::ChoiceIs(&["API Services", "Service App"]),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_sign_in_method_api_services_summary"),
    explain: Msg("req_okta_wizard_sign_in_method_api_services_explain"),
    sources: &[SourceRef { article: &sources::WK, at: "Client credentials: create an app integration" }],
};

pub static PAGE: Page = Page {
    id: "okta.app.create_dialog",
    console: Console::Okta,
    title: "Create App Integration dialog",
    urls: &[UrlPattern {
        host_suffixes: OKTA_HOSTS,
        host_kind: HostKind::OktaAdmin,
        path: PathMatch::Prefix("/admin/apps/active"), // [V]
        hash: None,
        query: None,
        via_address_param: false,
    }],
    landmarks: &[Landmark {
        any_of: &[
            Probe::Text {
                css: "[role=dialog]",
                text: "OIDC - OpenID Connect",
                deep: false,
            }, // [V] emisar
            Probe::Text {
                css: "[role=dialog]",
                text: "Create a new app integration",
                deep: false,
            }, // [D]
            // The two experiences' tabs (2026). [D]
            Probe::Text {
                css: "[role=dialog] [role=tab]",
                text: "Classic Experience",
                deep: false,
            },
            Probe::Text {
                css: "[role=dialog] [role=tab]",
                text: "New Experience",
                deep: false,
            },
            Probe::Text {
                css: "[role=dialog]",
                text: "Service App",
                deep: false,
            },
        ],
    }],
    fields: &[
        Field {
            key: "sign_in_method",
            label: "Sign-in method",
            widget: Widget::RadioGroup,
            // The OIDC radio is [V] (found through its <label>); the others [D].
            locators: &[
                Locator::LabelText {
                    text: "OIDC - OpenID Connect",
                    deep: false,
                },
                Locator::LabelText {
                    text: "API Services",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Service App",
                    deep: false,
                }, // [D] new experience
                Locator::Near {
                    text: "Sign-in method",
                    css: "input[type=radio]",
                    deep: false,
                },
            ],
        },
        Field {
            key: "app_type",
            label: "Application type",
            widget: Widget::RadioGroup,
            // Rendered only after OIDC is picked. [V] Web Application; [D] others.
            locators: &[
                Locator::LabelText {
                    text: "Web Application",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Single-Page Application",
                    deep: false,
                },
                Locator::Near {
                    text: "Application type",
                    css: "input[type=radio]",
                    deep: false,
                },
            ],
        },
    ],
    requirements: &[
        &SIGN_IN_METHOD_OIDC,
        &APP_TYPE_WEB,
        &SIGN_IN_METHOD_API_SERVICES,
    ],
    captures: &[],
    fills: &[],
    // Opens over the Applications list: the list's URL, or the list's /create.
    shares_url: true,
    nav_hint: "https://{org}/admin/apps/active",
};
