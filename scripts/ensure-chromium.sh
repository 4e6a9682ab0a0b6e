#!/bin/sh
# The browser tests (test/web) drive Debian's Chromium through playwright-core; Playwright's own
# browser download is not used. Installs it when missing and we are root; otherwise says how.
# CHROMIUM_PATH overrides /usr/bin/chromium (the tests read the same variable).
set -eu
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$BIN" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $BIN is missing; installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
  if [ -x "$BIN" ]; then
    exit 0
  fi
  echo "ensure-chromium: apt-get finished but $BIN is still missing" >&2
  exit 1
fi
echo "ensure-chromium: $BIN is missing. Install it with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
echo "(or set CHROMIUM_PATH to a Chromium or Chrome binary)" >&2
exit 1
