"""Firefox end-to-end tests of keyferry on the console-page replicas, data-driven from
tests/e2e/pages.json (the Chromium twin is tests/e2e/pages.test.mjs).

Run from the repo root: .tools/venv/bin/python -m pytest -q tests/e2e/test_pages.py   (or tests/e2e/run.sh)

 1. every replica state: the page id, every item's data-kf-status and data-kf-progress
 2. decoys: no overlay context within 3 s, nothing logged
 3. live update with real input (WebDriver element click / key input), one page per console
 4. SPA navigation: Okta app tabs (hash) and the Create App Integration route
 5. the Lightning wrapper: the overlay lives in the cross-origin iframe
 6. the re-rendered Visualforce form keeps tracking input
One Firefox for the whole module; every case opens its own tab (the overlay keeps the
picked integration per tab).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lib.firefox import (
    FirefoxSession,
    click,
    fill,
    open_in_new_tab,
    overlay_parent_url,
    overlay_pick,
    read_overlay_state,
    select_value,
    serve_fixture_pages,
    wait_for_overlay,
)

DATA = json.loads((Path(__file__).resolve().parent / "pages.json").read_text(encoding="utf-8"))
SETTLE_S = 2.0
CASES = [(r, name) for r in DATA["replicas"] for name in r["states"]]
MARK_JS = "document.documentElement.setAttribute('data-kf-no-reload', '1')"
NO_RELOAD_JS = "return document.documentElement.getAttribute('data-kf-no-reload') === '1'"


@pytest.fixture(scope="module")
def ff(fixture_server):
    session = FirefoxSession.start(fixture_server)
    unservable = [s["url"] for r in DATA["replicas"] if r.get("serve_from_disk") for s in r["states"].values()]
    serve_fixture_pages(session, unservable)
    yield session
    session.quit()


@pytest.fixture
def page(ff, request):
    """Per test: open the URL in a fresh tab (via the returned function); snapshot on failure."""
    ff.mark()

    def open_url(url: str) -> None:
        open_in_new_tab(ff, url, before_load=ff.mark)
        ff.driver.execute_script(MARK_JS)

    yield open_url
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\nsnapshot: {ff.snapshot(request.node.name)}")
        errors = ff.errors()
        if errors:
            print("errors:\n  " + "\n  ".join(map(str, errors)))


BROWSER_NOISE = ("resource://", "chrome://", "JSWindowActorChild")


def page_errors(ff):
    """Errors of the pages and the extension. Firefox's own internals are neither: background
    services polling the offline network (resource:// errors) and window actors of the tab
    closed just before (JSWindowActorChild), both printed on stdout."""
    return [e for e in ff.errors() if not any(n in str(e) for n in BROWSER_NOISE)]


def diff(state, page_id, exp):
    if not state:
        return [("(overlay)", page_id, None)]
    out = []
    if state["page"] != page_id:
        out.append(("(page)", page_id, state["page"]))
    got = {i["id"]: i["status"] for i in state["items"]}
    for item, want in exp["items"].items():
        if got.get(item) != want:
            out.append((item, want, got.get(item, "(absent)")))
    out += [(item, "(absent)", st) for item, st in got.items() if item not in exp["items"]]
    if exp.get("progress") and state["progress"] != exp["progress"]:
        out.append(("(progress)", exp["progress"], state["progress"]))
    # "messages": {id: [substrings]}: what the panel says about an item.
    for item, parts in exp.get("messages", {}).items():
        message = next((i.get("message") or "" for i in state["items"] if i["id"] == item), "")
        out += [(f"{item} message", part, message) for part in parts if part not in message]
    return out


def show(d):
    return "; ".join(f"{i}: expected {w}, got {g}" for i, w, g in d)


def settle(ff, replica, exp):
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == replica["page"], timeout=20,
                     what=f"data-kf-page={replica['page']}")
    if replica.get("integration"):
        overlay_pick(ff, replica["integration"])
    deadline = time.monotonic() + SETTLE_S
    matches = 0
    while True:
        d = diff(read_overlay_state(ff), replica["page"], exp)
        matches = 0 if d else matches + 1
        if matches >= 2:
            return []
        if time.monotonic() >= deadline and not matches:
            return d
        time.sleep(0.1)


def expect_items(ff, page_id, items, what):
    return wait_for_overlay(
        ff, lambda s: bool(s) and s["page"] == page_id and all(
            any(i["id"] == k and i["status"] == v for i in s["items"]) for k, v in items.items()),
        timeout=8, what=what)


# ---------------------------------------------------------------------------- 1. every replica state


@pytest.mark.parametrize("replica,state", CASES, ids=[f"{r['id']}-{s}" for r, s in CASES])
def test_replica_state(ff, page, replica, state):
    exp = replica["states"][state]
    page(exp["url"])
    d = settle(ff, replica, exp)
    if replica.get("overlay_host"):
        parent = overlay_parent_url(ff)
        assert parent and urlsplit(parent).hostname == replica["overlay_host"], f"overlay parent document: {parent}"
    # The replicas must stay silent (no CSP violation, no script error): tests/fixtures/README.md.
    assert page_errors(ff) == [], "errors logged"
    if exp.get("known_issue"):
        unexpected = [x for x in d if x[0] not in exp.get("known_issue_items", []) and x[0] != "(progress)"]
        assert unexpected == [], f"differences beyond the known issue: {show(unexpected)}"
        if d:
            pytest.skip(f"known issue ({show(d)}): {exp['known_issue']}")
        print("known issue no longer reproduces: remove known_issue from pages.json")
        return
    assert d == [], show(d)


# ---------------------------------------------------------------------------- 2. decoys


@pytest.mark.parametrize("decoy", DATA["decoys"], ids=[d["id"] for d in DATA["decoys"]])
def test_decoy(ff, page, decoy):
    page(decoy["url"])
    time.sleep(3)
    problems = []
    if ff.overlay_contexts():
        problems.append("overlay context(s) on a non-target page")
    errors = page_errors(ff)
    if errors:
        problems.append("errors logged:\n  " + "\n  ".join(map(str, errors)))
    assert problems == [], decoy["why"]


# ---------------------------------------------------------------------------- 3. live update


@pytest.mark.parametrize("live", DATA["live"], ids=[x["id"] for x in DATA["live"]])
def test_live_update(ff, page, live):
    page(live["url"])
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == live["page"], timeout=20, what=live["page"])
    if live.get("integration"):
        overlay_pick(ff, live["integration"])
    for step in live["steps"]:
        if "fill" in step:
            fill(ff, step["fill"], step["value"])
        elif "click" in step:
            click(ff, step["click"])
        elif "select" in step:
            select_value(ff, step["select"], step["value"])
        expect_items(ff, live["page"], step["expect"], f"{json.dumps(step)}")
    assert ff.driver.execute_script(NO_RELOAD_JS), "the page was not reloaded"


# ---------------------------------------------------------------------------- 4. SPA navigation


def test_spa_okta_app_tabs(ff, page):
    spa = DATA["spa"]["tabs"]
    page(spa["url"])
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == spa["start_page"], timeout=20, what=spa["start_page"])
    for step in spa["sequence"]:
        click(ff, step["click"])
        assert urlsplit(ff.driver.current_url).fragment == step["hash"].lstrip("#")
        if step["page"]:
            wait_for_overlay(ff, lambda s, p=step["page"]: bool(s) and s["page"] == p, timeout=10,
                             what=f"{step['hash']} -> {step['page']}")
        else:
            wait_for_overlay(ff, lambda s: s is None, timeout=10, what=f"{step['hash']} -> no overlay")
    assert ff.driver.execute_script(NO_RELOAD_JS), "tabs switch without reloading"


def test_spa_okta_create_app_integration_dialog(ff, page):
    spa = DATA["spa"]["dialog"]
    page(spa["url"])
    time.sleep(1.5)
    assert ff.overlay_contexts() == [], "the list alone shows no overlay"
    click(ff, spa["click"])
    assert urlsplit(ff.driver.current_url).path == spa["path"]
    state = wait_for_overlay(ff, lambda s: bool(s) and s["page"] == spa["page"], timeout=10, what=spa["page"])
    assert state["items"]
    assert ff.driver.execute_script(NO_RELOAD_JS), "the route changed without a reload"


# ---------------------------------------------------------------------------- 5. Lightning iframe


def test_lightning_wrapper_overlay_in_cross_origin_iframe(ff, page):
    spec = DATA["iframe"]
    replica = next(r for r in DATA["replicas"] if r["id"] == spec["replica"])
    page(spec["url"])
    d = settle(ff, replica, replica["states"][spec["state"]])
    assert d == [], show(d)
    parent = overlay_parent_url(ff)
    assert parent and urlsplit(parent).hostname == spec["frame_host"], f"overlay parent document: {parent}"
    assert ff.driver.execute_script("return document.querySelectorAll('keyferry-overlay').length") == 0, \
        "no overlay host in the Lightning top document"


# ---------------------------------------------------------------------------- 6. re-rendered form


def test_visualforce_rerender_keeps_tracking(ff, page):
    spec = DATA["rerender"]
    page(spec["url"])
    wait_for_overlay(ff, lambda s: bool(s) and s["page"] == spec["page"], timeout=20, what=spec["page"])
    ff.driver.execute_script("document.querySelector(arguments[0]).setAttribute('data-kf-old', '1')", spec["form"])
    click(ff, spec["enable"])
    expect_items(ff, spec["page"], spec["after_enable"], "after Enable OAuth Settings")
    assert ff.driver.execute_script("return document.querySelector(arguments[0]).getAttribute('data-kf-old')",
                                    spec["form"]) is None, "the <form> node was replaced"
    fill(ff, spec["fill"], spec["value"])
    expect_items(ff, spec["page"], spec["after_fill"], "typing into the new form")
    click(ff, spec["toggle"])
    expect_items(ff, spec["page"], spec["after_toggle"], "after a second rerender")
