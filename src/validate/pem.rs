//! The private key for Okta's client-credentials flow, as Workato's
//! "Private key" field wants it: an unencrypted PKCS#8 PEM block
//! (`-----BEGIN PRIVATE KEY-----`) holding an RSA or EC key.
//!
//! Includes a tiny base64 decoder and DER walker; both reject bad input
//! without panicking.

use super::{describe_char, is_blank, Problem, Validated};

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";
const CONVERT: &str = "Convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";
const NEW_KEY: &str = "In Okta, open the app's General tab, Public keys → Add key → Generate new key, \
                       choose PEM and copy the private key (Okta shows it only once).";
const RECOPY: &str = "Copy the whole key again, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.";

/// Validates a private key. The value is the key as canonical PEM: `\n`
/// line endings, base64 wrapped at 64 columns, ending with a newline.
/// Notes say whether it is an RSA (`pem.rsa`) or EC (`pem.ec`) key.
pub fn private_key_pem(input: &str) -> Validated {
    let mut problems = Vec::new();
    match check(input, &mut problems) {
        Ok(value) => Validated { value: Some(value), problems },
        Err(error) => {
            problems.push(error);
            Validated { value: None, problems }
        }
    }
}

fn err(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::error(code, message, fix)
}

fn check(input: &str, notes: &mut Vec<Problem>) -> Result<String, Problem> {
    let mut text = input.replace("\r\n", "\n").replace('\r', "\n");
    if !text.contains('\n') && text.contains("\\n") {
        text = text.replace("\\n", "\n");
        notes.push(Problem::note("pem.escaped_newlines", "Turned the \"\\n\" sequences into real line breaks."));
    }
    let trimmed = text.trim_matches(is_blank);
    let start = text.len() - text.trim_start_matches(is_blank).len();
    let first_line = 1 + text.get(..start).unwrap_or_default().matches('\n').count();
    if trimmed.is_empty() {
        return Err(err("pem.empty", "The private key is empty.", NEW_KEY));
    }
    let single_newline_end = text.strip_suffix('\n').unwrap_or(&text);
    if single_newline_end.trim_matches(is_blank).len() != single_newline_end.len() {
        notes.push(Problem::warning(
            "pem.surrounding_blank",
            "There were blank lines or spaces around the key; they were removed.",
            "Paste the key without them.",
        ));
    }
    let (label, body_start) = begin_line(trimmed)?;
    classify_label(label)?;
    let end_start = trimmed
        .get(body_start..)
        .and_then(|rest| rest.find(END))
        .map(|i| i + body_start)
        .ok_or_else(|| err("pem.missing_end", "The -----END PRIVATE KEY----- line is missing.", RECOPY))?;
    let after_end = end_start + END.len();
    let end_label = armor_label(trimmed, after_end).ok_or_else(|| {
        err("pem.missing_end", "The END line is incomplete; it must read -----END PRIVATE KEY-----.", RECOPY)
    })?;
    if end_label != label {
        let msg = format!("The block starts with BEGIN {label} but ends with END {end_label}.");
        return Err(err("pem.label_mismatch", msg, RECOPY));
    }
    let before = trimmed.get(..trimmed.find(BEGIN).unwrap_or(0)).unwrap_or_default();
    let after = trimmed.get(after_end + end_label.len() + DASHES.len()..).unwrap_or_default();
    if !before.is_empty() || !after.is_empty() {
        let place = if before.is_empty() { "after the END line" } else { "before the BEGIN line" };
        let msg = format!("There is other text {place}; the field must hold only the key.");
        return Err(err("pem.extra_text", msg, "Delete everything outside the BEGIN and END lines."));
    }
    let body = trimmed.get(body_start..end_start).unwrap_or_default();
    let line_offset = first_line + trimmed.get(..body_start).unwrap_or_default().matches('\n').count();
    let (b64, reflowed) = collect_base64(body, line_offset)?;
    if reflowed {
        notes.push(Problem::note(
            "pem.reflowed",
            "The key's line breaks had been lost (spaces or one long line); they were restored.",
        ));
    }
    let der = decode_base64(&b64).ok_or_else(|| {
        err("pem.base64", "The key's base64 text has an impossible length, so part of it is missing.", RECOPY)
    })?;
    match pkcs8(&der)? {
        Key::Rsa(bits) => {
            notes.push(Problem::note("pem.rsa", format!("RSA key, {bits}-bit.")));
            if bits < 2048 {
                let msg = format!("This RSA key has only {bits} bits; Okta expects at least 2048.");
                notes.push(Problem::warning("pem.weak_rsa", msg, NEW_KEY));
            }
        }
        Key::Ec(curve) => notes.push(Problem::note("pem.ec", format!("EC key, {curve}."))),
    }
    let lines: Vec<String> = b64.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    Ok(format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n")))
}

/// Finds the first BEGIN line: (label, index just after it). Errors for
/// JSON keys, missing or repeated BEGIN lines.
fn begin_line(text: &str) -> Result<(&str, usize), Problem> {
    if text.starts_with('{') {
        return Err(if text.contains("\"kty\"") {
            err(
                "pem.jwk",
                "This is a key in JSON (JWK) format; the connection needs PEM.",
                "In Okta's key dialog, choose PEM instead of JSON, then copy the private key.",
            )
        } else {
            err("pem.missing_begin", "This is JSON, not a PEM key.", NEW_KEY)
        });
    }
    let labels: Vec<&str> = text.match_indices(BEGIN).filter_map(|(i, _)| armor_label(text, i + BEGIN.len())).collect();
    let Some(b) = text.find(BEGIN) else {
        let msg = if text.contains(END) {
            "There is an END line but no -----BEGIN PRIVATE KEY----- line."
        } else if text.starts_with("MII") {
            "This is the key's content without its -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines."
        } else {
            "This is not a PEM key: the -----BEGIN PRIVATE KEY----- line is missing."
        };
        return Err(err("pem.missing_begin", msg, RECOPY));
    };
    if labels.len() > 1 {
        let msg = format!(
            "There are {} PEM blocks here ({}); the field takes only the private key.",
            labels.len(),
            labels.join(", ")
        );
        return Err(err(
            "pem.multiple",
            msg,
            "Keep only the -----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY----- block.",
        ));
    }
    let label = armor_label(text, b + BEGIN.len()).ok_or_else(|| {
        err("pem.missing_begin", "The BEGIN line is incomplete; it must read -----BEGIN PRIVATE KEY-----.", RECOPY)
    })?;
    Ok((label, b + BEGIN.len() + label.len() + DASHES.len()))
}

/// The label of a BEGIN/END line whose label starts at `from`: capital
/// letters, digits and spaces up to the closing dashes.
fn armor_label(text: &str, from: usize) -> Option<&str> {
    let rest = text.get(from..)?;
    let label = rest.get(..rest.find(DASHES)?)?;
    let valid = !label.is_empty() && label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    valid.then_some(label)
}

/// Explains every label other than `PRIVATE KEY`.
fn classify_label(label: &str) -> Result<(), Problem> {
    let (code, msg, fix) = match label {
        "PRIVATE KEY" => return Ok(()),
        "RSA PRIVATE KEY" => (
            "pem.pkcs1",
            "This RSA key is in the older PKCS#1 format (BEGIN RSA PRIVATE KEY); \
             the connection needs PKCS#8 (BEGIN PRIVATE KEY).",
            CONVERT,
        ),
        "EC PRIVATE KEY" => (
            "pem.sec1",
            "This EC key is in the SEC1 format (BEGIN EC PRIVATE KEY); \
             the connection needs PKCS#8 (BEGIN PRIVATE KEY).",
            CONVERT,
        ),
        "ENCRYPTED PRIVATE KEY" => (
            "pem.encrypted",
            "This key is protected by a password; the connection needs the unencrypted key.",
            "Remove the password (openssl asks for it): openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem",
        ),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => (
            "pem.public_key",
            "This is the public half of the key pair; the connection needs the private key.",
            NEW_KEY,
        ),
        l if l.ends_with("CERTIFICATE") => ("pem.certificate", "This is a certificate, not a private key.", NEW_KEY),
        _ => {
            let msg = format!(
                "BEGIN {label} is not a key format the connection accepts; it needs BEGIN PRIVATE KEY (PKCS#8)."
            );
            return Err(err("pem.unsupported_label", msg, NEW_KEY));
        }
    };
    Err(err(code, msg, fix))
}

/// The base64 text of the body, and whether its line breaks had to be
/// rebuilt. Names the line of the first character that is not base64.
/// `first_line` is the line number of the body's first (partial) line.
fn collect_base64(body: &str, first_line: usize) -> Result<(String, bool), Problem> {
    let mut b64 = String::new();
    let mut reflowed = false;
    let mut padded = false;
    let last = body.matches('\n').count();
    for ((line, n), i) in body.split('\n').zip(first_line..).zip(0..) {
        if line.starts_with("Proc-Type:") || line.starts_with("DEK-Info:") {
            let msg = "This key is protected by a password (it has Proc-Type/DEK-Info lines); \
                       the connection needs the unencrypted key.";
            return Err(err("pem.encrypted", msg, CONVERT));
        }
        let chunks: Vec<&str> = line.split(is_blank).filter(|c| !c.is_empty()).collect();
        // Text on the BEGIN or END line itself, or several pieces on one line.
        reflowed |= chunks.len() > 1 || ((i == 0 || i == last) && !chunks.is_empty());
        for chunk in chunks {
            if let Some(c) = chunk.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))) {
                let msg = format!("Line {n} contains {}, which does not belong in a key.", describe_char(c));
                return Err(err("pem.base64", msg, RECOPY));
            }
            if padded || chunk.trim_end_matches('=').contains('=') {
                let msg = format!(
                    "Line {n} has text after the \"=\" that ends the key's base64; \
                     lines are out of order or mixed with other text."
                );
                return Err(err("pem.base64", msg, RECOPY));
            }
            padded = chunk.ends_with('=');
            b64.push_str(chunk);
        }
    }
    if b64.is_empty() {
        return Err(err("pem.empty_body", "There is nothing between the BEGIN and END lines.", RECOPY));
    }
    Ok((b64, reflowed))
}

