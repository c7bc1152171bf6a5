#!/usr/bin/env bash
# The browser the console's tests drive (tests/e2e/console/browser.py): Debian's chromium
# package, never a browser download. Installed with apt-get when it is missing and this
# runs as root; otherwise it says what to do. Called by `make env`.
set -euo pipefail
if [[ -n "${SHOPKEEPER_CHROMIUM:-}" && -x "${SHOPKEEPER_CHROMIUM}" ]] || command -v chromium >/dev/null; then
    exit 0
fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Chromium for the console's browser tests (Debian's chromium)"
    apt-get install -y --no-install-recommends chromium >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
    exit 0
fi
echo "Chromium is missing: apt-get install chromium (as root), or set SHOPKEEPER_CHROMIUM" >&2
echo "to a Chromium binary. Only the console's browser tests need it." >&2
exit 1
