"""Hostile pages and faults, in Firefox (SECURITY.md names each scenario and the test for it); the
"hostile pages" group is written once in hostile.test.mjs and runs in both browsers.

The pages' own hostile scripts live in the fixtures (tests/fixtures/*/assets/hostile.js,
?kfhostile=<modes>) and record what they managed in window.__kfHostile, read here from the
page's own realm (WebDriver BiDi script.evaluate in the top-level context).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from lib.firefox import FirefoxSession, find, open_in_new_tab, overlay_pick, wait_for_overlay

TOKENS = "https://acme-admin.okta.com/admin/access/api/tokens"
SF_EDIT = "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial"
CALLBACK_ID = "appsetup:setupForm:details:consumersection:oauthSection:multiCallbackUrlSection:callbackUrl"
OKTA_CALLBACK = "https://system-admin.okta.com/admin/app/generic/oauth20redirect"
FILL_OVERWRITE = "[data-kf-action=fill][data-kf-overwrite=true]"
# What the lookalike page saw (see hostile.test.mjs).
LOOKALIKE_STATE = """(() => {
  const L = window.__kfLookalike, H = window.__kfHostile;
  if (L) return { ready: L.ready, inserted: L.keyferryElements, frames: L.frames };
  if (H) return { ready: H.ready, inserted: H.insertions, frames: document.querySelectorAll('iframe').length };
  return { ready: document.readyState === 'complete', inserted: document.querySelectorAll('keyferry-overlay, keyferry-marks').length,
    frames: document.querySelectorAll('iframe').length };
})()"""
LOOKALIKES = [
    "https://acme-admin.okta.com.evil.test/admin/access/api/tokens",
    "https://acme-admin-okta.com/admin/access/api/tokens?kfhostile=count",  # alias: the real pages, on a lookalike host
    "https://app-workato.com/connections/new",  # alias: the real page
    "https://acme-admin.xn--kta-red.com/admin/access/api/tokens",  # acme-admin.оkta.com (Cyrillic о)
    "https://acme.my.xn--salesfrce-52h.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp",  # salesfоrce.com
    "https://app.workato.com.attacker.test/connections/new",
]


def wait_for(fn, what, timeout=10.0, interval=0.1):
    end = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
        except Exception as exc:  # a context navigating or replaced
            last = f"threw {exc}"
        if last and not (isinstance(last, str) and last.startswith("threw ")):
            return last
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what} (last: {str(last)[:500]})")
        time.sleep(interval)


def page_js(ff: FirefoxSession, expr: str):
    return ff.evaluate_json(ff.top_context(), expr)


def hostile(ff):
    return page_js(ff, """(() => { const R = window.__kfHostile; if (!R) return null; R.probe && R.probe();
        const { poke, probe, ...plain } = R; return plain; })()""")


HOST_RECT = """(() => { const h = document.querySelector('keyferry-overlay'); if (!h) return null;
  const r = h.getBoundingClientRect(); const cs = getComputedStyle(h);
  return {x: r.x, y: r.y, w: r.width, h: r.height, display: cs.display, opacity: cs.opacity, visibility: cs.visibility}; })()"""


def host_rect(ff):
    return page_js(ff, HOST_RECT)


def keyferry_elements(ff):
    return page_js(ff, "document.querySelectorAll('keyferry-overlay, keyferry-marks').length")


def field_value(ff, element_id):
    return page_js(ff, f"document.getElementById({json.dumps(element_id)})?.value ?? null")


def tab_overlays(ff):
    """The overlay contexts inside the current tab (other tabs' overlays left out)."""
    top = ff.top_context()
    found = []

    def walk(infos, inside):
        for info in infos or []:
            here = inside or info.context == top
            if here and info.url and info.url.startswith("moz-extension://") and "/overlay.html" in info.url:
                found.append(info.context)
            walk(info.children, here)
    walk(ff.driver.browsing_context.get_tree(), False)
    return found


def overlay_js(ff, expr):
    """Evaluate in the current tab's overlay context; None while there is none."""
    ctxs = tab_overlays(ff)
    if not ctxs:
        return None
    return ff.evaluate_json(ctxs[0], expr)


def rendered_overlay(ff, timeout=15.0):
    return wait_for(lambda: (c := tab_overlays(ff)) and ff.evaluate_json(c[0], "!!document.querySelector('[data-kf-page]')") and c[0],
                    "a rendered overlay", timeout)


def item_status(ff, item):
    return overlay_js(ff, f"document.querySelector('[data-kf-item=\"{item}\"]')?.dataset.kfStatus ?? null")


def click_page_at(ff, x, y):
    """A real (trusted) mouse click at page coordinates of the top-level context."""
    ff.driver.input.perform_actions(ff.top_context(), [{
        "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [{"type": "pointerMove", "x": int(x), "y": int(y)},
                    {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}],
    }])