/// Strict base64 (standard alphabet, padded). `None` on any deviation.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let pad = bytes.iter().rev().take_while(|b| **b == b'=').count();
    if pad > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes.get(..bytes.len() - pad)? {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Why a DER element could not be read.
enum DerError {
    Truncated,
    Invalid,
}

/// Reads one DER element: (tag, content, what follows it).
fn tlv(data: &[u8]) -> Result<(u8, &[u8], &[u8]), DerError> {
    let (&tag, rest) = data.split_first().ok_or(DerError::Truncated)?;
    if tag & 0x1f == 0x1f {
        return Err(DerError::Invalid); // multi-byte tags never occur in keys
    }
    let (&first, rest) = rest.split_first().ok_or(DerError::Truncated)?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7f);
            let digits = rest.get(..n).ok_or(DerError::Truncated)?;
            let len = digits.iter().fold(0usize, |acc, d| (acc << 8) | usize::from(*d));
            (len, rest.get(n..).ok_or(DerError::Truncated)?)
        }
        _ => return Err(DerError::Invalid), // indefinite or absurd lengths
    };
    let content = rest.get(..len).ok_or(DerError::Truncated)?;
    Ok((tag, content, rest.get(len..).unwrap_or_default()))
}

/// Reads an element that must have `tag`.
fn expect(data: &[u8], tag: u8) -> Result<(&[u8], &[u8]), Problem> {
    match tlv(data) {
        Ok((t, content, rest)) if t == tag => Ok((content, rest)),
        Ok(_) | Err(DerError::Invalid) => Err(damaged("its structure is not that of a PKCS#8 private key")),
        Err(DerError::Truncated) => {
            Err(err("pem.der_truncated", "The key data ends too early; part of the key is missing.", RECOPY))
        }
    }
}

