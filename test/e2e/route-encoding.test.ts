// Routing tricks against every route of every service: a path spelled differently (percent-encoded
// letters, double slashes, dot segments, upper case, trailing dots, `;` parameters, encoded slashes) must
// never reach a protected handler without a valid token. Each spelling is sent raw (node:http, no URL
// normalisation on the way) to ingest, the accumulator and the alerter (caseworker API and bull-board),
// with no token, an unknown token and a real token of the wrong scope: the answer is 401, 403 or 404 and
// carries none of the data the route guards; the queue it could have paused is still running.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request as httpRequest, Agent } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import { alertJobId, streetQueueName } from '@warnline/contracts';
import { alertJobData, uniqueId, uniqueNamespace, type RunningService, waitFor, deleteKeysUnder } from '@warnline/test';
import { stackEnv, startStack } from './stack.ts';

const STREET = '310113103';
const OTHER_STREET = '310115001';
const QUEUE = streetQueueName(STREET);
const BOARD = '/admin/queues';

interface Route {
  service: 'ingest' | 'accumulator' | 'alerter';
  method: string;
  path: string;
  /** Open by design (health, counts only): a respelling may answer, but only what the route itself answers. */
  open?: boolean;
}

interface Credential {
  label: string;
  authorization?: string;
}

/** Every distinct respelling of a path that a lenient router, proxy or decoder might map onto it. */
function respellings(path: string): string[] {
  const out = new Set<string>();
  const segments = path.split('/').slice(1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');
  for (let i = 1; i < path.length; i++) {
    const c = path[i] ?? '';
    if (!/[A-Za-z0-9.\-_]/.test(c)) continue;
    const before = path.slice(0, i);
    const after = path.slice(i + 1);
    out.add(`${before}%${hex(c).toUpperCase()}${after}`);
    out.add(`${before}%${hex(c).toLowerCase()}${after}`);
  }
  out.add(path.toUpperCase());
  out.add(join(segments.map((s) => (s ? s[0]?.toUpperCase() + s.slice(1) : s))));
  out.add(`/${path}`);
  out.add(`${path}/`);
  out.add(`${path}/.`);
  out.add(`${path}.`);
  out.add(`${path};x=1`);
  out.add(`/x/..${path}`);
  out.add(`/x/%2e%2e${path}`);
  out.add(`/x/%2E%2E${path}`);
  out.add(`/.${path}`);
  out.add(`/%2e${path}`);
  segments.forEach((segment, i) => {
    const at = (replacement: string) => join(segments.map((s, j) => (j === i ? replacement : s)));
    out.add(at(`${segment}/`)); // double slash after the segment
    out.add(at(`${segment}.`));
    out.add(at(`${segment};a=b`));
    out.add(at(`${segment}/.`));
    out.add(at(`${segment}/../${segment}`));
    out.add(at(`${segment}/x/..`));
    out.add(at(`${segment}/x/%2e%2e`));
    out.add(at(segment.toUpperCase()));
    if (i < segments.length - 1) {
      const glued = (sep: string) =>
        join([...segments.slice(0, i), `${segment}${sep}${segments[i + 1] ?? ''}`, ...segments.slice(i + 2)]);
      out.add(glued('%2F'));
      out.add(glued('%2f'));
      out.add(glued('%5C'));
      out.add(glued('%252F'));
    }
  });
  out.delete(path);
  return [...out];
}

describe('route encoding: no spelling of a path gets past authorisation', () => {
  const namespace = uniqueNamespace();
  const queuePrefix = uniqueId('wlq');
  const redisPrefix = uniqueId('wle');
  const hospital = uniqueId('hospital-token-0123456789');
  const registry = uniqueId('registry-token-0123456789');
  const otherStreet = uniqueId('street-token-0123456789');
  const admin = uniqueId('admin-token-0123456789');
  const householdId = uniqueId('HHLEAK');
  const services = new Map<Route['service'], RunningService>();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let redis: Redis;
  let queue: Queue;
  let jobId: string;
  let alertId: string;

  beforeAll(async () => {
    const stack = await startStack(
      stackEnv({
        namespace,
        queuePrefix,
        redisPrefix,
        group: uniqueId('g'),
        partitions: 1,
        label: 'enc',
        hospitalToken: hospital,
        registryToken: registry,
        alerterTokens: [
          { name: 'enc-street', token: otherStreet, role: 'street', street: OTHER_STREET },
          { name: 'enc-admin', token: admin, role: 'admin' },
        ],
        streets: STREET,
        logLevel: 'warn',
      }),
    );
    services.set('ingest', stack.ingest);
    services.set('accumulator', stack.accumulator);
    services.set('alerter', stack.alerter);

    // One alert in the street queue: the data every guarded route must keep to itself.
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE, { connection: redis, prefix: queuePrefix });
    const data = alertJobData({
      householdId,
      streetCode: STREET,
      level: 'action',
      findings: [{ code: 'EXPENDITURE_POVERTY_2', citation: '沪府办规〔2022〕19号 四', message: 'burden over 40%' }],
    });
    jobId = alertJobId(householdId, 'action', data.window.to);
    await queue.add('action', data, { jobId, removeOnComplete: false, removeOnFail: false });
    alertId = await waitFor('the alert to be recorded', async () => {
      const r = await send('alerter', 'GET', `/v1/streets/${STREET}/alerts?limit=500`, `Bearer ${admin}`);
      const body = JSON.parse(r.body) as { alerts?: { alertId: string; householdId: string }[] };
      return body.alerts?.find((a) => a.householdId === householdId)?.alertId;
    });
  });

  afterAll(async () => {
    agent.destroy();
    const codes = await Promise.all([...services.values()].map((s) => s.stop()));
    await queue?.close();
    await deleteKeysUnder(redis, [queuePrefix, redisPrefix]);
    await redis?.quit();
    expect(codes.every((c) => c === 0)).toBe(true);
  });

  /** One raw request: the path goes on the wire exactly as given. */
  function send(
    service: Route['service'],
    method: string,
    path: string,
    authorization?: string,
  ): Promise<{ status: number; body: string }> {
    const url = new URL(services.get(service)?.url ?? '');
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            ...(authorization ? { authorization } : {}),
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  function routes(): Route[] {
    const fill = (route: string) =>
      route
        .replace(':queueName', QUEUE)
        .replace(':jobId', jobId)
        .replace(':queueStatus', 'completed')
        .replace(':schedulerId', 'none');
    const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
    const board = [appRoutes.entryPoint, ...appRoutes.api]
      .flatMap((r) => list(r.method).flatMap((method) => list(r.route).map((path) => ({ method, path }))))
      .concat([{ method: 'get', path: '/static/index.html' }])
      .map((r) => ({
        service: 'alerter' as const,
        method: r.method.toUpperCase(),
        path: `${BOARD}${r.path === '/' ? '' : fill(r.path)}`,
      }));
    return [
      { service: 'ingest', method: 'POST', path: '/v1/claims' },
      { service: 'ingest', method: 'POST', path: '/v1/households' },
      { service: 'ingest', method: 'GET', path: '/healthz', open: true },
      { service: 'ingest', method: 'GET', path: '/metrics', open: true },
      { service: 'accumulator', method: 'GET', path: '/healthz', open: true },
      { service: 'accumulator', method: 'GET', path: '/metrics', open: true },
      { service: 'alerter', method: 'GET', path: `/v1/streets/${STREET}/alerts` },
      { service: 'alerter', method: 'GET', path: `/v1/alerts/${alertId}` },
      { service: 'alerter', method: 'GET', path: `/v1/alerts/${alertId}/history` },
      { service: 'alerter', method: 'POST', path: `/v1/alerts/${alertId}/transitions` },
      { service: 'alerter', method: 'GET', path: '/healthz', open: true },
      { service: 'alerter', method: 'GET', path: '/metrics', open: true },
      { service: 'alerter', method: 'GET', path: `${BOARD}/` },
      ...board,
    ];
  }

  function credentials(route: Route): Credential[] {
    const bearer = (t: string) => `Bearer ${t}`;
    const basic = (t: string) => `Basic ${Buffer.from(`ops:${t}`).toString('base64')}`;
    const list: Credential[] = [
      { label: 'no token' },
      { label: 'unknown token', authorization: bearer('not-a-configured-token-0123456789') },
    ];
    if (route.service === 'ingest') {
      // A real token, of the other role: a hospital may not send households, the registry not claims.
      list.push({
        label: 'wrong-role token',
        authorization: bearer(route.path.endsWith('claims') ? registry : hospital),
      });
    }
    if (route.service === 'alerter') {
      // A real caseworker token, of another street: neither this street's alerts nor the board.
      list.push({ label: 'other street (bearer)', authorization: bearer(otherStreet) });
      list.push({ label: 'other street (basic)', authorization: basic(otherStreet) });
    }
    return list;
  }

  // Strings only a guarded answer can contain: the household, the alert, the job, the queue's name.
  const secrets = () => [householdId, alertId, jobId, QUEUE, '26000.00', 'EXPENDITURE_POVERTY_2'];

  it('refuses every spelling of every guarded route without a valid token, and leaks nothing', async () => {
    const breaches: string[] = [];
    for (const route of routes()) {
      for (const path of [route.path, ...respellings(route.path)]) {
        for (const credential of credentials(route)) {
          const answer = await send(route.service, route.method, path, credential.authorization);
          const leaked = secrets().filter((s) => answer.body.includes(s));
          const refused = [401, 403, 404].includes(answer.status);
          if (leaked.length > 0 || (!route.open && !refused) || (route.open && answer.status >= 500))
            breaches.push(
              `${route.service} ${route.method} ${path} [${credential.label}] → ${answer.status}` +
                (leaked.length > 0 ? ` leaking ${leaked.join(', ')}` : ''),
            );
        }
      }
    }
    expect(breaches.slice(0, 40), `${breaches.length} breaches`).toEqual([]);
  });

  it('left the street queue running and its alert untouched', async () => {
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobState(jobId)).toBe('completed');
    const alert = await send('alerter', 'GET', `/v1/alerts/${alertId}`, `Bearer ${admin}`);
    expect(alert.status).toBe(200);
    expect(JSON.parse(alert.body)).toMatchObject({ householdId, state: 'new' });
  });

  it('still serves the guarded routes to a token that may use them', async () => {
    const board = await send('alerter', 'GET', `${BOARD}/api/queues`, `Bearer ${admin}`);
    expect(board.status).toBe(200);
    expect(board.body).toContain(QUEUE);
    const list = await send('alerter', 'GET', `/v1/streets/${STREET}/alerts`, `Bearer ${admin}`);
    expect(list.status).toBe(200);
    expect(list.body).toContain(householdId);
  });
});