def create_token(ff):
    """Creates an API token through the page's own UI (from script: the panel may cover the button).
    The replica renders its panel 350 ms after load, and the overlay can be up before that."""
    wait_for(lambda: page_js(ff, "!!document.getElementById('create-token-button')"), "the Create token button")
    ff.evaluate(ff.top_context(), """(() => {
        document.getElementById('create-token-button').click();
        document.getElementById('token-name').value = 'Workato';
        document.querySelector('[data-se=create-token-submit]').click(); })()""")
    return wait_for(lambda: page_js(ff, "document.getElementById('token-value')?.textContent || null"), "the token value")


def capture(ff, slot="okta.api_token"):
    sel = f'[data-kf-action=capture][data-kf-slot="{slot}"]'
    ctx = wait_for(lambda: (c := rendered_overlay(ff)) and ff.evaluate_json(c, f"!!document.querySelector({json.dumps(sel)})") and c,
                   "the Capture button", 15)
    ff.trusted_click(ctx, sel)
    return wait_for(lambda: overlay_js(ff, f"document.querySelector('[data-kf-vault=\"{slot}\"] code')?.textContent ?? null"),
                    "the captured value")


@pytest.fixture(scope="module")
def ff(fixture_server):
    session = FirefoxSession.start(fixture_server)
    yield session
    session.quit()


@pytest.fixture
def visit(ff, request):
    def open_url(url):
        open_in_new_tab(ff, url, before_load=ff.mark)
    yield open_url
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\nsnapshot: {ff.snapshot(request.node.name)}")


# ---------------------------------------------------------------- hostile pages: in hostile.test.mjs, both browsers

MESSAGES = json.loads((Path(__file__).resolve().parents[2] / "extension/_locales/en/messages.json").read_text())
PARTIAL_CALLBACK = "https://acme-admin.okta.com/admin/app/generic/oauth20redirect"
FRAMER = "https://acme.my.salesforce.com/kf-hostile/framer"


def say(key):
    return MESSAGES[key]["message"]


def armed(ff, ctx):
    """Waits until the panel marks itself armed (visible long enough), where it runs the guard at all."""
    wait_for(lambda: ff.evaluate_json(ctx, "!document.documentElement.hasAttribute('data-kf-guard')"
                                           " || document.documentElement.dataset.kfArmed === 'true'"),
             "the panel to be visible long enough (data-kf-armed)")


def panel_point(ff, ctx, selector):
    """Page coordinates of the middle of `selector` in the panel."""
    host = wait_for(lambda: host_rect(ff), "the panel")
    b = ff.evaluate_json(ctx, f"""(() => {{ const r = document.querySelector({json.dumps(selector)});
        r.scrollIntoView({{block: 'center'}}); const box = r.getBoundingClientRect();
        return {{x: box.x + box.width / 2, y: box.y + box.height / 2}}; }})()""")
    return host["x"] + b["x"], host["y"] + 14 + b["y"]  # the iframe sits under the 14 px grip


NOTICE = """(() => { const n = document.querySelector('[data-kf-notice]');
    return n ? {kind: n.dataset.kfNotice, text: n.textContent} : null; })()"""


def notice_of(ff, ctx=None):
    return wait_for(lambda: ff.evaluate_json(ctx, NOTICE) if ctx else overlay_js(ff, NOTICE), "a notice in the panel")


