//! Filling a form: deciding what to write into which field ([`plan`]), what
//! the page agent receives ([`FillPlan::instructions`]) and whether it took
//! ([`verify`]).
//!
//! Rules:
//! - An empty field is filled; a field that already holds the value is left
//!   alone (reported `same`); a field holding something else is never
//!   replaced unless the admin confirmed it (`overwrite`), else it is
//!   reported as a `conflict`.
//! - A field the agent did not find, a value assembly could not make, and a
//!   widget keyferry cannot write are reported, never guessed.
//! - A field that more than one visible control matches equally well
//!   ([`FieldValue::Ambiguous`]) is not written at all (`ambiguous`).
//! - Text compares trimmed (line endings normalized); select and radio
//!   choices compare on folded text ([`checklist::fold`]); checkboxes
//!   compare `"true"`/`"false"` with the box's state, an unchecked box
//!   counting as empty.
//! - Values stay [`Sensitive`] in the plan. They leave the core only through
//!   [`FillPlan::instructions`]. Reports and reasons never echo a value.
//!
//! [`checklist::fold`]: crate::checklist::fold

use std::fmt;

use serde::Serialize;

use crate::assemble::FormValues;
use crate::catalog::Widget;
use crate::checklist::fold;
use crate::protocol::facts::{FieldFact, FieldValue};
use crate::secret::Sensitive;
use crate::validate::clip;

/// One field to write.
#[derive(Debug, Clone)]
pub struct FillStep {
    pub field: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    /// Text to type, option text to choose, or `"true"`/`"false"` for a box.
    pub value: Sensitive,
    /// Masked in the UI.
    pub secret: bool,
    /// The field held another value and the admin confirmed replacing it.
    pub replaces: bool,
}

/// Why a value is not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The field already holds the value.
    Same,
    /// The field holds another value and replacing it was not confirmed.
    Conflict,
    /// The agent did not find the field on the page.
    NotFound,
    /// Assembly has no value for it (not captured, not derivable yet).
    Missing,
    /// keyferry cannot write this kind of field, or the page reports it in a
    /// form that does not fit its widget.
    Unsupported,
    /// More than one visible control matches the field equally well: keyferry
    /// cannot tell which one is real, so it writes none of them.
    Ambiguous,
    /// The page was too large to read within the agent's budget
    /// (`FieldValue::TooLarge`): keyferry cannot tell which control it is.
    TooLarge,
}

/// A field left alone, and why. No value.
#[derive(Debug, Clone, Serialize)]
pub struct Skip {
    pub field: &'static str,
    pub label: &'static str,
    pub reason: SkipReason,
    /// One sentence for the admin.
    pub message: String,
}

/// What to write, and what is left alone. `Debug` shows no value.
#[derive(Debug, Clone, Default)]
pub struct FillPlan {
    pub page: &'static str,
    pub steps: Vec<FillStep>,
    pub skipped: Vec<Skip>,
}

/// What the page agent receives for one field. The value is a plain string
/// because it has to cross the messaging API; it is built only by
/// [`FillPlan::instructions`], `Debug` redacts it and it is wiped on drop.
#[derive(Serialize)]
pub struct FillInstruction {
    pub field: &'static str,
    pub widget: Widget,
    pub value: String,
    /// A secret: the agent also turns the field's autocomplete off, so the
    /// browser does not keep the value for session restore or autofill.
    pub secret: bool,
}

impl fmt::Debug for FillInstruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FillInstruction")
            .field("field", &self.field)
            .field("widget", &self.widget)
            .field("value", &format_args!("<redacted, {} chars>", self.value.chars().count()))
            .finish()
    }
}

impl Drop for FillInstruction {
    fn drop(&mut self) {
        // Sensitive wipes its bytes when dropped.
        drop(Sensitive::new(std::mem::take(&mut self.value)));
    }
}

impl FillPlan {
    /// The instructions for the agent, one per step. This is where planned
    /// values are revealed to leave the core: call it only to send them to
    /// the agent of the recognized target page.
    pub fn instructions(&self) -> Vec<FillInstruction> {
        self.steps
            .iter()
            .map(|s| FillInstruction {
                field: s.field,
                widget: s.widget,
                value: s.value.reveal().to_string(),
                secret: s.secret,
            })
            .collect()
    }

