//! The Okta org domain, as Workato's "Okta domain" and Workflows' "Domain"
//! fields want it: `acme.okta.com`, without scheme, path or `-admin`.
//!
//! Admins usually paste the admin console's address bar, so that shape is
//! normalized with notes. Hosts that only resemble Okta's are errors;
//! other hosts may be custom domains and only get a warning.

use super::{clip, describe_char, find_blank, trim_noted, Problem, Validated};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Okta's own domains: an org domain is exactly one label followed by one of
/// these (defined in [`crate::host`]).
pub use crate::host::OKTA_SUFFIXES;

use crate::host::is_label;

/// Whether `host` is one DNS label followed by an Okta suffix, compared on
/// whole labels and ignoring ASCII case. Admin hosts (`acme-admin.okta.com`)
/// count; `system-admin.okta.com` and deeper hosts (`acme.workflows.okta.com`)
/// do not.
pub fn is_okta_org_host(host: &str) -> bool {
    match split_suffix(host) {
        Some((org, _)) => is_label(org) && !org.eq_ignore_ascii_case("system-admin"),
        None => false,
    }
}

/// The org domain for an Okta host: `acme-admin.okta.com` → `acme.okta.com`.
/// A host that is already the org domain is returned lowercased; anything
/// that is not an Okta org host gives `None`.
pub fn okta_domain_from_admin_host(host: &str) -> Option<String> {
    let checked = okta_domain(host);
    match checked.value {
        Some(domain) if checked.is_ok() && is_okta_org_host(&domain) => Some(domain),
        _ => None,
    }
}

/// Validates and normalizes an Okta org domain. See the module docs.
pub fn okta_domain(input: &str) -> Validated {
    let mut problems = Vec::new();
    match normalize(input, &mut problems) {
        Ok(value) => Validated { value: Some(value), problems },
        Err(error) => {
            problems.push(error);
            Validated { value: None, problems }
        }
    }
}

const EXAMPLE: &str = "Enter the org domain only, e.g. acme.okta.com.";

fn error(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::error(code, message, fix)
}

fn normalize(input: &str, notes: &mut Vec<Problem>) -> Result<String, Problem> {
    let s = trim_noted("okta_domain.trimmed", input, notes);
    if s.is_empty() {
        return Err(error("okta_domain.empty", "The Okta domain is empty.", EXAMPLE));
    }
    if let Some((pos, c)) = find_blank(s) {
        let msg = format!("The domain contains {} at character {pos}.", describe_char(c));
        return Err(error("okta_domain.whitespace", msg, EXAMPLE));
    }
    let rest = strip_scheme(s, notes)?;
    let (host, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if !tail.is_empty() {
        notes.push(Problem::note("okta_domain.path", format!("Removed \"{}\" after the domain.", clip(tail, 40))));
    }
    check_authority(host)?;
    let host = match host.strip_suffix('.') {
        Some(h) => {
            notes.push(Problem::note("okta_domain.trailing_dot", "Removed the dot at the end."));
            h
        }
        None => host,
    };
    let lower = host.to_ascii_lowercase();
    if lower != host {
        notes.push(Problem::note("okta_domain.lowercase", "Changed capital letters to lowercase."));
    }
    check_syntax(&lower)?;
    classify(lower, notes)
}

/// Removes `http://` or `https://` (with a note); other schemes are errors.
fn strip_scheme<'a>(s: &'a str, notes: &mut Vec<Problem>) -> Result<&'a str, Problem> {
    let Some((scheme, rest)) = s.split_once("://") else { return Ok(s) };
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return Ok(s); // "://" further on, inside a path: not a scheme
    }
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
        notes.push(Problem::note("okta_domain.scheme", format!("Removed \"{scheme}://\".")));
        Ok(rest)
    } else {
        let msg = format!("\"{}://\" is not a web address.", clip(scheme, 20));
        Err(error("okta_domain.scheme", msg, EXAMPLE))
    }
}

