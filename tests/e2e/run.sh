#!/usr/bin/env bash
# Run keyferry's end-to-end tests in both browsers (Chromium first, then Firefox).
#   tests/e2e/run.sh            from anywhere; works from the repo root
# Needs: dist/chrome + dist/firefox (./build.sh), tests/e2e/node_modules, .tools/venv,
# geckodriver (~/.cargo/bin/geckodriver or $GECKODRIVER), root (Firefox fixtures use port 443).
# Env: KF_DIST_CHROME / KF_DIST_FIREFOX (extension dirs), KF_E2E_VERBOSE=1 (server request log).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

missing=0
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  echo "run.sh: tests/e2e/node_modules missing; install with: (cd tests/e2e && npm ci)" >&2
  missing=1
fi
if [ ! -x .tools/venv/bin/python ]; then
  echo "run.sh: .tools/venv missing; install with: python3 -m venv .tools/venv && .tools/venv/bin/pip install -r tests/e2e/requirements.txt" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 2

status=0

echo "== chromium: node --test tests/e2e/*.test.mjs"
start=$SECONDS
# The spec reporter prints each test and the final "ℹ tests/pass/fail" summary.
node --test --test-reporter=spec tests/e2e/*.test.mjs
node_rc=$?
echo "== chromium: exit $node_rc ($((SECONDS - start)) s)"
[ "$node_rc" = 0 ] || status=1

echo "== firefox: .tools/venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e"
start=$SECONDS
.tools/venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e
py_rc=$?
echo "== firefox: exit $py_rc ($((SECONDS - start)) s)"
[ "$py_rc" = 0 ] || status=1

if [ "$status" = 0 ]; then echo "e2e: all passed"; else echo "e2e: FAILED (chromium exit $node_rc, firefox exit $py_rc)"; fi
exit "$status"
