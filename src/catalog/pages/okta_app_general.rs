//! Okta Admin Console: an OIDC / API Services app's General tab
//! (`/admin/app/<type>/instance/<0oa…>/#tab-general`; General is also the
//! default tab, so no fragment counts too). A SAML app's General tab has no
//! "Client ID", which tells them apart.

use super::{OKTA_APP_INSTANCE, OKTA_HOSTS};
use crate::catalog::{
    sources, Capture, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const AC: &str = "Authorization code grant: create an app integration";
const CC: &str = "Client credentials: create an app integration";

pub static CLIENT_ID: Requirement = Requirement {
    id: "okta.general.client_id",
    field: Some("client_id"),
    check: Check::Shows(Slot::OktaClientId),
    severity: Severity::Must,
    summary: Msg("req_okta_general_client_id_summary"),
    explain: Msg("req_okta_general_client_id_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static CLIENT_SECRET: Requirement = Requirement {
    id: "okta.general.client_secret",
    field: Some("client_secret"),
    check: Check::Shows(Slot::OktaClientSecret),
    severity: Severity::Must,
    summary: Msg("req_okta_general_client_secret_summary"),
    explain: Msg("req_okta_general_client_secret_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AC }],
};

pub static DPOP_OFF: Requirement = Requirement {
    id: "okta.general.dpop_off",
    field: Some("dpop"),
    check: Check::Checked(false),
    severity: Severity::Must,
    summary: Msg("req_okta_general_dpop_off_summary"),
    explain: Msg("req_okta_general_dpop_off_explain"),
    sources: &[
        SourceRef { article: &sources::WK, at: AC },
        SourceRef { article: &sources::WK, at: CC },
    ],
};

pub static CLIENT_AUTH_KEY: Requirement = Requirement {
    id: "okta.general.client_auth_key",
    field: Some("client_auth"),
    check: Check::ChoiceIs(&["Public key"]),
    severity: Severity::Must,
    summary: Msg("req_okta_general_client_auth_key_summary"),
    explain: Msg("req_okta_general_client_auth_key_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static KEY_GENERATED: Requirement = Requirement {
    id: "okta.general.key_generated",
    field: Some("private_key"),
    check: Check::Shows(Slot::OktaPrivateKeyPem),
    severity: Severity::Must,
    summary: Msg("req_okta_general_key_generated_summary"),
    explain: Msg("req_okta_general_key_generated_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static KEY_SAVED_ACTIVE: Requirement = Requirement {
    id: "okta.general.key_saved_active",
    field: Some("key_status"),
    check: Check::ChoiceIs(&["Active"]),
    severity: Severity::Must,
    summary: Msg("req_okta_general_key_saved_active_summary"),
    explain: Msg("req_okta_general_key_saved_active_explain"),
    sources: &[SourceRef { article: &sources::WK, at: CC }],
};

pub static PAGE: Page = Page {
    id: "okta.app.general",
    console: Console::Okta,
    title: "Okta app — General tab",
    urls: &[
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: Some(PathMatch::Prefix("#tab-general")), // [V]
            query: None,
            via_address_param: false,
        },
        // No fragment: the General tab is the default.
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: Some(PathMatch::Exact("")),
            query: None,
            via_address_param: false,
        },
    ],
    landmarks: &[
        // OIDC / API Services apps only. [V] "Client ID" (emisar)
        Landmark { any_of: &[Probe::Text { css: "#content", text: "Client ID", deep: false }] },
        Landmark {
            any_of: &[
                Probe::Text { css: "#content", text: "General Settings", deep: false }, // [D]
                Probe::Text { css: "#content", text: "Client Credentials", deep: false }, // [D]
            ],
        },
    ],
    fields: &[
        Field {
            key: "client_id",
            label: "Client ID",
            widget: Widget::Display,
            // [I] the value's element; [V] only that the label reads "Client ID".
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
            // [I] the CLIENT SECRETS table: first secret's value. [V] table exists.
            locators: &[
                Locator::Name { name: "client_secret" },
                Locator::Aria { text: "Client secret", deep: false },
                // Not plain `input`: the "Client secret" radio of Client authentication comes first.
                Locator::Near {
                    text: "Client secret",
                    css: "input[type=password], input[type=text], code, [class*=secret-value]",
                    deep: false,
                },
            ],
        },
        Field {
            key: "client_auth",
            label: "Client authentication",
            widget: Widget::RadioGroup,
            // [D] labels; shown after Edit on the Client Credentials card.
            locators: &[
                Locator::LabelText { text: "Public key / Private key", deep: false },
                Locator::LabelText { text: "Client secret", deep: false },
                Locator::Near { text: "Client authentication", css: "input[type=radio]", deep: false },
            ],
        },
        Field {
            key: "private_key",
            label: "Private key (PEM)",
            widget: Widget::Display,
            // In the "Generate new key" dialog, once PEM is selected. [I]
            locators: &[
                Locator::Css { css: "[role=dialog] pre", deep: false },
                Locator::Css { css: "[role=dialog] textarea", deep: false },
                Locator::Near { text: "Private key", css: "pre, code, textarea", deep: false },
            ],
        },
        Field {
            key: "key_status",
            label: "Public key status",
            widget: Widget::Display,
            // [I] the first status badge after the PUBLIC KEYS heading (not the
            // app's own Active/Inactive header button, which comes earlier).
            locators: &[Locator::Near {
                text: "Public keys",
                css: "td [class*=status], td [class*=Status], td [class*=badge], td [class*=Chip]",
                deep: false,
            }],
        },
        Field {
            key: "dpop",
            label: "Require Demonstrating Proof of Possession (DPoP) header in token requests",
            widget: Widget::Checkbox,
            // [D] on the General Settings card after Edit.
            locators: &[
                Locator::LabelText { text: "(DPoP)", deep: false },
                Locator::LabelText { text: "Proof of Possession", deep: false },
                Locator::LabelText { text: "Proof-of-Possession", deep: false },
            ],
        },
    ],
    requirements: &[
        &CLIENT_ID,
        &CLIENT_SECRET,
        &CLIENT_AUTH_KEY,
        &KEY_GENERATED,
        &KEY_SAVED_ACTIVE,
        &DPOP_OFF,
    ],
    captures: &[
        Capture {
            slot: Slot::OktaClientId,
            field: "client_id",
            reveal_hint: "It is on the Client Credentials card near the top of the General tab.",
        },
        Capture {
            slot: Slot::OktaClientSecret,
            field: "client_secret",
            reveal_hint: "Under Client Secrets, click the eye icon next to the secret to unmask it.",
        },
        Capture {
            slot: Slot::OktaPrivateKeyPem,
            field: "private_key",
            reveal_hint: "Public keys → Add key → Generate new key, then choose PEM; capture before Done, as it \
                          is never shown again.",
        },
    ],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
