"""Pages that drifted, in Firefox: a candidate URL whose landmarks do not match (the popup
says so and copies the page signature), a recognized page with a field keyferry cannot
locate (the panel says so), and no secret of any control in the copied signature.
Twin: drift.test.mjs (Chromium). The clipboard is read from extension pages (clipboardRead:
Firefox lets web pages read it only through its paste prompt)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from lib.firefox import FirefoxSession, open_in_new_tab, until, wait_for_overlay

URL_DRIFT = "https://acme-admin.okta.com/admin/access/api/tokens/drift"
URL_RENAMED = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create/renamed?applicationType=SERVICE"
URL_KNOWN = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE"
DRIFT_DIR = Path(__file__).resolve().parents[1] / "fixtures/acme-admin.okta.com/admin/access/api/tokens/drift"

# (id, name) of every kind of control in the drift replica; the signature must name them.
NAMED = [
    ("kf-text", "key_name"), ("kf-email", "owner_email"), ("kf-url", "callback"), ("kf-number", "lifetime"),
    ("kf-tel", "phone"), ("kf-search", "filter"), ("kf-date", "expires"), ("kf-pass", "admin_password"),
    ("kf-hidden", "csrf_hidden"), ("kf-check", "read_only"), ("kf-radio-any", "network"), ("kf-select", "scope"),
    ("kf-area", "notes"), ("kf-select-in-label", "region"), ("kf-edit", None), ("kf-shadow-input", "shadow_token"),
    ("kf-save", "save"),
]


def replica_secrets() -> list[str]:
    text = (DRIFT_DIR / "index.html").read_text(encoding="utf-8") + (DRIFT_DIR / "drift.js").read_text(encoding="utf-8")
    found = sorted(set(re.findall(r"KFSECRET-[A-Za-z0-9-]+|kfsecret-[a-z0-9-]+@acme\.example", text)))
    return found + ["4444", "2031-07-17"]  # the number and the date carry no marker


@pytest.fixture(scope="module")
def ff(fixture_server):
    session = FirefoxSession.start(fixture_server)
    yield session
    session.quit()


def overlay_with(ff: FirefoxSession, selector: str):
    for ctx in ff.overlay_contexts():
        if ff.evaluate(ctx, f"!!document.querySelector({json.dumps(selector)})"):
            return ctx
    return None


def clipboard(ff: FirefoxSession, ctx: str) -> str:
    return ff.evaluate(ctx, "navigator.clipboard.readText()", await_promise=True)


def test_drifted_candidate_page_popup_says_so_and_signature_holds_no_secret(ff):
    secrets = replica_secrets()
    assert len(secrets) >= 25, f"the replica holds distinct secrets ({len(secrets)})"
    open_in_new_tab(ff, URL_DRIFT)
    until(lambda: ff.driver.execute_script("return document.body.dataset.kfReplicaReady === 'true'"), "the replica")
    page_tab = ff.driver.current_window_handle
    assert ff.driver.execute_script("return document.getElementById('kf-pass').value") == "KFSECRET-typed-password-4d4d"
    assert ff.driver.execute_script("return document.getElementById('kf-area').value") == "KFSECRET-typed-textarea-5e5e"

    helper = ff.open_extension_page("options.html")
    tab = until(lambda: ff.evaluate(helper, f"browser.tabs.query({{ url: {json.dumps(URL_DRIFT + '*')} }})"
                                            ".then((t) => t[0] ? t[0].id : null)", await_promise=True),
                "the tab id of the drifted page")
    popup = ff.open_extension_page(f"popup.html?tab={int(tab)}")
    until(lambda: ff.evaluate(popup, "!!document.querySelector('[data-kf-drift]')"), "the drift notice in the popup")
    assert not [c for c in ff.overlay_contexts()], "no panel on an unrecognized page"
    text = ff.evaluate(popup, "document.querySelector('[data-kf-drift]').textContent")
    assert "This page differs from what keyferry knows" in text, text
    landmarks = ff.evaluate(popup, "document.querySelector('[data-kf-drift-page=\"okta.api.tokens\"]"
                                   "[data-kf-drift-missing=landmarks]').textContent")
    assert re.search(r'Okta API Tokens.*"Create token" in `button, a`', landmarks), landmarks

    ff.evaluate(popup, "navigator.clipboard.writeText('before')", await_promise=True)
    ff.trusted_click(popup, "[data-kf-action=signature]")
    notice = until(lambda: ff.evaluate_json(popup, "(() => { const e = document.querySelector('[data-kf-drift-notice]');"
                                                   " return e && { kind: e.dataset.kfDriftNotice, text: e.textContent }; })()"),
                   "the signature notice")
    assert notice["kind"] == "ok", notice
    sig = until(lambda: (lambda t: t != "before" and t)(clipboard(ff, popup)), "the signature on the clipboard")

    assert sig.startswith("keyferry page signature"), sig
    assert "candidates: okta.api.tokens" in sig and "recognized: no" in sig, sig
    assert "landmark 1: MISS" in sig and 'miss "Create token" in `button, a`' in sig, sig
    assert 'field token_value "Token Value" (display): NOT LOCATED' in sig, sig
    for cid, name in NAMED:
        assert f'id="{cid}"' in sig, f"the signature names #{cid}\n{sig}"
        if name:
            assert f'name="{name}"' in sig, f"the signature names {name}\n{sig}"
    assert 'label="Key name"' in sig and 'label="Shadow token"' in sig, sig
    assert '- "API Keys"' in sig, sig
    leaked = [s for s in secrets if s.lower() in sig.lower()]
    assert leaked == [], f"no control value, placeholder, option or page text secret in the signature\n{sig}"
    assert "Admin password" not in sig and "Notes" not in sig, "no label of a password field or text area"
    print(f"signature: {len(sig)} characters, {len(secrets)} secrets absent")
    ff.driver.switch_to.window(page_tab)


def test_recognized_page_with_a_field_not_located_panel_says_so_and_copies(ff):
    open_in_new_tab(ff, URL_RENAMED)
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == "okta.app.wizard_service")
    ctx = until(lambda: overlay_with(ff, "[data-kf-drift]"), "the drift notice in the panel")
    assert ff.evaluate(ctx, "document.querySelector('[data-kf-drift]').dataset.kfDrift") == "okta.app.wizard_service"
    assert "This page differs from what keyferry knows" in ff.evaluate(ctx, "document.querySelector('[data-kf-drift] h2').textContent")
    fields = ff.evaluate(ctx, "document.querySelector('[data-kf-drift-missing=fields]').textContent")
    assert re.search(r"New API Services App Integration.*App integration name", fields), fields

    ff.evaluate(ctx, "navigator.clipboard.writeText('before')", await_promise=True)
    ff.trusted_click(ctx, "[data-kf-action=signature]")
    sig = until(lambda: (lambda t: t != "before" and t)(clipboard(ff, ctx)), "the signature on the clipboard")
    assert "recognized: okta.app.wizard_service" in sig, sig
    assert "drift: okta.app.wizard_service fields not located: App integration name" in sig, sig
    assert 'field name "App integration name" (text): NOT LOCATED' in sig, sig
    assert "miss name=client_name" in sig and "landmark 1: hit" in sig, sig
    assert 'id="display-name"' in sig and 'name="display_name"' in sig and 'label="Integration display name"' in sig, sig
    notice = until(lambda: ff.evaluate_json(ctx, "(() => { const e = document.querySelector('[data-kf-notice]');"
                                                 " return e && { kind: e.dataset.kfNotice, text: e.textContent }; })()"),
                   "the panel notice")
    assert notice["kind"] == "ok", notice


def test_known_page_shows_no_drift_notice(ff):
    open_in_new_tab(ff, URL_KNOWN)
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == "okta.app.wizard_service" and s["items"])
    ctx = ff.overlay_context()
    assert not ff.evaluate(ctx, "!!document.querySelector('[data-kf-drift]')"), "no drift notice where every field is found"


def test_popup_still_reports_drift_after_the_event_page_stopped(ff):
    open_in_new_tab(ff, URL_DRIFT)
    until(lambda: ff.driver.execute_script("return document.body.dataset.kfReplicaReady === 'true'"), "the replica")
    page_tab = ff.driver.current_window_handle
    helper = ff.open_extension_page("options.html")
    tab = until(lambda: ff.evaluate(helper, f"browser.tabs.query({{ url: {json.dumps(URL_DRIFT + '*')} }})"
                                            ".then((t) => t[0] ? t[0].id : null)", await_promise=True),
                "the tab id of the drifted page")
    ff.driver.switch_to.window(helper)
    ff.driver.close()
    ff.driver.switch_to.window(page_tab)
    # As about:debugging's "Terminate background script" (test_hostile.py, scenario 8).
    with ff.driver.context(ff.driver.CONTEXT_CHROME):
        state = ff.driver.execute_script(
            """const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
               return ext.terminateBackground({ disableResetIdleForTest: true }).then(() => String(ext.backgroundState));""",
            ff.addon_id)
    assert state == "stopped", f"background state after terminateBackground: {state}"
    popup = ff.open_extension_page(f"popup.html?tab={int(tab)}")
    until(lambda: ff.evaluate(popup, "!!document.querySelector('[data-kf-drift-missing=landmarks]')"),
          "the drift notice after the restart", 20)
    ff.driver.switch_to.window(page_tab)


PAGES_JSON = json.loads((Path(__file__).resolve().parent / "pages.json").read_text(encoding="utf-8"))


def test_no_known_replica_state_shows_a_drift_notice(ff):
    """Every replica state of pages.json, once its statuses settled (as test_pages.py checks them); the
    other-language replicas (`drift_expected`) must show one."""
    from lib.firefox import overlay_pick
    from test_hostile import tab_overlays
    checked, noticed = 0, []
    for r in PAGES_JSON["replicas"]:
        for name, exp in r["states"].items():
            if not exp.get("url") or exp.get("known_issue"):
                continue
            open_in_new_tab(ff, exp["url"])
            wait_for_overlay(ff, lambda s: bool(s) and s["page"] == r["page"], timeout=20, what=f"{r['id']} [{name}]")
            if r.get("integration"):
                overlay_pick(ff, r["integration"])
            items = exp.get("items", {})
            wait_for_overlay(ff, lambda s: bool(s) and s["page"] == r["page"]
                             and (not exp.get("progress") or s["progress"] == exp["progress"])
                             and all(any(i["id"] == k and i["status"] == v for i in s["items"]) for k, v in items.items()),
                             timeout=20, what=f"{r['id']} [{name}] at {exp.get('progress')}")
            shown = None
            for ctx in tab_overlays(ff):  # this tab's panels only
                shown = shown or ff.evaluate(ctx, "document.querySelector('[data-kf-drift]')?.textContent ?? null")
            if r.get("drift_expected"):
                # A replica in another language is expected to differ: the panel must say which fields it missed.
                assert shown and shown.strip(), f"{r['id']} [{name}]: a drift notice ({r['drift_expected']})"
            elif shown:
                noticed.append(f"{r['id']} [{name}]: {shown}")
            checked += 1
    print(f"drift notices on known replicas: {len(noticed)} of {checked} states")
    assert checked >= 40, checked
    assert noticed == []
