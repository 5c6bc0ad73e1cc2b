//! Where captured values go: a secret is filled only into a form that sends
//! it to the org it came from (issue 13 §3).
//!
//! Two kinds of target form:
//!
//! - **A form that names its destination.** Workato's Okta connection and
//!   Okta Workflows' connection send the client ID and secret to the Okta
//!   org typed in their domain field. The destination fields of a page are
//!   the fields it fills from the Okta org domain ([`FillSource::OktaDomain`]).
//!   Captured values are written only while every destination field is
//!   empty (Fill then sets it to the values' org, before the values) or
//!   names the values' org ([`judge`]). A field naming another org, another
//!   host, a URL elsewhere or anything keyferry cannot read as an Okta org
//!   makes Fill refuse, unless the admin confirmed replacing it ("Replace
//!   them too"): then the destination is written first and the captured
//!   values only once the read-back shows it names the values' org
//!   ([`guard`]).
//! - **A form that sends values to its own org.** Okta's Salesforce
//!   provisioning form sends Salesforce's consumer key and secret to the
//!   Okta org whose Admin Console shows it. Values of one vendor's org filled
//!   into another vendor's page are bound to that page's org the first time,
//!   on the admin's confirmation in the panel, and a page of another org asks
//!   again ([`binding`]). The binding lives with the values in the vault.

use crate::catalog::{FillSource, Page, Slot};
use crate::fill::FillPlan;
use crate::protocol::facts::{FieldFact, FieldValue};
use crate::recognize::Location;

/// The fields of `page` that name where the form sends its values: those it
/// fills from the Okta org domain.
pub fn destination_fields(page: &Page) -> impl Iterator<Item = &'static str> + '_ {
    page.fills.iter().filter(|f| f.from == FillSource::OktaDomain).map(|f| f.field)
}

/// The fields of `page` filled from captured values, with their slots.
pub fn captured_fields(page: &Page) -> impl Iterator<Item = (&'static str, Slot)> + '_ {
    page.fills.iter().filter_map(|f| match f.from {
        FillSource::Slot(s) => Some((f.field, s)),
        _ => None,
    })
}

/// The Okta org a console host belongs to (defined in [`crate::host`]).
pub use crate::host::okta_org_of_host;

/// The Okta org a destination field's text names: a domain, an admin or
/// Workflows host, or an `http(s)` URL on one of them (`acme.okta.com`,
/// `https://acme-admin.okta.com/`, `ACME.okta.com.` → `acme.okta.com`).
/// `None` for anything else: another host, a URL with a port or user-info,
/// text that is not a host.
pub fn okta_org_named(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &t[8..]
    } else if lower.starts_with("http://") {
        &t[7..]
    } else if t.contains("://") {
        return None;
    } else {
        t
    };
    let loc = Location::parse(&format!("https://{rest}"))?;
    okta_org_of_host(&loc.host)
}

/// What the destination fields of a form hold, compared with the org the
/// captured values came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The page has no destination field.
    NoField,
    /// A destination field is empty (the others name the values' org).
    Empty { field: &'static str },
    /// Every destination field names the values' org.
    Same,
    /// A destination field names another org or host, or text keyferry
    /// cannot read as an Okta org (`shown`: cleaned and clipped), or the
    /// values' org is not known.
    Other { field: &'static str, label: &'static str, shown: String },
    /// A destination field is not on the page (yet).
    NotFound { field: &'static str, label: &'static str },
}

