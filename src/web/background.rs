//! The background: answers the page agents, keeps per-frame state, and pushes
//! views to the overlays.
//!
//! `extension/background.js` registers the listeners synchronously (an MV3
//! service worker must) and hands every event to the functions here.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;

use super::carry::{self, now_ms};
use super::{api, call, fire, get_path, swallow, to_js, warn};
use crate::catalog::{self, Check, Console, Page};
use crate::checklist::{self, Context, Status};
use crate::protocol::{self, Action, FieldFact, FieldValue, Marker, Notice, PageSpec, Reply, ToAgent, ToBackground, ToOverlay, View};
use crate::recognize;
use crate::resume;
use crate::validate::DataCenter;
use crate::vault::Vault;

pub(crate) type FrameKey = (i64, i64); // (tab id, frame id)

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

pub(crate) struct State {
    pub(crate) frames: HashMap<FrameKey, FrameState>,
    /// Overlay ports, by the agent frame they belong to.
    ports: HashMap<FrameKey, JsValue>,
    /// The integration the admin picked, per tab.
    picks: HashMap<i64, &'static str>,
    /// The corner the admin docked the panel to, per console (memory +
    /// storage.session): the next page of that console opens it there.
    docks: [u8; CONSOLES.len()],
    /// Captured values (memory; mirrored to storage.session).
    pub(crate) vault: Vault,
    /// The Workato data center the admin chose (options or policy); `None`
    /// until chosen: unknown is not US.
    pub(crate) data_center: Option<DataCenter>,
    /// The data center of the Workato host keyferry last recognized a page
    /// on, this browser session (memory + storage.session, never local).
    pub(crate) seen_dc: Option<DataCenter>,
    /// Settings in effect (storage.local + storage.managed), see `ui`.
    pub(crate) settings: crate::settings::Effective,
    /// What the two storage areas hold, each checked.
    pub(crate) settings_local: crate::settings::Partial,
    pub(crate) settings_managed: crate::settings::Partial,
    /// Custom hosts: (host, permission granted, content script registered).
    pub(crate) host_status: Vec<(String, bool, bool)>,
    /// Checklists seen per integration and page (memory + storage.session).
    pub(crate) progress: crate::report::Progress,
    /// The route last seen per integration (a page only one route has):
    /// names the route on pages both routes share. Memory only.
    last_route: HashMap<&'static str, &'static str>,
    /// The integration last shown on a page, and the one picked in the popup.
    pub(crate) last_active: Option<&'static str>,
    pub(crate) popup_pick: Option<&'static str>,
    /// Clicks kept until the frame reports to this (restarted) background.
    pending: HashMap<FrameKey, crate::resume::Pending>,
    /// Frames whose URL is a candidate but whose page is not recognized:
    /// (URL, what was expected and not found). Booleans only, no values.
    pub(crate) drifts: HashMap<FrameKey, (String, crate::drift::Drift)>,
    /// The panel token each agent reported (`clickguard`): only the panel
    /// that presents it gets views and has its clicks carried out.
    tokens: HashMap<FrameKey, String>,
    /// The token each connected panel presented.
    port_tokens: HashMap<FrameKey, String>,
    /// What a kept click (`pending`) came with: its visibility facts and token.
    pending_guard: HashMap<FrameKey, (Option<crate::clickguard::PanelFacts>, Option<String>)>,
    /// The work each frame and tab may cause (hello and facts reports).
    budget: crate::budget::Budget,
}

impl Default for State {
    fn default() -> Self {
        State {
            frames: HashMap::new(),
            ports: HashMap::new(),
            picks: HashMap::new(),
            docks: [0; CONSOLES.len()],
            vault: Vault::default(),
            data_center: None,
            seen_dc: None,
            settings: crate::settings::Effective::merge(Default::default(), Default::default()),
            settings_local: Default::default(),
            settings_managed: Default::default(),
            host_status: Vec::new(),
            progress: Default::default(),
            last_route: HashMap::new(),
            last_active: None,
            popup_pick: None,
            pending: HashMap::new(),
            drifts: HashMap::new(),
            tokens: HashMap::new(),
            port_tokens: HashMap::new(),
            pending_guard: HashMap::new(),
            budget: Default::default(),
        }
    }
}

thread_local! {
    pub(crate) static STATE: RefCell<State> = RefCell::new(State::default());
}

fn num(v: &JsValue) -> Option<i64> {
    v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)
}

