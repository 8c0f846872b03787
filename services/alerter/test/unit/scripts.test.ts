// The typed script wrappers put every named field where the script's header says it is: each script's
// KEYS and ARGV are read from its .lua header here, so a header and a wrapper cannot drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeys, formatAlertId } from '../../src/keys.ts';
import { breachCall, ingestJobCall, linkCall, transitionCall, type ScriptCall } from '../../src/scripts.ts';

interface Slot {
  kind: 'KEYS' | 'ARGV';
  position: number;
  label: string;
}

/** Every `KEYS[n] label` and `ARGV[n] label` of a script's opening comment, in the order written. */
function header(script: string): Slot[] {
  const text = readFileSync(new URL(`../../src/lua/${script}.lua`, import.meta.url), 'utf8');
  // The slots are listed before "Returns"; the return codes may mention a key in passing.
  const comment = /^--\[\[([\s\S]*?)\n\s*Returns/.exec(text)?.[1] ?? '';
  const slots: Slot[] = [];
  for (const line of comment.split('\n')) {
    // A slot starts a line or follows a comma or a wide gap; `KEYS[2]` inside a label is a reference.
    const parts = line.split(/(?:,\s*|\s{2,})(?=(?:KEYS|ARGV)\[\d+\])/);
    for (const part of parts) {
      const m = /^(KEYS|ARGV)\[(\d+)\]\s+(.*?)[\s,]*$/.exec(part.trim());
      if (m) slots.push({ kind: m[1] as Slot['kind'], position: Number(m[2]), label: m[3]!.replace(/\s+/g, ' ') });
    }
  }
  return slots;
}

/**
 * Checks a wrapper's call against the header: every slot the header names holds the value `expect` gives
 * for its label, the header documents every position the call fills, and the key count is the file's.
 */
function checkAgainstHeader(script: string, call: ScriptCall, valueOf: (slot: Slot) => string | undefined): void {
  const slots = header(script);
  const keyCount = Number(/-(\d+)$/.exec(script)?.[1]);
  expect(call.keys).toHaveLength(keyCount);
  expect(slots.filter((s) => s.kind === 'KEYS').map((s) => s.position)).toEqual(
    Array.from({ length: call.keys.length }, (_, i) => i + 1),
  );
  expect(slots.filter((s) => s.kind === 'ARGV').map((s) => s.position)).toEqual(
    Array.from({ length: call.argv.length }, (_, i) => i + 1),
  );
  for (const slot of slots) {
    const actual = (slot.kind === 'KEYS' ? call.keys : call.argv)[slot.position - 1];
    const wanted = valueOf(slot);
    expect(wanted, `${script} ${slot.kind}[${slot.position}] "${slot.label}" has no expected value`).toBeDefined();
    expect(actual, `${script} ${slot.kind}[${slot.position}] "${slot.label}"`).toBe(wanted);
  }
}

/** Looks a slot up by the first words of its label. */
function byLabel(table: Record<string, string>, slot: Slot): string | undefined {
  const match = Object.keys(table)
    .filter((prefix) => slot.label === prefix || slot.label.startsWith(`${prefix} `))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? undefined : table[match];
}

const keys = createKeys('wl-test');
const streetCode = '310113103';
const alertId = formatAlertId(streetCode, 7);
const street = keys.street(streetCode);
const alert = keys.alert(alertId);
const now = new Date('2026-03-01T08:00:00.000Z');

describe('alerter script wrappers', () => {
  it('ingest-job: every named field at the position the header documents', () => {
    const acknowledgeDueAt = new Date('2026-03-03T08:00:00.000Z');
    const closeDueAt = new Date('2026-03-16T08:00:00.000Z');
    const call = ingestJobCall({
      street,
      alert,
      jobId: 'job-1',
      householdId: 'hh-1',
      alertId,
      seen: 'existing',
      level: 'warning',
      dataJson: '{"data":1}',
      now,
      streetCode,
      districtCode: '310113',
      initial: 'new',
      acknowledgeDueAt,
      closeDueAt,
      assignDueAt: null,
    });
    const KEYS: Record<string, string> = {
      jobs: street.jobs,
      open: street.open,
      alert: alert.alert,
      history: alert.history,
      outbox: street.outbox,
      'state:<ARGV[13]>': street.state.new,
      'open:watch': street.openLevel.watch,
      'open:warning': street.openLevel.warning,
      'open:action': street.openLevel.action,
    };
    const ARGV: Record<string, string> = {
      jobId: 'job-1',
      householdId: 'hh-1',
      alertId,
      '"existing" | "new":': 'existing',
      level: 'warning',
      'job data JSON': '{"data":1}',
      'now ISO': now.toISOString(),
      'now epoch ms': String(now.getTime()),
      streetCode,
      districtCode: '310113',
      'acknowledge due ISO': acknowledgeDueAt.toISOString(),
      'close due ISO': closeDueAt.toISOString(),
      'the state a new alert starts in': 'new',
      'assign due ISO': '',
    };
    checkAgainstHeader('ingest-job-9', call, (slot) => byLabel(slot.kind === 'KEYS' ? KEYS : ARGV, slot));
  });

  it('transition: every named field at the position the header documents', () => {
    const call = transitionCall({
      street,
      alert,
      alertId,
      from: 'investigating',
      to: 'closed',
      action: 'closed-action',
      outcome: 'referred',
      note: 'visited twice',
      actorName: 'li.wei',
      actorRole: 'street',
      now,
      target: '310113104',
    });
    const KEYS: Record<string, string> = {
      alert: alert.alert,
      history: alert.history,
      outbox: street.outbox,
      open: street.open,
      overdue: street.overdue,
      'state:new': street.state.new,
      'state:acknowledged': street.state.acknowledged,
      'state:investigating': street.state.investigating,
      'state:closed': street.state.closed,
      'state:triage': street.state.triage,
      'state:assigned': street.state.assigned,
      'open:watch': street.openLevel.watch,
      'open:warning': street.openLevel.warning,
      'open:action': street.openLevel.action,
    };
    const ARGV: Record<string, string> = {
      alertId,
      'required current state': 'investigating',
      'new state': 'closed',
      'action name of the event': 'closed-action',
      outcome: 'referred',
      note: 'visited twice',
      'actor name': 'li.wei',
      'actor role': 'street',
      'now ISO': now.toISOString(),
      target: '310113104',
    };
    checkAgainstHeader('transition-14', call, (slot) => byLabel(slot.kind === 'KEYS' ? KEYS : ARGV, slot));
  });

  it('breach: every named field at the position the header documents', () => {
    const call = breachCall({ street, alert, alertId, breach: 'close', now });
    const KEYS: Record<string, string> = {
      alert: alert.alert,
      history: alert.history,
      outbox: street.outbox,
      overdue: street.overdue,
    };
    const ARGV: Record<string, string> = { alertId, breach: 'close', 'now ISO': now.toISOString() };
    checkAgainstHeader('breach-4', call, (slot) => byLabel(slot.kind === 'KEYS' ? KEYS : ARGV, slot));
  });

  it('link: every named field at the position the header documents', () => {
    const call = linkCall({ street, alert, alertId, otherAlertId: '310113000-000001', assigned: true, now });
    const KEYS: Record<string, string> = { alert: alert.alert, history: alert.history, outbox: street.outbox };
    const ARGV: Record<string, string> = {
      alertId,
      "the other alert's id": '310113000-000001',
      'now ISO': now.toISOString(),
      '"assigned" when': 'assigned',
    };
    checkAgainstHeader('link-3', call, (slot) => byLabel(slot.kind === 'KEYS' ? KEYS : ARGV, slot));
  });
});
