//! keyferry's core: the catalog of console pages and requirements, page
//! recognition, validators, checklist evaluation, value assembly and the
//! message types. Pure Rust, no DOM; the `web` module (wasm32 only) binds it
//! to the extension's background, overlay, popup and options pages.

pub mod assemble;
pub mod budget;
pub mod catalog;
pub mod checklist;
pub mod clickguard;
pub mod destination;
pub mod drift;
pub mod fill;
pub mod host;
pub mod prefilter;
pub mod protocol;
pub mod recognize;
pub mod report;
pub mod resume;
pub mod secret;
pub mod session;
pub mod settings;
pub mod validate;
pub mod vecmap;
pub mod vault;

#[cfg(target_arch = "wasm32")]
pub mod web;
