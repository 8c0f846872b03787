// The command line and the progress line, without any service.
import { describe, expect, it } from 'vitest';
import { parseBackfillArgs } from '../../src/args.ts';
import { createProgress, formatSeconds } from '../../src/progress.ts';

describe('parseBackfillArgs', () => {
  it('gives each kind its own rejects and checkpoint files by default', () => {
    expect(parseBackfillArgs(['--kind', 'nhsa', 'a.jsonl', 'dir'])).toEqual({
      kind: 'nhsa',
      paths: ['a.jsonl', 'dir'],
      mapping: null,
      rejects: 'backfill-nhsa-rejects.jsonl',
      checkpoint: 'backfill-nhsa-checkpoint.json',
      fresh: false,
      dryRun: false,
      batchSize: 5000,
      progress: true,
    });
  });

  it('refuses an unknown kind, no path, a bad batch size or an unknown option with BACKFILL_USAGE', () => {
    for (const argv of [
      ['--kind', 'visits', 'a'],
      ['--kind', 'claims'],
      ['--kind', 'claims', '--batch', '0', 'a'],
      ['--kind', 'claims', '--speed', 'a'],
    ]) {
      expect(() => parseBackfillArgs(argv)).toThrow(expect.objectContaining({ code: 'BACKFILL_USAGE' }));
    }
  });
});

describe('progress line', () => {
  it('shows records, rate, share and time left, and nothing when disabled', () => {
    let clock = 0;
    const written: string[] = [];
    const progress = createProgress({
      enabled: true,
      totalBytes: 1000,
      write: (t) => written.push(t),
      now: () => clock,
    });
    clock = 2000;
    progress.update(500, 250);
    progress.finish();
    expect(written[0]).toContain('25.0% 500 records 250/s ETA 00:06');
    expect(written[1]).toBe('\n');

    const silent: string[] = [];
    const off = createProgress({ enabled: false, totalBytes: 1000, write: (t) => silent.push(t) });
    off.update(1, 1);
    off.finish();
    expect(silent).toEqual([]);
  });

  it('formats hours', () => {
    expect(formatSeconds(3725)).toBe('1:02:05');
    expect(formatSeconds(Infinity)).toBe('--:--');
  });
});
