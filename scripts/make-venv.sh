#!/usr/bin/env bash
# Create the project's virtual environment (.venv by default) with the given Python.
# On Debian/Ubuntu, `python3 -m venv` needs the package python3-venv: installed here with
# apt when running as root, otherwise the exact command is printed.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if [ -x "$venv/bin/python" ]; then
  exit 0
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "warning: the pinned torch wheels are for Python 3.11; found $("$python" --version)" >&2
fi
if "$python" -m venv "$venv" 2>/dev/null; then
  exit 0
fi
rm -rf "$venv"
ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "python${ver}-venv" || apt-get install -y -q python3-venv
  "$python" -m venv "$venv"
else
  echo "error: '$python -m venv' failed. On Debian/Ubuntu run: sudo apt-get install python${ver}-venv" >&2
  exit 1
fi
