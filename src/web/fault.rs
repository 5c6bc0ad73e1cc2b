//! Fault injection for the robustness tests (SECURITY.md, "wasm panic").
//!
//! `fault_panic` panics; in the release build (`panic = "abort"`) that is a
//! wasm trap, `RuntimeError: unreachable`, exactly what any real bug in the
//! core would raise. The background loader (`extension/background.js`) calls
//! it only when `keyferryFault.panicNext()` was called in the background's
//! own realm (the service worker / event page global). In the overlay,
//! `fault_arm_click` (called by `keyferryFault.panicOnNextClick()` in the
//! overlay frame's own realm) makes the panel's click handler panic at the
//! start of the next trusted click, before it acts. Web pages, content
//! scripts and other extensions reach neither realm. Neither takes input, and
//! each can do nothing but stop its instance, which the loader then replaces
//! (background) or offers to reload (overlay).

use std::cell::Cell;

use wasm_bindgen::prelude::*;

#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn fault_panic() {
    panic!("keyferry: injected fault (test)");
}

thread_local! {
    static CLICK_ARMED: Cell<bool> = const { Cell::new(false) };
}

/// Arms a panic at the start of the overlay's next trusted click.
#[cfg_attr(feature = "ctx-overlay", wasm_bindgen)]
pub fn fault_arm_click() {
    CLICK_ARMED.with(|a| a.set(true));
}

/// Called by the overlay's click handler: panics once after `fault_arm_click`.
pub fn panic_if_armed() {
    if CLICK_ARMED.with(|a| a.replace(false)) {
        fault_panic();
    }
}
