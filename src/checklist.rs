//! Checklist evaluation: a page's requirements against what the agent read
//! from its fields.
//!
//! Every requirement becomes `ok`, `wrong` (with a message and a fix),
//! `missing` (the field is there but empty / not chosen) or `unknown` (the
//! field could not be located: never a false ok). Notes (severity info) are
//! listed apart and do not count towards progress.

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Check, Integration, Page, Requirement, Severity, Slot};
use crate::protocol::facts::{FieldFact, FieldValue, Row};
use crate::secret::Sensitive;
use crate::validate::{self, DataCenter, Validated};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Wrong,
    Missing,
    Unknown,
}

impl<'de> serde::Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        catalog::deserialize_name_index(d, &Self::NAMES).map(|i| Self::ALL[i])
    }
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Ok, Status::Wrong, Status::Missing, Status::Unknown];
    /// The serialized names, in the order of [`Status::ALL`].
    const NAMES: [&'static str; 4] = ["ok", "wrong", "missing", "unknown"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A source pointer for display.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceLine<S = &'static str> {
    pub tag: S,
    pub title: S,
    pub at: S,
    pub url: S,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item<S = &'static str> {
    pub id: S,
    pub status: Status,
    pub severity: Severity,
    /// messages.json keys of the requirement's texts (`catalog::text`): the
    /// overlay looks them up in the UI language.
    pub summary: S,
    pub explain: S,
    /// What is wrong (for `wrong`, and for `missing` a hint).
    pub message: Option<String>,
    pub fix: Option<String>,
    pub field: Option<S>,
    pub sources: Vec<SourceLine<S>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note<S = &'static str> {
    pub id: S,
    /// messages.json keys, as in [`Item`].
    pub summary: S,
    pub explain: S,
    pub sources: Vec<SourceLine<S>>,
}

/// The checklist of a page for an integration. Texts: `&'static str` as
/// [`evaluate`] builds it, `String` as the overlay reads it
/// (`protocol::view`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checklist<S = &'static str> {
    pub page: S,
    pub integration: Option<S>,
    pub items: Vec<Item<S>>,
    pub notes: Vec<Note<S>>,
    pub done: usize,
    pub total: usize,
}

/// What evaluation may know beyond the page itself.
#[derive(Default)]
pub struct Context<'a> {
    /// The Workato data center in effect (`settings::data_center_in_effect`):
    /// chosen, or seen in this browser session; `None` while unknown, when
    /// any official Workato callback is right.
    pub data_center: Option<DataCenter>,
    /// The data center was seen on a Workato host, not chosen (messages say so).
    pub data_center_seen: bool,
    /// The Okta org domain the captured values came from.
    pub okta_domain: Option<&'a str>,
    /// Captured values (for comparing what a form holds).
    pub captured: Vec<(Slot, &'a Sensitive)>,
}

impl Context<'_> {
    fn slot(&self, slot: Slot) -> Option<&Sensitive> {
        self.captured.iter().find(|(s, _)| *s == slot).map(|(_, v)| *v)
    }
}

