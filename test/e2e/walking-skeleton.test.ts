// Walking skeleton (issue 2): a claim POSTed to ingest reaches Kafka, the accumulator adds it to a Redis
// total, and a BullMQ job appears in the street queue — three services as separate processes, a real
// broker, a real Redis.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort } from '@warnline/infra';
import { streetQueueName } from '@warnline/contracts';
import { claim, household, residentId } from '../support/fixtures.ts';
import { uniqueId, uniqueNamespace } from '../support/names.ts';
import { startService, type RunningService } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

describe('walking skeleton: HIS claim → ingest → Kafka → accumulator → Redis → street queue', () => {
  const services: RunningService[] = [];
  const queuePrefix = uniqueId('wlq');
  const redisPrefix = uniqueId('wlt');
  let ingest: RunningService;
  let alerter: RunningService;
  let redis: Redis;

  beforeAll(async () => {
    const common = {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: inject('redisUrl'),
      TOPIC_NAMESPACE: uniqueNamespace(),
      TOPIC_PARTITIONS: '3',
      QUEUE_PREFIX: queuePrefix,
      REDIS_PREFIX: redisPrefix,
      CONSUMER_GROUP: uniqueId('g'),
      PSEUDONYM_KEY: 'test-key-0123456789abcdef0123456789abcdef',
      LOG_LEVEL: 'info',
    };
    const [ingestPort, accPort, alerterPort] = await Promise.all([freePort(), freePort(), freePort()]);
    ingest = await startService('ingest', { ...common, INGEST_PORT: String(ingestPort) }, ingestPort);
    services.push(ingest);
    services.push(await startService('accumulator', { ...common, ACCUMULATOR_PORT: String(accPort) }, accPort));
    alerter = await startService('alerter', { ...common, ALERTER_PORT: String(alerterPort) }, alerterPort);
    services.push(alerter);
    redis = new Redis(inject('redisUrl'));
  });

  afterAll(async () => {
    const codes = await Promise.all(services.map((s) => s.stop()));
    // Clean shutdown on SIGTERM is part of the contract of every service.
    expect(codes).toEqual(services.map(() => 0));
    for (const key of await redis.keys(`${redisPrefix}:*`)) await redis.del(key);
    for (const key of await redis.keys(`${queuePrefix}:*`)) await redis.del(key);
    await redis.quit();
  });

  it('turns one claim into one alert job in the household street queue', async () => {
    const person = residentId(7);
    const hh = household({ householdId: uniqueId('HH'), members: [person], streetCode: '310113103' });
    const hhRes = await fetch(`${ingest.url}/v1/households`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hh) });
    expect(hhRes.status).toBe(202);
    expect(await hhRes.json()).toEqual({ accepted: 1, rejected: [] });

    // The household record must be in place before the claim, or the claim counts for a household of one.
    await waitFor('household stored', async () => (await redis.keys(`${redisPrefix}:{hh:${hh.householdId}}:record`)).length === 1);

    const c = claim({ personId: person, cash: '4000.00' });
    const res = await fetch(`${ingest.url}/v1/claims`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([c]) });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });

    const connection = redis.duplicate();
    const queue = new Queue(streetQueueName('310113103'), { connection, prefix: queuePrefix });
    try {
      const jobs = await waitFor('an alert job in the street queue', async () => {
        const found = await queue.getJobs(['prioritized', 'waiting']);
        return found.length > 0 ? found : undefined;
      });
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!;
      expect(job.data).toMatchObject({ householdId: hh.householdId, streetCode: '310113103', burden12m: '5000.00' });
      expect(job.name).toBe(job.data.level);
      expect(JSON.stringify(job.data)).not.toContain(person);
    } finally {
      await queue.close();
      await connection.quit();
    }

    // The caseworker API sees the same alert.
    const listed = await (await fetch(`${alerter.url}/v1/streets/310113103/alerts`)).json() as { alerts: { data: { householdId: string } }[] };
    expect(listed.alerts.map((a) => a.data.householdId)).toEqual([hh.householdId]);

    // The raw identity number never reached a log line.
    for (const s of services) expect(s.output()).not.toContain(person);
  });
});
