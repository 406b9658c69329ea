#!/usr/bin/env bash
# The browser test drives Debian's Chromium (nothing downloads a browser), and reads the Korean
# edition with a real Korean font (Debian's Noto CJK), so no character shows as a box. Install
# what is missing with apt when running as root on Debian/Ubuntu; otherwise print the command.
set -euo pipefail
chromium=${CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$chromium" ] || missing+=(chromium)
fc-list :lang=ko 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
else
  echo "error: the browser test needs ${missing[*]}. On Debian/Ubuntu run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
