//! Fault injection for the robustness tests (SECURITY.md, "wasm panic").
//!
//! `fault_panic` panics; in the release build (`panic = "abort"`) that is a
//! wasm trap, `RuntimeError: unreachable`, exactly what any real bug in the
//! core would raise. The background loader (`extension/background.js`) calls
//! it only when `keyferryFault.panicNext()` was called in the background's
//! own realm (the service worker / event page global), which web pages,
//! content scripts and other extensions cannot reach. It takes no input and
//! can do nothing but stop this instance, which the loader then replaces.

use wasm_bindgen::prelude::*;

#[cfg_attr(feature = "ctx-background", wasm_bindgen)]
pub fn fault_panic() {
    panic!("keyferry: injected fault (test)");
}
