//! The overlay panel's side of the protocol: what the background pushes over
//! the panel's port, and the admin's actions the panel sends back.

use serde::{Deserialize, Serialize};

use super::view::View;

/// Messages pushed to the overlay over its port, as the background builds
/// them.
pub type ToOverlay = ToOverlayOf<&'static str>;

/// The same, texts generic as in [`super::view`]: the overlay reads
/// `ToOverlayOf<String>`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToOverlayOf<S> {
    View(View<S>),
    /// The agent's page is no longer recognized.
    Gone,
}

/// Things the admin can do in the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Choose which integration this page is being used for.
    Pick { integration: String },
    /// Scroll to and highlight the field of a checklist item.
    Focus { item: String },
    /// Collapse or expand the panel.
    Collapse { collapsed: bool },
    /// Hide the overlay on this page until the next navigation.
    Dismiss,
    /// Move the panel to the next corner of the page.
    Dock,
    /// The panel's content is this many CSS pixels tall: size the frame.
    Fit { height: u32 },
    /// Store the value this page shows for `slot` in the vault.
    Capture { slot: String },
    /// Fill this form from the vault; `overwrite` replaces fields that hold
    /// other values (the admin confirmed it).
    Fill { overwrite: bool },
    /// The admin confirmed that the captured values go to `org`, this
    /// page's org (`destination::binding`): bind them, then fill.
    Bind { org: String },
    /// Put one value of the fill list (by field key) on the clipboard.
    Copy { field: String },
    /// Forget one captured value, or all of the integration's (`slot: None`).
    Forget { slot: Option<String> },
    /// Copy the page signature (redacted page description, `drift`).
    Signature,
}

impl Action {
    /// The action reads or writes captured values (vault, page, clipboard).
    pub fn carries_values(&self) -> bool {
        matches!(self, Action::Capture { .. } | Action::Fill { .. } | Action::Bind { .. } | Action::Copy { .. })
    }
}