/// Rejects what may not stand where a host name goes: user names, IP
/// addresses, ports and non-ASCII characters.
fn check_authority(host: &str) -> Result<(), Problem> {
    if host.is_empty() {
        return Err(error("okta_domain.empty", "There is no domain in this value.", EXAMPLE));
    }
    if let Some((_, real)) = host.rsplit_once('@') {
        let msg = format!("The value has a user name before \"@\"; as an address it leads to \"{}\".", clip(real, 60));
        return Err(error("okta_domain.userinfo", msg, EXAMPLE));
    }
    let unbracketed = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if host.starts_with('[') || unbracketed.parse::<Ipv6Addr>().is_ok() {
        let msg = "This is an IP address; the connection needs the Okta org's domain name.";
        return Err(error("okta_domain.ip", msg, EXAMPLE));
    }
    if let Some((_, port)) = host.split_once(':') {
        let msg = format!("The domain has a port (\":{}\"); Okta org domains never do.", clip(port, 10));
        return Err(error("okta_domain.port", msg, "Remove the colon and everything after it."));
    }
    if let Some(c) = host.chars().find(|c| !c.is_ascii()) {
        let msg = match ascii_lookalike(c) {
            Some(a) => format!(
                "The domain contains {}, a non-ASCII lookalike of '{a}'. Fake sign-in sites use such characters.",
                describe_char(c)
            ),
            None => format!(
                "The domain contains the non-ASCII character {}; Okta org domains are plain ASCII.",
                describe_char(c)
            ),
        };
        return Err(error(
            "okta_domain.non_ascii",
            msg,
            "Type the domain by hand in plain letters, e.g. acme.okta.com.",
        ));
    }
    Ok(())
}

/// Host name syntax (RFC 1123 labels), on a lowercase ASCII host.
fn check_syntax(host: &str) -> Result<(), Problem> {
    if host.parse::<Ipv4Addr>().is_ok() {
        let msg = "This is an IP address; the connection needs the Okta org's domain name.";
        return Err(error("okta_domain.ip", msg, EXAMPLE));
    }
    if let Some(c) = host.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.')) {
        let msg = format!("{} cannot appear in a domain name.", capitalize(&describe_char(c)));
        return Err(error("okta_domain.invalid_char", msg, EXAMPLE));
    }
    if host.len() > 253 {
        let msg = format!("The domain is {} characters long; domain names end at 253.", host.len());
        return Err(error("okta_domain.too_long", msg, EXAMPLE));
    }
    for label in host.split('.') {
        if label.is_empty() {
            let msg = "The domain has an empty part (two dots in a row, or a dot at the start).";
            return Err(error("okta_domain.empty_label", msg, EXAMPLE));
        }
        if label.len() > 63 {
            let msg =
                format!("The part \"{}\" is {} characters long; each part ends at 63.", clip(label, 20), label.len());
            return Err(error("okta_domain.label_too_long", msg, EXAMPLE));
        }
        if label.starts_with('-') || label.ends_with('-') {
            let msg = format!("The part \"{label}\" starts or ends with a hyphen, which domain names do not allow.");
            return Err(error("okta_domain.hyphen", msg, EXAMPLE));
        }
        if label.starts_with("xn--") {
            let msg = format!("\"{label}\" is punycode for an international (IDN) name; those are not accepted here.");
            return Err(error(
                "okta_domain.punycode",
                msg,
                "Type your org's okta.com domain by hand, e.g. acme.okta.com.",
            ));
        }
    }
    if !host.contains('.') {
        let msg = format!("\"{host}\" is a single name, not a full domain.");
        return Err(error("okta_domain.no_dot", msg, format!("Did you mean {host}.okta.com? Enter the full domain.")));
    }
    if host.rsplit('.').next().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        let msg = "The domain ends in a number, so it is not a domain name.";
        return Err(error("okta_domain.invalid", msg, EXAMPLE));
    }
    Ok(())
}

