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


def test_dock_goes_round_the_four_corners_a_bottom_corner_by_the_panels_bottom_edge(firefox):
    # Round the cycle (top-right -> top-left -> bottom-left -> bottom-right -> top-right). In a bottom corner the
    # panel's bottom edge sits 12 px above the viewport's, whatever the panel's height.
    firefox.get(SF_EDIT_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    assert wait_for(lambda: host_rect(firefox), "the panel")["x"] > 600
    vh = firefox.evaluate_json(firefox.top_context(), "innerHeight")
    corners = []
    for i in range(4):
        last = host_rect(firefox)
        firefox.trusted_click(ctx, "[data-kf-action=dock]")
        corners.append(wait_for(lambda: (r := host_rect(firefox)) and r != last and r, f"dock {i + 1}", timeout=10))
    tl, bl, br, tr = corners
    assert tl["x"] < 100 and tl["y"] < 100, tl
    assert bl["x"] < 100 and abs(bl["y"] + bl["h"] - (vh - 12)) <= 1, (bl, vh)
    assert br["x"] > 600 and abs(br["y"] + br["h"] - (vh - 12)) <= 1, (br, vh)
    assert tr["x"] > 600 and tr["y"] < 100, tr


def test_in_a_small_window_the_panel_is_never_taller_than_the_viewport(firefox):
    firefox.get(TOKENS_URL)
    firefox.overlay_state(firefox.overlay_context())
    wait_for(lambda: (r := host_rect(firefox)) and r["h"] > 300 and r, "the open panel")
    size = firefox.driver.get_window_size()
    try:
        firefox.driver.set_window_size(1000, 460)
        vh = wait_for(lambda: (h := firefox.evaluate_json(firefox.top_context(), "innerHeight")) and h < 460 and h, "the smaller viewport")
        r = wait_for(lambda: (r := host_rect(firefox)) and r["h"] <= vh - 24 and r, "the panel clamped to the viewport")
        assert r["y"] >= 0 and r["y"] + r["h"] <= vh, (r, vh)
    finally:
        firefox.driver.set_window_size(size["width"], size["height"])


def test_untrusted_click_ignored_then_dismiss(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    firefox.evaluate(ctx, "document.querySelector('[data-kf-action=dismiss]').click()")
    time.sleep(0.8)
    assert host_rect(firefox), "a script click must not dismiss the overlay"
    firefox.trusted_click(ctx, "[data-kf-action=dismiss]")
    wait_for(lambda: host_rect(firefox) is None, "the overlay to go away")
