#!/usr/bin/env bash
# The whole test suite, from a fresh machine: Node 24, dependencies, then vitest, whose global setup starts
# (or finds) a real Kafka broker and Redis. Extra arguments go to vitest.
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/infra/bootstrap.sh"
npm run --silent format:check
npm run --silent typecheck
npm run --silent lint
exec npx vitest run "$@"
