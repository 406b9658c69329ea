#!/usr/bin/env bash
# The browser test drives Debian's Chromium (nothing downloads a browser). Install it with apt
# when running as root on Debian/Ubuntu; otherwise print the exact command.
set -euo pipefail
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
else
  echo "error: the browser test needs Chromium. On Debian/Ubuntu run: sudo apt-get install chromium" >&2
  exit 1
fi