fn damaged(why: &str) -> Problem {
    err("pem.der_structure", format!("The key decodes, but {why}."), RECOPY)
}

const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];

/// What a valid PKCS#8 key holds.
enum Key {
    /// RSA, with the modulus size in bits.
    Rsa(usize),
    /// EC, with the curve's name.
    Ec(String),
}

/// Walks a PKCS#8 PrivateKeyInfo.
fn pkcs8(der: &[u8]) -> Result<Key, Problem> {
    match tlv(der) {
        Ok((0x30, _, _)) => {}
        Ok(_) | Err(DerError::Invalid) => {
            return Err(err(
                "pem.der_not_sequence",
                "The decoded key does not start with a DER SEQUENCE, so it is not a key.",
                RECOPY,
            ))
        }
        Err(DerError::Truncated) => {
            return Err(err("pem.der_truncated", "The key data ends too early; part of the key is missing.", RECOPY))
        }
    }
    let (info, trailing) = expect(der, 0x30)?;
    if !trailing.is_empty() {
        return Err(damaged("extra bytes follow it"));
    }
    let (version, info) = expect(info, 0x02)?;
    if version != [0] && version != [1] {
        return Err(damaged("its version number is not 0 or 1"));
    }
    if matches!(tlv(info), Ok((0x02, _, _))) {
        return Err(err(
            "pem.pkcs1",
            "The content is an RSA key in PKCS#1 format under a BEGIN PRIVATE KEY line.",
            CONVERT,
        ));
    }
    let (algorithm, info) = expect(info, 0x30)?;
    let (oid, params) = expect(algorithm, 0x06)?;
    let (key, _) = expect(info, 0x04)?;
    if oid == OID_RSA {
        rsa_bits(key).map(Key::Rsa).ok_or_else(|| damaged("the RSA key inside is malformed"))
    } else if oid == OID_EC {
        expect(key, 0x30).map_err(|_| damaged("the EC key inside is malformed"))?;
        let curve = match expect(params, 0x06) {
            Ok((c, _)) => curve_name(c),
            Err(_) => "unnamed curve".to_string(),
        };
        Ok(Key::Ec(curve))
    } else {
        let dotted = oid_string(oid);
        let name = algorithm_name(&dotted).map(|n| format!("{n}, ")).unwrap_or_default();
        let msg = format!(
            "The key's algorithm ({name}OID {dotted}) is not supported; \
             Okta accepts RSA or EC keys for signed client assertions."
        );
        Err(err("pem.algorithm", msg, NEW_KEY))
    }
}

