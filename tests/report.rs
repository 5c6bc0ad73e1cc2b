//! Cross-console progress and the redacted setup report.

use keyferry::catalog::{self, Slot};
use keyferry::checklist::{self, Context};
use keyferry::report::{self, Hosts, Progress, Report, StepState};
use keyferry::settings::DataCenterKnown;
use keyferry::validate::DataCenter;
use keyferry::vault::Vault;

const T0: u64 = 1_795_000_000_000;
const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
const SECRET: &str = "hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5";

fn record(p: &mut Progress, integration: &str, page: &str, host: &str, at: u64) {
    let page = catalog::page(page).unwrap();
    let i = catalog::integration(integration).unwrap();
    let c = checklist::evaluate(page, Some(i), &[], &Context::default());
    p.record(i.id, &c, host, at);
}

#[test]
fn progress_walks_every_step_with_states_and_links() {
    let i = catalog::integration("workato-okta-auth-code").unwrap();
    let mut p = Progress::default();
    let mut v = Vault::default();
    let hosts = Hosts::known(i, &v, &p, Some(DataCenter::Eu), T0);
    let empty = report::progress_for(i, &p, &hosts);
    assert_eq!(empty.steps.len(), i.steps.len());
    assert!(empty.steps.iter().all(|s| s.state == StepState::Todo && s.host.is_none()));
    assert_eq!(empty.next, Some(0));
    assert!(empty.steps.iter().flat_map(|s| &s.requirements).all(|r| r.status.as_str() == "unseen"));
    // No Okta host known yet: no link to Okta pages; Workato from the data center.
    assert!(empty.steps[0].link.is_none());
    let wk = empty.steps.iter().find(|s| s.page == "workato.connection.new").unwrap();
    assert_eq!(wk.link.as_deref(), Some("https://app.eu.workato.com/connections/new"));

    // A page seen with no facts: its items are unknown, so the step is to do,
    // and it records the host and time.
    record(&mut p, i.id, "okta.app.general", "acme-admin.okta.com", T0);
    v.capture(Slot::OktaClientSecret, SECRET, i, "acme-admin.okta.com", T0).unwrap();
    let hosts = Hosts::known(i, &v, &p, Some(DataCenter::Us), T0);
    let prog = report::progress_for(i, &p, &hosts);
    let general = prog.steps.iter().find(|s| s.page == "okta.app.general").unwrap();
    assert_eq!(general.host.as_deref(), Some("acme-admin.okta.com"));
    assert_eq!(general.state, StepState::Todo);
    assert!(general.requirements.iter().all(|r| r.status.as_str() == "unknown"));
    // The Okta admin host is known now: links to Okta pages.
    assert_eq!(prog.steps[0].link.as_deref().map(|l| l.starts_with("https://acme-admin.okta.com/")), Some(true));
    // Records of another integration do not leak in.
    record(&mut p, "workato-okta-client-credentials", "okta.app.api_scopes", "other-admin.okta.com", T0);
    let again = report::progress_for(i, &p, &hosts);
    assert!(again.steps.iter().find(|s| s.page == "okta.app.api_scopes").unwrap().host.is_none());
}

#[test]
fn progress_restore_drops_unknown_entries() {
    let mut p = Progress::default();
    record(&mut p, "workato-okta-api-key", "okta.api.tokens", "acme-admin.okta.com", T0);
    let json = serde_json::to_string(&p).unwrap();
    let mut saved: Progress = serde_json::from_str(&json).unwrap();
    saved.pages.push(report::PageSeen {
        integration: "nope".into(),
        page: "okta.api.tokens".into(),
        host: "x".into(),
        seen_at_ms: T0,
        items: vec![],
    });
    saved.pages.push(report::PageSeen {
        integration: "workato-okta-api-key".into(),
        page: "okta.api.tokens".into(),
        host: "<script>".into(),
        seen_at_ms: T0,
        items: vec![],
    });
    let back = Progress::restore(saved);
    assert_eq!(back, p);
}

#[test]
fn report_has_verified_requirements_hosts_and_no_secret() {
    let i = catalog::integration("workato-okta-auth-code").unwrap();
    let mut v = Vault::default();
    v.capture(Slot::OktaClientId, CLIENT_ID, i, "acme-admin.okta.com", T0).unwrap();
    v.capture(Slot::OktaClientSecret, SECRET, i, "acme-admin.okta.com", T0).unwrap();
    let mut p = Progress::default();
    record(&mut p, i.id, "okta.app.general", "acme-admin.okta.com", T0);
    let hosts = Hosts::known(i, &v, &p, Some(DataCenter::Us), T0);
    let prog = report::progress_for(i, &p, &hosts);
    let r = Report::build(i, &prog, &v, Some(DataCenterKnown::Chosen(DataCenter::Us)), T0 + 1000);
    let json = serde_json::to_string_pretty(&r).unwrap();
    let md = r.to_markdown();
    for text in [&json, &md] {
        assert!(!text.contains(SECRET), "secret in report");
        assert!(!text.contains(&SECRET[..12]), "part of the secret in report");
        assert!(!text.contains(CLIENT_ID), "client id in report");
        assert!(text.contains("acme-admin.okta.com"));
        assert!(text.contains("acme.okta.com"));
        assert!(text.contains("okta.client_secret"));
        assert!(text.contains("okta.general.client_id"));
    }
    assert_eq!(r.generated_at, report::iso8601(T0 + 1000));
    assert!(md.starts_with("# keyferry setup report: "));
    assert_eq!(r.captured.len(), 2);
    let gen = r.steps.iter().find(|s| s.page == "okta.app.general").unwrap();
    assert!(gen.requirements.iter().all(|q| q.verified_at.as_deref() == Some(report::iso8601(T0).as_str())));
    let unseen = r.steps.iter().find(|s| s.page == "workato.connection.new").unwrap();
    assert!(unseen.requirements.iter().all(|q| q.verified_at.is_none()));
}

#[test]
fn report_says_whether_the_data_center_was_chosen_seen_or_unknown() {
    let i = catalog::integration("workato-okta-auth-code").unwrap();
    let (v, p) = (Vault::default(), Progress::default());
    // Unknown: no Workato host is guessed for the next-step link either.
    assert_eq!(Hosts::known(i, &v, &p, None, T0).workato, None);
    let dc = |k| {
        let hosts = Hosts::known(i, &v, &p, None, T0);
        Report::build(i, &report::progress_for(i, &p, &hosts), &v, k, T0).workato_data_center
    };
    assert_eq!(dc(None), "not chosen");
    assert_eq!(dc(Some(DataCenterKnown::Chosen(DataCenter::Eu))), "EU (app.eu.workato.com)");
    let seen = dc(Some(DataCenterKnown::Seen(DataCenter::Eu)));
    assert!(seen.starts_with("EU (app.eu.workato.com)") && seen.contains("not chosen"), "{seen}");
}

#[test]
fn iso8601_is_utc() {
    assert_eq!(report::iso8601(0), "1970-01-01T00:00:00Z");
    assert_eq!(report::iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    assert_eq!(report::iso8601(1_795_000_000_000), "2026-11-18T11:06:40Z");
}