def strike_and_click(ff, visit, mode):
    visit(f"{SF_EDIT}&kfhostile={mode}")
    ctx = rendered_overlay(ff)
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button")
    armed(ff, ctx)
    how = {"guard": ff.evaluate_json(ctx, "document.documentElement.dataset.kfGuard ?? null"),
           "in_root": page_js(ff, "document.querySelector('keyferry-overlay')?.parentNode === document.documentElement")}
    x, y = panel_point(ff, ctx, FILL_OVERWRITE)
    assert field_value(ff, CALLBACK_ID) == PARTIAL_CALLBACK
    page_js(ff, "window.__kfHostile.strike()")
    click_page_at(ff, x, y)  # a real click where Fill is drawn
    return how


def assert_how(how):
    """Checked after the outcome (so that a run against a build without the guard fails on the outcome)."""
    assert how == {"guard": "agent", "in_root": True}, f"Firefox: the agent's checks, the host a child of <html>: {how}"


@pytest.mark.parametrize("mode", ["fade0", "fade001", "htmlfade", "filter", "bodyfilter"])
def test_clickjacking_faded_or_filtered_page_fill_refused(ff, visit, mode):
    how = strike_and_click(ff, visit, mode)
    notice = notice_of(ff)
    assert field_value(ff, CALLBACK_ID) == PARTIAL_CALLBACK, "nothing was filled"
    assert notice == {"kind": "problem", "text": say("notice_guard_not_visible")}
    assert_how(how)


def test_clickjacking_pointer_events_none_cover_fill_refused(ff, visit):
    how = strike_and_click(ff, visit, "pecover")
    notice = notice_of(ff)
    assert field_value(ff, CALLBACK_ID) == PARTIAL_CALLBACK, "nothing was filled"
    assert notice == {"kind": "problem", "text": say("notice_guard_covered")}
    assert_how(how)


@pytest.mark.parametrize("mode", ["container", "movebefore"])
def test_clickjacking_host_moved_into_faded_container_withdrawn(ff, visit, mode):
    how = strike_and_click(ff, visit, mode)  # the first click: right after the move
    state_js = """(() => !document.querySelector('keyferry-overlay') ? 'gone'
        : document.querySelector('#kf-hostile-box keyferry-overlay') ? 'moved' : 'root')()"""

    def drawn_in_box():
        where = page_js(ff, state_js)
        if where == "gone":
            return "gone"
        ctxs = tab_overlays(ff)
        if where == "moved" and ctxs and ff.evaluate_json(ctxs[0], f"!!document.querySelector('{FILL_OVERWRITE}')"):
            return ctxs[0]
        return None
    # Then as an attacker that waits for the moved panel to be drawn in its container again: click its
    # Fill button if it ever is.
    drawn = wait_for(drawn_in_box, "the moved panel to be drawn in the container, or keyferry to withdraw it", 15)
    if drawn != "gone":
        try:
            r = page_js(ff, "(() => { const b = document.querySelector('#kf-hostile-box keyferry-overlay')"
                            "?.getBoundingClientRect(); return b ? {x: b.x, y: b.y} : null; })()")
            b = ff.evaluate_json(drawn, f"""(() => {{ const e = document.querySelector('{FILL_OVERWRITE}'); if (!e) return null;
                e.scrollIntoView({{block: 'center'}}); const q = e.getBoundingClientRect(); return {{x: q.x + q.width / 2, y: q.y + q.height / 2}}; }})()""")
        except Exception:  # withdrawn meanwhile
            r = b = None
        if r and b:
            click_page_at(ff, r["x"] + b["x"], r["y"] + 14 + b["y"])
        wait_for(lambda: field_value(ff, CALLBACK_ID) != PARTIAL_CALLBACK or page_js(ff, state_js) == "gone",
                 "the click's outcome: the form changed, or keyferry withdrew the panel", 15)
    assert field_value(ff, CALLBACK_ID) == PARTIAL_CALLBACK, "nothing was filled"
    assert hostile(ff)["moves"] >= 1, "the page moved the panel"
    # The page moves every panel keyferry puts back: after at most 3 restores keyferry stays away.
    wait_for(lambda: page_js(ff, state_js) == "gone", "keyferry to withdraw the moved panel and stop putting it back", 15)
    R = hostile(ff)
    assert 2 <= R["insertions"] <= 4, f"insertions: {R['insertions']} (1 + at most 3 fresh panels)"
    assert field_value(ff, CALLBACK_ID) == PARTIAL_CALLBACK, "nothing was filled"
    assert_how(how)


