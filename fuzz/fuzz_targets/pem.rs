#![no_main]

use keyferry::validate::pem::private_key_pem;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = private_key_pem(&input);
    // Also as the body of a well-formed block, to reach the DER walker.
    let _ = private_key_pem(&format!("-----BEGIN PRIVATE KEY-----\n{input}\n-----END PRIVATE KEY-----\n"));
});