/// Decides, on a syntactically valid lowercase host, whether it is an org
/// domain, an admin or Workflows host, a lookalike or a custom domain.
fn classify(host: String, notes: &mut Vec<Problem>) -> Result<String, Problem> {
    let Some((prefix, suffix)) = split_suffix(&host) else { return other_host(host, notes) };
    if prefix.is_empty() {
        let msg = format!("{suffix} is Okta's own domain; your org's name goes in front of it.");
        return Err(error("okta_domain.no_org", msg, format!("Enter e.g. acme.{suffix}.")));
    }
    if prefix == "system-admin" {
        let msg =
            format!("system-admin.{suffix} is Okta's shared admin host (used for OAuth redirects), not your org.");
        return Err(error("okta_domain.system_admin", msg, EXAMPLE));
    }
    let labels: Vec<&str> = prefix.split('.').collect();
    match labels.as_slice() {
        [org] => {
            let mut name = *org;
            while let Some(stripped) = name.strip_suffix("-admin").filter(|s| is_label(s)) {
                name = stripped;
            }
            if name == *org {
                return Ok(host);
            }
            let domain = format!("{name}.{suffix}");
            notes.push(Problem::note(
                "okta_domain.admin",
                format!(
                    "Removed \"-admin\": {host} opens the Admin Console, \
                     while the connection needs the org domain {domain}."
                ),
            ));
            Ok(domain)
        }
        [org, "workflows"] if *org != "oauth" => {
            let domain = format!("{org}.{suffix}");
            let msg = format!("{host} is the Okta Workflows console; the org domain is {domain}.");
            Err(error("okta_domain.workflows", msg, format!("Enter {domain}.")))
        }
        [.., "workflows"] => {
            let msg = format!("{host} is an Okta Workflows host, not an org domain.");
            Err(error("okta_domain.workflows", msg, EXAMPLE))
        }
        _ => {
            let msg = format!("{host} has more than one name in front of {suffix}; an org domain has exactly one.");
            Err(error("okta_domain.subdomain", msg, EXAMPLE))
        }
    }
}

/// A host outside Okta's suffixes: a lookalike (error) or possibly the org's
/// custom domain (warning, kept).
fn other_host(host: String, notes: &mut Vec<Problem>) -> Result<String, Problem> {
    let labels: Vec<&str> = host.split('.').collect();
    let real = registrable(&labels);
    let embedded = OKTA_SUFFIXES.iter().find(|suffix| {
        let want: Vec<&str> = suffix.split('.').collect();
        labels.windows(want.len()).any(|w| w == want.as_slice())
    });
    if let Some(suffix) = embedded {
        let msg = format!(
            "{host} is not an Okta domain: \"{suffix}\" is followed by more names, so the real domain is {real}."
        );
        return Err(error(
            "okta_domain.lookalike",
            msg,
            "Do not use this address; enter your org's real domain, e.g. acme.okta.com.",
        ));
    }
    let skeleton: String = real
        .chars()
        .filter(|c| *c != '-')
        .map(|c| match c {
            '0' => 'o',
            '4' => 'a',
            '7' => 't',
            c => c,
        })
        .collect();
    if skeleton.contains("okta") {
        let msg =
            format!("{host} imitates an Okta domain but is not one; Okta's domains are {}.", OKTA_SUFFIXES.join(", "));
        return Err(error(
            "okta_domain.lookalike",
            msg,
            "Do not use this address; enter your org's real domain, e.g. acme.okta.com.",
        ));
    }
    notes.push(Problem::warning(
        "okta_domain.custom_domain",
        format!("{host} is not an Okta domain; it can only work if it is your org's custom domain."),
        "Prefer the org's own domain (e.g. acme.okta.com): \
         the Admin Console's address without \"-admin\".",
    ));
    Ok(host)
}

/// Splits `host` into (what comes before the suffix, suffix) for an Okta
/// suffix matched on whole labels. `okta.com` itself gives `("", "okta.com")`.
fn split_suffix(host: &str) -> Option<(&str, &'static str)> {
    OKTA_SUFFIXES.iter().find_map(|suffix| {
        if host.eq_ignore_ascii_case(suffix) {
            return Some(("", *suffix));
        }
        let cut = host.len().checked_sub(suffix.len() + 1)?;
        let (prefix, end) = (host.get(..cut)?, host.get(cut..)?);
        let end = end.strip_prefix('.')?;
        (end.eq_ignore_ascii_case(suffix) && !prefix.is_empty()).then_some((prefix, *suffix))
    })
}

/// The registered domain, approximately: the last two labels, or three
/// under a country's `co.`/`com.`-style second level (`evil.co.uk`).
fn registrable(labels: &[&str]) -> String {
    let n = labels.len();
    let second_level = ["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or"];
    let keep = match labels {
        [.., sld, tld] if n >= 3 && tld.len() == 2 && second_level.contains(sld) => 3,
        _ => 2,
    };
    labels.get(n.saturating_sub(keep)..).unwrap_or(labels).join(".")
}

