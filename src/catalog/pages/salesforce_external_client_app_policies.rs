//! Salesforce Setup: External Client App (ECA), Policies tab (LWC, shadow
//! DOM). Same policy requirements as the connected app's Edit Policies page;
//! the ECA wording is "All users **can** self-authorize". Labels [D], DOM [I].

use super::salesforce_connected_app_edit as ca;
use super::salesforce_connected_app_policies as cp;
use super::salesforce_external_client_app_settings::ECA_URLS;
use crate::catalog::{Console, Field, Landmark, Locator, Page, Probe, Widget};

pub static PAGE: Page = Page {
    id: "salesforce.external_client_app.policies",
    console: Console::Salesforce,
    title: "External Client App — Policies",
    urls: ECA_URLS,
    landmarks: &[
        Landmark {
            any_of: &[Probe::Text { css: "[role=tab][aria-selected=true]", text: "Policies", deep: true }], // [I]
        },
        Landmark {
            any_of: &[
                Probe::Text { css: "label, span, h2, h3, legend", text: "Permitted Users", deep: true },
                Probe::Text { css: "h2, h3, legend, span", text: "OAuth Policies", deep: true },
            ],
        },
    ],
    fields: &[
        Field {
            key: "permitted_users",
            label: "Permitted Users",
            // A Lightning combobox (edit) or formatted text (view), not a
            // native <select>: read the shown choice as text. [I]
            widget: Widget::Display,
            locators: &[
                Locator::Aria { text: "Permitted Users", deep: true },
                Locator::Near {
                    text: "Permitted Users",
                    css: "button[role=combobox], input[role=combobox], lightning-formatted-text, .slds-form-element__static",
                    deep: true,
                },
            ],
        },
        Field {
            key: "refresh_token_policy",
            label: "Refresh Token Policy",
            // Radio group in edit mode (click Edit first). [I]
            widget: Widget::RadioGroup,
            locators: &[
                Locator::LabelText { text: "valid until revoked", deep: true },
                Locator::Near { text: "Refresh Token Policy", css: "input[type=radio]", deep: true },
            ],
        },
        Field {
            key: "client_credentials",
            label: "Enable Client Credentials Flow",
            widget: Widget::Checkbox,
            locators: &[Locator::LabelText { text: "Client Credentials Flow", deep: true }],
        },
    ],
    requirements: &[&cp::PERMITTED_USERS, &cp::REFRESH_TOKEN, &ca::CLIENT_CREDENTIALS_OFF],
    captures: &[],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/lightning/setup/ManageExternalClientApplication/home",
};
