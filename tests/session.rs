//! Whole flows through `keyferry::session::Session`, the background as a
//! state machine: the inputs the browser side turns events into (messages
//! with their sender facts, panel ports, alarms, snapshots, settings, the
//! answers to earlier effects), and the effects it must run. The facts are
//! shaped as the page agent reports them on the fixtures (tests/fixtures).
//!
//! UI strings come from a stand-in translator that writes `key(sub|sub)`,
//! so the tests see which message the session chose and with what.

use keyferry::clickguard::{PageFacts, PanelFacts};
use keyferry::protocol::{
    Action, AgentReply, CandidateFacts, FieldFact, FieldValue, Reply, ToAgent, ToBackground, ToOverlay, UiRequest, View,
};
use keyferry::session::{
    Answer, Answered, Clip, Effect, Expect, Heard, Input, Loaded, PortId, Sender, Session, Snapshot, Stored, Ticket,
};

const WF_CLIENT_ID: &str = "0oa9z8y7x6w5v4u3t2s1";
const WF_CLIENT_SECRET: &str = "wF-3k9_QmZ2xLr7TbYwNc4Hs8Jd1Fg6Pm0Ua5Ve3Ko9Ri2Lt";
const SIGN_ON: &str = "https://acme-admin.okta.com/admin/app/okta_flow_oauth/instance/0oa7w8f9l0w1o2r3k4s5/#tab-signon";
const WORKFLOWS: &str = "https://acme.workflows.okta.com/app/connections";
const T0: u64 = 1_795_000_000_000;

fn tr(key: &str, subs: &[&str]) -> String {
    format!("{key}({})", subs.join("|"))
}

fn text(key: &str, v: &str) -> FieldFact {
    FieldFact { key: key.into(), value: Some(FieldValue::Text(v.into())) }
}

fn absent(key: &str) -> FieldFact {
    FieldFact { key: key.into(), value: None }
}

/// A session and its clock, with what the last inputs produced.
struct Bg {
    s: Session,
    now: u64,
    effects: Vec<Effect>,
    next_port: PortId,
    /// The last hello's `preload` (the frame that loads its panel with the specs).
    preload: Option<i64>,
}

impl Bg {
    fn new() -> Bg {
        Bg { s: Session::new(tr), now: T0, effects: Vec::new(), next_port: 1, preload: None }
    }

    fn input(&mut self, input: Input) -> Answered {
        let (answered, effects) = self.s.handle(input, self.now);
        self.effects = effects;
        answered
    }

    fn message(&mut self, msg: ToBackground, sender: Sender) -> Reply {
        match self.input(Input::Message { msg: Ok(msg), sender }) {
            Answered::Now(r) => r,
            other => panic!("expected a reply now, got {other:?}"),
        }
    }

    /// The bootstrap of `tab`'s top frame at `url` says hello: the candidate
    /// pages' ids, and whether the rest of the agent was loaded first.
    fn hello(&mut self, tab: i64, url: &str, injected: bool) -> (Vec<&'static str>, bool) {
        let specs = |bg: &mut Bg, r: Reply| match r {
            Reply::Specs { candidates, preload } => {
                bg.preload = preload;
                candidates.iter().map(|c| c.page).collect::<Vec<_>>()
            }
            r => panic!("{r:?}"),
        };
        match self.input(Input::Message { msg: Ok(ToBackground::Hello { url: url.into(), top: true }), sender: page_sender(tab, url) }) {
            Answered::Now(r) => {
                assert!(!self.effects.iter().any(|e| matches!(e, Effect::LoadAgent { .. })), "nothing loaded");
                (specs(self, r), false)
            }
            Answered::Later(reply) => {
                let ticket = self
                    .effects
                    .iter()
                    .find_map(|e| match e {
                        Effect::LoadAgent { key, ticket } if *key == (tab, 0) => Some(*ticket),
                        _ => None,
                    })
                    .expect("a later hello loads the rest of the agent into that frame");
                // Nothing is answered before the agent is in.
                assert!(!self.effects.iter().any(|e| matches!(e, Effect::Answer { .. })));
                self.input(Input::Answer { ticket, answer: Answer::Loaded(injected) });
                let answered = self.effects.drain(..).find_map(|e| match e {
                    Effect::Answer { ticket, reply: r } if ticket == reply => Some(r),
                    _ => None,
                });
                (specs(self, answered.expect("the specs follow the load")), true)
            }
            other => panic!("{other:?}"),
        }
    }

    /// The agent of `tab`'s top frame at `url` reports what it found on
    /// `page` (every landmark found).
    fn facts(&mut self, tab: i64, url: &str, page: &str, fields: Vec<FieldFact>) -> Reply {
        let landmarks = keyferry::catalog::page(page).map_or(0, |p| p.landmarks.len());
        let candidates = vec![CandidateFacts { page: page.into(), landmarks: vec![true; landmarks], fields }];
        let msg = ToBackground::Facts { url: url.into(), candidates, token: Some(format!("tok{tab}")) };
        self.message(msg, page_sender(tab, url))
    }

    /// The agent's panel of `tab`'s top frame connects.
    fn connect(&mut self, tab: i64) -> PortId {
        self.connect_with(tab, &format!("tok{tab}"))
    }

    /// A panel port from `tab`'s top frame under `token` (a page that frames
    /// overlay.html itself has a token of its own).
    fn connect_with(&mut self, tab: i64, token: &str) -> PortId {
        let port = self.next_port;
        self.next_port += 1;
        self.input(Input::Connect { port, name: format!("overlay:0:{token}"), sender: panel_sender(tab) });
        port
    }

