#!/usr/bin/env bash
# The whole pipeline on this machine, in the foreground: Node 24 and the dependencies (infra/bootstrap.sh),
# Kafka and Redis, the three services and the console. Prints the console's address and a sign-in token per
# role; `--demo` feeds a synthetic city first. Ctrl-C stops everything it started.
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/infra/bootstrap.sh"
exec node --import tsx scripts/start.ts "$@"
