//! Callback (redirect) URLs must match exactly. When they don't, say why:
//! a stray slash, `http`, a space, another data center's host…

use super::datacenter::DataCenter;
use super::{clip, describe_char, is_blank, Problem, Validated};

/// Checks that `input` is exactly `expected`, diagnosing each difference
/// with its own code. On success the value is the URL.
pub fn callback_url(expected: &str, input: &str) -> Validated {
    if input == expected {
        return Validated::ok(input);
    }
    let fix = format!("Use exactly {expected}");
    if input.chars().all(is_blank) {
        return Validated::fail(Problem::error("callback.empty", "The callback URL is empty.", fix));
    }
    let mut problems = Vec::new();
    let cleaned: String = input.chars().filter(|c| !is_blank(*c)).collect();
    if let Some((pos, c)) = input.chars().zip(1..).find(|(c, _)| is_blank(*c)).map(|(c, i)| (i, c)) {
        let after = input.chars().skip(pos).all(is_blank);
        let place = match (pos == 1, after) {
            (true, _) => "before the URL".to_string(),
            (false, true) => "after the URL".to_string(),
            (false, false) => format!("inside the URL, at character {pos}"),
        };
        let msg = format!("There is {} {place}.", describe_char(c));
        problems.push(Problem::error("callback.whitespace", msg, fix.clone()));
    }
    diagnose(expected, &cleaned, &fix, &mut problems);
    Validated { value: None, problems }
}

/// For multi-line fields (Salesforce's Callback URL textarea holds one URL
/// per line): passes when any line is exactly `expected`, otherwise
/// diagnoses the line closest to it.
pub fn callback_list_contains(expected: &str, input: &str) -> Validated {
    let lines: Vec<&str> = input.split(['\n', '\r']).filter(|l| !l.chars().all(is_blank)).collect();
    if lines.contains(&expected) {
        return Validated::ok(expected);
    }
    // A callback list is short; past 50 lines, closeness is not worth the time.
    let closest = lines.iter().zip(1..).take(50).min_by_key(|(line, _)| distance(line, expected));
    match closest {
        Some((line, n)) if lines.len() > 1 => {
            let mut v = callback_url(expected, line);
            for p in &mut v.problems {
                p.message = format!("Line {n} (the closest of {}): {}", lines.len(), p.message);
            }
            v
        }
        Some((line, _)) => callback_url(expected, line),
        None => callback_url(expected, ""),
    }
}

/// Compares `cleaned` (no blanks) with `expected` part by part.
fn diagnose(expected: &str, cleaned: &str, fix: &str, problems: &mut Vec<Problem>) {
    if cleaned == expected {
        return;
    }
    let Some((es, eh, ep)) = split(expected) else { return mismatch(expected, fix, problems) };
    let found = problems.len();
    let with_scheme;
    let (s, h, p) = match split(cleaned) {
        Some(parts) => parts,
        // Without a scheme, diagnose further only if a host name follows.
        None if !cleaned.split(['/', '?', '#']).next().unwrap_or_default().contains('.') => {
            return mismatch(expected, fix, problems)
        }
        None => {
            let msg = format!("The URL lacks \"{es}://\" at the start.");
            problems.push(Problem::error("callback.scheme", msg, fix));
            with_scheme = format!("{es}://{cleaned}");
            split(&with_scheme).unwrap_or((es, "", ""))
        }
    };
    let mut explained = true;
    if s != es {
        if s.eq_ignore_ascii_case(es) {
            problems.push(Problem::error("callback.case", format!("\"{s}://\" should be lowercase \"{es}://\"."), fix));
        } else {
            let msg = format!("The URL starts with \"{}://\" instead of \"{es}://\".", clip(s, 20));
            problems.push(Problem::error("callback.scheme", msg, fix));
        }
    }
    if h != eh {
        if h.eq_ignore_ascii_case(eh) {
            let msg = format!("The host \"{}\" differs from \"{eh}\" in upper/lower case.", clip(h, 60));
            problems.push(Problem::error("callback.case", msg, fix));
        } else {
            problems.push(Problem::error("callback.wrong_host", wrong_host(h, eh), fix));
        }
    }
    if p != ep {
        if p.is_empty() || p == "/" {
            let msg = format!("The URL stops after the host; the path \"{ep}\" is missing.");
            problems.push(Problem::error("callback.missing_path", msg, fix));
        } else if p.strip_suffix('/') == Some(ep) {
            problems.push(Problem::error("callback.trailing_slash", "The URL has an extra \"/\" at the end.", fix));
        } else if ep.strip_suffix('/') == Some(p) {
            problems.push(Problem::error("callback.trailing_slash", "The URL lacks the \"/\" at the end.", fix));
        } else if p.eq_ignore_ascii_case(ep) {
            let msg = format!("The path differs from \"{ep}\" in upper/lower case; paths are case-sensitive.");
            problems.push(Problem::error("callback.case", msg, fix));
        } else {
            explained = false;
        }
    }
    if !explained || problems.len() == found {
        mismatch(expected, fix, problems);
    }
}

fn mismatch(expected: &str, fix: &str, problems: &mut Vec<Problem>) {
    let msg = format!("This is not the expected callback URL, {expected}.");
    problems.push(Problem::error("callback.mismatch", msg, fix));
}

/// Names the data centers involved when both hosts are Workato's.
fn wrong_host(host: &str, expected_host: &str) -> String {
    let shown = clip(host, 60);
    match (DataCenter::from_host(host), DataCenter::from_host(expected_host)) {
        (Some(got), Some(want)) if got == want => {
            format!("For the {} data center the callback host is {expected_host}, not {shown}.", want.label())
        }
        (Some(got), Some(want)) => format!(
            "{shown} belongs to the {} data center, but the chosen data center is {} ({expected_host}).",
            got.label(),
            want.label()
        ),
        _ => format!("The host is {shown} instead of {expected_host}."),
    }
}

/// (scheme, host, rest from the first `/`, `?` or `#`) of an absolute URL.
fn split(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, after) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    Some((scheme, host, after))
}

/// Edit distance in characters (inputs are clipped to keep it cheap).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(120).collect();
    let b: Vec<char> = b.chars().take(120).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = cur.last().copied().unwrap_or(0) + 1;
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn splits_urls() {
        assert_eq!(split("https://h.example/a?b"), Some(("https", "h.example", "/a?b")));
        assert_eq!(split("https://h.example"), Some(("https", "h.example", "")));
    }
}
