//! Salesforce Setup: an External Client App's Consumer Key and Consumer
//! Secret, shown after Salesforce's identity check (ECA detail → Settings
//! tab → OAuth Settings → "Consumer Key and Secret" → e-mail code or MFA).
//!
//! The view's URL and DOM are not public (console-pages.md 8.1, [I]): it is
//! described by what is known. It lives on the Salesforce hosts, under the
//! Lightning Setup app (`/lightning/setup/…`), either inline on the ECA detail page (a
//! modal over the Settings tab) or in a window/tab of its own; it shows the
//! labels "Consumer Key" and "Consumer Secret" in an External Client App
//! context; the values have known shapes (the key starts with `3MVG`, about
//! 85 characters; the secret is 64 hex digits), which the capture checks.
//! It comes before the ECA settings page in `PAGES`: inline, the Settings
//! tab stays underneath and its landmarks still hit.

use super::SF_HOSTS;
use crate::catalog::{
    sources, Capture, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const AT: &str = "External Client App: Consumer Key and Secret";

/// Label-like elements (Lightning form labels, description lists, table
/// headers); buttons are not among them, so the Settings tab's "Consumer
/// Key and Secret" button never counts as the label.
const LABELS: &str = "label, dt, th, legend, .slds-form-element__label";

/// Where a shown value may sit next to its label. [I] SLDS read-only output.
const VALUES: &str =
    "input, textarea, output, code, dd, lightning-formatted-text, .slds-form-element__static";

pub static IDENTITY_CHECK: Requirement = Requirement {
    id: "sf.eca.identity_check",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_sf_eca_identity_check_summary"),
    explain: Msg("req_sf_eca_identity_check_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF_ECA, at: AT }],
};

pub static CONSUMER_KEY: Requirement = Requirement {
    id: "sf.eca.consumer_key_shown",
    field: Some("consumer_key"),
    check: Check::Shows(Slot::SfConsumerKey),
    severity: Severity::Must,
    summary: Msg("req_sf_eca_consumer_key_shown_summary"),
    explain: Msg("req_sf_eca_consumer_key_shown_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF_ECA, at: AT }],
};

pub static CONSUMER_SECRET: Requirement = Requirement {
    id: "sf.eca.consumer_secret_shown",
    field: Some("consumer_secret"),
    check: Check::Shows(Slot::SfConsumerSecret),
    severity: Severity::Must,
    summary: Msg("req_sf_eca_consumer_secret_shown_summary"),
    explain: Msg("req_sf_eca_consumer_secret_shown_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF_ECA, at: AT }],
};

macro_rules! eca_node {
    ($node:literal) => {
        UrlPattern {
            host_suffixes: SF_HOSTS,
            host_kind: HostKind::Any,
            path: PathMatch::Segments(&["lightning", "setup", $node, "**"]),
            hash: None,
            query: None,
            via_address_param: false,
        }
    };
}

pub static PAGE: Page = Page {
    id: "salesforce.external_client_app.consumer_details",
    console: Console::Salesforce,
    title: "External Client App — Consumer Key and Secret",
    // Inline on the ECA detail page, or a window/tab of its own whose route
    // is not known [I]: accepted under the ECA manager's routes (the three
    // spellings, any rest of the path, as the ECA's LWC routes nest there)
    // and the landmarks decide. Not every Setup address: the agent stays
    // idle on the rest of Setup.
    urls: &[
        eca_node!("ManageExternalClientApplication"),
        eca_node!("ExternalClientAppManager"),
        eca_node!("ExternalClientAppsManager"),
    ],
    landmarks: &[
        Landmark {
            any_of: &[
                Probe::Text { css: LABELS, text: "Consumer Key", deep: true },
                Probe::Css { css: "[aria-label=\"Consumer Key\" i]", deep: true },
            ],
        },
        Landmark {
            any_of: &[
                Probe::Text { css: LABELS, text: "Consumer Secret", deep: true },
                Probe::Css { css: "[aria-label=\"Consumer Secret\" i]", deep: true },
            ],
        },
        // The External Client App context: the window's title or a heading
        // names it (never a connected app's Visualforce page, which comes
        // first in PAGES anyway). [I]
        Landmark {
            any_of: &[
                Probe::Title { text: "External Client App" },
                Probe::Text {
                    css: "h1, h2, .slds-page-header__title, .slds-page-header__name-meta, .slds-modal__title",
                    text: "External Client App",
                    deep: true,
                },
            ],
        },
    ],
    fields: &[
        Field {
            key: "consumer_key",
            label: "Consumer Key",
            widget: Widget::Display,
            locators: &[
                // A read-only input with an aria-label of exactly the label. [I]
                Locator::Css { css: "input[aria-label=\"Consumer Key\" i]", deep: true },
                Locator::LabelText { text: "Consumer Key", deep: true },
                Locator::Near { text: "Consumer Key", css: VALUES, deep: true },
            ],
        },
        Field {
            key: "consumer_secret",
            label: "Consumer Secret",
            widget: Widget::Display,
            locators: &[
                Locator::Css { css: "input[aria-label=\"Consumer Secret\" i]", deep: true },
                Locator::LabelText { text: "Consumer Secret", deep: true },
                Locator::Near { text: "Consumer Secret", css: VALUES, deep: true },
            ],
        },
    ],
    requirements: &[&IDENTITY_CHECK, &CONSUMER_KEY, &CONSUMER_SECRET],
    captures: &[
        Capture {
            slot: Slot::SfConsumerKey,
            field: "consumer_key",
            reveal_hint: "Settings tab → OAuth Settings → \"Consumer Key and Secret\"; Salesforce checks it is you \
                          (e-mailed code or MFA) before it shows the key.",
        },
        Capture {
            slot: Slot::SfConsumerSecret,
            field: "consumer_secret",
            reveal_hint: "Settings tab → OAuth Settings → \"Consumer Key and Secret\", then the identity check; \
                          the secret is shown under the key.",
        },
    ],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/lightning/setup/ManageExternalClientApplication/home",
};
