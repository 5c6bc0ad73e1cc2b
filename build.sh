#!/usr/bin/env bash
# keyferry build script.
#   ./build.sh            build dist/chrome and dist/firefox
#   ./build.sh test       install what is missing, then run every test
#   ./build.sh demo       launch Chromium with the extension on the bundled demo consoles
#   ./build.sh bench      size and speed report (6-8 min on 2 cores; --full: 9 loads per page and browser, ~20 min)
#   ./build.sh package    dist/keyferry-chrome.zip, dist/keyferry-firefox.zip, dist/keyferry-source.zip
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
DIST=$ROOT/dist
TOOLS=$ROOT/.tools
TARGET=wasm32-unknown-unknown
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m (at %d:%02d)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)) >&2; }  # (at m:ss since build.sh started)
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- installs
# Each install runs only when the thing is missing, and fails with a clear
# message when it cannot (not root, not Debian, no registry).

wasm_bindgen_version() { # the exact version pinned in Cargo.lock
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock
}

ensure_rust_target() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    say "installing the rustup target $TARGET"
    rustup target add "$TARGET" || die "could not add the $TARGET target with rustup"
  fi
}

ensure_wasm_bindgen() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want; want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "wasm-bindgen is not in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (the lockfile's version; takes a few minutes)"
    # No --locked: the registry mirror lags behind some of the CLI's pins.
    cargo install wasm-bindgen-cli --version "$want" || die "could not install wasm-bindgen-cli $want"
  fi
}

apt_install() { # apt_install PKG... (Debian only, as root)
  command -v apt-get >/dev/null || die "missing $*: install them with your package manager (this script knows apt-get only)"
  [ "$(id -u)" = 0 ] || die "missing $*: run 'sudo apt-get install -y $*' or run this script as root"
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

ensure_chromium() { # enough for the demo and the page-cost bench
  command -v chromium >/dev/null || apt_install chromium
}

ensure_browsers() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v xvfb-run >/dev/null || missing+=(xvfb)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver (cargo install; takes a few minutes)"
    cargo install geckodriver --version 0.37.1 || die "could not install geckodriver"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    say "installing npm test packages (tests/e2e/package-lock.json)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tests/e2e"
  fi
}

ensure_all() {
  ensure_rust_target
  ensure_wasm_bindgen
  ensure_browsers
  ensure_node_packages
}

# ---------------------------------------------------------------- build

# The wasm must not depend on where the source or the cargo home is: panic
# locations name files, so absolute prefixes are mapped to fixed ones (the
# crate's own files are already relative). Same source + same toolchain
# (TOOLCHAIN.txt in the source zip) -> same bytes, in any directory.
reproducible_rustflags() {
  local cargo_home=${CARGO_HOME:-$HOME/.cargo}
  local flags=() f out=""
  [ -n "${RUSTFLAGS:-}" ] && read -r -a flags <<< "$RUSTFLAGS"
  flags+=("--remap-path-prefix=$cargo_home=/cargo" "--remap-path-prefix=$ROOT=/keyferry")
  for f in "${flags[@]}"; do out+="${out:+$'\x1f'}$f"; done
  printf '%s' "$out"
}

# One wasm module per extension context, each with only its own exports (the
# ctx-* cargo features), so LTO leaves out what the others need: the overlay
# shown on every console page carries no catalog, validators or vault.
#   background: service worker / event page   overlay: the checklist iframe
#   pages: the popup and the options page
MODULES=(background overlay pages)

# The page agent is written by job in extension/agent/ and shipped as two
# content scripts: agent.js, the bootstrap (the static content script, and
# the one custom hosts register by that name), and agent-main.js (the rest,
# one function, which the background injects into a frame when it answers its
# hello with specs). tests/static/agent_parts.test.mjs checks that every file
# there is listed here, once.
AGENT_BOOT=(bootstrap)
AGENT_MAIN=(spec fill ui signature lifecycle)
assemble_agent() { # assemble_agent OUTDIR
  local p
  {
    echo "// keyferry page agent, bootstrap: assembled by build.sh from extension/agent/ (edit those files, not this one)."
    echo "(() => {"
    echo "  'use strict';"
    for p in "${AGENT_BOOT[@]}"; do echo; cat "extension/agent/$p.js"; done
    echo "})();"
  } > "$1/agent.js"
  {
    echo "// keyferry page agent, main part: assembled by build.sh from extension/agent/ (edit those files, not this one)."
    echo "// Injected by the background into a candidate frame; defines one function of the extension's isolated world."
    echo "var keyferryAgentMain = typeof keyferryAgentMain === 'function' ? keyferryAgentMain : (boot) => {"
    echo "  'use strict';"
    echo "  const { api, V, state, send, alive, busyRetry, urlChanged, teardown, coalesce } = boot;"
    for p in "${AGENT_MAIN[@]}"; do echo; cat "extension/agent/$p.js"; done
    echo "};"
  } > "$1/agent-main.js"
}

