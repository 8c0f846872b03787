// Times a consumer group through a pre-filled topic, from its committed offsets: the same method for the
// accumulator and the naive path, so the ratio compares like with like.
import type { LagProbe } from './lag.ts';
import { progress } from './progress.ts';

export interface DrainResult {
  /** Claims committed while measuring. */
  consumed: number;
  /** Seconds from the first committed batch to the end: the sustained rate, without the group join. */
  sustainedSeconds: number;
  /** Claims per second over sustainedSeconds. */
  claimsPerSec: number;
  /** Seconds from the start of measuring (the processes ready) to the end, joins and first fetch included. */
  wallSeconds: number;
  /** True when the group reached the end of the topic; false when the time limit ended it first. */
  completed: boolean;
}

export interface DrainOptions {
  label: string;
  probe: LagProbe;
  group: string;
  /** Topic whose messages are counted (claims.v1). */
  topic: string;
  /** Topics that must all be consumed for the run to count as complete (claims.v1, households.v1). */
  allTopics: string[];
  total: number;
  /** Stop measuring after this long (the naive path on a big feed); default: no limit. */
  limitMs?: number;
  /** Give up when nothing moves for this long. Default 120 s. */
  stallMs?: number;
  intervalMs?: number;
}

export async function measureDrain(o: DrainOptions): Promise<DrainResult> {
  const bar = progress(o.label, o.total);
  const started = performance.now();
  const interval = o.intervalMs ?? 500;
  let firstAt: number | undefined;
  let firstCount = 0;
  let lastCount = 0;
  let lastMoveAt = started;
  let completed = false;
  for (;;) {
    await new Promise((r) => setTimeout(r, interval));
    const now = performance.now();
    const count = await o.probe.committed(o.group, [o.topic]);
    if (count > lastCount) {
      bar.tick(count - lastCount);
      lastMoveAt = now;
      if (firstAt === undefined) {
        // The first commit covers work done since the consumer started fetching: start the clock one
        // interval earlier so that work is not counted for free.
        firstAt = now - interval;
        firstCount = 0;
      }
      lastCount = count;
    }
    if (count >= o.total && (await o.probe.lag(o.group, o.allTopics)) === 0) {
      completed = true;
      break;
    }
    if (o.limitMs !== undefined && now - started > o.limitMs) break;
    if (now - lastMoveAt > (o.stallMs ?? 120_000))
      throw new Error(`${o.label}: no progress for ${((now - lastMoveAt) / 1000).toFixed(0)} s at ${count}/${o.total}`);
  }
  // Completion is seen at the first sample after it: end at the sample where the last claims showed up.
  const end = completed ? lastMoveAt : performance.now();
  const sustainedSeconds = (end - (firstAt ?? end)) / 1000 || Number.EPSILON;
  bar.done(completed ? 'done' : 'time limit');
  return {
    consumed: lastCount,
    sustainedSeconds,
    claimsPerSec: (lastCount - firstCount) / sustainedSeconds,
    wallSeconds: (end - started) / 1000,
    completed,
  };
}
