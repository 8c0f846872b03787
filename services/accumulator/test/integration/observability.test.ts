// What the accumulator drops is visible: a conflicting redelivery is dead-lettered with a log line naming the
// claim id, the institution and the code (never a person or an amount), and /metrics counts it by code and by
// submitting institution, next to the claims applied, duplicates, evaluations, status messages and the batch
// latency.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@warnline/test';
import { pseudonymFor, settlement } from '../support.ts';
import { startedHarness } from './harness.ts';

/** The value of one sample of the Prometheus text format, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('accumulator: dead letters in the log and in /metrics', () => {
  const h = startedHarness(1);

  it('logs and counts a conflicting claim by code and institution', async () => {
    const person = pseudonymFor();
    const institution = 'H31011500077';
    const first = settlement({ person, serviceDate: '2024-04-01', cash: '1234.56', institution });
    const conflicting = { ...first, amounts: { ...first.amounts, cash: '1234.57', total: '1534.57' } };
    conflicting.amounts.policyScope = '1524.57';
    await h.sendClaims([first]);
    await h.drained();
    await h.sendClaims([first, conflicting]);
    await h.drained();
    const letters = await h.deadLetters((items) => items.length >= 1);
    expect(letters.map((l) => [l.code, l.institution])).toEqual([['CLAIM_CONFLICT', institution]]);

    const service = h.services[0]!;
    const metrics = await waitFor('the dead letter in /metrics', async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      return text.includes('accumulator_dead_letters_total{') ? text : undefined;
    });
    expect(
      sample(
        metrics,
        `accumulator_dead_letters_total{kind="claim",code="CLAIM_CONFLICT",institution="${institution}"}`,
      ),
    ).toBe(1);
    expect(sample(metrics, 'accumulator_claims_applied_total')).toBe(1);
    expect(sample(metrics, 'accumulator_claims_duplicate_total')).toBe(1);
    expect(sample(metrics, 'accumulator_evaluations_total')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics, 'accumulator_status_published_total')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'accumulator_alerts_raised_total')).toBe(0);
    expect(sample(metrics, 'accumulator_records_parked_total')).toBeUndefined();
    expect(sample(metrics, 'accumulator_batch_duration_seconds_count{kind="claim",outcome="ok"}')).toBe(2);
    expect(metrics).not.toContain(person);

    const lines = service
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logged = lines.filter((l) => l.msg === 'claim dead-lettered');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      claimId: first.claimId,
      institution,
      code: 'CLAIM_CONFLICT',
      topic: h.topics.claims,
      partition: 0,
    });
    // Never the person or the value of the claim.
    const text = JSON.stringify(logged[0]);
    expect(text).not.toContain(person);
    expect(text).not.toContain('1234.5');
    expect(await (await fetch(`${service.url}/healthz`)).json()).toMatchObject({ status: 'ok', parked: 0 });
  });
});