/// Who sent a message: tab and frame ids, the frame's URL, and whether it is
/// one of our own extension pages.
struct Sender {
    tab: Option<i64>,
    frame: i64,
    url: String,
    extension_page: bool,
    /// The popup or the options page (not the overlay).
    ui_page: bool,
    /// The URL of the tab's top frame, as the browser says.
    top_url: Option<String>,
}

impl Sender {
    fn read(sender: &JsValue) -> Sender {
        let url = get_path(sender, &["url"]).as_string().unwrap_or_default();
        let own_origin =
            call(&api(), &["runtime", "getURL"], &["".into()]).ok().and_then(|v| v.as_string()).unwrap_or_default();
        Sender {
            tab: num(&get_path(sender, &["tab", "id"])),
            frame: num(&get_path(sender, &["frameId"])).unwrap_or(0),
            extension_page: !own_origin.is_empty() && url.starts_with(&own_origin),
            ui_page: !own_origin.is_empty()
                && url.strip_prefix(&own_origin).is_some_and(|p| {
                    let path = p.split(['?', '#']).next().unwrap_or("");
                    path == "popup.html" || path == "options.html"
                }),
            url,
            top_url: get_path(sender, &["tab", "url"]).as_string(),
        }
    }
}

/// Both are console URLs (https, default port) on the same host.
fn same_origin(a: &str, b: &str) -> bool {
    match (recognize::Location::parse(a), recognize::Location::parse(b)) {
        (Some(a), Some(b)) => a.host == b.host,
        _ => false,
    }
}

/// Handles one `runtime.onMessage` message; the return value is the reply.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_message(msg: JsValue, sender: JsValue) -> JsValue {
    let sender = Sender::read(&sender);
    // A page's reports (hello, facts) count against its frame's and tab's
    // share before anything is decoded or evaluated (crate::budget).
    if let Some(tab) = sender.tab.filter(|_| !sender.extension_page) {
        let report = ["hello", "facts"].iter().any(|k| get_path(&msg, &["msg", k]).is_object());
        if report {
            let admit = STATE.with(|s| s.borrow_mut().budget.admit(tab, sender.frame, now_ms()));
            if let crate::budget::Admit::Busy { retry_ms } = admit {
                return to_js(&Reply::Busy { retry_ms });
            }
        }
    }
    let decoded = protocol::decode(serde_wasm_bindgen::Deserializer::from(msg));
    let reply = match decoded {
        Err(why) => {
            warn(&format!("refused a message: {why}"));
            Reply::Error { reason: why.to_string() }
        }
        Ok(ToBackground::Ui { request }) if sender.ui_page => return super::ui::request(request),
        Ok(ToBackground::Ui { .. }) => Reply::Error { reason: "only the popup and options pages ask this".into() },
        Ok(msg) => handle(msg, &sender),
    };
    to_js(&reply)
}

