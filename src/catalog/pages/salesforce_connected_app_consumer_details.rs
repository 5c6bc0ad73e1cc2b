//! Salesforce Setup: connected app detail → "Manage Consumer Details" →
//! identity verification → Consumer Key / Consumer Secret.
//! Recognized before the reveal (the button) and after it (the values).

use super::SF_HOSTS;
use crate::catalog::{
    sources, Capture, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const DETAIL_PATH: &str = "/app/mgmt/forceconnectedapps/forceAppDetail.apexp";
const MANAGE_PATH: &str =
    "/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/d";

const MANAGE_BUTTON_ID: &str =
    "appsetup:setupForm:details:oauthSettingsSection:manageConsumerKeySecretSection:manageConsumer";
const SECRET_ID: &str =
    "appsetup:setupForm:consumerDetails:oauthConsumerSection:consumerSecretSection:consumerSecret";
const KEY_ID: &str =
    "appsetup:setupForm:consumerDetails:oauthConsumerSection:consumerKeySection:consumerKey";
const LEGACY_KEY_ID: &str =
    "appsetup:setupForm:details:oauthSettingsSection:consumerKeySection:consumerKey";

pub static VERIFY_IDENTITY: Requirement = Requirement {
    id: "sf.consumer.verify_identity",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_consumer_verify_identity_summary"),
    explain: Msg("req_sf_consumer_verify_identity_explain"),
    sources: &[SourceRef { article: &sources::SF_KB, at: "step 12" }],
};

pub static CONSUMER_KEY: Requirement = Requirement {
    id: "sf.consumer.key",
    field: Some("consumer_key"),
    check: Check::Shows(Slot::SfConsumerKey),
    severity: Severity::Must,
    summary: Msg("req_sf_consumer_key_summary"),
    explain: Msg("req_sf_consumer_key_explain"),
    sources: &[SourceRef { article: &sources::SF_KB, at: "steps 11-13" }],
};

pub static CONSUMER_SECRET: Requirement = Requirement {
    id: "sf.consumer.secret",
    field: Some("consumer_secret"),
    check: Check::Shows(Slot::SfConsumerSecret),
    severity: Severity::Must,
    summary: Msg("req_sf_consumer_secret_summary"),
    explain: Msg("req_sf_consumer_secret_explain"),
    sources: &[SourceRef { article: &sources::SF_KB, at: "steps 11-13" }],
};

const fn direct(path: &'static str) -> UrlPattern {
    UrlPattern {
        host_suffixes: SF_HOSTS,
        host_kind: HostKind::Any,
        path: PathMatch::Exact(path),
        hash: None,
        query: None,
        via_address_param: false,
    }
}

const fn wrapped(path: &'static str) -> UrlPattern {
    UrlPattern {
        host_suffixes: SF_HOSTS,
        host_kind: HostKind::Any,
        path: PathMatch::Exact(path),
        hash: None,
        query: None,
        via_address_param: true,
    }
}

pub static PAGE: Page = Page {
    id: "salesforce.connected_app.consumer_details",
    console: Console::Salesforce,
    title: "Connected App — Consumer Details",
    urls: &[
        direct(DETAIL_PATH),  // [V]
        wrapped(DETAIL_PATH), // [V] /lightning/setup/ConnectedApplication/page?address=…
        direct(MANAGE_PATH),  // [V] redirect target of /<0H4 id>
        wrapped(MANAGE_PATH),
        // The consumer-details view after verification may open on its own
        // URL (not verified): accept any connected-app management page and
        // let the landmarks decide. [I]
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Prefix("/app/mgmt/forceconnectedapps/"),
            hash: None,
            query: None,
            via_address_param: false,
        },
    ],
    landmarks: &[Landmark {
        any_of: &[
            Probe::Id { id: MANAGE_BUTTON_ID }, // [V] sfdx-hardis
            Probe::Id { id: SECRET_ID },        // [V]
            Probe::Id { id: KEY_ID },           // [I] by analogy with the secret
            Probe::Id { id: LEGACY_KEY_ID },    // [V] pre-2023 layout
            Probe::Css { css: "input[value=\"Manage Consumer Details\"]", deep: false },
            Probe::Text { css: "th, td.labelCol, label", text: "Consumer Key", deep: false },
        ],
    }],
    fields: &[
        Field {
            key: "consumer_key",
            label: "Consumer Key",
            widget: Widget::Display,
            locators: &[
                Locator::Id { id: KEY_ID },        // [I]
                Locator::Id { id: LEGACY_KEY_ID }, // [V] legacy
                Locator::Css { css: "span[id$=\"consumerKeySection:consumerKey\"]", deep: false },
                Locator::Near { text: "Consumer Key", css: "td.dataCol span, td.dataCol, span", deep: false }, // [I]
            ],
        },
        Field {
            key: "consumer_secret",
            label: "Consumer Secret",
            widget: Widget::Display,
            locators: &[
                Locator::Id { id: SECRET_ID }, // [V]
                Locator::Css { css: "span[id$=\"consumerSecretSection:consumerSecret\"]", deep: false },
                Locator::Near { text: "Consumer Secret", css: "td.dataCol span, td.dataCol, span", deep: false }, // [I]
            ],
        },
    ],
    requirements: &[&VERIFY_IDENTITY, &CONSUMER_KEY, &CONSUMER_SECRET],
    captures: &[
        Capture {
            slot: Slot::SfConsumerKey,
            field: "consumer_key",
            reveal_hint: "Click \"Manage Consumer Details\", then confirm it is you with the e-mailed code \
                          (check spam) or your MFA app.",
        },
        Capture {
            slot: Slot::SfConsumerSecret,
            field: "consumer_secret",
            reveal_hint: "Click \"Manage Consumer Details\" and pass the e-mail code or MFA check; the secret \
                          is listed under the key.",
        },
    ],
    fills: &[],
    shares_url: false,
    // App Manager → the app's ▼ menu → View.
    nav_hint: "https://{org}/lightning/setup/NavigationMenus/home",
};
