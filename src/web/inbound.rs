//! Hand-written readers for what the background receives, straight from the
//! `JsValue` the browser delivers: every `ToBackground` message, the agent's
//! answers (check, fill, description), the vault and progress kept in
//! `storage.session`, and the stored settings. The same approach as the UIs'
//! [`super::decode`] (whose helpers these use), for the same reason: serde's
//! derived `Deserialize` through `serde_wasm_bindgen` cost the background
//! ~37 KB gzip (the visitors, the deserializer, serde's error texts and the
//! float formatting they keep alive); see ARCHITECTURE.md.
//!
//! They accept what serde accepts and refuse what it refuses, as
//! `serde_wasm_bindgen` reads: a struct's fields by name (others ignored, even
//! with `deny_unknown_fields`), a missing `Option` or `#[serde(default)]`
//! field as its default, externally tagged enums as `"unit"` or an object with
//! exactly one key, integers as safe integers. What they do not copy: serde's
//! reason for a refusal (a message is refused as [`MALFORMED`]), a struct
//! written as an array, integers as BigInts. `tests/web.rs` checks both
//! readers agree, message by message.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::decode::{field, from_js_struct, FromJs};
use crate::catalog::Slot;
use crate::clickguard::{PageFacts, PanelFacts};
use crate::drift::{CandidateProbes, Control, Description};
use crate::protocol::agent::AgentReply;
use crate::protocol::facts::{CandidateFacts, FieldFact, FieldValue, Row};
use crate::protocol::overlay::Action;
use crate::protocol::pages::{CustomHostIn, SettingsIn, UiRequest};
use crate::protocol::wire::{Rejection, VERSION};
use crate::protocol::ToBackground;
use crate::report::{PageSeen, Progress, Seen};
use crate::settings::{Loose, Raw, RawHost};
use crate::vault::{Org, SessionEntry};

/// The reason a message that cannot be read is refused with.
pub const MALFORMED: &str = "unknown type, or a missing or mistyped field";

/// A message to the background, checked as [`crate::protocol::decode`] does
/// (version, then size limits).
pub fn to_background(v: &JsValue) -> Result<ToBackground, Rejection> {
    let msg: ToBackground = open(v).ok_or_else(|| Rejection::Malformed(MALFORMED.into()))??;
    msg.check_limits()?;
    Ok(msg)
}

/// The agent's answer to a check ([`crate::protocol::decode_check_reply`]).
pub fn check_reply(v: &JsValue) -> Option<PageFacts> {
    let Checked(facts) = open(v)?.ok()?;
    Some(facts)
}

/// The agent's answer to a fill ([`crate::protocol::decode_agent_reply`]).
pub fn agent_reply(v: &JsValue) -> Result<AgentReply, Rejection> {
    let reply: AgentReply = open(v).ok_or_else(|| Rejection::Malformed(MALFORMED.into()))??;
    crate::protocol::agent::check_agent_reply(reply)
}

/// The agent's description of its frame ([`crate::drift::decode_description`]).
pub fn description(v: &JsValue) -> Result<Description, Rejection> {
    let Described(d) = open(v).ok_or_else(|| Rejection::Malformed("not a page description".into()))??;
    crate::drift::check_description(d)
}

/// `DescribedIn::Described`, the agent's one answer to `Describe`.
struct Described(Description);

impl FromJs for Described {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        (tag == "described").then(|| Description::from_js(&p).map(Described))?
    }
}

/// `CheckReply::Checked`, the agent's one answer to `Check`.
struct Checked(PageFacts);

impl FromJs for Checked {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        (tag == "checked").then(|| PageFacts::from_js(&p).map(Checked))?
    }
}

/// The vault as `storage.session` keeps it.
pub fn vault(v: &JsValue) -> Option<Vec<SessionEntry>> {
    FromJs::from_js(v)
}

/// The progress as `storage.session` keeps it.
pub fn progress(v: &JsValue) -> Option<Progress> {
    FromJs::from_js(v)
}

/// One storage area's settings (an object: the caller checks).
pub fn settings(v: &JsValue) -> Option<Raw> {
    record(v)?;
    Some(Raw {
        data_center: loose_field(v, "data_center"),
        vault_minutes: loose_field(v, "vault_minutes"),
        custom_hosts: loose_field(v, "custom_hosts"),
    })
}

/// What serde_wasm_bindgen reads a struct from: any object, arrays included
/// (their fields, read by name, are missing).
fn record(v: &JsValue) -> Option<()> {
    v.is_object().then_some(())
}

/// `Envelope<T>`: `None` when it cannot be read, `Some(Err)` for another
/// protocol version (serde reads both fields before the version is checked).
fn open<T: FromJs>(v: &JsValue) -> Option<Result<T, Rejection>> {
    record(v)?;
    let (version, msg) = (field::<u32>(v, "v")?, field::<T>(v, "msg")?);
    Some(if version == VERSION { Ok(msg) } else { Err(Rejection::Version(version)) })
}

