//! Okta Admin Console: Salesforce.com app → Provisioning → Integration
//! (`/admin/app/salesforce/instance/<0oa…>/#tab-user-management`, Courage
//! form with `userMgmtSettings.*` ids).

use super::OKTA_HOSTS;
use crate::catalog::{
    sources, Check, Console, Field, Fill, FillSource, HostKind, Landmark, Locator, Msg, Page, PathMatch,
    Probe, Requirement, Severity, Slot, SourceRef, UrlPattern, Widget,
};

const AT: &str = "Configure OAuth and REST integration (Okta)";

pub static CONSUMER_KEY: Requirement = Requirement {
    id: "okta.sfprov.consumer_key",
    field: Some("consumer_key"),
    check: Check::FilledFrom(Slot::SfConsumerKey),
    severity: Severity::Must,
    summary: Msg("req_okta_sfprov_consumer_key_summary"),
    explain: Msg("req_okta_sfprov_consumer_key_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: AT }],
};

pub static CONSUMER_SECRET: Requirement = Requirement {
    id: "okta.sfprov.consumer_secret",
    field: Some("consumer_secret"),
    check: Check::FilledFrom(Slot::SfConsumerSecret),
    severity: Severity::Must,
    summary: Msg("req_okta_sfprov_consumer_secret_summary"),
    explain: Msg("req_okta_sfprov_consumer_secret_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: AT }],
};

pub static AUTHENTICATE: Requirement = Requirement {
    id: "okta.sfprov.authenticate",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_sfprov_authenticate_summary"),
    explain: Msg("req_okta_sfprov_authenticate_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: AT }],
};

pub static SOAP_VARIANT: Requirement = Requirement {
    id: "okta.sfprov.soap_variant",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_sfprov_soap_variant_summary"),
    explain: Msg("req_okta_sfprov_soap_variant_explain"),
    sources: &[
        SourceRef { article: &sources::SF_KB, at: "intro" },
        SourceRef { article: &sources::OKTA_SF, at: "For existing customers" },
    ],
};

pub static SOAP_NOTE: Requirement = Requirement {
    id: "okta.sfprov.soap_note",
    field: None,
    check: Check::Note,
    severity: Severity::Info,
    summary: Msg("req_okta_sfprov_soap_note_summary"),
    explain: Msg("req_okta_sfprov_soap_note_explain"),
    sources: &[SourceRef { article: &sources::OKTA_SF, at: "For existing customers" }],
};

pub static SOAP_RETIRED: Requirement = Requirement {
    id: "okta.sfprov.soap_retired",
    field: Some("soap_password_token"),
    check: Check::NoteUnlessShown,
    severity: Severity::Must,
    summary: Msg("req_okta_sfprov_soap_retired_summary"),
    explain: Msg("req_okta_sfprov_soap_retired_explain"),
    sources: &[SourceRef { article: &sources::SF_SOAP, at: "login() retirement" }],
};

pub static PAGE: Page = Page {
    id: "okta.salesforce.provisioning",
    console: Console::Okta,
    title: "Okta Salesforce app — Provisioning",
    urls: &[UrlPattern {
        host_suffixes: OKTA_HOSTS,
        host_kind: HostKind::OktaAdmin,
        path: PathMatch::Segments(&["admin", "app", "salesforce", "instance", "*"]), // [V]
        hash: Some(PathMatch::Prefix("#tab-user-management")),                       // [V]
        query: None,
        via_address_param: false,
    }],
    landmarks: &[Landmark {
        any_of: &[
            Probe::Id {
                id: "userMgmtSettings.edit_link",
            }, // [V] "Configure API Integration" / Edit
            Probe::Id {
                id: "userMgmtSettings.button.submit",
            }, // [V] Save
            Probe::Text {
                css: "button, a, input",
                text: "Authenticate with Salesforce.com",
                deep: false,
            }, // [V] text
        ],
    }],
    fields: &[
        Field {
            key: "consumer_key",
            label: "OAuth Consumer Key",
            widget: Widget::Text,
            // The form's inputs are identified by `name`, their labels are
            // not tied to them (8.2, [V] single source); the names are [I].
            // Name first, then labels [D] (unbound labels: Near).
            locators: &[
                Locator::Name { name: "oauthConsumerKey" },
                Locator::Name { name: "consumerKey" },
                Locator::LabelText {
                    text: "OAuth Consumer Key",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Consumer Key",
                    deep: false,
                },
                Locator::Aria {
                    text: "Consumer Key",
                    deep: false,
                },
                Locator::Near {
                    text: "OAuth Consumer Key",
                    css: "input",
                    deep: false,
                },
            ],
        },
        Field {
            key: "consumer_secret",
            label: "OAuth Consumer Secret",
            widget: Widget::Text,
            locators: &[
                Locator::Name { name: "oauthConsumerSecret" },
                Locator::Name { name: "consumerSecret" },
                Locator::LabelText {
                    text: "OAuth Consumer Secret",
                    deep: false,
                },
                Locator::LabelText {
                    text: "Consumer Secret",
                    deep: false,
                },
                Locator::Aria {
                    text: "Consumer Secret",
                    deep: false,
                },
                Locator::Near {
                    text: "OAuth Consumer Secret",
                    css: "input",
                    deep: false,
                },
            ],
        },
        // The SOAP variant's second credential field (legacy tenants). [D]
        // label; name unknown. Only its presence matters (soap_retired).
        Field {
            key: "soap_password_token",
            label: "Password + Token",
            widget: Widget::Text,
            locators: &[
                Locator::LabelText { text: "Password + Token", deep: false },
                Locator::Near { text: "Password + Token", css: "input", deep: false },
            ],
        },
    ],
    requirements: &[
        &CONSUMER_KEY,
        &CONSUMER_SECRET,
        &AUTHENTICATE,
        &SOAP_RETIRED,
        &SOAP_VARIANT,
        &SOAP_NOTE,
    ],
    captures: &[],
    fills: &[
        Fill {
            field: "consumer_key",
            from: FillSource::Slot(Slot::SfConsumerKey),
        },
        Fill {
            field: "consumer_secret",
            from: FillSource::Slot(Slot::SfConsumerSecret),
        },
    ],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
