//! Drift: a console page that differs from what keyferry knows.
//!
//! Two cases, decided here from the facts the agent reported (booleans and
//! "found / not found", never values):
//! - **Unrecognized**: the URL is a candidate for catalog pages, but no
//!   candidate's landmarks all hit ([`unrecognized`]). There is no panel
//!   then; the popup says so for its tab ([`for_tab`]).
//! - **Missing fields**: the page is recognized, but fields keyferry expects
//!   there now cannot be located ([`missing_fields`]). The panel says so.
//!
//! And the **page signature** ([`signature`]): a redacted description of the
//! page for a bug report, assembled from what the agent describes on the
//! admin's click ([`Description`]): which landmark probes and field locators
//! hit or missed, and the page's form controls by tag, type, role, id, name
//! and label / aria text. The agent never reads a control's value; this
//! module bounds and cleans every page-derived string again, and drops the
//! label and aria texts of password fields and text areas. SECURITY.md
//! lists what a signature holds.

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Field, Integration, Landmark, Locator, Page, Probe, Widget};
use crate::protocol::facts::{CandidateFacts, FieldFact, FieldValue};
use crate::protocol::wire::{Envelope, Rejection};
use crate::recognize::{self, Location};
use crate::host::CustomHost;

/// At most this many controls in a signature.
pub const MAX_CONTROLS: usize = 200;
/// At most this many headings in a signature.
pub const MAX_HEADINGS: usize = 20;
/// Page-derived texts (ids, names, labels, headings) are cut to this many
/// characters.
pub const MAX_TEXT: usize = 80;

/// What keyferry expected on one candidate page and did not find.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageDrift<S = &'static str> {
    pub page: S,
    pub title: S,
    /// Landmarks not found, each described by its probes.
    pub landmarks: Vec<String>,
    /// Fields not located (labels as the catalog knows them).
    pub fields: Vec<S>,
}

/// A page that differs from what keyferry knows (texts: `&'static str` as
/// built, `String` as the overlay and the popup read it, `protocol::view`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift<S = &'static str> {
    /// The recognized page (missing fields), or `None` (not recognized).
    pub recognized: Option<S>,
    pub pages: Vec<PageDrift<S>>,
}

/// One probe, as a bug report names it.
pub fn describe_probe(p: &Probe) -> String {
    match p {
        Probe::Id { id } => format!("#{id}"),
        Probe::Css { css, .. } => format!("`{css}`"),
        Probe::Text { css, text, .. } => format!("\"{text}\" in `{css}`"),
        Probe::Title { text } => format!("title \"{text}\""),
    }
}

/// One landmark: its probes, any of which would do.
pub fn describe_landmark(l: &Landmark) -> String {
    l.any_of.iter().map(describe_probe).collect::<Vec<_>>().join(" or ")
}

/// One field locator, as a bug report names it.
pub fn describe_locator(l: &Locator) -> String {
    match l {
        Locator::Id { id } => format!("#{id}"),
        Locator::Name { name } => format!("name={name}"),
        Locator::Css { css, .. } => format!("`{css}`"),
        Locator::LabelText { text, .. } => format!("label \"{text}\""),
        Locator::Aria { text, .. } => format!("aria-label \"{text}\""),
        Locator::Near { text, css, .. } => format!("`{css}` after \"{text}\""),
    }
}

/// The URL is a candidate but no page is recognized: the candidates and the
/// landmarks of each that missed. `None` when a page is recognized, or when
/// the facts name no candidate of this URL (nothing keyferry knows here).
pub fn unrecognized(url: &str, facts: &[CandidateFacts], custom: &[CustomHost]) -> Option<Drift> {
    if recognize::recognize(url, facts, custom).is_some() {
        return None;
    }
    let loc = Location::parse(url)?;
    let pages: Vec<PageDrift> = facts
        .iter()
        .filter_map(|f| {
            let page = catalog::page(&f.page).filter(|p| recognize::url_matches(p, &loc, custom))?;
            let landmarks = page
                .landmarks
                .iter()
                .enumerate()
                .filter(|(i, _)| f.landmarks.get(*i) != Some(&true))
                .map(|(_, l)| describe_landmark(l))
                .collect();
            Some(PageDrift { page: page.id, title: page.title, landmarks, fields: Vec::new() })
        })
        .collect();
    (!pages.is_empty()).then_some(Drift { recognized: None, pages })
}

