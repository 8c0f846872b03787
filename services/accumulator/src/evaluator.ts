// Evaluates households with packages/rules after their state changed, publishes to household-status.v1 every
// decision that differs in any field from the last one published, and raises alerts when the level rose.
// Safe under concurrency and crashes:
// - begin-evaluation-1.lua hands out a sequence number before the members are read, and
//   record-decision-2.lua keeps only the decision of the highest one, so a decision from an older read never
//   overwrites a newer one, whichever instance (or partition) finishes last;
// - a decision is recorded before it is published and confirmed after; an unconfirmed one is published again
//   by the next evaluation (a crash in between loses nothing), and a publisher whose decision was overtaken
//   while it was sending evaluates again and publishes even an unchanged decision, so the last message of a
//   household on the topic is always the newest decision;
// - alert jobs have deterministic ids: redelivery and re-evaluation never add a second job.
import type { KafkaSender } from '@warnline/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  CodedError,
  districtOfInsuredArea,
  levelRank,
  SERVICE_ERRORS,
  type HouseholdEvent,
  type Level,
} from '@warnline/contracts';
import { evaluateFenHousehold, getRuleSet, type Decision, type RuleSet, type RuleSetRegistry } from '@warnline/rules';
import { alertWarnings, type AlertPublisher } from './alerts.ts';
import { sendInOrder } from './kafka-send.ts';
import type { Keys } from './keys.ts';
import type { Metrics } from './metrics.ts';
import { RECORD, reply } from './scripts.ts';
import { INSURED_AREA_FIELD } from './claim-batch.ts';
import { REGISTRY_DISTRICT_FIELD } from './household-store.ts';
import { digestOfJson } from './decision-digest.ts';
import { evaluationHousehold, hasBuckets, householdUsage, soloHousehold, usageOf } from './usage.ts';

/** A household to evaluate: a registry household, or a person with no registry record (a household of one). */
export type Target = { kind: 'household'; id: string } | { kind: 'solo'; person: string };

export interface EvaluatorDeps {
  redis: Redis;
  keys: Keys;
  producer: KafkaSender;
  alerts: AlertPublisher;
  logger: Logger;
  metrics: Metrics;
  statusTopic: string;
  ruleSet: string;
  /** Where rule sets come from: the built-in ones with the operator's data files. Default: the built-in ones. */
  ruleSets?: Pick<RuleSetRegistry, 'get'>;
  /** Targets per round trip group. */
  chunk: number;
  /**
   * Groups evaluated at once (default 1): while one waits for Redis or the broker, another decides. Groups hold
   * different households, so they never race each other (as two instances never do on different households).
   */
  chunksInFlight?: number;
}

export interface EvaluationStats {
  evaluated: number;
  published: number;
  alerts: number;
}

/** Status message on household-status.v1: the decision plus how it came to be published. */
export interface StatusMessage extends Decision {
  previousLevel: Level;
  /** The household's state sequence number the decision was computed at (higher = newer). */
  stateSeq: number;
  publishedAt: string;
}

/** How many times a publisher re-evaluates after being overtaken before it gives up (the batch is retried). */
const MAX_ROUNDS = 8;

/**
 * Other instances kept overtaking this one's evaluations: contention, not a defect of a record, so the batch
 * is retried as after an outage and nothing is parked.
 */
export class EvaluationContendedError extends CodedError<'EVALUATION_CONTENDED'> {
  constructor(left: number) {
    super('EVALUATION_CONTENDED', SERVICE_ERRORS.EVALUATION_CONTENDED, {
      message: `households kept being re-evaluated concurrently: ${left} left`,
    });
    this.name = 'EvaluationContendedError';
  }
}

/**
 * The district whose triage desk gets a household of one's alert: the district of the person's insured area
 * when a claim named one, else the district of the registry household that listed them last; null (the
 * city's desk) when neither is known.
 */
export function soloDistrict(person: Record<string, string> | undefined): string | null {
  return districtOfInsuredArea(person?.[INSURED_AREA_FIELD]) ?? person?.[REGISTRY_DISTRICT_FIELD] ?? null;
}

const targetKey = (t: Target) => (t.kind === 'household' ? `h:${t.id}` : `s:${t.person}`);

/**
 * The status message's JSON from the decision's JSON: the same text as JSON.stringify({...decision, ...extra})
 * (the decision's fields, then these three), without serialising the decision a second time.
 */
export function statusMessageJson(
  decisionJson: string,
  extra: Pick<StatusMessage, 'previousLevel' | 'stateSeq' | 'publishedAt'>,
): string {
  return `${decisionJson.slice(0, -1)},${JSON.stringify(extra).slice(1)}`;
}

