//! Messages between the page agent, the background, the overlay, the popup
//! and the options page, in layers:
//!
//! - [`wire`]: version, size limits, envelope, rejection (depends on nothing);
//! - [`facts`]: what the agent reports (field facts, values, candidate
//!   facts), read by `recognize`, `checklist`, `fill`, `destination`, `drift`;
//! - [`view`]: what the UIs render, serialized by the background and
//!   deserialized by the UIs from the same types;
//! - the envelopes per audience on top: [`agent`], [`overlay`], [`pages`],
//!   and here the inbound [`ToBackground`] (one channel for all three) and
//!   the background's [`Reply`].
//!
//! The core's modules name the layer they use (`protocol::facts::FieldFact`);
//! the re-exports below are for `web/`. Every message travels over the
//! extension messaging API as `{ "v": 1, "msg": { "type": "...", ... } }`.
//! Decoding is strict: an unknown version, type or field is rejected with a
//! reason (logged by the receiver), never a panic.

use serde::{Deserialize, Serialize};

pub mod agent;
pub mod facts;
pub mod overlay;
pub mod pages;
pub mod view;
pub mod wire;

pub use agent::{
    decode_agent_reply, decode_check_reply, next_dock, panel_height, AgentReply, CheckReply, Marker, PageSpec, ToAgent,
    DOCK_CORNERS, PANEL_HEIGHT,
};
pub use facts::{CandidateFacts, FieldFact, FieldValue, Row};
pub use overlay::{Action, ToOverlay, ToOverlayOf};
pub use pages::{CustomHostIn, SettingsIn, UiRequest};
pub use view::{BindView, CaptureView, FillLine, FillView, HostStatus, Notice, PopupView, RouteLine, SettingsView, View};
pub use wire::{limits, Envelope, Rejection, VERSION};

use wire::check_len;

/// Messages to the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ToBackground {
    /// Agent: "I am on this URL". Answered with `Reply::Specs`.
    Hello { url: String, top: bool },
    /// Agent: what the specs found. Answered with `Reply::Verdict`.
    Facts {
        url: String,
        candidates: Vec<CandidateFacts>,
        /// The agent's random panel token (see [`crate::clickguard`]): only
        /// the panel the agent created learns it, so only that panel's port
        /// and clicks are accepted for this frame.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    /// Overlay: the admin did something (always from a trusted event).
    OverlayAction {
        frame: i64,
        action: Action,
        /// The [`crate::resume::basis`] of the view the admin clicked on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<String>,
        /// Where the click landed and what the panel knows of its own
        /// visibility (`clickguard::PanelFacts`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        click: Option<crate::clickguard::PanelFacts>,
        /// The panel token the agent handed this panel.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    /// Popup or options page (accepted only from those extension pages).
    Ui { request: UiRequest },
}

/// Replies from the background, as it builds them.
pub type Reply = ReplyOf<&'static str>;

/// Replies as the popup and the options page read them (see [`view`]).
pub type UiReply = ReplyOf<String>;

/// Replies from the background, texts generic as in [`view`]. Only the
/// popup's and the options page's replies are ever deserialized (`UiReply`):
/// the others are marked `skip_deserializing` (fewer variants to match in
/// the pages' wasm).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReplyOf<S> {
    /// Candidate pages for the URL; empty means "nothing to do here".
    #[serde(skip_deserializing)]
    Specs {
        candidates: Vec<PageSpec>,
        /// The agent's frame id where a page's own URL matches
        /// ([`crate::recognize::panel_expected`]): the agent loads the panel
        /// now, hidden, and the verdict shows it or has it removed.
        #[serde(skip_serializing_if = "Option::is_none")]
        preload: Option<i64>,
    },
    /// The recognized page (if any) and what to show.
    #[serde(skip_deserializing)]
    Verdict {
        page: Option<S>,
        /// The agent's frame id, to put in the overlay URL's fragment.
        frame: i64,
        markers: Vec<Marker>,
        /// The corner to show the panel in (see [`DOCK_CORNERS`]): where the
        /// admin last docked it on this console in this browser session.
        dock: u8,
        /// The page-side texts the agent puts on the panel's frame and grip,
        /// in the admin's language (empty when no page is recognized): the
        /// agent never calls `i18n.getMessage`, whose first call loads the
        /// whole message catalog into the page's process.
        panel_title: String,
        grip_title: String,
    },
    #[serde(skip_deserializing)]
    Ack,
    Error {
        reason: String,
    },
    /// The frame or its tab sent more than its share ([`crate::budget`]):
    /// nothing was done; report again after `retry_ms`.
    #[serde(skip_deserializing)]
    Busy {
        retry_ms: u32,
    },
    /// The action is kept until the page has reported again (a restarted
    /// background); `reason` says so to the admin. See [`crate::resume`].
    #[serde(skip_deserializing)]
    Pending {
        reason: String,
    },
    /// The popup's view.
    Popup {
        view: PopupView<S>,
    },
    /// The options page's view.
    Settings {
        view: SettingsView<S>,
    },
    /// The redacted setup report (no secret values).
    Report {
        markdown: String,
        json: String,
        file: String,
    },
    /// The popup's tab: its drifted page, if any, and the outcome of Copy
    /// page signature.
    Drift {
        drift: Option<crate::drift::Drift<S>>,
        notice: Option<Notice>,
    },
}

