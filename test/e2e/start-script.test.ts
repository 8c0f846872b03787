// `bash scripts/start.sh --demo` as a newcomer runs it, against the shared broker and Redis with names and
// ports of its own: it prints the console's address and the sign-in tokens, the console signs in with the
// street token over plain HTTP and shows that street's worklist with the demo's alerts, and Ctrl-C (SIGINT to
// its process group, as a terminal sends it) ends it with exit code 0 and no process of it left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '@warnline/infra';
import { deleteKeysUnder, deleteTopicsUnder, REPO_ROOT, uniqueId } from '@warnline/test';

const run = uniqueId('wlstart');
const namespace = `${run}.`;
const redisPrefix = run;
const queuePrefix = `${run}q`;

/**
 * The four ports of the services: consecutive from START_SCRIPT_TEST_PORT when set (a machine that hands
 * out port ranges), otherwise free ones.
 */
async function servicePorts(): Promise<number[]> {
  const base = Number(process.env.START_SCRIPT_TEST_PORT ?? 0);
  if (base > 0) return [0, 1, 2, 3].map((i) => base + i);
  return [await freePort(), await freePort(), await freePort(), await freePort()];
}

/** Every process whose parent chain leads to `root` (from /proc), root excluded. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

/** The value of a `Set-Cookie` for `name` among a response's cookies. */
function cookie(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let child: ChildProcess | undefined;

afterAll(async () => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'start-test', logLevel: logLevel.NOTHING });
  await deleteTopicsUnder(kafka, namespace);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(namespace));
    if (groups.length > 0) await admin.deleteGroups(groups);
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis(inject('redisUrl'));
  await deleteKeysUnder(redis, [redisPrefix, queuePrefix]);
  await redis.quit();
});

describe('scripts/start.sh', () => {
  it('prints the console and tokens, serves a worklist with data, and stops cleanly on Ctrl-C', async () => {
    const [ingest, accumulator, alerter, consolePort] = await servicePorts();
    child = spawn('bash', [join(REPO_ROOT, 'scripts', 'start.sh'), '--demo', '--households', '16'], {
      cwd: REPO_ROOT,
      // Its own process group: SIGINT to the group is what a terminal's Ctrl-C sends.
      detached: true,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        REDIS_URL: inject('redisUrl'),
        WARNLINE_KEEP_BROKER: '1',
        TOPIC_NAMESPACE: namespace,
        REDIS_PREFIX: redisPrefix,
        QUEUE_PREFIX: queuePrefix,
        INGEST_PORT: String(ingest),
        ACCUMULATOR_PORT: String(accumulator),
        ALERTER_PORT: String(alerter),
        CONSOLE_PORT: String(consolePort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid!;
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    await until('the tokens', 75_000, async () => {
      if (child!.exitCode !== null) throw new Error(`start.sh ended early:\n${output}`);
      return output.includes('Press Ctrl-C to stop everything.') ? true : undefined;
    });
    const consoleUrl = /Console: (http:\/\/\S+?)\/?$/m.exec(output)?.[1];
    expect(consoleUrl, output).toBe(`http://127.0.0.1:${consolePort}`);
    const [, street, token] = /^ {2}street (\d{9}):\s+(\S+)$/m.exec(output) ?? [];
    expect(token, output).toBeDefined();
    expect(output).toMatch(/^ {2}district \d{6}:\s+\S+$/m);
    expect(output).toMatch(/^ {2}admin:\s+\S+$/m);

    // Sign in as a browser would: the form's CSRF cookie and field, then the token.
    const form = await fetch(`${consoleUrl}/login`);
    const loginCsrf = cookie(form, 'wl_login');
    const field = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    expect(loginCsrf).toBeDefined();
    expect(field).toBe(loginCsrf);
    const signIn = await fetch(`${consoleUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `wl_login=${loginCsrf}` },
      body: new URLSearchParams({ _csrf: field!, token: token!, next: `/streets/${street}` }).toString(),
    });
    expect(signIn.status).toBe(303);
    const session = cookie(signIn, 'wl_session');
    expect(session).toBeDefined();

    // The demo's alerts reach the street queue and the alerter a moment after the feed is consumed.
    const alerts = await until('alerts on the worklist', 30_000, async () => {
      const page = await fetch(`${consoleUrl}/streets/${street}`, { headers: { cookie: `wl_session=${session}` } });
      expect(page.status).toBe(200);
      const ids = [...(await page.text()).matchAll(/href="\/alerts\/(\d{9}-\d{6,})"/g)].map((m) => m[1]);
      return ids.length > 0 ? ids : undefined;
    });
    expect(alerts.every((id) => id!.startsWith(`${street}-`))).toBe(true);

    const processes = descendants(pid);
    expect(processes.length).toBeGreaterThanOrEqual(4);
    process.kill(-pid, 'SIGINT');
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/\[start\] ingest stopped \(exit 0\)/);
    expect(processes.filter(alive), output).toEqual([]);
    expect(alive(pid)).toBe(false);
  });
});
