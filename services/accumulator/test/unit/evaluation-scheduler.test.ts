// The evaluation scheduler: households handed over within the delay are evaluated once, in one round; a
// household handed over while a round runs waits for the next one (the running round may have read before
// the change); a caller's promise resolves only after the round covering it; a failing household fails only
// the batch it came with.
import { describe, expect, it } from 'vitest';
import { EvaluationScheduler } from '../../src/evaluation-scheduler.ts';
import type { EvaluationStats, Target } from '../../src/evaluator.ts';

const heartbeat = async () => undefined;
const household = (id: string): Target => ({ kind: 'household', id });
const solo = (person: string): Target => ({ kind: 'solo', person });
const names = (targets: readonly Target[]) =>
  targets.map((t) => (t.kind === 'household' ? t.id : `solo:${t.person}`)).sort();

/** An evaluator that records each round and finishes it when told to. */
function recordingEvaluator(fails: (t: Target) => boolean = () => false) {
  const rounds: { targets: string[]; asOf: string; finish: () => void }[] = [];
  return {
    rounds,
    run(targets: readonly Target[], asOf: string): Promise<EvaluationStats> {
      return new Promise((resolve, reject) => {
        rounds.push({
          targets: names(targets),
          asOf,
          finish: () =>
            targets.some(fails)
              ? reject(new Error('household failed'))
              : resolve({ evaluated: targets.length, published: 0, alerts: 0 }),
        });
      });
    },
  };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('EvaluationScheduler', () => {
  it('evaluates the households of several batches once, in one round, and resolves each batch after it', async () => {
    const evaluator = recordingEvaluator();
    const scheduler = new EvaluationScheduler({ evaluator, delayMs: 20 });
    let firstDone = false;
    const first = scheduler.scheduleEvaluation([household('h1'), solo('p1')], '2026-11-01', heartbeat).then((s) => {
      firstDone = true;
      return s;
    });
    const second = scheduler.scheduleEvaluation([household('h1'), household('h2')], '2026-11-02', heartbeat);
    await tick(5);
    expect(evaluator.rounds).toHaveLength(0);
    await tick(40);
    expect(evaluator.rounds.map((r) => r.targets)).toEqual([['h1', 'h2', 'solo:p1']]);
    // The later as-of date is the newer view.
    expect(evaluator.rounds[0]!.asOf).toBe('2026-11-02');
    await tick(5);
    expect(firstDone).toBe(false);
    evaluator.rounds[0]!.finish();
    expect((await first).evaluated).toBe(3);
    expect((await second).evaluated).toBe(3);
  });

  it('keeps a household handed over during a round for the next round', async () => {
    const evaluator = recordingEvaluator();
    const scheduler = new EvaluationScheduler({ evaluator, delayMs: 0 });
    const first = scheduler.scheduleEvaluation([household('h1')], '2026-11-01', heartbeat);
    await tick(5);
    expect(evaluator.rounds).toHaveLength(1);
    let laterDone = false;
    const later = scheduler.scheduleEvaluation([household('h1')], '2026-11-01', heartbeat).then(() => {
      laterDone = true;
    });
    evaluator.rounds[0]!.finish();
    await first;
    await tick(5);
    expect(laterDone).toBe(false);
    expect(evaluator.rounds.map((r) => r.targets)).toEqual([['h1'], ['h1']]);
    evaluator.rounds[1]!.finish();
    await later;
  });

  it('fails only the batch whose household fails, after evaluating each batch alone', async () => {
    const evaluator = recordingEvaluator((t) => t.kind === 'household' && t.id === 'bad');
    const scheduler = new EvaluationScheduler({ evaluator, delayMs: 10 });
    const good = scheduler.scheduleEvaluation([household('h1')], '2026-11-01', heartbeat);
    const bad = scheduler.scheduleEvaluation([household('bad')], '2026-11-01', heartbeat);
    const settled = Promise.allSettled([good, bad]);
    for (let i = 0; i < 3; i++) {
      while (evaluator.rounds.length <= i) await tick(5);
      evaluator.rounds[i]!.finish();
    }
    const [g, b] = await settled;
    expect(evaluator.rounds.map((r) => r.targets)).toEqual([['bad', 'h1'], ['h1'], ['bad']]);
    expect(g.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
  });

  it('answers at once when there is nothing to evaluate', async () => {
    const evaluator = recordingEvaluator();
    const scheduler = new EvaluationScheduler({ evaluator, delayMs: 1000 });
    expect(await scheduler.scheduleEvaluation([], '2026-11-01', heartbeat)).toEqual({
      evaluated: 0,
      published: 0,
      alerts: 0,
    });
    expect(evaluator.rounds).toHaveLength(0);
  });

  it("keeps every waiting batch's group member alive while a round runs (each member heartbeats its own)", async () => {
    const beats: string[] = [];
    const evaluator = {
      async run(targets: readonly Target[], _asOf: string, progress?: () => Promise<void>) {
        await progress?.();
        return { evaluated: targets.length, published: 0, alerts: 0 };
      },
    };
    const scheduler = new EvaluationScheduler({ evaluator, delayMs: 10 });
    const member = (name: string) => async () => void beats.push(name);
    await Promise.all([
      scheduler.scheduleEvaluation([household('h1')], '2026-11-01', member('first')),
      scheduler.scheduleEvaluation([household('h2')], '2026-11-01', member('second')),
    ]);
    expect(beats.sort()).toEqual(['first', 'second']);
  });
});
