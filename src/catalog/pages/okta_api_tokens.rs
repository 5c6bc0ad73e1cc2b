//! Okta Admin Console: Security → API → Tokens (`/admin/access/api/tokens`).
//! "Create token" opens a dialog; after naming the token it shows the Token
//! Value once.

use super::OKTA_HOSTS;
use crate::catalog::{
    sources, Capture, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const AT: &str = "API key: generate an API key";

pub static ADMIN_ROLE: Requirement = Requirement {
    id: "okta.token.admin_role",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_token_admin_role_summary"),
    explain: Msg("req_okta_token_admin_role_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static CREATED: Requirement = Requirement {
    id: "okta.token.created",
    field: Some("token_value"),
    check: Check::Shows(Slot::OktaApiToken),
    severity: Severity::Must,
    summary: Msg("req_okta_token_created_summary"),
    explain: Msg("req_okta_token_created_explain"),
    sources: &[SourceRef { article: &sources::WK, at: AT }],
};

pub static PAGE: Page = Page {
    id: "okta.api.tokens",
    console: Console::Okta,
    title: "Okta API Tokens",
    urls: &[UrlPattern {
        host_suffixes: OKTA_HOSTS,
        host_kind: HostKind::OktaAdmin,
        path: PathMatch::Prefix("/admin/access/api/tokens"), // [V]
        hash: None,
        query: None,
        via_address_param: false,
    }],
    landmarks: &[Landmark {
        any_of: &[
            Probe::Text {
                css: "button, a",
                text: "Create token",
                deep: false,
            }, // [D]
            Probe::Text {
                css: "[role=dialog]",
                text: "Token Value",
                deep: false,
            },
        ],
    }],
    fields: &[Field {
        key: "token_value",
        label: "Token Value",
        widget: Widget::Display,
        // In the dialog after "Create token". [I] markup; [D] label.
        locators: &[
            Locator::LabelText {
                text: "Token Value",
                deep: false,
            },
            Locator::Near {
                text: "Token Value",
                css: "input, code, pre, [class*=token]",
                deep: false,
            },
            Locator::Css {
                css: "[role=dialog] input[readonly]",
                deep: false,
            },
            Locator::Css {
                css: "[role=dialog] code",
                deep: false,
            },
        ],
    }],
    requirements: &[&ADMIN_ROLE, &CREATED],
    captures: &[Capture {
        slot: Slot::OktaApiToken,
        field: "token_value",
        reveal_hint:
            "The value appears once, right after you name the token and click \"Create token\"; \
                      capture it before \"OK, got it\".",
    }],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/access/api/tokens",
};
