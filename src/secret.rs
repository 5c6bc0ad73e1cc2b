//! `Sensitive`: a string that holds a secret (consumer secret, client secret,
//! private key, API token).
//!
//! - `Debug` and `Display` print a redaction, never the value.
//! - It does not implement `Serialize`: a secret can only leave the core
//!   through [`Sensitive::reveal`], which is greppable and deliberate.
//! - Its bytes are overwritten when it is dropped.

use std::fmt;

pub struct Sensitive(String);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Sensitive(value.into())
    }

    /// The secret itself. Every call site is a place where a secret leaves
    /// the vault (fill, copy, comparison); keep them few.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A display form that shows at most the first 4 characters of a
    /// non-secret identifier, and nothing of a secret: `0oa1…(20)` or
    /// `••••••••(40)`.
    pub fn masked(&self, show_prefix: bool) -> String {
        let n = self.len();
        if show_prefix && n > 8 {
            let head: String = self.0.chars().take(4).collect();
            format!("{head}…({n})")
        } else {
            format!("••••••••({n})")
        }
    }

    /// Constant-time-ish equality with a plain string (no early exit on the
    /// first differing byte), for comparing a page's field with the vault.
    pub fn matches(&self, other: &str) -> bool {
        let a = self.0.as_bytes();
        let b = other.as_bytes();
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Clone for Sensitive {
    fn clone(&self) -> Self {
        Sensitive(self.0.clone())
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sensitive(<redacted, {} chars>)", self.len())
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Sensitive {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites a string's bytes with zeros in place.
fn wipe(s: &mut String) {
    // SAFETY: all-zero bytes are valid UTF-8, so the String stays valid.
    let bytes = unsafe { s.as_bytes_mut() };
    for b in bytes.iter_mut() {
        // Volatile so the optimizer cannot drop the "dead" store.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Sensitive::new("hunter2-super-secret");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        assert_eq!(s.reveal(), "hunter2-super-secret");
    }

    #[test]
    fn masked_shows_prefix_only_for_identifiers() {
        let id = Sensitive::new("0oa1abcdefghijklmnop");
        assert_eq!(id.masked(true), "0oa1…(20)");
        assert_eq!(id.masked(false), "••••••••(20)");
        assert_eq!(Sensitive::new("short").masked(true), "••••••••(5)");
    }

    #[test]
    fn matches_compares_exactly() {
        let s = Sensitive::new("abc");
        assert!(s.matches("abc"));
        assert!(!s.matches("abd"));
        assert!(!s.matches("abcd"));
    }

    #[test]
    fn wipe_zeroes_every_byte_and_keeps_length() {
        let mut s = String::from("topsecret-ü");
        let n = s.len();
        wipe(&mut s);
        assert_eq!(s.len(), n);
        assert!(s.bytes().all(|b| b == 0));
    }
}
