//! The background's browser side: turns browser events into
//! [`session::Input`]s and runs the [`Effect`]s the session returns. Every
//! decision is in `crate::session`; each function here reads as "turn this
//! event into an input" or "run this effect".
//!
//! `extension/background.js` registers the listeners synchronously (an MV3
//! service worker must) and hands every event to the functions here.

use std::cell::RefCell;
use crate::vecmap::VecMap;

use wasm_bindgen::prelude::*;

use super::{api, call, fire, get_path, swallow, to_js, warn};
use crate::protocol::{self, Reply, ToAgent};
use crate::session::{self, Answer, Answered, Effect, Expect, FrameKey, Heard, Input, PortId, Session, Stored, Ticket};

/// The session, and what only the web side can hold: the overlay ports and
/// the resolvers of replies that come later.
struct Web {
    session: Session,
    ports: VecMap<PortId, JsValue>,
    next_port: PortId,
    waiting: VecMap<Ticket, js_sys::Function>,
}

thread_local! {
    static WEB: RefCell<Web> = RefCell::new({
        // The engine's own use of catalog prose (progress, the report) reads
        // _locales like the rest of the UI (the wasm carries keys only).
        crate::catalog::text::set_resolver(super::i18n::catalog);
        Web {
            session: Session::new(super::i18n::tf),
            ports: VecMap::new(),
            next_port: 1,
            waiting: VecMap::new(),
        }
    });
}

pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Hands one input to the session; returns its answer and effects.
fn step(input: Input) -> (Answered, Vec<Effect>) {
    WEB.with(|w| w.borrow_mut().session.handle(input, now_ms()))
}

/// Hands one input to the session and runs its effects.
pub(crate) fn feed(input: Input) {
    let (_, effects) = step(input);
    effects.into_iter().for_each(run);
}

/// Hands one input to the session, runs its effects and returns the reply
/// (a promise of it when it comes later).
pub(crate) fn reply_to(input: Input) -> JsValue {
    let (answered, effects) = step(input);
    let out = match answered {
        Answered::Now(reply) => to_js(&reply),
        Answered::Report { markdown, report, file } => {
            let json = js_sys::JSON::stringify_with_replacer_and_space(&to_js(&*report), &JsValue::NULL, &2.into())
                .ok()
                .and_then(|j| j.as_string())
                .unwrap_or_default();
            to_js(&Reply::Report { markdown, json, file })
        }
        Answered::Later(ticket) => js_sys::Promise::new(&mut |resolve, _| {
            WEB.with(|w| w.borrow_mut().waiting.insert(ticket, resolve));
        })
        .into(),
        Answered::Nothing => JsValue::UNDEFINED,
    };
    effects.into_iter().for_each(run);
    out
}

/// Runs one effect.
fn run(effect: Effect) {
    match effect {
        Effect::ToFrame { key, msg } => send_to_agent(key, &msg),
        Effect::ToTab { tab, msg } => {
            let env = to_js(&protocol::Envelope::new(msg));
            fire(&["tabs", "sendMessage"], &[JsValue::from_f64(tab as f64), env]);
        }
        Effect::Ask { key, msg, expect, timeout_ms, ticket } => ask(key, msg, expect, timeout_ms, ticket),
        Effect::ToggleActiveTab => toggle_active_tab(),
        Effect::Post { port, msg } => {
            let Some(p) = WEB.with(|w| w.borrow().ports.get(&port).cloned()) else { return };
            if call(&p, &["postMessage"], &[to_js(&protocol::Envelope::new(msg))]).is_err() {
                WEB.with(|w| w.borrow_mut().ports.remove(&port));
                feed(Input::Disconnected { port });
            }
        }
        Effect::Disconnect { port } => {
            if let Some(p) = WEB.with(|w| w.borrow_mut().ports.remove(&port)) {
                let _ = call(&p, &["disconnect"], &[]);
            }
        }
        Effect::Store { key, value } => {
            let value = match value {
                Stored::Vault(entries) => to_js(&entries), // wiped on drop
                Stored::Progress(p) => to_js(&p),
                Stored::Text(t) => t.into(),
                Stored::Number(n) => n.into(),
                Stored::Secret(s) => s.reveal().into(),
            };
            session_set(&key, value);
        }
        Effect::Unstore { key } => {
            fire(&["storage", "session", "remove"], &[key.into()]);
        }
        Effect::SetAlarm { name, when_ms } => {
            let opts = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&opts, &"when".into(), &JsValue::from_f64(when_ms as f64));
            fire(&["alarms", "create"], &[name.into(), opts.into()]);
        }
        Effect::WriteClipboard { text, ticket } => super::carry::write_clipboard(text, ticket),
        Effect::ClearClipboard => super::carry::clear_clipboard(),
        Effect::ProbeHosts { patterns, revoke, ticket } => super::ui::probe_hosts(patterns, revoke, ticket),
        Effect::SyncScripts { unregister, register, ticket } => super::ui::sync_scripts(unregister, register, ticket),
        Effect::SaveSettings { settings, ticket } => super::ui::save_settings(settings, ticket),
        Effect::LoadAgent { key, ticket } => load_agent(key, ticket),
        Effect::Answer { ticket, reply } => {
            if let Some(resolve) = WEB.with(|w| w.borrow_mut().waiting.remove(&ticket)) {
                let _ = resolve.call1(&JsValue::UNDEFINED, &to_js(&reply));
            }
        }
        Effect::Warn(why) => warn(&why),
    }
}

