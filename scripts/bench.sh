#!/usr/bin/env bash
# The benchmark from a fresh clone: Node 24 and dependencies as for the tests, then `npm run bench` (which
# finds or starts Kafka and Redis itself). Arguments go to the bench: --smoke, --json FILE, --only …
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/infra/bootstrap.sh"
exec npm run --silent bench -- "$@"
