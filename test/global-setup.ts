// Vitest global setup for the integration and end-to-end tiers: one real Kafka broker and one real Redis
// for the whole run, found or started by infra/src/environment.ts, which prints what it used.
import type { TestProject } from 'vitest/node';
import { provideInfra } from '@warnline/infra';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    redisUrl: string;
    brokerVersion: string;
  }
}

export default async function setup(project: TestProject) {
  const infra = await provideInfra();
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);
  project.provide('brokerVersion', infra.brokerVersion);
  return async () => {
    await infra.stop();
  };
}