/// `scripting.executeScript` of `agent-main.js` into one frame; the outcome
/// goes back to the session.
fn load_agent(key: FrameKey, ticket: Ticket) {
    let target = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&target, &"tabId".into(), &JsValue::from_f64(key.0 as f64));
    let frames: js_sys::Array = [JsValue::from_f64(key.1 as f64)].into_iter().collect();
    let _ = js_sys::Reflect::set(&target, &"frameIds".into(), &frames);
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"target".into(), &target);
    let files: js_sys::Array = [JsValue::from_str("agent-main.js")].into_iter().collect();
    let _ = js_sys::Reflect::set(&opts, &"files".into(), &files);
    let _ = js_sys::Reflect::set(&opts, &"injectImmediately".into(), &JsValue::TRUE);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = super::call_async(&["scripting", "executeScript"], &[opts.into()]).await.is_ok();
        feed(Input::Answer { ticket, answer: Answer::Loaded(ok) });
    });
}

fn session_set(key: &str, value: JsValue) {
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &key.into(), &value);
    fire(&["storage", "session", "set"], &[entry.into()]);
}

fn num(v: &JsValue) -> Option<i64> {
    v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)
}

/// The browser's facts about a message's sender: tab and frame ids, the
/// frame's URL, the tab's URL, and our own origin.
fn sender_of(sender: &JsValue) -> session::Sender {
    session::Sender {
        tab: num(&get_path(sender, &["tab", "id"])),
        frame: num(&get_path(sender, &["frameId"])).unwrap_or(0),
        url: get_path(sender, &["url"]).as_string().unwrap_or_default(),
        top_url: get_path(sender, &["tab", "url"]).as_string(),
        own_origin: call(&api(), &["runtime", "getURL"], &["".into()])
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
    }
}

/// Handles one `runtime.onMessage` message; the return value is the reply.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_message(msg: JsValue, sender: JsValue) -> JsValue {
    let sender = sender_of(&sender);
    // A page's reports (hello, facts) count against its share before
    // anything is decoded (crate::budget).
    let report = ["hello", "facts"].iter().any(|k| get_path(&msg, &["msg", k]).is_object());
    if let Some(busy) = WEB.with(|w| w.borrow_mut().session.admit(&sender, report, now_ms())) {
        return to_js(&busy);
    }
    let msg = super::inbound::to_background(&msg);
    reply_to(Input::Message { msg, sender })
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

