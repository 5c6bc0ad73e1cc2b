//! Bounded work on hostile input (SECURITY.md, scenario 7): the scopes field
//! can hold up to 64 KiB of page text in every report. parse() once dropped
//! duplicates by a linear search and every unknown-scope message rebuilt the
//! list of known scopes: this input took ~7 s (debug build) before the fix and
//! makes the fuzz target's speed the figure to watch (no timing asserted here).
#![cfg(not(target_arch = "wasm32"))]

use keyferry::catalog::AuthType;
use keyferry::validate::scopes;

#[test]
fn a_64_kib_scope_list_of_distinct_unknown_scopes_is_checked() {
    // ~9,000 distinct unknown scopes, close to the agent's text limit.
    let input: String = (0..9_000).map(|i| format!("x{i} ")).collect::<String>();
    let input = &input[..input.len().min(60_000)];
    for auth in [AuthType::AuthCode, AuthType::ClientCredentials, AuthType::ApiKey] {
        let v = scopes::check(auth, input);
        assert!(v.problems.len() > 1000);
    }
    let parsed = scopes::parse(input);
    assert!(parsed.len() > 8_000);
}
