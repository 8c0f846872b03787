// Vitest global setup for the integration and end-to-end tiers: one real Kafka broker and one real Redis
// for the whole run, found or started by infra/src/environment.ts, which prints what it used. The cluster
// tests start the 3-broker cluster and Redis Cluster of infra/cluster.sh for themselves and share it; it is
// stopped here at the end of the run unless it was running before (or WARNLINE_KEEP_BROKER=1 keeps it).
import type { TestProject } from 'vitest/node';
import { clusterRunning, provideInfra, stopCluster } from '@warnline/infra';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    redisUrl: string;
    brokerVersion: string;
  }
}

export default async function setup(project: TestProject) {
  const infra = await provideInfra();
  const clusterWasRunning = await clusterRunning();
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);
  project.provide('brokerVersion', infra.brokerVersion);
  return async () => {
    await infra.stop();
    if (!clusterWasRunning && process.env.WARNLINE_KEEP_BROKER !== '1') await stopCluster();
  };
}
