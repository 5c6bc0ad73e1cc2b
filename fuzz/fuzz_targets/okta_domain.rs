#![no_main]

use keyferry::validate::okta_domain::{is_okta_org_host, okta_domain, okta_domain_from_admin_host};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let first = okta_domain(&input);
    // Normalizing is idempotent: a normalized value comes back unchanged.
    if let Some(value) = &first.value {
        assert_eq!(okta_domain(value).value.as_ref(), Some(value));
    }
    let _ = okta_domain_from_admin_host(&input);
    let _ = is_okta_org_host(&input);
});