    /// A click in the panel of `tab`'s top frame, visibly there.
    fn click(&mut self, tab: i64, action: Action, basis: Option<String>) -> Reply {
        let click = Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 10.0, y: 10.0 });
        let msg = ToBackground::OverlayAction { frame: 0, action, basis, click, token: Some(format!("tok{tab}")) };
        let reply = self.message(msg, panel_sender(tab));
        // A guarded action asks the agent what the page does to the panel:
        // nothing (a clean page for a while).
        if let Some(ticket) = self.asked(Expect::Check) {
            let clean = PageFacts { present: true, opacity: 1.0, clean_ms: 5_000, ..Default::default() };
            self.input(Input::Answer { ticket, answer: Answer::Check(Some(clean)) });
        }
        reply
    }

    fn ui(&mut self, request: UiRequest) -> Answered {
        self.input(Input::Message { msg: Ok(ToBackground::Ui { request }), sender: ui_sender() })
    }

    /// The ticket of the agent question of this kind in the last effects.
    fn asked(&self, expect: Expect) -> Option<Ticket> {
        self.effects.iter().find_map(|e| match e {
            Effect::Ask { expect: x, ticket, .. } if *x == expect => Some(*ticket),
            _ => None,
        })
    }

    /// The fill instructions sent to the agent: (field, value), and the ticket.
    fn fill_sent(&self) -> Option<(Vec<(&'static str, String)>, Ticket)> {
        self.effects.iter().find_map(|e| match e {
            Effect::Ask { msg: ToAgent::Fill { steps, .. }, ticket, .. } => {
                Some((steps.iter().map(|s| (s.field, s.value.clone())).collect(), *ticket))
            }
            _ => None,
        })
    }

    /// The last view posted to `port` in the last effects.
    fn view(&self, port: PortId) -> Option<&View> {
        self.effects.iter().rev().find_map(|e| match e {
            Effect::Post { port: p, msg: ToOverlay::View(v) } if *p == port => Some(v),
            _ => None,
        })
    }

    fn notice(&self, port: PortId) -> (bool, String) {
        let n = self.view(port).and_then(|v| v.notice.clone()).expect("a view with a notice");
        (n.ok, n.text)
    }

    /// Captures both Workflows OAuth values on the Sign On tab of `tab`.
    fn capture_wf(&mut self, tab: i64, url: &str) -> PortId {
        self.facts(tab, url, "okta.app.sign_on", vec![text("client_id", WF_CLIENT_ID), text("client_secret", WF_CLIENT_SECRET)]);
        let port = self.connect(tab);
        self.click(tab, Action::Pick { integration: "workflows-okta".into() }, None);
        for slot in ["okta.wf_client_id", "okta.wf_client_secret"] {
            self.click(tab, Action::Capture { slot: slot.into() }, None);
            let (ok, text) = self.notice(port);
            assert!(ok && text.starts_with("notice_captured("), "{slot}: {text}");
        }
        port
    }

    /// Opens the Workflows New Connection dialog in `tab` (empty fields,
    /// client ID and secret `present` or not yet on the page).
    fn open_workflows(&mut self, tab: i64, url: &str, present: bool) -> PortId {
        let wf = |k: &str| if present { text(k, "") } else { absent(k) };
        let fields = vec![text("connector", "Okta"), text("nickname", ""), text("domain", ""), wf("client_id"), wf("client_secret")];
        self.facts(tab, url, "workflows.connection.new", fields);
        let port = self.connect(tab);
        self.click(tab, Action::Pick { integration: "workflows-okta".into() }, None);
        port
    }

    /// What the session wrote to storage.session, as a restarted worker
    /// reads it back (the browser side's `background_restore`).
    fn stored(&self, into: &mut Snapshot) {
        for e in &self.effects {
            if let Effect::Store { key, value } = e {
                match value {
                    Stored::Vault(entries) => {
                        let json = serde_json::to_string(entries).unwrap();
                        into.vault = Some(serde_json::from_str(&json).ok());
                    }
                    Stored::Progress(p) => into.progress = Some(Some(p.clone())),
                    Stored::Text(t) if Snapshot::wants(key) => into.texts.push((key.clone(), t.clone())),
                    Stored::Number(n) if Snapshot::wants(key) => into.numbers.push((key.clone(), f64::from(*n))),
                    _ => {}
                }
            }
        }
    }
}

fn page_sender(tab: i64, url: &str) -> Sender {
    Sender { tab: Some(tab), frame: 0, url: url.into(), top_url: Some(url.into()), own_origin: "chrome-extension://kf/".into() }
}

fn panel_sender(tab: i64) -> Sender {
    Sender { tab: Some(tab), frame: 0, url: "chrome-extension://kf/overlay.html".into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() }
}

fn ui_sender() -> Sender {
    Sender { url: "chrome-extension://kf/popup.html".into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() }
}

/// Fill `tab`'s form, answer the agent with the fields as filled, and
/// return the values sent.
fn fill_and_read_back(bg: &mut Bg, tab: i64, extra: Vec<FieldFact>) -> Vec<(&'static str, String)> {
    bg.click(tab, Action::Fill { overwrite: false }, None);
    let (sent, ticket) = bg.fill_sent().expect("fill instructions sent to the agent");
    let mut fields: Vec<FieldFact> = sent.iter().map(|(f, v)| text(f, v)).collect();
    fields.extend(extra);
    bg.input(Input::Answer {
        ticket,
        answer: Answer::Filled(Heard::Answered(AgentReply::Filled { page: "workflows.connection.new".into(), fields })),
    });
    sent
}

#[test]
fn capture_on_one_page_then_fill_on_another() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    // The values went to storage.session (memory) and an expiry alarm is set.
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Store { key, value: Stored::Vault(v) } if key == "vault" && v.len() == 2)));
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::SetAlarm { name: "kf-expiry", .. })));

    let port = bg.open_workflows(2, WORKFLOWS, true);
    let view = bg.view(port).expect("view");
    assert_eq!(view.integration, Some("workflows-okta"));
    let fill = view.fill.as_ref().expect("a fill preview");
    assert!(fill.blocked.is_none() && fill.bind.is_none(), "{:?} {:?}", fill.blocked, fill.bind);
    // The preview masks the secret.
    let secret_line = fill.values.iter().find(|l| l.field == "client_secret").expect("secret line");
    assert!(secret_line.secret && !secret_line.display.contains(WF_CLIENT_SECRET));

    let sent = fill_and_read_back(&mut bg, 2, vec![text("connector", "Okta")]);
    assert!(sent.contains(&("client_id", WF_CLIENT_ID.to_string())), "{sent:?}");
    assert!(sent.contains(&("client_secret", WF_CLIENT_SECRET.to_string())), "{sent:?}");
    assert!(sent.contains(&("domain", "acme.okta.com".to_string())), "{sent:?}");
    let (ok, text) = bg.notice(port);
    assert!(ok, "{text}");
    assert!(text.starts_with(&format!("notice_filled({})", sent.len())), "{text}");
}

#[test]
fn values_of_one_okta_org_are_not_filled_or_copied_into_another() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let port = bg.open_workflows(2, "https://evil.workflows.okta.com/app/connections", true);
    bg.click(2, Action::Fill { overwrite: false }, None);
    assert!(bg.fill_sent().is_none(), "nothing may be sent to the agent");
    let (ok, text) = bg.notice(port);
    assert!(!ok);
    assert_eq!(text, "notice_other_org(acme.okta.com|evil.okta.com)");
    // Copy is refused the same way, and nothing reaches the clipboard.
    let reply = bg.click(2, Action::Copy { field: "client_secret".into() }, None);
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::WriteClipboard { .. })));
    let _ = reply;
    let (ok, text) = bg.notice(port);
    assert!(!ok && text.starts_with("notice_other_org("), "{text}");
    // The same org fills.
    let port = bg.open_workflows(3, WORKFLOWS, true);
    fill_and_read_back(&mut bg, 3, vec![]);
    assert!(bg.notice(port).0);
}

#[test]
fn a_page_on_a_lookalike_host_is_not_recognized_and_gets_nothing() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let url = "https://acme.workflows.okta.com.evil.example/app/connections";
    assert_eq!(bg.hello(2, url, true), (vec![], false), "no specs, and nothing loaded there");
    let reply = bg.facts(2, url, "workflows.connection.new", vec![text("client_id", "")]);
    assert!(matches!(&reply, Reply::Verdict { page: None, panel_title, grip_title, .. } if panel_title.is_empty() && grip_title.is_empty()), "{reply:?}");
}

#[test]
fn captured_values_expire_and_the_panels_are_told() {
    let mut bg = Bg::new();
    let port = bg.capture_wf(1, SIGN_ON);
    let when = bg
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::SetAlarm { name: "kf-expiry", when_ms } => Some(*when_ms),
            _ => None,
        })
        .expect("expiry alarm");
    assert!(when > T0 + keyferry::vault::DEFAULT_TTL_MS - 1_000 && when < T0 + keyferry::vault::DEFAULT_TTL_MS + 60_000);
    // Before the alarm time, the values are there.
    bg.input(Input::Alarm { name: "kf-expiry".into() });
    assert_eq!(bg.view(port).unwrap().vault.len(), 2);
    bg.now = when;
    bg.input(Input::Alarm { name: "kf-expiry".into() });
    let view = bg.view(port).expect("the panel gets a fresh view");
    assert!(view.vault.is_empty(), "{:?}", view.vault);
    assert!(view.captures.iter().all(|c| c.captured.is_none()));
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Store { value: Stored::Vault(v), .. } if v.is_empty())));
    // Nothing left to fill with.
    let port = bg.open_workflows(2, WORKFLOWS, true);
    bg.click(2, Action::Fill { overwrite: false }, None);
    let sent = bg.fill_sent().map(|(s, _)| s).unwrap_or_default();
    assert!(sent.iter().all(|(f, _)| *f != "client_secret"), "{sent:?}");
    let _ = port;
}