fn handle(msg: ToBackground, sender: &Sender) -> Reply {
    match msg {
        ToBackground::Hello { url, .. } => {
            // The agent's URL must be on the frame the browser says it is on.
            if sender.extension_page || !same_origin(&url, &sender.url) {
                return Reply::Specs { candidates: Vec::new() };
            }
            let custom = super::ui::custom_hosts();
            if let Some(tab) = sender.tab {
                // A new document or URL in this frame: its old drift is gone.
                STATE.with(|s| s.borrow_mut().drifts.remove(&(tab, sender.frame)));
            }
            let candidates = recognize::candidates(&url, &custom).into_iter().map(PageSpec::of).collect();
            Reply::Specs { candidates }
        }
        ToBackground::Facts { url, candidates, token } => {
            let Some(tab) = sender.tab.filter(|_| !sender.extension_page && same_origin(&url, &sender.url)) else {
                return Reply::Error { reason: "facts from an unexpected sender".into() };
            };
            let key = (tab, sender.frame);
            if let Some(t) = token.filter(|t| !t.is_empty()) {
                STATE.with(|s| s.borrow_mut().tokens.insert(key, t));
            }
            let page = recognize::recognize(&url, &candidates, &super::ui::custom_hosts());
            let drift = crate::drift::unrecognized(&url, &candidates, &super::ui::custom_hosts());
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                match drift {
                    Some(d) => s.drifts.insert(key, (url.clone(), d)),
                    None => s.drifts.remove(&key),
                }
            });
            let facts = page
                .and_then(|p| candidates.into_iter().find(|c| c.page == p.id))
                .map(|c| c.fields)
                .unwrap_or_default();
            let markers = match page {
                Some(p) => {
                    let markers = markers_for(p, tab, &facts);
                    STATE.with(|s| {
                        let mut s = s.borrow_mut();
                        let same = s.frames.get(&key).filter(|f| f.page.id == p.id);
                        let collapsed = same.is_some_and(|f| f.collapsed);
                        let notice = same.and_then(|f| f.notice.clone());
                        let framed = !crate::clickguard::frame_allowed(
                            p.console,
                            sender.frame == 0,
                            &url,
                            sender.top_url.as_deref(),
                        );
                        s.frames.insert(key, FrameState { page: p, url: url.clone(), facts, collapsed, notice, framed });
                    });
                    markers
                }
                None => {
                    STATE.with(|s| s.borrow_mut().frames.remove(&key));
                    Vec::new()
                }
            };
            if let Some(p) = page {
                record_progress(key);
                note_data_center(p, &url);
            }
            push_view(key);
            resume_pending(key);
            let dock = page.map_or(0, |p| STATE.with(|s| s.borrow().docks[p.console as usize]));
            Reply::Verdict { page: page.map(|p| p.id), frame: sender.frame, markers, dock }
        }
        ToBackground::Ui { .. } => Reply::Error { reason: "only the popup and options pages ask this".into() },
        ToBackground::OverlayAction { frame, action, basis, click, token } => {
            let Some(tab) = sender.tab.filter(|_| sender.extension_page) else {
                return Reply::Error { reason: "overlay actions come only from the overlay".into() };
            };
            let key = (tab, frame);
            let expected = STATE.with(|s| s.borrow().tokens.get(&key).cloned());
            if expected.is_some() && expected != token {
                // A panel the agent did not create for this frame (a page
                // that framed overlay.html itself): nothing it asks is done.
                warn("refused an action from a panel without this frame's token");
                return Reply::Error { reason: super::i18n::t("notice_guard_unbound") };
            }
            let known = STATE.with(|s| s.borrow().frames.contains_key(&key));
            if !known && resume::deferrable(&action) {
                // A restarted worker (or a replaced core) has not heard from
                // this page yet: keep the click, have the page read again,
                // and decide once it reported (see `resume_pending`).
                let pending = resume::Pending { action, basis, at_ms: now_ms() };
                STATE.with(|s| {
                    let mut s = s.borrow_mut();
                    s.pending.insert(key, pending);
                    s.pending_guard.insert(key, (click, token));
                });
                send_to_agent(key, &ToAgent::Refresh);
                return Reply::Pending { reason: super::i18n::t("notice_resuming") };
            }
            if view_for(key).is_some_and(|v| resume::stale_overwrite(&action, basis.as_deref(), &v)) {
                // The admin agreed to replace other fields than the form now
                // holds: show the current form and let them decide again.
                push_view(key);
                return Reply::Error { reason: super::i18n::t("notice_changed") };
            }
            if guarded(&action) {
                check_then_act(key, action, click);
                return Reply::Ack;
            }
            overlay_action(key, action)
        }
    }
}

/// Carries out or refuses the click kept for `key` while the restarted
/// background had not heard from the page, now that the page reported.
fn resume_pending(key: FrameKey) {
    let Some(pending) = STATE.with(|s| s.borrow_mut().pending.remove(&key)) else { return };
    let (click, token) = STATE.with(|s| s.borrow_mut().pending_guard.remove(&key)).unwrap_or((None, None));
    let expected = STATE.with(|s| s.borrow().tokens.get(&key).cloned());
    let reason = match resume::decide(&pending, view_for(key).as_ref(), now_ms()) {
        resume::Resume::Run(_) if expected.is_some() && expected != token => super::i18n::t("notice_guard_unbound"),
        resume::Resume::Run(action) if guarded(&action) => {
            check_then_act(key, action, click);
            return;
        }
        resume::Resume::Run(action) => match overlay_action(key, action) {
            Reply::Error { reason } => reason,
            _ => return,
        },
        resume::Resume::Refuse(resume::Refusal::ValuesChanged) => super::i18n::t("notice_changed"),
        resume::Resume::Refuse(_) => super::i18n::t("notice_restarted"),
    };
    STATE.with(|s| {
        if let Some(f) = s.borrow_mut().frames.get_mut(&key) {
            f.notice = Some(Notice { ok: false, text: reason });
        }
    });
    push_view(key);
}

