//! Okta Admin Console: an API Services app's "Admin roles" tab ("Edit
//! assignments" → Role → "Save Changes"). Fragment not verified: the
//! instance path plus landmarks decide.

use super::{OKTA_APP_INSTANCE, OKTA_HOSTS};
use crate::catalog::{
    sources, Check, Console, Field, HostKind, Landmark, Locator, Msg, Page, PathMatch, Probe,
    Requirement, Severity, SourceRef, UrlPattern, Widget,
};

pub static READ_ONLY_ADMIN: Requirement = Requirement {
    id: "okta.roles.read_only_admin",
    field: Some("roles"),
    check: Check::ListHasToken("Read-only Admin"),
    severity: Severity::Must,
    summary: Msg("req_okta_roles_read_only_admin_summary"),
    explain: Msg("req_okta_roles_read_only_admin_explain"),
    sources: &[SourceRef { article: &sources::WK, at: "Client credentials: create an app integration" }],
};

pub static PAGE: Page = Page {
    id: "okta.app.admin_roles",
    console: Console::Okta,
    title: "Okta app — Admin roles tab",
    urls: &[
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: Some(PathMatch::Prefix("#tab-admin-roles")), // [I] guessed fragment
            query: None,
            via_address_param: false,
        },
        UrlPattern {
            host_suffixes: OKTA_HOSTS,
            host_kind: HostKind::OktaAdmin,
            path: PathMatch::Segments(OKTA_APP_INSTANCE),
            hash: None,
            query: None,
            via_address_param: false,
        },
    ],
    // The tab strip reads "Admin roles" on every tab, so only the tab's own
    // button tells it apart. [D]
    landmarks: &[Landmark {
        any_of: &[Probe::Text {
            css: "#content button, #content a",
            text: "Edit assignments",
            deep: false,
        }],
    }],
    fields: &[Field {
        key: "roles",
        label: "Assigned admin roles",
        // The assignments table, read as its rows' first cells. [I] markup.
        widget: Widget::Table,
        locators: &[
            Locator::Css {
                css: "#tab-admin-roles table",
                deep: false,
            },
            Locator::Near {
                text: "Edit assignments",
                css: "table, [role=table], [role=grid], ul",
                deep: false,
            },
            Locator::Css {
                css: "[role=tabpanel] table",
                deep: false,
            },
        ],
    }],
    requirements: &[&READ_ONLY_ADMIN],
    captures: &[],
    fills: &[],
    shares_url: false,
    nav_hint: "https://{org}/admin/apps/active",
};
