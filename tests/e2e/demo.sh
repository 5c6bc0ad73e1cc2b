#!/usr/bin/env bash
# Launches the demo (see tests/e2e/demo.mjs). Called by ./build.sh demo.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node tests/e2e/demo.mjs
