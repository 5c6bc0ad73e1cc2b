//! A click the background cannot act on yet, and when to act on it later.
//!
//! When the service worker (Chrome) or event page (Firefox) is stopped, its
//! memory of the page's frames is gone. The admin's next click in the panel
//! wakes it before the page has reported again. Rather than refuse that
//! click, the background keeps it as a [`Pending`] action, asks the page to
//! report, and decides with [`decide`] once the report is in: the action is
//! carried out only if the page is still the one the panel showed and what
//! the action would act on is unchanged (the view's [`basis`]); otherwise the
//! admin gets the clear refusal and nothing is done.
//!
//! The same basis guards a confirmed overwrite ([`stale_overwrite`]): the
//! admin agreed to replace the fields the panel listed, not fields that filled
//! up since.

use crate::protocol::overlay::Action;
use crate::protocol::view::View;

/// How long a kept click stays valid. A report normally arrives within a
/// second of the restart; past this the click is refused, not acted on late.
pub const PENDING_MS: u64 = 8_000;

/// The longest basis accepted from the overlay (16 hex digits).
pub const BASIS_LEN: usize = 16;

/// A click kept while the restarted background waits for the page's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub action: Action,
    /// The basis of the view the admin clicked on (`None`: an old panel that
    /// does not send one; such a click is never carried out later).
    pub basis: Option<String>,
    /// When the click arrived (ms since the epoch).
    pub at_ms: u64,
}