/// Actions that move a value (Capture, Fill, "Replace them too", Bind, Copy):
/// they act only when the panel is visibly there (`clickguard`).
fn guarded(action: &Action) -> bool {
    matches!(action, Action::Capture { .. } | Action::Fill { .. } | Action::Bind { .. } | Action::Copy { .. })
}

/// Asks the agent what the page does to the panel at the click, lets the core
/// decide (`clickguard::decide`), then carries out the action or says in the
/// panel why not.
fn check_then_act(key: FrameKey, action: Action, click: Option<crate::clickguard::PanelFacts>) {
    wasm_bindgen_futures::spawn_local(async move {
        let page = match click {
            Some(c) => ask_check(key, c.x, c.y).await,
            None => None,
        };
        let framed_ok = STATE.with(|s| s.borrow().frames.get(&key).is_some_and(|f| !f.framed));
        let panel = click.unwrap_or(crate::clickguard::PanelFacts { tracked: false, visible_ms: None, x: 0.0, y: 0.0 });
        match crate::clickguard::decide(&panel, page.as_ref(), framed_ok) {
            Ok(()) => {
                if let Reply::Error { reason } = overlay_action(key, action) {
                    carry::set_notice(key, false, reason);
                    push_view(key);
                }
            }
            Err(why) => {
                warn(&format!("refused a click: {why:?}"));
                carry::set_notice(key, false, refusal_text(why));
                push_view(key);
            }
        }
    });
}

/// The panel's problem notice for a refused click.
fn refusal_text(why: crate::clickguard::Refusal) -> String {
    use crate::clickguard::Refusal;
    match why {
        Refusal::NoAnswer => super::i18n::t("notice_guard_no_answer"),
        Refusal::NotVisible => super::i18n::t("notice_guard_not_visible"),
        Refusal::Moved => super::i18n::t("notice_guard_moved"),
        Refusal::Covered => super::i18n::t("notice_guard_covered"),
        Refusal::TooSoon => super::i18n::t("notice_guard_too_soon"),
        Refusal::Framed => super::i18n::t("notice_guard_framed"),
    }
}

/// The agent's `clickguard::PageFacts` for a click at (x, y) of its panel;
/// `None` if it does not answer within two seconds.
async fn ask_check(key: FrameKey, x: f64, y: f64) -> Option<crate::clickguard::PageFacts> {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"frameId".into(), &JsValue::from_f64(key.1 as f64));
    let env = to_js(&protocol::Envelope::new(ToAgent::Check { x, y }));
    let asked = call(&api(), &["tabs", "sendMessage"], &[JsValue::from_f64(key.0 as f64), env, opts.into()]).ok()?;
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = call(&js_sys::global(), &["setTimeout"], &[resolve.into(), JsValue::from_f64(2_000.0)]);
    });
    let race = js_sys::Promise::race(&js_sys::Array::of2(&js_sys::Promise::resolve(&asked), &timeout));
    let answer = wasm_bindgen_futures::JsFuture::from(race).await.ok()?;
    protocol::decode_check_reply(serde_wasm_bindgen::Deserializer::from(answer))
}

