// Walking skeleton: a claim POSTed to ingest reaches Kafka, the accumulator adds it to a Redis
// total, and a BullMQ job appears in the street queue — three services as separate processes, a real
// broker, a real Redis.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { streetQueueName } from '@warnline/contracts';
import { claim, household, residentId, consumerLag, uniqueId, type RunningService, waitFor } from '@warnline/test';
import { stackEnv, stackNames, startStack, stopStack } from './stack.ts';

describe('walking skeleton: HIS claim → ingest → Kafka → accumulator → Redis → street queue', () => {
  const services: RunningService[] = [];
  const names = stackNames();
  const { queuePrefix, hospitalToken, registryToken, namespace, group } = names;
  let ingest: RunningService;
  let alerter: RunningService;
  let redis: Redis;
  // Ingest refuses requests without a bearer token (the stack names carry one hospital and one registry token);
  // the caseworker API wants a street token.
  const caseworkerToken = uniqueId('street-token-0123456789');
  const headers = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const stack = await startStack(
      stackEnv({
        ...names,
        alerterTokens: [{ name: 'e2e-street', token: caseworkerToken, role: 'street', street: '310113103' }],
        streets: '310113103',
      }),
    );
    services.push(stack.ingest, stack.accumulator, stack.alerter);
    ({ ingest, alerter } = stack);
    redis = new Redis(inject('redisUrl'));
  });

  afterAll(async () => {
    await stopStack(services, redis, names);
  });

  it('turns one claim into one alert job in the household street queue', async () => {
    const person = residentId(7);
    // One member, 20,000 yuan a year: a 10,000 yuan burden is 50% of income (沪府办规〔2022〕19号 四, 第二类).
    const hh = household({
      householdId: uniqueId('HH'),
      members: [person],
      streetCode: '310113103',
      income: '20000.00',
    });
    const hhRes = await fetch(`${ingest.url}/v1/households`, {
      method: 'POST',
      headers: headers(registryToken),
      body: JSON.stringify(hh),
    });
    expect(hhRes.status).toBe(202);
    expect(await hhRes.json()).toEqual({ accepted: 1, rejected: [] });

    // The household record must be in place before the claim, or the claim counts for a household of one.
    const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'e2e', logLevel: logLevel.NOTHING });
    await waitFor(
      'household consumed',
      async () => (await consumerLag(kafka, group, [`${namespace}households.v1`])) === 0,
    );

    const c = claim({ personId: person, cash: '9000.00' });
    const res = await fetch(`${ingest.url}/v1/claims`, {
      method: 'POST',
      headers: headers(hospitalToken),
      body: JSON.stringify([c]),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });

    const connection = redis.duplicate();
    const queue = new Queue(streetQueueName('310113103'), { connection, prefix: queuePrefix });
    try {
      // The alerter consumes the street queue, so the job may already be completed (= recorded).
      const jobs = await waitFor('an alert job in the street queue', async () => {
        const found = await queue.getJobs(['prioritized', 'waiting', 'active', 'completed']);
        return found.length > 0 ? found : undefined;
      });
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!;
      expect(job.data).toMatchObject({ householdId: hh.householdId, streetCode: '310113103', burden12m: '10000.00' });
      expect(job.name).toBe(job.data.level);
      expect(JSON.stringify(job.data)).not.toContain(person);
    } finally {
      await queue.close();
      await connection.quit();
    }

    // The street office's caseworkers see it through their API.
    const listed = await waitFor('the alert listed for the street', async () => {
      const body = (await (
        await fetch(`${alerter.url}/v1/streets/310113103/alerts?state=new`, { headers: headers(caseworkerToken) })
      ).json()) as { alerts?: { householdId: string }[] };
      return body.alerts && body.alerts.length > 0 ? body.alerts : undefined;
    });
    expect(listed.map((a) => a.householdId)).toEqual([hh.householdId]);

    // The raw identity number never reached a log line.
    for (const s of services) expect(s.output()).not.toContain(person);
  });
});
