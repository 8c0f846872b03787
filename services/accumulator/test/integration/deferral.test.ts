// Deferred evaluation against the real Redis: while the flag is set a batch's households are recorded (once
// each, however many), never evaluated; without it they are evaluated at once and nothing is recorded; and
// the go-live evaluates what was recorded once, then raises the recorded alerts in priority order.
import { describe, expect } from 'vitest';
import type { AlertJobData } from '@warnline/contracts';
import { scratchTest as test } from '@warnline/test/scratch';
import { decodeTarget, DeferrableEvaluator, encodeTarget } from '../../src/deferral.ts';
import type { EvaluationStats, Target } from '../../src/evaluator.ts';
import { deferEvaluation, deferralStatus, goLive } from '../../src/go-live.ts';
import { createKeys } from '../../src/keys.ts';
import { registerScripts } from '../../src/scripts.ts';

/** Stands in for the rules and the status topic: records what it was asked to evaluate. */
function recordingEvaluator() {
  const calls: Target[][] = [];
  return {
    calls,
    run: async (targets: readonly Target[]): Promise<EvaluationStats> => {
      calls.push([...targets]);
      return { evaluated: targets.length, published: targets.length, alerts: 0 };
    },
  };
}

const households = (n: number): Target[] => Array.from({ length: n }, (_, i) => ({ kind: 'household', id: `HH${i}` }));

describe('deferred evaluation', () => {
  test('targets encode and decode both kinds', () => {
    for (const t of [
      { kind: 'household', id: 'HH:1' },
      { kind: 'solo', person: 'p_ab' },
    ] as Target[])
      expect(decodeTarget(encodeTarget(t))).toEqual(t);
  });

  test('while deferred, a batch records its households once each and evaluates none', async ({ scratch }) => {
    registerScripts(scratch.redis);
    const keys = createKeys(scratch.prefix('wl'));
    const inner = recordingEvaluator();
    const evaluator = new DeferrableEvaluator(inner, scratch.redis, keys);

    expect(await evaluator.run(households(3), '2024-06-30')).toEqual({ evaluated: 3, published: 3, alerts: 0 });
    expect(inner.calls).toHaveLength(1);
    expect(await scratch.redis.scard(keys.deferral().targets)).toBe(0);

    await deferEvaluation(scratch.redis, keys, new Date('2024-07-01T00:00:00Z'));
    // More than the script adds per SADD, with repeats: every household once.
    const batch = [...households(2500), ...households(10), { kind: 'solo', person: 'p_1' } as Target];
    expect(await evaluator.run(batch, '2024-06-30')).toEqual({ evaluated: 0, published: 0, alerts: 0 });
    expect(inner.calls).toHaveLength(1);
    expect(await deferralStatus(scratch.redis, keys)).toEqual({
      deferredSince: '2024-07-01T00:00:00.000Z',
      waiting: 2501,
      alertsWaiting: 0,
    });
  });

  test('the go-live clears the flag, evaluates each recorded household once and raises alerts action first', async ({
    scratch,
  }) => {
    registerScripts(scratch.redis);
    const keys = createKeys(scratch.prefix('wl'));
    const batches = recordingEvaluator();
    await deferEvaluation(scratch.redis, keys, new Date());
    await new DeferrableEvaluator(batches, scratch.redis, keys).run(households(5), '2024-06-30');
    // Alerts as the go-live evaluator records them, out of order.
    const alert = (householdId: string, level: AlertJobData['level'], streetCode: string) =>
      ({ householdId, level, streetCode }) as AlertJobData;
    const recorded = [
      alert('HH3', 'watch', '310113103'),
      alert('HH1', 'action', '310113104'),
      alert('HH2', 'warning', '310113103'),
      alert('HH0', 'action', '310113103'),
    ];
    for (const a of recorded)
      await scratch.redis.zadd(
        keys.deferral().alerts,
        { action: 1, warning: 2, watch: 3 }[a.level as 'action'],
        JSON.stringify(a),
      );
    const evaluated = recordingEvaluator();
    const raised: AlertJobData[] = [];

    const report = await goLive({
      redis: scratch.redis,
      keys,
      evaluator: evaluated,
      alerts: { raise: async (data) => void raised.push(data) },
      asOf: '2024-06-30',
      chunk: 2,
    });

    expect(evaluated.calls.flat().map(encodeTarget).sort()).toEqual(households(5).map(encodeTarget).sort());
    expect(raised.map((a) => a.level)).toEqual(['action', 'action', 'warning', 'watch']);
    expect(report).toEqual({
      evaluated: 5,
      published: 5,
      alerts: { action: 2, warning: 1, watch: 1 },
      streets: { '310113103': { action: 1, warning: 1, watch: 1 }, '310113104': { action: 1, warning: 0, watch: 0 } },
    });
    expect(await deferralStatus(scratch.redis, keys)).toEqual({ deferredSince: null, waiting: 0, alertsWaiting: 0 });
    // Not deferred any more: the next batch is evaluated at once.
    await new DeferrableEvaluator(batches, scratch.redis, keys).run(households(1), '2024-06-30');
    expect(batches.calls).toHaveLength(1);
  });
});
