"""The popup and the options page in Firefox, opened as pages of the installed
add-on (moz-extension://<uuid>/popup.html, /options.html): settings that take
effect (data center -> assembled redirect URI; vault expiry -> the expiry of new
captures, an expired value not offered for fill), custom hosts (permission,
dynamic content script, recognition, clean removal), the popup's cross-console
progress, masked vault rows, forget, and the redacted report.

Granting a custom host: headless Firefox cannot answer the permission doorhanger
that permissions.request() opens. The session sets Firefox's own pref
`extensions.webextOptionalPermissionPrompts = false`, under which Firefox grants
an optional permission requested during a user gesture without showing the
prompt. The extension's code path is unchanged (its permissions.request() call
runs on the admin's click and resolves true).

Opening the pages: Firefox's WebDriver refuses to navigate to moz-extension://
URLs ("not allowed in this context", classic and BiDi alike), so the test asks an
extension page that is already open (the overlay iframe on a console page) to
open them with window.open(runtime.getURL(...)) (BiDi evaluation with user
activation), then drives the new tab.
"""

from __future__ import annotations

import json
import time

import pytest

from lib.firefox import FirefoxSession

SECRET = "hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5"
CLIENT_ID = "0oa1b2c3d4e5f6g7h8i9"
URL_GENERAL = f"https://acme-admin.okta.com/admin/app/oidc_client/instance/{CLIENT_ID}/?kfstate=correct#tab-general"
URL_WIZARD = "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial"
URL_WORKATO = "https://app.workato.com/connections/new?kfstate=empty"
CUSTOM = "admin.acme-corp.example"
URL_CUSTOM = f"https://{CUSTOM}/admin/access/api/tokens"
INTEGRATION = "workato-okta-auth-code"


@pytest.fixture
def ff(fixture_server, request):
    session = FirefoxSession.start(fixture_server, extra_prefs={
        "extensions.webextOptionalPermissionPrompts": False,
    })
    yield session
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\nsnapshot: {session.snapshot(request.node.name)}")
    session.quit()


def until(fn, what, timeout=10.0, interval=0.15):
    end = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
        except Exception as exc:  # a context navigating or not rendered yet
            last = f"error: {exc}"
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
            time.sleep(interval)
            continue
        if last:
            return last
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
        time.sleep(interval)


def new_tab(ff: FirefoxSession, url: str) -> str:
    ff.driver.switch_to.new_window("tab")
    ff.driver.get(url)
    return ff.driver.current_window_handle


def js(ff: FirefoxSession, ctx: str, expr: str):
    """JSON.stringify(await (expr)) evaluated in browsing context `ctx`."""
    raw = ff.evaluate(ctx, f"(async () => JSON.stringify(await ({expr})))()", await_promise=True)
    return None if raw is None else json.loads(raw)


def text(ff, ctx, selector):
    return js(ff, ctx, f"document.querySelector({json.dumps(selector)})?.textContent ?? null")


def exists(ff, ctx, selector):
    return js(ff, ctx, f"!!document.querySelector({json.dumps(selector)})")


def click(ff: FirefoxSession, ctx: str, selector: str):
    ff.driver.switch_to.window(ctx)
    ff.trusted_click(ctx, selector)


