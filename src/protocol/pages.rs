//! The popup's and the options page's side of the protocol: what they ask
//! of the background (their views come back in `Reply`, built from
//! [`super::view`]).

use serde::{Deserialize, Serialize};

/// What the popup and the options page ask of the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UiRequest {
    /// The popup's view (`integration`: show this one; `None`: the default).
    Popup { integration: Option<String> },
    /// Forget one captured value of the integration, or all of them.
    Forget { integration: String, slot: Option<String> },
    /// Forget every captured value of every integration.
    ForgetAll,
    /// One captured value, for the popup's Copy button.
    Copy { integration: String, slot: String },
    /// The redacted setup report of the integration (Markdown and JSON).
    Report { integration: String },
    /// The options page's view (after syncing content-script registrations).
    Settings,
    /// Save the admin's own settings (validated again by the background).
    SaveSettings { settings: SettingsIn },
    /// Does this tab show a page that differs from what keyferry knows?
    Drift { tab: i64 },
    /// Copy the page signature of that tab's drifted page.
    Signature { tab: i64 },
}

/// Settings as the options page sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    pub data_center: String,
    pub vault_minutes: u32,
    pub custom_hosts: Vec<CustomHostIn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomHostIn {
    pub kind: String,
    pub host: String,
}