build() {
  ensure_rust_target
  ensure_wasm_bindgen
  command -v node >/dev/null || die "node not found (needed to write the per-browser manifests)"
  rm -rf "$DIST/.pkg" "$DIST/chrome" "$DIST/firefox"
  mkdir -p "$DIST/.pkg"
  local m
  for m in "${MODULES[@]}"; do
    say "building the wasm core for the $m context (release)"
    # Same flags for every module; dependencies are built once and shared. The
    # crate itself is recompiled (+ LTO, ~14 s) for each: the cdylib output has
    # no per-feature hash, so each build replaces the previous one's.
    CARGO_ENCODED_RUSTFLAGS=$(reproducible_rustflags) \
      cargo build --release --lib --target "$TARGET" --quiet --no-default-features --features "ctx-$m"
    # The cdylib's path is the same for every feature set: bind it before the next build.
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
      --out-name "keyferry_$m" --out-dir "$DIST/.pkg" "target/$TARGET/release/keyferry.wasm"
    if [ -n "${KF_KEEP_NAMES:-}" ]; then # ./build.sh bench: a copy with names, for twiggy
      mkdir -p "$DIST/.pkg-names"
      wasm-bindgen --target web --no-typescript \
        --out-name "keyferry_$m" --out-dir "$DIST/.pkg-names" "target/$TARGET/release/keyferry.wasm"
    fi
  done
  for browser in chrome firefox; do
    local out="$DIST/$browser"
    mkdir -p "$out/pkg"
    cp extension/*.js extension/*.html extension/*.css "$out/"
    assemble_agent "$out"
    cp -r extension/icons extension/_locales "$out/"
    [ "$browser" = chrome ] && cp extension/managed_schema.json "$out/" # Firefox: policies.json instead
    for m in "${MODULES[@]}"; do
      cp "$DIST/.pkg/keyferry_$m.js" "$DIST/.pkg/keyferry_${m}_bg.wasm" "$out/pkg/"
    done
    # Firefox has no offscreen documents (its event page clears the clipboard itself).
    [ "$browser" = firefox ] && rm -f "$out/offscreen.html" "$out/offscreen.js"
    node extension/tools/manifest.mjs "$browser" manifest.json "$out/manifest.json"
  done
  local sizes=""
  for m in "${MODULES[@]}"; do sizes+=" $m $(wc -c < "$DIST/chrome/pkg/keyferry_${m}_bg.wasm")"; done
  say "built $DIST/chrome and $DIST/firefox (wasm bytes:$sizes)"
}

# ---------------------------------------------------------------- test

test_native() {
  say "native tests (cargo test)"
  cargo test --quiet 2>&1 | tee "$DIST/.native-tests.log" | grep -E '^(test result|running|error|failures|---- )' || true
  [ "${PIPESTATUS[0]}" = 0 ] || die "native tests failed (see $DIST/.native-tests.log)"
}

test_wasm() { # wasm-bindgen-test in headless Chromium, then headless Firefox
  local runner; runner=$(command -v wasm-bindgen-test-runner)
  say "wasm tests in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$runner CHROMEDRIVER=$(command -v chromedriver) \
    cargo test --target "$TARGET" --test web
  say "wasm tests in headless Firefox"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$runner GECKODRIVER=$(command -v geckodriver) \
    cargo test --target "$TARGET" --test web
}

test_lint() {
  say "web-ext lint on dist/firefox"
  node tests/e2e/node_modules/web-ext/bin/web-ext.js lint --source-dir "$DIST/firefox" --output json --no-input \
    > "$DIST/.web-ext-lint.json" || true
  node tests/static/lint_report.mjs "$DIST/.web-ext-lint.json"
}

test_static() {
  say "static checks (manifest, no HTML sinks)"
  node --test tests/static/
}

test_fuzz_smoke() { # libFuzzer via cargo-fuzz; stable rustc accepts its -Z flags with RUSTC_BOOTSTRAP=1
  if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz (takes a few minutes)"
    cargo install cargo-fuzz --version 0.13.2 || die "could not install cargo-fuzz"
  fi
  local secs=${KF_FUZZ_SECONDS:-5}
  say "fuzz smoke (${secs} s per target)"
  local t
  for t in $(cd fuzz && cargo fuzz list); do
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -- -max_total_time="$secs" -print_final_stats=1 2>&1 \
      | grep -E '^(stat::number_of_executed_units|Done|==[0-9]+==ERROR|SUMMARY)' | sed "s/^/  $t: /") \
      || die "fuzz target $t failed"
  done
}

test_package() { # zip contents, two identical runs, byte-identical rebuild from the source zip
  package_dist # run_tests built dist/ just before (same flags as package); check.sh builds again
  say "packaging checks (reproducible zips, rebuild from keyferry-source.zip)"
  bash tests/package/check.sh
}

test_e2e() {
  say "end-to-end tests in Chromium and Firefox"
  bash tests/e2e/run.sh
}

run_tests() {
  ensure_all
  mkdir -p "$DIST"
  test_native
  test_wasm
  build
  test_static
  test_lint
  test_package
  test_fuzz_smoke
  test_e2e
  say "all tests passed"
}

# ---------------------------------------------------------------- bench

gz() { gzip -9 -c "$1" | wc -c; }

bench() { # bench [--full]
  local full=""
  case "${1:-}" in --full) full=1 ;; "") ;; *) die "unknown bench option '$1' (--full)" ;; esac
  ensure_chromium
  ensure_node_packages
  rm -rf "$DIST/.pkg-names"
  KF_KEEP_NAMES=1 build
  say "size report"
  printf '%-34s %10s %10s\n' file raw gzip-9
  for f in "$DIST"/chrome/pkg/*.wasm "$DIST"/chrome/pkg/*.js "$DIST"/chrome/*.js; do
    printf '%-34s %10d %10d\n' "${f#"$DIST"/chrome/}" "$(wc -c < "$f")" "$(gz "$f")"
  done
  # Issue 15's budgets (gzip -9 of the wasm module; popup and options share "pages").
  local m budget size
  for m in background:100 overlay:40 pages:60; do
    budget=$((${m#*:} * 1024)) size=$(gz "$DIST/chrome/pkg/keyferry_${m%%:*}_bg.wasm")
    printf 'wasm budget %-12s %8d of %8d bytes gzip-9 (%s)\n' "${m%%:*}" "$size" "$budget" \
      "$([ "$size" -le "$budget" ] && echo within || echo "over by $((size - budget))")"
  done
  if command -v twiggy >/dev/null; then
    local m
    for m in "${MODULES[@]}"; do
      say "wasm code size by crate, $m module (twiggy, before name stripping)"
      twiggy top -n 100000 --format csv "$DIST/.pkg-names/keyferry_${m}_bg.wasm" | python3 extension/tools/wasm_by_crate.py
    done
  else
    say "(install twiggy with 'cargo install twiggy' for a per-crate breakdown)"
  fi
  say "native core benchmarks"
  cargo bench --quiet --bench core
  say "page cost in Chromium (with the extension vs without)"
  KF_BENCH_FULL=$full node tests/e2e/bench.mjs
}

# ---------------------------------------------------------------- package

# What the source zip holds: everything the Firefox package is built from, and
# nothing else (no target/, node_modules, tests or fixtures).
SOURCE_FILES=(BUILD.md README.md Cargo.toml Cargo.lock build.sh manifest.json src extension benches)

toolchain_note() { # the versions the packages were built with, for AMO reviewers
  printf 'keyferry %s was packaged with:\n' "$(node -p 'require("./manifest.json").version')"
  printf '  %s\n' "$(rustc -V)" "$(cargo -V)" "$(wasm-bindgen --version)" "node $(node --version)" \
    "$(python3 -c 'import sys, zlib; print("python", sys.version.split()[0], "zlib", zlib.ZLIB_RUNTIME_VERSION)')"
  printf 'Rebuild with: ./build.sh package  (see BUILD.md); dist/keyferry-firefox.zip is then byte-identical.\n'
}

package() {
  build
  package_dist
}

package_dist() { # the zips, from the dist/ that build() just wrote
  say "packaging"
  command -v python3 >/dev/null || die "python3 not found (needed to write the zips)"
  rm -f "$DIST"/keyferry-*.zip
  python3 extension/tools/zipdir.py "$DIST/chrome" "$DIST/keyferry-chrome.zip"
  python3 extension/tools/zipdir.py "$DIST/firefox" "$DIST/keyferry-firefox.zip"
  rm -rf "$DIST/.src" && mkdir -p "$DIST/.src"
  toolchain_note > "$DIST/.src/TOOLCHAIN.txt"
  local f
  for f in "${SOURCE_FILES[@]}"; do [ -e "$f" ] || die "source file $f is missing"; done
  python3 extension/tools/zipdir.py --from "$ROOT" "$DIST/keyferry-source.zip" "${SOURCE_FILES[@]}" \
    "TOOLCHAIN.txt=$DIST/.src/TOOLCHAIN.txt"
  local z
  for z in "$DIST"/keyferry-{chrome,firefox,source}.zip; do
    printf '%-44s %8d bytes  sha256 %s\n' "${z#"$ROOT"/}" "$(wc -c < "$z")" "$(sha256sum "$z" | cut -d' ' -f1)"
  done
}

# ---------------------------------------------------------------- demo

demo() {
  ensure_chromium
  ensure_node_packages
  build
  bash tests/e2e/demo.sh
}

case "${1:-build}" in
  build) build ;;
  test) run_tests ;;
  bench) bench "${2:-}" ;;
  package) package ;;
  demo) demo ;;
  *) die "unknown command '$1' (build | test | demo | bench | package)" ;;
esac
