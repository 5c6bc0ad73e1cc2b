//! Salesforce Setup: New / Edit Connected App (classic Visualforce form,
//! `forceAppEdit.apexp`). In Lightning it runs in an iframe; the agent
//! recognizes the inner document.

use super::{OKTA_SF_CALLBACK, SF_HOSTS};
use crate::catalog::{
    sources, Check, Console, Field, Fill, FillSource, HostKind, Landmark, Locator, Msg, Page, PathMatch,
    Probe, Requirement, Severity, SourceRef, UrlPattern, Widget,
};

const EDIT_PATH: &str = "/app/mgmt/forceconnectedapps/forceAppEdit.apexp";

/// Visualforce id prefix of the OAuth block.
macro_rules! oauth_id {
    ($rest:literal) => {
        concat!(
            "appsetup:setupForm:details:consumersection:oauthSection:",
            $rest
        )
    };
}

// ---- Notes -----------------------------------------------------------------

pub static PREREQ_ADMIN_ACCOUNT: Requirement = Requirement {
    id: "sf.prereq.admin_account",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_prereq_admin_account_summary"),
    explain: Msg("req_sf_prereq_admin_account_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "Before you begin" }],
};

pub static PREREQ_CUSTOM_PROFILE: Requirement = Requirement {
    id: "sf.prereq.custom_profile",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_prereq_custom_profile_summary"),
    explain: Msg("req_sf_prereq_custom_profile_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "Before you begin" }],
};

pub static PROPAGATION_WAIT: Requirement = Requirement {
    id: "sf.oauth.propagation_wait",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_oauth_propagation_wait_summary"),
    explain: Msg("req_sf_oauth_propagation_wait_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

/// Shared with the External Client App settings page (one inventory id).
pub static CREATE_WHERE: Requirement = Requirement {
    id: "sf.create.where",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_create_where_summary"),
    explain: Msg("req_sf_create_where_explain"),
    sources: &[SourceRef { article: &sources::SF_KB_26, at: "KB 005228017" }],
};

// ---- Basic information -------------------------------------------------------

pub static NAME: Requirement = Requirement {
    id: "sf.app.name",
    field: Some("name"),
    check: Check::NonEmpty,
    severity: Severity::Should,
    summary: Msg("req_sf_app_name_summary"),
    explain: Msg("req_sf_app_name_explain"),
    sources: &[SourceRef { article: &sources::SF_KB, at: "step 4" }],
};

pub static CONTACT_EMAIL: Requirement = Requirement {
    id: "sf.app.contact_email",
    field: Some("contact_email"),
    check: Check::Email,
    severity: Severity::Must,
    summary: Msg("req_sf_app_contact_email_summary"),
    explain: Msg("req_sf_app_contact_email_explain"),
    sources: &[SourceRef {
        article: &sources::SF_KB,
        at: "step 4",
    }],
};

// ---- API (Enable OAuth Settings) ---------------------------------------------

pub static OAUTH_ENABLED: Requirement = Requirement {
    id: "sf.oauth.enabled",
    field: Some("oauth_enabled"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_enabled_summary"),
    explain: Msg("req_sf_oauth_enabled_explain"),
    sources: &[
        SourceRef { article: &sources::SF_KB, at: "step 7" },
        SourceRef { article: &sources::OKTA_SF, at: "Before you begin" },
    ],
};

pub static DEVICE_FLOW_OFF: Requirement = Requirement {
    id: "sf.oauth.device_flow_off",
    field: Some("device_flow"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_device_flow_off_summary"),
    explain: Msg("req_sf_oauth_device_flow_off_explain"),
    sources: &[SourceRef {
        article: &sources::OKTA_SF,
        at: "OAuth settings list",
    }],
};

pub static CALLBACK_URL: Requirement = Requirement {
    id: "sf.oauth.callback_url",
    field: Some("callback_url"),
    check: Check::ExactUrl(OKTA_SF_CALLBACK),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_callback_url_summary"),
    explain: Msg("req_sf_oauth_callback_url_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static DIGITAL_SIGNATURES_OFF: Requirement = Requirement {
    id: "sf.oauth.digital_signatures_off",
    field: Some("digital_signatures"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_digital_signatures_off_summary"),
    explain: Msg("req_sf_oauth_digital_signatures_off_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static SCOPE_API: Requirement = Requirement {
    id: "sf.oauth.scope_api",
    field: Some("scopes_selected"),
    check: Check::ListHasToken("(api)"),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_scope_api_summary"),
    explain: Msg("req_sf_oauth_scope_api_explain"),
    sources: &[
        SourceRef { article: &sources::SF_KB, at: "step 7" },
        SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" },
    ],
};

pub static SCOPE_REFRESH: Requirement = Requirement {
    id: "sf.oauth.scope_refresh",
    field: Some("scopes_selected"),
    check: Check::ListHasToken("(refresh_token, offline_access)"),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_scope_refresh_summary"),
    explain: Msg("req_sf_oauth_scope_refresh_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static PKCE_OFF: Requirement = Requirement {
    id: "sf.oauth.pkce_off",
    field: Some("pkce"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_pkce_off_summary"),
    explain: Msg("req_sf_oauth_pkce_off_explain"),
    sources: &[
        SourceRef { article: &sources::SF_KB, at: "step 7" },
        SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" },
    ],
};

pub static SECRET_WEB_SERVER_ON: Requirement = Requirement {
    id: "sf.oauth.secret_web_server_on",
    field: Some("secret_web_server"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_secret_web_server_on_summary"),
    explain: Msg("req_sf_oauth_secret_web_server_on_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static SECRET_REFRESH_ON: Requirement = Requirement {
    id: "sf.oauth.secret_refresh_on",
    field: Some("secret_refresh"),
    check: Check::Checked(true),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_secret_refresh_on_summary"),
    explain: Msg("req_sf_oauth_secret_refresh_on_explain"),
    sources: &[SourceRef {
        article: &sources::OKTA_SF,
        at: "OAuth settings list",
    }],
};

pub static CLIENT_CREDENTIALS_OFF: Requirement = Requirement {
    id: "sf.oauth.client_credentials_off",
    field: Some("client_credentials"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_client_credentials_off_summary"),
    explain: Msg("req_sf_oauth_client_credentials_off_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static INTROSPECT_OFF: Requirement = Requirement {
    id: "sf.oauth.introspect_off",
    field: Some("introspect"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_introspect_off_summary"),
    explain: Msg("req_sf_oauth_introspect_off_explain"),
    sources: &[SourceRef {
        article: &sources::OKTA_SF,
        at: "OAuth settings list",
    }],
};

pub static ID_TOKEN_OFF: Requirement = Requirement {
    id: "sf.oauth.id_token_off",
    field: Some("id_token"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_id_token_off_summary"),
    explain: Msg("req_sf_oauth_id_token_off_explain"),
    sources: &[SourceRef {
        article: &sources::OKTA_SF,
        at: "OAuth settings list",
    }],
};

pub static ASSET_TOKENS_OFF: Requirement = Requirement {
    id: "sf.oauth.asset_tokens_off",
    field: Some("asset_tokens"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_asset_tokens_off_summary"),
    explain: Msg("req_sf_oauth_asset_tokens_off_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static SINGLE_LOGOUT_OFF: Requirement = Requirement {
    id: "sf.oauth.single_logout_off",
    field: Some("single_logout"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_sf_oauth_single_logout_off_summary"),
    explain: Msg("req_sf_oauth_single_logout_off_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

// ---- Page ---------------------------------------------------------------------

pub static PAGE: Page = Page {
    id: "salesforce.connected_app.edit",
    console: Console::Salesforce,
    title: "Connected App — Edit",
    urls: &[
        // Direct classic page (also the iframe document inside Lightning). [V]
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Exact(EDIT_PATH),
            hash: None,
            query: None,
            via_address_param: false,
        },
        // Lightning wrapper `/lightning/setup/<Node>/page?address=…` (top frame). [V]
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Exact(EDIT_PATH),
            hash: None,
            query: None,
            via_address_param: true,
        },
    ],
    landmarks: &[Landmark {
        any_of: &[
            // [V] Taiko
            Probe::Id { id: "appsetup:setupForm:details:appsection:nameSection:name" },
            // [D] section header
            Probe::Text { css: "h3, .pbSubheader", text: "Enable OAuth Settings", deep: false },
        ],
    }],
    fields: &[
        Field {
            key: "name",
            label: "Connected App Name",
            widget: Widget::Text,
            locators: &[
                Locator::Id { id: "appsetup:setupForm:details:appsection:nameSection:name" }, // [V]
                Locator::LabelText { text: "Connected App Name", deep: false },
            ],
        },
        Field {
            key: "contact_email",
            label: "Contact Email",
            widget: Widget::Text,
            locators: &[
                Locator::Id { id: "appsetup:setupForm:details:appsection:emailSection:contactEmail" }, // [V]
                Locator::LabelText { text: "Contact Email", deep: false },
            ],
        },
        Field {
            key: "oauth_enabled",
            label: "Enable OAuth Settings",
            widget: Widget::Checkbox,
            locators: &[
                Locator::Id { id: "appsetup:setupForm:details:consumersection:oauth:isOauth" }, // [V]
                Locator::LabelText { text: "Enable OAuth Settings", deep: false },
            ],
        },
        Field {
            key: "device_flow",
            label: "Enable for Device Flow",
            widget: Widget::Checkbox,
            // id unknown [I]; label [D]
            locators: &[Locator::LabelText { text: "Device Flow", deep: false }],
        },
        Field {
            key: "callback_url",
            label: "Callback URL",
            widget: Widget::Textarea,
            locators: &[
                Locator::Id { id: oauth_id!("multiCallbackUrlSection:callbackUrl") }, // [V] id = name
                Locator::Name { name: oauth_id!("multiCallbackUrlSection:callbackUrl") },
                Locator::LabelText { text: "Callback URL", deep: false },
            ],
        },
        Field {
            key: "digital_signatures",
            label: "Use digital signatures",
            widget: Widget::Checkbox,
            locators: &[
                Locator::Id { id: oauth_id!("digitalSignaturesSection:certUsedOption") }, // [V]
                Locator::LabelText { text: "digital signatures", deep: false },
            ],
        },
        Field {
            key: "scopes_selected",
            label: "Selected OAuth Scopes",
            widget: Widget::DuelingList,
            locators: &[
                // The *selected* list: `_s` suffix, Salesforce dueling-list convention [V].
                Locator::Id { id: oauth_id!("scopesSection:scopes:duelingListBox:backingList_s") },
                Locator::Css { css: "select[id$=\"scopesSection:scopes:duelingListBox:backingList_s\"]", deep: false },
                Locator::Near { text: "Selected OAuth Scopes", css: "select[multiple]", deep: false }, // [I]
            ],
        },
        Field {
            key: "pkce",
            label: "Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows",
            widget: Widget::Checkbox,
            // id unknown [I]; label [D]
            locators: &[
                Locator::LabelText { text: "(PKCE)", deep: false },
                Locator::LabelText { text: "PKCE", deep: false },
            ],
        },
        Field {
            key: "secret_web_server",
            label: "Require Secret for Web Server Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Secret for Web Server Flow", deep: false }], // [D]
        },
        Field {
            key: "secret_refresh",
            label: "Require Secret for Refresh Token Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Secret for Refresh Token Flow", deep: false }], // [D]
        },
        Field {
            key: "client_credentials",
            label: "Enable Client Credentials Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Client Credentials Flow", deep: false }], // [D]
        },
        Field {
            key: "introspect",
            label: "Introspect All Tokens",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Introspect All Tokens", deep: false }], // [D]
        },
        Field {
            key: "id_token",
            label: "Configure ID Token",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Configure ID Token", deep: false }], // [D]
        },
        Field {
            key: "asset_tokens",
            label: "Enable Asset Tokens",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Asset Tokens", deep: false }], // [D]
        },
        Field {
            key: "single_logout",
            label: "Enable Single Logout",
            widget: Widget::Checkbox,
            // "Single Logout URL" appears below once enabled: try the full label first. [D]
            locators: &[
                Locator::LabelText { text: "Enable Single Logout", deep: false },
                Locator::LabelText { text: "Single Logout", deep: false },
            ],
        },
    ],
    requirements: &[
        &CREATE_WHERE,
        &PREREQ_ADMIN_ACCOUNT,
        &PREREQ_CUSTOM_PROFILE,
        &NAME,
        &CONTACT_EMAIL,
        &OAUTH_ENABLED,
        &DEVICE_FLOW_OFF,
        &CALLBACK_URL,
        &DIGITAL_SIGNATURES_OFF,
        &SCOPE_API,
        &SCOPE_REFRESH,
        &PKCE_OFF,
        &SECRET_WEB_SERVER_ON,
        &SECRET_REFRESH_ON,
        &CLIENT_CREDENTIALS_OFF,
        &INTROSPECT_OFF,
        &ID_TOKEN_OFF,
        &ASSET_TOKENS_OFF,
        &SINGLE_LOGOUT_OFF,
        &PROPAGATION_WAIT,
    ],
    captures: &[],
    fills: &[Fill { field: "callback_url", from: FillSource::Literal(OKTA_SF_CALLBACK) }],
    shares_url: false,
    // Existing connected apps are listed (and opened for editing) under
    // Setup → Apps → Connected Apps → Manage Connected Apps; new ones cannot
    // be created any more (sf.create.where), so this no longer points at
    // App Manager's "New Connected App".
    nav_hint: "https://{org}/lightning/setup/ConnectedApplication/home",
};