/// Compares the page's destination fields (as the agent read them in
/// `facts`) with `values_org`, the Okta org the values came from.
pub fn judge(page: &Page, facts: &[FieldFact], values_org: Option<&str>) -> Destination {
    let mut out = Destination::NoField;
    for field in destination_fields(page) {
        let label = page.field(field).map(|f| f.label).unwrap_or(field);
        let got = facts.iter().find(|f| f.key == field).and_then(|f| f.value.as_ref());
        let this = match got {
            None => Destination::NotFound { field, label },
            Some(FieldValue::Text(t) | FieldValue::Choice(t)) if t.trim().is_empty() => Destination::Empty { field },
            Some(FieldValue::Text(t) | FieldValue::Choice(t)) => match (okta_org_named(t), values_org) {
                (Some(named), Some(org)) if named.eq_ignore_ascii_case(org) => Destination::Same,
                _ => Destination::Other { field, label, shown: shown(t) },
            },
            Some(_) => Destination::Other { field, label, shown: "a value that is not text".into() },
        };
        let rank = |d: &Destination| match d {
            Destination::NoField => 0,
            Destination::Same => 1,
            Destination::Empty { .. } => 2,
            Destination::NotFound { .. } => 3,
            Destination::Other { .. } => 4,
        };
        if rank(&this) > rank(&out) {
            out = this;
        }
    }
    out
}

/// A destination value as the admin is told it: one line, printable, at
/// most 60 characters. (A destination is not a secret: it is the place the
/// secret would go.)
fn shown(t: &str) -> String {
    let clean: String =
        t.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).filter(|c| !is_bidi(*c)).collect();
    match clean.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What [`guard`] did to a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guarded {
    /// The plan goes as it is (destination steps first).
    Go,
    /// The destination is being replaced (the admin confirmed it): this
    /// round writes it and the fields that are not captured values; the
    /// captured values (`withheld`) wait for the read-back.
    DestinationFirst { withheld: Vec<&'static str> },
    /// The destination field is not on the page yet: the captured values
    /// (`withheld`) wait until it is found and names the values' org; the
    /// other fields go.
    Waiting { withheld: Vec<&'static str>, problem: String },
    /// Nothing is written. One sentence for the admin, a problem.
    Refused { problem: String },
}

impl Guarded {
    /// The captured-value fields held back from this round.
    pub fn withheld(&self) -> &[&'static str] {
        match self {
            Guarded::DestinationFirst { withheld } | Guarded::Waiting { withheld, .. } => withheld,
            Guarded::Go | Guarded::Refused { .. } => &[],
        }
    }

    /// The problem to tell the admin, if any.
    pub fn problem(&self) -> Option<&str> {
        match self {
            Guarded::Waiting { problem, .. } | Guarded::Refused { problem } => Some(problem),
            Guarded::Go | Guarded::DestinationFirst { .. } => None,
        }
    }
}

/// Said when a fill ends with captured values still held back.
pub const STILL_HELD: &str =
    "The captured values were not filled: the destination field does not name the org they came from yet.";

/// The notice when Fill refuses for the destination or the binding: the
/// problem, marked as a refusal.
pub fn not_filled(problem: &str) -> String {
    format!("Not filled: {problem}")
}

/// The sentence for a destination that does not name the values' org.
pub fn other_org_problem(label: &str, shown: &str, values_org: Option<&str>) -> String {
    match values_org {
        Some(org) => format!(
            "\"{label}\" names {shown}, but the captured values came from {org}: keyferry does not fill them into a \
             form that sends them elsewhere. Click \"Replace them too\" to set it to {org} first, or correct it."
        ),
        None => format!(
            "\"{label}\" names {shown}, and keyferry does not know which Okta org the captured values came from, so \
             it does not fill them."
        ),
    }
}

/// Applies the destination rule to `plan` (made from `facts`, the form as
/// the agent read it): captured values are written only toward
/// `values_org`. See the module docs. Changes `plan` in place and says what
/// it did.
pub fn guard(plan: &mut FillPlan, page: &Page, facts: &[FieldFact], values_org: Option<&str>) -> Guarded {
    let captured: Vec<&'static str> = captured_fields(page).map(|(f, _)| f).collect();
    let writes_captured = plan.steps.iter().any(|s| captured.contains(&s.field));
    // Captured values last (a stable partition: the rest keeps its order, a
    // choice that reveals fields still comes first), so the form names the
    // org before it holds the values.
    let (rest, last): (Vec<_>, Vec<_>) = plan.steps.drain(..).partition(|s| !captured.contains(&s.field));
    plan.steps.extend(rest.into_iter().chain(last));
    if !writes_captured {
        return Guarded::Go;
    }
    let writes_org = |field: &str| {
        plan.steps.iter().any(|s| {
            s.field == field && values_org.is_some_and(|o| okta_org_named(s.value.reveal()).as_deref() == Some(o))
        })
    };
    let withhold = |plan: &mut FillPlan| {
        let withheld: Vec<&'static str> = plan.steps.iter().map(|s| s.field).filter(|f| captured.contains(f)).collect();
        plan.steps.retain(|s| !captured.contains(&s.field));
        withheld
    };
    match judge(page, facts, values_org) {
        Destination::NoField | Destination::Same => Guarded::Go,
        Destination::Empty { field } if writes_org(field) => Guarded::Go,
        Destination::Empty { field } => {
            let label = page.field(field).map(|f| f.label).unwrap_or(field);
            plan.steps.clear();
            Guarded::Refused {
                problem: format!(
                    "\"{label}\" is empty and keyferry does not know the Okta org the captured values came from, so \
                     it fills nothing."
                ),
            }
        }
        Destination::Other { field, label, shown } => {
            if writes_org(field) && plan.steps.iter().any(|s| s.field == field && s.replaces) {
                Guarded::DestinationFirst { withheld: withhold(plan) }
            } else {
                plan.steps.clear();
                Guarded::Refused { problem: other_org_problem(label, &shown, values_org) }
            }
        }
        Destination::NotFound { label, .. } => {
            let withheld = withhold(plan);
            Guarded::Waiting {
                withheld,
                problem: format!(
                    "keyferry could not find \"{label}\" on this page, so it does not fill the captured values: it \
                     cannot tell where the form would send them."
                ),
            }
        }
    }
}

/// Whether a value of `slot`, captured in another vendor's org, is filled
/// into `page` and so goes to the page's own org: the page names no
/// destination field, and the slot's console is not the page's.
pub fn bound_by_page(page: &Page, slot: Slot) -> bool {
    destination_fields(page).next().is_none() && crate::catalog::slot_console(slot) != page.console
}

/// A value to be filled, as [`binding`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct Carried<'a> {
    pub slot: Slot,
    /// The org it was captured in (display form: `acme.my.salesforce.com`).
    pub from: &'a str,
    /// The org it was confirmed to go to, if any.
    pub sent_to: Option<&'a str>,
}

/// Whether the values may go to `page_org` (the org of the page being
/// filled: the Okta org of an Okta host, else the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// Nothing on this page needs a binding.
    NotNeeded,
    /// Every value the page would receive was confirmed for this org.
    Bound,
    /// Ask the admin: send the values captured in `from` to `to`? `before`:
    /// the org they were confirmed for earlier, if any.
    Ask { from: String, to: String, before: Option<String>, slots: Vec<Slot> },
}

