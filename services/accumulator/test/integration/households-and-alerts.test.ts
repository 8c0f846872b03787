// Registry changes, alerts and the month roll-over: a member leaving and joining changes the household's
// burden to the fen, an alert is raised once and only once, a household of one alerts into the triage queue
// of its insured area's district (else the city's) and is linked when the person joins a registry household,
// and the roll-over lowers a level (published, never alerted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, type Job } from 'bullmq';
import {
  alertJobId,
  AlertLinkJobDataSchema,
  CITY_TRIAGE_QUEUE,
  LINK_QUEUE,
  streetDirectoryKey,
  streetQueueName,
  triageQueueName,
  UNROUTED_ALERT_QUEUE,
  type AlertJobData,
} from '@warnline/contracts';
import { waitFor } from '@warnline/test';
import { ROLLOVER_QUEUE } from '../../src/rollover.ts';
import type { StatusMessage } from '../../src/evaluator.ts';
import { pseudonymFor, registryHousehold, settlement } from '../support.ts';
import { Harness } from './harness.ts';

const STREET = '310115101';

describe('accumulator: households, alerts and the month roll-over', () => {
  const h = new Harness(3);
  const queues: Queue[] = [];
  const queue = (name: string) => {
    const q = new Queue(name, { connection: h.redis.duplicate(), prefix: h.queuePrefix });
    queues.push(q);
    return q;
  };
  const jobsOf = async (name: string, householdId: string): Promise<Job<AlertJobData>[]> =>
    (await queue(name).getJobs(['prioritized', 'waiting', 'active', 'completed', 'failed', 'delayed'])).filter(
      (j) => j.data.householdId === householdId,
    );
  /** The last status of each household, once `done` holds for them. */
  const lastStatuses = async (done: (last: Map<string, StatusMessage | null>) => boolean) => {
    const last = new Map<string, StatusMessage | null>();
    await h.statuses((items) => {
      last.clear();
      for (const { key, status } of items) if (key) last.set(key, status);
      return done(last);
    });
    return last;
  };
  const stored = (householdId: string, version: number) =>
    waitFor(
      `household ${householdId} v${version}`,
      async () => (await h.redis.hget(h.keys.household(householdId), 'ver')) === String(version),
    );

  beforeAll(async () => {
    await h.setup();
    await h.start();
  });
  afterAll(async () => {
    await Promise.all(
      queues.map(async (q) => {
        await q.close();
      }),
    );
    expect(await h.teardown()).toEqual([0]);
  });

  it('raises an alert once and only once, however often the claim and the household come again', async () => {
    const person = pseudonymFor();
    const hh = registryHousehold({
      householdId: `HH-A-${person.slice(2, 10)}`,
      members: [person],
      income: '60000.00',
      streetCode: STREET,
    });
    await h.sendHouseholds([hh]);
    await stored(hh.householdId, 1);
    // 30000 of 60000 income: EXPENDITURE_POVERTY_2 (≥ 40%), level action.
    const heavy = settlement({ person, serviceDate: '2024-05-10', cash: '30000.00', visitType: 'inpatient' });
    await h.sendClaims([heavy, heavy, heavy]);
    await h.drained();
    await h.sendClaims([heavy, settlement({ person, serviceDate: '2024-06-01', cash: '10.00' })]);
    await h.sendHouseholds([hh, { ...hh, version: 2, categories: ['low-income'] }]);
    await h.drained();
    await stored(hh.householdId, 2);
    const last = await lastStatuses((l) => l.get(hh.householdId)?.assistance.class === 'low-income');
    expect(last.get(hh.householdId)).toMatchObject({ level: 'action', burden12m: '30010.00' });
    const jobs = await jobsOf(streetQueueName(STREET), hh.householdId);
    expect(jobs.map((j) => j.id)).toEqual([alertJobId(hh.householdId, 'action', '2024-06')]);
    expect(jobs[0]!.name).toBe('action');
    expect(jobs[0]!.data).toMatchObject({
      streetCode: STREET,
      districtCode: '310115',
      level: 'action',
      burden12m: '30000.00',
      income: '60000.00',
      burdenRatio: '0.5000',
      window: { from: '2023-07', to: '2024-06' },
      // The members' pseudonyms: what an audited reveal asks ingest about.
      members: [person],
    });
    expect(jobs[0]!.data.findings.map((f) => f.code)).toContain('EXPENDITURE_POVERTY_2');
  });

  it('changes the household total to the fen when a member leaves and another joins', async () => {
    const [b, c, d] = [pseudonymFor(), pseudonymFor(), pseudonymFor()];
    const id = `HH-M-${b.slice(2, 10)}`;
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [b, c], income: '100000.00' })]);
    await stored(id, 1);
    await h.sendClaims([
      settlement({ person: b, serviceDate: '2024-02-02', cash: '12000.00' }),
      settlement({ person: b, serviceDate: '2024-03-03', cash: '8000.00' }),
      settlement({ person: c, serviceDate: '2024-04-04', cash: '14999.99' }),
      settlement({ person: c, serviceDate: '2024-04-05', cash: '0.01' }),
      settlement({ person: d, serviceDate: '2024-05-05', cash: '5000.00' }),
    ]);
    await h.drained();
    // 35000 / 100000: approaching expenditure poverty, level warning.
    let last = await lastStatuses((l) => l.get(id)?.level === 'warning');
    expect(last.get(id)?.burden12m).toBe('35000.00');

    // c leaves: 20000 / 100000, level none; c is now a household of one with their own 15000.
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [b], income: '100000.00', version: 2 })]);
    last = await lastStatuses((l) => l.get(id)?.level === 'none' && l.get(c)?.burden12m === '15000.00');
    expect(last.get(id)?.burden12m).toBe('20000.00');

    // A stale version changes nothing; then c comes back and d joins: 40000 / 100000, action. d's household of
    // one ends with a tombstone.
    expect(last.has(d)).toBe(true);
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [b, c], income: '100000.00', version: 1 })]);
    await h.sendHouseholds([
      registryHousehold({ householdId: id, members: [b, c, d], income: '100000.00', version: 3 }),
    ]);
    last = await lastStatuses((l) => l.get(id)?.level === 'action' && l.get(d) === null && l.get(c) === null);
    expect(last.get(id)?.burden12m).toBe('40000.00');
    expect(await h.redis.hget(h.keys.household(id), 'ver')).toBe('3');
  });

  it('sends the alert of a household of one without an insured district to the city triage queue', async () => {
    const person = pseudonymFor();
    // 90000 is above 100% of last year's city per-capita income (84,834): HIGH_BURDEN, level watch. The
    // insured area 310000 is the city itself, not a district.
    await h.sendClaims([
      {
        ...settlement({ person, serviceDate: '2024-01-15', cash: '90000.00', visitType: 'inpatient' }),
        insuredAreaCode: '310000',
      },
    ]);
    await h.drained();
    const jobs = await waitFor('the city triage alert', async () => {
      const found = await jobsOf(CITY_TRIAGE_QUEUE, person);
      return found.length > 0 ? found : undefined;
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({
      householdId: person,
      streetCode: '',
      districtCode: null,
      level: 'watch',
      burden12m: '90000.00',
    });
    expect(await jobsOf(UNROUTED_ALERT_QUEUE, person)).toEqual([]);
    expect(await h.redis.sismember(streetDirectoryKey(h.queuePrefix), '000000000')).toBe(1);
  });

  it("sends it to the triage queue of the insured area's district, and links it when the person joins a household", async () => {
    const person = pseudonymFor();
    // The latest claim naming an insured area decides: 310115 after 310113.
    await h.sendClaims([
      {
        ...settlement({ person, serviceDate: '2024-01-15', cash: '50000.00', visitType: 'inpatient' }),
        insuredAreaCode: '310113',
      },
      {
        ...settlement({ person, serviceDate: '2024-02-15', cash: '40000.00', visitType: 'inpatient' }),
        insuredAreaCode: '310115',
      },
    ]);
    await h.drained();
    const jobs = await waitFor('the district triage alert', async () => {
      const found = await jobsOf(triageQueueName('310115'), person);
      return found.length > 0 ? found : undefined;
    });
    expect(jobs.map((j) => j.data)).toMatchObject([
      { householdId: person, streetCode: '', districtCode: '310115', level: 'watch' },
    ]);
    expect(await h.redis.hget(h.keys.person(person), 'a')).toBe('310115');
    expect(await h.redis.sismember(streetDirectoryKey(h.queuePrefix), '310115000')).toBe(1);

    // The person joins a registry household: the household of one ends, and the alerter is told to link.
    const id = `HH-J-${person.slice(2, 10)}`;
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [person], streetCode: STREET })]);
    await stored(id, 1);
    const link = await waitFor(
      'the link job',
      async () => (await queue(LINK_QUEUE).getJob(`${person}|${id}`)) ?? undefined,
    );
    expect(AlertLinkJobDataSchema.parse(link.data)).toMatchObject({
      personId: person,
      householdId: id,
      streetCode: STREET,
      districtCode: '310115',
    });
  });

  it('triages a person who leaves a registry household to nobody in the district that listed them last', async () => {
    const [person, stays] = [pseudonymFor(), pseudonymFor()];
    const id = `HH-L-${person.slice(2, 10)}`;
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [person, stays], streetCode: STREET })]);
    await stored(id, 1);
    // No claim names an insured area.
    await h.sendClaims([settlement({ person, serviceDate: '2024-03-15', cash: '90000.00', visitType: 'inpatient' })]);
    await h.drained();
    await h.sendHouseholds([registryHousehold({ householdId: id, members: [stays], streetCode: STREET, version: 2 })]);
    await stored(id, 2);
    const jobs = await waitFor('the triage alert of the leaver', async () => {
      const found = await jobsOf(triageQueueName('310115'), person);
      return found.length > 0 ? found : undefined;
    });
    expect(jobs.map((j) => j.data)).toMatchObject([{ householdId: person, streetCode: '', districtCode: '310115' }]);
  });

  it('lowers a level at the month roll-over, publishes the fall and raises no alert', async () => {
    const [e, gone] = [pseudonymFor(), pseudonymFor()];
    const id = `HH-O-${e.slice(2, 10)}`;
    await h.sendHouseholds([
      registryHousehold({ householdId: id, members: [e], income: '60000.00', streetCode: STREET }),
    ]);
    await stored(id, 1);
    // July 2023 is the oldest month of the window as of 2024-06-30; May 2023 only of the retention.
    await h.sendClaims([
      settlement({ person: e, serviceDate: '2023-07-20', cash: '30000.00' }),
      settlement({ person: gone, serviceDate: '2023-05-31', cash: '10.00' }),
    ]);
    await h.drained();
    await lastStatuses((l) => l.get(id)?.level === 'action');

    const job = await queue(ROLLOVER_QUEUE).add('rollover', { asOf: '2024-07-01' });
    await waitFor('roll-over done', async () => (await job.getState()) === 'completed');
    const last = await lastStatuses((l) => l.get(id)?.level === 'none');
    expect(last.get(id)).toMatchObject({
      previousLevel: 'action',
      burden12m: '0.00',
      window: { from: '2023-08', to: '2024-07' },
    });
    expect((await jobsOf(streetQueueName(STREET), id)).map((j) => j.name)).toEqual(['action']);
    // The person whose only claim left the retention is pruned from Redis and from the index.
    expect(await h.redis.exists(h.keys.person(gone), h.keys.personClaims(gone))).toBe(0);
    expect(await h.redis.zscore(h.keys.activeShard(h.keys.shardOf(gone)), gone)).toBeNull();
    expect(await h.totals(e)).toEqual({ burdenFen: 3_000_000, selfPayFen: 3_000_000 - 1000 });
  });
});
