"""Enterprise presets in Firefox, with a real policy: Firefox runs in a private
mount namespace whose distribution/policies.json sets keyferry's storage.managed
("3rdparty" -> "Extensions" -> the add-on id; tests/e2e/tools/with-policy.sh;
nothing outside that browser process sees the file). Managed values win over
the admin's own, and the options page shows them as set by the administrator."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import lib.firefox as firefox_lib
from lib.firefox import FirefoxSession
from test_popup_options import exists, js, new_tab, open_ext, overlay_ctx_of, text, until, click, type_into

DIST = Path("/usr/lib/firefox-esr/distribution")
WRAPPER = Path(__file__).resolve().parent / "tools" / "with-policy.sh"


@pytest.fixture
def managed_ff(fixture_server, request, monkeypatch):
    if os.getuid() != 0:
        pytest.skip("needs root for the private mount")
    policy_dir = Path(tempfile.mkdtemp(prefix="kf-policy-"))
    if DIST.is_dir():
        shutil.copytree(DIST, policy_dir, dirs_exist_ok=True)
    (policy_dir / "policies.json").write_text(json.dumps({"policies": {"3rdparty": {"Extensions": {
        "keyferry@keyferry.dev": {
            "data_center": "jp",
            "custom_hosts": [{"kind": "okta_admin", "host": "admin.acme-corp.example"},
                             {"kind": "jira", "host": "x.example.com"}],
        }}}}}))
    monkeypatch.setenv("KF_POLICY_DIR", str(policy_dir))
    monkeypatch.setenv("KF_POLICY_MOUNT", str(DIST))
    monkeypatch.setenv("KF_POLICY_BROWSER", firefox_lib.FIREFOX_BIN)
    monkeypatch.setattr(firefox_lib, "FIREFOX_BIN", str(WRAPPER))
    session = FirefoxSession.start(fixture_server)
    yield session
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\nsnapshot: {session.snapshot(request.node.name)}")
    session.quit()
    shutil.rmtree(policy_dir, ignore_errors=True)


def test_managed_values_win_and_show_as_set_by_the_administrator(managed_ff):
    ff = managed_ff
    opts = open_ext(ff, "options.html", "[data-kf-managed=data_center]")
    assert js(ff, opts, "document.querySelector('#kf-dc').value") == "jp"
    assert js(ff, opts, "document.querySelector('#kf-dc').disabled") is True
    assert "administrator" in text(ff, opts, "[data-kf-managed=data_center]")
    assert js(ff, opts, "document.querySelector('#kf-minutes').disabled") is False
    li = 'li[data-kf-host="admin.acme-corp.example"]'
    assert exists(ff, opts, f"{li}[data-kf-granted=false]")
    assert not exists(ff, opts, f"{li} [data-kf-action=remove-host]")
    assert exists(ff, opts, f"{li} [data-kf-action=grant]")
    # Firefox does not validate against a schema: keyferry ignores the bad entry and says so.
    assert "administrator policy" in text(ff, opts, "section[aria-labelledby=kf-problems-h]")
    type_into(ff, opts, "#kf-minutes", "20")
    click(ff, opts, "[data-kf-action=save]")
    until(lambda: text(ff, opts, "[data-kf-notice]") == "Saved.", "saved")
    assert js(ff, opts, "document.querySelector('#kf-dc').value") == "jp"
    local = js(ff, opts, "browser.storage.local.get('settings')")["settings"]
    assert local["custom_hosts"] == [] and local["data_center"] is None and local["vault_minutes"] == 20
    wizard = new_tab(ff, "https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial")

    def redirect():
        ctx = overlay_ctx_of(ff, wizard)
        return ctx and text(ff, ctx, "[data-kf-field=redirect_uri] code")

    assert until(redirect, "the redirect URI row") == "https://app.jp.workato.com/oauth/callback"