/// An externally tagged enum's variant name and payload: `"name"` (payload
/// `undefined`) or `{ "name": payload }` with exactly one key.
fn variant(v: &JsValue) -> Option<(String, JsValue)> {
    if let Some(name) = v.as_string() {
        return Some((name, JsValue::UNDEFINED));
    }
    if !v.is_object() {
        return None;
    }
    let entries = Object::entries(v.unchecked_ref());
    if entries.length() != 1 {
        return None;
    }
    let pair: Array = entries.get(0).unchecked_into();
    Some((pair.get(0).as_string()?, pair.get(1)))
}

/// A unit variant's payload: absent, `null` or `undefined`.
fn unit(payload: &JsValue) -> Option<()> {
    payload.is_null_or_undefined().then_some(())
}

/// A field's value, `Some(None)` when the object has no such key (a key
/// present with the value `undefined` has a value, as serde_wasm_bindgen
/// reads it); `None` when it cannot be read at all.
fn own(o: &JsValue, name: &str) -> Option<Option<JsValue>> {
    let key = JsValue::from_str(name);
    let v = Reflect::get(o, &key).ok()?;
    Some((!v.is_undefined() || Reflect::has(o.unchecked_ref(), &key).unwrap_or(false)).then_some(v))
}

/// A field that may be missing: `#[serde(default)]`.
fn field_or_default<T: FromJs + Default>(o: &JsValue, name: &str) -> Option<T> {
    own(o, name)?.map_or(Some(T::default()), |v| T::from_js(&v))
}

/// An `Option` field that must be present (`deserialize_with =
/// "Option::deserialize"`: serde's default for a missing `Option` is off).
fn present<T: FromJs>(o: &JsValue, name: &str) -> Option<Option<T>> {
    FromJs::from_js(&own(o, name)??)
}

impl FromJs for JsValue {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(v.clone())
    }
}

impl FromJs for i64 {
    fn from_js(v: &JsValue) -> Option<Self> {
        let f = v.as_f64()?;
        (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0).then_some(f as i64)
    }
}

impl FromJs for f64 {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_f64()
    }
}

// ---- ToBackground

impl FromJs for ToBackground {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        record(&p)?;
        Some(match tag.as_str() {
            "hello" => ToBackground::Hello { url: field(&p, "url")?, top: field(&p, "top")? },
            "facts" => ToBackground::Facts {
                url: field(&p, "url")?,
                candidates: field(&p, "candidates")?,
                token: field(&p, "token")?,
            },
            "overlay_action" => ToBackground::OverlayAction {
                frame: field(&p, "frame")?,
                action: field(&p, "action")?,
                basis: field(&p, "basis")?,
                click: field(&p, "click")?,
                token: field(&p, "token")?,
            },
            "ui" => ToBackground::Ui { request: field(&p, "request")? },
            _ => return None,
        })
    }
}

impl FromJs for Action {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        match tag.as_str() {
            "dismiss" => return unit(&p).map(|()| Action::Dismiss),
            "dock" => return unit(&p).map(|()| Action::Dock),
            "signature" => return unit(&p).map(|()| Action::Signature),
            _ => {}
        }
        record(&p)?;
        Some(match tag.as_str() {
            "pick" => Action::Pick { integration: field(&p, "integration")? },
            "focus" => Action::Focus { item: field(&p, "item")? },
            "collapse" => Action::Collapse { collapsed: field(&p, "collapsed")? },
            "fit" => Action::Fit { height: field(&p, "height")? },
            "capture" => Action::Capture { slot: field(&p, "slot")? },
            "fill" => Action::Fill { overwrite: field(&p, "overwrite")? },
            "bind" => Action::Bind { org: field(&p, "org")? },
            "copy" => Action::Copy { field: field(&p, "field")? },
            "forget" => Action::Forget { slot: field(&p, "slot")? },
            _ => return None,
        })
    }
}

impl FromJs for UiRequest {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        match tag.as_str() {
            "forget_all" => return unit(&p).map(|()| UiRequest::ForgetAll),
            "settings" => return unit(&p).map(|()| UiRequest::Settings),
            _ => {}
        }
        record(&p)?;
        Some(match tag.as_str() {
            "popup" => UiRequest::Popup { integration: field(&p, "integration")? },
            "forget" => UiRequest::Forget { integration: field(&p, "integration")?, slot: field(&p, "slot")? },
            "copy" => UiRequest::Copy { integration: field(&p, "integration")?, slot: field(&p, "slot")? },
            "report" => UiRequest::Report { integration: field(&p, "integration")? },
            "save_settings" => UiRequest::SaveSettings { settings: field(&p, "settings")? },
            "drift" => UiRequest::Drift { tab: field(&p, "tab")? },
            "signature" => UiRequest::Signature { tab: field(&p, "tab")? },
            _ => return None,
        })
    }
}

impl FromJs for FieldValue {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        Some(match tag.as_str() {
            "text" => FieldValue::Text(FromJs::from_js(&p)?),
            "checked" => FieldValue::Checked(FromJs::from_js(&p)?),
            "choice" => FieldValue::Choice(FromJs::from_js(&p)?),
            "list" => FieldValue::List(FromJs::from_js(&p)?),
            "rows" => FieldValue::Rows(FromJs::from_js(&p)?),
            "ambiguous" => FieldValue::Ambiguous(FromJs::from_js(&p)?),
            "too_large" => unit(&p).map(|()| FieldValue::TooLarge)?,
            _ => return None,
        })
    }
}

