#!/usr/bin/env bash
# Packaging checks (./build.sh test runs this after ./build.sh package):
#  1. the zips hold what they should (python3 tests/package/contents.py);
#  2. a second `./build.sh package` gives byte-identical zips;
#  3. the source zip, unpacked in a fresh directory and built there with its own
#     target directory and cargo home (only the crate download cache is shared,
#     through a symlink), gives a
#     byte-identical dist/keyferry-firefox.zip (and Chrome zip) — what an AMO
#     reviewer does.
# Env: KF_PACKAGE_KEEP=1 keeps the rebuild directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DIST=$ROOT/dist
ZIPS=(keyferry-chrome.zip keyferry-firefox.zip keyferry-source.zip)

fail() { echo "package check: FAIL: $*" >&2; exit 1; }
for z in "${ZIPS[@]}"; do [ -f "$DIST/$z" ] || fail "dist/$z missing: run ./build.sh package first"; done

echo "== zip contents"
python3 tests/package/contents.py "$DIST"

echo "== sizes and digests"
for z in "${ZIPS[@]}"; do
  printf '  %-22s %8d bytes  sha256 %s\n' "$z" "$(wc -c < "$DIST/$z")" "$(sha256sum "$DIST/$z" | cut -c1-16)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kf-package-XXXXXX")
[ "${KF_PACKAGE_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
mkdir "$work/first"
for z in "${ZIPS[@]}"; do cp "$DIST/$z" "$work/first/"; done

echo "== second ./build.sh package in the same tree (extension file mtimes changed first)"
# Touch every packaged source file: mtimes must not reach the zips.
find extension manifest.json -type f -exec touch {} +
./build.sh package >/dev/null 2>"$work/second.log" || { cat "$work/second.log" >&2; fail "second package run failed"; }
for z in "${ZIPS[@]}"; do
  cmp "$work/first/$z" "$DIST/$z" || fail "$z differs between two runs of ./build.sh package"
  echo "  $z: identical"
done

echo "== rebuild from keyferry-source.zip in $work/src (fresh target directory)"
mkdir "$work/src"
# Python rather than unzip(1), which a fresh machine may lack; modes restored as unzip would.
python3 - "$work/first/keyferry-source.zip" "$work/src" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        os.chmod(path, (info.external_attr >> 16) & 0o777 or 0o644)
PY
[ -x "$work/src/build.sh" ] || fail "build.sh in the source zip is not executable"
# Another cargo home path too (its registry is the real one, through a symlink,
# so nothing is downloaded again): the wasm must not name either directory.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
mkdir "$work/cargo-home"
ln -s "$cargo_home/registry" "$work/cargo-home/registry"
start=$SECONDS
(cd "$work/src" && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR CARGO_HOME="$work/cargo-home" \
  PATH="$cargo_home/bin:$PATH" ./build.sh package) >"$work/rebuild.log" 2>&1 \
  || { tail -30 "$work/rebuild.log" >&2; fail "./build.sh package failed in the unpacked source"; }
echo "  rebuilt in $((SECONDS - start)) s"
for z in keyferry-firefox.zip keyferry-chrome.zip; do
  if ! cmp "$work/first/$z" "$work/src/dist/$z"; then
    python3 tests/package/contents.py --diff "$work/first/$z" "$work/src/dist/$z" >&2 || true
    fail "$z rebuilt from the source zip differs from dist/$z"
  fi
  echo "  $z: identical to the one built in the repository"
done
echo "package check: all passed"
