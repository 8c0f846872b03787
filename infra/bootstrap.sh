# Sourced by scripts/test.sh, scripts/demo.sh and scripts/start.sh: Node 24 on PATH, then dependencies
# installed when the lockfile changed since the last install, and Chromium for the browser tests. Kafka and
# Redis are started by the TypeScript side (infra/src/environment.ts), which also knows about KAFKA_BROKERS,
# REDIS_URL and Docker.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=infra/node-env.sh
. "$ROOT/infra/node-env.sh"
stamp="node_modules/.warnline-installed"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node --version)" ]; then
  echo "[deps] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  node --version >"$stamp"
fi
# Prometheus and promtool for the alert-rule checks and the Prometheus test.
bash "$ROOT/infra/prometheus/ensure-installed.sh" || echo "[prometheus] not installed: its tests will fail" >&2
# Debian's Chromium (and a CJK font) for the console's browser tests, when missing.
bash "$ROOT/infra/chromium.sh"
# kafkajs on Node 24 warns about a negative timer delay it never meant (tulios/kafkajs#1751): silence that one.
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=TimeoutNegativeWarning"