/// The requirements that apply: the integration's step on this page if an
/// integration is given, else all of the page's requirements.
pub fn applicable(page: &'static Page, integration: Option<&Integration>) -> Vec<&'static Requirement> {
    let step_ids: Option<Vec<&str>> = integration
        .map(|i| i.steps.iter().filter(|s| s.page == page.id).flat_map(|s| s.requirements.iter().copied()).collect());
    page.requirements.iter().copied().filter(|r| step_ids.as_ref().is_none_or(|ids| ids.contains(&r.id))).collect()
}

pub fn evaluate(
    page: &'static Page,
    integration: Option<&'static Integration>,
    facts: &[FieldFact],
    ctx: &Context,
) -> Checklist {
    let mut items = Vec::new();
    let mut notes = Vec::new();
    for req in applicable(page, integration) {
        let sources = req
            .sources
            .iter()
            .map(|s| SourceLine { tag: s.article.tag, title: s.article.title, at: s.at, url: s.article.url })
            .collect();
        let value = req.field.and_then(|key| facts.iter().find(|f| f.key == key)).and_then(|f| f.value.as_ref());
        let note_only = matches!(req.check, Check::NoteUnlessShown) && value.is_none();
        if req.severity == Severity::Info || matches!(req.check, Check::Note) || note_only {
            notes.push(Note { id: req.id, summary: req.summary.key(), explain: req.explain.key(), sources });
            continue;
        }
        let label = req.field.and_then(|k| page.field(k)).map_or("This field", |f| f.label);
        let outcome = match value {
            None => Outcome::unknown(label),
            Some(FieldValue::Ambiguous(n)) => Outcome::ambiguous(label, *n),
            Some(FieldValue::TooLarge) => Outcome::too_large(label),
            Some(v) => check(req.check, v, label, ctx),
        };
        items.push(Item {
            id: req.id,
            status: outcome.status,
            severity: req.severity,
            summary: req.summary.key(),
            explain: req.explain.key(),
            message: outcome.message,
            fix: outcome.fix,
            field: req.field,
            sources,
        });
    }
    let total = items.len();
    let done = items.iter().filter(|i| i.status == Status::Ok).count();
    Checklist { page: page.id, integration: integration.map(|i| i.id), items, notes, done, total }
}

struct Outcome {
    status: Status,
    message: Option<String>,
    fix: Option<String>,
}

impl Outcome {
    fn ok() -> Self {
        Outcome { status: Status::Ok, message: None, fix: None }
    }
    fn ok_with(message: String) -> Self {
        Outcome { status: Status::Ok, message: Some(message), fix: None }
    }
    fn missing(message: String) -> Self {
        Outcome { status: Status::Missing, message: Some(message), fix: None }
    }
    fn wrong(message: String, fix: impl Into<String>) -> Self {
        let fix = fix.into();
        Outcome { status: Status::Wrong, message: Some(message), fix: (!fix.is_empty()).then_some(fix) }
    }
    fn unknown(label: &str) -> Self {
        Outcome {
            status: Status::Unknown,
            message: Some(format!("keyferry could not find \"{label}\" on this page.")),
            fix: Some("Open the section that holds it, or check it by hand.".into()),
        }
    }
    /// More than one visible control matches the field equally well: keyferry
    /// cannot tell which one the console uses, so it checks none (never ok).
    fn ambiguous(label: &str, n: u32) -> Self {
        Outcome {
            status: Status::Unknown,
            message: Some(ambiguous_message(label, n)),
            fix: Some("Check which one is the console's own field and set it by hand; keyferry fills neither.".into()),
        }
    }
    /// The agent ran out of its reading budget on this field (a hostile or
    /// very large page): unknown, never ok.
    fn too_large(label: &str) -> Self {
        Outcome {
            status: Status::Unknown,
            message: Some(too_large_message(label)),
            fix: Some("Check it by hand; keyferry neither checks nor fills it on this page.".into()),
        }
    }
    /// From a validator: errors make it wrong, warnings stay ok with a note.
    fn from_validated(v: Validated) -> Self {
        match v.worst() {
            Some(p) if p.level == validate::Level::Error => Outcome::wrong(p.message.clone(), p.fix.clone()),
            Some(p) if p.level == validate::Level::Warning => Outcome::ok_with(p.message.clone()),
            _ => Outcome::ok(),
        }
    }
}

/// What the admin reads when more than one visible control on the page
/// matches a field equally well (`FieldValue::Ambiguous`).
pub fn ambiguous_message(label: &str, n: u32) -> String {
    let n = n.max(2);
    format!("{n} fields on this page look like \"{label}\"; keyferry cannot tell which one is real.")
}

/// What the admin reads when the agent went past its reading budget for a
/// field (`FieldValue::TooLarge`).
pub fn too_large_message(label: &str) -> String {
    format!("This page is too large for keyferry to read \"{label}\" safely; it is left unchecked.")
}

/// Lower-cased with whitespace runs collapsed, for token matching.
pub fn fold(s: &str) -> String {
    validate::lowercase(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether `token` occurs in `hay` starting at a word boundary
/// (case-insensitive, whitespace-collapsed): "active" is in "Status: Active"
/// but not in "Inactive", and the catalog's "Read-only Admin" is in
/// "Read-only Administrator" (a token may end inside a word).
pub fn has_token(hay: &str, token: &str) -> bool {
    let (hay, token) = (fold(hay), fold(token));
    if token.is_empty() {
        return false;
    }
    let starts_word = token.chars().next().is_some_and(|c| c.is_alphanumeric());
    hay.match_indices(&token).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        !(starts_word && before.is_some_and(|c| c.is_alphanumeric() || c == '_'))
    })
}

fn text_of(v: &FieldValue) -> Option<&str> {
    match v {
        FieldValue::Text(s) | FieldValue::Choice(s) => Some(s),
        _ => None,
    }
}

fn check(check: Check, v: &FieldValue, label: &str, ctx: &Context) -> Outcome {
    let empty_text = text_of(v).is_some_and(|s| s.trim().is_empty());
    match check {
        Check::Note => Outcome::ok(),
        // Found on the page (not found is a note, see `evaluate`).
        Check::NoteUnlessShown => {
            Outcome::wrong(format!("This page shows \"{label}\", a form variant that cannot work."), "")
        }
        Check::NonEmpty => match text_of(v) {
            Some(s) if !s.trim().is_empty() => Outcome::ok(),
            Some(_) => Outcome::missing(format!("\"{label}\" is empty.")),
            None => Outcome::unknown(label),
        },
        Check::Checked(want) => match v {
            FieldValue::Checked(got) if *got == want => Outcome::ok(),
            FieldValue::Checked(_) => Outcome::wrong(
                format!("\"{label}\" is {}.", if want { "unchecked" } else { "checked" }),
                if want { "Check it." } else { "Uncheck it." },
            ),
            _ => Outcome::unknown(label),
        },
        Check::ExactUrl(expected) => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("\"{label}\" is empty; it must be {expected}")),
            Some(s) => Outcome::from_validated(validate::callback::callback_list_contains(expected, s)),
            None => Outcome::unknown(label),
        },
        Check::WorkatoCallback => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("\"{label}\" is empty.")),
            Some(s) => workato_callback(s, ctx),
            None => Outcome::unknown(label),
        },
        Check::Email => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("\"{label}\" is empty.")),
            Some(s) => Outcome::from_validated(validate::email(s)),
            None => Outcome::unknown(label),
        },
        Check::ListHasToken(token) => match v {
            FieldValue::List(items) if items.iter().any(|i| has_token(i, token)) => Outcome::ok(),
            FieldValue::List(items) if items.is_empty() => {
                Outcome::missing(format!("Nothing is selected in \"{label}\"; add the one with {token}."))
            }
            FieldValue::List(_) => Outcome::wrong(
                format!("The item with {token} is not selected in \"{label}\"."),
                format!("Add the item with {token}."),
            ),
            FieldValue::Text(s) | FieldValue::Choice(s) if has_token(s, token) => Outcome::ok(),
            _ if empty_text => Outcome::missing(format!("Nothing with {token} in \"{label}\".")),
            FieldValue::Text(_) | FieldValue::Choice(_) => {
                Outcome::wrong(format!("\"{label}\" has nothing with {token}."), format!("Add the item with {token}."))
            }
            _ => Outcome::unknown(label),
        },
        Check::ChoiceIs(tokens) => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("Nothing is chosen in \"{label}\".")),
            Some(s) if tokens.iter().any(|t| has_token(s, t)) => Outcome::ok(),
            Some(s) => Outcome::wrong(
                format!("\"{label}\" is set to \"{}\".", s.trim()),
                choose_fix(tokens),
            ),
            None => Outcome::unknown(label),
        },
        Check::Granted(scope) => match v {
            FieldValue::Rows(rows) => granted(rows, scope),
            _ => Outcome::unknown(label),
        },
        Check::ScopesCover(auth) => {
            let text = match v {
                FieldValue::List(items) => items.join(" "),
                other => match text_of(other) {
                    Some(s) => s.to_string(),
                    None => return Outcome::unknown(label),
                },
            };
            if text.trim().is_empty() {
                // Workato's defaults add manage scopes that the setup never
                // grants in Okta, so an empty field is not done.
                let defaults = validate::scopes::defaults(auth).join(" ");
                let minimum = validate::scopes::minimum(auth).join(" ");
                return Outcome::missing(format!(
                    "None chosen: Workato will ask for its defaults ({defaults}); choose the granted ones, at least \
                     {minimum}."
                ));
            }
            Outcome::from_validated(validate::scopes::check(auth, &text))
        }
        Check::OktaDomain => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("\"{label}\" is empty.")),
            Some(s) => okta_domain(s, ctx),
            None => Outcome::unknown(label),
        },
        Check::Shows(slot) => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("The {} is not shown yet.", slot.label())),
            Some(s) => {
                let checked = validate::credential(slot.kind(), s);
                // Masked dots or a "Click to reveal" link: the console has not
                // revealed the value yet, which is a step still to do.
                if checked.has("credential.masked") || checked.has("credential.whitespace") {
                    return Outcome::missing(format!("The {} is hidden on the page; reveal it first.", slot.label()));
                }
                let out = Outcome::from_validated(checked);
                match ctx.slot(slot) {
                    Some(c) if out.status == Status::Ok && same_as_captured(slot, c, s) => {
                        Outcome::ok_with(format!("{} captured.", slot.label()))
                    }
                    Some(_) if out.status == Status::Ok => Outcome::ok_with(format!(
                        "This {} differs from the one keyferry captured; capture it again if this is the app you \
                         are setting up.",
                        slot.label()
                    )),
                    _ => out,
                }
            }
            None => Outcome::unknown(label),
        },
        Check::FilledFrom(slot) => match text_of(v) {
            _ if empty_text => Outcome::missing(format!("\"{label}\" is empty; it takes the {}.", slot.label())),
            Some(s) => match ctx.slot(slot) {
                Some(c) if same_as_captured(slot, c, s) => Outcome::ok(),
                Some(_) => Outcome::wrong(
                    format!("\"{label}\" differs from the {} keyferry captured.", slot.label()),
                    "Use Fill, or paste the captured value.",
                ),
                None => Outcome::from_validated(validate::credential(slot.kind(), s)),
            },
            None => Outcome::unknown(label),
        },
    }
}

