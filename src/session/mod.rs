//! The background as a state machine: every decision of the service worker
//! (Chrome) / event page (Firefox), with no browser API in reach.
//!
//! [`Session::handle`] takes one [`Input`] (a message with the browser's
//! facts about its sender, a panel connecting, an alarm, a restored snapshot,
//! settings read from storage, the answer to an earlier effect...) and the
//! time, and returns what to answer now ([`Answered`]) and what to do
//! ([`Effect`]s: plain data). `src/web/background.rs` turns browser events
//! into inputs and runs the effects; it decides nothing.
//!
//! Effects that wait on the browser (asking an agent, writing the clipboard,
//! syncing content scripts, saving settings) carry a ticket; their outcome
//! comes back as [`Input::Answer`] with that ticket, and the session carries
//! on from what it kept for it. A reply that waits on such a chain is
//! [`Answered::Later`] and arrives as [`Effect::Answer`].
//!
//! Files by job: `view` (frames, integration, markers, views), `carry`
//! (capture, fill, copy, the vault's persistence), `ui` (popup and options
//! requests, settings, custom hosts' content scripts, progress).
//!
//! Deliberately absent: JS values, `wasm_bindgen`, the clock (`now` is an
//! argument), the UI language (`Translate` is handed in), ports (named by
//! number; the web side holds the handles).

use crate::vecmap::VecMap;

use crate::catalog::{self, Console, Page};
use crate::protocol::{self, Action, FieldFact, Notice, Rejection, Reply, ToAgent, ToBackground, ToOverlay, UiRequest};
use crate::recognize;
use crate::resume;
use crate::secret::Sensitive;
use crate::settings::{self, Raw};
use crate::validate::DataCenter;
use crate::vault::{SessionEntry, Vault};

mod carry;
mod ui;
mod view;

pub use carry::{CLIP_ALARM, CLIP_CLEAR_MS, CLIP_KEY, EXPIRY_ALARM};

/// (tab id, frame id).
pub type FrameKey = (i64, i64);

/// An overlay port, as numbered by the web side (which holds the handle).
pub type PortId = u64;

/// Names an effect whose outcome comes back as [`Input::Answer`], or a reply
/// that comes later as [`Effect::Answer`].
pub type Ticket = u64;

/// The UI string `key` with its substitutions (the browser's
/// `i18n.getMessage` on the web side; a stand-in in native tests).
pub type Translate = fn(&str, &[&str]) -> String;

/// Who sent a message, as the browser says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sender {
    pub tab: Option<i64>,
    pub frame: i64,
    /// The sending frame's URL.
    pub url: String,
    /// The URL of the tab's top frame.
    pub top_url: Option<String>,
    /// Our own extension's origin (`runtime.getURL("")`).
    pub own_origin: String,
}

impl Sender {
    /// One of our own extension pages.
    pub fn extension_page(&self) -> bool {
        !self.own_origin.is_empty() && self.url.starts_with(&self.own_origin)
    }

    /// The popup or the options page (not the overlay).
    pub fn ui_page(&self) -> bool {
        !self.own_origin.is_empty()
            && self.url.strip_prefix(&self.own_origin).is_some_and(|p| {
                let path = p.split(['?', '#']).next().unwrap_or("");
                path == "popup.html" || path == "options.html"
            })
    }
}

/// What `storage.local` or `storage.managed` held for the settings.
pub enum Loaded {
    /// Nothing there (or not an object).
    Absent,
    /// Something that does not read as settings.
    Unreadable,
    Raw(Raw),
    /// Not read yet: `storage.managed` can take seconds to answer while the
    /// browser starts (Chromium reads its policies first). The admin's own
    /// settings apply meanwhile; Capture, Fill and Copy wait for the policy.
    Pending,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Loaded::Absent => "absent",
            Loaded::Unreadable => "unreadable",
            Loaded::Raw(_) => "raw settings",
            Loaded::Pending => "not read yet",
        })
    }
}

/// What a restarted worker finds in `storage.session`. The web side reads
/// `vault` and `progress` as their types, and the plain strings and numbers
/// of the keys [`Snapshot::wants`].
#[derive(Debug, Default)]
pub struct Snapshot {
    /// `None`: absent; `Some(None)`: unreadable.
    pub vault: Option<Option<Vec<SessionEntry>>>,
    pub progress: Option<Option<crate::report::Progress>>,
    pub texts: Vec<(String, String)>,
    pub numbers: Vec<(String, f64)>,
}

impl Snapshot {
    /// The plain keys the session reads back (not the clipboard's secret).
    pub fn wants(key: &str) -> bool {
        key == POPUP_PICK_KEY || key == SEEN_DC_KEY || key.starts_with("pick:") || key.starts_with("dock:")
    }
}

/// What the agent answered to an [`Effect::Ask`].
#[derive(Debug)]
pub enum Heard<T> {
    Answered(T),
    /// An answer that does not decode as expected.
    Garbled,
    /// No answer: the message could not be sent, was rejected, or timed out.
    Silent,
}

