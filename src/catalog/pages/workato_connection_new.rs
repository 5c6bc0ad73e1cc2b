//! Workato: New connection form for the Okta connector (`/connections/new`,
//! or an existing `/connections/<id>` being edited), on every data center's
//! host (US: www.workato.com and app.workato.com). The form is rendered from
//! the connector's schema, whose field names are language-independent: the
//! Okta domain is `subdomain` and the API key `api_key` (workato-platform-cli
//! `connection-data.json`, console-pages §8.4, [V]); the other `name`s follow
//! the same schema convention [I]. Each field is looked up by `name` first,
//! then by its visible label (labels [D]).
//!
//! One form serves three auth types. Fills name the auth-code variant of
//! `AuthTypeChoice` / `Scopes`; assembly substitutes the integration's type.

use super::WORKATO_HOSTS;
use crate::catalog::{
    sources, AuthType, Check, Console, Field, Fill, FillSource, HostKind, Landmark, Locator, Msg, Page,
    PathMatch, Probe, Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const AC: &str = "Authorization code grant: connect to Okta";
const CC: &str = "Client credentials: connect to Okta";
const KEY: &str = "API key: connect to Okta";

pub static NAME: Requirement = Requirement {
    id: "wk.conn.name",
    field: Some("name"),
    check: Check::NonEmpty,
    severity: Severity::Must,
    summary: Msg("req_wk_conn_name_summary"),
    explain: Msg("req_wk_conn_name_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
        SourceRef { article: &sources::WK, at: KEY },
    ],
};

pub static LOCATION: Requirement = Requirement {
    id: "wk.conn.location",
    field: Some("location"),
    check: Check::NonEmpty,
    severity: Severity::Should,
    summary: Msg("req_wk_conn_location_summary"),
    explain: Msg("req_wk_conn_location_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
    ],
};

pub static AUTH_TYPE: Requirement = Requirement {
    id: "wk.conn.auth_type",
    field: Some("auth_type"),
    check: Check::ChoiceIs(&["Authorization code"]),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_auth_type_summary"),
    explain: Msg("req_wk_conn_auth_type_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static AUTH_TYPE_CC: Requirement = Requirement {
    id: "wk.conn.auth_type_cc",
    field: Some("auth_type"),
    check: Check::ChoiceIs(&["Client credentials"]),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_auth_type_cc_summary"),
    explain: Msg("req_wk_conn_auth_type_cc_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static AUTH_TYPE_KEY: Requirement = Requirement {
    id: "wk.conn.auth_type_key",
    field: Some("auth_type"),
    check: Check::ChoiceIs(&["API key"]),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_auth_type_key_summary"),
    explain: Msg("req_wk_conn_auth_type_key_explain"),
    sources: &[SourceRef { article: &sources::WK, at: KEY }],
};

pub static DOMAIN: Requirement = Requirement {
    id: "wk.conn.domain",
    field: Some("domain"),
    check: Check::OktaDomain,
    severity: Severity::Must,
    summary: Msg("req_wk_conn_domain_summary"),
    explain: Msg("req_wk_conn_domain_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
        SourceRef { article: &sources::WK, at: KEY },
    ],
};

pub static CLIENT_ID: Requirement = Requirement {
    id: "wk.conn.client_id",
    field: Some("client_id"),
    check: Check::FilledFrom(Slot::OktaClientId),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_client_id_summary"),
    explain: Msg("req_wk_conn_client_id_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
    ],
};

pub static CLIENT_SECRET: Requirement = Requirement {
    id: "wk.conn.client_secret",
    field: Some("client_secret"),
    check: Check::FilledFrom(Slot::OktaClientSecret),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_client_secret_summary"),
    explain: Msg("req_wk_conn_client_secret_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static PRIVATE_KEY: Requirement = Requirement {
    id: "wk.conn.private_key",
    field: Some("private_key"),
    check: Check::FilledFrom(Slot::OktaPrivateKeyPem),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_private_key_summary"),
    explain: Msg("req_wk_conn_private_key_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static API_KEY: Requirement = Requirement {
    id: "wk.conn.api_key",
    field: Some("api_key"),
    check: Check::FilledFrom(Slot::OktaApiToken),
    severity: Severity::Must,
    summary: Msg("req_wk_conn_api_key_summary"),
    explain: Msg("req_wk_conn_api_key_explain"),
    sources: &[SourceRef {
        article: &sources::WK,
        at: KEY,
    }],
};

pub static SCOPES: Requirement = Requirement {
    id: "wk.conn.scopes",
    field: Some("scopes"),
    check: Check::ScopesCover(AuthType::AuthCode),
    severity: Severity::Should,
    summary: Msg("req_wk_conn_scopes_summary"),
    explain: Msg("req_wk_conn_scopes_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static SCOPES_CC: Requirement = Requirement {
    id: "wk.conn.scopes_cc",
    field: Some("scopes"),
    check: Check::ScopesCover(AuthType::ClientCredentials),
    severity: Severity::Should,
    summary: Msg("req_wk_conn_scopes_cc_summary"),
    explain: Msg("req_wk_conn_scopes_cc_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static PAGE: Page = Page {
    id: "workato.connection.new",
    console: Console::Workato,
    title: "Workato — Okta connection",
    urls: &[
        UrlPattern {
            host_suffixes: WORKATO_HOSTS,
            host_kind: HostKind::Exact,
            path: PathMatch::Prefix("/connections/new"), // [V]
            hash: None,
            query: None,
            via_address_param: false,
        },
        // An existing connection being edited; the form's labels decide.
        UrlPattern {
            host_suffixes: WORKATO_HOSTS,
            host_kind: HostKind::Exact,
            path: PathMatch::Prefix("/connections/"),
            hash: None,
            query: None,
            via_address_param: false,
        },
    ],
    landmarks: &[
        // The Okta connector's own field: by its schema name [V], or its label. [D]
        Landmark {
            any_of: &[
                Probe::Css {
                    css: "input[name=\"subdomain\"]",
                    deep: true,
                },
                Probe::Text {
                    css: "label",
                    text: "Okta domain",
                    deep: true,
                },
                Probe::Text {
                    css: "[class*=label]",
                    text: "Okta domain",
                    deep: true,
                },
            ],
        },
        Landmark {
            any_of: &[
                Probe::Text {
                    css: "label, [class*=label]",
                    text: "Authentication type",
                    deep: true,
                },
                Probe::Text {
                    css: "label, [class*=label]",
                    text: "Connection name",
                    deep: true,
                },
            ],
        },
    ],
    fields: &[
        Field {
            key: "name",
            label: "Connection name",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText {
                    text: "Connection name",
                    deep: true,
                },
                Locator::Aria {
                    text: "Connection name",
                    deep: true,
                },
                Locator::Near {
                    text: "Connection name",
                    css: "input",
                    deep: true,
                },
            ],
        },
        Field {
            key: "location",
            label: "Location",
            widget: Widget::Select, // [I] may be a custom drop-down
            locators: &[
                Locator::LabelText {
                    text: "Location",
                    deep: true,
                },
                Locator::Aria {
                    text: "Location",
                    deep: true,
                },
                Locator::Near {
                    text: "Location",
                    css: "select, [role=combobox]",
                    deep: true,
                },
            ],
        },
        Field {
            key: "auth_type",
            label: "Authentication type",
            widget: Widget::Select, // [I] may be a custom drop-down
            locators: &[
                Locator::Css {
                    css: "select[name=\"auth_type\"], [name=\"auth_type\"]",
                    deep: true,
                }, // [I]
                Locator::LabelText {
                    text: "Authentication type",
                    deep: true,
                },
                Locator::Aria {
                    text: "Authentication type",
                    deep: true,
                },
                Locator::Near {
                    text: "Authentication type",
                    css: "select, [role=combobox]",
                    deep: true,
                },
            ],
        },
        Field {
            key: "domain",
            label: "Okta domain",
            widget: Widget::Text,
            locators: &[
                Locator::Css {
                    css: "input[name=\"subdomain\"]",
                    deep: true,
                }, // [V] the schema's field name
                Locator::LabelText {
                    text: "Okta domain",
                    deep: true,
                },
                Locator::Aria {
                    text: "Okta domain",
                    deep: true,
                },
                Locator::Near {
                    text: "Okta domain",
                    css: "input",
                    deep: true,
                },
                // The name keyferry assumed before the schema was found. [I]
                Locator::Css {
                    css: "input[name=\"domain\"]",
                    deep: true,
                },
            ],
        },
        Field {
            key: "client_id",
            label: "Client ID",
            widget: Widget::Text,
            locators: &[
                Locator::Css {
                    css: "input[name=\"client_id\"]",
                    deep: true,
                }, // [I]
                Locator::LabelText {
                    text: "Client ID",
                    deep: true,
                },
                Locator::Aria {
                    text: "Client ID",
                    deep: true,
                },
                Locator::Near {
                    text: "Client ID",
                    css: "input",
                    deep: true,
                },
            ],
        },
        Field {
            key: "client_secret",
            label: "Client secret",
            widget: Widget::Text,
            locators: &[
                Locator::Css {
                    css: "input[name=\"client_secret\"]",
                    deep: true,
                }, // [I]
                Locator::LabelText {
                    text: "Client secret",
                    deep: true,
                },
                Locator::Aria {
                    text: "Client secret",
                    deep: true,
                },
                Locator::Near {
                    text: "Client secret",
                    css: "input",
                    deep: true,
                },
            ],
        },
        Field {
            key: "private_key",
            label: "Private key",
            widget: Widget::Textarea, // [I] label and widget not verified
            locators: &[
                Locator::Css {
                    css: "textarea[name=\"private_key\"], [name=\"private_key\"]",
                    deep: true,
                }, // [I]
                Locator::LabelText {
                    text: "Private key",
                    deep: true,
                },
                Locator::Aria {
                    text: "Private key",
                    deep: true,
                },
                Locator::Near {
                    text: "Private key",
                    css: "textarea, input",
                    deep: true,
                },
            ],
        },
        Field {
            key: "api_key",
            label: "API key",
            widget: Widget::Text,
            locators: &[
                Locator::Css {
                    css: "input[name=\"api_key\"]",
                    deep: true,
                }, // [V] the schema's field name
                Locator::LabelText {
                    text: "API key",
                    deep: true,
                },
                Locator::Aria {
                    text: "API key",
                    deep: true,
                },
                Locator::Near {
                    text: "API key",
                    css: "input",
                    deep: true,
                },
            ],
        },
        Field {
            key: "scopes",
            label: "OAuth 2.0 scopes",
            // Under "Advanced settings"; a multi-select read as its text. [I]
            widget: Widget::Text,
            locators: &[
                Locator::LabelText {
                    text: "OAuth 2.0 scopes",
                    deep: true,
                },
                Locator::LabelText {
                    text: "OAuth scopes",
                    deep: true,
                },
                Locator::Aria {
                    text: "OAuth 2.0 scopes",
                    deep: true,
                },
                Locator::Near {
                    text: "OAuth 2.0 scopes",
                    css: "input, textarea, select",
                    deep: true,
                },
            ],
        },
    ],
    requirements: &[
        &NAME,
        &LOCATION,
        &AUTH_TYPE,
        &AUTH_TYPE_CC,
        &AUTH_TYPE_KEY,
        &DOMAIN,
        &CLIENT_ID,
        &CLIENT_SECRET,
        &PRIVATE_KEY,
        &API_KEY,
        &SCOPES,
        &SCOPES_CC,
    ],
    captures: &[],
    fills: &[
        Fill {
            field: "name",
            from: FillSource::ConnectionName,
        },
        // Assembly substitutes the integration's auth type in these two.
        Fill {
            field: "auth_type",
            from: FillSource::AuthTypeChoice(AuthType::AuthCode),
        },
        Fill {
            field: "scopes",
            from: FillSource::Scopes(AuthType::AuthCode),
        },
        Fill {
            field: "domain",
            from: FillSource::OktaDomain,
        },
        Fill {
            field: "client_id",
            from: FillSource::Slot(Slot::OktaClientId),
        },
        Fill {
            field: "client_secret",
            from: FillSource::Slot(Slot::OktaClientSecret),
        },
        Fill {
            field: "private_key",
            from: FillSource::Slot(Slot::OktaPrivateKeyPem),
        },
        Fill {
            field: "api_key",
            from: FillSource::Slot(Slot::OktaApiToken),
        },
    ],
    shares_url: false,
    nav_hint: "https://{org}/connections/new",
};
