"""The overlay panel's own controls, in Firefox: collapse, dock, dismiss, and
that a synthetic (untrusted) click inside the overlay does nothing."""

from __future__ import annotations

import time

TOKENS_URL = "https://acme-admin.okta.com/admin/access/api/tokens"
SF_EDIT_URL = "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial"
HOST_RECT = """(() => { const h = document.querySelector('keyferry-overlay'); if (!h) return null;
  const r = h.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })()"""


def host_rect(firefox):
    return firefox.evaluate_json(firefox.top_context(), HOST_RECT)


def wait_for(fn, what, timeout=5.0):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = fn()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def items(firefox, ctx):
    return firefox.overlay_state(ctx)["items"]


def test_collapse_and_expand(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    opened = wait_for(lambda: (r := host_rect(firefox)) and r["h"] > 100 and r, "an open panel")
    firefox.trusted_click(ctx, "[data-kf-action=collapse]")
    closed = wait_for(lambda: (r := host_rect(firefox)) and r["h"] < 90 and r, "a collapsed panel")
    assert closed["h"] < opened["h"]
    firefox.trusted_click(ctx, "[data-kf-action=collapse]")
    wait_for(lambda: (r := host_rect(firefox)) and r["h"] > 100, "the panel to open again")
    assert items(firefox, ctx)


def test_dock_moves_to_next_corner_and_the_next_page_of_that_console_opens_there(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    assert wait_for(lambda: host_rect(firefox), "the panel")["x"] > 600
    firefox.trusted_click(ctx, "[data-kf-action=dock]")
    moved = wait_for(lambda: (r := host_rect(firefox)) and r["x"] < 100 and r, "the top-left corner")
    assert moved["y"] < 100
    # Another Okta page opens in the corner chosen on this console; a Salesforce page does not.
    firefox.driver.switch_to.new_window("tab")
    firefox.get(TOKENS_URL)
    firefox.overlay_state(firefox.overlay_context())
    there = wait_for(lambda: host_rect(firefox), "the panel in the new tab")
    assert there["x"] < 100 and there["y"] < 100, there
    firefox.get(SF_EDIT_URL)
    firefox.overlay_state(firefox.overlay_context())
    sf = wait_for(lambda: host_rect(firefox), "the panel on Salesforce")
    assert sf["x"] > 600 and sf["y"] < 100, sf


def test_untrusted_click_ignored_then_dismiss(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    firefox.evaluate(ctx, "document.querySelector('[data-kf-action=dismiss]').click()")
    time.sleep(0.8)
    assert host_rect(firefox), "a script click must not dismiss the overlay"
    firefox.trusted_click(ctx, "[data-kf-action=dismiss]")
    wait_for(lambda: host_rect(firefox) is None, "the overlay to go away")
