//! The wire's basics: the protocol version, the size limits, the envelope
//! every message travels in and why a message was refused. Depends on
//! nothing else in the crate.

use serde::{Deserialize, Serialize};

/// The protocol version. Bump on any incompatible change.
pub const VERSION: u32 = 1;

/// Upper bounds on what a message may carry; anything larger is refused
/// before it reaches the rules (a hostile page controls the agent's input).
pub mod limits {
    pub const MAX_TEXT: usize = 64 * 1024;
    pub const MAX_URL: usize = 8 * 1024;
    pub const MAX_FIELDS: usize = 256;
    pub const MAX_LIST: usize = 512;
    pub const MAX_CANDIDATES: usize = 16;
    /// The agent's panel token (`clickguard`): 32 hex digits.
    pub const MAX_TOKEN: usize = 64;
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope<T> {
    pub v: u32,
    pub msg: T,
}

impl<T> Envelope<T> {
    pub fn new(msg: T) -> Self {
        Envelope { v: VERSION, msg }
    }
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Malformed(String),
    Version(u32),
    TooLarge(&'static str),
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Malformed(why) => write!(f, "malformed message: {why}"),
            Rejection::Version(v) => write!(f, "unsupported protocol version {v} (expected {VERSION})"),
            Rejection::TooLarge(what) => write!(f, "message too large: {what}"),
        }
    }
}

/// Decodes an envelope, checking the version; a decoding error becomes
/// `Malformed` with its reason redacted and cut to 200 bytes.
pub(crate) fn open<'de, T, D>(de: D) -> Result<T, Rejection>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    let env: Envelope<T> =
        Envelope::deserialize(de).map_err(|e| Rejection::Malformed(truncate(&redact(&e.to_string()), 200)))?;
    if env.v != VERSION {
        return Err(Rejection::Version(env.v));
    }
    Ok(env.msg)
}

pub(crate) fn check_len(s: &str, max: usize, what: &'static str) -> Result<(), Rejection> {
    if s.len() > max {
        Err(Rejection::TooLarge(what))
    } else {
        Ok(())
    }
}

/// The reason without the contents of double-quoted strings: serde quotes
/// the offending value (`invalid type: string "…", expected a boolean`),
/// which may be a secret the agent read, and reasons get logged. Names in
/// backticks (unknown fields and variants) stay: they are keys, not values.
fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut quoted, mut escaped) = (false, false);
    for c in s.chars() {
        if quoted && !escaped && c == '"' {
            out.push_str("…\"");
            quoted = false;
        } else if quoted {
            escaped = !escaped && c == '\\';
        } else {
            out.push(c);
            quoted = c == '"';
        }
    }
    if quoted {
        out.push('…');
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
