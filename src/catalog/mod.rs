//! The catalog: every integration, console page, field and requirement keyferry
//! knows, as typed static data. One file per console page under `pages/`.
//!
//! Nothing here touches the DOM. Pages describe *how to find* things (URL
//! patterns, landmark probes, field locators) as data; the page agent evaluates
//! those specs and reports facts back, and the rules in `recognize`,
//! `checklist` and `assemble` decide what the facts mean.

use serde::Serialize;

pub mod integrations;
pub mod pages;
pub mod routes;
pub mod sources;
pub mod text;

pub use integrations::INTEGRATIONS;
pub use pages::PAGES;
pub use text::Msg;

/// Which console a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Console {
    Salesforce,
    Okta,
    Workflows,
    Workato,
}

impl Console {
    pub fn label(self) -> &'static str {
        match self {
            Console::Salesforce => "Salesforce Setup",
            Console::Okta => "Okta Admin Console",
            Console::Workflows => "Okta Workflows",
            Console::Workato => "Workato",
        }
    }
}

/// A console page keyferry recognizes.
#[derive(Debug, Serialize)]
pub struct Page {
    /// Stable id, exposed as `data-kf-page`.
    pub id: &'static str,
    pub console: Console,
    /// Short human title, e.g. "Connected App (edit)".
    pub title: &'static str,
    /// Any pattern matching is enough for the URL stage.
    pub urls: &'static [UrlPattern],
    /// Every landmark must be found for the DOM stage (each landmark has
    /// variants, any one of which counts).
    pub landmarks: &'static [Landmark],
    pub fields: &'static [Field],
    /// The requirements checked on this page, in display order. Statics, so
    /// pages with the same control (a connected app and an External Client
    /// App) can share a requirement under its one inventory id.
    pub requirements: &'static [&'static Requirement],
    /// Values this page shows that can be captured into the vault.
    pub captures: &'static [Capture],
    /// Fields this page can fill, and from what.
    pub fills: &'static [Fill],
    /// The page is a dialog over other pages at the same URL (Okta's Create
    /// App Integration over the Applications list; Workflows' New Connection
    /// over any Workflows page), so the URL alone does not say it is there.
    /// The agent waits for an element of its first landmark before it says
    /// hello ([`crate::prefilter`]); the URL without the dialog is another
    /// page, not this page changed.
    #[serde(skip)]
    pub shares_url: bool,
    /// Where the page gets opened from, for the "go to next step" hint.
    /// `{org}` is replaced by the org host (e.g. `acme-admin.okta.com`).
    pub nav_hint: &'static str,
}