/// The outcome of a clipboard write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clip {
    Copied,
    Refused,
    /// No clipboard helper in this context.
    Unavailable,
}

/// What the web side decodes an agent's answer as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `protocol::decode_check_reply`.
    Check,
    /// `protocol::decode_agent_reply`.
    Filled,
    /// `drift::decode_description`.
    Description,
}

/// The outcome of an effect with a ticket.
#[derive(Debug)]
pub enum Answer {
    Check(Option<crate::clickguard::PageFacts>),
    Filled(Heard<protocol::AgentReply>),
    Described(Heard<crate::drift::Description>),
    Clipboard(Clip),
    /// [`Effect::ProbeHosts`]: permission granted per pattern; the ids of the
    /// registered content scripts (`None`: no scripting API).
    Probed { granted: Vec<bool>, registered: Option<Vec<String>> },
    /// [`Effect::SyncScripts`]: the ids registered afterwards.
    Registered(Vec<String>),
    /// [`Effect::SaveSettings`]: written or not.
    Saved(bool),
    /// [`Effect::LoadAgent`]: the rest of the agent was injected, or not.
    Loaded(bool),
}

/// One thing that happened to the background.
#[derive(Debug)]
pub enum Input {
    /// A `runtime.onMessage` message, decoded (or refused by decoding).
    Message { msg: Result<ToBackground, Rejection>, sender: Sender },
    /// `runtime.onConnect`: a port named `name`, numbered `port`.
    Connect { port: PortId, name: String, sender: Sender },
    /// A port disconnected, or could not be posted to.
    Disconnected { port: PortId },
    /// `alarms.onAlarm`.
    Alarm { name: String },
    /// `commands.onCommand`.
    Command { command: String },
    /// `tabs.onRemoved`.
    TabClosed { tab: i64 },
    /// The worker (re)started with this in `storage.session`.
    Restore(Snapshot),
    /// Settings read at start or after a change: `storage.local[settings]`
    /// and all of `storage.managed`. Answered (later) once the content
    /// scripts are in sync.
    Settings { local: Loaded, managed: Loaded },
    /// `storage.managed` has not answered in `POLICY_WAIT_MS` (background.js;
    /// Chromium 156 was seen never to): what waits for the policy runs on the
    /// admin's own settings, and the policy is applied if it comes later.
    PolicyLate,
    /// The outcome of an effect with a ticket.
    Answer { ticket: Ticket, answer: Answer },
}

/// Has `storage.managed` answered?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    /// No settings input said anything about it (native tests).
    NotAsked,
    /// [`Loaded::Pending`]: what depends on it waits in `policy_wait`.
    Pending,
    /// Read (a later "not read yet" is stale).
    Read,
}

/// Waits for the administrator's policy ([`Loaded::Pending`]).
#[derive(Debug)]
enum Deferred {
    Click(FrameKey, Action),
    Ui(Ticket, UiRequest),
}

/// A value to write to `storage.session` (memory-only).
#[derive(Debug)]
pub enum Stored {
    Vault(Vec<SessionEntry>),
    Progress(crate::report::Progress),
    Text(String),
    Number(u8),
    /// The copied secret the clear alarm compares with.
    Secret(Sensitive),
}

/// A content script to register for a custom host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub id: String,
    pub pattern: String,
}

/// What the web side does. (A view is the largest; effects are short-lived,
/// a few per input.)
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    /// `tabs.sendMessage` to one frame, no answer awaited.
    ToFrame { key: FrameKey, msg: ToAgent },
    /// `tabs.sendMessage` to every frame of a tab, no answer awaited.
    ToTab { tab: i64, msg: ToAgent },
    /// `tabs.sendMessage` to one frame; the answer (decoded as `expect`,
    /// `Silent` after `timeout_ms` if given) comes back with `ticket`.
    Ask { key: FrameKey, msg: ToAgent, expect: Expect, timeout_ms: Option<u32>, ticket: Ticket },
    /// `ToAgent::Toggle` to the active tab of the current window.
    ToggleActiveTab,
    /// `postMessage` on an overlay port.
    Post { port: PortId, msg: ToOverlay },
    /// Disconnect an overlay port.
    Disconnect { port: PortId },
    /// `storage.session.set({key: value})`.
    Store { key: String, value: Stored },
    /// `storage.session.remove(key)`.
    Unstore { key: String },
    /// `alarms.create(name, {when})`.
    SetAlarm { name: &'static str, when_ms: u64 },
    /// Write `text` through the shell's clipboard helper; the outcome comes
    /// back with `ticket` (none: not awaited).
    WriteClipboard { text: Sensitive, ticket: Option<Ticket> },
    /// Read the copied secret from `storage.session[CLIP_KEY]`, have the
    /// helper clear the clipboard if it still holds it, remove the key.
    ClearClipboard,
    /// Revoke `revoke`'s permissions, then check each pattern's permission
    /// and list the registered content scripts: [`Answer::Probed`].
    ProbeHosts { patterns: Vec<String>, revoke: Vec<String>, ticket: Ticket },
    /// Unregister, then register content scripts (`agent.js`, all frames),
    /// then list them: [`Answer::Registered`].
    SyncScripts { unregister: Vec<String>, register: Vec<Script>, ticket: Ticket },
    /// `storage.local.set({settings})`: [`Answer::Saved`].
    SaveSettings { settings: settings::Settings, ticket: Ticket },
    /// `scripting.executeScript` of the rest of the page agent
    /// (`agent-main.js`) into one frame: [`Answer::Loaded`]. The hello of a
    /// candidate page is answered once it is in, so the bootstrap finds it.
    LoadAgent { key: FrameKey, ticket: Ticket },
    /// The reply to a message answered [`Answered::Later`].
    Answer { ticket: Ticket, reply: Reply },
    /// A console warning (reasons built here, never a secret).
    Warn(String),
}

