//! Salesforce Setup: Manage Connected Apps → Edit Policies (classic `_ui`
//! page `ForceConnectedApplicationPage/e`, in an iframe under Lightning).

use super::SF_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

const EDIT_POLICIES_PATH: &str =
    "/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/e";

pub static PERMITTED_USERS: Requirement = Requirement {
    id: "sf.policy.permitted_users",
    field: Some("permitted_users"),
    check: Check::ChoiceIs(&["self-authorize"]),
    severity: Severity::Must,
    summary: Msg("req_sf_policy_permitted_users_summary"),
    explain: Msg("req_sf_policy_permitted_users_explain"),
    sources: &[
        SourceRef { article: &sources::SF_KB, at: "step 16" },
        SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" },
    ],
};

pub static REFRESH_TOKEN: Requirement = Requirement {
    id: "sf.policy.refresh_token",
    field: Some("refresh_token_policy"),
    check: Check::ChoiceIs(&["valid until revoked"]),
    severity: Severity::Must,
    summary: Msg("req_sf_policy_refresh_token_summary"),
    explain: Msg("req_sf_policy_refresh_token_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "OAuth settings list" }],
};

pub static PAGE: Page = Page {
    id: "salesforce.connected_app.policies",
    console: Console::Salesforce,
    title: "Connected App — Edit Policies",
    urls: &[
        // [V] path (Harness findings)
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Exact(EDIT_POLICIES_PATH),
            hash: None,
            query: None,
            via_address_param: false,
        },
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Exact(EDIT_POLICIES_PATH),
            hash: None,
            query: None,
            via_address_param: true,
        },
    ],
    landmarks: &[
        Landmark {
            any_of: &[
                // [D] heading "Connected App Edit"
                Probe::Text {
                    css: "h1, h2, .pageType, .pageDescription",
                    text: "Connected App Edit",
                    deep: false,
                },
                Probe::Title {
                    text: "Connected App Edit",
                },
            ],
        },
        Landmark {
            any_of: &[
                Probe::Css {
                    css: "select[name=\"userpolicy\"]",
                    deep: false,
                }, // [I]
                Probe::Text {
                    css: "label, th, td.labelCol",
                    text: "Permitted Users",
                    deep: false,
                }, // [D]
            ],
        },
    ],
    fields: &[
        Field {
            key: "permitted_users",
            label: "Permitted Users",
            widget: Widget::Select,
            locators: &[
                Locator::Name { name: "userpolicy" }, // [I] only seen in commented-out code
                Locator::LabelText {
                    text: "Permitted Users",
                    deep: false,
                },
                Locator::Near {
                    text: "Permitted Users",
                    css: "select",
                    deep: false,
                },
            ],
        },
        Field {
            key: "refresh_token_policy",
            label: "Refresh Token Policy",
            widget: Widget::RadioGroup,
            // ids unknown [I]; labels [D]. The option label finds a radio of the group.
            locators: &[
                Locator::LabelText {
                    text: "valid until revoked",
                    deep: false,
                },
                Locator::Near {
                    text: "Refresh Token Policy",
                    css: "input[type=radio]",
                    deep: false,
                },
            ],
        },
    ],
    requirements: &[&PERMITTED_USERS, &REFRESH_TOKEN],
    captures: &[],
    fills: &[],
    shares_url: false,
    // Manage Connected Apps → the app → Edit Policies.
    nav_hint: "https://{org}/lightning/setup/ConnectedApplication/home",
};