/// A URL shape. Host matching is on DNS labels (a suffix must match whole
/// labels), never on raw substrings.
#[derive(Debug, Serialize)]
pub struct UrlPattern {
    /// Allowed host suffixes (`okta.com` matches `acme-admin.okta.com`).
    pub host_suffixes: &'static [&'static str],
    /// What the leftmost label(s) must look like.
    pub host_kind: HostKind,
    pub path: PathMatch,
    /// Optional fragment requirement (`#tab-general`, or a prefix).
    pub hash: Option<PathMatch>,
    /// Optional query parameter that must be present: (name, value prefix).
    pub query: Option<(&'static str, &'static str)>,
    /// For Lightning `.../page?address=<classic path>` wrappers: the pattern
    /// is matched against the decoded `address` parameter instead.
    pub via_address_param: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// Any subdomain of the suffix.
    Any,
    /// First label ends with `-admin` (Okta Admin Console).
    OktaAdmin,
    /// `<org>.workflows.<suffix>`.
    OktaWorkflows,
    /// Exactly one of the listed full hosts (used with `host_suffixes` as the
    /// list of exact hosts), e.g. Workato data centers.
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum PathMatch {
    Exact(&'static str),
    Prefix(&'static str),
    Suffix(&'static str),
    /// Path segments, `*` matching exactly one segment, `**` any rest.
    Segments(&'static [&'static str]),
}

/// One thing that must be on the page, with variants (any one counts).
#[derive(Debug, Serialize)]
pub struct Landmark {
    pub any_of: &'static [Probe],
}

/// A DOM probe the agent evaluates to a boolean. Text matching is
/// case-insensitive and whitespace-collapsed; `deep` walks open shadow roots.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Probe {
    /// `document.getElementById(id)` exists (ids may contain colons).
    Id { id: &'static str },
    /// `querySelector(css)` matches.
    Css { css: &'static str, deep: bool },
    /// Some element matching `css` has text containing `text`.
    Text { css: &'static str, text: &'static str, deep: bool },
    /// The document title contains `text`.
    Title { text: &'static str },
}

/// A form control or displayed value on a page.
#[derive(Debug, Serialize)]
pub struct Field {
    /// Key, unique within the page (e.g. `callback_url`).
    pub key: &'static str,
    /// Human label as the console shows it (current wording).
    pub label: &'static str,
    pub widget: Widget,
    /// Tried in order; the first that finds an element wins.
    pub locators: &'static [Locator],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Widget {
    Text,
    Textarea,
    Checkbox,
    /// Radio inputs; the value is the checked option's label text.
    RadioGroup,
    /// `<select>`; the value is the selected option's text.
    Select,
    /// Visualforce dueling list; the locator finds the *selected* `<select
    /// multiple>` and the value is the text of all its options.
    DuelingList,
    /// Lightning dual listbox; the locator finds the *selected* list and the
    /// value is the text of its `[role=option]` items.
    DualListbox,
    /// Okta API Scopes rows with Grant / Revoke buttons; the locator finds
    /// the table and the value is one entry per row (text + button texts).
    GrantButtons,
    /// A table of assignments; the value is the first cell of each data row
    /// (an empty-state row spanning the columns is not a data row).
    Table,
    /// A displayed, read-only value (span/code/div), read via textContent
    /// (or `value` for a read-only input).
    Display,
}

/// How the agent finds a field. `deep` walks open shadow roots.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Locator {
    Id { id: &'static str },
    Name { name: &'static str },
    Css { css: &'static str, deep: bool },
    /// A `<label>` whose text contains `text`; the field is the element its
    /// `for` names, or the control inside it.
    LabelText { text: &'static str, deep: bool },
    /// `aria-label` containing `text`.
    Aria { text: &'static str, deep: bool },
    /// The first control (matching `css`) after an element whose own text
    /// contains `text`, within the nearest common container.
    Near { text: &'static str, css: &'static str, deep: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The article requires it; a wrong value is an error.
    Must,
    /// Recommended; a wrong value is a warning.
    Should,
    /// A note; nothing to check.
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Must, Severity::Should, Severity::Info];
    /// The serialized names, in the order of [`Severity::ALL`].
    const NAMES: [&'static str; 3] = ["must", "should", "info"];

    /// The serialized name (`must`, `should`, `info`).
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_name_index(d, &Self::NAMES).map(|i| Self::ALL[i])
    }
}

/// Where `name` is among a unit-only enum's serialized names (in variant
/// order), for [`deserialize_name_index`] and `from_id`-style lookups.
pub fn name_index(names: &[&'static str], name: &str) -> Result<usize, &'static str> {
    names.iter().position(|n| *n == name).ok_or("unknown variant")
}

/// Reads a unit-only enum's serialized name and gives its variant index. The
/// enums the UIs read (`Severity`, `Slot`, `checklist::Status`,
/// `report::RequirementStatus`) deserialize through it: in wasm, one shared
/// string read per deserializer is smaller than serde's derived enum
/// visitors. Their serialization stays derived; tests/protocol.rs checks
/// that both agree.
pub fn deserialize_name_index<'de, D: serde::Deserializer<'de>>(d: D, names: &[&'static str]) -> Result<usize, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(d)?;
    name_index(names, &name).map_err(serde::de::Error::custom)
}

/// A value slot in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Slot {
    #[serde(rename = "sf.consumer_key")]
    SfConsumerKey,
    #[serde(rename = "sf.consumer_secret")]
    SfConsumerSecret,
    #[serde(rename = "okta.client_id")]
    OktaClientId,
    #[serde(rename = "okta.client_secret")]
    OktaClientSecret,
    #[serde(rename = "okta.private_key_pem")]
    OktaPrivateKeyPem,
    #[serde(rename = "okta.api_token")]
    OktaApiToken,
    #[serde(rename = "okta.wf_client_id")]
    OktaWfClientId,
    #[serde(rename = "okta.wf_client_secret")]
    OktaWfClientSecret,
}

impl<'de> serde::Deserialize<'de> for Slot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_name_index(d, &Self::IDS).map(|i| Self::ALL[i])
    }
}

impl Slot {
    pub const ALL: [Slot; 8] = [
        Slot::SfConsumerKey,
        Slot::SfConsumerSecret,
        Slot::OktaClientId,
        Slot::OktaClientSecret,
        Slot::OktaPrivateKeyPem,
        Slot::OktaApiToken,
        Slot::OktaWfClientId,
        Slot::OktaWfClientSecret,
    ];

    /// The slot ids (the serialized names), in the order of [`Slot::ALL`].
    const IDS: [&'static str; 8] = [
        "sf.consumer_key",
        "sf.consumer_secret",
        "okta.client_id",
        "okta.client_secret",
        "okta.private_key_pem",
        "okta.api_token",
        "okta.wf_client_id",
        "okta.wf_client_secret",
    ];

    pub fn id(self) -> &'static str {
        Self::IDS[self as usize]
    }

    pub fn from_id(id: &str) -> Option<Slot> {
        name_index(&Self::IDS, id).ok().map(|i| Self::ALL[i])
    }

    pub fn label(self) -> &'static str {
        match self {
            Slot::SfConsumerKey => "Salesforce Consumer Key",
            Slot::SfConsumerSecret => "Salesforce Consumer Secret",
            Slot::OktaClientId => "Okta Client ID",
            Slot::OktaClientSecret => "Okta Client Secret",
            Slot::OktaPrivateKeyPem => "Okta private key (PEM)",
            Slot::OktaApiToken => "Okta API token",
            Slot::OktaWfClientId => "Workflows OAuth Client ID",
            Slot::OktaWfClientSecret => "Workflows OAuth Client Secret",
        }
    }

    /// Whether the value is secret (masked in the UI, cleared from the
    /// clipboard after a while). Client ids and consumer keys are not.
    pub fn is_secret(self) -> bool {
        !matches!(self, Slot::SfConsumerKey | Slot::OktaClientId | Slot::OktaWfClientId)
    }

    /// Which validator applies to the slot's value.
    pub fn kind(self) -> CredentialKind {
        use CredentialKind as K;
        match self {
            Slot::SfConsumerKey => K::SalesforceConsumerKey,
            Slot::SfConsumerSecret => K::SalesforceConsumerSecret,
            Slot::OktaClientId | Slot::OktaWfClientId => K::OktaClientId,
            Slot::OktaClientSecret | Slot::OktaWfClientSecret => K::OktaClientSecret,
            Slot::OktaPrivateKeyPem => K::PrivateKeyPem,
            Slot::OktaApiToken => K::OktaApiToken,
        }
    }
}

/// The console that shows a slot's value.
pub fn slot_console(slot: Slot) -> Console {
    match slot {
        Slot::SfConsumerKey | Slot::SfConsumerSecret => Console::Salesforce,
        Slot::OktaClientId
        | Slot::OktaClientSecret
        | Slot::OktaPrivateKeyPem
        | Slot::OktaApiToken
        | Slot::OktaWfClientId
        | Slot::OktaWfClientSecret => Console::Okta,
    }
}

/// Which credential a value is meant to be (the validators' kinds,
/// `validate::credential`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    OktaClientId,
    OktaClientSecret,
    OktaApiToken,
    SalesforceConsumerKey,
    SalesforceConsumerSecret,
    PrivateKeyPem,
}

/// Workato's three ways to authenticate to Okta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthType {
    AuthCode,
    ClientCredentials,
    ApiKey,
}

impl AuthType {
    /// The option text in Workato's "Authentication type" drop-down.
    pub fn workato_label(self) -> &'static str {
        match self {
            AuthType::AuthCode => "Authorization code grant",
            AuthType::ClientCredentials => "Client credentials",
            AuthType::ApiKey => "API key",
        }
    }
}

/// What a requirement checks on its field. Evaluated by `checklist`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "arg")]
pub enum Check {
    /// A note; nothing to check.
    Note,
    /// Field holds a non-empty value.
    NonEmpty,
    /// A checkbox must be in this state.
    Checked(bool),
    /// Text equals exactly (callback URLs get a diagnosis on mismatch).
    ExactUrl(&'static str),
    /// The Workato callback URL of the chosen data center.
    WorkatoCallback,
    /// A valid e-mail address.
    Email,
    /// A list (dueling list, dual listbox, multi-select) contains an item
    /// with this token, e.g. `(api)`.
    ListHasToken(&'static str),
    /// The selected choice (select/radio) contains one of these tokens.
    ChoiceIs(&'static [&'static str]),
    /// An Okta API scope is granted on the Grant/Revoke table.
    Granted(&'static str),
    /// Every scope of the auth type's minimum set is present in the field.
    ScopesCover(AuthType),
    /// A valid Okta org domain (no scheme, no `-admin`).
    OktaDomain,
    /// The page shows this slot's value: capturable (and valid).
    Shows(Slot),
    /// The field must equal this slot's value (valid shape if not captured).
    FilledFrom(Slot),
    /// The field should not be on the page at all (e.g. a retired form
    /// variant): where it is found the requirement is wrong with its
    /// severity; where it is not, the requirement is only a note.
    NoteUnlessShown,
}

/// A source article, with the section/step the requirement comes from.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SourceRef {
    pub article: &'static sources::Article,
    /// Step or section inside the article, e.g. "step 7".
    pub at: &'static str,
}

/// One row of the requirements inventory.
#[derive(Debug, Serialize)]
pub struct Requirement {
    /// Stable inventory id, exposed as `data-kf-item`.
    pub id: &'static str,
    /// The field it is about (key in the page's `fields`); `None` for notes.
    pub field: Option<&'static str>,
    pub check: Check,
    pub severity: Severity,
    /// One line, our own words: what it must be (a messages.json key).
    pub summary: Msg,
    /// Why, and how to fix it, in our own words (a messages.json key).
    pub explain: Msg,
    pub sources: &'static [SourceRef],
}

/// A value a page shows that the admin can capture.
#[derive(Debug, Serialize)]
pub struct Capture {
    pub slot: Slot,
    /// Field key (a `Display` or read-only field) holding the value.
    pub field: &'static str,
    /// What to click first when the console hides the value (shown to the
    /// admin; keyferry never clicks console controls itself).
    pub reveal_hint: &'static str,
}

/// A field a page can fill.
#[derive(Debug, Serialize)]
pub struct Fill {
    pub field: &'static str,
    pub from: FillSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "arg")]
pub enum FillSource {
    Slot(Slot),
    /// The Okta org domain derived from the admin host the values came from.
    OktaDomain,
    /// The Workato callback URL of the chosen data center.
    WorkatoCallback,
    /// A fixed value from the articles (e.g. Okta's Salesforce callback).
    Literal(&'static str),
    /// The scopes string for the auth type.
    Scopes(AuthType),
    /// The auth-type option to choose.
    AuthTypeChoice(AuthType),
    /// An editable default connection name / nickname.
    ConnectionName,
}

/// An integration: an ordered walk across consoles.
#[derive(Debug, Serialize)]
pub struct Integration {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what the integration sets up.
    pub blurb: &'static str,
    pub steps: &'static [Step],
    /// The Workato auth type, for Workato integrations.
    pub auth_type: Option<AuthType>,
}

#[derive(Debug, Serialize)]
pub struct Step {
    pub page: &'static str,
    /// Requirement ids checked on this page for this integration (a page
    /// shared by several integrations carries the union of them).
    pub requirements: &'static [&'static str],
}

pub fn page(id: &str) -> Option<&'static Page> {
    PAGES.iter().copied().find(|p| p.id == id)
}

pub fn integration(id: &str) -> Option<&'static Integration> {
    INTEGRATIONS.iter().find(|i| i.id == id)
}

/// Looks up a requirement by id across all pages.
pub fn requirement(id: &str) -> Option<(&'static Page, &'static Requirement)> {
    PAGES
        .iter()
        .copied()
        .find_map(|p| p.requirements.iter().copied().find(|r| r.id == id).map(|r| (p, r)))
}

/// Integrations that have a step on this page.
pub fn integrations_for_page(page_id: &str) -> impl Iterator<Item = &'static Integration> + '_ {
    INTEGRATIONS
        .iter()
        .filter(move |i| i.steps.iter().any(|s| s.page == page_id))
}

impl Page {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}
