//! The page agent's side of the protocol (the agent is `extension/agent.js`):
//! the specs and markers it receives, the messages pushed to its frame and
//! its answers to them (fill read-back, click check).

use serde::{Deserialize, Serialize};

use super::facts::{CandidateFacts, FieldFact};
use super::wire::{open, Rejection};
use crate::catalog::{Field, Landmark, Page};

/// The landmark and field specs of one candidate page, as sent to the agent.
#[derive(Debug, Serialize)]
pub struct PageSpec {
    pub page: &'static str,
    pub landmarks: &'static [Landmark],
    pub fields: &'static [Field],
}

impl PageSpec {
    pub fn of(page: &'static Page) -> Self {
        PageSpec { page: page.id, landmarks: page.landmarks, fields: page.fields }
    }
}

/// A badge next to a page field.
#[derive(Debug, Clone, Serialize)]
pub struct Marker {
    pub field: &'static str,
    /// `ok` or `problem`.
    pub ok: bool,
    pub message: String,
}

/// Messages pushed to the agent (`tabs.sendMessage` to its frame).
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToAgent {
    /// Scroll to and highlight a field.
    Focus { page: &'static str, field: &'static str },
    /// Size the overlay frame to its content (CSS pixels).
    Fit { height: u32 },
    /// Remove the overlay until the next navigation.
    Dismiss,
    /// Report the facts again (the background lost its state).
    Refresh,
    /// Show or hide the overlay (the keyboard shortcut).
    Toggle,
    /// Fill these fields, then answer with `AgentReply::Filled`.
    Fill { page: &'static str, steps: Vec<crate::fill::FillInstruction> },
    /// Move the overlay to this corner (see [`DOCK_CORNERS`]).
    Dock { corner: u8 },
    /// Describe the page for its signature (probe and locator hits, form
    /// controls without values): answered with `drift::Description`.
    Describe,
    /// A click at (x, y) of the panel frame is about to act: report what the
    /// page does to the panel there (answered with [`CheckReply`]).
    Check { x: f64, y: f64 },
}

/// The agent's answer to `ToAgent::Check`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckReply {
    Checked(crate::clickguard::PageFacts),
}

/// Decodes the agent's answer to a check; anything else is `None` (which the
/// guard treats as "no answer", a refusal).
pub fn decode_check_reply<'de, D>(de: D) -> Option<crate::clickguard::PageFacts>
where
    D: serde::Deserializer<'de>,
{
    let CheckReply::Checked(facts) = open::<CheckReply, D>(de).ok()?;
    Some(facts)
}

/// How many corners the panel docks to. The agent holds them in this order:
/// top-right (0, the default), top-left, bottom-left, bottom-right; the Dock
/// button moves the panel to the next one.
pub const DOCK_CORNERS: u8 = 4;

/// The corner after `corner` in the Dock button's cycle (an out-of-range
/// value counts as the default corner).
pub fn next_dock(corner: u8) -> u8 {
    if corner >= DOCK_CORNERS { 1 } else { (corner + 1) % DOCK_CORNERS }
}

/// The height of the panel while it is expanded, in CSS pixels (the agent
/// caps it at the viewport). Fixed, whatever the panel holds: a page can see
/// the size of the panel's host element, and a size that followed the
/// content would tell it when a value was captured (SECURITY.md, 12). The
/// panel scrolls inside.
pub const PANEL_HEIGHT: u32 = 600;

/// The height the agent gives the panel's host for a panel whose content is
/// `content` pixels tall: [`PANEL_HEIGHT`] while expanded; while collapsed
/// (the admin's own click) the header's height, at most [`PANEL_HEIGHT`].
/// Only the admin's expand and collapse change it.
pub fn panel_height(collapsed: bool, content: u32) -> u32 {
    if collapsed { content.min(PANEL_HEIGHT) } else { PANEL_HEIGHT }
}

/// The agent's answer to `ToAgent::Fill`: every field read back.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AgentReply {
    Filled { page: String, fields: Vec<FieldFact> },
}

/// Decodes the agent's answer to a fill, with the same limits as facts.
pub fn decode_agent_reply<'de, D>(de: D) -> Result<AgentReply, Rejection>
where
    D: serde::Deserializer<'de>,
{
    check_agent_reply(open(de)?)
}

/// The limits of [`decode_agent_reply`] on an already-decoded answer (the
/// wasm reads it by hand: `web::inbound`).
pub fn check_agent_reply(reply: AgentReply) -> Result<AgentReply, Rejection> {
    let AgentReply::Filled { page, fields } = &reply;
    CandidateFacts { page: page.clone(), landmarks: Vec::new(), fields: fields.clone() }.check_limits()?;
    Ok(reply)
}
