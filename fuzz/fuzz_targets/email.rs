#![no_main]

use keyferry::validate::email::email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = email(&String::from_utf8_lossy(data));
});
