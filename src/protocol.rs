//! Messages between the page agent, the background and the overlay.
//!
//! Every message travels over the extension messaging API as
//! `{ "v": 1, "msg": { "type": "...", ... } }`. Decoding is strict: an
//! unknown version, type or field is rejected with a reason (logged by the
//! receiver), never a panic.

use serde::{Deserialize, Serialize};

use crate::catalog::{Field, Landmark, Page};
use crate::checklist::Checklist;

/// The protocol version. Bump on any incompatible change.
pub const VERSION: u32 = 1;

/// Upper bounds on what a message may carry; anything larger is refused
/// before it reaches the rules (a hostile page controls the agent's input).
pub mod limits {
    pub const MAX_TEXT: usize = 64 * 1024;
    pub const MAX_URL: usize = 8 * 1024;
    pub const MAX_FIELDS: usize = 256;
    pub const MAX_LIST: usize = 512;
    pub const MAX_CANDIDATES: usize = 16;
    /// The agent's panel token (`clickguard`): 32 hex digits.
    pub const MAX_TOKEN: usize = 64;
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope<T> {
    pub v: u32,
    pub msg: T,
}

impl<T> Envelope<T> {
    pub fn new(msg: T) -> Self {
        Envelope { v: VERSION, msg }
    }
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Malformed(String),
    Version(u32),
    TooLarge(&'static str),
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Malformed(why) => write!(f, "malformed message: {why}"),
            Rejection::Version(v) => write!(f, "unsupported protocol version {v} (expected {VERSION})"),
            Rejection::TooLarge(what) => write!(f, "message too large: {what}"),
        }
    }
}

/// What the agent reads from a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldValue {
    Text(String),
    Checked(bool),
    /// Selected option / checked radio label; empty when nothing is chosen.
    Choice(String),
    /// Items of a list (dueling list, dual listbox).
    List(Vec<String>),
    /// Rows of a Grant/Revoke table.
    Rows(Vec<Row>),
    /// More than one visible control matches the field equally well (the
    /// count): the agent read none of them. The core never fills such a
    /// field and shows it as unknown ([`crate::fill`], [`crate::checklist`]).
    Ambiguous(u32),
    /// Reading the field went past the agent's budget for one report (a
    /// label or anchor text too long, or too many nodes to look at): the
    /// agent cannot tell which control it is. Never filled, shown as
    /// unknown ("too large"); see SECURITY.md, bounded work.
    TooLarge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub text: String,
    pub buttons: Vec<String>,
}

/// One field as the agent found it (or did not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFact {
    pub key: String,
    /// `None` (JSON `null`) when no locator found the element. Required all
    /// the same: a report without it is malformed, not "not found".
    #[serde(deserialize_with = "Option::deserialize")]
    pub value: Option<FieldValue>,
}

/// The agent's report for one candidate page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateFacts {
    pub page: String,
    /// One boolean per landmark of the page spec, in order.
    pub landmarks: Vec<bool>,
    pub fields: Vec<FieldFact>,
}

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

/// Replies from the background.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// Candidate pages for the URL; empty means "nothing to do here".
    Specs {
        candidates: Vec<PageSpec>,
    },
    /// The recognized page (if any) and what to show.
    Verdict {
        page: Option<&'static str>,
        /// The agent's frame id, to put in the overlay URL's fragment.
        frame: i64,
        markers: Vec<Marker>,
        /// The corner to show the panel in (see [`DOCK_CORNERS`]): where the
        /// admin last docked it on this console in this browser session.
        dock: u8,
    },
    Ack,
    Error {
        reason: String,
    },
    /// The frame or its tab sent more than its share ([`crate::budget`]):
    /// nothing was done; report again after `retry_ms`.
    Busy {
        retry_ms: u32,
    },
    /// The action is kept until the page has reported again (a restarted
    /// background); `reason` says so to the admin. See [`crate::resume`].
    Pending {
        reason: String,
    },
    /// The popup's view.
    Popup {
        view: PopupView,
    },
    /// The options page's view.
    Settings {
        view: SettingsView,
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
        drift: Option<crate::drift::Drift>,
        notice: Option<Notice>,
    },
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
    let env: Envelope<CheckReply> = Envelope::deserialize(de).ok()?;
    if env.v != VERSION {
        return None;
    }
    let CheckReply::Checked(facts) = env.msg;
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

