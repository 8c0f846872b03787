// The accumulator's work per Kafka batch: decode, apply to Redis exactly once, dead-letter what cannot
// count, index the persons with burden, re-evaluate each touched household once, and only then let main.ts
// commit the offsets. Every step is idempotent, so a batch replayed after a crash changes nothing that was
// already done, and completes what was not.
import type { KafkaMessage } from 'kafkajs';
import type { KafkaSender } from '@warnline/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { oldestRetainedMonth, type ClaimEvent, type HouseholdEvent } from '@warnline/contracts';
import { applyClaims } from './claim-batch.ts';
import { decodeClaim } from './claim-decode.ts';
import { deadLetter, rejection, type BuiltDeadLetter, type Origin } from './dead-letters.ts';
import type { Evaluator, EvaluationStats, Target } from './evaluator.ts';
import { decodeHousehold, putHouseholds } from './household-store.ts';
import { sendInOrder } from './kafka-send.ts';
import type { Keys } from './keys.ts';
import type { Metrics } from './metrics.ts';
import { APPLY, type ApplyCode } from './scripts.ts';

export interface ProcessorDeps {
  redis: Redis;
  keys: Keys;
  producer: KafkaSender;
  /** Evaluates the households a batch touched (or records them for later while evaluation is deferred). */
  evaluator: Pick<Evaluator, 'run'>;
  logger: Logger;
  metrics: Metrics;
  topics: { claimsDlq: string; householdsDlq: string };
  /** Months kept (RETENTION_MONTHS). */
  retentionMonths: number;
  asOf: () => string;
}

export interface ClaimBatchStats extends EvaluationStats {
  claims: number;
  applied: number;
  duplicates: number;
  deadLettered: number;
  /** Milliseconds per step, for the debug log of each batch. */
  msDecode?: number;
  msApply?: number;
  msIndex?: number;
  msEvaluate?: number;
}

/** Codes after which the person's household is evaluated: anything that is (or may have been) applied. */
const EVALUATE_AFTER: ReadonlySet<ApplyCode> = new Set([APPLY.applied, APPLY.recorded, APPLY.duplicate]);

export class Processor {
  constructor(private readonly deps: ProcessorDeps) {}

  async claims(
    messages: readonly KafkaMessage[],
    origin: Origin,
    heartbeat: () => Promise<void>,
  ): Promise<ClaimBatchStats> {
    const { redis, keys } = this.deps;
    const started = performance.now();
    const asOf = this.deps.asOf();
    const floor = oldestRetainedMonth(asOf, this.deps.retentionMonths);
    const dead: BuiltDeadLetter[] = [];
    const claims: ClaimEvent[] = [];
    const sources: KafkaMessage[] = [];
    for (const message of messages) {
      const decoded = decodeClaim(message.value);
      if (!decoded.ok) {
        dead.push(deadLetter('claim', message, origin, decoded.rejections, decoded.input));
      } else if (decoded.claim.serviceDate.slice(0, 7) < floor) {
        dead.push(
          deadLetter('claim', message, origin, [rejection('SERVICE_DATE_TOO_OLD', 'serviceDate')], decoded.claim),
        );
      } else {
        claims.push(decoded.claim);
        sources.push(message);
      }
    }

    const t0 = performance.now();
    const { claims: outcomes, persons } = await applyClaims(redis, keys, claims, floor);
    const t1 = performance.now();
    const stats: ClaimBatchStats = {
      claims: messages.length,
      applied: 0,
      duplicates: 0,
      deadLettered: 0,
      evaluated: 0,
      published: 0,
      alerts: 0,
    };
    const touched = new Set<string>();
    const latest = new Map<string, number>();
    outcomes.forEach(({ claim, code, monthIndex: month }, i) => {
      const notice = NOTICES[code];
      if (notice)
        dead.push(
          deadLetter(
            'claim',
            sources[i]!,
            origin,
            [
              rejection(
                notice,
                notice === 'SERVICE_DATE_TOO_OLD' ? 'serviceDate' : '(item)',
                noticeText(notice, claim),
              ),
            ],
            claim,
          ),
        );
      if (code === APPLY.applied || code === APPLY.recorded) {
        stats.applied++;
        latest.set(claim.personId, Math.max(latest.get(claim.personId) ?? 0, month));
      }
      if (code === APPLY.duplicate) stats.duplicates++;
      if (EVALUATE_AFTER.has(code)) touched.add(claim.personId);
    });

    // The index of persons with burden, for the month roll-over (not a SCAN of everything).
    if (latest.size > 0) {
      const byShard = new Map<number, (string | number)[]>();
      for (const [person, month] of latest) {
        const shard = keys.shardOf(person);
        const args = byShard.get(shard) ?? [];
        args.push(month, person);
        byShard.set(shard, args);
      }
      const index = redis.pipeline();
      for (const [shard, args] of byShard) index.zadd(keys.activeShard(shard), 'GT', ...args);
      await index.exec().then((r) =>
        r?.forEach(([err]) => {
          if (err) throw err;
        }),
      );
    }
    await heartbeat();

    const targets: Target[] = [...touched].map((person) => {
      const householdId = persons.get(person)?.householdId;
      return householdId ? { kind: 'household', id: householdId } : { kind: 'solo', person };
    });
    const t2 = performance.now();
    const evaluation = await this.deps.evaluator.run(targets, asOf, heartbeat);
    Object.assign(stats, evaluation, {
      claims: messages.length,
      msDecode: Math.round(t0 - started),
      msApply: Math.round(t1 - t0),
      msIndex: Math.round(t2 - t1),
      msEvaluate: Math.round(performance.now() - t2),
    });

    await this.sendDeadLetters(this.deps.topics.claimsDlq, dead);
    this.deps.metrics.claimsApplied(stats.applied);
    this.deps.metrics.claimsDuplicate(stats.duplicates);
    stats.deadLettered = dead.length;
    return stats;
  }