/// "Choose the option with "A"." (consoles that name the same option
/// differently, e.g. Okta's "API Services" / "Service App": "… (or "B")").
fn choose_fix(tokens: &[&str]) -> String {
    match tokens {
        [] => "Choose the right option.".to_string(),
        [one] => format!("Choose the option with \"{one}\"."),
        [first, rest @ ..] => {
            let others: Vec<String> = rest.iter().map(|t| format!("\"{t}\"")).collect();
            format!("Choose the option with \"{first}\" (or {}).", others.join(", or "))
        }
    }
}

/// Whether a page value is the captured one, both in the validator's normal
/// form: outer blanks, PEM line endings and line wrapping do not count.
fn same_as_captured(slot: Slot, captured: &Sensitive, value: &str) -> bool {
    let normal = |s: &str| validate::credential(slot.kind(), s).value.unwrap_or_else(|| s.trim().to_string());
    Sensitive::new(normal(captured.reveal())).matches(&normal(value))
}

fn workato_callback(s: &str, ctx: &Context) -> Outcome {
    if let Some(dc) = ctx.data_center {
        // Another data center's exact callback: say whose, and how keyferry
        // knows the admin's.
        if let Some(other) = DataCenter::of_callback(s).filter(|o| *o != dc) {
            let how = if ctx.data_center_seen {
                format!(
                    "keyferry saw you working in Workato's {} data center ({}) in this browser session",
                    dc.label(),
                    dc.app_host()
                )
            } else {
                format!("your data center in keyferry's options is {} ({})", dc.label(), dc.app_host())
            };
            return Outcome::wrong(
                format!("This is the callback of Workato's {} data center, but {how}.", other.label()),
                format!(
                    "Use {}, or choose the {} data center in keyferry's options if you sign in there.",
                    dc.callback_url(),
                    other.label()
                ),
            );
        }
        return Outcome::from_validated(validate::callback_url(dc.callback_url(), s));
    }
    // Data center unknown: any data center's exact callback is right; say
    // which one it is (a callback of a data center with thin evidence gets a
    // warning). Anything else is diagnosed against the one it points at (US
    // if none).
    if let Some(dc) = DataCenter::of_callback(s) {
        let which = format!("Workato {} data center ({}).", dc.label(), dc.app_host());
        return if dc.is_confirmed() {
            Outcome::ok_with(format!(
                "{which} keyferry accepts any data center's callback until it knows yours: choose it in the options, \
                 or open your Workato workspace."
            ))
        } else {
            Outcome::ok_with(format!(
                "{which} Few public sources list this data center: check that you sign in to {}.",
                dc.app_host()
            ))
        };
    }
    let dc = DataCenter::resolve(s).unwrap_or(DataCenter::Us);
    Outcome::from_validated(validate::callback_url(dc.callback_url(), s))
}

