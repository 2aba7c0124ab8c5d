#!/usr/bin/env bash
# Install wrk, the HTTP load generator of `make bench` (Debian's package).
#
#   scripts/install-wrk.sh            (as root, or with sudo available)
#
# Why wrk: the benchmark's 20 clients share the machine's two cores with the
# server under test. wrk (C, event loop) spends a small fraction of a core on
# them, where Python clients spent a large share of the CPU they were measuring.
# apt runs only when wrk is missing.
set -euo pipefail

if ! command -v wrk >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk
fi
wrk --version 2>&1 | head -1 || true
