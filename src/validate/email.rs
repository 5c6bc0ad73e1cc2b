//! E-mail addresses (e.g. a Connected App's Contact Email). Pragmatic, not
//! RFC 5322: one `@`, a plain local part, a domain of valid labels.

use super::{describe_char, find_blank, trim_noted, Problem, Validated};

const FIX: &str = "Enter one address like admin@example.com.";

/// Validates an e-mail address; the value is the trimmed address.
pub fn email(input: &str) -> Validated {
    let mut problems = Vec::new();
    let s = trim_noted("email.trimmed", input, &mut problems);
    match check(s, &mut problems) {
        Ok(()) => Validated { value: Some(s.to_string()), problems },
        Err(error) => {
            problems.push(error);
            Validated { value: None, problems }
        }
    }
}

fn err(code: &'static str, message: impl Into<String>) -> Problem {
    Problem::error(code, message, FIX)
}

fn check(s: &str, warnings: &mut Vec<Problem>) -> Result<(), Problem> {
    if s.is_empty() {
        return Err(err("email.empty", "The e-mail address is empty."));
    }
    if let Some((pos, c)) = find_blank(s) {
        return Err(err("email.whitespace", format!("The address contains {} at character {pos}.", describe_char(c))));
    }
    let (local, domain) = match s.matches('@').count() {
        0 => return Err(err("email.missing_at", "The address has no \"@\".")),
        1 => s.split_once('@').unwrap_or_default(),
        n => return Err(err("email.multiple_at", format!("The address has {n} \"@\" signs; it needs exactly one."))),
    };
    check_local(local, warnings)?;
    check_domain(domain, warnings)?;
    if s.len() > 254 {
        return Err(err("email.too_long", format!("The address is {} characters long; the limit is 254.", s.len())));
    }
    Ok(())
}

fn check_local(local: &str, warnings: &mut Vec<Problem>) -> Result<(), Problem> {
    if local.is_empty() {
        return Err(err("email.empty_local", "Nothing comes before the \"@\"."));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(err(
            "email.local_dots",
            "The part before \"@\" starts or ends with a dot, or has two dots in a row.",
        ));
    }
    if let Some(c) =
        local.chars().find(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(*c)))
    {
        return Err(err(
            "email.invalid_char",
            format!("The part before \"@\" contains {}, which addresses do not allow there.", describe_char(c)),
        ));
    }
    if local.len() > 64 {
        return Err(err("email.too_long", "The part before \"@\" is longer than 64 characters."));
    }
    if let Some(c) = local.chars().find(|c| !c.is_ascii()) {
        let msg = format!(
            "The part before \"@\" contains {}; many mail systems reject non-ASCII addresses.",
            describe_char(c)
        );
        warnings.push(Problem::warning("email.non_ascii_local", msg, "Use a plain ASCII address if you have one."));
    }
    Ok(())
}

fn check_domain(domain: &str, warnings: &mut Vec<Problem>) -> Result<(), Problem> {
    if domain.is_empty() {
        return Err(err("email.empty_domain", "Nothing comes after the \"@\"."));
    }
    if domain.ends_with('.') {
        return Err(err("email.trailing_dot", "The address ends with a dot."));
    }
    if !domain.contains('.') {
        return Err(err(
            "email.domain_no_dot",
            format!("The domain \"{domain}\" has no dot; it needs one, as in example.com."),
        ));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(err("email.domain_label", "The domain starts with a dot or has two dots in a row."));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(err(
                "email.domain_label",
                format!("The domain part \"{label}\" starts or ends with a hyphen."),
            ));
        }
        if label.chars().count() > 63 {
            return Err(err("email.domain_label", "A part of the domain is longer than 63 characters."));
        }
        if let Some(c) = label.chars().find(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(err(
                "email.domain_char",
                format!("The domain contains {}, which domain names do not allow.", describe_char(c)),
            ));
        }
    }
    if domain.rsplit('.').next().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        return Err(err("email.domain_tld", "The domain ends in a number; it must end in a name like .com."));
    }
    if let Some(c) = domain.chars().find(|c| !c.is_ascii()) {
        let msg = format!("The domain contains {}; it may be a lookalike of a plain-letter domain.", describe_char(c));
        warnings.push(Problem::warning("email.non_ascii_domain", msg, "Check the domain, or type it by hand."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_address() {
        assert_eq!(email(" admin@example.com\n").value.as_deref(), Some("admin@example.com"));
        assert!(email("admin@example").has("email.domain_no_dot"));
    }
}