/// Fields that only exist while another field of the page is set: the
/// Salesforce OAuth section appears once "Enable OAuth Settings" is ticked,
/// Okta's "Application type" once a sign-in method is chosen.
/// (page id, gate field, fields behind it.)
pub const GATES: &[(&str, &str, &[&str])] = &[
    ("okta.app.create_dialog", "sign_in_method", &["app_type"]),
    (
        "salesforce.connected_app.edit",
        "oauth_enabled",
        &[
            "device_flow",
            "callback_url",
            "digital_signatures",
            "scopes_selected",
            "pkce",
            "secret_web_server",
            "secret_refresh",
            "client_credentials",
            "introspect",
            "id_token",
            "asset_tokens",
            "single_logout",
        ],
    ),
    (
        "salesforce.external_client_app.settings",
        "oauth_enabled",
        &[
            "callback_url",
            "scopes_selected",
            "device_flow",
            "pkce",
            "secret_web_server",
            "secret_refresh",
            "refresh_rotation",
            "client_credentials",
        ],
    ),
];

/// Fields a page shows only together, after a click (Okta's Provisioning
/// tab shows the Salesforce credentials only once "Configure API
/// Integration" / Edit was clicked): none of them located is the closed
/// form, not drift; some located and others not is drift. (page id, fields.)
pub const TOGETHER: &[(&str, &[&str])] = &[("okta.salesforce.provisioning", &["consumer_key", "consumer_secret"])];

fn located<'a>(facts: &'a [FieldFact], key: &str) -> Option<&'a FieldValue> {
    facts.iter().find(|f| f.key == key).and_then(|f| f.value.as_ref())
}

/// Is the gate open (its field found and set)?
fn gate_open(facts: &[FieldFact], gate: &str) -> bool {
    match located(facts, gate) {
        Some(FieldValue::Checked(on)) => *on,
        Some(FieldValue::Choice(c) | FieldValue::Text(c)) => !c.trim().is_empty(),
        Some(FieldValue::List(l)) => !l.is_empty(),
        Some(FieldValue::Rows(r)) => !r.is_empty(),
        Some(FieldValue::Ambiguous(_) | FieldValue::TooLarge) | None => false,
    }
}

/// Field keys the requirements of `integration` check on `page`.
fn fields_of(page: &Page, integration: &Integration) -> Vec<&'static str> {
    let ids: Vec<&str> =
        integration.steps.iter().filter(|s| s.page == page.id).flat_map(|s| s.requirements.iter().copied()).collect();
    page.requirements.iter().filter(|r| ids.contains(&r.id)).filter_map(|r| r.field).collect()
}

/// Does keyferry expect to locate this field on the page now?
///
/// - A capture field is not: consoles show those values only after a reveal
///   (the capture row says how).
/// - A field no requirement in scope checks is not. In scope: the chosen
///   integration's requirements on this page; with none chosen, the fields
///   every integration using the page checks (Workato's credential fields
///   depend on the authentication type, so they count only once it decides
///   the integration); a page no integration uses: all its requirements.
/// - A field behind a gate ([`GATES`]) is not while the gate is closed.
/// - Fields shown only together ([`TOGETHER`]) are not while none of them is.
fn expected(page: &Page, integration: Option<&Integration>, facts: &[FieldFact], field: &Field) -> bool {
    if page.captures.iter().any(|c| c.field == field.key) {
        return false;
    }
    // A field whose only use is to notice a variant (`Check::NoteUnlessShown`,
    // e.g. Okta's SOAP form) is absent on the expected page.
    let uses = || page.requirements.iter().filter(|r| r.field == Some(field.key));
    if uses().next().is_some() && uses().all(|r| matches!(r.check, catalog::Check::NoteUnlessShown)) {
        return false;
    }
    let in_scope = match integration {
        Some(i) => fields_of(page, i).contains(&field.key),
        None => {
            let users: Vec<&Integration> = catalog::integrations_for_page(page.id).collect();
            if users.is_empty() {
                page.requirements.iter().any(|r| r.field == Some(field.key))
            } else {
                users.iter().all(|i| fields_of(page, i).contains(&field.key))
            }
        }
    };
    let closed_group = TOGETHER.iter().any(|(p, group)| {
        *p == page.id && group.contains(&field.key) && group.iter().all(|k| located(facts, k).is_none())
    });
    let gated_shut =
        GATES.iter().any(|(p, gate, behind)| *p == page.id && behind.contains(&field.key) && !gate_open(facts, gate));
    in_scope && !gated_shut && !closed_group
}

