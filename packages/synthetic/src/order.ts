// Delivery order. generateClaims yields a person's claims together; a real feed arrives in settlement-time
// order, where consecutive claims almost always belong to different people. A consumer that batches looks
// better on person-grouped input than it will in production, so benchmarks interleave.
import { Random } from './random.ts';

/**
 * A seeded, streaming shuffle: items pass through a buffer of `window` items and leave in random order. With
 * a window much larger than one person's claims, neighbours come from different people, while memory stays
 * bounded (a full shuffle of millions of claims would hold them all). Order within a person is not kept, as
 * in a real feed (a reversal may arrive before its claim, a duplicate long after).
 */
export function* interleaved<T>(items: Iterable<T>, window: number, seed: number): Generator<T> {
  const r = new Random(seed ^ 0x2545f491);
  const buffer: T[] = [];
  for (const item of items) {
    if (buffer.length < window) {
      buffer.push(item);
      continue;
    }
    const i = Math.floor(r.next() * window);
    const out = buffer[i] as T;
    buffer[i] = item;
    yield out;
  }
  // Drain in random order too (Fisher–Yates).
  for (let i = buffer.length - 1; i >= 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    const out = buffer[j] as T;
    buffer[j] = buffer[i] as T;
    yield out;
  }
}
