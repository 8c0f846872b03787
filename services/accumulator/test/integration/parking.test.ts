// A record that keeps failing for a reason a restart cannot cure is parked, never allowed to stop its
// partition: the person hash of one claim's person is corrupted (a Redis string where the accumulator keeps a
// hash), so Redis refuses every script call for that person. The claim is parked on accumulator.parked.v1
// with its error and origin, the claims around it in the same batch are counted, /healthz and /metrics show
// it at once, and a replay after the cause is removed counts it exactly once. The same for a household record
// whose household hash is corrupted.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SERVICE_NODE_FLAGS, waitFor } from '@warnline/test';
import { pseudonymFor, registryHousehold, settlement } from '../support.ts';
import { startedHarness } from './harness.ts';

const run = promisify(execFile);
const REPLAY = join(REPO_ROOT, 'services', 'accumulator', 'src', 'cli', 'replay-parked.ts');

describe('accumulator: a record that keeps failing is parked and replayed', () => {
  // One partition: the three claims arrive in one batch.
  const h = startedHarness(1, { PARK_AFTER_ATTEMPTS: '2', PARK_RETRY_BACKOFF_MS: '10' });
  const namespace = h.topics.claims.slice(0, -'claims.v1'.length);
  const parkedTopic = h.parkedTopic;

  const replay = () =>
    run(process.execPath, [...SERVICE_NODE_FLAGS, REPLAY], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        KAFKA_BROKERS: h.env().KAFKA_BROKERS!,
        TOPIC_NAMESPACE: namespace,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
    });

  it('parks the failing claim, counts the rest, shows it, and counts it once after a replay', async () => {
    const [before, broken, after] = [pseudonymFor(), pseudonymFor(), pseudonymFor()];
    await h.redis.set(h.keys.person(broken), 'not a person hash');
    const claims = [
      settlement({ person: before, serviceDate: '2024-03-01', cash: '100.01' }),
      settlement({ person: broken, serviceDate: '2024-03-02', cash: '200.02' }),
      settlement({ person: after, serviceDate: '2024-03-03', cash: '300.03' }),
    ];
    await h.sendClaims(claims);
    await h.drained();

    // The partition went on: the claims before and after the broken one are counted to the fen.
    expect(await h.totals(before)).toEqual({ burdenFen: 10_001, selfPayFen: 9_001 });
    expect(await h.totals(after)).toEqual({ burdenFen: 30_003, selfPayFen: 29_003 });

    const parked = await h.readTopic(
      parkedTopic,
      (value, key) => ({ key, value: value?.toString() ?? null }),
      (items) => items.length >= 1,
    );
    expect(parked).toEqual([{ key: broken, value: JSON.stringify(claims[1]) }]);
    const headers = await parkedHeaders();
    expect(headers).toMatchObject({
      'parked.code': 'REDIS_COMMAND_REFUSED',
      'parked.topic': h.topics.claims,
      'parked.partition': '0',
      'parked.attempts': '2',
    });
    expect(headers['parked.error']).toMatch(/^ReplyError: WRONGTYPE/);
    expect(Number(headers['parked.offset'])).toBeGreaterThanOrEqual(0);

    const service = h.services[0]!;
    expect(await (await fetch(`${service.url}/healthz`)).json()).toMatchObject({ status: 'degraded', parked: 1 });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('accumulator_records_parked_total{kind="claim",code="REDIS_COMMAND_REFUSED"} 1');
    expect(metrics).toMatch(/^accumulator_batch_duration_seconds_count\{kind="claim",outcome="isolated"\} 1$/m);
    expect(metrics).not.toContain(broken);
    expect(service.output()).toContain('record parked');

    // The cause is removed; the replay puts the claim back on claims.v1 with its key, and it counts once,
    // however often it is replayed.
    await h.redis.del(h.keys.person(broken));
    await replay();
    await h.drained();
    expect(await h.totals(broken)).toEqual({ burdenFen: 20_002, selfPayFen: 19_002 });
    await replay();
    await h.drained();
    expect(await h.totals(broken)).toEqual({ burdenFen: 20_002, selfPayFen: 19_002 });
    await h.expectTotalsMatch(claims, (actual, expected) => expect(actual).toEqual(expected));
  });

  it('parks a household record that keeps failing and stores the others of its batch', async () => {
    const [x, y, z] = [pseudonymFor(), pseudonymFor(), pseudonymFor()];
    const tag = x.slice(2, 10);
    const records = [
      registryHousehold({ householdId: `HH-P1-${tag}`, members: [x] }),
      registryHousehold({ householdId: `HH-P2-${tag}`, members: [y] }),
      registryHousehold({ householdId: `HH-P3-${tag}`, members: [z] }),
    ];
    await h.redis.set(h.keys.household(records[1]!.householdId), 'not a household hash');
    await h.sendHouseholds(records);
    await h.drained();
    expect(await h.redis.hget(h.keys.household(records[0]!.householdId), 'ver')).toBe('1');
    expect(await h.redis.hget(h.keys.household(records[2]!.householdId), 'ver')).toBe('1');
    const parked = await h.readTopic(
      parkedTopic,
      (value, key) => ({ key, value: value?.toString() ?? null }),
      (items) => items.length >= 2,
    );
    expect(parked[1]).toEqual({ key: records[1]!.householdId, value: JSON.stringify(records[1]) });
    const service = h.services[0]!;
    expect(await (await fetch(`${service.url}/healthz`)).json()).toMatchObject({ status: 'degraded', parked: 2 });
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain(
      'accumulator_records_parked_total{kind="household",code="REDIS_COMMAND_REFUSED"} 1',
    );

    await h.redis.del(h.keys.household(records[1]!.householdId));
    await replay();
    await h.drained();
    expect(await h.redis.hget(h.keys.person(y), 'h')).toBe(records[1]!.householdId);
    const last = await h.lastStatuses();
    expect(last.get(records[1]!.householdId)).toMatchObject({ householdId: records[1]!.householdId, members: 1 });
  });

  /** The headers of the first parked message, as strings. */
  async function parkedHeaders(): Promise<Record<string, string>> {
    const consumer = h.kafka.consumer({ groupId: `${h.group}-parked-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: parkedTopic, fromBeginning: true });
    let headers: Record<string, string> | null = null;
    await consumer.run({
      eachMessage: async ({ message }) => {
        headers ??= Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v?.toString() ?? '')]),
        );
      },
    });
    try {
      return await waitFor('a parked message', () => headers);
    } finally {
      await consumer.disconnect();
    }
  }
});