def test_clickjacking_same_origin_framer_no_fill_no_capture(ff, visit):
    visit(FRAMER)
    ctx = rendered_overlay(ff)
    # A real click where the panel's Fill button would be drawn (there is one only without the guard).
    at = ff.evaluate_json(ctx, f"""(() => {{ const b = document.querySelector('{FILL_OVERWRITE}'); if (!b) return null;
        b.scrollIntoView({{block: 'center'}}); const r = b.getBoundingClientRect();
        return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()""")
    if at:
        # (The framer is of the console's origin: it can measure everything in the framed page.)
        host = page_js(ff, """(() => { const f = document.getElementById('kf-framer-frame');
            const a = f.getBoundingClientRect(); const h = f.contentDocument.querySelector('keyferry-overlay').getBoundingClientRect();
            return {x: a.x + h.x, y: a.y + h.y}; })()""")
        click_page_at(ff, host["x"] + at["x"], host["y"] + 14 + at["y"])
        notice_of(ff, ctx)  # the click's outcome
    assert page_js(ff, "window.__kfFramer.read()") == PARTIAL_CALLBACK, "nothing was filled"
    assert notice_of(ff, ctx) == {"kind": "problem", "text": say("notice_guard_framed")}
    assert ff.evaluate_json(ctx, "document.querySelectorAll('[data-kf-action=fill],[data-kf-action=capture],"
                                 "[data-kf-action=copy]').length") == 0, "no Fill, Capture or Copy button"
    r = page_js(ff, "(() => { const b = document.getElementById('kf-framer-frame').getBoundingClientRect();"
                    " return {x: b.x, y: b.y, w: b.width}; })()")
    click_page_at(ff, r["x"] + r["w"] - 100, r["y"] + 150)
    assert page_js(ff, "window.__kfFramer.read()") == PARTIAL_CALLBACK, "nothing was filled"


LIGHTNING_EDIT = ("https://acme.lightning.force.com/lightning/setup/NavigationMenus/page"
                  "?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp&kfstate=partial")