/// The reply to an input.
#[derive(Debug)]
pub enum Answered {
    Now(Reply),
    /// Comes as [`Effect::Answer`] with this ticket.
    Later(Ticket),
    /// `Reply::Report` whose `json` is the report as JSON text (the web
    /// side writes it with the browser's `JSON.stringify`).
    Report { markdown: String, report: Box<crate::report::Report>, file: String },
    /// The input was not a message.
    Nothing,
}

/// One recognized frame.
pub(crate) struct FrameState {
    pub(crate) page: &'static Page,
    /// The frame's URL when it last reported.
    pub(crate) url: String,
    pub(crate) facts: Vec<FieldFact>,
    pub(crate) collapsed: bool,
    /// The outcome of the admin's last action here.
    pub(crate) notice: Option<Notice>,
    /// The page is framed by a page that is not its console's own frame
    /// structure (`clickguard::frame_allowed`): no Capture, no Fill.
    pub(crate) framed: bool,
}

/// The background's state. See the module docs.
pub struct Session {
    tr: Translate,
    /// The time of the input being handled.
    now: u64,
    /// Effects of the input being handled.
    out: Vec<Effect>,
    next_ticket: Ticket,
    /// What to do when a ticket's outcome arrives.
    conts: VecMap<Ticket, carry::Cont>,
    pub(crate) frames: VecMap<FrameKey, FrameState>,
    /// Overlay ports, by the agent frame they belong to.
    ports: VecMap<FrameKey, PortId>,
    /// The integration the admin picked, per tab.
    picks: VecMap<i64, &'static str>,
    /// The corner the admin docked the panel to, per console (memory +
    /// storage.session): the next page of that console opens it there.
    docks: [u8; CONSOLES.len()],
    /// Captured values (memory; mirrored to storage.session).
    pub(crate) vault: Vault,
    /// The Workato data center the admin chose (options or policy); `None`
    /// until chosen: unknown is not US.
    data_center: Option<DataCenter>,
    /// The data center of the Workato host keyferry last recognized a page
    /// on, this browser session (memory + storage.session, never local).
    seen_dc: Option<DataCenter>,
    /// Settings in effect (storage.local + storage.managed).
    settings: settings::Effective,
    /// Whether `storage.managed` has answered.
    policy: Policy,
    /// What waits for the policy: guarded clicks that carry values (already
    /// allowed by the click guard) and the popup's and options' requests.
    policy_wait: Vec<Deferred>,
    /// A deferred request answered under another ticket: (its, ours).
    answer_as: VecMap<Ticket, Ticket>,
    /// What the two storage areas hold, each checked.
    settings_local: settings::Partial,
    settings_managed: settings::Partial,
    /// Custom hosts: (host, permission granted, content script registered).
    host_status: Vec<(String, bool, bool)>,
    /// Checklists seen per integration and page (memory + storage.session).
    progress: crate::report::Progress,
    /// The route last seen per integration (a page only one route has):
    /// names the route on pages both routes share. Memory only.
    last_route: VecMap<&'static str, &'static str>,
    /// The integration last shown on a page, and the one picked in the popup.
    last_active: Option<&'static str>,
    popup_pick: Option<&'static str>,
    /// Clicks kept until the frame reports to this (restarted) background,
    /// with their visibility facts and token.
    pending: VecMap<FrameKey, (resume::Pending, Option<crate::clickguard::PanelFacts>, Option<String>)>,
    /// Frames whose URL is a candidate but whose page is not recognized:
    /// (URL, what was expected and not found). Booleans only, no values.
    drifts: VecMap<FrameKey, (String, crate::drift::Drift)>,
    /// The panel token each agent reported (`clickguard`): only the panel
    /// that presents it gets views and has its clicks carried out.
    tokens: VecMap<FrameKey, String>,
    /// The token each connected panel presented.
    port_tokens: VecMap<FrameKey, String>,
    /// Panels that connected before this worker heard the token of their
    /// frame's agent (a panel loaded with the hello, any panel after a worker
    /// restart): (frame, port, token). The agent's next report binds the one
    /// presenting its token and disconnects the others, so a page that
    /// frames `overlay.html` itself meanwhile cannot take the panel's place.
    unbound: Vec<(FrameKey, PortId, String)>,
    /// The work each frame and tab may cause (hello and facts reports).
    budget: crate::budget::Budget,
}

