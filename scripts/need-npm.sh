#!/usr/bin/env bash
# The book's scripts come from npm. Install Node.js and npm with apt when running as root
# on Debian/Ubuntu; otherwise print the exact command.
set -euo pipefail
command -v npm >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q nodejs npm
else
  echo "error: npm is needed to fetch the book's scripts. On Debian/Ubuntu run: sudo apt-get install nodejs npm" >&2
  exit 1
fi