/// The Workflows secrets captured on tab 1 and the Okta Workflows form open
/// on tab 2, then the worker stopped: what storage.session kept, and the
/// basis of the form's view (what a kept click is checked against).
fn captured_then_stopped() -> (Snapshot, String) {
    let mut bg = Bg::new();
    let mut snapshot = Snapshot::default();
    bg.capture_wf(1, SIGN_ON);
    bg.stored(&mut snapshot);
    let port = bg.open_workflows(2, WORKFLOWS, true);
    bg.stored(&mut snapshot);
    let basis = bg.view(port).unwrap().basis.clone();
    (snapshot, basis)
}

#[test]
fn a_restarted_worker_restores_the_vault_and_resumes_the_kept_click() {
    let (snapshot, basis) = captured_then_stopped();

    // The worker stops; a new one restores what storage.session kept.
    let mut bg2 = Bg::new();
    bg2.now = T0 + 2_000;
    bg2.input(Input::Restore(snapshot));
    // The admin's click reaches the new worker before the page reported.
    let click = Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 1.0, y: 1.0 });
    let msg = ToBackground::OverlayAction {
        frame: 0,
        action: Action::Fill { overwrite: false },
        basis: Some(basis),
        click,
        token: Some("tok2".into()),
    };
    let reply = bg2.message(msg, panel_sender(2));
    assert!(matches!(&reply, Reply::Pending { reason } if reason == "notice_resuming()"), "{reply:?}");
    assert!(bg2.effects.iter().any(|e| matches!(e, Effect::ToFrame { key: (2, 0), msg: ToAgent::Refresh })));
    // The page reports: the pick came back from storage.session, and the
    // kept click is carried out once the panel is seen to be there.
    let fields = vec![text("connector", "Okta"), text("nickname", ""), text("domain", ""), text("client_id", ""), text("client_secret", "")];
    bg2.facts(2, WORKFLOWS, "workflows.connection.new", fields);
    let ticket = bg2.asked(Expect::Check).expect("the kept click is checked");
    let clean = PageFacts { present: true, opacity: 1.0, clean_ms: 5_000, ..Default::default() };
    bg2.input(Input::Answer { ticket, answer: Answer::Check(Some(clean)) });
    let (sent, _) = bg2.fill_sent().expect("the kept Fill runs");
    assert!(sent.contains(&("client_secret", WF_CLIENT_SECRET.to_string())));
}

#[test]
fn a_kept_click_is_refused_when_the_page_changed_or_too_late() {
    for (delay, fields, want) in [
        // The form now holds another secret: the admin decides again.
        (2_000, "other", "notice_changed()"),
        // Much later: not carried out.
        (keyferry::resume::PENDING_MS + 1_000, "", "notice_restarted()"),
    ] {
        let (snapshot, basis) = captured_then_stopped();
        let mut bg2 = Bg::new();
        bg2.input(Input::Restore(snapshot));
        let port2 = bg2.connect(2);
        let msg = ToBackground::OverlayAction {
            frame: 0,
            action: Action::Fill { overwrite: true },
            basis: Some(basis),
            click: Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 1.0, y: 1.0 }),
            token: Some("tok2".into()),
        };
        assert!(matches!(bg2.message(msg, panel_sender(2)), Reply::Pending { .. }));
        bg2.now += delay;
        let f = vec![text("connector", "Okta"), text("nickname", ""), text("domain", ""), text("client_id", ""), text("client_secret", fields)];
        bg2.facts(2, WORKFLOWS, "workflows.connection.new", f);
        assert!(bg2.asked(Expect::Check).is_none() && bg2.fill_sent().is_none());
        assert_eq!(bg2.notice(port2), (false, want.to_string()));
    }
}

#[test]
fn the_dock_corner_is_remembered_per_console_and_across_a_restart() {
    let mut bg = Bg::new();
    bg.facts(1, SIGN_ON, "okta.app.sign_on", vec![]);
    bg.connect(1);
    bg.click(1, Action::Dock, None);
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::ToFrame { key: (1, 0), msg: ToAgent::Dock { corner: 1 } })));
    let mut snapshot = Snapshot::default();
    bg.stored(&mut snapshot);
    assert_eq!(snapshot.numbers, vec![("dock:Okta Admin Console".to_string(), 1.0)]);
    // Another Okta page opens there; a page of another console does not.
    let okta = "https://acme-admin.okta.com/admin/access/api/tokens";
    assert!(matches!(bg.facts(2, okta, "okta.api.tokens", vec![]), Reply::Verdict { dock: 1, .. }));
    assert!(matches!(bg.facts(3, WORKFLOWS, "workflows.connection.new", vec![]), Reply::Verdict { dock: 0, .. }));
    // A restarted worker remembers it.
    let mut bg2 = Bg::new();
    bg2.input(Input::Restore(snapshot));
    assert!(matches!(bg2.facts(2, okta, "okta.api.tokens", vec![]), Reply::Verdict { dock: 1, .. }));
}

#[test]
fn a_fill_whose_fields_appear_later_runs_another_round() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    // Client ID and secret are not on the page yet.
    let port = bg.open_workflows(2, WORKFLOWS, false);
    bg.click(2, Action::Fill { overwrite: false }, None);
    let (round1, ticket) = bg.fill_sent().expect("round 1");
    assert!(round1.iter().all(|(f, _)| *f != "client_id" && *f != "client_secret"), "{round1:?}");
    // The agent reads back: what it filled, and the two fields now there.
    let mut fields: Vec<FieldFact> = round1.iter().map(|(f, v)| text(f, v)).collect();
    fields.extend([text("connector", "Okta"), text("client_id", ""), text("client_secret", "")]);
    let page = "workflows.connection.new".to_string();
    bg.input(Input::Answer { ticket, answer: Answer::Filled(Heard::Answered(AgentReply::Filled { page: page.clone(), fields: fields.clone() })) });
    let (round2, ticket) = bg.fill_sent().expect("round 2");
    assert_eq!(round2.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["client_id", "client_secret"]);
    // Round 2 took: one notice for the whole fill.
    fields.retain(|f| f.key != "client_id" && f.key != "client_secret");
    fields.extend(round2.iter().map(|(f, v)| text(f, v)));
    bg.input(Input::Answer { ticket, answer: Answer::Filled(Heard::Answered(AgentReply::Filled { page, fields })) });
    assert!(bg.fill_sent().is_none(), "no third round");
    let (ok, text) = bg.notice(port);
    assert!(ok, "{text}");
    assert!(text.starts_with(&format!("notice_filled({})", round1.len() + 2)), "{text}");
}

#[test]
fn a_fill_the_agent_does_not_confirm_says_so() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let port = bg.open_workflows(2, WORKFLOWS, true);
    for (heard, want) in [(Heard::Silent, "notice_no_answer()"), (Heard::Garbled, "notice_not_confirmed()")] {
        bg.click(2, Action::Fill { overwrite: false }, None);
        let (_, ticket) = bg.fill_sent().unwrap();
        bg.input(Input::Answer { ticket, answer: Answer::Filled(heard) });
        assert_eq!(bg.notice(port), (false, want.to_string()));
    }
    // A read-back of another page is not a confirmation either.
    bg.click(2, Action::Fill { overwrite: false }, None);
    let (_, ticket) = bg.fill_sent().unwrap();
    let other = AgentReply::Filled { page: "okta.app.sign_on".into(), fields: vec![] };
    bg.input(Input::Answer { ticket, answer: Answer::Filled(Heard::Answered(other)) });
    assert_eq!(bg.notice(port), (false, "notice_not_confirmed()".to_string()));
}