    /// Fields that hold another value: the admin may confirm replacing them.
    pub fn conflicts(&self) -> impl Iterator<Item = &Skip> {
        self.skipped.iter().filter(|s| s.reason == SkipReason::Conflict)
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Nothing to write because every value is already in place. A plan that
    /// writes nothing for any other reason (a field not found, a value not
    /// captured, a conflict, a field keyferry cannot write) left the form
    /// short, and the admin is told so as a problem, not as a success.
    pub fn already_complete(&self) -> bool {
        self.steps.is_empty() && self.skipped.iter().all(|s| s.reason == SkipReason::Same)
    }
}

/// A planned field that did not take. No value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failed {
    pub field: &'static str,
    pub label: &'static str,
    pub why: String,
}

/// The result of reading the planned fields back after filling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FillReport {
    pub filled: Vec<&'static str>,
    pub failed: Vec<Failed>,
}

impl FillReport {
    /// Every planned field holds its value.
    pub fn all_took(&self) -> bool {
        self.failed.is_empty()
    }
}

/// How a field's current value relates to the planned one.
enum State {
    Same,
    Empty,
    Differs,
    Unsupported(&'static str),
}

/// Text as compared: line endings normalized, trimmed. Kept `Sensitive` so
/// the copy is wiped too.
fn norm(s: &str) -> Sensitive {
    Sensitive::new(s.replace("\r\n", "\n").replace('\r', "\n").trim())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

const NOT_WRITABLE: &str = "keyferry does not fill this kind of field; set it by hand.";
const OTHER_FORM: &str = "The page reports this field in a form keyferry does not expect; set it by hand.";

fn compare(widget: Widget, planned: &Sensitive, got: &FieldValue) -> State {
    match widget {
        Widget::Text | Widget::Textarea => match got {
            FieldValue::Text(s) | FieldValue::Choice(s) => {
                let (want, have) = (norm(planned.reveal()), norm(s));
                if want.matches(have.reveal()) {
                    State::Same
                } else if have.is_empty() {
                    State::Empty
                } else {
                    State::Differs
                }
            }
            _ => State::Unsupported(OTHER_FORM),
        },
        Widget::Select | Widget::RadioGroup => match got {
            FieldValue::Choice(s) | FieldValue::Text(s) => {
                // A choice is right when its text is, or names, the planned
                // one ("Client credentials" / "All users may self-authorize").
                let (want, have) = (fold(planned.reveal()), fold(s));
                if want == have || (!want.is_empty() && have.contains(want.as_str())) {
                    State::Same
                } else if have.is_empty() {
                    State::Empty
                } else {
                    State::Differs
                }
            }
            _ => State::Unsupported(OTHER_FORM),
        },
        Widget::Checkbox => match (parse_bool(planned.reveal()), got) {
            (None, _) => State::Unsupported("The value for this box is not \"true\" or \"false\"."),
            (Some(want), FieldValue::Checked(have)) if want == *have => State::Same,
            (Some(_), FieldValue::Checked(false)) => State::Empty,
            (Some(_), FieldValue::Checked(true)) => State::Differs,
            (Some(_), _) => State::Unsupported(OTHER_FORM),
        },
        Widget::DuelingList | Widget::DualListbox | Widget::GrantButtons | Widget::Table | Widget::Display => {
            State::Unsupported(NOT_WRITABLE)
        }
    }
}

/// Plans the fill of `values` (assembled for the target page) into a page
/// whose fields currently read `current`. `overwrite` lists the field keys
/// the admin confirmed may be replaced. See the module docs for the rules.
pub fn plan(values: &FormValues, current: &[FieldFact], overwrite: &[&str]) -> FillPlan {
    let mut out = FillPlan { page: values.page, steps: Vec::new(), skipped: Vec::new() };
    let mut seen: Vec<&str> = Vec::new();
    for v in &values.values {
        if seen.contains(&v.field) {
            continue; // one decision per field
        }
        seen.push(v.field);
        let skip = |reason, message: String| Skip { field: v.field, label: v.label, reason, message };
        let step = |replaces| FillStep {
            field: v.field,
            label: v.label,
            widget: v.widget,
            value: v.value.clone(),
            secret: v.secret,
            replaces,
        };
        let found = current.iter().find(|f| f.key == v.field).and_then(|f| f.value.as_ref());
        let Some(got) = found else {
            let msg = format!("keyferry could not find \"{}\" on this page.", v.label);
            out.skipped.push(skip(SkipReason::NotFound, msg));
            continue;
        };
        if let FieldValue::Ambiguous(n) = got {
            let msg = format!("{} keyferry fills none of them.", crate::checklist::ambiguous_message(v.label, *n));
            out.skipped.push(skip(SkipReason::Ambiguous, msg));
            continue;
        }
        if let FieldValue::TooLarge = got {
            let msg = format!("{} keyferry does not fill it.", crate::checklist::too_large_message(v.label));
            out.skipped.push(skip(SkipReason::TooLarge, msg));
            continue;
        }
        match compare(v.widget, &v.value, got) {
            State::Empty => out.steps.push(step(false)),
            State::Same => {
                out.skipped.push(skip(SkipReason::Same, format!("\"{}\" already holds this value.", v.label)))
            }
            State::Differs if overwrite.contains(&v.field) => out.steps.push(step(true)),
            State::Differs => out.skipped.push(skip(
                SkipReason::Conflict,
                format!("\"{}\" already holds a different value; keyferry replaces it only if you confirm.", v.label),
            )),
            State::Unsupported(why) => out.skipped.push(skip(SkipReason::Unsupported, why.to_string())),
        }
    }
    for m in &values.missing {
        if seen.contains(&m.field) {
            continue;
        }
        seen.push(m.field);
        out.skipped.push(Skip {
            field: m.field,
            label: m.label,
            reason: SkipReason::Missing,
            message: m.reason.clone(),
        });
    }
    out
}

/// What the page kept instead of the planned value, without echoing it.
fn kept(step: &FillStep, got: &FieldValue) -> String {
    match got {
        FieldValue::Checked(true) => "the box checked".into(),
        FieldValue::Checked(false) => "the box unchecked".into(),
        FieldValue::Text(s) | FieldValue::Choice(s)
            if matches!(step.widget, Widget::Select | Widget::RadioGroup) && !step.secret =>
        {
            match fold(s) {
                f if f.is_empty() => "nothing chosen".into(),
                f => format!("\"{}\" chosen", clip(&f, 60)),
            }
        }
        FieldValue::Text(s) | FieldValue::Choice(s) => {
            let (want, have) = (norm(step.value.reveal()), norm(s));
            if have.is_empty() {
                "it empty".into()
            } else if have.len() < want.len() && want.reveal().starts_with(have.reveal()) {
                format!("only the first {} of {} characters (the field may limit the length)", have.len(), want.len())
            } else {
                format!("another value, {}", have.masked(false))
            }
        }
        FieldValue::List(_) | FieldValue::Rows(_) => "a list instead of a value".into(),
        FieldValue::Ambiguous(n) => format!("{} fields that look like it, so keyferry cannot tell which one took it", n.max(&2)),
        FieldValue::TooLarge => "too much to read on the page to tell which field took it".into(),
    }
}

/// Reads every planned field back from `after` (the agent's facts after
/// filling) and reports which took. A field that reverted (e.g. a React
/// input that restored its state), was cut or disappeared is reported failed
/// with a reason that never contains a value.
pub fn verify(plan: &FillPlan, after: &[FieldFact]) -> FillReport {
    let mut report = FillReport::default();
    for step in &plan.steps {
        let got = after.iter().find(|f| f.key == step.field).and_then(|f| f.value.as_ref());
        let why = match got {
            None => format!("could not read \"{}\" back: the field is no longer on the page.", step.label),
            Some(got) => match compare(step.widget, &step.value, got) {
                State::Same => {
                    report.filled.push(step.field);
                    continue;
                }
                _ => format!("did not take: the page kept {}.", kept(step, got)),
            },
        };
        report.failed.push(Failed { field: step.field, label: step.label, why });
    }
    report
}
