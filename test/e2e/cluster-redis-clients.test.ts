// Ingest's identity store and the console's sessions on the Redis Cluster of infra/cluster.sh, through
// createRedisClient as the services build them: records spread over many slots are kept and revealed (one
// command per key: MGET across slots would fail with CROSSSLOT), and a session lives and ends there.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, waitForRedisCluster, type ClusterInfra } from '@warnline/infra';
import { createRedisClient, scanTargets } from '@warnline/runtime';
import { uniqueId } from '@warnline/test';
import { createIdentityCipher } from '../../services/ingest/src/identity-cipher.ts';
import { createIdentityStore, type PersonIdentity } from '../../services/ingest/src/identity-store.ts';
import { SessionStore } from '../../services/console/src/sessions.ts';

let cluster: ClusterInfra;
let redis: Redis;
const prefix = uniqueId('wlcr');

beforeAll(async () => {
  cluster = await startCluster();
  await waitForRedisCluster(cluster);
  // As ingest's main.ts builds its identity client: fail fast, connect when asked.
  redis = createRedisClient(
    { REDIS_CLUSTER_NODES: cluster.redisNodes },
    { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true },
  );
  await redis.connect();
}, 300_000);

afterAll(async () => {
  if (!redis) return;
  for (const node of scanTargets(redis)) {
    const stream = node.scanStream({ match: `${prefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) for (const key of keys) await node.unlink(key);
  }
  redis.disconnect();
});

describe('on a Redis Cluster', () => {
  it('the identity store keeps and reveals identities whose keys lie in many slots', async () => {
    const store = createIdentityStore({
      redis,
      prefix,
      cipher: createIdentityCipher(new Map([['k1', randomBytes(32)]]), 'k1'),
    });
    const identities = new Map<string, PersonIdentity>(
      Array.from({ length: 50 }, (_, i) => [
        `p_${i.toString(16).padStart(32, '0')}`,
        { personIdType: 'passport', personId: `E${String(1_000_000 + i)}` },
      ]),
    );
    await store.keep(identities);
    const pseudonyms = [...identities.keys(), 'p_ffffffffffffffffffffffffffffffff'];
    const slots = new Set(
      await Promise.all(pseudonyms.map((p) => redis.call('CLUSTER', 'KEYSLOT', `${prefix}:identity:${p}`))),
    );
    expect(slots.size).toBeGreaterThan(10);

    const revealed = await store.reveal(pseudonyms);
    expect(revealed.slice(0, -1)).toEqual([...identities].map(([pseudonym, identity]) => ({ pseudonym, ...identity })));
    expect(revealed.at(-1)).toEqual({ pseudonym: 'p_ffffffffffffffffffffffffffffffff', code: 'IDENTITY_NOT_FOUND' });
  });

  it("the console's sessions are created, renewed and ended", async () => {
    const sessions = new SessionStore(redis, prefix, 60);
    const id = await sessions.create(
      'street-token-0123456789',
      { name: 'st', role: 'street', street: '310113103' },
      new Date(),
    );
    expect((await sessions.touch(id))?.principal).toEqual({ name: 'st', role: 'street', street: '310113103' });
    await sessions.destroy(id);
    expect(await sessions.touch(id)).toBeNull();
  });
});
