// National-platform exchanges end to end: a hospital posts the 2304 settlements it logged with the national
// platform, and the household they push over the 40% line gets an alert in its street's queue. A settlement
// cancelled after it was counted, one cancelled before it arrived, and an exchange posted twice change
// nothing: the alert carries exactly the burden of the settlements that stand.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { streetQueueName } from '@warnline/contracts';
import {
  daysAgo,
  household,
  residentId,
  consumerLag,
  nhsaExchange,
  setlId,
  uniqueId,
  type RunningService,
  waitFor,
} from '@warnline/test';
import { postAccepted, stackEnv, stackNames, startStack, stopStack } from './stack.ts';

describe('national-platform exchanges → ingest → accumulator → street queue', () => {
  const services: RunningService[] = [];
  const names = stackNames();
  const { queuePrefix, hospitalToken, registryToken, namespace, group } = names;
  const street = '310113104';
  let ingest: RunningService;
  let redis: Redis;
  let kafka: Kafka;

  beforeAll(async () => {
    const stack = await startStack(
      stackEnv({
        ...names,
        institutionLevels: { H31011000012: 3 },
        streets: street,
      }),
    );
    services.push(stack.ingest, stack.accumulator, stack.alerter);
    ingest = stack.ingest;
    redis = new Redis(inject('redisUrl'));
    kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'e2e-nhsa', logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await stopStack(services, redis, names);
  });

  const post = (path: string, token: string, body: unknown) => postAccepted(ingest, path, token, body);
  const consumed = (topic: string) =>
    waitFor(`${topic} consumed`, async () => (await consumerLag(kafka, group, [`${namespace}${topic}`])) === 0);

  it('raises one alert with the burden of the settlements that stand', async () => {
    const [a, b] = [residentId(611), residentId(612)];
    // Two members, 50,000 yuan a year: the 40% line is 20,000 yuan of personal burden.
    const hh = household({ householdId: uniqueId('HH'), members: [a, b], streetCode: street, income: '50000.00' });
    expect(await post('/v1/households', registryToken, hh)).toEqual({ accepted: 1, rejected: [] });
    await consumed('households.v1');

    // Counted, then cancelled (2305 after 2304): 1,500 yuan that must not stay.
    const small = setlId();
    const smallStay = nhsaExchange({ infno: '2304', setlId: small, certno: a, cashFen: 50_000 });
    expect(await post('/v1/nhsa/exchanges', hospitalToken, smallStay)).toEqual({ accepted: 1, rejected: [] });
    await consumed('claims.v1');
    const smallCancel = nhsaExchange({
      infno: '2305',
      cancels: small,
      certno: a,
      sign: -1,
      setlTime: `${daysAgo(1)} 11:00:00`,
    });
    expect(await post('/v1/nhsa/exchanges', hospitalToken, smallCancel)).toEqual({ accepted: 1, rejected: [] });

    // Cancelled before it arrives (2305 first): 31,000 yuan that must never count, alone over the line.
    const large = setlId();
    const largeCancel = nhsaExchange({ infno: '2305', cancels: large, certno: b, amountsAs: 'number' });
    expect(await post('/v1/nhsa/exchanges', hospitalToken, largeCancel)).toEqual({ accepted: 1, rejected: [] });
    await consumed('claims.v1');

    // 10,000 (a) + 12,000 (b) = 22,000 yuan: 44% of income. a's stay is posted twice.
    const stayA = nhsaExchange({ infno: '2304', certno: a, cashFen: 900_000, amountsAs: 'number' });
    const stayB = nhsaExchange({ infno: '2304', certno: b, cashFen: 1_100_000, medType: '22' });
    const largeStay = nhsaExchange({ infno: '2304', setlId: large, certno: b, cashFen: 3_000_000 });
    expect(await post('/v1/nhsa/exchanges', hospitalToken, [stayA, largeStay, stayB, stayA])).toEqual({
      accepted: 4,
      rejected: [],
    });
    await consumed('claims.v1');

    const connection = redis.duplicate();
    const queue = new Queue(streetQueueName(street), { connection, prefix: queuePrefix });
    try {
      const jobs = await waitFor('an alert job in the street queue', async () => {
        const found = await queue.getJobs(['prioritized', 'waiting', 'active', 'completed']);
        return found.length > 0 ? found : undefined;
      });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.data).toMatchObject({
        householdId: hh.householdId,
        streetCode: street,
        level: 'action',
        burden12m: '22000.00',
      });
      expect(JSON.stringify(jobs[0]!.data)).not.toContain(a);
    } finally {
      await queue.close();
      await connection.quit();
    }
    for (const s of services) {
      expect(s.output()).not.toContain(a);
      expect(s.output()).not.toContain(b);
    }
  });
});