#[test]
fn a_click_the_page_hides_or_covers_is_refused() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let port = bg.open_workflows(2, WORKFLOWS, true);
    let msg = ToBackground::OverlayAction {
        frame: 0,
        action: Action::Fill { overwrite: false },
        basis: None,
        click: Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 1.0, y: 1.0 }),
        token: Some("tok2".into()),
    };
    assert!(matches!(bg.message(msg, panel_sender(2)), Reply::Ack));
    let ticket = bg.asked(Expect::Check).unwrap();
    let covered = PageFacts { present: true, opacity: 1.0, clean_ms: 5_000, covered: true, ..Default::default() };
    bg.input(Input::Answer { ticket, answer: Answer::Check(Some(covered)) });
    assert!(bg.fill_sent().is_none());
    assert_eq!(bg.notice(port), (false, "notice_guard_covered()".to_string()));
    // No answer in time: refused too.
    let msg = ToBackground::OverlayAction {
        frame: 0,
        action: Action::Capture { slot: "okta.wf_client_id".into() },
        basis: None,
        click: Some(PanelFacts { tracked: true, visible_ms: Some(5_000), x: 1.0, y: 1.0 }),
        token: Some("tok2".into()),
    };
    bg.message(msg, panel_sender(2));
    let ticket = bg.asked(Expect::Check).unwrap();
    bg.input(Input::Answer { ticket, answer: Answer::Check(None) });
    assert_eq!(bg.notice(port), (false, "notice_guard_no_answer()".to_string()));
}

#[test]
fn a_panel_without_the_agents_token_gets_nothing_and_does_nothing() {
    let mut bg = Bg::new();
    bg.facts(1, SIGN_ON, "okta.app.sign_on", vec![text("client_id", WF_CLIENT_ID)]);
    bg.input(Input::Connect { port: 7, name: "overlay:0:forged".into(), sender: panel_sender(1) });
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Disconnect { port: 7 })));
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::Post { .. })));
    let msg = ToBackground::OverlayAction {
        frame: 0,
        action: Action::Capture { slot: "okta.wf_client_id".into() },
        basis: None,
        click: None,
        token: Some("forged".into()),
    };
    let reply = bg.message(msg, panel_sender(1));
    assert!(matches!(&reply, Reply::Error { reason } if reason == "notice_guard_unbound()"), "{reply:?}");
    // A page (not our extension page) cannot send overlay actions.
    let msg = ToBackground::OverlayAction { frame: 0, action: Action::Dismiss, basis: None, click: None, token: Some("tok1".into()) };
    assert!(matches!(bg.message(msg, page_sender(1, SIGN_ON)), Reply::Error { .. }));
    // The agent's own panel gets its view.
    let port = bg.connect(1);
    assert_eq!(bg.view(port).map(|v| v.page), Some("okta.app.sign_on"));
}

#[test]
fn facts_from_a_frame_on_another_host_are_refused() {
    let mut bg = Bg::new();
    let msg = ToBackground::Facts { url: SIGN_ON.into(), candidates: vec![], token: None };
    let reply = bg.message(msg, page_sender(1, "https://evil.example/"));
    assert!(matches!(reply, Reply::Error { .. }), "{reply:?}");
}

#[test]
fn the_integration_follows_the_pick_else_the_only_one_else_the_auth_type() {
    let mut bg = Bg::new();
    let workato = "https://app.workato.com/connections/new";
    let page = keyferry::catalog::page("workato.connection.new").unwrap();
    // Several integrations use this page: none chosen yet.
    assert!(keyferry::catalog::integrations_for_page(page.id).count() > 1);
    assert!(bg.s.integration_for(page, 1, &[]).is_none());
    // The form's authentication type names one.
    let choice = |v: &str| FieldFact { key: "auth_type".into(), value: Some(FieldValue::Choice(v.into())) };
    let by_auth = bg.s.integration_for(page, 1, &[choice("Client credentials")]).map(|i| i.id);
    assert_eq!(by_auth, Some("workato-okta-client-credentials"));
    // The admin's pick wins, for that tab only.
    bg.facts(1, workato, "workato.connection.new", vec![choice("Client credentials")]);
    let port = bg.connect(1);
    assert_eq!(bg.view(port).unwrap().integration, Some("workato-okta-client-credentials"));
    bg.click(1, Action::Pick { integration: "workato-okta-api-key".into() }, None);
    assert_eq!(bg.view(port).unwrap().integration, Some("workato-okta-api-key"));
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Store { key, value: Stored::Text(t) } if key == "pick:1" && t == "workato-okta-api-key")));
    assert_eq!(bg.s.integration_for(page, 1, &[choice("Client credentials")]).map(|i| i.id), Some("workato-okta-api-key"));
    assert_eq!(bg.s.integration_for(page, 2, &[choice("Client credentials")]).map(|i| i.id), Some("workato-okta-client-credentials"));
    // Closing the tab forgets the pick.
    bg.input(Input::TabClosed { tab: 1 });
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Unstore { key } if key == "pick:1")));
    assert_eq!(bg.s.integration_for(page, 1, &[choice("Client credentials")]).map(|i| i.id), Some("workato-okta-client-credentials"));
}

#[test]
fn markers_flag_wrong_values_and_the_view_names_the_step() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    // A Domain that is not the values' org, a Client ID that differs.
    let fields = vec![text("connector", "Okta"), text("nickname", "x"), text("domain", "other.okta.com"), text("client_id", "0oa0000000000000000x"), text("client_secret", "")];
    bg.open_workflows(2, WORKFLOWS, true);
    let reply = bg.facts(2, WORKFLOWS, "workflows.connection.new", fields);
    let Reply::Verdict { page, markers, panel_title, grip_title, .. } = reply else { panic!("{reply:?}") };
    assert_eq!(page, Some("workflows.connection.new"));
    // The agent's texts travel with the verdict, translated by the core: it
    // never loads the message catalog into the page's process.
    assert_eq!((panel_title, grip_title), (tr("overlay_aria_checklist", &[]), tr("overlay_grip_title", &[])));
    assert!(markers.iter().all(|m| !m.message.is_empty()), "{markers:?}");
    let wrong: Vec<&str> = markers.iter().filter(|m| !m.ok).map(|m| m.field).collect();
    assert!(wrong.contains(&"domain") && wrong.contains(&"client_id"), "{markers:?}");
    let port = bg.connect(2);
    let view = bg.view(port).unwrap();
    assert_eq!(view.integration, Some("workflows-okta"));
    let i = keyferry::catalog::integration("workflows-okta").unwrap();
    let n = i.steps.iter().position(|s| s.page == "workflows.connection.new").unwrap();
    assert_eq!(view.step, Some((n + 1, i.steps.len())));
    assert_eq!(view.integrations.len(), keyferry::catalog::integrations_for_page("workflows.connection.new").count());
    // The fill preview says the form holds other values.
    assert!(!view.fill.as_ref().unwrap().conflicts.is_empty());
    // The same facts with the right values: ok markers instead.
    let fields = vec![text("connector", "Okta"), text("nickname", "x"), text("domain", "acme.okta.com"), text("client_id", WF_CLIENT_ID), text("client_secret", WF_CLIENT_SECRET)];
    let Reply::Verdict { markers, .. } = bg.facts(2, WORKFLOWS, "workflows.connection.new", fields) else { panic!() };
    assert!(markers.iter().any(|m| m.field == "client_id" && m.ok), "{markers:?}");
    assert!(!markers.iter().any(|m| !m.ok && (m.field == "client_id" || m.field == "domain")), "{markers:?}");
    assert!(markers.iter().all(|m| !m.message.is_empty()), "{markers:?}");
}

