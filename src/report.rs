//! Cross-console progress and the redacted setup report.
//!
//! - [`Progress`] remembers, per integration and console page, the statuses
//!   of the checklist the background last evaluated there (which
//!   requirement ids were ok / wrong / missing / unknown), the page's host
//!   and when. Nothing else: no field values, so nothing secret. The
//!   background keeps it in memory and mirrors it to `storage.session`.
//! - [`progress_for`] walks an integration's steps across the consoles:
//!   done / to do / problem per step, and a link to the next step's console
//!   page where the host is known (the captured org, the data center).
//! - [`Report`] is what an admin attaches to a change ticket (Markdown or
//!   JSON): which requirements were verified, when, on which org hosts, and
//!   which values were captured (their names and orgs, never the values).

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Check, Console, Integration, Severity};
use crate::checklist::{Checklist, Status};
use crate::validate::DataCenter;
use crate::vault::{Org, Vault};

/// At most this many page summaries are kept (integrations × pages is far
/// less; a restored session never grows beyond it).
pub const MAX_SEEN: usize = 128;

/// One requirement's status as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    Ok,
    Wrong,
    Missing,
    Unknown,
}

impl From<Status> for Seen {
    fn from(s: Status) -> Self {
        match s {
            Status::Ok => Seen::Ok,
            Status::Wrong => Seen::Wrong,
            Status::Missing => Seen::Missing,
            Status::Unknown => Seen::Unknown,
        }
    }
}

/// A requirement's status in the progress and the report: as last seen, or
/// not seen yet (its page not visited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementStatus {
    Ok,
    Wrong,
    Missing,
    Unknown,
    Unseen,
}

impl RequirementStatus {
    pub const ALL: [RequirementStatus; 5] = [
        RequirementStatus::Ok,
        RequirementStatus::Wrong,
        RequirementStatus::Missing,
        RequirementStatus::Unknown,
        RequirementStatus::Unseen,
    ];
    /// The serialized names, in the order of [`RequirementStatus::ALL`].
    const NAMES: [&'static str; 5] = ["ok", "wrong", "missing", "unknown", "unseen"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl<'de> serde::Deserialize<'de> for RequirementStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        catalog::deserialize_name_index(d, &Self::NAMES).map(|i| Self::ALL[i])
    }
}

impl From<Seen> for RequirementStatus {
    fn from(s: Seen) -> Self {
        match s {
            Seen::Ok => RequirementStatus::Ok,
            Seen::Wrong => RequirementStatus::Wrong,
            Seen::Missing => RequirementStatus::Missing,
            Seen::Unknown => RequirementStatus::Unknown,
        }
    }
}

/// The checklist of one page for one integration, as last evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSeen {
    pub integration: String,
    pub page: String,
    /// The host the page was on (`acme-admin.okta.com`).
    pub host: String,
    pub seen_at_ms: u64,
    /// (requirement id, status), checked items only.
    pub items: Vec<(String, Seen)>,
}

/// Every page summary of this browser session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub pages: Vec<PageSeen>,
}

impl Progress {
    /// Records the checklist evaluated for `integration` on a page at `host`
    /// (replacing the page's earlier summary for that integration).
    pub fn record(&mut self, integration: &str, checklist: &Checklist, host: &str, now_ms: u64) {
        let items = checklist.items.iter().map(|i| (i.id.to_string(), Seen::from(i.status))).collect();
        self.pages.retain(|p| !(p.integration == integration && p.page == checklist.page));
        self.pages.push(PageSeen {
            integration: integration.to_string(),
            page: checklist.page.to_string(),
            host: host.to_string(),
            seen_at_ms: now_ms,
            items,
        });
        if self.pages.len() > MAX_SEEN {
            let extra = self.pages.len() - MAX_SEEN;
            self.pages.drain(..extra);
        }
    }

