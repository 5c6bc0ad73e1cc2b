//! Workato data centers: their hosts and OAuth callback URLs.

use super::{clip, Problem};

/// A Workato data center. Each runs on its own host and has its own OAuth
/// callback URL, which must be registered in Okta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCenter {
    Us,
    Eu,
    Jp,
    Sg,
    Au,
    Il,
    /// The developer sandbox (trial) environment.
    Trial,
    In,
    Kr,
    Uk,
    Cn,
}

use DataCenter::*;

impl DataCenter {
    /// Every data center keyferry knows.
    pub const ALL: [DataCenter; 11] = [Us, Eu, Jp, Sg, Au, Il, Trial, In, Kr, Uk, Cn];

    /// The data centers the options page offers: those confirmed by late
    /// 2026 (console-pages §8.4: US, EU, JP, SG, AU, IL, KR, CN and the
    /// trial environment). IN and UK rest on a single source each.
    pub fn documented() -> &'static [DataCenter] {
        &[Us, Eu, Jp, Sg, Au, Il, Kr, Cn, Trial]
    }

    /// Whether more than one public source confirms this data center (all
    /// but IN and UK, console-pages §8.4). An unconfirmed one is still
    /// recognized, but its callback is accepted only with a warning while
    /// keyferry does not know the admin's data center.
    pub fn is_confirmed(self) -> bool {
        !matches!(self, In | Uk)
    }

    /// The data center whose OAuth callback this exactly is.
    pub fn of_callback(url: &str) -> Option<DataCenter> {
        Self::ALL.into_iter().find(|dc| dc.callback_url() == url)
    }

    /// Stable id, as serialized: "us", "eu", …, "trial".
    pub fn id(self) -> &'static str {
        match self {
            Us => "us",
            Eu => "eu",
            Jp => "jp",
            Sg => "sg",
            Au => "au",
            Il => "il",
            Trial => "trial",
            In => "in",
            Kr => "kr",
            Uk => "uk",
            Cn => "cn",
        }
    }

    /// Short display name: "US", "EU", …, "Developer sandbox".
    pub fn label(self) -> &'static str {
        match self {
            Us => "US",
            Eu => "EU",
            Jp => "JP",
            Sg => "SG",
            Au => "AU",
            Il => "IL",
            Trial => "Developer sandbox",
            In => "IN",
            Kr => "KR",
            Uk => "UK",
            Cn => "CN",
        }
    }

    /// Host of the Workato app for this data center.
    pub fn app_host(self) -> &'static str {
        match self {
            Us => "app.workato.com",
            Eu => "app.eu.workato.com",
            Jp => "app.jp.workato.com",
            Sg => "app.sg.workato.com",
            Au => "app.au.workato.com",
            Il => "app.il.workato.com",
            Trial => "app.trial.workato.com",
            In => "app.in.workato.com",
            Kr => "app.kr.workato.com",
            Uk => "app.uk.workato.com",
            Cn => "app.workatoapp.cn",
        }
    }

    /// The OAuth callback (sign-in redirect URI) to register in Okta.
    pub fn callback_url(self) -> &'static str {
        match self {
            Us => "https://www.workato.com/oauth/callback",
            Eu => "https://app.eu.workato.com/oauth/callback",
            Jp => "https://app.jp.workato.com/oauth/callback",
            Sg => "https://app.sg.workato.com/oauth/callback",
            Au => "https://app.au.workato.com/oauth/callback",
            Il => "https://app.il.workato.com/oauth/callback",
            Trial => "https://app.trial.workato.com/oauth/callback",
            In => "https://app.in.workato.com/oauth/callback",
            Kr => "https://app.kr.workato.com/oauth/callback",
            Uk => "https://app.uk.workato.com/oauth/callback",
            Cn => "https://app.workatoapp.cn/oauth/callback",
        }
    }

    /// The data center a host belongs to, on exact (case-insensitive) host
    /// match; `www.workato.com` is the US one. One trailing dot is allowed.
    pub fn from_host(host: &str) -> Option<DataCenter> {
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.eq_ignore_ascii_case("www.workato.com") {
            return Some(Us);
        }
        Self::ALL.into_iter().find(|dc| dc.app_host().eq_ignore_ascii_case(host))
    }

    /// The data center a name refers to, ignoring case: "US", "eu",
    /// "Europe", "Japan", "developer sandbox", "EU Data Center", …
    pub fn from_name(name: &str) -> Option<DataCenter> {
        let lower = super::lowercase(name.trim());
        let mut name = lower.as_str();
        for tail in [" data center", " data centre", " datacenter", " dc", " region"] {
            name = name.strip_suffix(tail).unwrap_or(name).trim_end();
        }
        let dc = match name {
            "us" | "usa" | "united states" | "america" => Us,
            "eu" | "europe" | "european union" => Eu,
            "jp" | "japan" => Jp,
            "sg" | "singapore" => Sg,
            "au" | "australia" => Au,
            "il" | "israel" => Il,
            "trial" | "sandbox" | "developer sandbox" | "dev sandbox" => Trial,
            "in" | "india" => In,
            "kr" | "korea" | "south korea" => Kr,
            "uk" | "gb" | "united kingdom" | "great britain" => Uk,
            "cn" | "china" => Cn,
            _ => return None,
        };
        Some(dc)
    }

    /// A data center from a host, a URL (`https://app.eu.workato.com/recipes/1`)
    /// or a name, with a specific error otherwise.
    pub fn resolve(input: &str) -> Result<DataCenter, Problem> {
        let text = input.trim();
        if text.is_empty() {
            return Err(Problem::error(
                "datacenter.empty",
                "No data center given.",
                "Choose your Workato data center, e.g. US or EU.",
            ));
        }
        if let Some(dc) = Self::from_name(text) {
            return Ok(dc);
        }
        let host = url_host(text);
        if let Some(dc) = Self::from_host(host) {
            return Ok(dc);
        }
        let lower = host.to_ascii_lowercase();
        let quoted = clip(text, 60);
        if !lower.contains('.') {
            let msg = format!("\"{quoted}\" is not a Workato data center name.");
            return Err(Problem::error("datacenter.unknown", msg, known_list()));
        }
        let lower = lower.strip_suffix('.').unwrap_or(&lower);
        if lower.ends_with(".workato.com") || lower == "workato.com" || lower.ends_with(".workatoapp.cn") {
            let msg = format!("{} is a Workato host but not the app host of a data center.", clip(lower, 60));
            return Err(Problem::error("datacenter.unknown_host", msg, known_list()));
        }
        let msg = format!("{} is not a Workato host.", clip(lower, 60));
        Err(Problem::error("datacenter.not_workato", msg, known_list()))
    }
}

/// The host part of a URL (or the text itself when it has no scheme),
/// without user name and port.
pub(crate) fn url_host(text: &str) -> &str {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

fn known_list() -> String {
    let names: Vec<String> = DataCenter::ALL.iter().map(|dc| format!("{} ({})", dc.label(), dc.app_host())).collect();
    format!("Use one of: {}.", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_round_trip() {
        for dc in DataCenter::ALL {
            assert_eq!(DataCenter::from_host(dc.app_host()), Some(dc));
            assert_eq!(DataCenter::from_name(dc.id()), Some(dc));
        }
    }

    #[test]
    fn url_host_strips_everything_else() {
        assert_eq!(url_host("https://u@app.eu.workato.com:443/x?y#z"), "app.eu.workato.com");
        assert_eq!(url_host("app.eu.workato.com"), "app.eu.workato.com");
    }
}