  async households(
    messages: readonly KafkaMessage[],
    origin: Origin,
    heartbeat: () => Promise<void>,
  ): Promise<EvaluationStats> {
    const dead: BuiltDeadLetter[] = [];
    const records: HouseholdEvent[] = [];
    for (const message of messages) {
      const decoded = decodeHousehold(message.value);
      if (decoded.ok) records.push(decoded.household);
      else dead.push(deadLetter('household', message, origin, decoded.rejections, decoded.input));
    }
    const targets = await putHouseholds(this.deps.redis, this.deps.keys, records);
    const stats = await this.deps.evaluator.run(targets, this.deps.asOf(), heartbeat);
    await this.sendDeadLetters(this.deps.topics.householdsDlq, dead);
    return stats;
  }

  /** One log line per dead letter (claim id, institution, code: never the value); sent, then counted. */
  private async sendDeadLetters(topic: string, dead: readonly BuiltDeadLetter[]): Promise<void> {
    if (dead.length === 0) return;
    for (const { summary } of dead) {
      this.deps.logger.warn({ ...summary, dlq: topic }, `${summary.kind} dead-lettered`);
    }
    await sendInOrder(
      this.deps.producer,
      topic,
      dead.map((d) => d.message),
    );
    // Counted once they are on the topic.
    for (const { summary } of dead) this.deps.metrics.deadLettered(summary.kind, summary.code, summary.institution);
  }
}

/** Outcomes of the apply script that go to the dead-letter topic. */
const NOTICES: Partial<
  Record<
    ApplyCode,
    'CLAIM_CONFLICT' | 'SERVICE_DATE_TOO_OLD' | 'REVERSAL_TARGET_NOT_SETTLEMENT' | 'REVERSAL_ALREADY_APPLIED'
  >
> = {
  [APPLY.conflict]: 'CLAIM_CONFLICT',
  [APPLY.tooOld]: 'SERVICE_DATE_TOO_OLD',
  [APPLY.reversalOfReversal]: 'REVERSAL_TARGET_NOT_SETTLEMENT',
  [APPLY.reversalAlreadyApplied]: 'REVERSAL_ALREADY_APPLIED',
};

function noticeText(code: string, claim: ClaimEvent): string {
  switch (code) {
    case 'CLAIM_CONFLICT':
      return `claimId ${claim.claimId} was applied before with different content; the first version is kept`;
    case 'REVERSAL_TARGET_NOT_SETTLEMENT':
      return `${claim.reversedClaimId} is a reversal, not a settlement; reversal ${claim.claimId} has no effect`;
    case 'REVERSAL_ALREADY_APPLIED':
      return `${claim.reversedClaimId} is already reversed by another reversal; ${claim.claimId} has no effect`;
    default:
      return 'serviceDate is older than the months the accumulator keeps';
  }
}
