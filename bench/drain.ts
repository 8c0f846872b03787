// Times a consumer group through a pre-filled topic, from its committed offsets: the same method for the
// accumulator and the naive path, so the ratio compares like with like.
import type { LagProbe } from './lag.ts';
import { progress } from './progress.ts';

export interface DrainResult {
  /** Claims committed while measuring. */
  consumed: number;
  /**
   * Seconds from the last sample before the group could consume (not yet joined, nothing committed) to the
   * end: work done before the first commit is inside the clock, the group join mostly is not.
   */
  sustainedSeconds: number;
  /** Claims per second over sustainedSeconds. */
  claimsPerSec: number;
  /** Seconds from the start of measuring to the end, joins and first fetch included (the accumulator phase starts measuring before its processes). */
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
  /** Ends the measurement with an error (the processes it waits for failed to start). */
  signal?: AbortSignal;
}

export async function measureDrain(o: DrainOptions): Promise<DrainResult> {
  const bar = progress(o.label, o.total);
  const started = performance.now();
  const interval = o.intervalMs ?? 500;
  // The clock starts at the last sample at which the group had not yet joined and committed nothing: before
  // its first message was consumed. Starting it at the first commit would hand out the first batches free.
  let clockStart = started;
  let consuming = false;
  let lastCount = 0;
  let lastMoveAt = started;
  let completed = false;
  for (;;) {
    await new Promise((r) => setTimeout(r, interval));
    o.signal?.throwIfAborted();
    const now = performance.now();
    const count = await o.probe.committed(o.group, [o.topic]);
    if (!consuming) {
      if (count > 0 || (await o.probe.joined(o.group))) consuming = true;
      else clockStart = now;
    }
    if (count > lastCount) {
      bar.tick(count - lastCount);
      lastMoveAt = now;
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
  const sustainedSeconds = (end - clockStart) / 1000 || Number.EPSILON;
  bar.done(completed ? 'done' : 'time limit');
  return {
    consumed: lastCount,
    sustainedSeconds,
    claimsPerSec: lastCount / sustainedSeconds,
    wallSeconds: (end - started) / 1000,
    completed,
  };
}
