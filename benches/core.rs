//! Native benchmarks of the core: URL recognition over the whole catalog, a
//! full checklist evaluation, and each validator. A small self-contained
//! harness (no criterion: it would double the dependency tree): each case
//! runs for ~300 ms after a warm-up and reports the median of 15 batches.
//!
//!   cargo bench --bench core

use std::hint::black_box;
use std::time::{Duration, Instant};

use keyferry::catalog::{self, AuthType, Widget};
use keyferry::checklist::{self, Context};
use keyferry::protocol::{FieldFact, FieldValue};
use keyferry::recognize;
use keyferry::validate;

fn bench(name: &str, mut f: impl FnMut()) {
    // Calibrate a batch size that takes ~20 ms.
    let mut batch = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        if t.elapsed() > Duration::from_millis(20) || batch > 1 << 30 {
            break;
        }
        batch *= 2;
    }
    let mut per_iter: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    per_iter.sort_by(|a, b| a.total_cmp(b));
    let median = per_iter[per_iter.len() / 2];
    let (value, unit) = if median >= 1000.0 { (median / 1000.0, "µs") } else { (median, "ns") };
    println!("{name:<48} {value:>10.2} {unit}/iter");
}

/// A throwaway P-256 key generated for this benchmark; it protects nothing.
const PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg15I5r/arIHeo3PKr
94zpYCzPk3AWQYMfZjVTi770yMWhRANCAAT7Nd3tXyvB2I7g7L0iP7w559gngHvg
+r3aQhM34g1vsDdIUEVi1JACeLJPzG/lS22yVRZ12kpLnjxsxHe2W33Y
-----END PRIVATE KEY-----
";

fn main() {
    let urls = [
        "https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general",
        "https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp",
        "https://app.eu.workato.com/connections/new",
        "https://www.example.com/nothing/here",
    ];
    for url in urls {
        let host = url.split('/').nth(2).unwrap_or("");
        bench(&format!("recognize::candidates {host}"), || {
            black_box(recognize::candidates(black_box(url), &[]));
        });
    }

    // A full evaluation of the biggest page with every field filled.
    let page = catalog::PAGES.iter().copied().max_by_key(|p| p.requirements.len()).expect("pages");
    let facts: Vec<FieldFact> = page
        .fields
        .iter()
        .map(|f| FieldFact {
            key: f.key.to_string(),
            value: Some(match f.widget {
                Widget::Checkbox => FieldValue::Checked(true),
                Widget::DuelingList | Widget::DualListbox => FieldValue::List(vec![
                    "Manage user data via APIs (api)".into(),
                    "Perform requests at any time (refresh_token, offline_access)".into(),
                ]),
                Widget::RadioGroup | Widget::Select => FieldValue::Choice("All users may self-authorize".into()),
                _ => FieldValue::Text("https://system-admin.okta.com/admin/app/generic/oauth20redirect".into()),
            }),
        })
        .collect();
    bench(&format!("checklist::evaluate {} ({} reqs)", page.id, page.requirements.len()), || {
        black_box(checklist::evaluate(page, None, black_box(&facts), &Context::default()));
    });

    bench("validate::okta_domain (pasted admin URL)", || {
        black_box(validate::okta_domain(black_box("https://acme-admin.okta.com/admin/apps/active")));
    });
    bench("validate::callback_url (trailing slash)", || {
        black_box(validate::callback_url(
            "https://www.workato.com/oauth/callback",
            black_box("https://www.workato.com/oauth/callback/"),
        ));
    });
    bench("validate::credential (client id)", || {
        black_box(validate::credential(validate::CredentialKind::OktaClientId, black_box("0oa1b2c3d4e5f6g7h8i9")));
    });
    bench("validate::private_key_pem (EC PKCS#8)", || {
        black_box(validate::private_key_pem(black_box(PEM)));
    });
    bench("validate::scopes::check (auth code)", || {
        black_box(validate::scopes::check(AuthType::AuthCode, black_box("okta.logs.read, okta.schemas.read openid")));
    });
    bench("validate::email", || {
        black_box(validate::email(black_box("okta-admin@example.com")));
    });
}