fn raw(json: &str) -> Loaded {
    Loaded::Raw(serde_json::from_str(json).expect("raw settings"))
}

/// Runs the content-script sync the session asks for: every pattern
/// `granted`, `registered` already there; returns the reply it answers with.
fn run_sync(bg: &mut Bg, reply_ticket: Ticket, granted: bool, registered: Vec<String>) -> (Reply, Vec<keyferry::session::Script>) {
    let (patterns, ticket) = bg
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::ProbeHosts { patterns, ticket, .. } => Some((patterns.clone(), *ticket)),
            _ => None,
        })
        .expect("probe");
    bg.input(Input::Answer { ticket, answer: Answer::Probed { granted: vec![granted; patterns.len()], registered: Some(registered.clone()) } });
    let (register, ticket) = bg
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::SyncScripts { register, ticket, .. } => Some((register.clone(), *ticket)),
            _ => None,
        })
        .expect("sync");
    let mut now = registered;
    now.extend(register.iter().map(|s| s.id.clone()));
    bg.input(Input::Answer { ticket, answer: Answer::Registered(now) });
    let reply = bg
        .effects
        .drain(..)
        .find_map(|e| match e {
            Effect::Answer { ticket, reply } if ticket == reply_ticket => Some(reply),
            _ => None,
        })
        .expect("the deferred reply");
    (reply, register)
}

#[test]
fn a_custom_host_is_recognized_once_configured_and_gets_its_content_script() {
    let mut bg = Bg::new();
    let url = "https://sso.acme-corp.example/admin/access/api/tokens";
    let hello = |bg: &mut Bg| bg.hello(1, url, true).0;
    assert!(hello(&mut bg).is_empty(), "an unknown host is nobody's console");
    let Answered::Later(t) = bg.input(Input::Settings {
        local: raw(r#"{"custom_hosts": [{"kind": "okta_admin", "host": "sso.acme-corp.example"}]}"#),
        managed: Loaded::Absent,
    }) else {
        panic!("settings are answered once the scripts are in sync")
    };
    let (reply, register) = run_sync(&mut bg, t, true, vec![]);
    assert!(matches!(reply, Reply::Ack));
    assert_eq!(register.len(), 1);
    assert!(register[0].id.starts_with(keyferry::settings::SCRIPT_ID_PREFIX) && register[0].pattern.contains("sso.acme-corp.example"));
    assert!(hello(&mut bg).contains(&"okta.api.tokens"));
    // The options page shows it granted and registered.
    let Answered::Later(t) = bg.ui(UiRequest::Settings) else { panic!() };
    let (reply, register) = run_sync(&mut bg, t, true, vec![keyferry::settings::CustomHost {
        kind: keyferry::settings::CustomKind::OktaAdmin,
        host: "sso.acme-corp.example".into(),
    }
    .script_id()]);
    assert!(register.is_empty(), "already registered");
    let Reply::Settings { view } = reply else { panic!() };
    assert_eq!(view.hosts.len(), 1);
    assert!(view.hosts[0].granted && view.hosts[0].registered && !view.hosts[0].managed);
    // Without the permission, no script: unregistered if it was there.
    let Answered::Later(t) = bg.ui(UiRequest::Settings) else { panic!() };
    let (patterns, ticket) = bg.effects.iter().find_map(|e| match e { Effect::ProbeHosts { patterns, ticket, .. } => Some((patterns.clone(), *ticket)), _ => None }).unwrap();
    let id = format!("{}x", keyferry::settings::SCRIPT_ID_PREFIX);
    bg.input(Input::Answer { ticket, answer: Answer::Probed { granted: vec![false; patterns.len()], registered: Some(vec![id.clone(), "someone-else".into()]) } });
    let unregister = bg.effects.iter().find_map(|e| match e { Effect::SyncScripts { unregister, .. } => Some(unregister.clone()), _ => None }).unwrap();
    assert_eq!(unregister, vec![id], "only ours");
    let _ = t;
}

#[test]
fn managed_settings_win_over_local_ones_and_saving_keeps_the_admins_own() {
    let mut bg = Bg::new();
    let Answered::Later(t) = bg.input(Input::Settings {
        local: raw(r#"{"vault_minutes": 30, "data_center": "eu"}"#),
        managed: raw(r#"{"vault_minutes": 5}"#),
    }) else {
        panic!()
    };
    run_sync(&mut bg, t, true, vec![]);
    let view = bg.s.settings_view(None);
    assert_eq!((view.vault_minutes, view.vault_minutes_managed), (5, true));
    assert_eq!((view.data_center, view.data_center_managed), ("eu", false));
    // New captures live 5 minutes.
    bg.capture_wf(1, SIGN_ON);
    let when = bg.effects.iter().find_map(|e| match e { Effect::SetAlarm { name: "kf-expiry", when_ms } => Some(*when_ms), _ => None }).unwrap();
    assert!(when <= T0 + 5 * 60_000 + 1_000, "{when}");
    // The admin saves 60 minutes and the US: the policy's minutes are not
    // theirs to save; their own earlier 30 stays in storage.local.
    let input = keyferry::protocol::SettingsIn { data_center: "us".into(), vault_minutes: 60, custom_hosts: vec![] };
    let Answered::Later(t) = bg.ui(UiRequest::SaveSettings { settings: input }) else { panic!() };
    let (saved, ticket) = bg.effects.iter().find_map(|e| match e { Effect::SaveSettings { settings, ticket } => Some((settings.clone(), *ticket)), _ => None }).unwrap();
    assert_eq!(saved.vault_minutes, 30);
    assert_eq!(saved.data_center.map(|d| d.id()), Some("us"));
    bg.input(Input::Answer { ticket, answer: Answer::Saved(true) });
    let (reply, _) = run_sync(&mut bg, t, true, vec![]);
    let Reply::Settings { view } = reply else { panic!() };
    assert_eq!(view.notice.map(|n| n.text), Some("notice_saved()".into()));
    assert_eq!((view.vault_minutes, view.data_center), (5, "us"));
    // A failed write says so and changes nothing.
    let input = keyferry::protocol::SettingsIn { data_center: "eu".into(), vault_minutes: 20, custom_hosts: vec![] };
    let Answered::Later(t) = bg.ui(UiRequest::SaveSettings { settings: input }) else { panic!() };
    let ticket = bg.effects.iter().find_map(|e| match e { Effect::SaveSettings { ticket, .. } => Some(*ticket), _ => None }).unwrap();
    bg.input(Input::Answer { ticket, answer: Answer::Saved(false) });
    let reply = bg.effects.iter().find_map(|e| match e { Effect::Answer { ticket, reply: Reply::Settings { view } } if *ticket == t => Some(view), _ => None }).unwrap();
    assert_eq!(reply.data_center, "us");
    assert_eq!(reply.notice.as_ref().map(|n| n.text.as_str()), Some("notice_settings_not_saved()"));
    // Invalid input is answered at once, with what to fix.
    let input = keyferry::protocol::SettingsIn { data_center: "".into(), vault_minutes: 0, custom_hosts: vec![] };
    let Answered::Now(Reply::Settings { view }) = bg.ui(UiRequest::SaveSettings { settings: input }) else { panic!() };
    assert!(view.notice.is_some_and(|n| !n.ok && n.text.starts_with("notice_vault_expiry_problem(")));
}

#[test]
fn unreadable_settings_are_ignored_with_a_problem() {
    let mut bg = Bg::new();
    let Answered::Later(t) = bg.input(Input::Settings { local: Loaded::Unreadable, managed: Loaded::Absent }) else { panic!() };
    run_sync(&mut bg, t, true, vec![]);
    let view = bg.s.settings_view(None);
    assert_eq!(view.vault_minutes, keyferry::settings::DEFAULT_VAULT_MINUTES);
    assert!(view.problems.iter().any(|p| p.contains("saved settings")), "{:?}", view.problems);
}

#[test]
fn the_popup_copies_a_secret_and_its_alarm_clears_it() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let Answered::Now(Reply::Popup { view }) = bg.ui(UiRequest::Popup { integration: None }) else { panic!() };
    assert_eq!(view.integration, Some("workflows-okta"));
    assert_eq!(view.vault_total, 2);
    let Answered::Later(t) = bg.ui(UiRequest::Copy { integration: "workflows-okta".into(), slot: "okta.wf_client_secret".into() }) else {
        panic!()
    };
    let ticket = bg
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::WriteClipboard { text, ticket } if text.reveal() == WF_CLIENT_SECRET => *ticket,
            _ => None,
        })
        .expect("the secret goes to the clipboard helper, not to the popup");
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Store { key, value: Stored::Secret(s) } if key == "clip" && s.reveal() == WF_CLIENT_SECRET)));
    let when = bg.effects.iter().find_map(|e| match e { Effect::SetAlarm { name: "kf-clip", when_ms } => Some(*when_ms), _ => None }).unwrap();
    assert_eq!(when, T0 + keyferry::session::CLIP_CLEAR_MS);
    bg.input(Input::Answer { ticket, answer: Answer::Clipboard(Clip::Copied) });
    let reply = bg.effects.iter().find_map(|e| match e { Effect::Answer { ticket, reply: Reply::Popup { view } } if *ticket == t => Some(view), _ => None }).unwrap();
    let notice = reply.notice.as_ref().unwrap();
    assert!(notice.ok && notice.text.starts_with("notice_copied_secret("));
    assert!(!format!("{reply:?}").contains(WF_CLIENT_SECRET));
    bg.input(Input::Alarm { name: "kf-clip".into() });
    assert!(matches!(bg.effects.as_slice(), [Effect::ClearClipboard]));
    // Forget all: the vault and every panel follow.
    let Answered::Now(Reply::Popup { view }) = bg.ui(UiRequest::ForgetAll) else { panic!() };
    assert_eq!(view.vault_total, 0);
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Post { .. })));
}

