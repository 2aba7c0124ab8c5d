#!/usr/bin/env bash
# Install what the `browser`-marked tests need: Debian's Chromium and Playwright for Python.
#
#   scripts/install-browser.sh            (as root, or with sudo available)
#
# Why these choices:
# - Only package registries are reachable, so Playwright's own browser builds
#   (`playwright install`, a download from a CDN) cannot be used. The tests drive
#   Debian's /usr/bin/chromium through Playwright's executable_path instead.
# - PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD keeps any install hook from trying that CDN.
# - apt runs only when /usr/bin/chromium is missing: the common case (a machine
#   that already has it) costs nothing and needs no root.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${FAHRAS_VENV:-$REPO/.venv}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-core
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "install-browser.sh: no virtualenv at $VENV (python -m venv .venv && pip install -e '.[test]')" >&2
    exit 2
fi
"$VENV/bin/python" -m pip install -q "playwright>=1.45"

/usr/bin/chromium --version
"$VENV/bin/python" -c "import playwright; from importlib.metadata import version; print('playwright', version('playwright'))"
