#![no_main]

use keyferry::recognize::{candidates, host_allowed, Location};
use libfuzzer_sys::fuzz_target;

/// Registrable domains a console host may be on (the catalog's host lists).
const DOMAINS: &[&str] = &[
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "salesforce.com",
    "force.com",
    "salesforce-setup.com",
    "visualforce.com",
    "cloudforce.com",
    "workato.com",
    "workatoapp.cn",
];

fuzz_target!(|data: &[u8]| {
    let url = String::from_utf8_lossy(data);
    let pages = candidates(&url, &[]);
    let allowed = host_allowed(&url, &[]);
    // A page is only found on an allowed host, and an allowed host is on a
    // known domain, on a label boundary.
    assert!(pages.is_empty() || allowed);
    if allowed {
        let host = Location::parse(&url).expect("an allowed URL parses").host;
        assert!(
            DOMAINS.iter().any(|d| host == *d || host.strip_suffix(d).is_some_and(|rest| rest.ends_with('.'))),
            "{host}"
        );
    }
});
