#!/usr/bin/env bash
# The demo pipeline, from a fresh machine: Node 24, dependencies, Kafka and Redis, the three services as
# separate processes, a small synthetic HIS feed through ingest, and what the street queues received.
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/infra/bootstrap.sh"
exec npx tsx scripts/demo.ts "$@"
