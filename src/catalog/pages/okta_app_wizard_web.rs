//! Okta Admin Console: "New Web App Integration" wizard
//! (`/admin/apps/oauth2-wizard/create?applicationType=WEB`, React).

use super::OKTA_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, Fill, FillSource, HostKind, Landmark, Locator, Msg, Page, PathMatch,
    Probe, Requirement, Severity, SourceRef, UrlPattern, Widget,
};

const AT: &str = "Authorization code grant: create an app integration";

pub static NAME: Requirement = Requirement {
    id: "okta.wizard.name",
    field: Some("name"),
    check: Check::NonEmpty,
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_name_summary"),
    explain: Msg("req_okta_wizard_name_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static DPOP_OFF: Requirement = Requirement {
    id: "okta.wizard.dpop_off",
    field: Some("dpop"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_dpop_off_summary"),
    explain: Msg("req_okta_wizard_dpop_off_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static GRANT_AUTH_CODE: Requirement = Requirement {
    id: "okta.wizard.grant_auth_code",
    field: Some("grant_auth_code"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_grant_auth_code_summary"),
    explain: Msg("req_okta_wizard_grant_auth_code_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static GRANT_REFRESH: Requirement = Requirement {
    id: "okta.wizard.grant_refresh",
    field: Some("grant_refresh"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_grant_refresh_summary"),
    explain: Msg("req_okta_wizard_grant_refresh_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static REDIRECT_URI: Requirement = Requirement {
    id: "okta.wizard.redirect_uri",
    field: Some("redirect_uri"),
    check: Check::WorkatoCallback,
    severity: Severity::Must,
    summary: Msg("req_okta_wizard_redirect_uri_summary"),
    explain: Msg("req_okta_wizard_redirect_uri_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static ASSIGNMENT: Requirement = Requirement {
    id: "okta.wizard.assignment",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_wizard_assignment_summary"),
    explain: Msg("req_okta_wizard_assignment_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static PAGE: Page = Page {
    id: "okta.app.wizard_web",
    console: Console::Okta,
    title: "New Web App Integration",
    urls: &[UrlPattern {
        host_suffixes: OKTA_HOSTS,
        host_kind: HostKind::OktaAdmin,
        path: PathMatch::Prefix("/admin/apps/oauth2-wizard/create"), // [V]
        hash: None,
        query: Some(("applicationType", "WEB")), // [V]
        via_address_param: false,
    }],
    landmarks: &[
        Landmark {
            any_of: &[Probe::Css {
                css: "input[name=\"client_name\"]",
                deep: false,
            }],
        }, // [V]
        Landmark {
            any_of: &[
                Probe::Text {
                    css: "h1, h2, [role=heading]",
                    text: "Web App Integration",
                    deep: false,
                }, // [D]
                Probe::Text {
                    css: "label, legend, h2, h3, h4",
                    text: "Sign-in redirect URIs",
                    deep: false,
                },
                // Language-independent: the redirect URI inputs' name [V]
                // (with applicationType=WEB in the URL, this is the web wizard
                // in any display language).
                Probe::Css {
                    css: "input[name=\"uri\"]",
                    deep: false,
                },
            ],
        },
    ],
    fields: &[
        Field {
            key: "name",
            label: "App integration name",
            widget: Widget::Text,
            locators: &[
                Locator::Name {
                    name: "client_name",
                }, // [V]
                Locator::LabelText {
                    text: "App integration name",
                    deep: false,
                },
            ],
        },
        Field {
            key: "dpop",
            label: "Require Demonstrating Proof of Possession (DPoP) header in token requests",
            widget: Widget::Checkbox,
            // [D] may not show in every release; older wording "Demonstration of…".
            locators: &[
                Locator::LabelText {
                    text: "(DPoP)",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Proof of Possession",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Proof-of-Possession",
                    deep: false,
                },
            ],
        },
        Field {
            key: "grant_auth_code",
            label: "Authorization Code",
            widget: Widget::Checkbox,
            locators: &[
                Locator::LabelText {
                    text: "Authorization Code",
                    deep: false,
                }, // [V] text
                Locator::Aria {
                    text: "Authorization Code",
                    deep: false,
                },
            ],
        },
        Field {
            key: "grant_refresh",
            label: "Refresh Token",
            widget: Widget::Checkbox,
            // [D]; the "rotate token" sub-option comes after it in the page.
            locators: &[
                Locator::LabelText {
                    text: "Refresh Token",
                    deep: false,
                },
                Locator::Aria {
                    text: "Refresh Token",
                    deep: false,
                },
            ],
        },
        Field {
            key: "redirect_uri",
            label: "Sign-in redirect URIs",
            widget: Widget::Text,
            // [V] the first input[name=uri] is the sign-in one (sign-out follows).
            locators: &[
                Locator::Css {
                    css: "input[name=\"uri\"]",
                    deep: false,
                },
                Locator::Near {
                    text: "Sign-in redirect URIs",
                    css: "input",
                    deep: false,
                },
            ],
        },
    ],
    requirements: &[
        &NAME,
        &DPOP_OFF,
        &GRANT_AUTH_CODE,
        &GRANT_REFRESH,
        &REDIRECT_URI,
        &ASSIGNMENT,
    ],
    captures: &[],
    fills: &[Fill {
        field: "redirect_uri",
        from: FillSource::WorkatoCallback,
    }],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/oauth2-wizard/create?applicationType=WEB",
};
