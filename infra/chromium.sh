#!/usr/bin/env bash
# Chromium from Debian for the console's browser tests (driven by playwright-core, which downloads no
# browser), and a CJK font so screenshots show Chinese. Installed only when missing; needs root and apt-get.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -i 'wenquanyi\|noto sans cjk' >/dev/null || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "[chromium] missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) for the browser tests" >&2
  exit 0
fi
echo "[chromium] apt-get install ${missing[*]}" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
