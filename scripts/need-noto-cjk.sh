#!/usr/bin/env bash
# The Korean edition serves its own font, cut at build time from Debian's Noto Sans CJK KR
# (scripts/korean_font.py). Install the package with apt when running as root on
# Debian/Ubuntu; otherwise print the exact command.
set -euo pipefail
fonts=/usr/share/fonts/opentype/noto
[ -f "$fonts/NotoSansCJK-Regular.ttc" ] && [ -f "$fonts/NotoSansCJK-Bold.ttc" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q fonts-noto-cjk
else
  echo "error: the Korean edition's font is cut from Debian's fonts-noto-cjk, which is missing. On Debian/Ubuntu run: sudo apt-get install fonts-noto-cjk" >&2
  exit 1
fi