def test_control_lightning_wrapper_keeps_fill(ff, visit):
    """The console's own frame structure (Lightning around the classic page) is not a clickjacking frame."""
    visit(LIGHTNING_EDIT)
    ctx = rendered_overlay(ff)
    wait_for(lambda: ff.evaluate_json(ctx, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button")
    ff.trusted_click(ctx, FILL_OVERWRITE)  # waits until the panel is armed (aria-disabled)
    classic = wait_for(lambda: next((i.context for i, _ in ff.contexts() if i.url and "forceAppEdit.apexp" in i.url
                                     and i.url.startswith("https://acme.my.salesforce.com/")), None), "the classic frame")
    wait_for(lambda: ff.evaluate_json(classic, f"document.getElementById({json.dumps(CALLBACK_ID)})?.value") == OKTA_CALLBACK,
             "the fill inside Lightning's frame")
    assert notice_of(ff, ctx)["kind"] == "ok"


def test_forged_panel_for_the_same_frame_gets_nothing(ff, visit):
    visit(f"{SF_EDIT}&kfhostile=forge")
    ctx = rendered_overlay(ff)
    wait_for(lambda: ff.evaluate_json(ctx, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button")
    url = ff.evaluate_json(ctx, "location.href")  # the panel's own URL, hash and all
    page_js(ff, f"window.__kfHostile.forge({json.dumps(url)})")
    forged = wait_for(lambda: next((c for c in tab_overlays(ff) if c != ctx), None), "the forged panel")
    wait_for(lambda: ff.evaluate_json(forged, "document.readyState") == "complete", "the forged panel to load")
    armed(ff, ctx)
    ff.trusted_click(ctx, FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "the real panel's fill")
    assert notice_of(ff, ctx)["kind"] == "ok"
    shown = ff.evaluate_json(forged, """({page: !!document.querySelector('[data-kf-page]'),
        actions: document.querySelectorAll('[data-kf-action]').length,
        text: document.getElementById('kf-root')?.textContent ?? ''})""")
    assert shown == {"page": False, "actions": 0, "text": ""}, "the forged panel shows nothing"


# ------------------------------------- fill chooses the right field, or none; what the page learns

def background_eval(ff, expr):
    """Evaluates `expr` (with `bg` = the background page's window) in a tab showing one of the
    extension's own pages (opened by the overlay with tabs.create; WebDriver may not navigate to
    moz-extension: URLs): the only kind of realm besides the background that can reach it."""
    overlay = wait_for(lambda: (c := [i.context for i, _ in ff.contexts() if i.url and i.url.startswith("moz-extension://")
                                      and "/overlay.html" in i.url]) and c[0], "an overlay context")
    res = ff.driver.script._evaluate("window.open(browser.runtime.getURL('popup.html')) ? true : false",
                                     {"context": overlay}, False, user_activation=True)
    assert not res.exception_details, res.exception_details
    ctx = wait_for(lambda: next((i.context for i, _ in ff.contexts() if i.url and i.url.endswith("/popup.html")), None),
                   "the extension page tab")
    try:
        return ff.evaluate(ctx, f"browser.runtime.getBackgroundPage().then((bg) => {expr})", True)
    finally:
        ff.driver.browsing_context.close(ctx)


def chrome_eval(ff, js, *args):
    """Runs `js` (a function body; `arguments` as in WebDriver) in Firefox's chrome context
    (geckodriver --allow-system-access)."""
    with ff.driver.context(ff.driver.CONTEXT_CHROME):
        return ff.driver.execute_script(js, *args)


def stop_event_page(ff):
    """Terminates the extension's event page, as about:debugging's "Terminate background script"
    does (Extension.terminateBackground), and returns the background state it reports then."""
    return chrome_eval(ff, """const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
        return ext.terminateBackground({ disableResetIdleForTest: true }).then(() => String(ext.backgroundState));""",
                       ff.addon_id)


def token_captured(ff):
    """Opens the API tokens page, creates a token and captures it; returns the masked value shown."""
    ff.get(TOKENS)
    ff.overlay_state(ff.overlay_context())
    create_token(ff)
    return capture(ff)


def test_event_page_stopped_mid_flow_vault_comes_back_next_action_works(firefox):
    ff = firefox
    masked = token_captured(ff)
    tab = ff.driver.current_window_handle
    # A mark in the running background realm: a restarted event page has a fresh one.
    assert background_eval(ff, "(bg.__kfRealmMark = 'before', bg.__kfRealmMark)") == "before"
    ff.driver.switch_to.window(tab)
    state = stop_event_page(ff)
    assert state == "stopped", f"background state after terminateBackground: {state}"
    # The panel reconnects, which wakes the event page; the vault comes back from storage.session.
    wait_for(lambda: overlay_js(ff, "document.querySelector('[data-kf-vault=\"okta.api_token\"] code')?.textContent") == masked,
             "the captured value after the restart", 20)
    assert background_eval(ff, "typeof bg.__kfRealmMark") == "undefined", "a new background realm"
    ff.driver.switch_to.window(tab)
    # The next action works at once (kept until the page reported, if it had not yet).
    ff.trusted_click(rendered_overlay(ff), "[data-kf-action=collapse]")

    def collapsed_or_error():
        if overlay_js(ff, "document.querySelectorAll('[data-kf-item]').length") == 0:
            return "collapsed"
        return overlay_js(ff, "document.querySelector('[data-kf-error]')?.textContent ?? null")
    outcome = wait_for(collapsed_or_error, "the panel to collapse or say why not")
    print(f"after the stop, the next action: {outcome}")
    assert outcome == "collapsed", outcome


CLIENT_CREDS_ID = "appsetup:setupForm:details:consumersection:oauthSection:clientCredentialsSection:isClientCredentialEnabled"
# What the panel says when it did not act: an error line under its header, or the page's notice.
PANEL_REFUSAL = "document.querySelector('[data-kf-error], [data-kf-notice=problem]')?.textContent ?? null"


def test_event_page_stopped_right_before_fill_the_click_is_carried_out_once_ready(firefox):
    """The click reaches an event page that has forgotten the page: it is kept, the page is read
    again, and since nothing changed the fill is carried out without a second click."""
    ff = firefox
    ff.get(SF_EDIT)
    ff.overlay_state(ff.overlay_context())
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button", 15)
    assert field_value(ff, CALLBACK_ID) != OKTA_CALLBACK
    assert stop_event_page(ff) == "stopped"
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)

    def filled_or_refused():
        if field_value(ff, CALLBACK_ID) == OKTA_CALLBACK:
            return "filled"
        err = overlay_js(ff, PANEL_REFUSAL)
        return f"refused: {err}" if err else None
    outcome = wait_for(filled_or_refused, "the fill (or a refusal)", 20)
    print(f"after the stop, Fill: {outcome}")
    assert outcome == "filled", outcome
    assert page_js(ff, f"document.getElementById({json.dumps(CLIENT_CREDS_ID)}).checked") is False


# In the panel's realm (test instrumentation): views pushed over ports opened from now on are held
# until __kfRelease(), so a click can be made on the view the panel showed before a change.
HOLD_VIEWS = """(() => {
  for (const ns of new Set([globalThis.browser, globalThis.chrome].filter(Boolean))) {
    const rt = ns.runtime, connect = rt.connect.bind(rt);
    rt.connect = (...args) => {
      const port = connect(...args), add = port.onMessage.addListener.bind(port.onMessage);
      port.onMessage.addListener = (fn) => add((m, p) => globalThis.__kfHold ? globalThis.__kfHeld.push(() => fn(m, p)) : fn(m, p));
      return port;
    };
  }
  globalThis.__kfHold = true; globalThis.__kfHeld = [];
  globalThis.__kfRelease = () => { globalThis.__kfHold = false; globalThis.__kfHeld.splice(0).forEach((f) => f()); return true; };
  return true;
})()"""


def test_event_page_stopped_then_the_form_changed_the_click_is_refused_and_nothing_written(firefox):
    """After the stop, a box that Fill would have left as it was gets checked (a script, no event),
    and the admin clicks "Replace" on the view that did not list it: refused with the reason, and
    nothing is written (whether the restarted event page heard from the page before the click or
    after). The next click, on the view that lists the new conflict, fills."""
    ff = firefox
    ff.get(SF_EDIT)
    ff.overlay_state(ff.overlay_context())
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button", 15)
    before = field_value(ff, CALLBACK_ID)
    creds = f"document.getElementById({json.dumps(CLIENT_CREDS_ID)}).checked"
    assert page_js(ff, creds) is False
    assert overlay_js(ff, HOLD_VIEWS) is True
    assert stop_event_page(ff) == "stopped"
    page_js(ff, f"({creds} = true)")
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    assert overlay_js(ff, "globalThis.__kfRelease()") is True
    err = wait_for(lambda: overlay_js(ff, PANEL_REFUSAL), "the refusal in the panel", 20)
    print(f"after the stop and the change, Fill: refused: {err}")
    assert "changed" in err, err
    assert field_value(ff, CALLBACK_ID) == before, "refused means untouched"
    assert page_js(ff, creds) is True
    # The panel now lists the new conflict; the admin confirms again, and the fill goes through.
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button again", 15)
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "the fill on the confirmed click")
    assert page_js(ff, creds) is False


def test_wasm_panic_in_background_reported_and_other_tabs_keep_working(firefox):
    ff = firefox
    masked = token_captured(ff)
    tab_a = ff.driver.current_window_handle
    ctx_a = ff.overlay_context()
    # The fault hook lives in the background page's realm; a top-level
    # extension page reaches it with runtime.getBackgroundPage().
    gen = background_eval(ff, "bg.keyferryFault.generation()")
    assert gen == 0
    background_eval(ff, "(bg.keyferryFault.panicNext('\"collapse\"'), true)")
    ff.driver.switch_to.window(tab_a)
    ctx_a = rendered_overlay(ff)
    ff.trusted_click(ctx_a, "[data-kf-action=collapse]")
    err = wait_for(lambda: overlay_js(ff, "document.querySelector('[data-kf-error]')?.textContent ?? null"), "the error in the panel")
    assert "internal error" in err
    ctx_a = rendered_overlay(ff)
    assert background_eval(ff, "bg.keyferryFault.generation()") == 1
    ff.driver.switch_to.window(tab_a)
    wait_for(lambda: overlay_js(ff, "document.querySelector('[data-kf-vault=\"okta.api_token\"] code')?.textContent") == masked,
             "the vault after the restart")
    # Another tab keeps working: fill.
    ff.driver.switch_to.window(tab_a)
    ff.driver.switch_to.new_window("tab")
    ff.get(SF_EDIT)
    tab_b = ff.driver.current_window_handle
    assert tab_b != tab_a
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button in tab B", 15)
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "the fill in tab B")


def test_wasm_panic_in_the_panels_own_core_shown_there_page_untouched_reload_restores(firefox):
    ff = firefox
    ff.get(SF_EDIT)
    ff.overlay_state(ff.overlay_context())
    tab_a = ff.driver.current_window_handle
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button", 15)
    before = field_value(ff, CALLBACK_ID)
    ctx = rendered_overlay(ff)
    ff.evaluate(ctx, "globalThis.keyferryFault.panicOnNextClick()")
    ff.trusted_click(ctx, FILL_OVERWRITE)  # the click the panic interrupts
    err = wait_for(lambda: overlay_js(ff, "document.querySelector('[data-kf-error=overlay]')?.textContent ?? null"), "the error in the panel")
    assert "internal error" in err
    # The stopped instance renders nothing over the notice, even as views keep coming (a page edit sends one).
    ff.evaluate(ff.top_context(), """(() => {
        const e = document.getElementById('appsetup:setupForm:details:appsection:emailSection:contactEmail');
        e.value = 'x@acme.example'; e.dispatchEvent(new Event('input', { bubbles: true })); })()""")
    time.sleep(2.5)
    assert "internal error" in (overlay_js(ff, "document.querySelector('[data-kf-error=overlay]')?.textContent ?? ''") or "")
    assert overlay_js(ff, "document.querySelectorAll('[data-kf-item]').length") == 0
    assert field_value(ff, CALLBACK_ID) == before, "the interrupted Fill changed nothing"
    # Another tab's panel (its own instance) works: fill there.
    ff.driver.switch_to.new_window("tab")
    ff.get(SF_EDIT)
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button in tab B", 15)
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "the fill in tab B")
    # Back in tab A: Reload the panel (a trusted click) brings a working one.
    ff.driver.switch_to.window(tab_a)
    ff.trusted_click(tab_overlays(ff)[0], "[data-kf-action=reload-panel]")
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the panel back, with Fill", 15)
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "the fill after the reload")