fn overlay_action(key: FrameKey, action: Action) -> Reply {
    let integration = STATE.with(|s| {
        let s = s.borrow();
        s.frames.get(&key).map(|f| (f.page, f.facts.clone()))
    })
    .and_then(|(page, facts)| integration_for(page, key.0, &facts));
    match action {
        Action::Copy { field } => return carry::copy(key, &field, integration),
        Action::Capture { slot } => {
            carry::capture(key, &slot, integration);
            push_view(key);
        }
        Action::Forget { slot } => {
            carry::forget(key, slot.as_deref(), integration);
            push_view(key);
        }
        Action::Fill { overwrite } => {
            carry::start_fill(key, overwrite, integration);
            push_view(key);
        }
        Action::Bind { org } => {
            carry::bind_and_fill(key, &org, integration);
            push_view(key);
        }
        Action::Pick { integration } => {
            if let Some(i) = catalog::integration(&integration) {
                STATE.with(|s| s.borrow_mut().picks.insert(key.0, i.id));
                // Remember it for the tab session (memory-only storage).
                let entry = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&entry, &pick_key(key.0).into(), &i.id.into());
                fire(&["storage", "session", "set"], &[entry.into()]);
            }
            push_view(key);
            // The page's markers depend on the integration: have them redrawn.
            send_to_agent(key, &ToAgent::Refresh);
        }
        Action::Focus { item } => {
            let target = STATE.with(|s| {
                let s = s.borrow();
                let page = s.frames.get(&key)?.page;
                let field = page.requirements.iter().find(|r| r.id == item)?.field?;
                Some((page.id, field))
            });
            if let Some((page, field)) = target {
                send_to_agent(key, &ToAgent::Focus { page, field });
            }
        }
        Action::Collapse { collapsed } => {
            STATE.with(|s| {
                if let Some(f) = s.borrow_mut().frames.get_mut(&key) {
                    f.collapsed = collapsed;
                }
            });
            push_view(key);
        }
        Action::Dismiss => {
            STATE.with(|s| s.borrow_mut().frames.remove(&key));
            send_to_agent(key, &ToAgent::Dismiss);
        }
        Action::Dock => {
            // Next corner, remembered for this console for the browser session.
            let console = STATE.with(|s| s.borrow().frames.get(&key).map(|f| f.page.console));
            let Some(console) = console else { return Reply::Ack }; // unknown frames are refused above
            let corner = STATE.with(|s| {
                let mut s = s.borrow_mut();
                let c = &mut s.docks[console as usize];
                *c = protocol::next_dock(*c);
                *c
            });
            let entry = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&entry, &dock_key(console).into(), &JsValue::from(corner));
            fire(&["storage", "session", "set"], &[entry.into()]);
            send_to_agent(key, &ToAgent::Dock { corner });
        }
        Action::Fit { height } => {
            // Fixed while expanded: the host's size must not follow what the panel holds.
            let collapsed = STATE.with(|s| s.borrow().frames.get(&key).is_some_and(|f| f.collapsed));
            send_to_agent(key, &ToAgent::Fit { height: protocol::panel_height(collapsed, height) })
        }
        Action::Signature => {
            wasm_bindgen_futures::spawn_local(async move {
                let (ok, text) = match carry::copy_signature(key).await {
                    Ok(()) => (true, super::i18n::t("notice_signature_copied")),
                    Err(why) => (false, why),
                };
                carry::set_notice(key, ok, text);
                push_view(key);
            });
        }
    }
    Reply::Ack
}

/// The session storage key of the data center seen on a Workato host.
const SEEN_DC_KEY: &str = "seen_dc";

impl State {
    /// The Workato data center checks and fills use (chosen, else seen).
    pub(crate) fn data_center_known(&self) -> Option<crate::settings::DataCenterKnown> {
        crate::settings::data_center_in_effect(self.data_center, self.seen_dc)
    }
}

/// Remembers the data center of a recognized Workato page (for this browser
/// session only) and redraws the panels when it changed, since it decides
/// which callback is right on Okta's wizard.
fn note_data_center(page: &'static Page, url: &str) {
    let changed = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let now = crate::settings::note_seen(s.seen_dc, page, url);
        let changed = now != s.seen_dc;
        s.seen_dc = now;
        changed.then_some(now)
    });
    let Some(Some(dc)) = changed else { return };
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &SEEN_DC_KEY.into(), &dc.id().into());
    fire(&["storage", "session", "set"], &[entry.into()]);
    push_all_views();
}

/// Records the page's checklist for every integration that uses it (for the
/// popup's cross-console progress), after the frame's facts were stored.
fn record_progress(key: FrameKey) {
    let Some((page, url, facts)) =
        STATE.with(|s| s.borrow().frames.get(&key).map(|f| (f.page, f.url.clone(), f.facts.clone())))
    else {
        return;
    };
    let Some(host) = recognize::Location::parse(&url).map(|l| l.host) else { return };
    let active = integration_for(page, key.0, &facts);
    let now = now_ms();
    for i in catalog::integrations_for_page(page.id) {
        let c = evaluate_for(page, Some(i), &facts);
        STATE.with(|s| s.borrow_mut().progress.record(i.id, &c, &host, now));
    }
    if let Some(i) = active {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            // Working on another integration in a page: the popup follows.
            if s.last_active != Some(i.id) {
                s.popup_pick = None;
            }
            s.last_active = Some(i.id);
        });
    }
    super::ui::persist_progress();
}

