// Where a load stands, written after every batch Kafka has acknowledged: per file the offset and line number
// after the last line sent, the length of the rejects file at that moment, and the counts so far. A resumed
// run starts each file at its offset and cuts the rejects file back to its length, so every line is counted
// and reported exactly once whatever moment the previous run was stopped at. Written to a temporary file and
// renamed over the old one: a crash leaves the old checkpoint or the new one, never half of one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { backfillError } from '@warnline/contracts';
import type { InputFile } from './files.ts';

export interface FileProgress {
  path: string;
  size: number;
  /** Byte offset (decompressed content) after the last line taken. */
  offset: number;
  /** Lines taken so far (the next line is line + 1). */
  line: number;
  done: boolean;
}

export interface Counts {
  /** Records read (non-empty lines, a CSV header excluded). */
  read: number;
  accepted: number;
  rejected: number;
  /** Rejected records by their first code. */
  byCode: Record<string, number>;
}

export interface Checkpoint {
  format: 1;
  kind: string;
  files: FileProgress[];
  rejectsBytes: number;
  counts: Counts;
}

export const emptyCounts = (): Counts => ({ read: 0, accepted: 0, rejected: 0, byCode: {} });

export function freshCheckpoint(kind: string, files: readonly InputFile[]): Checkpoint {
  return {
    format: 1,
    kind,
    files: files.map((f) => ({ path: f.path, size: f.size, offset: 0, line: 0, done: false })),
    rejectsBytes: 0,
    counts: emptyCounts(),
  };
}

/** The saved checkpoint of this load, `null` when there is none; CHECKPOINT_MISMATCH when it is another load's. */
export async function loadCheckpoint(
  path: string,
  kind: string,
  files: readonly InputFile[],
): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  let saved: Checkpoint;
  try {
    saved = JSON.parse(text) as Checkpoint;
  } catch {
    throw backfillError('CHECKPOINT_MISMATCH', { message: `${path} is not a checkpoint` });
  }
  const same =
    saved.format === 1 &&
    saved.kind === kind &&
    saved.files.length === files.length &&
    saved.files.every((f, i) => f.path === files[i]!.path && f.size === files[i]!.size);
  if (!same) throw backfillError('CHECKPOINT_MISMATCH');
  return saved;
}

export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, JSON.stringify(checkpoint));
  await rename(temporary, path);
}