/// The ASCII letter a common Greek, Cyrillic or full-width character imitates.
fn ascii_lookalike(c: char) -> Option<char> {
    let lookalikes = [
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('к', 'k'),
        ('т', 't'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ѕ', 's'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('ӏ', 'l'),
        ('α', 'a'),
        ('ο', 'o'),
        ('κ', 'k'),
        ('τ', 't'),
        ('ε', 'e'),
        ('ι', 'i'),
        ('ν', 'v'),
        ('ρ', 'p'),
        ('υ', 'u'),
        ('ı', 'i'),
        // The capitals of the letters above (all the characters whose
        // lower case is one of them; checked by a test against
        // `char::to_lowercase`, whose tables the wasm does not carry).
        ('А', 'a'),
        ('Е', 'e'),
        ('О', 'o'),
        ('Р', 'p'),
        ('С', 'c'),
        ('У', 'y'),
        ('Х', 'x'),
        ('К', 'k'),
        ('Т', 't'),
        ('І', 'i'),
        ('Ј', 'j'),
        ('Ѕ', 's'),
        ('Ԁ', 'd'),
        ('Һ', 'h'),
        ('Ӏ', 'l'),
        ('Α', 'a'),
        ('Ο', 'o'),
        ('Κ', 'k'),
        ('Τ', 't'),
        ('Ε', 'e'),
        ('Ι', 'i'),
        ('Ν', 'v'),
        ('Ρ', 'p'),
        ('Υ', 'u'),
    ];
    lookalikes.iter().find(|(k, _)| *k == c).map(|(_, a)| *a).or_else(|| {
        // Full-width forms U+FF01..U+FF5E mirror ASCII U+0021..U+007E.
        let code = u32::from(c);
        (0xFF01..=0xFF5E).contains(&code).then(|| char::from_u32(code - 0xFEE0)).flatten()
    })
}

/// `s` with its first letter in upper case: ASCII only, which is all
/// [`describe_char`]'s texts start with ("a ", "an ", "'").
fn capitalize(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's capitals stand in for `char::to_lowercase`: every
    /// character whose lower case is a listed letter is listed itself.
    #[test]
    fn lookalikes_match_as_with_unicode_lower_case() {
        // (Full-width forms are mapped from the character itself, as before.)
        let reference = |c: char| ascii_lookalike(c.to_lowercase().next().unwrap_or(c));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|c| !('\u{FF01}'..='\u{FF5E}').contains(c)) {
            assert_eq!(ascii_lookalike(c), reference(c), "{c:?}");
        }
    }

    #[test]
    fn capitalize_is_unicode_upper_case_of_the_first_letter() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).step_by(7).chain([' ', '\t', '\u{200B}', 'a', 'é']) {
            let d = describe_char(c);
            let mut chars = d.chars();
            let want: String = chars.next().map_or_else(String::new, |f| f.to_uppercase().chain(chars).collect());
            assert_eq!(capitalize(&d), want);
        }
    }

    #[test]
    fn admin_url_is_normalized() {
        let v = okta_domain("https://acme-admin.okta.com/admin/apps/active");
        assert_eq!(v.value.as_deref(), Some("acme.okta.com"));
        assert!(v.has("okta_domain.scheme") && v.has("okta_domain.path") && v.has("okta_domain.admin"));
    }

    #[test]
    fn registrable_part() {
        assert_eq!(registrable(&["a", "evil", "co", "uk"]), "evil.co.uk");
        assert_eq!(registrable(&["okta", "com", "evil", "io"]), "evil.io");
        assert_eq!(registrable(&["io"]), "io");
    }

    #[test]
    fn suffix_split_is_label_exact() {
        assert_eq!(split_suffix("acme.okta-emea.com"), Some(("acme", "okta-emea.com")));
        assert_eq!(split_suffix("acme-okta.com"), None);
        assert_eq!(split_suffix("é.okta.com"), Some(("é", "okta.com")));
        assert_eq!(split_suffix("éokta.com"), None);
    }
}