    /// Takes back a saved progress, keeping only summaries of known
    /// integrations and pages, with known requirement ids.
    pub fn restore(saved: Progress) -> Progress {
        let mut out = Progress::default();
        for mut p in saved.pages.into_iter().take(MAX_SEEN) {
            let (Some(_), Some(page)) = (catalog::integration(&p.integration), catalog::page(&p.page)) else { continue };
            if p.host.len() > 253 || !p.host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
                continue;
            }
            p.items.retain(|(id, _)| page.requirements.iter().any(|r| r.id == id));
            out.pages.retain(|q| !(q.integration == p.integration && q.page == p.page));
            out.pages.push(p);
        }
        out
    }

    pub fn get(&self, integration: &str, page: &str) -> Option<&PageSeen> {
        self.pages.iter().find(|p| p.integration == integration && p.page == page)
    }

    /// Forgets everything of one integration.
    pub fn forget_integration(&mut self, integration: &str) {
        self.pages.retain(|p| p.integration != integration);
    }

    /// The integration most recently seen on any page.
    pub fn latest_integration(&self) -> Option<&str> {
        self.pages.iter().max_by_key(|p| p.seen_at_ms).map(|p| p.integration.as_str())
    }
}

/// A step's overall state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    Todo,
    Problem,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Todo => "todo",
            StepState::Problem => "problem",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequirementProgress {
    pub id: String,
    pub summary: String,
    pub status: RequirementStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepProgress {
    pub page: String,
    pub title: String,
    pub console: String,
    pub state: StepState,
    pub requirements: Vec<RequirementProgress>,
    /// Where and when it was last seen.
    pub host: Option<String>,
    pub seen_at_ms: Option<u64>,
    /// The console page to open for this step, where the host is known.
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IntegrationProgress {
    pub integration: String,
    pub title: String,
    pub blurb: String,
    pub steps: Vec<StepProgress>,
    /// Index of the first step that is not done.
    pub next: Option<usize>,
    pub done: usize,
}

/// Hosts known for links: from the captured values' orgs, the pages seen
/// and the data center setting.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    pub okta_admin: Option<String>,
    pub salesforce: Option<String>,
    pub workato: Option<String>,
}

impl Hosts {
    /// The org hosts of the integration's captured values, else those of
    /// pages seen for it; Workato's from the data center (when known).
    pub fn known(
        integration: &Integration,
        vault: &Vault,
        progress: &Progress,
        dc: Option<DataCenter>,
        now_ms: u64,
    ) -> Hosts {
        let mut h = Hosts { workato: dc.map(|dc| dc.app_host().to_string()), ..Hosts::default() };
        for e in vault.entries().iter().filter(|e| e.integration == integration.id && e.is_live(now_ms)) {
            match &e.org {
                Org::Okta { domain } => {
                    if let Some(admin) = crate::host::okta_admin_host(domain) {
                        h.okta_admin.get_or_insert(admin);
                    }
                }
                Org::Salesforce { host } => {
                    h.salesforce.get_or_insert_with(|| host.clone());
                }
            }
        }
        for p in progress.pages.iter().filter(|p| p.integration == integration.id) {
            let Some(page) = catalog::page(&p.page) else { continue };
            let slot = match page.console {
                Console::Okta => &mut h.okta_admin,
                Console::Salesforce => &mut h.salesforce,
                Console::Workato => &mut h.workato,
                Console::Workflows => continue,
            };
            if slot.is_none() || page.console == Console::Workato {
                *slot = Some(p.host.clone());
            }
        }
        h
    }

    fn for_console(&self, c: Console) -> Option<&str> {
        match c {
            Console::Okta => self.okta_admin.as_deref(),
            Console::Salesforce => self.salesforce.as_deref(),
            Console::Workato => self.workato.as_deref(),
            Console::Workflows => None,
        }
    }
}

/// Whether a requirement is a checked item (not a note).
fn checked(page: &catalog::Page, id: &str) -> Option<&'static catalog::Requirement> {
    page.requirements.iter().copied().find(|r| r.id == id && r.severity != Severity::Info && !matches!(r.check, Check::Note | Check::NoteUnlessShown))
}