def test_extension_reloaded_while_page_open_leaves_one_working_panel(firefox):
    """Firefox destroys a reloaded add-on's content scripts at once (their code cannot clean up) and
    injects the new agent into the open tab, which removes what the old one left and draws one panel."""
    ff = firefox
    ff.get(SF_EDIT)
    ff.overlay_state(ff.overlay_context())
    wait_for(lambda: keyferry_elements(ff) == 2, "the panel and the marker layer")
    old = set(tab_overlays(ff))
    overlay = next(iter(old))
    res = ff.driver.script._evaluate("window.open(browser.runtime.getURL('popup.html')) ? true : false",
                                     {"context": overlay}, False, user_activation=True)
    assert not res.exception_details, res.exception_details
    ctx = wait_for(lambda: next((i.context for i, _ in ff.contexts() if i.url and i.url.endswith("/popup.html")), None),
                   "the extension page tab")
    ff.driver.script._evaluate("browser.runtime.reload()", {"context": ctx}, False)
    # The new agent: one panel (a new overlay context), the old elements gone.
    wait_for(lambda: (c := tab_overlays(ff)) and not (set(c) & old) and c, "a new panel", 20)
    wait_for(lambda: page_js(ff, "document.querySelectorAll('keyferry-overlay').length") == 1, "exactly one panel", 10)
    state = ff.overlay_state(rendered_overlay(ff))
    assert state["page"] == "salesforce.connected_app.edit"
    assert page_js(ff, "document.querySelectorAll('keyferry-marks').length") <= 1