/// What to do with a kept click once the page has reported.
#[derive(Debug, Clone, PartialEq)]
pub enum Resume {
    /// Carry it out now.
    Run(Action),
    /// Do nothing, and tell the admin why.
    Refuse(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too long since the click.
    TooLate,
    /// The page is not recognized any more, or is another page.
    PageChanged,
    /// Same page, but what the action would act on changed (values, fields
    /// holding other values, captured values).
    ValuesChanged,
    /// The panel sent no basis to compare with.
    NoBasis,
}

/// Actions worth keeping for later. `Fit` and `Dismiss` are harmless without
/// the frame's state and handled at once.
pub fn deferrable(action: &Action) -> bool {
    !matches!(action, Action::Fit { .. } | Action::Dismiss)
}

/// A short fingerprint of what an action in the panel acts on: the page, the
/// integration and step, the values Fill would write (as shown, masked), the
/// fields holding other values, what is missing or absent, what can be
/// captured and what is captured. It leaves out what changes without the
/// admin's doing (the checklist's statuses, seconds left, notices) and holds
/// no value in the clear (secrets are masked in the view it is made from).
pub fn basis(view: &View) -> String {
    let mut h = Fnv::new();
    h.field(view.page);
    h.field(view.integration.unwrap_or(""));
    if let Some((n, of)) = view.step {
        h.field(&format!("{n}/{of}"));
    }
    for c in &view.captures {
        h.field(c.slot);
        h.field(if c.shown { "shown" } else { "hidden" });
        h.field(c.captured.as_deref().unwrap_or(""));
    }
    if let Some(f) = &view.fill {
        for l in &f.values {
            h.field(l.field);
            h.field(&l.display);
        }
        h.field("conflicts");
        f.conflicts.iter().for_each(|c| h.field(c));
        h.field("missing");
        f.missing.iter().for_each(|m| h.field(m.field));
        h.field("absent");
        f.absent.iter().for_each(|a| h.field(a));
        h.field(&f.ready.to_string());
        h.field("blocked");
        h.field(f.blocked.as_deref().unwrap_or(""));
        h.field("bind");
        h.field(f.bind.as_ref().map_or("", |b| b.to.as_str()));
    }
    h.field("vault");
    for e in &view.vault {
        h.field(&e.masked);
        h.field(&e.org);
    }
    format!("{:016x}", h.0)
}

/// Decides a kept click once the page reported: `view` is what the panel
/// would show now (`None`: the page is not recognized).
pub fn decide(pending: &Pending, view: Option<&View>, now_ms: u64) -> Resume {
    if now_ms.saturating_sub(pending.at_ms) > PENDING_MS {
        return Resume::Refuse(Refusal::TooLate);
    }
    let Some(view) = view else { return Resume::Refuse(Refusal::PageChanged) };
    let Some(seen) = pending.basis.as_deref() else { return Resume::Refuse(Refusal::NoBasis) };
    if seen != basis(view) {
        // Another page, or the same page with other values: both refused.
        return Resume::Refuse(Refusal::ValuesChanged);
    }
    Resume::Run(pending.action.clone())
}

/// A confirmed overwrite (`Fill { overwrite: true }`) clicked on a view whose
/// basis is not the current one: the fields it would replace may not be the
/// ones the admin agreed to replace. Other actions, and a panel that sends no
/// basis, are not judged here.
pub fn stale_overwrite(action: &Action, seen: Option<&str>, view: &View) -> bool {
    matches!(action, Action::Fill { overwrite: true }) && seen.is_some_and(|s| s != basis(view))
}

/// FNV-1a, 64 bits: a fingerprint, not a security boundary (the overlay that
/// sends it back is the extension's own page).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn field(&mut self, s: &str) {
        for b in s.bytes().chain(std::iter::once(0x1f)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::view::{CaptureView, FillLine, FillView};

    fn view(page: &'static str) -> View {
        View {
            page,
            page_title: "t",
            console: "c",
            integrations: vec![],
            integration: Some("workato-okta-auth-code"),
            step: Some((5, 5)),
            routes: vec![],
            checklist: crate::checklist::evaluate(
                crate::catalog::page("okta.api.tokens").unwrap(),
                None,
                &[],
                &Default::default(),
            ),
            collapsed: false,
            captures: vec![CaptureView { slot: "okta.client_id", label: "l", shown: true, captured: None, hint: "" }],
            fill: Some(FillView {
                values: vec![FillLine {
                    field: "client_secret",
                    label: "Client secret",
                    display: "••••1234".into(),
                    secret: true,
                    copy: true,
                }],
                missing: vec![],
                conflicts: vec![],
                ready: 1,
                absent: vec![],
                blocked: None,
                bind: None,
            }),
            vault: vec![],
            notice: None,
            drift: None,
            basis: String::new(),
        }
    }

    fn pending(action: Action, v: &View, at_ms: u64) -> Pending {
        Pending { action, basis: Some(basis(v)), at_ms }
    }

    #[test]
    fn a_kept_click_on_the_same_page_with_the_same_values_is_carried_out() {
        let v = view("workato.connection.new");
        let p = pending(Action::Fill { overwrite: false }, &v, 1_000);
        assert_eq!(decide(&p, Some(&view("workato.connection.new")), 2_000), Resume::Run(Action::Fill { overwrite: false }));
    }

    #[test]
    fn a_kept_click_is_refused_when_the_page_or_its_values_changed_or_it_is_too_late() {
        let v = view("workato.connection.new");
        let p = pending(Action::Fill { overwrite: true }, &v, 1_000);
        assert_eq!(decide(&p, None, 2_000), Resume::Refuse(Refusal::PageChanged));
        assert_eq!(decide(&p, Some(&view("okta.app.general")), 2_000), Resume::Refuse(Refusal::ValuesChanged));
        let mut filled_up = view("workato.connection.new");
        if let Some(f) = filled_up.fill.as_mut() {
            f.conflicts.push("Client secret");
            f.ready = 0;
        }
        assert_eq!(decide(&p, Some(&filled_up), 2_000), Resume::Refuse(Refusal::ValuesChanged));
        let mut recaptured = view("workato.connection.new");
        if let Some(f) = recaptured.fill.as_mut() {
            f.values[0].display = "••••9999".into();
        }
        assert_eq!(decide(&p, Some(&recaptured), 2_000), Resume::Refuse(Refusal::ValuesChanged));
        assert_eq!(decide(&p, Some(&v), 1_000 + PENDING_MS + 1), Resume::Refuse(Refusal::TooLate));
        let old_panel = Pending { basis: None, ..p };
        assert_eq!(decide(&old_panel, Some(&v), 2_000), Resume::Refuse(Refusal::NoBasis));
    }

    #[test]
    fn the_basis_ignores_what_changes_without_the_admin_and_holds_no_clear_value() {
        let a = view("p");
        let mut b = view("p");
        b.collapsed = true;
        b.notice = Some(crate::protocol::view::Notice { ok: true, text: "Filled".into() });
        assert_eq!(basis(&a), basis(&b));
        assert_eq!(basis(&a).len(), BASIS_LEN);
        assert!(basis(&a).chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn only_a_confirmed_overwrite_on_an_outdated_view_is_stale() {
        let v = view("p");
        let mut now = view("p");
        if let Some(f) = now.fill.as_mut() {
            f.conflicts.push("Client secret");
        }
        let seen = basis(&v);
        assert!(stale_overwrite(&Action::Fill { overwrite: true }, Some(&seen), &now));
        assert!(!stale_overwrite(&Action::Fill { overwrite: true }, Some(&seen), &v));
        assert!(!stale_overwrite(&Action::Fill { overwrite: false }, Some(&seen), &now));
        assert!(!stale_overwrite(&Action::Fill { overwrite: true }, None, &now));
        assert!(deferrable(&Action::Fill { overwrite: false }));
        assert!(!deferrable(&Action::Fit { height: 10 }));
        assert!(!deferrable(&Action::Dismiss));
    }

    #[test]
    fn the_destination_and_the_binding_are_part_of_the_basis() {
        let v = view("p");
        let mut blocked = view("p");
        blocked.fill.as_mut().unwrap().blocked = Some("\"Okta domain\" names evil.okta.com".into());
        assert_ne!(basis(&v), basis(&blocked));
        // A Replace confirmed before the form named another org is stale.
        assert!(stale_overwrite(&Action::Fill { overwrite: true }, Some(&basis(&v)), &blocked));
        let mut bind = view("p");
        bind.fill.as_mut().unwrap().bind = Some(crate::protocol::view::BindView { to: "acme.okta.com".into(), question: String::new() });
        let mut other = view("p");
        other.fill.as_mut().unwrap().bind = Some(crate::protocol::view::BindView { to: "globex.okta.com".into(), question: String::new() });
        assert_ne!(basis(&bind), basis(&other));
        assert_ne!(basis(&v), basis(&bind));
        assert!(deferrable(&Action::Bind { org: "acme.okta.com".into() }));
    }
}
