//! The clipboard effects and the alarm event (the decisions about capture,
//! carry and fill are in `crate::session`).
//!
//! The clipboard is written through the shell's helper
//! (`keyferryShell.writeClipboard`: Chrome's offscreen document, Firefox's
//! event page), so a console's permissions policy cannot block it and the
//! value never passes through the page.

use wasm_bindgen::prelude::*;

use super::background::feed;
use super::{api, call, fire, get_path, swallow, warn};
use crate::secret::Sensitive;
use crate::session::{Answer, Clip, Input, Ticket, CLIP_KEY};

/// Handles `alarms.onAlarm`.
#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn background_alarm(name: String) {
    feed(Input::Alarm { name });
}

/// Writes `text` through the clipboard helper; the outcome goes back to the
/// session when it has a ticket.
pub(crate) fn write_clipboard(text: Sensitive, ticket: Option<Ticket>) {
    let written = call(&js_sys::global(), &["keyferryShell", "writeClipboard"], &[text.reveal().into()]);
    drop(text);
    let Some(ticket) = ticket else {
        if let Ok(p) = written {
            swallow(p);
        }
        return;
    };
    let Ok(p) = written else {
        return feed(Input::Answer { ticket, answer: Answer::Clipboard(Clip::Unavailable) });
    };
    wasm_bindgen_futures::spawn_local(async move {
        let clip = match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&p)).await {
            Ok(_) => Clip::Copied,
            Err(_) => Clip::Refused,
        };
        feed(Input::Answer { ticket, answer: Answer::Clipboard(clip) });
    });
}

/// Hands the copied secret kept in `storage.session` to the clipboard
/// helper (`keyferryShell.clearClipboardIf`), which clears the clipboard only
/// if it still holds that text, then forgets it.
pub(crate) fn clear_clipboard() {
    let then = Closure::once(move |saved: JsValue| {
        let Some(text) = get_path(&saved, &[CLIP_KEY]).as_string() else { return };
        let text = Sensitive::new(text);
        match call(&js_sys::global(), &["keyferryShell", "clearClipboardIf"], &[text.reveal().into()]) {
            Ok(p) => swallow(p),
            Err(_) => warn("could not clear the clipboard (no clipboard helper)"),
        }
        fire(&["storage", "session", "remove"], &[CLIP_KEY.into()]);
    })
    .into_js_value();
    if let Ok(p) = call(&api(), &["storage", "session", "get"], &[CLIP_KEY.into()]) {
        if let Ok(p2) = call(&p, &["then"], &[then]) {
            swallow(p2);
        }
    }
}
