#!/usr/bin/env bash
# Debian packages the browser tests need: Chromium (Playwright drives /usr/bin/chromium) and a CJK font, so
# Chinese labels render in the maps. Installs only what is missing; safe to run again.
set -euo pipefail
needed=()
[ -x /usr/bin/chromium ] || needed+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || needed+=(fonts-wqy-microhei)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${needed[@]}"
fi
