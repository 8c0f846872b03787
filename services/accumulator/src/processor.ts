// The accumulator's work per Kafka batch: decode, apply to Redis exactly once, re-evaluate the
// households touched, publish status changes and raise alerts. Every step is idempotent, so a batch
// replayed after a crash changes nothing that was already done.
import type { KafkaMessage, Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { levelRank, type Level } from '@warnline/contracts';
import type { AlertPublisher } from './alerts.ts';
import { applyClaims, decodeClaim } from './claim-batch.ts';
import { decide, householdOf, loadHouseholdState } from './evaluate.ts';
import { decodeHousehold, putHousehold } from './household-store.ts';
import type { Keys } from './keys.ts';

export interface ProcessorDeps {
  redis: Redis;
  keys: Keys;
  producer: Producer;
  alerts: AlertPublisher;
  logger: Logger;
  topics: { claimsDlq: string; householdsDlq: string; householdStatus: string };
  ruleSet: string;
  asOf: () => string;
}

/** A household to evaluate: by registry id, or a person with no household record. */
type Target = { householdId: string | null; person?: string };

export class Processor {
  constructor(private readonly deps: ProcessorDeps) {}

  async claims(messages: KafkaMessage[]): Promise<void> {
    const { redis, keys } = this.deps;
    const dead: { message: KafkaMessage; reason: string; detail: string }[] = [];
    const claims = [];
    for (const message of messages) {
      const decoded = decodeClaim(message.value);
      if (decoded.ok) claims.push(decoded.claim);
      else dead.push({ message, reason: decoded.reason, detail: decoded.detail });
    }
    const outcomes = await applyClaims(redis, keys, claims);
    const touched = new Set<string>();
    for (const o of outcomes) {
      if (o.result === 'applied') touched.add(o.claim.personId);
      if (o.result === 'conflict') {
        dead.push({ message: { key: null, value: Buffer.from(JSON.stringify(o.claim)), timestamp: '', attributes: 0, offset: '', headers: {} } as KafkaMessage, reason: 'CLAIM_CONFLICT', detail: `claimId ${o.claim.claimId} seen before with different content` });
      }
    }
    await this.deadLetter(this.deps.topics.claimsDlq, dead);
    const targets = new Map<string, Target>();
    for (const person of touched) {
      const householdId = await householdOf(redis, keys, person);
      targets.set(householdId ?? person, householdId ? { householdId } : { householdId: null, person });
    }
    for (const target of targets.values()) await this.evaluate(target);
  }

  async households(messages: KafkaMessage[]): Promise<void> {
    const dead: { message: KafkaMessage; reason: string; detail: string }[] = [];
    for (const message of messages) {
      const decoded = decodeHousehold(message.value);
      if (!decoded.ok) {
        dead.push({ message, reason: decoded.reason, detail: decoded.detail });
        continue;
      }
      if (await putHousehold(this.deps.redis, this.deps.keys, decoded.household)) {
        await this.evaluate({ householdId: decoded.household.householdId });
      }
    }
    await this.deadLetter(this.deps.topics.householdsDlq, dead);
  }

  private async evaluate(target: Target): Promise<void> {
    const { redis, keys, producer, topics } = this.deps;
    const state = await loadHouseholdState(redis, keys, target.householdId, target.person);
    const decision = decide(state, this.deps.asOf());
    const statusKey = keys.householdStatus(decision.householdId);
    const previous = (await redis.hget(statusKey, 'level')) as Level | null;
    if (previous === decision.level) return;
    await producer.send({
      topic: topics.householdStatus,
      acks: -1,
      messages: [{ key: decision.householdId, value: JSON.stringify({ ...decision, ruleSet: this.deps.ruleSet, previousLevel: previous ?? 'none' }) }],
    });
    const rose = levelRank(decision.level) > levelRank(previous ?? 'none');
    if (rose && state.household) {
      await this.deps.alerts.raise({
        householdId: decision.householdId,
        streetCode: state.household.streetCode,
        districtCode: state.household.districtCode,
        level: decision.level,
        findings: [],
        burden12m: decision.burden12m,
        income: decision.income,
        burdenRatio: null,
        window: decision.window,
        assistance: { total: '0.00', capRemaining: null },
        ruleSet: this.deps.ruleSet,
        raisedAt: new Date().toISOString(),
      });
    }
    // Written last: if anything above fails, the batch is replayed and this household re-evaluated.
    await redis.hset(statusKey, 'level', decision.level, 'windowTo', decision.window.to);
  }

  private async deadLetter(topic: string, dead: { message: KafkaMessage; reason: string; detail: string }[]): Promise<void> {
    if (dead.length === 0) return;
    for (const d of dead) this.deps.logger.warn({ reason: d.reason, detail: d.detail, topic }, 'dead-lettered');
    await this.deps.producer.send({
      topic,
      acks: -1,
      messages: dead.map((d) => ({
        key: d.message.key,
        value: d.message.value,
        headers: { reason: d.reason, detail: d.detail.slice(0, 1000) },
      })),
    });
  }
}