/// Asks every agent of a tab to report again (the popup asked about a tab
/// this worker knows nothing of, e.g. after a restart: drift is kept in
/// memory only). A tab without an agent answers with an error, ignored.
pub(crate) fn refresh_tab(tab: i64) {
    let known = STATE.with(|s| {
        let s = s.borrow();
        s.frames.keys().chain(s.drifts.keys()).any(|k| k.0 == tab)
    });
    if known {
        return;
    }
    let env = to_js(&protocol::Envelope::new(ToAgent::Refresh));
    fire(&["tabs", "sendMessage"], &[JsValue::from_f64(tab as f64), env]);
}

fn send_to_agent(key: FrameKey, msg: &ToAgent) {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"frameId".into(), &JsValue::from_f64(key.1 as f64));
    let env = to_js(&protocol::Envelope::new(msg));
    match call(&api(), &["tabs", "sendMessage"], &[JsValue::from_f64(key.0 as f64), env, opts.into()]) {
        Ok(p) => swallow(p),
        Err(_) => warn("could not reach the page agent"),
    }
}

/// The integration to show: the admin's pick for the tab, or the only one,
/// or (on Workato) the one matching the chosen authentication type.
pub(crate) fn integration_for(page: &'static Page, tab: i64, facts: &[FieldFact]) -> Option<&'static catalog::Integration> {
    let options: Vec<_> = catalog::integrations_for_page(page.id).collect();
    if let Some(pick) = STATE.with(|s| s.borrow().picks.get(&tab).copied()) {
        if let Some(i) = options.iter().find(|i| i.id == pick) {
            return Some(i);
        }
    }
    if options.len() == 1 {
        return options.first().copied();
    }
    let auth = facts.iter().find(|f| f.key == "auth_type").and_then(|f| match &f.value {
        Some(FieldValue::Choice(c)) | Some(FieldValue::Text(c)) => Some(checklist::fold(c)),
        _ => None,
    })?;
    options.into_iter().find(|i| i.auth_type.is_some_and(|a| !auth.is_empty() && checklist::fold(a.workato_label()) == auth))
}

fn evaluate(page: &'static Page, tab: i64, facts: &[FieldFact]) -> checklist::Checklist {
    let integration = integration_for(page, tab, facts);
    evaluate_for(page, integration, facts)
}

/// Evaluates with what the vault knows: captured values to compare with,
/// the Okta org they came from, and the Workato data center.
pub(crate) fn evaluate_for(
    page: &'static Page,
    integration: Option<&'static catalog::Integration>,
    facts: &[FieldFact],
) -> checklist::Checklist {
    let now = now_ms();
    STATE.with(|s| {
        let s = s.borrow();
        let id = integration.map_or("", |i| i.id);
        let dc = s.data_center_known();
        let ctx = Context {
            data_center: dc.map(|k| k.data_center()),
            data_center_seen: matches!(dc, Some(crate::settings::DataCenterKnown::Seen(_))),
            okta_domain: s.vault.okta_org(id, now),
            captured: s.vault.lookup(id, now),
        };
        checklist::evaluate(page, integration, facts, &ctx)
    })
}

fn markers_for(page: &'static Page, tab: i64, facts: &[FieldFact]) -> Vec<Marker> {
    evaluate(page, tab, facts)
        .items
        .into_iter()
        .filter_map(|i| {
            let field = i.field?;
            let checkable = page.requirements.iter().any(|r| r.id == i.id && !matches!(r.check, Check::Note));
            match i.status {
                Status::Ok if checkable => Some(Marker { field, ok: true, message: i.message.unwrap_or_default() }),
                Status::Wrong => Some(Marker {
                    field,
                    ok: false,
                    message: [i.message, i.fix].into_iter().flatten().collect::<Vec<_>>().join(" "),
                }),
                _ => None,
            }
        })
        .collect()
}

fn view_for(key: FrameKey) -> Option<View> {
    let (page, facts, collapsed, notice, url) = STATE.with(|s| {
        let s = s.borrow();
        let f = s.frames.get(&key)?;
        Some((f.page, f.facts.clone(), f.collapsed, f.notice.clone(), f.url.clone()))
    })?;
    let integration = integration_for(page, key.0, &facts);
    let route = integration.and_then(|i| {
        let own = catalog::routes::only_route_with(i.id, page.id);
        if let Some(r) = own {
            STATE.with(|s| s.borrow_mut().last_route.insert(i.id, r.id));
        }
        let last = STATE.with(|s| s.borrow().last_route.get(i.id).copied());
        catalog::routes::route_for(i.id, page.id, last)
    });
    let step = match route {
        Some(r) => catalog::routes::step(r, page.id),
        None => integration.and_then(|i| {
            let n = i.steps.iter().position(|st| st.page == page.id)?;
            Some((n + 1, i.steps.len()))
        }),
    };
    let host = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_owned));
    let routes = integration
        .map(|i| {
            catalog::routes::of(i.id)
                .map(|r| {
                    let current = route.is_some_and(|c| std::ptr::eq(c, r));
                    // A link only to another route's start on this console.
                    let link = (!current && page.console == Console::Salesforce)
                        .then(|| host.as_deref().map(|h| r.start.replace("{org}", h)))
                        .flatten();
                    protocol::RouteLine { id: r.id, title: r.title, note: r.note, default: r.default, current, link }
                })
                .collect()
        })
        .unwrap_or_default();
    let (mut captures, mut fill, vault) = carry::views(page, integration, &facts, &url);
    let framed = STATE.with(|s| s.borrow().frames.get(&key).is_some_and(|f| f.framed));
    let notice = if framed {
        // Framed by a page that is not the console's own: no Capture, no
        // Fill, and the panel says why.
        captures.clear();
        fill = None;
        Some(Notice { ok: false, text: super::i18n::t("notice_guard_framed") })
    } else {
        notice
    };
    Some(View {
        page: page.id,
        page_title: page.title,
        console: page.console.label(),
        integrations: catalog::integrations_for_page(page.id).map(|i| (i.id, i.title)).collect(),
        integration: integration.map(|i| i.id),
        step,
        routes,
        checklist: evaluate_for(page, integration, &facts),
        collapsed,
        captures,
        fill,
        vault,
        notice,
        drift: crate::drift::recognized_drift(page, integration, &facts),
        basis: String::new(),
    })
    .map(|mut v| {
        v.basis = resume::basis(&v);
        v
    })
}

