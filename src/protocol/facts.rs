//! The facts the page agent reports: what it read from a field, one field,
//! one candidate page. The bottom of the protocol: `recognize`,
//! `checklist`, `fill`, `destination` and `drift` read these types, and the
//! envelopes above carry them. Depends only on [`super::wire`].

use serde::{Deserialize, Serialize};

use super::wire::{check_len, limits, Rejection};

/// What the agent reads from a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldValue {
    Text(String),
    Checked(bool),
    /// Selected option / checked radio label; empty when nothing is chosen.
    Choice(String),
    /// Items of a list (dueling list, dual listbox).
    List(Vec<String>),
    /// Rows of a Grant/Revoke table.
    Rows(Vec<Row>),
    /// More than one visible control matches the field equally well (the
    /// count): the agent read none of them. The core never fills such a
    /// field and shows it as unknown ([`crate::fill`], [`crate::checklist`]).
    Ambiguous(u32),
    /// Reading the field went past the agent's budget for one report (a
    /// label or anchor text too long, or too many nodes to look at): the
    /// agent cannot tell which control it is. Never filled, shown as
    /// unknown ("too large"); see SECURITY.md, bounded work.
    TooLarge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub text: String,
    pub buttons: Vec<String>,
}

/// One field as the agent found it (or did not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFact {
    pub key: String,
    /// `None` (JSON `null`) when no locator found the element. Required all
    /// the same: a report without it is malformed, not "not found".
    #[serde(deserialize_with = "Option::deserialize")]
    pub value: Option<FieldValue>,
}

/// The agent's report for one candidate page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateFacts {
    pub page: String,
    /// One boolean per landmark of the page spec, in order.
    pub landmarks: Vec<bool>,
    pub fields: Vec<FieldFact>,
}

impl CandidateFacts {
    /// Enforces the size limits on one candidate's facts.
    pub fn check_limits(&self) -> Result<(), Rejection> {
        check_len(&self.page, 128, "page id")?;
        if self.landmarks.len() > 64 || self.fields.len() > limits::MAX_FIELDS {
            return Err(Rejection::TooLarge("candidate facts"));
        }
        for f in &self.fields {
            check_len(&f.key, 128, "field key")?;
            if let Some(v) = &f.value {
                check_value(v)?;
            }
        }
        Ok(())
    }
}

fn check_value(v: &FieldValue) -> Result<(), Rejection> {
    use limits::*;
    match v {
        FieldValue::Text(s) | FieldValue::Choice(s) => check_len(s, MAX_TEXT, "field text"),
        FieldValue::Checked(_) | FieldValue::Ambiguous(_) | FieldValue::TooLarge => Ok(()),
        FieldValue::List(items) => {
            if items.len() > MAX_LIST {
                return Err(Rejection::TooLarge("list items"));
            }
            items.iter().try_for_each(|s| check_len(s, MAX_TEXT, "list item"))
        }
        FieldValue::Rows(rows) => {
            if rows.len() > MAX_LIST {
                return Err(Rejection::TooLarge("rows"));
            }
            rows.iter().try_for_each(|r| {
                check_len(&r.text, MAX_TEXT, "row text")?;
                if r.buttons.len() > 16 {
                    return Err(Rejection::TooLarge("row buttons"));
                }
                r.buttons.iter().try_for_each(|b| check_len(b, 256, "button text"))
            })
        }
    }
}