# ------------------------------------------------ bounded work on hostile DOMs (issue 13 §4)

PUSHFLOOD = "https://acme-admin.okta.com/assets/pushflood?kfhostile=pushflood"


def test_nested_hidden_labels_panel_appears_page_runs_token_value_too_large(ff, visit):
    visit(f"{TOKENS}?kfhostile=labels")
    state = ff.overlay_state(ff.overlay_context(timeout=30), timeout=30)
    assert state["page"] == "okta.api.tokens"
    t0 = hostile(ff)["ticks"]
    wait_for(lambda: hostile(ff)["ticks"] >= t0 + 10, "the page's own 100 ms timer to keep running", 20)
    create_token(ff)
    item = """(() => { const el = document.querySelector('[data-kf-item="okta.token.created"]');
        return el && { status: el.dataset.kfStatus, message: el.querySelector('.kf-message')?.textContent ?? null }; })()"""
    got = wait_for(lambda: (i := overlay_js(ff, item)) and "too large" in (i.get("message") or "") and i,
                   "the Token Value item to say the page is too large", 20)
    assert got == {"status": "unknown",
                   "message": 'This page is too large for keyferry to read "Token Value" safely; it is left unchecked.'}, got
    assert overlay_js(ff, "document.querySelectorAll('[data-kf-action=capture]').length") == 0, "no Capture offered"