/// The fields of a recognized page that keyferry expects now and cannot
/// locate (never a field the facts found, whatever its value).
pub fn missing_fields(
    page: &'static Page,
    integration: Option<&Integration>,
    facts: &[FieldFact],
) -> Vec<&'static Field> {
    page.fields.iter().filter(|f| located(facts, f.key).is_none() && expected(page, integration, facts, f)).collect()
}

/// [`missing_fields`] as a drift, or `None` when every expected field is there.
pub fn recognized_drift(page: &'static Page, integration: Option<&Integration>, facts: &[FieldFact]) -> Option<Drift> {
    let fields: Vec<&'static str> = missing_fields(page, integration, facts).into_iter().map(|f| f.label).collect();
    (!fields.is_empty()).then(|| Drift {
        recognized: Some(page.id),
        pages: vec![PageDrift { page: page.id, title: page.title, landmarks: Vec::new(), fields }],
    })
}

/// One frame of a tab, for [`for_tab`].
#[derive(Debug, Clone)]
pub struct FrameDrift<'a> {
    pub frame: i64,
    pub recognized: bool,
    pub drift: Option<&'a Drift>,
}

/// The unrecognized-page drift the popup shows for a tab: none when any
/// frame of the tab is recognized (a console page may hold the page in a
/// frame while its wrapper's URL is a candidate too); else the top frame's,
/// or the lowest frame id's.
pub fn for_tab<'a>(frames: &[FrameDrift<'a>]) -> Option<(i64, &'a Drift)> {
    if frames.iter().any(|f| f.recognized) {
        return None;
    }
    frames.iter().filter_map(|f| f.drift.map(|d| (f.frame, d))).min_by_key(|(frame, _)| *frame)
}

// ---- the page signature ---------------------------------------------------

/// Probe and locator results of one candidate page, in spec order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateProbes {
    pub page: String,
    /// Per landmark, one boolean per probe.
    pub landmarks: Vec<Vec<bool>>,
    /// Per field, one boolean per locator.
    pub fields: Vec<Vec<bool>>,
}

/// One form control as the agent describes it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub tag: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// The text of its `<label>` (without the text of controls inside it).
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub aria: Option<String>,
}

/// The agent's description of its frame (answer to `ToAgent::Describe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    pub candidates: Vec<CandidateProbes>,
    pub controls: Vec<Control>,
    pub headings: Vec<String>,
    /// The agent stopped at its bounds (more controls than it lists).
    #[serde(default)]
    pub truncated: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum DescribedIn {
    Described(Description),
}

/// Decodes the agent's `{v, msg: {described: {...}}}` with size limits.
pub fn decode_description<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Description, Rejection> {
    let env: Envelope<DescribedIn> =
        Envelope::deserialize(de).map_err(|_| Rejection::Malformed("not a page description".into()))?;
    if env.v != crate::protocol::wire::VERSION {
        return Err(Rejection::Version(env.v));
    }
    let DescribedIn::Described(d) = env.msg;
    check_description(d)
}

