//! Validators: each takes what the admin typed (or what a page shows) and
//! returns the normalized value, or problems that say exactly what to fix.
//!
//! Rules: never panic on any input; hard errors only for what is surely
//! wrong; shape heuristics are warnings. Messages are short, specific and in
//! our own words.

use serde::Serialize;

pub mod callback;
pub mod credential;
pub mod datacenter;
pub mod email;
pub mod okta_domain;
pub mod pem;
pub mod scopes;

pub use callback::{callback_list_contains, callback_url};
pub use credential::{credential, kind_label, looks_masked, CredentialKind};
pub use datacenter::DataCenter;
pub use email::email;
pub use okta_domain::{is_okta_org_host, okta_domain, okta_domain_from_admin_host, OKTA_SUFFIXES};
pub use pem::private_key_pem;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Surely wrong: the value will not work.
    Error,
    /// Probably wrong, or worth a second look.
    Warning,
    /// Something we changed or noticed (e.g. "removed https://").
    Note,
}

/// One finding about a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable machine code, e.g. `okta_domain.admin_suffix`. Tests match on it.
    pub code: &'static str,
    pub level: Level,
    /// What is wrong, one sentence.
    pub message: String,
    /// What to do about it, one sentence (may be empty for notes).
    pub fix: String,
}

impl Problem {
    pub fn error(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem { code, level: Level::Error, message: message.into(), fix: fix.into() }
    }
    pub fn warning(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem { code, level: Level::Warning, message: message.into(), fix: fix.into() }
    }
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Problem { code, level: Level::Note, message: message.into(), fix: String::new() }
    }
}

/// The result of validating one value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Validated {
    /// The normalized value, when one could be derived (even with warnings).
    /// `None` when the input is unusable.
    pub value: Option<String>,
    pub problems: Vec<Problem>,
}

impl Validated {
    pub fn ok(value: impl Into<String>) -> Self {
        Validated { value: Some(value.into()), problems: Vec::new() }
    }
    pub fn fail(problem: Problem) -> Self {
        Validated { value: None, problems: vec![problem] }
    }
    /// No error-level problem (warnings and notes allowed).
    pub fn is_ok(&self) -> bool {
        !self.problems.iter().any(|p| p.level == Level::Error)
    }
    pub fn has(&self, code: &str) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }
    /// The most severe problem, if any.
    pub fn worst(&self) -> Option<&Problem> {
        self.problems.iter().min_by_key(|p| p.level)
    }
}

/// Characters that are invisible or look like spaces, which sneak in when
/// values are copied from web pages.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180E}' | '\u{2000}'..='\u{200F}' | '\u{2028}'..='\u{202F}'
            | '\u{205F}'..='\u{206F}' | '\u{3000}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
    )
}

/// `s.to_lowercase()`: the same full Unicode mapping (final sigma
/// included). ASCII text (nearly all of it: hosts, names, labels) is mapped
/// here; in the wasm, other text goes to the browser's `toLowerCase`, so the
/// module carries no Unicode case tables (-14 KB gzip; see ARCHITECTURE.md).
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    return String::from(js_sys::JsString::from(s).to_lower_case());
    #[cfg(not(target_arch = "wasm32"))]
    s.to_lowercase()
}

/// Human name of a character, for messages ("a non-breaking space").
pub(crate) fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        '\u{00A0}' => "a non-breaking space".into(),
        '\u{200B}' => "a zero-width space".into(),
        '\u{FEFF}' => "a byte-order mark".into(),
        c if is_invisible(c) => format!("an invisible character (U+{:04X})", c as u32),
        c if c.is_control() => format!("a control character (U+{:04X})", c as u32),
        c => format!("'{c}' (U+{:04X})", c as u32),
    }
}

/// Whitespace, control or invisible: never part of a pasted value.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_invisible(c)
}

/// The first blank character of `s` and its 1-based position, counted in
/// characters.
pub(crate) fn find_blank(s: &str) -> Option<(usize, char)> {
    s.chars().zip(1..).find(|(c, _)| is_blank(*c)).map(|(c, i)| (i, c))
}

/// `input` without blank characters around it. When something was removed,
/// pushes a note with `code` naming the first removed character.
pub(crate) fn trim_noted<'a>(code: &'static str, input: &'a str, problems: &mut Vec<Problem>) -> &'a str {
    let trimmed = input.trim_matches(is_blank);
    if trimmed.len() != input.len() {
        let removed = input.chars().next().filter(|c| is_blank(*c)).or_else(|| input.chars().next_back());
        let what = removed.map_or_else(String::new, describe_char);
        problems.push(Problem::note(code, format!("Removed blank characters around the value ({what} among them).")));
    }
    trimmed
}

/// At most `max` characters of `s`, with "…" when cut, for quoting in messages.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}
