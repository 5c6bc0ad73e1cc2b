"""pytest fixtures of the Firefox e2e rig (helpers live in tests/e2e/lib/firefox.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lib.firefox import FirefoxSession, FixtureServer  # noqa: E402

# npm's tree lives here; never collect from it.
collect_ignore = ["node_modules", ".out"]


@pytest.fixture(scope="session")
def fixture_server():
    """HTTPS fixture server on 443 (Firefox maps hosts to loopback on the URL's own port)."""
    with FixtureServer(port=443) as server:
        yield server


@pytest.fixture
def firefox(fixture_server, request):
    """A fresh headless Firefox ESR with dist/firefox installed as a temporary add-on."""
    session = FirefoxSession.start(fixture_server)
    yield session
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\nsnapshot: {session.snapshot(request.node.name)}")
    session.quit()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    if rep.when == "call":
        item.rep_call = rep
    return rep
