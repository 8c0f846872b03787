// A load killed in the middle (SIGKILL: no chance to save anything more) resumes from its checkpoint: every
// claim ends up on claims.v1, the totals are exact, and the lines before the checkpoint are not read again.
// The proof of the last: before the resume, every line before the checkpoint's offset is overwritten with
// bytes that are not JSON (same length); had the resumed run read one of them, it would be a rejected line.
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { yuanToFen } from '@warnline/contracts';
import { claim, daysAgo, residentId, startProcess } from '@warnline/test';
import { scratchTest as test } from '@warnline/test/scratch';
import type { Checkpoint } from '../../src/checkpoint.ts';
import { BACKFILL_CLI, backfill, backfillEnv, jsonLines, readTopic, scratchDirPerTest } from '../support.ts';

const scratchDir = scratchDirPerTest();

const COUNT = 30_000;
const BATCH = '300';

async function readCheckpoint(path: string): Promise<Checkpoint | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Checkpoint;
  } catch {
    return null;
  }
}

/** Replaces every byte before `offset` except line breaks with `#`: those lines are no longer JSON. */
async function spoilBefore(path: string, offset: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const head = Buffer.alloc(offset);
    await handle.read(head, 0, offset, 0);
    for (let i = 0; i < head.length; i++) if (head[i] !== 10) head[i] = 35;
    await handle.write(head, 0, offset, 0);
  } finally {
    await handle.close();
  }
}

describe('warnline backfill: crash and resume', () => {
  test('killed mid-load, it resumes from the checkpoint: totals exact, nothing before it read again', async ({
    scratch,
  }) => {
    const dir = scratchDir();
    const claims = Array.from({ length: COUNT }, (_, i) =>
      claim({
        claimId: `H31011000012-R-${i}`,
        personId: residentId(i % 997),
        cash: `${100 + (i % 50)}.${String(i % 100).padStart(2, '0')}`,
        serviceDate: daysAgo(1 + (i % 200)),
      }),
    );
    const file = join(dir, 'claims.jsonl');
    const checkpointPath = join(dir, 'load.checkpoint.json');
    await writeFile(file, jsonLines(claims));
    const args = [
      '--kind',
      'claims',
      '--batch',
      BATCH,
      '--checkpoint',
      checkpointPath,
      '--rejects',
      join(dir, 'r.jsonl'),
    ];

    const first = await startProcess({
      label: 'backfill',
      script: BACKFILL_CLI,
      args: ['--no-progress', ...args, file],
      env: backfillEnv(scratch),
      ready: async () => ((await readCheckpoint(checkpointPath))?.files[0]?.line ?? 0) >= 900,
      timeoutMs: 120_000,
    });
    await first.kill();

    const saved = (await readCheckpoint(checkpointPath))!;
    const at = saved.files[0]!;
    expect(at.done).toBe(false);
    expect(at.line).toBeGreaterThanOrEqual(900);
    expect(at.line).toBeLessThan(COUNT);
    expect(saved.counts).toMatchObject({ read: at.line, accepted: at.line, rejected: 0 });
    await spoilBefore(file, at.offset);

    const resumed = await backfill([...args, file], backfillEnv(scratch), dir);

    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming from ${checkpointPath}: ${at.line} records done`);
    // Counted once each over both runs; not one spoiled line was read (it would be UNPARSEABLE_LINE).
    expect(resumed.summary).toMatchObject({ complete: true, read: COUNT, accepted: COUNT, rejected: 0, byCode: {} });

    // At most the batch in flight at the kill is on the topic twice, with the same content.
    const records = await readTopic(scratch.kafka, `${scratch.namespace}claims.v1`, COUNT, 180_000);
    expect(records.length).toBeLessThanOrEqual(COUNT + 2 * Number(BATCH));
    const byId = new Map<string, Record<string, unknown>>();
    for (const r of records) {
      const { receivedAt: _, ...content } = r.value;
      const seen = byId.get(content.claimId as string);
      if (seen) expect(content).toEqual(seen);
      byId.set(content.claimId as string, content);
    }
    expect(byId.size).toBe(COUNT);
    const cashFen = (cs: Iterable<{ amounts: unknown }>) =>
      [...cs].reduce((sum, c) => sum + yuanToFen((c.amounts as { cash: string }).cash), 0);
    expect(cashFen(byId.values() as Iterable<{ amounts: unknown }>)).toBe(cashFen(claims));
  });

  test('Ctrl-C (SIGINT) stops after the batch in flight with exit code 130; the same command finishes the load', async ({
    scratch,
  }) => {
    const dir = scratchDir();
    const claims = Array.from({ length: 12_000 }, (_, i) =>
      claim({ claimId: `H31011000012-S-${i}`, personId: residentId(i % 101) }),
    );
    const file = join(dir, 'claims.jsonl');
    await writeFile(file, jsonLines(claims));
    const checkpointPath = join(dir, 'backfill-claims-checkpoint.json');
    const args = ['--no-progress', '--kind', 'claims', '--batch', BATCH, file];

    const first = await startProcess({
      label: 'backfill',
      script: BACKFILL_CLI,
      args,
      env: backfillEnv(scratch),
      ready: async () => ((await readCheckpoint(checkpointPath))?.files[0]?.line ?? 0) >= 600,
      timeoutMs: 120_000,
      cwd: dir,
    });
    first.process.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => first.process.once('exit', resolve));

    expect(code, first.output()).toBe(130);
    expect(first.output()).toContain('stopped (run the same command to resume)');
    const saved = (await readCheckpoint(checkpointPath))!;
    expect(saved.files[0]!.done).toBe(false);
    expect(saved.counts.read).toBe(saved.files[0]!.line);

    const resumed = await backfill(args, backfillEnv(scratch), dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.summary).toMatchObject({ complete: true, read: 12_000, accepted: 12_000, rejected: 0 });
  });
});