/// Messages pushed to the overlay over its port.
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ToOverlay {
    View(View),
    /// The agent's page is no longer recognized.
    Gone,
}

/// Everything the overlay renders.
#[derive(Debug, Serialize)]
pub struct View {
    pub page: &'static str,
    pub page_title: &'static str,
    pub console: &'static str,
    /// Integrations that use this page: (id, title).
    pub integrations: Vec<(&'static str, &'static str)>,
    /// The chosen integration, if the admin picked one (or only one fits).
    pub integration: Option<&'static str>,
    /// 1-based step number within the integration (within its route, when
    /// the route is known), and the step count.
    pub step: Option<(usize, usize)>,
    /// The integration's routes (`catalog::routes`), the one the admin is on
    /// marked `current`; empty for integrations with one way through.
    pub routes: Vec<RouteLine>,
    pub checklist: Checklist,
    pub collapsed: bool,
    /// Values this page shows that can be captured.
    pub captures: Vec<CaptureView>,
    /// What Fill would put in this form, if the page is a fill target.
    pub fill: Option<FillView>,
    /// The integration's captured values, masked.
    pub vault: Vec<crate::vault::EntryView>,
    /// The outcome of the admin's last action on this page.
    pub notice: Option<Notice>,
    /// Fields keyferry expects here and cannot locate (`drift`).
    pub drift: Option<crate::drift::Drift>,
    /// What the panel's actions act on ([`crate::resume::basis`]); the
    /// overlay sends it back with each action.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteLine {
    pub id: &'static str,
    pub title: &'static str,
    pub note: &'static str,
    /// The route for new setups.
    pub default: bool,
    /// The admin is on this route (this page belongs to it only, or it is
    /// where the admin was last on this integration).
    pub current: bool,
    /// Where the route starts, on this console's host (another route only).
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaptureView {
    pub slot: &'static str,
    pub label: &'static str,
    /// The page shows a usable value right now.
    pub shown: bool,
    /// The masked captured value, if captured.
    pub captured: Option<String>,
    /// What to click first when the console hides the value.
    pub hint: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct FillView {
    pub values: Vec<FillLine>,
    pub missing: Vec<crate::assemble::MissingValue>,
    /// Labels of fields that hold other values (Fill asks before replacing).
    pub conflicts: Vec<&'static str>,
    /// How many fields Fill would write now (empty ones).
    pub ready: usize,
    /// Labels of fields keyferry has a value for but cannot find on the page
    /// (yet: a choice or a section may reveal them).
    pub absent: Vec<&'static str>,
    /// Why Fill will not write the captured values here now: the form names
    /// another destination than their org (`destination::guard`).
    pub blocked: Option<String>,
    /// The captured values would go to this page's org, which the admin has
    /// not confirmed yet (`destination::binding`).
    pub bind: Option<BindView>,
}

/// The confirmation the panel asks before captured values go to `to`.
#[derive(Debug, Clone, Serialize)]
pub struct BindView {
    /// The org, as the confirm button sends it back (`Action::Bind`).
    pub to: String,
    /// One sentence: where the values came from and where they would go.
    pub question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FillLine {
    pub field: &'static str,
    pub label: &'static str,
    /// The value as shown: masked for secrets.
    pub display: String,
    pub secret: bool,
    /// Text the admin may copy (not a box to tick or an option to choose).
    pub copy: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub ok: bool,
    pub text: String,
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
    let env: Envelope<AgentReply> =
        Envelope::deserialize(de).map_err(|e| Rejection::Malformed(truncate(&redact(&e.to_string()), 200)))?;
    if env.v != VERSION {
        return Err(Rejection::Version(env.v));
    }
    let AgentReply::Filled { page, fields } = &env.msg;
    let as_facts = ToBackground::Facts {
        url: String::new(),
        candidates: vec![CandidateFacts { page: page.clone(), landmarks: Vec::new(), fields: fields.clone() }],
        token: None,
    };
    as_facts.check_limits()?;
    Ok(env.msg)
}

fn check_len(s: &str, max: usize, what: &'static str) -> Result<(), Rejection> {
    if s.len() > max {
        Err(Rejection::TooLarge(what))
    } else {
        Ok(())
    }
}

fn check_value(v: &FieldValue) -> Result<(), Rejection> {
    use limits::*;
    match v {
        FieldValue::Text(s) | FieldValue::Choice(s) => check_len(s, MAX_TEXT, "field text"),
        FieldValue::Checked(_) | FieldValue::Ambiguous(_) | FieldValue::TooLarge => Ok(()),
        FieldValue::List(items) => {
            if items.len() > MAX_LIST {
                return Err(Rejection::TooLarge("list items"));
            }
            items.iter().try_for_each(|s| check_len(s, MAX_TEXT, "list item"))
        }
        FieldValue::Rows(rows) => {
            if rows.len() > MAX_LIST {
                return Err(Rejection::TooLarge("rows"));
            }
            rows.iter().try_for_each(|r| {
                check_len(&r.text, MAX_TEXT, "row text")?;
                if r.buttons.len() > 16 {
                    return Err(Rejection::TooLarge("row buttons"));
                }
                r.buttons.iter().try_for_each(|b| check_len(b, 256, "button text"))
            })
        }
    }
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
                for c in candidates {
                    check_len(&c.page, 128, "page id")?;
                    if c.landmarks.len() > 64 || c.fields.len() > MAX_FIELDS {
                        return Err(Rejection::TooLarge("candidate facts"));
                    }
                    for f in &c.fields {
                        check_len(&f.key, 128, "field key")?;
                        if let Some(v) = &f.value {
                            check_value(v)?;
                        }
                    }
                }
                Ok(())
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
    let env: Envelope<ToBackground> =
        Envelope::deserialize(de).map_err(|e| Rejection::Malformed(truncate(&redact(&e.to_string()), 200)))?;
    if env.v != VERSION {
        return Err(Rejection::Version(env.v));
    }
    env.msg.check_limits()?;
    Ok(env.msg)
}

/// The reason without the contents of double-quoted strings: serde quotes
/// the offending value (`invalid type: string "…", expected a boolean`),
/// which may be a secret the agent read, and reasons get logged. Names in
/// backticks (unknown fields and variants) stay: they are keys, not values.
fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut quoted, mut escaped) = (false, false);
    for c in s.chars() {
        if quoted && !escaped && c == '"' {
            out.push_str("…\"");
            quoted = false;
        } else if quoted {
            escaped = !escaped && c == '\\';
        } else {
            out.push(c);
            quoted = c == '"';
        }
    }
    if quoted {
        out.push('…');
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Everything the popup renders.
#[derive(Debug, Serialize)]
pub struct PopupView {
    /// Every integration: (id, title).
    pub integrations: Vec<(&'static str, &'static str)>,
    /// The one shown (the admin's choice, or the last one used on a page).
    pub integration: Option<&'static str>,
    pub progress: Option<crate::report::IntegrationProgress>,
    /// The integration's captured values, masked.
    pub vault: Vec<crate::vault::EntryView>,
    /// Captured values of all integrations (for "Forget all").
    pub vault_total: usize,
    pub vault_minutes: u32,
    /// The outcome of the last popup action.
    pub notice: Option<Notice>,
}

/// One custom host as the options page lists it.
#[derive(Debug, Serialize)]
pub struct HostStatus {
    pub kind: &'static str,
    pub kind_label: &'static str,
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
#[derive(Debug, Serialize)]
pub struct SettingsView {
    pub data_center: &'static str,
    pub data_center_managed: bool,
    /// (id, label) of the data centers offered.
    pub data_centers: Vec<(&'static str, &'static str)>,
    pub vault_minutes: u32,
    pub vault_minutes_managed: bool,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub hosts: Vec<HostStatus>,
    /// (id, label) of the custom host kinds.
    pub kinds: Vec<(&'static str, &'static str)>,
    /// Why stored or managed values were ignored.
    pub problems: Vec<String>,
    pub notice: Option<Notice>,
}