impl FromJs for FieldFact {
    fn from_js(v: &JsValue) -> Option<Self> {
        record(v)?;
        Some(FieldFact { key: field(v, "key")?, value: present(v, "value")? })
    }
}

from_js_struct!(record; Row { text, buttons });
from_js_struct!(record; CandidateFacts { page, landmarks, fields });
from_js_struct!(record; PanelFacts { tracked, visible_ms, x, y });
from_js_struct!(record; SettingsIn { data_center, vault_minutes, custom_hosts });
from_js_struct!(record; CustomHostIn { kind, host });

// ---- the agent's answers

impl FromJs for PageFacts {
    /// `#[serde(default)]` on the struct: every field may be missing.
    fn from_js(v: &JsValue) -> Option<Self> {
        record(v)?;
        Some(PageFacts {
            present: field_or_default(v, "present")?,
            opacity: field_or_default(v, "opacity")?,
            filter: field_or_default(v, "filter")?,
            transform: field_or_default(v, "transform")?,
            clip: field_or_default(v, "clip")?,
            mask: field_or_default(v, "mask")?,
            hidden: field_or_default(v, "hidden")?,
            moved: field_or_default(v, "moved")?,
            covered: field_or_default(v, "covered")?,
            outside: field_or_default(v, "outside")?,
            clean_ms: field_or_default(v, "clean_ms")?,
        })
    }
}

impl FromJs for AgentReply {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        record(&p)?;
        (tag == "filled").then(|| Some(AgentReply::Filled { page: field(&p, "page")?, fields: field(&p, "fields")? }))?
    }
}

from_js_struct!(record; CandidateProbes { page, landmarks, fields });

impl FromJs for Control {
    fn from_js(v: &JsValue) -> Option<Self> {
        record(v)?;
        Some(Control {
            tag: field(v, "tag")?,
            kind: field_or_default(v, "type")?,
            role: field_or_default(v, "role")?,
            id: field_or_default(v, "id")?,
            name: field_or_default(v, "name")?,
            label: field_or_default(v, "label")?,
            aria: field_or_default(v, "aria")?,
        })
    }
}

impl FromJs for Description {
    fn from_js(v: &JsValue) -> Option<Self> {
        record(v)?;
        Some(Description {
            candidates: field(v, "candidates")?,
            controls: field(v, "controls")?,
            headings: field(v, "headings")?,
            truncated: field_or_default(v, "truncated")?,
        })
    }
}

// ---- storage.session

impl FromJs for Org {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        record(&p)?;
        Some(match tag.as_str() {
            "okta" => Org::Okta { domain: field(&p, "domain")? },
            "salesforce" => Org::Salesforce { host: field(&p, "host")? },
            _ => return None,
        })
    }
}

impl FromJs for SessionEntry {
    fn from_js(v: &JsValue) -> Option<Self> {
        record(v)?;
        Some(SessionEntry {
            integration: field(v, "integration")?,
            slot: field::<Slot>(v, "slot")?,
            org: field(v, "org")?,
            value: field(v, "value")?,
            captured_at_ms: field(v, "captured_at_ms")?,
            expires_at_ms: field(v, "expires_at_ms")?,
            sent_to: field_or_default(v, "sent_to")?,
        })
    }
}

impl FromJs for Seen {
    fn from_js(v: &JsValue) -> Option<Self> {
        let (tag, p) = variant(v)?;
        unit(&p)?;
        Some(match tag.as_str() {
            "ok" => Seen::Ok,
            "wrong" => Seen::Wrong,
            "missing" => Seen::Missing,
            "unknown" => Seen::Unknown,
            _ => return None,
        })
    }
}

from_js_struct!(record; PageSeen { integration, page, host, seen_at_ms, items });
from_js_struct!(record; Progress { pages });

// ---- settings: each field `Loose` (untagged: the type, or anything else)

/// A top-level settings field: missing or nullish is `None`.
fn loose_field<T: FromJs>(o: &JsValue, name: &str) -> Option<Loose<T>> {
    let v = Reflect::get(o, &JsValue::from_str(name)).ok()?;
    (!v.is_null_or_undefined()).then(|| loose(&v))
}

fn loose<T: FromJs>(v: &JsValue) -> Loose<T> {
    T::from_js(v).map_or(Loose::Bad(serde::de::IgnoredAny), Loose::Good)
}

impl FromJs for Loose<RawHost> {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(loose(v))
    }
}

impl FromJs for RawHost {
    /// Both fields present (each of any type); as serde reads an untagged
    /// struct, also a two-item array.
    fn from_js(v: &JsValue) -> Option<Self> {
        if let Some(a) = v.dyn_ref::<Array>() {
            return (a.length() == 2).then(|| RawHost { kind: loose(&a.get(0)), host: loose(&a.get(1)) });
        }
        record(v)?;
        Some(RawHost { kind: loose(&own(v, "kind")??), host: loose(&own(v, "host")??) })
    }
}
