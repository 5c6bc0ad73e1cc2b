//! Frames and what they show: the integration a page serves, the markers
//! next to its fields, the overlay's view, and the progress it records.

use super::{Effect, FrameKey, Session, Stored, SEEN_DC_KEY};
use crate::catalog::{self, Check, Console, Page};
use crate::checklist::{self, Context, Status};
use crate::protocol::{self, FieldFact, FieldValue, Marker, Notice, ToAgent, ToOverlay, View};
use crate::recognize;
use crate::resume;

impl Session {
    /// The integration to show: the admin's pick for the tab, or the only
    /// one, or (on Workato) the one matching the chosen authentication type.
    pub fn integration_for(
        &self,
        page: &'static Page,
        tab: i64,
        facts: &[FieldFact],
    ) -> Option<&'static catalog::Integration> {
        let options: Vec<_> = catalog::integrations_for_page(page.id).collect();
        if let Some(pick) = self.picks.get(&tab).copied() {
            if let Some(i) = options.iter().find(|i| i.id == pick) {
                return Some(i);
            }
        }
        if options.len() == 1 {
            return options.first().copied();
        }
        let auth = facts.iter().find(|f| f.key == "auth_type").and_then(|f| match &f.value {
            Some(FieldValue::Choice(c)) | Some(FieldValue::Text(c)) => Some(checklist::fold(c)),
            _ => None,
        })?;
        options
            .into_iter()
            .find(|i| i.auth_type.is_some_and(|a| !auth.is_empty() && checklist::fold(a.workato_label()) == auth))
    }

    /// Evaluates with what the vault knows: captured values to compare with,
    /// the Okta org they came from, and the Workato data center.
    pub fn evaluate_for(
        &self,
        page: &'static Page,
        integration: Option<&'static catalog::Integration>,
        facts: &[FieldFact],
    ) -> checklist::Checklist {
        let id = integration.map_or("", |i| i.id);
        let dc = self.data_center_known();
        let ctx = Context {
            data_center: dc.map(|k| k.data_center()),
            data_center_seen: matches!(dc, Some(crate::settings::DataCenterKnown::Seen(_))),
            okta_domain: self.vault.okta_org(id, self.now),
            captured: self.vault.lookup(id, self.now),
        };
        checklist::evaluate(page, integration, facts, &ctx)
    }

    /// The badges next to the page's fields: ok on checkable items, problems
    /// with their fix.
    pub fn markers_for(&self, page: &'static Page, tab: i64, facts: &[FieldFact]) -> Vec<Marker> {
        let integration = self.integration_for(page, tab, facts);
        self.evaluate_for(page, integration, facts)
            .items
            .into_iter()
            .filter_map(|i| {
                let field = i.field?;
                let checkable = page.requirements.iter().any(|r| r.id == i.id && !matches!(r.check, Check::Note));
                match i.status {
                    // A badge always has its tooltip (the agent has no texts of its own).
                    Status::Ok if checkable => Some(Marker {
                        field,
                        ok: true,
                        message: i.message.unwrap_or_else(|| self.t("overlay_marker_ok")),
                    }),
                    Status::Wrong => Some(Marker {
                        field,
                        ok: false,
                        message: Some([i.message, i.fix].into_iter().flatten().collect::<Vec<_>>().join(" "))
                            .filter(|m| !m.is_empty())
                            .unwrap_or_else(|| self.t("overlay_marker_wrong")),
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    /// The overlay's view of a recognized frame (`None`: not recognized).
    pub fn view_for(&mut self, key: FrameKey) -> Option<View> {
        let f = self.frames.get(&key)?;
        let (page, facts, collapsed, notice, url, framed) =
            (f.page, f.facts.clone(), f.collapsed, f.notice.clone(), f.url.clone(), f.framed);
        let integration = self.integration_for(page, key.0, &facts);
        let route = integration.and_then(|i| {
            if let Some(r) = catalog::routes::only_route_with(i.id, page.id) {
                self.last_route.insert(i.id, r.id);
            }
            let last = self.last_route.get(i.id).copied();
            catalog::routes::route_for(i.id, page.id, last)
        });
        let step = match route {
            Some(r) => catalog::routes::step(r, page.id),
            None => integration.and_then(|i| {
                let n = i.steps.iter().position(|st| st.page == page.id)?;
                Some((n + 1, i.steps.len()))
            }),
        };
        let host = recognize::Location::host_of(&url);
        let routes = integration
            .map(|i| {
                catalog::routes::of(i.id)
                    .map(|r| {
                        let current = route.is_some_and(|c| std::ptr::eq(c, r));
                        // A link only to another route's start on this console.
                        let link = (!current && page.console == Console::Salesforce)
                            .then(|| host.as_deref().map(|h| r.start.replace("{org}", h)))
                            .flatten();
                        protocol::RouteLine { id: r.id, title: r.title, note: r.note, default: r.default, current, link }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (mut captures, mut fill, vault) = self.carry_views(page, integration, &facts, &url);
        let notice = if framed {
            // Framed by a page that is not the console's own: no Capture, no
            // Fill, and the panel says why.
            captures.clear();
            fill = None;
            Some(Notice { ok: false, text: self.t("notice_guard_framed") })
        } else {
            notice
        };
        let mut v = View {
            page: page.id,
            page_title: page.title,
            console: page.console.label(),
            integrations: catalog::integrations_for_page(page.id).map(|i| (i.id, i.title)).collect(),
            integration: integration.map(|i| i.id),
            step,
            routes,
            checklist: self.evaluate_for(page, integration, &facts),
            collapsed,
            captures,
            fill,
            vault,
            notice,
            drift: crate::drift::recognized_drift(page, integration, &facts),
            basis: String::new(),
        };
        v.basis = resume::basis(&v);
        Some(v)
    }

    /// Re-sends every connected overlay its view (e.g. after values expired).
    pub(crate) fn push_all_views(&mut self) {
        let mut keys: Vec<FrameKey> = self.ports.keys().copied().collect();
        keys.sort_unstable();
        keys.into_iter().for_each(|k| self.push_view(k));
    }

    /// Sends the frame's panel its view, if it has a panel.
    pub(crate) fn push_view(&mut self, key: FrameKey) {
        let Some(port) = self.ports.get(&key).copied() else { return };
        let bound = match self.tokens.get(&key) {
            Some(t) => self.port_tokens.get(&key) == Some(t),
            None => true, // not heard from the agent yet: nothing to show anyway
        };
        if !bound {
            // A panel that did not present the agent's token gets nothing.
            self.ports.remove(&key);
            self.port_tokens.remove(&key);
            self.emit(Effect::Disconnect { port });
            return;
        }
        let msg = match self.view_for(key) {
            Some(v) => ToOverlay::View(v),
            None => ToOverlay::Gone,
        };
        self.emit(Effect::Post { port, msg });
    }

    /// Remembers the data center of a recognized Workato page (for this
    /// browser session only) and redraws the panels when it changed, since
    /// it decides which callback is right on Okta's wizard.
    pub(crate) fn note_data_center(&mut self, page: &'static Page, url: &str) {
        let now = crate::settings::note_seen(self.seen_dc, page, url);
        let changed = now != self.seen_dc;
        self.seen_dc = now;
        let Some(dc) = now.filter(|_| changed) else { return };
        self.emit(Effect::Store { key: SEEN_DC_KEY.into(), value: Stored::Text(dc.id().into()) });
        self.push_all_views();
    }

    /// Records the page's checklist for every integration that uses it (for
    /// the popup's cross-console progress), after the frame's facts were
    /// stored.
    pub(crate) fn record_progress(&mut self, key: FrameKey) {
        let Some((page, url, facts)) = self.frames.get(&key).map(|f| (f.page, f.url.clone(), f.facts.clone())) else {
            return;
        };
        let Some(host) = recognize::Location::host_of(&url) else { return };
        let active = self.integration_for(page, key.0, &facts);
        for i in catalog::integrations_for_page(page.id) {
            let c = self.evaluate_for(page, Some(i), &facts);
            self.progress.record(i.id, &c, &host, self.now);
        }
        if let Some(i) = active {
            // Working on another integration in a page: the popup follows.
            if self.last_active != Some(i.id) {
                self.popup_pick = None;
            }
            self.last_active = Some(i.id);
        }
        self.persist_progress();
    }

    /// Asks every agent of a tab to report again (the popup asked about a
    /// tab this worker knows nothing of, e.g. after a restart: drift is kept
    /// in memory only). A tab without an agent answers with an error, ignored.
    pub(crate) fn refresh_tab(&mut self, tab: i64) {
        if self.frames.keys().chain(self.drifts.keys()).any(|k| k.0 == tab) {
            return;
        }
        self.emit(Effect::ToTab { tab, msg: ToAgent::Refresh });
    }

    /// The drifted page of a tab, as the popup shows it (`drift::for_tab`).
    pub(crate) fn tab_drift(&self, tab: i64) -> Option<(i64, crate::drift::Drift)> {
        let mut frames: Vec<crate::drift::FrameDrift> = self
            .frames
            .keys()
            .filter(|k| k.0 == tab)
            .map(|k| crate::drift::FrameDrift { frame: k.1, recognized: true, drift: None })
            .collect();
        frames.extend(self.drifts.iter().filter(|(k, _)| k.0 == tab).map(|(k, (_, d))| crate::drift::FrameDrift {
            frame: k.1,
            recognized: false,
            drift: Some(d),
        }));
        crate::drift::for_tab(&frames).map(|(f, d)| (f, d.clone()))
    }
}