/// Re-sends every connected overlay its view (e.g. after values expired).
pub(crate) fn push_all_views() {
    let keys: Vec<FrameKey> = STATE.with(|s| s.borrow().ports.keys().copied().collect());
    keys.into_iter().for_each(push_view);
}

pub(crate) fn push_view(key: FrameKey) {
    let Some(port) = STATE.with(|s| s.borrow().ports.get(&key).cloned()) else { return };
    let bound = STATE.with(|s| {
        let s = s.borrow();
        match s.tokens.get(&key) {
            Some(t) => s.port_tokens.get(&key) == Some(t),
            None => true, // not heard from the agent yet: nothing to show anyway
        }
    });
    if !bound {
        // A panel that did not present the agent's token gets nothing.
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.ports.remove(&key);
            s.port_tokens.remove(&key);
        });
        let _ = call(&port, &["disconnect"], &[]);
        return;
    }
    let msg = match view_for(key) {
        Some(v) => ToOverlay::View(v),
        None => ToOverlay::Gone,
    };
    if call(&port, &["postMessage"], &[to_js(&protocol::Envelope::new(msg))]).is_err() {
        STATE.with(|s| s.borrow_mut().ports.remove(&key));
    }
}

/// Handles `runtime.onConnect`: an overlay announces itself with the port
/// name `overlay:<agent frame id>`.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_connect(port: JsValue) {
    let name = get_path(&port, &["name"]).as_string().unwrap_or_default();
    let sender = Sender::read(&get_path(&port, &["sender"]));
    // `overlay:<agent frame id>:<panel token>` (the token the agent handed
    // the panel it created; see `clickguard`).
    let mut parts = name.strip_prefix("overlay:").unwrap_or("").splitn(2, ':');
    let frame = parts.next().and_then(|f| f.parse::<i64>().ok());
    let token = parts.next().filter(|t| !t.is_empty() && t.len() <= protocol::limits::MAX_TOKEN).map(str::to_owned);
    let (Some(frame), Some(tab), Some(token)) = (frame, sender.tab, token)
    else {
        warn("refused a connection with an unexpected name");
        let _ = call(&port, &["disconnect"], &[]);
        return;
    };
    if !sender.extension_page {
        let _ = call(&port, &["disconnect"], &[]);
        return;
    }
    let key = (tab, frame);
    if STATE.with(|s| s.borrow().tokens.get(&key).is_some_and(|t| *t != token)) {
        // A second panel for this frame, opened by someone else (a page that
        // framed overlay.html): refused; the agent's own panel stays.
        warn("refused a panel without this frame's token");
        let _ = call(&port, &["disconnect"], &[]);
        return;
    }
    // A reloaded panel's old port can report its disconnect after the new
    // port connected: forget a port only if it is still the one on record.
    let on_disconnect = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            if s.ports.get(&key).is_some_and(|cur| js_sys::Object::is(cur, &p)) {
                s.ports.remove(&key);
            }
        });
    });
    let _ = call(&port, &["onDisconnect", "addListener"], &[on_disconnect.into_js_value()]);
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.ports.insert(key, port);
        s.port_tokens.insert(key, token);
    });
    let known = STATE.with(|s| s.borrow().frames.contains_key(&key));
    if known {
        push_view(key);
    } else {
        // The worker restarted and lost its state: ask the agent to report.
        send_to_agent(key, &ToAgent::Refresh);
    }
}