/// Panels that may wait for their frame's token at once (a reloaded panel,
/// a page's forgeries); more are refused.
const MAX_UNBOUND_PANELS: usize = 4;
const CONSOLES: [Console; 4] = [Console::Salesforce, Console::Okta, Console::Workflows, Console::Workato];
/// The session storage key of the data center seen on a Workato host.
const SEEN_DC_KEY: &str = "seen_dc";
const POPUP_PICK_KEY: &str = "popup_pick";

fn pick_key(tab: i64) -> String {
    format!("pick:{tab}")
}

fn dock_key(console: Console) -> String {
    format!("dock:{}", console.label())
}

/// Both are console URLs (https, default port) on the same host.
fn same_origin(a: &str, b: &str) -> bool {
    match (recognize::Location::host_of(a), recognize::Location::host_of(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

impl Session {
    pub fn new(tr: Translate) -> Session {
        Session {
            tr,
            now: 0,
            out: Vec::new(),
            next_ticket: 1,
            conts: VecMap::new(),
            frames: VecMap::new(),
            ports: VecMap::new(),
            picks: VecMap::new(),
            docks: [0; CONSOLES.len()],
            vault: Vault::default(),
            data_center: None,
            seen_dc: None,
            settings: settings::Effective::merge(Default::default(), Default::default()),
            policy: Policy::NotAsked,
            policy_wait: Vec::new(),
            answer_as: VecMap::new(),
            settings_local: Default::default(),
            settings_managed: Default::default(),
            host_status: Vec::new(),
            progress: Default::default(),
            last_route: VecMap::new(),
            last_active: None,
            popup_pick: None,
            pending: VecMap::new(),
            drifts: VecMap::new(),
            tokens: VecMap::new(),
            port_tokens: VecMap::new(),
            unbound: Vec::new(),
            budget: Default::default(),
        }
    }

    pub(crate) fn t(&self, key: &str) -> String {
        (self.tr)(key, &[])
    }

    pub(crate) fn tf(&self, key: &str, subs: &[&str]) -> String {
        (self.tr)(key, subs)
    }

    fn emit(&mut self, e: Effect) {
        let e = match e {
            Effect::Answer { ticket, reply } => {
                Effect::Answer { ticket: self.answer_as.remove(&ticket).unwrap_or(ticket), reply }
            }
            e => e,
        };
        self.out.push(e);
    }

    /// Carries out what waited for the administrator's policy.
    fn after_policy(&mut self) {
        for d in std::mem::take(&mut self.policy_wait) {
            match d {
                Deferred::Click(key, action) => {
                    let Some(f) = self.frames.get_mut(&key) else { continue };
                    // The waiting notice gives way to what the click does
                    // (the views it pushes, its own notice).
                    f.notice = None;
                    self.act(key, action);
                }
                Deferred::Ui(t, request) => match self.request(request) {
                    Answered::Now(reply) => self.emit(Effect::Answer { ticket: t, reply }),
                    Answered::Later(t2) => {
                        self.answer_as.insert(t2, t);
                    }
                    // Not deferred (a report does not depend on the policy).
                    Answered::Report { .. } | Answered::Nothing => {}
                },
            }
        }
    }

    fn ticket(&mut self) -> Ticket {
        let t = self.next_ticket;
        self.next_ticket += 1;
        t
    }

    /// Counts a page's report (hello, facts) against its frame's and tab's
    /// share before anything is decoded: `Some(Busy)` refuses it.
    pub fn admit(&mut self, sender: &Sender, report: bool, now: u64) -> Option<Reply> {
        let tab = sender.tab.filter(|_| report && !sender.extension_page())?;
        match self.budget.admit(tab, sender.frame, now) {
            crate::budget::Admit::Busy { retry_ms } => Some(Reply::Busy { retry_ms }),
            _ => None,
        }
    }

    /// Handles one input at time `now` (ms since the epoch).
    pub fn handle(&mut self, input: Input, now: u64) -> (Answered, Vec<Effect>) {
        self.now = now;
        let answered = match input {
            Input::Message { msg, sender } => self.message(msg, &sender),
            Input::Connect { port, name, sender } => {
                self.connect(port, &name, &sender);
                Answered::Nothing
            }
            Input::Disconnected { port } => {
                self.ports.retain(|_, p| *p != port);
                self.unbound.retain(|u| u.1 != port);
                Answered::Nothing
            }
            Input::Alarm { name } => {
                if name == EXPIRY_ALARM {
                    self.persist();
                    self.push_all_views();
                } else if name == CLIP_ALARM {
                    self.emit(Effect::ClearClipboard);
                }
                Answered::Nothing
            }
            Input::Command { command } => {
                if command == "toggle-overlay" {
                    self.emit(Effect::ToggleActiveTab);
                }
                Answered::Nothing
            }
            Input::TabClosed { tab } => {
                self.tab_closed(tab);
                Answered::Nothing
            }
            Input::Restore(snapshot) => {
                self.restore(snapshot);
                Answered::Nothing
            }
            Input::Settings { local, managed } => self.load_settings(local, managed),
            Input::PolicyLate => {
                self.policy_late();
                Answered::Nothing
            }
            Input::Answer { ticket, answer } => {
                self.answer(ticket, answer);
                Answered::Nothing
            }
        };
        (answered, std::mem::take(&mut self.out))
    }

    fn message(&mut self, msg: Result<ToBackground, Rejection>, sender: &Sender) -> Answered {
        let reply = match msg {
            Err(why) => {
                self.emit(Effect::Warn(format!("refused a message: {why}")));
                Reply::Error { reason: why.to_string() }
            }
            Ok(ToBackground::Ui { request })
                if sender.ui_page() && self.policy == Policy::Pending && !matches!(request, UiRequest::Report { .. }) =>
            {
                // The popup and options show the policy: they wait for it.
                let (t, answered) = self.later();
                self.policy_wait.push(Deferred::Ui(t, request));
                return answered;
            }
            Ok(ToBackground::Ui { request }) if sender.ui_page() => return self.request(request),
            Ok(ToBackground::Ui { .. }) => Reply::Error { reason: "only the popup and options pages ask this".into() },
            Ok(ToBackground::Hello { url, .. }) => return self.hello(&url, sender),
            Ok(ToBackground::Facts { url, candidates, token }) => self.facts(url, candidates, token, sender),
            Ok(ToBackground::OverlayAction { frame, action, basis, click, token }) => {
                self.overlay_message(frame, action, basis, click, token, sender)
            }
        };
        Answered::Now(reply)
    }

    /// A frame's first word. A candidate page gets its specs once the rest of
    /// the agent is in the frame (`Effect::LoadAgent`); any other page an
    /// empty answer now, and nothing more is loaded there.
    fn hello(&mut self, url: &str, sender: &Sender) -> Answered {
        // The agent's URL must be on the frame the browser says it is on.
        if sender.extension_page() || !same_origin(url, &sender.url) {
            return Answered::Now(Reply::Specs { candidates: Vec::new(), preload: None });
        }
        if let Some(tab) = sender.tab {
            // A new document or URL in this frame: its old drift is gone.
            self.drifts.remove(&(tab, sender.frame));
        }
        let candidates: Vec<_> =
            recognize::candidates(url, self.custom_hosts()).into_iter().map(protocol::PageSpec::of).collect();
        // The panel's frame takes ~100 ms to load and start: where a page's
        // own URL matches, the agent loads it with the specs, hidden, while
        // it reads the page (a page that draws late then shows its checklist
        // at once).
        let preload =
            (!candidates.is_empty() && recognize::panel_expected(url, self.custom_hosts())).then_some(sender.frame);
        let specs = Reply::Specs { candidates, preload };
        match sender.tab {
            Some(tab) if matches!(&specs, Reply::Specs { candidates, .. } if !candidates.is_empty()) => {
                let (reply, answered) = self.later();
                let ticket = self.ticket();
                self.conts.insert(ticket, carry::Cont::AgentLoaded { reply, specs });
                self.emit(Effect::LoadAgent { key: (tab, sender.frame), ticket });
                answered
            }
            _ => Answered::Now(specs),
        }
    }

    fn facts(
        &mut self,
        url: String,
        candidates: Vec<protocol::CandidateFacts>,
        token: Option<String>,
        sender: &Sender,
    ) -> Reply {
        let Some(tab) = sender.tab.filter(|_| !sender.extension_page() && same_origin(&url, &sender.url)) else {
            return Reply::Error { reason: "facts from an unexpected sender".into() };
        };
        let key = (tab, sender.frame);
        if let Some(t) = token.filter(|t| !t.is_empty()) {
            self.bind_waiting(key, &t);
            self.tokens.insert(key, t);
        }
        let page = recognize::recognize(&url, &candidates, self.custom_hosts());
        match crate::drift::unrecognized(&url, &candidates, self.custom_hosts()) {
            Some(d) => self.drifts.insert(key, (url.clone(), d)),
            None => self.drifts.remove(&key),
        };
        let facts =
            page.and_then(|p| candidates.into_iter().find(|c| c.page == p.id)).map(|c| c.fields).unwrap_or_default();
        let markers = match page {
            Some(p) => {
                let markers = self.markers_for(p, tab, &facts);
                let same = self.frames.get(&key).filter(|f| f.page.id == p.id);
                let collapsed = same.is_some_and(|f| f.collapsed);
                let notice = same.and_then(|f| f.notice.clone());
                let framed =
                    !crate::clickguard::frame_allowed(p.console, sender.frame == 0, &url, sender.top_url.as_deref());
                self.frames.insert(key, FrameState { page: p, url: url.clone(), facts, collapsed, notice, framed });
                markers
            }
            None => {
                self.frames.remove(&key);
                Vec::new()
            }
        };
        if let Some(p) = page {
            self.record_progress(key);
            self.note_data_center(p, &url);
        }
        self.push_view(key);
        self.resume_pending(key);
        let dock = page.map_or(0, |p| self.docks[p.console as usize]);
        let (panel_title, grip_title) = match page {
            Some(_) => (self.t("overlay_aria_checklist"), self.t("overlay_grip_title")),
            None => (String::new(), String::new()),
        };
        Reply::Verdict { page: page.map(|p| p.id), frame: sender.frame, markers, dock, panel_title, grip_title }
    }

    fn overlay_message(
        &mut self,
        frame: i64,
        action: Action,
        basis: Option<String>,
        click: Option<crate::clickguard::PanelFacts>,
        token: Option<String>,
        sender: &Sender,
    ) -> Reply {
        let Some(tab) = sender.tab.filter(|_| sender.extension_page()) else {
            return Reply::Error { reason: "overlay actions come only from the overlay".into() };
        };
        let key = (tab, frame);
        let expected = self.tokens.get(&key).cloned();
        if expected.is_some() && expected != token {
            // A panel the agent did not create for this frame (a page
            // that framed overlay.html itself): nothing it asks is done.
            self.emit(Effect::Warn("refused an action from a panel without this frame's token".into()));
            return Reply::Error { reason: self.t("notice_guard_unbound") };
        }
        if !self.frames.contains_key(&key) && resume::deferrable(&action) {
            // A restarted worker (or a replaced core) has not heard from
            // this page yet: keep the click, have the page read again,
            // and decide once it reported (see `resume_pending`).
            let pending = resume::Pending { action, basis, at_ms: self.now };
            self.pending.insert(key, (pending, click, token));
            self.emit(Effect::ToFrame { key, msg: ToAgent::Refresh });
            return Reply::Pending { reason: self.t("notice_resuming") };
        }
        if self.view_for(key).is_some_and(|v| resume::stale_overwrite(&action, basis.as_deref(), &v)) {
            // The admin agreed to replace other fields than the form now
            // holds: show the current form and let them decide again.
            self.push_view(key);
            return Reply::Error { reason: self.t("notice_changed") };
        }
        if guarded(&action) {
            self.check_then_act(key, action, click);
            return Reply::Ack;
        }
        self.overlay_action(key, action)
    }

    /// Carries out or refuses the click kept for `key` while the restarted
    /// background had not heard from the page, now that the page reported.
    fn resume_pending(&mut self, key: FrameKey) {
        let Some((pending, click, token)) = self.pending.remove(&key) else { return };
        let expected = self.tokens.get(&key).cloned();
        let view = self.view_for(key);
        let reason = match resume::decide(&pending, view.as_ref(), self.now) {
            resume::Resume::Run(_) if expected.is_some() && expected != token => self.t("notice_guard_unbound"),
            resume::Resume::Run(action) if guarded(&action) => {
                self.check_then_act(key, action, click);
                return;
            }
            resume::Resume::Run(action) => match self.overlay_action(key, action) {
                Reply::Error { reason } => reason,
                _ => return,
            },
            resume::Resume::Refuse(resume::Refusal::ValuesChanged) => self.t("notice_changed"),
            resume::Resume::Refuse(_) => self.t("notice_restarted"),
        };
        self.notice(key, false, reason);
        self.push_view(key);
    }

    /// Asks the agent what the page does to the panel at the click (see
    /// [`Session::checked_click`] for the rest).
    fn check_then_act(&mut self, key: FrameKey, action: Action, click: Option<crate::clickguard::PanelFacts>) {
        match click {
            Some(c) => {
                let ticket = self.ticket();
                self.conts.insert(ticket, carry::Cont::Check { key, action, click: c });
                self.emit(Effect::Ask {
                    key,
                    msg: ToAgent::Check { x: c.x, y: c.y },
                    expect: Expect::Check,
                    timeout_ms: Some(2_000),
                    ticket,
                });
            }
            None => self.checked_click(key, action, None, None),
        }
    }

    /// Lets the core decide (`clickguard::decide`) from the panel's and the
    /// page's facts, then carries out the action or says in the panel why not.
    fn checked_click(
        &mut self,
        key: FrameKey,
        action: Action,
        click: Option<crate::clickguard::PanelFacts>,
        page: Option<crate::clickguard::PageFacts>,
    ) {
        let framed_ok = self.frames.get(&key).is_some_and(|f| !f.framed);
        let panel = click.unwrap_or(crate::clickguard::PanelFacts { tracked: false, visible_ms: None, x: 0.0, y: 0.0 });
        match crate::clickguard::decide(&panel, page.as_ref(), framed_ok) {
            Ok(()) if self.policy == Policy::Pending && action.carries_values() => {
                // What the administrator's policy says (vault lifetime, data
                // center) is not known yet: carried out once it is (or once
                // it is late, `policy_late`). Meanwhile the panel says so.
                self.policy_wait.push(Deferred::Click(key, action));
                let text = self.t("notice_policy_wait");
                self.notice(key, true, text);
                self.push_view(key);
            }
            Ok(()) => self.act(key, action),
            Err(why) => {
                self.emit(Effect::Warn(format!("refused a click: {why:?}")));
                let text = self.refusal_text(why);
                self.notice(key, false, text);
                self.push_view(key);
            }
        }
    }

    /// Carries out a click the guard allowed; a failure is the panel's notice.
    fn act(&mut self, key: FrameKey, action: Action) {
        if let Reply::Error { reason } = self.overlay_action(key, action) {
            self.notice(key, false, reason);
            self.push_view(key);
        }
    }

    /// The panel's problem notice for a refused click.
    fn refusal_text(&self, why: crate::clickguard::Refusal) -> String {
        use crate::clickguard::Refusal;
        match why {
            Refusal::NoAnswer => self.t("notice_guard_no_answer"),
            Refusal::NotVisible => self.t("notice_guard_not_visible"),
            Refusal::Moved => self.t("notice_guard_moved"),
            Refusal::Covered => self.t("notice_guard_covered"),
            Refusal::TooSoon => self.t("notice_guard_too_soon"),
            Refusal::Framed => self.t("notice_guard_framed"),
        }
    }

    fn overlay_action(&mut self, key: FrameKey, action: Action) -> Reply {
        let integration = self.frames.get(&key).and_then(|f| self.integration_for(f.page, key.0, &f.facts));
        match action {
            Action::Copy { field } => return self.copy(key, &field, integration),
            Action::Capture { slot } => {
                self.capture(key, &slot, integration);
                self.push_view(key);
            }
            Action::Forget { slot } => {
                self.forget(key, slot.as_deref(), integration);
                self.push_view(key);
            }
            Action::Fill { overwrite } => {
                self.start_fill(key, overwrite, integration);
                self.push_view(key);
            }
            Action::Bind { org } => {
                self.bind_and_fill(key, &org, integration);
                self.push_view(key);
            }
            Action::Pick { integration } => {
                if let Some(i) = catalog::integration(&integration) {
                    self.picks.insert(key.0, i.id);
                    // Remember it for the tab session (memory-only storage).
                    self.emit(Effect::Store { key: pick_key(key.0), value: Stored::Text(i.id.into()) });
                }
                self.push_view(key);
                // The page's markers depend on the integration: have them redrawn.
                self.emit(Effect::ToFrame { key, msg: ToAgent::Refresh });
            }
            Action::Focus { item } => {
                let target = self.frames.get(&key).and_then(|f| {
                    let field = f.page.requirements.iter().find(|r| r.id == item)?.field?;
                    Some((f.page.id, field))
                });
                if let Some((page, field)) = target {
                    self.emit(Effect::ToFrame { key, msg: ToAgent::Focus { page, field } });
                }
            }
            Action::Collapse { collapsed } => {
                if let Some(f) = self.frames.get_mut(&key) {
                    f.collapsed = collapsed;
                }
                self.push_view(key);
            }
            Action::Dismiss => {
                self.frames.remove(&key);
                self.emit(Effect::ToFrame { key, msg: ToAgent::Dismiss });
            }
            Action::Dock => {
                // Next corner, remembered for this console for the browser session.
                let Some(console) = self.frames.get(&key).map(|f| f.page.console) else { return Reply::Ack };
                let c = &mut self.docks[console as usize];
                *c = protocol::next_dock(*c);
                let corner = *c;
                self.emit(Effect::Store { key: dock_key(console), value: Stored::Number(corner) });
                self.emit(Effect::ToFrame { key, msg: ToAgent::Dock { corner } });
            }
            Action::Fit { height } => {
                // Fixed while expanded: the host's size must not follow what the panel holds.
                let collapsed = self.frames.get(&key).is_some_and(|f| f.collapsed);
                let height = protocol::panel_height(collapsed, height);
                self.emit(Effect::ToFrame { key, msg: ToAgent::Fit { height } });
            }
            Action::Signature => self.ask_signature(key, carry::SigThen::Overlay(key)),
        }
        Reply::Ack
    }

    /// `runtime.onConnect`: an overlay announces itself with the port name
    /// `overlay:<agent frame id>:<panel token>` (the token the agent handed
    /// the panel it created; see `clickguard`).
    fn connect(&mut self, port: PortId, name: &str, sender: &Sender) {
        let mut parts = name.strip_prefix("overlay:").unwrap_or("").splitn(2, ':');
        let frame = parts.next().and_then(|f| f.parse::<i64>().ok());
        let token =
            parts.next().filter(|t| !t.is_empty() && t.len() <= protocol::limits::MAX_TOKEN).map(str::to_owned);
        let (Some(frame), Some(tab), Some(token)) = (frame, sender.tab, token) else {
            self.emit(Effect::Warn("refused a connection with an unexpected name".into()));
            self.emit(Effect::Disconnect { port });
            return;
        };
        if !sender.extension_page() {
            self.emit(Effect::Disconnect { port });
            return;
        }
        let key = (tab, frame);
        if self.tokens.get(&key).is_some_and(|t| *t != token) {
            // A second panel for this frame, opened by someone else (a page
            // that framed overlay.html): refused; the agent's own panel stays.
            self.emit(Effect::Warn("refused a panel without this frame's token".into()));
            self.emit(Effect::Disconnect { port });
            return;
        }
        if !self.tokens.contains_key(&key) && !self.frames.contains_key(&key) {
            // Not heard from this frame's agent yet (the worker restarted
            // and lost its state, or the panel was loaded with the hello):
            // which panel is the agent's is not known until it reports, so
            // ask it to (an agent with a report on its way ignores that).
            let waiting = self.unbound.iter().filter(|u| u.0 == key).count();
            if waiting >= MAX_UNBOUND_PANELS {
                self.emit(Effect::Warn("refused a panel: too many wait for this frame's token".into()));
                self.emit(Effect::Disconnect { port });
                return;
            }
            self.unbound.push((key, port, token));
            if waiting == 0 {
                self.emit(Effect::ToFrame { key, msg: ToAgent::Refresh });
            }
            return;
        }
        self.ports.insert(key, port);
        self.port_tokens.insert(key, token);
        // An agent that reported to this worker and was not recognized
        // (yet) reports again when its page changes: nothing to ask.
        if self.frames.contains_key(&key) {
            self.push_view(key);
        }
    }

    /// The agent of `key` reported its `token`: the panel waiting with it is
    /// the frame's panel; the others waiting there are not.
    fn bind_waiting(&mut self, key: FrameKey, token: &str) {
        if !self.unbound.iter().any(|u| u.0 == key) {
            return;
        }
        let (mine, rest): (Vec<_>, Vec<_>) = self.unbound.drain(..).partition(|u| u.0 == key);
        self.unbound = rest;
        for (_, port, t) in mine {
            if t == token {
                self.ports.insert(key, port);
                self.port_tokens.insert(key, t);
            } else {
                self.emit(Effect::Warn("refused a panel without this frame's token".into()));
                self.emit(Effect::Disconnect { port });
            }
        }
    }

    /// Restores what `storage.session` kept when the worker starts again.
    fn restore(&mut self, saved: Snapshot) {
        match saved.vault {
            Some(Some(entries)) => {
                self.vault.restore(entries, self.now);
            }
            Some(None) => self.emit(Effect::Warn("ignored an unreadable saved vault".into())),
            None => {}
        }
        match saved.progress {
            Some(Some(p)) => self.progress = crate::report::Progress::restore(p),
            Some(None) => self.emit(Effect::Warn("ignored unreadable saved progress".into())),
            None => {}
        }
        for (key, c) in &saved.numbers {
            let Some(console) = CONSOLES.into_iter().find(|c| dock_key(*c) == *key) else { continue };
            if c.fract() == 0.0 && (0.0..f64::from(protocol::DOCK_CORNERS)).contains(c) {
                self.docks[console as usize] = *c as u8;
            }
        }
        for (key, text) in &saved.texts {
            if key == SEEN_DC_KEY {
                if let Some(dc) = DataCenter::ALL.into_iter().find(|d| d.id() == text) {
                    self.seen_dc = Some(dc);
                }
            } else if key == POPUP_PICK_KEY {
                if let Some(i) = catalog::integration(text) {
                    self.popup_pick = Some(i.id);
                }
            } else if let Some(tab) = key.strip_prefix("pick:").and_then(|t| t.parse::<i64>().ok()) {
                if let Some(i) = catalog::integration(text) {
                    self.picks.insert(tab, i.id);
                }
            }
        }
    }

    /// `tabs.onRemoved`: forget the tab's state.
    fn tab_closed(&mut self, tab: i64) {
        self.frames.retain(|k, _| k.0 != tab);
        self.drifts.retain(|k, _| k.0 != tab);
        self.ports.retain(|k, _| k.0 != tab);
        self.tokens.retain(|k, _| k.0 != tab);
        self.port_tokens.retain(|k, _| k.0 != tab);
        self.unbound.retain(|u| u.0 .0 != tab);
        self.picks.remove(&tab);
        self.budget.forget_tab(tab);
        self.emit(Effect::Unstore { key: pick_key(tab) });
    }

    /// The Workato data center checks and fills use (chosen, else seen).
    fn data_center_known(&self) -> Option<settings::DataCenterKnown> {
        settings::data_center_in_effect(self.data_center, self.seen_dc)
    }

    /// The admin's custom hosts in effect (for recognition and the fill guard).
    fn custom_hosts(&self) -> &[settings::CustomHost] {
        &self.settings.settings.custom_hosts
    }

    fn notice(&mut self, key: FrameKey, ok: bool, text: impl Into<String>) {
        if let Some(f) = self.frames.get_mut(&key) {
            f.notice = Some(Notice { ok, text: text.into() });
        }
    }
}

/// Actions that move a value (Capture, Fill, "Replace them too", Bind, Copy):
/// they act only when the panel is visibly there (`clickguard`).
fn guarded(action: &Action) -> bool {
    matches!(action, Action::Capture { .. } | Action::Fill { .. } | Action::Bind { .. } | Action::Copy { .. })
}