def test_pushstate_flood_in_50_frames_few_hellos_and_another_tabs_fill_works(ff, visit):
    visit(SF_EDIT)
    b = ff.top_context()
    ff.overlay_state(ff.overlay_context())
    wait_for(lambda: overlay_js(ff, f"!!document.querySelector('{FILL_OVERWRITE}')"), "the Fill button")
    assert field_value(ff, CALLBACK_ID) != OKTA_CALLBACK
    # Every hello the agents send reaches the extension's pages too: count them in one.
    counter = ff.open_extension_page("popup.html")
    ff.evaluate(counter, """(() => { globalThis.__hellos = {}; globalThis.__last = {};
        browser.runtime.onMessage.addListener((m, s) => {
          const h = m && m.msg && m.msg.hello;
          if (!h || !String(s.url).includes('kfhostile=pushframe')) return;
          const k = `${s.tab && s.tab.id}:${s.frameId}`;
          globalThis.__hellos[k] = (globalThis.__hellos[k] || 0) + 1;
          globalThis.__last[k] = h.url;
        }); return true; })()""")
    ff.driver.switch_to.new_window("tab")
    a = ff.top_context()
    ff.get(PUSHFLOOD)

    def pushes():
        return ff.evaluate_json(a, "window.__kfHostile ? window.__kfHostile.pushes : 0")
    wait_for(lambda: pushes() > 500, "the frames to flood pushState", 20)
    # Tab B's panel acts while tab A floods (a condition with a generous deadline, not a timing).
    ff.driver.switch_to.window(b)
    ff.trusted_click(rendered_overlay(ff), FILL_OVERWRITE)
    wait_for(lambda: field_value(ff, CALLBACK_ID) == OKTA_CALLBACK, "tab B's Fill during the flood", 20)
    ff.driver.switch_to.window(a)  # (a background tab's timers run once a second: the flood would crawl)
    wait_for(lambda: pushes() == 50 * 200, "all 10,000 pushState calls", 60)

    def reported():
        r = ff.evaluate_json(counter, "({ hellos: globalThis.__hellos, last: globalThis.__last })")
        return r if len(r["last"]) == 50 and all(u.endswith("n=199") for u in r["last"].values()) else None
    seen = wait_for(reported, "each of the 50 frames to report its final URL", 60, interval=0.5)
    counts = list(seen["hellos"].values())
    print(f"pushState flood: 10000 pushState calls in 50 frames -> {sum(counts)} hellos (per frame max {max(counts)})")
    assert max(counts) <= 40, f"at most 40 hellos per frame for 200 URL changes (got {counts})"
