#![no_main]

use keyferry::validate::callback::{callback_list_contains, callback_url};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    // First line: the expected URL; the rest: what was typed.
    let (expected, typed) = input.split_once('\n').unwrap_or(("https://www.workato.com/oauth/callback", &input));
    assert!(callback_url(expected, expected).is_ok());
    let _ = callback_url(expected, typed);
    let _ = callback_list_contains(expected, typed);
});
