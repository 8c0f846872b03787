// The console's pure pieces: the worklist's order and badges, how figures are written, HTML escaping, the
// local-path check of redirects, and the language split of findings.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerter-client.ts';
import { percent, shanghaiTime, yuan } from '../../src/format.ts';
import { escapeHtml, html, jsonData } from '../../src/html.ts';
import { messageIn } from '../../src/pages/alert.ts';
import { localPath } from '../../src/server.ts';
import { isOverdue, timeLeft, worklistOrder } from '../../src/worklist-order.ts';

const NOW = new Date('2026-01-10T00:00:00Z');

function alert(overrides: Partial<Alert> & { alertId: string }): Alert {
  return {
    householdId: 'HH1',
    streetCode: '310113103',
    districtCode: '310113',
    state: 'new',
    level: 'warning',
    outcome: null,
    note: null,
    openedAt: '2026-01-09T00:00:00Z',
    acknowledgedAt: null,
    investigatingAt: null,
    closedAt: null,
    acknowledgeDueAt: '2026-01-11T00:00:00Z',
    closeDueAt: '2026-01-24T00:00:00Z',
    overdue: { acknowledge: null, close: null, assign: null },
    triage: false,
    assignDueAt: null,
    assignedAt: null,
    assignedAlertId: null,
    linkedAlertIds: [],
    jobs: 1,
    next: ['acknowledged'],
    decision: {
      findings: [],
      burden12m: '1.00',
      income: null,
      burdenRatio: null,
      window: { from: '2025-02', to: '2026-01' },
      assistance: { total: '0.00', capRemaining: null },
      ruleSet: 'shanghai@2023-07-01',
      raisedAt: '2026-01-09T00:00:00Z',
      warnings: [],
    },
    ...overrides,
  };
}

describe('worklist order', () => {
  it('puts overdue first, then the higher level, then the older alert', () => {
    const list = [
      alert({ alertId: 'young-action', level: 'action', openedAt: '2026-01-09T12:00:00Z' }),
      alert({ alertId: 'watch', level: 'watch' }),
      alert({ alertId: 'old-action', level: 'action', openedAt: '2026-01-08T00:00:00Z' }),
      alert({
        alertId: 'overdue-watch',
        level: 'watch',
        overdue: { acknowledge: '2026-01-09T00:00:00Z', close: null, assign: null },
      }),
    ];
    expect(list.sort(worklistOrder(NOW)).map((a) => a.alertId)).toEqual([
      'overdue-watch',
      'old-action',
      'young-action',
      'watch',
    ]);
  });

  it('counts an open alert past its due date as overdue before the alerter marks it; never a closed one', () => {
    const late = alert({ alertId: 'a', acknowledgeDueAt: '2026-01-09T23:00:00Z' });
    expect(isOverdue(late, NOW)).toBe(true);
    expect(isOverdue({ ...late, state: 'closed', overdue: { acknowledge: 'x', close: null, assign: null } }, NOW)).toBe(
      false,
    );
  });

  it('tells the time left to the next limit: hours under two days, then days; none once closed', () => {
    expect(timeLeft(alert({ alertId: 'a' }), NOW)).toEqual({ kind: 'hours', n: 24 });
    expect(timeLeft(alert({ alertId: 'a', state: 'investigating' }), NOW)).toEqual({ kind: 'days', n: 14 });
    expect(timeLeft(alert({ alertId: 'a', state: 'closed' }), NOW)).toEqual({ kind: 'none' });
    expect(timeLeft(alert({ alertId: 'a', acknowledgeDueAt: '2026-01-10T00:59:00Z' }), NOW)).toEqual({
      kind: 'hours',
      n: 0,
    });
  });

  it('on a triage desk: the time to decide counts, a breached assign limit is overdue, an assigned one has none', () => {
    const triage = { alertId: 't', state: 'triage' as const, triage: true, next: ['closed', 'assigned'] };
    expect(timeLeft(alert({ ...triage, assignDueAt: '2026-01-13T00:00:00Z' }), NOW)).toEqual({ kind: 'days', n: 3 });
    const late = alert({ ...triage, alertId: 'late', overdue: { acknowledge: null, close: null, assign: 'x' } });
    expect(isOverdue(late, NOW)).toBe(true);
    expect(timeLeft(alert({ ...triage, state: 'assigned', assignDueAt: '2026-01-01T00:00:00Z' }), NOW)).toEqual({
      kind: 'none',
    });
    expect([alert({ ...triage, level: 'action' }), late].sort(worklistOrder(NOW)).map((a) => a.alertId)).toEqual([
      'late',
      't',
    ]);
  });
});

describe('figures on screen', () => {
  it('writes a ratio as a percentage exactly, by moving the decimal point', () => {
    expect(percent('0.4333')).toBe('43.33%');
    expect(percent('0.4')).toBe('40%');
    expect(percent('1.2500')).toBe('125%');
    expect(percent('0.0001')).toBe('0.01%');
    expect(percent('0.00005')).toBe('0.005%');
  });

  it('groups yuan without touching the digits', () => {
    expect(yuan('1234567.50')).toBe('1,234,567.50');
    expect(yuan('0.00')).toBe('0.00');
    expect(yuan('999')).toBe('999');
  });

  it('shows instants in Shanghai time', () => {
    expect(shanghaiTime('2026-01-09T16:30:00Z')).toBe('2026-01-10 00:30');
    expect(shanghaiTime(null)).toBe('—');
  });
});

describe('HTML', () => {
  it('escapes every interpolated value and keeps markup made by html', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p title="${name}">${name}${html`<b>ok</b>`}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<b>ok</b></p>',
    );
    expect(escapeHtml(`'&`)).toBe('&#39;&amp;');
    expect(html`${[1, null, false, 'a']}`.value).toBe('1a');
  });

  it('keeps JSON data from ending its script block', () => {
    expect(jsonData({ x: '</script><script>' }).value).not.toContain('</script>');
  });

  it('redirects only to a local path', () => {
    expect(localPath('/streets/310113103?state=new')).toBe('/streets/310113103?state=new');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '', undefined])
      expect(localPath(bad)).toBe('/');
  });

  it("shows a finding's message in the page's language", () => {
    expect(messageIn('zh', '高额负担。 / High burden.')).toBe('高额负担。');
    expect(messageIn('en', '高额负担。 / High burden.')).toBe('High burden.');
    expect(messageIn('en', 'only one language')).toBe('only one language');
  });
});
