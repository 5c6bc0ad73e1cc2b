//! Hand-written readers for the messages the UIs receive, straight from the
//! `JsValue` the browser delivers: the overlay's `Envelope<ToOverlayOf<String>>`
//! ([`to_overlay`]) and the popup's and options page's replies, `UiReply`
//! ([`ui_reply`]); and writers for what they send ([`overlay_action`],
//! [`ui_request`]).
//!
//! serde's derived `Deserialize` through `serde_wasm_bindgen` cost the overlay
//! module about 55 KB of its 197 KB (a visitor per struct, each inlined into
//! the deserializer's generic struct reader): these readers do the same job
//! in a fraction of it. They accept what the background's
//! `serde_wasm_bindgen::Serializer::json_compatible()` writes and refuse what
//! serde would refuse: a missing field (a missing `Option` field is `None`),
//! a value of the wrong type, an unknown enum name. Unknown fields are
//! ignored, as serde_wasm_bindgen does (it reads a struct's fields by name and
//! never sees the others, so even `Envelope`'s `deny_unknown_fields` does not
//! apply). The one thing serde accepts that these do not: a struct written as
//! an array.
//!
//! The overlay's one outbound message, `ToBackground::OverlayAction`, is
//! written by hand the same way ([`overlay_action`]): serde's `Serialize` for
//! `ToBackground` would bring every variant's code (the agent's facts, the
//! popup's requests) into this module. `tests/web.rs` checks it writes what
//! serde writes, and that the background reads it back as the same message.
//! `tests/web.rs` checks both decoders agree, message by message.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::assemble::MissingValue;
use crate::catalog::{Severity, Slot};
use crate::checklist::{Checklist, Item, Note, SourceLine, Status};
use crate::drift::{Drift, PageDrift};
use crate::clickguard::PanelFacts;
use crate::protocol::overlay::{Action, ToOverlayOf};
use crate::protocol::pages::{CustomHostIn, SettingsIn, UiRequest};
use crate::protocol::view::{
    BindView, CaptureView, FillLine, FillView, HostStatus, Notice, PopupView, RouteLine, SettingsView, View,
};
use crate::protocol::UiReply;
use crate::report::{IntegrationProgress, RequirementProgress, RequirementStatus, StepProgress, StepState};
use crate::protocol::wire::{Envelope, VERSION};
use crate::vault::EntryView;

/// A value read from a `JsValue`; `None` where serde would fail.
pub trait FromJs: Sized {
    fn from_js(v: &JsValue) -> Option<Self>;
}

/// The overlay's inbound message.
pub fn to_overlay(v: &JsValue) -> Option<Envelope<ToOverlayOf<String>>> {
    object(v)?;
    Some(Envelope { v: field(v, "v")?, msg: field(v, "msg")? })
}

pub(crate) fn object(v: &JsValue) -> Option<&Object> {
    (v.is_object() && !Array::is_array(v)).then(|| v.unchecked_ref::<Object>())
}

pub(crate) fn field<T: FromJs>(o: &JsValue, name: &str) -> Option<T> {
    T::from_js(&Reflect::get(o, &JsValue::from_str(name)).ok()?)
}

/// A unit-only enum from its serialized name.
fn named<T: Copy>(v: &JsValue, all: &[T], name: fn(T) -> &'static str) -> Option<T> {
    let s = v.as_string()?;
    all.iter().copied().find(|x| name(*x) == s)
}

/// A whole number a JS number carries exactly (as serde_wasm_bindgen reads
/// integers: safe integers only), at most `max`.
pub(crate) fn whole(v: &JsValue, max: u64) -> Option<u64> {
    let f = v.as_f64()?;
    (f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_991.0 && f as u64 <= max).then_some(f as u64)
}

impl FromJs for String {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_string()
    }
}

impl FromJs for bool {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_bool()
    }
}

impl FromJs for u32 {
    fn from_js(v: &JsValue) -> Option<Self> {
        whole(v, u32::MAX.into()).map(|n| n as u32)
    }
}

impl FromJs for u64 {
    fn from_js(v: &JsValue) -> Option<Self> {
        whole(v, u64::MAX)
    }
}

