#![no_main]

use keyferry::validate::credential::{credential, looks_masked, CredentialKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [CredentialKind; 6] = [
    CredentialKind::OktaClientId,
    CredentialKind::OktaClientSecret,
    CredentialKind::OktaApiToken,
    CredentialKind::SalesforceConsumerKey,
    CredentialKind::SalesforceConsumerSecret,
    CredentialKind::PrivateKeyPem,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let input = String::from_utf8_lossy(rest);
    let _ = credential(KINDS[usize::from(selector) % KINDS.len()], &input);
    let _ = looks_masked(&input);
});
