"""The overlay panel's own controls, in Firefox: collapse, dock, dismiss, and
that a synthetic (untrusted) click inside the overlay does nothing."""

from __future__ import annotations

import time

TOKENS_URL = "https://acme-admin.okta.com/admin/access/api/tokens"
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


def test_dock_moves_to_next_corner(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    assert wait_for(lambda: host_rect(firefox), "the panel")["x"] > 600
    firefox.trusted_click(ctx, "[data-kf-action=dock]")
    moved = wait_for(lambda: (r := host_rect(firefox)) and r["x"] < 100 and r, "the top-left corner")
    assert moved["y"] < 100


def test_untrusted_click_ignored_then_dismiss(firefox):
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context()
    firefox.overlay_state(ctx)
    firefox.evaluate(ctx, "document.querySelector('[data-kf-action=dismiss]').click()")
    time.sleep(0.8)
    assert host_rect(firefox), "a script click must not dismiss the overlay"
    firefox.trusted_click(ctx, "[data-kf-action=dismiss]")
    wait_for(lambda: host_rect(firefox) is None, "the overlay to go away")