/// Decides whether filling `page` (of `page_org`) with `values` needs the
/// admin's confirmation. Only values [`bound_by_page`] count.
pub fn binding(page: &Page, page_org: &str, values: &[Carried<'_>]) -> Binding {
    let fills: Vec<Slot> = captured_fields(page).map(|(_, s)| s).filter(|s| bound_by_page(page, *s)).collect();
    let carried: Vec<&Carried<'_>> = values.iter().filter(|v| fills.contains(&v.slot)).collect();
    if carried.is_empty() {
        return Binding::NotNeeded;
    }
    if carried.iter().all(|v| v.sent_to.is_some_and(|t| t.eq_ignore_ascii_case(page_org))) {
        return Binding::Bound;
    }
    let before = carried.iter().find_map(|v| v.sent_to.filter(|t| !t.eq_ignore_ascii_case(page_org)));
    Binding::Ask {
        from: carried[0].from.to_string(),
        to: page_org.to_ascii_lowercase(),
        before: before.map(str::to_string),
        slots: carried.iter().map(|v| v.slot).collect(),
    }
}

/// The sentence that asks for (or explains a refusal for want of) the
/// binding.
pub fn binding_question(b: &Binding) -> Option<String> {
    match b {
        Binding::Ask { from, to, before: None, .. } => Some(format!(
            "The captured values came from {from} and have not been sent to any org yet. Fill sends them to {to}: \
             confirm that this is the org they are for."
        )),
        Binding::Ask { from, to, before: Some(b), .. } => Some(format!(
            "The captured values from {from} were sent to {b}; this page belongs to {to}. Confirm before keyferry \
             sends them here too."
        )),
        _ => None,
    }
}

/// The org a page belongs to, for [`binding`]: the Okta org of an Okta host,
/// else the host itself (a custom domain).
pub fn page_org(host: &str) -> String {
    okta_org_of_host(host).unwrap_or_else(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::{assemble, AssembleContext};
    use crate::catalog::{self, Integration};
    use crate::fill;
    use crate::secret::Sensitive;

    fn page(id: &str) -> &'static Page {
        catalog::page(id).expect(id)
    }
    fn integration(id: &str) -> &'static Integration {
        catalog::integration(id).expect(id)
    }
    fn text(key: &str, v: &str) -> FieldFact {
        FieldFact { key: key.into(), value: Some(FieldValue::Text(v.into())) }
    }
    fn choice(key: &str, v: &str) -> FieldFact {
        FieldFact { key: key.into(), value: Some(FieldValue::Choice(v.into())) }
    }

    /// The Workato auth-code form as the agent reads it, with `domain`.
    fn workato(domain: Option<&str>) -> Vec<FieldFact> {
        let mut f = vec![
            text("name", ""),
            choice("location", "Home"),
            choice("auth_type", "Authorization code grant"),
            text("client_id", ""),
            text("client_secret", ""),
            text("scopes", ""),
        ];
        f.push(match domain {
            Some(d) => text("domain", d),
            None => FieldFact { key: "domain".into(), value: None },
        });
        f
    }

    const ID: &str = "0oa1b2c3d4e5f6g7h8i9";
    const SECRET: &str = "hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5";

    fn planned(facts: &[FieldFact], overwrite: &[&str], org: Option<&str>) -> (FillPlan, Guarded) {
        let p = page("workato.connection.new");
        let i = integration("workato-okta-auth-code");
        let (id, secret) = (Sensitive::new(ID), Sensitive::new(SECRET));
        let vault = vec![(Slot::OktaClientId, &id), (Slot::OktaClientSecret, &secret)];
        let ctx = AssembleContext { okta_admin_host: org.map(String::from), ..Default::default() };
        let values = assemble(i, &vault, p, &ctx);
        let mut plan = fill::plan(&values, facts, overwrite);
        let g = guard(&mut plan, p, facts, org);
        (plan, g)
    }
    fn fields(plan: &FillPlan) -> Vec<&'static str> {
        plan.steps.iter().map(|s| s.field).collect()
    }

    #[test]
    fn destination_fields_are_the_okta_domain_fields_per_page() {
        assert_eq!(destination_fields(page("workato.connection.new")).collect::<Vec<_>>(), ["domain"]);
        assert_eq!(destination_fields(page("workflows.connection.new")).collect::<Vec<_>>(), ["domain"]);
        assert_eq!(destination_fields(page("okta.salesforce.provisioning")).count(), 0);
        // Every page that fills a captured Okta value into another console
        // names its destination; Salesforce values into Okta are bound.
        for p in catalog::pages::PAGES {
            for (_, slot) in captured_fields(p) {
                let named = destination_fields(p).next().is_some();
                assert!(named || bound_by_page(p, slot), "{}: {slot:?} goes nowhere keyferry can check", p.id);
            }
        }
    }

    #[test]
    fn the_org_a_destination_names() {
        for same in [
            "acme.okta.com",
            " ACME.okta.com. ",
            "https://acme.okta.com",
            "https://acme-admin.okta.com/admin/dashboard",
            "http://acme.okta.com/",
            "acme.workflows.okta.com",
        ] {
            assert_eq!(okta_org_named(same).as_deref(), Some("acme.okta.com"), "{same}");
        }
        assert_eq!(okta_org_named("evil.okta.com").as_deref(), Some("evil.okta.com"));
        assert_eq!(okta_org_named("https://evil.oktapreview.com/x").as_deref(), Some("evil.oktapreview.com"));
        for none in [
            "attacker.example.com",
            "https://attacker.example.com/okta",
            "https://acme.okta.com@attacker.example.com",
            "https://acme.okta.com:8443",
            "acme.okta.com.attacker.example",
            "okta.com",
            "a.b.okta.com",
            "system-admin.okta.com",
            "ftp://acme.okta.com",
            "javascript://acme.okta.com",
            "acme okta com",
            "",
        ] {
            assert_eq!(okta_org_named(none), None, "{none}");
        }
        assert_eq!(okta_org_of_host("acme-admin.okta.com").as_deref(), Some("acme.okta.com"));
        assert_eq!(okta_org_of_host("acme.workflows.okta.com").as_deref(), Some("acme.okta.com"));
        assert_eq!(okta_org_of_host("acme-admin.okta.com.evil.test"), None);
    }

    #[test]
    fn judge_compares_the_destination_with_the_values_org() {
        let p = page("workato.connection.new");
        let org = Some("acme.okta.com");
        assert_eq!(judge(p, &workato(Some("")), org), Destination::Empty { field: "domain" });
        assert_eq!(judge(p, &workato(Some("acme.okta.com")), org), Destination::Same);
        assert_eq!(judge(p, &workato(Some("https://acme-admin.okta.com")), org), Destination::Same);
        for other in ["evil.okta.com", "attacker.example.com", "https://attacker.example.com/x"] {
            assert!(
                matches!(judge(p, &workato(Some(other)), org), Destination::Other { field: "domain", .. }),
                "{other}"
            );
        }
        assert!(matches!(judge(p, &workato(Some("acme.okta.com")), None), Destination::Other { .. }));
        assert!(matches!(judge(p, &workato(None), org), Destination::NotFound { field: "domain", .. }));
        assert_eq!(judge(page("okta.salesforce.provisioning"), &[], org), Destination::NoField);
        let Destination::Other { shown, .. } = judge(p, &workato(Some("evil\u{202e}.okta.com\n")), org) else {
            panic!()
        };
        assert_eq!(shown, "evil.okta.com");
    }

    #[test]
    fn an_empty_destination_is_set_first_and_the_values_go() {
        let (plan, g) = planned(&workato(Some("")), &[], Some("acme.okta.com"));
        assert_eq!(g, Guarded::Go);
        let at = |f: &str| fields(&plan).iter().position(|x| *x == f).unwrap();
        assert_eq!(plan.steps[at("domain")].value.reveal(), "acme.okta.com");
        assert!(at("domain") < at("client_id") && at("domain") < at("client_secret"), "{:?}", fields(&plan));
    }

    #[test]
    fn the_values_org_already_named_goes() {
        let (plan, g) = planned(&workato(Some("acme.okta.com")), &[], Some("acme.okta.com"));
        assert_eq!(g, Guarded::Go);
        assert!(fields(&plan).contains(&"client_secret"));
    }

    #[test]
    fn another_org_host_or_url_refuses_everything_without_confirmation() {
        for other in ["evil.okta.com", "attacker.example.com", "https://attacker.example.com/okta"] {
            let (plan, g) = planned(&workato(Some(other)), &[], Some("acme.okta.com"));
            assert!(plan.steps.is_empty(), "{other}: {:?}", fields(&plan));
            let Guarded::Refused { problem } = g else { panic!("{other}: {g:?}") };
            assert!(problem.contains(other) && problem.contains("acme.okta.com"), "{problem}");
            assert!(!problem.contains(SECRET) && !problem.contains(ID));
        }
    }

    #[test]
    fn a_confirmed_replace_writes_the_destination_first_and_withholds_the_values() {
        let facts = workato(Some("evil.okta.com"));
        let (plan, g) = planned(&facts, &["domain"], Some("acme.okta.com"));
        assert_eq!(g, Guarded::DestinationFirst { withheld: vec!["client_id", "client_secret"] });
        let domain = plan.steps.iter().find(|s| s.field == "domain").expect("the domain is replaced");
        assert_eq!(domain.value.reveal(), "acme.okta.com");
        assert!(domain.replaces);
        assert!(!fields(&plan).contains(&"client_id") && !fields(&plan).contains(&"client_secret"));
        // Next round, read back: the domain took, the values go.
        let mut after = workato(Some("acme.okta.com"));
        after.retain(|f| f.key != "scopes");
        after.push(text("scopes", "okta.logs.read okta.schemas.read offline_access openid"));
        let (plan, g) = planned(&after, &["domain"], Some("acme.okta.com"));
        assert_eq!(g, Guarded::Go);
        assert!(fields(&plan).contains(&"client_secret"));
        // The page put the other org back: refused again.
        let (plan, g) = planned(&workato(Some("evil.okta.com")), &[], Some("acme.okta.com"));
        assert!(plan.steps.is_empty() && matches!(g, Guarded::Refused { .. }));
    }

    #[test]
    fn a_missing_destination_field_holds_the_values_back() {
        let (plan, g) = planned(&workato(None), &[], Some("acme.okta.com"));
        assert!(matches!(&g, Guarded::Waiting { withheld, .. } if withheld == &["client_id", "client_secret"]));
        assert!(!fields(&plan).contains(&"client_secret"));
        assert!(fields(&plan).contains(&"scopes"), "what is not a captured value still goes");
    }

    #[test]
    fn unknown_values_org_refuses() {
        let (plan, g) = planned(&workato(Some("acme.okta.com")), &[], None);
        assert!(plan.steps.is_empty() && matches!(g, Guarded::Refused { .. }), "{g:?}");
    }

    #[test]
    fn salesforce_values_into_okta_are_bound_once_and_asked_again_for_another_org() {
        let p = page("okta.salesforce.provisioning");
        assert!(bound_by_page(p, Slot::SfConsumerKey) && bound_by_page(p, Slot::SfConsumerSecret));
        assert!(!bound_by_page(page("workato.connection.new"), Slot::OktaClientSecret));
        let from = "acme.my.salesforce.com";
        let fresh = [
            Carried { slot: Slot::SfConsumerKey, from, sent_to: None },
            Carried { slot: Slot::SfConsumerSecret, from, sent_to: None },
        ];
        let ask = binding(p, "acme.okta.com", &fresh);
        assert_eq!(
            ask,
            Binding::Ask {
                from: from.into(),
                to: "acme.okta.com".into(),
                before: None,
                slots: vec![Slot::SfConsumerKey, Slot::SfConsumerSecret]
            }
        );
        assert!(binding_question(&ask).unwrap().contains("acme.okta.com"));
        let bound = [
            Carried { slot: Slot::SfConsumerKey, from, sent_to: Some("acme.okta.com") },
            Carried { slot: Slot::SfConsumerSecret, from, sent_to: Some("acme.okta.com") },
        ];
        assert_eq!(binding(p, "acme.okta.com", &bound), Binding::Bound);
        let Binding::Ask { to, before, .. } = binding(p, "globex.okta.com", &bound) else { panic!() };
        assert_eq!((to.as_str(), before.as_deref()), ("globex.okta.com", Some("acme.okta.com")));
        // One value recaptured since: asked again.
        let mixed = [bound[0], fresh[1]];
        assert!(matches!(binding(p, "acme.okta.com", &mixed), Binding::Ask { before: None, .. }));
        assert_eq!(binding(p, "acme.okta.com", &[]), Binding::NotNeeded);
        assert_eq!(binding(page("workato.connection.new"), "app.workato.com", &fresh), Binding::NotNeeded);
        assert_eq!(page_org("acme-admin.okta.com"), "acme.okta.com");
        assert_eq!(page_org("Admin.Acme-Corp.example"), "admin.acme-corp.example");
        assert!(not_filled("x").starts_with("Not filled"));
    }
}
