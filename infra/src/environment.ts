// Finds or starts the real Kafka broker and Redis that tests, the demo and the benchmark run against.
// One decision, in this order:
//   1. from the environment: KAFKA_BROKERS / REDIS_URL, when given;
//   2. testcontainers, when a Docker engine answers (apache/kafka image of the same version);
//   3. the scripts in infra/: the broker from Maven Central (infra/kafka.sh), and Redis on 127.0.0.1:6379
//      when it answers, else a redis-server of our own on a free port.
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const execFileAsync = promisify(execFile);
const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Broker version the scripts and the container use; infra/kafka.sh has the same default. */
export const KAFKA_VERSION = process.env.KAFKA_VERSION ?? '4.3.1';

export interface Infra {
  kafkaBrokers: string[];
  redisUrl: string;
  /** Where each came from, for the log line that says what a run used. */
  kafkaSource: string;
  redisSource: string;
  brokerVersion: string;
  /** Stops whatever this call started (nothing it found already running). */
  stop(): Promise<void>;
}

type Say = (line: string) => void;

export async function provideInfra(say: Say = (l) => process.stderr.write(`${l}\n`)): Promise<Infra> {
  const stops: (() => Promise<void>)[] = [];
  const docker = await dockerAvailable();
  const kafka = await provideKafka(docker, stops, say);
  const redis = await provideRedis(docker, stops, say);
  say(`[infra] Kafka: ${kafka.source}, Apache Kafka ${kafka.version} at ${kafka.brokers.join(',')}`);
  say(`[infra] Redis: ${redis.source} at ${redis.url.replace(/\/\/[^@]*@/, '//***@')}`);
  return {
    kafkaBrokers: kafka.brokers,
    redisUrl: redis.url,
    kafkaSource: kafka.source,
    redisSource: redis.source,
    brokerVersion: kafka.version,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

async function dockerAvailable(): Promise<boolean> {
  if (process.env.WARNLINE_NO_DOCKER === '1') return false;
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    await execFileAsync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function provideKafka(docker: boolean, stops: (() => Promise<void>)[], say: Say) {
  if (process.env.KAFKA_BROKERS) {
    return {
      brokers: process.env.KAFKA_BROKERS.split(','),
      source: 'environment (KAFKA_BROKERS)',
      version: process.env.KAFKA_VERSION ?? 'unknown (given)',
    };
  }
  if (docker) {
    say(`[infra] starting apache/kafka:${KAFKA_VERSION} with testcontainers`);
    const { GenericContainer, Wait } = await import('testcontainers');
    // The advertised listener must name the port the host sees, so the host port is chosen up front.
    const hostPort = await freePort();
    const container = await new GenericContainer(`apache/kafka:${KAFKA_VERSION}`)
      .withExposedPorts({ container: 9092, host: hostPort })
      .withEnvironment(kafkaContainerEnv(hostPort))
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(120_000)
      .start();
    stops.push(async () => void (await container.stop()));
    return { brokers: [`127.0.0.1:${hostPort}`], source: 'testcontainers', version: KAFKA_VERSION };
  }
  const port = process.env.KAFKA_PORT ?? '9092';
  const wasRunning = await kafkaScript('status').then(
    () => true,
    () => false,
  );
  await kafkaScript('start', say);
  if (!wasRunning && process.env.WARNLINE_KEEP_BROKER !== '1')
    stops.push(async () => void (await kafkaScript('stop', say)));
  return {
    brokers: [`127.0.0.1:${port}`],
    source: wasRunning ? 'infra/kafka.sh (already running)' : 'infra/kafka.sh',
    version: KAFKA_VERSION,
  };
}

/** The same single-node KRaft settings as infra/kafka.sh and docker-compose.yml, as the image's env. */
export function kafkaContainerEnv(hostPort: number): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  };
}

function kafkaScript(command: 'start' | 'stop' | 'status', say?: Say): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(INFRA_DIR, 'kafka.sh'), command], {
      env: { ...process.env, KAFKA_VERSION },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (say) for (const line of chunk.toString().split('\n')) if (line.trim()) say(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`infra/kafka.sh ${command} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function provideRedis(docker: boolean, stops: (() => Promise<void>)[], say: Say) {
  if (process.env.REDIS_URL) {
    if (await redisAnswers(process.env.REDIS_URL))
      return { url: process.env.REDIS_URL, source: 'environment (REDIS_URL)' };
    say(`[infra] REDIS_URL does not answer; looking for another Redis`);
  }
  const local = 'redis://127.0.0.1:6379';
  if (await redisAnswers(local)) return { url: local, source: 'local redis on 6379' };
  if (docker) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('redis:7')
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start();
    stops.push(async () => void (await container.stop()));
    return { url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`, source: 'testcontainers' };
  }
  const server = await startRedisServer();
  stops.push(server.stop);
  return { url: server.url, source: `redis-server started on port ${server.port}` };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of our own, for tests that need one they may restart or configure (AOF, another port). */
export async function startRedisServer(
  extraArgs: string[] = [],
): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.on('error', (e) =>
      reject(new Error(`redis-server could not start: ${e.message} (apt-get install redis-server)`)),
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([redisAnswers(url), spawnError]))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server did not start on port ${port}:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
