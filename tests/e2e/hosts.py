"""Fixture hostnames, derived at runtime from the tests/fixtures directory names.

Every directory directly under tests/fixtures whose name looks like a hostname
(contains a dot, does not start with '.' or '_') is a fixture host. Adding a
new host needs no code change: create tests/fixtures/<host>/.

Keep the rule in sync with hosts.mjs (the Chromium half reads the same tree).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parent.parent
FIXTURES_DIR = Path(os.environ.get("KF_FIXTURES_DIR", REPO_ROOT / "tests" / "fixtures")).resolve()

_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def is_host_dir_name(name: str) -> bool:
    return bool(_HOST_RE.match(name))


def host_aliases(fixtures_dir: Path | str = FIXTURES_DIR) -> dict[str, str]:
    """tests/fixtures/_aliases.json: alias host -> the host directory it serves
    (a second Workato data center, a lookalike host with a real page)."""
    path = Path(fixtures_dir) / "_aliases.json"
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if is_host_dir_name(k) and is_host_dir_name(v)}


def fixture_hosts(fixtures_dir: Path | str = FIXTURES_DIR) -> list[str]:
    """Sorted list of fixture hostnames (lowercase, punycode as on disk), aliases included."""
    root = Path(fixtures_dir)
    dirs = {entry.name for entry in root.iterdir() if entry.is_dir() and is_host_dir_name(entry.name)}
    return sorted(dirs | {a for a, target in host_aliases(root).items() if target in dirs})


if __name__ == "__main__":
    print("\n".join(fixture_hosts()))