#[test]
fn only_the_popup_and_options_pages_ask_ui_requests() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    for sender in [panel_sender(1), page_sender(1, SIGN_ON)] {
        let r = bg.input(Input::Message { msg: Ok(ToBackground::Ui { request: UiRequest::ForgetAll }), sender });
        assert!(matches!(r, Answered::Now(Reply::Error { .. })));
    }
    let Answered::Now(Reply::Popup { view }) = bg.ui(UiRequest::Popup { integration: None }) else { panic!() };
    assert_eq!(view.vault_total, 2);
}

#[test]
fn a_page_that_reports_too_often_is_told_to_wait() {
    let mut bg = Bg::new();
    let sender = page_sender(1, SIGN_ON);
    let busy = (0..200).find_map(|_| bg.s.admit(&sender, true, T0));
    assert!(matches!(busy, Some(Reply::Busy { .. })));
    // Panel and UI messages are not counted; other tabs have their share.
    assert!(bg.s.admit(&panel_sender(1), true, T0).is_none());
    assert!(bg.s.admit(&page_sender(2, SIGN_ON), true, T0).is_none());
    assert!(bg.s.admit(&sender, false, T0).is_none());
}

#[test]
fn a_framed_console_page_shows_no_capture_and_no_fill() {
    let mut bg = Bg::new();
    let fields = vec![text("client_id", WF_CLIENT_ID), text("client_secret", WF_CLIENT_SECRET)];
    let candidates = vec![CandidateFacts { page: "okta.app.sign_on".into(), landmarks: vec![true; 2], fields }];
    let msg = ToBackground::Facts { url: SIGN_ON.into(), candidates, token: Some("tok1".into()) };
    let sender = Sender { frame: 3, top_url: Some("https://evil.example/".into()), ..page_sender(1, SIGN_ON) };
    bg.message(msg, sender);
    let port = 9;
    bg.input(Input::Connect { port, name: "overlay:3:tok1".into(), sender: panel_sender(1) });
    let view = bg.view(port).unwrap();
    assert!(view.captures.is_empty() && view.fill.is_none());
    assert_eq!(view.notice.as_ref().map(|n| n.text.as_str()), Some("notice_guard_framed()"));
}

#[test]
fn only_our_own_pages_are_extension_pages_and_only_popup_and_options_are_ui_pages() {
    let at = |url: &str| Sender { url: url.into(), own_origin: "chrome-extension://kf/".into(), ..Default::default() };
    assert!(at("chrome-extension://kf/overlay.html#3").extension_page());
    assert!(!at("chrome-extension://kf/overlay.html#3").ui_page());
    assert!(at("chrome-extension://kf/popup.html").ui_page());
    assert!(at("chrome-extension://kf/options.html?x#y").ui_page());
    assert!(!at("chrome-extension://kf/popup.html.evil").ui_page());
    assert!(!at("chrome-extension://other/popup.html").extension_page());
    assert!(!at("https://evil.example/chrome-extension://kf/popup.html").extension_page());
    // Without a known origin nothing is ours.
    let unknown = Sender { url: "chrome-extension://kf/popup.html".into(), ..Default::default() };
    assert!(!unknown.extension_page() && !unknown.ui_page());
}

#[test]
fn the_popup_names_a_drifted_page_and_copies_its_signature_without_values() {
    let mut bg = Bg::new();
    let url = "https://acme-admin.okta.com/admin/access/api/tokens";
    // The tokens page's URL, but its landmark is not there.
    let candidates = vec![CandidateFacts { page: "okta.api.tokens".into(), landmarks: vec![false], fields: vec![text("token_value", "00secretvalue")] }];
    let reply = bg.message(ToBackground::Facts { url: url.into(), candidates, token: None }, page_sender(4, url));
    assert!(matches!(reply, Reply::Verdict { page: None, .. }), "{reply:?}");
    let Answered::Now(Reply::Drift { drift: Some(drift), .. }) = bg.ui(UiRequest::Drift { tab: 4 }) else { panic!("a drift") };
    assert_eq!(drift.recognized, None);
    assert!(bg.effects.is_empty(), "a known tab is not asked to report again");
    // A tab this worker knows nothing of (restarted) is asked to report.
    let Answered::Now(Reply::Drift { drift: None, .. }) = bg.ui(UiRequest::Drift { tab: 5 }) else { panic!() };
    assert!(matches!(bg.effects.as_slice(), [Effect::ToTab { tab: 5, msg: ToAgent::Refresh }]));

    let Answered::Later(reply) = bg.ui(UiRequest::Signature { tab: 4 }) else { panic!() };
    let ticket = bg.asked(Expect::Description).expect("the agent is asked to describe its page");
    let description = keyferry::drift::Description {
        candidates: vec![keyferry::drift::CandidateProbes { page: "okta.api.tokens".into(), landmarks: vec![vec![false]], fields: vec![vec![true]] }],
        controls: vec![keyferry::drift::Control { tag: "input".into(), name: Some("token".into()), ..Default::default() }],
        headings: vec!["API Tokens".into()],
        truncated: false,
    };
    bg.input(Input::Answer { ticket, answer: Answer::Described(Heard::Answered(description)) });
    let (signature, ticket) = bg
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::WriteClipboard { text, ticket: Some(t) } => Some((text.reveal().to_string(), *t)),
            _ => None,
        })
        .expect("the signature goes to the clipboard");
    assert!(signature.contains("okta.api.tokens") && !signature.contains("00secretvalue"), "{signature}");
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::SetAlarm { .. })), "not a secret: no clear alarm");
    bg.input(Input::Answer { ticket, answer: Answer::Clipboard(Clip::Copied) });
    let answered = bg.effects.iter().find_map(|e| match e { Effect::Answer { ticket, reply: Reply::Drift { notice, .. } } if *ticket == reply => notice.clone(), _ => None });
    assert_eq!(answered.map(|n| (n.ok, n.text)), Some((true, "notice_signature_copied()".into())));
    // An agent that does not answer: the popup says so.
    let Answered::Later(reply) = bg.ui(UiRequest::Signature { tab: 4 }) else { panic!() };
    let ticket = bg.asked(Expect::Description).unwrap();
    bg.input(Input::Answer { ticket, answer: Answer::Described(Heard::Silent) });
    let answered = bg.effects.iter().find_map(|e| match e { Effect::Answer { ticket, reply: Reply::Drift { notice, .. } } if *ticket == reply => notice.clone(), _ => None });
    assert_eq!(answered.map(|n| (n.ok, n.text)), Some((false, "notice_no_answer()".into())));
}