fn okta_domain(s: &str, ctx: &Context) -> Outcome {
    let v = validate::okta_domain(s);
    if !v.is_ok() {
        return Outcome::from_validated(v);
    }
    // A normalized value different from what was typed means the admin must
    // still remove something (https://, -admin, a path).
    // Upper case is only a note: host names are case-insensitive.
    let normalized = v.value.clone().unwrap_or_default();
    if !normalized.eq_ignore_ascii_case(s.trim()) {
        let removed: Vec<&str> =
            v.problems.iter().filter(|p| p.level == validate::Level::Note).map(|p| p.message.as_str()).collect();
        return Outcome::wrong(
            format!("Enter the domain only: {normalized}. {}", removed.join(" ")),
            format!("Replace it with {normalized}."),
        );
    }
    match ctx.okta_domain {
        Some(expected) if !expected.eq_ignore_ascii_case(&normalized) => Outcome::wrong(
            format!("The captured values come from {expected}, not {normalized}."),
            format!("Use {expected}, or capture the values from {normalized}'s admin console."),
        ),
        _ => Outcome::from_validated(v),
    }
}

/// Okta's API Scopes tab: a row per scope with Grant (not granted) or
/// Revoke (granted).
/// The scope's own row is the one it starts; another row's description may
/// mention it too.
fn granted(rows: &[Row], scope: &str) -> Outcome {
    fn words(r: &Row) -> impl Iterator<Item = &str> {
        r.text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty())
    }
    let row = rows
        .iter()
        .find(|r| words(r).next() == Some(scope))
        .or_else(|| rows.iter().find(|r| words(r).any(|w| w == scope)));
    match row {
        None => Outcome::missing(format!("{scope} is not listed on this tab.")),
        Some(r) if r.buttons.iter().any(|b| fold(b).contains("revoke")) => Outcome::ok(),
        Some(r) if r.buttons.iter().any(|b| fold(b).starts_with("grant")) => {
            Outcome::wrong(format!("{scope} is not granted."), format!("Click Grant on the {scope} row."))
        }
        Some(_) => Outcome {
            status: Status::Unknown,
            message: Some(format!("keyferry could not tell whether {scope} is granted.")),
            fix: Some("Check its row by hand.".into()),
        },
    }
}

/// Convenience for callers holding a page id. `None` when the page, or a
/// given integration, is not in the catalog (an unknown integration must not
/// fall back to checking every requirement).
pub fn evaluate_by_id(page: &str, integration: Option<&str>, facts: &[FieldFact], ctx: &Context) -> Option<Checklist> {
    let page = catalog::page(page)?;
    let integration = match integration {
        Some(id) => Some(catalog::integration(id)?),
        None => None,
    };
    Some(evaluate(page, integration, facts, ctx))
}
