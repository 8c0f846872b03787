// The whole pipeline in the foreground: Kafka and Redis (found or started), ingest, the accumulator, the
// alerter and the console as separate processes; prints the console's address and a token per role.
// `--demo` feeds the synthetic city first, so every screen has data. `--cluster` runs it on the 3-broker Kafka
// cluster and the Redis Cluster of infra/cluster.sh (found running, or started) instead of one broker and one
// Redis. Ctrl-C stops everything it started.
//
//   bash scripts/start.sh [--cluster] [--demo] [--households N] [--seed S]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import {
  clusterRunning,
  provideInfra,
  startCluster,
  startService,
  stopCluster,
  type RunningService,
  type ServiceName,
} from '@warnline/infra';
import { demoFeed, sendFeed } from './demo-feed.ts';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
    households: { type: 'string', default: '60' },
    seed: { type: 'string', default: '7' },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const setting = (name: string, fallback: string) => process.env[name] ?? fallback;

/** Brokers and Redis settings of the run, and how to stop whatever it started. */
async function provideEngines(): Promise<{
  kafkaBrokers: string[];
  redis: Record<string, string>;
  stop: () => Promise<void>;
}> {
  if (!args.cluster) {
    const infra = await provideInfra();
    return { kafkaBrokers: infra.kafkaBrokers, redis: { REDIS_URL: infra.redisUrl }, stop: () => infra.stop() };
  }
  const wasRunning = await clusterRunning();
  say(
    wasRunning
      ? '[start] using the running cluster of infra/cluster.sh'
      : '[start] starting the cluster (infra/cluster.sh)',
  );
  const cluster = await startCluster();
  say(`[start] Kafka ${cluster.env.KAFKA_BROKERS}; Redis Cluster ${cluster.env.REDIS_CLUSTER_NODES}`);
  return {
    kafkaBrokers: cluster.kafkaBrokers,
    redis: { REDIS_CLUSTER_NODES: cluster.env.REDIS_CLUSTER_NODES },
    // A cluster found running is left running; one this run started is stopped with it.
    stop: () => (wasRunning ? Promise.resolve() : stopCluster()),
  };
}

const infra = await provideEngines();
const secret = (role: string) => `${role}-${randomBytes(12).toString('hex')}`;
const feed = args.demo ? demoFeed(Number(args.seed), Number(args.households)) : null;
// The street and district of the demo tokens: the synthetic city's first street, or a Shanghai street.
const street = feed?.streets[0] ?? setting('WARNLINE_STREET', '310113103');
const tokens = {
  street: { name: `st-${street}`, token: secret('street'), role: 'street', street },
  district: {
    name: `qu-${street.slice(0, 6)}`,
    token: secret('district'),
    role: 'district',
    district: street.slice(0, 6),
  },
  admin: { name: 'ops', token: secret('admin'), role: 'admin' },
};
const hospitalToken = secret('hospital');
const registryToken = secret('registry');
// Names of their own (topics, keys, queues, groups), so a start never mixes with another run on the broker.
const namespace = setting('TOPIC_NAMESPACE', 'local.');
const env: Record<string, string> = {
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  ...infra.redis,
  TOPIC_NAMESPACE: namespace,
  TOPIC_PARTITIONS: setting('TOPIC_PARTITIONS', '3'),
  CONSUMER_GROUP: setting('CONSUMER_GROUP', `${namespace}warnline-accumulator`),
  REDIS_PREFIX: setting('REDIS_PREFIX', 'wl-local'),
  // On Redis Cluster BullMQ's prefix must be a hash tag, so each queue's keys share one slot.
  QUEUE_PREFIX: setting('QUEUE_PREFIX', args.cluster ? '{warnline-local}' : 'warnline-local'),
  PSEUDONYM_KEY: setting('PSEUDONYM_KEY', 'local-pseudonym-key-for-this-machine-only'),
  INGEST_TOKENS: JSON.stringify([
    { name: 'local-hospitals', token: hospitalToken, role: 'hospital', institutions: ['*'] },
    { name: 'local-registry', token: registryToken, role: 'registry' },
  ]),
  ALERTER_TOKENS: JSON.stringify(Object.values(tokens)),
  ALERTER_DISCOVERY_INTERVAL_MS: '1000',
  LOG_LEVEL: setting('LOG_LEVEL', 'warn'),
};
const ports: Record<ServiceName, number> = {
  ingest: Number(setting('INGEST_PORT', '8080')),
  accumulator: Number(setting('ACCUMULATOR_PORT', '8081')),
  alerter: Number(setting('ALERTER_PORT', '8082')),
  console: Number(setting('CONSOLE_PORT', '8084')),
};
const portVariable: Record<ServiceName, string> = {
  ingest: 'INGEST_PORT',
  accumulator: 'ACCUMULATOR_PORT',
  alerter: 'ALERTER_PORT',
  console: 'CONSOLE_PORT',
};

const running: RunningService[] = [];
let stopping: Promise<void> | null = null;
/** Stops the services in reverse order, then whatever infra this run started; once, however often asked. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    say('\n[start] stopping');
    for (const s of [...running].reverse()) {
      const code = await s.stop();
      say(`[start] ${s.name} stopped (exit ${code})`);
    }
    await infra.stop();
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void stopAll().then(() => process.exit(0)));

try {
  for (const name of ['ingest', 'accumulator', 'alerter', 'console'] as const) {
    const extra: Record<string, string> =
      name === 'console' ? { ALERTER_URL: `http://127.0.0.1:${ports.alerter}` } : {};
    running.push(
      await startService(name, { ...env, ...extra, [portVariable[name]]: String(ports[name]) }, ports[name], {
        ownProcessGroup: true,
      }),
    );
    say(`[start] ${name} on http://127.0.0.1:${ports[name]}`);
  }
  if (feed) {
    say(
      `[demo] synthetic city: ${feed.households.length} households on ${feed.streets.length} streets (seed ${args.seed})`,
    );
    await sendFeed(
      feed,
      {
        ingestUrl: `http://127.0.0.1:${ports.ingest}`,
        registryToken,
        hospitalToken,
        kafka: new Kafka({ brokers: infra.kafkaBrokers, clientId: 'start-demo', logLevel: logLevel.NOTHING }),
        consumerGroup: env.CONSUMER_GROUP!,
        namespace,
      },
      say,
    );
  }
} catch (err) {
  say(`[start] failed: ${(err as Error).message}`);
  await stopAll();
  process.exit(1);
}

say('');
say(`warnline is running. Console: http://127.0.0.1:${ports.console}/`);
say('Sign in with one of these tokens (they change at every start):');
say(`  street ${street}:             ${tokens.street.token}`);
say(`  district ${street.slice(0, 6)}:              ${tokens.district.token}`);
say(`  admin:                        ${tokens.admin.token}`);
say(`Ingest http://127.0.0.1:${ports.ingest} (hospital token ${hospitalToken}, registry token ${registryToken})`);
if (feed) say(`Streets with data: ${feed.streets.join(', ')}`);
say('Press Ctrl-C to stop everything.');
