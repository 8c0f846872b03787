#!/usr/bin/env bash
# Installs Debian's prometheus package (prometheus and promtool) when promtool is missing: the rule checks
# and the Prometheus integration test need both. Runs apt-get update only when the package is unknown.
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[prometheus] promtool missing: run 'sudo apt-get install prometheus' (Debian/Ubuntu)" >&2
  exit 1
fi
if ! apt-cache show prometheus >/dev/null 2>&1; then apt-get update -qq >&2; fi
echo "[prometheus] apt-get install prometheus" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
