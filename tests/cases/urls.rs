// The URL cases that define `Location`: `tests/recognize.rs` runs them through
// the `url` crate (native), `tests/web.rs` through the browser's `URL` (wasm,
// headless Chromium and Firefox). Both must give exactly these values.
// `include!`d by both; expects `Location` in scope.

fn loc(host: &str, path: &str, query: &[(&str, &str)], fragment: &str) -> Option<Location> {
    Some(Location {
        host: host.into(),
        path: path.into(),
        query: query.iter().map(|&(k, v)| (k.into(), v.into())).collect(),
        fragment: fragment.into(),
    })
}

/// `Location::parse(url)`.
fn parse_cases() -> Vec<(String, Option<Location>)> {
    let h = "acme-admin.okta.com";
    let mut v: Vec<(String, Option<Location>)> = [
        // Console samples.
        ("https://acme-admin.okta.com/admin/access/api/tokens", loc(h, "/admin/access/api/tokens", &[], "")),
        (
            "https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general",
            loc(h, "/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/", &[], "tab-general"),
        ),
        (
            "https://acme-admin.okta.com/admin/app/salesforce/instance/0oa3s4f5d6c7p8r9o0v1/#tab-user-management/api-credentials",
            loc(h, "/admin/app/salesforce/instance/0oa3s4f5d6c7p8r9o0v1/", &[], "tab-user-management/api-credentials"),
        ),
        (
            "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE",
            loc(h, "/admin/apps/oauth2-wizard/create", &[("applicationType", "SERVICE")], ""),
        ),
        ("https://acme.workflows.okta.com/app/connections", loc("acme.workflows.okta.com", "/app/connections", &[], "")),
        ("https://app.workato.com/connections/new", loc("app.workato.com", "/connections/new", &[], "")),
        ("https://app.workatoapp.cn/connections/new", loc("app.workatoapp.cn", "/connections/new", &[], "")),
        (
            "https://acme.my.salesforce-setup.com/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail",
            loc("acme.my.salesforce-setup.com", "/lightning/setup/ManageExternalClientApplication/0xIHn000000AbCd/detail", &[], ""),
        ),
        (
            "https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup",
            loc(
                "acme.lightning.force.com",
                "/lightning/setup/NavigationMenus/page",
                &[("address", "/app/mgmt/forceconnectedapps/forceAppEdit.apexp?retURL=%2Fsetup")],
                "",
            ),
        ),
        (
            "https://acme--sbx.sandbox.my.salesforce-setup.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?isdtp=p1&sfdcIFrameOrigin=https%3A%2F%2Facme.lightning.force.com&sfdcIFrameHost=web&nonce=3f1c0a9e8b7d&clc=1&appLayout=setup&tour=&ltn_app_id=",
            loc(
                "acme--sbx.sandbox.my.salesforce-setup.com",
                "/app/mgmt/forceconnectedapps/forceAppEdit.apexp",
                &[
                    ("isdtp", "p1"),
                    ("sfdcIFrameOrigin", "https://acme.lightning.force.com"),
                    ("sfdcIFrameHost", "web"),
                    ("nonce", "3f1c0a9e8b7d"),
                    ("clc", "1"),
                    ("appLayout", "setup"),
                    ("tour", ""),
                    ("ltn_app_id", ""),
                ],
                "",
            ),
        ),
        // Host: case, one trailing dot, empty labels, hyphens, length, punycode.
        ("https://ACME-Admin.OKTA.com./admin/x?a=1&b=%2F#tab", loc(h, "/admin/x", &[("a", "1"), ("b", "/")], "tab")),
        ("https://acme-admin.okta.com", loc(h, "/", &[], "")),
        ("https://acme-admin.okta.com?x", loc(h, "/", &[("x", "")], "")),
        ("https://acme-admin.okta.com#x", loc(h, "/", &[], "x")),
        ("https://acme-admin.okta.com../x", None),
        ("https://acme-admin..okta.com/x", None),
        ("https://.okta.com/x", None),
        ("https://./x", None),
        ("https://../x", None),
        ("https://okta/x", loc("okta", "/x", &[], "")),
        ("https://-a-.b--c.okta.com/", loc("-a-.b--c.okta.com", "/", &[], "")),
        ("https://a1.2b.okta.com/", loc("a1.2b.okta.com", "/", &[], "")),
        ("https://xn--kta-red.com/", loc("xn--kta-red.com", "/", &[], "")),
        ("https://acme.my.XN--SALESFRCE-52H.com/", loc("acme.my.xn--salesfrce-52h.com", "/", &[], "")),
        ("https://xn--4ca.com/", loc("xn--4ca.com", "/", &[], "")),
        ("https://xn--ls8h.la/", loc("xn--ls8h.la", "/", &[], "")),
        // Ports (`:` fails the host check, even the default port), user-info.
        ("https://acme-admin.okta.com:443/x", None),
        ("https://acme-admin.okta.com:8443/x", None),
        ("https://acme-admin.okta.com:/x", None),
        ("https://user@acme-admin.okta.com/x", None),
        ("https://user:pw@acme-admin.okta.com/x", None),
        ("https://:pw@acme-admin.okta.com/x", None),
        ("https://acme-admin.okta.com@evil.test/x", None),
        // A backslash ends the host, as in the browser.
        ("https://evil.test\\@acme-admin.okta.com/x", loc("evil.test", "/@acme-admin.okta.com/x", &[], "")),
        // IP hosts: a host ending in a number is IPv4 (or invalid).
        ("https://127.0.0.1/", None),
        ("https://10.0.0.1/admin", None),
        ("https://1.2.3.4./", None),
        ("https://0x7f.1/", None),
        ("https://0X7F.1/", None),
        ("https://017700000001/", None),
        ("https://2130706433/", None),
        ("https://1.2.3.4.5/", None),
        ("https://1.2.3.256/", None),
        ("https://a.09/", None),
        ("https://a.1/", None),
        ("https://a.0x/", None),
        ("https://a.0x1f/", None),
        ("https://[::1]/", None),
        ("https://a.1b/", loc("a.1b", "/", &[], "")),
        ("https://a.0x1g/", loc("a.0x1g", "/", &[], "")),
        ("https://1a.okta.com/", loc("1a.okta.com", "/", &[], "")),
        // Not `https://` + host as a browser reports it.
        ("http://acme-admin.okta.com/x", None),
        ("wss://acme-admin.okta.com/x", None),
        ("HTTPS://acme-admin.okta.com/x", None),
        ("https:acme-admin.okta.com/x", None),
        ("https:\\\\acme-admin.okta.com/x", None),
        (" https://acme-admin.okta.com/x", None),
        ("//acme-admin.okta.com/x", None),
        ("acme-admin.okta.com/x", None),
        ("", None),
        ("not a url", None),
        ("https://", None),
        ("https:///x", None),
        ("https://?x", None),
        ("https://acme-admin.ok\tta.com/x", None),
        ("https://acme-admin.%6Fkta.com/x", None),
        ("https://acme-admin.okta.com%2eevil.test/x", None),
        ("https://аcme-admin.okta.com/x", None),
        ("https://acme_admin.okta.com/x", None),
        // Paths: percent-encoding kept, dot segments, backslashes.
        ("https://acme-admin.okta.com/a%2Fb/%7e/%7E/%zz%", loc(h, "/a%2Fb/%7e/%7E/%zz%", &[], "")),
        ("https://acme-admin.okta.com/a b", loc(h, "/a%20b", &[], "")),
        ("https://acme-admin.okta.com/a/../b", loc(h, "/b", &[], "")),
        ("https://acme-admin.okta.com/a/./b/.", loc(h, "/a/b/", &[], "")),
        ("https://acme-admin.okta.com/a/%2e%2E/b/%2e", loc(h, "/b/", &[], "")),
        ("https://acme-admin.okta.com/a/.%2e", loc(h, "/", &[], "")),
        ("https://acme-admin.okta.com/../../x", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/a..b/...", loc(h, "/a..b/...", &[], "")),
        ("https://acme-admin.okta.com\\admin\\x", loc(h, "/admin/x", &[], "")),
        ("https://acme-admin.okta.com/a\\b/..\\c", loc(h, "/a/c", &[], "")),
        ("https://acme-admin.okta.com//x//y", loc(h, "//x//y", &[], "")),
        ("https://acme-admin.okta.com/ä/€/😀", loc(h, "/%C3%A4/%E2%82%AC/%F0%9F%98%80", &[], "")),
        ("https://acme-admin.okta.com/\"<>`", loc(h, "/%22%3C%3E%60", &[], "")),
        ("https://acme-admin.okta.com/!$&'()*+,;=:@-._~", loc(h, "/!$&'()*+,;=:@-._~", &[], "")),
        ("https://acme-admin.okta.com/{}[]", loc(h, "/%7B%7D[]", &[], "")),
        ("https://acme-admin.okta.com/a\u{0}b\u{7f}c\u{feff}", loc(h, "/a%00b%7Fc%EF%BB%BF", &[], "")),
        ("https://acme-admin.okta.com/a/b/..", loc(h, "/a/", &[], "")),
        ("https://acme-admin.okta.com/a/%2e.", loc(h, "/", &[], "")),
        // Tabs and newlines anywhere are removed; leading and trailing C0 and spaces too.
        ("https://acme-admin.okta.com/a\tb\nc\rd", loc(h, "/abcd", &[], "")),
        ("https://acme-admin.okta.com/x?a=1\t2&b\n=3#f\rg", loc(h, "/x", &[("a", "12"), ("b", "3")], "fg")),
        ("https://acme-admin.okta.com/x \u{1}\u{1f}", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/x y?a b=c d#e f", loc(h, "/x%20y", &[("a b", "c d")], "e%20f")),
        // Query pairs: `+`, `%20`, repeated keys, no `=`, empty pieces, bad escapes.
        (
            "https://acme-admin.okta.com/x?a+b=c%20d&a=2&flag&=x&&b=%2B&c=1=2",
            loc(h, "/x", &[("a b", "c d"), ("a", "2"), ("flag", ""), ("", "x"), ("b", "+"), ("c", "1=2")], ""),
        ),
        ("https://acme-admin.okta.com/x?", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/x?&&", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/x?=", loc(h, "/x", &[("", "")], "")),
        ("https://acme-admin.okta.com/x?a=%zz&b=%&c=%4", loc(h, "/x", &[("a", "%zz"), ("b", "%"), ("c", "%4")], "")),
        ("https://acme-admin.okta.com/x?a=%C3&b=%C3%A4&c=%FF%FE", loc(h, "/x", &[("a", "\u{FFFD}"), ("b", "ä"), ("c", "\u{FFFD}\u{FFFD}")], "")),
        ("https://acme-admin.okta.com/x?a=ä€😀&ü=1", loc(h, "/x", &[("a", "ä€😀"), ("ü", "1")], "")),
        ("https://acme-admin.okta.com/x?q='\"<>`{}|^;/?:@", loc(h, "/x", &[("q", "'\"<>`{}|^;/?:@")], "")),
        ("https://acme-admin.okta.com/x?a=1;b=2&c=%00&d=\u{0}", loc(h, "/x", &[("a", "1;b=2"), ("c", "\u{0}"), ("d", "")], "")),
        ("https://acme-admin.okta.com/x?a=%26&b=%3D", loc(h, "/x", &[("a", "&"), ("b", "=")], "")),
        ("https://acme-admin.okta.com/x?a=1#b=2", loc(h, "/x", &[("a", "1")], "b=2")),
        ("https://acme-admin.okta.com/x?x#y?z", loc(h, "/x", &[("x", "")], "y?z")),
        // Fragments: present-but-empty is "", encoded as the browser reports it.
        ("https://acme-admin.okta.com/x#", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/x?#", loc(h, "/x", &[], "")),
        ("https://acme-admin.okta.com/x##", loc(h, "/x", &[], "#")),
        ("https://acme-admin.okta.com/x#a#b", loc(h, "/x", &[], "a#b")),
        ("https://acme-admin.okta.com/x#a b", loc(h, "/x", &[], "a%20b")),
        ("https://acme-admin.okta.com/x#%20%zz", loc(h, "/x", &[], "%20%zz")),
        ("https://acme-admin.okta.com/x#ä€", loc(h, "/x", &[], "%C3%A4%E2%82%AC")),
        ("https://acme-admin.okta.com/x#\"<>`", loc(h, "/x", &[], "%22%3C%3E%60")),
        ("https://acme-admin.okta.com/x#{}|^[]'\u{0}\u{7f}", loc(h, "/x", &[], "{}|^[]'%00%7F")),
        ("https://acme-admin.okta.com/x#/a/../b?c", loc(h, "/x", &[], "/a/../b?c")),
    ]
    .into_iter()
    .map(|(u, l)| (u.to_string(), l))
    .collect();
    // The length limit, in bytes, before any parsing.
    let max = keyferry::protocol::limits::MAX_URL;
    let base = "https://acme-admin.okta.com/x?q=";
    let at_max = format!("{base}{}", "é".repeat((max - base.len()) / 2));
    let at_max = format!("{at_max}{}", "a".repeat(max - at_max.len()));
    assert_eq!(at_max.len(), max);
    let query = at_max[base.len()..].to_string();
    v.push((at_max.clone(), Some(Location { host: h.into(), path: "/x".into(), query: vec![("q".into(), query)], fragment: "".into() })));
    v.push((format!("{at_max}a"), None));
    v
}

/// `Location::parse(url)` then `.wrapped()`: the Lightning `address=` wrapper.
fn wrapped_cases() -> Vec<(String, Option<Location>)> {
    let h = "acme.lightning.force.com";
    let w = |address: &str| format!("https://{h}/lightning/setup/NavigationMenus/page?address={address}");
    vec![
        (
            w("%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup%23frag"),
            loc(h, "/app/mgmt/forceconnectedapps/forceAppEdit.apexp", &[("retURL", "/setup")], "frag"),
        ),
        (w("/x"), loc(h, "/x", &[], "")),
        (w("/x%3Fa%2Bb%3D1%26a%3D%2520%26c"), loc(h, "/x", &[("a b", "1"), ("a", " "), ("c", "")], "")),
        (w("/a/../b/./c"), loc(h, "/b/c", &[], "")),
        (w("/../../x"), loc(h, "/x", &[], "")),
        (w("/%252F%252Fevil.test"), loc(h, "/%2F%2Fevil.test", &[], "")),
        (w("/%3A%40evil.test"), loc(h, "/:@evil.test", &[], "")),
        (w("/a%20b%C3%A4%23c%20d"), loc(h, "/a%20b%C3%A4", &[], "c%20d")),
        (w("/a%00b%3Fc%00d%3De%00%23f%00g"), loc(h, "/a%00b", &[("c\u{0}d", "e\u{0}")], "f%00g")),
        (w("/a%00"), loc(h, "/a", &[], "")),
        (w("/%3F"), loc(h, "/", &[], "")),
        (w("/%23"), loc(h, "/", &[], "")),
        // Never another host, never anything but a path.
        (w("%2F%2Fevil.test%2Fa"), None),
        (w("/%2F%252F%252Fevil.test%2Fa"), None),
        (w("//evil.test/a"), None),
        (w("/%5Cevil.test"), None),
        (w("%2F%5C%5Cevil.test"), None),
        (w("/%09/evil.test"), None),
        (w("/%0A/evil.test"), None),
        (w("/%0D/evil.test"), None),
        (w("..%2Fx"), None),
        (w("x"), None),
        (w(""), None),
        (w("https%3A%2F%2Fevil.test%2F"), None),
        (w("%20%2Fx"), None),
        // Only on a wrapper path, only with `address`.
        (format!("https://{h}/lightning/setup/NavigationMenus/home?address=%2Fx"), None),
        (format!("https://{h}/lightning/setup/page?address=%2Fx"), None),
        (format!("https://{h}/lightning/setup/NavigationMenus/page?addr=%2Fx"), None),
        (format!("https://{h}./lightning/setup/NavigationMenus/page/?x=1&address=%2Fy&address=%2Fz"), loc(h, "/y", &[], "")),
    ]
}

/// Where the parsers differ, what each gives: the `url` crate (native),
/// Chromium's `URL`, Firefox's `URL`. `wrapped`: the case is
/// `Location::parse(url)` then `.wrapped()`.
///
/// - `xn--` labels that are not valid punycode of valid IDNA: `url`'s
///   ASCII-only IDNA back end refuses empty and all-ASCII punycode but cannot
///   check what a label decodes to (`xn--a` is U+0080); Firefox checks both
///   (UTS #46, as the URL standard says); Chromium checks neither. A browser
///   reports only hosts its own `URL` accepts.
/// - `^` and `|` in a path: both browsers percent-encode `^`, Chromium also
///   `|`; `url` neither. A browser reports its own serialization, so only a
///   raw `address=` can carry them; no catalog pattern has them.
struct Differs {
    url: &'static str,
    wrapped: bool,
    url_crate: Option<Location>,
    chromium: Option<Location>,
    firefox: Option<Location>,
}

fn differing_cases() -> Vec<Differs> {
    let d = |url: &'static str, wrapped: bool, url_crate, chromium, firefox| {
        Differs { url, wrapped, url_crate, chromium, firefox }
    };
    let h = "acme-admin.okta.com";
    let lf = "acme.lightning.force.com";
    vec![
        d("https://xn--.com/", false, None, loc("xn--.com", "/", &[], ""), None),
        d("https://xn--zz-.com/", false, None, loc("xn--zz-.com", "/", &[], ""), None),
        d("https://a.xn--/", false, None, loc("a.xn--", "/", &[], ""), None),
        d("https://xn--a.com/", false, loc("xn--a.com", "/", &[], ""), loc("xn--a.com", "/", &[], ""), None),
        d("https://acme-admin.okta.com/a^b", false, loc(h, "/a^b", &[], ""), loc(h, "/a%5Eb", &[], ""), loc(h, "/a%5Eb", &[], "")),
        d("https://acme-admin.okta.com/a|b", false, loc(h, "/a|b", &[], ""), loc(h, "/a%7Cb", &[], ""), loc(h, "/a|b", &[], "")),
        d(
            "https://acme.lightning.force.com/lightning/setup/X/page?address=%2Fa%5Eb%7Cc%3Fd%5E%7C%23%5E%7C",
            true,
            loc(lf, "/a^b|c", &[("d^|", "")], "^|"),
            loc(lf, "/a%5Eb%7Cc", &[("d^|", "")], "^|"),
            loc(lf, "/a%5Eb|c", &[("d^|", "")], "^|"),
        ),
    ]
}

/// Which parser `Location::parse` uses here (each build names its own).
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Debug)]
enum Parser {
    UrlCrate,
    Chromium,
    Firefox,
}

/// Every case that does not match the table for `parser` ("" when none).
fn url_case_failures(parser: Parser) -> String {
    let mut wrong = Vec::new();
    let mut check = |what: &str, url: &str, got: Option<Location>, want: &Option<Location>| {
        if got != *want {
            wrong.push(format!("{what} {url:?} ({parser:?})\n  got  {got:?}\n  want {want:?}"));
        }
    };
    let wrapped = |url: &str| Location::parse(url).and_then(|l| l.wrapped());
    for (url, want) in parse_cases() {
        check("parse", &url, Location::parse(&url), &want);
    }
    for (url, want) in wrapped_cases() {
        check("wrapped", &url, wrapped(&url), &want);
    }
    for c in differing_cases() {
        let want = match parser {
            Parser::UrlCrate => &c.url_crate,
            Parser::Chromium => &c.chromium,
            Parser::Firefox => &c.firefox,
        };
        let got = if c.wrapped { wrapped(c.url) } else { Location::parse(c.url) };
        check(if c.wrapped { "wrapped" } else { "parse" }, c.url, got, want);
    }
    wrong.join("\n")
}
