// One load: every line of every file through ingest's validation, valid events written to claims.v1 /
// households.v1 exactly as ingest writes them, every refused record to the rejects file, a checkpoint after
// each batch Kafka has acknowledged. Batches are pipelined: the next batch is parsed and validated while the
// previous one is on its way to Kafka, and checkpoints are saved in order.
import { REJECTION_CODES, type Rejection } from '@warnline/contracts';
import type { Publisher } from '@warnline/ingest/publisher';
import type { Checkpoint, Counts } from './checkpoint.ts';
import { csvRowMapper, type CsvMapping } from './csv.ts';
import { firstLine, readLines, type InputFile, type Line } from './files.ts';
import { emptyOutbound, type BackfillIntake, type Outbound } from './intake.ts';
import type { Progress } from './progress.ts';
import { rejectLine, type RejectLine, type RejectsFile } from './rejects.ts';

export interface BackfillDeps {
  files: readonly InputFile[];
  intake: BackfillIntake;
  /** `null` on a dry run: validate and count, write nothing to Kafka. */
  publisher: Publisher | null;
  rejects: RejectsFile;
  checkpoint: Checkpoint;
  /** Persists the checkpoint (a dry run keeps none). */
  saveCheckpoint: (checkpoint: Checkpoint) => Promise<void>;
  /** Needed when a file is CSV. */
  mapping: CsvMapping | null;
  /** Records per batch (one validation clock reading, one Kafka write, one checkpoint). */
  batchSize: number;
  progress: Progress;
  kindOfRecords: 'claim' | 'household';
  /** Asked between batches; a stop request ends the run after the batch in flight, with its checkpoint. */
  stopRequested?: () => boolean;
  now?: () => Date;
}

export interface BackfillResult {
  counts: Counts;
  /** False when the run was stopped before the end (resume with the same command). */
  complete: boolean;
}

interface Batch {
  file: InputFile;
  lines: Line[];
}

export async function runBackfill(deps: BackfillDeps): Promise<BackfillResult> {
  const { checkpoint } = deps;
  const now = deps.now ?? (() => new Date());
  const diskDone = new Map<string, number>();
  const totalDisk = () => [...diskDone.values()].reduce((a, b) => a + b, 0);
  // The previous batch's write and checkpoint: awaited before the next one's, so they happen in order.
  let inFlight: Promise<void> = Promise.resolve();

  const take = (batch: Batch, mapRow: ((text: string) => unknown) | null) => {
    const out = emptyOutbound();
    const rejected: RejectLine[] = [];
    const handle = deps.intake.begin(now());
    for (const line of batch.lines) {
      const record = mapRow ? mapRow(line.text) : parseJson(line.text);
      if (record === UNPARSEABLE) {
        rejected.push(unparseable(batch.file.path, line.number, deps.kindOfRecords));
        continue;
      }
      const outcome = handle(record, out);
      if (!outcome.ok) {
        const letters = deps.kindOfRecords === 'claim' ? out.claimDeadLetters : out.householdDeadLetters;
        rejected.push(rejectLine(batch.file.path, line.number, letters.pop()!));
      }
    }
    return { out, rejected };
  };

  const commit = async (batch: Batch, out: Outbound, rejected: RejectLine[]) => {
    if (deps.publisher) await deps.publisher.write({ ...out, claimDeadLetters: [], householdDeadLetters: [] });
    checkpoint.rejectsBytes = await deps.rejects.append(rejected);
    const last = batch.lines[batch.lines.length - 1]!;
    const progress = checkpoint.files.find((f) => f.path === batch.file.path)!;
    progress.offset = last.end;
    progress.line = last.number;
    const counts = checkpoint.counts;
    counts.read += batch.lines.length;
    counts.accepted += out.claims.length + out.households.length;
    counts.rejected += rejected.length;
    for (const r of rejected) counts.byCode[r.code] = (counts.byCode[r.code] ?? 0) + 1;
    await deps.saveCheckpoint(checkpoint);
  };

  for (const file of deps.files) {
    const state = checkpoint.files.find((f) => f.path === file.path)!;
    if (state.done) {
      diskDone.set(file.path, file.size);
      continue;
    }
    let mapRow: ((text: string) => unknown) | null = null;
    let from = state.offset;
    let fromLine = state.line;
    if (file.format === 'csv') {
      if (!deps.mapping) throw new Error('a CSV file needs a mapping');
      const mapper = csvRowMapper(deps.mapping, await firstLine(file));
      mapRow = (text) => mapper.map(text) ?? UNPARSEABLE;
      if (fromLine === 0) {
        // The header is line 1: start after it.
        const header = readLines(file);
        for await (const line of header.lines) {
          from = line.end;
          fromLine = line.number;
          break;
        }
        header.close();
      }
    }
    const reader = readLines(file, from, fromLine);
    let lines: Line[] = [];
    const flush = async () => {
      if (lines.length === 0) return;
      const batch = { file, lines };
      lines = [];
      const { out, rejected } = take(batch, mapRow);
      const previous = inFlight;
      inFlight = previous.then(() => commit(batch, out, rejected));
      // At most one batch in flight: wait for the one before this.
      await previous;
      diskDone.set(file.path, reader.diskBytes());
      deps.progress.update(checkpoint.counts.read + batch.lines.length, totalDisk());
    };
    try {
      for await (const line of reader.lines) {
        lines.push(line);
        if (lines.length >= deps.batchSize) {
          await flush();
          if (deps.stopRequested?.()) {
            await inFlight;
            return { counts: checkpoint.counts, complete: false };
          }
        }
      }
      await flush();
    } finally {
      reader.close();
    }
    await inFlight;
    state.done = true;
    await deps.saveCheckpoint(checkpoint);
    diskDone.set(file.path, file.size);
  }
  await inFlight;
  deps.progress.update(checkpoint.counts.read, totalDisk());
  return { counts: checkpoint.counts, complete: true };
}

const UNPARSEABLE = Symbol('unparseable');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return UNPARSEABLE;
  }
}

function unparseable(file: string, line: number, kind: 'claim' | 'household'): RejectLine {
  const rejection: Rejection = {
    code: 'UNPARSEABLE_LINE',
    field: '(item)',
    message: REJECTION_CODES.UNPARSEABLE_LINE,
  };
  return { file, line, kind, ...rejection, rejections: [rejection], input: null };
}
