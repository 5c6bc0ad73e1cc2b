"""The built extension as Firefox sees it (Chromium: tests/e2e/extension.test.mjs):
the manifest's name, description, toolbar title and shortcut description come out of
_locales/en, every declared icon is served as a PNG of its size, and every message of
messages.json resolves through browser.i18n.getMessage with its placeholders substituted.
Evaluated in the overlay's extension page (moz-extension://…/overlay.html).

Run from the repo root: .tools/venv/bin/python -m pytest -q tests/e2e/test_extension.py
"""

from __future__ import annotations

import json
import re

from lib.firefox import DIST_FIREFOX

TOKENS_URL = "https://acme-admin.okta.com/admin/access/api/tokens"
MESSAGES = json.loads((DIST_FIREFOX / "_locales/en/messages.json").read_text())
MANIFEST = json.loads((DIST_FIREFOX / "manifest.json").read_text())


def expectation(entry: dict) -> tuple[list[str], str]:
    """(substitutions, expected text) from the placeholders' examples."""
    subs: dict[int, str] = {}
    by_name: dict[str, str] = {}
    for name, ph in (entry.get("placeholders") or {}).items():
        subs[int(ph["content"][1:])] = ph["example"]
        by_name[name.lower()] = ph["example"]
    text = re.sub(r"\$([A-Za-z0-9_@]+)\$", lambda m: by_name[m.group(1).lower()], entry["message"]).replace("$$", "$")
    return [subs[i] for i in sorted(subs)], text


def msg_of(value: str) -> str:
    return MESSAGES[re.fullmatch(r"__MSG_(\w+)__", value).group(1)]["message"]


def extension_context(firefox) -> str:
    firefox.get(TOKENS_URL)
    ctx = firefox.overlay_context(timeout=15)
    firefox.overlay_state(ctx, timeout=15)
    return ctx


def test_packaged_extension(firefox):
    """One browser for the three checks (each Firefox start costs ~20 s)."""
    ctx = extension_context(firefox)
    names_come_from_locales(firefox, ctx)
    icons_served_at_their_sizes(firefox, ctx)
    every_message_resolves_with_placeholders(firefox, ctx)


def names_come_from_locales(firefox, ctx):
    seen = json.loads(firefox.evaluate(ctx, """(async () => {
        // Firefox returns the manifest localized (browser.commands and
        // browser.action are not available in this web-accessible frame).
        const self = browser.runtime.getManifest();
        return JSON.stringify({
          name: self.name, description: self.description,
          title: self.action.default_title,
          commands: Object.fromEntries(Object.entries(self.commands).map(([n, c]) => [n, c.description])),
        });
    })()""", await_promise=True))
    assert seen["name"] == msg_of(MANIFEST["name"])
    assert seen["description"] == msg_of(MANIFEST["description"])
    assert seen["title"] == msg_of(MANIFEST["action"]["default_title"])
    for name, c in MANIFEST["commands"].items():
        assert seen["commands"][name] == msg_of(c["description"]), name


def icons_served_at_their_sizes(firefox, ctx):
    icons = dict(MANIFEST["icons"])
    icons.update({f"action {s}": p for s, p in MANIFEST["action"]["default_icon"].items()})
    sizes = json.loads(firefox.evaluate(ctx, f"""(async () => {{
        const out = {{}};
        for (const [k, p] of Object.entries({json.dumps(icons)})) {{
          const r = await fetch(browser.runtime.getURL(p));
          const b = new DataView(await r.arrayBuffer());
          out[k] = r.ok && b.getUint32(0) === 0x89504e47 ? [b.getUint32(16), b.getUint32(20)] : [r.status];
        }}
        return JSON.stringify(out);
    }})()""", await_promise=True))
    for k, size in sizes.items():
        n = int(k.replace("action ", ""))
        assert size == [n, n], f"icon {k} ({icons[k]})"
    assert len(sizes) == len(icons)


def every_message_resolves_with_placeholders(firefox, ctx):
    cases = {k: expectation(e) for k, e in MESSAGES.items()}
    got = firefox.evaluate_json(ctx, f"""Object.fromEntries(Object.entries({json.dumps({k: c[0] for k, c in cases.items()})})
        .map(([k, subs]) => [k, browser.i18n.getMessage(k, subs)]))""")
    for k, (_, want) in cases.items():
        assert got[k] == want, k
