#!/usr/bin/env bash
# Run keyferry's end-to-end tests: one Node suite (node:test) whose scenarios run in
# each browser of KF_BROWSERS (default chromium,firefox; lib/driver.mjs). Prints the
# scenario counts per browser and the scenarios that run in one browser only
# (exceptions), with the reason.
#   tests/e2e/run.sh            from anywhere; works from the repo root
# Needs: dist/chrome + dist/firefox (./build.sh), tests/e2e/node_modules, python3 (the fixture server),
# geckodriver (~/.cargo/bin/geckodriver or $GECKODRIVER), root (Firefox fixtures use port 443:
# the run goes into a private network namespace when it can, so that port is its own).
# Env: KF_BROWSERS, KF_DIST_CHROME / KF_DIST_FIREFOX (extension dirs), KF_E2E_VERBOSE=1 (server request log).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

missing=0
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/selenium-webdriver ]; then
  echo "run.sh: tests/e2e/node_modules missing; install with: (cd tests/e2e && npm ci)" >&2
  missing=1
fi
if ! command -v python3 >/dev/null; then
  echo "run.sh: python3 missing (the fixture server, tests/e2e/fixture_server.py, is Python)" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 2

# A private network namespace (loopback only) when we may make one: port 443 and the
# fixture hosts are then this run's alone.
if [ -z "${KF_E2E_IN_NETNS:-}" ] && unshare -n true 2>/dev/null; then
  exec unshare -n env KF_E2E_IN_NETNS=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi

status=0
rm -rf tests/e2e/.out/scenarios

echo "== node --test tests/e2e/*.test.mjs (browsers: ${KF_BROWSERS:-chromium,firefox})"
start=$SECONDS
# One test file at a time (2 cores; one browser at a time). The spec reporter prints
# each scenario per browser and the final "ℹ tests/pass/fail/skipped" summary.
node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs
node_rc=$?
echo "== node: exit $node_rc ($((SECONDS - start)) s)"
[ "$node_rc" = 0 ] || status=1
node tests/e2e/lib/summary.mjs

if [ "$status" = 0 ]; then echo "e2e: all passed"; else echo "e2e: FAILED (node exit $node_rc)"; fi
exit "$status"