impl FromJs for usize {
    fn from_js(v: &JsValue) -> Option<Self> {
        whole(v, usize::MAX as u64).map(|n| n as usize)
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(v: &JsValue) -> Option<Self> {
        if v.is_null() || v.is_undefined() {
            Some(None)
        } else {
            T::from_js(v).map(Some)
        }
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(v: &JsValue) -> Option<Self> {
        let a = v.dyn_ref::<Array>()?;
        a.iter().map(|x| T::from_js(&x)).collect()
    }
}

impl<A: FromJs, B: FromJs> FromJs for (A, B) {
    fn from_js(v: &JsValue) -> Option<Self> {
        let a = v.dyn_ref::<Array>().filter(|a| a.length() == 2)?;
        Some((A::from_js(&a.get(0))?, B::from_js(&a.get(1))?))
    }
}

impl FromJs for Status {
    fn from_js(v: &JsValue) -> Option<Self> {
        named(v, &Status::ALL, Status::as_str)
    }
}

impl FromJs for Severity {
    fn from_js(v: &JsValue) -> Option<Self> {
        named(v, &Severity::ALL, Severity::as_str)
    }
}

impl FromJs for Slot {
    fn from_js(v: &JsValue) -> Option<Self> {
        named(v, &Slot::ALL, Slot::id)
    }
}

impl FromJs for ToOverlayOf<String> {
    fn from_js(v: &JsValue) -> Option<Self> {
        if v.as_string().as_deref() == Some("gone") {
            return Some(ToOverlayOf::Gone);
        }
        // Externally tagged: { "view": {...} }, one key.
        let o = object(v)?;
        let keys = Object::keys(o);
        (keys.length() == 1 && keys.get(0).as_string().as_deref() == Some("view"))
            .then(|| field(v, "view").map(ToOverlayOf::View))?
    }
}

/// `impl FromJs` for a struct whose fields all implement it (unknown fields
/// ignored, as serde's derive does); `$is_struct` says what the struct may be
/// read from (here [`object`]; `web::inbound` also takes arrays, as
/// serde_wasm_bindgen does). Used where `field` and `FromJs` are in scope.
macro_rules! from_js_struct {
    ($is_struct:path; $t:ty { $($f:ident),* $(,)? }) => {
        impl FromJs for $t {
            fn from_js(v: &JsValue) -> Option<Self> {
                $is_struct(v)?;
                Some(Self { $($f: field(v, stringify!($f))?),* })
            }
        }
    };
}
pub(crate) use from_js_struct;

from_js_struct!(object; View<String> {
    page, page_title, console, integrations, integration, step, routes, checklist, collapsed, captures, fill,
    vault, notice, drift, basis,
});
from_js_struct!(object; RouteLine<String> { id, title, note, default, current, link });
from_js_struct!(object; Checklist<String> { page, integration, items, notes, done, total });
from_js_struct!(object; Item<String> { id, status, severity, summary, explain, message, fix, field, sources });
from_js_struct!(object; Note<String> { id, summary, explain, sources });
from_js_struct!(object; SourceLine<String> { tag, title, at, url });
from_js_struct!(object; CaptureView<String> { slot, label, shown, captured, hint });
from_js_struct!(object; FillView<String> { values, missing, conflicts, ready, absent, blocked, bind });
from_js_struct!(object; FillLine<String> { field, label, display, secret, copy });
from_js_struct!(object; MissingValue<String> { field, label, reason });
from_js_struct!(object; BindView { to, question });
from_js_struct!(object; EntryView<String> { slot, label, masked, org, seconds_left });
from_js_struct!(object; Notice { ok, text });
from_js_struct!(object; Drift<String> { recognized, pages });
from_js_struct!(object; PageDrift<String> { page, title, landmarks, fields });

/// A plain object with these properties, in this order (as serde writes them).
fn obj(props: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in props {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// `Envelope::new(ToBackground::OverlayAction { frame, action, basis, click,
/// token })` as `serde_wasm_bindgen::Serializer::json_compatible()` writes it:
/// externally tagged enums (`{"pick": {...}}`, `"dismiss"`), `None` as `null`,
/// the fields that skip `None` left out.
pub fn overlay_action(
    frame: i64,
    action: &Action,
    basis: Option<&str>,
    click: Option<&PanelFacts>,
    token: Option<&str>,
) -> JsValue {
    let s = JsValue::from_str;
    let one = |variant: &str, field: &str, v: JsValue| obj(&[(variant, obj(&[(field, v)]))]);
    let action = match action {
        Action::Pick { integration } => one("pick", "integration", s(integration)),
        Action::Focus { item } => one("focus", "item", s(item)),
        Action::Collapse { collapsed } => one("collapse", "collapsed", JsValue::from_bool(*collapsed)),
        Action::Dismiss => s("dismiss"),
        Action::Dock => s("dock"),
        Action::Fit { height } => one("fit", "height", JsValue::from_f64((*height).into())),
        Action::Capture { slot } => one("capture", "slot", s(slot)),
        Action::Fill { overwrite } => one("fill", "overwrite", JsValue::from_bool(*overwrite)),
        Action::Bind { org } => one("bind", "org", s(org)),
        Action::Copy { field } => one("copy", "field", s(field)),
        Action::Forget { slot } => one("forget", "slot", slot.as_deref().map_or(JsValue::NULL, s)),
        Action::Signature => s("signature"),
    };
    let mut body = vec![("frame", JsValue::from_f64(frame as f64)), ("action", action)];
    if let Some(b) = basis {
        body.push(("basis", s(b)));
    }
    if let Some(c) = click {
        let visible = c.visible_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64));
        body.push((
            "click",
            obj(&[
                ("tracked", JsValue::from_bool(c.tracked)),
                ("visible_ms", visible),
                ("x", JsValue::from_f64(c.x)),
                ("y", JsValue::from_f64(c.y)),
            ]),
        ));
    }
    if let Some(t) = token {
        body.push(("token", s(t)));
    }
    obj(&[("v", JsValue::from_f64(VERSION.into())), ("msg", obj(&[("overlay_action", obj(&body))]))])
}

// ---- the popup's and the options page's side

/// A reply to the popup or the options page. `ReplyOf` is internally tagged
/// (`"type"`); the variants the background sends only to the agent or the
/// overlay are not read here (serde skips deserializing them too).
pub fn ui_reply(v: &JsValue) -> Option<UiReply> {
    object(v)?;
    Some(match field::<String>(v, "type")?.as_str() {
        "error" => UiReply::Error { reason: field(v, "reason")? },
        "popup" => UiReply::Popup { view: field(v, "view")? },
        "settings" => UiReply::Settings { view: field(v, "view")? },
        "report" => UiReply::Report { markdown: field(v, "markdown")?, json: field(v, "json")?, file: field(v, "file")? },
        "drift" => UiReply::Drift { drift: field(v, "drift")?, notice: field(v, "notice")? },
        _ => return None,
    })
}

impl FromJs for RequirementStatus {
    fn from_js(v: &JsValue) -> Option<Self> {
        named(v, &RequirementStatus::ALL, RequirementStatus::as_str)
    }
}

impl FromJs for StepState {
    fn from_js(v: &JsValue) -> Option<Self> {
        named(v, &[StepState::Done, StepState::Todo, StepState::Problem], StepState::as_str)
    }
}

from_js_struct!(object; PopupView<String> { integrations, integration, progress, vault, vault_total, vault_minutes, notice });
from_js_struct!(object; IntegrationProgress { integration, title, blurb, steps, next, done });
from_js_struct!(object; StepProgress { page, title, console, state, requirements, host, seen_at_ms, link });
from_js_struct!(object; RequirementProgress { id, summary, status });
from_js_struct!(object; SettingsView<String> {
    data_center, data_center_managed, data_centers, vault_minutes, vault_minutes_managed, min_minutes, max_minutes,
    hosts, kinds, problems, notice,
});
from_js_struct!(object; HostStatus<String> { kind, kind_label, host, pattern, managed, granted, registered });

/// `Envelope::new(ToBackground::Ui { request })` as serde writes it (see
/// [`overlay_action`]).
pub fn ui_request(request: &UiRequest) -> JsValue {
    let s = JsValue::from_str;
    let opt = |o: &Option<String>| o.as_deref().map_or(JsValue::NULL, s);
    let tab = |t: i64| JsValue::from_f64(t as f64);
    let request = match request {
        UiRequest::Popup { integration } => obj(&[("popup", obj(&[("integration", opt(integration))]))]),
        UiRequest::Forget { integration, slot } => {
            obj(&[("forget", obj(&[("integration", s(integration)), ("slot", opt(slot))]))])
        }
        UiRequest::ForgetAll => s("forget_all"),
        UiRequest::Copy { integration, slot } => {
            obj(&[("copy", obj(&[("integration", s(integration)), ("slot", s(slot))]))])
        }
        UiRequest::Report { integration } => obj(&[("report", obj(&[("integration", s(integration))]))]),
        UiRequest::Settings => s("settings"),
        UiRequest::SaveSettings { settings: SettingsIn { data_center, vault_minutes, custom_hosts } } => {
            let hosts = Array::new();
            for CustomHostIn { kind, host } in custom_hosts {
                hosts.push(&obj(&[("kind", s(kind)), ("host", s(host))]));
            }
            let settings = obj(&[
                ("data_center", s(data_center)),
                ("vault_minutes", JsValue::from_f64((*vault_minutes).into())),
                ("custom_hosts", hosts.into()),
            ]);
            obj(&[("save_settings", obj(&[("settings", settings)]))])
        }
        UiRequest::Drift { tab: t } => obj(&[("drift", obj(&[("tab", tab(*t))]))]),
        UiRequest::Signature { tab: t } => obj(&[("signature", obj(&[("tab", tab(*t))]))]),
    };
    obj(&[("v", JsValue::from_f64(VERSION.into())), ("msg", obj(&[("ui", obj(&[("request", request)]))]))])
}