/// The size limits of [`decode_description`] on an already-decoded
/// description (the wasm reads it by hand: `web::inbound`).
pub fn check_description(d: Description) -> Result<Description, Rejection> {
    let long = |s: &str| s.len() > 1024;
    let long_opt = |s: &Option<String>| s.as_deref().is_some_and(long);
    if d.candidates.len() > crate::protocol::wire::limits::MAX_CANDIDATES
        || d.candidates.iter().any(|c| {
            c.page.len() > 128
                || c.landmarks.len() > 64
                || c.fields.len() > crate::protocol::wire::limits::MAX_FIELDS
                || c.landmarks.iter().chain(&c.fields).any(|v| v.len() > 32)
        })
    {
        return Err(Rejection::TooLarge("candidate probes"));
    }
    if d.controls.len() > 512 || d.headings.len() > 64 || d.headings.iter().any(|h| long(h)) {
        return Err(Rejection::TooLarge("page description"));
    }
    if d.controls
        .iter()
        .any(|c| long(&c.tag) || [&c.kind, &c.role, &c.id, &c.name, &c.label, &c.aria].into_iter().any(long_opt))
    {
        return Err(Rejection::TooLarge("control description"));
    }
    Ok(d)
}

/// Whitespace collapsed, control characters dropped, at most [`MAX_TEXT`]
/// characters (an ellipsis marks a cut).
pub fn clean(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let words = folded.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    if words.chars().count() > MAX_TEXT {
        let cut: String = words.chars().take(MAX_TEXT).collect();
        format!("{cut}…")
    } else {
        words
    }
}

/// A tag, type or role: lower-case letters, digits and hyphens, at most 32.
fn token(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(32).collect::<String>().to_ascii_lowercase()
}

/// Text of a password field or a text area stays out, labels included.
fn sensitive(c: &Control) -> bool {
    let tag = token(&c.tag);
    let kind = c.kind.as_deref().map(token).unwrap_or_default();
    tag == "textarea" || kind == "password"
}

/// The signature's line for one control.
pub fn control_line(c: &Control) -> String {
    let mut parts = vec![token(&c.tag)];
    let mut push = |name: &str, v: &Option<String>, quoted: bool| {
        if let Some(v) = v.as_deref().map(clean).filter(|v| !v.is_empty()) {
            parts.push(if quoted { format!("{name}={v:?}") } else { format!("{name}={v}") });
        }
    };
    push("type", &c.kind.as_deref().map(token), false);
    push("role", &c.role.as_deref().map(token), false);
    push("id", &c.id, true);
    push("name", &c.name, true);
    if !sensitive(c) {
        push("label", &c.label, true);
        push("aria", &c.aria, true);
    }
    parts.join(" ")
}

/// The URL as a signature shows it: host and path, the query's parameter
/// names only, a fragment only when it is a plain name (`#tab-general`).
pub fn redacted_url(url: &str) -> String {
    let Some(loc) = Location::parse(url) else { return "(not a console URL)".into() };
    let mut out = format!("https://{}{}", loc.host, loc.path);
    if !loc.query.is_empty() {
        let names: Vec<String> = loc.query.iter().map(|(k, _)| format!("{}=…", clean(k))).collect();
        out.push('?');
        out.push_str(&names.join("&"));
    }
    let plain = !loc.fragment.is_empty()
        && loc.fragment.len() <= 40
        && loc.fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        out.push('#');
        out.push_str(&loc.fragment);
    } else if !loc.fragment.is_empty() {
        out.push_str("#…");
    }
    out
}

fn mark(hit: Option<&bool>) -> &'static str {
    match hit {
        Some(true) => "hit",
        Some(false) => "miss",
        None => "not checked",
    }
}

fn widget_name(w: Widget) -> &'static str {
    match w {
        Widget::Text => "text",
        Widget::Textarea => "textarea",
        Widget::Checkbox => "checkbox",
        Widget::RadioGroup => "radio group",
        Widget::Select => "select",
        Widget::DuelingList => "dueling list",
        Widget::DualListbox => "dual listbox",
        Widget::GrantButtons => "grant buttons",
        Widget::Table => "table",
        Widget::Display => "display",
    }
}

