//! Client ids, secrets, consumer keys and API tokens.
//!
//! Errors only for what cannot be a credential (empty, blanks inside, a
//! masked or cut-off copy). Shapes vary, so shape checks are warnings.

use super::{describe_char, find_blank, pem, trim_noted, Problem, Validated};

/// Which credential a value is meant to be (defined with the catalog's
/// slots, which name it; see [`crate::catalog::Slot::kind`]).
pub use crate::catalog::CredentialKind;

/// Human name of a credential kind, for messages.
pub fn kind_label(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::OktaClientId => "Okta client ID",
        CredentialKind::OktaClientSecret => "Okta client secret",
        CredentialKind::OktaApiToken => "Okta API token",
        CredentialKind::SalesforceConsumerKey => "Salesforce consumer key",
        CredentialKind::SalesforceConsumerSecret => "Salesforce consumer secret",
        CredentialKind::PrivateKeyPem => "private key (PEM)",
    }
}

/// Characters pages show instead of a hidden value.
fn is_mask(c: char) -> bool {
    matches!(c, '•' | '●' | '·' | '∙' | '⋅' | '*' | '◦' | '⚫' | '⬤')
}

/// Whether `s` is a masked placeholder copied instead of the value: only
/// mask characters (bullets, asterisks, or `x`/`X`), or a run of four or
/// more bullets or asterisks within the value.
pub fn looks_masked(s: &str) -> bool {
    let visible: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let all_mask = visible.len() >= 3 && visible.iter().all(|c| is_mask(*c));
    let all_x = visible.len() >= 4 && visible.iter().all(|c| matches!(c, 'x' | 'X'));
    let mut run = 0;
    let has_run = visible.iter().any(|c| {
        run = if is_mask(*c) { run + 1 } else { 0 };
        run >= 4
    });
    all_mask || all_x || has_run
}

/// Validates a credential of the given kind; the value is the trimmed text.
/// `PrivateKeyPem` is checked by [`pem::private_key_pem`].
pub fn credential(kind: CredentialKind, input: &str) -> Validated {
    if kind == CredentialKind::PrivateKeyPem {
        return pem::private_key_pem(input);
    }
    let label = kind_label(kind);
    let mut problems = Vec::new();
    let s = trim_noted("credential.trimmed", input, &mut problems);
    let error = if s.is_empty() {
        Some(Problem::error("credential.empty", format!("The {label} is empty."), format!("Copy the {label} again.")))
    } else if looks_masked(s) {
        let msg = format!("This is the masked placeholder the page shows, not the {label}.");
        Some(Problem::error(
            "credential.masked",
            msg,
            "Reveal the value (eye icon or Show), or use the page's Copy button, then copy again.",
        ))
    } else if s.ends_with('…') || s.ends_with("...") {
        let msg = format!("The {label} ends with an ellipsis (\"…\" or \"...\"), so it was cut off when copied.");
        Some(Problem::error(
            "credential.truncated",
            msg,
            "Use the page's Copy button, or widen the field, then copy again.",
        ))
    } else {
        find_blank(s).map(|(pos, c)| {
            let msg = format!("The {label} contains {} at character {pos}; credentials never do.", describe_char(c));
            Problem::error("credential.whitespace", msg, format!("Copy the {label} again as one piece."))
        })
    };
    if let Some(e) = error {
        problems.push(e);
        return Validated { value: None, problems };
    }
    problems.extend(shape(kind, s));
    Validated { value: Some(s.to_string()), problems }
}

/// Expected shape of each kind: (prefix, (min, max) length in characters,
/// allowed punctuation besides letters and digits, what it looks like).
fn expectations(kind: CredentialKind) -> (Option<&'static str>, (usize, usize), &'static str, &'static str) {
    match kind {
        CredentialKind::OktaClientId => (Some("0oa"), (20, 20), "", "20 letters and digits starting with \"0oa\""),
        CredentialKind::OktaClientSecret => (None, (40, usize::MAX), "-_", "at least 40 characters"),
        CredentialKind::OktaApiToken => (Some("00"), (42, 42), "-_", "42 characters starting with \"00\""),
        CredentialKind::SalesforceConsumerKey => {
            (Some("3MVG"), (80, usize::MAX), "._", "about 85 characters starting with \"3MVG\"")
        }
        CredentialKind::SalesforceConsumerSecret => {
            (None, (19, usize::MAX), "", "64 hex digits (older apps: 19 digits)")
        }
        CredentialKind::PrivateKeyPem => (None, (0, usize::MAX), "", ""),
    }
}

/// Warnings for values that do not look like `kind`.
fn shape(kind: CredentialKind, s: &str) -> Vec<Problem> {
    let label = kind_label(kind);
    let (prefix, (min, max), punct, looks) = expectations(kind);
    let mut warnings = Vec::new();
    let fix = format!("Check that you copied the {label} and not another value.");
    if let Some(other) = swapped(kind, s) {
        let msg = format!("This looks like the {}, not the {label}.", kind_label(other));
        warnings.push(Problem::warning("credential.swapped", msg, fix.clone()));
        return warnings;
    }
    if let Some(p) = prefix.filter(|p| !s.starts_with(p)) {
        let msg = format!("A {label} usually starts with \"{p}\" ({looks}).");
        warnings.push(Problem::warning("credential.prefix", msg, fix.clone()));
    }
    let n = s.chars().count();
    if n < min || n > max {
        let msg = format!("This {label} has {n} characters; one is usually {looks}.");
        warnings.push(Problem::warning("credential.length", msg, fix.clone()));
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii_alphanumeric() && !punct.contains(*c)) {
        let msg = format!("A {label} does not usually contain {}.", describe_char(c));
        warnings.push(Problem::warning("credential.charset", msg, fix));
    }
    warnings
}

/// The other kind a value evidently is: a client id in a secret field, a
/// consumer key in a consumer secret field.
fn swapped(kind: CredentialKind, s: &str) -> Option<CredentialKind> {
    let n = s.chars().count();
    match kind {
        CredentialKind::OktaClientSecret | CredentialKind::OktaApiToken if s.starts_with("0oa") && n == 20 => {
            Some(CredentialKind::OktaClientId)
        }
        CredentialKind::SalesforceConsumerSecret if s.starts_with("3MVG") => {
            Some(CredentialKind::SalesforceConsumerKey)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert!(looks_masked("••••••••"));
        assert!(looks_masked("xxxxxxxx"));
        assert!(looks_masked("abc****def"));
        assert!(!looks_masked("0oa1b2c3d4e5f6g7h8i9"));
        assert!(!looks_masked("**"));
    }
}
