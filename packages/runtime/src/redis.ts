// The one place a service gets its Redis clients: a single Redis from REDIS_URL, or Redis Cluster (ioredis'
// Cluster client) when REDIS_CLUSTER_NODES is set. Every Lua script keeps its keys under one hash tag and every
// BullMQ prefix is a hash tag, so the services run unchanged on either.
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  /** A single Redis (redis://host:port/db). */
  REDIS_URL?: string | undefined;
  /** Seed nodes of a Redis Cluster ("host:port" each); when given, REDIS_URL is not used. */
  REDIS_CLUSTER_NODES?: readonly string[] | undefined;
}

/** How long a batch waits for its writes to reach the replicas before it is retried (never committed). */
const REPLICA_WAIT_MS = 5_000;

/** A BullMQ prefix that keeps each queue's keys in one slot: the whole prefix, or a part of it, in braces. */
const HASH_TAG = /\{[^{}]+\}/;

/**
 * What is wrong with the Redis settings, or null: neither a single Redis nor a cluster given, or a cluster
 * with a BullMQ prefix that is not a hash tag (BullMQ's scripts touch several keys of a queue at once).
 */
export function redisSettingsProblem(settings: RedisSettings, queuePrefix?: string): string | null {
  if (!isRedisCluster(settings) && !settings.REDIS_URL) return 'REDIS_URL or REDIS_CLUSTER_NODES must be set';
  if (isRedisCluster(settings) && queuePrefix !== undefined && !HASH_TAG.test(queuePrefix))
    return `QUEUE_PREFIX must contain a hash tag on Redis Cluster, e.g. {${queuePrefix}}`;
  return null;
}

/** Stops the start on a settings problem (exit 78, as for any configuration error: a restart cannot help). */
export function checkRedisSettings(settings: RedisSettings, queuePrefix?: string): void {
  const problem = redisSettingsProblem(settings, queuePrefix);
  if (problem === null) return;
  process.stderr.write(`configuration error:\n  ${problem}\n`);
  process.exit(78);
}

/** The deployment is a Redis Cluster. */
export function isRedisCluster(settings: RedisSettings): boolean {
  return (settings.REDIS_CLUSTER_NODES?.length ?? 0) > 0;
}

/**
 * A client for the settings. On a cluster it is ioredis' Cluster, typed as Redis: it answers the same commands
 * (each routed to the node of its key's slot), so the modules stay typed against one client. Options apply to
 * every node connection. Throws when neither setting is given.
 */
export function createRedisClient(settings: RedisSettings, options: RedisOptions = {}): Redis {
  if (isRedisCluster(settings)) return createCluster(settings.REDIS_CLUSTER_NODES!, options) as unknown as Redis;
  if (!settings.REDIS_URL) throw new Error('REDIS_URL or REDIS_CLUSTER_NODES must be set');
  return new Redis(settings.REDIS_URL, options);
}

function createCluster(nodes: readonly string[], options: RedisOptions): Cluster {
  const cluster = new Cluster(
    nodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port ?? 6379) };
    }),
    {
      redisOptions: options,
      // The caller's connection choices hold for the cluster as a whole: with lazyConnect it connects when
      // asked (connect() on an already connecting cluster throws); without the offline queue a command
      // fails at once while no node is ready instead of waiting.
      lazyConnect: options.lazyConnect ?? false,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      // No auto-pipelining: its batches did not always settle when a primary died mid-batch, and a command
      // that never settles stalls its partition for good. Each command is retried and redirected on its own.
      enableAutoPipelining: false,
      // During a failover (cluster-node-timeout plus the election) commands are retried, not failed: a
      // primary's replica takes over within seconds, and a batch that gives up would only be replayed.
      retryDelayOnFailover: 300,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 300,
      maxRedirections: 100,
      clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
      slotsRefreshTimeout: 2_000,
    },
  );
  return withSplitPipelines(cluster);
}

/**
 * A Redis pipeline on a cluster may only touch the slots of one node; a service's pipelines touch many
 * households. Such a pipeline is not atomic anyway, so the client's pipeline() records the commands and sends
 * them one by one, all at once (each node's connection writes them in order); replies come back in the order
 * they were queued. The cluster itself keeps its own pipeline() (MULTI is built on it): only callers see it.
 */
function withSplitPipelines(cluster: Cluster): Cluster {
  return new Proxy(cluster, {
    get(target, name) {
      if (name === 'pipeline') return () => splitPipeline(target);
      if (name === 'duplicate')
        return (...args: Parameters<Cluster['duplicate']>) => withSplitPipelines(target.duplicate(...args));
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type Reply = [Error | null, unknown];

/** A pipeline-shaped recorder: commands are queued by name and sent one by one at exec(). */
function splitPipeline(cluster: Cluster): unknown {
  const queued: [string, unknown[]][] = [];
  const recorder: object = new Proxy(
    {},
    {
      get(_, name) {
        if (name === 'exec')
          return async (): Promise<Reply[]> => {
            const sent = queued.map(([command, args]) =>
              (cluster as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[command]!(...args),
            );
            const settled = await Promise.allSettled(sent);
            return settled.map((s) => (s.status === 'fulfilled' ? [null, s.value] : [s.reason as Error, null]));
          };
        if (name === 'length') return queued.length;
        if (typeof name !== 'string' || name === 'then') return undefined;
        return (...args: unknown[]) => {
          queued.push([name, args]);
          return recorder;
        };
      },
    },
  );
  return recorder;
}

/**
 * Waits until every write made so far through these clients is on the replicas of its primary (WAIT), so that
 * a failover after this point cannot lose it. Called before a batch's offsets are committed: a batch whose
 * writes could still be lost is never committed. A primary without a connected replica is not waited for (it
 * has nothing to fail over to; its AOF is all there is). On a single Redis it does nothing.
 */
export async function waitForReplicas(clients: readonly Redis[]): Promise<void> {
  const primaries = clients.flatMap((c) => clusterOf(c)?.nodes('master') ?? []);
  await Promise.all(primaries.map((node) => withDeadline(acknowledgedByReplica(node), node)));
}

async function acknowledgedByReplica(node: Redis): Promise<void> {
  const role = (await node.call('ROLE')) as [string, number, unknown[]];
  const replicas = Array.isArray(role[2]) ? role[2].length : 0;
  if (replicas === 0) return;
  const acknowledged = (await node.call('WAIT', 1, REPLICA_WAIT_MS)) as number;
  if (acknowledged < 1) throw replicaNotReached(node);
}

/** A primary that died mid-wait may never answer: the batch is retried rather than left hanging. */
async function withDeadline(wait: Promise<void>, node: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(replicaNotReached(node)), REPLICA_WAIT_MS + 2_000);
  });
  try {
    await Promise.race([wait, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function replicaNotReached(node: Redis): Error {
  const err = new Error(`writes not acknowledged by a replica of ${node.options.host}:${node.options.port} in time`);
  // The batch is retried from its last commit, like any other unavailability (parking.ts isTransient).
  return Object.assign(err, { name: 'ReplicaWaitError', retriable: true });
}

/** Every primary of a cluster, or the client itself: where a SCAN must run to see every key. */
export function scanTargets(client: Redis): Redis[] {
  return clusterOf(client)?.nodes('master') ?? [client];
}

/** The Cluster behind a client typed as Redis (createRedisClient), or null for a single Redis. */
function clusterOf(client: Redis): Cluster | null {
  const unknownClient: unknown = client;
  return unknownClient instanceof Cluster ? unknownClient : null;
}