def type_into(ff: FirefoxSession, ctx: str, selector: str, value: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    ff.driver.switch_to.window(ctx)
    el = ff.driver.find_element(By.CSS_SELECTOR, selector)
    el.click()
    el.send_keys(Keys.CONTROL, "a")
    el.send_keys(Keys.BACKSPACE)
    el.send_keys(value)


def choose(ff: FirefoxSession, ctx: str, selector: str, value: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    ff.driver.switch_to.window(ctx)
    Select(ff.driver.find_element(By.CSS_SELECTOR, selector)).select_by_value(value)


def save(ff, ctx, dc=None, minutes=None):
    if dc:
        choose(ff, ctx, "#kf-dc", dc)
    if minutes:
        type_into(ff, ctx, "#kf-minutes", str(minutes))
    click(ff, ctx, "[data-kf-action=save]")
    until(lambda: text(ff, ctx, "[data-kf-notice]") == "Saved.", "the settings to be saved")


def overlay_ctx_of(ff: FirefoxSession, tab: str) -> str | None:
    for info, _ in ff.contexts():
        if info.context == tab:
            stack = list(info.children or [])
            while stack:
                c = stack.pop()
                if c.url and c.url.startswith("moz-extension://") and "/overlay.html" in c.url:
                    return c.context
                stack.extend(c.children or [])
    return None


def pick(ff: FirefoxSession, tab: str, integration: str) -> None:
    """Choose `integration` in the overlay of `tab` with trusted key presses (ArrowDown/Up on its
    focused picker; the overlay ignores untrusted events)."""
    def step():
        ctx = overlay_ctx_of(ff, tab)
        info = ctx and js(ff, ctx, """(() => { const s = document.querySelector('select[data-kf-action=pick]');
            if (!s) return null; s.focus(); return { values: [...s.options].map((o) => o.value), index: s.selectedIndex }; })()""")
        if not info:
            return False
        target = info["values"].index(integration)
        if target == info["index"]:
            return True
        key = "\ue015" if target > info["index"] else "\ue013"  # ArrowDown / ArrowUp
        ff.driver.input.perform_actions(ctx, [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}])
        return False
    until(step, f"{integration} to be picked", 10, 0.3)


def capture(ff: FirefoxSession, slots: list[str]) -> str:
    tab = new_tab(ff, URL_GENERAL)
    until(lambda: overlay_ctx_of(ff, tab), "the overlay", 15)
    pick(ff, tab, INTEGRATION)
    for slot in slots:
        ctx = until(lambda: overlay_ctx_of(ff, tab), "the overlay")
        sel = f'[data-kf-action=capture][data-kf-slot="{slot}"]'
        until(lambda: exists(ff, ctx, sel), f"the {slot} capture button")
        ff.trusted_click(ctx, sel)
        until(lambda: exists(ff, overlay_ctx_of(ff, tab), f'[data-kf-vault="{slot}"]'), f"{slot} captured")
    return tab


URL_TOKENS = "https://acme-admin.okta.com/admin/access/api/tokens"


def open_ext(ff: FirefoxSession, path: str, ready: str) -> str:
    """Open the add-on's `path` in a new tab (through an overlay, see the module doc); returns its context."""
    overlay = next(iter(ff.overlay_contexts()), None)
    if overlay is None:
        tab = new_tab(ff, URL_TOKENS)
        overlay = until(lambda: overlay_ctx_of(ff, tab), "an overlay", 15)
    before = {info.context for info, _ in ff.contexts()}
    # window.open from the extension page, with user activation (no popup blocker).
    res = ff.driver.script._evaluate(f"window.open(browser.runtime.getURL({json.dumps(path)})) ? 1 : 0",
                                     {"context": overlay}, False, user_activation=True)
    assert not res.exception_details, res.exception_details
    ctx = until(lambda: next((i.context for i, d in ff.contexts() if d == 0 and i.context not in before
                              and (i.url or "").endswith("/" + path)), None), f"the {path} tab")
    until(lambda: exists(ff, ctx, ready), f"{path} to render", 15)
    return ctx


def popup_vault(ff, ctx):
    return js(ff, ctx, """[...document.querySelectorAll('[data-kf-vault]')].map((r) => ({
        slot: r.dataset.kfVault, masked: r.querySelector('[data-kf-masked]').textContent,
        seconds: Number(r.querySelector('[data-kf-seconds]').dataset.kfSeconds) }))""")


def test_options_defaults_data_center_and_redirect_uri(ff):
    opts = open_ext(ff, "options.html", "[data-kf-empty=hosts]")
    assert js(ff, opts, "document.querySelector('#kf-dc').value") == ""  # not chosen: unknown is not US
    assert js(ff, opts, "[...document.querySelectorAll('#kf-dc option')].map((o) => o.value)") == [
        "", "us", "eu", "jp", "sg", "au", "il", "kr", "cn", "trial"]
    assert js(ff, opts, "document.querySelector('#kf-minutes').value") == "15"
    wizard = new_tab(ff, URL_WIZARD)

    def redirect():
        ctx = overlay_ctx_of(ff, wizard)
        return ctx and text(ff, ctx, "[data-kf-field=redirect_uri] code")

    def missing():
        ctx = overlay_ctx_of(ff, wizard)
        return ctx and text(ff, ctx, "[data-kf-field=redirect_uri].kf-missing")

    # Unknown is not US: no callback is offered, and the row says why.
    assert "Workato data center" in until(missing, "the missing redirect URI row")
    # Seen in this browser session: a Workato page on www.workato.com (US).
    wk = new_tab(ff, "https://www.workato.com/connections/new?kfstate=empty")

    def wk_page():
        ctx = overlay_ctx_of(ff, wk)
        return ctx and js(ff, ctx, "document.querySelector('[data-kf-page]')?.dataset.kfPage ?? null")

    assert until(wk_page, "Workato on www.workato.com", timeout=20) == "workato.connection.new"
    until(lambda: redirect() == "https://www.workato.com/oauth/callback", "the US callback, seen on www.workato.com")
    # Chosen wins over seen.
    save(ff, opts, dc="eu")
    until(lambda: redirect() == "https://app.eu.workato.com/oauth/callback", "the EU callback")
    stored = js(ff, opts, "browser.storage.local.get(null)")
    assert list(stored) == ["settings"] and stored["settings"]["data_center"] == "eu"
    # A bad expiry is refused with a message; nothing saved.
    type_into(ff, opts, "#kf-minutes", "481")
    click(ff, opts, "[data-kf-action=save]")
    until(lambda: "outside the allowed range" in (text(ff, opts, "[data-kf-notice]") or ""), "the range message")
    assert js(ff, opts, "browser.storage.local.get('settings')")["settings"]["vault_minutes"] == 15
    # The popup starts with an explanation of what to do next.
    popup = open_ext(ff, "popup.html", "[data-kf-empty=vault]")
    assert "Capture" in text(ff, popup, "[data-kf-empty=vault]")


def test_ttl_progress_vault_report_forget_and_expiry(ff):
    opts = open_ext(ff, "options.html", "#kf-minutes")
    save(ff, opts, minutes=1)
    capture(ff, ["okta.client_id", "okta.client_secret"])
    popup = open_ext(ff, "popup.html", '[data-kf-vault="okta.client_secret"]')
    assert js(ff, popup, "document.querySelector('[data-kf-action=pick]').value") == INTEGRATION
    rows = popup_vault(ff, popup)
    assert sorted(r["slot"] for r in rows) == ["okta.client_id", "okta.client_secret"]
    secret_row = next(r for r in rows if r["slot"] == "okta.client_secret")
    assert 0 < secret_row["seconds"] <= 60, secret_row
    assert SECRET[:6] not in secret_row["masked"]
    assert SECRET not in js(ff, popup, "document.documentElement.outerHTML")
    step = js(ff, popup, """(() => { const li = document.querySelector('[data-kf-step="okta.app.general"]');
        return { state: li.dataset.kfState, text: li.textContent }; })()""")
    assert "Seen on acme-admin.okta.com" in step["text"]
    assert js(ff, popup, "document.querySelector('[data-kf-next]').href").startswith("https://acme-admin.okta.com/")
    for fmt in ["markdown", "json"]:
        click(ff, popup, f"[data-kf-action=report][data-kf-format={fmt}]")
        report = until(lambda: js(ff, popup, f"document.querySelector('[data-kf-report={fmt}]')?.value"), f"the {fmt} report")
        blob = js(ff, popup, f"fetch(document.querySelector('[data-kf-download={fmt}]').href).then((r) => r.text())")
        assert blob == report
        for t in (report, blob):
            assert SECRET not in t and SECRET[:16] not in t and CLIENT_ID not in t
            assert "acme-admin.okta.com" in t and "okta.general.client_id" in t and "okta.client_secret" in t
        if fmt == "json":
            assert json.loads(report)["integration"] == INTEGRATION
    assert SECRET not in json.dumps(js(ff, popup, "browser.storage.local.get(null)"))
    # Copy: the background writes it (the popup never receives the value).
    click(ff, popup, '[data-kf-action=copy][data-kf-slot="okta.client_id"]')
    until(lambda: "Copied" in (text(ff, popup, "[data-kf-notice]") or ""), "the copy notice")
    # Forget one.
    click(ff, popup, '[data-kf-action=forget][data-kf-slot="okta.client_id"]')
    until(lambda: [r["slot"] for r in popup_vault(ff, popup)] == ["okta.client_secret"], "one row left")
    # Before expiry the Workato form is offered the secret; after it, not.
    workato = new_tab(ff, URL_WORKATO)
    until(lambda: overlay_ctx_of(ff, workato), "the Workato overlay", 15)
    pick(ff, workato, INTEGRATION)

    def secret_row_state():
        ctx = overlay_ctx_of(ff, workato)
        return ctx and js(ff, ctx, """(() => { const row = document.querySelector('.kf-carry [data-kf-field=client_secret]');
            return row ? (row.classList.contains('kf-missing') ? 'missing' : 'offered') : null; })()""")

    assert until(secret_row_state, "the client secret fill row") == "offered"
    until(lambda: not exists(ff, popup, "[data-kf-vault]"), "the value to expire", 90)
    until(lambda: secret_row_state() == "missing", "the expired secret to be withdrawn", 15)
    until(lambda: exists(ff, popup, "[data-kf-empty=vault]"), "the empty vault")


def test_forget_all(ff):
    capture(ff, ["okta.client_secret"])
    popup = open_ext(ff, "popup.html", "[data-kf-action=forget-all]")
    click(ff, popup, "[data-kf-action=forget-all]")
    until(lambda: exists(ff, popup, "[data-kf-empty=vault]"), "the empty vault")
    assert "Forgot 1 value" in text(ff, popup, "[data-kf-notice]")


def test_custom_host_add_recognize_remove(ff):
    opts = open_ext(ff, "options.html", "#kf-host")
    for bad, message in [("acme-admin.okta.com.evil.example", "lookalike"), ("admin.example.com:8443", "port")]:
        type_into(ff, opts, "#kf-host", bad)
        click(ff, opts, "[data-kf-action=add-host]")
        until(lambda: message in (text(ff, opts, "[data-kf-notice]") or ""), f"the message for {bad}")
    assert not exists(ff, opts, "li[data-kf-host]")
    choose(ff, opts, "#kf-kind", "okta_admin")
    type_into(ff, opts, "#kf-host", CUSTOM)
    click(ff, opts, "[data-kf-action=add-host]")
    li = f'li[data-kf-host="{CUSTOM}"]'
    until(lambda: exists(ff, opts, f"{li}[data-kf-granted=true][data-kf-registered=true]"), "the host to be active", 15)
    scripts = js(ff, opts, "browser.scripting.getRegisteredContentScripts()")
    assert [(s["id"], s["matches"], s["js"]) for s in scripts] == [(f"kf-custom-{CUSTOM}", [f"https://{CUSTOM}/*"], ["agent.js"])]
    page = new_tab(ff, URL_CUSTOM)
    ctx = until(lambda: overlay_ctx_of(ff, page), "the overlay on the custom host", 15)
    assert until(lambda: js(ff, ctx, "document.querySelector('[data-kf-page]')?.dataset.kfPage"), "recognition") == "okta.api.tokens"
    # Removal: unregistered, permission revoked, nothing stored.
    click(ff, opts, f"{li} [data-kf-action=remove-host]")
    until(lambda: exists(ff, opts, "[data-kf-empty=hosts]"), "the host to be removed")
    assert js(ff, opts, "browser.scripting.getRegisteredContentScripts()") == []
    assert js(ff, opts, f"browser.permissions.contains({{origins: ['https://{CUSTOM}/*']}})") is False
    assert js(ff, opts, "browser.storage.local.get('settings')")["settings"]["custom_hosts"] == []
    ff.driver.switch_to.window(page)
    ff.driver.refresh()
    time.sleep(1.5)  # give a (wrongly) registered agent the time to show up
    assert overlay_ctx_of(ff, page) is None