#[test]
fn the_report_names_what_was_seen_and_holds_no_value() {
    let mut bg = Bg::new();
    bg.capture_wf(1, SIGN_ON);
    let Answered::Report { markdown, report, file } = bg.ui(UiRequest::Report { integration: "workflows-okta".into() }) else {
        panic!("a report")
    };
    assert!(file.starts_with("keyferry-report-workflows-okta-"), "{file}");
    assert!(markdown.contains("acme-admin.okta.com"), "{markdown}");
    let all = format!("{markdown}{report:?}");
    assert!(!all.contains(WF_CLIENT_SECRET) && !all.contains(WF_CLIENT_ID));
    assert!(matches!(bg.ui(UiRequest::Report { integration: "nope".into() }), Answered::Now(Reply::Error { .. })));
}

#[test]
fn only_a_candidate_page_gets_the_rest_of_the_agent_and_its_specs_wait_for_it() {
    let mut bg = Bg::new();
    // A setup page: the rest of the agent goes into that frame first.
    let (pages, loaded) = bg.hello(1, SIGN_ON, true);
    assert!(loaded && pages.contains(&"okta.app.sign_on"), "{pages:?}");
    // A failed injection (a permission just revoked) still answers: the
    // bootstrap then has nothing to run the specs with and stays quiet.
    let (pages, loaded) = bg.hello(2, SIGN_ON, false);
    assert!(loaded && !pages.is_empty());
    // Console pages keyferry does not help on: nothing loaded, nothing to do.
    for url in ["https://acme-admin.okta.com/admin/dashboard", "https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home"] {
        assert_eq!(bg.hello(3, url, true), (vec![], false), "{url}");
    }
    // A page not on the frame the browser names gets nothing either.
    let other = Sender { url: "https://evil.example/".into(), ..page_sender(4, SIGN_ON) };
    let r = bg.input(Input::Message { msg: Ok(ToBackground::Hello { url: SIGN_ON.into(), top: true }), sender: other });
    assert!(matches!(r, Answered::Now(Reply::Specs { candidates, .. }) if candidates.is_empty()));
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::LoadAgent { .. })));
}

