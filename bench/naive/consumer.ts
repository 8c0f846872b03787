// The naive accumulator, the baseline the accumulator's throughput is compared with: what a first
// version would do. kafkajs eachMessage (one message at a time), the message parsed and checked at the edge
// with the contract's zod schema, the claim's fen and fingerprint computed, then ONE awaited Redis call per
// claim (a Lua script that records the claimId and adds to the month bucket). No household evaluation: the
// naive path does strictly less work per claim than the accumulator, so the measured ratio understates the
// gain, never overstates it.
//
// Run as its own process by bench/run.ts, like the accumulator, with:
//   KAFKA_BROKERS, REDIS_URL, NAIVE_TOPIC, NAIVE_GROUP, NAIVE_PREFIX
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { ClaimEventSchema, monthOf, yuanToFen, type ClaimEvent } from '@warnline/contracts';
import { naiveKeys } from './keys.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const keys = naiveKeys(env('NAIVE_PREFIX'));
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

const kafka = new Kafka({
  clientId: 'bench-naive',
  brokers: env('KAFKA_BROKERS').split(','),
  logLevel: logLevel.ERROR,
});
const consumer = kafka.consumer({ groupId: env('NAIVE_GROUP') });
await consumer.connect();
await consumer.subscribe({ topic: env('NAIVE_TOPIC'), fromBeginning: true });
await consumer.run({
  // Offsets are committed twice a second so the parent's lag probe sees progress as it happens.
  autoCommitInterval: 500,
  eachMessage: async ({ message }) => {
    if (message.value === null) return;
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString());
    } catch {
      return;
    }
    const parsed = ClaimEventSchema.safeParse(json);
    if (!parsed.success) return;
    const c = parsed.data;
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
