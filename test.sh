#!/usr/bin/env bash
# Runs every test of Kcc.Workbench: unit, component, HTTP and end-to-end (Playwright in Debian's Chromium).
# Installs Chromium through apt when it is missing; never downloads a browser build of its own.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium ontbreekt: installeren via apt…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build Kcc.Workbench.sln -c Release -nologo -v q
dotnet test --solution Kcc.Workbench.sln -c Release --no-build "$@"
