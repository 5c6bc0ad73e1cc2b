#!/bin/sh
# Test-only browser wrapper: runs the browser in a private mount namespace in which
# KF_POLICY_DIR is bind-mounted over KF_POLICY_MOUNT (Chromium: /etc/chromium,
# Firefox: /usr/lib/firefox-esr/distribution), so an enterprise policy file applies
# to this one browser process and nothing else on the machine. Needs root (as the
# e2e rig does for port 443).
#   KF_POLICY_DIR=... KF_POLICY_MOUNT=/etc/chromium KF_POLICY_BROWSER=/usr/bin/chromium with-policy.sh ARGS...
set -eu
exec unshare -m --propagation private sh -c 'mount --bind "$KF_POLICY_DIR" "$KF_POLICY_MOUNT" && exec "$KF_POLICY_BROWSER" "$@"' sh "$@"