fn pick_key(tab: i64) -> String {
    format!("pick:{tab}")
}

const CONSOLES: [Console; 4] = [Console::Salesforce, Console::Okta, Console::Workflows, Console::Workato];

fn dock_key(console: Console) -> String {
    format!("dock:{}", console.label())
}

/// Restores session state saved in `storage.session` (the integration picked
/// per tab) when the worker starts again.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_restore(saved: JsValue) {
    carry::restore(&saved);
    super::ui::restore(&saved);
    for console in CONSOLES {
        let v = js_sys::Reflect::get(&saved, &dock_key(console).into()).ok().and_then(|v| v.as_f64());
        if let Some(c) = v.filter(|c| c.fract() == 0.0 && (0.0..f64::from(protocol::DOCK_CORNERS)).contains(c)) {
            STATE.with(|s| s.borrow_mut().docks[console as usize] = c as u8);
        }
    }
    let seen = js_sys::Reflect::get(&saved, &SEEN_DC_KEY.into()).ok().and_then(|v| v.as_string());
    if let Some(dc) = seen.and_then(|id| DataCenter::ALL.into_iter().find(|d| d.id() == id)) {
        STATE.with(|s| s.borrow_mut().seen_dc = Some(dc));
    }
    let Some(obj) = saved.dyn_ref::<js_sys::Object>() else { return };
    let keys = js_sys::Object::keys(obj);
    for key in keys.iter().filter_map(|k| k.as_string()) {
        let tab = key.strip_prefix("pick:").and_then(|t| t.parse::<i64>().ok());
        let id = js_sys::Reflect::get(&saved, &key.as_str().into()).ok().and_then(|v| v.as_string());
        if let (Some(tab), Some(i)) = (tab, id.as_deref().and_then(catalog::integration)) {
            STATE.with(|s| s.borrow_mut().picks.insert(tab, i.id));
        }
    }
}

/// Handles `commands.onCommand`: the keyboard shortcut shows or hides the
/// overlay in the active tab (every frame; only recognized ones react).
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_command(command: String) {
    if command != "toggle-overlay" {
        return;
    }
    let query = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&query, &"active".into(), &true.into());
    let _ = js_sys::Reflect::set(&query, &"currentWindow".into(), &true.into());
    let Ok(p) = call(&api(), &["tabs", "query"], &[query.into()]) else { return };
    let then = Closure::<dyn FnMut(JsValue)>::new(move |tabs: JsValue| {
        let tab = num(&get_path(&tabs, &["0", "id"]));
        if let Some(tab) = tab {
            let env = to_js(&protocol::Envelope::new(ToAgent::Toggle));
            fire(&["tabs", "sendMessage"], &[JsValue::from_f64(tab as f64), env]);
        }
    })
    .into_js_value();
    if let Ok(p2) = call(&p, &["then"], &[then]) {
        swallow(p2);
    }
}

/// Handles `tabs.onRemoved`: forget the tab's state.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_tab_closed(tab: f64) {
    let tab = tab as i64;
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.frames.retain(|k, _| k.0 != tab);
        s.drifts.retain(|k, _| k.0 != tab);
        s.ports.retain(|k, _| k.0 != tab);
        s.tokens.retain(|k, _| k.0 != tab);
        s.port_tokens.retain(|k, _| k.0 != tab);
        s.picks.remove(&tab);
        s.budget.forget_tab(tab);
    });
    fire(&["storage", "session", "remove"], &[pick_key(tab).into()]);
}
