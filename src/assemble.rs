//! Value assembly: what a target form should receive, from captured values
//! and what is derived from them (the Okta domain from the admin host, the
//! redirect URI from the Workato data center, the scopes from the auth type).
//!
//! A slot that was not captured is reported missing, never guessed; so are
//! the Okta domain without an admin host and the callback without a data
//! center.

use serde::{Deserialize, Serialize};

use crate::catalog::{AuthType, Check, FillSource, Integration, Page, Slot, Widget};
use crate::checklist::applicable;
use crate::secret::Sensitive;
use crate::validate::{self, DataCenter};

/// Why the Workato callback is not offered while the data center is unknown.
pub const DC_UNKNOWN: &str = "keyferry does not know your Workato data center yet: choose it in keyferry's options, or \
                              open your Workato workspace in this browser first.";

/// What assembly may know beyond the vault.
#[derive(Debug, Clone, Default)]
pub struct AssembleContext {
    /// The Okta admin host the values were captured on
    /// (`acme-admin.okta.com`).
    pub okta_admin_host: Option<String>,
    /// The Workato data center; without it the callback is reported missing
    /// (registering another data center's callback breaks the sign-in).
    pub data_center: Option<DataCenter>,
    /// A name the admin typed for the connection, if any (blank: the default).
    pub connection_name: Option<String>,
}

/// One value for one field.
#[derive(Debug, Clone)]
pub struct FormValue {
    pub field: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    pub value: Sensitive,
    /// Masked in the UI and cleared from the clipboard after a while.
    pub secret: bool,
    /// Where it comes from, for display ("captured on acme-admin.okta.com").
    pub origin: String,
}

/// A value the form needs and keyferry does not have (texts: see
/// `protocol::view`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MissingValue<S = &'static str> {
    pub field: S,
    pub label: S,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct FormValues {
    pub page: &'static str,
    pub values: Vec<FormValue>,
    pub missing: Vec<MissingValue>,
}

impl FormValues {
    pub fn get(&self, field: &str) -> Option<&FormValue> {
        self.values.iter().find(|v| v.field == field)
    }
}

/// The default connection name / nickname: "Okta (acme)".
pub fn default_connection_name(okta_domain: Option<&str>) -> String {
    match okta_domain.and_then(|d| d.split('.').next()) {
        Some(org) if !org.is_empty() => format!("Okta ({org})"),
        _ => "Okta".to_string(),
    }
}

/// Is this fill relevant for the integration? A field is filled only when one
/// of the integration's requirements on the page is about it (the connection
/// name too: each name fill has its name requirement), so an integration
/// without a step on the page gets nothing.
fn relevant(page: &'static Page, integration: &Integration, field: &str) -> bool {
    applicable(page, Some(integration)).iter().any(|r| r.field == Some(field))
}

pub fn assemble(
    integration: &Integration,
    vault: &[(Slot, &Sensitive)],
    target: &'static Page,
    ctx: &AssembleContext,
) -> FormValues {
    let okta_domain = ctx.okta_admin_host.as_deref().and_then(validate::okta_domain_from_admin_host);
    let auth = integration.auth_type.unwrap_or(AuthType::AuthCode);
    let mut out = FormValues { page: target.id, values: Vec::new(), missing: Vec::new() };

    for fill in target.fills {
        if !relevant(target, integration, fill.field) {
            continue;
        }
        let Some(field) = target.field(fill.field) else { continue };
        let plain = |v: String, origin: String| FormValue {
            field: field.key,
            label: field.label,
            widget: field.widget,
            value: Sensitive::new(v),
            secret: false,
            origin,
        };
        let value = match fill.from {
            FillSource::Slot(slot) => match vault.iter().find(|(s, _)| *s == slot) {
                Some((_, v)) => Ok(FormValue {
                    field: field.key,
                    label: field.label,
                    widget: field.widget,
                    value: (*v).clone(),
                    secret: slot.is_secret(),
                    origin: format!("captured {}", slot.label()),
                }),
                None => Err(format!("The {} has not been captured yet.", slot.label())),
            },
            FillSource::OktaDomain => match &okta_domain {
                Some(d) => Ok(plain(d.clone(), "derived from the Okta admin host".into())),
                None => Err("The Okta org is not known yet: capture a value in its Admin Console first.".into()),
            },
            FillSource::WorkatoCallback => match ctx.data_center {
                Some(dc) => Ok(plain(dc.callback_url().to_string(), format!("Workato {} data center", dc.label()))),
                None => Err(DC_UNKNOWN.into()),
            },
            FillSource::Literal(s) => Ok(plain(s.to_string(), "from the vendor article".into())),
            FillSource::Scopes(_) => Ok(plain(
                validate::scopes::join(validate::scopes::minimum(auth)),
                "minimum scopes for the auth type".into(),
            )),
            FillSource::AuthTypeChoice(_) => {
                Ok(plain(auth.workato_label().to_string(), "the integration's auth type".into()))
            }
            FillSource::ConnectionName => Ok(match ctx.connection_name.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => plain(name.to_string(), "the name you chose".into()),
                _ => plain(default_connection_name(okta_domain.as_deref()), "default name (editable)".into()),
            }),
        };
        match value {
            Ok(v) => out.values.push(v),
            Err(reason) => out.missing.push(MissingValue { field: field.key, label: field.label, reason }),
        }
    }
    // "Set it in the console" values: a requirement that names one definite
    // value for a simple field (a box to check, a URL to paste, one choice
    // to make) is offered for Fill and Copy too, so the admin does not type
    // what the articles prescribe.
    for req in applicable(target, Some(integration)) {
        let Some(field) = req.field.and_then(|f| target.field(f)) else { continue };
        if out.values.iter().any(|v| v.field == field.key) || out.missing.iter().any(|m| m.field == field.key) {
            continue;
        }
        let text = matches!(field.widget, Widget::Text | Widget::Textarea);
        let value: Result<(String, String), String> = match (req.check, field.widget) {
            (Check::Checked(on), Widget::Checkbox) => Ok((on.to_string(), "as the vendor article says".into())),
            (Check::ExactUrl(url), _) if text => Ok((url.to_string(), "from the vendor article".into())),
            (Check::WorkatoCallback, _) if text => match ctx.data_center {
                Some(dc) => Ok((dc.callback_url().to_string(), format!("Workato {} data center", dc.label()))),
                None => Err(DC_UNKNOWN.into()),
            },
            (Check::ChoiceIs([one]), Widget::Select | Widget::RadioGroup) => {
                Ok((one.to_string(), "as the vendor article says".into()))
            }
            (Check::ScopesCover(a), _) if text => {
                Ok((validate::scopes::join(validate::scopes::minimum(a)), "minimum scopes for the auth type".into()))
            }
            _ => continue,
        };
        match value {
            Ok((v, origin)) => out.values.push(FormValue {
                field: field.key,
                label: field.label,
                widget: field.widget,
                value: Sensitive::new(v),
                secret: false,
                origin,
            }),
            Err(reason) => out.missing.push(MissingValue { field: field.key, label: field.label, reason }),
        }
    }
    out
}

/// Whether keyferry can fill anything on `page` for `integration`.
pub fn fills_anything(integration: &Integration, target: &'static Page) -> bool {
    let ctx = AssembleContext::default();
    let values = assemble(integration, &[], target, &ctx);
    !values.values.is_empty() || !values.missing.is_empty()
}
