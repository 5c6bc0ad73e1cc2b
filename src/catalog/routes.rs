//! Routes: one integration walked in more than one way. Okta → Salesforce
//! provisioning starts either from an External Client App (the default for
//! new setups: new orgs can no longer create connected apps) or from a
//! connected app that already exists. Each route names its pages in order;
//! a page that belongs to one route only tells which route the admin is on,
//! a page both routes share (the Okta form) does not.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Route {
    /// The integration this is a route of.
    pub integration: &'static str,
    /// Stable id, exposed as `data-kf-route`.
    pub id: &'static str,
    pub title: &'static str,
    /// One line: when this route is the right one (our own words).
    pub note: &'static str,
    /// The route for new setups.
    pub default: bool,
    /// The route's pages, in the order the admin walks them.
    pub pages: &'static [&'static str],
    /// Where the route starts (`{org}`: the console host).
    pub start: &'static str,
}

pub static ROUTES: &[Route] = &[
    Route {
        integration: "okta-salesforce-provisioning",
        id: "eca",
        title: "External Client App",
        note: "The route for new setups: ECA settings, ECA policies, Consumer Key and Secret, then Okta's \
               provisioning form.",
        default: true,
        pages: &[
            "salesforce.external_client_app.settings",
            "salesforce.external_client_app.policies",
            "salesforce.external_client_app.consumer_details",
            "okta.salesforce.provisioning",
        ],
        start: "https://{org}/lightning/setup/ManageExternalClientApplication/home",
    },
    Route {
        integration: "okta-salesforce-provisioning",
        id: "connected_app",
        title: "Existing connected app",
        note: "For a connected app your org already has: edit it, reveal its consumer details, set its \
               policies, then fill Okta's provisioning form.",
        default: false,
        pages: &[
            "salesforce.connected_app.edit",
            "salesforce.connected_app.consumer_details",
            "salesforce.connected_app.policies",
            "okta.salesforce.provisioning",
        ],
        start: "https://{org}/lightning/setup/ConnectedApplication/home",
    },
];

/// The routes of an integration (none for most).
pub fn of(integration: &str) -> impl Iterator<Item = &'static Route> + '_ {
    ROUTES.iter().filter(move |r| r.integration == integration)
}

pub fn get(integration: &str, id: &str) -> Option<&'static Route> {
    of(integration).find(|r| r.id == id)
}

/// The one route of `integration` that has `page`; `None` when the page is
/// on every route (or the integration has no routes).
pub fn only_route_with(integration: &str, page: &str) -> Option<&'static Route> {
    let mut with = of(integration).filter(|r| r.pages.contains(&page));
    let first = with.next()?;
    with.next().is_none().then_some(first)
}

/// Which route the admin is on for this page: the page's own route if only
/// one route has it, else the route last seen (`last`, e.g. where the values
/// were captured) if it includes this page.
pub fn route_for(integration: &str, page: &str, last: Option<&str>) -> Option<&'static Route> {
    only_route_with(integration, page).or_else(|| {
        last.and_then(|id| get(integration, id))
            .filter(|r| r.pages.contains(&page))
    })
}

/// The 1-based step of `page` on `route`, and the route's length.
pub fn step(route: &Route, page: &str) -> Option<(usize, usize)> {
    route
        .pages
        .iter()
        .position(|p| *p == page)
        .map(|n| (n + 1, route.pages.len()))
}