export class Evaluator {
  private readonly ruleSets = new Map<string, RuleSet>();

  constructor(private readonly deps: EvaluatorDeps) {}

  /** The rule set in force on `asOf`; throws (at start-up, from main.ts) when there is none. */
  ruleSetAt(asOf: string): RuleSet {
    let ruleSet = this.ruleSets.get(asOf);
    if (!ruleSet) {
      ruleSet = this.deps.ruleSets?.get(this.deps.ruleSet, asOf) ?? getRuleSet(this.deps.ruleSet, asOf);
      this.ruleSets.set(asOf, ruleSet);
    }
    return ruleSet;
  }

  /** Evaluates every target once; `progress` runs between chunks (the Kafka heartbeat). */
  async run(targets: readonly Target[], asOf: string, progress?: () => Promise<void>): Promise<EvaluationStats> {
    const stats: EvaluationStats = { evaluated: 0, published: 0, alerts: 0 };
    const unique = [...new Map(targets.map((t) => [targetKey(t), t])).values()];
    const chunks: Target[][] = [];
    for (let i = 0; i < unique.length; i += this.deps.chunk) chunks.push(unique.slice(i, i + this.deps.chunk));
    let next = 0;
    let failure: { error: unknown } | null = null;
    // A few workers take the groups in turn; after a failure none starts another group, the ones under way
    // finish, and the first error is thrown (the batch is retried or isolated as before).
    const worker = async () => {
      while (failure === null && next < chunks.length) {
        try {
          await this.evaluateChunk(chunks[next++]!, asOf, stats);
          if (progress) await progress();
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    const workers = Math.max(1, Math.min(this.deps.chunksInFlight ?? 1, chunks.length));
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== null) throw (failure as { error: unknown }).error;
    return stats;
  }

  /** Evaluates one group until no decision of it was overtaken while being published. */
  private async evaluateChunk(targets: Target[], asOf: string, stats: EvaluationStats): Promise<void> {
    let pending = targets;
    let force = false;
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new EvaluationContendedError(pending.length);
      pending = await this.round(pending, asOf, force, stats);
      force = true;
    }
  }

  /** One evaluation of each target; returns the targets whose published decision was overtaken. */
  private async round(targets: Target[], asOf: string, force: boolean, stats: EvaluationStats): Promise<Target[]> {
    const { redis, keys } = this.deps;
    const statusKey = (t: Target) => (t.kind === 'household' ? keys.household(t.id) : keys.soloStatus(t.person));

    // 1. Sequence numbers (and registry records) first, then the members' state: see the file comment.
    const begin = redis.pipeline();
    for (const t of targets) begin.beginEvaluation(statusKey(t));
    const begun = (await begin.exec()) ?? [];
    const work: { target: Target; seq: number; record: HouseholdEvent | null; members: string[] }[] = [];
    targets.forEach((target, i) => {
      const [seq, json] = reply<[number, string | null]>(begun[i]);
      if (target.kind === 'solo') {
        work.push({ target, seq, record: null, members: [target.person] });
      } else if (json) {
        const record = JSON.parse(json) as HouseholdEvent;
        work.push({ target, seq, record, members: record.members.map((m) => m.personId) });
      }
    });
    const persons = [...new Set(work.flatMap((w) => w.members))];
    const read = redis.pipeline();
    for (const p of persons) read.hgetall(keys.person(p));
    const hashes = new Map<string, Record<string, string>>();
    ((await read.exec()) ?? []).forEach((entry, i) => hashes.set(persons[i]!, reply<Record<string, string>>(entry)));

    // 2. Decide (CPU), then record each decision with a compare-and-set on its sequence number.
    const ruleSet = this.ruleSetAt(asOf);
    const decided = work.map((w) => {
      let decision: Decision | null = null;
      if (w.record) {
        decision = evaluateFenHousehold(ruleSet, {
          household: evaluationHousehold(w.record),
          usage: householdUsage(w.record.householdId, w.members, hashes),
          asOf,
        });
      } else if (w.target.kind === 'solo') {
        const hash = hashes.get(w.target.person) ?? {};
        // A person in a registry household, or without burden left, has no household of one (any more).
        if (hash.h === undefined && hasBuckets(hash)) {
          decision = evaluateFenHousehold(ruleSet, {
            household: soloHousehold(w.target.person),
            usage: usageOf(w.target.person, hash),
            asOf,
          });
        }
      }
      // The decision's JSON is serialised once: for its digest, and again as the body of its status message.
      const json = decision ? JSON.stringify(decision) : null;
      return { ...w, decision, json, digest: json ? digestOfJson(json) : '~' };
    });
    stats.evaluated += decided.length;
    this.deps.metrics.evaluated(decided.length);
    const record = redis.pipeline();
    for (const d of decided) {
      const solo = d.target.kind === 'solo';
      const key = statusKey(d.target);
      record.recordDecision(
        key,
        solo ? keys.person((d.target as { person: string }).person) : key,
        d.seq,
        d.digest,
        d.decision?.level ?? 'none',
        force ? '1' : '0',
        solo ? '1' : '0',
      );
    }
    const recorded = (await record.exec()) ?? [];

    // 3. Alerts, then the status messages, then the confirmations.
    const toPublish: { d: (typeof decided)[number]; acked: Level; tombstone: boolean }[] = [];
    decided.forEach((d, i) => {
      const [verdict, acked, digest] = reply<[number, string?, string?]>(recorded[i]);
      if (verdict === RECORD.publish)
        toPublish.push({ d, acked: (acked ?? 'none') as Level, tombstone: digest === '~' || !d.decision });
    });
    if (toPublish.length === 0) return [];
    const raisedAt = new Date().toISOString();
    const alerts = toPublish.filter(
      (p) => !p.tombstone && p.d.decision!.level !== 'none' && levelRank(p.d.decision!.level) > levelRank(p.acked),
    );
    await Promise.all(
      alerts.map(({ d }) =>
        this.deps.alerts.raise({
          householdId: d.decision!.householdId,
          streetCode: d.record?.streetCode ?? '',
          districtCode: d.record?.districtCode ?? soloDistrict(hashes.get(d.decision!.householdId)),
          level: d.decision!.level,
          findings: d.decision!.findings.map((f) => ({ ...f })),
          burden12m: d.decision!.burden12m,
          burdenByMonth: d.decision!.burdenByMonth,
          income: d.decision!.income,
          burdenRatio: d.decision!.burdenRatio,
          window: d.decision!.window,
          assistance: d.decision!.assistance,
          ruleSet: d.decision!.ruleSet,
          raisedAt,
          warnings: alertWarnings(d.decision!.warnings),
          members: [...d.members],
        }),
      ),
    );
    stats.alerts += alerts.length;
    this.deps.metrics.alertsRaised(alerts.length);
    await this.linkJoiners(toPublish, hashes);
    await sendInOrder(
      this.deps.producer,
      this.deps.statusTopic,
      toPublish.map(({ d, acked, tombstone }) => ({
        key: d.target.kind === 'household' ? d.target.id : d.target.person,
        value: tombstone
          ? null
          : statusMessageJson(d.json!, { previousLevel: acked, stateSeq: d.seq, publishedAt: raisedAt }),
      })),
    );
    stats.published += toPublish.length;
    this.deps.metrics.statusPublished(toPublish.length);
    const confirm = redis.pipeline();
    for (const { d } of toPublish) confirm.confirmPublished(statusKey(d.target), d.seq);
    const confirmed = (await confirm.exec()) ?? [];
    return toPublish.filter((_, i) => reply<number>(confirmed[i]) === 0).map(({ d }) => d.target);
  }

  /**
   * A household of one that ended because the person joined a registry household: the alerter links the
   * person's open alert (if any) to the household's, since only it knows the alerts' states.
   */
  private async linkJoiners(
    published: readonly { d: { target: Target }; tombstone: boolean }[],
    hashes: ReadonlyMap<string, Record<string, string>>,
  ): Promise<void> {
    const joined = published.flatMap(({ d, tombstone }) => {
      const householdId = d.target.kind === 'solo' ? hashes.get(d.target.person)?.h : undefined;
      return tombstone && d.target.kind === 'solo' && householdId ? [{ personId: d.target.person, householdId }] : [];
    });
    if (joined.length === 0) return;
    const read = this.deps.redis.pipeline();
    for (const j of joined) read.hget(this.deps.keys.household(j.householdId), 'rec');
    const records = (await read.exec()) ?? [];
    const linkedAt = new Date().toISOString();
    await Promise.all(
      joined.flatMap((j, i) => {
        const json = reply<string | null>(records[i]);
        if (!json) return [];
        const { streetCode, districtCode } = JSON.parse(json) as HouseholdEvent;
        return [this.deps.alerts.link({ ...j, streetCode, districtCode, linkedAt })];
      }),
    );
  }
}
