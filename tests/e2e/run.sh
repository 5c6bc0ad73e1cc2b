#!/usr/bin/env bash
# Run keyferry's end-to-end tests: one Node suite (node:test) whose scenarios run in
# each browser of KF_BROWSERS (default chromium,firefox; lib/driver.mjs). Prints the
# scenario counts per browser and the scenarios that run in one browser only
# (exceptions), with the reason.
#   tests/e2e/run.sh            from anywhere; works from the repo root
# Needs: dist/chrome + dist/firefox (./build.sh), tests/e2e/node_modules, python3 (the fixture server),
# geckodriver (~/.cargo/bin/geckodriver or $GECKODRIVER), root (Firefox fixtures use port 443:
# the run goes into a private network namespace when it can, so that port is its own).
# Env: KF_BROWSERS, KF_E2E_SERIAL=1 (browsers one after the other), KF_DIST_CHROME / KF_DIST_FIREFOX (extension dirs), KF_E2E_VERBOSE=1 (server request log).
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

BROWSER_LIST="${KF_BROWSERS:-chromium,firefox}"
# One node process per browser, side by side (2 cores: one browser each, and each
# browser mostly waits on its pages). KF_E2E_SERIAL=1 runs them one after the other.
# Within a process the test files run one at a time. Every output line is prefixed
# with its browser; the spec reporter prints each scenario and a final
# "ℹ tests/pass/fail/skipped" summary per browser.
run_browser() { # <browser>
  KF_BROWSERS="$1" node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs 2>&1 | sed -u "s/^/[$1] /"
  return "${PIPESTATUS[0]}"
}
start=$SECONDS
node_rc=0
IFS=, read -r -a browsers <<< "$BROWSER_LIST"
if [ "${#browsers[@]}" -gt 1 ] && [ -z "${KF_E2E_SERIAL:-}" ]; then
  echo "== node --test tests/e2e/*.test.mjs, browsers side by side: ${browsers[*]}"
  pids=()
  for b in "${browsers[@]}"; do run_browser "$b" & pids+=("$!"); done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"; rc=$?
    echo "== node (${browsers[$i]}): exit $rc"
    [ "$rc" = 0 ] || node_rc=$rc
  done
else
  echo "== node --test tests/e2e/*.test.mjs, browsers one after the other: ${browsers[*]}"
  for b in "${browsers[@]}"; do
    run_browser "$b"; rc=$?
    echo "== node ($b): exit $rc"
    [ "$rc" = 0 ] || node_rc=$rc
  done
fi
echo "== node: exit $node_rc ($((SECONDS - start)) s)"
[ "$node_rc" = 0 ] || status=1
node tests/e2e/lib/summary.mjs

if [ "$status" = 0 ]; then echo "e2e: all passed"; else echo "e2e: FAILED (node exit $node_rc)"; fi
exit "$status"
