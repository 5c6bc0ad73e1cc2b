//! Salesforce Setup: External Client App (ECA), Settings tab, or the New
//! External Client App form. Lightning (LWC, synthetic shadow DOM): no
//! Visualforce ids, every probe and locator walks shadow roots. Field
//! labels are [D]; the shape of the page is [I].
//!
//! An ECA has most of a connected app's OAuth controls. Those requirements
//! are the connected-app statics (same inventory ids, same field keys);
//! ECAs have no "Use digital signatures", "Introspect All Tokens",
//! "Configure ID Token", "Enable Asset Tokens" or "Enable Single Logout".
//!
//! Where the ECA advice differs from the connected app's, the page has its
//! own requirements (OKTA-SF-ECA): PKCE *on* (`sf.eca.pkce_on`, where a
//! connected app wants it off) and Refresh Token Rotation on.

use super::salesforce_connected_app_edit as ca;
use super::SF_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe, Requirement,
    Severity, SourceRef, UrlPattern, Widget,
};

const AT: &str = "External Client App settings (Security)";

pub static PKCE_ON: Requirement = Requirement {
    id: "sf.eca.pkce_on",
    field: Some("pkce"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_sf_eca_pkce_on_summary"),
    explain: Msg("req_sf_eca_pkce_on_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF_ECA, at: AT }],
};

pub static REFRESH_ROTATION_ON: Requirement = Requirement {
    id: "sf.eca.refresh_rotation_on",
    field: Some("refresh_rotation"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_sf_eca_refresh_rotation_on_summary"),
    explain: Msg("req_sf_eca_refresh_rotation_on_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF_ECA, at: AT }],
};

/// ECA Manager routes: `ManageExternalClientApplication` is [V]; two other
/// spellings are still used by scripts, so accept them and let the DOM decide.
pub(crate) const ECA_URLS: &[UrlPattern] = &[
    UrlPattern {
        host_suffixes: SF_HOSTS,
        host_kind: HostKind::Any,
        path: PathMatch::Segments(&[
            "lightning",
            "setup",
            "ManageExternalClientApplication",
            "**",
        ]),
        hash: None,
        query: None,
        via_address_param: false,
    },
    UrlPattern {
        host_suffixes: SF_HOSTS,
        host_kind: HostKind::Any,
        path: PathMatch::Segments(&["lightning", "setup", "ExternalClientAppManager", "**"]),
        hash: None,
        query: None,
        via_address_param: false,
    },
    UrlPattern {
        host_suffixes: SF_HOSTS,
        host_kind: HostKind::Any,
        path: PathMatch::Segments(&["lightning", "setup", "ExternalClientAppsManager", "**"]),
        hash: None,
        query: None,
        via_address_param: false,
    },
];

pub static PAGE: Page = Page {
    id: "salesforce.external_client_app.settings",
    console: Console::Salesforce,
    title: "External Client App — Settings",
    urls: ECA_URLS,
    landmarks: &[
        Landmark {
            any_of: &[
                // The detail page's Settings tab is selected. [I]
                Probe::Text { css: "[role=tab][aria-selected=true]", text: "Settings", deep: true },
                // The creation form. [D] button text; [I] that it becomes the heading
                Probe::Text {
                    css: "h1, h2, .slds-page-header__title, .slds-modal__title",
                    text: "New External Client App",
                    deep: true,
                },
            ],
        },
        Landmark {
            any_of: &[
                Probe::Text { css: "label, legend, h2, h3", text: "Enable OAuth", deep: true },
                Probe::Text { css: "label, legend, h2, h3, span", text: "OAuth Settings", deep: true },
                Probe::Text { css: "label, span", text: "Callback URL", deep: true },
            ],
        },
    ],
    fields: &[
        Field {
            key: "name",
            label: "External Client App Name",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "External Client App Name", deep: true },
                Locator::Aria { text: "External Client App Name", deep: true },
            ],
        },
        Field {
            key: "contact_email",
            label: "Contact Email",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Contact Email", deep: true },
                Locator::Aria { text: "Contact Email", deep: true },
            ],
        },
        Field {
            key: "oauth_enabled",
            label: "Enable OAuth",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Enable OAuth", deep: true }],
        },
        Field {
            key: "callback_url",
            label: "Callback URL",
            widget: Widget::Textarea,
            locators: &[
                Locator::LabelText { text: "Callback URL", deep: true },
                Locator::Aria { text: "Callback URL", deep: true },
                Locator::Near { text: "Callback URL", css: "textarea, input[type=url], input[type=text]", deep: true },
            ],
        },
        Field {
            key: "scopes_selected",
            label: "Selected OAuth Scopes",
            widget: Widget::DualListbox,
            // The *selected* list only: never fall back to a generic listbox,
            // the available list also holds (api). [I] LWC internal ids.
            locators: &[
                Locator::Css { css: "[role=listbox][aria-labelledby^=\"selected-list-label\"]", deep: true },
                Locator::Near { text: "Selected OAuth Scopes", css: "[role=listbox]", deep: true },
            ],
        },
        Field {
            key: "device_flow",
            label: "Enable Device Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Device Flow", deep: true }],
        },
        Field {
            key: "pkce",
            label: "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows",
            widget: Widget::Checkbox,
            locators: &[
                Locator::LabelText { text: "(PKCE)", deep: true },
                Locator::LabelText { text: "PKCE", deep: true },
            ],
        },
        Field {
            key: "secret_web_server",
            label: "Require secret for Web Server Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Secret for Web Server Flow", deep: true }],
        },
        Field {
            key: "secret_refresh",
            label: "Require secret for Refresh Token Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Secret for Refresh Token Flow", deep: true }],
        },
        Field {
            key: "refresh_rotation",
            label: "Enable Refresh Token Rotation",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Refresh Token Rotation", deep: true }], // [D]
        },
        Field {
            key: "client_credentials",
            label: "Enable Client Credentials Flow",
            widget: Widget::Checkbox,
            // Also on the Policies tab in some orgs (disputed [D]); both pages check it.
            locators: &[Locator::LabelText { text: "Client Credentials Flow", deep: true }],
        },
    ],
    requirements: &[
        &ca::CREATE_WHERE,
        &ca::PREREQ_ADMIN_ACCOUNT,
        &ca::PREREQ_CUSTOM_PROFILE,
        &ca::NAME,
        &ca::CONTACT_EMAIL,
        &ca::OAUTH_ENABLED,
        &ca::DEVICE_FLOW_OFF,
        &ca::CALLBACK_URL,
        &ca::SCOPE_API,
        &ca::SCOPE_REFRESH,
        &PKCE_ON,
        &ca::SECRET_WEB_SERVER_ON,
        &ca::SECRET_REFRESH_ON,
        &REFRESH_ROTATION_ON,
        &ca::CLIENT_CREDENTIALS_OFF,
        &ca::PROPAGATION_WAIT,
    ],
    captures: &[],
    fills: &[crate::catalog::Fill {
        field: "callback_url",
        from: crate::catalog::FillSource::Literal(super::OKTA_SF_CALLBACK),
    }],
    shares_url: false,
    nav_hint: "https://{org}/lightning/setup/ManageExternalClientApplication/home",
};