/// Sends `msg` to the frame's agent and hands its answer (decoded as
/// `expect`; `undefined` after `timeout_ms`) back to the session.
fn ask(key: FrameKey, msg: ToAgent, expect: Expect, timeout_ms: Option<u32>, ticket: Ticket) {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"frameId".into(), &JsValue::from_f64(key.1 as f64));
    let env = to_js(&protocol::Envelope::new(msg)); // the message (fill values) is wiped on drop
    let asked = call(&api(), &["tabs", "sendMessage"], &[JsValue::from_f64(key.0 as f64), env, opts.into()]);
    wasm_bindgen_futures::spawn_local(async move {
        let got = match asked {
            Err(_) => Err(()),
            Ok(p) => {
                let p = js_sys::Promise::resolve(&p);
                let p = match timeout_ms {
                    Some(ms) => {
                        let timeout = js_sys::Promise::new(&mut |resolve, _| {
                            let _ = call(&js_sys::global(), &["setTimeout"], &[resolve.into(), ms.into()]);
                        });
                        js_sys::Promise::race(&js_sys::Array::of2(&p, &timeout))
                    }
                    None => p,
                };
                wasm_bindgen_futures::JsFuture::from(p).await.map_err(|_| ())
            }
        };
        use super::inbound;
        let answer = match (expect, got) {
            (Expect::Check, got) => Answer::Check(got.ok().and_then(|v| inbound::check_reply(&v))),
            (Expect::Filled, Err(())) => Answer::Filled(Heard::Silent),
            (Expect::Filled, Ok(v)) => Answer::Filled(inbound::agent_reply(&v).map_or(Heard::Garbled, Heard::Answered)),
            (Expect::Description, Err(())) => Answer::Described(Heard::Silent),
            (Expect::Description, Ok(v)) => {
                Answer::Described(inbound::description(&v).map_or(Heard::Garbled, Heard::Answered))
            }
        };
        feed(Input::Answer { ticket, answer });
    });
}

/// Handles `runtime.onConnect`: an overlay announces itself by its port's
/// name; the port is numbered and kept here.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_connect(port: JsValue) {
    let name = get_path(&port, &["name"]).as_string().unwrap_or_default();
    let sender = sender_of(&get_path(&port, &["sender"]));
    let id = WEB.with(|w| {
        let mut w = w.borrow_mut();
        let id = w.next_port;
        w.next_port += 1;
        w.ports.insert(id, port.clone());
        id
    });
    let on_disconnect = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        WEB.with(|w| w.borrow_mut().ports.remove(&id));
        feed(Input::Disconnected { port: id });
    });
    let _ = call(&port, &["onDisconnect", "addListener"], &[on_disconnect.into_js_value()]);
    feed(Input::Connect { port: id, name, sender });
}

/// Restores session state saved in `storage.session` when the worker
/// starts again.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_restore(saved: JsValue) {
    let vault = get_path(&saved, &["vault"]);
    let progress = get_path(&saved, &["progress"]);
    let mut snapshot = session::Snapshot {
        vault: (!vault.is_undefined() && !vault.is_null()).then(|| super::inbound::vault(&vault)),
        progress: progress.is_object().then(|| super::inbound::progress(&progress)),
        ..Default::default()
    };
    if let Some(obj) = saved.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(obj).iter().filter_map(|k| k.as_string()) {
            if !session::Snapshot::wants(&key) {
                continue;
            }
            let v = js_sys::Reflect::get(&saved, &key.as_str().into()).unwrap_or(JsValue::UNDEFINED);
            if let Some(text) = v.as_string() {
                snapshot.texts.push((key, text));
            } else if let Some(n) = v.as_f64() {
                snapshot.numbers.push((key, n));
            }
        }
    }
    feed(Input::Restore(snapshot));
}

/// Handles `commands.onCommand`.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_command(command: String) {
    feed(Input::Command { command });
}

/// Sends `ToAgent::Toggle` to the active tab (every frame; only recognized
/// ones react).
fn toggle_active_tab() {
    let query = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&query, &"active".into(), &true.into());
    let _ = js_sys::Reflect::set(&query, &"currentWindow".into(), &true.into());
    let Ok(p) = call(&api(), &["tabs", "query"], &[query.into()]) else { return };
    let then = Closure::<dyn FnMut(JsValue)>::new(move |tabs: JsValue| {
        if let Some(tab) = num(&get_path(&tabs, &["0", "id"])) {
            let env = to_js(&protocol::Envelope::new(ToAgent::Toggle));
            fire(&["tabs", "sendMessage"], &[JsValue::from_f64(tab as f64), env]);
        }
    })
    .into_js_value();
    if let Ok(p2) = call(&p, &["then"], &[then]) {
        swallow(p2);
    }
}

/// Handles `tabs.onRemoved`.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_tab_closed(tab: f64) {
    feed(Input::TabClosed { tab: tab as i64 });
}
