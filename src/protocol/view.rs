//! The views the UIs render: the overlay's [`View`], the popup's
//! [`PopupView`], the options page's [`SettingsView`]. The background
//! serializes them and the UIs deserialize the same types: no mirror types
//! on the UI side.
//!
//! Texts are generic over `S`: `&'static str` (the default) where the
//! background builds a view from the catalog, `String` where a UI reads one
//! (`View<String>`). The parts built elsewhere ([`Checklist`],
//! [`EntryView`], [`MissingValue`], [`Drift`]) follow the same rule.

use serde::{Deserialize, Serialize};

use crate::assemble::MissingValue;
use crate::checklist::Checklist;
use crate::drift::Drift;
use crate::report::IntegrationProgress;
use crate::vault::EntryView;

/// The outcome of the admin's last action, as a UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notice {
    pub ok: bool,
    pub text: String,
}

/// Everything the overlay renders.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct View<S = &'static str> {
    pub page: S,
    pub page_title: S,
    pub console: S,
    /// Integrations that use this page: (id, title).
    pub integrations: Vec<(S, S)>,
    /// The chosen integration, if the admin picked one (or only one fits).
    pub integration: Option<S>,
    /// 1-based step number within the integration (within its route, when
    /// the route is known), and the step count.
    pub step: Option<(usize, usize)>,
    /// The integration's routes (`catalog::routes`), the one the admin is on
    /// marked `current`; empty for integrations with one way through.
    pub routes: Vec<RouteLine<S>>,
    pub checklist: Checklist<S>,
    pub collapsed: bool,
    /// Values this page shows that can be captured.
    pub captures: Vec<CaptureView<S>>,
    /// What Fill would put in this form, if the page is a fill target.
    pub fill: Option<FillView<S>>,
    /// The integration's captured values, masked.
    pub vault: Vec<EntryView<S>>,
    /// The outcome of the admin's last action on this page.
    pub notice: Option<Notice>,
    /// Fields keyferry expects here and cannot locate (`drift`).
    pub drift: Option<Drift<S>>,
    /// What the panel's actions act on ([`crate::resume::basis`]); the
    /// overlay sends it back with each action.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouteLine<S = &'static str> {
    pub id: S,
    pub title: S,
    pub note: S,
    /// The route for new setups.
    pub default: bool,
    /// The admin is on this route (this page belongs to it only, or it is
    /// where the admin was last on this integration).
    pub current: bool,
    /// Where the route starts, on this console's host (another route only).
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaptureView<S = &'static str> {
    pub slot: S,
    pub label: S,
    /// The page shows a usable value right now.
    pub shown: bool,
    /// The masked captured value, if captured.
    pub captured: Option<String>,
    /// What to click first when the console hides the value.
    pub hint: S,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FillView<S = &'static str> {
    pub values: Vec<FillLine<S>>,
    pub missing: Vec<MissingValue<S>>,
    /// Labels of fields that hold other values (Fill asks before replacing).
    pub conflicts: Vec<S>,
    /// How many fields Fill would write now (empty ones).
    pub ready: usize,
    /// Labels of fields keyferry has a value for but cannot find on the page
    /// (yet: a choice or a section may reveal them).
    pub absent: Vec<S>,
    /// Why Fill will not write the captured values here now: the form names
    /// another destination than their org (`destination::guard`).
    pub blocked: Option<String>,
    /// The captured values would go to this page's org, which the admin has
    /// not confirmed yet (`destination::binding`).
    pub bind: Option<BindView>,
}

/// The confirmation the panel asks before captured values go to `to`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BindView {
    /// The org, as the confirm button sends it back (`Action::Bind`).
    pub to: String,
    /// One sentence: where the values came from and where they would go.
    pub question: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FillLine<S = &'static str> {
    pub field: S,
    pub label: S,
    /// The value as shown: masked for secrets.
    pub display: String,
    pub secret: bool,
    /// Text the admin may copy (not a box to tick or an option to choose).
    pub copy: bool,
}

/// Everything the popup renders.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PopupView<S = &'static str> {
    /// Every integration: (id, title).
    pub integrations: Vec<(S, S)>,
    /// The one shown (the admin's choice, or the last one used on a page).
    pub integration: Option<S>,
    pub progress: Option<IntegrationProgress>,
    /// The integration's captured values, masked.
    pub vault: Vec<EntryView<S>>,
    /// Captured values of all integrations (for "Forget all").
    pub vault_total: usize,
    pub vault_minutes: u32,
    /// The outcome of the last popup action.
    pub notice: Option<Notice>,
}

/// One custom host as the options page lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostStatus<S = &'static str> {
    pub kind: S,
    pub kind_label: S,
    pub host: String,
    pub pattern: String,
    /// Listed by the administrator's policy.
    pub managed: bool,
    /// The browser granted the host permission.
    pub granted: bool,
    /// Its content script is registered.
    pub registered: bool,
}

/// Everything the options page renders.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingsView<S = &'static str> {
    pub data_center: S,
    pub data_center_managed: bool,
    /// (id, label) of the data centers offered.
    pub data_centers: Vec<(S, S)>,
    pub vault_minutes: u32,
    pub vault_minutes_managed: bool,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub hosts: Vec<HostStatus<S>>,
    /// (id, label) of the custom host kinds.
    pub kinds: Vec<(S, S)>,
    /// Why stored or managed values were ignored.
    pub problems: Vec<String>,
    pub notice: Option<Notice>,
}
