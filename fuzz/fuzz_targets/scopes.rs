#![no_main]

use keyferry::catalog::AuthType;
use keyferry::validate::scopes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let parsed = scopes::parse(&input);
    let refs: Vec<&str> = parsed.iter().map(String::as_str).collect();
    assert_eq!(scopes::parse(&scopes::join(&refs)), parsed);
    for auth in [AuthType::AuthCode, AuthType::ClientCredentials, AuthType::ApiKey] {
        let _ = scopes::check(auth, &input);
        let _ = scopes::missing(auth, &parsed);
    }
});