/// Assembles the page signature (plain text for a bug report) from the
/// frame's URL, the candidate pages keyferry has for it, the page it
/// recognized (if any), the drift decision, and the agent's description.
/// Only catalog texts, the redacted URL and cleaned, bounded control
/// descriptions go in; no value of any control ever reaches this function.
pub fn signature(
    url: &str,
    candidates: &[&'static Page],
    recognized: Option<&'static Page>,
    drift: Option<&Drift>,
    d: &Description,
) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "keyferry page signature (protocol v{}, keyferry {})",
        crate::protocol::wire::VERSION,
        env!("CARGO_PKG_VERSION")
    ));
    line("No values: control values, text areas and password fields are never read.".into());
    line(format!("url: {}", redacted_url(url)));
    line(format!("recognized: {}", recognized.map_or("no", |p| p.id)));
    if let Some(drift) = drift {
        for p in &drift.pages {
            if !p.landmarks.is_empty() {
                line(format!("drift: {} landmarks not found: {}", p.page, p.landmarks.join("; ")));
            }
            if !p.fields.is_empty() {
                line(format!("drift: {} fields not located: {}", p.page, p.fields.join(", ")));
            }
        }
    }
    line(format!("candidates: {}", candidates.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")));
    for page in candidates {
        line(String::new());
        line(format!("## {} ({})", page.id, page.title));
        let probes = d.candidates.iter().find(|c| c.page == page.id);
        for (i, l) in page.landmarks.iter().enumerate() {
            let hits = probes.and_then(|c| c.landmarks.get(i));
            let any = hits.is_some_and(|h| h.iter().any(|b| *b));
            line(format!(
                "landmark {}: {}",
                i + 1,
                if hits.is_none() {
                    "not checked"
                } else if any {
                    "hit"
                } else {
                    "MISS"
                }
            ));
            for (j, p) in l.any_of.iter().enumerate() {
                line(format!("  {} {}", mark(hits.and_then(|h| h.get(j))), describe_probe(p)));
            }
        }
        for (i, f) in page.fields.iter().enumerate() {
            let hits = probes.and_then(|c| c.fields.get(i));
            let any = hits.is_some_and(|h| h.iter().any(|b| *b));
            line(format!(
                "field {} \"{}\" ({}): {}",
                f.key,
                f.label,
                widget_name(f.widget),
                if hits.is_none() {
                    "not checked"
                } else if any {
                    "located"
                } else {
                    "NOT LOCATED"
                }
            ));
            for (j, l) in f.locators.iter().enumerate() {
                line(format!("  {} {}", mark(hits.and_then(|h| h.get(j))), describe_locator(l)));
            }
        }
    }
    line(String::new());
    let shown = d.controls.len().min(MAX_CONTROLS);
    let more = d.truncated || d.controls.len() > MAX_CONTROLS;
    line(format!("## controls ({shown}{})", if more { ", more not listed" } else { "" }));
    for c in d.controls.iter().take(MAX_CONTROLS) {
        line(format!("- {}", control_line(c)));
    }
    line(String::new());
    line("## headings".into());
    for h in d.headings.iter().take(MAX_HEADINGS).map(|h| clean(h)).filter(|h| !h.is_empty()) {
        line(format!("- {h:?}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_bounds_and_strips() {
        assert_eq!(clean("  a\n\tb \u{202e}c\u{0}  "), "a b c");
        let long = "x".repeat(500);
        assert_eq!(clean(&long).chars().count(), MAX_TEXT + 1);
    }

    #[test]
    fn redacted_url_keeps_names_not_values() {
        let u = redacted_url("https://acme-admin.okta.com/admin/x?token=abc123&b=2#access_token=zzz");
        assert_eq!(u, "https://acme-admin.okta.com/admin/x?token=…&b=…#…");
        assert_eq!(
            redacted_url("https://acme-admin.okta.com/a#tab-general"),
            "https://acme-admin.okta.com/a#tab-general"
        );
    }
}
