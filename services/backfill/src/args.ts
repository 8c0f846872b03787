// The command line of `warnline backfill`, parsed once into typed options (BACKFILL_USAGE otherwise).
import { parseArgs } from 'node:util';
import { backfillError } from '@warnline/contracts';
import { RECORD_KINDS, type RecordKind } from './intake.ts';

export const USAGE = `usage: warnline backfill --kind claims|nhsa|households [options] PATH...
  PATH               JSON Lines (.jsonl, .ndjson, .json) or CSV (.csv) files, plain or gzip, or directories of them
  --kind KIND        claims (the contract's claims), nhsa (national-platform exchanges), households (the registry)
  --mapping FILE     column mapping of CSV files (JSON; see services/backfill/README.md)
  --rejects FILE     where refused records go, one JSON line each (default backfill-KIND-rejects.jsonl)
  --checkpoint FILE  where the load's progress is kept for a resume (default backfill-KIND-checkpoint.json)
  --fresh            ignore an existing checkpoint and load every line again (harmless: duplicates have no effect)
  --dry-run          validate and count, write nothing to Kafka and keep no checkpoint
  --batch N          records per Kafka write and checkpoint (default 5000)
  --no-progress      no progress line even on a terminal`;

export interface BackfillOptions {
  kind: RecordKind;
  paths: string[];
  mapping: string | null;
  rejects: string;
  checkpoint: string;
  fresh: boolean;
  dryRun: boolean;
  batchSize: number;
  progress: boolean;
}

export function parseBackfillArgs(argv: readonly string[]): BackfillOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        mapping: { type: 'string' },
        rejects: { type: 'string' },
        checkpoint: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        batch: { type: 'string', default: '5000' },
        'no-progress': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw backfillError('BACKFILL_USAGE', { message: (err as Error).message });
  }
  const { values, positionals } = parsed;
  const kind = values.kind as RecordKind | undefined;
  if (!kind || !RECORD_KINDS.includes(kind))
    throw backfillError('BACKFILL_USAGE', { message: `--kind must be one of ${RECORD_KINDS.join(', ')}` });
  if (positionals.length === 0) throw backfillError('BACKFILL_USAGE', { message: 'no input PATH given' });
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw backfillError('BACKFILL_USAGE', { message: '--batch must be an integer from 1 to 100000' });
  return {
    kind,
    paths: positionals,
    mapping: values.mapping ?? null,
    // One pair per kind, so the registry's load and the claims' load in one directory keep apart.
    rejects: values.rejects ?? `backfill-${kind}-rejects.jsonl`,
    checkpoint: values.checkpoint ?? `backfill-${kind}-checkpoint.json`,
    fresh: values.fresh,
    dryRun: values['dry-run'],
    batchSize,
    progress: !values['no-progress'],
  };
}