/// Every step of the integration across the consoles, from what was seen.
pub fn progress_for(integration: &Integration, progress: &Progress, hosts: &Hosts) -> IntegrationProgress {
    let mut steps = Vec::new();
    // An integration with routes (catalog::routes): once a page that only
    // one route has was seen, only that route's steps count (the route seen
    // last wins); before that, every step is listed.
    let route = catalog::routes::of(integration.id)
        .filter_map(|r| {
            let latest = r
                .pages
                .iter()
                .filter(|p| catalog::routes::only_route_with(integration.id, p).is_some())
                .filter_map(|p| progress.get(integration.id, p).map(|s| s.seen_at_ms))
                .max()?;
            Some((latest, r))
        })
        .max_by_key(|(t, _)| *t)
        .map(|(_, r)| r);
    for step in integration.steps {
        if route.is_some_and(|r| !r.pages.contains(&step.page)) {
            continue;
        }
        let Some(page) = catalog::page(step.page) else { continue };
        let seen = progress.get(integration.id, page.id);
        let requirements: Vec<RequirementProgress> = step
            .requirements
            .iter()
            .filter_map(|id| checked(page, id))
            .map(|r| {
                let status = seen
                    .and_then(|s| s.items.iter().find(|(i, _)| i == r.id))
                    .map_or(RequirementStatus::Unseen, |&(_, st)| st.into());
                RequirementProgress { id: r.id.to_string(), summary: r.summary.text(), status }
            })
            .collect();
        let state = if requirements.iter().any(|r| r.status == RequirementStatus::Wrong) {
            StepState::Problem
        } else if (requirements.is_empty() && seen.is_some())
            || (!requirements.is_empty() && requirements.iter().all(|r| r.status == RequirementStatus::Ok))
        {
            StepState::Done
        } else {
            StepState::Todo
        };
        let link = (!page.nav_hint.is_empty())
            .then(|| hosts.for_console(page.console).map(|h| page.nav_hint.replace("{org}", h)))
            .flatten();
        steps.push(StepProgress {
            page: page.id.to_string(),
            title: page.title.to_string(),
            console: page.console.label().to_string(),
            state,
            requirements,
            host: seen.map(|s| s.host.clone()),
            seen_at_ms: seen.map(|s| s.seen_at_ms),
            link,
        });
    }
    let next = steps.iter().position(|s| s.state != StepState::Done);
    let done = steps.iter().filter(|s| s.state == StepState::Done).count();
    IntegrationProgress {
        integration: integration.id.to_string(),
        title: integration.title.to_string(),
        blurb: integration.blurb.to_string(),
        steps,
        next,
        done,
    }
}

