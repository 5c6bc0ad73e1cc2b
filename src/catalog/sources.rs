//! The vendor articles keyferry's requirements come from.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Article {
    /// Short tag used in the requirements inventory (e.g. `OKTA-SF`).
    pub tag: &'static str,
    pub title: &'static str,
    pub publisher: &'static str,
    /// Where the article lives (the publisher's site).
    pub url: &'static str,
    /// The copy keyferry was built from, in the team's shared docs
    /// (`shared/docs/vendor/`); empty when the team keeps no copy (the
    /// requirement then rests on the summary in `console-pages.md` §8).
    pub file: &'static str,
}

pub static SF_KB: Article = Article {
    tag: "SF-KB",
    title: "Obtaining a Salesforce OAuth Consumer Key and Secret for Okta Provisioning",
    publisher: "Okta support knowledge base",
    url: "https://support.okta.com/help/s/",
    file: "salesforce-consumer-key-for-okta-provisioning.txt",
};

pub static OKTA_SF: Article = Article {
    tag: "OKTA-SF",
    title: "Configure OAuth and REST integration (Salesforce)",
    publisher: "Okta help",
    url: "https://help.okta.com/",
    file: "okta-salesforce-oauth-rest-integration.txt",
};

pub static WK: Article = Article {
    tag: "WK",
    title: "Okta connector: connection setup",
    publisher: "Workato docs",
    url: "https://docs.workato.com/connectors/okta.html",
    file: "workato-okta-connector.txt",
};

pub static WF: Article = Article {
    tag: "WF",
    title: "Connect your applications (Authenticate your Okta account)",
    publisher: "Okta Workflows help",
    url: "https://help.okta.com/wf/",
    file: "okta-workflows-connect-applications.txt",
};

pub static WFD: Article = Article {
    tag: "WFD",
    title: "Authorize the Okta Devices connector",
    publisher: "Okta Workflows help",
    url: "https://help.okta.com/wf/",
    file: "okta-workflows-okta-devices-connection.txt",
};

/// Okta Workflows help on (re)authorizing the Okta and Okta Devices
/// connections, as of 2026 (`console-pages.md` §8.3, [D]; no copy kept).
pub static WF_HELP: Article = Article {
    tag: "WF-HELP",
    title: "Okta Workflows: authorize and reauthorize connections",
    publisher: "Okta Workflows help",
    url: "https://help.okta.com/wf/",
    file: "",
};

pub static OKTA_SF_ECA: Article = Article {
    tag: "OKTA-SF-ECA",
    title: "Configure OAuth and REST integration (Salesforce), External Client App variant",
    publisher: "Okta help",
    url: "https://help.okta.com/",
    file: "requirements-inventory.md (2026-12 additions); console-pages.md 8.1",
};

pub static SF_KB_26: Article = Article {
    tag: "SF-KB-26",
    title: "Connected apps can no longer be created (Spring '26), KB 005228017",
    publisher: "Salesforce help",
    url: "https://help.salesforce.com/",
    file: "requirements-inventory.md (2026-12 additions); console-pages.md 8.1",
};

pub static SF_SOAP: Article = Article {
    tag: "SF-SOAP",
    title: "SOAP API login() retirement",
    publisher: "Salesforce help",
    url: "https://help.salesforce.com/",
    file: "requirements-inventory.md (2026-12 additions); console-pages.md 8.1",
};

pub static ALL: [&Article; 9] = [&SF_KB, &OKTA_SF, &WK, &WF, &WFD, &WF_HELP, &OKTA_SF_ECA, &SF_KB_26, &SF_SOAP];
