// The 3-broker Kafka cluster and the Redis Cluster of infra/cluster.sh, from TypeScript: start them, and the
// faults the fault tests and the soak inject (kill -9 of a broker or a Redis primary, their restart, a clean
// rolling restart). Every node is a process of its own with a pid file, so a fault is a real SIGKILL.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { waitFor } from './wait.ts';

const execFileAsync = promisify(execFile);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'cluster.sh');

export interface ClusterInfra {
  /** "127.0.0.1:19090" … of the three brokers. */
  kafkaBrokers: string[];
  /** "127.0.0.1:19300" … of the six Redis nodes. */
  redisNodes: string[];
  /** The environment a service needs to run on the cluster. */
  env: { KAFKA_BROKERS: string; REDIS_CLUSTER_NODES: string };
  runDir: string;
}

async function script(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('bash', [SCRIPT, ...args], { timeout: 300_000, env: process.env });
  return stdout;
}

/** Starts every node that is not running (the first start formats Kafka and creates the Redis Cluster). */
export async function startCluster(): Promise<ClusterInfra> {
  await script('start');
  const lines = Object.fromEntries(
    (await script('env'))
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  ) as ClusterInfra['env'];
  return {
    kafkaBrokers: lines.KAFKA_BROKERS.split(','),
    redisNodes: lines.REDIS_CLUSTER_NODES.split(','),
    env: lines,
    runDir: (await script('run-dir')).trim(),
  };
}

/** Whether every node of the cluster is up and the Redis Cluster serves every slot (`cluster.sh status`). */
export async function clusterRunning(): Promise<boolean> {
  return script('status').then(
    () => true,
    () => false,
  );
}

/** Stops every node cleanly; the data stays, so the next start finds the same cluster. */
export async function stopCluster(): Promise<void> {
  await script('stop');
}

async function pidOf(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** kill -9 of a process, then waits until it is gone. */
async function kill9(pid: number, label: string): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await waitFor(`${label} (pid ${pid}) to die`, () => !alive(pid), { timeoutMs: 10_000, intervalMs: 50 });
}

/** Kafka node number (1–3) of a broker address of the cluster. */
export function kafkaNodeOf(cluster: ClusterInfra, brokerPort: number): number {
  return cluster.kafkaBrokers.findIndex((b) => b.endsWith(`:${brokerPort}`)) + 1;
}

export async function killKafkaNode(cluster: ClusterInfra, node: number): Promise<void> {
  await kill9(await pidOf(join(cluster.runDir, `kafka-${node}`, 'broker.pid')), `Kafka node ${node}`);
}

/** Starts a Kafka node again and waits until it serves. */
export async function startKafkaNode(node: number): Promise<void> {
  await script('kafka-node', String(node));
}

/** SIGTERM of one Kafka node (a clean shutdown: it hands its leaderships over first), then its start. */
export async function restartKafkaNodeCleanly(cluster: ClusterInfra, node: number): Promise<void> {
  const pid = await pidOf(join(cluster.runDir, `kafka-${node}`, 'broker.pid'));
  process.kill(pid, 'SIGTERM');
  await waitFor(`Kafka node ${node} to stop`, () => !alive(pid), { timeoutMs: 60_000, intervalMs: 200 });
  await startKafkaNode(node);
}

export interface RedisNodeInfo {
  port: number;
  role: 'master' | 'slave';
  /** For a replica: the node id of its primary. */
  primaryId: string | null;
  id: string;
  failed: boolean;
}

/** CLUSTER NODES as seen by any node that answers. */
export async function redisClusterNodes(cluster: ClusterInfra): Promise<RedisNodeInfo[]> {
  for (const address of cluster.redisNodes) {
    const [host, port] = address.split(':');
    const client = new Redis({ host: host!, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const text = (await client.call('CLUSTER', 'NODES')) as string;
      return text
        .trim()
        .split('\n')
        .map((line) => {
          const [id, addr, flags, primary] = line.split(' ');
          return {
            id: id!,
            port: Number(addr!.split('@')[0]!.split(':')[1]),
            role: flags!.includes('master') ? 'master' : 'slave',
            primaryId: primary === '-' ? null : primary!,
            failed: flags!.includes('fail'),
          } as RedisNodeInfo;
        });
    } catch {
      // this node is down; ask the next one
    } finally {
      client.disconnect();
    }
  }
  throw new Error('no Redis node of the cluster answers');
}

export async function killRedisNode(cluster: ClusterInfra, port: number): Promise<void> {
  await kill9(await pidOf(join(cluster.runDir, `redis-${port}`, 'redis.pid')), `Redis node ${port}`);
}

/**
 * Starts a Redis node again and waits until it is a replica in sync with its primary (it rejoins the cluster
 * as a replica of whoever took over its slots), so the next fault finds a replica ready to take over.
 */
export async function startRedisNode(port: number): Promise<void> {
  await script('redis-node', String(port));
  await waitFor(
    `Redis node ${port} to be a replica in sync`,
    async () => {
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const info = await client.info('replication');
        return info.includes('role:slave') && info.includes('master_link_status:up');
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** SIGSTOP of a Redis node: it neither answers nor replicates, as a node stuck on a slow disk or a pause. */
export async function pauseRedisNode(cluster: ClusterInfra, port: number): Promise<() => void> {
  const pid = await pidOf(join(cluster.runDir, `redis-${port}`, 'redis.pid'));
  process.kill(pid, 'SIGSTOP');
  return () => process.kill(pid, 'SIGCONT');
}

/**
 * Waits until every primary has a replica in sync (state=online): the state a fault test starts from, since
 * a primary without one has nothing to fail over to.
 */
export async function waitForReplicatedCluster(cluster: ClusterInfra, timeoutMs = 120_000): Promise<void> {
  await waitForRedisCluster(cluster, timeoutMs);
  await waitFor(
    'every Redis primary to have a replica in sync',
    async () => {
      const primaries = (await redisClusterNodes(cluster)).filter((n) => n.role === 'master' && !n.failed);
      for (const primary of primaries) {
        const client = new Redis({ port: primary.port, lazyConnect: true, maxRetriesPerRequest: 0 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          if (!/slave\d+:.*state=online/.test(await client.info('replication'))) return false;
        } finally {
          client.disconnect();
        }
      }
      return primaries.length === 3;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** After a primary's kill: waits until a replica has taken over its slots and the cluster serves every slot. */
export async function waitForFailover(cluster: ClusterInfra, killedPort: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `a replica to take over from Redis node ${killedPort}`,
    async () =>
      (await redisClusterNodes(cluster)).filter((n) => n.role === 'master' && !n.failed && n.port !== killedPort)
        .length === 3,
    { timeoutMs, intervalMs: 250 },
  );
  await waitForRedisCluster(cluster, timeoutMs);
}

/** Waits until three primaries, none failed, serve every slot. */
export async function waitForRedisCluster(cluster: ClusterInfra, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    'the Redis Cluster to serve every slot',
    async () => {
      const nodes = await redisClusterNodes(cluster).catch(() => []);
      const primaries = nodes.filter((n) => n.role === 'master' && !n.failed);
      if (primaries.length !== 3) return false;
      const client = new Redis({ port: primaries[0]!.port, lazyConnect: true, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return ((await client.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok');
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs, intervalMs: 250 },
  );
}