/// A captured value, named, never shown.
#[derive(Debug, Clone, Serialize)]
pub struct CapturedLine {
    pub slot: String,
    pub label: String,
    pub org: String,
    pub captured_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRequirement {
    pub id: String,
    pub summary: String,
    pub status: RequirementStatus,
    /// When it was last seen (ISO 8601, UTC), if the page was visited.
    pub verified_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportStep {
    pub page: String,
    pub title: String,
    pub console: String,
    pub state: StepState,
    pub host: Option<String>,
    pub requirements: Vec<ReportRequirement>,
}

/// The redacted setup report. It is built only from [`IntegrationProgress`]
/// (statuses, hosts, times) and the vault's slot names and orgs: no field
/// holds a captured or page value.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub integration: String,
    pub title: String,
    pub generated_at: String,
    pub workato_data_center: String,
    /// Every org host the steps were verified on.
    pub org_hosts: Vec<String>,
    pub steps_done: usize,
    pub steps_total: usize,
    pub steps: Vec<ReportStep>,
    pub captured: Vec<CapturedLine>,
}

impl Report {
    pub fn build(
        integration: &Integration,
        progress: &IntegrationProgress,
        vault: &Vault,
        dc: Option<crate::settings::DataCenterKnown>,
        now_ms: u64,
    ) -> Report {
        let mut org_hosts: Vec<String> = progress.steps.iter().filter_map(|s| s.host.clone()).collect();
        let captured: Vec<CapturedLine> = vault
            .entries()
            .iter()
            .filter(|e| e.integration == integration.id && e.is_live(now_ms))
            .map(|e| CapturedLine {
                slot: e.slot.id().to_string(),
                label: e.slot.label().to_string(),
                org: e.org.display().to_string(),
                captured_at: iso8601(e.captured_at_ms),
            })
            .collect();
        org_hosts.extend(captured.iter().map(|c| c.org.clone()));
        org_hosts.sort_unstable(); // equal strings are alike: same result as sort()
        org_hosts.dedup();
        Report {
            tool: "keyferry",
            integration: integration.id.to_string(),
            title: integration.title.to_string(),
            generated_at: iso8601(now_ms),
            workato_data_center: match dc {
                Some(crate::settings::DataCenterKnown::Chosen(dc)) => format!("{} ({})", dc.label(), dc.app_host()),
                Some(crate::settings::DataCenterKnown::Seen(dc)) => {
                    format!("{} ({}), seen in this browser session, not chosen", dc.label(), dc.app_host())
                }
                None => "not chosen".to_string(),
            },
            org_hosts,
            steps_done: progress.done,
            steps_total: progress.steps.len(),
            steps: progress
                .steps
                .iter()
                .map(|s| ReportStep {
                    page: s.page.clone(),
                    title: s.title.clone(),
                    console: s.console.clone(),
                    state: s.state,
                    host: s.host.clone(),
                    requirements: s
                        .requirements
                        .iter()
                        .map(|r| ReportRequirement {
                            id: r.id.clone(),
                            summary: r.summary.clone(),
                            status: r.status,
                            verified_at: s.seen_at_ms.filter(|_| r.status != RequirementStatus::Unseen).map(iso8601),
                        })
                        .collect(),
                })
                .collect(),
            captured,
        }
    }

    /// The report as Markdown, for a change ticket.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        md.push_str(&format!("# keyferry setup report: {}\n\n", md_text(&self.title)));
        md.push_str(&format!("- Integration: `{}`\n", self.integration));
        md.push_str(&format!("- Generated: {}\n", self.generated_at));
        md.push_str(&format!("- Workato data center: {}\n", md_text(&self.workato_data_center)));
        md.push_str(&format!("- Steps done: {} of {}\n", self.steps_done, self.steps_total));
        let hosts = if self.org_hosts.is_empty() { "none seen yet".to_string() } else { self.org_hosts.join(", ") };
        md.push_str(&format!("- Org hosts: {}\n\n", md_text(&hosts)));
        md.push_str("Secret values are never included in this report.\n\n");
        for (n, s) in self.steps.iter().enumerate() {
            md.push_str(&format!(
                "## {}. {} ({}): {}\n\n",
                n + 1,
                md_text(&s.title),
                md_text(&s.console),
                s.state.as_str()
            ));
            if let Some(h) = &s.host {
                md.push_str(&format!("Seen on {}.\n\n", md_text(h)));
            }
            if !s.requirements.is_empty() {
                md.push_str("| requirement | status | verified at |\n|---|---|---|\n");
                for r in &s.requirements {
                    md.push_str(&format!(
                        "| `{}` {} | {} | {} |\n",
                        r.id,
                        md_text(&r.summary),
                        r.status.as_str(),
                        r.verified_at.as_deref().unwrap_or("–")
                    ));
                }
                md.push('\n');
            }
        }
        md.push_str("## Captured values (names only)\n\n");
        if self.captured.is_empty() {
            md.push_str("None.\n");
        }
        for c in &self.captured {
            md.push_str(&format!("- {} (`{}`) from {}, captured {}\n", md_text(&c.label), c.slot, md_text(&c.org), c.captured_at));
        }
        md
    }
}

/// Text for a Markdown table cell or line: no pipes or line breaks.
fn md_text(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// `2026-11-23T01:20:00Z` from milliseconds since the epoch (UTC).
pub fn iso8601(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