#[test]
fn until_the_policy_is_read_pages_are_served_and_what_depends_on_it_waits() {
    let mut bg = Bg::new();
    // At start the admin's own settings come at once and storage.managed
    // later (Chromium can take seconds to read its policies).
    let a = bg.input(Input::Settings { local: raw(r#"{"vault_minutes": 30}"#), managed: Loaded::Pending });
    assert!(matches!(a, Answered::Now(Reply::Ack)), "not kept waiting: {a:?}");
    // Pages are recognized and their checklists shown meanwhile.
    assert!(bg.hello(1, SIGN_ON, true).0.contains(&"okta.app.sign_on"));
    bg.facts(1, SIGN_ON, "okta.app.sign_on", vec![text("client_id", WF_CLIENT_ID), text("client_secret", WF_CLIENT_SECRET)]);
    let port = bg.connect(1);
    bg.click(1, Action::Pick { integration: "workflows-okta".into() }, None);
    assert!(bg.view(port).is_some_and(|v| !v.checklist.items.is_empty()));
    // A capture waits for the policy: nothing goes to the vault yet.
    bg.effects.clear();
    bg.click(1, Action::Capture { slot: "okta.wf_client_id".into() }, None);
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::Store { value: Stored::Vault(_), .. })), "{:?}", bg.effects);
    // So does the options page, which shows the policy.
    let Answered::Later(options) = bg.ui(UiRequest::Settings) else { panic!("the options page waits") };
    // The policy comes (5 minutes): the capture is carried out with its lifetime.
    let Answered::Later(t) = bg.input(Input::Settings { local: raw(r#"{"vault_minutes": 30}"#), managed: raw(r#"{"vault_minutes": 5}"#) }) else {
        panic!("the full settings are answered once the scripts are in sync")
    };
    let (ok, text) = bg.notice(port);
    assert!(ok && text.starts_with("notice_captured("), "{text}");
    let when = bg.effects.iter().find_map(|e| match e { Effect::SetAlarm { name: "kf-expiry", when_ms } => Some(*when_ms), _ => None }).unwrap();
    assert!(when <= T0 + 5 * 60_000 + 1_000, "{when}");
    // Both content-script syncs run (the settings' and the options page's);
    // each answer goes to its own ticket.
    let probes: Vec<(usize, Ticket)> = bg.effects.iter().filter_map(|e| match e {
        Effect::ProbeHosts { patterns, ticket, .. } => Some((patterns.len(), *ticket)),
        _ => None,
    }).collect();
    assert_eq!(probes.len(), 2, "{:?}", bg.effects);
    let mut answers = Vec::new();
    for (n, ticket) in probes {
        bg.input(Input::Answer { ticket, answer: Answer::Probed { granted: vec![true; n], registered: Some(vec![]) } });
        let sync = bg.effects.iter().find_map(|e| match e { Effect::SyncScripts { ticket, .. } => Some(*ticket), _ => None }).expect("sync");
        bg.input(Input::Answer { ticket: sync, answer: Answer::Registered(vec![]) });
        answers.extend(bg.effects.iter().filter_map(|e| match e {
            Effect::Answer { ticket, reply: Reply::Ack } => Some((*ticket, None)),
            Effect::Answer { ticket, reply: Reply::Settings { view } } => Some((*ticket, Some((view.vault_minutes, view.vault_minutes_managed)))),
            _ => None,
        }));
    }
    assert!(answers.contains(&(t, None)), "{answers:?}");
    // The options page gets its answer, under its own ticket, with the policy's minutes.
    assert!(answers.contains(&(options, Some((5, true)))), "{answers:?}");
    // A late "not read yet" (the policy answered first) changes nothing.
    assert!(matches!(bg.input(Input::Settings { local: Loaded::Absent, managed: Loaded::Pending }), Answered::Now(Reply::Ack)));
    assert_eq!(bg.s.settings_view(None).vault_minutes, 5);
    bg.effects.clear();
    bg.click(1, Action::Capture { slot: "okta.wf_client_secret".into() }, None);
    let (ok, text) = bg.notice(port);
    assert!(ok && text.starts_with("notice_captured("), "{text}");
}

#[test]
fn a_policy_that_never_answers_holds_clicks_only_until_it_is_late() {
    let mut bg = Bg::new();
    bg.input(Input::Settings { local: raw(r#"{"vault_minutes": 30}"#), managed: Loaded::Pending });
    bg.hello(1, SIGN_ON, true);
    bg.facts(1, SIGN_ON, "okta.app.sign_on", vec![text("client_id", WF_CLIENT_ID), text("client_secret", WF_CLIENT_SECRET)]);
    let port = bg.connect(1);
    bg.click(1, Action::Pick { integration: "workflows-okta".into() }, None);
    bg.effects.clear();
    bg.click(1, Action::Capture { slot: "okta.wf_client_id".into() }, None);
    assert!(!bg.effects.iter().any(|e| matches!(e, Effect::Store { value: Stored::Vault(_), .. })), "waits: {:?}", bg.effects);
    // The panel says the click waits (not a silent button).
    assert_eq!(bg.notice(port), (true, "notice_policy_wait()".to_string()));
    let Answered::Later(options) = bg.ui(UiRequest::Settings) else { panic!("the options page waits") };
    // storage.managed has not answered in time: the capture is carried out
    // with the admin's own lifetime, and the options page is answered.
    bg.effects.clear();
    assert!(matches!(bg.input(Input::PolicyLate), Answered::Nothing));
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Store { value: Stored::Vault(_), .. })), "{:?}", bg.effects);
    let (ok, text) = bg.notice(port);
    assert!(ok && text.starts_with("notice_captured("), "{text}");
    let when = bg.effects.iter().find_map(|e| match e { Effect::SetAlarm { name: "kf-expiry", when_ms } => Some(*when_ms), _ => None }).unwrap();
    assert!(when > T0 + 5 * 60_000 + 1_000 && when <= T0 + 30 * 60_000 + 1_000, "{when}");
    // The options page's request moves on (it reads the hosts' state).
    let _ = options;
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::ProbeHosts { .. })), "{:?}", bg.effects);
    // A second "late" changes nothing; the policy, when it comes, applies.
    bg.effects.clear();
    bg.input(Input::PolicyLate);
    assert!(bg.effects.is_empty(), "{:?}", bg.effects);
    bg.input(Input::Settings { local: raw(r#"{"vault_minutes": 30}"#), managed: raw(r#"{"vault_minutes": 5}"#) });
    assert_eq!(bg.s.settings_view(None).vault_minutes, 5);
}

#[test]
fn a_page_of_its_own_url_gets_its_panel_loaded_with_the_hello() {
    let mut bg = Bg::new();
    // A page's own URL: the frame loads its panel (hidden) with the specs.
    for url in [
        "https://acme-admin.okta.com/admin/access/api/tokens",
        SIGN_ON,
        "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHs000000FbXq/consumerDetails",
        "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
    ] {
        let (ids, loaded) = bg.hello(1, url, true);
        assert!(!ids.is_empty() && loaded, "{url}");
        assert_eq!(bg.preload, Some(0), "{url}");
    }
    // A Lightning wrapper: its page draws in a frame inside it, where that
    // frame's agent shows the panel; the wrapper's frame loads none.
    let wrapper = "https://acme.lightning.force.com/lightning/setup/ConnectedApplication/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppDetail.apexp%3FapplicationId%3D06Px";
    let (ids, _) = bg.hello(1, wrapper, true);
    assert_eq!(ids, ["salesforce.connected_app.consumer_details"]);
    assert_eq!(bg.preload, None);
    // Not a candidate: nothing loaded.
    let (ids, loaded) = bg.hello(1, "https://acme-admin.okta.com/admin/dashboard", true);
    assert!(ids.is_empty() && !loaded);
    assert_eq!(bg.preload, None);
}

#[test]
fn a_panel_loaded_with_the_hello_waits_for_the_pages_report() {
    let tokens = "https://acme-admin.okta.com/admin/access/api/tokens";
    let refresh = |bg: &Bg| bg.effects.iter().any(|e| matches!(e, Effect::ToFrame { key: (1, 0), msg: ToAgent::Refresh }));
    let mut bg = Bg::new();
    bg.hello(1, tokens, true);
    assert_eq!(bg.preload, Some(0));
    // Its port can come before the agent's first report (or after a worker
    // restart): the agent is asked to report, and nothing is shown yet.
    let port = bg.connect(1);
    assert!(refresh(&bg));
    assert!(bg.view(port).is_none());
    // A page that frames overlay.html itself meanwhile, under another token:
    // it waits too (the agent is asked once), as many as MAX_UNBOUND_PANELS.
    let forged: Vec<PortId> = (0..3)
        .map(|i| {
            let p = bg.connect_with(1, &format!("forged{i}"));
            assert!(!refresh(&bg));
            p
        })
        .collect();
    let extra = bg.connect_with(1, "forged9");
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Disconnect { port } if *port == extra)), "a fifth refused");
    // A report that does not recognize the page yet (still drawing): it
    // carries the agent's token, so its panel is bound and told there is
    // nothing to show; the forgeries are disconnected and get nothing.
    let candidates = vec![CandidateFacts { page: "okta.api.tokens".into(), landmarks: vec![false], fields: vec![] }];
    let msg = ToBackground::Facts { url: tokens.into(), candidates, token: Some("tok1".into()) };
    assert!(matches!(bg.message(msg, page_sender(1, tokens)), Reply::Verdict { page: None, .. }));
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Post { port: p, msg: ToOverlay::Gone } if *p == port)));
    for f in &forged {
        assert!(bg.effects.iter().any(|e| matches!(e, Effect::Disconnect { port } if port == f)), "{f} disconnected");
        assert!(!bg.effects.iter().any(|e| matches!(e, Effect::Post { port, .. } if port == f)), "{f} got nothing");
    }
    // A panel connecting now (loaded again) is not a reason to read the page
    // again: the agent reported to this worker and reports when the page changes.
    let port = bg.connect(1);
    assert!(!refresh(&bg), "{:?}", bg.effects);
    // The page drew its fields: the panel gets its checklist.
    bg.facts(1, tokens, "okta.api.tokens", vec![]);
    assert!(bg.view(port).is_some_and(|v| v.page == "okta.api.tokens"));
    for f in &forged {
        assert!(!bg.effects.iter().any(|e| matches!(e, Effect::Post { port, .. } if port == f)));
    }
}

#[test]
fn a_forged_panel_connecting_after_the_real_one_before_the_first_report_does_not_take_its_place() {
    let tokens = "https://acme-admin.okta.com/admin/access/api/tokens";
    let mut bg = Bg::new();
    bg.hello(1, tokens, true);
    let real = bg.connect(1); // token "tok1", the agent's
    let forged = bg.connect_with(1, "forged");
    bg.facts(1, tokens, "okta.api.tokens", vec![]);
    assert!(bg.view(real).is_some_and(|v| v.page == "okta.api.tokens"), "{:?}", bg.effects);
    assert!(bg.effects.iter().any(|e| matches!(e, Effect::Disconnect { port } if *port == forged)));
    assert!(bg.view(forged).is_none());
    // The real panel's actions are carried out.
    let reply = bg.click(1, Action::Collapse { collapsed: true }, None);
    assert!(!matches!(reply, Reply::Error { .. }), "{reply:?}");
}
