// Three tiers: pure unit tests (no services), integration tests per service
// against a real Kafka and Redis, end-to-end tests across the services. Only the last two need the global
// setup that finds or starts the broker and Redis.
import { defineConfig } from 'vitest/config';

const integrationTimeouts = { testTimeout: 120_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          // Property tests run thousands of cases; on a loaded two-core machine the default 5 s is a coin toss.
          // The limit only stops a hung test: speed is measured by the benchmark, never asserted here.
          testTimeout: 60_000,
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/unit/**/*.test.ts', 'infra/test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'services/*/test/integration/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/support/**/*.test.ts',
            'bench/test/**/*.test.ts',
          ],
          globalSetup: ['test/global-setup.ts'],
          // Two cores and one broker: files run one after another so a slow broker never looks like a bug.
          fileParallelism: false,
          ...integrationTimeouts,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/rules/src/**'],
      exclude: ['packages/rules/src/cli/**'],
      thresholds: { lines: 95 },
    },
  },
});
