// The naive accumulator, the baseline the accumulator's throughput is compared with: the straightforward
// implementation of the same job. kafkajs eachMessage (one message at a time); a claim is parsed and checked
// at the edge with the contract's zod schema, its fen and fingerprint computed, applied with ONE awaited
// Redis call (a Lua script that records the claimId and adds to the month buckets), and then its household
// is evaluated with packages/rules (`evaluateHousehold`) from the members' buckets; the offset is committed
// after that. A household record is stored with its members' pointers to it. No batching, no coalescing.
//
// Run as its own process by bench/run.ts, like the accumulator, with:
//   KAFKA_BROKERS, REDIS_URL, NAIVE_TOPIC, NAIVE_HOUSEHOLDS_TOPIC, NAIVE_GROUP, NAIVE_PREFIX, NAIVE_AS_OF
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import {
  ClaimEventSchema,
  fenToYuan,
  HouseholdEventSchema,
  monthOf,
  yuanToFen,
  type ClaimEvent,
  type HouseholdEvent,
} from '@warnline/contracts';
import { evaluateHousehold, getRuleSet, type EvaluationHousehold, type Usage } from '@warnline/rules';
import { naiveKeys } from './keys.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const keys = naiveKeys(env('NAIVE_PREFIX'));
const claimsTopic = env('NAIVE_TOPIC');
const householdsTopic = env('NAIVE_HOUSEHOLDS_TOPIC');
const asOf = env('NAIVE_AS_OF');
const ruleSet = getRuleSet('shanghai', asOf);
const redis = new Redis(env('REDIS_URL'));
const script = readFileSync(new URL('./apply-claim-2.lua', import.meta.url), 'utf8');
redis.defineCommand('applyClaim', { numberOfKeys: 2, lua: script });
const applyClaim = (redis as unknown as { applyClaim(...args: (string | number)[]): Promise<number> }).applyClaim.bind(
  redis,
);

const short = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 6);

/** The same content fingerprint the accumulator keeps (economic content, then the rest; receivedAt left out). */
function fingerprint(c: ClaimEvent): string {
  const a = c.amounts;
  const economic = [
    c.serviceDate,
    c.visitType,
    c.institution.code,
    c.institution.level,
    ...[
      a.total,
      a.policyScope,
      a.basicFund,
      a.criticalIllness,
      a.supplementary,
      a.assistance,
      a.personalAccount,
      a.cash,
    ].map(yuanToFen),
  ].join('|');
  return short(economic) + short([c.type, c.reversedClaimId ?? '', c.personId, c.settledAt].join('|'));
}

async function applyOne(c: ClaimEvent): Promise<void> {
  const a = c.amounts;
  const sign = c.type === 'reversal' ? -1 : 1;
  const burden = yuanToFen(a.personalAccount) + yuanToFen(a.cash);
  const selfPay = Math.max(
    0,
    yuanToFen(a.policyScope) -
      yuanToFen(a.basicFund) -
      yuanToFen(a.criticalIllness) -
      yuanToFen(a.supplementary) -
      yuanToFen(a.assistance),
  );
  await applyClaim(
    keys.months(c.personId),
    keys.claims(c.personId),
    c.claimId,
    fingerprint(c),
    `${monthOf(c.serviceDate)}:${c.visitType === 'inpatient' ? 'i' : 'o'}`,
    sign * burden,
    sign * selfPay,
  );
}

/** A person's month buckets ("<YYYY-MM>:<i|o>:<b|s>" → fen) as the rules' usage rows. */
function usageOf(personId: string, hash: Record<string, string>): Usage[] {
  const rows = new Map<string, Usage>();
  for (const [field, value] of Object.entries(hash)) {
    const [month, cls, what] = field.split(':') as [string, string, string];
    const key = `${month}:${cls}`;
    const row = rows.get(key) ?? {
      personId,
      month,
      visitClass: cls === 'i' ? ('inpatient' as const) : ('outpatient' as const),
      personalBurden: '0.00',
      selfPay: '0.00',
    };
    if (what === 'b') row.personalBurden = fenToYuan(Number(value));
    else row.selfPay = fenToYuan(Number(value));
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** The claimant's household (registry record, or the person alone), evaluated from its members' buckets. */
async function evaluateFor(personId: string): Promise<void> {
  const householdId = await redis.get(keys.householdOf(personId));
  const json = householdId === null ? null : await redis.get(keys.household(householdId));
  const record = json === null ? null : (JSON.parse(json) as HouseholdEvent);
  const household: EvaluationHousehold = record ?? {
    householdId: personId,
    streetCode: null,
    districtCode: null,
    members: [{ personId }],
    annualDisposableIncome: null,
    categories: [],
    assetTestPassed: null,
  };
  const usage: Usage[] = [];
  for (const { personId: member } of household.members) {
    usage.push(...usageOf(member, await redis.hgetall(keys.months(member))));
  }
  evaluateHousehold(ruleSet, { household, usage, asOf });
}

async function storeHousehold(h: HouseholdEvent): Promise<void> {
  await redis.set(keys.household(h.householdId), JSON.stringify(h));
  for (const m of h.members) await redis.set(keys.householdOf(m.personId), h.householdId);
}

const kafka = new Kafka({
  clientId: 'bench-naive',
  brokers: env('KAFKA_BROKERS').split(','),
  logLevel: logLevel.ERROR,
});
const consumer = kafka.consumer({ groupId: env('NAIVE_GROUP') });
await consumer.connect();
await consumer.subscribe({ topics: [householdsTopic, claimsTopic], fromBeginning: true });
await consumer.run({
  // Offsets are committed twice a second so the parent's lag probe sees progress as it happens.
  autoCommitInterval: 500,
  eachMessage: async ({ topic, message }) => {
    if (message.value === null) return;
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString());
    } catch {
      return;
    }
    if (topic === householdsTopic) {
      const parsed = HouseholdEventSchema.safeParse(json);
      if (parsed.success) await storeHousehold(parsed.data);
      return;
    }
    const parsed = ClaimEventSchema.safeParse(json);
    if (!parsed.success) return;
    await applyOne(parsed.data);
    await evaluateFor(parsed.data.personId);
  },
});
process.stdout.write('naive consumer running\n');

const stop = async () => {
  await consumer.disconnect().catch(() => undefined);
  redis.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