/// Modulus size of a PKCS#1 RSAPrivateKey.
fn rsa_bits(key: &[u8]) -> Option<usize> {
    let (seq, _) = tlv(key).ok().filter(|(t, _, _)| *t == 0x30).map(|(_, c, r)| (c, r))?;
    let (_, _, rest) = tlv(seq).ok().filter(|(t, _, _)| *t == 0x02)?;
    let (_, modulus, _) = tlv(rest).ok().filter(|(t, _, _)| *t == 0x02)?;
    let digits: Vec<u8> = modulus.iter().copied().skip_while(|b| *b == 0).collect();
    let top = digits.first()?;
    Some((digits.len() - 1) * 8 + (8 - top.leading_zeros() as usize))
}

fn curve_name(oid: &[u8]) -> String {
    match oid {
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07] => "P-256".into(),
        [0x2B, 0x81, 0x04, 0x00, 0x22] => "P-384".into(),
        [0x2B, 0x81, 0x04, 0x00, 0x23] => "P-521".into(),
        other => format!("curve {}", oid_string(other)),
    }
}

fn algorithm_name(dotted: &str) -> Option<&'static str> {
    Some(match dotted {
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10046.2.1" => "Diffie-Hellman",
        _ => return None,
    })
}

/// Dotted form of a DER object identifier ("?" when malformed).
fn oid_string(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for &b in oid {
        if acc > u64::MAX >> 7 {
            return "?".into();
        }
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
        }
    }
    let Some((&first, rest)) = arcs.split_first() else { return "?".into() };
    let (a, b) = if first < 80 { (first / 40, first % 40) } else { (2, first - 80) };
    let mut parts = vec![a.to_string(), b.to_string()];
    parts.extend(rest.iter().map(u64::to_string));
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("TWFu"), Some(b"Man".to_vec()));
        assert_eq!(decode_base64("TWE="), Some(b"Ma".to_vec()));
        assert_eq!(decode_base64("TQ=="), Some(b"M".to_vec()));
        assert_eq!(decode_base64("TQ="), None);
        assert_eq!(decode_base64("T==="), None);
        assert_eq!(decode_base64("T=Q="), None);
    }

    #[test]
    fn oids_print() {
        assert_eq!(oid_string(OID_RSA), "1.2.840.113549.1.1.1");
        assert_eq!(oid_string(OID_EC), "1.2.840.10045.2.1");
        assert_eq!(oid_string(&[0x2B, 0x65, 0x70]), "1.3.101.112");
        assert_eq!(oid_string(&[]), "?");
    }

    #[test]
    fn der_lengths() {
        assert!(matches!(tlv(&[0x30, 0x82, 0x00]), Err(DerError::Truncated)));
        assert!(matches!(tlv(&[0x30, 0x80]), Err(DerError::Invalid)));
        assert!(matches!(tlv(&[0x04, 0x01, 0xAA, 0xBB]), Ok((0x04, [0xAA], [0xBB]))));
    }
}
