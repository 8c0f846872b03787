// Deferred evaluation for a go-live load. While the deferral flag is set (`npm run go-live -- defer`), the
// households a batch touched are recorded in a Redis set instead of being evaluated: the claims and registry
// records are applied as always (counted once, by the same dedup), but no decision is published and no alert
// raised for a household whose history is half loaded. The go-live (go-live.ts) then evaluates each recorded
// household once. A streaming claim during the load is applied and recorded like a loaded one.
import type { Redis } from 'ioredis';
import type { EvaluationStats, Evaluator, Target } from './evaluator.ts';
import type { Keys } from './keys.ts';

/** A target as a member of the deferred set. */
export function encodeTarget(t: Target): string {
  return t.kind === 'household' ? `h:${t.id}` : `s:${t.person}`;
}

export function decodeTarget(member: string): Target {
  return member.startsWith('h:')
    ? { kind: 'household', id: member.slice(2) }
    : { kind: 'solo', person: member.slice(2) };
}

const NOTHING: EvaluationStats = { evaluated: 0, published: 0, alerts: 0 };

/** The evaluator of the batches: records the targets while deferred, else evaluates them at once. */
export class DeferrableEvaluator implements Pick<Evaluator, 'run'> {
  constructor(
    private readonly evaluator: Pick<Evaluator, 'run'>,
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async run(targets: readonly Target[], asOf: string, progress?: () => Promise<void>): Promise<EvaluationStats> {
    if (targets.length === 0) return this.evaluator.run(targets, asOf, progress);
    const { flag, targets: set } = this.keys.deferral();
    const deferred = await this.redis.deferTargets(flag, set, ...targets.map(encodeTarget));
    return deferred === 1 ? { ...NOTHING } : this.evaluator.run(targets, asOf, progress);
  }
}
