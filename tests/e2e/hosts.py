"""Fixture hostnames, derived at runtime from the tests/fixtures directory names.

Every directory directly under tests/fixtures whose name looks like a hostname
(contains a dot, does not start with '.' or '_') is a fixture host. Adding a
new host needs no code change: create tests/fixtures/<host>/.

Keep the rule in sync with hosts.mjs (the Chromium half reads the same tree).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parent.parent
FIXTURES_DIR = Path(os.environ.get("KF_FIXTURES_DIR", REPO_ROOT / "tests" / "fixtures")).resolve()

_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def is_host_dir_name(name: str) -> bool:
    return bool(_HOST_RE.match(name))


def fixture_hosts(fixtures_dir: Path | str = FIXTURES_DIR) -> list[str]:
    """Sorted list of fixture hostnames (lowercase, punycode as on disk)."""
    root = Path(fixtures_dir)
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and is_host_dir_name(entry.name)
    )


if __name__ == "__main__":
    print("\n".join(fixture_hosts()))
