// The demo as a newcomer runs it: it walks the most urgent alert of the feed (highest level, then highest
// burden ratio), shows each household once, and leaves nothing behind on the shared broker and Redis — no
// topic, no consumer group, no key of its run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_ROOT, SERVICE_NODE_FLAGS } from '@warnline/test';

const RANK: Record<string, number> = { action: 3, warning: 2, watch: 1 };

function runDemo(): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [...SERVICE_NODE_FLAGS, join(REPO_ROOT, 'scripts', 'demo.ts'), '--households', '24'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        REDIS_URL: inject('redisUrl'),
        WARNLINE_KEEP_BROKER: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('demo', () => {
  it('walks the most urgent alert, lists each household once and cleans up after itself', async () => {
    const { code, output } = await runDemo();
    expect(code, output).toBe(0);

    const runId = /prefix "([^"]+)"/.exec(output)?.[1];
    expect(runId, output).toBeDefined();
    const households = [...output.matchAll(/^ {4}(action|warning|watch)\s+(\S+)\s+burden12m.*ratio (\S+)/gm)].map(
      ([, level, householdId, ratio]) => ({
        level: level!,
        householdId: householdId!,
        ratio: ratio === '-' ? -1 : Number(ratio),
      }),
    );
    expect(households.length, output).toBeGreaterThan(0);
    expect(new Set(households.map((h) => h.householdId)).size, output).toBe(households.length);

    const expected = [...households].sort(
      (a, b) =>
        (RANK[b.level] ?? 0) - (RANK[a.level] ?? 0) || b.ratio - a.ratio || a.householdId.localeCompare(b.householdId),
    )[0]!;
    const walked = /caseworker loop on alert \S+ \(household (\S+), street \d+, level (\w+)/.exec(output);
    expect(walked?.slice(1), output).toEqual([expected.householdId, expected.level]);
    expect(output).toMatch(/closed\s+investigating\s+→ closed/);

    const admin = new Kafka({
      brokers: inject('kafkaBrokers'),
      clientId: 'demo-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => t.startsWith(runId!))).toEqual([]);
      expect((await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(runId!))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
    const redis = new Redis(inject('redisUrl'));
    try {
      const [, keys] = await redis.scan('0', 'MATCH', `${runId}:*`, 'COUNT', 100_000);
      expect(keys).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