impl ToBackground {
    /// Enforces the size limits on an already-decoded message.
    pub fn check_limits(&self) -> Result<(), Rejection> {
        use limits::*;
        match self {
            ToBackground::Hello { url, .. } => check_len(url, MAX_URL, "url"),
            ToBackground::Facts { url, candidates, token } => {
                check_len(url, MAX_URL, "url")?;
                check_len(token.as_deref().unwrap_or(""), MAX_TOKEN, "token")?;
                if candidates.len() > MAX_CANDIDATES {
                    return Err(Rejection::TooLarge("candidates"));
                }
                candidates.iter().try_for_each(CandidateFacts::check_limits)
            }
            ToBackground::Ui { request } => match request {
                UiRequest::Popup { integration } => check_len(integration.as_deref().unwrap_or(""), 128, "integration id"),
                UiRequest::Forget { integration, slot } => {
                    check_len(integration, 128, "integration id")?;
                    check_len(slot.as_deref().unwrap_or(""), 64, "slot id")
                }
                UiRequest::Copy { integration, slot } => {
                    check_len(integration, 128, "integration id")?;
                    check_len(slot, 64, "slot id")
                }
                UiRequest::Report { integration } => check_len(integration, 128, "integration id"),
                UiRequest::Settings | UiRequest::ForgetAll => Ok(()),
                UiRequest::Drift { .. } | UiRequest::Signature { .. } => Ok(()),
                UiRequest::SaveSettings { settings } => {
                    check_len(&settings.data_center, 64, "data center")?;
                    if settings.custom_hosts.len() > 64 {
                        return Err(Rejection::TooLarge("custom hosts"));
                    }
                    settings.custom_hosts.iter().try_for_each(|h| {
                        check_len(&h.kind, 32, "host kind")?;
                        check_len(&h.host, 300, "host")
                    })
                }
            },
            ToBackground::OverlayAction { basis: Some(b), .. } if b.len() > crate::resume::BASIS_LEN => {
                Err(Rejection::TooLarge("basis"))
            }
            ToBackground::OverlayAction { token: Some(t), .. } if t.len() > MAX_TOKEN => Err(Rejection::TooLarge("token")),
            ToBackground::OverlayAction { action, .. } => match action {
                Action::Pick { integration } => check_len(integration, 128, "integration id"),
                Action::Focus { item } => check_len(item, 128, "item id"),
                Action::Fit { height } if *height > 20_000 => Err(Rejection::TooLarge("height")),
                Action::Capture { slot: s } | Action::Forget { slot: Some(s) } => check_len(s, 64, "slot id"),
                Action::Copy { field } => check_len(field, 128, "field key"),
                Action::Bind { org } => check_len(org, 253, "org"),
                Action::Collapse { .. }
                | Action::Dismiss
                | Action::Dock
                | Action::Fit { .. }
                | Action::Fill { .. }
                | Action::Forget { slot: None }
                | Action::Signature => Ok(()),
            },
        }
    }
}

/// Decodes a message from any serde deserializer (JSON natively, a JS value
/// in wasm), checking the version and the size limits.
pub fn decode<'de, D>(de: D) -> Result<ToBackground, Rejection>
where
    D: serde::Deserializer<'de>,
{
    let msg: ToBackground = wire::open(de)?;
    msg.check_limits()?;
    Ok(msg)
}
