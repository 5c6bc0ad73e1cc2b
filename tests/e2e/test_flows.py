"""Capture -> carry -> fill, end to end in Firefox: the flows of flows.json (shared with
flows.test.mjs for Chromium), then a grep of the live profile directory for every secret
the flows carried (session store written every second, mozLz4 files decompressed)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from lib.firefox import (FirefoxSession, until, find, fill, grep_tree, open_in_new_tab, overlay_pick,
                         read_overlay_state, wait_for_overlay)

FLOWS = json.loads((Path(__file__).resolve().parent / "flows.json").read_text(encoding="utf-8"))["flows"]
SECRETS: list[dict] = []


def subst(s: str, vars: dict) -> str:
    def one(m):
        if m.group(1) not in vars:
            raise KeyError(f"flows.json uses ${{{m.group(1)}}} before remembering it")
        return vars[m.group(1)]
    return re.sub(r"\$\{(\w+)\}", one, s)


def page_js(ff: FirefoxSession, js: str, *args):
    return ff.driver.execute_script(js, *args)


def overlay_has(ff: FirefoxSession, selector: str):
    """The overlay context in which `selector` exists, else None."""
    for ctx in ff.overlay_contexts():
        if ff.evaluate(ctx, f"!!document.querySelector({json.dumps(selector)})"):
            return ctx
    return None


def read_notice(ff: FirefoxSession):
    for ctx in ff.overlay_contexts():
        n = ff.evaluate_json(ctx, "(() => { const el = document.querySelector('[data-kf-notice]');"
                                  " return el && { kind: el.dataset.kfNotice, text: el.textContent }; })()")
        if n:
            return n
    return None


HOST_RECT = "const h = document.querySelector('keyferry-overlay'); return h ? JSON.stringify(h.getBoundingClientRect()) : null;"


def run(ff: FirefoxSession, flow: dict) -> None:
    vars: dict[str, str] = {}
    for i, step in enumerate(flow["steps"], 1):
        try:
            run_step(ff, step, vars)
        except Exception as exc:
            name = f"flow-{flow['name'][:1]}-step{i}"
            print(f"snapshot: {ff.snapshot(name)}")
            raise AssertionError(f"{flow['name']}, step {i} {json.dumps(step)}: {exc}") from exc


def run_step(ff: FirefoxSession, step: dict, vars: dict) -> None:
    if "open" in step:
        open_in_new_tab(ff, step["open"])
    elif "click" in step:
        until(lambda: find(ff, step["click"]), step["click"])
        find(ff, step["click"]).click()
    elif "type" in step:
        until(lambda: find(ff, step["type"]), step["type"])
        fill(ff, step["type"], step["text"])
    elif "wait" in step:
        until(lambda: page_js(ff, "return !!document.querySelector(arguments[0])", step["wait"]), step["wait"], 15)
    elif "remember" in step:
        prop = step.get("prop", "text")

        def read():
            v = page_js(ff, "const el = document.querySelector(arguments[0]);"
                            "return el && (arguments[1] === 'value' ? el.value : el.textContent);", step["css"], prop)
            return v if v and (not step.get("match") or re.search(step["match"], v)) else None
        vars[step["remember"]] = until(read, f"a value in {step['css']}").strip()
        if step.get("secret"):
            SECRETS.append({"name": step["remember"], "value": vars[step["remember"]]})
    elif "overlay" in step:
        wait_for_overlay(ff, lambda s: bool(s) and s["page"] == step["overlay"], what=f"overlay {step['overlay']}")
    elif "pick" in step:
        overlay_pick(ff, step["pick"])
        until(lambda: overlay_has(ff, f"select[data-kf-action=pick]") and ff.evaluate(
            overlay_has(ff, "select[data-kf-action=pick]"),
            "document.querySelector('select[data-kf-action=pick]').value") == step["pick"], f"integration {step['pick']}")
    elif "no_capture" in step:
        time.sleep(0.5)
        assert overlay_has(ff, "[data-kf-page]"), "an overlay"
        assert not overlay_has(ff, f'[data-kf-action=capture][data-kf-slot="{step["no_capture"]}"]'), \
            f"no Capture button for {step['no_capture']} while the page does not show it"
    elif "capture" in step:
        sel = f'[data-kf-action=capture][data-kf-slot="{step["capture"]}"]'
        ctx = until(lambda: overlay_has(ff, sel), f"a Capture button for {step['capture']}")
        ff.trusted_click(ctx, sel)
        row_sel = f'[data-kf-vault="{step["capture"]}"] code'
        masked = until(lambda: ff.evaluate(ctx, f"document.querySelector({json.dumps(row_sel)})?.textContent"),
                       f"a vault row for {step['capture']}")
        n = read_notice(ff)
        assert n and n["kind"] == "ok", f"capture notice: {n}"
        for s in SECRETS:
            assert s["value"] not in masked, f"the vault row shows {s['name']} masked"
    elif "fill" in step or "bind" in step:
        sel = f'[data-kf-action=bind][data-kf-org="{step["bind"]}"]' if "bind" in step \
            else "[data-kf-action=fill][data-kf-overwrite=true]" if step["fill"].get("overwrite") \
            else "[data-kf-action=fill]:not([data-kf-overwrite])"
        ctx = until(lambda: overlay_has(ff, sel), f"the {sel} button")
        before = (read_notice(ff) or {}).get("text")
        until(lambda: ff.trusted_click(ctx, sel) or True, f"clicking {sel}")
        until(lambda: (n := read_notice(ff)) and n["text"] != before
              and re.match(r"^(Filled|Nothing to fill|The page|Not filled)", n["text"]) and n, "the fill result")
    elif "notice" in step:
        n = read_notice(ff)
        assert n and n["kind"] == step["notice"], f"notice kind ({n})"
        for part in step.get("contains", []):
            assert part in n["text"], f'notice "{n["text"]}" contains "{part}"'
    elif "values" in step:
        if not any(step["values"].values()):
            time.sleep(1.0)  # nothing must appear: give it time
        for css, want in step["values"].items():
            got = page_js(ff, "return document.querySelector(arguments[0]).value", css)
            assert got == subst(want, vars), f"value of {css}"
    elif "items" in step:
        want = step["items"]
        wait_for_overlay(ff, lambda s: bool(s) and all(
            any(x["id"] == k and x["status"] == v for x in s["items"]) for k, v in want.items()), what=f"items {want}")
    elif "submitted" in step:
        page_js(ff, "document.body.removeAttribute('data-fixture-submitted')")
        find(ff, step["submitted"]).click()
        sent = until(lambda: page_js(ff, "return document.body.getAttribute('data-fixture-submitted')"), "the submitted payload")
        assert json.loads(sent) == {k: subst(v, vars) for k, v in step["expect"].items()}, "what the page framework submits"
    elif "synthetic" in step:
        page_js(ff, """
          const host = document.querySelector('keyferry-overlay');
          const r = host.getBoundingClientRect();
          for (const t of [host, document.elementFromPoint(r.x + r.width / 2, r.y + r.height - 20)]) {
            t?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.x + 40, clientY: r.y + r.height - 20 }));
            t?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
          }
          window.postMessage({ v: 1, msg: { overlay_action: { frame: 0, action: { fill: { overwrite: true } } } } }, '*');
          window.postMessage({ type: 'fill' }, '*');""")
        time.sleep(1.0)
        assert read_notice(ff) is None, "no action ran"
    elif "panel" in step:
        sel = f"[data-kf-action={step['panel']}]"
        ctx = until(lambda: overlay_has(ff, sel), f"the {step['panel']} control")
        before = page_js(ff, HOST_RECT)
        ff.trusted_click(ctx, sel)
        until(lambda: page_js(ff, HOST_RECT) != before, "the panel to move")
    elif "overlay_has" in step:
        until(lambda: overlay_has(ff, step["overlay_has"]), f"{step['overlay_has']} in the overlay")
    elif "overlay_lacks" in step:
        until(lambda: ff.overlay_contexts() and not overlay_has(ff, step["overlay_lacks"]),
              f"no {step['overlay_lacks']} in the overlay")
    elif "no_overlay" in step:
        time.sleep(1.5)
        assert read_overlay_state(ff) is None and not ff.overlay_contexts(), "no overlay frame"
        assert page_js(ff, "return !!document.querySelector('keyferry-overlay')") is False, "no overlay host"
    else:
        raise ValueError("unknown step")


@pytest.fixture(scope="module")
def ff(fixture_server):
    # Session store written every second, so the profile grep sees what
    # Firefox would keep of these tabs.
    session = FirefoxSession.start(fixture_server, extra_prefs={"browser.sessionstore.interval": 1000})
    yield session
    session.quit()


@pytest.mark.parametrize("flow", FLOWS, ids=[f["name"][:1] for f in FLOWS])
def test_flow(ff, flow):
    run(ff, flow)


def test_copy_and_clipboard_clear(ff):
    """Copy puts a secret on the clipboard; its clear alarm removes it only if the clipboard
    still holds it. The clipboard is read from the overlay (an extension page with
    clipboardRead: Firefox lets web pages read it only through its paste prompt)."""
    secret = next((s["value"] for s in SECRETS if s["name"] == "wf_client_secret"), None)
    assert secret, "flow 5 captured the Workflows client secret"
    open_in_new_tab(ff, "https://acme.workflows.okta.com/app/connections?kfstate=empty&kfconnector=okta_devices")
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == "workflows.connection.new")
    overlay_pick(ff, "workflows-okta-devices")
    copy_sel = "[data-kf-action=copy][data-kf-field=client_secret]"
    ctx = until(lambda: overlay_has(ff, copy_sel), "the Copy button of Client Secret")

    # Extension pages inside a web page's frame get no alarms API in Firefox:
    # drive the alarm from the extension's own page in a second tab.
    page_tab = ff.driver.current_window_handle
    ext = ff.open_extension_page("popup.html")
    ff.driver.switch_to.window(page_tab)

    def clipboard():
        return ff.evaluate(ctx, "navigator.clipboard.readText()", await_promise=True)

    def session_has_clip():
        return ff.evaluate(ext, "browser.storage.session.get('clip').then((o) => 'clip' in o)", await_promise=True)

    t0 = time.time() * 1000
    ff.trusted_click(ctx, copy_sel)
    n = until(lambda: read_notice(ff), "the copy notice")
    assert n["kind"] == "ok", n
    assert secret not in n["text"], "the notice does not show the secret"
    until(lambda: clipboard() == secret, "the secret on the clipboard")
    due = ff.evaluate(ext, "browser.alarms.get('kf-clip').then((a) => a && a.scheduledTime)", await_promise=True)
    assert t0 + 59_000 <= due <= time.time() * 1000 + 60_500, f"the clear is scheduled 60 s after the copy ({due - t0} ms)"
    ff.evaluate(ext, "browser.alarms.create('kf-clip', { when: Date.now() })")  # let it fire now
    until(lambda: clipboard() == "", "the clipboard to be cleared")

    ff.trusted_click(ctx, copy_sel)
    until(lambda: clipboard() == secret, "the secret on the clipboard again")
    ff.evaluate(ctx, "navigator.clipboard.writeText('something the admin copied since')", await_promise=True)
    ff.evaluate(ext, "browser.alarms.create('kf-clip', { when: Date.now() })")
    until(lambda: not session_has_clip(), "the clear job to run")
    assert clipboard() == "something the admin copied since", "what the admin copied since is left alone"


def test_profile_holds_no_secret(ff):
    assert len(SECRETS) == 6, f"the flows carried the secrets ({[s['name'] for s in SECRETS]})"
    profile = Path(ff.driver.capabilities["moz:profile"])
    assert profile.is_dir(), profile
    # Control: text the admin types into a plain textarea is kept by the
    # session store, so the grep below does see what Firefox writes to disk.
    canary = {"name": "canary", "value": "kf-canary-" + "7f3a9c1e" * 4}
    open_in_new_tab(ff, "https://app.workato.com/connections/new?kfstate=empty")
    until(lambda: find(ff, "select.wk-select"), "the Workato form")
    from selenium.webdriver.support.select import Select
    auth = [e for e in ff.driver.find_elements("css selector", "select.wk-select")
            if "oauth2_client_credentials" in e.get_attribute("innerHTML")][0]
    Select(auth).select_by_value("oauth2_client_credentials")
    fill(ff, "textarea[name=private_key]", canary["value"])
    until(lambda: grep_tree(profile, [canary]), "the typed canary in the session store", timeout=15)
    hits = grep_tree(profile, SECRETS)
    assert hits == [], f"files that contain a secret: {hits}"
